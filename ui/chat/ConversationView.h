#pragma once

#include "ConversationStore.h"

#include <QSet>
#include <QScrollArea>

class MessageWidget;
class QLabel;
class QPushButton;
class QVBoxLayout;

// The messages of one conversation, newest at the bottom. Only the last PageSize messages get
// widgets at first; "Show earlier messages" (or scrolling to the top) adds the next page, so a
// long conversation opens as fast as a short one. Sticks to the bottom while an answer streams,
// unless the user has scrolled up.
class ConversationView : public QScrollArea
{
    Q_OBJECT

public:
    static constexpr int PageSize = 40;
    static constexpr int MaxWidgets = 2 * PageSize;

    explicit ConversationView(QWidget *parent = nullptr);

    void setMessages(const QList<StoredMessage> &messages);
    MessageWidget *appendMessage(const StoredMessage &message);
    // Removes the message with this id and every one after it.
    void removeFrom(const QString &id);
    MessageWidget *widgetFor(const QString &id) const;
    QList<MessageWidget *> messageWidgets() const;
    // Makes sure the message has a widget (loading earlier pages) and scrolls to it.
    void reveal(const QString &id);
    void showEarlier();
    int hiddenCount() const { return int(m_hidden.size()); }
    void setModels(const QStringList &models, const QSet<QString> &keyless = {});
    void setActionsEnabled(bool enabled);
    void setPlaceholder(const QString &title, const QString &body);
    void scrollToBottom();

signals:
    void regenerateRequested(const QString &messageId, const QString &model);
    void continueRequested(const QString &messageId);
    void editRequested(const QString &messageId);
    // `providerId` empty: Settings as it was; else that provider's page (a missing or refused key).
    void openSettingsRequested(const QString &providerId = QString());

private:
    MessageWidget *makeWidget(const StoredMessage &message);
    void updateEarlierButton();
    void updateLast();

    QWidget *m_content;
    QVBoxLayout *m_layout;        // [earlier button][messages…][stretch]
    QPushButton *m_earlier;
    QLabel *m_placeholder;
    QList<StoredMessage> m_hidden;   // older messages without a widget yet
    QStringList m_models;
    QSet<QString> m_keylessModels;
    bool m_stick = true;
    bool m_adjusting = false;
    int m_keepFromBottom = -1;
    bool m_actionsEnabled = true;
};
