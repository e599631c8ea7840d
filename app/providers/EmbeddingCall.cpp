#include "EmbeddingCall.h"

#include "ErrorClassifier.h"
#include "NetworkPolicy.h"
#include "RequestBuilder.h"
#include "Upstream.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkRequest>

#include <simdjson.h>

#include <cstring>

EmbeddingCall::EmbeddingCall(Upstream *upstream, ProviderConfig provider, ModelConfig model, const EmbeddingRequest &request,
                             QString apiKey, CallTimeouts timeouts, QObject *parent)
    : QObject(parent)
    , m_upstream(upstream)
    , m_provider(std::move(provider))
    , m_model(std::move(model))
    , m_request(request)
    , m_apiKey(std::move(apiKey))
    , m_timeouts(timeouts)
{
    m_firstByteTimer.setSingleShot(true);
    m_totalTimer.setSingleShot(true);
    connect(&m_firstByteTimer, &QTimer::timeout, this, [this] {
        ProviderError e;
        e.errorClass = ErrorClass::Timeout;
        e.providerMessage = tr("no answer within %1 s").arg(m_timeouts.firstByteMs / 1000.0);
        fail(e);
    });
    connect(&m_totalTimer, &QTimer::timeout, this, [this] {
        ProviderError e;
        e.errorClass = ErrorClass::Timeout;
        e.providerMessage = tr("the call took longer than %1 s").arg(m_timeouts.totalMs / 1000.0);
        fail(e);
    });
}

EmbeddingCall::~EmbeddingCall()
{
    for (Batch &b : m_pending) {
        if (b.reply) {
            b.reply->disconnect(this);
            b.reply->abort();
            b.reply->deleteLater();
        }
    }
}

QByteArray EmbeddingCall::body(qsizetype first, qsizetype count) const
{
    QJsonObject json = m_request.extra;
    json.insert(QStringLiteral("model"), m_model.id);
    QJsonArray input;
    for (qsizetype i = first; i < first + count; ++i)
        input.append(m_request.inputs.at(i));
    json.insert(QStringLiteral("input"), input);
    json.insert(QStringLiteral("encoding_format"), QStringLiteral("float"));
    if (m_request.dimensions > 0)
        json.insert(QStringLiteral("dimensions"), m_request.dimensions);
    return QJsonDocument(json).toJson(QJsonDocument::Compact);
}

void EmbeddingCall::start()
{
    m_clock.start();
    const qsizetype total = m_request.inputs.size();
    const int size = std::max(1, m_model.embeddingBatch(m_provider.dialect));
    for (qsizetype first = 0; first < total; first += size)
        m_pending.append(Batch {first, std::min<qsizetype>(size, total - first)});
    m_batches = int(m_pending.size());
    m_vectors.resize(size_t(total));
    m_totalTimer.start(m_timeouts.totalMs);
    // What it sends leaves from the event loop, like a chat call's: the ledger has the attempt first.
    QMetaObject::invokeMethod(this, &EmbeddingCall::sendNext, Qt::QueuedConnection);
}

void EmbeddingCall::sendNext()
{
    while (!m_reported && m_inFlight < MaxInFlight && m_next < m_pending.size()) {
        const int index = m_next++;
        Batch &b = m_pending[index];
        QNetworkRequest http(RequestBuilder::endpoint(m_provider, QStringLiteral("/embeddings")));
        http.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        http.setRawHeader("Accept", "application/json");
        http.setRawHeader("User-Agent", "Switchyard/" SWITCHYARD_VERSION_STRING);
        if (!m_apiKey.isEmpty())
            http.setRawHeader("Authorization", "Bearer " + m_apiKey.toUtf8());
        NetworkPolicy::instance().prepare(http);
        b.reply = m_upstream->post(http, body(b.first, b.count));
        ++m_inFlight;
        connect(b.reply, &UpstreamReply::readyRead, this, [this, index] {
            Batch &batch = m_pending[index];
            if (!batch.reply)
                return;
            m_firstByteTimer.start(m_timeouts.firstByteMs);   // it answers: wait as long again for the rest
            const QByteArray bytes = batch.reply->readAll();
            const qsizetype cap = batch.reply->status() >= 400 ? MaxErrorBytes : MaxAnswerBytes;
            if (batch.body.size() + bytes.size() > cap && batch.reply->status() < 400) {
                ProviderError e;
                e.errorClass = ErrorClass::Server;
                e.httpStatus = batch.reply->status();
                e.providerMessage = tr("The answer is larger than %1 MiB.").arg(MaxAnswerBytes >> 20);
                fail(e);
                return;
            }
            batch.body.append(bytes.left(std::max<qsizetype>(0, cap - batch.body.size())));
        });
        connect(b.reply, &UpstreamReply::finished, this, [this, index] { batchFinished(index); });
        m_firstByteTimer.start(m_timeouts.firstByteMs);
    }
}

