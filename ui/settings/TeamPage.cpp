#include "TeamPage.h"

#include "ConfigStore.h"
#include "SaveBar.h"
#include "SecretStore.h"
#include "TeamDatabase.h"
#include "TeamLink.h"
#include "TeamRulesBanner.h"

#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>

#include <atomic>
#include <climits>

namespace {

QLabel *valueLabel(QWidget *parent, const char *name)
{
    auto *label = new QLabel(parent);
    label->setObjectName(QLatin1String(name));
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

QString errorColor(const QWidget *w)
{
    return w->palette().color(QPalette::Window).lightness() < 128 ? QStringLiteral("color: #f2b8b5;")
                                                                   : QStringLiteral("color: #b3261e;");
}

} // namespace

TeamPage::TeamPage(ConfigStore *config, SecretStore *secrets, QWidget *parent)
    : DraftPage(parent)
    , m_config(config)
    , m_secrets(secrets)
{
    setObjectName(QStringLiteral("teamPage"));
    auto *intro = new QLabel(tr("A team keeps one ledger and one set of rules on a PostgreSQL database: every call is "
                                "recorded here first, then sent to it. Your providers and keys stay on this machine. "
                                "Setting up the database is described in docs/team.md."),
                             this);
    intro->setWordWrap(true);

    auto *joinBox = new QGroupBox(tr("Team database"), this);
    m_url = new QLineEdit(joinBox);
    m_url->setObjectName(QStringLiteral("teamUrlEdit"));
    m_url->setPlaceholderText(tr("postgresql://you@db.example.com/team?sslmode=verify-full"));
    m_member = new QLineEdit(joinBox);
    m_member->setObjectName(QStringLiteral("teamMemberEdit"));
    m_member->setPlaceholderText(tr("Your name in the team's ledger"));
    m_password = new QLineEdit(joinBox);
    m_password->setObjectName(QStringLiteral("teamPasswordEdit"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setAccessibleName(tr("Database password"));
    m_passwordState = valueLabel(joinBox, "teamPasswordState");
    m_passwordState->setEnabled(false);   // a note, drawn quieter
    m_test = new QPushButton(tr("Test Connection"), joinBox);
    m_test->setObjectName(QStringLiteral("testTeamButton"));
    m_testResult = valueLabel(joinBox, "teamTestResult");
    m_leave = new QPushButton(tr("Leave Team…"), joinBox);
    m_leave->setObjectName(QStringLiteral("leaveTeamButton"));
    auto *passwordColumn = new QVBoxLayout;
    passwordColumn->setSpacing(2);
    passwordColumn->addWidget(m_password);
    passwordColumn->addWidget(m_passwordState);
    auto *form = new QFormLayout;
    form->addRow(tr("Address:"), m_url);
    form->addRow(tr("Member:"), m_member);
    form->addRow(tr("Password:"), passwordColumn);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_test);
    buttons->addWidget(m_testResult, 1);
    buttons->addWidget(m_leave, 0, Qt::AlignTop);
    auto *joinLayout = new QVBoxLayout(joinBox);
    joinLayout->addLayout(form);
    joinLayout->addLayout(buttons);

    auto *statusBox = new QGroupBox(tr("Status"), this);
    m_statusBox = statusBox;
    m_state = valueLabel(statusBox, "teamStateLabel");
    m_server = valueLabel(statusBox, "teamServerLabel");
    m_waiting = valueLabel(statusBox, "teamWaitingLabel");
    m_lastSend = valueLabel(statusBox, "teamLastSendLabel");
    m_rules = valueLabel(statusBox, "teamRulesLabel");
    auto *statusForm = new QFormLayout(statusBox);
    statusForm->addRow(tr("Team ledger:"), m_state);
    statusForm->addRow(tr("Server:"), m_server);
    statusForm->addRow(tr("Waiting to be sent:"), m_waiting);
    statusForm->addRow(tr("Last send:"), m_lastSend);
    statusForm->addRow(tr("Rules:"), m_rules);
    // A rule editor starts the team's rules from this machine's (or replaces them with them).
    m_share = new QPushButton(statusBox);
    m_share->setObjectName(QStringLiteral("shareRulesButton"));
    m_shareResult = valueLabel(statusBox, "shareRulesResult");
    auto *shareRow = new QHBoxLayout;
    shareRow->addWidget(m_share, 0, Qt::AlignTop);
    shareRow->addWidget(m_shareResult, 1);
    statusForm->addRow(QString(), shareRow);

    m_bar = new SaveBar(QStringLiteral("Team"), this);
    m_clock = new QTimer(this);
    m_clock->setInterval(30'000);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(joinBox);
    layout->addWidget(statusBox);
    layout->addStretch(1);
    layout->addWidget(m_bar);   // Settings moves it below the scrolling content

    for (QLineEdit *edit : {m_url, m_member, m_password}) {
        connect(edit, &QLineEdit::textEdited, this, &TeamPage::markDirty);
        connect(edit, &QLineEdit::returnPressed, this, &TeamPage::save);
    }
    connect(m_test, &QPushButton::clicked, this, &TeamPage::testConnection);
    connect(m_leave, &QPushButton::clicked, this, &TeamPage::leaveTeam);
    connect(m_share, &QPushButton::clicked, this, &TeamPage::shareLocalRules);
    connect(m_bar, &SaveBar::saveClicked, this, &TeamPage::save);
    connect(m_bar, &SaveBar::revertClicked, this, &TeamPage::revert);
    connect(m_clock, &QTimer::timeout, this, &TeamPage::updateStatus);
    connect(m_config, &ConfigStore::configChanged, this, [this] {
        if (!m_dirty)
            load();
    });
    connect(m_secrets, &SecretStore::secretChanged, this, [this](const QString &account) {
        if (account == SecretStore::teamAccount())
            updatePasswordState();
    });
    load();
    updatePasswordState();
}

void TeamPage::setTeam(TeamLink *team)
{
    if (m_team)
        m_team->disconnect(this);
    m_team = team;
    if (m_team) {
        connect(m_team, &TeamLink::statusChanged, this, &TeamPage::updateStatus);
        connect(m_team, &TeamLink::rulesChanged, this, &TeamPage::updateStatus);
    }
    updateStatus();
}

void TeamPage::load()
{
    m_loading = true;
    const TeamSettings &team = m_config->config().team;
    m_url->setText(team.url);
    m_member->setText(team.member);
    m_password->clear();
    m_leave->setEnabled(team.isSet());
    m_loading = false;
    m_dirty = false;
    updateStatus();
}

void TeamPage::markDirty()
{
    if (m_loading)
        return;
    m_dirty = true;
    m_bar->showUnsaved(validate());
}

QString TeamPage::draftName() const
{
    return tr("the team settings");
}

QString TeamPage::validate() const
{
    const QString url = m_url->text().trimmed();
    const QString member = m_member->text().trimmed();
    if (url.isEmpty())
        return member.isEmpty() ? QString() : tr("Give the team database's address, or clear the member name.");
    QString why;
    if (!TeamAddress::parse(url, &why))
        return why;
    if (member.isEmpty())
        return tr("Give your name in the team's ledger.");
    return QString();
}

bool TeamPage::save()
{
    if (const QString problem = validate(); !problem.isEmpty()) {
        m_bar->showUnsaved(problem);
        return false;
    }
    const QString password = m_password->text();
    Config draft = m_config->config();
    draft.team.url = m_url->text().trimmed();
    draft.team.member = draft.team.url.isEmpty() ? QString() : m_member->text().trimmed();
    if (!(draft.team == m_config->config().team)) {
        QString error;
        if (!m_config->save(draft, &error)) {
            m_bar->showFailure(tr("Not saved: %1").arg(error));
            return false;
        }
    }
    load();   // clears the password field: it is never shown back
    if (password.isEmpty()) {
        m_bar->showSaved(tr("Saved to config.yaml."));
        return true;
    }
    m_bar->showSaved(tr("Saved to config.yaml; storing the password in the keychain…"));
    // TeamLink connects again once the keychain has it (SecretStore::secretChanged).
    m_secrets->write(SecretStore::teamAccount(), password, this, [this, password](const SecretResult &result) {
        if (result.ok()) {
            m_bar->showSaved(tr("Saved. The password is stored in the keychain."));
            return;
        }
        // The password is typed again rather than lost without a word.
        m_password->setText(password);
        m_dirty = true;
        m_bar->showFailure(tr("The password was not stored: %1").arg(result.message));
    });
    return true;
}

void TeamPage::revert()
{
    load();
    m_bar->showDiscarded();
}

void TeamPage::updatePasswordState()
{
    m_secrets->read(SecretStore::teamAccount(), this, [this](const SecretResult &result) {
        if (result.ok())
            m_passwordState->setText(tr("A password is stored in the keychain. Type a new one to replace it."));
        else if (result.status == SecretResult::Status::NotFound)
            m_passwordState->setText(tr("No password in the keychain: libpq's PGPASSWORD or ~/.pgpass is used, if set."));
        else
            m_passwordState->setText(tr("The keychain cannot be read: %1").arg(result.message));
    });
}

void TeamPage::updateStatus()
{
    const bool inTeam = m_team && m_team->status().state != TeamLink::Status::State::Off;
    m_statusBox->setVisible(inTeam);
    if (!inTeam) {
        m_clock->stop();
        return;
    }
    m_clock->start();
    const TeamLink::Status s = m_team->status();
    const QLocale locale;
    QString state;
    bool bad = false;
    switch (s.state) {
    case TeamLink::Status::State::Off:
        break;
    case TeamLink::Status::State::Connecting:
        state = tr("Connecting…");
        break;
    case TeamLink::Status::State::UpToDate:
        state = tr("Up to date: every call has been sent.");
        break;
    case TeamLink::Status::State::Sending:
        state = tr("Sending.");
        break;
    case TeamLink::Status::State::Unreachable: {
        const QDateTime since = s.unreachableSince.toLocalTime();
        QString when = locale.toString(since.time(), QStringLiteral("HH:mm"));
        if (since.date() != QDate::currentDate())
            when = tr("%1 %2").arg(locale.toString(since.date(), QLocale::ShortFormat), when);
        state = tr("Unreachable since %1; calls wait here until it can be reached.").arg(when) + QLatin1Char('\n') + s.error;
        bad = true;
        break;
    }
    case TeamLink::Status::State::Refused:
        state = s.error;
        bad = true;
        break;
    }
    if (!bad && !s.error.isEmpty())
        state += QLatin1Char(' ') + s.error;   // the keychain could not be read, for example
    m_state->setText(state);
    m_state->setStyleSheet(bad ? errorColor(this) : QString());
    m_server->setText(s.server.isEmpty() ? tr("Not connected yet") : s.server);
    m_waiting->setText(tr("%n call(s)", nullptr, int(std::min<qint64>(s.waiting, INT_MAX))));
    m_lastSend->setText(s.lastSend.isValid() ? locale.toString(s.lastSend.toLocalTime(), QLocale::ShortFormat)
                                             : tr("Nothing sent yet"));
    const QString rules = TeamRulesBanner::sentence(m_team, m_config, QDateTime::currentDateTimeUtc());
    m_rules->setText(rules.isEmpty() ? tr("Not known yet: they are read when the team database is reached.") : rules);
    m_rules->setStyleSheet(m_config->teamError().isEmpty() ? QString() : errorColor(this));
    const bool firstVersion = !m_team->rules() || m_team->rules()->version == 0;
    m_share->setText(firstVersion ? tr("Share This Machine's Rules with the Team") : tr("Replace with This Machine's Rules…"));
    m_share->setVisible(m_team->mayWriteRules());
    m_shareResult->setVisible(m_team->mayWriteRules());
}

void TeamPage::shareLocalRules()
{
    if (!m_team)
        return;
    auto publish = [this] {
        m_share->setEnabled(false);
        m_shareResult->setStyleSheet(QString());
        m_shareResult->setText(tr("Publishing…"));
        const QString summary = tr("this machine's rules, from %1").arg(m_config->config().team.member);
        m_team->publishRules(m_config->localConfig(), summary, this, [this](qint64 version, const QString &error) {
            m_share->setEnabled(true);
            if (version > 0) {
                m_shareResult->setText(tr("Published as version %1.").arg(version));
            } else {
                m_shareResult->setText(error);
                m_shareResult->setStyleSheet(errorColor(this));
            }
        });
    };
    if (!m_team->rules() || m_team->rules()->version == 0) {
        publish();
        return;
    }
    auto *box = new QMessageBox(QMessageBox::Question, tr("Replace the Team's Rules?"),
                                tr("Every member will use this machine's models, prices, routes, budgets and currency "
                                   "rates (from its config.yaml) instead of version %1. Its providers and keys are not sent.")
                                    .arg(m_team->rules()->version),
                                QMessageBox::Cancel, window());
    QPushButton *replace = box->addButton(tr("Replace"), QMessageBox::AcceptRole);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this, [replace, publish](QAbstractButton *button) {
        if (button == replace)
            publish();
    });
    box->open();
}

void TeamPage::testConnection()
{
    if (m_testing)
        return;
    QString why;
    const QString url = m_url->text().trimmed();
    if (url.isEmpty() || !TeamAddress::parse(url, &why)) {
        m_testResult->setText(url.isEmpty() ? tr("Give the team database's address first.") : why);
        m_testResult->setStyleSheet(errorColor(this));
        emit connectionTested();
        return;
    }
    m_testing = true;
    m_test->setEnabled(false);
    m_testResult->setStyleSheet(QString());
    m_testResult->setText(tr("Connecting…"));
    if (!m_password->text().isEmpty()) {
        runTest(url, m_password->text());
        return;
    }
    m_secrets->read(SecretStore::teamAccount(), this, [this, url](const SecretResult &result) {
        runTest(url, result.ok() ? result.secret : QString());   // else libpq's own conventions
    });
}

void TeamPage::runTest(const QString &url, const QString &password)
{
    struct Outcome
    {
        bool ok = false;
        QString text;
    };
    auto outcome = std::make_shared<Outcome>();
    static std::atomic<int> serial {0};
    const QString name = QStringLiteral("team-test-%1").arg(++serial);
    // libpq blocks while it connects (up to its connect_timeout): never on the GUI thread.
    QThread *thread = QThread::create([outcome, url, password, name] {
        QString error;
        const std::optional<TeamAddress> address = TeamAddress::parse(url, &error);
        {
            std::optional<QSqlDatabase> db = address ? TeamDatabase::open(*address, password, name, &error) : std::nullopt;
            if (db) {
                const QString server = TeamDatabase::serverDescription(*db, *address);
                const int schema = TeamDatabase::schemaVersion(*db, &error);
                if (schema < 0)
                    outcome->text = tr("Connected to %1, but the team's tables cannot be read: %2").arg(server, error);
                else if (schema == 0)
                    outcome->text = tr("Connected to %1. The database is not set up for a team yet: run "
                                       "switchyard team init with this address.")
                                        .arg(server);
                else if (TeamDatabase::mayWriteRules(*db))
                    outcome->text = tr("Connected to %1. This member may publish the team's rules.").arg(server);
                else
                    outcome->text = tr("Connected to %1. This member uses the team's rules but may not change them.").arg(server);
                outcome->ok = schema > 0;
                db->close();
            } else {
                outcome->text = tr("Could not connect: %1").arg(error);
            }
        }
        QSqlDatabase::removeDatabase(name);
    });
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    connect(thread, &QThread::finished, this, [this, outcome] {
        m_testing = false;
        m_test->setEnabled(true);
        m_testResult->setText(outcome->text);
        m_testResult->setStyleSheet(outcome->ok ? QString() : errorColor(this));
        emit connectionTested();
    });
    thread->start();
}

void TeamPage::leaveTeam()
{
    const TeamSettings team = m_config->config().team;
    if (!team.isSet())
        return;
    const qint64 waiting = m_team ? m_team->status().waiting : 0;
    auto *box = new QMessageBox(QMessageBox::Question, tr("Leave the Team?"),
                                tr("This profile stops sending its calls to the team database and uses its own rules "
                                   "again. The calls already sent stay in the team's ledger."),
                                QMessageBox::Cancel, window());
    box->setObjectName(QStringLiteral("leaveTeamBox"));
    if (waiting > 0)
        box->setInformativeText(tr("%n call(s) not sent yet will stay on this machine only.", nullptr,
                                   int(std::min<qint64>(waiting, INT_MAX))));
    QPushButton *leave = box->addButton(tr("Leave Team"), QMessageBox::DestructiveRole);
    leave->setObjectName(QStringLiteral("leaveTeamConfirm"));
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this, [this, leave](QAbstractButton *button) {
        if (button != leave)
            return;
        Config draft = m_config->config();
        draft.team = TeamSettings();
        QString error;
        if (!m_config->save(draft, &error)) {
            m_bar->showFailure(tr("Still in the team: %1").arg(error));
            return;
        }
        load();
        m_bar->showSaved(tr("You left the team."));
        m_secrets->remove(SecretStore::teamAccount(), this, [this](const SecretResult &result) {
            if (!result.keychainWorks())
                m_bar->showSaved(tr("You left the team, but its password could not be removed from the keychain: %1")
                                     .arg(result.message));
        });
    });
    box->open();
}
