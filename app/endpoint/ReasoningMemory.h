#pragma once

#include "ChatRequest.h"

#include <QSqlDatabase>
#include <QString>

// The reasoning of answers the endpoint served, so that a client's history can carry it again.
// DeepSeek and Kimi thinking models refuse a follow-up whose earlier assistant turn lacks its
// reasoning_content ("must be passed back"), and most clients drop that field. Kept per endpoint
// key, in the profile (a SQLite file only its owner can read), for MaxAgeDays and at most
// MaxEntries answers; with no path, in memory only.
class ReasoningMemory
{
public:
    explicit ReasoningMemory(const QString &path = QString());
    ~ReasoningMemory();
    ReasoningMemory(const ReasoningMemory &) = delete;
    ReasoningMemory &operator=(const ReasoningMemory &) = delete;

    static constexpr int MaxEntries = 20'000;
    static constexpr int MaxAgeDays = 7;
    static constexpr qsizetype MaxReasoningChars = 1 << 20;   // a longer one is not kept

    static constexpr qint64 MaxTotalChars = 64 << 20;         // all kept reasoning together

    // What identifies an assistant turn: the user message it answered, its tool calls (ids, names
    // and arguments) and its text. Empty: nothing to go by (no calls with ids and no text).
    static QByteArray keyOf(const QString &question, const QJsonArray &toolCalls, const QString &content);

    void remember(const QString &client, const QByteArray &key, const QString &reasoning);
    QString recall(const QString &client, const QByteArray &key);
    // The user message the answer to `request` answers: its last one.
    static QString questionOf(const QList<ChatMessage> &messages, qsizetype before = -1);
    // Fills in the reasoning of `request`'s assistant turns that came without it. Returns how many.
    int restore(const QString &client, ChatRequest &request);
    bool isPersistent() const { return m_persistent; }
    QString lastError() const { return m_error; }

private:
    void prune();

    QString m_connection;
    QSqlDatabase m_db;
    bool m_persistent = false;
    int m_sinceTrim = 0;
    qint64 m_charsSinceTrim = 0;
    QString m_error;
};