void EmbeddingCall::batchFinished(int index)
{
    if (m_reported)
        return;
    Batch &b = m_pending[index];
    UpstreamReply *reply = b.reply;
    if (!reply)
        return;
    b.body.append(reply->readAll().left(std::max<qsizetype>(0, MaxAnswerBytes - b.body.size())));
    const int status = reply->status();
    m_result.httpStatus = status;
    b.reply = nullptr;
    reply->disconnect(this);
    reply->deleteLater();
    --m_inFlight;
    if (status == 0 || (reply->networkFailed() && status < 400)) {
        ProviderError e;
        e.errorClass = reply->tlsFailed() ? ErrorClass::Tls : ErrorClass::Network;
        e.providerMessage = reply->errorString();
        fail(e);
        return;
    }
    if (status >= 400) {
        fail(ErrorClassifier::fromHttp(m_provider.dialect, status, b.body.left(MaxErrorBytes), reply->header("retry-after")));
        return;
    }
    // A 200 may still carry an error (MiniMax's base_resp, a gateway's {"error":…}); a list of
    // vectors is not read twice to find out.
    const bool mayBeError = b.body.size() < MaxErrorBytes && (b.body.contains("\"error\"") || b.body.contains("\"base_resp\""));
    const QJsonObject head = mayBeError ? QJsonDocument::fromJson(b.body).object() : QJsonObject();
    if (head.value(QStringLiteral("error")).isObject() && !head.contains(QStringLiteral("data"))) {
        fail(ErrorClassifier::fromHttp(m_provider.dialect, status, b.body));
        return;
    }
    const QJsonObject baseResp = head.value(QStringLiteral("base_resp")).toObject();
    if (const int code = baseResp.value(QStringLiteral("status_code")).toInt(); code != 0) {
        fail(ErrorClassifier::fromBaseResp(code, baseResp.value(QStringLiteral("status_msg")).toString()));
        return;
    }
    std::vector<std::vector<float>> vectors;
    Usage usage;
    QString problem;
    if (!readAnswer(b.body, b.count, &vectors, &usage, &problem)) {
        ProviderError e;
        e.errorClass = ErrorClass::Server;
        e.httpStatus = status;
        e.providerMessage = problem;
        fail(e);
        return;
    }
    b.body = QByteArray();
    const size_t dims = vectors.front().size();
    for (const std::vector<float> &v : m_vectors) {
        if (!v.empty() && v.size() != dims) {
            ProviderError e;
            e.errorClass = ErrorClass::Server;
            e.httpStatus = status;
            e.providerMessage = tr("The provider's vectors differ in length between requests (%1 and %2).")
                                    .arg(v.size())
                                    .arg(dims);
            fail(e);
            return;
        }
    }
    for (qsizetype i = 0; i < b.count; ++i)
        m_vectors[size_t(b.first + i)] = std::move(vectors[size_t(i)]);
    if (usage.promptTokens < 0)
        m_usageMissing = true;
    else
        m_result.usage.promptTokens = std::max<qint64>(m_result.usage.promptTokens, 0) + usage.promptTokens;
    if (usage.costMicrosUsd >= 0)
        m_result.usage.costMicrosUsd = std::max<qint64>(m_result.usage.costMicrosUsd, 0) + usage.costMicrosUsd;
    b.done = true;
    ++m_doneCount;
    if (m_doneCount == m_pending.size()) {
        if (m_usageMissing) {
            // Part of the usage is not worth more than none: the caller estimates the whole.
            m_result.usage = Usage {};
        } else {
            m_result.usage.completionTokens = 0;
        }
        report();
        return;
    }
    if (m_inFlight == 0)
        m_firstByteTimer.stop();
    sendNext();
}

namespace {

bool floatsFromBase64(std::string_view text, std::vector<float> *out)
{
    const QByteArray bytes = QByteArray::fromBase64(QByteArray(text.data(), qsizetype(text.size())));
    if (bytes.isEmpty() || bytes.size() % 4 != 0)
        return false;
    out->resize(size_t(bytes.size() / 4));
    for (qsizetype i = 0; i < bytes.size() / 4; ++i) {
        const auto *p = reinterpret_cast<const uchar *>(bytes.constData() + i * 4);
        const quint32 bits = quint32(p[0]) | quint32(p[1]) << 8 | quint32(p[2]) << 16 | quint32(p[3]) << 24;
        float f;
        std::memcpy(&f, &bits, sizeof f);
        (*out)[size_t(i)] = f;
    }
    return true;
}

} // namespace

