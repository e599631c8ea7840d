// The Responses door (POST /v1/responses) over real loopback HTTP with the fake provider behind it:
// the event stream as OpenAI documents it, whole response objects, what the items became upstream,
// previous_response_id and item_reference against the kept responses, refusals with their `param`,
// fallback and errors, one ledger row per attempt; then the openai package and the AI SDK's default
// model (tests/node/responses.mjs) against every dialect of the fake provider.
#include "EndpointClient.h"
#include "GatewayFixture.h"
#include "ResponseStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QStandardPaths>
#include <QTest>

namespace {

struct Event
{
    QByteArray name;   // the `event:` line
    QJsonObject data;
    QString type() const { return data.value(QStringLiteral("type")).toString(); }
};

// The events of an SSE body, in order; an event whose data is not one JSON object is kept with an
// empty object (and fails the checks that follow).
QList<Event> events(const QByteArray &body)
{
    QList<Event> out;
    for (const QByteArray &block : body.split('\n')) {
        if (block.startsWith("event: "))
            out.append({block.mid(7), {}});
        else if (block.startsWith("data: ") && !out.isEmpty())
            out.last().data = QJsonDocument::fromJson(block.mid(6)).object();
        else if (block.startsWith("data: "))
            out.append({{}, QJsonDocument::fromJson(block.mid(6)).object()});
    }
    return out;
}

// The event types, with runs of one delta type shown once.
QStringList shape(const QList<Event> &evs)
{
    QStringList out;
    for (const Event &e : evs) {
        if (!out.isEmpty() && out.last() == e.type() && e.type().endsWith(u".delta"))
            continue;
        out << e.type();
    }
    return out;
}

QJsonObject object(const char *json)
{
    return QJsonDocument::fromJson(json).object();
}

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

const QJsonObject &weatherTool()
{
    static const QJsonObject tool = object(R"({"type":"function","name":"get_weather","description":"Current weather in a city",)"
            R"("parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false},)"
            R"("strict":true})");
    return tool;
}

} // namespace

class TestResponses : public QObject
{
    Q_OBJECT

public:
    std::unique_ptr<GatewayFixture> fx;
    QNetworkAccessManager nam;
    QString node;
    QString script;

    HttpReply post(const QJsonObject &body, const QByteArray &key = GatewayFixture::Key)
    {
        return sendAndWait(nam, "POST", QUrl(fx->url() + QStringLiteral("/responses")), compact(body),
                           {{"Authorization", "Bearer " + key}});
    }

    static QString expectedText(FakeDialect dialect, const QString &said = QStringLiteral("hello"))
    {
        const QJsonObject request {{QStringLiteral("messages"),
                                    QJsonArray {QJsonObject {{QStringLiteral("role"), QStringLiteral("user")},
                                                             {QStringLiteral("content"), said}}}}};
        return FakeProvider::answerText(dialect, request);
    }

    // Every event's `event:` line names its type, and sequence_number counts from 0 with no gap.
    static void checkFraming(const QList<Event> &evs)
    {
        QVERIFY(!evs.isEmpty());
        for (qsizetype i = 0; i < evs.size(); ++i) {
            QCOMPARE(QString::fromLatin1(evs[i].name), evs[i].type());
            QCOMPARE(evs[i].data.value(QStringLiteral("sequence_number")).toInt(-1), int(i));
        }
    }

    static void checkUsage(const QJsonObject &usage)
    {
        QCOMPARE(usage.value(QStringLiteral("input_tokens")).toInt(), FakeUsage::prompt);
        QCOMPARE(usage.value(QStringLiteral("output_tokens")).toInt(), FakeUsage::completion);
        QCOMPARE(usage.value(QStringLiteral("total_tokens")).toInt(), FakeUsage::prompt + FakeUsage::completion);
        QVERIFY(usage.value(QStringLiteral("input_tokens_details")).toObject().contains(QStringLiteral("cached_tokens")));
        QVERIFY(usage.value(QStringLiteral("output_tokens_details")).toObject().contains(QStringLiteral("reasoning_tokens")));
    }

    QJsonObject runNode(const QString &which, const QString &model)
    {
        return runNodeCase(*fx, node, script, which, model);
    }

private slots:
    void initTestCase()
    {
        node = QStandardPaths::findExecutable(QStringLiteral("node"));
        script = qEnvironmentVariable("SWITCHYARD_NODE_CLIENT_DIR") + QStringLiteral("/responses.mjs");
    }

    void init()
    {
        fx = std::make_unique<GatewayFixture>();
        QString why;
        QVERIFY2(fx->start(&why), qPrintable(why));
    }

    void cleanup()
    {
        fx.reset();
        nam.clearConnectionCache();
    }

