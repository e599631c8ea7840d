#include "StreamEvent.h"

QString errorClassName(ErrorClass c)
{
    switch (c) {
    case ErrorClass::Auth: return QStringLiteral("auth");
    case ErrorClass::Balance: return QStringLiteral("balance");
    case ErrorClass::RateLimit: return QStringLiteral("rate_limit");
    case ErrorClass::Overloaded: return QStringLiteral("overloaded");
    case ErrorClass::ContextOverflow: return QStringLiteral("context_overflow");
    case ErrorClass::ContentFilter: return QStringLiteral("content_filter");
    case ErrorClass::BadRequest: return QStringLiteral("bad_request");
    case ErrorClass::Server: return QStringLiteral("server");
    case ErrorClass::Network: return QStringLiteral("network");
    case ErrorClass::Tls: return QStringLiteral("tls");
    case ErrorClass::Timeout: return QStringLiteral("timeout");
    case ErrorClass::Truncated: return QStringLiteral("truncated");
    case ErrorClass::Cancelled: return QStringLiteral("cancelled");
    case ErrorClass::NoKey: return QStringLiteral("no_key");
    }
    Q_UNREACHABLE();
}

bool isRetryable(ErrorClass c)
{
    switch (c) {
    case ErrorClass::RateLimit:
    case ErrorClass::Overloaded:
    case ErrorClass::Server:
    case ErrorClass::Network:
    case ErrorClass::Timeout:
        return true;
    default:
        return false;
    }
}

QString ProviderError::advice() const
{
    switch (errorClass) {
    case ErrorClass::Auth:
        return tr("Check the provider's key in Settings, and that it belongs to the same region as the base URL.");
    case ErrorClass::Balance:
        return tr("Top up the account with the provider, then try again.");
    case ErrorClass::RateLimit:
        return retryAfterSeconds >= 0 ? tr("Wait %1 s and try again, or use another model.").arg(retryAfterSeconds)
                                      : tr("Wait a moment and try again, or use another model.");
    case ErrorClass::Overloaded:
        return retryAfterSeconds >= 0 ? tr("Try again in %1 s, or use another model.").arg(retryAfterSeconds)
                                      : tr("The provider is busy; try again shortly or use another model.");
    case ErrorClass::ContextOverflow:
        return contextLimit > 0
                   ? tr("Shorten the input below %1 tokens, or use a model with a larger context.").arg(contextLimit)
                   : tr("Shorten the input, or use a model with a larger context.");
    case ErrorClass::ContentFilter:
        return tr("The provider refused this content; rephrase the request or use another provider.");
    case ErrorClass::BadRequest:
        return tr("The provider rejected the request; check the model id and the parameters.");
    case ErrorClass::Server:
        return tr("The provider had an internal error; try again.");
    case ErrorClass::Network:
        return tr("Check the network connection and the provider's base URL.");
    case ErrorClass::Tls:
        return tr("If a proxy on this network inspects TLS, add its certificate in Settings → Network or as the "
                  "provider's ca_file; otherwise check the host name in the base URL.");
    case ErrorClass::Timeout:
        return tr("The provider did not answer in time; try again or use another model.");
    case ErrorClass::Truncated:
        return tr("The answer stopped before it was complete; the part received is kept. Continue or try again.");
    case ErrorClass::Cancelled:
        return tr("The request was stopped.");
    case ErrorClass::NoKey:
        return tr("Add the provider's key in Settings, or pick a model whose provider has one.");
    }
    Q_UNREACHABLE();
}

QString ProviderError::title() const
{
    QString title;
    switch (errorClass) {
    case ErrorClass::Auth: title = tr("The key was refused"); break;
    case ErrorClass::Balance: title = tr("The account has no balance left"); break;
    case ErrorClass::RateLimit: title = tr("Rate limited"); break;
    case ErrorClass::Overloaded: title = tr("The provider is overloaded"); break;
    case ErrorClass::ContextOverflow: title = tr("The input is too long for this model"); break;
    case ErrorClass::ContentFilter: title = tr("Blocked by the provider's content filter"); break;
    case ErrorClass::BadRequest: title = tr("The request was rejected"); break;
    case ErrorClass::Server: title = tr("The provider failed"); break;
    case ErrorClass::Network: title = tr("Network error"); break;
    case ErrorClass::Tls: title = tr("The provider's certificate is not trusted"); break;
    case ErrorClass::Timeout: title = tr("Timed out"); break;
    case ErrorClass::Truncated: title = tr("The answer was cut off"); break;
    case ErrorClass::Cancelled: title = tr("Stopped"); break;
    case ErrorClass::NoKey: title = tr("No key for this provider"); break;
    }
    return title;
}

QString ProviderError::describe() const
{
    const QString title = this->title();
    if (httpStatus > 0 && !providerMessage.isEmpty())
        return tr("%1 (HTTP %2): %3. %4").arg(title).arg(httpStatus).arg(providerMessage, advice());
    if (httpStatus > 0)
        return tr("%1 (HTTP %2). %3").arg(title).arg(httpStatus).arg(advice());
    if (!providerMessage.isEmpty())
        return tr("%1: %2. %3").arg(title, providerMessage, advice());
    return tr("%1. %2").arg(title, advice());
}
