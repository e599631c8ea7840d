#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QString>

#include <optional>

// The responses the Responses door served, so that a follow-up can name one (previous_response_id)
// or one of its output items (an `item_reference`, as the AI SDK sends by default) instead of
// sending the conversation again. Each response keeps its whole conversation as Responses input
// items (the earlier conversation, the request's input and the answer's output; never the
// instructions, which OpenAI does not carry over either), compressed, per endpoint key: one key's
// responses are not found with another's. Kept in the profile (a SQLite file only its owner can
// read) for MaxAgeDays, at most MaxEntries responses and MaxTotalBytes; a conversation larger than
// MaxConversationBytes is not kept. With no path, in memory only.
class ResponseStore
{
public:
    explicit ResponseStore(const QString &path = QString());
    ~ResponseStore();
    ResponseStore(const ResponseStore &) = delete;
    ResponseStore &operator=(const ResponseStore &) = delete;

    static constexpr int MaxEntries = 10'000;
    static constexpr int MaxAgeDays = 30;
    static constexpr qint64 MaxConversationBytes = 16 << 20;   // as JSON, before compression
    static constexpr qint64 MaxTotalBytes = 256 << 20;         // all kept conversations, compressed

    // Keeps response `id`: its whole conversation, and its output items by their ids. False when it
    // was not kept (too large, or the database refused it; lastError() says why).
    bool keep(const QString &client, const QString &id, const QJsonArray &conversation, const QJsonArray &output);
    // Response `id`'s conversation, if `client` was served it and it is still kept.
    std::optional<QJsonArray> conversation(const QString &client, const QString &id);
    // An output item of a response `client` was served, by the item's id (msg_…, fc_…, rs_…).
    std::optional<QJsonObject> item(const QString &client, const QString &itemId);

    bool isPersistent() const { return m_persistent; }
    QString lastError() const { return m_error; }

private:
    void prune();

    QString m_connection;
    QSqlDatabase m_db;
    bool m_persistent = false;
    int m_sinceTrim = 0;
    qint64 m_bytesSinceTrim = 0;
    QString m_error;
};
