#pragma once

#include "Profile.h"
#include "SecretStore.h"

#include <QPointer>
#include <QWidget>

#include <functional>

class AppSettings;
class ConfigStore;
class DraftPage;
class KeyStatus;
class QLabel;
class QPushButton;
class QTableWidget;
class QFrame;
class QMessageBox;
class QVBoxLayout;
class QNetworkAccessManager;
class ProviderDetails;
class RoutingPage;
class TeamLink;
class TeamPage;

// Settings: where keys are kept (and the explicit plain-file opt-in when no keychain works), each
// provider's key, and the state of config.yaml. The heading and the tabs stay put while a tab's
// content scrolls; below it, the tab's SaveBar when it has unsaved edits. Those edits are never
// lost without a word: leaving the tab, the provider, the page or the window asks first.
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
    // The profile's team, for the Team tab and the pages that edit the team's shared rules.
    void setTeam(TeamLink *team);

    bool hasUnsavedChanges() const;
    // For each page with unsaved edits, asks "Save changes to …?" (Save, Discard, Cancel), and
    // runs `proceed` once nothing is unsaved: at once when nothing was. After Cancel, or a Save
    // that failed, `proceed` never runs and the edits stay in view. The question is a window-modal
    // box, opened without waiting on it.
    void resolveUnsavedChanges(const std::function<void()> &proceed);

signals:
    void keychainStatusChanged();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void updateKeychainBanner();
    void updateKeysTable();
    void updateConfigStatus();
    void setKey();
    void removeKey();
    void optIntoPlainFile();
    void optOutOfPlainFile();
    QString selectedProvider() const;
    void selectProvider(const QString &providerId);
    void providerSelectionChanged();
    void addDraftTab(QWidget *tab, const QString &title, DraftPage *draft);
    void tabChanged(int index);
    void showDraft(DraftPage *draft);
    void updateSaveBars();

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
    RoutingPage *m_routing;
    TeamPage *m_teamPage;
    QLabel *m_configPath;
    QLabel *m_configStatus;

    QList<QPair<QWidget *, DraftPage *>> m_drafts;   // a tab's scroll area, and the draft on it
    QVBoxLayout *m_saveBars;
    QWidget *m_shownTab = nullptr;
    bool m_restoring = false;   // putting the tab or provider back after a question
    QPointer<QMessageBox> m_prompt;
};
