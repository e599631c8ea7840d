#pragma once

#include "ChatRequest.h"

#include <QCoreApplication>
#include <QJsonObject>

// Reads an OpenAI chat completion request (the body clients send to /v1/chat/completions, and what
// `switchyard route --explain` reads) into a ChatRequest.
struct OpenAiRequest
{
    Q_DECLARE_TR_FUNCTIONS(OpenAiRequest)

public:
    ChatRequest request;
    QString model;        // as asked: a model name or "auto"
    QString taskType;     // metadata.task_type, when given
    bool includeUsage = false;

    // On failure returns std::nullopt and a sentence saying what is wrong in *error.
    static std::optional<OpenAiRequest> fromJson(const QByteArray &body, QString *error);
};
