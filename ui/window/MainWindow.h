#pragma once

#include "Profile.h"

#include <QMainWindow>

class AppSettings;
class ChatPage;
class ConfigStore;
class DashboardPage;
class EndpointPage;
class Gateway;
class GatewayKeys;
class KeyStatus;
class QLabel;
class QListWidget;
class QNetworkAccessManager;
class QStackedWidget;
class SecretStore;
class SettingsPage;
class TeamLink;
class TeamStatusLabel;
struct ShortcutGroup;

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    enum class Page { Chat, Dashboard, Settings };

    MainWindow(ConfigStore *config, SecretStore *secrets, KeyStatus *keys, AppSettings *settings,
               const Profile &profile, QNetworkAccessManager *nam, QWidget *parent = nullptr);

    void showPage(Page page);
    Page currentPage() const;
    // Checks the keychain and reads which providers have a key; startupChecksDone() follows.
    void startChecks();
    bool startupChecksDone() const;
    void showDatabaseProblem(const QString &message);
    // New rows reached the ledger: the dashboard reads it again.
    void ledgerChanged();
    // In the status bar and, when chosen in the View menu, once in the system tray.
    void showBudgetAlert(const QString &key, int level, const QString &message);
    // Where the chat keeps its conversations and records its calls.
    void setChatStorage(class Database *database, class Ledger *ledger);
    ChatPage *chatPage() const { return m_chat; }
    // Every key the window knows, for Help → Keyboard Shortcuts.
    QList<ShortcutGroup> shortcutGroups() const;
    // Adds Settings → Endpoint for `gateway` and starts it when it was left on.
    void setEndpoint(Gateway *gateway, GatewayKeys *keys);
    // The profile's team (docs/team.md): the dashboard's Team scope, Settings → Team and the
    // team's rules in Settings, the status bar.
    void setTeam(TeamLink *team);

signals:
    void startupChecksFinished();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildMenus();
    void updateStatusBar();
    void showAbout();
    void showShortcuts();
    void openDocumentation();

    ConfigStore *m_config;
    KeyStatus *m_keys;
    AppSettings *m_settings;
    Profile m_profile;
    QListWidget *m_navigation;
    QStackedWidget *m_pages;
    ChatPage *m_chat;
    DashboardPage *m_dashboard;
    SettingsPage *m_settingsPage;
    EndpointPage *m_endpointPage = nullptr;
    QLabel *m_statusKeys;
    QLabel *m_statusConfig;
    QLabel *m_statusDatabase;
    QLabel *m_statusBudget;
    TeamStatusLabel *m_statusTeam;
    class QSystemTrayIcon *m_tray = nullptr;
};
