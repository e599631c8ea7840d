#include "RequestBuilder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

namespace {

ProviderConfig provider(Dialect d, const char *url = "https://api.example.com/v1/")
{
    ProviderConfig p;
    p.id = QStringLiteral("p");
    p.dialect = d;
    p.baseUrl = QUrl(QString::fromLatin1(url));
    return p;
}

ModelConfig model(const char *id, bool vision = false, bool reasoning = false)
{
    ModelConfig m;
    m.name = QStringLiteral("m");
    m.id = QString::fromLatin1(id);
    m.vision = vision;
    m.reasoning = reasoning;
    return m;
}

ChatRequest chat()
{
    ChatRequest r;
    r.messages = {ChatMessage::text(QStringLiteral("developer"), QStringLiteral("Be brief.")),
                  ChatMessage::text(QStringLiteral("user"), QStringLiteral("Hi"))};
    r.temperature = 0.3;
    r.topP = 0.9;
    r.maxTokens = 256;
    return r;
}

} // namespace

class TestRequestBuilder : public QObject
{
    Q_OBJECT

private slots:
    void init() { qunsetenv("DISABLE_STREAMING_BETA"); }

    void unknownFieldsPassThrough()
    {
        ChatRequest r = chat();
        r.extra = QJsonObject {{QStringLiteral("stop"), QJsonArray {QStringLiteral("END")}},
                               {QStringLiteral("seed"), 7},
                               {QStringLiteral("x_vendor"), QJsonObject {{QStringLiteral("a"), 1}}},
                               {QStringLiteral("model"), QStringLiteral("the client's name for it")}};
        r.messages[1].extra = QJsonObject {{QStringLiteral("name"), QStringLiteral("alice")}};
        ChatMessage call = ChatMessage::text(QStringLiteral("assistant"), QString());
        call.contentNull = true;
        call.toolCalls = QJsonArray {QJsonObject {{QStringLiteral("id"), QStringLiteral("c1")}}};
        r.messages << call;
        const auto b = RequestBuilder::build(provider(Dialect::OpenAI), model("gpt-x"), r, {});
        QVERIFY(b.dropped.isEmpty());
        QCOMPARE(b.json[QStringLiteral("seed")].toInt(), 7);
        QCOMPARE(b.json[QStringLiteral("stop")].toArray(), QJsonArray {QStringLiteral("END")});
        QCOMPARE(b.json[QStringLiteral("x_vendor")][QStringLiteral("a")].toInt(), 1);
        QCOMPARE(b.json[QStringLiteral("model")].toString(), QStringLiteral("gpt-x"));   // Switchyard's choice wins
        QCOMPARE(b.json[QStringLiteral("messages")][1][QStringLiteral("name")].toString(), QStringLiteral("alice"));
        QVERIFY(b.json[QStringLiteral("messages")][2][QStringLiteral("content")].isNull());
    }

    void dialectsDropWhatTheyCannotTake()
    {
        ChatRequest r = chat();
        r.extra = QJsonObject {{QStringLiteral("seed"), 1}, {QStringLiteral("presence_penalty"), 0.5},
                               {QStringLiteral("n"), 1}, {QStringLiteral("tool_choice"), QStringLiteral("none")},
                               {QStringLiteral("parallel_tool_calls"), true}};
        r.tools = QJsonArray {QJsonObject {{QStringLiteral("type"), QStringLiteral("function")}}};
        auto b = RequestBuilder::build(provider(Dialect::MiniMax), model("MiniMax-M2.7"), r, {});
        QCOMPARE(b.dropped, (QStringList {QStringLiteral("parallel_tool_calls"), QStringLiteral("seed"),
                                          QStringLiteral("presence_penalty")}));
        QVERIFY(!b.json.contains(QStringLiteral("tools")));   // tool_choice "none", kept by leaving the tools out
        QVERIFY(!b.json.contains(QStringLiteral("tool_choice")));
        QCOMPARE(b.json[QStringLiteral("n")].toInt(), 1);

        b = RequestBuilder::build(provider(Dialect::Moonshot), model("kimi-k2.6"), r, {});
        QCOMPARE(b.dropped, (QStringList {QStringLiteral("temperature"), QStringLiteral("top_p"), QStringLiteral("n"),
                                          QStringLiteral("presence_penalty")}));
        QCOMPARE(b.json[QStringLiteral("seed")].toInt(), 1);
        QCOMPARE(b.json[QStringLiteral("tool_choice")].toString(), QStringLiteral("none"));
    }

