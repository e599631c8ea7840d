#include "Database.h"
#include "FileModes.h"

#include <QDir>
#include <QFile>
#include <QSemaphore>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>

class TestDatabase : public QObject
{
    Q_OBJECT

private slots:
    void opensWithWalAndMigrations()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("db.sqlite3"));
        QString error;
        {
            auto db = Database::openConnection(path, QStringLiteral("t1"), &error);
            QVERIFY2(db, qPrintable(error));
            QSqlQuery q(*db);
            QVERIFY(q.exec(QStringLiteral("PRAGMA journal_mode")) && q.next());
            QCOMPARE(q.value(0).toString(), QStringLiteral("wal"));
            QVERIFY(q.exec(QStringLiteral("PRAGMA synchronous")) && q.next());
            QCOMPARE(q.value(0).toInt(), 1);   // NORMAL
            QCOMPARE(Database::schemaVersion(*db), Database::latestVersion());
            QVERIFY(q.exec(QStringLiteral("SELECT version FROM schema_history ORDER BY version")));
            int rows = 0;
            while (q.next())
                ++rows;
            QCOMPARE(rows, Database::migrations().size());
            QVERIFY(QFile::exists(path + QStringLiteral("-wal")));
        }
        QSqlDatabase::removeDatabase(QStringLiteral("t1"));

        // Opening again does not re-run anything.
        {
            auto db = Database::openConnection(path, QStringLiteral("t2"), &error);
            QVERIFY2(db, qPrintable(error));
            QSqlQuery q(*db);
            QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM schema_history")) && q.next());
            QCOMPARE(q.value(0).toInt(), Database::migrations().size());
        }
        QSqlDatabase::removeDatabase(QStringLiteral("t2"));
    }

    void failedMigrationChangesNothing()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("db.sqlite3"));
        QString error;
        QList<Database::Migration> migrations = Database::migrations();
        const int next = migrations.constLast().version + 1;
        migrations.append({next,
                           {QStringLiteral("CREATE TABLE half_done (x INTEGER)"),
                            QStringLiteral("INSERT INTO no_such_table VALUES (1)")}});
        {
            auto db = Database::openConnection(path, QStringLiteral("bad"), &error, migrations);
            QVERIFY(!db);
            QVERIFY2(error.contains(QStringLiteral("schema %1").arg(next)), qPrintable(error));
            QVERIFY2(error.contains(QStringLiteral("nothing was changed")), qPrintable(error));
        }
        QSqlDatabase::removeDatabase(QStringLiteral("bad"));
        {
            auto db = Database::openConnection(path, QStringLiteral("check"), &error);
            QVERIFY2(db, qPrintable(error));
            QCOMPARE(Database::schemaVersion(*db), next - 1);
            QSqlQuery q(*db);
            QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM sqlite_master WHERE name = 'half_done'")) && q.next());
            QCOMPARE(q.value(0).toInt(), 0);
        }
        QSqlDatabase::removeDatabase(QStringLiteral("check"));
    }

    void newerSchemaIsRefused()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("db.sqlite3"));
        QString error;
        {
            auto db = Database::openConnection(path, QStringLiteral("a"), &error);
            QVERIFY(db);
            QSqlQuery(*db).exec(QStringLiteral("PRAGMA user_version = 999"));
        }
        QSqlDatabase::removeDatabase(QStringLiteral("a"));
        {
            auto db = Database::openConnection(path, QStringLiteral("b"), &error);
            QVERIFY(!db);
            QVERIFY2(error.contains(QStringLiteral("newer Switchyard")), qPrintable(error));
        }
        QSqlDatabase::removeDatabase(QStringLiteral("b"));
    }

    // Chat history and the ledger: the file and SQLite's -wal and -shm are their user's alone,
    // whatever the umask, and an older profile's looser files are tightened when opened.
    void filesArePrivateUnderAnyUmask()
    {
        const UmaskZero umaskZero;
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("db.sqlite3"));
        QString error;
        {
            auto db = Database::openConnection(path, QStringLiteral("p1"), &error);
            QVERIFY2(db, qPrintable(error));
            QSqlQuery q(*db);
            QVERIFY(q.exec(QStringLiteral("CREATE TABLE t (x)")) && q.exec(QStringLiteral("INSERT INTO t VALUES (1)")));
            QVERIFY(QFile::exists(path + QStringLiteral("-wal")));
            QVERIFY(QFile::exists(path + QStringLiteral("-shm")));
            QCOMPARE(fileMode(path), 0600);
            QCOMPARE(fileMode(path + QStringLiteral("-wal")), 0600);
            QCOMPARE(fileMode(path + QStringLiteral("-shm")), 0600);

            // Left readable by an older version, while still open: the next connection tightens all three.
            for (const char *suffix : {"", "-wal", "-shm"})
                QCOMPARE(::chmod(QFile::encodeName(path + QLatin1String(suffix)).constData(), 0644), 0);
            auto again = Database::openConnection(path, QStringLiteral("p2"), &error);
            QVERIFY2(again, qPrintable(error));
            for (const char *suffix : {"", "-wal", "-shm"})
                QCOMPARE(fileMode(path + QLatin1String(suffix)), 0600);
            QSqlQuery r(*again);
            QVERIFY(r.exec(QStringLiteral("SELECT x FROM t")) && r.next());
            QCOMPARE(r.value(0).toInt(), 1);
        }
        QSqlDatabase::removeDatabase(QStringLiteral("p1"));
        QSqlDatabase::removeDatabase(QStringLiteral("p2"));
    }

    void unopenableFileIsReported()
    {
        QTemporaryDir dir;
        QString error;
        {
            auto db = Database::openConnection(dir.filePath(QStringLiteral("missing/dir/db.sqlite3")), QStringLiteral("x"), &error);
            QVERIFY(!db);
            QVERIFY2(error.contains(QStringLiteral("Cannot open the database")), qPrintable(error));
        }
        QSqlDatabase::removeDatabase(QStringLiteral("x"));
    }

    void writesRunOffTheCallingThreadInBatches()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("db.sqlite3"));
        QList<Database::Migration> migrations = Database::migrations();
        migrations.append({migrations.constLast().version + 1,
                           {QStringLiteral("CREATE TABLE t (v INTEGER NOT NULL UNIQUE)")}});
        Database db(path);
        QSignalSpy opened(&db, &Database::opened);
        QSignalSpy failed(&db, &Database::writeFailed);
        QSignalSpy committed(&db, &Database::batchCommitted);
        db.open(migrations);
        QVERIFY(opened.wait(10000));

        std::atomic<bool> onOtherThread {true};
        QThread *mainThread = QThread::currentThread();
        // Hold the writer until everything is queued, so batching (not timing) decides the count.
        QSemaphore gate;
        bool gateOpened = false;   // a retried batch runs this job again; wait only once
        db.write([&gate, &gateOpened](QSqlDatabase &, QString *) {
            if (!std::exchange(gateOpened, true))
                gate.acquire();
            return true;
        });
        for (int i = 0; i < 200; ++i) {
            db.write([i, mainThread, &onOtherThread](QSqlDatabase &c, QString *error) {
                if (QThread::currentThread() == mainThread)
                    onOtherThread = false;
                QSqlQuery q(c);
                q.prepare(QStringLiteral("INSERT INTO t (v) VALUES (?)"));
                q.addBindValue(i);
                if (!q.exec()) {
                    *error = q.lastError().text();
                    return false;
                }
                return true;
            });
        }
        // One bad row among good ones: only it is lost, and it is reported once.
        db.write([](QSqlDatabase &c, QString *error) {
            QSqlQuery q(c);
            if (!q.exec(QStringLiteral("INSERT INTO t (v) VALUES (5)"))) {
                *error = q.lastError().text();
                return false;
            }
            return true;
        });
        db.write([](QSqlDatabase &c, QString *) { return QSqlQuery(c).exec(QStringLiteral("INSERT INTO t (v) VALUES (1000)")); });
        gate.release();
        QTRY_VERIFY_WITH_TIMEOUT(failed.count() == 1, 10000);
        auto total = [&committed] {
            int n = 0;
            for (const QList<QVariant> &args : std::as_const(committed))
                n += args.at(0).toInt();
            return n;
        };
        QTRY_COMPARE_WITH_TIMEOUT(total(), 202, 10000);   // the gate, 200 rows and 1000
        // At most the gate alone, then everything else in one batch (retried write by write
        // because of the bad row): not one transaction a row.
        QVERIFY2(committed.count() <= 2, qPrintable(QString::number(committed.count())));
        QVERIFY(onOtherThread);
        QVERIFY2(failed.at(0).at(0).toString().contains(QStringLiteral("UNIQUE")), qPrintable(failed.at(0).at(0).toString()));

        QString error;
        {
            auto reader = Database::openConnection(path, QStringLiteral("reader"), &error, migrations);
            QVERIFY2(reader, qPrintable(error));
            QSqlQuery q(*reader);
            QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM t")) && q.next());
            QCOMPARE(q.value(0).toInt(), 201);
        }
        QSqlDatabase::removeDatabase(QStringLiteral("reader"));
    }

    void openFailureIsSignalled()
    {
        QTemporaryDir dir;
        Database db(dir.filePath(QStringLiteral("no/such/dir/db.sqlite3")));
        QSignalSpy failed(&db, &Database::openFailed);
        QSignalSpy writeFailed(&db, &Database::writeFailed);
        db.open();
        QVERIFY(failed.wait(10000));
        db.write([](QSqlDatabase &, QString *) { return true; });
        QTRY_COMPARE(writeFailed.count(), 1);
    }
};

QTEST_GUILESS_MAIN(TestDatabase)
#include "tst_database.moc"
