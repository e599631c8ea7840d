#include "ReasoningMemory.h"

#include "PrivateFiles.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>

#include <atomic>

namespace {

std::atomic_int connections {0};

bool createTable(QSqlQuery &q)
{
    return q.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS reasoning ("
                                 " client TEXT NOT NULL,"
                                 " key BLOB NOT NULL,"
                                 " reasoning TEXT NOT NULL,"
                                 " at_ms BIGINT NOT NULL,"
                                 " PRIMARY KEY (client, key))"))
           && q.exec(QStringLiteral("CREATE INDEX IF NOT EXISTS reasoning_by_age ON reasoning(at_ms)"));
}

// Older than this, an answer is forgotten.
qint64 oldestKeptMs()
{
    return QDateTime::currentMSecsSinceEpoch() - qint64(ReasoningMemory::MaxAgeDays) * 86'400'000;
}

} // namespace

ReasoningMemory::ReasoningMemory(const QString &path)
    : m_connection(QStringLiteral("switchyard-reasoning-%1").arg(++connections))
{
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    m_db.setDatabaseName(path.isEmpty() ? QStringLiteral(":memory:") : path);
    // Reasoning is chat content: the file (and so its -wal and -shm) is its owner's alone from the
    // moment it exists, and one an older version left readable by others is tightened.
    PrivateFiles::prepareDatabase(path);
    bool ok = m_db.open();
    QSqlQuery q(m_db);
    ok = ok && q.exec(QStringLiteral("PRAGMA journal_mode = WAL")) && q.exec(QStringLiteral("PRAGMA synchronous = NORMAL"))
         && createTable(q);
    if (!ok) {
        m_error = m_db.lastError().text() + q.lastError().text();
        // Still useful for this run: fall back to memory.
        m_db.close();
        m_db.setDatabaseName(QStringLiteral(":memory:"));
        QSqlQuery mem(m_db);
        if (m_db.open())
            createTable(mem);
        return;
    }
    m_persistent = !path.isEmpty();
    prune();
}

ReasoningMemory::~ReasoningMemory()
{
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connection);
}

QByteArray ReasoningMemory::keyOf(const QString &question, const QJsonArray &toolCalls, const QString &content)
{
    // Tool call ids alone repeat across conversations with some providers (Kimi's functions.f:0),
    // and short answers ("OK") repeat everywhere: the question and every part of the turn count.
    QCryptographicHash hash(QCryptographicHash::Sha256);
    const auto add = [&hash](const QString &part) {
        const QByteArray utf8 = part.toUtf8();
        hash.addData(QByteArray(QByteArray::number(utf8.size()) + ':'));
        hash.addData(utf8);
    };
    for (const QJsonValue &v : toolCalls) {
        const QJsonObject call = v.toObject();
        const QJsonObject function = call.value(QStringLiteral("function")).toObject();
        if (call.value(QStringLiteral("id")).toString().isEmpty())
            return {};
        add(call.value(QStringLiteral("id")).toString());
        add(function.value(QStringLiteral("name")).toString());
        add(function.value(QStringLiteral("arguments")).toString());
    }
    if (toolCalls.isEmpty() && content.trimmed().isEmpty())
        return {};
    add(question.trimmed());
    add(content.trimmed());
    return hash.result();
}

QString ReasoningMemory::questionOf(const QList<ChatMessage> &messages, qsizetype before)
{
    for (qsizetype i = (before < 0 ? messages.size() : before) - 1; i >= 0; --i) {
        if (messages.at(i).role == u"user")
            return messages.at(i).content;
    }
    return {};
}

void ReasoningMemory::remember(const QString &client, const QByteArray &key, const QString &reasoning)
{
    if (key.isEmpty() || reasoning.isEmpty() || reasoning.size() > MaxReasoningChars)
        return;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO reasoning (client, key, reasoning, at_ms) VALUES (?, ?, ?, ?)"));
    q.addBindValue(client);
    q.addBindValue(key);
    q.addBindValue(reasoning);
    q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    if (!q.exec())
        m_error = q.lastError().text();
    m_charsSinceTrim += reasoning.size();
    if (++m_sinceTrim >= 256 || m_charsSinceTrim >= MaxTotalChars / 16)
        prune();
}

QString ReasoningMemory::recall(const QString &client, const QByteArray &key)
{
    if (key.isEmpty())
        return {};
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT reasoning FROM reasoning WHERE client = ? AND key = ? AND at_ms >= ?"));
    q.addBindValue(client);
    q.addBindValue(key);
    q.addBindValue(oldestKeptMs());
    if (!q.exec() || !q.next())
        return {};
    return q.value(0).toString();
}

int ReasoningMemory::restore(const QString &client, ChatRequest &request)
{
    int restored = 0;
    for (qsizetype i = 0; i < request.messages.size(); ++i) {
        ChatMessage &m = request.messages[i];
        if (m.role != u"assistant" || !m.reasoning.isEmpty())
            continue;
        m.reasoning = recall(client, keyOf(questionOf(request.messages, i), m.toolCalls, m.content));
        restored += !m.reasoning.isEmpty();
    }
    return restored;
}

void ReasoningMemory::prune()
{
    m_sinceTrim = 0;
    m_charsSinceTrim = 0;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("DELETE FROM reasoning WHERE at_ms < ?"));
    q.addBindValue(oldestKeptMs());
    q.exec();
    q.exec(QStringLiteral("DELETE FROM reasoning WHERE rowid IN (SELECT rowid FROM reasoning ORDER BY at_ms DESC "
                          "LIMIT -1 OFFSET %1)").arg(MaxEntries));
    // And no more text than MaxTotalChars, newest first.
    q.exec(QStringLiteral("DELETE FROM reasoning WHERE rowid IN (SELECT rowid FROM (SELECT rowid, SUM(length(reasoning)) "
                          "OVER (ORDER BY at_ms DESC, rowid DESC) AS running FROM reasoning) WHERE running > %1)")
               .arg(MaxTotalChars));
}
