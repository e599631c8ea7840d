#include "ConfigLoader.h"

#include "Money.h"

#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QTimeZone>

#include <yaml-cpp/yaml.h>

#include <algorithm>

QString ConfigDiagnostic::toString() const
{
    if (line <= 0)
        return message;
    if (column <= 0)
        return ConfigLoader::tr("line %1: %2").arg(line).arg(message);
    return ConfigLoader::tr("line %1, column %2: %3").arg(line).arg(column).arg(message);
}

QList<ConfigDiagnostic> ConfigLoadResult::errors() const
{
    QList<ConfigDiagnostic> out;
    std::copy_if(diagnostics.cbegin(), diagnostics.cend(), std::back_inserter(out),
                 [](const ConfigDiagnostic &d) { return d.severity == ConfigDiagnostic::Severity::Error; });
    return out;
}

QList<ConfigDiagnostic> ConfigLoadResult::warnings() const
{
    QList<ConfigDiagnostic> out;
    std::copy_if(diagnostics.cbegin(), diagnostics.cend(), std::back_inserter(out),
                 [](const ConfigDiagnostic &d) { return d.severity == ConfigDiagnostic::Severity::Warning; });
    return out;
}

QString ConfigLoadResult::errorSummary(const QString &sourceName) const
{
    const QList<ConfigDiagnostic> errs = errors();
    if (errs.isEmpty())
        return QString();
    QString text = sourceName.isEmpty() ? errs.first().toString() : sourceName + QStringLiteral(", ") + errs.first().toString();
    if (errs.size() > 1)
        text += QLatin1Char(' ') + ConfigLoader::tr("(more problems in the file: %1)").arg(errs.size() - 1);
    return text;
}

namespace {

QString str(const std::string &s)
{
    return QString::fromStdString(s);
}

SourcePos posOf(const YAML::Node &node)
{
    if (!node.IsDefined())
        return {};
    const YAML::Mark mark = node.Mark();
    if (mark.is_null())
        return {};
    return {mark.line + 1, mark.column + 1};
}

QString typeName(const YAML::Node &node)
{
    switch (node.Type()) {
    case YAML::NodeType::Map: return ConfigLoader::tr("a mapping");
    case YAML::NodeType::Sequence: return ConfigLoader::tr("a list");
    case YAML::NodeType::Scalar: return ConfigLoader::tr("a single value");
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined: break;
    }
    return ConfigLoader::tr("nothing");
}

// Walks the document and collects diagnostics; never throws.
class Reader
{
public:
    QList<ConfigDiagnostic> diagnostics;
    QStringList sourceLines;

    QString sourceLine(int line) const { return sourceLines.value(line - 1); }

    void error(const YAML::Node &at, const QString &message) { add(ConfigDiagnostic::Severity::Error, posOf(at), message); }
    void error(SourcePos at, const QString &message) { add(ConfigDiagnostic::Severity::Error, at, message); }
    void warning(const YAML::Node &at, const QString &message) { add(ConfigDiagnostic::Severity::Warning, posOf(at), message); }

    bool hasErrors() const
    {
        return std::any_of(diagnostics.cbegin(), diagnostics.cend(),
                           [](const ConfigDiagnostic &d) { return d.severity == ConfigDiagnostic::Severity::Error; });
    }

    // Warns about keys of `map` that are not in `known` (a typo would otherwise be silently ignored).
    void checkKeys(const YAML::Node &map, const QString &where, std::initializer_list<const char *> known)
    {
        for (auto it = map.begin(); it != map.end(); ++it) {
            const std::string key = it->first.Scalar();
            const bool isKnown = std::any_of(known.begin(), known.end(), [&](const char *k) { return key == k; });
            if (!isKnown)
                warning(it->first, ConfigLoader::tr("unknown key \"%1\" in %2 is ignored").arg(str(key), where));
        }
    }

    bool expectMap(const YAML::Node &node, const QString &what)
    {
        if (node.IsMap())
            return true;
        error(node, ConfigLoader::tr("%1 must be a mapping of keys to values, found %2")
                        .arg(what, typeName(node)));
        return false;
    }

    bool expectSequence(const YAML::Node &node, const QString &what)
    {
        if (node.IsSequence())
            return true;
        error(node, ConfigLoader::tr("%1 must be a list, found %2").arg(what, typeName(node)));
        return false;
    }

    std::optional<QString> string(const YAML::Node &map, const char *key, const QString &where, bool required)
    {
        const YAML::Node node = map[key];
        if (!node.IsDefined() || node.IsNull()) {
            if (required)
                error(map, ConfigLoader::tr("%1 needs \"%2\"").arg(where, QLatin1String(key)));
            return std::nullopt;
        }
        if (!node.IsScalar()) {
            error(node, ConfigLoader::tr("\"%1\" in %2 must be a single value, found %3")
                            .arg(QLatin1String(key), where, typeName(node)));
            return std::nullopt;
        }
        const QString value = str(node.Scalar()).trimmed();
        if (value.isEmpty() && required) {
            error(node, ConfigLoader::tr("\"%1\" in %2 must not be empty").arg(QLatin1String(key), where));
            return std::nullopt;
        }
        return value;
    }

    // A name or id goes on into headers, logs and the ledger: refused, at its line and column,
    // when Config::nameProblem says so.
    bool checkName(const YAML::Node &at, const QString &value, const QString &what)
    {
        const QString problem = Config::nameProblem(value);
        if (problem.isEmpty())
            return true;
        error(at, ConfigLoader::tr("%1: %2").arg(what, problem));
        return false;
    }

    // string(), for a name or id; std::nullopt for one that may not be used, so no later message
    // quotes it.
    std::optional<QString> name(const YAML::Node &map, const char *key, const QString &where, bool required)
    {
        std::optional<QString> value = string(map, key, where, required);
        if (value && !checkName(map[key], *value, ConfigLoader::tr("\"%1\" in %2").arg(QLatin1String(key), where)))
            return std::nullopt;
        return value;
    }

