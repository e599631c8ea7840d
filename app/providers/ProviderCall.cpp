#include "ProviderCall.h"

#include "ErrorClassifier.h"
#include "RequestBuilder.h"

#include <QJsonDocument>
#include "Upstream.h"

#include <QNetworkAccessManager>
#include <QNetworkRequest>

namespace {
constexpr qsizetype maxErrorBody = 1 << 20;
}

ProviderCall::ProviderCall(QNetworkAccessManager *nam, ProviderConfig provider, ModelConfig model, ChatRequest request,
                           QString apiKey, CallTimeouts timeouts, QObject *parent)
    : ProviderCall(static_cast<Upstream *>(nullptr), std::move(provider), std::move(model), std::move(request),
                   std::move(apiKey), timeouts, parent)
{
    m_nam = nam;
}

ProviderCall::ProviderCall(Upstream *upstream, ProviderConfig provider, ModelConfig model, ChatRequest request,
                           QString apiKey, CallTimeouts timeouts, QObject *parent)
    : QObject(parent)
    , m_upstream(upstream)
    , m_provider(std::move(provider))
    , m_model(std::move(model))
    , m_request(std::move(request))
    , m_apiKey(std::move(apiKey))
    , m_timeouts(timeouts)
    , m_normalizer(m_provider.dialect, [this](const StreamEvent &ev) { onEvent(ev); })
{
    for (QTimer *t : {&m_firstByteTimer, &m_idleTimer, &m_totalTimer})
        t->setSingleShot(true);
    connect(&m_firstByteTimer, &QTimer::timeout, this, [this] { timedOut(tr("no answer within %1 s").arg(m_timeouts.firstByteMs / 1000.0)); });
    connect(&m_idleTimer, &QTimer::timeout, this, [this] { timedOut(tr("no data for %1 s").arg(m_timeouts.idleMs / 1000.0)); });
    connect(&m_totalTimer, &QTimer::timeout, this, [this] { timedOut(tr("the call took longer than %1 s").arg(m_timeouts.totalMs / 1000.0)); });
}

ProviderCall::~ProviderCall()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

void ProviderCall::start()
{
    m_clock.start();
    const RequestBuilder::Built built = RequestBuilder::build(m_provider, m_model, m_request, m_apiKey);
    m_result.streamed = built.json.value(QStringLiteral("stream")).toBool();
    m_result.dropped = built.dropped;
    m_checkJson = built.checkJson;
    if (!built.error.isEmpty()) {
        ProviderError e;
        e.errorClass = ErrorClass::BadRequest;
        e.providerMessage = built.error;
        // Report from the event loop, like every other outcome.
        QMetaObject::invokeMethod(this, [this, e] { m_normalizer.fail(e); report(); }, Qt::QueuedConnection);
        return;
    }
    m_reply = m_upstream ? m_upstream->post(built.request, built.body)
                         : NetworkManagerUpstream(m_nam).post(built.request, built.body);
    connect(m_reply, &UpstreamReply::metaDataChanged, this, &ProviderCall::onMetaData);
    connect(m_reply, &UpstreamReply::readyRead, this, &ProviderCall::onReadyRead);
    connect(m_reply, &UpstreamReply::finished, this, &ProviderCall::onFinished);
    if (m_paused)
        m_reply->setPaused(true);
    else
        m_firstByteTimer.start(m_timeouts.firstByteMs);
    m_totalTimer.start(m_timeouts.totalMs);
}

void ProviderCall::setPaused(bool paused)
{
    if (m_paused == paused)
        return;
    m_paused = paused;
    if (m_reply)
        m_reply->setPaused(paused);
    if (m_reported || !m_reply)
        return;
    // What is not read cannot be late: the timeouts wait while the reader is behind.
    if (paused) {
        m_idleTimer.stop();
        m_firstByteTimer.stop();
    } else if (!m_headersSeen) {
        m_firstByteTimer.start(m_timeouts.firstByteMs);
    } else if (m_sseMode) {
        m_idleTimer.start(m_timeouts.idleMs);
    }
}

