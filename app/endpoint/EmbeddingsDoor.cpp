// POST /v1/embeddings: OpenAI's embeddings, routed to the catalog's embedding models.
#include "Door.h"
#include "EmbeddingCall.h"
#include "EmbeddingsRequest.h"
#include "Gateway.h"

#include "ConfigStore.h"
#include "Dispatch.h"
#include "HttpClient.h"
#include "Ledger.h"
#include "RandomId.h"
#include "RequestAnalyzer.h"
#include "SecretStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>

#include <charconv>
#include <cstring>

namespace {

using Header = HttpExchange::Header;

// The shortest text that reads back as the same float32.
void appendFloat(QByteArray &out, float f)
{
    char buffer[32];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, f);
    out.append(buffer, ec == std::errc() ? end - buffer : 0);
}

// OpenAI's CreateEmbeddingResponse; with base64, each vector as little-endian float32 bytes.
QByteArray answerBody(const std::vector<std::vector<float>> &vectors, bool base64, const QString &model, qint64 tokens)
{
    QByteArray out;
    const size_t dims = vectors.empty() ? 0 : vectors.front().size();
    out.reserve(qsizetype(64 + vectors.size() * (64 + dims * (base64 ? 6 : 12))));
    out += "{\"object\":\"list\",\"data\":[";
    QByteArray raw;
    for (size_t i = 0; i < vectors.size(); ++i) {
        if (i > 0)
            out += ',';
        out += "{\"object\":\"embedding\",\"index\":";
        out += QByteArray::number(qulonglong(i));
        out += ",\"embedding\":";
        const std::vector<float> &v = vectors[i];
        if (base64) {
            raw.resize(qsizetype(v.size() * 4));
            for (size_t k = 0; k < v.size(); ++k) {
                quint32 bits;
                std::memcpy(&bits, &v[k], sizeof bits);
                uchar *p = reinterpret_cast<uchar *>(raw.data()) + k * 4;
                p[0] = uchar(bits);
                p[1] = uchar(bits >> 8);
                p[2] = uchar(bits >> 16);
                p[3] = uchar(bits >> 24);
            }
            out += '"';
            out += raw.toBase64();
            out += '"';
        } else {
            out += '[';
            for (size_t k = 0; k < v.size(); ++k) {
                if (k > 0)
                    out += ',';
                appendFloat(out, v[k]);
            }
            out += ']';
        }
        out += '}';
    }
    out += "],\"model\":";
    appendJsonString(out, model);
    out += ",\"usage\":{\"prompt_tokens\":";
    out += QByteArray::number(tokens);
    out += ",\"total_tokens\":";
    out += QByteArray::number(tokens);
    out += "}}";
    return out;
}

} // namespace

// One request through the embeddings door. Its chain is the model asked for (or, for `auto`, the
// first embedding model whose provider is enabled and has a key) and then that model's own
// `fallback:` list, nothing more: another embedding model's vectors live in another space, so only
// models the user listed may stand in. Retryable failures move on (a short Retry-After is waited out
// once on the same model), the classes in `stop_on` stop, providers that keep failing cool down
// with the chat path's (Gateway::m_health). Each attempt sent is one ledger row.
class EmbeddingsRun : public QObject
{
public:
    EmbeddingsRun(Gateway *gateway, HttpExchange *exchange, EmbeddingsRequest ask, Config config, QString client,
                  QElapsedTimer arrival)
        : QObject(gateway)
        , m_gateway(gateway)
        , m_exchange(exchange)
        , m_ask(std::move(ask))
        , m_config(std::move(config))
        , m_client(std::move(client))
        , m_arrival(arrival)
    {
        ++m_gateway->m_active;
        m_requestId = newRequestId();
        m_wait.setSingleShot(true);
        m_gateway->m_health.configure(m_config.fallback.cooldownAfter, m_config.fallback.cooldownSeconds);
        for (const QString &text : std::as_const(m_ask.request.inputs))
            m_estimatedTokens += RequestAnalyzer::estimateTokens(text);
        connect(m_exchange, &HttpExchange::aborted, this, [this] { cancel(); });
    }

    ~EmbeddingsRun() override
    {
        if (m_call) {
            m_call->disconnect(this);
            delete m_call;
        }
        --m_gateway->m_active;
    }