    std::optional<bool> boolean(const YAML::Node &map, const char *key, const QString &where)
    {
        const YAML::Node node = map[key];
        if (!node.IsDefined() || node.IsNull())
            return std::nullopt;
        const QString v = node.IsScalar() ? str(node.Scalar()).toLower() : QString();
        if (v == u"true" || v == u"yes" || v == u"on")
            return true;
        if (v == u"false" || v == u"no" || v == u"off")
            return false;
        error(node, ConfigLoader::tr("\"%1\" in %2 must be true or false").arg(QLatin1String(key), where));
        return std::nullopt;
    }

    std::optional<qint64> count(const YAML::Node &map, const char *key, const QString &where, bool required)
    {
        const YAML::Node node = map[key];
        if (!node.IsDefined() || node.IsNull()) {
            if (required)
                error(map, ConfigLoader::tr("%1 needs \"%2\"").arg(where, QLatin1String(key)));
            return std::nullopt;
        }
        bool ok = false;
        const qint64 value = node.IsScalar() ? str(node.Scalar()).toLongLong(&ok) : 0;
        if (!ok || value <= 0) {
            error(node, ConfigLoader::tr("\"%1\" in %2 must be a whole number above zero")
                            .arg(QLatin1String(key), where));
            return std::nullopt;
        }
        return value;
    }

    // A price per 1M tokens, as exact micro-units.
    std::optional<qint64> money(const YAML::Node &map, const char *key, const QString &where, bool required)
    {
        const YAML::Node node = map[key];
        if (!node.IsDefined() || node.IsNull()) {
            if (required)
                error(map, ConfigLoader::tr("%1 needs \"%2\"").arg(where, QLatin1String(key)));
            return std::nullopt;
        }
        const std::optional<qint64> micros = node.IsScalar() ? Money::parseMicros(str(node.Scalar())) : std::nullopt;
        if (!micros || *micros < 0) {
            error(node, ConfigLoader::tr("\"%1\" in %2 must be a price such as 0.435 (at most six decimals, "
                                         "not negative)")
                            .arg(QLatin1String(key), where));
            return std::nullopt;
        }
        return micros;
    }

    QStringList stringList(const YAML::Node &map, const char *key, const QString &where)
    {
        QStringList out;
        const YAML::Node node = map[key];
        if (!node.IsDefined() || node.IsNull())
            return out;
        const QString what = ConfigLoader::tr("\"%1\" in %2").arg(QLatin1String(key), where);
        if (node.IsScalar()) {   // `fallback: deepseek-flash` is read as a list of one
            if (checkName(node, str(node.Scalar()).trimmed(), what))
                out << str(node.Scalar()).trimmed();
            return out;
        }
        if (!expectSequence(node, what))
            return out;
        for (const YAML::Node &item : node) {
            if (!item.IsScalar() || str(item.Scalar()).trimmed().isEmpty()) {
                error(item, ConfigLoader::tr("each entry of \"%1\" in %2 must be a name").arg(QLatin1String(key), where));
                continue;
            }
            if (checkName(item, str(item.Scalar()).trimmed(), what))
                out << str(item.Scalar()).trimmed();
        }
        return out;
    }

private:
    void add(ConfigDiagnostic::Severity severity, SourcePos at, const QString &message)
    {
        // A message may quote a value from the file; a control character in it would reach a
        // terminal or a label as is.
        QString shown = message;
        for (qsizetype i = Config::controlCharacterAt(shown); i >= 0; i = Config::controlCharacterAt(shown))
            shown[i] = QChar::ReplacementCharacter;
        diagnostics.append({severity, at.line, at.column, shown});
    }
};

bool isIdentifier(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]*$"));
    return re.match(text).hasMatch();
}

std::optional<QUrl> httpUrl(Reader &r, const YAML::Node &node, const QString &text, const QString &where)
{
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https") || url.host().isEmpty()) {
        r.error(node, ConfigLoader::tr("the base URL of %1 must start with http:// or https://, found \"%2\"")
                          .arg(where, text));
        return std::nullopt;
    }
    return url;
}

