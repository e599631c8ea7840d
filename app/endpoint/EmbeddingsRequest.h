#pragma once

#include "EmbeddingCall.h"
#include "OpenAiRequest.h"

#include <QByteArray>
#include <QString>

#include <optional>

// A POST /v1/embeddings body read, as OpenAI's CreateEmbeddingRequest: strict types, nothing coerced.
struct EmbeddingsRequest
{
    QString model;
    EmbeddingRequest request;
    bool base64 = false;

    // On failure std::nullopt and what is wrong in *problem.
    static std::optional<EmbeddingsRequest> fromJson(const QByteArray &body, OpenAiRequest::Problem *problem);
};
