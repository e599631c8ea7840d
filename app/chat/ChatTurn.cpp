#include "ChatTurn.h"

#include "Dispatch.h"
#include "ProviderHealth.h"
#include "RandomId.h"

#include <QJsonArray>

namespace {

QJsonValue number(qint64 v)
{
    return v < 0 ? QJsonValue() : QJsonValue(double(v));
}

qint64 readNumber(const QJsonObject &o, const char *key)
{
    const QJsonValue v = o.value(QLatin1String(key));
    return v.isDouble() ? qint64(v.toDouble()) : -1;
}

bool hasImages(const ChatRequest &r)
{
    for (const ChatMessage &m : r.messages) {
        if (!m.images.isEmpty())
            return true;
    }
    return false;
}

} // namespace

QJsonObject AnswerInfo::toJson() const
{
    QJsonObject o {{QStringLiteral("request_id"), requestId}, {QStringLiteral("model"), model},
                   {QStringLiteral("provider"), provider},    {QStringLiteral("rule"), rule},
                   {QStringLiteral("task_type"), taskType},   {QStringLiteral("fallbacks"), QJsonArray::fromStringList(fallbacks)},
                   {QStringLiteral("ttft_ms"), number(ttftMs)}, {QStringLiteral("total_ms"), number(totalMs)},
                   {QStringLiteral("finish_reason"), finishReason}};
    if (!passedOver.isEmpty()) {
        o.insert(QStringLiteral("passed_over"), QJsonArray::fromStringList(passedOver));
        o.insert(QStringLiteral("passed_over_models"), QJsonArray::fromStringList(passedOverModels));
    }
    if (!settingsProvider.isEmpty())
        o.insert(QStringLiteral("settings_provider"), settingsProvider);
    o.insert(QStringLiteral("usage"), QJsonObject {{QStringLiteral("prompt"), number(usage.promptTokens)},
                                                   {QStringLiteral("cached"), number(usage.cachedTokens)},
                                                   {QStringLiteral("completion"), number(usage.completionTokens)},
                                                   {QStringLiteral("reasoning"), number(usage.reasoningTokens)}});
    QJsonObject costs;
    for (auto it = cost.cbegin(); it != cost.cend(); ++it)
        costs.insert(it.key(), double(it.value()));
    o.insert(QStringLiteral("cost_micros"), costs);
    if (costEstimated)
        o.insert(QStringLiteral("cost_estimated"), true);
    if (unpriced)
        o.insert(QStringLiteral("unpriced"), true);
    if (error) {
        o.insert(QStringLiteral("error"),
                 QJsonObject {{QStringLiteral("class"), errorClassName(error->errorClass)},
                              {QStringLiteral("http_status"), error->httpStatus},
                              {QStringLiteral("message"), error->providerMessage},
                              {QStringLiteral("code"), error->providerCode},
                              {QStringLiteral("retry_after"), error->retryAfterSeconds},
                              {QStringLiteral("context_limit"), double(error->contextLimit)}});
    }
    return o;
}

AnswerInfo AnswerInfo::fromJson(const QJsonObject &o)
{
    AnswerInfo a;
    a.requestId = o.value(QStringLiteral("request_id")).toString();
    a.model = o.value(QStringLiteral("model")).toString();
    a.provider = o.value(QStringLiteral("provider")).toString();
    a.rule = o.value(QStringLiteral("rule")).toString();
    a.taskType = o.value(QStringLiteral("task_type")).toString();
    for (const QJsonValue &v : o.value(QStringLiteral("fallbacks")).toArray())
        a.fallbacks << v.toString();
    for (const QJsonValue &v : o.value(QStringLiteral("passed_over")).toArray())
        a.passedOver << v.toString();
    for (const QJsonValue &v : o.value(QStringLiteral("passed_over_models")).toArray())
        a.passedOverModels << v.toString();
    a.settingsProvider = o.value(QStringLiteral("settings_provider")).toString();
    a.ttftMs = readNumber(o, "ttft_ms");
    a.totalMs = readNumber(o, "total_ms");
    a.finishReason = o.value(QStringLiteral("finish_reason")).toString();
    const QJsonObject u = o.value(QStringLiteral("usage")).toObject();
    a.usage.promptTokens = readNumber(u, "prompt");
    a.usage.cachedTokens = readNumber(u, "cached");
    a.usage.completionTokens = readNumber(u, "completion");
    a.usage.reasoningTokens = readNumber(u, "reasoning");
    const QJsonObject costs = o.value(QStringLiteral("cost_micros")).toObject();
    for (auto it = costs.begin(); it != costs.end(); ++it)
        a.cost.insert(it.key(), qint64(it.value().toDouble()));
    a.costEstimated = o.value(QStringLiteral("cost_estimated")).toBool();
    a.unpriced = o.value(QStringLiteral("unpriced")).toBool();
    if (o.contains(QStringLiteral("error"))) {
        const QJsonObject e = o.value(QStringLiteral("error")).toObject();
        ProviderError err;
        const QString cls = e.value(QStringLiteral("class")).toString();
        for (int c = int(ErrorClass::Auth); c <= int(ErrorClass::NoKey); ++c) {
            if (errorClassName(ErrorClass(c)) == cls)
                err.errorClass = ErrorClass(c);
        }
        err.httpStatus = e.value(QStringLiteral("http_status")).toInt();
        err.providerMessage = e.value(QStringLiteral("message")).toString();
        err.providerCode = e.value(QStringLiteral("code")).toString();
        err.retryAfterSeconds = e.value(QStringLiteral("retry_after")).toInt(-1);
        err.contextLimit = qint64(e.value(QStringLiteral("context_limit")).toDouble(-1));
        a.error = err;
    }
    return a;
}

