#include "Dispatch.h"

#include "ProviderHealth.h"
#include "SecretStore.h"

#include <QRandomGenerator>

Dispatch::Dispatch(QNetworkAccessManager *nam, SecretStore *secrets, ProviderHealth *health, Config config,
                   RouteDecision decision, ChatRequest request, CallTimeouts timeouts, QObject *parent)
    : Dispatch(static_cast<Upstream *>(nullptr), secrets, health, std::move(config), std::move(decision),
               std::move(request), timeouts, parent)
{
    m_nam = nam;
}

Dispatch::Dispatch(Upstream *upstream, SecretStore *secrets, ProviderHealth *health, Config config,
                   RouteDecision decision, ChatRequest request, CallTimeouts timeouts, QObject *parent)
    : QObject(parent)
    , m_upstream(upstream)
    , m_secrets(secrets)
    , m_health(health)
    , m_config(std::move(config))
    , m_decision(std::move(decision))
    , m_request(std::move(request))
    , m_timeouts(timeouts)
{
    m_arrival.start();
    m_wait.setSingleShot(true);
    m_wait.setTimerType(Qt::PreciseTimer);   // never earlier than the provider asked
    m_health->configure(m_config.fallback.cooldownAfter, m_config.fallback.cooldownSeconds);
}

void Dispatch::start()
{
    // The models the rules chose but whose provider has no key: attempts that send nothing, so the
    // ledger and the badge say why another model answered.
    for (const RouteDecision::PassedOver &p : std::as_const(m_decision.passedOver)) {
        if (!p.leading)
            continue;
        const ModelConfig *m = m_config.model(p.model);
        const ProviderConfig *provider = m ? m_config.provider(m->provider) : nullptr;
        Attempt a;
        a.number = int(m_result.attempts.size()) + 1;
        a.model = p.model;
        a.provider = p.provider;
        a.providerModel = m ? m->id : QString();
        a.skipped = true;
        a.note = p.why;
        a.result.error = noKeyError(provider ? provider->label() : p.provider);
        m_result.attempts << a;
    }
    const bool refused = !m_decision.error.isEmpty();
    if (refused) {
        ProviderError e;
        e.errorClass = m_decision.noKey ? ErrorClass::NoKey : ErrorClass::BadRequest;
        e.providerMessage = m_decision.error;
        m_result.final.error = e;
    } else {
        m_candidates = QStringList {m_decision.model} + m_decision.fallback;
        m_index = 0;
    }
    QMetaObject::invokeMethod(this, [this, refused] {
        for (const Attempt &a : std::as_const(m_result.attempts))
            emit attemptFinished(a);
        if (refused)
            finish();
        else
            tryModel(m_candidates.value(0));
    }, Qt::QueuedConnection);
}

ProviderError Dispatch::noKeyError(const QString &providerLabel)
{
    ProviderError e;
    e.errorClass = ErrorClass::NoKey;
    e.providerMessage = tr("No key is set for %1; add one in Settings.").arg(providerLabel);
    return e;
}

void Dispatch::setPaused(bool paused)
{
    m_paused = paused;
    if (m_call)
        m_call->setPaused(paused);
}

void Dispatch::cancel()
{
    if (m_done)
        return;
    m_wait.stop();
    if (m_call) {
        m_call->disconnect(this);
        m_call->cancel();
        m_result.final = m_call->result();
        Attempt &a = m_result.attempts.last();
        a.result = m_result.final;
        emit attemptFinished(a);
        m_call->deleteLater();
        m_call = nullptr;
    } else {
        ProviderError e;
        e.errorClass = ErrorClass::Cancelled;
        m_result.final = CallResult {};
        m_result.final.error = e;
    }
    finish();
}

QString Dispatch::priceGuardProblem(const ModelConfig &model) const
{
    const ModelConfig *chosen = m_config.model(m_decision.model);
    if (!chosen || !chosen->price || !model.price || &model == chosen)
        return QString();
    if (chosen->price->currency != model.price->currency)
        return QString();   // not comparable without a rate; the ledger shows both currencies
    const auto cost = [](const Price &p) { return p.rates.input + p.rates.output; };
    if (cost(*chosen->price) <= 0)
        return QString();
    const double ratio = double(cost(*model.price)) / double(cost(*chosen->price));
    if (ratio <= m_config.fallback.priceGuard)
        return QString();
    return tr("%1 costs %2× %3, more than the price guard of %4×").arg(model.name).arg(ratio, 0, 'f', 1)
        .arg(chosen->name).arg(m_config.fallback.priceGuard);
}

