// The local endpoint as the team's scripts use it: the official `openai` npm package, the Vercel AI
// SDK with @ai-sdk/openai-compatible and LangChain's ChatOpenAI (installed by ./dev test from
// tests/node/package-lock.json), and curl, as separate processes against the real Gateway on
// 127.0.0.1, with the fake provider behind it.
#include "EndpointClient.h"
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

    // One case of tests/node/client.mjs; its JSON line.
    QJsonObject openai(const QString &which, const QHash<QString, QString> &vars = {})
    {
        return runNodeCase(*fx, node, clientScript, which, {}, vars);
    }

    // One case of tests/node/clients.mjs; its JSON line.
    QJsonObject clients(const QString &which, const QString &model)
    {
        return runNodeCase(*fx, node, clientsScript, which, model);
    }

    static QString expectedText(FakeDialect dialect)
    {
        return FakeProvider::answerText(dialect, QJsonDocument::fromJson(R"({"messages":[{"role":"user","content":"hello"}]})").object());
    }

    QString node;
    QString clientScript;
    QString clientsScript;

private slots:
    void initTestCase()
    {
        node = QStandardPaths::findExecutable(QStringLiteral("node"));
        QVERIFY2(!node.isEmpty(), "node is not installed; ./dev test installs it");
        const QString dir = qEnvironmentVariable("SWITCHYARD_NODE_CLIENT_DIR");
        clientScript = dir + QStringLiteral("/client.mjs");
        clientsScript = dir + QStringLiteral("/clients.mjs");
        QVERIFY2(QFile::exists(clientsScript), qPrintable(clientsScript));
        for (const char *package : {"ai", "@ai-sdk/openai-compatible", "@langchain/openai", "zod"})
            QVERIFY2(QFile::exists(dir + QStringLiteral("/node_modules/%1/package.json").arg(QLatin1String(package))),
                     qPrintable(QStringLiteral("%1 is not installed; ./dev test runs npm ci in the build's tests/node")
                                    .arg(QLatin1String(package))));
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

    // parse() with zod, generateObject/streamObject and withStructuredOutput, through a model that
    // takes json_schema (plain), one with only JSON mode (fast, kimi) and one with neither (mini).
    void structuredOutputWithEveryClient_data()
    {
        QTest::addColumn<QString>("which");
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("field");
        QTest::newRow("openai parse, json_schema") << "openai-parse" << "plain" << "parsed";
        QTest::newRow("openai parse, JSON mode") << "openai-parse" << "fast" << "parsed";
        QTest::newRow("openai parse, in words") << "openai-parse" << "mini" << "parsed";
        QTest::newRow("openai parse, streamed") << "openai-parse-stream" << "kimi" << "parsed";
        QTest::newRow("AI SDK generateObject, json_schema") << "ai-sdk-object" << "routed" << "object";
        QTest::newRow("AI SDK generateObject, JSON mode") << "ai-sdk-object" << "fast" << "object";
        QTest::newRow("AI SDK streamObject") << "ai-sdk-object-stream" << "qwen" << "object";
        QTest::newRow("LangChain withStructuredOutput") << "langchain-structured" << "fast" << "object";
        QTest::newRow("LangChain jsonSchema, in words") << "langchain-structured-json-schema" << "mini" << "object";
        QTest::newRow("LangChain jsonMode") << "langchain-structured-json-mode" << "fast" << "object";
    }

    void structuredOutputWithEveryClient()
    {
        QFETCH(QString, which);
        QFETCH(QString, model);
        QFETCH(QString, field);
        const QJsonObject o = clients(which, model);
        QVERIFY2(!o.contains(QStringLiteral("error")), QJsonDocument(o).toJson().constData());
        const QJsonObject expected {{QStringLiteral("city"), QStringLiteral("Paris")},
                                    {QStringLiteral("temperature_c"), 21},
                                    {QStringLiteral("sunny"), true}};
        QCOMPARE(o.value(field).toObject(), expected);
        // Nothing the client asked for was dropped without a word.
        QVERIFY(!o.value(QStringLiteral("headers")).toObject().contains(QStringLiteral("x-switchyard-dropped")));
    }

    // A tool round trip with tool_choice "required" through a DeepSeek thinking model, where the
    // client drops reasoning_content from its history (DeepSeek answers 400 to that): the endpoint
    // puts it back.
    void toolRoundTripWithEveryClient_data()
    {
        QTest::addColumn<QString>("which");
        QTest::newRow("openai") << "openai-tools";
        QTest::newRow("openai, streamed") << "openai-tools-stream";
        QTest::newRow("AI SDK generateText") << "ai-sdk-tools";
        QTest::newRow("LangChain bindTools") << "langchain-tools";
    }

    void toolRoundTripWithEveryClient()
    {
        QFETCH(QString, which);
        const QJsonObject o = clients(which, QStringLiteral("fast"));
        QVERIFY2(!o.contains(QStringLiteral("error")), QJsonDocument(o).toJson().constData());
        const QString done = QStringLiteral(R"(Done: {"temp_c":21})");
        if (which.startsWith(u"openai")) {
            const QJsonObject first = o.value(QStringLiteral("first")).toObject();
            QCOMPARE(first.value(QStringLiteral("finish_reason")).toString(), QStringLiteral("tool_calls"));
            const QJsonArray calls = first.value(QStringLiteral("tool_calls")).toArray();
            QCOMPARE(calls.size(), 1);
            QCOMPARE(calls.at(0).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("get_weather"));
            QCOMPARE(calls.at(0).toObject().value(QStringLiteral("arguments")).toString(), QStringLiteral(R"({"city":"Paris"})"));
            QCOMPARE(o.value(QStringLiteral("second")).toObject().value(QStringLiteral("content")).toString(), done);
        } else if (which == u"ai-sdk-tools") {
            QCOMPARE(o.value(QStringLiteral("text")).toString(), done);
            QCOMPARE(o.value(QStringLiteral("tool_calls")).toArray(), QJsonArray {QStringLiteral("get_weather")});
        } else {
            QCOMPARE(o.value(QStringLiteral("first_tool_calls")).toArray().at(0).toObject().value(QStringLiteral("name")).toString(),
                     QStringLiteral("get_weather"));
            QCOMPARE(o.value(QStringLiteral("final")).toString(), done);
        }
        // The forced choice reached DeepSeek, and the follow-up carried the first answer's reasoning.
        const QList<QJsonObject> sent = fx->chatRequests();
        QCOMPARE(sent.size(), 2);
        QCOMPARE(sent[0].value(QStringLiteral("tool_choice")).toString(), QStringLiteral("required"));
        bool replayed = false;
        for (const QJsonValue &m : sent[1].value(QStringLiteral("messages")).toArray()) {
            if (m.toObject().value(QStringLiteral("role")).toString() == u"assistant")
                replayed = !m.toObject().value(QStringLiteral("reasoning_content")).toString().isEmpty();
        }
        QVERIFY(replayed);
    }

    void stopSeedAndTheRestArriveUpstream()
    {
        const QJsonObject o = clients(QStringLiteral("openai-stop-seed"), QStringLiteral("plain"));
        QVERIFY2(!o.contains(QStringLiteral("error")), QJsonDocument(o).toJson().constData());
        const QJsonObject sent = fx->chatRequests().last();
        QCOMPARE(sent.value(QStringLiteral("stop")).toArray(), QJsonArray {QStringLiteral("END")});
        QCOMPARE(sent.value(QStringLiteral("seed")).toInt(), 42);
        QCOMPARE(sent.value(QStringLiteral("user")).toString(), QStringLiteral("alice"));
        QCOMPARE(sent.value(QStringLiteral("presence_penalty")).toDouble(), 0.5);
        QCOMPARE(sent.value(QStringLiteral("frequency_penalty")).toDouble(), 0.25);
        QCOMPARE(sent.value(QStringLiteral("logit_bias")).toObject().value(QStringLiteral("50256")).toInt(), -100);
        QCOMPARE(sent.value(QStringLiteral("reasoning_effort")).toString(), QStringLiteral("low"));
        QCOMPARE(sent.value(QStringLiteral("x_custom_field")).toObject().value(QStringLiteral("keep")).toBool(), true);
        const QJsonArray messages = sent.value(QStringLiteral("messages")).toArray();
        QCOMPARE(messages.at(0).toObject().value(QStringLiteral("role")).toString(), QStringLiteral("developer"));
        QCOMPARE(messages.at(1).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("alice"));

        // MiniMax takes neither seed nor penalties: the client is told in X-Switchyard-Dropped.
        const QJsonObject mini = clients(QStringLiteral("openai-stop-seed"), QStringLiteral("mini"));
        QVERIFY2(!mini.contains(QStringLiteral("error")), QJsonDocument(mini).toJson().constData());
        QCOMPARE(mini.value(QStringLiteral("headers")).toObject().value(QStringLiteral("x-switchyard-dropped")).toString(),
                 QStringLiteral("seed, presence_penalty, frequency_penalty, reasoning_effort"));
        QCOMPARE(fx->chatRequests().last().value(QStringLiteral("stop")).toArray(), QJsonArray {QStringLiteral("END")});
    }

    void parallelCallsThroughANonStreamingProvider()
    {
        const QJsonObject o = clients(QStringLiteral("openai-parallel"), QStringLiteral("whole"));
        QVERIFY2(!o.contains(QStringLiteral("error")), QJsonDocument(o).toJson().constData());
        QCOMPARE(o.value(QStringLiteral("finish_reason")).toString(), QStringLiteral("tool_calls"));
        const QJsonArray calls = o.value(QStringLiteral("tool_calls")).toArray();
        QCOMPARE(calls.size(), 2);
        QCOMPARE(calls.at(0).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("get_weather"));
        QCOMPARE(calls.at(1).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("get_time"));
        QVERIFY(calls.at(0).toObject().value(QStringLiteral("id")) != calls.at(1).toObject().value(QStringLiteral("id")));
        QVERIFY(!fx->chatRequests().last().value(QStringLiteral("stream")).toBool());
    }

    void coolDownIsA503TheClientsRetry()
    {
        QVERIFY(fx->reconfigure("fallback:\n  retries: 0\n  cooldown_after: 1\n  cooldown_seconds: 45\n"));
        fx->fake.enqueue(FakeResponse::serverError());
        QJsonObject o = clients(QStringLiteral("openai-error"), QStringLiteral("plain"));
        QCOMPARE(o.value(QStringLiteral("error")).toObject().value(QStringLiteral("status")).toInt(), 502);
        o = clients(QStringLiteral("openai-error"), QStringLiteral("plain"));
        const QJsonObject e = o.value(QStringLiteral("error")).toObject();
        QCOMPARE(e.value(QStringLiteral("class")).toString(), QStringLiteral("InternalServerError"));
        QCOMPARE(e.value(QStringLiteral("status")).toInt(), 503);
        QCOMPARE(e.value(QStringLiteral("code")).toString(), QStringLiteral("overloaded"));
        QVERIFY2(e.value(QStringLiteral("message")).toString().contains(QLatin1String("cooling down")), qPrintable(e.value(QStringLiteral("message")).toString()));
        const int retryAfter = o.value(QStringLiteral("headers")).toObject().value(QStringLiteral("retry-after")).toString().toInt();
        QVERIFY(retryAfter > 0 && retryAfter <= 45);
    }

    void langChainStreams()
    {
        const QJsonObject o = clients(QStringLiteral("langchain-stream"), QStringLiteral("auto"));
        QVERIFY2(!o.contains(QStringLiteral("error")), QJsonDocument(o).toJson().constData());
        QCOMPARE(o.value(QStringLiteral("content")).toString(), expectedText(FakeDialect::DeepSeek));
    }

    void curlStreamsAndIsRefusedWithoutKey()
    {
        const QString curl = QStandardPaths::findExecutable(QStringLiteral("curl"));
        QVERIFY2(!curl.isEmpty(), "curl is not installed; ./dev test installs it");
        const QString body = QStringLiteral(R"({"model":"auto","stream":true,"messages":[{"role":"user","content":"hello"}]})");
        const QString url = fx->url() + QStringLiteral("/chat/completions");
        const auto env = QProcessEnvironment::systemEnvironment();
        const ProcessRun streamed = runProcess(curl, {QStringLiteral("-sS"), QStringLiteral("-N"), QStringLiteral("-H"),
                                                  QStringLiteral("Authorization: Bearer ") + QLatin1String(GatewayFixture::Key),
                                                  QStringLiteral("-H"), QStringLiteral("Content-Type: application/json"),
                                                  QStringLiteral("-d"), body, url},
                                           env);
        QCOMPARE(streamed.exitCode, 0);
        QVERIFY2(streamed.out.startsWith("data: {"), streamed.out.constData());
        QVERIFY(streamed.out.contains("\"object\":\"chat.completion.chunk\""));
        QVERIFY(streamed.out.endsWith("data: [DONE]\n\n"));

        const ProcessRun refused = runProcess(curl, {QStringLiteral("-sS"), QStringLiteral("-i"), QStringLiteral("-d"), body, url}, env);
        QCOMPARE(refused.exitCode, 0);
        QVERIFY2(refused.out.startsWith("HTTP/1.1 401 Unauthorized"), refused.out.constData());
        QVERIFY(refused.out.contains("\"code\":\"invalid_api_key\""));
    }
};

QTEST_GUILESS_MAIN(TestEndpointClients)
#include "tst_endpoint_clients.moc"