    void reasoningEffortInEachDialect_data()
    {
        QTest::addColumn<int>("dialect");
        QTest::addColumn<QString>("modelId");
        QTest::addColumn<QString>("effort");
        QTest::addColumn<QString>("expected");   // the body's thinking-related fields, compact JSON
        QTest::addColumn<QStringList>("dropped");
        QTest::newRow("DeepSeek medium") << int(Dialect::DeepSeek) << "deepseek-v4-pro" << "medium"
                                         << R"({"reasoning_effort":"high","thinking":{"type":"enabled"}})" << QStringList();
        QTest::newRow("DeepSeek none") << int(Dialect::DeepSeek) << "deepseek-v4-pro" << "none"
                                       << R"({"thinking":{"type":"disabled"}})" << QStringList();
        QTest::newRow("Kimi K3") << int(Dialect::Moonshot) << "kimi-k3" << "low" << R"({"reasoning_effort":"max"})" << QStringList();
        QTest::newRow("Kimi K2.6") << int(Dialect::Moonshot) << "kimi-k2.6" << "high" << R"({})"
                                   << QStringList {QStringLiteral("reasoning_effort")};
        QTest::newRow("Kimi off") << int(Dialect::Moonshot) << "kimi-k2.6" << "none" << R"({"thinking":{"type":"disabled"}})"
                                  << QStringList();
        QTest::newRow("MiniMax") << int(Dialect::MiniMax) << "MiniMax-M3" << "high" << R"({"reasoning_split":true})"
                                 << QStringList {QStringLiteral("reasoning_effort")};
        QTest::newRow("Qwen") << int(Dialect::DashScope) << "qwen3.8-max" << "low"
                              << R"({"enable_thinking":true,"reasoning_effort":"low"})" << QStringList();
        QTest::newRow("OpenRouter") << int(Dialect::OpenRouter) << "x/y" << "high" << R"({"reasoning":{"effort":"high"}})"
                                    << QStringList();
        QTest::newRow("OpenAI") << int(Dialect::OpenAI) << "o4" << "minimal" << R"({"reasoning_effort":"minimal"})" << QStringList();
    }

    void reasoningEffortInEachDialect()
    {
        QFETCH(int, dialect);
        QFETCH(QString, modelId);
        QFETCH(QString, effort);
        QFETCH(QString, expected);
        QFETCH(QStringList, dropped);
        ChatRequest r;
        r.messages = {ChatMessage::text(QStringLiteral("user"), QStringLiteral("Hi"))};
        r.extra = QJsonObject {{QStringLiteral("reasoning_effort"), effort}};
        ModelConfig m = model("");
        m.id = modelId;
        const auto b = RequestBuilder::build(provider(Dialect(dialect)), m, r, {});
        QJsonObject thinking;
        for (const char *key : {"reasoning_effort", "thinking", "enable_thinking", "reasoning", "reasoning_split"}) {
            if (b.json.contains(QLatin1String(key)))
                thinking.insert(QLatin1String(key), b.json.value(QLatin1String(key)));
        }
        QCOMPARE(QString::fromUtf8(QJsonDocument(thinking).toJson(QJsonDocument::Compact)), expected);
        QCOMPARE(b.dropped, dropped);
    }

