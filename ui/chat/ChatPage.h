#pragma once

#include "ChatTurn.h"
#include "ConversationStore.h"
#include "ProviderHealth.h"

#include <QKeySequence>
#include <QPointer>
#include <QTimer>
#include <QWidget>

#include <memory>

class AppSettings;
class ChatTurn;
class Composer;
class ConfigStore;
class ConversationView;
class Database;
class ElidedLabel;
class EmptyState;
class FirstRunPanel;
class KeyStatus;
class Ledger;
class MessageWidget;
class QLabel;
class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QNetworkAccessManager;
class QPushButton;
class QStackedWidget;
class SecretStore;

// The chat: conversations on the left (search, pinned first, rename, delete with undo), the
// conversation in the middle, the composer below. Each answer is routed by config.yaml's rules or
// the chosen model, streams in as it arrives (laid out at most once a frame), is saved as it
// streams and lands in the ledger as client "window".
class ChatPage : public QWidget
{
    Q_OBJECT

public:
    ChatPage(ConfigStore *config, SecretStore *secrets, KeyStatus *keys, AppSettings *settings,
             QNetworkAccessManager *nam, QWidget *parent = nullptr);
    ~ChatPage() override;

    // The profile's database (conversations) and ledger; the conversations appear once it is open.
    void setStorage(Database *database, Ledger *ledger);
    void setTimeouts(const CallTimeouts &timeouts) { m_timeouts = timeouts; }
    ConversationStore *store() const { return m_store.get(); }

    QString currentConversation() const { return m_conversation.id; }
    QList<StoredMessage> messages() const { return m_messages; }
    bool isStreaming() const { return m_turn != nullptr; }
    void newConversation();
    void openConversation(const QString &id, const QString &revealMessage = {});
    void addFiles(const QStringList &paths);
    void addImage(const QImage &image, const QString &name = {});
    void deleteConversation(const QString &id);
    void setPinned(const QString &id, bool pinned);
    // The chat's keys and what each does, for Help → Keyboard Shortcuts.
    QList<QPair<QKeySequence, QString>> shortcuts() const;
    // Puts the cursor in the message field (Ctrl+L; and whenever the chat becomes the current page).
    void focusComposer();

signals:
    // `providerId` empty: Settings as it was; else that provider's page (a missing or refused key).
    void openSettingsRequested(const QString &providerId = QString());
    void answerFinished(const QString &messageId);
    void conversationsChanged();

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void updateState();
    void firstKeySaved(const QString &providerId);
    // The chat after the first key: focus in the composer, a first prompt suggested.
    void startFirstChat(const QString &providerId);
    void storageOpened();
    void openNow(const QString &id, const QString &revealMessage);
    void updateBusyStatus();
    void reloadList();
    // Once the writes queued so far have landed.
    void reloadListAfterWrites();
    void send();
    void stop();
    void regenerate(const QString &messageId, const QString &model);
    void continueAnswer(const QString &messageId);
    void edit(const QString &messageId);
    void cancelEdit();
    void showRefusal(const QString &text);
    ChatRequest buildRequest(const QList<StoredMessage> &history);
    QList<ChatAttachment> payload(const StoredMessage &m);
    ChatTurn *makeTurn(const ChatRequest &request, const QString &model, const QString &task);
    void beginAnswer(ChatTurn *turn, const StoredMessage &message, bool continuing);
    void frame();
    void onTurnFinished(const AnswerInfo &info);
    void updateEstimate();
    void undoDelete();
    void renameFromItem(QListWidgetItem *item);
    void showListMenu(const QPoint &pos);
    int indexOf(const QString &messageId) const;
    void setTitle(const QString &title);

    ConfigStore *m_config;
    SecretStore *m_secrets;
    KeyStatus *m_keys;
    AppSettings *m_settings;
    QNetworkAccessManager *m_nam;
    Database *m_database = nullptr;
    Ledger *m_ledger = nullptr;
    std::unique_ptr<ConversationStore> m_store;
    QString m_storageProblem;
    ProviderHealth m_health;
    CallTimeouts m_timeouts;

    QStackedWidget *m_stack;
    EmptyState *m_state;
    FirstRunPanel *m_firstRun;
    bool m_firstRunSkipped = false;
    QString m_firstKeyProvider;   // set from the first key's save until the chat shows
    QWidget *m_chatArea;
    QLineEdit *m_search;
    QPushButton *m_new;
    QListWidget *m_list;
    QWidget *m_undoBar;
    QLabel *m_undoText;
    ElidedLabel *m_title;   // a long title must not widen the page
    ConversationView *m_view;
    Composer *m_composer;

    ConversationInfo m_conversation;   // id empty: a new conversation not saved yet
    QList<StoredMessage> m_messages;
    QHash<QString, QList<ChatAttachment>> m_payloads;
    QString m_editingId;
    QString m_deletedId;
    QTimer m_undoTimer;
    QTimer m_searchTimer;
    QTimer m_estimateTimer;
    int m_loading = 0;

    // The answer being streamed.
    QPointer<ChatTurn> m_turn;
    StoredMessage m_streaming;
    QPointer<MessageWidget> m_streamWidget;
    QString m_pendingContent;
    QString m_pendingReasoning;
    int m_part = 0;
    QTimer m_frame;
    bool m_fillingList = false;
    quint64 m_reloadGeneration = 0;
    QString m_openAfterReload;
    QList<QPair<QKeySequence, QString>> m_shortcuts;       // window-wide
    QList<QPair<QKeySequence, QString>> m_listShortcuts;   // in the conversation list
};