void readProvider(Reader &r, const YAML::Node &node, int index, Config &config)
{
    const QString where = ConfigLoader::tr("provider %1").arg(index + 1);
    if (!r.expectMap(node, where))
        return;
    r.checkKeys(node, where, {"id", "name", "dialect", "base_url", "api_key_env", "streaming", "enabled", "region", "regions",
                              "proxy", "ca_file"});

    ProviderConfig p;
    p.pos = posOf(node);
    if (auto id = r.name(node, "id", where, true)) {
        if (!isIdentifier(*id))
            r.error(node["id"], ConfigLoader::tr("provider id \"%1\" may use only letters, digits, '.', '_' and '-'").arg(*id));
        else if (config.provider(*id))
            r.error(node["id"], ConfigLoader::tr("provider id \"%1\" is used twice").arg(*id));
        p.id = *id;
    }
    const QString named = p.id.isEmpty() ? where : ConfigLoader::tr("provider \"%1\"").arg(p.id);
    p.displayName = r.name(node, "name", named, false).value_or(QString());
    if (auto dialect = r.string(node, "dialect", named, true)) {
        if (auto d = dialectFromString(*dialect))
            p.dialect = *d;
        else
            r.error(node["dialect"], ConfigLoader::tr("unknown dialect \"%1\" for %2; use deepseek, moonshot, minimax, "
                                                      "dashscope, openrouter or openai")
                                         .arg(*dialect, named));
    }
    if (auto env = r.string(node, "api_key_env", named, false)) {
        static const QRegularExpression envName(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
        if (!envName.match(*env).hasMatch())
            r.error(node["api_key_env"], ConfigLoader::tr("\"api_key_env\" of %1 must be the name of an environment "
                                                          "variable, such as DEEPSEEK_API_KEY")
                                             .arg(named));
        p.apiKeyEnv = *env;
    }
    p.streaming = r.boolean(node, "streaming", named).value_or(true);
    p.enabled = r.boolean(node, "enabled", named).value_or(true);
    if (auto proxy = r.string(node, "proxy", named, false)) {
        const QUrl url(*proxy);
        const QString scheme = url.scheme();
        if (*proxy != u"direct" && (!url.isValid() || url.host().isEmpty()
                                    || !(scheme == u"http" || scheme == u"socks5" || scheme == u"socks5h")))
            r.error(node["proxy"], ConfigLoader::tr("\"proxy\" of %1 must be \"direct\" or a URL such as "
                                                    "http://proxy.example:3128 or socks5://127.0.0.1:1080")
                                       .arg(named));
        else if (!url.password().isEmpty())
            r.error(node["proxy"], ConfigLoader::tr("\"proxy\" of %1 holds a password; config.yaml never keeps one. "
                                                    "Give the proxy in HTTPS_PROXY instead.")
                                       .arg(named));
        p.proxy = *proxy;
    }
    p.caFile = r.string(node, "ca_file", named, false).value_or(QString());

    const YAML::Node regions = node["regions"];
    if (regions.IsDefined() && !regions.IsNull() && r.expectMap(regions, ConfigLoader::tr("\"regions\" of %1").arg(named))) {
        for (auto it = regions.begin(); it != regions.end(); ++it) {
            const QString name = str(it->first.Scalar());
            if (!r.checkName(it->first, name, ConfigLoader::tr("a region of %1").arg(named)))
                continue;
            if (!it->second.IsScalar()) {
                r.error(it->second, ConfigLoader::tr("region \"%1\" of %2 must be a URL").arg(name, named));
                continue;
            }
            if (auto url = httpUrl(r, it->second, str(it->second.Scalar()), named))
                p.regions.append({name, *url});
        }
    }
    p.region = r.name(node, "region", named, false).value_or(QString());
    const auto regionIt = std::find_if(p.regions.cbegin(), p.regions.cend(),
                                       [&](const ProviderRegion &reg) { return reg.name == p.region; });
    if (!p.region.isEmpty() && regionIt == p.regions.cend())
        r.error(node["region"], ConfigLoader::tr("region \"%1\" of %2 is not one of its \"regions\"").arg(p.region, named));

    if (auto base = r.string(node, "base_url", named, regionIt == p.regions.cend())) {
        if (auto url = httpUrl(r, node["base_url"], *base, named))
            p.baseUrl = *url;
    } else if (regionIt != p.regions.cend()) {
        p.baseUrl = regionIt->baseUrl;
    }
    config.providers.append(p);
}

// `inputOnly`: an embedding model's price, billed on input alone (`output` optional, 0 when left out).
std::optional<PriceRates> readRates(Reader &r, const YAML::Node &node, const QString &where, bool inputOnly)
{
    PriceRates rates;
    const auto input = r.money(node, "input", where, true);
    const auto output = inputOnly ? std::optional<qint64>(r.money(node, "output", where, false).value_or(0))
                                  : r.money(node, "output", where, true);
    rates.cachedInput = r.money(node, "cached_input", where, false).value_or(-1);
    rates.outputThinking = r.money(node, "output_thinking", where, false).value_or(-1);
    if (!input || !output)
        return std::nullopt;
    rates.input = *input;
    rates.output = *output;
    return rates;
}

std::optional<QTime> clockTime(Reader &r, const YAML::Node &node, const QString &where, bool *endOfDay)
{
    const QString text = node.IsScalar() ? str(node.Scalar()).trimmed() : QString();
    if (endOfDay)
        *endOfDay = false;
    if (endOfDay && text == u"24:00") {
        *endOfDay = true;
        return QTime();
    }
    const QTime t = QTime::fromString(text, QStringLiteral("HH:mm"));
    if (!t.isValid()) {
        r.error(node, ConfigLoader::tr("%1 must be a time such as \"08:30\"").arg(where));
        return std::nullopt;
    }
    return t;
}

std::optional<OffPeak> readOffPeak(Reader &r, const YAML::Node &node, const QString &where, bool inputOnly)
{
    if (!r.expectMap(node, where))
        return std::nullopt;
    r.checkKeys(node, where, {"timezone", "windows", "input", "cached_input", "output", "output_thinking"});
    OffPeak offPeak;
    if (auto tz = r.string(node, "timezone", where, true)) {
        if (!QTimeZone(tz->toUtf8()).isValid())
            r.error(node["timezone"], ConfigLoader::tr("unknown time zone \"%1\" in %2; use an IANA name such as "
                                                       "Asia/Shanghai")
                                          .arg(*tz, where));
        offPeak.timeZone = *tz;
    }
    const YAML::Node windows = node["windows"];
    if (!windows.IsDefined() || windows.IsNull()) {
        r.error(node, ConfigLoader::tr("%1 needs \"windows\"").arg(where));
    } else if (r.expectSequence(windows, ConfigLoader::tr("\"windows\" in %1").arg(where))) {
        static const QStringList dayNames = {QStringLiteral("mon"), QStringLiteral("tue"), QStringLiteral("wed"),
                                             QStringLiteral("thu"), QStringLiteral("fri"), QStringLiteral("sat"),
                                             QStringLiteral("sun")};
        for (const YAML::Node &w : windows) {
            const QString wWhere = ConfigLoader::tr("an off-peak window of %1").arg(where);
            if (!r.expectMap(w, wWhere))
                continue;
            r.checkKeys(w, wWhere, {"days", "from", "to"});
            OffPeakWindow window;
            const QStringList days = r.stringList(w, "days", wWhere);
            for (const QString &day : days) {
                const qsizetype i = dayNames.indexOf(day.toLower().left(3));
                if (i < 0)
                    r.error(w["days"], ConfigLoader::tr("unknown day \"%1\" in %2; use mon, tue, … sun").arg(day, wWhere));
                else
                    window.days.append(int(i) + 1);
            }
            if (window.days.isEmpty())
                window.days = {1, 2, 3, 4, 5, 6, 7};
            if (!w["from"].IsDefined() || !w["to"].IsDefined()) {
                r.error(w, ConfigLoader::tr("%1 needs \"from\" and \"to\"").arg(wWhere));
                continue;
            }
            const auto from = clockTime(r, w["from"], ConfigLoader::tr("\"from\" in %1").arg(wWhere), nullptr);
            const auto to = clockTime(r, w["to"], ConfigLoader::tr("\"to\" in %1").arg(wWhere), &window.untilEndOfDay);
            if (!from || !to)
                continue;
            window.from = *from;
            window.to = *to;
            if (!window.untilEndOfDay && window.to <= window.from)
                r.error(w, ConfigLoader::tr("%1 ends before it starts").arg(wWhere));
            offPeak.windows.append(window);
        }
    }
    if (auto rates = readRates(r, node, where, inputOnly))
        offPeak.rates = *rates;
    return offPeak;
}

std::optional<Price> readPrice(Reader &r, const YAML::Node &node, const QString &where, bool inputOnly)
{
    if (!r.expectMap(node, where))
        return std::nullopt;
    r.checkKeys(node, where, {"currency", "input", "cached_input", "output", "output_thinking", "as_of", "tiers", "off_peak"});
    Price price;
    if (auto currency = r.string(node, "currency", where, true)) {
        if (!Money::isCurrencyCode(*currency))
            r.error(node["currency"], ConfigLoader::tr("currency of %1 must be a three-letter code such as USD or CNY")
                                          .arg(where));
        price.currency = *currency;
    }
    if (auto rates = readRates(r, node, where, inputOnly))
        price.rates = *rates;
    if (auto asOf = r.string(node, "as_of", where, false)) {
        price.asOf = QDate::fromString(*asOf, Qt::ISODate);
        if (!price.asOf.isValid())
            r.error(node["as_of"], ConfigLoader::tr("\"as_of\" of %1 must be a date such as 2026-11-15").arg(where));
    }
    const YAML::Node tiers = node["tiers"];
    if (tiers.IsDefined() && !tiers.IsNull() && r.expectSequence(tiers, ConfigLoader::tr("\"tiers\" of %1").arg(where))) {
        qint64 previous = 0;
        for (const YAML::Node &t : tiers) {
            const QString tWhere = ConfigLoader::tr("a price tier of %1").arg(where);
            if (!r.expectMap(t, tWhere))
                continue;
            r.checkKeys(t, tWhere, {"above", "input", "cached_input", "output", "output_thinking"});
            const auto above = r.count(t, "above", tWhere, true);
            const auto rates = readRates(r, t, tWhere, inputOnly);
            if (!above || !rates)
                continue;
            if (*above <= previous)
                r.error(t["above"], ConfigLoader::tr("price tiers of %1 must be in ascending order of \"above\"").arg(where));
            previous = *above;
            price.tiers.append({*above, *rates});
        }
    }
    const YAML::Node offPeak = node["off_peak"];
    if (offPeak.IsDefined() && !offPeak.IsNull())
        price.offPeak = readOffPeak(r, offPeak, ConfigLoader::tr("\"off_peak\" of %1").arg(where), inputOnly);
    return price;
}

void readModel(Reader &r, const YAML::Node &node, int index, Config &config)
{
    const QString where = ConfigLoader::tr("model %1").arg(index + 1);
    if (!r.expectMap(node, where))
        return;
    r.checkKeys(node, where, {"name", "provider", "id", "context", "max_output", "vision", "reasoning", "tools",
                              "structured_output", "forced_tool_choice", "parallel_tool_calls", "price", "aliases",
                              "fallback", "kind", "max_inputs"});
    ModelConfig m;
    m.pos = posOf(node);
    if (auto name = r.name(node, "name", where, true)) {
        if (config.model(*name))
            r.error(node["name"], ConfigLoader::tr("model name \"%1\" is used twice").arg(*name));
        m.name = *name;
    }
    const QString named = m.name.isEmpty() ? where : ConfigLoader::tr("model \"%1\"").arg(m.name);
    if (auto provider = r.name(node, "provider", named, true)) {
        if (!config.provider(*provider))
            r.error(node["provider"], ConfigLoader::tr("%1 names provider \"%2\", which is not in \"providers\"")
                                          .arg(named, *provider));
        m.provider = *provider;
    }
    m.id = r.name(node, "id", named, true).value_or(QString());
    if (auto kind = r.string(node, "kind", named, false)) {
        if (auto k = modelKindFromString(*kind))
            m.kind = *k;
        else
            r.error(node["kind"], ConfigLoader::tr("\"kind\" of %1 must be chat or embedding").arg(named));
    }
    // An embedding model's context is the tokens one input may hold: optional, the provider checks it.
    m.context = r.count(node, "context", named, !m.isEmbedding()).value_or(0);
    if (auto inputs = r.count(node, "max_inputs", named, false)) {
        if (!m.isEmbedding())
            r.error(node["max_inputs"], ConfigLoader::tr("\"max_inputs\" of %1 is for embedding models (kind: embedding)")
                                            .arg(named));
        else if (*inputs > 2048)
            r.error(node["max_inputs"], ConfigLoader::tr("\"max_inputs\" of %1 must be at most 2048").arg(named));
        else
            m.maxInputs = int(*inputs);
    }
    m.maxOutput = r.count(node, "max_output", named, false).value_or(0);
    m.vision = r.boolean(node, "vision", named).value_or(false);
    m.reasoning = r.boolean(node, "reasoning", named).value_or(false);
    m.tools = r.boolean(node, "tools", named).value_or(false);
    if (auto so = r.string(node, "structured_output", named, false)) {
        m.structuredOutput = structuredOutputFromString(*so);
        if (!m.structuredOutput)
            r.error(node["structured_output"], ConfigLoader::tr("\"structured_output\" of %1 must be json_schema, "
                                                                "json_object or none")
                                                   .arg(named));
    }
    m.forcedToolChoice = r.boolean(node, "forced_tool_choice", named);
    m.parallelToolCalls = r.boolean(node, "parallel_tool_calls", named);
    m.aliases = r.stringList(node, "aliases", named);
    for (const QString &alias : std::as_const(m.aliases)) {
        if (alias == m.name || config.model(alias))
            r.error(node["aliases"], ConfigLoader::tr("alias \"%1\" of %2 is already the name of a model or another "
                                                      "alias")
                                         .arg(alias, named));
    }
    m.fallback = r.stringList(node, "fallback", named);
    const YAML::Node price = node["price"];
    if (price.IsDefined() && !price.IsNull())
        m.price = readPrice(r, price, ConfigLoader::tr("the price of %1").arg(named), m.isEmbedding());
    config.models.append(m);
}

void readRoute(Reader &r, const YAML::Node &node, int index, Config &config)
{
    const QString where = ConfigLoader::tr("route %1").arg(index + 1);
    if (!r.expectMap(node, where))
        return;
    r.checkKeys(node, where, {"name", "match", "model", "fallback", "default"});
    RouteConfig route;
    route.pos = posOf(node);
    route.name = r.name(node, "name", where, false).value_or(QString());
    route.fallback = r.stringList(node, "fallback", where);
    if (node["default"].IsDefined()) {
        route.isDefault = true;
        if (node["match"].IsDefined())
            r.error(node["match"], ConfigLoader::tr("%1 has both \"default\" and \"match\"; a default route matches "
                                                    "everything")
                                       .arg(where));
        if (node["model"].IsDefined())
            r.error(node["model"], ConfigLoader::tr("%1 has both \"default\" and \"model\"; write the model after "
                                                    "\"default:\"")
                                       .arg(where));
        route.model = r.name(node, "default", where, true).value_or(QString());
    } else {
        if (auto match = r.string(node, "match", where, true)) {
            route.match = *match;
            route.matchPos = posOf(node["match"]);
            RouteExpression::Error e;
            route.expression = RouteExpression::parse(*match, &e);
            if (!route.expression) {
                // Exact columns for a one-line plain or simply quoted rule; for block scalars,
                // folded lines or escapes the text no longer lines up with the file: name the line.
                const QString raw = r.sourceLine(route.matchPos.line).mid(route.matchPos.column - 1);
                const bool quoted = raw.startsWith(u'"') || raw.startsWith(u'\'');
                const bool exact = !match->contains(u'\n') && !raw.startsWith(u'|') && !raw.startsWith(u'>')
                                   && (!quoted || raw.mid(1).startsWith(*match));
                SourcePos at {route.matchPos.line, 0};
                if (exact)
                    at.column = route.matchPos.column + (quoted ? 1 : 0) + e.column - 1;
                r.error(at, ConfigLoader::tr("in the rule of %1: %2").arg(where, e.message));
            }
        }
        route.model = r.name(node, "model", where, true).value_or(QString());
    }
    const ModelConfig *routed = route.model.isEmpty() ? nullptr : config.model(route.model);
    if (!route.model.isEmpty() && !routed)
        r.error(route.isDefault ? node["default"] : node["model"],
                ConfigLoader::tr("%1 names model \"%2\", which is not in \"models\"").arg(where, route.model));
    else if (routed && routed->isEmbedding())
        r.error(route.isDefault ? node["default"] : node["model"],
                ConfigLoader::tr("%1 names model \"%2\", an embedding model; routes choose chat models").arg(where, route.model));
    config.routes.append(route);
}

void readFallbackSettings(Reader &r, const YAML::Node &node, Config &config)
{
    const QString where = ConfigLoader::tr("\"fallback\"");
    if (!r.expectMap(node, where))
        return;
    r.checkKeys(node, where, {"default", "price_guard", "retry_after_max", "retries", "backoff_ms", "cooldown_after",
                              "cooldown_seconds", "stop_on"});
    FallbackSettings &f = config.fallback;
    f.defaultChain = r.stringList(node, "default", where);
    for (const QString &name : std::as_const(f.defaultChain)) {
        const ModelConfig *m = config.model(name);
        if (!m)
            r.error(node["default"], ConfigLoader::tr("fallback \"%1\" is not the name of a model in \"models\"").arg(name));
        else if (m->isEmbedding())
            r.error(node["default"], ConfigLoader::tr("fallback \"%1\" is an embedding model; the default chain is for "
                                                      "chat models")
                                         .arg(name));
    }
    if (node["price_guard"].IsDefined()) {
        bool ok = false;
        const double guard = QString::fromStdString(node["price_guard"].Scalar()).toDouble(&ok);
        if (!ok || guard < 1.0)
            r.error(node["price_guard"], ConfigLoader::tr("\"price_guard\" must be a number of at least 1, such as 3"));
        else
            f.priceGuard = guard;
    }
    auto whole = [&](const char *key, int *out, int minimum, int maximum) {
        const YAML::Node v = node[key];
        if (!v.IsDefined() || v.IsNull())
            return;
        bool ok = false;
        const int value = v.IsScalar() ? QString::fromStdString(v.Scalar()).toInt(&ok) : 0;
        if (!ok || value < minimum || value > maximum)
            r.error(v, ConfigLoader::tr("\"%1\" in %2 must be a whole number from %3 to %4")
                           .arg(QLatin1String(key), where)
                           .arg(minimum)
                           .arg(maximum));
        else
            *out = value;
    };
    whole("retry_after_max", &f.retryAfterMaxSeconds, 0, 600);
    whole("retries", &f.retries, 0, 10);
    whole("backoff_ms", &f.backoffMs, 0, 60000);
    whole("cooldown_after", &f.cooldownAfter, 1, 1000);
    whole("cooldown_seconds", &f.cooldownSeconds, 0, 86400);
    if (node["stop_on"].IsDefined()) {
        f.stopOn = r.stringList(node, "stop_on", where);
        static const QStringList allowed = {QStringLiteral("auth"), QStringLiteral("balance"), QStringLiteral("content_filter"),
                                            QStringLiteral("bad_request"), QStringLiteral("context_overflow"),
                                            QStringLiteral("rate_limit"), QStringLiteral("overloaded"), QStringLiteral("server"),
                                            QStringLiteral("network"), QStringLiteral("tls"), QStringLiteral("timeout")};
        for (const QString &c : std::as_const(f.stopOn)) {
            if (!allowed.contains(c))
                r.error(node["stop_on"], ConfigLoader::tr("unknown error class \"%1\" in \"stop_on\"; use %2")
                                             .arg(c, allowed.join(QStringLiteral(", "))));
        }
    }
}

void readBudgets(Reader &r, const YAML::Node &list, Config &config)
{
    if (!r.expectSequence(list, ConfigLoader::tr("\"budgets\"")))
        return;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const YAML::Node node = list[i];
        const QString where = ConfigLoader::tr("budget %1").arg(i + 1);
        if (!r.expectMap(node, where))
            continue;
        r.checkKeys(node, where, {"currency", "monthly", "provider", "member"});
        Budget b;
        if (auto currency = r.string(node, "currency", where, true)) {
            if (!Money::isCurrencyCode(*currency))
                r.error(node["currency"], ConfigLoader::tr("\"currency\" in %1 must be a code such as USD or CNY").arg(where));
            b.currency = *currency;
        }
        if (auto monthly = r.money(node, "monthly", where, true)) {
            if (*monthly == 0)
                r.error(node["monthly"], ConfigLoader::tr("\"monthly\" in %1 must be above zero").arg(where));
            b.monthlyMicros = *monthly;
        }
        if (auto provider = r.name(node, "provider", where, false)) {
            if (!provider->isEmpty() && !config.provider(*provider))
                r.error(node["provider"], ConfigLoader::tr("\"%1\" in %2 is not the id of a provider in \"providers\"")
                                              .arg(*provider, where));
            b.provider = *provider;
        }
        if (auto member = r.name(node, "member", where, false))
            b.member = *member;
        for (const Budget &other : std::as_const(config.budgets)) {
            if (other.currency == b.currency && other.provider == b.provider && other.member == b.member)
                r.error(node, ConfigLoader::tr("%1 repeats an earlier budget for the same currency and provider").arg(where));
        }
        config.budgets.append(b);
    }
}

