#pragma once

#include "Profile.h"
#include "SecretStore.h"

#include <QWidget>

class AppSettings;
class ConfigStore;
class KeyStatus;
class QLabel;
class QPushButton;
class QTableWidget;
class QFrame;
class QNetworkAccessManager;
class ProviderDetails;

// Settings: where keys are kept (and the explicit plain-file opt-in when no keychain works), each
// provider's key, and the state of config.yaml.
class SettingsPage : public QWidget
{
    Q_OBJECT

public:
    SettingsPage(ConfigStore *config, SecretStore *secrets, KeyStatus *keys, AppSettings *settings,
                 const Profile &profile, QNetworkAccessManager *nam, QWidget *parent = nullptr);

    // Asks the keychain whether it works; keychainChecked() follows.
    void checkKeychain();
    bool keychainChecked() const { return m_keychainChecked; }
    QString keychainSummary() const;
    // The Providers tab with this provider selected (an answer's "Add a Key…").
    void showProvider(const QString &providerId);
    // Adds a tab after the others (the window adds Endpoint when it serves one).
    void addTab(QWidget *page, const QString &title);

signals:
    void keychainStatusChanged();

private:
    void updateKeychainBanner();
    void updateKeysTable();
    void updateConfigStatus();
    void setKey();
    void removeKey();
    void optIntoPlainFile();
    void optOutOfPlainFile();
    QString selectedProvider() const;

    ConfigStore *m_config;
    SecretStore *m_secrets;
    KeyStatus *m_keys;
    AppSettings *m_settings;
    Profile m_profile;

    bool m_keychainChecked = false;
    SecretResult m_keychainResult;

    QFrame *m_banner;
    QLabel *m_keychainLabel;
    QPushButton *m_retryButton;
    QPushButton *m_optInButton;
    QPushButton *m_optOutButton;
    QTableWidget *m_table;
    class QTabWidget *m_tabs;
    QPushButton *m_setButton;
    QPushButton *m_removeButton;
    QLabel *m_keyMessage;
    ProviderDetails *m_details;
    QLabel *m_configPath;
    QLabel *m_configStatus;
};
