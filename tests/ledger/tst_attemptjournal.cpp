// The attempt journal on real files, with real processes as owners: an attempt is on disk before
// its request can leave; a journal whose process was killed with SIGKILL is settled by the next
// start with exactly one row per attempt it left open (none doubled when its row had already been
// committed); a journal whose process runs is left alone; a long-running journal stays small.
#include "AttemptJournal.h"
#include "Database.h"
#include "Ledger.h"
#include "SqlRows.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <unistd.h>

namespace {

LedgerRow attemptRow(const QString &requestId, int attempt)
{
    LedgerRow r;
    r.time = QDateTime(QDate(2026, 11, 30), QTime(12, 0, 0, 125), Qt::UTC);   // the same in the helper
    r.requestId = requestId;
    r.attempt = attempt;
    r.client = QStringLiteral("ci");
    r.taskType = QStringLiteral("chat");
    r.rule = QStringLiteral("default");
    r.model = QStringLiteral("fast");
    r.provider = QStringLiteral("deepseek");
    r.providerModel = QStringLiteral("deepseek-chat");
    r.conversation = QStringLiteral("c-1");
    r.estimatedInputTokens = 42;
    r.api = QStringLiteral("messages");
    return r;
}

// The helper process: journals what its arguments say, prints the journal's path, then waits
// (for SIGKILL, or for its standard input to close when the test is gone).
//   open:<id>:<n>   progress:<id>:<n>:<completion tokens>:<cost micros>   close:<id>:<n>
int holdJournal(const QString &directory, const QStringList &steps)
{
    AttemptJournal journal(directory);
    if (!journal.isOpen())
        return 2;
    for (const QString &step : steps) {
        const QStringList f = step.split(QLatin1Char(':'));
        const QString id = QString(f.value(1)).replace(QStringLiteral("%TAB%"), QStringLiteral("\t"));
        if (f.value(0) == u"open") {
            journal.opened(attemptRow(id, f.value(2).toInt()));
        } else if (f.value(0) == u"progress") {
            LedgerRow r = attemptRow(id, f.value(2).toInt());
            r.promptTokens = 42;
            r.completionTokens = f.value(3).toLongLong();
            r.costMicros = f.value(4).toLongLong();
            r.currency = QStringLiteral("USD");
            r.priceAsOf = QDate(2026, 11, 1);
            journal.progress(r, 1500);
        } else if (f.value(0) == u"close") {
            journal.closed({{id, f.value(2).toInt()}});
        }
    }
    QFile out;
    if (!out.open(stdout, QIODevice::WriteOnly))
        return 3;
    out.write(QFile::encodeName(journal.path()) + '\n');
    out.flush();
    char c;
    while (::read(0, &c, 1) > 0) {
    }
    ::_exit(4);   // as a crash would: the journal is not tidied
}

} // namespace

class TestAttemptJournal : public QObject
{
    Q_OBJECT

    QTemporaryDir dir;
    int counter = 0;

    QString newDatabasePath() { return dir.filePath(QStringLiteral("ledger-%1.sqlite3").arg(++counter)); }

    static bool openDatabase(Database &db)
    {
        QSignalSpy opened(&db, &Database::opened);
        db.open();
        return opened.wait(10000);
    }

    // Starts a helper that owns a journal for `databasePath`; returns its journal's path.
    QString startOwner(QProcess &owner, const QString &databasePath, const QStringList &steps)
    {
        owner.start(QCoreApplication::applicationFilePath(),
                    QStringList {QStringLiteral("--hold-journal"), Ledger::journalDirectory(databasePath)} + steps);
        if (!owner.waitForStarted(10000) || !QTest::qWaitFor([&owner] { return owner.canReadLine(); }, 10000))
            return {};
        return QString::fromLocal8Bit(owner.readLine().trimmed());
    }

    static void killOwner(QProcess &owner)
    {
        QVERIFY(::kill(pid_t(owner.processId()), SIGKILL) == 0);
        QVERIFY(owner.waitForFinished(10000));
        QCOMPARE(owner.exitStatus(), QProcess::CrashExit);
    }

    // Runs recoverInterrupted() as a start does and waits until its transaction is done.
    static void recover(Database &db, Ledger &ledger)
    {
        ledger.recoverInterrupted();
        bool finished = false;
        db.whenWritten(&ledger, [&finished] { finished = true; });
        QTRY_VERIFY_WITH_TIMEOUT(finished, 10000);
    }

