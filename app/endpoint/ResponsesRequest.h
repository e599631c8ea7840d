#pragma once

#include "OpenAiRequest.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include <optional>

// The Responses fields the door's writer needs to answer, continue or keep a request.
struct ResponsesFields
{
    bool stream = false;
    bool store = true;
    QString previousResponseId;
    QJsonArray input;          // the request's input items, as the client sent them
    bool textInput = false;    // `input` was a string: one user message, kept in inputText
    QString inputText;
    bool deferred = false;     // the messages wait for the store (previous_response_id, item_reference)
    QString instructions;
    QJsonObject chatBase;      // the chat completions request, without its messages, for a deferred read
    QByteArray echoJson;       // the request's fields every response object repeats, as JSON fields
};

// A POST /v1/responses body read: the engine's chat request and the door's own fields. Problems
// name the Responses fields ("input[2].call_id").
struct ResponsesRequest : ResponsesFields
{
    OpenAiRequest chat;        // its messages are a stand-in while `deferred`

    // On failure std::nullopt and what is wrong in *problem.
    static std::optional<ResponsesRequest> fromJson(const QByteArray &body, OpenAiRequest::Problem *problem);
    // Responses input items as chat completions messages. `skipReferences`: item_reference items
    // are left out (resolved once the store is at hand); otherwise one is an error.
    static std::optional<QJsonArray> readItems(const QJsonArray &items, bool skipReferences, OpenAiRequest::Problem *problem);
};
