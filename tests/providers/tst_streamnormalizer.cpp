// Golden transcripts (tests/data/streams/*.sse with *.json expectations), fed whole, byte by byte
// and in random pieces, must give the same normalized result.
#include "SseParser.h"
#include "StreamNormalizer.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

namespace {

struct Outcome
{
    QString content;
    QString reasoning;
    QString finish;
    QString error;
    Usage usage;
    int usageEvents = 0;
    int finishEvents = 0;
    int errorEvents = 0;

    QByteArray describe() const
    {
        return QStringLiteral("content=%1|reasoning=%2|finish=%3|error=%4|usage=%5/%6/%7/%8/%9|events=%10/%11/%12")
            .arg(content, reasoning, finish, error)
            .arg(usage.promptTokens)
            .arg(usage.cachedTokens)
            .arg(usage.completionTokens)
            .arg(usage.reasoningTokens)
            .arg(usage.costMicrosUsd)
            .arg(usageEvents)
            .arg(finishEvents)
            .arg(errorEvents)
            .toUtf8();
    }
};

Dialect dialectOf(const QString &file)
{
    return dialectFromString(file.section(QLatin1Char('_'), 0, 0)).value_or(Dialect::OpenAI);
}

Outcome run(Dialect dialect, const QByteArray &input, const QList<qsizetype> &cuts)
{
    Outcome o;
    StreamNormalizer normalizer(dialect, [&o](const StreamEvent &ev) {
        switch (ev.kind) {
        case StreamEvent::Kind::Content: o.content += ev.text; break;
        case StreamEvent::Kind::Reasoning: o.reasoning += ev.text; break;
        case StreamEvent::Kind::Usage: o.usage = ev.usage; ++o.usageEvents; break;
        case StreamEvent::Kind::Finish: o.finish = ev.finishReason; ++o.finishEvents; break;
        case StreamEvent::Kind::Error: o.error = errorClassName(ev.error.errorClass); ++o.errorEvents; break;
        case StreamEvent::Kind::ToolCall: break;
        case StreamEvent::Kind::Logprobs: break;
        }
    });
    SseParser parser;
    auto sink = [&normalizer](const SseEvent &e) {
        if (e.data != "[DONE]")
            normalizer.chunk(e.data);
    };
    qsizetype from = 0;
    for (qsizetype cut : cuts) {
        parser.feed(QByteArrayView(input).sliced(from, cut - from), sink);
        from = cut;
    }
    parser.feed(QByteArrayView(input).sliced(from), sink);
    parser.finish(sink);
    normalizer.end();
    return o;
}

} // namespace

class TestStreamNormalizer : public QObject
{
    Q_OBJECT

private slots:
    void transcripts_data()
    {
        QTest::addColumn<QString>("name");
        const QDir dir(QStringLiteral(SWITCHYARD_TEST_DATA "/streams"));
        const QStringList files = dir.entryList({QStringLiteral("*.sse")}, QDir::Files, QDir::Name);
        QVERIFY(files.size() >= 12);
        for (const QString &f : files)
            QTest::newRow(qPrintable(f)) << f.chopped(4);
    }

