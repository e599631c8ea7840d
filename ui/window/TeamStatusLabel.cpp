#include "TeamStatusLabel.h"

#include <QLocale>

#include <climits>

namespace {

int clamped(qint64 n)
{
    return int(std::min<qint64>(n, INT_MAX));
}

} // namespace

TeamStatusLabel::TeamStatusLabel(QWidget *parent)
    : QLabel(parent)
{
    setObjectName(QStringLiteral("statusTeam"));
    hide();
}

void TeamStatusLabel::setTeam(TeamLink *team)
{
    if (m_team)
        m_team->disconnect(this);
    m_team = team;
    if (m_team)
        connect(m_team, &TeamLink::statusChanged, this, &TeamStatusLabel::refresh);
    refresh();
}

QString TeamStatusLabel::text(const TeamLink::Status &status, const QDateTime &now)
{
    using State = TeamLink::Status::State;
    switch (status.state) {
    case State::Off:
        return QString();
    case State::Connecting:
        return tr("Team ledger: connecting…");
    case State::UpToDate:
        return status.waiting > 0 ? tr("Team ledger: %n call(s) waiting", nullptr, clamped(status.waiting))
                                  : tr("Team ledger: up to date");
    case State::Sending:
        return tr("Team ledger: %n call(s) waiting", nullptr, clamped(status.waiting));
    case State::Unreachable: {
        const QDateTime since = status.unreachableSince.toLocalTime();
        const QLocale locale;
        QString when = locale.toString(since.time(), QStringLiteral("HH:mm"));
        if (since.date() != now.toLocalTime().date())
            when = tr("%1 %2").arg(locale.toString(since.date(), QLocale::ShortFormat), when);
        return status.waiting > 0
                   ? tr("Team ledger: unreachable since %1, %n call(s) waiting", nullptr, clamped(status.waiting)).arg(when)
                   : tr("Team ledger: unreachable since %1").arg(when);
    }
    case State::Refused:
        return tr("Team ledger: %1").arg(status.error);
    }
    return QString();
}

QString TeamStatusLabel::toolTip(const TeamLink::Status &status)
{
    const QLocale locale;
    QStringList lines;
    lines << tr("Server: %1").arg(status.server.isEmpty() ? tr("not connected yet") : status.server);
    lines << tr("Member: %1").arg(status.member);
    lines << tr("Last send: %1").arg(status.lastSend.isValid()
                                         ? locale.toString(status.lastSend.toLocalTime(), QLocale::ShortFormat)
                                         : tr("nothing sent yet"));
    if (!status.error.isEmpty())
        lines << tr("Error: %1").arg(status.error);
    return lines.join(QLatin1Char('\n'));
}

void TeamStatusLabel::refresh()
{
    const TeamLink::Status status = m_team ? m_team->status() : TeamLink::Status();
    const QString shown = text(status, QDateTime::currentDateTime());
    setText(shown);
    QLabel::setToolTip(toolTip(status));
    const bool refused = status.state == TeamLink::Status::State::Refused;
    setStyleSheet(refused ? QStringLiteral("color: #b3261e;") : QString());
    setVisible(!shown.isEmpty());
}
