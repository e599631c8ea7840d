// `switchyard serve` killed with SIGKILL while streams are running, over a real profile: the
// database stays whole, and the next Switchyard process on the profile (serve again, or export)
// records every attempt that had reached the provider as a `cancelled` row, with the tokens and
// cost of what had arrived, once and only once.
#include "FakeProvider.h"
#include "Ledger.h"
#include "SqlRows.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

namespace {

constexpr auto GatewayKey = "sk-serve-kill-test";

// A long answer, a frame every 100 ms, with no usage: what a kill cuts off mid-stream.
FakeResponse slowAnswer()
{
    QStringList pieces;
    for (int i = 0; i < 300; ++i)
        pieces << QStringLiteral("word %1, ").arg(i);
    return FakeResponse::textStream(pieces, 100);
}

} // namespace

class TestServeKill : public QObject
{
    Q_OBJECT

    QTemporaryDir profile;
    FakeProvider fake;
    QNetworkAccessManager nam;

    QString databasePath() const { return profile.filePath(QStringLiteral("switchyard.sqlite3")); }

    void startServe(QProcess &serve, QUrl *url)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("SWITCHYARD_GATEWAY_KEY"), QLatin1String(GatewayKey));
        env.insert(QStringLiteral("SY_KILL_TEST_KEY"), QStringLiteral("upstream-key"));
        serve.setProcessEnvironment(env);
        serve.start(qEnvironmentVariable("SWITCHYARD_BINARY"), {QStringLiteral("serve"), QStringLiteral("--listen"),
                                                                 QStringLiteral("127.0.0.1:0"), QStringLiteral("--profile"),
                                                                 profile.path()});
        QVERIFY(serve.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(serve.canReadLine() || serve.state() != QProcess::Running, 20000);
        *url = QUrl(QString::fromUtf8(serve.readLine().trimmed()));
        QVERIFY2(url->isValid() && url->port() > 0, serve.readAllStandardError().constData());
    }

    // Starts `count` streams through `url`, waits until the provider has streamed some of each to
    // the client, then kills serve with SIGKILL.
    void streamThenKill(QProcess &serve, const QUrl &url, int count)
    {
        const qsizetype before = fake.requests().size();
        QList<QNetworkReply *> replies;
        for (int i = 0; i < count; ++i) {
            fake.enqueue(slowAnswer());
            QNetworkRequest request(QUrl(url.toString() + QStringLiteral("/chat/completions")));
            request.setRawHeader("Authorization", QByteArray("Bearer ") + GatewayKey);
            request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
            const QJsonObject body {{QStringLiteral("model"), QStringLiteral("auto")},
                                    {QStringLiteral("stream"), true},
                                    {QStringLiteral("messages"),
                                     QJsonArray {QJsonObject {{QStringLiteral("role"), QStringLiteral("user")},
                                                              {QStringLiteral("content"), QStringLiteral("tell me a long story %1").arg(i)}}}}};
            replies << nam.post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
        }
        QTRY_COMPARE_WITH_TIMEOUT(fake.requests().size(), before + count, 20000);
        // Every stream has delivered a few frames to its client (the journal has its progress).
        for (QNetworkReply *reply : std::as_const(replies))
            QTRY_VERIFY_WITH_TIMEOUT(reply->bytesAvailable() > 600 || reply->isFinished(), 20000);
        for (QNetworkReply *reply : std::as_const(replies))
            QVERIFY2(!reply->isFinished(), qPrintable(reply->errorString()));
        QVERIFY(::kill(pid_t(serve.processId()), SIGKILL) == 0);
        QVERIFY(serve.waitForFinished(10000));
        QCOMPARE(serve.exitStatus(), QProcess::CrashExit);
        for (QNetworkReply *reply : std::as_const(replies)) {
            QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 10000);
            reply->deleteLater();
        }
    }

    QList<QVariantMap> rows()
    {
        return sqlRows(databasePath(), QStringLiteral("SELECT request_id, attempt, status, client, prompt_tokens, completion_tokens, "
                                                      "cost_micros, currency, cost_estimated, estimated_input_tokens FROM ledger ORDER BY id"));
    }

    QStringList journals() const
    {
        return QDir(Ledger::journalDirectory(databasePath())).entryList({QStringLiteral("*.journal")}, QDir::Files);
    }

    void checkCancelled(const QList<QVariantMap> &got, int expected)
    {
        QCOMPARE(got.size(), expected);
        QSet<QString> ids;
        for (const QVariantMap &r : got) {
            ids.insert(r.value(QStringLiteral("request_id")).toString());
            QCOMPARE(r.value(QStringLiteral("status")).toString(), QStringLiteral("cancelled"));
            QCOMPARE(r.value(QStringLiteral("attempt")).toInt(), 1);
            // What had arrived, estimated: the provider may still bill it.
            QVERIFY2(r.value(QStringLiteral("completion_tokens")).toLongLong() > 0, qPrintable(QVariant(r).toString()));
            QVERIFY(r.value(QStringLiteral("prompt_tokens")).toLongLong() > 0);
            QVERIFY(r.value(QStringLiteral("cost_micros")).toLongLong() > 0);
            QCOMPARE(r.value(QStringLiteral("currency")).toString(), QStringLiteral("USD"));
            QCOMPARE(r.value(QStringLiteral("cost_estimated")).toInt(), 1);
        }
        QCOMPARE(ids.size(), expected);   // one row per attempt, none doubled
    }

    void checkIntegrity()
    {
        const QList<QVariantMap> check = sqlRows(databasePath(), QStringLiteral("PRAGMA integrity_check"));
        QCOMPARE(check.size(), 1);
        QCOMPARE(check.first().value(QStringLiteral("integrity_check")).toString(), QStringLiteral("ok"));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(profile.isValid());
        QVERIFY(fake.start());
        QFile config(profile.filePath(QStringLiteral("config.yaml")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(QStringLiteral("providers:\n"
                                    "  - {id: ds, name: DeepSeek, dialect: deepseek, base_url: '%1', api_key_env: SY_KILL_TEST_KEY}\n"
                                    "models:\n"
                                    "  - {name: fast, provider: ds, id: deepseek-chat, context: 128000,\n"
                                    "     price: {currency: USD, input: 1, output: 2}}\n"
                                    "fallback: {retries: 0}\n"
                                    "routes:\n"
                                    "  - default: fast\n")
                         .arg(fake.baseUrl(FakeDialect::DeepSeek))
                         .toUtf8());
    }

    // Killed once: serve's next start settles the attempts. Killed again: export settles them.
    void everyAttemptThatReachedTheProviderIsARow()
    {
        QProcess serve;
        QUrl url;
        startServe(serve, &url);
        if (QTest::currentTestFailed())
            return;
        streamThenKill(serve, url, 3);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(journals().size(), 1);   // left behind, unlocked
        QCOMPARE(rows().size(), 0);       // nothing had finished

        startServe(serve, &url);   // the next start settles at once
        if (QTest::currentTestFailed())
            return;
        QTRY_COMPARE_WITH_TIMEOUT(rows().size(), 3, 10000);
        checkCancelled(rows(), 3);
        QTRY_COMPARE_WITH_TIMEOUT(journals().size(), 1, 10000);   // only the running serve's own

        streamThenKill(serve, url, 2);
        if (QTest::currentTestFailed())
            return;
        checkIntegrity();

        QProcess exporter;
        exporter.start(qEnvironmentVariable("SWITCHYARD_BINARY"), {QStringLiteral("export"), QStringLiteral("--profile"),
                                                                    profile.path(), QStringLiteral("--format"), QStringLiteral("jsonl")});
        QVERIFY(exporter.waitForFinished(30000));
        QVERIFY2(exporter.exitCode() == 0, exporter.readAllStandardError().constData());
        const QList<QByteArray> lines = exporter.readAllStandardOutput().trimmed().split('\n');
        QCOMPARE(lines.size(), 5);
        for (const QByteArray &line : lines)
            QCOMPARE(QJsonDocument::fromJson(line).object().value(QStringLiteral("status")).toString(), QStringLiteral("cancelled"));
        checkCancelled(rows(), 5);
        QCOMPARE(journals().size(), 0);
        checkIntegrity();
    }
};

QTEST_GUILESS_MAIN(TestServeKill)
#include "tst_servekill.moc"
