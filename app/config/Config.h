#pragma once

#include <QDate>
#include <QMap>
#include <QList>
#include <QString>
#include <QStringList>
#include <QTime>
#include <QUrl>

#include "RouteExpression.h"

#include <QRegularExpression>

#include <optional>

// The schema of config.yaml (PRODUCT.md). Plain values: ConfigLoader fills and validates them,
// ConfigStore keeps the one in force.

enum class Dialect { DeepSeek, Moonshot, MiniMax, DashScope, OpenRouter, OpenAI };

std::optional<Dialect> dialectFromString(QStringView name);
QString dialectName(Dialect dialect);

// Where a value came from in the YAML text (1-based), for messages about it later on.
struct SourcePos
{
    int line = 0;
    int column = 0;
};

struct ProviderRegion
{
    QString name;   // "cn", "intl", "singapore", ...
    QUrl baseUrl;
};

struct ProviderConfig
{
    QString id;
    QString displayName;          // optional; defaults to id
    Dialect dialect = Dialect::OpenAI;
    QUrl baseUrl;
    QString apiKeyEnv;            // optional: the key comes from this variable
    bool streaming = true;
    bool enabled = true;
    QString region;               // optional: the name of the region base_url belongs to
    QList<ProviderRegion> regions;
    QString proxy;                // optional: "direct", or a proxy URL for this provider alone; empty: Settings → Network
    QString caFile;               // optional: PEM certificates trusted for this provider besides the system's
    SourcePos pos;

    QString label() const { return displayName.isEmpty() ? id : displayName; }
};

// Rates are micro-units of the price's currency per 1M tokens. -1 means "not published".
struct PriceRates
{
    qint64 input = 0;             // input, cache miss
    qint64 cachedInput = -1;      // input, cache hit
    qint64 output = 0;
    qint64 outputThinking = -1;   // output while thinking, where it is priced apart
};

// Rates that apply once the request's input is larger than `aboveTokens`.
struct PriceTier
{
    qint64 aboveTokens = 0;
    PriceRates rates;
};

struct OffPeakWindow
{
    QList<int> days;              // 1 = Monday … 7 = Sunday
    QTime from;
    QTime to;                     // exclusive; 24:00 is written as an invalid QTime meaning end of day
    bool untilEndOfDay = false;
};

struct OffPeak
{
    QString timeZone;             // IANA id, e.g. Asia/Shanghai
    QList<OffPeakWindow> windows;
    PriceRates rates;
};

struct Price
{
    QString currency;             // ISO 4217: USD, CNY, ...
    PriceRates rates;
    QList<PriceTier> tiers;       // ascending by aboveTokens
    std::optional<OffPeak> offPeak;
    QDate asOf;                   // the date the prices were taken
};

// How a model can be held to a JSON answer (`response_format`).
enum class StructuredOutput {
    JsonSchema,   // response_format json_schema, as OpenAI defines it
    JsonObject,   // JSON mode only: the schema goes to the model in the prompt
    None,         // neither: the prompt asks for JSON
};

// What a model accepts besides plain chat; each optional in config.yaml, with a default per dialect.
struct ModelCapabilities
{
    StructuredOutput structuredOutput = StructuredOutput::JsonSchema;
    bool forcedToolChoice = true;    // tool_choice "required" or a named function
    bool parallelToolCalls = true;   // parallel_tool_calls, including false
};

std::optional<StructuredOutput> structuredOutputFromString(QStringView name);
QString structuredOutputName(StructuredOutput value);

// What a model is for: chat (every chat door, the window, routing) or embeddings (POST /v1/embeddings
// alone). Vectors of different embedding models cannot be compared, so the two never stand in for
// each other, and an embedding model falls back only to the embedding models it lists.
enum class ModelKind { Chat, Embedding };

std::optional<ModelKind> modelKindFromString(QStringView name);
QString modelKindName(ModelKind kind);

struct ModelConfig;
// What `model` accepts on a provider of `dialect`: its own settings, else the dialect's defaults.
ModelCapabilities modelCapabilities(Dialect dialect, const ModelConfig &model);

struct ModelConfig
{
    QString name;                 // what users, rules and API clients call it
    QString provider;
    QString id;                   // the provider's own model id
    ModelKind kind = ModelKind::Chat;
    qint64 context = 0;           // an embedding model's: tokens per input, 0 when not said
    int maxInputs = 0;            // an embedding model's inputs per request; 0: its dialect's limit
    qint64 maxOutput = 0;
    bool vision = false;
    bool reasoning = false;
    bool tools = false;
    std::optional<StructuredOutput> structuredOutput;   // unset: the dialect's default
    std::optional<bool> forcedToolChoice;
    std::optional<bool> parallelToolCalls;
    std::optional<Price> price;
    QStringList aliases;
    QStringList fallback;
    SourcePos pos;

