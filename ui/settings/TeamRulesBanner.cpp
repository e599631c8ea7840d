#include "TeamRulesBanner.h"

#include "ConfigStore.h"
#include "TeamLink.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>

QString TeamRulesBanner::relativeTime(const QDateTime &when, const QDateTime &now)
{
    const qint64 seconds = std::max<qint64>(0, when.secsTo(now));
    if (seconds < 60)
        return tr("just now");
    if (seconds < 3600)
        return tr("%n minute(s) ago", nullptr, int(seconds / 60));
    if (seconds < 86400)
        return tr("%n hour(s) ago", nullptr, int(seconds / 3600));
    if (seconds < 30 * 86400)
        return tr("%n day(s) ago", nullptr, int(seconds / 86400));
    return tr("on %1").arg(QLocale().toString(when.toLocalTime().date(), QLocale::ShortFormat));
}

QString TeamRulesBanner::sentence(const TeamLink *team, const ConfigStore *config, const QDateTime &now)
{
    if (!team || team->status().state == TeamLink::Status::State::Off || !team->rules())
        return QString();
    const TeamDatabase::RulesVersion rules = *team->rules();
    if (rules.version == 0)
        return tr("The team has published no rules yet.");
    if (!config->teamError().isEmpty())
        return tr("The team's rules (version %1) cannot be used on this machine, so its own rules are in force: %2")
            .arg(rules.version)
            .arg(config->teamError());
    const QString who = rules.member.isEmpty() ? rules.author : rules.member;
    return tr("Rules from the team, version %1 by %2, %3.").arg(rules.version).arg(who, relativeTime(rules.createdAt, now));
}

bool TeamRulesBanner::publishes(const TeamLink *team, const ConfigStore *config)
{
    return team && team->status().state != TeamLink::Status::State::Off && team->rules() && team->rules()->version > 0
           && config->teamRulesInForce();
}

bool TeamRulesBanner::readOnly(const TeamLink *team, const ConfigStore *config)
{
    return publishes(team, config) && !team->mayWriteRules();
}

TeamRulesBanner::TeamRulesBanner(ConfigStore *config, QWidget *parent)
    : QFrame(parent)
    , m_config(config)
    , m_label(new QLabel(this))
{
    setObjectName(QStringLiteral("teamRulesBanner"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    // A tint of the link colour: a note about where these settings come from, not a warning.
    QPalette pal = palette();
    const QColor window = pal.color(QPalette::Window);
    const QColor accent = pal.color(QPalette::Link);
    pal.setColor(QPalette::Window, QColor::fromRgbF(window.redF() * 0.9f + accent.redF() * 0.1f,
                                                    window.greenF() * 0.9f + accent.greenF() * 0.1f,
                                                    window.blueF() * 0.9f + accent.blueF() * 0.1f));
    setPalette(pal);
    m_label->setObjectName(QStringLiteral("teamRulesBannerLabel"));
    m_label->setWordWrap(true);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 10, 6);
    layout->addWidget(m_label);
    m_clock.setInterval(30'000);
    connect(&m_clock, &QTimer::timeout, this, &TeamRulesBanner::refresh);
    connect(m_config, &ConfigStore::configChanged, this, &TeamRulesBanner::refresh);
    connect(m_config, &ConfigStore::statusChanged, this, &TeamRulesBanner::refresh);
    QFrame::hide();
}

void TeamRulesBanner::setTeam(TeamLink *team)
{
    if (m_team)
        m_team->disconnect(this);
    m_team = team;
    if (m_team) {
        connect(m_team, &TeamLink::rulesChanged, this, &TeamRulesBanner::refresh);
        connect(m_team, &TeamLink::statusChanged, this, &TeamRulesBanner::refresh);
    }
    refresh();
}

void TeamRulesBanner::setNote(const QString &note)
{
    m_note = note;
    refresh();
}

QString TeamRulesBanner::text() const
{
    return m_label->text();
}

void TeamRulesBanner::showEvent(QShowEvent *event)
{
    m_clock.start();
    QFrame::showEvent(event);
}

void TeamRulesBanner::hideEvent(QHideEvent *event)
{
    m_clock.stop();
    QFrame::hideEvent(event);
}

void TeamRulesBanner::refresh()
{
    QString text = sentence(m_team, m_config, QDateTime::currentDateTimeUtc());
    if (!m_note.isEmpty() && publishes(m_team, m_config))
        text += QLatin1Char(' ') + m_note;
    else if (readOnly(m_team, m_config))
        text += QLatin1Char(' ') + tr("Only the team's rule editors can change them.");
    else if (publishes(m_team, m_config))
        text += QLatin1Char(' ') + tr("Saving publishes a new version for the whole team.");
    const QString before = m_label->text();
    const bool wasVisible = !isHidden();
    m_label->setText(text);
    setVisible(!text.isEmpty());
    if (before != text || wasVisible != !isHidden())
        emit changed();
}
