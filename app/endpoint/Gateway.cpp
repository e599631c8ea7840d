#include "Gateway.h"

#include "ConfigStore.h"
#include "Dispatch.h"
#include "GatewayKeys.h"
#include "HttpServer.h"
#include "Ledger.h"
#include "HttpClient.h"
#include "OpenAiRequest.h"
#include "RequestAnalyzer.h"
#include "RandomId.h"
#include "ReasoningMemory.h"
#include "Router.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>

namespace {

using Header = HttpExchange::Header;

// Appends `text` as a JSON string. The stream's hot path writes its chunks by hand: a delta is a
// few words, and building a QJsonObject for each cost more than the rest of the pass-through.
void appendJsonString(QByteArray &out, const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    out += '"';
    for (char c : utf8) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                static const char hex[] = "0123456789abcdef";
                out += "\\u00";
                out += hex[(c >> 4) & 0xf];
                out += hex[c & 0xf];
            } else {
                out += c;
            }
        }
    }
    out += '"';
}

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

struct ErrorReply
{
    int status = 500;
    QByteArray type;
    QByteArray code;
    QString message;
    int retryAfter = -1;
    QString param {};
};

QByteArray errorBody(const ErrorReply &e)
{
    return HttpServer::errorBody(e.message, QString::fromLatin1(e.type), QString::fromLatin1(e.code), e.param);
}

void replyError(HttpExchange *exchange, const ErrorReply &e, QList<Header> headers = {})
{
    if (e.retryAfter >= 0)
        headers.append(Header("Retry-After", QByteArray::number(e.retryAfter)));
    if (e.status == 401)
        headers.append(Header("WWW-Authenticate", "Bearer"));
    exchange->respond(e.status, "application/json", errorBody(e), headers);
}

// What the client is told when every attempt failed. Statuses the OpenAI SDKs retry (429, 5xx) are
// kept for what a retry may cure; a missing balance or key is not retried.
ErrorReply upstreamError(const ProviderError &err)
{
    ErrorReply r;
    r.message = err.describe();
    r.code = errorClassName(err.errorClass).toLatin1();
    switch (err.errorClass) {
    case ErrorClass::RateLimit:
        r.status = 429;
        r.type = "rate_limit_error";
        r.retryAfter = err.retryAfterSeconds;
        break;
    case ErrorClass::Overloaded:
        r.status = 503;
        r.type = "api_error";
        r.retryAfter = err.retryAfterSeconds;
        break;
    case ErrorClass::Balance:
        r.status = 402;
        r.type = "insufficient_quota";
        break;
    case ErrorClass::Auth:
        r.status = 502;   // the provider refused Switchyard's key, not the client's
        r.type = "upstream_auth_error";
        break;
    case ErrorClass::ContextOverflow:
        r.status = 400;
        r.type = "invalid_request_error";
        r.code = "context_length_exceeded";
        break;
    case ErrorClass::ContentFilter:
        r.status = 400;
        r.type = "invalid_request_error";
        r.code = "content_filter";
        break;
    case ErrorClass::BadRequest:
        r.status = 400;
        r.type = "invalid_request_error";
        break;
    case ErrorClass::Timeout:
        r.status = 504;
        r.type = "api_error";
        break;
    case ErrorClass::Cancelled:
        r.status = 499;
        r.type = "api_error";
        break;
    case ErrorClass::Server:
    case ErrorClass::Network:
    case ErrorClass::Tls:
    case ErrorClass::Truncated:
        r.status = 502;
        r.type = "api_error";
        break;
    }
    return r;
}

