#include "ConfigWriter.h"

#include "ConfigLoader.h"

#include "Money.h"
#include "PrivateFiles.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSaveFile>

#include <yaml-cpp/yaml.h>

namespace {

std::string s(const QString &text)
{
    return text.toStdString();
}

const char *dayName(int day)
{
    static const char *names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    return names[std::clamp(day, 1, 7) - 1];
}

void writeRates(YAML::Emitter &out, const PriceRates &rates)
{
    out << YAML::Key << "input" << YAML::Value << s(Money::formatMicros(rates.input));
    if (rates.cachedInput >= 0)
        out << YAML::Key << "cached_input" << YAML::Value << s(Money::formatMicros(rates.cachedInput));
    out << YAML::Key << "output" << YAML::Value << s(Money::formatMicros(rates.output));
    if (rates.outputThinking >= 0)
        out << YAML::Key << "output_thinking" << YAML::Value << s(Money::formatMicros(rates.outputThinking));
}

void writeList(YAML::Emitter &out, const char *key, const QStringList &items)
{
    if (items.isEmpty())
        return;
    out << YAML::Key << key << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (const QString &item : items)
        out << s(item);
    out << YAML::EndSeq;
}

void writePrice(YAML::Emitter &out, const Price &price)
{
    out << YAML::Key << "price" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "currency" << YAML::Value << s(price.currency);
    writeRates(out, price.rates);
    if (price.asOf.isValid())
        out << YAML::Key << "as_of" << YAML::Value << s(price.asOf.toString(Qt::ISODate));
    if (!price.tiers.isEmpty()) {
        out << YAML::Key << "tiers" << YAML::Value << YAML::BeginSeq;
        for (const PriceTier &tier : price.tiers) {
            out << YAML::Flow << YAML::BeginMap << YAML::Key << "above" << YAML::Value << tier.aboveTokens;
            writeRates(out, tier.rates);
            out << YAML::EndMap;
        }
        out << YAML::EndSeq;
    }
    if (price.offPeak) {
        const OffPeak &o = *price.offPeak;
        out << YAML::Key << "off_peak" << YAML::Value << YAML::BeginMap;
        out << YAML::Key << "timezone" << YAML::Value << s(o.timeZone);
        out << YAML::Key << "windows" << YAML::Value << YAML::BeginSeq;
        for (const OffPeakWindow &w : o.windows) {
            out << YAML::Flow << YAML::BeginMap << YAML::Key << "days" << YAML::Value << YAML::Flow << YAML::BeginSeq;
            for (int day : w.days)
                out << dayName(day);
            out << YAML::EndSeq;
            out << YAML::Key << "from" << YAML::Value << YAML::DoubleQuoted << s(w.from.toString(QStringLiteral("HH:mm")));
            out << YAML::Key << "to" << YAML::Value << YAML::DoubleQuoted
                << (w.untilEndOfDay ? std::string("24:00") : s(w.to.toString(QStringLiteral("HH:mm"))));
            out << YAML::EndMap;
        }
        out << YAML::EndSeq;
        writeRates(out, o.rates);
        out << YAML::EndMap;
    }
    out << YAML::EndMap;
}

} // namespace

