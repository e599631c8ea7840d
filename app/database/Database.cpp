#include "Database.h"

#include "Platform.h"
#include "PrivateFiles.h"

#include <QDateTime>
#include <QFileInfo>
#include <QPointer>
#include <QSqlError>
#include <QSqlQuery>

#include <atomic>

QList<Database::Migration> Database::migrations()
{
    // Append only: a released migration never changes.
    return {
        {1,
         {QStringLiteral("CREATE TABLE schema_history ("
                         " version INTEGER PRIMARY KEY,"
                         " applied_at TEXT NOT NULL)")}},
        // The cost ledger: one row per attempt. Plain SQL that PostgreSQL also takes.
        {2,
         {// id is time_ms × 1024 plus a count of rows in the same millisecond, so the table itself
          // is kept in time order: a period is a range of it and needs no index of its own.
          // (INTEGER PRIMARY KEY is SQLite's rowid, 64-bit; PostgreSQL would say BIGINT.)
          QStringLiteral("CREATE TABLE ledger ("
                         " id INTEGER PRIMARY KEY,"
                         " time_ms BIGINT NOT NULL,"          // UTC, milliseconds since the epoch
                         " day INTEGER NOT NULL,"             // the local calendar day, days since 1970-01-01
                         " request_id TEXT NOT NULL,"
                         " attempt INTEGER NOT NULL,"
                         " client TEXT NOT NULL,"
                         " task_type TEXT NOT NULL,"
                         " rule TEXT NOT NULL,"
                         " model TEXT NOT NULL,"
                         " provider TEXT NOT NULL,"
                         " provider_model TEXT NOT NULL,"
                         " status TEXT NOT NULL,"
                         " http_status INTEGER NOT NULL,"
                         " prompt_tokens BIGINT,"
                         " cached_tokens BIGINT,"
                         " completion_tokens BIGINT,"
                         " reasoning_tokens BIGINT,"
                         " cost_micros BIGINT,"
                         " currency TEXT NOT NULL,"
                         " cost_estimated INTEGER NOT NULL,"
                         " latency_ms BIGINT,"
                         " ttft_ms BIGINT,"
                         " conversation TEXT NOT NULL,"
                         " estimated_input_tokens BIGINT,"
                         " price_as_of TEXT NOT NULL)"),
          // Totals per local day, kept in the same transaction as the rows they sum, so the
          // dashboard reads a few thousand rows instead of millions and always agrees with them.
          // The key's order (day, model, currency, …) is the dashboard's GROUP BY order.
          QStringLiteral("CREATE TABLE ledger_daily ("
                         " day INTEGER NOT NULL,"
                         " model TEXT NOT NULL,"
                         " currency TEXT NOT NULL,"
                         " provider TEXT NOT NULL,"
                         " task_type TEXT NOT NULL,"
                         " client TEXT NOT NULL,"
                         " attempts BIGINT NOT NULL,"
                         " retries BIGINT NOT NULL,"          // attempts after the first of a request
                         " errors BIGINT NOT NULL,"
                         " estimated BIGINT NOT NULL,"        // attempts whose tokens were estimated
                         " unpriced BIGINT NOT NULL,"         // attempts with no price for their model
                         " cost_micros BIGINT NOT NULL,"
                         " prompt_tokens BIGINT NOT NULL,"
                         " cached_tokens BIGINT NOT NULL,"
                         " completion_tokens BIGINT NOT NULL,"
                         " reasoning_tokens BIGINT NOT NULL,"
                         " PRIMARY KEY (day, model, currency, provider, task_type, client))"),
          // Attempts under way; what is left here at start-up was interrupted.
          QStringLiteral("CREATE TABLE ledger_open ("
                         " request_id TEXT NOT NULL,"
                         " attempt INTEGER NOT NULL,"
                         " time_ms BIGINT NOT NULL,"
                         " client TEXT NOT NULL,"
                         " task_type TEXT NOT NULL,"
                         " rule TEXT NOT NULL,"
                         " model TEXT NOT NULL,"
                         " provider TEXT NOT NULL,"
                         " provider_model TEXT NOT NULL,"
                         " conversation TEXT NOT NULL,"
                         " estimated_input_tokens BIGINT,"
                         " PRIMARY KEY (request_id, attempt))")}},
        // The chat window's conversations (ConversationStore).
        {3,
         {QStringLiteral("CREATE TABLE conversations ("
                         " id TEXT PRIMARY KEY,"
                         " title TEXT NOT NULL,"
                         " renamed INTEGER NOT NULL DEFAULT 0,"   // the title was set by hand
                         " pinned INTEGER NOT NULL DEFAULT 0,"
                         " created_ms BIGINT NOT NULL,"
                         " updated_ms BIGINT NOT NULL,"
                         " deleted_ms BIGINT)"),                  // deleted, still undoable
          QStringLiteral("CREATE TABLE messages ("
                         " id TEXT PRIMARY KEY,"
                         " conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,"
                         " seq INTEGER NOT NULL,"
                         " role TEXT NOT NULL,"
                         " content TEXT NOT NULL,"
                         " reasoning TEXT NOT NULL,"
                         " status TEXT NOT NULL,"                  // done, streaming, stopped, error
                         " meta TEXT NOT NULL,"                    // JSON: the answer's badge or error
                         " created_ms BIGINT NOT NULL)"),
          QStringLiteral("CREATE INDEX messages_by_conversation ON messages(conversation_id, seq)"),
          // What a streaming answer has shown so far, appended frame by frame and folded into
          // messages.content when it ends, so a crash loses nothing already on screen.
          QStringLiteral("CREATE TABLE message_parts ("
                         " message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,"
                         " part INTEGER NOT NULL,"
                         " reasoning INTEGER NOT NULL,"
                         " text TEXT NOT NULL,"
                         " PRIMARY KEY (message_id, part))"),
          QStringLiteral("CREATE TABLE attachments ("
                         " message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,"
                         " position INTEGER NOT NULL,"
                         " kind TEXT NOT NULL,"                    // image, document
                         " name TEXT NOT NULL,"
                         " mime TEXT NOT NULL,"
                         " tokens BIGINT NOT NULL,"
                         " text TEXT NOT NULL,"                    // a document's text
                         " data BLOB,"                             // an image's bytes
                         " PRIMARY KEY (message_id, position))")}},
        // What a provider could not take of a client's request, and the time Switchyard itself took.
        {4,
         {QStringLiteral("ALTER TABLE ledger ADD COLUMN dropped TEXT NOT NULL DEFAULT ''"),
          QStringLiteral("ALTER TABLE ledger ADD COLUMN overhead_us BIGINT")}},
        // Which of the endpoint's doors a call came through (chat, responses, messages, embeddings);
        // the per-day totals get it in their key, so the dashboard can filter by it. Older rows were chat.
        {5,
         {QStringLiteral("ALTER TABLE ledger ADD COLUMN api TEXT NOT NULL DEFAULT 'chat'"),
          QStringLiteral("ALTER TABLE ledger_open ADD COLUMN api TEXT NOT NULL DEFAULT 'chat'"),
          QStringLiteral("CREATE TABLE ledger_daily_5 ("
                         " day INTEGER NOT NULL,"
                         " model TEXT NOT NULL,"
                         " currency TEXT NOT NULL,"
                         " provider TEXT NOT NULL,"
                         " task_type TEXT NOT NULL,"
                         " client TEXT NOT NULL,"
                         " api TEXT NOT NULL,"
                         " attempts BIGINT NOT NULL,"
                         " retries BIGINT NOT NULL,"
                         " errors BIGINT NOT NULL,"
                         " estimated BIGINT NOT NULL,"
                         " unpriced BIGINT NOT NULL,"
                         " cost_micros BIGINT NOT NULL,"
                         " prompt_tokens BIGINT NOT NULL,"
                         " cached_tokens BIGINT NOT NULL,"
                         " completion_tokens BIGINT NOT NULL,"
                         " reasoning_tokens BIGINT NOT NULL,"
                         " PRIMARY KEY (day, model, currency, provider, task_type, client, api))"),
          QStringLiteral("INSERT INTO ledger_daily_5 SELECT day, model, currency, provider, task_type, client, 'chat', "
                         "attempts, retries, errors, estimated, unpriced, cost_micros, prompt_tokens, cached_tokens, "
                         "completion_tokens, reasoning_tokens FROM ledger_daily"),
          QStringLiteral("DROP TABLE ledger_daily"),
          QStringLiteral("ALTER TABLE ledger_daily_5 RENAME TO ledger_daily")}},
        // The team ledger's outbox (TeamOutbox): the ids of rows not yet sent to the team database,
        // added by the same transaction that adds the row, but only while this profile is in a team.
        {6,
         {QStringLiteral("CREATE TABLE team_outbox (id INTEGER PRIMARY KEY)"),
          QStringLiteral("CREATE TABLE team_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)"),
          QStringLiteral("CREATE TRIGGER ledger_to_team AFTER INSERT ON ledger "
                         "WHEN EXISTS (SELECT 1 FROM team_state WHERE key = 'outbox' AND value = 'on') "
                         "BEGIN INSERT OR IGNORE INTO team_outbox (id) VALUES (new.id); END")}},
    };
}