    // DeepSeek's reasoning, then its text: a reasoning item at 0, a message at 1, in OpenAI's order.
    void streamedTextFollowsTheDocumentedSequence()
    {
        const HttpReply r = post(object(R"({"model":"fast","input":"hello","stream":true})"));
        QCOMPARE(r.status, 200);
        QVERIFY(r.headers.value("content-type").startsWith("text/event-stream"));
        const QList<Event> evs = events(r.body);
        checkFraming(evs);
        const QStringList expected {
            QStringLiteral("response.created"), QStringLiteral("response.in_progress"),
            QStringLiteral("response.output_item.added"), QStringLiteral("response.reasoning_summary_part.added"),
            QStringLiteral("response.reasoning_summary_text.delta"), QStringLiteral("response.reasoning_summary_text.done"),
            QStringLiteral("response.reasoning_summary_part.done"), QStringLiteral("response.output_item.done"),
            QStringLiteral("response.output_item.added"), QStringLiteral("response.content_part.added"),
            QStringLiteral("response.output_text.delta"), QStringLiteral("response.output_text.done"),
            QStringLiteral("response.content_part.done"), QStringLiteral("response.output_item.done"),
            QStringLiteral("response.completed")};
        QCOMPARE(shape(evs), expected);
        QVERIFY(!r.body.contains("[DONE]"));

        const QJsonObject created = evs[0].data.value(QStringLiteral("response")).toObject();
        const QString id = created.value(QStringLiteral("id")).toString();
        QVERIFY(id.startsWith(u"resp_"));
        QCOMPARE(created.value(QStringLiteral("object")).toString(), QStringLiteral("response"));
        QCOMPARE(created.value(QStringLiteral("status")).toString(), QStringLiteral("in_progress"));
        QCOMPARE(created.value(QStringLiteral("model")).toString(), QStringLiteral("fast"));
        QVERIFY(created.value(QStringLiteral("created_at")).toInteger() > 1'700'000'000);
        QCOMPARE(created.value(QStringLiteral("output")).toArray(), QJsonArray());

        QString reasoning, text, reasoningId, messageId;
        for (const Event &e : evs) {
            const QJsonObject d = e.data;
            if (e.type() == u"response.output_item.added") {
                const QJsonObject item = d.value(QStringLiteral("item")).toObject();
                const int index = d.value(QStringLiteral("output_index")).toInt(-1);
                if (item.value(QStringLiteral("type")).toString() == u"reasoning") {
                    QCOMPARE(index, 0);
                    reasoningId = item.value(QStringLiteral("id")).toString();
                } else {
                    QCOMPARE(index, 1);
                    QCOMPARE(item.value(QStringLiteral("status")).toString(), QStringLiteral("in_progress"));
                    QCOMPARE(item.value(QStringLiteral("role")).toString(), QStringLiteral("assistant"));
                    messageId = item.value(QStringLiteral("id")).toString();
                }
            } else if (e.type() == u"response.reasoning_summary_text.delta") {
                QCOMPARE(d.value(QStringLiteral("item_id")).toString(), reasoningId);
                QCOMPARE(d.value(QStringLiteral("summary_index")).toInt(-1), 0);
                reasoning += d.value(QStringLiteral("delta")).toString();
            } else if (e.type() == u"response.output_text.delta") {
                QCOMPARE(d.value(QStringLiteral("item_id")).toString(), messageId);
                QCOMPARE(d.value(QStringLiteral("output_index")).toInt(), 1);
                QCOMPARE(d.value(QStringLiteral("content_index")).toInt(-1), 0);
                text += d.value(QStringLiteral("delta")).toString();
            } else if (e.type() == u"response.output_text.done") {
                QCOMPARE(d.value(QStringLiteral("text")).toString(), text);
            } else if (e.type() == u"response.reasoning_summary_text.done") {
                QCOMPARE(d.value(QStringLiteral("text")).toString(), reasoning);
            }
        }
        QVERIFY(reasoningId.startsWith(u"rs_"));
        QVERIFY(messageId.startsWith(u"msg_"));
        QCOMPARE(reasoning, FakeProvider::reasoningText());
        QCOMPARE(text, expectedText(FakeDialect::DeepSeek));

        const QJsonObject done = evs.last().data.value(QStringLiteral("response")).toObject();
        QCOMPARE(done.value(QStringLiteral("id")).toString(), id);
        QCOMPARE(done.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        const QJsonArray output = done.value(QStringLiteral("output")).toArray();
        QCOMPARE(output.size(), 2);
        QCOMPARE(output[0].toObject().value(QStringLiteral("summary")).toArray()[0].toObject().value(QStringLiteral("text")).toString(),
                 reasoning);
        const QJsonObject message = output[1].toObject();
        QCOMPARE(message.value(QStringLiteral("id")).toString(), messageId);
        QCOMPARE(message.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        QCOMPARE(message.value(QStringLiteral("content")).toArray()[0].toObject().value(QStringLiteral("text")).toString(), text);
        checkUsage(done.value(QStringLiteral("usage")).toObject());

        QList<QVariantMap> rows;
        QTRY_COMPARE_WITH_TIMEOUT((rows = fx->ledgerRows()).size(), 1, 10000);
        QCOMPARE(rows[0].value(QStringLiteral("model")).toString(), QStringLiteral("fast"));
        QCOMPARE(rows[0].value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
        QCOMPARE(rows[0].value(QStringLiteral("prompt_tokens")).toInt(), FakeUsage::prompt);
        QCOMPARE(rows[0].value(QStringLiteral("api")).toString(), QStringLiteral("responses"));
        QCOMPARE(rows[0].value(QStringLiteral("completion_tokens")).toInt(), FakeUsage::completion);
    }

    void wholeResponseObject()
    {
        const HttpReply r = post(object(R"({"model":"kimi","input":"hello","instructions":"Be brief.","metadata":{"team":"a"}})"));
        QCOMPARE(r.status, 200);
        const QJsonObject o = r.json();
        QCOMPARE(o.value(QStringLiteral("object")).toString(), QStringLiteral("response"));
        QCOMPARE(o.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        QCOMPARE(o.value(QStringLiteral("model")).toString(), QStringLiteral("kimi"));
        QCOMPARE(o.value(QStringLiteral("instructions")).toString(), QStringLiteral("Be brief."));
        QCOMPARE(o.value(QStringLiteral("metadata")).toObject().value(QStringLiteral("team")).toString(), QStringLiteral("a"));
        QVERIFY(o.value(QStringLiteral("error")).isNull());
        QVERIFY(o.value(QStringLiteral("incomplete_details")).isNull());
        const QJsonArray output = o.value(QStringLiteral("output")).toArray();
        QCOMPARE(output.size(), 2);
        QCOMPARE(output[0].toObject().value(QStringLiteral("type")).toString(), QStringLiteral("reasoning"));
        const QJsonObject part = output[1].toObject().value(QStringLiteral("content")).toArray()[0].toObject();
        QCOMPARE(part.value(QStringLiteral("type")).toString(), QStringLiteral("output_text"));
        QCOMPARE(part.value(QStringLiteral("text")).toString(), expectedText(FakeDialect::Moonshot));
        QCOMPARE(part.value(QStringLiteral("annotations")).toArray(), QJsonArray());
        checkUsage(o.value(QStringLiteral("usage")).toObject());
        QCOMPARE(r.headers.value("x-switchyard-model"), QByteArray("kimi"));
        // Instructions became the leading system message.
        const QJsonArray sent = fx->chatRequests().last().value(QStringLiteral("messages")).toArray();
        QCOMPARE(sent[0].toObject().value(QStringLiteral("role")).toString(), QStringLiteral("system"));
        QCOMPARE(sent[0].toObject().value(QStringLiteral("content")).toString(), QStringLiteral("Be brief."));
        QCOMPARE(sent[1].toObject().value(QStringLiteral("content")).toString(), QStringLiteral("hello"));
    }

    void functionCallStreams()
    {
        QJsonObject body = object(R"({"model":"plain","stream":true,"input":[{"role":"user","content":"What is the weather in Paris?"}]})");
        body.insert(QStringLiteral("tools"), QJsonArray {weatherTool()});
        const HttpReply r = post(body);
        QCOMPARE(r.status, 200);
        const QList<Event> evs = events(r.body);
        checkFraming(evs);
        const QStringList expected {QStringLiteral("response.created"), QStringLiteral("response.in_progress"),
                                    QStringLiteral("response.output_item.added"),
                                    QStringLiteral("response.function_call_arguments.delta"),
                                    QStringLiteral("response.function_call_arguments.done"),
                                    QStringLiteral("response.output_item.done"), QStringLiteral("response.completed")};
        QCOMPARE(shape(evs), expected);
        const QJsonObject added = evs[2].data.value(QStringLiteral("item")).toObject();
        QCOMPARE(added.value(QStringLiteral("type")).toString(), QStringLiteral("function_call"));
        QVERIFY(added.value(QStringLiteral("id")).toString().startsWith(u"fc_"));
        QVERIFY(!added.value(QStringLiteral("call_id")).toString().isEmpty());
        QCOMPARE(added.value(QStringLiteral("name")).toString(), QStringLiteral("get_weather"));
        QCOMPARE(added.value(QStringLiteral("arguments")).toString(), QString());
        QString streamed;
        for (const Event &e : evs) {
            if (e.type() == u"response.function_call_arguments.delta") {
                QCOMPARE(e.data.value(QStringLiteral("item_id")).toString(), added.value(QStringLiteral("id")).toString());
                streamed += e.data.value(QStringLiteral("delta")).toString();
            }
        }
        const QString args = QStringLiteral(R"({"city":"Paris"})");
        QCOMPARE(streamed, args);
        const Event &argsDone = evs[evs.size() - 3];
        QCOMPARE(argsDone.data.value(QStringLiteral("arguments")).toString(), args);
        QCOMPARE(argsDone.data.value(QStringLiteral("name")).toString(), QStringLiteral("get_weather"));
        const QJsonArray output = evs.last().data.value(QStringLiteral("response")).toObject().value(QStringLiteral("output")).toArray();
        QCOMPARE(output.size(), 1);
        const QJsonObject call = output[0].toObject();
        QCOMPARE(call.value(QStringLiteral("call_id")).toString(), added.value(QStringLiteral("call_id")).toString());
        QCOMPARE(call.value(QStringLiteral("arguments")).toString(), args);
        QCOMPARE(call.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        // Upstream, the flat tool was nested the chat completions way.
        const QJsonObject tool = fx->chatRequests().last().value(QStringLiteral("tools")).toArray()[0].toObject();
        QCOMPARE(tool.value(QStringLiteral("type")).toString(), QStringLiteral("function"));
        QCOMPARE(tool.value(QStringLiteral("function")).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("get_weather"));
        QCOMPARE(tool.value(QStringLiteral("function")).toObject().value(QStringLiteral("strict")).toBool(), true);
    }

    // Parallel calls split by a reasoning item, their outputs out of order (one as parts), a developer
    // message and replayed assistant text: one assistant turn with both calls and its reasoning, the
    // tool messages in the calls' order.
    void itemsBecomeChatMessages()
    {
        const QJsonObject body = object(R"({"model":"fast","instructions":"Use tools.","input":[)"
            R"({"type":"message","role":"developer","content":[{"type":"input_text","text":"Be exact."}]},)"
            R"({"role":"user","content":"What is the weather and the time in Paris?"},)"
            R"({"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"Two tools."}]},)"
            R"({"type":"message","role":"assistant","id":"msg_1","status":"completed","content":[{"type":"output_text","text":"Checking.","annotations":[]}]},)"
            R"({"type":"function_call","call_id":"call_a","name":"get_weather","arguments":"{}"},)"
            R"({"type":"reasoning","id":"rs_2","summary":[{"type":"summary_text","text":"And the time."}]},)"
            R"({"type":"function_call","call_id":"call_b","name":"get_time","arguments":"{}"},)"
            R"({"type":"function_call_output","call_id":"call_b","output":[{"type":"input_text","text":"12:00"}]},)"
            R"({"type":"function_call_output","call_id":"call_a","output":"21C"}],)"
            R"("max_output_tokens":500,"temperature":0.5,)"
            R"("store":false,"include":["reasoning.encrypted_content"],"prompt_cache_key":"k","truncation":"auto",)"
            R"("service_tier":"auto","safety_identifier":"u1","stream_options":{"include_obfuscation":false}})");
        const HttpReply r = post(body);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value(QStringLiteral("output")).toArray().last().toObject()
                     .value(QStringLiteral("content")).toArray()[0].toObject().value(QStringLiteral("text")).toString(),
                 QStringLiteral("Done: 21C, 12:00"));
        const QJsonObject sent = fx->chatRequests().last();
        const QJsonArray messages = sent.value(QStringLiteral("messages")).toArray();
        QCOMPARE(messages.size(), 6);
        QCOMPARE(messages[0].toObject().value(QStringLiteral("content")).toString(), QStringLiteral("Use tools."));
        // DeepSeek knows no developer role: the dialect makes it a system message.
        QCOMPARE(messages[1].toObject().value(QStringLiteral("role")).toString(), QStringLiteral("system"));
        QCOMPARE(messages[1].toObject().value(QStringLiteral("content")).toString(), QStringLiteral("Be exact."));
        QCOMPARE(messages[2].toObject().value(QStringLiteral("role")).toString(), QStringLiteral("user"));
        const QJsonObject assistant = messages[3].toObject();
        QCOMPARE(assistant.value(QStringLiteral("role")).toString(), QStringLiteral("assistant"));
        QCOMPARE(assistant.value(QStringLiteral("content")).toString(), QStringLiteral("Checking."));
        QCOMPARE(assistant.value(QStringLiteral("reasoning_content")).toString(), QStringLiteral("Two tools.\n\nAnd the time."));
        const QJsonArray calls = assistant.value(QStringLiteral("tool_calls")).toArray();
        QCOMPARE(calls.size(), 2);
        QCOMPARE(calls[0].toObject().value(QStringLiteral("id")).toString(), QStringLiteral("call_a"));
        QCOMPARE(calls[1].toObject().value(QStringLiteral("function")).toObject().value(QStringLiteral("name")).toString(),
                 QStringLiteral("get_time"));
        QCOMPARE(messages[4].toObject().value(QStringLiteral("tool_call_id")).toString(), QStringLiteral("call_a"));
        QCOMPARE(messages[4].toObject().value(QStringLiteral("content")).toString(), QStringLiteral("21C"));
        QCOMPARE(messages[5].toObject().value(QStringLiteral("tool_call_id")).toString(), QStringLiteral("call_b"));
        QCOMPARE(messages[5].toObject().value(QStringLiteral("content")).toString(), QStringLiteral("12:00"));
        QCOMPARE(sent.value(QStringLiteral("max_tokens")).toInt(), 500);
        QCOMPARE(sent.value(QStringLiteral("temperature")).toDouble(), 0.5);
        // Responses-only fields stay here.
        for (const char *field : {"store", "include", "prompt_cache_key", "truncation", "service_tier", "safety_identifier",
                                  "text", "instructions", "input"})
            QVERIFY2(!sent.contains(QLatin1String(field)), field);
    }

    void schemaEffortAndToolChoiceReachTheProvider()
    {
        QJsonObject body = object(R"({"model":"plain","input":"What is the weather in Paris?",)"
            R"("tool_choice":{"type":"function","name":"get_weather"},"parallel_tool_calls":false,)"
            R"("reasoning":{"effort":"low","summary":"auto"},)"
            R"("text":{"format":{"type":"json_schema","name":"weather","strict":true,)"
            R"("schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}})");
        body.insert(QStringLiteral("tools"), QJsonArray {weatherTool()});
        const HttpReply r = post(body);
        QCOMPARE(r.status, 200);
        const QJsonObject sent = fx->chatRequests().last();
        QCOMPARE(sent.value(QStringLiteral("tool_choice")).toObject().value(QStringLiteral("function")).toObject()
                     .value(QStringLiteral("name")).toString(),
                 QStringLiteral("get_weather"));
        QCOMPARE(sent.value(QStringLiteral("parallel_tool_calls")).toBool(true), false);
        QCOMPARE(sent.value(QStringLiteral("reasoning_effort")).toString(), QStringLiteral("low"));
        const QJsonObject format = sent.value(QStringLiteral("response_format")).toObject();
        QCOMPARE(format.value(QStringLiteral("type")).toString(), QStringLiteral("json_schema"));
        QCOMPARE(format.value(QStringLiteral("json_schema")).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("weather"));
        QCOMPARE(format.value(QStringLiteral("json_schema")).toObject().value(QStringLiteral("strict")).toBool(), true);
        QVERIFY(!sent.contains(QStringLiteral("reasoning")));
        const QJsonObject echoed = r.json();
        QCOMPARE(echoed.value(QStringLiteral("parallel_tool_calls")).toBool(true), false);
        QCOMPARE(echoed.value(QStringLiteral("reasoning")).toObject().value(QStringLiteral("effort")).toString(), QStringLiteral("low"));
    }

    // A function call, then its output after previous_response_id: the kept conversation comes
    // first (with the reasoning DeepSeek wants back), the instructions do not.
    void previousResponseIdContinues()
    {
        QJsonObject first = object(R"({"model":"fast","instructions":"Be brief.","input":"What is the weather in Paris?"})");
        first.insert(QStringLiteral("tools"), QJsonArray {weatherTool()});
        const HttpReply a = post(first);
        QCOMPARE(a.status, 200);
        const QJsonObject call = a.json().value(QStringLiteral("output")).toArray().last().toObject();
        QCOMPARE(call.value(QStringLiteral("type")).toString(), QStringLiteral("function_call"));
        QJsonObject second {{QStringLiteral("model"), QStringLiteral("fast")},
                            {QStringLiteral("previous_response_id"), a.json().value(QStringLiteral("id"))},
                            {QStringLiteral("tools"), QJsonArray {weatherTool()}},
                            {QStringLiteral("input"),
                             QJsonArray {QJsonObject {{QStringLiteral("type"), QStringLiteral("function_call_output")},
                                                      {QStringLiteral("call_id"), call.value(QStringLiteral("call_id"))},
                                                      {QStringLiteral("output"), QStringLiteral(R"({"temp_c":21})")}}}}};
        const HttpReply b = post(second);
        QCOMPARE(b.status, 200);
        QCOMPARE(b.json().value(QStringLiteral("previous_response_id")), a.json().value(QStringLiteral("id")));
        QCOMPARE(b.json().value(QStringLiteral("output")).toArray().last().toObject().value(QStringLiteral("content")).toArray()[0]
                     .toObject().value(QStringLiteral("text")).toString(),
                 QStringLiteral(R"(Done: {"temp_c":21})"));
        const QJsonArray messages = fx->chatRequests().last().value(QStringLiteral("messages")).toArray();
        QCOMPARE(messages.size(), 3);
        QCOMPARE(messages[0].toObject().value(QStringLiteral("role")).toString(), QStringLiteral("user"));
        QCOMPARE(messages[1].toObject().value(QStringLiteral("tool_calls")).toArray()[0].toObject().value(QStringLiteral("id")),
                 call.value(QStringLiteral("call_id")));
        QVERIFY(!messages[1].toObject().value(QStringLiteral("reasoning_content")).toString().isEmpty());
        QCOMPARE(messages[2].toObject().value(QStringLiteral("role")).toString(), QStringLiteral("tool"));

        // Another key does not see this key's responses.
        const HttpReply other = post(second, GatewayFixture::NamedKey);
        QCOMPARE(other.status, 400);
        QCOMPARE(other.error().value(QStringLiteral("code")).toString(), QStringLiteral("previous_response_not_found"));
        QCOMPARE(other.error().value(QStringLiteral("param")).toString(), QStringLiteral("previous_response_id"));

        // store: false keeps nothing to continue from.
        first.insert(QStringLiteral("store"), false);
        const HttpReply unkept = post(first);
        QCOMPARE(unkept.status, 200);
        QCOMPARE(unkept.json().value(QStringLiteral("store")).toBool(true), false);
        second.insert(QStringLiteral("previous_response_id"), unkept.json().value(QStringLiteral("id")));
        const HttpReply refused = post(second);
        QCOMPARE(refused.status, 400);
        QCOMPARE(refused.error().value(QStringLiteral("code")).toString(), QStringLiteral("previous_response_not_found"));
        QCOMPARE(refused.error().value(QStringLiteral("type")).toString(), QStringLiteral("invalid_request_error"));
    }

    // The AI SDK's default: earlier output items sent back as item_reference.
    void itemReferencesResolve()
    {
        QJsonObject first = object(R"({"model":"fast","input":"What is the weather in Paris?"})");
        first.insert(QStringLiteral("tools"), QJsonArray {weatherTool()});
        const HttpReply a = post(first);
        const QJsonArray output = a.json().value(QStringLiteral("output")).toArray();
        QCOMPARE(output.size(), 2);   // reasoning, function_call
        QJsonArray input {QJsonObject {{QStringLiteral("role"), QStringLiteral("user")},
                                       {QStringLiteral("content"), QStringLiteral("What is the weather in Paris?")}}};
        for (const QJsonValue &item : output)
            input.append(QJsonObject {{QStringLiteral("type"), QStringLiteral("item_reference")},
                                      {QStringLiteral("id"), item.toObject().value(QStringLiteral("id"))}});
        input.append(QJsonObject {{QStringLiteral("type"), QStringLiteral("function_call_output")},
                                  {QStringLiteral("call_id"), output[1].toObject().value(QStringLiteral("call_id"))},
                                  {QStringLiteral("output"), QStringLiteral("sunny")}});
        QJsonObject second {{QStringLiteral("model"), QStringLiteral("fast")}, {QStringLiteral("input"), input},
                            {QStringLiteral("tools"), QJsonArray {weatherTool()}}};
        const HttpReply b = post(second);
        QCOMPARE(b.status, 200);
        const QJsonArray messages = fx->chatRequests().last().value(QStringLiteral("messages")).toArray();
        QCOMPARE(messages.size(), 3);
        QCOMPARE(messages[1].toObject().value(QStringLiteral("reasoning_content")).toString(),
                 output[0].toObject().value(QStringLiteral("summary")).toArray()[0].toObject().value(QStringLiteral("text")).toString());
        QCOMPARE(messages[2].toObject().value(QStringLiteral("content")).toString(), QStringLiteral("sunny"));

        input.replace(1, QJsonObject {{QStringLiteral("type"), QStringLiteral("item_reference")}, {QStringLiteral("id"), QStringLiteral("rs_nope")}});
        second.insert(QStringLiteral("input"), input);
        const HttpReply missing = post(second);
        QCOMPARE(missing.status, 400);
        QCOMPARE(missing.error().value(QStringLiteral("code")).toString(), QStringLiteral("item_not_found"));
        QCOMPARE(missing.error().value(QStringLiteral("param")).toString(), QStringLiteral("input[1].id"));
    }

    void refusalsNameTheField_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("param");
        QTest::addColumn<QString>("code");
        QTest::newRow("conversation") << QByteArray(R"({"model":"fast","input":"hi","conversation":"conv_1"})")
                                      << "conversation" << "unsupported_parameter";
        QTest::newRow("background") << QByteArray(R"({"model":"fast","input":"hi","background":true})") << "background"
                                    << "unsupported_parameter";
        QTest::newRow("stored prompt") << QByteArray(R"({"model":"fast","input":"hi","prompt":{"id":"pmpt_1"}})") << "prompt"
                                       << "unsupported_parameter";
        QTest::newRow("hosted tool") << QByteArray(R"({"model":"fast","input":"hi","tools":[{"type":"web_search"}]})")
                                     << "tools[0].type" << "unsupported_value";
        QTest::newRow("hosted tool choice") << QByteArray(R"({"model":"fast","input":"hi","tool_choice":{"type":"file_search"}})")
                                            << "tool_choice" << "unsupported_value";
        QTest::newRow("max_output_tokens below 16") << QByteArray(R"({"model":"fast","input":"hi","max_output_tokens":8})")
                                                    << "max_output_tokens" << "integer_below_min_value";
        QTest::newRow("temperature") << QByteArray(R"({"model":"fast","input":"hi","temperature":3})") << "temperature"
                                     << "decimal_above_max_value";
        QTest::newRow("no input") << QByteArray(R"({"model":"fast"})") << "input" << "missing_required_parameter";
        QTest::newRow("input of a number") << QByteArray(R"({"model":"fast","input":5})") << "input" << "invalid_type";
        QTest::newRow("computer call item") << QByteArray(R"({"model":"fast","input":[{"type":"computer_call","id":"c"}]})")
                                            << "input[0].type" << "unsupported_value";
        QTest::newRow("input_file part")
            << QByteArray(R"({"model":"fast","input":[{"role":"user","content":[{"type":"input_file","file_id":"f"}]}]})")
            << "input[0].content[0].type" << "unsupported_value";
        QTest::newRow("function call without call_id")
            << QByteArray(R"({"model":"fast","input":[{"type":"function_call","name":"f","arguments":"{}"}]})")
            << "input[0].call_id" << "missing_required_parameter";
        QTest::newRow("unknown role") << QByteArray(R"({"model":"fast","input":[{"role":"robot","content":"hi"}]})")
                                      << "input[0].role" << "invalid_value";
        QTest::newRow("effort") << QByteArray(R"({"model":"fast","input":"hi","reasoning":{"effort":"extreme"}})")
                                << "reasoning.effort" << "invalid_value";
        QTest::newRow("schema missing")
            << QByteArray(R"({"model":"fast","input":"hi","text":{"format":{"type":"json_schema","name":"x"}}})")
            << "text.format.schema" << "missing_required_parameter";
        QTest::newRow("stream of a string") << QByteArray(R"({"model":"fast","input":"hi","stream":"yes"})") << "stream"
                                            << "invalid_type";
        QTest::newRow("metadata of a number") << QByteArray(R"({"model":"fast","input":"hi","metadata":{"n":1}})") << "metadata"
                                              << "invalid_value";
        QTest::newRow("unknown task type") << QByteArray(R"({"model":"fast","input":"hi","metadata":{"task_type":"dance"}})")
                                           << "" << "invalid_task_type";
    }

    void refusalsNameTheField()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, param);
        QFETCH(QString, code);
        const HttpReply r = post(QJsonDocument::fromJson(body).object());
        QCOMPARE(r.status, 400);
        const QJsonObject e = r.error();
        QCOMPARE(e.value(QStringLiteral("type")).toString(), QStringLiteral("invalid_request_error"));
        QCOMPARE(e.value(QStringLiteral("code")).toString(), code);
        if (!param.isEmpty())
            QCOMPARE(e.value(QStringLiteral("param")).toString(), param);
        QVERIFY(!e.value(QStringLiteral("message")).toString().isEmpty());
        QVERIFY(fx->chatRequests().isEmpty());
    }

    void taskTypeFromMetadataRoutes()
    {
        const HttpReply r = post(object(R"({"model":"auto","input":"hello","metadata":{"task_type":"reasoning"}})"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value(QStringLiteral("model")).toString(), QStringLiteral("kimi"));
        QCOMPARE(r.headers.value("x-switchyard-rule"), QByteArray("thinking"));
    }

    void rateLimitFallsBackThroughThisDoor()
    {
        fx->fake.enqueue(FakeResponse::rateLimited());
        const HttpReply r = post(object(R"({"model":"fast","input":"hello","stream":true})"));
        QCOMPARE(r.status, 200);
        const QList<Event> evs = events(r.body);
        checkFraming(evs);
        QCOMPARE(evs.last().type(), QStringLiteral("response.completed"));
        const QJsonObject done = evs.last().data.value(QStringLiteral("response")).toObject();
        QCOMPARE(done.value(QStringLiteral("model")).toString(), QStringLiteral("kimi"));
        QCOMPARE(done.value(QStringLiteral("output")).toArray().last().toObject().value(QStringLiteral("content")).toArray()[0]
                     .toObject().value(QStringLiteral("text")).toString(),
                 expectedText(FakeDialect::Moonshot));
        QCOMPARE(r.headers.value("x-switchyard-attempts"), QByteArray("2"));
        QList<QVariantMap> rows;
        QTRY_COMPARE_WITH_TIMEOUT((rows = fx->ledgerRows()).size(), 2, 10000);
        QCOMPARE(rows[0].value(QStringLiteral("status")).toString(), QStringLiteral("rate_limit"));
        QCOMPARE(rows[0].value(QStringLiteral("model")).toString(), QStringLiteral("fast"));
        QCOMPARE(rows[1].value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
        QCOMPARE(rows[1].value(QStringLiteral("model")).toString(), QStringLiteral("kimi"));
        QCOMPARE(rows[1].value(QStringLiteral("completion_tokens")).toInt(), FakeUsage::completion);
        for (const QVariantMap &row : std::as_const(rows))
            QCOMPARE(row.value(QStringLiteral("api")).toString(), QStringLiteral("responses"));
        QCOMPARE(rows[0].value(QStringLiteral("request_id")), rows[1].value(QStringLiteral("request_id")));
    }

    void rateLimitEverywhereIsA429_data()
    {
        QTest::addColumn<bool>("stream");
        QTest::newRow("whole") << false;
        QTest::newRow("streamed") << true;
    }

    void rateLimitEverywhereIsA429()
    {
        QFETCH(bool, stream);
        for (int i = 0; i < 8; ++i)
            fx->fake.enqueue(FakeResponse::rateLimited(30));
        QJsonObject body = object(R"({"model":"fast","input":"hello"})");
        body.insert(QStringLiteral("stream"), stream);
        const HttpReply r = post(body);
        QCOMPARE(r.status, 429);
        QVERIFY(r.headers.value("content-type").startsWith("application/json"));
        const QJsonObject e = r.error();
        QCOMPARE(e.value(QStringLiteral("type")).toString(), QStringLiteral("rate_limit_error"));
        QCOMPARE(e.value(QStringLiteral("code")).toString(), QStringLiteral("rate_limit"));
        QVERIFY(e.contains(QStringLiteral("param")));
        QVERIFY(r.headers.contains("retry-after"));
        QList<QVariantMap> rows;
        QVERIFY(fx->chatRequests().size() >= 2);
        QTRY_COMPARE_WITH_TIMEOUT((rows = fx->ledgerRows()).size(), fx->chatRequests().size(), 10000);
        for (const QVariantMap &row : std::as_const(rows))
            QCOMPARE(row.value(QStringLiteral("status")).toString(), QStringLiteral("rate_limit"));
    }

    void cutOffStreamEndsWithResponseFailed()
    {
        FakeResponse cut = FakeProvider::openAiAnswer(object(R"({"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"hello"}]})"));
        cut.fault = FakeResponse::Fault::ResetAfterFrames;
        cut.faultAfterFrames = 3;
        fx->fake.enqueue(cut);
        const HttpReply r = post(object(R"({"model":"plain","input":"hello","stream":true})"));
        QCOMPARE(r.status, 200);   // the first words had gone out: no fallback, the partial answer stands
        const QList<Event> evs = events(r.body);
        checkFraming(evs);
        QVERIFY(shape(evs).contains(QStringLiteral("response.output_text.delta")));
        QVERIFY(!shape(evs).contains(QStringLiteral("response.completed")));
        QCOMPARE(evs.last().type(), QStringLiteral("response.failed"));
        const QJsonObject failed = evs.last().data.value(QStringLiteral("response")).toObject();
        QCOMPARE(failed.value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
        QCOMPARE(failed.value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString(), QStringLiteral("server_error"));
        QVERIFY(!failed.value(QStringLiteral("error")).toObject().value(QStringLiteral("message")).toString().isEmpty());
        QCOMPARE(failed.value(QStringLiteral("output")).toArray().size(), 1);   // the partial message, not done
        QCOMPARE(failed.value(QStringLiteral("output")).toArray()[0].toObject().value(QStringLiteral("status")).toString(),
                 QStringLiteral("incomplete"));
        QVERIFY(!shape(evs).contains(QStringLiteral("response.output_item.done")));
        QList<QVariantMap> rows;
        QTRY_COMPARE_WITH_TIMEOUT((rows = fx->ledgerRows()).size(), 1, 10000);
        QCOMPARE(rows[0].value(QStringLiteral("status")).toString(), QStringLiteral("truncated"));
    }

    void lengthIsIncomplete()
    {
        fx->fake.enqueue(FakeResponse::sse({R"({"id":"c","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"},"finish_reason":null}]})",
                                            R"({"id":"c","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{},"finish_reason":"length"}]})"}));
        const HttpReply r = post(object(R"({"model":"plain","input":"hello","stream":true,"max_output_tokens":16})"));
        const QList<Event> evs = events(r.body);
        checkFraming(evs);
        QCOMPARE(evs.last().type(), QStringLiteral("response.incomplete"));
        const QJsonObject response = evs.last().data.value(QStringLiteral("response")).toObject();
        QCOMPARE(response.value(QStringLiteral("status")).toString(), QStringLiteral("incomplete"));
        QCOMPARE(response.value(QStringLiteral("incomplete_details")).toObject().value(QStringLiteral("reason")).toString(),
                 QStringLiteral("max_output_tokens"));
        QCOMPARE(response.value(QStringLiteral("max_output_tokens")).toInt(), 16);
    }

    // The kept responses, in a file only its owner reads, per key, across restarts.
    void storeKeepsPerKeyInAPrivateFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("responses.sqlite"));
        const QJsonArray conversation {QJsonObject {{QStringLiteral("role"), QStringLiteral("user")}, {QStringLiteral("content"), QStringLiteral("hi")}}};
        const QJsonObject item {{QStringLiteral("id"), QStringLiteral("msg_r1_1")}, {QStringLiteral("type"), QStringLiteral("message")}};
        {
            ResponseStore store(path);
            QVERIFY(store.isPersistent());
            QVERIFY(store.keep(QStringLiteral("api"), QStringLiteral("resp_r1"),
                               QJsonDocument(conversation + item).toJson(QJsonDocument::Compact)));
            QVERIFY(!store.keep(QStringLiteral("api"), QStringLiteral("resp_big"),
                                "[\"" + QByteArray(ResponseStore::MaxConversationBytes, 'x') + "\"]"));
        }
        QCOMPARE(QFile::permissions(path) & (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther),
                 QFile::Permissions());
        ResponseStore store(path);
        QCOMPARE(store.conversation(QStringLiteral("api"), QStringLiteral("resp_r1")).value_or(QJsonArray()), conversation + item);
        QCOMPARE(store.item(QStringLiteral("api"), QStringLiteral("msg_r1_1")).value_or(QJsonObject()), item);
        QVERIFY(!store.conversation(QStringLiteral("ci"), QStringLiteral("resp_r1")));
        QVERIFY(!store.item(QStringLiteral("ci"), QStringLiteral("msg_r1_1")));
        QVERIFY(!store.conversation(QStringLiteral("api"), QStringLiteral("resp_big")));

        // The gateway keeps its responses in the file it is given.
        fx->gateway->setResponseStorePath(dir.filePath(QStringLiteral("gateway.sqlite")));
        QVERIFY(fx->gateway->responseStore()->isPersistent());
        const HttpReply r = post(object(R"({"model":"plain","input":"hello"})"));
        QCOMPARE(r.status, 200);
        QVERIFY(fx->gateway->responseStore()->conversation(QStringLiteral("api"), r.json().value(QStringLiteral("id")).toString()));
        fx->gateway->responseStore()->waitForWrites();   // written with others a moment later; now, here
        ResponseStore reopened(dir.filePath(QStringLiteral("gateway.sqlite")));
        const std::optional<QJsonArray> kept = reopened.conversation(QStringLiteral("api"), r.json().value(QStringLiteral("id")).toString());
        QVERIFY(kept);
        QCOMPARE(kept->size(), 2);   // the user's message and the answer
    }

    // ---- the npm clients -------------------------------------------------------------------

    void nodeClients_data()
    {
        QTest::addColumn<QString>("which");
        QTest::addColumn<QString>("model");
        QTest::addColumn<int>("dialect");
        const QList<std::pair<const char *, FakeDialect>> models {{"fast", FakeDialect::DeepSeek},   {"kimi", FakeDialect::Moonshot},
                                                                  {"mini", FakeDialect::MiniMax},    {"qwen", FakeDialect::DashScope},
                                                                  {"routed", FakeDialect::OpenRouter}, {"plain", FakeDialect::OpenAI}};
        for (const char *which : {"openai-create", "openai-stream", "openai-tools", "openai-tools-previous", "openai-tools-stream",
                                  "ai-sdk-text", "ai-sdk-stream", "ai-sdk-tools", "ai-sdk-tools-stream"}) {
            for (const auto &[model, dialect] : models)
                QTest::addRow("%s, %s", which, model) << QString::fromLatin1(which) << QString::fromLatin1(model) << int(dialect);
        }
    }

    void nodeClients()
    {
        QFETCH(QString, which);
        QFETCH(QString, model);
        QFETCH(int, dialect);
        QVERIFY2(!node.isEmpty(), "node is not installed; ./dev test installs it");
        for (const char *package : {"openai", "ai", "@ai-sdk/openai", "zod"})
            QVERIFY2(QFile::exists(QFileInfo(script).path() + QStringLiteral("/node_modules/%1/package.json").arg(QLatin1String(package))),
                     qPrintable(QStringLiteral("%1 is not installed; ./dev test runs npm ci in the build's tests/node").arg(QLatin1String(package))));
        const auto requests = [&which] { return which.contains(u"tools") && which != u"openai-tools-stream" ? 2 : 1; };
        const QJsonObject o = runNode(which, model);
        QVERIFY2(!o.isEmpty() && !o.contains(QStringLiteral("error")), QJsonDocument(o).toJson().constData());
        const QString text = expectedText(FakeDialect(dialect));
        const QString toolText = QStringLiteral(R"(Done: {"temp_c":21})");
        const QJsonObject usage = o.value(QStringLiteral("usage")).toObject();
        QCOMPARE(usage.value(QStringLiteral("input_tokens")).toInt(), FakeUsage::prompt);
        QCOMPARE(usage.value(QStringLiteral("output_tokens")).toInt(), FakeUsage::completion);

        if (which == u"openai-create") {
            QCOMPARE(o.value(QStringLiteral("object")).toString(), QStringLiteral("response"));
            QCOMPARE(o.value(QStringLiteral("output_text")).toString(), text);
            QCOMPARE(o.value(QStringLiteral("model")).toString(), model);
            QCOMPARE(o.value(QStringLiteral("headers")).toObject().value(QStringLiteral("x-switchyard-model")).toString(), model);
        } else if (which == u"openai-stream") {
            QCOMPARE(o.value(QStringLiteral("text")).toString(), text);
            QCOMPARE(o.value(QStringLiteral("output_text")).toString(), text);
            QCOMPARE(o.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
            const QJsonArray types = o.value(QStringLiteral("types")).toArray();
            QCOMPARE(types.first().toString(), QStringLiteral("response.created"));
            QCOMPARE(types.last().toString(), QStringLiteral("response.completed"));
            const QJsonArray sequence = o.value(QStringLiteral("sequence")).toArray();
            for (qsizetype i = 0; i < sequence.size(); ++i)
                QCOMPARE(sequence[i].toInt(-1), int(i));
        } else if (which.startsWith(u"openai-tools")) {
            const QJsonArray calls = o.value(QStringLiteral("calls")).toArray();
            QCOMPARE(calls.size(), 1);
            QCOMPARE(calls[0].toObject().value(QStringLiteral("name")).toString(), QStringLiteral("get_weather"));
            QCOMPARE(calls[0].toObject().value(QStringLiteral("arguments")).toString(), QStringLiteral(R"({"city":"Paris"})"));
            if (which == u"openai-tools-stream")
                QCOMPARE(o.value(QStringLiteral("streamed_arguments")).toString(), QStringLiteral(R"({"city":"Paris"})"));
            else
                QCOMPARE(o.value(QStringLiteral("text")).toString(), toolText);
        } else if (which.startsWith(u"ai-sdk-tools")) {
            QCOMPARE(o.value(QStringLiteral("text")).toString(), toolText);
            const QJsonArray calls = o.value(QStringLiteral("tool_calls")).toArray();
            QCOMPARE(calls.size(), 1);
            QCOMPARE(calls[0].toObject().value(QStringLiteral("name")).toString(), QStringLiteral("get_weather"));
            QCOMPARE(calls[0].toObject().value(QStringLiteral("input")).toObject().value(QStringLiteral("city")).toString(),
                     QStringLiteral("Paris"));
            QCOMPARE(o.value(QStringLiteral("steps")).toInt(), 2);
        } else {
            QCOMPARE(o.value(QStringLiteral("text")).toString(), text);
            QCOMPARE(o.value(QStringLiteral("finish_reason")).toString(), QStringLiteral("stop"));
        }
        if (requests() == 2) {
            // The second request carried the call back (as items, after previous_response_id, or as
            // item_references): one assistant turn with the call, then its output.
            const QJsonArray messages = fx->chatRequests().last().value(QStringLiteral("messages")).toArray();
            QCOMPARE(messages.last().toObject().value(QStringLiteral("role")).toString(), QStringLiteral("tool"));
            const QJsonObject assistant = messages.at(messages.size() - 2).toObject();
            QCOMPARE(assistant.value(QStringLiteral("tool_calls")).toArray().size(), 1);
            QCOMPARE(assistant.value(QStringLiteral("tool_calls")).toArray()[0].toObject().value(QStringLiteral("id")).toString(),
                     messages.last().toObject().value(QStringLiteral("tool_call_id")).toString());
        }
        // One ledger row per request (each went through at its first attempt).
        QList<QVariantMap> rows;
        QTRY_COMPARE_WITH_TIMEOUT((rows = fx->ledgerRows()).size(), requests(), 10000);
        for (const QVariantMap &row : rows) {
            QCOMPARE(row.value(QStringLiteral("model")).toString(), model);
            QCOMPARE(row.value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
            QCOMPARE(row.value(QStringLiteral("attempt")).toInt(), 1);
        }
    }
};

QTEST_GUILESS_MAIN(TestResponses)
#include "tst_responses.moc"
