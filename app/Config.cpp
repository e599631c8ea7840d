#include "Config.h"

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