    static QByteArray contents(const QString &path)
    {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }

    static QList<QVariantMap> rows(const QString &path)
    {
        return sqlRows(path, QStringLiteral("SELECT request_id, attempt, status, time_ms, client, model, prompt_tokens, "
                                            "completion_tokens, cost_micros, currency, cost_estimated, latency_ms, "
                                            "estimated_input_tokens, api FROM ledger ORDER BY request_id, attempt"));
    }

private slots:
    // The line is in the file when started() returns: no event loop, no database, no timer.
    void anAttemptIsOnDiskBeforeItIsSent()
    {
        const QString path = newDatabasePath();
        Database db(path);
        QVERIFY(openDatabase(db));
        QString journalPath;
        {
            Ledger ledger(&db);
            journalPath = ledger.journalPath();
            QVERIFY(journalPath.startsWith(Ledger::journalDirectory(path) + QLatin1Char('/')));
            QVERIFY(journalPath.endsWith(QStringLiteral(".journal")));
            QCOMPARE(QFile(journalPath).permissions() & ~(QFileDevice::ReadUser | QFileDevice::WriteUser),
                     QFileDevice::ReadOwner | QFileDevice::WriteOwner);   // 0600
            const LedgerRow row = attemptRow(QStringLiteral("req-1"), 1);
            ledger.started(row);
            QFile file(journalPath);
            QVERIFY(file.open(QIODevice::ReadOnly));
            QVERIFY(file.readAll().startsWith("o\treq-1\t1\t"));
            file.close();

            LedgerRow done = row;
            done.status = QStringLiteral("ok");
            ledger.finished(done);
            // Once its row is committed the attempt is closed.
            QTRY_VERIFY_WITH_TIMEOUT(contents(journalPath).endsWith("\nd\treq-1\t1\n"), 10000);
            QCOMPARE(rows(path).size(), 1);
            QCOMPARE(sqlRows(path, QStringLiteral("SELECT * FROM ledger_open")).size(), 0);   // no open rows any more
        }
        QVERIFY(!QFile::exists(journalPath));   // a process that ends with nothing open leaves nothing
    }

    void aKilledOwnersAttemptsAreSettledOnceAtTheNextStart()
    {
        const QString path = newDatabasePath();
        // One attempt whose row was committed before the kill, though its journal still has it open.
        {
            Database db(path);
            QVERIFY(openDatabase(db));
            Ledger ledger(&db);
            LedgerRow done = attemptRow(QStringLiteral("finished"), 1);
            done.status = QStringLiteral("ok");
            done.promptTokens = 100;
            done.completionTokens = 10;
            ledger.finished(done);
            QTRY_COMPARE_WITH_TIMEOUT(rows(path).size(), 1, 10000);
        }
        QProcess owner;
        const QString journalPath = startOwner(owner, path,
                                               {QStringLiteral("open:finished:1"), QStringLiteral("open:cut:1"),
                                                QStringLiteral("open:cut:2"), QStringLiteral("progress:cut:2:57:1234"),
                                                QStringLiteral("open:a%TAB%b\\n:1"), QStringLiteral("open:closed:1"),
                                                QStringLiteral("close:closed:1")});
        QVERIFY(QFile::exists(journalPath));
        killOwner(owner);
        QVERIFY(QFile::exists(journalPath));

        Database db(path);
        QVERIFY(openDatabase(db));
        Ledger ledger(&db);
        recover(db, ledger);
        QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(journalPath), 10000);
        const QList<QVariantMap> got = rows(path);
        QCOMPARE(got.size(), 4);
        auto field = [&](int i, const char *name) { return got[i].value(QLatin1String(name)); };
        QCOMPARE(field(0, "request_id").toString(), QStringLiteral("a\tb\\n"));   // escaped and back
        QCOMPARE(field(0, "status").toString(), QStringLiteral("cancelled"));
        QCOMPARE(field(1, "request_id").toString(), QStringLiteral("cut"));
        QCOMPARE(field(1, "attempt").toInt(), 1);
        QCOMPARE(field(1, "status").toString(), QStringLiteral("cancelled"));
        QVERIFY(field(1, "completion_tokens").isNull());   // nothing had arrived
        QCOMPARE(field(1, "estimated_input_tokens").toLongLong(), 42);
        QCOMPARE(field(1, "client").toString(), QStringLiteral("ci"));
        QCOMPARE(field(1, "api").toString(), QStringLiteral("messages"));   // the door, from the journal
        QCOMPARE(field(1, "model").toString(), QStringLiteral("fast"));
        QCOMPARE(field(2, "attempt").toInt(), 2);
        QCOMPARE(field(2, "completion_tokens").toLongLong(), 57);   // what had arrived, estimated
        QCOMPARE(field(2, "prompt_tokens").toLongLong(), 42);
        QCOMPARE(field(2, "cost_micros").toLongLong(), 1234);
        QCOMPARE(field(2, "currency").toString(), QStringLiteral("USD"));
        QCOMPARE(field(2, "cost_estimated").toInt(), 1);
        QCOMPARE(field(2, "latency_ms").toLongLong(), 1500);
        QCOMPARE(field(3, "request_id").toString(), QStringLiteral("finished"));   // once, as it finished
        QCOMPARE(field(3, "status").toString(), QStringLiteral("ok"));
        const QList<QVariantMap> totals = sqlRows(path, QStringLiteral("SELECT SUM(attempts) AS n FROM ledger_daily"));
        QCOMPARE(totals.first().value(QStringLiteral("n")).toInt(), 4);   // the day's totals agree

