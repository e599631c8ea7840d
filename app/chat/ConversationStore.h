#pragma once

#include <QCoreApplication>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QSqlDatabase>
#include <QString>

#include <functional>
#include <optional>

class Database;

// A file given to a message: an image (its bytes go to a vision model) or a document (its text
// goes into the request).
struct ChatAttachment
{
    enum class Kind { Image, Document };
    Kind kind = Kind::Document;
    QString name;
    QByteArray mimeType;
    qint64 tokens = 0;      // estimated
    QString text;           // a document's text
    QByteArray data;        // an image's bytes
    bool loaded = true;     // false: read from the list without text or data (see attachmentPayload)
};

struct ConversationInfo
{
    QString id;
    QString title;
    bool renamed = false;
    bool pinned = false;
    qint64 createdMs = 0;
    qint64 updatedMs = 0;
    QString snippet;        // search results: the matching text around the hit
    QString matchMessage;   // search results: the first message that matched (empty: the title)
};

struct StoredMessage
{
    QString id;
    QString conversation;
    int seq = 0;
    QString role;           // user, assistant
    QString content;
    QString reasoning;
    QString status;         // done, streaming, stopped, error; "streaming" read back = interrupted
    QJsonObject meta;       // an answer's badge (AnswerInfo::toJson) or a user message's choices
    qint64 createdMs = 0;
    QList<ChatAttachment> attachments;
};

// The chat window's conversations in the profile's SQLite file. Reads run on the caller's thread
// over a connection of their own (WAL lets them run beside the writer); writes go through
// Database's worker, in order, so the GUI never waits on the disk. What a read returns may lag the
// writes queued just before it by a few milliseconds.
class ConversationStore : public QObject
{
    Q_OBJECT

public:
    explicit ConversationStore(Database *database, QObject *parent = nullptr);
    ~ConversationStore() override;

    // Opens the reading connection; call after Database::opened. False and *error on failure.
    bool open(QString *error);
    bool isOpen() const { return m_db.has_value(); }

    // Not deleted; pinned first, then the most recently updated.
    QList<ConversationInfo> conversations();
    // Conversations whose title or any message contains `text` (case-insensitive for ASCII), with a
    // snippet of the first hit; same order.
    QList<ConversationInfo> search(const QString &text);
    std::optional<ConversationInfo> conversation(const QString &id);
    // In order. An answer that was still streaming when the program stopped comes back with what
    // had been shown, its status still "streaming". Attachments come without their text or data.
    QList<StoredMessage> messages(const QString &conversation);
    QList<ChatAttachment> attachmentPayload(const QString &messageId);

    // Writes (queued):
    void saveConversation(const ConversationInfo &c);
    void rename(const QString &id, const QString &title);
    void setPinned(const QString &id, bool pinned);
    void touch(const QString &id, qint64 ms);
    void setDeleted(const QString &id, bool deleted);   // undoable until purgeDeleted()
    void purgeDeleted();
    // Inserts or replaces the message's row (its parts are folded in and dropped), and its
    // attachments when it has any that are loaded.
    void saveMessage(const StoredMessage &m);
    // Appends a piece of a streaming answer.
    void appendPart(const QString &messageId, int part, bool reasoning, const QString &text);
    // Deletes the conversation's messages from `seq` on (an edited prompt or a regenerated answer).
    void deleteFrom(const QString &conversation, int seq);

    static QString newId();

    // Writes queued here that have not landed yet: a read now would not see them.
    bool hasPendingWrites() const { return m_pending > 0; }
    // Runs `done` (on this thread) once every write queued so far has landed.
    void whenWritten(QObject *context, std::function<void()> done);

private:
    void write(std::function<bool(QSqlDatabase &, QString *)> job);

    Database *m_database;
    QString m_connection;
    std::optional<QSqlDatabase> m_db;
    int m_pending = 0;
};
