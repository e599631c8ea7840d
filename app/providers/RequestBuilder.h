#pragma once

#include "ChatRequest.h"
#include "Config.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QNetworkRequest>

// Builds one provider's HTTP request from a ChatRequest, with its dialect's rules: usage asked for
// on every stream, thinking switches, per-model parameter limits (Kimi k2.6+ fixed sampling,
// DeepSeek's developer role, MiniMax's max_completion_tokens), images as image_url parts. Fields
// of the client's it does not know go on as they came; those a provider cannot take are named in
// Built::dropped, never lost without a word.
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
        QStringList dropped;   // the client's fields this provider cannot take, left out
        bool checkJson = false;   // JSON was asked for by prompt: the answer must be checked to parse
    };

    // Streaming is off when the provider says so or DISABLE_STREAMING_BETA=1 is set.
    static bool streamingAllowed(const ProviderConfig &provider);
    static QUrl endpoint(const ProviderConfig &provider, const QString &path);
    // Empty when `model` can take `request`; otherwise why not, in a sentence (routing passes such a
    // model over, and the client gets it as a 400 when no model can).
    static QString unsupported(const ProviderConfig &provider, const ModelConfig &model, const ChatRequest &request);
    // The instruction that asks a model without json_schema support for JSON matching `schema`.
    static QString jsonInstruction(const QJsonObject &schema);
    static Built build(const ProviderConfig &provider, const ModelConfig &model, const ChatRequest &request,
                       const QString &apiKey);
};
