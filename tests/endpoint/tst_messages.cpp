// The Messages door (POST /v1/messages, /v1/messages/count_tokens) over real loopback HTTP: the
// event sequence anthropic-ts's MessageStream insists on, for every provider dialect; what the
// provider receives for Anthropic's blocks; keys, errors and fallback in Anthropic's shapes; model
// aliases; one ledger row per attempt; and the Anthropic SDK and @ai-sdk/anthropic as separate
// node processes (tests/node/messages.mjs).
#include "ConfigLoader.h"
#include "ConfigWriter.h"
#include "EndpointClient.h"
#include "GatewayFixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QStandardPaths>
#include <QTest>

namespace {

struct Event
{
    QByteArray name;     // the `event:` line
    QJsonObject data;
};

QList<Event> events(const QByteArray &body)
{
    QList<Event> out;
    for (const QByteArray &frame : body.split('\n')) {
        if (frame.startsWith("event: "))
            out.append({frame.mid(7), {}});
        else if (frame.startsWith("data: ") && !out.isEmpty())
            out.last().data = QJsonDocument::fromJson(frame.mid(6)).object();
    }
    return out;
}

// What a stream said, gathered as anthropic-ts's MessageStream gathers it; `problem` names the
// first rule it broke.
struct Streamed
{
    QString problem;
    QString text;
    QString thinking;
    QString signature;
    QJsonArray tools;          // {id, name, input} each
    QString stopReason;
    QJsonValue stopSequence;
    QJsonObject usage;         // message_start's, with message_delta's laid over it
    QString model;
    QStringList blockTypes;
    bool stopped = false;      // message_stop came
    QJsonObject error;         // an `error` event's
};

Streamed gather(const QList<Event> &list)
{
    Streamed s;
    auto fail = [&s](const QString &why) {
        if (s.problem.isEmpty())
            s.problem = why;
    };
    int open = -1;
    QString deltaType;
    QHash<int, QString> partialJson;
    for (qsizetype i = 0; i < list.size(); ++i) {
        const Event &e = list.at(i);
        const QString type = e.data.value(QStringLiteral("type")).toString();
        if (type != QString::fromLatin1(e.name))
            fail(QStringLiteral("event %1: the event line says %2, the data %3").arg(i).arg(QString::fromLatin1(e.name), type));
        if (s.stopped)
            fail(QStringLiteral("event %1 (%2) came after message_stop").arg(i).arg(type));
        if (i == 0 && type != u"message_start")
            fail(QStringLiteral("the first event is %1").arg(type));
        if (i == 1 && type != u"ping" && type != u"error")
            fail(QStringLiteral("no ping after message_start"));
        if (type == u"message_start") {
            if (i != 0)
                fail(QStringLiteral("a second message_start"));
            const QJsonObject m = e.data.value(QStringLiteral("message")).toObject();
            s.usage = m.value(QStringLiteral("usage")).toObject();
            s.model = m.value(QStringLiteral("model")).toString();
            if (!m.value(QStringLiteral("id")).toString().startsWith(u"msg_"))
                fail(QStringLiteral("the message id does not start with msg_"));
        } else if (type == u"content_block_start") {
            const int index = e.data.value(QStringLiteral("index")).toInt(-1);
            if (open >= 0)
                fail(QStringLiteral("block %1 starts while %2 is open").arg(index).arg(open));
            if (index != s.blockTypes.size())
                fail(QStringLiteral("block %1 starts where %2 was next").arg(index).arg(s.blockTypes.size()));
            const QJsonObject block = e.data.value(QStringLiteral("content_block")).toObject();
            s.blockTypes << block.value(QStringLiteral("type")).toString();
            if (s.blockTypes.last() == u"tool_use")
                s.tools.append(QJsonObject {{QStringLiteral("id"), block.value(QStringLiteral("id"))},
                                            {QStringLiteral("name"), block.value(QStringLiteral("name"))}});
            open = index;
            deltaType.clear();
        } else if (type == u"content_block_delta") {
            const int index = e.data.value(QStringLiteral("index")).toInt(-1);
            if (index != open)
                fail(QStringLiteral("a delta for block %1 while %2 is open").arg(index).arg(open));
            const QJsonObject d = e.data.value(QStringLiteral("delta")).toObject();
            const QString dt = d.value(QStringLiteral("type")).toString();
            const QString blockType = s.blockTypes.value(index);
            const QHash<QString, QString> allowed {{QStringLiteral("text_delta"), QStringLiteral("text")},
                                                   {QStringLiteral("thinking_delta"), QStringLiteral("thinking")},
                                                   {QStringLiteral("signature_delta"), QStringLiteral("thinking")},
                                                   {QStringLiteral("input_json_delta"), QStringLiteral("tool_use")}};
            if (allowed.value(dt) != blockType)
                fail(QStringLiteral("a %1 in a %2 block").arg(dt, blockType));
            if (deltaType == u"signature_delta")
                fail(QStringLiteral("a delta after the signature"));
            deltaType = dt;
            if (dt == u"text_delta")
                s.text += d.value(QStringLiteral("text")).toString();
            else if (dt == u"thinking_delta")
                s.thinking += d.value(QStringLiteral("thinking")).toString();
            else if (dt == u"signature_delta")
                s.signature = d.value(QStringLiteral("signature")).toString();
            else
                partialJson[index] += d.value(QStringLiteral("partial_json")).toString();
        } else if (type == u"content_block_stop") {
            const int index = e.data.value(QStringLiteral("index")).toInt(-1);
            if (index != open)
                fail(QStringLiteral("block %1 stops while %2 is open").arg(index).arg(open));
            if (s.blockTypes.value(index) == u"thinking" && deltaType != u"signature_delta")
                fail(QStringLiteral("thinking block %1 stops without a signature").arg(index));
            if (s.blockTypes.value(index) == u"tool_use") {
                QJsonObject tool = s.tools.last().toObject();
                tool.insert(QStringLiteral("input"), QJsonDocument::fromJson(partialJson.value(index).toUtf8()).object());
                s.tools.replace(s.tools.size() - 1, tool);
            }
            open = -1;
        } else if (type == u"message_delta") {
            if (open >= 0)
                fail(QStringLiteral("message_delta while block %1 is open").arg(open));
            const QJsonObject d = e.data.value(QStringLiteral("delta")).toObject();
            s.stopReason = d.value(QStringLiteral("stop_reason")).toString();
            s.stopSequence = d.value(QStringLiteral("stop_sequence"));
            const QJsonObject u = e.data.value(QStringLiteral("usage")).toObject();
            if (!u.value(QStringLiteral("output_tokens")).isDouble())
                fail(QStringLiteral("message_delta without usage.output_tokens"));
            for (auto it = u.begin(); it != u.end(); ++it) {
                if (!it.value().isNull())
                    s.usage.insert(it.key(), it.value());
            }
        } else if (type == u"message_stop") {
            s.stopped = true;
        } else if (type == u"error") {
            s.error = e.data.value(QStringLiteral("error")).toObject();
        } else if (type != u"ping") {
            fail(QStringLiteral("an unknown event %1").arg(type));
        }
    }
    if (list.isEmpty())
        fail(QStringLiteral("no events"));
    return s;
}

QJsonObject user(const QJsonValue &content)
{
    return {{QStringLiteral("role"), QStringLiteral("user")}, {QStringLiteral("content"), content}};
}

QByteArray messagesBody(const QString &model, bool stream, const QString &prompt = QStringLiteral("hello"),
                        const QJsonObject &more = {})
{
    QJsonObject o {{QStringLiteral("model"), model},
                   {QStringLiteral("max_tokens"), 1024},
                   {QStringLiteral("stream"), stream},
                   {QStringLiteral("messages"), QJsonArray {user(prompt)}}};
    for (auto it = more.begin(); it != more.end(); ++it)
        o.insert(it.key(), it.value());
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QJsonObject weatherTool()
{
    return QJsonDocument::fromJson(
               R"({"name":"get_weather","description":"Current weather in a city","input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}})")
        .object();
}