void readTeam(Reader &r, const YAML::Node &node, Config &config)
{
    const QString where = ConfigLoader::tr("\"team\"");
    if (!r.expectMap(node, where))
        return;
    r.checkKeys(node, where, {"url", "member"});
    if (auto url = r.string(node, "url", where, true)) {
        const QUrl parsed(*url, QUrl::StrictMode);
        if (!parsed.isValid() || (parsed.scheme() != u"postgresql" && parsed.scheme() != u"postgres") || parsed.host().isEmpty())
            r.error(node["url"], ConfigLoader::tr("\"url\" in %1 must be a PostgreSQL address such as "
                                                  "postgresql://alice@db.example.com:5432/switchyard?sslmode=verify-full")
                                     .arg(where));
        else if (!parsed.password().isEmpty())
            r.error(node["url"], ConfigLoader::tr("\"url\" in %1 holds a password; remove it from the file and keep it in "
                                                  "the keychain instead (switchyard keys set team)")
                                     .arg(where));
        config.team.url = *url;
    }
    if (auto member = r.name(node, "member", where, false))
        config.team.member = *member;
    if (config.team.member.isEmpty())   // the database user is the member unless told otherwise
        config.team.member = QUrl(config.team.url).userName();
    if (config.team.member.isEmpty())
        r.error(node, ConfigLoader::tr("%1 needs \"member\", the name your calls go under in the team ledger").arg(where));
}

