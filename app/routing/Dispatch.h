#pragma once

#include "ChatRequest.h"
#include "Config.h"
#include "ProviderCall.h"
#include "Router.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

class ProviderHealth;
class QNetworkAccessManager;
class Upstream;
class SecretStore;

// One attempt at one model: what the ledger records and the UI shows.
struct Attempt
{
    int number = 0;            // 1, 2, … within the request
    QString model;
    QString provider;
    QString providerModel;
    bool skipped = false;      // not sent (no key, cooling down, price guard, context too small)
    QString note;              // why it was skipped, or why the next one was tried
    bool held = false;         // its answer is checked before it is shown (ProviderCall::holdsAnswer)
    qint64 overheadUs = -1;    // time spent in Switchyard before this attempt's request left
    CallResult result;         // when skipped, empty, or a NoKey error for the ledger

    // Sent nothing because its provider has no key: a `no_key` row in the ledger, "passed over" in the badge.
    bool passedOverForNoKey() const { return skipped && result.error && result.error->errorClass == ErrorClass::NoKey; }
};

struct DispatchResult
{
    QList<Attempt> attempts;
    CallResult final;          // the last attempt's result (the answer, or the error shown)
    QString model;             // the model that answered, or the last one tried
    bool ok() const { return final.ok(); }
};

// Runs a routed request through its fallback chain (PRODUCT.md, issue "Routing rules and fallback"):
// retryable classes move on; context overflow moves to a model with more room; the classes in
// `stop_on` stop; a short Retry-After is waited out on the same model, a long one moves on; extra
// passes over the chain back off exponentially with jitter; providers that keep failing cool down
// and are skipped; models dearer than `price_guard` × the chosen one are skipped. A stream that has
// shown its first token never falls back: its partial answer is kept.
class Dispatch : public QObject
{
    Q_OBJECT

public:
    Dispatch(QNetworkAccessManager *nam, SecretStore *secrets, ProviderHealth *health, Config config,
             RouteDecision decision, ChatRequest request, CallTimeouts timeouts = {}, QObject *parent = nullptr);
    // The same over another Upstream (the local endpoint's HttpClient).
    Dispatch(Upstream *upstream, SecretStore *secrets, ProviderHealth *health, Config config, RouteDecision decision,
             ChatRequest request, CallTimeouts timeouts = {}, QObject *parent = nullptr);

    // When the request arrived, for the overhead each Attempt reports; by default, construction.
    void setArrival(const QElapsedTimer &arrival) { m_arrival = arrival; }
    void start();
    void cancel();
    // The answer's reader is behind: the attempt running, and any after it, stop reading (true)
    // or read on (false). See ProviderCall::setPaused().
    void setPaused(bool paused);
    const DispatchResult &result() const { return m_result; }

signals:
    void attemptStarted(const Attempt &attempt);
    void attemptFinished(const Attempt &attempt);
    void streamEvent(const StreamEvent &event);   // from the attempt being shown
    void finished(const DispatchResult &result);

private:
    void next();
    void tryModel(const QString &name);
    void skip(const QString &name, const QString &why, const std::optional<ProviderError> &error = std::nullopt);
    static ProviderError noKeyError(const QString &providerLabel);
    void onCallFinished(const CallResult &r);
    void finish();
    QString priceGuardProblem(const ModelConfig &model) const;
    void outsideBegins();
    void outsideEnds();

    QNetworkAccessManager *m_nam = nullptr;
    Upstream *m_upstream = nullptr;
    SecretStore *m_secrets;
    ProviderHealth *m_health;
    Config m_config;
    RouteDecision m_decision;
    ChatRequest m_request;
    CallTimeouts m_timeouts;

    QStringList m_candidates;
    int m_index = 0;
    int m_pass = 0;
    bool m_retriedSameModel = false;
    bool m_firstToken = false;
    bool m_done = false;
    bool m_paused = false;
    std::optional<ProviderError> m_missingKey;   // reported when nothing could be sent
    int m_coolingSeconds = -1;                   // the shortest cool-down of the models passed over
    QElapsedTimer m_arrival;
    qint64 m_outsideNs = 0;                      // time inside provider calls and waits
    qint64 m_outsideSince = -1;                  // when the current call or wait began
    QString m_current;
    QPointer<ProviderCall> m_call;
    QTimer m_wait;
    DispatchResult m_result;
};
