#include "RequestBuilder.h"

#include <QJsonArray>
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