void readCurrencyRates(Reader &r, const YAML::Node &node, Config &config)
{
    const QString where = ConfigLoader::tr("\"currency_rates\"");
    if (!r.expectMap(node, where))
        return;
    r.checkKeys(node, where, {"display", "rates"});
    CurrencyRates &c = config.currencyRates;
    if (auto display = r.string(node, "display", where, true)) {
        if (!Money::isCurrencyCode(*display))
            r.error(node["display"], ConfigLoader::tr("\"display\" in %1 must be a code such as USD or CNY").arg(where));
        c.display = *display;
    }
    const YAML::Node rates = node["rates"];
    if (!rates.IsDefined() || rates.IsNull()) {
        r.error(node, ConfigLoader::tr("%1 needs \"rates\", such as \"rates: {CNY: 0.138}\"").arg(where));
        return;
    }
    if (!r.expectMap(rates, ConfigLoader::tr("\"rates\" in %1").arg(where)))
        return;
    for (auto it = rates.begin(); it != rates.end(); ++it) {
        const QString code = str(it->first.Scalar());
        if (!Money::isCurrencyCode(code)) {
            r.error(it->first, ConfigLoader::tr("\"%1\" in \"rates\" is not a currency code such as CNY").arg(code));
            continue;
        }
        const std::optional<qint64> micros =
            it->second.IsScalar() ? Money::parseMicros(str(it->second.Scalar())) : std::nullopt;
        if (!micros || *micros <= 0) {
            r.error(it->second, ConfigLoader::tr("the rate for %1 must be what one %1 is worth in %2, such as 0.138")
                                    .arg(code, c.display));
            continue;
        }
        c.microsPerUnit.insert(code, *micros);
    }
}

