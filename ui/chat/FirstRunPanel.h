#pragma once

#include <QPointer>
#include <QWidget>

class ConfigStore;
class ProviderProbe;
class QComboBox;
class QLabel;
class QLineEdit;
class QNetworkAccessManager;
class QPushButton;
class SecretStore;

// What the chat page shows while no provider has a key: pick a provider, paste its key, test it
// (the same probe as Settings → Providers), and save it to the keychain. The key lives only in
// the masked field until the keychain has taken it; a failed save leaves it there to try again.
class FirstRunPanel : public QWidget
{
    Q_OBJECT

public:
    FirstRunPanel(ConfigStore *config, SecretStore *secrets, QNetworkAccessManager *nam, QWidget *parent = nullptr);
    ~FirstRunPanel() override;

    // Why the keychain could not be read when the keys were checked; empty hides the notice.
    void setKeychainProblem(const QString &problem);
    QString providerId() const;
    void focusKey();

signals:
    // The key is in the keychain; the page can go on to the chat.
    void keySaved(const QString &providerId);
    void skipRequested();

private:
    void fillProviders();
    void providerChanged();
    // With `thenSave`, a key that works is saved at once (Enter in the key field).
    void testConnection(bool thenSave);
    void save();
    void cancelTest();
    void setBusy(bool busy);
    enum class Outcome { Pending, Ok, Failed };
    void showResult(const QString &text, Outcome outcome);

    ConfigStore *m_config;
    SecretStore *m_secrets;
    QNetworkAccessManager *m_nam;
    QPointer<ProviderProbe> m_probe;
    bool m_busy = false;

    QLabel *m_problem;
    QComboBox *m_provider;
    QLabel *m_hint;
    QLineEdit *m_key;
    QPushButton *m_test;
    QLabel *m_result;
    QPushButton *m_save;
    QPushButton *m_skip;
    QLabel *m_storage;
};
