// The local endpoint over real loopback HTTP: keys, errors with the right status and OpenAI's error
// shape, streaming and whole answers in OpenAI's shapes for every provider dialect, fallback, the
// ledger's rows, a client that hangs up, and the endpoint's key created in the real keychain.
#include "EndpointClient.h"
#include "GatewayFixture.h"
#include "KeyStatus.h"
#include "HttpServer.h"
#include "KeychainBackend.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpSocket>
#include <QTest>

namespace {

// The `data:` payloads of an SSE body, in order.
QList<QByteArray> ssePayloads(const QByteArray &body)
{
    QList<QByteArray> out;
    for (const QByteArray &event : body.split('\n')) {
        if (event.startsWith("data: "))
            out << event.mid(6);
    }
    return out;
}

} // namespace

class TestGateway : public QObject
{
    Q_OBJECT

    std::unique_ptr<GatewayFixture> fx;
    QNetworkAccessManager nam;

    HttpReply send(const QByteArray &method, const QString &path, const QByteArray &body = {},
                   const HttpHeaders &headers = {{"Authorization", "Bearer sk-sy-fixture-key"}})
    {
        return sendAndWait(nam, method, QUrl(fx->url() + path), body, headers);
    }

    // A streamed request for "plain" whose bytes gather in *seen as they come.
    QNetworkReply *startStream(QByteArray *seen)
    {
        QNetworkRequest request(QUrl(fx->url() + QStringLiteral("/chat/completions")));
        request.setRawHeader("Authorization", "Bearer sk-sy-fixture-key");
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        QNetworkReply *reply = nam.post(request, chatBody(QStringLiteral("plain"), true));
        connect(reply, &QNetworkReply::readyRead, this, [reply, seen] { *seen += reply->readAll(); });
        return reply;
    }

    static QByteArray chatBody(const QString &model, bool stream, const QString &prompt = QStringLiteral("hello"))
    {
        QJsonObject o {{QStringLiteral("model"), model},
                       {QStringLiteral("stream"), stream},
                       {QStringLiteral("messages"),
                        QJsonArray {QJsonObject {{QStringLiteral("role"), QStringLiteral("user")},
                                                 {QStringLiteral("content"), prompt}}}}};
        if (stream)
            o.insert(QStringLiteral("stream_options"), QJsonObject {{QStringLiteral("include_usage"), true}});
        return QJsonDocument(o).toJson(QJsonDocument::Compact);
    }

    // Sends raw bytes on a fresh connection and returns everything until the server closes it.
    QByteArray raw(const QByteArray &bytes)
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, fx->gateway->url().port());
        if (!socket.waitForConnected(5000))
            return {};
        socket.write(bytes);
        QByteArray out;
        const bool closed = QTest::qWaitFor(
            [&] {
                out += socket.readAll();
                return socket.state() == QAbstractSocket::UnconnectedState;
            },
            10000);
        return closed ? out : out + socket.readAll();
    }