    void transcripts()
    {
        QFETCH(QString, name);
        const QString base = QStringLiteral(SWITCHYARD_TEST_DATA "/streams/") + name;
        QFile sse(base + QStringLiteral(".sse"));
        QFile json(base + QStringLiteral(".json"));
        QVERIFY(sse.open(QIODevice::ReadOnly));
        QVERIFY(json.open(QIODevice::ReadOnly));
        const QByteArray input = sse.readAll();
        const QJsonObject expected = QJsonDocument::fromJson(json.readAll()).object();
        QVERIFY(!expected.isEmpty());
        const Dialect dialect = dialectOf(name);

        const Outcome whole = run(dialect, input, {});
        QCOMPARE(whole.content, expected[QStringLiteral("content")].toString());
        QCOMPARE(whole.reasoning, expected[QStringLiteral("reasoning")].toString());
        QCOMPARE(whole.finish, expected[QStringLiteral("finish")].toString());
        QCOMPARE(whole.error, expected[QStringLiteral("error")].toString());
        const QJsonObject usage = expected[QStringLiteral("usage")].toObject();
        if (usage.isEmpty()) {
            QVERIFY(!whole.usage.isValid());
        } else {
            QCOMPARE(whole.usage.promptTokens, usage[QStringLiteral("prompt")].toInteger());
            QCOMPARE(whole.usage.cachedTokens, usage[QStringLiteral("cached")].toInteger());
            QCOMPARE(whole.usage.completionTokens, usage[QStringLiteral("completion")].toInteger());
            QCOMPARE(whole.usage.reasoningTokens, usage[QStringLiteral("reasoning")].toInteger());
            QCOMPARE(whole.usage.costMicrosUsd, usage[QStringLiteral("cost_micros_usd")].toInteger(-1));
            QCOMPARE(whole.usageEvents, 1);   // once, never summed
        }
        QVERIFY(whole.finishEvents + whole.errorEvents == 1);   // every stream ends exactly once

        QList<qsizetype> everyByte;
        for (qsizetype i = 1; i < input.size(); ++i)
            everyByte << i;
        QCOMPARE(run(dialect, input, everyByte).describe(), whole.describe());
        QRandomGenerator rng(7);
        for (int round = 0; round < 40; ++round) {
            QList<qsizetype> cuts;
            for (qsizetype at = rng.bounded(1, 64); at < input.size(); at += rng.bounded(1, 64))
                cuts << at;
            QCOMPARE(run(dialect, input, cuts).describe(), whole.describe());
        }
    }

    void thinkOnlyAtTheStart()
    {
        QString content;
        QString reasoning;
        StreamNormalizer n(Dialect::OpenAI, [&](const StreamEvent &ev) {
            if (ev.kind == StreamEvent::Kind::Content)
                content += ev.text;
            else if (ev.kind == StreamEvent::Kind::Reasoning)
                reasoning += ev.text;
        });
        n.chunk(QByteArray(R"({"choices":[{"index":0,"delta":{"content":"Use <think>"}}]})"));
        n.chunk(QByteArray(R"({"choices":[{"index":0,"delta":{"content":" tags."},"finish_reason":"stop"}]})"));
        n.end();
        QCOMPARE(content, QStringLiteral("Use <think> tags."));
        QVERIFY(reasoning.isEmpty());
    }

    void unclosedThinkIsReasoning()
    {
        QString reasoning;
        QString error;
        StreamNormalizer n(Dialect::MiniMax, [&](const StreamEvent &ev) {
            if (ev.kind == StreamEvent::Kind::Reasoning)
                reasoning += ev.text;
            if (ev.kind == StreamEvent::Kind::Error)
                error = errorClassName(ev.error.errorClass);
        });
        n.chunk(QByteArray(R"({"choices":[{"index":0,"delta":{"content":"  <think>still </thi"}}]})"));
        n.end();
        QCOMPARE(reasoning, QStringLiteral("still </thi"));
        QCOMPARE(error, QStringLiteral("truncated"));
    }