void ProviderCall::cancel()
{
    if (m_reported)
        return;
    stopTimers();
    if (m_reply) {
        m_reply->disconnect(this);   // no "finished with error" after this
        m_reply->abort();
        m_reply->deleteLater();
    }
    ProviderError e;
    e.errorClass = ErrorClass::Cancelled;
    m_normalizer.fail(e);
    report();
}

void ProviderCall::onMetaData()
{
    if (m_headersSeen || !m_reply)
        return;
    m_headersSeen = true;
    m_firstByteTimer.stop();
    m_result.httpStatus = m_reply->status();
    const QByteArray type = m_reply->header("content-type").toLower();
    m_sseMode = m_result.httpStatus < 400 && type.contains("text/event-stream");
    // A non-streaming answer arrives whole when it is ready: only the hard ceiling applies to it.
    if (m_sseMode)
        m_idleTimer.start(m_timeouts.idleMs);
}

void ProviderCall::onReadyRead()
{
    if (!m_reply || m_reported)
        return;
    onMetaData();
    const QByteArray bytes = m_reply->readAll();
    if (!m_sseMode) {
        // Error pages are capped; a whole answer is kept as it is.
        if (m_result.httpStatus < 400 || m_body.size() < maxErrorBody)
            m_body.append(m_result.httpStatus < 400 ? bytes : bytes.left(maxErrorBody - m_body.size()));
        return;
    }
    const qint64 before = m_sse.events();
    m_sse.feed(bytes, [this](const SseEvent &ev) {
        if (m_reported)
            return;
        if (ev.data.trimmed() == "[DONE]") {
            m_done = true;
            return;
        }
        m_dataStarted = true;
        m_normalizer.chunk(ev.data);
    });
    if (m_reported)
        return;   // a listener cancelled from inside an event
    if (m_sse.events() > before && !m_paused)   // a listener may have paused the call meanwhile
        m_idleTimer.start(m_timeouts.idleMs);
    if (m_normalizer.failed())
        report();
}

void ProviderCall::onFinished()
{
    if (m_reported || !m_reply)
        return;
    onReadyRead();
    if (m_reported)
        return;
    stopTimers();
    const bool netError = m_reply->networkFailed();
    const int status = m_reply->status();
    m_result.httpStatus = status;

    if (status >= 400) {
        m_normalizer.fail(ErrorClassifier::fromHttp(m_provider.dialect, status, m_body, m_reply->header("retry-after")));
    } else if (status == 0 || (netError && !m_sseMode)) {
        ProviderError e;
        e.errorClass = m_dataStarted ? ErrorClass::Truncated : m_reply->tlsFailed() ? ErrorClass::Tls : ErrorClass::Network;
        e.providerMessage = m_reply->errorString();
        m_normalizer.fail(e);
    } else if (m_sseMode) {
        // After a clean end, a last event without its blank line still counts; after a broken
        // connection, a half line is just lost bytes.
        if (!netError) {
            m_sse.finish([this](const SseEvent &ev) {
                if (ev.data.trimmed() != "[DONE]")
                    m_normalizer.chunk(ev.data);
            });
        } else {
            m_sse.reset();
        }
        if (netError && !m_normalizer.finished()) {
            ProviderError e;
            e.errorClass = ErrorClass::Truncated;
            e.httpStatus = status;
            e.providerMessage = m_reply->errorString();
            m_normalizer.fail(e);
        } else {
            m_normalizer.end();
        }
    } else {
        handleBody();
    }
    m_reply->deleteLater();
    report();
}

