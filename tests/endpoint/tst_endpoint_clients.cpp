// The local endpoint as the team's scripts use it: the official `openai` npm package (installed by
// ./dev test from tests/node/package-lock.json) and curl, as separate processes against the real
// Gateway on 127.0.0.1, with the fake provider behind it.
#include "GatewayFixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

class TestEndpointClients : public QObject
{
    Q_OBJECT

    std::unique_ptr<GatewayFixture> fx;

    struct Run
    {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
    };

    // Runs `program` while this thread's event loop keeps serving the endpoint.
    Run run(const QString &program, const QStringList &args, const QProcessEnvironment &env)
    {
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(program, args);
        Run r;
        if (!p.waitForStarted(10000)) {
            r.err = p.errorString().toUtf8();
            return r;
        }
        p.closeWriteChannel();
        if (!QTest::qWaitFor([&p] { return p.state() == QProcess::NotRunning; }, 60000)) {
            p.kill();
            p.waitForFinished();
            r.err = "timed out";
            return r;
        }
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError();
        return r;
    }

    // One case of tests/node/client.mjs; its JSON line.
    QJsonObject openai(const QString &which, const QHash<QString, QString> &vars = {})
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("SWITCHYARD_URL"), fx->url());
        env.insert(QStringLiteral("SWITCHYARD_KEY"), QString::fromLatin1(GatewayFixture::Key));
        for (auto it = vars.begin(); it != vars.end(); ++it)
            env.insert(it.key(), it.value());
        const Run r = run(node, {clientScript, which}, env);
        if (r.exitCode != 0)
            qWarning("node %s exited %d: %s", qPrintable(which), r.exitCode, r.err.constData());
        return QJsonDocument::fromJson(r.out).object();
    }

    static QString expectedText(FakeDialect dialect)
    {
        return FakeProvider::answerText(dialect, QJsonDocument::fromJson(R"({"messages":[{"role":"user","content":"hello"}]})").object());
    }

    QString node;
    QString clientScript;

