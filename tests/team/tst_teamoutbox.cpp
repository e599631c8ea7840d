// The outbox's batches (TeamLink's worker): a batch goes as one array a column, which the server
// unnests. Every value must arrive as the local ledger holds it, whatever its text (quotes,
// backslashes, braces and commas, the word NULL, Chinese, line breaks), and an unknown number must
// arrive as NULL; a batch sent again must add nothing. The dashboard's timings and filter values,
// which read the team ledger another way, must match the local ones.
#include "ConfigLoader.h"
#include "ConfigStore.h"
#include "Database.h"
#include "FakeSecretBackend.h"
#include "Ledger.h"
#include "PgServer.h"
#include "SecretStore.h"
#include "TeamDatabase.h"
#include "TeamLink.h"

#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

namespace {

const QString MemberPassword = QStringLiteral("carol's password");

// Texts an array literal inside an SQL literal could get wrong.
QStringList awkwardTexts()
{
    return {QStringLiteral("it's"),
            QStringLiteral("say \"hi\""),
            QStringLiteral("back\\slash \\\" \\' \\\\"),
            QStringLiteral("{braces},commas,{\"nested\"}"),
            QStringLiteral("NULL"),
            QString(),
            QStringLiteral("  padded  "),
            QStringLiteral("路由 🚀 ünïcödé"),
            QStringLiteral("tab\tand\nnewline\r"),
            QStringLiteral("'; DROP TABLE ledger; --"),
            QStringLiteral("$$ dollar $q$ quoted $$")};
}

// The values of `columns` of every row, keyed by request id and attempt, as text (NULL apart).
QHash<QString, QStringList> rowsOf(QSqlDatabase &db, const QStringList &columns, const QString &where = QString())
{
    QHash<QString, QStringList> rows;
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT request_id, attempt, %1 FROM ledger %2").arg(columns.join(QStringLiteral(", ")), where)))
        qFatal("%s", qPrintable(q.lastError().text()));
    while (q.next()) {
        QStringList values;
        for (int i = 0; i < columns.size(); ++i)
            values << (q.isNull(i + 2) ? QStringLiteral("<NULL>") : q.value(i + 2).toString());
        rows.insert(q.value(0).toString() + QLatin1Char('/') + q.value(1).toString(), values);
    }
    return rows;
}

} // namespace