void ProviderCall::handleBody()
{
    QJsonParseError parseError {};
    const QJsonDocument doc = QJsonDocument::fromJson(m_body.trimmed(), &parseError);
    if (!doc.isObject()) {
        ProviderError e = ErrorClassifier::fromHttp(m_provider.dialect, m_result.httpStatus, m_body);
        e.errorClass = ErrorClass::Server;   // a 200 that is not JSON: an HTML page or a broken proxy
        if (e.providerMessage.isEmpty())
            e.providerMessage = tr("The answer was not JSON.");
        m_normalizer.fail(e);
        return;
    }
    const QJsonObject object = doc.object();
    if (object.value(QStringLiteral("error")).isObject() && !object.contains(QStringLiteral("choices"))) {
        m_normalizer.fail(ErrorClassifier::fromHttp(m_provider.dialect, m_result.httpStatus, m_body));
        return;
    }
    m_normalizer.message(m_body.trimmed());
    m_normalizer.end();
}

void ProviderCall::onEvent(const StreamEvent &ev)
{
    switch (ev.kind) {
    case StreamEvent::Kind::Content:
    case StreamEvent::Kind::Reasoning:
    case StreamEvent::Kind::ToolCall:
        m_sawToolCall = m_sawToolCall || ev.kind == StreamEvent::Kind::ToolCall;
        if (m_result.ttftMs < 0)
            m_result.ttftMs = m_clock.elapsed();
        break;
    case StreamEvent::Kind::Logprobs:
        break;
    case StreamEvent::Kind::Usage:
        m_result.usage = ev.usage;
        break;
    case StreamEvent::Kind::Finish:
        m_result.finishReason = ev.finishReason;
        break;
    case StreamEvent::Kind::Error:
        m_result.error = ev.error;
        if (!m_apiKey.isEmpty()) {
            m_result.error->providerMessage.replace(m_apiKey, QStringLiteral("****"));
            StreamEvent redacted = ev;
            redacted.error = *m_result.error;
            emit streamEvent(redacted);
            return;
        }
        break;
    }
    emit streamEvent(ev);
}

void ProviderCall::timedOut(const QString &which)
{
    if (m_reported)
        return;
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
    stopTimers();
    ProviderError e;
    e.errorClass = ErrorClass::Timeout;
    e.httpStatus = m_result.httpStatus;
    e.providerMessage = which;
    m_normalizer.fail(e);
    report();
}

void ProviderCall::checkJson()
{
    // Models asked for JSON in words often wrap it in a Markdown fence; the JSON inside is the answer.
    QString text = m_result.content.trimmed();
    if (text.startsWith(QLatin1String("```"))) {
        const qsizetype firstLine = text.indexOf(QLatin1Char('\n'));
        if (firstLine > 0 && text.endsWith(QLatin1String("```")))
            text = text.mid(firstLine + 1, text.size() - firstLine - 4).trimmed();
    }
    QJsonParseError parseError {};
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &parseError);
    if (parseError.error == QJsonParseError::NoError && doc.isObject()) {
        m_result.content = text;
        return;
    }
    ProviderError e;
    e.errorClass = ErrorClass::Server;
    e.httpStatus = m_result.httpStatus;
    e.providerMessage = tr("%1 was asked for JSON and answered something else (%2 at character %3).")
                            .arg(m_model.name, parseError.errorString()).arg(parseError.offset);
    e.answerRejected = true;
    m_result.error = e;
}

void ProviderCall::stopTimers()
{
    m_firstByteTimer.stop();
    m_idleTimer.stop();
    m_totalTimer.stop();
}

void ProviderCall::report()
{
    if (m_reported)
        return;
    m_reported = true;
    stopTimers();
    if (m_reply) {
        m_reply->disconnect(this);
        if (!m_reply->isFinished())
            m_reply->abort();
        m_reply->deleteLater();
    }
    // Providers sometimes quote the key they were sent; it never leaves this object.
    if (m_result.error && !m_apiKey.isEmpty())
        m_result.error->providerMessage.replace(m_apiKey, QStringLiteral("****"));
    m_result.content = m_normalizer.content();
    m_result.reasoning = m_normalizer.reasoning();
    m_result.totalMs = m_clock.elapsed();
    if (m_result.finishReason.isEmpty())
        m_result.finishReason = m_normalizer.finishReason();
    if (m_checkJson && !m_result.error && !m_sawToolCall && m_result.finishReason != u"tool_calls")
        checkJson();
    emit finished(m_result);
}