int Database::latestVersion()
{
    return migrations().constLast().version;
}

int Database::schemaVersion(QSqlDatabase &db)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("PRAGMA user_version")) || !q.next())
        return -1;
    return q.value(0).toInt();
}

namespace {

QString sqlFailure(const QString &what, const QSqlError &error)
{
    return QCoreApplication::translate("Database", "%1 failed: %2").arg(what, error.text());
}

bool exec(QSqlDatabase &db, const QString &sql, QString *error)
{
    QSqlQuery q(db);
    if (q.exec(sql))
        return true;
    if (error)
        *error = sqlFailure(sql.section(QLatin1Char(' '), 0, 2), q.lastError());
    return false;
}

bool migrate(QSqlDatabase &db, const QList<Database::Migration> &migrations, QString *error)
{
    const int current = Database::schemaVersion(db);
    if (current < 0) {
        *error = QCoreApplication::translate("Database", "Cannot read the schema version: %1").arg(db.lastError().text());
        return false;
    }
    const int latest = migrations.isEmpty() ? 0 : migrations.constLast().version;
    if (current > latest) {
        *error = QCoreApplication::translate("Database",
                                             "The database was written by a newer Switchyard (schema %1; this "
                                             "version knows up to %2). Update Switchyard to open it.")
                     .arg(current)
                     .arg(latest);
        return false;
    }
    for (const Database::Migration &m : migrations) {
        if (m.version <= current)
            continue;
        // IMMEDIATE takes the write lock now, so two processes opening a new profile at once
        // cannot both run the same migration; the version is read again under the lock.
        if (!exec(db, QStringLiteral("BEGIN IMMEDIATE"), error))
            return false;
        if (Database::schemaVersion(db) >= m.version) {
            exec(db, QStringLiteral("COMMIT"), error);
            continue;
        }
        bool ok = true;
        for (const QString &statement : m.statements) {
            if (!exec(db, statement, error)) {
                ok = false;
                break;
            }
        }
        if (ok) {
            QSqlQuery q(db);
            q.prepare(QStringLiteral("INSERT INTO schema_history(version, applied_at) VALUES (?, ?)"));
            q.addBindValue(m.version);
            q.addBindValue(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
            ok = q.exec();
            if (!ok)
                *error = sqlFailure(QStringLiteral("INSERT schema_history"), q.lastError());
        }
        // PRAGMA user_version is transactional in SQLite, so it rolls back with the migration.
        ok = ok && exec(db, QStringLiteral("PRAGMA user_version = %1").arg(m.version), error);
        if (!ok) {
            exec(db, QStringLiteral("ROLLBACK"), nullptr);
            *error = QCoreApplication::translate("Database", "Upgrading the database to schema %1 failed, nothing "
                                                             "was changed: %2")
                         .arg(m.version)
                         .arg(*error);
            return false;
        }
        if (!exec(db, QStringLiteral("COMMIT"), error)) {
            exec(db, QStringLiteral("ROLLBACK"), nullptr);
            return false;
        }
    }
    return true;
}

} // namespace

std::optional<QSqlDatabase> Database::openConnection(const QString &path, const QString &connectionName,
                                                     QString *error, const QList<Migration> &migrations)
{
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connectionName);
    if (!db.isValid()) {
        *error = QCoreApplication::translate("Database",
                                             "The SQLite driver for Qt is missing. Install the package "
                                             "libqt6sql6-sqlite.");
        return std::nullopt;
    }
    // Chat history and the ledger: the file is created 0600 before SQLite opens it, so its -wal and
    // -shm are too, and files an older version left readable by others are tightened.
    PrivateFiles::prepareDatabase(path);
    db.setDatabaseName(path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!db.open()) {
        *error = QCoreApplication::translate("Database", "Cannot open the database %1: %2")
                     .arg(path, db.lastError().text());
        return std::nullopt;
    }
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("PRAGMA journal_mode = WAL")) || !q.next()
        || q.value(0).toString().compare(QStringLiteral("wal"), Qt::CaseInsensitive) != 0) {
        *error = QCoreApplication::translate("Database",
                                             "The database %1 cannot use write-ahead logging (the file system may "
                                             "not support it). Move the profile to a local disk.")
                     .arg(path);
        db.close();
        return std::nullopt;
    }
    q.finish();
    if (!exec(db, QStringLiteral("PRAGMA synchronous = NORMAL"), error)
        || !exec(db, QStringLiteral("PRAGMA foreign_keys = ON"), error) || !migrate(db, migrations, error)) {
        db.close();
        return std::nullopt;
    }
    return db;
}

