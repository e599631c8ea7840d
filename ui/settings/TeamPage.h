#pragma once

#include "DraftPage.h"

#include <QPointer>

class ConfigStore;
class QLabel;
class QLineEdit;
class QPushButton;
class SaveBar;
class SecretStore;
class TeamLink;
class QTimer;

// Settings → Team: joining a team (config.yaml `team:`, docs/team.md). The database's address and
// this person's name in the team ledger are saved to config.yaml; the password goes to the
// keychain entry `team` and is never shown again. Test Connection tries the address off the GUI
// thread and says which server it reached over what, or why not. Below: how the team ledger is
// doing (TeamLink::status) and which version of the team's rules is in force.
class TeamPage : public DraftPage
{
    Q_OBJECT

public:
    TeamPage(ConfigStore *config, SecretStore *secrets, QWidget *parent = nullptr);

    void setTeam(TeamLink *team);
    // Tries the address and password in the fields; connectionTested() follows.
    void testConnection();
    // Asks, then takes `team:` out of config.yaml and the password out of the keychain.
    void leaveTeam();
    // Publishes this machine's own models, routes, budgets and rates as the team's next version.
    void shareLocalRules();

    bool hasUnsavedChanges() const override { return m_dirty; }
    QString draftName() const override;
    bool save() override;
    void revert() override;
    SaveBar *saveBar() const override { return m_bar; }

signals:
    void connectionTested();

private:
    void load();
    void markDirty();
    QString validate() const;
    void updatePasswordState();
    void updateStatus();
    void runTest(const QString &url, const QString &password);

    ConfigStore *m_config;
    SecretStore *m_secrets;
    QPointer<TeamLink> m_team;
    bool m_dirty = false;
    bool m_loading = false;
    bool m_testing = false;

    QLineEdit *m_url;
    QLineEdit *m_member;
    QLineEdit *m_password;
    QLabel *m_passwordState;
    QPushButton *m_test;
    QLabel *m_testResult;
    QPushButton *m_leave;
    QWidget *m_statusBox;
    QLabel *m_state;
    QLabel *m_server;
    QLabel *m_waiting;
    QLabel *m_lastSend;
    QLabel *m_rules;
    QPushButton *m_share;
    QLabel *m_shareResult;
    QTimer *m_clock;   // keeps "2 hours ago" current
    SaveBar *m_bar;
};
