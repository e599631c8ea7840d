#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QString>
#include <QThread>
#include <QTimer>

#include <deque>
#include <optional>

// The responses the Responses door served, so that a follow-up can name one (previous_response_id)
// or one of its output items (an `item_reference`, as the AI SDK sends by default) instead of
// sending the conversation again. Each response keeps its whole conversation as Responses input
// items (the earlier conversation, the request's input and the answer's output; never the
// instructions, which OpenAI does not carry over either), as JSON, per endpoint key: one key's
// responses are not found with another's. Kept in the profile (a SQLite file only its owner can
// read) for MaxAgeDays, at most MaxEntries responses and MaxTotalBytes; a conversation larger than
// MaxConversationBytes is not kept. With no path, in memory only.
//
// A response is found at once, but written with others in one transaction FlushMs later (or when
// MaxPending responses or MaxPendingBytes wait), by a thread of its own when kept in a file: a
// commit per answer on the event loop cost the endpoint more than the whole translation
// (bench_endpoint). Reads stay on the caller's thread (SQLite's WAL lets them run beside the writes).
class ResponseStore
{
public:
    explicit ResponseStore(const QString &path = QString());
    ~ResponseStore();
    ResponseStore(const ResponseStore &) = delete;
    ResponseStore &operator=(const ResponseStore &) = delete;

    static constexpr int MaxEntries = 10'000;
    static constexpr int MaxAgeDays = 30;
    static constexpr qint64 MaxConversationBytes = 16 << 20;   // as JSON
    static constexpr qint64 MaxTotalBytes = 256 << 20;         // all kept conversations
    static constexpr int FlushMs = 500;
    static constexpr int MaxPending = 256;
    static constexpr qint64 MaxPendingBytes = 8 << 20;

    // Keeps response `id`: its whole conversation, a JSON array. False when it is too large to keep.
    bool keep(const QString &client, const QString &id, const QByteArray &conversation);
    // Response `id`'s conversation, if `client` was served it and it is still kept.
    std::optional<QJsonArray> conversation(const QString &client, const QString &id) const;
    // An output item of a response `client` was served, by the item's id: msg_…, fc_… or rs_…
    // followed by the response's own id and "_<n>", as the Responses door names them.
    std::optional<QJsonObject> item(const QString &client, const QString &itemId) const;
    // Starts writing what waits; keep() sees to it by itself.
    void flush();
    // Until everything kept so far is in the file (tests; the destructor).
    void waitForWrites();

    bool isPersistent() const { return m_persistent; }
    QString lastError() const { return m_error; }

    struct Pending
    {
        QString client;
        QString id;
        QByteArray conversation;   // JSON
        qint64 atMs = 0;
    };

private:
    const Pending *waiting(const QString &client, const QString &id) const;

    QString m_connection;
    QString m_path;
    QSqlDatabase m_db;            // reads (and, in memory, writes)
    bool m_persistent = false;
    QList<Pending> m_pending;     // not yet handed to the writer
    qint64 m_pendingBytes = 0;
    std::deque<std::pair<int, QList<Pending>>> m_writing;   // handed over, not yet committed
    int m_batches = 0;
    QTimer m_flushTimer;
    QThread m_thread;
    QObject *m_writer = nullptr;  // lives in m_thread; owns the writing connection
    mutable std::pair<QString, QJsonArray> m_lastConversation;   // item() looks up a response's items in turn
    QString m_error;
};