// OpenAI's usage object; the stream's last chunk and a whole answer carry the same.
QJsonObject usageObject(const Usage &u)
{
    const qint64 prompt = std::max<qint64>(u.promptTokens, 0);
    const qint64 completion = std::max<qint64>(u.completionTokens, 0);
    return {{QStringLiteral("prompt_tokens"), prompt},
            {QStringLiteral("completion_tokens"), completion},
            {QStringLiteral("total_tokens"), prompt + completion},
            {QStringLiteral("prompt_tokens_details"),
             QJsonObject {{QStringLiteral("cached_tokens"), std::max<qint64>(u.cachedTokens, 0)}}},
            {QStringLiteral("completion_tokens_details"),
             QJsonObject {{QStringLiteral("reasoning_tokens"), std::max<qint64>(u.reasoningTokens, 0)}}},
            // DeepSeek's own names, for clients written for it (@ai-sdk/deepseek reads these).
            {QStringLiteral("prompt_cache_hit_tokens"), std::max<qint64>(u.cachedTokens, 0)},
            {QStringLiteral("prompt_cache_miss_tokens"), prompt - std::min(prompt, std::max<qint64>(u.cachedTokens, 0))}};
}

// One whole tool call in OpenAI's shape.
QJsonObject toolCallObject(const ToolCallDelta &t)
{
    return {{QStringLiteral("id"), t.id},
            {QStringLiteral("type"), QStringLiteral("function")},
            {QStringLiteral("function"),
             QJsonObject {{QStringLiteral("name"), t.name}, {QStringLiteral("arguments"), t.argumentsDelta}}}};
}

QJsonObject modelObject(const ModelConfig &m, const ProviderConfig &p)
{
    return {{QStringLiteral("id"), m.name},
            {QStringLiteral("object"), QStringLiteral("model")},
            {QStringLiteral("created"), 0},
            {QStringLiteral("owned_by"), p.id},
            {QStringLiteral("context_length"), m.context}};
}

QJsonObject autoModelObject()
{
    return {{QStringLiteral("id"), QStringLiteral("auto")},
            {QStringLiteral("object"), QStringLiteral("model")},
            {QStringLiteral("created"), 0},
            {QStringLiteral("owned_by"), QStringLiteral("switchyard")}};
}

} // namespace

// One chat completion through the endpoint: routes it, runs it through Dispatch and writes the
// answer in OpenAI's shapes. The HTTP status waits for the first token, so that a request whose
// every attempt failed before answering gets the upstream's status (429, 502, …), not a 200.
class GatewayCall : public QObject
{
public:
    GatewayCall(Gateway *gateway, HttpExchange *exchange, OpenAiRequest request, RouteDecision decision, Config config,
                QString client, QElapsedTimer arrival)
        : QObject(gateway)
        , m_gateway(gateway)
        , m_exchange(exchange)
        , m_request(std::move(request))
        , m_decision(std::move(decision))
        , m_config(std::move(config))
        , m_client(std::move(client))
        , m_requestId(newRequestId())
        , m_created(QDateTime::currentSecsSinceEpoch())
        , m_arrival(arrival)
    {
    }

    void start()
    {
        ++m_gateway->m_active;
        ChatRequest upstream = m_request.request;
        upstream.stream = true;   // streamed upstream either way: the ledger gets time to first token
        m_dispatch = new Dispatch(m_gateway->m_client.get(), m_gateway->m_secrets, &m_gateway->m_health, m_config, m_decision,
                                  std::move(upstream), m_gateway->m_timeouts, this);
        m_dispatch->setArrival(m_arrival);
        if (m_gateway->m_ledger) {
            Ledger::Context context;
            context.requestId = m_requestId;
            context.client = m_client;
            context.taskType = m_decision.taskType;
            context.rule = m_decision.rule;
            context.estimatedInputTokens = m_decision.contextLength;
            m_gateway->m_ledger->track(m_dispatch, context, m_config);
        }
        connect(m_dispatch, &Dispatch::attemptStarted, this, [this](const Attempt &a) {
            m_model = a.model;
            m_provider = a.provider;
            m_dropped = a.result.dropped;
            m_overheadUs = a.overheadUs;
            m_held = a.held;
            // An attempt starts afresh: nothing of a failed one was shown, and none of it is kept.
            m_toolCalls.clear();
            m_logprobs = QJsonObject();
            if (!a.skipped)
                ++m_sent;
        });
        connect(m_dispatch, &Dispatch::streamEvent, this, &GatewayCall::onEvent);
        connect(m_dispatch, &Dispatch::finished, this, &GatewayCall::onFinished);
        connect(m_exchange, &HttpExchange::aborted, this, [this] {
            if (m_dispatch)
                m_dispatch->cancel();
        });
        // A client that reads slower than the provider writes: the provider waits, not our memory.
        connect(m_exchange, &HttpExchange::writeBlockedChanged, m_dispatch, &Dispatch::setPaused);
        m_dispatch->start();
    }