// Lives on the database thread and owns that thread's connection.
namespace {
// The worker whose connection the current thread writes with (one worker per thread).
thread_local std::vector<std::function<void()>> *t_beforeClose = nullptr;
// Callbacks of whenWritten() markers run in the batch being committed on this thread.
thread_local std::vector<std::function<void()>> t_afterCommit;
} // namespace

bool Database::afterCommit(std::function<void()> f)
{
    if (!t_beforeClose)
        return false;
    t_afterCommit.push_back(std::move(f));
    return true;
}

bool Database::beforeWriterCloses(std::function<void()> f)
{
    if (!t_beforeClose)
        return false;
    t_beforeClose->push_back(std::move(f));
    return true;
}

class Database::Worker : public QObject
{
public:
    Worker(Database *owner, QString path)
        : m_owner(owner)
        , m_path(std::move(path))
        , m_connectionName(QStringLiteral("switchyard-writer-%1").arg(quintptr(this)))
    {
    }

    ~Worker() override
    {
        for (const auto &f : m_beforeClose)
            f();
        if (t_beforeClose == &m_beforeClose)
            t_beforeClose = nullptr;
        if (m_db) {
            m_db->close();
            m_db.reset();
        }
        QSqlDatabase::removeDatabase(m_connectionName);
    }