private slots:
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

    void keyIsRequired_data()
    {
        QTest::addColumn<QByteArray>("authorization");
        QTest::newRow("none") << QByteArray();
        QTest::newRow("wrong key") << QByteArray("Bearer sk-sy-guess");
        QTest::newRow("prefix of the key") << QByteArray("Bearer sk-sy-fixture");
        QTest::newRow("not bearer") << QByteArray("Basic c2stc3k=");
    }

    void keyIsRequired()
    {
        QFETCH(QByteArray, authorization);
        QList<std::pair<QByteArray, QByteArray>> headers;
        if (!authorization.isEmpty())
            headers.append({"Authorization", authorization});
        for (const QString &path : {QStringLiteral("/models"), QStringLiteral("/chat/completions")}) {
            const HttpReply r = send(path.endsWith(u"models") ? "GET" : "POST", path, chatBody(QStringLiteral("auto"), false), headers);
            QCOMPARE(r.status, 401);
            QCOMPARE(r.headers.value("www-authenticate"), QByteArray("Bearer"));
            QCOMPARE(r.error().value(QStringLiteral("code")).toString(), QStringLiteral("invalid_api_key"));
            QCOMPARE(r.error().value(QStringLiteral("type")).toString(), QStringLiteral("invalid_request_error"));
            QVERIFY(!r.body.contains("sk-sy-guess"));   // the key given is never echoed
        }
        QVERIFY(fx->fake.requests().isEmpty());   // nothing reached a provider
    }

    void keysMapToClients()
    {
        QCOMPARE(fx->keys->clientFor("sk-sy-fixture-key"), QStringLiteral("api"));
        QCOMPARE(fx->keys->clientFor("sk-sy-fixture-ci"), QStringLiteral("ci"));
        QCOMPARE(fx->keys->clientFor("sk-sy-fixture-ke"), QString());
        QCOMPARE(fx->keys->clientFor("sk-sy-fixture-keyy"), QString());
        QCOMPARE(fx->keys->clientFor(""), QString());
        QCOMPARE(fx->keys->clientNames(), QStringList {QStringLiteral("ci")});
        QVERIFY(!GatewayKeys::isValidClientName(QStringLiteral("api")));
        QVERIFY(!GatewayKeys::isValidClientName(QStringLiteral("has space")));
        QVERIFY(GatewayKeys::isValidClientName(QStringLiteral("nightly-ci.2")));
        const QString a = GatewayKeys::generateKey();
        QVERIFY(a.startsWith(u"sk-sy-"));
        QCOMPARE(a.size(), 6 + 43);   // 32 random bytes, base64url
        QVERIFY(a != GatewayKeys::generateKey());
    }

    void modelsListsEnabledModelsAndAuto()
    {
        const HttpReply r = send("GET", QStringLiteral("/models"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value(QStringLiteral("object")).toString(), QStringLiteral("list"));
        QStringList ids;
        for (const QJsonValue &m : r.json().value(QStringLiteral("data")).toArray()) {
            QCOMPARE(m.toObject().value(QStringLiteral("object")).toString(), QStringLiteral("model"));
            ids << m.toObject().value(QStringLiteral("id")).toString();
        }
        QCOMPARE(ids, (QStringList {QStringLiteral("auto"), QStringLiteral("fast"), QStringLiteral("kimi"), QStringLiteral("mini"),
                                    QStringLiteral("qwen"), QStringLiteral("routed"), QStringLiteral("plain"),
                                    QStringLiteral("whole")}));
    }

    void oneModelById()
    {
        HttpReply r = send("GET", QStringLiteral("/models/kimi"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value(QStringLiteral("id")).toString(), QStringLiteral("kimi"));
        QCOMPARE(r.json().value(QStringLiteral("object")).toString(), QStringLiteral("model"));
        QCOMPARE(r.json().value(QStringLiteral("owned_by")).toString(), QStringLiteral("km"));
        r = send("GET", QStringLiteral("/models/auto"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value(QStringLiteral("id")).toString(), QStringLiteral("auto"));
        r = send("GET", QStringLiteral("/models/hidden"));   // its provider is disabled
        QCOMPARE(r.status, 404);
        QCOMPARE(r.error().value(QStringLiteral("code")).toString(), QStringLiteral("model_not_found"));
        r = send("GET", QStringLiteral("/models/kimi"), {}, {});
        QCOMPARE(r.status, 401);
    }

    // Every field the client sends reaches the provider; only the dialect's needs change it.
    void clientFieldsReachTheProvider()
    {
        const QByteArray body = R"({"model":"fast","stream":false,"stop":["END"],"seed":42,"user":"alice",
            "logit_bias":{"50256":-100},"presence_penalty":0.5,"frequency_penalty":0.25,"reasoning_effort":"medium",
            "response_format":{"type":"text"},"x_custom_field":{"keep":true},"metadata":{"task_type":"chat","team":"ml"},
            "max_completion_tokens":300,
            "messages":[{"role":"developer","content":"Be brief."},
                        {"role":"user","name":"alice","content":"weather?"},
                        {"role":"assistant","content":null,"reasoning_content":"Look it up.",
                         "tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{}"}}]},
                        {"role":"tool","tool_call_id":"call_1","content":"sunny"}]})";
        const HttpReply r = send("POST", QStringLiteral("/chat/completions"), body);
        QCOMPARE(r.status, 200);
        QVERIFY(!r.headers.contains("x-switchyard-dropped"));
        const QJsonObject sent = fx->fake.requests().last().json();
        QCOMPARE(sent.value(QStringLiteral("stop")).toArray(), QJsonArray {QStringLiteral("END")});
        QCOMPARE(sent.value(QStringLiteral("seed")).toInt(), 42);
        QCOMPARE(sent.value(QStringLiteral("user")).toString(), QStringLiteral("alice"));
        QCOMPARE(sent.value(QStringLiteral("logit_bias")).toObject().value(QStringLiteral("50256")).toInt(), -100);
        QCOMPARE(sent.value(QStringLiteral("presence_penalty")).toDouble(), 0.5);
        QCOMPARE(sent.value(QStringLiteral("frequency_penalty")).toDouble(), 0.25);
        QCOMPARE(sent.value(QStringLiteral("x_custom_field")).toObject().value(QStringLiteral("keep")).toBool(), true);
        QCOMPARE(sent.value(QStringLiteral("metadata")).toObject(), (QJsonObject {{QStringLiteral("team"), QStringLiteral("ml")}}));
        QCOMPARE(sent.value(QStringLiteral("max_tokens")).toInt(), 300);   // DeepSeek's name for it
        // DeepSeek: effort in its three levels, thinking on, no developer role.
        QCOMPARE(sent.value(QStringLiteral("reasoning_effort")).toString(), QStringLiteral("high"));
        QCOMPARE(sent.value(QStringLiteral("thinking")).toObject().value(QStringLiteral("type")).toString(), QStringLiteral("enabled"));
        const QJsonArray messages = sent.value(QStringLiteral("messages")).toArray();
        QCOMPARE(messages.at(0).toObject().value(QStringLiteral("role")).toString(), QStringLiteral("system"));
        QCOMPARE(messages.at(1).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("alice"));
        const QJsonObject assistant = messages.at(2).toObject();
        QVERIFY(assistant.value(QStringLiteral("content")).isNull());
        QCOMPARE(assistant.value(QStringLiteral("reasoning_content")).toString(), QStringLiteral("Look it up."));
        QCOMPARE(r.json().value(QStringLiteral("choices")).toArray().at(0).toObject().value(QStringLiteral("message"))
                     .toObject().value(QStringLiteral("content")).toString(),
                 QStringLiteral("Done: sunny"));
    }

    // MiniMax refuses these (the fake answers base_resp 2013 when they arrive): they are dropped
    // and named, in the header and in the ledger.
    void droppedFieldsAreNamed()
    {
        const QByteArray body = R"({"model":"mini","stream":true,"seed":7,"presence_penalty":0.5,"tool_choice":"auto",
            "messages":[{"role":"user","content":"hello"}]})";
        const HttpReply r = send("POST", QStringLiteral("/chat/completions"), body);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.headers.value("x-switchyard-dropped"), QByteArray("tool_choice, seed, presence_penalty"));
        QVERIFY(r.body.endsWith("data: [DONE]\n\n"));
        const QJsonObject sent = fx->fake.requests().last().json();
        QVERIFY(!sent.contains(QStringLiteral("seed")));
        QVERIFY(!sent.contains(QStringLiteral("tool_choice")));
        QList<QVariantMap> rows;
        QTRY_COMPARE_WITH_TIMEOUT((rows = fx->ledgerRows()).size(), 1, 10000);
        QCOMPARE(rows[0].value(QStringLiteral("dropped")).toString(), QStringLiteral("tool_choice,seed,presence_penalty"));
        QCOMPARE(rows[0].value(QStringLiteral("api")).toString(), QStringLiteral("chat"));
        QVERIFY(rows[0].value(QStringLiteral("overhead_us")).toLongLong() >= 0);
        bool ok = false;
        const double overhead = r.headers.value("x-switchyard-overhead-ms").toDouble(&ok);
        QVERIFY(ok);
        QVERIFY(overhead >= 0 && overhead < 5000);
    }

    void structuredOutputAcrossDialects_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<bool>("stream");
        QTest::addColumn<QString>("sentType");   // response_format.type upstream; empty: none
        QTest::newRow("OpenAI: json_schema as is") << "plain" << false << "json_schema";
        QTest::newRow("DeepSeek: JSON mode and the schema") << "fast" << false << "json_object";
        QTest::newRow("DeepSeek, streamed") << "fast" << true << "json_object";
        QTest::newRow("Kimi: JSON mode") << "kimi" << true << "json_object";
        QTest::newRow("MiniMax: asked in words") << "mini" << false << "";
        QTest::newRow("MiniMax, streamed") << "mini" << true << "";
    }

    void structuredOutputAcrossDialects()
    {
        QFETCH(QString, model);
        QFETCH(bool, stream);
        QFETCH(QString, sentType);
        const QJsonObject schema {{QStringLiteral("type"), QStringLiteral("object")},
                                  {QStringLiteral("properties"),
                                   QJsonObject {{QStringLiteral("city"), QJsonObject {{QStringLiteral("type"), QStringLiteral("string")}}},
                                                {QStringLiteral("temperature_c"), QJsonObject {{QStringLiteral("type"), QStringLiteral("number")}}}}},
                                  {QStringLiteral("required"), QJsonArray {QStringLiteral("city"), QStringLiteral("temperature_c")}}};
        QJsonObject request = QJsonDocument::fromJson(chatBody(model, stream, QStringLiteral("Paris?"))).object();
        request.insert(QStringLiteral("response_format"),
                       QJsonObject {{QStringLiteral("type"), QStringLiteral("json_schema")},
                                    {QStringLiteral("json_schema"),
                                     QJsonObject {{QStringLiteral("name"), QStringLiteral("weather")},
                                                  {QStringLiteral("strict"), true},
                                                  {QStringLiteral("schema"), schema}}}});
        const HttpReply r = send("POST", QStringLiteral("/chat/completions"), QJsonDocument(request).toJson());
        QCOMPARE(r.status, 200);
        QVERIFY(!r.headers.contains("x-switchyard-dropped"));
        const QJsonObject sent = fx->fake.requests().last().json();
        QCOMPARE(sent.value(QStringLiteral("response_format")).toObject().value(QStringLiteral("type")).toString(), sentType);
        if (sentType != u"json_schema") {
            const QString system = sent.value(QStringLiteral("messages")).toArray().at(0).toObject().value(QStringLiteral("content")).toString();
            QVERIFY2(system.contains(QLatin1String("\"temperature_c\"")), qPrintable(system));
        }
        QString content;
        if (stream) {
            for (const QByteArray &payload : ssePayloads(r.body)) {
                const QJsonArray choices = QJsonDocument::fromJson(payload).object().value(QStringLiteral("choices")).toArray();
                if (!choices.isEmpty())
                    content += choices.at(0).toObject().value(QStringLiteral("delta")).toObject().value(QStringLiteral("content")).toString();
            }
        } else {
            content = r.json().value(QStringLiteral("choices")).toArray().at(0).toObject().value(QStringLiteral("message"))
                          .toObject().value(QStringLiteral("content")).toString();
        }
        // The answer is the JSON itself, without the fence MiniMax's answer came in.
        const QJsonObject answer = QJsonDocument::fromJson(content.toUtf8()).object();
        QCOMPARE(answer.value(QStringLiteral("city")).toString(), QStringLiteral("Paris"));
        QCOMPARE(answer.value(QStringLiteral("temperature_c")).toInt(), 21);
    }

    void anAnswerThatIsNotJsonFallsBack()
    {
        // One failure would cool a provider down: a model's prose must not count as one.
        QVERIFY(fx->reconfigure("fallback:\n  cooldown_after: 1\n"));
        // fast (DeepSeek, JSON mode by prompt) answers prose; its fallback kimi answers JSON.
        fx->fake.enqueue(FakeResponse::json(200, R"({"id":"x","object":"chat.completion","model":"deepseek-chat",
            "choices":[{"index":0,"message":{"role":"assistant","content":"Paris is sunny."},"finish_reason":"stop"}],
            "usage":{"prompt_tokens":10,"completion_tokens":4,"total_tokens":14}})"));
        QJsonObject request = QJsonDocument::fromJson(chatBody(QStringLiteral("fast"), true, QStringLiteral("Paris?"))).object();
        request.insert(QStringLiteral("response_format"), QJsonObject {{QStringLiteral("type"), QStringLiteral("json_object")}});
        request.insert(QStringLiteral("messages"),
                       QJsonArray {QJsonObject {{QStringLiteral("role"), QStringLiteral("system")},
                                                {QStringLiteral("content"), QStringLiteral("Answer in JSON.")}},
                                   request.value(QStringLiteral("messages")).toArray().at(0)});
        // JSON mode is DeepSeek's own: sent as is and not checked, so the prose passes.
        HttpReply r = send("POST", QStringLiteral("/chat/completions"), QJsonDocument(request).toJson());
        QCOMPARE(r.status, 200);
        QVERIFY(r.body.contains("Paris is sunny."));

        // With a schema, JSON is asked for by prompt and checked: prose falls back, unseen.
        fx->fake.enqueue(FakeResponse::json(200, R"({"id":"x","object":"chat.completion","model":"deepseek-chat",
            "choices":[{"index":0,"message":{"role":"assistant","content":"Paris is sunny."},"finish_reason":"stop"}],
            "usage":{"prompt_tokens":10,"completion_tokens":4,"total_tokens":14}})"));
        request.insert(QStringLiteral("response_format"),
                       QJsonObject {{QStringLiteral("type"), QStringLiteral("json_schema")},
                                    {QStringLiteral("json_schema"),
                                     QJsonObject {{QStringLiteral("name"), QStringLiteral("w")},
                                                  {QStringLiteral("schema"),
                                                   QJsonObject {{QStringLiteral("type"), QStringLiteral("object")},
                                                                {QStringLiteral("properties"),
                                                                 QJsonObject {{QStringLiteral("city"),
                                                                               QJsonObject {{QStringLiteral("type"), QStringLiteral("string")}}}}}}}}}});
        r = send("POST", QStringLiteral("/chat/completions"), QJsonDocument(request).toJson());
        QCOMPARE(r.status, 200);
        QCOMPARE(r.headers.value("x-switchyard-model"), QByteArray("kimi"));
        QVERIFY(!r.body.contains("Paris is sunny."));
        QVERIFY(r.body.contains(R"({\"city\":\"Paris\"})"));
        QCOMPARE(r.headers.value("x-switchyard-attempts"), QByteArray("2"));
        // DeepSeek did not cool down for it: the next request is its again.
        r = send("POST", QStringLiteral("/chat/completions"), chatBody(QStringLiteral("fast"), false));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.headers.value("x-switchyard-model"), QByteArray("fast"));
    }

    void forcedToolChoiceWhereNoModelCanIsA400()
    {
        const QByteArray body = R"({"model":"mini","tool_choice":"required",
            "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}],
            "messages":[{"role":"user","content":"weather in Paris"}]})";
        const HttpReply r = send("POST", QStringLiteral("/chat/completions"), body);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.error().value(QStringLiteral("type")).toString(), QStringLiteral("invalid_request_error"));
        QVERIFY2(r.error().value(QStringLiteral("message")).toString().contains(QLatin1String("cannot be made to call a tool")),
                 r.body.constData());
        QVERIFY(fx->fake.requests().isEmpty());
    }

    void parallelToolCallsThroughAWholeAnswer()
    {
        const QByteArray body = R"({"model":"whole","stream":true,"tool_choice":"required",
            "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}},
                     {"type":"function","function":{"name":"get_time","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}],
            "messages":[{"role":"user","content":"weather and time in Paris"}]})";
        for (bool stream : {false, true}) {
            QJsonObject request = QJsonDocument::fromJson(body).object();
            request.insert(QStringLiteral("stream"), stream);
            const HttpReply r = send("POST", QStringLiteral("/chat/completions"), QJsonDocument(request).toJson());
            QCOMPARE(r.status, 200);
            QVERIFY(!fx->fake.requests().last().json().value(QStringLiteral("stream")).toBool());   // streaming: false
            QMap<int, QPair<QString, QString>> calls;   // index -> name, arguments
            if (stream) {
                for (const QByteArray &payload : ssePayloads(r.body)) {
                    const QJsonArray choices = QJsonDocument::fromJson(payload).object().value(QStringLiteral("choices")).toArray();
                    for (const QJsonValue &t : choices.at(0).toObject().value(QStringLiteral("delta")).toObject()
                                                   .value(QStringLiteral("tool_calls")).toArray()) {
                        const QJsonObject f = t.toObject().value(QStringLiteral("function")).toObject();
                        auto &c = calls[t.toObject().value(QStringLiteral("index")).toInt()];
                        c.first += f.value(QStringLiteral("name")).toString();
                        c.second += f.value(QStringLiteral("arguments")).toString();
                    }
                }
            } else {
                const QJsonArray list = r.json().value(QStringLiteral("choices")).toArray().at(0).toObject()
                                            .value(QStringLiteral("message")).toObject().value(QStringLiteral("tool_calls")).toArray();
                for (int i = 0; i < list.size(); ++i) {
                    const QJsonObject f = list.at(i).toObject().value(QStringLiteral("function")).toObject();
                    calls[i] = {f.value(QStringLiteral("name")).toString(), f.value(QStringLiteral("arguments")).toString()};
                }
            }
            QCOMPARE(calls.size(), 2);
            QCOMPARE(calls[0].first, QStringLiteral("get_weather"));
            QCOMPARE(calls[1].first, QStringLiteral("get_time"));
            QCOMPARE(calls[0].second, QStringLiteral(R"({"city":"Paris"})"));
            QCOMPARE(calls[1].second, QStringLiteral(R"({"city":"Paris"})"));
        }
        QList<QVariantMap> rows;
        QTRY_COMPARE_WITH_TIMEOUT((rows = fx->ledgerRows()).size(), 2, 10000);
        QVERIFY(rows[0].value(QStringLiteral("ttft_ms")).toLongLong() >= 0);   // an answer that is only tool calls
    }

    void coolingDownIsA503WithRetryAfter()
    {
        QVERIFY(fx->reconfigure("fallback:\n  retries: 0\n  cooldown_after: 2\n  cooldown_seconds: 90\n"));
        for (int i = 0; i < 2; ++i) {
            fx->fake.enqueue(FakeResponse::serverError());
            QCOMPARE(send("POST", QStringLiteral("/chat/completions"), chatBody(QStringLiteral("plain"), false)).status, 502);
        }
        const int sent = int(fx->fake.requests().size());
        const HttpReply r = send("POST", QStringLiteral("/chat/completions"), chatBody(QStringLiteral("plain"), true));
        QCOMPARE(r.status, 503);
        QCOMPARE(r.error().value(QStringLiteral("code")).toString(), QStringLiteral("overloaded"));
        QVERIFY2(r.error().value(QStringLiteral("message")).toString().contains(QLatin1String("cooling down")), r.body.constData());
        const int retryAfter = r.headers.value("retry-after").toInt();
        QVERIFY2(retryAfter > 80 && retryAfter <= 90, r.headers.value("retry-after").constData());
        QCOMPARE(fx->fake.requests().size(), sent);   // nothing was sent
    }

    void usageCarriesDeepSeeksNamesToo()
    {
        const HttpReply r = send("POST", QStringLiteral("/chat/completions"), chatBody(QStringLiteral("kimi"), false));
        QCOMPARE(r.status, 200);
        const QJsonObject usage = r.json().value(QStringLiteral("usage")).toObject();
        QCOMPARE(usage.value(QStringLiteral("prompt_cache_hit_tokens")).toInt(), FakeUsage::cached);
        QCOMPARE(usage.value(QStringLiteral("prompt_cache_miss_tokens")).toInt(), FakeUsage::prompt - FakeUsage::cached);
        QCOMPARE(usage.value(QStringLiteral("prompt_tokens_details")).toObject().value(QStringLiteral("cached_tokens")).toInt(),
                 FakeUsage::cached);
    }

    // Log probabilities come back as the provider sent them, per chunk or gathered for a whole answer.
    void logprobsComeBack()
    {
        for (bool stream : {true, false}) {
            QJsonObject request = QJsonDocument::fromJson(chatBody(QStringLiteral("plain"), stream)).object();
            request.insert(QStringLiteral("logprobs"), true);
            request.insert(QStringLiteral("top_logprobs"), 2);
            const HttpReply r = send("POST", QStringLiteral("/chat/completions"), QJsonDocument(request).toJson());
            QCOMPARE(r.status, 200);
            const QJsonObject sent = fx->fake.requests().last().json();
            QCOMPARE(sent.value(QStringLiteral("top_logprobs")).toInt(), 2);
            QString tokens;
            QString content;
            if (stream) {
                for (const QByteArray &payload : ssePayloads(r.body)) {
                    const QJsonObject choice = QJsonDocument::fromJson(payload).object().value(QStringLiteral("choices"))
                                                   .toArray().at(0).toObject();
                    content += choice.value(QStringLiteral("delta")).toObject().value(QStringLiteral("content")).toString();
                    for (const QJsonValue &t : choice.value(QStringLiteral("logprobs")).toObject().value(QStringLiteral("content")).toArray())
                        tokens += t.toObject().value(QStringLiteral("token")).toString();
                }
            } else {
                const QJsonObject choice = r.json().value(QStringLiteral("choices")).toArray().at(0).toObject();
                content = choice.value(QStringLiteral("message")).toObject().value(QStringLiteral("content")).toString();
                const QJsonArray list = choice.value(QStringLiteral("logprobs")).toObject().value(QStringLiteral("content")).toArray();
                QCOMPARE(list.at(0).toObject().value(QStringLiteral("logprob")).toDouble(), -0.125);
                for (const QJsonValue &t : list)
                    tokens += t.toObject().value(QStringLiteral("token")).toString();
            }
            QVERIFY(!content.isEmpty());
            QCOMPARE(tokens, content);
        }
    }

    void nAboveOneIsRefused()
    {
        QJsonObject request = QJsonDocument::fromJson(chatBody(QStringLiteral("fast"), false)).object();
        request.insert(QStringLiteral("n"), 2);
        const HttpReply r = send("POST", QStringLiteral("/chat/completions"), QJsonDocument(request).toJson());
        QCOMPARE(r.status, 400);
        QVERIFY(r.error().value(QStringLiteral("message")).toString().contains(QLatin1String("\"n\"")));
    }

    void badRequestsAreExplained_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("says");
        QTest::newRow("not JSON") << QByteArray("POST") << "/chat/completions" << QByteArray("{\"model\": ") << 400
                                  << "invalid_request" << "not valid JSON";
        QTest::newRow("no messages") << QByteArray("POST") << "/chat/completions" << QByteArray(R"({"model":"auto"})")
                                     << 400 << "invalid_request" << "messages";
        QTest::newRow("no model") << QByteArray("POST") << "/chat/completions"
                                  << QByteArray(R"({"messages":[{"role":"user","content":"hi"}]})") << 400
                                  << "invalid_request" << "\"model\"";
        QTest::newRow("unknown model") << QByteArray("POST") << "/chat/completions" << chatBody(QStringLiteral("gpt-9"), false)
                                       << 404 << "model_not_found" << "gpt-9";
        QTest::newRow("unknown task type")
            << QByteArray("POST") << "/chat/completions"
            << QByteArray(R"({"model":"auto","metadata":{"task_type":"poetry"},"messages":[{"role":"user","content":"hi"}]})")
            << 400 << "invalid_task_type" << "poetry";
        QTest::newRow("wrong method") << QByteArray("GET") << "/chat/completions" << QByteArray() << 405
                                      << "method_not_allowed" << "POST";
        QTest::newRow("unknown path") << QByteArray("POST") << "/audio/speech" << QByteArray("{}") << 404 << "unknown_url"
                                      << "/v1/audio/speech";
    }

    void badRequestsAreExplained()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, code);
        QFETCH(QString, says);
        const HttpReply r = send(method, path, body);
        QCOMPARE(r.status, status);
        QCOMPARE(r.headers.value("content-type"), QByteArray("application/json"));
        QCOMPARE(r.error().value(QStringLiteral("code")).toString(), code);
        QVERIFY2(r.error().value(QStringLiteral("message")).toString().contains(says), r.body.constData());
        QVERIFY(fx->fake.requests().isEmpty());
    }

    void oversizedBodyIsRefusedBeforeItIsRead()
    {
        fx->gateway->setMaxBodyBytes(1024);
        const QByteArray big = chatBody(QStringLiteral("auto"), false, QString(4096, QLatin1Char('x')));
        const HttpReply r = send("POST", QStringLiteral("/chat/completions"), big);
        QCOMPARE(r.status, 413);
        QVERIFY(r.error().value(QStringLiteral("message")).toString().contains(u"1024"));
        // Chunked, so the length is only known as it grows.
        const QByteArray chunked = raw("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sk-sy-fixture-key\r\n"
                                       "Transfer-Encoding: chunked\r\n\r\n1000\r\n"
                                       + QByteArray(4096, 'x') + "\r\n0\r\n\r\n");
        QVERIFY2(chunked.startsWith("HTTP/1.1 413 "), chunked.constData());
        QVERIFY(fx->fake.requests().isEmpty());
    }

    void notHttpGetsA400()
    {
        const QByteArray r = raw("HELLO THERE\r\n\r\n");
        QVERIFY2(r.startsWith("HTTP/1.1 400 "), r.constData());
        QVERIFY(r.contains("not valid HTTP"));
    }

    void streamsInOpenAiShapes_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("provider");
        QTest::addColumn<FakeDialect>("dialect");
        QTest::newRow("deepseek") << "fast" << "ds" << FakeDialect::DeepSeek;
        QTest::newRow("moonshot") << "kimi" << "km" << FakeDialect::Moonshot;
        QTest::newRow("minimax") << "mini" << "mm" << FakeDialect::MiniMax;
        QTest::newRow("dashscope") << "qwen" << "qw" << FakeDialect::DashScope;
        QTest::newRow("openrouter") << "routed" << "or" << FakeDialect::OpenRouter;
        QTest::newRow("openai") << "plain" << "oa" << FakeDialect::OpenAI;
    }

    void streamsInOpenAiShapes()
    {
        QFETCH(QString, model);
        QFETCH(QString, provider);
        QFETCH(FakeDialect, dialect);
        const HttpReply r = send("POST", QStringLiteral("/chat/completions"), chatBody(model, true));
        QCOMPARE(r.status, 200);
        QVERIFY(r.headers.value("content-type").startsWith("text/event-stream"));
        QCOMPARE(r.headers.value("x-switchyard-model"), model.toUtf8());
        QCOMPARE(r.headers.value("x-switchyard-provider"), provider.toUtf8());
        QCOMPARE(r.headers.value("x-switchyard-rule"), QByteArray("model"));

        const QList<QByteArray> payloads = ssePayloads(r.body);
        QVERIFY(payloads.size() >= 4);
        QCOMPARE(payloads.last(), QByteArray("[DONE]"));
        QString content, reasoning, finish;
        QJsonObject usage;
        QString id;
        for (int i = 0; i < payloads.size() - 1; ++i) {
            const QJsonObject chunk = QJsonDocument::fromJson(payloads[i]).object();
            QCOMPARE(chunk.value(QStringLiteral("object")).toString(), QStringLiteral("chat.completion.chunk"));
            QCOMPARE(chunk.value(QStringLiteral("model")).toString(), model);
            if (id.isEmpty())
                id = chunk.value(QStringLiteral("id")).toString();
            QCOMPARE(chunk.value(QStringLiteral("id")).toString(), id);   // one id for the whole stream
            const QJsonArray choices = chunk.value(QStringLiteral("choices")).toArray();
            if (choices.isEmpty()) {
                QCOMPARE(i, payloads.size() - 2);   // the usage chunk comes last
                usage = chunk.value(QStringLiteral("usage")).toObject();
                continue;
            }
            const QJsonObject delta = choices[0].toObject().value(QStringLiteral("delta")).toObject();
            if (i == 0)
                QCOMPARE(delta.value(QStringLiteral("role")).toString(), QStringLiteral("assistant"));
            content += delta.value(QStringLiteral("content")).toString();
            reasoning += delta.value(QStringLiteral("reasoning_content")).toString();
            const QJsonValue f = choices[0].toObject().value(QStringLiteral("finish_reason"));
            if (f.isString())
                finish = f.toString();
        }
        QVERIFY(id.startsWith(u"chatcmpl-"));
        const QJsonObject request = QJsonDocument::fromJson(chatBody(model, true)).object();
        QCOMPARE(content, FakeProvider::answerText(dialect, request));
        if (!reasoning.isEmpty())
            QCOMPARE(reasoning, FakeProvider::reasoningText());
        QCOMPARE(finish, QStringLiteral("stop"));
        QCOMPARE(usage.value(QStringLiteral("prompt_tokens")).toInt(), FakeUsage::prompt);
        QCOMPARE(usage.value(QStringLiteral("completion_tokens")).toInt(), FakeUsage::completion);
        QCOMPARE(usage.value(QStringLiteral("total_tokens")).toInt(), FakeUsage::prompt + FakeUsage::completion);

        QList<QVariantMap> rows;
        QTRY_COMPARE_WITH_TIMEOUT((rows = fx->ledgerRows()).size(), 1, 10000);
        QCOMPARE(rows[0].value(QStringLiteral("client")).toString(), QStringLiteral("api"));
        QCOMPARE(rows[0].value(QStringLiteral("model")).toString(), model);
        QCOMPARE(rows[0].value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
        QCOMPARE(rows[0].value(QStringLiteral("prompt_tokens")).toInt(), FakeUsage::prompt);
        QCOMPARE(rows[0].value(QStringLiteral("request_id")).toString(), id.mid(9));
    }

    void wholeAnswerWithReasoning()
    {
        const HttpReply r = send("POST", QStringLiteral("/chat/completions"),
                                 QByteArray(R"({"model":"auto","messages":[{"role":"user","content":"hello"}]})"),
                                 {{"Authorization", "Bearer sk-sy-fixture-ci"}, {"X-Task-Type", "reasoning"}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.headers.value("x-switchyard-rule"), QByteArray("thinking"));
        QCOMPARE(r.headers.value("x-switchyard-task-type"), QByteArray("reasoning"));
        const QJsonObject o = r.json();
        QCOMPARE(o.value(QStringLiteral("object")).toString(), QStringLiteral("chat.completion"));
        QCOMPARE(o.value(QStringLiteral("model")).toString(), QStringLiteral("kimi"));
        const QJsonObject choice = o.value(QStringLiteral("choices")).toArray().first().toObject();
        const QJsonObject message = choice.value(QStringLiteral("message")).toObject();
        QCOMPARE(message.value(QStringLiteral("role")).toString(), QStringLiteral("assistant"));
        QCOMPARE(message.value(QStringLiteral("content")).toString(),
                 FakeProvider::answerText(FakeDialect::Moonshot, QJsonDocument::fromJson(chatBody(QStringLiteral("auto"), false)).object()));
        QCOMPARE(message.value(QStringLiteral("reasoning_content")).toString(), FakeProvider::reasoningText());
        QCOMPARE(choice.value(QStringLiteral("finish_reason")).toString(), QStringLiteral("stop"));
        const QJsonObject usage = o.value(QStringLiteral("usage")).toObject();
        QCOMPARE(usage.value(QStringLiteral("prompt_tokens")).toInt(), FakeUsage::prompt);
        QCOMPARE(usage.value(QStringLiteral("prompt_tokens_details")).toObject().value(QStringLiteral("cached_tokens")).toInt(),
                 FakeUsage::cached);

        QList<QVariantMap> rows;
        QTRY_COMPARE_WITH_TIMEOUT((rows = fx->ledgerRows()).size(), 1, 10000);
        QCOMPARE(rows[0].value(QStringLiteral("client")).toString(), QStringLiteral("ci"));   // the named key's name
        QCOMPARE(rows[0].value(QStringLiteral("task_type")).toString(), QStringLiteral("reasoning"));
        QCOMPARE(rows[0].value(QStringLiteral("rule")).toString(), QStringLiteral("thinking"));
    }

    void rateLimitFallsBack()
    {
        fx->fake.enqueue(FakeResponse::rateLimited());
        const HttpReply r = send("POST", QStringLiteral("/chat/completions"), chatBody(QStringLiteral("fast"), true));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.headers.value("x-switchyard-model"), QByteArray("kimi"));
        QCOMPARE(r.headers.value("x-switchyard-attempts"), QByteArray("2"));
        QVERIFY(r.body.endsWith("data: [DONE]\n\n"));
        QList<QVariantMap> rows;
        QTRY_COMPARE_WITH_TIMEOUT((rows = fx->ledgerRows()).size(), 2, 10000);
        QCOMPARE(rows[0].value(QStringLiteral("status")).toString(), QStringLiteral("rate_limit"));
        QCOMPARE(rows[0].value(QStringLiteral("provider")).toString(), QStringLiteral("ds"));
        QCOMPARE(rows[1].value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
        QCOMPARE(rows[1].value(QStringLiteral("attempt")).toInt(), 2);
        QCOMPARE(rows[1].value(QStringLiteral("request_id")), rows[0].value(QStringLiteral("request_id")));
    }

    // A provider with no key: its models are passed over by the rules (a `no_key` row says so), and a
    // request naming one gets a 502 `no_key` in the door's own shape, with nothing sent.
    void keylessModelsArePassedOverOnEveryDoor()
    {
        qunsetenv("SY_GATEWAY_NO_SUCH_KEY");
        const QByteArray yaml = QStringLiteral("providers:\n"
                                          "  - {id: ds, name: DeepSeek, dialect: deepseek, base_url: '%1', api_key_env: SY_GATEWAY_TEST_KEY}\n"
                                          "  - {id: km, name: Kimi, dialect: moonshot, base_url: '%2', api_key_env: SY_GATEWAY_NO_SUCH_KEY}\n"
                                          "models:\n"
                                          "  - {name: fast, provider: ds, id: deepseek-chat, context: 128000}\n"
                                          "  - {name: kimi, provider: km, id: kimi-k2, context: 256000, reasoning: true}\n"
                                          "routes:\n"
                                          "  - {name: thinking, match: task_type == \"reasoning\", model: kimi}\n"
                                          "  - default: fast\n")
                               .arg(fx->fake.baseUrl(FakeDialect::DeepSeek), fx->fake.baseUrl(FakeDialect::Moonshot))
                               .toUtf8();
        QFile file(fx->config->path());
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(yaml);
        file.close();
        QVERIFY(fx->config->reload());
        QTRY_VERIFY(!fx->gateway->providerKeys()->checking());
        QCOMPARE(fx->gateway->providerKeys()->keyless(), QSet<QString> {QStringLiteral("km")});

        HttpHeaders headers {{"Authorization", "Bearer sk-sy-fixture-key"}, {"X-Task-Type", "reasoning"}};
        HttpReply r = send("POST", QStringLiteral("/chat/completions"), chatBody(QStringLiteral("auto"), true), headers);
        QVERIFY2(r.status == 200, r.body.constData());
        QCOMPARE(r.headers.value("x-switchyard-model"), QByteArray("fast"));
        QList<QVariantMap> rows;
        QTRY_COMPARE_WITH_TIMEOUT((rows = fx->ledgerRows()).size(), 2, 10000);
        QCOMPARE(rows[0].value(QStringLiteral("model")).toString(), QStringLiteral("kimi"));
        QCOMPARE(rows[0].value(QStringLiteral("status")).toString(), QStringLiteral("no_key"));
        QCOMPARE(rows[0].value(QStringLiteral("rule")).toString(), QStringLiteral("thinking"));
        QCOMPARE(rows[1].value(QStringLiteral("model")).toString(), QStringLiteral("fast"));
        QCOMPARE(rows[1].value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
        QCOMPARE(fx->chatRequests().size(), 1);

        r = send("POST", QStringLiteral("/chat/completions"), chatBody(QStringLiteral("kimi"), false));
        QCOMPARE(r.status, 502);
        QCOMPARE(r.error().value(QStringLiteral("code")).toString(), QStringLiteral("no_key"));
        QVERIFY2(r.error().value(QStringLiteral("message")).toString().contains(QStringLiteral("Kimi has no key")),
                 r.body.constData());
        const QByteArray messages = R"({"model":"kimi","max_tokens":50,"messages":[{"role":"user","content":"hi"}]})";
        r = send("POST", QStringLiteral("/messages"), messages, {{"x-api-key", "sk-sy-fixture-key"}, {"anthropic-version", "2023-06-01"}});
        QCOMPARE(r.status, 502);
        const QJsonObject body = QJsonDocument::fromJson(r.body).object();
        QCOMPARE(body.value(QStringLiteral("type")).toString(), QStringLiteral("error"));
        QCOMPARE(body.value(QStringLiteral("error")).toObject().value(QStringLiteral("type")).toString(), QStringLiteral("api_error"));
        QCOMPARE(fx->chatRequests().size(), 1);   // nothing more was sent
        QTRY_COMPARE_WITH_TIMEOUT((rows = fx->ledgerRows()).size(), 4, 10000);
        QCOMPARE(rows[3].value(QStringLiteral("status")).toString(), QStringLiteral("no_key"));
        QCOMPARE(rows[3].value(QStringLiteral("api")).toString(), QStringLiteral("messages"));
    }

    void upstreamFailureKeepsItsStatus_data()
    {
        QTest::addColumn<int>("fault");
        QTest::addColumn<bool>("stream");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QByteArray>("retryAfter");
        QTest::newRow("429, streaming") << 0 << true << 429 << "rate_limit" << QByteArray("30");
        QTest::newRow("429, whole") << 0 << false << 429 << "rate_limit" << QByteArray("30");
        QTest::newRow("503 overloaded") << 1 << true << 503 << "overloaded" << QByteArray();
        QTest::newRow("HTML error page") << 2 << false << 502 << "server" << QByteArray();
        QTest::newRow("no balance") << 3 << true << 402 << "balance" << QByteArray();
    }

    void upstreamFailureKeepsItsStatus()
    {
        QFETCH(int, fault);
        QFETCH(bool, stream);
        QFETCH(int, status);
        QFETCH(QString, code);
        QFETCH(QByteArray, retryAfter);
        for (int i = 0; i < 8; ++i) {   // every attempt of every pass fails
            const FakeResponse responses[] = {FakeResponse::rateLimited(30), FakeResponse::overloaded(),
                                              FakeResponse::htmlErrorPage(), FakeResponse::insufficientBalance()};
            fx->fake.enqueue(responses[fault]);
        }
        const HttpReply r = send("POST", QStringLiteral("/chat/completions"), chatBody(QStringLiteral("fast"), stream));
        QCOMPARE(r.status, status);
        QCOMPARE(r.headers.value("content-type"), QByteArray("application/json"));
        QCOMPARE(r.error().value(QStringLiteral("code")).toString(), code);
        QVERIFY(!r.error().value(QStringLiteral("message")).toString().isEmpty());
        QCOMPARE(r.headers.value("retry-after"), retryAfter);
        QVERIFY(!r.body.contains("upstream-key"));
    }

    void streamPassesThroughAsItComes()
    {
        fx->fake.setFrameDelayMs(150);
        QByteArray seen;
        QNetworkReply *reply = startStream(&seen);
        QTRY_VERIFY_WITH_TIMEOUT(seen.contains("\"content\":"), 10000);
        QVERIFY(!reply->isFinished());   // the first words arrived while the provider was still writing
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 20000);
        seen += reply->readAll();
        QVERIFY(seen.endsWith("data: [DONE]\n\n"));
        reply->deleteLater();
    }

    void clientHangingUpCancelsTheCall()
    {
        fx->fake.setFrameDelayMs(200);
        QByteArray seen;
        QNetworkReply *reply = startStream(&seen);
        QTRY_VERIFY_WITH_TIMEOUT(seen.contains("\"content\":"), 10000);
        reply->abort();
        reply->deleteLater();
        QList<QVariantMap> rows;
        QTRY_COMPARE_WITH_TIMEOUT((rows = fx->ledgerRows()).size(), 1, 10000);
        QCOMPARE(rows[0].value(QStringLiteral("status")).toString(), QStringLiteral("cancelled"));
        QTRY_COMPARE_WITH_TIMEOUT(fx->gateway->activeRequests(), 0, 5000);
    }

    void cutOffStreamEndsWithAnError()
    {
        FakeResponse cut = FakeProvider::openAiAnswer(QJsonDocument::fromJson(chatBody(QStringLiteral("plain"), true)).object());
        cut.fault = FakeResponse::Fault::ResetAfterFrames;
        cut.faultAfterFrames = 3;
        fx->fake.enqueue(cut);
        const HttpReply r = send("POST", QStringLiteral("/chat/completions"), chatBody(QStringLiteral("plain"), true));
        QCOMPARE(r.status, 200);   // the first words had been sent: no fallback, the partial answer stands
        const QList<QByteArray> payloads = ssePayloads(r.body);
        QVERIFY(payloads.size() >= 2);
        QVERIFY(payloads.first().contains("\"content\":"));
        const QJsonObject error = QJsonDocument::fromJson(payloads.last()).object().value(QStringLiteral("error")).toObject();
        QCOMPARE(error.value(QStringLiteral("code")).toString(), QStringLiteral("truncated"));
        QVERIFY(!r.body.contains("[DONE]"));
    }

    void stoppingTheEndpointCancelsItsCalls()
    {
        fx->fake.setFrameDelayMs(200);
        QByteArray seen;
        QNetworkReply *reply = startStream(&seen);
        QTRY_VERIFY_WITH_TIMEOUT(seen.contains("\"content\":"), 10000);
        fx->gateway->stop();   // the switch in Settings turned off mid-answer
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 5000);
        reply->deleteLater();
        QList<QVariantMap> rows;
        QTRY_COMPARE_WITH_TIMEOUT((rows = fx->ledgerRows()).size(), 1, 10000);
        QCOMPARE(rows[0].value(QStringLiteral("status")).toString(), QStringLiteral("cancelled"));   // not billed on for 30 min
        QTRY_COMPARE_WITH_TIMEOUT(fx->gateway->activeRequests(), 0, 5000);
    }

    void expectContinueIsAnswered()
    {
        const QByteArray body = chatBody(QStringLiteral("plain"), false);
        const QByteArray r = raw("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sk-sy-fixture-key\r\n"
                                 "Expect: 100-continue\r\nConnection: close\r\nContent-Length: "
                                 + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        QVERIFY2(r.startsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n"), r.left(200).constData());
    }

    void http10ClientsGetAStreamWithoutChunks()
    {
        const QByteArray body = chatBody(QStringLiteral("plain"), true);
        const QByteArray r = raw("POST /v1/chat/completions HTTP/1.0\r\nAuthorization: Bearer sk-sy-fixture-key\r\n"
                                 "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        QVERIFY2(r.startsWith("HTTP/1.1 200 OK\r\n"), r.left(200).constData());
        QVERIFY(!r.contains("Transfer-Encoding"));
        QVERIFY(r.contains("\r\n\r\ndata: {"));
        QVERIFY(r.endsWith("data: [DONE]\n\n"));   // and then the server closed the connection
    }

    void keepAliveServesRequestsInTurn()
    {
        const QByteArray get = "GET /v1/models HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sk-sy-fixture-key\r\n\r\n";
        const QByteArray r = raw(get + get + "GET /v1/models HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        QCOMPARE(r.count("HTTP/1.1 200 OK"), 2);
        QCOMPARE(r.count("HTTP/1.1 401 Unauthorized"), 1);   // the third had no key; then the server closed
    }

    // The endpoint's own key through the real keychain: created on first use, the same on the next start.
    void keyIsCreatedInTheKeychain()
    {
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS")) {
            if (qEnvironmentVariableIntValue("SWITCHYARD_REQUIRE_KEYCHAIN"))
                QFAIL("SWITCHYARD_REQUIRE_KEYCHAIN is set but there is no D-Bus session");
            QSKIP("No D-Bus session: run the suite with ./dev test");
        }
        SecretStore secrets(std::make_unique<KeychainBackend>(QStringLiteral("switchyard-test-gateway")));
        secrets.setTimeout(20000);
        bool removed = false;
        secrets.remove(SecretStore::gatewayAccount(), this, [&](const SecretResult &) { removed = true; });
        QTRY_VERIFY_WITH_TIMEOUT(removed, 20000);

        QString first;
        {
            GatewayKeys keys(&secrets);
            bool loaded = false;
            keys.load({}, [&](const QString &error) {
                QVERIFY2(error.isEmpty(), qPrintable(error));
                loaded = true;
            });
            QTRY_VERIFY_WITH_TIMEOUT(loaded, 20000);
            first = keys.mainKey();
            QVERIFY(first.startsWith(u"sk-sy-"));
        }
        GatewayKeys again(&secrets);
        bool loaded = false;
        again.load({}, [&](const QString &) { loaded = true; });
        QTRY_VERIFY_WITH_TIMEOUT(loaded, 20000);
        QCOMPARE(again.mainKey(), first);
        QCOMPARE(again.clientFor(first.toUtf8()), QStringLiteral("api"));

        bool regenerated = false;
        again.regenerate([&](const QString &error) {
            QVERIFY(error.isEmpty());
            regenerated = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(regenerated, 20000);
        QVERIFY(again.mainKey() != first);
        QCOMPARE(again.clientFor(first.toUtf8()), QString());   // the old key no longer opens the endpoint
    }

    void listenParsing()
    {
        QHostAddress a;
        quint16 port = 0;
        QString error;
        QVERIFY(Gateway::parseListen(QStringLiteral("127.0.0.1:5000"), &a, &port, &error));
        QCOMPARE(a, QHostAddress(QHostAddress::LocalHost));
        QCOMPARE(port, 5000);
        QVERIFY(Gateway::parseListen(QStringLiteral("[::1]:4141"), &a, &port, &error));
        QCOMPARE(a, QHostAddress(QHostAddress::LocalHostIPv6));
        QVERIFY(Gateway::parseListen(QStringLiteral("8080"), &a, &port, &error));
        QCOMPARE(a, QHostAddress(QHostAddress::LocalHost));
        QVERIFY(Gateway::parseListen(QStringLiteral("0.0.0.0:8080"), &a, &port, &error));
        QVERIFY(!Gateway::exposureWarning(a).isEmpty());
        QVERIFY(Gateway::exposureWarning(QHostAddress(QHostAddress::LocalHost)).isEmpty());
        QVERIFY(!Gateway::parseListen(QStringLiteral("example.com:80"), &a, &port, &error));
        QVERIFY(error.contains(u"example.com"));
        QVERIFY(!Gateway::parseListen(QStringLiteral("127.0.0.1:99999"), &a, &port, &error));
    }
};

QTEST_GUILESS_MAIN(TestGateway)
#include "tst_gateway.moc"