    // The model asked for; false when the client was answered with an error already.
    bool route()
    {
        if (m_ask.model.compare(u"auto", Qt::CaseInsensitive) == 0) {
            m_rule = QStringLiteral("auto");
            for (const ModelConfig &m : std::as_const(m_config.models)) {
                const ProviderConfig *p = m_config.provider(m.provider);
                if (m.isEmbedding() && p && p->enabled)
                    m_autoCandidates << m.name;
            }
            if (m_autoCandidates.isEmpty()) {
                refuse({400, "invalid_request_error", "no_model",
                        Gateway::tr("No embedding model is enabled: add a model with \"kind: embedding\" to config.yaml.")});
                return false;
            }
            return true;
        }
        m_rule = QStringLiteral("model");
        const ModelConfig *m = m_config.model(m_ask.model);
        if (!m) {
            refuse({404, "invalid_request_error", "model_not_found",
                    Gateway::tr("The model \"%1\" does not exist here; GET /v1/models lists the names, or use \"auto\".")
                        .arg(m_ask.model.left(200))});
            return false;
        }
        if (!m->isEmbedding()) {
            refuse({400, "invalid_request_error", "not_an_embedding_model",
                    Gateway::tr("\"%1\" is a chat model; POST /v1/embeddings takes a model with \"kind: embedding\", or \"auto\".")
                        .arg(m_ask.model.left(200))});
            return false;
        }
        chainFrom(*m);
        if (m_chain.isEmpty()) {
            refuse({400, "invalid_request_error", "no_model",
                    Gateway::tr("%1's provider is disabled, and so are those of its fallbacks.").arg(m->name)});
            return false;
        }
        return true;
    }

    void start()
    {
        if (!m_autoCandidates.isEmpty())
            pickAuto(0);
        else
            tryModel();
    }

private:
    void refuse(const GatewayError &e)
    {
        if (m_exchange)
            replyError(m_exchange, Api::Embeddings, e, {{"X-Request-Id", m_requestId.toLatin1()}});
    }

    void chainFrom(const ModelConfig &chosen)
    {
        m_chain.clear();
        QStringList names {chosen.name};
        names += chosen.fallback;
        for (const QString &name : std::as_const(names)) {
            const ModelConfig *m = m_config.model(name);
            const ProviderConfig *p = m ? m_config.provider(m->provider) : nullptr;
            if (m && m->isEmbedding() && p && p->enabled && !m_chain.contains(m->name))
                m_chain << m->name;
        }
        m_index = 0;
    }

    // `auto`: the first enabled embedding model, in config order, whose provider has a key.
    void pickAuto(int i)
    {
        if (i >= m_autoCandidates.size()) {
            finish();   // the missing key is the error
            return;
        }
        const ModelConfig *m = m_config.model(m_autoCandidates.at(i));
        const ProviderConfig *p = m_config.provider(m->provider);
        m_gateway->m_secrets->readProviderKey(p->id, p->apiKeyEnv, this, [this, i](const SecretResult &key) {
            if (m_done)
                return;
            const ModelConfig *m = m_config.model(m_autoCandidates.at(i));
            if (!key.ok()) {
                noteMissingKey(*m, key);
                pickAuto(i + 1);
                return;
            }
            chainFrom(*m);
            tryModel();
        });
    }

    void noteMissingKey(const ModelConfig &m, const SecretResult &key)
    {
        const ProviderConfig *p = m_config.provider(m.provider);
        ProviderError e;
        e.errorClass = ErrorClass::Auth;
        e.providerMessage = key.status == SecretResult::Status::NotFound
                                ? Gateway::tr("No key is set for %1; add one in Settings.").arg(p ? p->label() : m.provider)
                                : key.message;
        m_missingKey = e;
    }

    void next()
    {
        ++m_index;
        m_retriedSameModel = false;
        tryModel();
    }

    void tryModel()
    {
        if (m_done)
            return;
        if (m_index >= m_chain.size()) {
            finish();
            return;
        }
        const ModelConfig *model = m_config.model(m_chain.at(m_index));
        const ProviderConfig *provider = m_config.provider(model->provider);
        if (const int seconds = m_gateway->m_health.coolingFor(provider->id); seconds > 0) {
            m_coolingSeconds = m_coolingSeconds < 0 ? seconds : std::min(m_coolingSeconds, seconds);
            next();
            return;
        }
        const ProviderConfig providerCopy = *provider;
        const ModelConfig modelCopy = *model;
        m_gateway->m_secrets->readProviderKey(provider->id, provider->apiKeyEnv, this,
                                              [this, providerCopy, modelCopy](const SecretResult &key) {
            if (m_done)
                return;
            if (!key.ok()) {
                noteMissingKey(modelCopy, key);
                next();
                return;
            }
            send(providerCopy, modelCopy, key.secret);
        });
    }