    void open(const QList<Migration> &migrations)
    {
        QString error;
        t_beforeClose = &m_beforeClose;
        // The ledger can wait; a stream being passed through, or the window, should not.
        Platform::lowerCurrentThreadPriority();
        m_db = Database::openConnection(m_path, m_connectionName, &error, migrations);
        if (m_db)
            post([o = m_owner] { emit o->opened(); });
        else
            post([o = m_owner, error] { emit o->openFailed(error); });
        drain();
    }

    void enqueue(WriteJob job)
    {
        bool schedule = false;
        {
            QMutexLocker lock(&m_mutex);
            m_queue.append(std::move(job));
            schedule = !m_drainScheduled;
            m_drainScheduled = true;
        }
        if (schedule)
            QMetaObject::invokeMethod(this, [this] { drain(); }, Qt::QueuedConnection);
    }

    void drain()
    {
        QList<WriteJob> batch;
        {
            QMutexLocker lock(&m_mutex);
            batch.swap(m_queue);
            m_drainScheduled = false;
        }
        if (batch.isEmpty())
            return;
        if (!m_db) {
            const QString error = QCoreApplication::translate("Database", "The database is not open, so %n change(s) "
                                                                          "were not saved.",
                                                              nullptr, int(batch.size()));
            post([o = m_owner, error] { emit o->writeFailed(error); });
            return;
        }
        QString error;
        t_afterCommit.clear();
        if (runBatch(batch, &error)) {
            post([o = m_owner, n = int(batch.size())] { emit o->batchCommitted(n); });
            postAfterCommit();
            return;
        }
        // Find the bad write(s) and keep the good ones.
        int committed = 0;
        for (WriteJob &job : batch) {
            QString jobError;
            t_afterCommit.clear();
            if (runBatch({job}, &jobError)) {
                ++committed;
                postAfterCommit();
            } else {
                post([o = m_owner, jobError] { emit o->writeFailed(jobError); });
            }
        }
        if (committed)
            post([o = m_owner, committed] { emit o->batchCommitted(committed); });
    }

private:
    void postAfterCommit()
    {
        for (std::function<void()> &f : t_afterCommit)
            post(std::move(f));
        t_afterCommit.clear();
    }