    void jsonSchemaWithoutSupportGoesByPrompt()
    {
        const QJsonObject schema {{QStringLiteral("type"), QStringLiteral("object")},
                                  {QStringLiteral("properties"), QJsonObject {{QStringLiteral("city"), QJsonObject {{QStringLiteral("type"), QStringLiteral("string")}}}}}};
        ChatRequest r = chat();
        r.extra = QJsonObject {{QStringLiteral("response_format"),
                                QJsonObject {{QStringLiteral("type"), QStringLiteral("json_schema")},
                                             {QStringLiteral("json_schema"), QJsonObject {{QStringLiteral("name"), QStringLiteral("w")},
                                                                                          {QStringLiteral("schema"), schema}}}}}};
        auto b = RequestBuilder::build(provider(Dialect::OpenAI), model("gpt-x"), r, {});
        QVERIFY(!b.checkJson);
        QCOMPARE(b.json[QStringLiteral("response_format")][QStringLiteral("type")].toString(), QStringLiteral("json_schema"));

        b = RequestBuilder::build(provider(Dialect::DeepSeek), model("deepseek-flash"), r, {});
        QVERIFY(b.checkJson);
        QCOMPARE(b.json[QStringLiteral("response_format")].toObject(),
                 (QJsonObject {{QStringLiteral("type"), QStringLiteral("json_object")}}));
        const QString system = b.json[QStringLiteral("messages")][0][QStringLiteral("content")].toString();
        QVERIFY(system.startsWith(QLatin1String("Be brief.")));   // the client's developer turn, now system
        QVERIFY(system.contains(QLatin1String(R"({"properties":{"city":{"type":"string"}},"type":"object"})")));

        ModelConfig declared = model("my-local-model");
        declared.structuredOutput = StructuredOutput::None;
        b = RequestBuilder::build(provider(Dialect::OpenAI), declared, r, {});
        QVERIFY(b.checkJson);
        QVERIFY(!b.json.contains(QStringLiteral("response_format")));
        // OpenAI keeps the developer turn; the instruction goes first, as its own system turn.
        QCOMPARE(b.json[QStringLiteral("messages")].toArray().size(), 3);
        QVERIFY(b.json[QStringLiteral("messages")][0][QStringLiteral("content")].toString().startsWith(QLatin1String("Answer with one JSON object")));
    }

    void unsupportedSaysWhy()
    {
        ChatRequest r = chat();
        r.tools = QJsonArray {QJsonObject {{QStringLiteral("type"), QStringLiteral("function")}}};
        r.extra = QJsonObject {{QStringLiteral("tool_choice"), QStringLiteral("required")}};
        QVERIFY(RequestBuilder::unsupported(provider(Dialect::DeepSeek), model("deepseek-flash"), r).isEmpty());
        QVERIFY(RequestBuilder::unsupported(provider(Dialect::Moonshot), model("kimi-k3"), r).isEmpty());
        QVERIFY(RequestBuilder::unsupported(provider(Dialect::Moonshot), model("kimi-k2.6"), r).contains(QLatin1String("call a tool")));
        r.extra = QJsonObject {{QStringLiteral("parallel_tool_calls"), false}};
        QVERIFY(RequestBuilder::unsupported(provider(Dialect::MiniMax), model("MiniMax-M3"), r).contains(QLatin1String("parallel_tool_calls")));
        QVERIFY(RequestBuilder::unsupported(provider(Dialect::OpenAI), model("gpt-x"), r).isEmpty());
    }

