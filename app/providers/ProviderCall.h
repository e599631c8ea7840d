#pragma once

#include "ChatRequest.h"
#include "Config.h"
#include "SseParser.h"
#include "StreamEvent.h"
#include "StreamNormalizer.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <optional>

class QNetworkAccessManager;
class Upstream;
class UpstreamReply;

struct CallTimeouts
{
    int firstByteMs = 120'000;       // until the provider answers at all
    int idleMs = 120'000;            // between pieces of real data; keep-alive comments do not count
    int totalMs = 30 * 60'000;       // hard ceiling for the whole call
};

struct CallResult
{
    std::optional<ProviderError> error;   // none: the call finished normally
    Usage usage;
    QString content;
    QString reasoning;
    QString finishReason;
    int httpStatus = 0;
    bool streamed = false;
    qint64 ttftMs = -1;               // first content, reasoning or tool call
    QStringList dropped;              // the client's fields the provider could not take (RequestBuilder)
    qint64 totalMs = 0;

    bool ok() const { return !error.has_value(); }
};

// One HTTP call to one provider: builds the dialect's request, streams the answer through the SSE
// parser and the normalizer, and reports StreamEvents as they come and a CallResult once. Timeouts:
// time to first byte, inactivity (restarted only by real data), and a hard ceiling. cancel() stops
// at once and reports `cancelled`.
class ProviderCall : public QObject
{
    Q_OBJECT

public:
    ProviderCall(QNetworkAccessManager *nam, ProviderConfig provider, ModelConfig model, ChatRequest request,
                 QString apiKey, CallTimeouts timeouts = {}, QObject *parent = nullptr);
    // The same over another Upstream (the local endpoint's HttpClient).
    ProviderCall(Upstream *upstream, ProviderConfig provider, ModelConfig model, ChatRequest request, QString apiKey,
                 CallTimeouts timeouts = {}, QObject *parent = nullptr);
    ~ProviderCall() override;

    void start();
    void cancel();
    // The answer's reader is behind: stop reading from the provider (true), or read on (false).
    // The idle timeout waits meanwhile; the hard ceiling does not.
    void setPaused(bool paused);
    bool isFinished() const { return m_reported; }
    // The answer must be checked before anyone sees it (JSON asked for by prompt): its text is
    // not to be shown as it streams, and a failed check may still fall back.
    bool holdsAnswer() const { return m_checkJson; }
    const CallResult &result() const { return m_result; }

signals:
    void streamEvent(const StreamEvent &event);
    // Exactly once per call.
    void finished(const CallResult &result);

private:
    void onMetaData();
    void onReadyRead();
    void onFinished();
    void onEvent(const StreamEvent &ev);
    void timedOut(const QString &which);
    void stopTimers();
    void report();
    void handleBody();
    void checkJson();

    QNetworkAccessManager *m_nam = nullptr;
    Upstream *m_upstream = nullptr;
    ProviderConfig m_provider;
    ModelConfig m_model;
    ChatRequest m_request;
    QString m_apiKey;
    CallTimeouts m_timeouts;

    QPointer<UpstreamReply> m_reply;
    SseParser m_sse;
    StreamNormalizer m_normalizer;
    QByteArray m_body;                // a non-SSE body (errors, non-streaming answers)
    bool m_sseMode = false;
    bool m_headersSeen = false;
    bool m_done = false;              // [DONE] seen
    bool m_reported = false;
    bool m_dataStarted = false;
    QElapsedTimer m_clock;
    QTimer m_firstByteTimer;
    QTimer m_idleTimer;
    QTimer m_totalTimer;
    CallResult m_result;
    bool m_checkJson = false;         // the answer must parse as JSON (structured output by prompt)
    bool m_sawToolCall = false;       // an answer that calls tools is not checked for JSON
    bool m_paused = false;
};