class TestTeamOutbox : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(m_server.start(), qPrintable(m_server.error()));
        QVERIFY2(m_server.createDatabase(QStringLiteral("team")), qPrintable(m_server.error()));
        QVERIFY2(m_server.createRole(QStringLiteral("carol"), MemberPassword), qPrintable(m_server.error()));
        QString error;
        const std::optional<TeamAddress> address =
            TeamAddress::parse(m_server.url(m_server.ownerUser(), QStringLiteral("team")), &error);
        QVERIFY2(address, qPrintable(error));
        {
            std::optional<QSqlDatabase> db = TeamDatabase::open(*address, QString(), QStringLiteral("owner"), &error);
            QVERIFY2(db, qPrintable(error));
            QVERIFY2(TeamDatabase::init(*db, QStringLiteral("team"), &error), qPrintable(error));
            db->close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("owner"));
        QVERIFY2(m_server.exec(QStringLiteral("GRANT team_members TO carol"), QStringLiteral("team")), qPrintable(m_server.error()));
    }

    void everyValueArrivesAsWritten()
    {
        QTemporaryDir dir;
        const QString databasePath = dir.filePath(QStringLiteral("switchyard.sqlite3"));
        Database database(databasePath);
        QSignalSpy opened(&database, &Database::opened);
        database.open();
        QVERIFY(opened.wait(10000));

        // Each awkward text in every text column a member sends, and unknown numbers (-1) as NULL.
        const QStringList texts = awkwardTexts();
        Ledger ledger(&database);
        QSignalSpy committed(&database, &Database::batchCommitted);
        const QDateTime start(QDate(2026, 11, 20), QTime(9, 0), Qt::UTC);
        for (int i = 0; i < texts.size(); ++i) {
            LedgerRow r;
            r.time = start.addSecs(i);
            r.requestId = QStringLiteral("req-%1 ").arg(i) + texts[i];
            r.attempt = 1 + i % 2;
            r.client = texts[i];
            r.taskType = texts[(i + 1) % texts.size()];
            r.rule = texts[(i + 2) % texts.size()];
            r.model = texts[(i + 3) % texts.size()];
            r.provider = texts[(i + 4) % texts.size()];
            r.providerModel = texts[(i + 5) % texts.size()];
            r.status = i % 3 ? QStringLiteral("ok") : texts[i];
            r.httpStatus = 200;
            r.promptTokens = i % 2 ? 1234 : -1;
            r.cachedTokens = i % 3 ? 12 : -1;
            r.completionTokens = 99;
            r.costMicros = i % 4 ? 4567 : -1;
            r.currency = i % 4 ? QStringLiteral("USD") : QString();
            r.latencyMs = i % 5 ? 800 : -1;
            r.ttftMs = i % 2 ? 120 : -1;
            r.conversation = texts[(i + 6) % texts.size()];
            r.priceAsOf = QDate(2026, 11, 15);
            r.dropped = texts[(i + 7) % texts.size()];
            r.api = texts[(i + 8) % texts.size()];
            ledger.finished(r);
        }
        ledger.flush();
        QTRY_VERIFY_WITH_TIMEOUT(!committed.isEmpty(), 10000);

        auto keychain = std::make_shared<FakeSecretBackend::Shared>();
        keychain->entries.insert(SecretStore::teamAccount(), MemberPassword);
        SecretStore secrets(std::make_unique<FakeSecretBackend>(keychain));
        const QString configPath = dir.filePath(QStringLiteral("config.yaml"));
        QFile config(configPath);
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(ConfigLoader::builtInCatalog()
                     + QStringLiteral("\nteam:\n  url: \"%1\"\n  member: carol\n").arg(m_server.url(QStringLiteral("carol"), QStringLiteral("team"))).toUtf8());
        config.close();
        ConfigStore store(configPath);
        TeamLink link(&store, &secrets, &database);
        QVERIFY2(store.reload(), qPrintable(store.lastError()));   // the team in config.yaml starts the link
        QTRY_VERIFY2_WITH_TIMEOUT(link.status().state == TeamLink::Status::State::UpToDate && link.status().waiting == 0,
                                  qPrintable(link.status().error), 30000);
        QVERIFY(link.status().lastSend.isValid());

        QStringList columns = TeamDatabase::ledgerColumns().mid(1);
        columns.removeAll(QStringLiteral("request_id"));
        columns.removeAll(QStringLiteral("attempt"));
        QString error;
        std::optional<QSqlDatabase> local = Database::openConnection(databasePath, QStringLiteral("local"), &error);
        QVERIFY2(local, qPrintable(error));
        const QHash<QString, QStringList> mine = rowsOf(*local, columns);
        const std::optional<TeamAddress> owner =
            TeamAddress::parse(m_server.url(m_server.ownerUser(), QStringLiteral("team")), &error);
        QVERIFY(owner);
        std::optional<QSqlDatabase> team = TeamDatabase::open(*owner, QString(), QStringLiteral("team-check"), &error);
        QVERIFY2(team, qPrintable(error));
        const QHash<QString, QStringList> theirs = rowsOf(*team, columns, QStringLiteral("WHERE member = 'carol'"));
        QCOMPARE(theirs.size(), texts.size());
        QCOMPARE(mine.size(), texts.size());
        for (auto it = mine.cbegin(); it != mine.cend(); ++it) {
            QVERIFY2(theirs.contains(it.key()), qPrintable(it.key()));
            for (int c = 0; c < columns.size(); ++c)
                QVERIFY2(theirs.value(it.key()).value(c) == it.value().value(c),
                         qPrintable(QStringLiteral("%1 of %2: sent %3, the server has %4")
                                        .arg(columns[c], it.key(), it.value().value(c), theirs.value(it.key()).value(c))));
        }
        QVERIFY(mine.value(QStringLiteral("req-0 it's/1")).contains(QStringLiteral("<NULL>")));

        // The same batch again (as when the app is killed between sending and taking it out).
        QVERIFY(QSqlQuery(*local).exec(QStringLiteral("INSERT INTO team_outbox (id) SELECT id FROM ledger")));
        link.nudge();
        auto outboxEmpty = [&local] {
            QSqlQuery q(*local);
            return q.exec(QStringLiteral("SELECT COUNT(*) FROM team_outbox")) && q.next() && q.value(0).toInt() == 0;
        };
        QTRY_VERIFY_WITH_TIMEOUT(outboxEmpty() && link.status().state == TeamLink::Status::State::UpToDate, 30000);
        QCOMPARE(rowsOf(*team, columns, QStringLiteral("WHERE member = 'carol'")), theirs);

        // The dashboard's timings take another path on PostgreSQL (arrays per model): the same answers.
        const auto localTimings = Ledger::timings(*local, {}, &error);
        QVERIFY2(localTimings, qPrintable(error));
        const auto teamTimings = Ledger::timings(*team, {}, &error);
        QVERIFY2(teamTimings, qPrintable(error));
        QCOMPARE(teamTimings->size(), localTimings->size());
        QVERIFY(!localTimings->isEmpty());
        for (int i = 0; i < localTimings->size(); ++i) {
            QCOMPARE(teamTimings->at(i).model, localTimings->at(i).model);
            QCOMPARE(teamTimings->at(i).ttftMs, localTimings->at(i).ttftMs);
            QCOMPARE(teamTimings->at(i).totalMs, localTimings->at(i).totalMs);
        }
        // And so do the filters' values (one index probe a value there).
        const auto localDimensions = Ledger::dimensions(*local, &error);
        QVERIFY2(localDimensions, qPrintable(error));
        const auto teamDimensions = Ledger::dimensions(*team, &error);
        QVERIFY2(teamDimensions, qPrintable(error));
        QCOMPARE(teamDimensions->providers, localDimensions->providers);
        QCOMPARE(teamDimensions->models, localDimensions->models);
        QCOMPARE(teamDimensions->taskTypes, localDimensions->taskTypes);
        QCOMPARE(teamDimensions->clients, localDimensions->clients);
        QCOMPARE(teamDimensions->apis, localDimensions->apis);
        QCOMPARE(teamDimensions->models.size(), texts.size());

        local->close();
        team->close();
    }

    void longPeriodsSampleTheirTimings()
    {
        // 700,000 answers of one member spread over two years, time to first token 80..1079 ms.
        const qint64 start = QDateTime(QDate(2024, 12, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
        const qint64 span = 730LL * 86'400'000;
        const qint64 rows = 700'000;
        QVERIFY2(m_server.exec(QStringLiteral(
                     "INSERT INTO ledger (member, id, time_ms, day, request_id, attempt, client, task_type, rule, model, "
                     "provider, provider_model, status, http_status, currency, cost_estimated, latency_ms, ttft_ms, "
                     "conversation, price_as_of, api) "
                     "SELECT 'sampler', ms * 1024, ms, (ms / 86400000)::int, 'r' || g, 1, 'ci', 'chat', 'default', "
                     "'m' || (g % 2), 'p', 'm', 'ok', 200, 'USD', 0, 300 + (g * 7919) % 5000, 80 + (g * 104729) % 1000, "
                     "'', '2026-11-15', 'chat' FROM (SELECT g, %1 + g * %2 / %3 AS ms FROM generate_series(0::bigint, %3 - 1) g) x")
                                   .arg(start)
                                   .arg(span)
                                   .arg(rows),
                               QStringLiteral("team")),
                 qPrintable(m_server.error()));
        QVERIFY(m_server.exec(QStringLiteral("ANALYZE ledger"), QStringLiteral("team")));
        QString error;
        const std::optional<TeamAddress> address =
            TeamAddress::parse(m_server.url(m_server.ownerUser(), QStringLiteral("team")), &error);
        QVERIFY2(address, qPrintable(error));
        std::optional<QSqlDatabase> team = TeamDatabase::open(*address, QString(), QStringLiteral("team-sample"), &error);
        QVERIFY2(team, qPrintable(error));
        auto exact = [&](const QString &model, const char *column, double p, qint64 fromMs, qint64 toMs) {
            return m_server.value(QStringLiteral("SELECT percentile_disc(%1) WITHIN GROUP (ORDER BY %2) FROM ledger "
                                                 "WHERE member = 'sampler' AND model = '%3' AND id >= %4 AND id < %5")
                                      .arg(p)
                                      .arg(QLatin1String(column), model)
                                      .arg(fromMs * Ledger::IdsPerMs)
                                      .arg(toMs * Ledger::IdsPerMs),
                                  QStringLiteral("team"))
                .toLongLong();
        };

        // The whole two years: more answers than are read in full; a sample, close to the truth.
        Ledger::Filter all;
        all.member = QStringLiteral("sampler");
        all.since = QDateTime::fromMSecsSinceEpoch(start, Qt::UTC);
        all.until = QDateTime::fromMSecsSinceEpoch(start + span, Qt::UTC);
        auto timings = Ledger::timings(*team, all, &error);
        QVERIFY2(timings, qPrintable(error));
        QCOMPARE(timings->size(), 2);
        for (const Ledger::Timings &t : std::as_const(*timings)) {
            QVERIFY2(t.sampledPercent < 100, qPrintable(QString::number(t.sampledPercent)));
            QVERIFY(t.ttftMs.size() > 50'000 && t.ttftMs.size() < 340'000);
            for (double p : {0.5, 0.95}) {
                const qint64 truth = exact(t.model, "ttft_ms", p, start, start + span);
                const qint64 sampled = Ledger::percentile(t.ttftMs, p);
                QVERIFY2(std::abs(sampled - truth) <= truth / 50, qPrintable(QStringLiteral("%1: %2 vs %3").arg(p).arg(sampled).arg(truth)));
            }
        }
        // A month of them: read in full, exactly.
        Ledger::Filter month = all;
        month.since = all.until.addDays(-30);
        timings = Ledger::timings(*team, month, &error);
        QVERIFY2(timings, qPrintable(error));
        QCOMPARE(timings->size(), 2);
        for (const Ledger::Timings &t : std::as_const(*timings)) {
            QCOMPARE(t.sampledPercent, 100.0);
            QCOMPARE(Ledger::percentile(t.ttftMs, 0.5),
                     exact(t.model, "ttft_ms", 0.5, month.since.toMSecsSinceEpoch(), month.until.toMSecsSinceEpoch()));
        }
        team->close();
        team.reset();
        QSqlDatabase::removeDatabase(QStringLiteral("team-sample"));
    }

    void cleanupTestCase()
    {
        QSqlDatabase::removeDatabase(QStringLiteral("local"));
        QSqlDatabase::removeDatabase(QStringLiteral("team-check"));
    }

private:
    PgServer m_server;
};

QTEST_GUILESS_MAIN(TestTeamOutbox)
#include "tst_teamoutbox.moc"