    void commonShape()
    {
        const auto b = RequestBuilder::build(provider(Dialect::OpenAI), model("gpt-x"), chat(), QStringLiteral("sk-1"));
        QVERIFY(b.error.isEmpty());
        QCOMPARE(b.request.url(), QUrl(QStringLiteral("https://api.example.com/v1/chat/completions")));
        QCOMPARE(b.request.rawHeader("Authorization"), QByteArray("Bearer sk-1"));
        QCOMPARE(b.request.rawHeader("Accept"), QByteArray("text/event-stream"));
        QCOMPARE(b.json[QStringLiteral("model")].toString(), QStringLiteral("gpt-x"));
        QVERIFY(b.json[QStringLiteral("stream")].toBool());
        QVERIFY(b.json[QStringLiteral("stream_options")][QStringLiteral("include_usage")].toBool());
        QCOMPARE(b.json[QStringLiteral("messages")][0][QStringLiteral("role")].toString(), QStringLiteral("developer"));
        QCOMPARE(b.json[QStringLiteral("max_tokens")].toInt(), 256);
        QVERIFY(!b.body.contains("sk-1"));   // the key is a header, never the body
        QCOMPARE(RequestBuilder::endpoint(provider(Dialect::DeepSeek, "https://api.deepseek.com"), QStringLiteral("/models")),
                 QUrl(QStringLiteral("https://api.deepseek.com/models")));
    }

    void deepSeek()
    {
        ChatRequest r = chat();
        r.thinking = ChatRequest::Thinking::Off;
        ChatMessage assistant = ChatMessage::text(QStringLiteral("assistant"), QString());
        assistant.reasoning = QStringLiteral("thought");
        assistant.toolCalls = QJsonArray {QJsonObject {}};
        r.messages.insert(1, assistant);
        const auto b = RequestBuilder::build(provider(Dialect::DeepSeek), model("deepseek-v4-pro"), r, {});
        QCOMPARE(b.json[QStringLiteral("messages")][0][QStringLiteral("role")].toString(), QStringLiteral("system"));
        QCOMPARE(b.json[QStringLiteral("thinking")][QStringLiteral("type")].toString(), QStringLiteral("disabled"));
        // Reasoning goes back after tool calls.
        QCOMPARE(b.json[QStringLiteral("messages")][1][QStringLiteral("reasoning_content")].toString(), QStringLiteral("thought"));
    }

    void kimiFixedSampling()
    {
        for (const char *id : {"kimi-k2.6", "kimi-k2.7-code", "kimi-k3"}) {
            const auto b = RequestBuilder::build(provider(Dialect::Moonshot), model(id), chat(), {});
            QVERIFY2(!b.json.contains(QStringLiteral("temperature")), id);
            QVERIFY2(!b.json.contains(QStringLiteral("top_p")), id);
        }
        const auto old = RequestBuilder::build(provider(Dialect::Moonshot), model("kimi-k2.5"), chat(), {});
        QCOMPARE(old.json[QStringLiteral("temperature")].toDouble(), 0.3);
        ChatRequest off = chat();
        off.thinking = ChatRequest::Thinking::Off;
        const auto b = RequestBuilder::build(provider(Dialect::Moonshot), model("kimi-k2.6"), off, {});
        QCOMPARE(b.json[QStringLiteral("thinking")][QStringLiteral("type")].toString(), QStringLiteral("disabled"));
    }

    void miniMax()
    {
        ChatRequest r = chat();
        r.temperature = 0.0;
        const auto b = RequestBuilder::build(provider(Dialect::MiniMax), model("MiniMax-M2.7"), r, {});
        QVERIFY(!b.json.contains(QStringLiteral("max_tokens")));
        QCOMPARE(b.json[QStringLiteral("max_completion_tokens")].toInt(), 256);
        QVERIFY(b.json[QStringLiteral("reasoning_split")].toBool());
        QCOMPARE(b.json[QStringLiteral("temperature")].toDouble(), 0.0);
        r.temperature = 3.5;
        QCOMPARE(RequestBuilder::build(provider(Dialect::MiniMax), model("MiniMax-M2.7"), r, {}).json[QStringLiteral("temperature")].toDouble(), 2.0);
    }