void Dispatch::skip(const QString &name, const QString &why, const std::optional<ProviderError> &error)
{
    const ModelConfig *m = m_config.model(name);
    Attempt a;
    a.number = int(m_result.attempts.size()) + 1;
    a.model = name;
    a.provider = m ? m->provider : QString();
    a.providerModel = m ? m->id : QString();
    a.skipped = true;
    a.note = why;
    a.result.error = error;
    m_result.attempts << a;
    emit attemptFinished(a);
    ++m_index;
    next();
}

void Dispatch::tryModel(const QString &name)
{
    if (m_done)
        return;
    m_current = name;
    const ModelConfig *model = m_config.model(name);
    const ProviderConfig *provider = model ? m_config.provider(model->provider) : nullptr;
    if (!model || !provider) {
        skip(name, tr("%1 is not in the configuration").arg(name));
        return;
    }
    if (model->isEmbedding()) {
        skip(name, tr("%1 is an embedding model").arg(name));
        return;
    }
    if (const int seconds = m_health->coolingFor(provider->id); seconds > 0) {
        m_coolingSeconds = m_coolingSeconds < 0 ? seconds : std::min(m_coolingSeconds, seconds);
        skip(name, tr("%1 is cooling down for %2 s after repeated failures").arg(provider->label()).arg(seconds));
        return;
    }
    if (model->context > 0 && m_decision.contextLength > model->context) {
        skip(name, tr("%1 holds only %2 tokens").arg(name, QLocale().toString(model->context)));
        return;
    }
    if (const QString problem = priceGuardProblem(*model); !problem.isEmpty()) {
        skip(name, problem);
        return;
    }

    const ProviderConfig providerCopy = *provider;
    const ModelConfig modelCopy = *model;
    m_secrets->readProviderKey(provider->id, provider->apiKeyEnv, this, [this, providerCopy, modelCopy](const SecretResult &key) {
        if (m_done)
            return;
        if (!key.ok()) {
            // A model without a key is passed over; if nothing else can answer, this is the error.
            if (key.status == SecretResult::Status::NotFound) {
                m_missingKey = noKeyError(providerCopy.label());
                skip(modelCopy.name, m_missingKey->providerMessage, m_missingKey);
                return;
            }
            ProviderError e;   // a locked or unreachable keychain: the key may well be there
            e.errorClass = ErrorClass::Auth;
            e.providerMessage = key.message;
            m_missingKey = e;
            skip(modelCopy.name, e.providerMessage);
            return;
        }
        Attempt a;
        a.number = int(m_result.attempts.size()) + 1;
        a.model = modelCopy.name;
        a.provider = providerCopy.id;
        a.providerModel = modelCopy.id;
        auto *call = m_upstream ? new ProviderCall(m_upstream, providerCopy, modelCopy, m_request, key.secret, m_timeouts, this)
                                : new ProviderCall(m_nam, providerCopy, modelCopy, m_request, key.secret, m_timeouts, this);
        m_call = call;
        if (m_paused)
            call->setPaused(true);
        call->start();   // builds the request; what it sends leaves from the event loop
        a.held = call->holdsAnswer();
        a.result.dropped = call->result().dropped;
        a.overheadUs = (m_arrival.nsecsElapsed() - m_outsideNs) / 1000;
        m_result.attempts << a;
        outsideBegins();
        emit attemptStarted(a);
        connect(call, &ProviderCall::streamEvent, this, [this, call](const StreamEvent &ev) {
            // A held answer is checked first and may still fall back; a shown one may not.
            if (!call->holdsAnswer()
                && (ev.kind == StreamEvent::Kind::Content || ev.kind == StreamEvent::Kind::Reasoning
                    || ev.kind == StreamEvent::Kind::ToolCall))
                m_firstToken = true;
            // Errors are the dispatcher's to report once the chain is decided.
            if (ev.kind != StreamEvent::Kind::Error)
                emit streamEvent(ev);
        });
        connect(call, &ProviderCall::finished, this, [this, call](const CallResult &r) {
            m_call = nullptr;
            call->deleteLater();
            outsideEnds();
            onCallFinished(r);
        });
    });
}

