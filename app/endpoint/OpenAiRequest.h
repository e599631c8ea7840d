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

    // What is wrong with a request, as OpenAI's API says it: the sentence, the field (`param`, as
    // "temperature" or "messages[2].role") and a code (invalid_type, decimal_above_max_value, …).
    struct Problem
    {
        QString message;
        QString param;
        QString code;
    };
    // On failure returns std::nullopt and a sentence saying what is wrong in *error. A field of the
    // wrong type or out of its range is refused, never coerced.
    static std::optional<OpenAiRequest> fromJson(const QByteArray &body, QString *error, Problem *problem = nullptr);
    // The same for a request already parsed: the other doors build a chat completions request and
    // read it here, so every door's request is checked by the same rules.
    static std::optional<OpenAiRequest> fromObject(const QJsonObject &o, QString *error, Problem *problem = nullptr);

    // For every door's sentences about a field: "a string", "an object", … as the value is.
    static QString typeName(const QJsonValue &v);
    // A field's value; null counts as absent (undefined), as it does at OpenAI.
    static QJsonValue field(const QJsonObject &o, QLatin1StringView name);
};