    void dashScopeThinking()
    {
        ChatRequest r = chat();
        r.stream = false;
        auto b = RequestBuilder::build(provider(Dialect::DashScope), model("qwen3-235b-a22b", false, true), r, {});
        QCOMPARE(b.json[QStringLiteral("enable_thinking")].toBool(true), false);
        r.thinking = ChatRequest::Thinking::On;   // still off: DashScope thinks only when streaming
        QCOMPARE(RequestBuilder::build(provider(Dialect::DashScope), model("qwen3-235b-a22b", false, true), r, {})
                     .json[QStringLiteral("enable_thinking")].toBool(true), false);
        r.thinking = ChatRequest::Thinking::Default;
        QCOMPARE(b.request.rawHeader("Accept"), QByteArray("application/json"));
        QVERIFY(!b.json.contains(QStringLiteral("stream_options")));
        r.stream = true;
        r.thinking = ChatRequest::Thinking::On;
        b = RequestBuilder::build(provider(Dialect::DashScope), model("qwen3-235b-a22b", false, true), r, {});
        QVERIFY(b.json[QStringLiteral("enable_thinking")].toBool());
    }

    void openRouter()
    {
        const auto b = RequestBuilder::build(provider(Dialect::OpenRouter), model("deepseek/deepseek-v4-pro"), chat(), {});
        QVERIFY(b.json[QStringLiteral("usage")][QStringLiteral("include")].toBool());
        QCOMPARE(b.json[QStringLiteral("messages")][0][QStringLiteral("role")].toString(), QStringLiteral("developer"));
    }

    void images()
    {
        ChatRequest r = chat();
        r.messages[1].images = {{"image/png", QByteArray("\x89PNG", 4), {}}};
        auto refused = RequestBuilder::build(provider(Dialect::DeepSeek), model("deepseek-v4-pro"), r, {});
        QVERIFY(refused.error.contains(QStringLiteral("cannot see images")));
        auto b = RequestBuilder::build(provider(Dialect::DeepSeek), model("deepseek-flash", true), r, {});
        QVERIFY(b.error.isEmpty());
        const QJsonArray parts = b.json[QStringLiteral("messages")][1][QStringLiteral("content")].toArray();
        QCOMPARE(parts.size(), 2);
        QCOMPARE(parts[0][QStringLiteral("type")].toString(), QStringLiteral("text"));
        QCOMPARE(parts[1][QStringLiteral("image_url")][QStringLiteral("url")].toString(), QStringLiteral("data:image/png;base64,iVBORw=="));

        r.messages[1].images = {{{}, {}, QStringLiteral("https://example.com/cat.png")}};
        b = RequestBuilder::build(provider(Dialect::DashScope), model("qwen-vl-max", true), r, {});
        QCOMPARE(b.json[QStringLiteral("messages")][1][QStringLiteral("content")][1][QStringLiteral("image_url")][QStringLiteral("url")].toString(),
                 QStringLiteral("https://example.com/cat.png"));
        b = RequestBuilder::build(provider(Dialect::Moonshot), model("kimi-k2.6", true), r, {});
        QVERIFY(b.error.contains(QStringLiteral("attach the image")));
    }

    void streamingSwitches()
    {
        ProviderConfig p = provider(Dialect::DeepSeek);
        p.streaming = false;
        QVERIFY(!RequestBuilder::build(p, model("deepseek-v4-pro"), chat(), {}).json[QStringLiteral("stream")].toBool());
        qputenv("DISABLE_STREAMING_BETA", "1");
        const auto b = RequestBuilder::build(provider(Dialect::DeepSeek), model("deepseek-v4-pro"), chat(), {});
        QVERIFY(!b.json[QStringLiteral("stream")].toBool());
        QVERIFY(!b.json.contains(QStringLiteral("stream_options")));
        qunsetenv("DISABLE_STREAMING_BETA");
    }
};

QTEST_GUILESS_MAIN(TestRequestBuilder)
#include "tst_requestbuilder.moc"