        recover(db, ledger);   // a second start finds nothing more
        QCOMPARE(rows(path).size(), 4);
    }

    // Another process on the profile that runs (the window beside `serve`): its attempts are its own.
    void aLivingOwnersJournalIsLeftAlone()
    {
        const QString path = newDatabasePath();
        QProcess owner;
        const QString journalPath = startOwner(owner, path, {QStringLiteral("open:live:1")});
        QVERIFY(QFile::exists(journalPath));
        {
            Database db(path);
            QVERIFY(openDatabase(db));
            Ledger ledger(&db);
            recover(db, ledger);
            QCOMPARE(rows(path).size(), 0);
            QVERIFY(QFile::exists(journalPath));
        }
        killOwner(owner);
        // `switchyard export` settles on its own connection before it reads.
        QString error;
        {
            std::optional<QSqlDatabase> db = Database::openConnection(path, QStringLiteral("settle"), &error);
            QVERIFY2(db, qPrintable(error));
            QCOMPARE(Ledger::settleInterrupted(*db, path, &error), 1);
            QCOMPARE(Ledger::settleInterrupted(*db, path, &error), 0);
            db->close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("settle"));
        QCOMPARE(rows(path).size(), 1);
        QVERIFY(!QFile::exists(journalPath));
    }

    // A journal is emptied once it has grown and nothing is open; a process that always has some
    // attempt open never empties it, so it is rewritten with only the open attempts.
    void aLongRunningJournalStaysSmall()
    {
        const QString directory = dir.filePath(QStringLiteral("long-running-attempts"));
        AttemptJournal journal(directory);
        QVERIFY(journal.isOpen());
        QVERIFY(journal.opened(attemptRow(QStringLiteral("long"), 1)));
        qint64 largest = 0;
        for (int i = 0; i < 5000; ++i) {
            const QString id = QStringLiteral("request-%1").arg(i);
            QVERIFY(journal.opened(attemptRow(id, 1)));
            journal.closed({{id, 1}});
            largest = std::max(largest, QFileInfo(journal.path()).size());
        }
        QVERIFY2(largest < AttemptJournal::CompactAboveBytes + 4096, QByteArray::number(largest).constData());
        QCOMPARE(QDir(directory).entryList({QStringLiteral("*.journal*")}, QDir::Files).size(), 1);
        QFile file(journal.path());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readAll().contains("o\tlong\t1\t"));   // the open attempt survived the rewrite
        file.close();
        QCOMPARE(journal.openAttempts(), 1);
        journal.closed({{QStringLiteral("long"), 1}});
        QCOMPARE(journal.openAttempts(), 0);

        largest = 0;
        for (int i = 0; i < 2000; ++i) {
            const QString id = QStringLiteral("request-%1").arg(i);
            QVERIFY(journal.opened(attemptRow(id, 1)));
            journal.closed({{id, 1}});
            largest = std::max(largest, QFileInfo(journal.path()).size());
        }
        QVERIFY2(largest < AttemptJournal::EmptyAboveBytes + 1024, QByteArray::number(largest).constData());
    }
};

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc >= 3 && qstrcmp(argv[1], "--hold-journal") == 0)
        return holdJournal(QString::fromLocal8Bit(argv[2]), app.arguments().mid(3));
    TestAttemptJournal test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_attemptjournal.moc"
