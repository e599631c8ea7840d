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
            list.append(QJsonObject {{QStringLiteral("model"), p.model},
                                     {QStringLiteral("why"), p.why},
                                     {QStringLiteral("no_key"), p.noKey}});
        o.insert(QStringLiteral("passed_over"), list);
    }
    if (lastResort)
        o.insert(QStringLiteral("last_resort"), true);
    if (!error.isEmpty())
        o.insert(QStringLiteral("error"), error);
    if (noKey)
        o.insert(QStringLiteral("error_class"), QStringLiteral("no_key"));
    return o;
}

Router::Router(Config config, QSet<QString> keyless)
    : m_config(std::move(config))
    , m_keyless(std::move(keyless))
{
}

Router::Problem Router::problem(const ModelConfig &model, const RequestFeatures &f, const ChatRequest *request,
                                QString *why) const
{
    const ProviderConfig *p = m_config.provider(model.provider);
    if (!p || !p->enabled) {
        *why = tr("%1's provider is disabled").arg(model.name);
        return Problem::Disabled;
    }
    if (model.context > 0 && f.contextLength > model.context) {
        *why = tr("%1 holds only %2 tokens; about %3 are needed")
                   .arg(model.name, QLocale().toString(model.context), QLocale().toString(f.contextLength));
        return Problem::TooSmall;
    }
    if (m_keyless.contains(p->id)) {
        *why = tr("%1 has no key").arg(p->label());
        return Problem::NoKey;
    }
    if (request) {
        *why = RequestBuilder::unsupported(*p, model, *request);
        if (!why->isEmpty())
            return Problem::Unsupported;
    }
    return Problem::None;
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
            // The rule's own text has quotes of its own, so it goes in brackets, not in quotes.
            const QString label = route.name.isEmpty() ? QString::number(i + 1) : QStringLiteral("“%1”").arg(route.name);
            d.why = route.isDefault ? tr("No rule matched, so the default route chose %1.").arg(route.model)
                                    : tr("Rule %1 matched (%2) and chose %3.").arg(label, route.match, route.model);
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
    QStringList otherProblems;   // why the models not passed over for a key or a feature were left out
    for (const QString &name : std::as_const(order)) {
        const ModelConfig &m = *m_config.model(name);
        QString why;
        const Problem kind = problem(m, f, request, &why);
        if (kind == Problem::None) {
            candidates << m.name;
            continue;
        }
        if (&m == chosen)
            d.why += QLatin1Char(' ') + tr("Passed over: %1.").arg(why);
        const bool noKey = kind == Problem::NoKey;
        if (noKey || kind == Problem::Unsupported)
            d.passedOver.append({m.name, why, m.provider, noKey, noKey && candidates.isEmpty()});
        else
            otherProblems << why;
    }

    // Nothing in the rule's chain can answer: the other models that can, those fit for the task first.
    // A model asked for by name is not swapped for another behind the caller's back.
    if (candidates.isEmpty() && automatic) {
        QList<const ModelConfig *> rest;
        for (const ModelConfig &m : m_config.models) {
            if (!m.isEmbedding() && !order.contains(m.name))
                rest << &m;
        }
        if (f.taskType == u"reasoning")
            std::stable_partition(rest.begin(), rest.end(), [](const ModelConfig *m) { return m->reasoning; });
        for (const ModelConfig *m : std::as_const(rest)) {
            QString why;   // the catalog's misfits are not part of this rule's story
            if (problem(*m, f, request, &why) == Problem::None)
                candidates << m->name;
        }
        if (!candidates.isEmpty()) {
            d.lastResort = true;
            d.why += QLatin1Char(' ') + tr("No model in the rule's chain can answer, so %1 answers instead: the first other model that can.")
                                            .arg(candidates.constFirst());
        }
    }

    const auto fail = [&](const QString &error) {
        d.error = error;
        d.model = chosen->name;
        d.provider = chosen->provider;
        d.providerModel = chosen->id;
        return d;
    };
    if (candidates.isEmpty()) {
        // Only keys stand in the way when every model passed over was passed over for one.
        if (!d.passedOver.isEmpty() && std::all_of(d.passedOver.cbegin(), d.passedOver.cend(),
                                                   [](const RouteDecision::PassedOver &p) { return p.noKey; })) {
            d.noKey = true;
            const ProviderConfig *p = m_config.provider(d.passedOver.constFirst().provider);
            d.keylessProvider = p ? p->id : QString();
            return fail(automatic ? tr("No provider that could answer has a key; add one in Settings → Providers (%1 would "
                                       "be used first).").arg(p ? p->label() : d.passedOver.constFirst().provider)
                                  : tr("%1 has no key; add one in Settings → Providers, or choose another model.")
                                        .arg(p ? p->label() : chosen->provider));
        }
        QStringList reasons;
        for (const RouteDecision::PassedOver &p : std::as_const(d.passedOver))
            reasons << p.why;
        reasons += otherProblems;
        if (!d.passedOver.isEmpty())
            return fail(tr("No model in the chain can take this request: %1.").arg(reasons.join(QStringLiteral("; "))));
        return fail(tr("No enabled model in the chain can take about %1 input tokens.").arg(QLocale().toString(f.contextLength)));
    }
    const ModelConfig *first = m_config.model(candidates.takeFirst());
    if (first != chosen && !d.lastResort)
        d.why += QLatin1Char(' ') + tr("Using %1 instead.").arg(first->name);
    d.model = first->name;
    d.provider = first->provider;
    d.providerModel = first->id;
    d.fallback = candidates;
    return d;
}