// model_aliases: names clients send (claude-…, tier names) → a model or auto, first match wins.
void readModelAliases(Reader &r, const YAML::Node &list, Config &config)
{
    if (!r.expectSequence(list, ConfigLoader::tr("\"model_aliases\"")))
        return;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const YAML::Node node = list[i];
        const QString where = ConfigLoader::tr("model alias %1").arg(i + 1);
        if (!r.expectMap(node, where))
            continue;
        r.checkKeys(node, where, {"match", "model"});
        ModelAlias alias;
        alias.pos = posOf(node);
        if (auto match = r.name(node, "match", where, true)) {
            alias.match = *match;
            alias.pattern = ModelAlias::compile(*match);
            if (!alias.pattern.isValid())
                r.error(node["match"], ConfigLoader::tr("\"match\" in %1 is not a pattern that can be read (%2); use * and ? "
                                                        "as in \"claude-*-haiku-*\"")
                                           .arg(where, alias.pattern.errorString()));
        }
        if (auto model = r.name(node, "model", where, true)) {
            alias.model = *model;
            if (model->compare(u"auto", Qt::CaseInsensitive) == 0)
                alias.model = QStringLiteral("auto");
            else if (!config.model(*model))
                r.error(node["model"], ConfigLoader::tr("%1 names model \"%2\", which is not in \"models\"; use a model's "
                                                        "name or \"auto\"")
                                           .arg(where, *model));
        }
        config.modelAliases.append(alias);
    }
}