    ~GatewayCall() override { --m_gateway->m_active; }

private:
    QList<Header> routeHeaders() const
    {
        QList<Header> headers {{"X-Request-Id", m_requestId.toLatin1()},
                               {"X-Switchyard-Model", m_model.toUtf8()},
                               {"X-Switchyard-Provider", m_provider.toUtf8()},
                               {"X-Switchyard-Rule", m_decision.rule.toUtf8()},
                               {"X-Switchyard-Task-Type", m_decision.taskType.toUtf8()},
                               {"X-Switchyard-Attempts", QByteArray::number(m_sent)}};
        // Field names from RequestBuilder's fixed lists, never the client's own text.
        if (!m_dropped.isEmpty())
            headers.append({"X-Switchyard-Dropped", m_dropped.join(QStringLiteral(", ")).toLatin1()});
        const qint64 overheadUs = m_overheadUs >= 0 ? m_overheadUs : m_arrival.nsecsElapsed() / 1000;
        headers.append({"X-Switchyard-Overhead-Ms", QByteArray::number(double(overheadUs) / 1000.0, 'f', 2)});
        return headers;
    }

    QByteArray chunkHead() const
    {
        QByteArray out = "data: {\"id\":\"chatcmpl-" + m_requestId.toLatin1()
                         + "\",\"object\":\"chat.completion.chunk\",\"created\":" + QByteArray::number(m_created)
                         + ",\"model\":";
        appendJsonString(out, m_model);
        return out;
    }

    void beginStream()
    {
        if (m_streamStarted)
            return;
        m_streamStarted = true;
        m_chunkHead = chunkHead();
        m_exchange->beginStream(200, "text/event-stream; charset=utf-8", routeHeaders());
    }

    // One chunk with one choice whose delta is `delta` (a JSON object's inside, without braces).
    void sendDelta(const QByteArray &delta, const QByteArray &finishReason = {}, const QByteArray &logprobs = {})
    {
        QByteArray out = m_chunkHead;
        out.reserve(out.size() + delta.size() + 96);
        out += ",\"choices\":[{\"index\":0,\"delta\":{";
        if (!m_roleSent) {
            out += "\"role\":\"assistant\"";
            if (!delta.isEmpty())
                out += ',';
            m_roleSent = true;
        }
        out += delta;
        out += "},\"logprobs\":";
        out += logprobs.isEmpty() ? QByteArrayLiteral("null") : logprobs;
        out += ",\"finish_reason\":";
        if (finishReason.isEmpty())
            out += "null";
        else
            appendJsonString(out, QString::fromUtf8(finishReason));
        out += "}]}\n\n";
        m_exchange->sendChunk(out);
    }

