#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

// A chat request as Switchyard sees it, before any provider's dialect is applied.
struct ChatMessage
{
    struct Image
    {
        QByteArray mimeType;   // image/png, image/jpeg, …
        QByteArray data;       // raw bytes (sent base64); empty when `url` is used
        QString url;           // an http(s) URL, for providers that fetch images themselves
    };

    QString role;              // system, developer, user, assistant, tool
    QString content;
    QList<Image> images;
    QString reasoning;         // an earlier answer's reasoning, for providers that want it back
    QString toolCallId;        // for role "tool"
    QJsonArray toolCalls;      // an assistant message's tool calls, as OpenAI shapes them
    bool hasDocument = false;  // the content carries an attached document's text
    bool contentNull = false;  // sent as `"content": null` (an assistant turn that only calls tools)
    QJsonObject extra;         // the client's other fields of this message (`name`, …), forwarded as they are

    static ChatMessage text(QString role, QString content)
    {
        ChatMessage m;
        m.role = std::move(role);
        m.content = std::move(content);
        return m;
    }
};

struct ChatRequest
{
    enum class Thinking { Default, On, Off };

    QList<ChatMessage> messages;
    bool stream = true;
    std::optional<double> temperature;
    std::optional<double> topP;
    std::optional<int> maxTokens;
    Thinking thinking = Thinking::Default;
    QJsonArray tools;          // OpenAI tool definitions, passed through
    QString maxTokensField;    // the name the client used: max_tokens or max_completion_tokens
    // Every other field of the client's request (response_format, tool_choice, stop, seed, …): sent
    // on as it came, changed only where the provider's dialect needs it (RequestBuilder).
    QJsonObject extra;
};