    // Signals are emitted on the owner's thread, so receivers never run on this one.
    template<typename F>
    void post(F f)
    {
        QMetaObject::invokeMethod(m_owner, std::move(f), Qt::QueuedConnection);
    }

    bool runBatch(const QList<WriteJob> &batch, QString *error)
    {
        if (!m_db->transaction()) {
            *error = sqlFailure(QStringLiteral("BEGIN"), m_db->lastError());
            return false;
        }
        for (const WriteJob &job : batch) {
            if (!job(*m_db, error)) {
                m_db->rollback();
                return false;
            }
        }
        if (!m_db->commit()) {
            *error = sqlFailure(QStringLiteral("COMMIT"), m_db->lastError());
            m_db->rollback();
            return false;
        }
        return true;
    }

    Database *m_owner;
    QString m_path;
    QString m_connectionName;
    std::vector<std::function<void()>> m_beforeClose;
    std::optional<QSqlDatabase> m_db;
    QMutex m_mutex;
    QList<WriteJob> m_queue;
    bool m_drainScheduled = false;
};

Database::Database(QString path, QObject *parent)
    : QObject(parent)
    , m_path(std::move(path))
{
    m_thread.setObjectName(QStringLiteral("switchyard-db"));
}

Database::~Database()
{
    if (m_worker) {
        // Let queued writes finish, then tear the connection down on its own thread.
        QMetaObject::invokeMethod(m_worker, [w = m_worker] { delete w; }, Qt::BlockingQueuedConnection);
        m_worker = nullptr;
    }
    m_thread.quit();
    m_thread.wait();
}

void Database::open(const QList<Migration> &migrations)
{
    if (m_worker)
        return;
    m_worker = new Worker(this, m_path);
    m_worker->moveToThread(&m_thread);
    m_thread.start();
    QMetaObject::invokeMethod(m_worker, [w = m_worker, migrations] { w->open(migrations); }, Qt::QueuedConnection);
}

void Database::whenWritten(QObject *context, std::function<void()> done)
{
    QPointer<QObject> guard(context);
    write([guard, done = std::move(done)](QSqlDatabase &, QString *) {
        t_afterCommit.push_back([guard, done] {   // runs on the owner's thread
            if (guard)
                done();
        });
        return true;
    });
}

void Database::write(WriteJob job)
{
    if (!m_worker) {
        emit writeFailed(tr("The database was not opened before a write."));
        return;
    }
    m_worker->enqueue(std::move(job));
}
