#pragma once

#include <QDateTime>
#include <QLabel>
#include <QPointer>

#include "TeamLink.h"

// The status bar's word on the team ledger: "Team ledger: up to date", "Team ledger: 132 calls
// waiting", "Team ledger: unreachable since 10:42", or why the team database refused, in red; the
// tooltip names the server, the member, the last send and the error. Hidden outside a team.
class TeamStatusLabel : public QLabel
{
    Q_OBJECT

public:
    explicit TeamStatusLabel(QWidget *parent = nullptr);

    void setTeam(TeamLink *team);

    // The text for `status`; `now` decides whether "since" needs the date.
    static QString text(const TeamLink::Status &status, const QDateTime &now);
    static QString toolTip(const TeamLink::Status &status);

private:
    void refresh();

    QPointer<TeamLink> m_team;
};