private slots:
    void initTestCase()
    {
        node = QStandardPaths::findExecutable(QStringLiteral("node"));
        QVERIFY2(!node.isEmpty(), "node is not installed; ./dev test installs it");
        const QString dir = qEnvironmentVariable("SWITCHYARD_NODE_CLIENT_DIR");
        clientScript = dir + QStringLiteral("/client.mjs");
        QVERIFY2(QFile::exists(clientScript), qPrintable(clientScript));
        QVERIFY2(QFile::exists(dir + QStringLiteral("/node_modules/openai/package.json")),
                 "the openai package is not installed; ./dev test runs npm ci in the build's tests/node");
    }

    void init()
    {
        fx = std::make_unique<GatewayFixture>();
        QString why;
        QVERIFY2(fx->start(&why), qPrintable(why));
    }

    void cleanup() { fx.reset(); }

    void streamingWithAuto()
    {
        const QJsonObject o = openai(QStringLiteral("stream"));
        QVERIFY2(!o.contains(QStringLiteral("error")), QJsonDocument(o).toJson().constData());
        QCOMPARE(o.value(QStringLiteral("content")).toString(), expectedText(FakeDialect::DeepSeek));
        QCOMPARE(o.value(QStringLiteral("reasoning")).toString(), FakeProvider::reasoningText());
        QCOMPARE(o.value(QStringLiteral("finish_reason")).toString(), QStringLiteral("stop"));
        QCOMPARE(o.value(QStringLiteral("models")).toArray(), QJsonArray {QStringLiteral("fast")});
        QVERIFY(o.value(QStringLiteral("chunks")).toInt() > 5);
        const QJsonObject usage = o.value(QStringLiteral("usage")).toObject();
        QCOMPARE(usage.value(QStringLiteral("prompt_tokens")).toInt(), FakeUsage::prompt);
        QCOMPARE(usage.value(QStringLiteral("completion_tokens")).toInt(), FakeUsage::completion);
        QCOMPARE(usage.value(QStringLiteral("prompt_tokens_details")).toObject().value(QStringLiteral("cached_tokens")).toInt(),
                 FakeUsage::cached);
        const QJsonObject headers = o.value(QStringLiteral("headers")).toObject();
        QCOMPARE(headers.value(QStringLiteral("x-switchyard-model")).toString(), QStringLiteral("fast"));
        QCOMPARE(headers.value(QStringLiteral("x-switchyard-provider")).toString(), QStringLiteral("ds"));
        QCOMPARE(headers.value(QStringLiteral("x-switchyard-rule")).toString(), QStringLiteral("default"));
    }

    void wholeAnswerFromANamedModel()
    {
        const QJsonObject o = openai(QStringLiteral("whole"), {{QStringLiteral("MODEL"), QStringLiteral("kimi")}});
        QVERIFY2(!o.contains(QStringLiteral("error")), QJsonDocument(o).toJson().constData());
        QCOMPARE(o.value(QStringLiteral("object")).toString(), QStringLiteral("chat.completion"));
        QCOMPARE(o.value(QStringLiteral("model")).toString(), QStringLiteral("kimi"));
        QCOMPARE(o.value(QStringLiteral("content")).toString(), expectedText(FakeDialect::Moonshot));
        QCOMPARE(o.value(QStringLiteral("reasoning")).toString(), FakeProvider::reasoningText());
        QCOMPARE(o.value(QStringLiteral("usage")).toObject().value(QStringLiteral("total_tokens")).toInt(),
                 FakeUsage::prompt + FakeUsage::completion);
        QCOMPARE(o.value(QStringLiteral("headers")).toObject().value(QStringLiteral("x-switchyard-rule")).toString(),
                 QStringLiteral("model"));
    }

    void taskTypeFromMetadataPicksTheRoute()
    {
        const QJsonObject o = openai(QStringLiteral("stream"), {{QStringLiteral("TASK_TYPE"), QStringLiteral("reasoning")}});
        QCOMPARE(o.value(QStringLiteral("models")).toArray(), QJsonArray {QStringLiteral("kimi")});
        QCOMPARE(o.value(QStringLiteral("headers")).toObject().value(QStringLiteral("x-switchyard-rule")).toString(),
                 QStringLiteral("thinking"));
        QCOMPARE(o.value(QStringLiteral("reasoning")).toString(), FakeProvider::reasoningText());
        QList<QVariantMap> rows;
        QTRY_COMPARE_WITH_TIMEOUT((rows = fx->ledgerRows()).size(), 1, 10000);
        QCOMPARE(rows[0].value(QStringLiteral("task_type")).toString(), QStringLiteral("reasoning"));
    }

    void rateLimitFallsBackUnseen()
    {
        fx->fake.enqueue(FakeResponse::rateLimited());
        const QJsonObject o = openai(QStringLiteral("stream"), {{QStringLiteral("MODEL"), QStringLiteral("fast")}});
        QVERIFY2(!o.contains(QStringLiteral("error")), QJsonDocument(o).toJson().constData());
        QCOMPARE(o.value(QStringLiteral("content")).toString(), expectedText(FakeDialect::Moonshot));
        QCOMPARE(o.value(QStringLiteral("headers")).toObject().value(QStringLiteral("x-switchyard-attempts")).toString(),
                 QStringLiteral("2"));
        QList<QVariantMap> rows;
        QTRY_COMPARE_WITH_TIMEOUT((rows = fx->ledgerRows()).size(), 2, 10000);
        QCOMPARE(rows[0].value(QStringLiteral("status")).toString(), QStringLiteral("rate_limit"));
        QCOMPARE(rows[1].value(QStringLiteral("model")).toString(), QStringLiteral("kimi"));
    }

    void rateLimitEverywhereIsA429ForTheClient()
    {
        for (int i = 0; i < 8; ++i)
            fx->fake.enqueue(FakeResponse::rateLimited(30));
        const QJsonObject o = openai(QStringLiteral("whole"), {{QStringLiteral("MODEL"), QStringLiteral("fast")}});
        const QJsonObject e = o.value(QStringLiteral("error")).toObject();
        QCOMPARE(e.value(QStringLiteral("class")).toString(), QStringLiteral("RateLimitError"));
        QCOMPARE(e.value(QStringLiteral("status")).toInt(), 429);
        QCOMPARE(e.value(QStringLiteral("code")).toString(), QStringLiteral("rate_limit"));
    }

    void wrongKeyIsAnAuthenticationError()
    {
        const QJsonObject o = openai(QStringLiteral("stream"), {{QStringLiteral("SWITCHYARD_KEY"), QStringLiteral("sk-wrong")}});
        const QJsonObject e = o.value(QStringLiteral("error")).toObject();
        QCOMPARE(e.value(QStringLiteral("class")).toString(), QStringLiteral("AuthenticationError"));
        QCOMPARE(e.value(QStringLiteral("status")).toInt(), 401);
        QCOMPARE(e.value(QStringLiteral("code")).toString(), QStringLiteral("invalid_api_key"));
        QVERIFY(fx->fake.requests().isEmpty());
    }

    void unknownModelIsNotFound()
    {
        const QJsonObject o = openai(QStringLiteral("whole"), {{QStringLiteral("MODEL"), QStringLiteral("gpt-9")}});
        const QJsonObject e = o.value(QStringLiteral("error")).toObject();
        QCOMPARE(e.value(QStringLiteral("class")).toString(), QStringLiteral("NotFoundError"));
        QCOMPARE(e.value(QStringLiteral("code")).toString(), QStringLiteral("model_not_found"));
    }

    void modelsList()
    {
        const QJsonObject o = openai(QStringLiteral("models"));
        const QJsonArray ids = o.value(QStringLiteral("ids")).toArray();
        QCOMPARE(ids.first().toString(), QStringLiteral("auto"));
        QVERIFY(ids.contains(QStringLiteral("kimi")));
        QVERIFY(!ids.contains(QStringLiteral("hidden")));   // its provider is disabled
    }

    void curlStreamsAndIsRefusedWithoutKey()
    {
        const QString curl = QStandardPaths::findExecutable(QStringLiteral("curl"));
        QVERIFY2(!curl.isEmpty(), "curl is not installed; ./dev test installs it");
        const QString body = QStringLiteral(R"({"model":"auto","stream":true,"messages":[{"role":"user","content":"hello"}]})");
        const QString url = fx->url() + QStringLiteral("/chat/completions");
        const auto env = QProcessEnvironment::systemEnvironment();
        const Run streamed = run(curl, {QStringLiteral("-sS"), QStringLiteral("-N"), QStringLiteral("-H"),
                                        QStringLiteral("Authorization: Bearer ") + QLatin1String(GatewayFixture::Key),
                                        QStringLiteral("-H"), QStringLiteral("Content-Type: application/json"),
                                        QStringLiteral("-d"), body, url},
                                 env);
        QCOMPARE(streamed.exitCode, 0);
        QVERIFY2(streamed.out.startsWith("data: {"), streamed.out.constData());
        QVERIFY(streamed.out.contains("\"object\":\"chat.completion.chunk\""));
        QVERIFY(streamed.out.endsWith("data: [DONE]\n\n"));

        const Run refused = run(curl, {QStringLiteral("-sS"), QStringLiteral("-i"), QStringLiteral("-d"), body, url}, env);
        QCOMPARE(refused.exitCode, 0);
        QVERIFY2(refused.out.startsWith("HTTP/1.1 401 Unauthorized"), refused.out.constData());
        QVERIFY(refused.out.contains("\"code\":\"invalid_api_key\""));
    }
};

QTEST_GUILESS_MAIN(TestEndpointClients)
#include "tst_endpoint_clients.moc"
