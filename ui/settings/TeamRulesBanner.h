#pragma once

#include <QDateTime>
#include <QFrame>
#include <QPointer>
#include <QTimer>

class ConfigStore;
class QLabel;
class TeamLink;

// What Settings says about the team's shared rules (routes, models, prices, budgets, currency
// rates), as a strip at the top of a page that edits them: "Rules from the team, version 12 by bob,
// 2 hours ago", that the team has none yet, or why its rules cannot be used on this machine; and
// for a member who may not publish, that only the team's rule editors can change them. Hidden
// outside a team; the relative time keeps itself current while it is shown.
class TeamRulesBanner : public QFrame
{
    Q_OBJECT

public:
    explicit TeamRulesBanner(ConfigStore *config, QWidget *parent = nullptr);

    void setTeam(TeamLink *team);
    // For a page that never publishes (the providers' models and prices): what to say in place of
    // who may change the rules, while they are in force.
    void setNote(const QString &note);
    QString text() const;

    // "2 hours ago", "just now"; the date itself after a month.
    static QString relativeTime(const QDateTime &when, const QDateTime &now);
    // The sentence about the version in force; empty when not in a team or nothing is known yet.
    static QString sentence(const TeamLink *team, const ConfigStore *config, const QDateTime &now);
    // Whether Save publishes to the team (its rules are in force here) instead of writing config.yaml.
    static bool publishes(const TeamLink *team, const ConfigStore *config);
    // Whether it publishes, but PostgreSQL said this member may not: the page is read-only.
    static bool readOnly(const TeamLink *team, const ConfigStore *config);

signals:
    // The rules in force, or whether this member may change them, changed.
    void changed();

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void refresh();

    ConfigStore *m_config;
    QPointer<TeamLink> m_team;
    QLabel *m_label;
    QString m_note;
    QTimer m_clock;
};
