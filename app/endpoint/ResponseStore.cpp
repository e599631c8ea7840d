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
           && q.exec(QStringLiteral("CREATE INDEX IF NOT EXISTS responses_by_age ON responses(at_ms)"));
}

bool openDatabase(QSqlDatabase &db, QString *error)
{
    QSqlQuery q(db);
    const bool ok = db.open() && q.exec(QStringLiteral("PRAGMA journal_mode = WAL"))
                    && q.exec(QStringLiteral("PRAGMA synchronous = NORMAL")) && q.exec(QStringLiteral("PRAGMA busy_timeout = 5000"))
                    && createTables(q);
    if (!ok)
        *error = db.lastError().text() + q.lastError().text();
    return ok;
}

qint64 oldestKeptMs()
{
    return QDateTime::currentMSecsSinceEpoch() - qint64(ResponseStore::MaxAgeDays) * 86'400'000;
}

// Kept as compact JSON: compressing each answer cost the endpoint more than the whole translation
// did, and MaxTotalBytes bounds the file either way.
std::optional<QJsonDocument> parse(const QByteArray &json)
{
    QJsonParseError error {};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        return std::nullopt;
    return doc;
}

void prune(QSqlDatabase &db)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("DELETE FROM responses WHERE at_ms < ?"));
    q.addBindValue(oldestKeptMs());
    q.exec();
    q.exec(QStringLiteral("DELETE FROM responses WHERE rowid IN (SELECT rowid FROM responses ORDER BY at_ms DESC "
                          "LIMIT -1 OFFSET %1)").arg(ResponseStore::MaxEntries));
    // And no more than MaxTotalBytes, newest first.
    q.exec(QStringLiteral("DELETE FROM responses WHERE rowid IN (SELECT rowid FROM (SELECT rowid, SUM(bytes) "
                          "OVER (ORDER BY at_ms DESC, rowid DESC) AS running FROM responses) WHERE running > %1)")
               .arg(ResponseStore::MaxTotalBytes));
}

// One transaction for a batch; an empty string, or what went wrong.
QString writeBatch(QSqlDatabase &db, const QList<ResponseStore::Pending> &batch)
{
    db.transaction();
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO responses (client, id, conversation, bytes, at_ms) VALUES (?, ?, ?, ?, ?)"));
    bool ok = true;
    for (const ResponseStore::Pending &p : batch) {
        q.addBindValue(p.client);
        q.addBindValue(p.id);
        q.addBindValue(p.conversation);
        q.addBindValue(qint64(p.conversation.size()));
        q.addBindValue(p.atMs);
        ok = ok && q.exec();
    }
    if (!ok) {
        const QString error = q.lastError().text();
        db.rollback();
        return error;
    }
    db.commit();
    return {};
}

// The writing side, on its own thread when the store is a file: its connection, made there.
class Writer : public QObject
{
public:
    Writer(QString path, QString connection)
        : m_path(std::move(path))
        , m_connection(std::move(connection))
    {
    }

    // On the writer's thread.
    QString write(const QList<ResponseStore::Pending> &batch)
    {
        if (!m_db.isValid()) {
            m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
            m_db.setDatabaseName(m_path);
            QString error;
            if (!openDatabase(m_db, &error))
                return error;
        }
        const QString error = writeBatch(m_db, batch);
        m_since += int(batch.size());
        if (m_since >= 1024) {
            m_since = 0;
            prune(m_db);
        }
        return error;
    }

    // On the writer's thread, last.
    void close()
    {
        if (!m_db.isValid())
            return;
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connection);
    }

private:
    QString m_path;
    QString m_connection;
    QSqlDatabase m_db;
    int m_since = 0;
};

} // namespace

ResponseStore::ResponseStore(const QString &path)
    : m_connection(QStringLiteral("switchyard-responses-%1").arg(++connections))
    , m_path(path)
{
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    m_db.setDatabaseName(path.isEmpty() ? QStringLiteral(":memory:") : path);
    // Conversations are chat content: the file is its owner's alone from the moment it exists.
    PrivateFiles::prepareDatabase(path);
    if (!openDatabase(m_db, &m_error)) {
        // Still useful for this run: fall back to memory.
        m_db.close();
        m_db.setDatabaseName(QStringLiteral(":memory:"));
        QSqlQuery mem(m_db);
        if (m_db.open())
            createTables(mem);
    } else if (!path.isEmpty()) {
        m_persistent = true;
        prune(m_db);
        m_writer = new Writer(path, m_connection + QStringLiteral("-writer"));
        m_writer->moveToThread(&m_thread);
        QObject::connect(&m_thread, &QThread::finished, m_writer, &QObject::deleteLater);
        m_thread.setObjectName(QStringLiteral("switchyard-responses"));
        m_thread.start();
    }
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(FlushMs);
    QObject::connect(&m_flushTimer, &QTimer::timeout, &m_flushTimer, [this] { flush(); });
}

