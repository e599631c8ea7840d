#pragma once

#include "Config.h"
#include "ProviderCall.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTimer>

#include <utility>
#include <vector>

class Upstream;
class UpstreamReply;

// What one embeddings request asks of a provider, whatever door it came through.
struct EmbeddingRequest
{
    QStringList inputs;        // in order, none empty
    int dimensions = 0;        // 0: the model's default
    QJsonObject extra;         // the client's other fields (`user`, a gateway's own), sent on as they came
};

// One attempt at one embedding model: POST {base_url}/embeddings, with the inputs split into as many
// requests as the model's batch limit needs (DashScope takes 10 a request), up to four in flight,
// joined back in input order. Floats are always asked for (a provider's base64 is not trusted to be
// float32 little-endian; one that sends it anyway is decoded as such). The first failure ends the
// attempt: the other requests are aborted, and the error is classified by ErrorClassifier as a chat
// call's would be. Timeouts: no answer within firstByteMs, or the whole attempt over totalMs.
// Reports finished() exactly once; cancel() reports `cancelled`.
class EmbeddingCall : public QObject
{
    Q_OBJECT

public:
    EmbeddingCall(Upstream *upstream, ProviderConfig provider, ModelConfig model, const EmbeddingRequest &request,
                  QString apiKey, CallTimeouts timeouts = {}, QObject *parent = nullptr);
    ~EmbeddingCall() override;

    void start();
    void cancel();

    // usage (input tokens only; -1 when a batch sent none), error, httpStatus, totalMs.
    const CallResult &result() const { return m_result; }
    // One vector per input, in input order, each of the same length; empty unless the call succeeded.
    const std::vector<std::vector<float>> &vectors() const { return m_vectors; }
    std::vector<std::vector<float>> takeVectors() { return std::exchange(m_vectors, {}); }
    // How many HTTP requests the inputs needed.
    int requests() const { return m_batches; }

    // The body of the request for inputs [first, first + count).
    QByteArray body(qsizetype first, qsizetype count) const;

    // A batch's answer read into `out` (count vectors, by their `index`); false and why in *problem.
    static bool readAnswer(const QByteArray &json, qsizetype count, std::vector<std::vector<float>> *out, Usage *usage,
                           QString *problem);

signals:
    void finished(const CallResult &result);

private:
    void sendNext();
    void batchFinished(int batch);
    void fail(ProviderError error);
    void report();

    struct Batch
    {
        qsizetype first = 0;
        qsizetype count = 0;
        QPointer<UpstreamReply> reply {};
        QByteArray body {};
        bool done = false;
    };

    Upstream *m_upstream;
    ProviderConfig m_provider;
    ModelConfig m_model;
    EmbeddingRequest m_request;
    QString m_apiKey;
    CallTimeouts m_timeouts;
    QList<Batch> m_pending;
    int m_batches = 0;
    int m_next = 0;
    int m_inFlight = 0;
    int m_doneCount = 0;
    bool m_reported = false;
    bool m_usageMissing = false;
    QElapsedTimer m_clock;
    QTimer m_firstByteTimer;
    QTimer m_totalTimer;
    CallResult m_result;
    std::vector<std::vector<float>> m_vectors;

    static constexpr int MaxInFlight = 4;
    static constexpr qsizetype MaxAnswerBytes = qsizetype(256) << 20;   // 2048 inputs × 3072 dimensions fit
    static constexpr qsizetype MaxErrorBytes = 1 << 20;
};