namespace ConfigWriter {

namespace {

void writeRoutes(YAML::Emitter &out, const QList<RouteConfig> &routes)
{
    out << YAML::Key << "routes" << YAML::Value << YAML::BeginSeq;
    for (const RouteConfig &r : routes) {
        out << YAML::BeginMap;
        if (!r.name.isEmpty())
            out << YAML::Key << "name" << YAML::Value << s(r.name);
        if (r.isDefault) {
            out << YAML::Key << "default" << YAML::Value << s(r.model);
        } else {
            out << YAML::Key << "match" << YAML::Value << s(r.match);
            out << YAML::Key << "model" << YAML::Value << s(r.model);
        }
        writeList(out, "fallback", r.fallback);
        out << YAML::EndMap;
    }
    out << YAML::EndSeq;
}

QByteArray write(const Config &config, bool withRoutes)
{
    YAML::Emitter out;
    out.SetIndent(2);
    out << YAML::Comment("Switchyard configuration. Settings writes this file; hand edits are read back "
                         "at once. The schema is in the README.")
        << YAML::Newline;
    out << YAML::BeginMap;

    out << YAML::Key << "providers" << YAML::Value << YAML::BeginSeq;
    for (const ProviderConfig &p : config.providers) {
        out << YAML::BeginMap;
        out << YAML::Key << "id" << YAML::Value << s(p.id);
        if (!p.displayName.isEmpty())
            out << YAML::Key << "name" << YAML::Value << s(p.displayName);
        out << YAML::Key << "dialect" << YAML::Value << s(dialectName(p.dialect));
        const auto region = std::find_if(p.regions.cbegin(), p.regions.cend(),
                                         [&](const ProviderRegion &r) { return r.name == p.region; });
        // With a region whose URL is the base URL, the region alone says it.
        if (region == p.regions.cend() || region->baseUrl != p.baseUrl)
            out << YAML::Key << "base_url" << YAML::Value << s(p.baseUrl.toString());
        if (!p.region.isEmpty())
            out << YAML::Key << "region" << YAML::Value << s(p.region);
        if (!p.regions.isEmpty()) {
            out << YAML::Key << "regions" << YAML::Value << YAML::BeginMap;
            for (const ProviderRegion &r : p.regions)
                out << YAML::Key << s(r.name) << YAML::Value << s(r.baseUrl.toString());
            out << YAML::EndMap;
        }
        if (!p.apiKeyEnv.isEmpty())
            out << YAML::Key << "api_key_env" << YAML::Value << s(p.apiKeyEnv);
        if (!p.streaming)
            out << YAML::Key << "streaming" << YAML::Value << false;
        if (!p.enabled)
            out << YAML::Key << "enabled" << YAML::Value << false;
        if (!p.proxy.isEmpty())
            out << YAML::Key << "proxy" << YAML::Value << s(p.proxy);
        if (!p.caFile.isEmpty())
            out << YAML::Key << "ca_file" << YAML::Value << s(p.caFile);
        out << YAML::EndMap;
    }
    out << YAML::EndSeq;

    out << YAML::Key << "models" << YAML::Value << YAML::BeginSeq;
    for (const ModelConfig &m : config.models) {
        out << YAML::BeginMap;
        out << YAML::Key << "name" << YAML::Value << s(m.name);
        out << YAML::Key << "provider" << YAML::Value << s(m.provider);
        out << YAML::Key << "id" << YAML::Value << s(m.id);
        writeList(out, "aliases", m.aliases);
        if (m.isEmbedding())
            out << YAML::Key << "kind" << YAML::Value << s(modelKindName(m.kind));
        if (!m.isEmbedding() || m.context > 0)
            out << YAML::Key << "context" << YAML::Value << m.context;
        if (m.maxInputs > 0)
            out << YAML::Key << "max_inputs" << YAML::Value << m.maxInputs;
        if (m.maxOutput > 0)
            out << YAML::Key << "max_output" << YAML::Value << m.maxOutput;
        if (m.vision)
            out << YAML::Key << "vision" << YAML::Value << true;
        if (m.reasoning)
            out << YAML::Key << "reasoning" << YAML::Value << true;
        if (m.tools)
            out << YAML::Key << "tools" << YAML::Value << true;
        if (m.structuredOutput)
            out << YAML::Key << "structured_output" << YAML::Value << s(structuredOutputName(*m.structuredOutput));
        if (m.forcedToolChoice)
            out << YAML::Key << "forced_tool_choice" << YAML::Value << *m.forcedToolChoice;
        if (m.parallelToolCalls)
            out << YAML::Key << "parallel_tool_calls" << YAML::Value << *m.parallelToolCalls;
        writeList(out, "fallback", m.fallback);
        if (m.price)
            writePrice(out, *m.price);
        out << YAML::EndMap;
    }
    out << YAML::EndSeq;

    if (!config.modelAliases.isEmpty()) {
        out << YAML::Key << "model_aliases" << YAML::Value << YAML::BeginSeq;
        for (const ModelAlias &a : config.modelAliases) {
            out << YAML::Flow << YAML::BeginMap;
            out << YAML::Key << "match" << YAML::Value << YAML::DoubleQuoted << s(a.match);
            out << YAML::Key << "model" << YAML::Value << s(a.model);
            out << YAML::EndMap;
        }
        out << YAML::EndSeq;
    }

    const FallbackSettings defaults;
    if (!(config.fallback == defaults)) {
        const FallbackSettings &f = config.fallback;
        out << YAML::Key << "fallback" << YAML::Value << YAML::BeginMap;
        writeList(out, "default", f.defaultChain);
        out << YAML::Key << "price_guard" << YAML::Value << f.priceGuard;
        out << YAML::Key << "retry_after_max" << YAML::Value << f.retryAfterMaxSeconds;
        out << YAML::Key << "retries" << YAML::Value << f.retries;
        out << YAML::Key << "backoff_ms" << YAML::Value << f.backoffMs;
        out << YAML::Key << "cooldown_after" << YAML::Value << f.cooldownAfter;
        out << YAML::Key << "cooldown_seconds" << YAML::Value << f.cooldownSeconds;
        if (f.stopOn.isEmpty())   // an empty list means "never stop": it must survive the trip
            out << YAML::Key << "stop_on" << YAML::Value << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
        else
            writeList(out, "stop_on", f.stopOn);
        out << YAML::EndMap;
    }

    if (!config.budgets.isEmpty()) {
        out << YAML::Key << "budgets" << YAML::Value << YAML::BeginSeq;
        for (const Budget &b : config.budgets) {
            out << YAML::BeginMap;
            out << YAML::Key << "currency" << YAML::Value << s(b.currency);
            out << YAML::Key << "monthly" << YAML::Value << s(Money::formatMicros(b.monthlyMicros));
            if (!b.provider.isEmpty())
                out << YAML::Key << "provider" << YAML::Value << s(b.provider);
            if (!b.member.isEmpty())
                out << YAML::Key << "member" << YAML::Value << s(b.member);
            out << YAML::EndMap;
        }
        out << YAML::EndSeq;
    }
    if (!config.currencyRates.display.isEmpty()) {
        const CurrencyRates &c = config.currencyRates;
        out << YAML::Key << "currency_rates" << YAML::Value << YAML::BeginMap;
        out << YAML::Key << "display" << YAML::Value << s(c.display);
        out << YAML::Key << "rates" << YAML::Value << YAML::BeginMap;
        for (auto it = c.microsPerUnit.cbegin(); it != c.microsPerUnit.cend(); ++it)
            out << YAML::Key << s(it.key()) << YAML::Value << s(Money::formatMicros(it.value()));
        out << YAML::EndMap << YAML::EndMap;
    }

    if (withRoutes)
        writeRoutes(out, config.routes);
    if (config.team.isSet()) {
        out << YAML::Key << "team" << YAML::Value << YAML::BeginMap;
        out << YAML::Key << "url" << YAML::Value << s(config.team.url);
        out << YAML::Key << "member" << YAML::Value << s(config.team.member);
        out << YAML::EndMap;
    }
    out << YAML::EndMap;
    return QByteArray(out.c_str()) + '\n';
}

} // namespace

QByteArray toYaml(const Config &config)
{
    return write(config, true);
}

QByteArray toYamlWithoutRoutes(const Config &config)
{
    return write(config, false);
}

QByteArray routesToYaml(const QList<RouteConfig> &routes)
{
    YAML::Emitter out;
    out.SetIndent(2);
    out << YAML::BeginMap;
    writeRoutes(out, routes);
    out << YAML::EndMap;
    return QByteArray(out.c_str()) + '\n';
}

QByteArray teamSections(const Config &config, bool personalRoutes)
{
    const YAML::Node all = YAML::Load(toYaml(config).toStdString());
    YAML::Node shared(YAML::NodeType::Map);
    for (const QString &key : ConfigLoader::teamSections()) {
        const std::string k = key.toStdString();
        if (all[k].IsDefined())
            shared[k] = all[k];
    }
    if (personalRoutes)
        shared["personal_routes"] = true;
    YAML::Emitter out;
    out.SetIndent(2);
    out << shared;
    return QByteArray(out.c_str()) + '\n';
}

bool save(const Config &config, const QString &path, QString *error)
{
    PrivateFiles::makeFolder(QFileInfo(path).absolutePath());
    QSaveFile file(path);
    const QByteArray text = toYaml(config);
    const bool opened = file.open(QIODevice::WriteOnly);
    if (opened)   // the new file takes the old one's mode, or the umask's; it is its user's alone
        file.setPermissions(PrivateFiles::FilePermissions);
    if (!opened || file.write(text) != text.size() || !file.commit()) {
        *error = QCoreApplication::translate("ConfigWriter", "Cannot save %1: %2. The file was left as it was.")
                     .arg(QDir::toNativeSeparators(path), file.errorString());
        return false;
    }
    return true;
}

} // namespace ConfigWriter