void checkFallbacks(Reader &r, const YAML::Node &list, const Config &config, bool routes)
{
    int i = 0;
    for (const YAML::Node &node : list) {
        const QStringList &fallback = routes ? config.routes.value(i).fallback : config.models.value(i).fallback;
        // A route's chain is chat; a model's is of its own kind (another embedding model's vectors
        // are not comparable, so only the ones the user lists stand in).
        const bool embedding = !routes && config.models.value(i).isEmbedding();
        for (const QString &name : fallback) {
            const ModelConfig *m = config.model(name);
            if (!m)
                r.error(node["fallback"], ConfigLoader::tr("fallback \"%1\" is not the name of a model in \"models\"").arg(name));
            else if (m->isEmbedding() != embedding)
                r.error(node["fallback"], embedding ? ConfigLoader::tr("fallback \"%1\" of an embedding model must be an "
                                                                       "embedding model too")
                                                          .arg(name)
                                                    : ConfigLoader::tr("fallback \"%1\" is an embedding model; a chat "
                                                                       "model falls back to chat models")
                                                          .arg(name));
        }
        ++i;
    }
}

} // namespace

ConfigLoadResult ConfigLoader::parse(const QByteArray &yaml)
{
    ConfigLoadResult result;
    YAML::Node loaded;
    try {
        loaded = YAML::Load(yaml.toStdString());
    } catch (const YAML::ParserException &e) {
        const QString what = str(e.msg);
        result.diagnostics.append({ConfigDiagnostic::Severity::Error, e.mark.is_null() ? 0 : e.mark.line + 1,
                                   e.mark.is_null() ? 0 : e.mark.column + 1,
                                   tr("the YAML is not well formed (%1)").arg(what)});
        return result;
    } catch (const YAML::Exception &e) {
        result.diagnostics.append({ConfigDiagnostic::Severity::Error, 0, 0,
                                   tr("the YAML could not be read (%1)").arg(str(e.msg))});
        return result;
    }

    // Const from here on: yaml-cpp's non-const operator[] would insert the keys we only look up.
    const YAML::Node root = loaded;
    Reader r;
    r.sourceLines = QString::fromUtf8(yaml).split(QLatin1Char('\n'));
    Config config;
    try {
        if (root.IsNull() || !root.IsDefined()) {
            r.error(SourcePos{}, tr("the file is empty; delete it to start again from the built-in catalog"));
        } else if (r.expectMap(root, tr("the top level"))) {
            r.checkKeys(root, tr("the top level"), {"providers", "models", "routes", "model_aliases", "fallback", "budgets",
                                                     "currency_rates", "team"});
            const YAML::Node providers = root["providers"];
            if (!providers.IsDefined() || providers.IsNull())
                r.error(root, tr("the file needs a \"providers\" list"));
            else if (r.expectSequence(providers, tr("\"providers\"")))
                for (std::size_t i = 0; i < providers.size(); ++i)
                    readProvider(r, providers[i], int(i), config);

            const YAML::Node models = root["models"];
            if (!models.IsDefined() || models.IsNull())
                r.error(root, tr("the file needs a \"models\" list"));
            else if (r.expectSequence(models, tr("\"models\""))) {
                for (std::size_t i = 0; i < models.size(); ++i)
                    readModel(r, models[i], int(i), config);
                checkFallbacks(r, models, config, false);
            }

            const YAML::Node aliases = root["model_aliases"];
            if (aliases.IsDefined() && !aliases.IsNull())
                readModelAliases(r, aliases, config);

            const YAML::Node fallback = root["fallback"];
            if (fallback.IsDefined() && !fallback.IsNull())
                readFallbackSettings(r, fallback, config);

            const YAML::Node budgets = root["budgets"];
            if (budgets.IsDefined() && !budgets.IsNull())
                readBudgets(r, budgets, config);
            const YAML::Node rates = root["currency_rates"];
            if (rates.IsDefined() && !rates.IsNull())
                readCurrencyRates(r, rates, config);
            const YAML::Node team = root["team"];
            if (team.IsDefined() && !team.IsNull())
                readTeam(r, team, config);

            const YAML::Node routes = root["routes"];
            if (!routes.IsDefined() || routes.IsNull()) {
                r.error(root, tr("the file needs a \"routes\" list ending with a default route, such as "
                                 "\"- default: deepseek-v4-pro\""));
            } else if (r.expectSequence(routes, tr("\"routes\""))) {
                for (std::size_t i = 0; i < routes.size(); ++i)
                    readRoute(r, routes[i], int(i), config);
                checkFallbacks(r, routes, config, true);
                const auto firstDefault = std::find_if(config.routes.cbegin(), config.routes.cend(),
                                                       [](const RouteConfig &route) { return route.isDefault; });
                if (firstDefault == config.routes.cend()) {
                    r.error(routes, tr("\"routes\" needs a default route, such as \"- default: deepseek-v4-pro\""));
                } else {
                    const auto index = std::distance(config.routes.cbegin(), firstDefault);
                    for (std::size_t i = std::size_t(index) + 1; i < routes.size(); ++i)
                        r.warning(routes[i], tr("route %1 comes after the default route and will never be used")
                                                 .arg(i + 1));
                }
            }
        }
    } catch (const YAML::Exception &e) {
        r.error(SourcePos{e.mark.is_null() ? 0 : e.mark.line + 1, e.mark.is_null() ? 0 : e.mark.column + 1},
                tr("the YAML could not be read (%1)").arg(str(e.msg)));
    }

    std::stable_sort(r.diagnostics.begin(), r.diagnostics.end(), [](const ConfigDiagnostic &a, const ConfigDiagnostic &b) {
        return std::tie(a.line, a.column) < std::tie(b.line, b.column);
    });
    result.diagnostics = r.diagnostics;
    if (!r.hasErrors())
        result.config = std::move(config);
    return result;
}