FakeDialect dialectOf(const QString &model)
{
    static const QHash<QString, FakeDialect> dialects {
        {QStringLiteral("fast"), FakeDialect::DeepSeek},   {QStringLiteral("kimi"), FakeDialect::Moonshot},
        {QStringLiteral("mini"), FakeDialect::MiniMax},    {QStringLiteral("qwen"), FakeDialect::DashScope},
        {QStringLiteral("routed"), FakeDialect::OpenRouter}, {QStringLiteral("plain"), FakeDialect::OpenAI}};
    return dialects.value(model);
}

QString expectedText(const QString &model, const QString &prompt = QStringLiteral("hello"))
{
    return FakeProvider::answerText(dialectOf(model), QJsonObject {{QStringLiteral("messages"), QJsonArray {user(prompt)}}});
}

// An OpenAI-dialect stream chunk with this delta.
QByteArray chunk(const QJsonObject &delta, const QString &finish = {})
{
    const QJsonObject choice {{QStringLiteral("index"), 0},
                              {QStringLiteral("delta"), delta},
                              {QStringLiteral("finish_reason"), finish.isEmpty() ? QJsonValue() : QJsonValue(finish)}};
    return QJsonDocument(QJsonObject {{QStringLiteral("choices"), QJsonArray {choice}}}).toJson(QJsonDocument::Compact);
}

// A delta carrying one piece of a tool call; empty parts are left out.
QJsonObject callPiece(int index, const QString &id, const QString &name, const QString &arguments)
{
    QJsonObject function {{QStringLiteral("arguments"), arguments}};
    if (!name.isEmpty())
        function.insert(QStringLiteral("name"), name);
    QJsonObject call {{QStringLiteral("index"), index}, {QStringLiteral("function"), function}};
    if (!id.isEmpty()) {
        call.insert(QStringLiteral("id"), id);
        call.insert(QStringLiteral("type"), QStringLiteral("function"));
    }
    return {{QStringLiteral("tool_calls"), QJsonArray {call}}};
}

// `v` with the value at `path` replaced by `with`.
QJsonValue replaced(const QJsonValue &v, const QList<QJsonValue> &path, qsizetype at, const QJsonValue &with)
{
    if (at == path.size())
        return with;
    if (v.isObject()) {
        QJsonObject o = v.toObject();
        const QString key = path.at(at).toString();
        o.insert(key, replaced(o.value(key), path, at + 1, with));
        return o;
    }
    QJsonArray a = v.toArray();
    const int i = path.at(at).toInt();
    a.replace(i, replaced(a.at(i), path, at + 1, with));
    return a;
}

// Every path in `v` (keys and indexes), depth first.
void paths(const QJsonValue &v, QList<QJsonValue> prefix, QList<QList<QJsonValue>> *out)
{
    if (!prefix.isEmpty())
        out->append(prefix);
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            paths(it.value(), prefix + QList<QJsonValue> {it.key()}, out);
    } else if (v.isArray()) {
        const QJsonArray a = v.toArray();
        for (qsizetype i = 0; i < a.size(); ++i)
            paths(a.at(i), prefix + QList<QJsonValue> {int(i)}, out);
    }
}

const QStringList dialectModels {QStringLiteral("fast"), QStringLiteral("kimi"), QStringLiteral("mini"),
                                 QStringLiteral("qwen"), QStringLiteral("routed"), QStringLiteral("plain")};

} // namespace

class TestMessages : public QObject
{
    Q_OBJECT

    std::unique_ptr<GatewayFixture> fx;
    QNetworkAccessManager nam;
    QString node;
    QString script;

    HttpReply send(const QString &path, const QByteArray &body,
                   const HttpHeaders &headers = {{"x-api-key", "sk-sy-fixture-key"}, {"anthropic-version", "2023-06-01"}})
    {
        return sendAndWait(nam, "POST", QUrl(fx->url() + path), body, headers);
    }

    // One case of tests/node/messages.mjs; its JSON line.
    QJsonObject nodeCase(const QString &which, const QString &model)
    {
        return runNodeCase(*fx, node, script, which, model);
    }