    void onEvent(const StreamEvent &ev)
    {
        if (!m_exchange)
            return;
        if (ev.kind == StreamEvent::Kind::ToolCall)
            collectToolCall(ev.toolCall);
        if (ev.kind == StreamEvent::Kind::Logprobs && (!m_request.request.stream || m_held)) {
            // A whole (or held) answer's logprobs: the lists of every piece, end to end.
            const QJsonObject lp = QJsonDocument::fromJson(ev.logprobs).object();
            for (auto it = lp.begin(); it != lp.end(); ++it) {
                QJsonArray list = m_logprobs.value(it.key()).toArray();
                for (const QJsonValue &v : it.value().toArray())
                    list.append(v);
                m_logprobs.insert(it.key(), list);
            }
            return;
        }
        if (!m_request.request.stream)
            return;
        // A held answer is sent once it is checked (finishStream): nothing of it before.
        if (m_held)
            return;
        QByteArray delta;
        switch (ev.kind) {
        case StreamEvent::Kind::Content:
            delta = "\"content\":";
            appendJsonString(delta, ev.text);
            break;
        case StreamEvent::Kind::Reasoning:
            delta = "\"reasoning_content\":";
            appendJsonString(delta, ev.text);
            break;
        case StreamEvent::Kind::ToolCall: {
            const ToolCallDelta &t = ev.toolCall;
            QJsonObject function;
            if (!t.name.isEmpty())
                function.insert(QStringLiteral("name"), t.name);
            function.insert(QStringLiteral("arguments"), t.argumentsDelta);
            QJsonObject call {{QStringLiteral("index"), t.index}, {QStringLiteral("function"), function}};
            if (!t.id.isEmpty()) {
                call.insert(QStringLiteral("id"), t.id);
                call.insert(QStringLiteral("type"), QStringLiteral("function"));
            }
            delta = "\"tool_calls\":" + QJsonDocument(QJsonArray {call}).toJson(QJsonDocument::Compact);
            break;
        }
        case StreamEvent::Kind::Logprobs:
            beginStream();
            sendDelta({}, {}, ev.logprobs);
            return;
        case StreamEvent::Kind::Usage:
        case StreamEvent::Kind::Finish:
        case StreamEvent::Kind::Error:
            return;   // the finish reason, usage and errors come from the result, once it is known
        }
        beginStream();
        sendDelta(delta);
    }

    void collectToolCall(const ToolCallDelta &t)
    {
        ToolCallDelta &c = m_toolCalls[t.index];
        c.index = t.index;
        if (!t.id.isEmpty())
            c.id = t.id;
        if (!t.name.isEmpty())
            c.name += t.name;
        c.argumentsDelta += t.argumentsDelta;
    }

    // The answer's tool calls, whole, in their order.
    QJsonArray toolCallList() const
    {
        QJsonArray calls;
        for (const ToolCallDelta &t : std::as_const(m_toolCalls))
            calls.append(toolCallObject(t));
        return calls;
    }

    QByteArray finishReason(const CallResult &r) const
    {
        if (!r.finishReason.isEmpty())
            return r.finishReason.toUtf8();
        return m_toolCalls.isEmpty() ? QByteArray("stop") : QByteArray("tool_calls");
    }

    void onFinished(const DispatchResult &result)
    {
        if (!result.model.isEmpty())
            m_model = result.model;
        if (result.ok() && m_gateway->m_memory && !result.final.reasoning.isEmpty()) {
            m_gateway->m_memory->remember(
                m_client,
                ReasoningMemory::keyOf(ReasoningMemory::questionOf(m_request.request.messages), toolCallList(), result.final.content),
                result.final.reasoning);
        }
        if (m_exchange) {
            if (m_request.request.stream)
                finishStream(result);
            else
                answerWhole(result);
        }
        emit m_gateway->requestFinished(result);
        deleteLater();
    }

