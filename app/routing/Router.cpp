#include "Router.h"

#include "RequestBuilder.h"

#include <QJsonArray>

QJsonObject RouteDecision::toJson() const
{
    QJsonObject o {{QStringLiteral("rule"), rule},
                   {QStringLiteral("model"), model},
                   {QStringLiteral("provider"), provider},
                   {QStringLiteral("provider_model"), providerModel},
                   {QStringLiteral("fallback"), QJsonArray::fromStringList(fallback)},
                   {QStringLiteral("context_length"), contextLength},
                   {QStringLiteral("task_type"), taskType},
                   {QStringLiteral("why"), why}};
    if (!passedOver.isEmpty()) {
        QJsonArray list;
        for (const PassedOver &p : passedOver)
            list.append(QJsonObject {{QStringLiteral("model"), p.model}, {QStringLiteral("why"), p.why}});
        o.insert(QStringLiteral("passed_over"), list);
    }
    if (!error.isEmpty())
        o.insert(QStringLiteral("error"), error);
    return o;
}

Router::Router(Config config)
    : m_config(std::move(config))
{
}

bool Router::usable(const ModelConfig &model) const
{
    const ProviderConfig *p = m_config.provider(model.provider);
    return p && p->enabled;
}

RouteDecision Router::decide(const ChatRequest &request, const QString &askedModel, const QString &client,
                             const QString &explicitTask, const QDateTime &now) const
{
    const RequestFeatures f = RequestAnalyzer::features(request, askedModel, client, explicitTask, now);
    return decide(f, RequestAnalyzer::detectTask(request, f.contextLength, explicitTask).reason, &request);
}

RouteDecision Router::decide(const RequestFeatures &f, const QString &taskReason, const ChatRequest *request) const
{
    RouteDecision d;
    d.contextLength = f.contextLength;
    d.taskType = f.taskType;

    QStringList chain;
    const ModelConfig *chosen = nullptr;
    const bool automatic = f.model.isEmpty() || f.model.compare(u"auto", Qt::CaseInsensitive) == 0;
    if (!automatic) {
        chosen = m_config.model(f.model);
        if (!chosen) {
            d.error = tr("There is no model \"%1\"; use \"auto\" or one of the names in config.yaml.").arg(f.model);
            return d;
        }
        if (chosen->isEmbedding()) {
            d.error = tr("%1 is an embedding model; it answers POST /v1/embeddings, not chat.").arg(chosen->name);
            return d;
        }
        d.rule = QStringLiteral("model");
        d.why = tr("%1 was asked for by name.").arg(chosen->name);
    } else {
        for (int i = 0; i < m_config.routes.size(); ++i) {
            const RouteConfig &route = m_config.routes[i];
            if (!route.isDefault && !(route.expression && route.expression->matches(f)))
                continue;
            chosen = m_config.model(route.model);
            if (chosen && chosen->isEmbedding()) {
                chosen = nullptr;   // config.yaml refuses this; a Config built in code may not
                continue;
            }
            d.ruleIndex = i;
            d.rule = !route.name.isEmpty() ? route.name
                     : route.isDefault     ? QStringLiteral("default")
                                           : QStringLiteral("route %1").arg(i + 1);
            d.why = route.isDefault ? tr("No rule matched, so the default route chose %1.").arg(route.model)
                                    : tr("Rule \"%1\" matched, so %2.").arg(route.match, route.model);
            chain += route.fallback;
            break;
        }
        if (!chosen) {
            d.error = tr("No route matched and there is no default route.");
            return d;
        }
    }
    if (!taskReason.isEmpty())
        d.why += QLatin1Char(' ') + tr("Task type %1.").arg(taskReason);
    chain += chosen->fallback;
    chain += m_config.fallback.defaultChain;

    // The chosen model must be able to take the request; otherwise the first in the chain that can.
    QStringList order;
    order << chosen->name;
    for (const QString &name : std::as_const(chain)) {
        const ModelConfig *m = m_config.model(name);
        // Never an embedding model in a chat chain, whatever a Config built in code says.
        if (m && !m->isEmbedding() && !order.contains(m->name))
            order << m->name;
    }
    QStringList candidates;
    for (const QString &name : std::as_const(order)) {
        const ModelConfig *m = m_config.model(name);
        if (!usable(*m)) {
            if (name == chosen->name)
                d.why += QLatin1Char(' ') + tr("%1's provider is disabled.").arg(name);
            continue;
        }
        if (m->context > 0 && f.contextLength > m->context) {
            if (name == chosen->name)
                d.why += QLatin1Char(' ') + tr("%1 holds only %2 tokens; about %3 are needed.")
                                                .arg(name, QLocale().toString(m->context), QLocale().toString(f.contextLength));
            continue;
        }
        if (request) {
            if (const QString why = RequestBuilder::unsupported(*m_config.provider(m->provider), *m, *request); !why.isEmpty()) {
                d.passedOver.append({name, why});
                if (name == chosen->name)
                    d.why += QLatin1Char(' ') + tr("Passed over: %1.").arg(why);
                continue;
            }
        }
        candidates << name;
    }
    if (candidates.isEmpty() && !d.passedOver.isEmpty()) {
        QStringList reasons;
        for (const RouteDecision::PassedOver &p : std::as_const(d.passedOver))
            reasons << p.why;
        d.error = tr("No model in the chain can take this request: %1.").arg(reasons.join(QStringLiteral("; ")));
        d.model = chosen->name;
        d.provider = chosen->provider;
        d.providerModel = chosen->id;
        return d;
    }
    if (candidates.isEmpty()) {
        d.error = tr("No enabled model in the chain can take about %1 input tokens.").arg(QLocale().toString(f.contextLength));
        d.model = chosen->name;
        d.provider = chosen->provider;
        d.providerModel = chosen->id;
        return d;
    }
    const ModelConfig *first = m_config.model(candidates.takeFirst());
    if (first != chosen)
        d.why += QLatin1Char(' ') + tr("Using %1 instead.").arg(first->name);
    d.model = first->name;
    d.provider = first->provider;
    d.providerModel = first->id;
    d.fallback = candidates;
    return d;
}