    void checkUsage(const QJsonObject &usage)
    {
        // input_tokens leaves out what the cache served.
        QCOMPARE(usage.value(QStringLiteral("input_tokens")).toInt() + usage.value(QStringLiteral("cache_read_input_tokens")).toInt(),
                 FakeUsage::prompt);
        QCOMPARE(usage.value(QStringLiteral("output_tokens")).toInt(), FakeUsage::completion);
    }

private slots:
    void initTestCase()
    {
        node = QStandardPaths::findExecutable(QStringLiteral("node"));
        const QString dir = qEnvironmentVariable("SWITCHYARD_NODE_CLIENT_DIR");
        script = dir + QStringLiteral("/messages.mjs");
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

    void streamsEventsInOrder_data()
    {
        QTest::addColumn<QString>("model");
        for (const QString &m : dialectModels)
            QTest::newRow(qPrintable(m)) << m;
    }

    void streamsEventsInOrder()
    {
        QFETCH(QString, model);
        const HttpReply r = send(QStringLiteral("/messages"), messagesBody(model, true));
        QCOMPARE(r.status, 200);
        QVERIFY(r.headers.value("content-type").startsWith("text/event-stream"));
        QVERIFY(!r.headers.value("request-id").isEmpty());
        const Streamed s = gather(events(r.body));
        QVERIFY2(s.problem.isEmpty(), qPrintable(s.problem + QLatin1Char('\n') + QString::fromUtf8(r.body)));
        QVERIFY(s.stopped);
        QCOMPARE(s.text, expectedText(model));
        QCOMPARE(s.model, model);
        QCOMPARE(s.stopReason, QStringLiteral("end_turn"));
        QVERIFY(s.stopSequence.isNull());
        if (model != u"plain") {   // every dialect but OpenAI's thinks aloud
            QCOMPARE(s.thinking, FakeProvider::reasoningText());
            QCOMPARE(s.blockTypes, (QStringList {QStringLiteral("thinking"), QStringLiteral("text")}));
            QVERIFY(!s.signature.isEmpty());
        } else {
            QCOMPARE(s.blockTypes, QStringList {QStringLiteral("text")});
        }
        checkUsage(s.usage);
        QList<QVariantMap> rows;
        QTRY_COMPARE_WITH_TIMEOUT((rows = fx->ledgerRows()).size(), 1, 10000);
        QCOMPARE(rows[0].value(QStringLiteral("model")).toString(), model);
        QCOMPARE(rows[0].value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
        QCOMPARE(rows[0].value(QStringLiteral("api")).toString(), QStringLiteral("messages"));
        QCOMPARE(rows[0].value(QStringLiteral("prompt_tokens")).toInt(), FakeUsage::prompt);
        QCOMPARE(rows[0].value(QStringLiteral("completion_tokens")).toInt(), FakeUsage::completion);
    }

    void wholeMessage()
    {
        const HttpReply r = send(QStringLiteral("/messages"), messagesBody(QStringLiteral("kimi"), false));
        QCOMPARE(r.status, 200);
        const QJsonObject m = r.json();
        QCOMPARE(m.value(QStringLiteral("type")).toString(), QStringLiteral("message"));
        QCOMPARE(m.value(QStringLiteral("role")).toString(), QStringLiteral("assistant"));
        QVERIFY(m.value(QStringLiteral("id")).toString().startsWith(u"msg_"));
        QCOMPARE(m.value(QStringLiteral("model")).toString(), QStringLiteral("kimi"));
        QCOMPARE(m.value(QStringLiteral("stop_reason")).toString(), QStringLiteral("end_turn"));
        QVERIFY(m.value(QStringLiteral("stop_sequence")).isNull());
        const QJsonArray content = m.value(QStringLiteral("content")).toArray();
        QCOMPARE(content.size(), 2);
        QCOMPARE(content[0][QStringLiteral("type")].toString(), QStringLiteral("thinking"));
        QCOMPARE(content[0][QStringLiteral("thinking")].toString(), FakeProvider::reasoningText());
        QVERIFY(!content[0][QStringLiteral("signature")].toString().isEmpty());
        QCOMPARE(content[1][QStringLiteral("type")].toString(), QStringLiteral("text"));
        QCOMPARE(content[1][QStringLiteral("text")].toString(), expectedText(QStringLiteral("kimi")));
        const QJsonObject usage = m.value(QStringLiteral("usage")).toObject();
        checkUsage(usage);
        QCOMPARE(usage.value(QStringLiteral("cache_read_input_tokens")).toInt(), FakeUsage::cached);
        QCOMPARE(usage.value(QStringLiteral("input_tokens")).toInt(), FakeUsage::prompt - FakeUsage::cached);
    }

    void toolUseStreamsAndComesBack()
    {
        const QJsonObject more {{QStringLiteral("tools"), QJsonArray {weatherTool()}}};
        const HttpReply r = send(QStringLiteral("/messages"),
                                 messagesBody(QStringLiteral("plain"), true, QStringLiteral("What is the weather in Paris?"), more));
        QCOMPARE(r.status, 200);
        const Streamed s = gather(events(r.body));
        QVERIFY2(s.problem.isEmpty(), qPrintable(s.problem));
        QCOMPARE(s.stopReason, QStringLiteral("tool_use"));
        QCOMPARE(s.tools.size(), 1);
        const QJsonObject call = s.tools[0].toObject();
        QCOMPARE(call.value(QStringLiteral("name")).toString(), QStringLiteral("get_weather"));
        QVERIFY(!call.value(QStringLiteral("id")).toString().isEmpty());
        QVERIFY(call.value(QStringLiteral("input")).toObject().value(QStringLiteral("city")).isString());

        // The same call as a whole answer.
        const HttpReply whole = send(QStringLiteral("/messages"),
                                     messagesBody(QStringLiteral("plain"), false, QStringLiteral("What is the weather in Paris?"), more));
        QCOMPARE(whole.status, 200);
        QCOMPARE(whole.json().value(QStringLiteral("stop_reason")).toString(), QStringLiteral("tool_use"));
        const QJsonArray content = whole.json().value(QStringLiteral("content")).toArray();
        QCOMPARE(content.last()[QStringLiteral("type")].toString(), QStringLiteral("tool_use"));
        QVERIFY(content.last()[QStringLiteral("input")].toObject().value(QStringLiteral("city")).isString());
    }

    // LiteLLM #25321: on a switch from text to tool_use the arguments were lost. Here the text, then
    // two calls, the second one's name coming a piece after its id.
    void textThenTwoToolCalls()
    {
        fx->fake.enqueue(FakeResponse::sse({
            chunk(QJsonObject {{QStringLiteral("role"), QStringLiteral("assistant")}, {QStringLiteral("content"), QStringLiteral("Let me ")}}),
            chunk(QJsonObject {{QStringLiteral("content"), QStringLiteral("check.")}}),
            chunk(callPiece(0, QStringLiteral("call_a"), QStringLiteral("get_weather"), QStringLiteral("{\"ci"))),
            chunk(callPiece(0, {}, {}, QStringLiteral("ty\":\"Paris\"}"))),
            chunk(callPiece(1, QStringLiteral("call_b"), {}, {})),
            chunk(callPiece(1, {}, QStringLiteral("get_weather"), QStringLiteral("{\"city\":"))),
            chunk(callPiece(1, {}, {}, QStringLiteral("\"Oslo\"}"))),
            chunk({}, QStringLiteral("tool_calls")),
        }));
        const QJsonObject more {{QStringLiteral("tools"), QJsonArray {weatherTool()}}};
        const HttpReply r = send(QStringLiteral("/messages"), messagesBody(QStringLiteral("plain"), true, QStringLiteral("weather?"), more));
        QCOMPARE(r.status, 200);
        const Streamed s = gather(events(r.body));
        QVERIFY2(s.problem.isEmpty(), qPrintable(s.problem + QLatin1Char('\n') + QString::fromUtf8(r.body)));
        QCOMPARE(s.blockTypes, (QStringList {QStringLiteral("text"), QStringLiteral("tool_use"), QStringLiteral("tool_use")}));
        QCOMPARE(s.text, QStringLiteral("Let me check."));
        QCOMPARE(s.stopReason, QStringLiteral("tool_use"));
        QCOMPARE(s.tools[0].toObject().value(QStringLiteral("id")).toString(), QStringLiteral("call_a"));
        QCOMPARE(s.tools[0].toObject().value(QStringLiteral("input")).toObject(), (QJsonObject {{QStringLiteral("city"), QStringLiteral("Paris")}}));
        QCOMPARE(s.tools[1].toObject().value(QStringLiteral("id")).toString(), QStringLiteral("call_b"));
        QCOMPARE(s.tools[1].toObject().value(QStringLiteral("name")).toString(), QStringLiteral("get_weather"));
        QCOMPARE(s.tools[1].toObject().value(QStringLiteral("input")).toObject(), (QJsonObject {{QStringLiteral("city"), QStringLiteral("Oslo")}}));
    }

    void requestIsTranslated()
    {
        const QByteArray body = QJsonDocument(QJsonObject {
            {QStringLiteral("model"), QStringLiteral("fast")},
            {QStringLiteral("max_tokens"), 2000},
            {QStringLiteral("temperature"), 0.5},
            {QStringLiteral("stop_sequences"), QJsonArray {QStringLiteral("END")}},
            {QStringLiteral("system"), QJsonArray {QJsonObject {{QStringLiteral("type"), QStringLiteral("text")},
                                                                {QStringLiteral("text"), QStringLiteral("Be brief.")},
                                                                {QStringLiteral("cache_control"),
                                                                 QJsonObject {{QStringLiteral("type"), QStringLiteral("ephemeral")}}}}}},
            {QStringLiteral("tools"), QJsonArray {weatherTool()}},
            {QStringLiteral("tool_choice"), QJsonObject {{QStringLiteral("type"), QStringLiteral("any")},
                                                         {QStringLiteral("disable_parallel_tool_use"), true}}},
            {QStringLiteral("thinking"), QJsonObject {{QStringLiteral("type"), QStringLiteral("enabled")},
                                                      {QStringLiteral("budget_tokens"), 1500}}},
            {QStringLiteral("metadata"), QJsonObject {{QStringLiteral("user_id"), QStringLiteral("u-42")}}},
            {QStringLiteral("context_management"), QJsonObject {{QStringLiteral("edits"), QJsonArray {}}}},
            {QStringLiteral("messages"),
             QJsonArray {
                 user(QStringLiteral("What is the weather in Paris?")),
                 QJsonObject {{QStringLiteral("role"), QStringLiteral("assistant")},
                              {QStringLiteral("content"),
                               QJsonArray {QJsonObject {{QStringLiteral("type"), QStringLiteral("thinking")},
                                                        {QStringLiteral("thinking"), QStringLiteral("Use the tool.")},
                                                        {QStringLiteral("signature"), QStringLiteral("abc")}},
                                           QJsonObject {{QStringLiteral("type"), QStringLiteral("tool_use")},
                                                        {QStringLiteral("id"), QStringLiteral("toolu_1")},
                                                        {QStringLiteral("name"), QStringLiteral("get_weather")},
                                                        {QStringLiteral("input"), QJsonObject {{QStringLiteral("city"), QStringLiteral("Paris")}}}}}}},
                 user(QJsonArray {QJsonObject {{QStringLiteral("type"), QStringLiteral("text")}, {QStringLiteral("text"), QStringLiteral("And now?")}},
                                  QJsonObject {{QStringLiteral("type"), QStringLiteral("tool_result")},
                                               {QStringLiteral("tool_use_id"), QStringLiteral("toolu_1")},
                                               {QStringLiteral("is_error"), true},
                                               {QStringLiteral("content"),
                                                QJsonArray {QJsonObject {{QStringLiteral("type"), QStringLiteral("text")},
                                                                         {QStringLiteral("text"), QStringLiteral("timeout")}}}}}}),
                 QJsonObject {{QStringLiteral("role"), QStringLiteral("system")}, {QStringLiteral("content"), QStringLiteral("Answer in French.")}},
                 user(QJsonArray {QJsonObject {{QStringLiteral("type"), QStringLiteral("image")},
                                               {QStringLiteral("source"),
                                                QJsonObject {{QStringLiteral("type"), QStringLiteral("base64")},
                                                             {QStringLiteral("media_type"), QStringLiteral("image/png")},
                                                             {QStringLiteral("data"), QStringLiteral("iVBORw0KGgo=")}}}},
                                  QJsonObject {{QStringLiteral("type"), QStringLiteral("text")}, {QStringLiteral("text"), QStringLiteral("What is this?")}}})}}})
                                   .toJson(QJsonDocument::Compact);
        // DeepSeek's model sees images here.
        QFile file(fx->config->path());
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(fx->configYaml().replace("id: deepseek-chat, context: 128000,", "id: deepseek-chat, context: 128000, vision: true,"));
        file.close();
        QVERIFY(fx->config->reload());
        QVERIFY(fx->config->config().model(QStringLiteral("fast"))->vision);
        const HttpReply r = send(QStringLiteral("/messages?beta=true"), body);
        QVERIFY2(r.status == 200, r.body.constData());
        const QList<QJsonObject> sent = fx->chatRequests();
        QCOMPARE(sent.size(), 1);
        const QJsonObject up = sent[0];
        QCOMPARE(up.value(QStringLiteral("max_tokens")).toInt(), 2000);
        QCOMPARE(up.value(QStringLiteral("temperature")).toDouble(), 0.5);
        QCOMPARE(up.value(QStringLiteral("stop")).toArray(), QJsonArray {QStringLiteral("END")});
        QCOMPARE(up.value(QStringLiteral("user")).toString(), QStringLiteral("u-42"));
        QCOMPARE(up.value(QStringLiteral("tool_choice")).toString(), QStringLiteral("required"));
        QCOMPARE(up.value(QStringLiteral("parallel_tool_calls")).toBool(true), false);
        QCOMPARE(up.value(QStringLiteral("reasoning_effort")).toString(), QStringLiteral("low"));   // DeepSeek's word for 1500
        QVERIFY(!up.contains(QStringLiteral("context_management")));
        QVERIFY(!up.contains(QStringLiteral("metadata")));
        const QJsonObject function = up.value(QStringLiteral("tools")).toArray()[0][QStringLiteral("function")].toObject();
        QCOMPARE(function.value(QStringLiteral("name")).toString(), QStringLiteral("get_weather"));
        QCOMPARE(function.value(QStringLiteral("parameters")).toObject(), weatherTool().value(QStringLiteral("input_schema")).toObject());

        const QJsonArray messages = up.value(QStringLiteral("messages")).toArray();
        QStringList roles;
        for (const QJsonValue &m : messages)
            roles << m[QStringLiteral("role")].toString();
        QCOMPARE(roles, (QStringList {QStringLiteral("system"), QStringLiteral("user"), QStringLiteral("assistant"),
                                      QStringLiteral("tool"), QStringLiteral("user"), QStringLiteral("system"),
                                      QStringLiteral("user")}));
        QCOMPARE(messages[0][QStringLiteral("content")].toString(), QStringLiteral("Be brief."));
        const QJsonObject assistant = messages[2].toObject();
        QCOMPARE(assistant.value(QStringLiteral("reasoning_content")).toString(), QStringLiteral("Use the tool."));
        const QJsonObject call = assistant.value(QStringLiteral("tool_calls")).toArray()[0].toObject();
        QCOMPARE(call.value(QStringLiteral("id")).toString(), QStringLiteral("toolu_1"));
        QCOMPARE(QJsonDocument::fromJson(call[QStringLiteral("function")][QStringLiteral("arguments")].toString().toUtf8()).object(),
                 (QJsonObject {{QStringLiteral("city"), QStringLiteral("Paris")}}));
        QCOMPARE(messages[3][QStringLiteral("tool_call_id")].toString(), QStringLiteral("toolu_1"));
        QCOMPARE(messages[3][QStringLiteral("content")].toString(), QStringLiteral("Error: timeout"));
        QCOMPARE(messages[4][QStringLiteral("content")].toString(), QStringLiteral("And now?"));
        QCOMPARE(messages[5][QStringLiteral("content")].toString(), QStringLiteral("Answer in French."));
        const QJsonArray parts = messages[6][QStringLiteral("content")].toArray();
        QCOMPARE(parts.size(), 2);
        QVERIFY(QJsonDocument(parts).toJson().contains("data:image/png;base64,iVBORw0KGgo="));
    }

    void keysAndBetaPath()
    {
        const QByteArray body = messagesBody(QStringLiteral("plain"), false);
        QCOMPARE(send(QStringLiteral("/messages"), body, {{"x-api-key", "sk-sy-fixture-key"}}).status, 200);
        QCOMPARE(send(QStringLiteral("/messages?beta=true"), body, {{"Authorization", "Bearer sk-sy-fixture-key"}}).status, 200);
        QCOMPARE(send(QStringLiteral("/messages"), body,
                      {{"x-api-key", "sk-sy-fixture-key"}, {"anthropic-beta", "context-management-2025-06-27,made-up-2099-01-01"}})
                     .status,
                 200);
        for (const QByteArray &key : {QByteArray(), QByteArray("sk-sy-guess")}) {
            QList<std::pair<QByteArray, QByteArray>> headers;
            if (!key.isEmpty())
                headers.append({"x-api-key", key});
            const HttpReply r = send(QStringLiteral("/messages"), body, headers);
            QCOMPARE(r.status, 401);
            QCOMPARE(r.json().value(QStringLiteral("type")).toString(), QStringLiteral("error"));
            QCOMPARE(r.error().value(QStringLiteral("type")).toString(), QStringLiteral("authentication_error"));
            QVERIFY(!r.error().value(QStringLiteral("message")).toString().isEmpty());
        }
    }

    void badRequestsNameTheField_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("field");
        QTest::newRow("no max_tokens") << QByteArray(R"({"model":"fast","messages":[{"role":"user","content":"hi"}]})")
                                       << "max_tokens";
        QTest::newRow("max_tokens as text") << QByteArray(R"({"model":"fast","max_tokens":"9","messages":[{"role":"user","content":"hi"}]})")
                                            << "max_tokens";
        QTest::newRow("no messages") << QByteArray(R"({"model":"fast","max_tokens":9})") << "messages";
        QTest::newRow("bad role") << QByteArray(R"({"model":"fast","max_tokens":9,"messages":[{"role":"tool","content":"hi"}]})")
                                  << "messages.0.role";
        QTest::newRow("document block")
            << QByteArray(R"({"model":"fast","max_tokens":9,"messages":[{"role":"user","content":[{"type":"document","source":{}}]}]})")
            << "messages.0.content.0.type";
        QTest::newRow("search result in a tool result")
            << QByteArray(R"({"model":"fast","max_tokens":9,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":[{"type":"search_result"}]}]}]})")
            << "messages.0.content.0.content.0.type";
        QTest::newRow("tool_use from the user")
            << QByteArray(R"({"model":"fast","max_tokens":9,"messages":[{"role":"user","content":[{"type":"tool_use","id":"t","name":"n","input":{}}]}]})")
            << "messages.0.content.0.type";
        QTest::newRow("server tool") << QByteArray(R"({"model":"fast","max_tokens":9,"tools":[{"type":"web_search_20250305","name":"web_search"}],"messages":[{"role":"user","content":"hi"}]})")
                                     << "tools.0.type";
        QTest::newRow("tool without a schema") << QByteArray(R"({"model":"fast","max_tokens":9,"tools":[{"name":"x"}],"messages":[{"role":"user","content":"hi"}]})")
                                               << "tools.0.input_schema";
        QTest::newRow("thinking budget too small")
            << QByteArray(R"({"model":"fast","max_tokens":9,"thinking":{"type":"enabled","budget_tokens":10},"messages":[{"role":"user","content":"hi"}]})")
            << "thinking.budget_tokens";
        QTest::newRow("bad base64") << QByteArray(R"({"model":"fast","max_tokens":9,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"***"}}]}]})")
                                    << "messages.0.content.0.source.data";
        QTest::newRow("not JSON") << QByteArray("{") << "";
    }

    void badRequestsNameTheField()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, field);
        const HttpReply r = send(QStringLiteral("/messages"), body);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.json().value(QStringLiteral("type")).toString(), QStringLiteral("error"));
        QCOMPARE(r.error().value(QStringLiteral("type")).toString(), QStringLiteral("invalid_request_error"));
        const QString message = r.error().value(QStringLiteral("message")).toString();
        QVERIFY2(message.contains(field), qPrintable(message));
        QVERIFY(fx->fake.requests().isEmpty());
    }

    // Every field of a rich request, in turn, given every JSON type: read or refused with a sentence,
    // never a crash, and never a request that reads while a required field is gone.
    void everyFieldOfTheWrongType()
    {
        const QJsonObject rich = QJsonDocument::fromJson(
            R"({"model":"fast","max_tokens":100,"stream":true,"temperature":0.5,"top_p":0.9,"top_k":5,"stop_sequences":["x"],"system":[{"type":"text","text":"s"}],"metadata":{"user_id":"u","task_type":"chat"},"thinking":{"type":"enabled","budget_tokens":2048},"output_config":{"effort":"low","format":{"type":"json_schema","schema":{"type":"object"}}},"tool_choice":{"type":"tool","name":"t","disable_parallel_tool_use":true},"tools":[{"name":"t","description":"d","input_schema":{"type":"object"}}],"messages":[{"role":"user","content":[{"type":"text","text":"a"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},{"type":"image","source":{"type":"url","url":"https:\/\/example.com\/a.png"}}]},{"role":"assistant","content":[{"type":"thinking","thinking":"t","signature":"s"},{"type":"text","text":"b"},{"type":"tool_use","id":"i","name":"t","input":{"a":1}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"i","is_error":false,"content":[{"type":"text","text":"r"}]}]}]})")
                                     .object();
        OpenAiRequest::Problem problem;
        QVERIFY2(readMessagesDoor(QJsonDocument(rich).toJson(), &problem), qPrintable(problem.message));
        QList<QList<QJsonValue>> all;
        paths(rich, {}, &all);
        const QList<QJsonValue> kinds {QJsonValue(), QJsonValue(7), QJsonValue(-1.5), QJsonValue(QStringLiteral("x")),
                                       QJsonValue(true), QJsonArray {}, QJsonObject {}};
        int refused = 0;
        for (const QList<QJsonValue> &path : std::as_const(all)) {
            for (const QJsonValue &kind : kinds) {
                const QJsonObject changed = replaced(rich, path, 0, kind).toObject();
                OpenAiRequest::Problem why;
                const std::optional<DoorRequest> read = readMessagesDoor(QJsonDocument(changed).toJson(), &why);
                if (!read) {
                    ++refused;
                    QVERIFY2(!why.message.isEmpty(), QJsonDocument(changed).toJson().constData());
                } else {
                    QVERIFY(!read->chat.model.isEmpty());
                    QVERIFY(read->chat.request.maxTokens.value_or(0) >= 1);
                    QVERIFY(!read->chat.request.messages.isEmpty());
                }
            }
        }
        QVERIFY(refused > int(all.size()));   // most changes are refused
    }

    void unknownFieldsAreIgnored()
    {
        const QByteArray body = R"({"model":"plain","max_tokens":64,"service_tier":"auto","container":null,"context_management":{"edits":[]},"output_config":{"effort":"low"},"thinking":{"type":"adaptive"},"tools":[{"name":"t","input_schema":{"type":"object"},"strict":true,"defer_loading":false,"cache_control":{"type":"ephemeral"}}],"messages":[{"role":"user","content":[{"type":"text","text":"hello","cache_control":{"type":"ephemeral"}}]},{"role":"assistant","content":[{"type":"redacted_thinking","data":"xyz"},{"type":"text","text":"hi"}]},{"role":"user","content":"hello"}]})";
        const HttpReply r = send(QStringLiteral("/messages"), body);
        QCOMPARE(r.status, 200);
        const QJsonObject up = fx->chatRequests().value(0);
        QVERIFY(!up.contains(QStringLiteral("service_tier")));
        QVERIFY(!up.contains(QStringLiteral("context_management")));
        QCOMPARE(up.value(QStringLiteral("reasoning_effort")).toString(), QStringLiteral("low"));
        const QJsonObject tool = up.value(QStringLiteral("tools")).toArray()[0][QStringLiteral("function")].toObject();
        QCOMPARE(tool.keys(), (QStringList {QStringLiteral("name"), QStringLiteral("parameters")}));
    }

    void heldAnswerStreamsAtTheEnd()
    {
        // MiniMax has no response_format: the answer is asked for by prompt and checked before it is
        // shown, so its events all come at the end, in the same order.
        const QJsonObject schema = QJsonDocument::fromJson(
                                       R"({"type":"object","properties":{"city":{"type":"string"}},"required":["city"]})")
                                       .object();
        const QJsonObject more {{QStringLiteral("output_config"),
                                 QJsonObject {{QStringLiteral("format"), QJsonObject {{QStringLiteral("type"), QStringLiteral("json_schema")},
                                                                                      {QStringLiteral("schema"), schema}}}}}};
        const HttpReply r = send(QStringLiteral("/messages"),
                                 messagesBody(QStringLiteral("mini"), true, QStringLiteral("Which city? Answer as JSON."), more));
        QCOMPARE(r.status, 200);
        const Streamed s = gather(events(r.body));
        QVERIFY2(s.problem.isEmpty(), qPrintable(s.problem));
        QVERIFY(s.stopped);
        const QJsonDocument answer = QJsonDocument::fromJson(s.text.toUtf8());
        QVERIFY2(answer.object().value(QStringLiteral("city")).isString(), qPrintable(s.text));
        QCOMPARE(s.stopReason, QStringLiteral("end_turn"));
    }

    void stopSequenceIsFound()
    {
        // The fake provider ignores `stop`, as MiniMax does; the door ends the answer there itself,
        // even when the sequence arrives split across chunks.
        fx->fake.enqueue(FakeResponse::textStream({QStringLiteral("The answer"), QStringLiteral(" is 4"), QStringLiteral("2. ST"),
                                                   QStringLiteral("OP and more")}));
        const QJsonObject more {{QStringLiteral("stop_sequences"), QJsonArray {QStringLiteral("nothing"), QStringLiteral("STOP")}}};
        const HttpReply r = send(QStringLiteral("/messages"), messagesBody(QStringLiteral("plain"), true, QStringLiteral("hello"), more));
        const Streamed s = gather(events(r.body));
        QVERIFY2(s.problem.isEmpty(), qPrintable(s.problem));
        QCOMPARE(s.text, QStringLiteral("The answer is 42. "));
        QCOMPARE(s.stopReason, QStringLiteral("stop_sequence"));
        QCOMPARE(s.stopSequence.toString(), QStringLiteral("STOP"));

        fx->fake.enqueue(FakeResponse::textStream({QStringLiteral("Count: 1, 2, STOP, 3")}));
        const HttpReply whole = send(QStringLiteral("/messages"), messagesBody(QStringLiteral("plain"), false, QStringLiteral("hello"), more));
        QCOMPARE(whole.json().value(QStringLiteral("stop_reason")).toString(), QStringLiteral("stop_sequence"));
        QCOMPARE(whole.json().value(QStringLiteral("stop_sequence")).toString(), QStringLiteral("STOP"));
        QCOMPARE(whole.json().value(QStringLiteral("content")).toArray()[0][QStringLiteral("text")].toString(), QStringLiteral("Count: 1, 2, "));
    }

    void rateLimitFallsBack()
    {
        fx->fake.enqueue(FakeResponse::rateLimited());
        const HttpReply r = send(QStringLiteral("/messages"), messagesBody(QStringLiteral("fast"), true));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.headers.value("x-switchyard-model"), QByteArray("kimi"));
        const Streamed s = gather(events(r.body));
        QVERIFY2(s.problem.isEmpty(), qPrintable(s.problem));
        QCOMPARE(s.text, expectedText(QStringLiteral("kimi")));
        QCOMPARE(s.model, QStringLiteral("kimi"));
        QList<QVariantMap> rows;
        QTRY_COMPARE_WITH_TIMEOUT((rows = fx->ledgerRows()).size(), 2, 10000);
        QCOMPARE(rows[0].value(QStringLiteral("status")).toString(), QStringLiteral("rate_limit"));
        QCOMPARE(rows[0].value(QStringLiteral("model")).toString(), QStringLiteral("fast"));
        QCOMPARE(rows[1].value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
        QCOMPARE(rows[1].value(QStringLiteral("model")).toString(), QStringLiteral("kimi"));
        QCOMPARE(rows[1].value(QStringLiteral("request_id")), rows[0].value(QStringLiteral("request_id")));
        for (const QVariantMap &row : std::as_const(rows))
            QCOMPARE(row.value(QStringLiteral("api")).toString(), QStringLiteral("messages"));
    }

    void allOverloadedIs529_data()
    {
        QTest::addColumn<bool>("stream");
        QTest::newRow("streaming") << true;
        QTest::newRow("whole") << false;
    }

    void allOverloadedIs529()
    {
        QFETCH(bool, stream);
        for (int i = 0; i < 8; ++i)
            fx->fake.enqueue(FakeResponse::overloaded());
        const HttpReply r = send(QStringLiteral("/messages"), messagesBody(QStringLiteral("fast"), stream));
        QCOMPARE(r.status, 529);
        QCOMPARE(r.headers.value("content-type"), QByteArray("application/json"));
        QCOMPARE(r.json().value(QStringLiteral("type")).toString(), QStringLiteral("error"));
        QCOMPARE(r.error().value(QStringLiteral("type")).toString(), QStringLiteral("overloaded_error"));
        QCOMPARE(r.headers.value("x-should-retry"), QByteArray("true"));
        QVERIFY(!r.json().value(QStringLiteral("request_id")).toString().isEmpty());
        QCOMPARE(r.headers.value("request-id"), r.json().value(QStringLiteral("request_id")).toString().toLatin1());
        QList<QVariantMap> rows;
        // One row per attempt: the last may still be on its way to the database when the answer leaves.
        QVERIFY(fx->chatRequests().size() >= 2);
        QTRY_COMPARE_WITH_TIMEOUT((rows = fx->ledgerRows()).size(), fx->chatRequests().size(), 10000);
        for (const QVariantMap &row : std::as_const(rows))
            QCOMPARE(row.value(QStringLiteral("status")).toString(), QStringLiteral("overloaded"));
    }

    void cutOffStreamEndsWithAnErrorEvent()
    {
        FakeResponse cut = FakeResponse::textStream({QStringLiteral("one "), QStringLiteral("two "), QStringLiteral("three "),
                                                     QStringLiteral("four")});
        cut.fault = FakeResponse::Fault::ResetAfterFrames;
        cut.faultAfterFrames = 2;
        fx->fake.enqueue(cut);
        const HttpReply r = send(QStringLiteral("/messages"), messagesBody(QStringLiteral("plain"), true));
        QCOMPARE(r.status, 200);
        const QList<Event> list = events(r.body);
        const Streamed s = gather(list);
        QVERIFY2(s.problem.isEmpty(), qPrintable(s.problem));
        QCOMPARE(s.text, QStringLiteral("one two "));
        QVERIFY(!s.stopped);
        QCOMPARE(list.last().name, QByteArray("error"));
        QCOMPARE(s.error.value(QStringLiteral("type")).toString(), QStringLiteral("api_error"));
        QVERIFY(!s.error.value(QStringLiteral("message")).toString().isEmpty());
    }

    void countTokens()
    {
        const auto count = [this](const QByteArray &body) {
            const HttpReply r = send(QStringLiteral("/messages/count_tokens?beta=true"), body);
            return r.status == 200 ? r.json().value(QStringLiteral("input_tokens")).toInt(-1) : -r.status;
        };
        const int small = count(R"({"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"hello"}]})");
        QVERIFY(small > 0);
        const QString longText = QStringLiteral("word ").repeated(4000);
        const int large = count(QJsonDocument(QJsonObject {{QStringLiteral("model"), QStringLiteral("fast")},
                                                           {QStringLiteral("messages"), QJsonArray {user(longText)}}})
                                    .toJson(QJsonDocument::Compact));
        QVERIFY2(large > 4000 && large < 8000, qPrintable(QString::number(large)));
        const int withTools = count(QJsonDocument(QJsonObject {{QStringLiteral("model"), QStringLiteral("fast")},
                                                               {QStringLiteral("tools"), QJsonArray {weatherTool()}},
                                                               {QStringLiteral("messages"), QJsonArray {user(QStringLiteral("hello"))}}})
                                        .toJson(QJsonDocument::Compact));
        QVERIFY(withTools > small);
        QCOMPARE(count(R"({"model":"fast","messages":[]})"), -400);
        QVERIFY(fx->fake.requests().isEmpty());   // no provider is asked
    }

    void modelAliases()
    {
        QVERIFY(fx->reconfigure("model_aliases:\n"
                                "  - {match: \"claude-*haiku*\", model: mini}\n"
                                "  - {match: \"opus\", model: kimi}\n"
                                "  - {match: \"gpt-4*\", model: plain}\n"));
        const auto servedBy = [this](const QString &path, const QByteArray &body) {
            const HttpReply r = send(path, body);
            return r.status == 200 ? QString::fromUtf8(r.headers.value("x-switchyard-model")) : QString::number(r.status);
        };
        QCOMPARE(servedBy(QStringLiteral("/messages"), messagesBody(QStringLiteral("claude-3-5-haiku-20241022"), false)),
                 QStringLiteral("mini"));
        QCOMPARE(servedBy(QStringLiteral("/messages"), messagesBody(QStringLiteral("OPUS"), false)), QStringLiteral("kimi"));
        // An unmapped claude-… name is routed as auto (the default route), any other unknown name is a 404.
        QCOMPARE(servedBy(QStringLiteral("/messages"), messagesBody(QStringLiteral("claude-sonnet-4-5-20250929"), false)),
                 QStringLiteral("fast"));
        const HttpReply unknown = send(QStringLiteral("/messages"), messagesBody(QStringLiteral("llama-9"), false));
        QCOMPARE(unknown.status, 404);
        QCOMPARE(unknown.error().value(QStringLiteral("type")).toString(), QStringLiteral("not_found_error"));
        // Exact names win over patterns; and the chat door reads the same aliases.
        QCOMPARE(servedBy(QStringLiteral("/messages"), messagesBody(QStringLiteral("qwen"), false)), QStringLiteral("qwen"));
        const QByteArray chat = R"({"model":"gpt-4o","messages":[{"role":"user","content":"hello"}]})";
        QCOMPARE(servedBy(QStringLiteral("/chat/completions"), chat), QStringLiteral("plain"));
        QList<QVariantMap> rows;
        QTRY_COMPARE_WITH_TIMEOUT((rows = fx->ledgerRows()).size(), 5, 10000);
        QCOMPARE(rows[0].value(QStringLiteral("model")).toString(), QStringLiteral("mini"));
    }

    void modelAliasesInConfigYaml()
    {
        const QByteArray base = fx->configYaml();
        ConfigLoadResult bad = ConfigLoader::parse(base + "model_aliases:\n  - {match: \"claude-*\", model: nowhere}\n");
        QVERIFY(!bad.ok());
        const QString why = bad.errorSummary(QStringLiteral("config.yaml"));
        QVERIFY2(why.contains(QStringLiteral("nowhere")) && why.contains(QStringLiteral("column")), qPrintable(why));
        bad = ConfigLoader::parse(base + "model_aliases:\n  - {match: \"claude-[\", model: auto}\n");
        QVERIFY(!bad.ok());
        bad = ConfigLoader::parse(base + "model_aliases:\n  - {model: fast}\n");
        QVERIFY(!bad.ok());

        const ConfigLoadResult good = ConfigLoader::parse(base + "model_aliases:\n  - {match: \"claude-*-haiku-*\", model: mini}\n"
                                                                 "  - {match: \"*\", model: AUTO}\n");
        QVERIFY2(good.ok(), qPrintable(good.errorSummary(QStringLiteral("config.yaml"))));
        const Config &c = *good.config;
        QCOMPARE(c.modelAliases.size(), 2);
        QCOMPARE(c.resolveModel(QStringLiteral("claude-3-5-haiku-latest")), QStringLiteral("mini"));
        QCOMPARE(c.resolveModel(QStringLiteral("openai/gpt-5")), QStringLiteral("auto"));
        QCOMPARE(c.resolveModel(QStringLiteral("kimi")), QStringLiteral("kimi"));
        // Written back and read again, the same.
        const ConfigLoadResult again = ConfigLoader::parse(ConfigWriter::toYaml(c));
        QVERIFY2(again.ok(), qPrintable(again.errorSummary(QStringLiteral("written"))));
        QCOMPARE(again.config->modelAliases.size(), 2);
        QCOMPARE(again.config->modelAliases[0].match, QStringLiteral("claude-*-haiku-*"));
        QCOMPARE(again.config->modelAliases[0].model, QStringLiteral("mini"));
        QCOMPARE(again.config->modelAliases[1].model, QStringLiteral("auto"));
    }

    // The Anthropic SDK and @ai-sdk/anthropic, run by node against every dialect of the fake provider.
    void nodeClients_data()
    {
        QTest::addColumn<QString>("which");
        QTest::addColumn<QString>("model");
        for (const char *which : {"create", "stream", "toolRoundTrip", "countTokens", "aiGenerate", "aiStream", "aiTool"}) {
            for (const QString &m : dialectModels)
                QTest::newRow(qPrintable(QStringLiteral("%1 %2").arg(QLatin1String(which), m))) << QString::fromLatin1(which) << m;
        }
        QTest::newRow("thinking kimi") << QStringLiteral("thinking") << QStringLiteral("kimi");
        QTest::newRow("overloaded") << QStringLiteral("overloaded") << QStringLiteral("fast");
    }

    void nodeClients()
    {
        QFETCH(QString, which);
        QFETCH(QString, model);
        if (node.isEmpty() || !QFile::exists(QFileInfo(script).path() + QStringLiteral("/node_modules/@anthropic-ai/sdk/package.json")))
            QFAIL("node or the npm clients are missing; run npm ci in the build's tests/node");
        if (which == u"overloaded") {
            for (int i = 0; i < 8; ++i)
                fx->fake.enqueue(FakeResponse::overloaded());
        }
        const QJsonObject o = nodeCase(which, model);
        const QByteArray seen = QJsonDocument(o).toJson(QJsonDocument::Compact);
        if (which == u"overloaded") {
            const QJsonObject error = o.value(QStringLiteral("error")).toObject();
            QCOMPARE(error.value(QStringLiteral("class")).toString(), QStringLiteral("OverloadedError"));   // the SDK's class for 529
            QCOMPARE(error.value(QStringLiteral("status")).toInt(), 529);
            QCOMPARE(error.value(QStringLiteral("type")).toString(), QStringLiteral("overloaded_error"));
            return;
        }
        QVERIFY2(!o.contains(QStringLiteral("error")), seen.constData());
        if (which == u"countTokens") {
            QVERIFY2(o.value(QStringLiteral("input_tokens")).toInt() > 0, seen.constData());
            return;
        }
        const bool thinks = model != u"plain";
        if (which == u"toolRoundTrip" || which == u"aiTool") {
            QCOMPARE(o.value(QStringLiteral("tool")).toString(), QStringLiteral("get_weather"));
            QVERIFY2(o.value(QStringLiteral("input")).toObject().value(QStringLiteral("city")).isString(), seen.constData());
            QVERIFY2(o.value(QStringLiteral("text")).toString().startsWith(u"Done: "), seen.constData());
            QVERIFY2(o.value(QStringLiteral("text")).toString().contains(QStringLiteral("21")), seen.constData());
        } else {
            QCOMPARE(o.value(QStringLiteral("text")).toString(), expectedText(model));
            if (which == u"thinking" || (thinks && (which == u"create" || which == u"stream")))
                QCOMPARE(o.value(QStringLiteral("thinking")).toString(), FakeProvider::reasoningText());
        }
        const QJsonObject usage = o.value(QStringLiteral("usage")).toObject();
        if (which.startsWith(u"ai")) {
            QVERIFY2(usage.value(QStringLiteral("outputTokens")).toInt() > 0, seen.constData());
            QVERIFY2(usage.value(QStringLiteral("inputTokens")).toInt() > 0, seen.constData());
        } else {
            QCOMPARE(usage.value(QStringLiteral("input_tokens")).toInt() + usage.value(QStringLiteral("cache_read_input_tokens")).toInt(),
                     FakeUsage::prompt);
            QCOMPARE(usage.value(QStringLiteral("output_tokens")).toInt(), FakeUsage::completion);
        }
        QList<QVariantMap> rows;
        const int calls = (which == u"toolRoundTrip" || which == u"aiTool" || which == u"thinking") ? 2 : 1;
        QTRY_COMPARE_WITH_TIMEOUT((rows = fx->ledgerRows()).size(), calls, 10000);
        for (const QVariantMap &row : std::as_const(rows)) {
            QCOMPARE(row.value(QStringLiteral("model")).toString(), model);
            QCOMPARE(row.value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
        }
    }
};

QTEST_MAIN(TestMessages)
#include "tst_messages.moc"