ResponseStore::~ResponseStore()
{
    flush();
    if (m_writer) {
        QMetaObject::invokeMethod(m_writer, [writer = static_cast<Writer *>(m_writer)] { writer->close(); });
        m_thread.quit();   // after the batches queued before it
        m_thread.wait();
    }
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connection);
}

bool ResponseStore::keep(const QString &client, const QString &id, const QByteArray &conversation)
{
    if (conversation.size() > MaxConversationBytes)
        return false;
    m_pendingBytes += conversation.size();
    m_pending.append({client, id, conversation, QDateTime::currentMSecsSinceEpoch()});
    if (m_pending.size() >= MaxPending || m_pendingBytes >= MaxPendingBytes)
        flush();
    else if (!m_flushTimer.isActive())
        m_flushTimer.start();
    return true;
}

void ResponseStore::flush()
{
    m_flushTimer.stop();
    if (m_pending.isEmpty())
        return;
    QList<Pending> batch = std::exchange(m_pending, {});
    m_pendingBytes = 0;
    if (!m_writer) {
        const QString error = writeBatch(m_db, batch);
        if (!error.isEmpty())
            m_error = error;
        if ((m_batches += int(batch.size())) >= 1024) {
            m_batches = 0;
            prune(m_db);
        }
        return;
    }
    // Found here until the writer has committed it.
    const int number = ++m_batches;
    m_writing.emplace_back(number, batch);
    QMetaObject::invokeMethod(m_writer, [this, writer = static_cast<Writer *>(m_writer), batch = std::move(batch), number] {
        const QString error = writer->write(batch);
        QMetaObject::invokeMethod(&m_flushTimer, [this, number, error] {
            if (!error.isEmpty())
                m_error = error;
            while (!m_writing.empty() && m_writing.front().first <= number)
                m_writing.pop_front();
        });
    });
}

void ResponseStore::waitForWrites()
{
    flush();
    if (!m_writer)
        return;
    QMetaObject::invokeMethod(m_writer, [] {}, Qt::BlockingQueuedConnection);
}

const ResponseStore::Pending *ResponseStore::waiting(const QString &client, const QString &id) const
{
    for (qsizetype i = m_pending.size() - 1; i >= 0; --i) {
        if (m_pending.at(i).id == id && m_pending.at(i).client == client)
            return &m_pending.at(i);
    }
    for (auto batch = m_writing.rbegin(); batch != m_writing.rend(); ++batch) {
        for (const Pending &p : batch->second) {
            if (p.id == id && p.client == client)
                return &p;
        }
    }
    return nullptr;
}

std::optional<QJsonArray> ResponseStore::conversation(const QString &client, const QString &id) const
{
    QByteArray json;
    if (const Pending *p = waiting(client, id)) {
        json = p->conversation;
    } else {
        QSqlQuery q(m_db);
        q.prepare(QStringLiteral("SELECT conversation FROM responses WHERE client = ? AND id = ? AND at_ms >= ?"));
        q.addBindValue(client);
        q.addBindValue(id);
        q.addBindValue(oldestKeptMs());
        if (!q.exec() || !q.next())
            return std::nullopt;
        json = q.value(0).toByteArray();
    }
    const std::optional<QJsonDocument> doc = parse(json);
    return doc && doc->isArray() ? std::optional(doc->array()) : std::nullopt;
}

std::optional<QJsonObject> ResponseStore::item(const QString &client, const QString &itemId) const
{
    // The door names an item after its response ("msg_<request>_<n>" in "resp_<request>"): no
    // index of items is kept, and an item lives as long as its response.
    const qsizetype start = itemId.indexOf(QLatin1Char('_'));
    const qsizetype end = itemId.lastIndexOf(QLatin1Char('_'));
    if (start < 0 || end <= start + 1)
        return std::nullopt;
    const QString responseId = QStringLiteral("resp_") + itemId.mid(start + 1, end - start - 1);
    if (m_lastConversation.first != client + QLatin1Char('/') + responseId) {
        const std::optional<QJsonArray> found = conversation(client, responseId);
        if (!found)
            return std::nullopt;
        m_lastConversation = {client + QLatin1Char('/') + responseId, *found};
    }
    // The output comes last: search from the end.
    const QJsonArray &items = m_lastConversation.second;
    for (qsizetype i = items.size() - 1; i >= 0; --i) {
        const QJsonObject item = items.at(i).toObject();
        if (item.value(QStringLiteral("id")).toString() == itemId)
            return item;
    }
    return std::nullopt;
}
