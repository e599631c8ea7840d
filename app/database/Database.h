#pragma once

#include <QCoreApplication>
#include <QMutex>
#include <QObject>
#include <QSqlDatabase>
#include <QStringList>
#include <QThread>

#include <functional>
#include <optional>

// The profile's one SQLite file. Schema: an integer version in PRAGMA user_version, raised by
// migrations that each run in one transaction. WAL journal (read back and checked) with
// synchronous=NORMAL. Writes run on a worker thread and are batched, so the GUI never waits on disk.
class Database : public QObject
{
    Q_OBJECT

public:
    struct Migration
    {
        int version;
        QStringList statements;
    };

    // A write runs on the worker thread; it returns false and fills *error to fail.
    using WriteJob = std::function<bool(QSqlDatabase &db, QString *error)>;

    static QList<Migration> migrations();
    static int latestVersion();

    // Opens a connection named `connectionName` on the calling thread, sets the pragmas and brings
    // the schema up to date. On failure returns std::nullopt and a sentence in *error.
    static std::optional<QSqlDatabase> openConnection(const QString &path, const QString &connectionName,
                                                      QString *error,
                                                      const QList<Migration> &migrations = Database::migrations());
    static int schemaVersion(QSqlDatabase &db);

    explicit Database(QString path, QObject *parent = nullptr);
    ~Database() override;

    // Starts the worker thread and opens its connection there; emits opened() or openFailed().
    void open(const QList<Migration> &migrations = Database::migrations());
    QString path() const { return m_path; }

    // Queues a write. Writes queued together are committed in one transaction; a batch that fails
    // is retried write by write, so one bad row cannot lose the others.
    void write(WriteJob job);
    // Runs `done` on the database's thread (the GUI's) once every write queued before this call
    // has been committed or has failed; not at all if `context` is gone by then.
    void whenWritten(QObject *context, std::function<void()> done);
    // Called from inside a write job: runs `f` on the worker's thread just before the writer's
    // connection closes (to finalize statements kept prepared for the connection's life). False,
    // and `f` dropped, when the calling thread is not a worker's.
    static bool beforeWriterCloses(std::function<void()> f);
    // Called from inside a write job: runs `f` on the database's thread (the GUI's) once the job's
    // transaction has committed; never when it fails. False, and `f` dropped, outside a job.
    static bool afterCommit(std::function<void()> f);

signals:
    void opened();
    void openFailed(const QString &error);
    void writeFailed(const QString &error);
    // Emitted on the worker thread's side after each batch commits (queued to receivers).
    void batchCommitted(int writes);

private:
    class Worker;
    QString m_path;
    QThread m_thread;
    Worker *m_worker = nullptr;
};