    bool isEmbedding() const { return kind == ModelKind::Embedding; }
    // How many inputs one embeddings request to the provider may carry (DashScope takes 10).
    int embeddingBatch(Dialect dialect) const;
};

struct RouteConfig
{
    QString name;
    QString match;                // empty for the default route
    QString model;
    QStringList fallback;
    bool isDefault = false;
    SourcePos pos;
    SourcePos matchPos;
    std::optional<RouteExpression> expression;   // `match`, compiled; empty for the default route
};

// A name clients send that is not a model's (Claude Code's "claude-sonnet-4-5-20250929", a tier
// alias), mapped to a model or "auto" (config.yaml `model_aliases:`, checked in order).
struct ModelAlias
{
    QString match;                // a glob: `*` any run of characters, `?` one, [abc] a set; case-insensitive
    QString model;                // a model's name, or "auto"
    SourcePos pos;
    QRegularExpression pattern {};   // `match`, compiled

    // The pattern for a glob; invalid when the glob cannot be read.
    static QRegularExpression compile(const QString &glob);
};

// How fallback behaves (config.yaml `fallback:`; every key optional).
struct FallbackSettings
{
    QStringList defaultChain;          // tried after a rule's and a model's own fallbacks
    double priceGuard = 3.0;           // skip models dearer than this many times the chosen one
    int retryAfterMaxSeconds = 10;     // a longer Retry-After moves on to the next model at once
    int retries = 1;                   // extra passes over the chain, with exponential backoff
    int backoffMs = 500;
    int cooldownAfter = 3;             // consecutive failures that cool a provider down
    int cooldownSeconds = 60;
    QStringList stopOn = {QStringLiteral("auth"), QStringLiteral("balance"), QStringLiteral("content_filter"),
                          QStringLiteral("bad_request")};

    bool operator==(const FallbackSettings &) const = default;
};

// A monthly spending limit in one currency, for every provider or one.
struct Budget
{
    QString currency;
    qint64 monthlyMicros = 0;
    QString provider;             // empty: all providers billing in this currency
    QString member;               // a team member's name: that member's spend; empty: one's own (Me), the team's (Team)
    bool operator==(const Budget &) const = default;
};

// Rates the user set so the dashboard can show one total; without them each currency stays apart.
struct CurrencyRates
{
    QString display;                    // the currency totals are shown in; empty: no conversion
    QMap<QString, qint64> microsPerUnit;   // what one unit of a currency is worth in `display`, in micro-units
    bool operator==(const CurrencyRates &) const = default;
    // `micros` of `currency` in the display currency; std::nullopt when no rate is set for it.
    std::optional<qint64> convert(qint64 micros, const QString &currency) const;
};

// Joining a team (config.yaml `team:`): the team ledger and shared rules on PostgreSQL. Local to
// this machine: never part of what the team shares. The password is never here (keychain entry
// `team`, or libpq's PGPASSFILE / PGPASSWORD).
struct TeamSettings
{
    QString url;                  // postgresql://user@host:port/database?sslmode=verify-full…
    QString member;               // this person's name in the team ledger
    bool isSet() const { return !url.isEmpty(); }
    bool operator==(const TeamSettings &) const = default;
};

struct Config
{
    // Names and ids (of providers, models, routes, regions) travel on into HTTP headers, logs, the
    // ledger and its exports, so each must be one line of printable text of a sane length.
    static constexpr int MaxNameLength = 200;
    // Empty when `name` may be used; else a sentence saying what is wrong. The sentence never
    // quotes the name, which may not print. config.yaml, Settings and imports all ask this.
    static QString nameProblem(QStringView name);
    // The first character `nameProblem` refuses (a C0 or C1 control, DEL, U+2028 or U+2029), or -1.
    static qsizetype controlCharacterAt(QStringView name);

    QList<ProviderConfig> providers;
    QList<ModelConfig> models;
    QList<RouteConfig> routes;
    QList<ModelAlias> modelAliases;
    FallbackSettings fallback;
    QList<Budget> budgets;
    CurrencyRates currencyRates;
    TeamSettings team;

    const ProviderConfig *provider(QStringView id) const;
    // By name or by alias.
    const ModelConfig *model(QStringView nameOrAlias) const;
    // What a client's model name stands for: `asked` itself when it is "auto" or a model's name or
    // alias, else the first matching `model_aliases` entry's model; empty when nothing matches.
    QString resolveModel(const QString &asked) const;
    // What `model` accepts: its own settings, else what its provider's dialect is known to take.
    ModelCapabilities capabilities(const ModelConfig &model) const;
};
