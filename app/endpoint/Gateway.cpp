#include "Gateway.h"

#include "ConfigStore.h"
#include "Dispatch.h"
#include "Door.h"
#include "GatewayKeys.h"
#include "HttpServer.h"
#include "Ledger.h"
#include "HttpClient.h"
#include "OpenAiRequest.h"
#include "RequestAnalyzer.h"
#include "RandomId.h"
#include "ReasoningMemory.h"
#include "ResponseStore.h"
#include "KeyStatus.h"
#include "Router.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>

namespace {

using Header = HttpExchange::Header;

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

// One request through one of the endpoint's doors: routes it, runs it through Dispatch and hands
// the answer to the door's writer. The HTTP status waits for the first token, so that a request
// whose every attempt failed before answering gets the upstream's status (429, 502, …), not a 200.
class GatewayCall : public QObject
{
public:
    GatewayCall(Gateway *gateway, HttpExchange *exchange, DoorRequest request, RouteDecision decision, Config config,
                QString client, QElapsedTimer arrival)
        : QObject(gateway)
        , m_gateway(gateway)
        , m_exchange(exchange)
        , m_request(std::move(request.chat))
        , m_writer(std::move(request.writer))
        , m_decision(std::move(decision))
        , m_config(std::move(config))
        , m_client(std::move(client))
        , m_arrival(arrival)
    {
        m_answer.requestId = newRequestId();
        m_answer.created = QDateTime::currentSecsSinceEpoch();
        m_answer.estimatedInputTokens = m_decision.contextLength;
        m_answer.headers = [this] { return routeHeaders(); };
        m_writer->attach(gateway, exchange, &m_answer, m_client);
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
            context.requestId = m_answer.requestId;
            context.client = m_client;
            context.taskType = m_decision.taskType;
            context.rule = m_decision.rule;
            context.estimatedInputTokens = m_decision.contextLength;
            context.api = apiName(m_writer->api());
            m_gateway->m_ledger->track(m_dispatch, context, m_config);
        }
        connect(m_dispatch, &Dispatch::attemptStarted, this, [this](const Attempt &a) {
            m_answer.model = a.model;
            m_provider = a.provider;
            m_dropped = a.result.dropped;
            m_overheadUs = a.overheadUs;
            m_answer.held = a.held;
            // An attempt starts afresh: nothing of a failed one was shown, and none of it is kept.
            m_answer.toolCalls.clear();
            m_answer.logprobs = QJsonObject();
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
        QList<Header> headers {{"X-Request-Id", m_answer.requestId.toLatin1()},
                               {"X-Switchyard-Model", m_answer.model.toUtf8()},
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

    void onEvent(const StreamEvent &ev)
    {
        if (ev.kind == StreamEvent::Kind::ToolCall)
            gatherToolCall(m_answer.toolCalls, ev.toolCall);
        const bool whole = !m_writer->streams() || m_answer.held;
        if (ev.kind == StreamEvent::Kind::Logprobs && whole) {
            // A whole (or held) answer's logprobs: the lists of every piece, end to end.
            const QJsonObject lp = QJsonDocument::fromJson(ev.logprobs).object();
            for (auto it = lp.begin(); it != lp.end(); ++it) {
                QJsonArray list = m_answer.logprobs.value(it.key()).toArray();
                for (const QJsonValue &v : it.value().toArray())
                    list.append(v);
                m_answer.logprobs.insert(it.key(), list);
            }
            return;
        }
        // A held answer is sent once it is checked (finish()): nothing of it before.
        if (whole || !m_exchange)
            return;
        m_writer->streamEvent(ev);
    }

    void onFinished(const DispatchResult &result)
    {
        if (!result.model.isEmpty())
            m_answer.model = result.model;
        if (result.ok() && m_gateway->m_memory && !result.final.reasoning.isEmpty()) {
            m_gateway->m_memory->remember(m_client,
                                          ReasoningMemory::keyOf(ReasoningMemory::questionOf(m_request.request.messages),
                                                                 chatToolCalls(m_answer.toolCalls), result.final.content),
                                          result.final.reasoning);
        }
        m_writer->finish(result);
        emit m_gateway->requestFinished(result);
        deleteLater();
    }

    Gateway *m_gateway;
    QPointer<HttpExchange> m_exchange;
    OpenAiRequest m_request;
    std::unique_ptr<DoorWriter> m_writer;
    RouteDecision m_decision;
    Config m_config;
    QString m_client;
    QElapsedTimer m_arrival;
    DoorAnswer m_answer;
    QStringList m_dropped;
    qint64 m_overheadUs = -1;
    QPointer<Dispatch> m_dispatch;
    QString m_provider;
    int m_sent = 0;
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
    , m_responses(std::make_unique<ResponseStore>())
{
    m_server->setScreen([this](HttpExchange *e) { screen(e); });
    m_workers.setMaxThreadCount(2);
    m_providerKeys = new KeyStatus(config, secrets, this);   // which providers the rules must pass over
    m_providerKeys->refresh();
}

void Gateway::setReasoningMemoryPath(const QString &path)
{
    m_memory = std::make_unique<ReasoningMemory>(path);
}

void Gateway::setResponseStorePath(const QString &path)
{
    m_responses = std::make_unique<ResponseStore>(path);
}

Gateway::~Gateway()
{
    m_workers.waitForDone();
    // Calls still running (through every door) use the client; end them before it goes.
    const auto calls = findChildren<QObject *>(Qt::FindDirectChildrenOnly);
    for (QObject *c : calls)
        delete c;
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
    if (auth.size() > 7 && auth.left(7).compare("bearer ", Qt::CaseInsensitive) == 0)
        return auth.mid(7).trimmed();
    // Anthropic's clients send their key this way (ANTHROPIC_API_KEY); every door takes it.
    return exchange->header("x-api-key").trimmed();
}

namespace {

// What each path takes: the method, or nothing for a path the endpoint does not serve.
QByteArray methodFor(const QByteArray &path)
{
    if (path == "/v1/models" || (path.startsWith("/v1/models/") && path.size() > 11))
        return "GET";
    if (path == "/v1/chat/completions" || path == "/v1/responses" || path == "/v1/messages"
        || path == "/v1/messages/count_tokens" || path == "/v1/embeddings")
        return "POST";
    return {};
}

} // namespace

void Gateway::screen(HttpExchange *exchange)
{
    // Everything a request is refused for without its body: no byte of a stranger's upload is read.
    const QByteArray &path = exchange->path;
    const Api api = apiOfPath(path);
    const QByteArray wanted = methodFor(path);
    if (wanted.isEmpty()) {
        replyError(exchange, api,
                   {404, "invalid_request_error", "unknown_url",
                    tr("There is nothing at %1 %2; the endpoint serves POST /v1/chat/completions, /v1/responses, "
                       "/v1/messages, /v1/messages/count_tokens and /v1/embeddings, and GET /v1/models.")
                        .arg(QString::fromLatin1(exchange->method), QString::fromUtf8(path.left(200)))});
        return;
    }
    if (exchange->method != wanted) {
        replyError(exchange, api,
                   {405, "invalid_request_error", "method_not_allowed",
                    tr("%1 takes %2 requests.").arg(QString::fromUtf8(path.left(200)), QString::fromLatin1(wanted))},
                   {{"Allow", wanted}});
        return;
    }
    if (!m_keys->isLoaded()) {
        replyError(exchange, api,
                   {503, "api_error", "keys_unavailable",
                    tr("The endpoint's key is not available yet: the keychain has not answered.")});
        return;
    }
    const QByteArray token = bearerToken(exchange);
    const QString client = token.isEmpty() ? QString() : m_keys->clientFor(token);
    if (client.isEmpty()) {
        replyError(exchange, api,
                   {401, "invalid_request_error", "invalid_api_key",
                    token.isEmpty() ? tr("This endpoint needs \"Authorization: Bearer <key>\" (or \"x-api-key: <key>\") "
                                         "with the key shown in Switchyard's Settings → Endpoint.")
                                    : tr("The key given is not this endpoint's key; see Settings → Endpoint.")});
        return;
    }
    exchange->principal = client;
}

void Gateway::handle(HttpExchange *exchange)
{
    QElapsedTimer arrival;
    arrival.start();
    const QByteArray &path = exchange->path;
    const Api api = apiOfPath(path);
    // A key revoked or replaced while the body was coming in no longer counts.
    const QByteArray token = bearerToken(exchange);
    const QString client = exchange->principal;
    if (client.isEmpty() || token.isEmpty() || m_keys->clientFor(token) != client) {
        replyError(exchange, api,
                   {401, "invalid_request_error", "invalid_api_key",
                    tr("The key given is not this endpoint's key; see Settings → Endpoint.")});
        return;
    }
    if (path.startsWith("/v1/models/"))
        describeModel(exchange, QUrl::fromPercentEncoding(path.mid(11)));
    else if (path == "/v1/models")
        listModels(exchange);
    else if (path == "/v1/messages/count_tokens")
        countTokens(exchange);
    else if (api == Api::Embeddings)
        embeddings(exchange, client, arrival);
    else
        door(exchange, api, client, arrival);
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
                      compactJson(QJsonObject {{QStringLiteral("object"), QStringLiteral("list")}, {QStringLiteral("data"), data}}));
}

void Gateway::describeModel(HttpExchange *exchange, const QString &id)
{
    const Config &config = m_config->config();
    if (id.compare(u"auto", Qt::CaseInsensitive) == 0) {
        exchange->respond(200, "application/json", compactJson(autoModelObject()));
        return;
    }
    const ModelConfig *m = config.model(id);
    const ProviderConfig *p = m ? config.provider(m->provider) : nullptr;
    if (!m || !p || !p->enabled) {
        replyError(exchange, Api::Chat,
                   {404, "invalid_request_error", "model_not_found",
                    tr("The model \"%1\" does not exist here; GET /v1/models lists the names, or use \"auto\".")
                        .arg(id.left(200))});
        return;
    }
    exchange->respond(200, "application/json", compactJson(modelObject(*m, *p)));
}

void Gateway::door(HttpExchange *exchange, Api api, const QString &client, const QElapsedTimer &arrival)
{
    // The bytes are dropped once read; the server's body budget stays held until the answer is done,
    // standing for the parsed request.
    auto body = std::make_shared<QByteArray>(std::exchange(exchange->body, {}));
    auto parsed = std::make_shared<std::optional<DoorRequest>>();
    auto problem = std::make_shared<OpenAiRequest::Problem>();
    QPointer<HttpExchange> guard(exchange);
    const qint64 size = body->size();
    const bool taken = offLoopIfLarge(size, [body, parsed, problem, api] {
        switch (api) {
        case Api::Responses: *parsed = readResponsesDoor(*body, problem.get()); break;
        case Api::Messages: *parsed = readMessagesDoor(*body, problem.get()); break;
        default: *parsed = readChatDoor(*body, problem.get()); break;
        }
        *body = QByteArray();
    }, [this, guard, parsed, problem, api, client, arrival, size] {
        if (guard)
            doorRead(guard, api, std::move(*parsed), *problem, client, arrival, size);
    });
    if (!taken)
        replyBusy(exchange, api);
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

void Gateway::replyBusy(HttpExchange *exchange, Api api)
{
    GatewayError e {503, "api_error", "busy",
                    tr("The endpoint is reading as many large requests as it can; send this one again in a moment.")};
    e.retryAfter = 1;
    replyError(exchange, api, e);
}

void Gateway::doorRead(HttpExchange *exchange, Api api, std::optional<DoorRequest> request,
                       const OpenAiRequest::Problem &problem, const QString &client, const QElapsedTimer &arrival,
                       qint64 size)
{
    if (!request) {
        replyError(exchange, api, badRequest(problem));
        return;
    }
    OpenAiRequest &chat = request->chat;
    const QString headerTask = QString::fromUtf8(exchange->header("x-task-type")).trimmed();
    if (chat.taskType.isEmpty())
        chat.taskType = headerTask;
    if (!chat.taskType.isEmpty() && !RequestAnalyzer::taskTypes().contains(chat.taskType)) {
        replyError(exchange, api,
                   {400, "invalid_request_error", "invalid_task_type",
                    tr("\"%1\" is not a task type; use one of %2.")
                        .arg(chat.taskType.left(100), RequestAnalyzer::taskTypes().join(QStringLiteral(", ")))});
        return;
    }
    if (std::optional<GatewayError> refused = request->writer->prepare(this, client, chat)) {
        replyError(exchange, api, *refused);
        return;
    }
    // Reasoning the client's history left out, from answers served to the same key.
    if (m_memory)
        m_memory->restore(client, chat.request);
    const Config &config = m_config->config();
    // A name that is no model's: config.yaml's model_aliases, then (for Anthropic's clients, which
    // send their own model names, as Claude Code does) any claude-… name goes to `auto`.
    if (const QString resolved = config.resolveModel(chat.model); !resolved.isEmpty())
        chat.model = resolved;
    else if (api == Api::Messages && chat.model.startsWith(QLatin1String("claude"), Qt::CaseInsensitive))
        chat.model = QStringLiteral("auto");
    const bool automatic = chat.model.compare(u"auto", Qt::CaseInsensitive) == 0;
    const ModelConfig *named = automatic ? nullptr : config.model(chat.model);
    if (!automatic && !named) {
        replyError(exchange, api,
                   {404, "invalid_request_error", "model_not_found",
                    tr("The model \"%1\" does not exist here; GET /v1/models lists the names, or use \"auto\".")
                        .arg(chat.model.left(200))});
        return;
    }
    if (named && named->isEmbedding()) {
        GatewayError e {400, "invalid_request_error", "not_a_chat_model",
                        tr("\"%1\" is an embedding model: send it to POST /v1/embeddings, or name a chat model here.")
                            .arg(chat.model.left(200))};
        e.param = QStringLiteral("model");
        replyError(exchange, api, e);
        return;
    }
    // Routing reads every message (token estimate, task type): a large request is routed off the loop too.
    auto shared = std::make_shared<DoorRequest>(std::move(*request));
    auto decision = std::make_shared<RouteDecision>();
    QPointer<HttpExchange> guard(exchange);
    const bool taken = offLoopIfLarge(size, [shared, decision, config, client, api, keyless = m_providerKeys->keyless()] {
        // Rules see which door the request came through (`api == "messages"`).
        const ChatRequest &request = shared->chat.request;
        RequestFeatures features = RequestAnalyzer::features(request, shared->chat.model, client, shared->chat.taskType);
        features.api = apiName(api);
        *decision = Router(config, keyless).decide(
            features, RequestAnalyzer::detectTask(request, features.contextLength, shared->chat.taskType).reason, &request);
    }, [this, guard, shared, decision, config, client, arrival, api] {
        if (!guard)
            return;
        // For want of a key, Dispatch answers: the error in the door's shape, and `no_key` rows.
        if (!decision->error.isEmpty() && !decision->noKey) {
            replyError(guard, api, {400, "invalid_request_error", "no_model", decision->error});
            return;
        }
        auto *call = new GatewayCall(this, guard, std::move(*shared), *decision, config, client, arrival);
        call->start();
    });
    if (!taken)
        replyBusy(exchange, api);
}