void Dispatch::onCallFinished(const CallResult &r)
{
    if (m_done)
        return;
    Attempt &a = m_result.attempts.last();
    a.result = r;
    m_result.final = r;
    m_result.model = a.model;
    if (r.ok()) {
        m_health->recordSuccess(a.provider);
        emit attemptFinished(a);
        finish();
        return;
    }
    const ProviderError &e = *r.error;
    const QString cls = errorClassName(e.errorClass);
    // A model that answered something other than what was asked is no sign of a failing provider.
    const bool retryable = isRetryable(e.errorClass) && !e.answerRejected;
    if (retryable)
        m_health->recordFailure(a.provider);

    if (m_firstToken) {
        a.note = tr("the answer had started; the part received is kept");
        emit attemptFinished(a);
        finish();
        return;
    }
    if (e.errorClass == ErrorClass::Cancelled || e.errorClass == ErrorClass::Truncated || m_config.fallback.stopOn.contains(cls)) {
        a.note = tr("%1 is not something another model can fix").arg(cls);
        emit attemptFinished(a);
        finish();
        return;
    }
    if (e.errorClass == ErrorClass::ContextOverflow) {
        // Only a model with more room can help; the limit from the message is the best guide.
        const qint64 needed = std::max(m_decision.contextLength, e.contextLimit > 0 ? e.contextLimit + 1 : 0);
        const ModelConfig *current = m_config.model(a.model);
        const qint64 floor = std::max(needed, current ? current->context + 1 : qint64(0));
        a.note = tr("the input is too long for %1; trying a model with more context").arg(a.model);
        emit attemptFinished(a);
        m_decision.contextLength = std::max(m_decision.contextLength, floor);
        ++m_index;
        next();
        return;
    }
    if (!retryable) {
        // Not in stop_on, so the user wants the next model to have a go.
        a.note = tr("%1; trying the next model").arg(cls);
        emit attemptFinished(a);
        ++m_index;
        next();
        return;
    }
    const int retryAfter = e.retryAfterSeconds;
    if (retryAfter >= 0 && retryAfter <= m_config.fallback.retryAfterMaxSeconds && !m_retriedSameModel) {
        m_retriedSameModel = true;
        a.note = tr("%1; waiting %2 s as the provider asked").arg(cls).arg(retryAfter);
        emit attemptFinished(a);
        const QString model = a.model;
        m_wait.callOnTimeout(this, [this, model] { outsideEnds(); tryModel(model); }, Qt::SingleShotConnection);
        outsideBegins();
        m_wait.start(std::chrono::seconds(retryAfter));
        return;
    }
    a.note = tr("%1; trying the next model").arg(cls);
    emit attemptFinished(a);
    ++m_index;
    next();
}

void Dispatch::next()
{
    if (m_done)
        return;
    m_retriedSameModel = false;
    if (m_index < m_candidates.size()) {
        tryModel(m_candidates.at(m_index));
        return;
    }
    // The chain is used up. Another pass, after a backoff, while retries remain and the last
    // failure was one that time can cure.
    const bool retryable = m_result.final.error && isRetryable(m_result.final.error->errorClass)
                           && !m_result.final.error->answerRejected;
    if (retryable && m_pass < m_config.fallback.retries) {
        ++m_pass;
        m_index = 0;
        // Exponential backoff with full jitter, capped at a minute.
        const qint64 base = std::min<qint64>(qint64(m_config.fallback.backoffMs) << std::min(m_pass - 1, 20), 60'000);
        const qint64 jitter = base > 0 ? qint64(QRandomGenerator::global()->bounded(quint32(base))) : 0;
        m_wait.callOnTimeout(this, [this] { outsideEnds(); tryModel(m_candidates.value(m_index)); }, Qt::SingleShotConnection);
        outsideBegins();
        m_wait.start(std::chrono::milliseconds(std::min<qint64>(base + jitter, 60'000)));
        return;
    }
    if (!m_result.final.error) {
        // Nothing was sent. Say the reason a client can act on: wait for a cool-down to end, add a
        // key, or ask for something a model here can do.
        ProviderError e;
        if (m_coolingSeconds > 0) {
            e.errorClass = ErrorClass::Overloaded;
            e.retryAfterSeconds = m_coolingSeconds;
            e.providerMessage = tr("Every model that could answer is cooling down after repeated failures; the first "
                                   "is back in %n s.", nullptr, m_coolingSeconds);
        } else if (m_missingKey) {
            e = *m_missingKey;
        } else {
            e.errorClass = ErrorClass::BadRequest;
            e.providerMessage = tr("Every model in the chain was skipped.");
        }
        m_result.final.error = e;
    }
    finish();
}

void Dispatch::outsideBegins()
{
    if (m_outsideSince < 0)
        m_outsideSince = m_arrival.nsecsElapsed();
}

void Dispatch::outsideEnds()
{
    if (m_outsideSince >= 0)
        m_outsideNs += m_arrival.nsecsElapsed() - m_outsideSince;
    m_outsideSince = -1;
}

void Dispatch::finish()
{
    if (m_done)
        return;
    m_done = true;
    m_wait.stop();
    if (m_result.model.isEmpty() && !m_result.attempts.isEmpty())
        m_result.model = m_result.attempts.last().model;
    if (m_result.final.error) {
        StreamEvent ev;
        ev.kind = StreamEvent::Kind::Error;
        ev.error = *m_result.final.error;
        emit streamEvent(ev);
    }
    emit finished(m_result);
}