    void finishStream(const DispatchResult &result)
    {
        const CallResult &r = result.final;
        if (!r.ok() && !m_streamStarted) {
            replyError(m_exchange, upstreamError(*r.error), routeHeaders());
            return;
        }
        beginStream();
        if (!r.ok()) {
            // Cut off after the first token: the partial answer stands, and the SDK raises this.
            const ErrorReply e = upstreamError(*r.error);
            m_exchange->sendChunk("data: " + errorBody(e) + "\n\n");
            m_exchange->endStream();
            return;
        }
        if (m_held) {
            QByteArray delta;
            if (!r.reasoning.isEmpty()) {
                delta = "\"reasoning_content\":";
                appendJsonString(delta, r.reasoning);
                sendDelta(delta);
            }
            if (!r.content.isEmpty()) {
                delta = "\"content\":";
                appendJsonString(delta, r.content);
                sendDelta(delta, {}, m_logprobs.isEmpty() ? QByteArray() : compact(m_logprobs));
            }
            for (const ToolCallDelta &t : std::as_const(m_toolCalls)) {
                QJsonObject call = toolCallObject(t);
                call.insert(QStringLiteral("index"), t.index);
                sendDelta("\"tool_calls\":" + QJsonDocument(QJsonArray {call}).toJson(QJsonDocument::Compact));
            }
        }
        sendDelta({}, finishReason(r));
        if (m_request.includeUsage) {
            m_exchange->sendChunk(m_chunkHead + ",\"choices\":[],\"usage\":" + compact(usageObject(r.usage)) + "}\n\n");
        }
        m_exchange->sendChunk(QByteArrayLiteral("data: [DONE]\n\n"));
        m_exchange->endStream();
    }

    void answerWhole(const DispatchResult &result)
    {
        const CallResult &r = result.final;
        if (!r.ok()) {
            replyError(m_exchange, upstreamError(*r.error), routeHeaders());
            return;
        }
        QJsonObject message {{QStringLiteral("role"), QStringLiteral("assistant")}};
        message.insert(QStringLiteral("content"), r.content.isEmpty() && !m_toolCalls.isEmpty()
                                                      ? QJsonValue(QJsonValue::Null)
                                                      : QJsonValue(r.content));
        if (!r.reasoning.isEmpty())
            message.insert(QStringLiteral("reasoning_content"), r.reasoning);
        if (!m_toolCalls.isEmpty()) {
            message.insert(QStringLiteral("tool_calls"), toolCallList());
        }
        const QJsonObject choice {{QStringLiteral("index"), 0},
                                  {QStringLiteral("message"), message},
                                  {QStringLiteral("logprobs"), m_logprobs.isEmpty() ? QJsonValue(QJsonValue::Null)
                                                                                     : QJsonValue(m_logprobs)},
                                  {QStringLiteral("finish_reason"), QString::fromUtf8(finishReason(r))}};
        const QJsonObject body {{QStringLiteral("id"), QString(QStringLiteral("chatcmpl-") + m_requestId)},
                                {QStringLiteral("object"), QStringLiteral("chat.completion")},
                                {QStringLiteral("created"), QJsonValue(m_created)},
                                {QStringLiteral("model"), m_model},
                                {QStringLiteral("choices"), QJsonArray {choice}},
                                {QStringLiteral("usage"), usageObject(r.usage)}};
        m_exchange->respond(200, "application/json", compact(body), routeHeaders());
    }

    Gateway *m_gateway;
    QPointer<HttpExchange> m_exchange;
    OpenAiRequest m_request;
    RouteDecision m_decision;
    Config m_config;
    QString m_client;
    QString m_requestId;
    qint64 m_created;
    QElapsedTimer m_arrival;
    QStringList m_dropped;
    qint64 m_overheadUs = -1;
    bool m_held = false;
    QPointer<Dispatch> m_dispatch;
    QString m_model;
    QString m_provider;
    int m_sent = 0;
    bool m_streamStarted = false;
    bool m_roleSent = false;
    QByteArray m_chunkHead;
    QMap<int, ToolCallDelta> m_toolCalls;
    QJsonObject m_logprobs;   // a whole answer's, gathered
};