    void send(const ProviderConfig &provider, const ModelConfig &model, const QString &key)
    {
        m_attempt = Attempt {};
        m_attempt.number = ++m_attempts;
        m_attempt.model = model.name;
        m_attempt.provider = provider.id;
        m_attempt.providerModel = model.id;
        m_attempt.overheadUs = (m_arrival.nsecsElapsed() - m_outsideNs) / 1000;
        m_attemptStarted = QDateTime::currentDateTimeUtc();
        if (m_gateway->m_ledger)
            m_gateway->m_ledger->started(Ledger::rowFor(m_attempt, context(), m_config, m_attemptStarted));
        m_call = new EmbeddingCall(m_gateway->m_client.get(), provider, model, m_ask.request, key, m_gateway->m_timeouts, this);
        m_callClock.start();
        connect(m_call, &EmbeddingCall::finished, this, [this](const CallResult &r) { attemptFinished(r); });
        m_call->start();
    }

    Ledger::Context context() const
    {
        Ledger::Context c;
        c.requestId = m_requestId;
        c.client = m_client;
        c.rule = m_rule;
        c.estimatedInputTokens = m_estimatedTokens;
        c.estimatedOutputTokens = 0;
        c.api = apiName(Api::Embeddings);
        return c;
    }

    void attemptFinished(CallResult r)
    {
        m_outsideNs += m_callClock.nsecsElapsed();
        EmbeddingCall *call = std::exchange(m_call, nullptr);
        call->deleteLater();
        const bool estimated = r.ok() && !r.usage.isValid();
        if (estimated) {
            r.usage.promptTokens = m_estimatedTokens;   // the provider sent no usage: count the text
            r.usage.completionTokens = 0;
        }
        m_attempt.result = r;
        m_final = r;
        m_model = m_attempt.model;
        m_provider = m_attempt.provider;
        if (m_gateway->m_ledger) {
            LedgerRow row = Ledger::rowFor(m_attempt, context(), m_config, m_attemptStarted);
            row.costEstimated = estimated;
            m_gateway->m_ledger->finished(row);
        }
        if (r.ok()) {
            m_gateway->m_health.recordSuccess(m_attempt.provider);
            m_vectors = call->takeVectors();
            m_tokens = r.usage.promptTokens;
            finish();
            return;
        }
        const ProviderError &e = *r.error;
        const QString cls = errorClassName(e.errorClass);
        const bool retryable = isRetryable(e.errorClass);
        if (retryable)
            m_gateway->m_health.recordFailure(m_attempt.provider);
        if (e.errorClass == ErrorClass::Cancelled || m_config.fallback.stopOn.contains(cls)) {
            finish();
            return;
        }
        if (retryable && e.retryAfterSeconds >= 0 && e.retryAfterSeconds <= m_config.fallback.retryAfterMaxSeconds
            && !m_retriedSameModel) {
            m_retriedSameModel = true;
            m_wait.callOnTimeout(this, [this] { tryModel(); }, Qt::SingleShotConnection);
            m_wait.start(std::chrono::seconds(e.retryAfterSeconds));
            return;
        }
        next();
    }

    // The client has gone: nothing more is sent, and nothing is answered.
    void cancel()
    {
        if (m_done)
            return;
        m_exchange = nullptr;
        m_wait.stop();
        if (m_call)
            m_call->cancel();   // reports at once: the ledger gets its `cancelled` row, then finish()
        else
            finish();
    }

    QList<Header> headers() const
    {
        const qint64 overheadUs = (m_arrival.nsecsElapsed() - m_outsideNs) / 1000;
        return {{"X-Request-Id", m_requestId.toLatin1()},
                {"X-Switchyard-Model", m_model.toUtf8()},
                {"X-Switchyard-Provider", m_provider.toUtf8()},
                {"X-Switchyard-Rule", m_rule.toUtf8()},
                {"X-Switchyard-Attempts", QByteArray::number(m_attempts)},
                {"X-Switchyard-Overhead-Ms", QByteArray::number(double(overheadUs) / 1000.0, 'f', 2)}};
    }