ChatTurn::ChatTurn(const Services &services, Config config, ChatRequest request, QString askedModel, QString taskType,
                   QString conversation, QObject *parent)
    : QObject(parent)
    , m_services(services)
    , m_config(std::move(config))
    , m_request(std::move(request))
    , m_askedModel(std::move(askedModel))
    , m_taskType(std::move(taskType))
    , m_conversation(std::move(conversation))
{
    m_request.stream = true;
}

bool ChatTurn::start(QString *refusal)
{
    m_decision = Router(m_config, m_services.keyless).decide(m_request, m_askedModel.isEmpty() ? QStringLiteral("auto") : m_askedModel,
                                         QString::fromLatin1(Client), m_taskType);
    if (hasImages(m_request)) {
        const ModelConfig *model = m_config.model(m_decision.model);
        if (model && !model->vision) {
            QStringList seeing;
            for (const ModelConfig &m : m_config.models) {
                const ProviderConfig *p = m_config.provider(m.provider);
                if (m.vision && p && p->enabled)
                    seeing << m.name;
            }
            *refusal = seeing.isEmpty()
                           ? QCoreApplication::translate("ChatTurn",
                                                         "%1 cannot see images, and no enabled model in config.yaml "
                                                         "has vision: true. Remove the image, or add a vision model.")
                                 .arg(m_decision.model)
                           : QCoreApplication::translate("ChatTurn", "%1 cannot see images. Choose a model that can "
                                                                     "(%2), or remove the image.")
                                 .arg(m_decision.model, QLocale().createSeparatedList(seeing));
            return false;
        }
    }
    // For want of a key the answer is a NoKey error with a way to Settings, and a `no_key` ledger row.
    if (!m_decision.error.isEmpty() && !m_decision.noKey) {
        *refusal = m_decision.error;
        return false;
    }

    m_context.requestId = newRequestId();
    m_context.client = QString::fromLatin1(Client);
    m_context.taskType = m_decision.taskType;
    m_context.rule = m_decision.rule;
    m_context.conversation = m_conversation;
    m_context.estimatedInputTokens = m_decision.contextLength;

    m_dispatch = new Dispatch(m_services.nam, m_services.secrets, m_services.health, m_config, m_decision, m_request,
                              m_services.timeouts, this);
    if (m_services.ledger)
        m_services.ledger->track(m_dispatch, m_context, m_config);
    connect(m_dispatch, &Dispatch::attemptStarted, this, [this](const Attempt &a) {
        m_started.insert(a.number, QDateTime::currentDateTimeUtc());
        if (!a.skipped) {
            const ProviderConfig *p = m_config.provider(a.provider);
            emit attemptStarted(a.model, p ? p->label() : a.provider, a.number);
        }
    });
    connect(m_dispatch, &Dispatch::streamEvent, this, [this](const StreamEvent &e) {
        if (e.kind == StreamEvent::Kind::Content)
            emit contentDelta(e.text);
        else if (e.kind == StreamEvent::Kind::Reasoning)
            emit reasoningDelta(e.text);
    });
    connect(m_dispatch, &Dispatch::finished, this, &ChatTurn::onFinished);
    m_dispatch->start();
    return true;
}

void ChatTurn::cancel()
{
    if (m_dispatch)
        m_dispatch->cancel();
}

void ChatTurn::onFinished()
{
    const DispatchResult result = m_dispatch->result();
    m_dispatch->deleteLater();
    m_dispatch = nullptr;

    AnswerInfo info;
    info.requestId = m_context.requestId;
    info.rule = m_decision.rule;
    info.taskType = m_decision.taskType;
    info.model = result.model;
    const CallResult &final = result.final;
    info.usage = final.usage;
    info.ttftMs = final.ttftMs;
    info.totalMs = final.totalMs;
    info.finishReason = final.finishReason;
    info.error = final.error;
    const Attempt *answering = nullptr;   // the last attempt sent
    for (const Attempt &a : result.attempts) {
        if (!a.skipped)
            answering = &a;
    }
    for (const Attempt &a : result.attempts) {
        if (&a == answering) {
            const ProviderConfig *p = m_config.provider(a.provider);
            info.provider = p ? p->label() : a.provider;
        } else {
            QString why = a.note;
            if (why.isEmpty() && a.result.error)
                why = a.result.error->describe();
            (a.skipped ? info.passedOver : info.fallbacks) << QCoreApplication::translate("ChatTurn", "%1: %2").arg(a.model, why);
            if (a.skipped)
                info.passedOverModels << a.model;
        }
        if (a.passedOverForNoKey() && info.settingsProvider.isEmpty())
            info.settingsProvider = a.provider;
        if (a.skipped)
            continue;
        const LedgerRow row = Ledger::rowFor(a, m_context, m_config, m_started.value(a.number, QDateTime::currentDateTimeUtc()));
        if (row.costMicros > 0 || (row.costMicros == 0 && (row.promptTokens > 0 || row.completionTokens > 0)))
            info.cost[row.currency] += row.costMicros;   // a refused call that used no tokens costs nothing to show
        else if (row.costMicros < 0 && &a == answering && (row.promptTokens > 0 || row.completionTokens > 0))
            info.unpriced = true;
        if (&a == answering && row.costEstimated) {
            info.costEstimated = true;
            if (!info.usage.isValid()) {
                info.usage.promptTokens = row.promptTokens;
                info.usage.completionTokens = row.completionTokens;
            }
        }
    }
    if (final.error && final.error->errorClass == ErrorClass::Auth && answering)
        info.settingsProvider = answering->provider;
    else if (final.error && final.error->errorClass == ErrorClass::NoKey && info.settingsProvider.isEmpty())
        info.settingsProvider = m_decision.keylessProvider;
    emit finished(info, final.content, final.reasoning);
}
