#include "Config.h"

#include <QCoreApplication>

namespace {
struct DialectName
{
    Dialect dialect;
    const char16_t *name;
};
constexpr DialectName dialectNames[] = {
    {Dialect::DeepSeek, u"deepseek"},   {Dialect::Moonshot, u"moonshot"},
    {Dialect::MiniMax, u"minimax"},     {Dialect::DashScope, u"dashscope"},
    {Dialect::OpenRouter, u"openrouter"}, {Dialect::OpenAI, u"openai"},
};
} // namespace

std::optional<Dialect> dialectFromString(QStringView name)
{
    for (const auto &entry : dialectNames) {
        if (name == QStringView(entry.name))
            return entry.dialect;
    }
    return std::nullopt;
}

QString dialectName(Dialect dialect)
{
    for (const auto &entry : dialectNames) {
        if (entry.dialect == dialect)
            return QString::fromUtf16(entry.name);
    }
    Q_UNREACHABLE();
}

std::optional<ModelKind> modelKindFromString(QStringView name)
{
    if (name == u"chat")
        return ModelKind::Chat;
    if (name == u"embedding")
        return ModelKind::Embedding;
    return std::nullopt;
}

QString modelKindName(ModelKind kind)
{
    return kind == ModelKind::Embedding ? QStringLiteral("embedding") : QStringLiteral("chat");
}

int ModelConfig::embeddingBatch(Dialect dialect) const
{
    if (maxInputs > 0)
        return maxInputs;
    // DashScope's text-embedding-v3/v4 take at most 10 rows a request; OpenAI's API takes 2048.
    return dialect == Dialect::DashScope ? 10 : 2048;
}

const ProviderConfig *Config::provider(QStringView id) const
{
    for (const ProviderConfig &p : providers) {
        if (p.id == id)
            return &p;
    }
    return nullptr;
}

const ModelConfig *Config::model(QStringView nameOrAlias) const
{
    for (const ModelConfig &m : models) {
        if (m.name == nameOrAlias)
            return &m;
    }
    for (const ModelConfig &m : models) {
        if (m.aliases.contains(nameOrAlias))
            return &m;
    }
    return nullptr;
}

QRegularExpression ModelAlias::compile(const QString &glob)
{
    // By hand: Qt's own wildcard conversion keeps `*` from matching "/", which model names hold.
    QString pattern = QStringLiteral("\\A(?:");
    bool inSet = false;
    for (qsizetype i = 0; i < glob.size(); ++i) {
        const QChar c = glob.at(i);
        if (inSet) {
            if (c == u']')
                inSet = false;
            pattern += c == u'\\' ? QStringLiteral("\\\\") : QString(c);
        } else if (c == u'*') {
            pattern += QStringLiteral(".*");
        } else if (c == u'?') {
            pattern += u'.';
        } else if (c == u'[') {
            inSet = true;
            pattern += u'[';
            if (i + 1 < glob.size() && glob.at(i + 1) == u'!') {
                pattern += u'^';
                ++i;
            }
        } else {
            pattern += QRegularExpression::escape(QString(c));
        }
    }
    pattern += QStringLiteral(")\\z");
    // An unclosed [ leaves an invalid pattern, which config.yaml's reader reports.
    return QRegularExpression(pattern, QRegularExpression::CaseInsensitiveOption | QRegularExpression::DotMatchesEverythingOption);
}

QString Config::resolveModel(const QString &asked) const
{
    if (asked.compare(u"auto", Qt::CaseInsensitive) == 0 || model(asked))
        return asked;
    for (const ModelAlias &a : modelAliases) {
        if (a.pattern.match(asked).hasMatch())
            return a.model;
    }
    return {};
}

std::optional<StructuredOutput> structuredOutputFromString(QStringView name)
{
    if (name == u"json_schema")
        return StructuredOutput::JsonSchema;
    if (name == u"json_object")
        return StructuredOutput::JsonObject;
    if (name == u"none")
        return StructuredOutput::None;
    return std::nullopt;
}

QString structuredOutputName(StructuredOutput value)
{
    switch (value) {
    case StructuredOutput::JsonSchema: return QStringLiteral("json_schema");
    case StructuredOutput::JsonObject: return QStringLiteral("json_object");
    case StructuredOutput::None: return QStringLiteral("none");
    }
    Q_UNREACHABLE();
}

ModelCapabilities Config::capabilities(const ModelConfig &m) const
{
    const ProviderConfig *p = provider(m.provider);
    return modelCapabilities(p ? p->dialect : Dialect::OpenAI, m);
}

ModelCapabilities modelCapabilities(Dialect dialect, const ModelConfig &m)
{
    // What each dialect is known to take (../shared/reference/providers.md): DeepSeek, Kimi and
    // Qwen have JSON mode; MiniMax takes neither response_format nor tool_choice nor
    // parallel_tool_calls; on Kimi only K3 can be made to call a tool.
    ModelCapabilities c;
    switch (dialect) {
    case Dialect::DeepSeek:
    case Dialect::DashScope:
        c.structuredOutput = StructuredOutput::JsonObject;
        break;
    case Dialect::Moonshot:
        c.structuredOutput = StructuredOutput::JsonObject;
        c.forcedToolChoice = m.id.startsWith(QLatin1String("kimi-k3"));
        break;
    case Dialect::MiniMax:
        c.structuredOutput = StructuredOutput::None;
        c.forcedToolChoice = false;
        c.parallelToolCalls = false;
        break;
    case Dialect::OpenRouter:
    case Dialect::OpenAI:
        break;
    }
    c.structuredOutput = m.structuredOutput.value_or(c.structuredOutput);
    c.forcedToolChoice = m.forcedToolChoice.value_or(c.forcedToolChoice);
    c.parallelToolCalls = m.parallelToolCalls.value_or(c.parallelToolCalls);
    return c;
}

std::optional<qint64> CurrencyRates::convert(qint64 micros, const QString &currency) const
{
    if (display.isEmpty())
        return std::nullopt;
    if (currency == display)
        return micros;
    const auto it = microsPerUnit.constFind(currency);
    if (it == microsPerUnit.cend())
        return std::nullopt;
    // micros × rate / 1e6 without overflowing: whole units and the rest apart, rounded half up.
    constexpr qint64 unit = 1'000'000;
    const qint64 rate = it.value();
    const qint64 whole = micros / unit;
    const qint64 rest = micros % unit;
    return whole * rate + (rest * rate + (rest >= 0 ? unit / 2 : -unit / 2)) / unit;
}

qsizetype Config::controlCharacterAt(QStringView name)
{
    for (qsizetype i = 0; i < name.size(); ++i) {
        const char16_t c = name[i].unicode();
        // C0 (with TAB, CR and LF), DEL, C1 (with NEL), and the Unicode line and paragraph separators.
        if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029)
            return i;
    }
    return -1;
}

QString Config::nameProblem(QStringView name)
{
    const qsizetype at = controlCharacterAt(name);
    if (at >= 0) {
        const QString code = QString::number(name[at].unicode(), 16).toUpper().rightJustified(4, QLatin1Char('0'));
        return QCoreApplication::translate("Config", "A name may not hold control characters or line breaks; "
                                                     "character %1 is U+%2.")
            .arg(at + 1)
            .arg(code);
    }
    if (name.size() > MaxNameLength)
        return QCoreApplication::translate("Config", "A name may have at most %1 characters; this one has %2.")
            .arg(MaxNameLength)
            .arg(name.size());
    return {};
}
