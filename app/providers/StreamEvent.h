#pragma once

#include <QCoreApplication>
#include <QString>

// What a provider sends, once every dialect's quirks are taken out.

struct Usage
{
    // -1 = the provider did not say.
    qint64 promptTokens = -1;      // all input tokens, cache hits included
    qint64 cachedTokens = -1;      // input tokens served from the cache
    qint64 completionTokens = -1;  // all output tokens, reasoning included
    qint64 reasoningTokens = -1;   // part of completionTokens
    qint64 costMicrosUsd = -1;     // a gateway's own figure (OpenRouter usage.cost)

    bool isValid() const { return promptTokens >= 0 || completionTokens >= 0; }
    // Input tokens billed at the cache-miss rate.
    qint64 cacheMissTokens() const
    {
        return promptTokens < 0 ? -1 : promptTokens - std::max<qint64>(cachedTokens, 0);
    }
    bool operator==(const Usage &) const = default;
};

// PRODUCT.md's error classes.
enum class ErrorClass {
    Auth,
    Balance,
    RateLimit,
    Overloaded,
    ContextOverflow,
    ContentFilter,
    BadRequest,
    Server,
    Network,
    Tls,          // the provider's certificate could not be verified
    Timeout,
    Truncated,
    Cancelled,
    NoKey,        // nothing was sent: the provider has no key (PRODUCT.md's `no_key`)
};

QString errorClassName(ErrorClass c);   // "rate_limit", … as in the ledger
// True for the classes that another attempt (or model) may cure.
bool isRetryable(ErrorClass c);

struct ProviderError
{
    Q_DECLARE_TR_FUNCTIONS(ProviderError)

public:
    ErrorClass errorClass = ErrorClass::Server;
    int httpStatus = 0;            // 0 when there was no HTTP answer
    QString providerMessage;       // the provider's own words, as sent
    QString providerCode;          // its type or code, when it gave one
    int retryAfterSeconds = -1;    // from Retry-After, when sent
    qint64 contextLimit = -1;      // from a context-overflow message, when it names the limit
    // The provider answered, but not what was asked (JSON asked for by prompt): the model's fault,
    // not the provider's. The next model may do better; the provider does not cool down for it,
    // and the chain is not run again for it.
    bool answerRejected = false;

    // A sentence saying what to do about it.
    QString advice() const;
    // What happened, in a few words: "Rate limited".
    QString title() const;
    // "Rate limited (HTTP 429): <provider message>. <advice>"
    QString describe() const;
};

struct ToolCallDelta
{
    int index = 0;
    QString id;
    QString name;
    QString argumentsDelta;
};

struct StreamEvent
{
    enum class Kind { Content, Reasoning, ToolCall, Logprobs, Usage, Finish, Error };
    Kind kind = Kind::Content;
    QString text;                  // Content and Reasoning deltas
    ToolCallDelta toolCall;
    ::Usage usage;
    QString finishReason;          // stop, length, tool_calls, content_filter
    QByteArray logprobs;           // Logprobs: a choice's `logprobs` object, as JSON
    ProviderError error;
};
