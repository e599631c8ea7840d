#pragma once

#include "OpenAiRequest.h"

#include <QByteArray>
#include <QStringList>

#include <optional>

// A POST /v1/messages body read: the engine's chat request, and what the door's writer needs of it.
// Problems name Anthropic's own dotted paths ("messages.2.content.0.type").
struct MessagesRequest
{
    OpenAiRequest chat;
    QStringList stops;   // stop_sequences, for the writer to tell which one ended the answer

    // `count`: a count_tokens body, which has no max_tokens. On failure std::nullopt and what is
    // wrong in *problem.
    static std::optional<MessagesRequest> fromJson(const QByteArray &body, bool count, OpenAiRequest::Problem *problem);
};