QStringList ConfigLoader::teamSections()
{
    return {QStringLiteral("models"), QStringLiteral("routes"), QStringLiteral("model_aliases"), QStringLiteral("fallback"),
            QStringLiteral("budgets"), QStringLiteral("currency_rates")};
}

ConfigLoadResult ConfigLoader::parseWithTeam(const QByteArray &local, const QByteArray &team, const QString &teamName)
{
    auto failed = [&](const QString &what) {
        ConfigLoadResult result;
        result.diagnostics.append({ConfigDiagnostic::Severity::Error, 0, 0, what});
        return result;
    };
    YAML::Node mine;
    YAML::Node theirs;
    try {
        mine = YAML::Load(local.toStdString());
    } catch (const YAML::Exception &) {
        return parse(local);   // the file's own diagnostics, with lines and columns
    }
    try {
        theirs = YAML::Load(team.toStdString());
    } catch (const YAML::Exception &e) {
        return failed(tr("%1 is not well formed YAML (%2)").arg(teamName, str(e.msg)));
    }
    if (!mine.IsMap())
        return parse(local);
    if (!theirs.IsMap())
        return failed(tr("%1 is not a YAML map of shared sections").arg(teamName));
    YAML::Node merged(YAML::NodeType::Map);
    for (auto it = mine.begin(); it != mine.end(); ++it)
        merged[it->first.Scalar()] = it->second;
    bool personalRoutes = false;
    for (auto it = theirs.begin(); it != theirs.end(); ++it) {
        const QString key = str(it->first.Scalar());
        if (key == u"personal_routes") {
            personalRoutes = it->second.IsScalar() && it->second.Scalar() == "true";
            continue;
        }
        if (!teamSections().contains(key))
            return failed(tr("%1 has \"%2\", which a team does not share").arg(teamName, key));
    }
    for (const QString &key : teamSections()) {
        const YAML::Node shared = theirs[key.toStdString()];
        if (!shared.IsDefined())
            continue;
        const std::string k = key.toStdString();
        if (k == "routes" && personalRoutes && mine[k].IsSequence() && shared.IsSequence()) {
            // Personal rules may choose among the models in force (the team's, when it shares them).
            const YAML::Node models = theirs["models"].IsDefined() ? theirs["models"] : mine["models"];
            QSet<QString> names;
            if (models.IsSequence())
                for (const YAML::Node &m : models)
                    if (m.IsMap() && m["name"].IsScalar())
                        names.insert(str(m["name"].Scalar()));
            YAML::Node routes(YAML::NodeType::Sequence);
            for (const YAML::Node &route : mine[k])
                if (route.IsMap() && !route["default"].IsDefined() && route["model"].IsScalar()
                    && names.contains(str(route["model"].Scalar())))
                    routes.push_back(route);
            for (const YAML::Node &route : shared)
                routes.push_back(route);
            merged[k] = routes;
        } else {
            merged[k] = shared;
        }
    }
    // A team model on a provider this machine has not set up stays listed, on a disabled stand-in
    // for that provider: routing passes it over as it does any disabled provider's, and Settings
    // shows why, rather than the team's whole rules failing here.
    if (merged["providers"].IsSequence() && merged["models"].IsSequence()) {
        QSet<QString> known;
        for (const YAML::Node &p : merged["providers"])
            if (p.IsMap() && p["id"].IsScalar())
                known.insert(str(p["id"].Scalar()));
        YAML::Node providers = merged["providers"];
        for (const YAML::Node &m : merged["models"]) {
            if (!m.IsMap() || !m["provider"].IsScalar())
                continue;
            const QString id = str(m["provider"].Scalar());
            if (known.contains(id))
                continue;
            known.insert(id);
            YAML::Node standIn(YAML::NodeType::Map);
            standIn["id"] = id.toStdString();
            standIn["name"] = tr("%1 (not set up on this machine)").arg(id).toStdString();
            standIn["dialect"] = "openai";
            standIn["base_url"] = QStringLiteral("https://%1/v1").arg(standInHost()).toStdString();
            standIn["enabled"] = false;
            providers.push_back(standIn);
        }
    }
    YAML::Emitter out;
    out << merged;
    ConfigLoadResult result = parse(QByteArray(out.c_str()));
    // Lines of the merged text mean nothing to anyone: say whose part it is instead.
    for (ConfigDiagnostic &d : result.diagnostics) {
        d.message = tr("%1 with this machine's providers: %2").arg(teamName, d.message);
        d.line = d.column = 0;
    }
    return result;
}

bool ConfigLoader::teamAllowsPersonalRoutes(const QByteArray &team)
{
    try {
        const YAML::Node root = YAML::Load(team.toStdString());
        return root.IsMap() && root["personal_routes"].IsScalar() && root["personal_routes"].Scalar() == "true";
    } catch (const YAML::Exception &) {
        return false;
    }
}

ConfigLoadResult ConfigLoader::loadFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        ConfigLoadResult result;
        result.diagnostics.append({ConfigDiagnostic::Severity::Error, 0, 0,
                                   tr("cannot read the file (%1)").arg(file.errorString())});
        return result;
    }
    return parse(file.readAll());
}

QByteArray ConfigLoader::builtInCatalog()
{
    QFile file(QStringLiteral(":/catalog/catalog.yaml"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("The built-in catalog is missing from the resources; the build is broken.");
    return file.readAll();
}