Gateway::Gateway(ConfigStore *config, SecretStore *secrets, GatewayKeys *keys, Ledger *ledger, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_secrets(secrets)
    , m_keys(keys)
    , m_ledger(ledger)
    , m_server(std::make_unique<HttpServer>([this](HttpExchange *e) { handle(e); }))
    , m_client(std::make_unique<HttpClient>())
    , m_memory(std::make_unique<ReasoningMemory>())
{
    m_server->setScreen([this](HttpExchange *e) { screen(e); });
    m_workers.setMaxThreadCount(2);
}

void Gateway::setReasoningMemoryPath(const QString &path)
{
    m_memory = std::make_unique<ReasoningMemory>(path);
}

Gateway::~Gateway()
{
    m_workers.waitForDone();
    // Calls still running use the client; end them before it goes.
    const auto calls = findChildren<QObject *>(Qt::FindDirectChildrenOnly);
    for (QObject *c : calls)
        delete dynamic_cast<GatewayCall *>(c);
}

bool Gateway::parseListen(const QString &text, QHostAddress *address, quint16 *port, QString *error)
{
    QString host = QStringLiteral("127.0.0.1");
    QString portText = text.trimmed();
    const qsizetype colon = portText.lastIndexOf(QLatin1Char(':'));
    if (colon >= 0) {
        host = portText.left(colon);
        portText = portText.mid(colon + 1);
        if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
            host = host.mid(1, host.size() - 2);
        if (host.isEmpty())
            host = QStringLiteral("127.0.0.1");
        else if (host == u"localhost")
            host = QStringLiteral("127.0.0.1");
    }
    bool ok = false;
    const uint p = portText.toUInt(&ok);
    if (!ok || p > 65535) {
        *error = tr("\"%1\" is not an address to listen on; write it as 127.0.0.1:%2.").arg(text).arg(DefaultPort);
        return false;
    }
    QHostAddress a;
    if (!a.setAddress(host)) {
        *error = tr("\"%1\" is not an IP address; write it as 127.0.0.1:%2.").arg(host).arg(DefaultPort);
        return false;
    }
    *address = a;
    *port = quint16(p);
    return true;
}

QString Gateway::exposureWarning(const QHostAddress &address)
{
    if (address.isLoopback())
        return {};
    return tr("The endpoint listens on %1, so other machines on the network can reach it. Anyone with the key can "
              "spend on your providers' accounts, and requests travel unencrypted.")
        .arg(address.toString());
}

bool Gateway::listen(const QHostAddress &address, quint16 port, QString *error)
{
    QString why;
    if (!m_server->listen(address, port, &why)) {
        *error = tr("The endpoint cannot listen on %1:%2: %3").arg(address.toString()).arg(port).arg(why);
        emit listeningChanged();
        return false;
    }
    emit listeningChanged();
    return true;
}

void Gateway::stop()
{
    m_server->close();
    emit listeningChanged();
}

bool Gateway::isListening() const
{
    return m_server->isListening();
}

QUrl Gateway::url() const
{
    if (!isListening())
        return {};
    QUrl u;
    u.setScheme(QStringLiteral("http"));
    QHostAddress a = m_server->address();
    if (a == QHostAddress::AnyIPv4 || a == QHostAddress::Any)
        a = QHostAddress::LocalHost;
    u.setHost(a.toString());
    u.setPort(m_server->port());
    u.setPath(QStringLiteral("/v1"));
    return u;
}

void Gateway::setServerLimits(const HttpServer::Limits &limits)
{
    m_server->setLimits(limits);
}

void Gateway::setMaxBodyBytes(qint64 bytes)
{
    m_server->setMaxBodyBytes(bytes);
}

QByteArray Gateway::bearerToken(const HttpExchange *exchange)
{
    const QByteArray auth = exchange->header("authorization");
    return auth.size() > 7 && auth.left(7).compare("bearer ", Qt::CaseInsensitive) == 0 ? auth.mid(7).trimmed() : QByteArray();
}

void Gateway::screen(HttpExchange *exchange)
{
    // Everything a request is refused for without its body: no byte of a stranger's upload is read.
    const QByteArray &path = exchange->path;
    const bool oneModel = path.startsWith("/v1/models/") && path.size() > 11;
    const bool models = path == "/v1/models" || oneModel;
    const bool chatPath = path == "/v1/chat/completions";
    if (!models && !chatPath) {
        replyError(exchange, {404, "invalid_request_error", "unknown_url",
                              tr("There is nothing at %1 %2; the endpoint serves POST /v1/chat/completions and GET "
                                 "/v1/models.")
                                  .arg(QString::fromLatin1(exchange->method), QString::fromUtf8(path.left(200)))});
        return;
    }
    const QByteArray wanted = models ? "GET" : "POST";
    if (exchange->method != wanted) {
        replyError(exchange, {405, "invalid_request_error", "method_not_allowed",
                              tr("%1 takes %2 requests.").arg(QString::fromUtf8(path.left(200)), QString::fromLatin1(wanted))},
                   {{"Allow", wanted}});
        return;
    }
    if (!m_keys->isLoaded()) {
        replyError(exchange, {503, "api_error", "keys_unavailable",
                              tr("The endpoint's key is not available yet: the keychain has not answered.")});
        return;
    }
    const QByteArray token = bearerToken(exchange);
    const QString client = token.isEmpty() ? QString() : m_keys->clientFor(token);
    if (client.isEmpty()) {
        replyError(exchange, {401, "invalid_request_error", "invalid_api_key",
                              token.isEmpty() ? tr("This endpoint needs \"Authorization: Bearer <key>\" with the key shown "
                                                   "in Switchyard's Settings → Endpoint.")
                                              : tr("The key given is not this endpoint's key; see Settings → Endpoint.")});
        return;
    }
    exchange->principal = client;
}

void Gateway::handle(HttpExchange *exchange)
{
    QElapsedTimer arrival;
    arrival.start();
    // A key revoked or replaced while the body was coming in no longer counts.
    const QByteArray token = bearerToken(exchange);
    const QString client = exchange->principal;
    if (client.isEmpty() || token.isEmpty() || m_keys->clientFor(token) != client) {
        replyError(exchange, {401, "invalid_request_error", "invalid_api_key",
                              tr("The key given is not this endpoint's key; see Settings → Endpoint.")});
        return;
    }
    const QByteArray &path = exchange->path;
    if (path.startsWith("/v1/models/"))
        describeModel(exchange, QUrl::fromPercentEncoding(path.mid(11)));
    else if (path == "/v1/models")
        listModels(exchange);
    else
        chat(exchange, client, arrival);
}

void Gateway::listModels(HttpExchange *exchange)
{
    const Config &config = m_config->config();
    QJsonArray data;
    data.append(autoModelObject());
    for (const ModelConfig &m : config.models) {
        const ProviderConfig *p = config.provider(m.provider);
        if (!p || !p->enabled)
            continue;
        data.append(modelObject(m, *p));
    }
    exchange->respond(200, "application/json",
                      compact(QJsonObject {{QStringLiteral("object"), QStringLiteral("list")}, {QStringLiteral("data"), data}}));
}

void Gateway::describeModel(HttpExchange *exchange, const QString &id)
{
    const Config &config = m_config->config();
    if (id.compare(u"auto", Qt::CaseInsensitive) == 0) {
        exchange->respond(200, "application/json", compact(autoModelObject()));
        return;
    }
    const ModelConfig *m = config.model(id);
    const ProviderConfig *p = m ? config.provider(m->provider) : nullptr;
    if (!m || !p || !p->enabled) {
        replyError(exchange, {404, "invalid_request_error", "model_not_found",
                              tr("The model \"%1\" does not exist here; GET /v1/models lists the names, or use \"auto\".")
                                  .arg(id.left(200))});
        return;
    }
    exchange->respond(200, "application/json", compact(modelObject(*m, *p)));
}

void Gateway::chat(HttpExchange *exchange, const QString &client, const QElapsedTimer &arrival)
{
    // The bytes are dropped once read; the server's body budget stays held until the answer is done,
    // standing for the parsed request.
    auto body = std::make_shared<QByteArray>(std::exchange(exchange->body, {}));
    auto parsed = std::make_shared<std::optional<OpenAiRequest>>();
    auto problem = std::make_shared<OpenAiRequest::Problem>();
    QPointer<HttpExchange> guard(exchange);
    const qint64 size = body->size();
    const bool taken = offLoopIfLarge(size, [body, parsed, problem] {
        QString why;
        *parsed = OpenAiRequest::fromJson(*body, &why, problem.get());
        *body = QByteArray();
    }, [this, guard, parsed, problem, client, arrival, size] {
        if (guard)
            chatParsed(guard, std::move(*parsed), *problem, client, arrival, size);
    });
    if (!taken)
        replyBusy(exchange);
}

bool Gateway::offLoopIfLarge(qint64 size, std::function<void()> work, std::function<void()> then)
{
    if (size < OffLoopBytes) {
        work();
        then();
        return true;
    }
    // A large request is read on a worker (two at once, two more waiting, so the memory they hold
    // stays bounded even when their clients have gone) while the loop serves everyone else; the
    // Gateway waits for its workers before it goes.
    if (m_jobs >= MaxJobs)
        return false;
    ++m_jobs;
    m_workers.start([this, work = std::move(work), then = std::move(then)]() mutable {
        work();
        QMetaObject::invokeMethod(
            this,
            [this, then = std::move(then)] {
                --m_jobs;
                then();
            },
            Qt::QueuedConnection);
    });
    return true;
}

void Gateway::replyBusy(HttpExchange *exchange)
{
    ErrorReply e {503, "api_error", "busy",
                  tr("The endpoint is reading as many large requests as it can; send this one again in a moment.")};
    e.retryAfter = 1;
    replyError(exchange, e);
}

void Gateway::chatParsed(HttpExchange *exchange, std::optional<OpenAiRequest> request, const OpenAiRequest::Problem &problem,
                         const QString &client, const QElapsedTimer &arrival, qint64 size)
{
    if (!request) {
        ErrorReply e {400, "invalid_request_error", problem.code.toLatin1(), problem.message};
        e.param = problem.param;
        replyError(exchange, e);
        return;
    }
    const QString headerTask = QString::fromUtf8(exchange->header("x-task-type")).trimmed();
    if (request->taskType.isEmpty())
        request->taskType = headerTask;
    if (!request->taskType.isEmpty() && !RequestAnalyzer::taskTypes().contains(request->taskType)) {
        replyError(exchange, {400, "invalid_request_error", "invalid_task_type",
                              tr("\"%1\" is not a task type; use one of %2.")
                                  .arg(request->taskType.left(100), RequestAnalyzer::taskTypes().join(QStringLiteral(", ")))});
        return;
    }
    // Reasoning the client's history left out, from answers served to the same key.
    if (m_memory)
        m_memory->restore(client, request->request);
    const Config &config = m_config->config();
    const bool automatic = request->model.compare(u"auto", Qt::CaseInsensitive) == 0;
    if (!automatic && !config.model(request->model)) {
        replyError(exchange, {404, "invalid_request_error", "model_not_found",
                              tr("The model \"%1\" does not exist here; GET /v1/models lists the names, or use \"auto\".")
                                  .arg(request->model.left(200))});
        return;
    }
    // Routing reads every message (token estimate, task type): a large request is routed off the loop too.
    auto shared = std::make_shared<OpenAiRequest>(std::move(*request));
    auto decision = std::make_shared<RouteDecision>();
    QPointer<HttpExchange> guard(exchange);
    const bool taken = offLoopIfLarge(size, [shared, decision, config, client] {
        *decision = Router(config).decide(shared->request, shared->model, client, shared->taskType);
    }, [this, guard, shared, decision, config, client, arrival] {
        if (!guard)
            return;
        if (!decision->error.isEmpty()) {
            replyError(guard, {400, "invalid_request_error", "no_model", decision->error});
            return;
        }
        auto *call = new GatewayCall(this, guard, std::move(*shared), *decision, config, client, arrival);
        call->start();
    });
    if (!taken)
        replyBusy(exchange);
}
