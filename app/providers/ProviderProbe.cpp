#include "ProviderProbe.h"

#include "NetworkPolicy.h"
#include "ErrorClassifier.h"
#include "ProviderCall.h"
#include "RequestBuilder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>

QString ProbeResult::summary() const
{
    if (error)
        return error->describe();
    if (listed)
        return tr("Connected in %1 ms; the provider lists %2 models.").arg(milliseconds).arg(modelIds.size());
    return tr("Connected in %1 ms; the key works (this provider has no model list).").arg(milliseconds);
}

ProviderProbe::ProviderProbe(QNetworkAccessManager *nam, ProviderConfig provider, QString apiKey,
                             std::optional<ModelConfig> chatModel, QObject *parent)
    : QObject(parent)
    , m_nam(nam)
    , m_provider(std::move(provider))
    , m_apiKey(std::move(apiKey))
    , m_chatModel(std::move(chatModel))
{
}

ProviderProbe::~ProviderProbe()
{
    delete m_pending.data();
}

ProviderProbe *ProviderProbe::connectionTest(QNetworkAccessManager *nam, const Config &config,
                                             const ProviderConfig &provider, const QString &apiKey, QObject *parent)
{
    std::optional<ModelConfig> model;
    for (const ModelConfig &m : config.models) {
        if (m.provider == provider.id && !m.isEmbedding()) {   // the fallback probe sends a chat request
            model = m;
            break;
        }
    }
    return new ProviderProbe(nam, provider, apiKey, model, parent);
}

void ProviderProbe::start(int timeoutMs)
{
    m_timeoutMs = timeoutMs;
    m_clock.start();
    QNetworkRequest request(RequestBuilder::endpoint(m_provider, QStringLiteral("/models")));
    if (!m_apiKey.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_apiKey.toUtf8());
    request.setRawHeader("Accept", "application/json");
    request.setTransferTimeout(timeoutMs);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::SameOriginRedirectPolicy);
    NetworkPolicy::instance().prepare(request);
    QNetworkReply *reply = m_nam->get(request);
    m_pending = reply;
    connect(reply, &QNetworkReply::finished, this, [this, reply] { listed(reply); });
}

void ProviderProbe::listed(QNetworkReply *reply)
{
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    ProbeResult result;
    result.milliseconds = m_clock.elapsed();
    const QJsonValue list = QJsonDocument::fromJson(body).object().value(QStringLiteral("data"));
    if (status == 200 && !list.isArray()) {
        // A page that is not a model list: most often a base URL that points somewhere else.
        ProviderError e;
        e.errorClass = ErrorClass::BadRequest;
        e.httpStatus = status;
        e.providerMessage = tr("The base URL answered, but not with a model list. Check that it ends where the "
                               "provider's API begins (often …/v1).");
        result.error = e;
        done(result);
        return;
    }
    if (status == 200) {
        const QJsonArray data = list.toArray();
        for (const QJsonValue &m : data) {
            const QString id = m.toObject().value(QStringLiteral("id")).toString();
            if (!id.isEmpty())
                result.modelIds << id;
        }
        result.listed = true;
        done(result);
        return;
    }
    if ((status == 404 || status == 405) && m_chatModel) {
        tryChat();
        return;
    }
    ProviderError e;
    if (status == 0) {
        e.errorClass = reply->error() == QNetworkReply::OperationCanceledError ? ErrorClass::Timeout
                       : reply->error() == QNetworkReply::SslHandshakeFailedError ? ErrorClass::Tls
                                                                                  : ErrorClass::Network;
        e.providerMessage = reply->errorString();
    } else {
        e = ErrorClassifier::fromHttp(m_provider.dialect, status, body, reply->rawHeader("Retry-After"));
    }
    result.error = e;
    done(result);
}

void ProviderProbe::tryChat()
{
    ChatRequest request;
    request.stream = false;
    request.maxTokens = 1;
    request.messages = {ChatMessage::text(QStringLiteral("user"), QStringLiteral("ping"))};
    auto *call = new ProviderCall(m_nam, m_provider, *m_chatModel, request, m_apiKey,
                                  {m_timeoutMs, m_timeoutMs, m_timeoutMs}, this);
    m_pending = call;
    connect(call, &ProviderCall::finished, this, [this, call](const CallResult &r) {
        call->deleteLater();
        ProbeResult result;
        result.milliseconds = m_clock.elapsed();
        // A one-token answer may stop at "length"; only a real error means the key or URL is wrong.
        if (r.error && r.error->errorClass != ErrorClass::Truncated)
            result.error = r.error;
        done(result);
    });
    call->start();
}

void ProviderProbe::done(ProbeResult result)
{
    if (m_done)
        return;
    if (result.error && !m_apiKey.isEmpty())
        result.error->providerMessage.replace(m_apiKey, QStringLiteral("****"));
    m_done = true;
    emit finished(result);
}
