#include "ResponseStore.h"

#include "PrivateFiles.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <atomic>

namespace {

std::atomic_int connections {0};

bool createTables(QSqlQuery &q)
{
    return q.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS responses ("
                                 " client TEXT NOT NULL,"
                                 " id TEXT NOT NULL,"
                                 " conversation BLOB NOT NULL,"
                                 " bytes BIGINT NOT NULL,"
                                 " at_ms BIGINT NOT NULL,"
                                 " PRIMARY KEY (client, id))"))
           && q.exec(QStringLiteral("CREATE INDEX IF NOT EXISTS responses_by_age ON responses(at_ms)"))
           && q.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS response_items ("
                                    " client TEXT NOT NULL,"
                                    " id TEXT NOT NULL,"
                                    " response_id TEXT NOT NULL,"
                                    " item BLOB NOT NULL,"
                                    " PRIMARY KEY (client, id))"))
           && q.exec(QStringLiteral("CREATE INDEX IF NOT EXISTS response_items_by_response ON response_items(client, response_id)"));
}

qint64 oldestKeptMs()
{
    return QDateTime::currentMSecsSinceEpoch() - qint64(ResponseStore::MaxAgeDays) * 86'400'000;
}

QByteArray pack(const QByteArray &json)
{
    return qCompress(json, 3);
}

std::optional<QJsonDocument> unpack(const QByteArray &blob)
{
    QJsonParseError error {};
    const QJsonDocument doc = QJsonDocument::fromJson(qUncompress(blob), &error);
    if (error.error != QJsonParseError::NoError)
        return std::nullopt;
    return doc;
}

} // namespace

ResponseStore::ResponseStore(const QString &path)
    : m_connection(QStringLiteral("switchyard-responses-%1").arg(++connections))
{
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    m_db.setDatabaseName(path.isEmpty() ? QStringLiteral(":memory:") : path);
    // Conversations are chat content: the file is its owner's alone from the moment it exists.
    PrivateFiles::prepareDatabase(path);
    bool ok = m_db.open();
    QSqlQuery q(m_db);
    ok = ok && q.exec(QStringLiteral("PRAGMA journal_mode = WAL")) && q.exec(QStringLiteral("PRAGMA synchronous = NORMAL"))
         && createTables(q);
    if (!ok) {
        m_error = m_db.lastError().text() + q.lastError().text();
        // Still useful for this run: fall back to memory.
        m_db.close();
        m_db.setDatabaseName(QStringLiteral(":memory:"));
        QSqlQuery mem(m_db);
        if (m_db.open())
            createTables(mem);
        return;
    }
    m_persistent = !path.isEmpty();
    prune();
}

ResponseStore::~ResponseStore()
{
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connection);
}

bool ResponseStore::keep(const QString &client, const QString &id, const QJsonArray &conversation, const QJsonArray &output)
{
    const QByteArray json = QJsonDocument(conversation).toJson(QJsonDocument::Compact);
    if (json.size() > MaxConversationBytes)
        return false;
    const QByteArray blob = pack(json);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_db.transaction();
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO responses (client, id, conversation, bytes, at_ms) VALUES (?, ?, ?, ?, ?)"));
    q.addBindValue(client);
    q.addBindValue(id);
    q.addBindValue(blob);
    q.addBindValue(qint64(blob.size()));
    q.addBindValue(now);
    bool ok = q.exec();
    QSqlQuery items(m_db);
    items.prepare(QStringLiteral("INSERT OR REPLACE INTO response_items (client, id, response_id, item) VALUES (?, ?, ?, ?)"));
    for (qsizetype i = 0; ok && i < output.size(); ++i) {
        const QJsonObject item = output.at(i).toObject();
        const QString itemId = item.value(QStringLiteral("id")).toString();
        if (itemId.isEmpty())
            continue;
        items.addBindValue(client);
        items.addBindValue(itemId);
        items.addBindValue(id);
        items.addBindValue(pack(QJsonDocument(item).toJson(QJsonDocument::Compact)));
        ok = items.exec();
    }
    if (!ok) {
        m_error = q.lastError().text() + items.lastError().text();
        m_db.rollback();
        return false;
    }
    m_db.commit();
    m_bytesSinceTrim += blob.size();
    if (++m_sinceTrim >= 256 || m_bytesSinceTrim >= MaxTotalBytes / 16)
        prune();
    return true;
}

std::optional<QJsonArray> ResponseStore::conversation(const QString &client, const QString &id)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT conversation FROM responses WHERE client = ? AND id = ? AND at_ms >= ?"));
    q.addBindValue(client);
    q.addBindValue(id);
    q.addBindValue(oldestKeptMs());
    if (!q.exec() || !q.next())
        return std::nullopt;
    const std::optional<QJsonDocument> doc = unpack(q.value(0).toByteArray());
    if (!doc || !doc->isArray())
        return std::nullopt;
    return doc->array();
}

std::optional<QJsonObject> ResponseStore::item(const QString &client, const QString &itemId)
{
    QSqlQuery q(m_db);
    // Only while its response is kept: an item outlives nothing it came with.
    q.prepare(QStringLiteral("SELECT i.item FROM response_items i JOIN responses r ON r.client = i.client AND r.id = i.response_id "
                             "WHERE i.client = ? AND i.id = ? AND r.at_ms >= ?"));
    q.addBindValue(client);
    q.addBindValue(itemId);
    q.addBindValue(oldestKeptMs());
    if (!q.exec() || !q.next())
        return std::nullopt;
    const std::optional<QJsonDocument> doc = unpack(q.value(0).toByteArray());
    if (!doc || !doc->isObject())
        return std::nullopt;
    return doc->object();
}

void ResponseStore::prune()
{
    m_sinceTrim = 0;
    m_bytesSinceTrim = 0;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("DELETE FROM responses WHERE at_ms < ?"));
    q.addBindValue(oldestKeptMs());
    q.exec();
    q.exec(QStringLiteral("DELETE FROM responses WHERE rowid IN (SELECT rowid FROM responses ORDER BY at_ms DESC "
                          "LIMIT -1 OFFSET %1)").arg(MaxEntries));
    // And no more than MaxTotalBytes, newest first.
    q.exec(QStringLiteral("DELETE FROM responses WHERE rowid IN (SELECT rowid FROM (SELECT rowid, SUM(bytes) "
                          "OVER (ORDER BY at_ms DESC, rowid DESC) AS running FROM responses) WHERE running > %1)")
               .arg(MaxTotalBytes));
    q.exec(QStringLiteral("DELETE FROM response_items WHERE NOT EXISTS (SELECT 1 FROM responses r "
                          "WHERE r.client = response_items.client AND r.id = response_items.response_id)"));
}