bool EmbeddingCall::readAnswer(const QByteArray &json, qsizetype count, std::vector<std::vector<float>> *out, Usage *usage,
                               QString *problem)
{
    using simdjson::dom::element;
    simdjson::dom::parser parser;
    element root;
    if (parser.parse(json.constData(), size_t(json.size())).get(root) || !root.is_object()) {
        *problem = tr("The answer was not JSON.");
        return false;
    }
    simdjson::dom::array data;
    if (root["data"].get_array().get(data)) {
        *problem = tr("The answer has no \"data\" list.");
        return false;
    }
    if (qsizetype(data.size()) != count) {
        *problem = tr("The answer holds %1 vectors for %2 inputs.").arg(data.size()).arg(count);
        return false;
    }
    out->assign(size_t(count), {});
    qsizetype position = 0;
    for (element item : data) {
        // `index` says which input a vector belongs to; without it, the order of the list does.
        int64_t index = position;
        if (item["index"].error() == simdjson::SUCCESS && item["index"].get_int64().get(index)) {
            *problem = tr("A vector's \"index\" is not a whole number.");
            return false;
        }
        ++position;
        if (index < 0 || index >= count || !(*out)[size_t(index)].empty()) {
            *problem = tr("A vector's \"index\" (%1) is out of range or repeated.").arg(index);
            return false;
        }
        std::vector<float> &v = (*out)[size_t(index)];
        element embedding;
        if (item["embedding"].get(embedding)) {
            *problem = tr("A vector has no \"embedding\".");
            return false;
        }
        std::string_view text;
        simdjson::dom::array numbers;
        if (!embedding.get_string().get(text)) {
            if (!floatsFromBase64(text, &v)) {
                *problem = tr("A vector's base64 is not a list of 32-bit floats.");
                return false;
            }
        } else if (!embedding.get_array().get(numbers)) {
            v.reserve(numbers.size());
            for (element n : numbers) {
                double d = 0;
                if (n.get_double().get(d)) {
                    *problem = tr("A vector holds something other than numbers.");
                    return false;
                }
                v.push_back(float(d));
            }
        }
        if (v.empty()) {
            *problem = tr("A vector is empty.");
            return false;
        }
    }
    for (const std::vector<float> &v : *out) {
        if (v.size() != (*out)[0].size()) {
            *problem = tr("The vectors of one answer differ in length.");
            return false;
        }
    }
    *usage = Usage {};
    element u;
    if (!root["usage"].get(u) && u.is_object()) {
        int64_t prompt = -1;
        if (!u["prompt_tokens"].get_int64().get(prompt) && prompt >= 0)
            usage->promptTokens = prompt;
        else if (!u["total_tokens"].get_int64().get(prompt) && prompt >= 0)
            usage->promptTokens = prompt;
        double cost = -1;
        if (!u["cost"].get_double().get(cost) && cost >= 0 && cost < 1e9)   // OpenRouter's own figure, in USD
            usage->costMicrosUsd = qint64(cost * 1'000'000.0 + 0.5);
    }
    return true;
}

void EmbeddingCall::fail(ProviderError error)
{
    if (m_reported)
        return;
    if (error.httpStatus == 0)
        error.httpStatus = m_result.httpStatus;
    m_result.error = error;
    m_vectors.clear();
    report();
}

void EmbeddingCall::cancel()
{
    if (m_reported)
        return;
    ProviderError e;
    e.errorClass = ErrorClass::Cancelled;
    fail(e);
}

void EmbeddingCall::report()
{
    if (m_reported)
        return;
    m_reported = true;
    m_firstByteTimer.stop();
    m_totalTimer.stop();
    for (Batch &b : m_pending) {
        if (b.reply) {
            b.reply->disconnect(this);
            b.reply->abort();
            b.reply->deleteLater();
            b.reply = nullptr;
        }
        b.body = QByteArray();
    }
    // Providers sometimes quote the key they were sent; it never leaves this object.
    if (m_result.error && !m_apiKey.isEmpty())
        m_result.error->providerMessage.replace(m_apiKey, QStringLiteral("****"));
    m_result.totalMs = m_clock.elapsed();
    emit finished(m_result);
}
