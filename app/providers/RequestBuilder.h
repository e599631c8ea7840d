#pragma once

#include "ChatRequest.h"
#include "Config.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QNetworkRequest>

// Builds one provider's HTTP request from a ChatRequest, with its dialect's rules: usage asked for
// on every stream, thinking switches, per-model parameter limits (Kimi k2.6+ fixed sampling,
// DeepSeek's developer role, MiniMax's max_completion_tokens), images as image_url parts.
class RequestBuilder
{
    Q_DECLARE_TR_FUNCTIONS(RequestBuilder)

public:
    struct Built
    {
        QNetworkRequest request;
        QByteArray body;
        QJsonObject json;      // the body, for tests and logs that show its shape (never its key)
        QString error;         // non-empty: the request cannot be sent to this provider as it is
    };

    // Streaming is off when the provider says so or DISABLE_STREAMING_BETA=1 is set.
    static bool streamingAllowed(const ProviderConfig &provider);
    static QUrl endpoint(const ProviderConfig &provider, const QString &path);
    static Built build(const ProviderConfig &provider, const ModelConfig &model, const ChatRequest &request,
                       const QString &apiKey);
};