    void toolCalls()
    {
        QList<ToolCallDelta> calls;
        QString finish;
        StreamNormalizer n(Dialect::DeepSeek, [&](const StreamEvent &ev) {
            if (ev.kind == StreamEvent::Kind::ToolCall)
                calls << ev.toolCall;
            if (ev.kind == StreamEvent::Kind::Finish)
                finish = ev.finishReason;
        });
        n.chunk(QByteArray(R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"get_weather","arguments":""}}]}}]})"));
        n.chunk(QByteArray("{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]}}]}"));
        n.chunk(QByteArray(R"({"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]})"));
        n.end();
        QCOMPARE(calls.size(), 2);
        QCOMPARE(calls[0].name, QStringLiteral("get_weather"));
        QCOMPARE(calls[0].id, QStringLiteral("call_1"));
        QCOMPARE(calls[1].argumentsDelta, QStringLiteral("{\"city\":"));
        QCOMPARE(finish, QStringLiteral("tool_calls"));
    }

    void finalMessageDoesNotRepeatToolCalls()
    {
        int calls = 0;
        StreamNormalizer n(Dialect::MiniMax, [&](const StreamEvent &ev) { calls += ev.kind == StreamEvent::Kind::ToolCall; });
        n.chunk(QByteArray(R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"c1","function":{"name":"f","arguments":"{}"}}]}}]})"));
        n.chunk(QByteArray(R"({"choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant","tool_calls":[{"index":0,"id":"c1","function":{"name":"f","arguments":"{}"}}]}}],"object":"chat.completion"})"));
        n.end();
        QCOMPARE(calls, 1);
    }

    // A whole message's parallel calls carry no index: each is its own call, by position.
    void wholeMessageToolCallsKeepTheirPlaces()
    {
        QList<ToolCallDelta> calls;
        StreamNormalizer n(Dialect::OpenAI, [&](const StreamEvent &ev) {
            if (ev.kind == StreamEvent::Kind::ToolCall)
                calls << ev.toolCall;
        });
        n.message(QByteArray(R"({"choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant","content":null,"tool_calls":[{"id":"a","type":"function","function":{"name":"get_weather","arguments":"{}"}},{"id":"b","type":"function","function":{"name":"get_time","arguments":"{}"}}]}}]})"));
        n.end();
        QCOMPARE(calls.size(), 2);
        QCOMPARE(calls[0].index, 0);
        QCOMPARE(calls[1].index, 1);
        QCOMPARE(calls[1].name, QStringLiteral("get_time"));
        QCOMPARE(calls[1].id, QStringLiteral("b"));
    }

    void nonStreamingReasoningDetails()
    {
        QString reasoning;
        StreamNormalizer n(Dialect::MiniMax, [&](const StreamEvent &ev) {
            if (ev.kind == StreamEvent::Kind::Reasoning)
                reasoning += ev.text;
        });
        n.message(QByteArray(R"({"choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"Hi","reasoning_details":[{"type":"reasoning.text","text":"Greet back."}]}}]})"));
        n.end();
        QCOMPARE(reasoning, QStringLiteral("Greet back."));
    }

    void nonStreamingBody()
    {
        QString content;
        QString reasoning;
        Usage usage;
        StreamNormalizer n(Dialect::DeepSeek, [&](const StreamEvent &ev) {
            if (ev.kind == StreamEvent::Kind::Content)
                content += ev.text;
            if (ev.kind == StreamEvent::Kind::Reasoning)
                reasoning += ev.text;
            if (ev.kind == StreamEvent::Kind::Usage)
                usage = ev.usage;
        });
        n.message(QByteArray(R"({"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Hi","reasoning_content":"Think"},"finish_reason":"stop"}],"usage":{"prompt_tokens":6,"completion_tokens":92,"total_tokens":98,"prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":81},"prompt_cache_hit_tokens":0,"prompt_cache_miss_tokens":6}})"));
        n.end();
        QCOMPARE(content, QStringLiteral("Hi"));
        QCOMPARE(reasoning, QStringLiteral("Think"));
        QCOMPARE(usage.completionTokens, 92);
        QCOMPARE(usage.reasoningTokens, 81);
        QCOMPARE(usage.cacheMissTokens(), 6);
    }

    void brokenChunkIsAnError()
    {
        QString error;
        QString content;
        StreamNormalizer n(Dialect::OpenAI, [&](const StreamEvent &ev) {
            if (ev.kind == StreamEvent::Kind::Error)
                error = errorClassName(ev.error.errorClass);
            if (ev.kind == StreamEvent::Kind::Content)
                content += ev.text;
        });
        n.chunk(QByteArray(R"({"choices":[{"index":0,"delta":{"content":"Hel"}}]})"));
        n.chunk(QByteArray("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo"));   // cut off
        n.end();
        QCOMPARE(content, QStringLiteral("Hel"));
        QCOMPARE(error, QStringLiteral("server"));
    }

    // Token counts sent as floats: a whole one is taken, one no provider could mean is unknown
    // (fuzz_stream found 2e55 cast to an integer, which is undefined).
    void floatTokenCounts()
    {
        const QByteArray usage = R"({"choices":[],"usage":{"prompt_tokens":120.0,"completion_tokens":2e55,"total_tokens":-3.5,"cost":1e300}})";
        const Outcome o = run(Dialect::OpenAI, "data: " + usage + "\n\n", {});
        QCOMPARE(o.usage.promptTokens, 120);
        QCOMPARE(o.usage.completionTokens, -1);
        QCOMPARE(o.usage.costMicrosUsd, -1);   // nor a cost no call could have
    }
};

QTEST_GUILESS_MAIN(TestStreamNormalizer)
#include "tst_streamnormalizer.moc"