    void finish()
    {
        if (m_done)
            return;
        m_done = true;
        m_wait.stop();
        if (!m_exchange) {
            deleteLater();
            return;
        }
        if (m_final.ok() && !m_vectors.empty()) {
            answer();
            return;
        }
        ProviderError e;
        if (m_final.error) {
            e = *m_final.error;
        } else if (m_coolingSeconds > 0) {
            e.errorClass = ErrorClass::Overloaded;
            e.retryAfterSeconds = m_coolingSeconds;
            e.providerMessage = Gateway::tr("Every embedding model that could answer is cooling down after repeated failures; "
                                   "the first is back in %1 s.")
                                    .arg(m_coolingSeconds);
        } else if (m_missingKey) {
            e = *m_missingKey;
        } else {
            e.errorClass = ErrorClass::BadRequest;
            e.providerMessage = Gateway::tr("Every model in the chain was skipped.");
        }
        replyError(m_exchange, Api::Embeddings, upstreamError(e), headers());
        deleteLater();
    }

    // A large answer is encoded on a worker; the loop serves everyone else meanwhile.
    void answer()
    {
        auto vectors = std::make_shared<std::vector<std::vector<float>>>(std::move(m_vectors));
        auto body = std::make_shared<QByteArray>();
        const size_t dims = vectors->empty() ? 0 : vectors->front().size();
        const qint64 size = qint64(vectors->size() * dims * 4);
        const bool base64 = m_ask.base64;
        const QString model = m_model;
        const qint64 tokens = m_tokens;
        QPointer<EmbeddingsRun> self(this);
        auto work = [vectors, body, base64, model, tokens] { *body = answerBody(*vectors, base64, model, tokens); };
        auto then = [self, body] {
            if (!self)
                return;
            if (self->m_exchange)
                self->m_exchange->respond(200, "application/json", *body, self->headers());
            self->deleteLater();
        };
        if (!m_gateway->offLoopIfLarge(size, work, then)) {
            work();   // the workers are full: the answer is paid for, so it is written here
            then();
        }
    }

    Gateway *m_gateway;
    QPointer<HttpExchange> m_exchange;
    EmbeddingsRequest m_ask;
    Config m_config;
    QString m_client;
    QElapsedTimer m_arrival;
    QString m_requestId;
    QString m_rule;
    QStringList m_autoCandidates;
    QStringList m_chain;
    int m_index = 0;
    int m_attempts = 0;
    bool m_retriedSameModel = false;
    bool m_done = false;
    int m_coolingSeconds = -1;
    std::optional<ProviderError> m_missingKey;
    qint64 m_estimatedTokens = 0;
    qint64 m_outsideNs = 0;
    QElapsedTimer m_callClock;
    QTimer m_wait;
    Attempt m_attempt;
    QDateTime m_attemptStarted;
    EmbeddingCall *m_call = nullptr;
    CallResult m_final;
    QString m_model;
    QString m_provider;
    qint64 m_tokens = 0;
    std::vector<std::vector<float>> m_vectors;
};

void Gateway::embeddings(HttpExchange *exchange, const QString &client, const QElapsedTimer &arrival)
{
    auto body = std::make_shared<QByteArray>(std::exchange(exchange->body, {}));
    auto parsed = std::make_shared<std::optional<EmbeddingsRequest>>();
    auto problem = std::make_shared<OpenAiRequest::Problem>();
    QPointer<HttpExchange> guard(exchange);
    const qint64 size = body->size();
    const bool taken = offLoopIfLarge(size, [body, parsed, problem] {
        *parsed = EmbeddingsRequest::fromJson(*body, problem.get());
        *body = QByteArray();
    }, [this, guard, parsed, problem, client, arrival] {
        if (!guard)
            return;
        if (!*parsed) {
            replyError(guard, Api::Embeddings, badRequest(*problem));
            return;
        }
        auto *run = new EmbeddingsRun(this, guard, std::move(**parsed), m_config->config(), client, arrival);
        if (!run->route()) {
            delete run;
            return;
        }
        run->start();
    });
    if (!taken)
        replyBusy(exchange, Api::Embeddings);
}
