#pragma once

#include <QWidget>

#include <functional>

class AppSettings;
class Gateway;
class GatewayKeys;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;

// Settings → Endpoint: the local OpenAI-compatible endpoint while the window is open. Turns it on
// and off (remembered), says where it listens (and warns when that is not this machine only),
// shows, copies and regenerates its key, keeps extra named keys so the ledger can tell the team's
// scripts apart, and gives a curl line to try it.
class EndpointPage : public QWidget
{
    Q_OBJECT

public:
    EndpointPage(Gateway *gateway, GatewayKeys *keys, AppSettings *settings, QWidget *parent = nullptr);

    // Starts the endpoint when it was left on; call once the window is up.
    void startIfEnabled();
    // Ready-to-paste setups, one per door and client (Settings → Endpoint → "Use it from").
    enum class Snippet { Curl, OpenAiSdk, Responses, ClaudeCode, AnthropicSdk, CodexCli, AiSdk, Embeddings };
    // The snippet for the endpoint at `url` (…/v1), with `key` in it.
    static QString snippet(Snippet which, const QString &url, const QString &key);
    // What the snippet is for, in a sentence.
    static QString snippetNote(Snippet which);

    // Asks before something that cannot be undone; tests replace it.
    std::function<bool(const QString &question)> confirm;

private:
    void setEnabled(bool on);
    void start();
    void applyListen();
    void updateState();
    void updateClients();
    void regenerate();
    void addClient();
    void removeClient();
    void showProblem(const QString &message);

    Gateway *m_gateway;
    GatewayKeys *m_keys;
    AppSettings *m_settings;
    QString m_problem;
    int m_served = 0;
    bool m_keyVisible = false;

    QCheckBox *m_enabled;
    QLineEdit *m_listen;
    QPushButton *m_applyListen;
    QLabel *m_exposure;
    QLabel *m_status;
    QLineEdit *m_key;
    QPushButton *m_showKey;
    QPushButton *m_copyKey;
    QPushButton *m_regenerate;
    QLabel *m_keySource;
    QString currentUrl() const;
    QComboBox *m_snippetKind;
    QLabel *m_snippetNote;
    QPlainTextEdit *m_example;
    QPushButton *m_copyExample;
    QTableWidget *m_clients;
    QLineEdit *m_clientName;
    QPushButton *m_addClient;
    QPushButton *m_removeClient;
    QPushButton *m_copyClient;
};
