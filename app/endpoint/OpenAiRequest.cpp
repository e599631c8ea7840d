#include "OpenAiRequest.h"

#include <QJsonArray>
#include <QJsonDocument>

std::optional<OpenAiRequest> OpenAiRequest::fromJson(const QByteArray &body, QString *error)
{
    QJsonParseError parseError {};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = tr("The request is not valid JSON: %1 at byte %2.").arg(parseError.errorString()).arg(parseError.offset);
        return std::nullopt;
    }
    if (!doc.isObject()) {
        *error = tr("The request must be a JSON object.");
        return std::nullopt;
    }
    const QJsonObject o = doc.object();
    OpenAiRequest out;
    out.model = o.value(QStringLiteral("model")).toString();
    if (out.model.isEmpty()) {
        *error = tr("The request needs \"model\": a model name or \"auto\".");
        return std::nullopt;
    }
    const QJsonValue messages = o.value(QStringLiteral("messages"));
    if (!messages.isArray() || messages.toArray().isEmpty()) {
        *error = tr("The request needs a non-empty \"messages\" list.");
        return std::nullopt;
    }
    int index = 0;
    for (const QJsonValue &v : messages.toArray()) {
        const QJsonObject m = v.toObject();
        ChatMessage message;
        message.role = m.value(QStringLiteral("role")).toString();
        if (message.role.isEmpty()) {
            *error = tr("Message %1 has no \"role\".").arg(index + 1);
            return std::nullopt;
        }
        const QJsonValue content = m.value(QStringLiteral("content"));
        if (content.isString()) {
            message.content = content.toString();
        } else if (content.isArray()) {
            QStringList texts;
            for (const QJsonValue &partValue : content.toArray()) {
                const QJsonObject part = partValue.toObject();
                const QString type = part.value(QStringLiteral("type")).toString();
                if (type == u"text") {
                    texts << part.value(QStringLiteral("text")).toString();
                } else if (type == u"image_url") {
                    const QString url = part.value(QStringLiteral("image_url")).toObject().value(QStringLiteral("url")).toString();
                    ChatMessage::Image image;
                    if (url.startsWith(QLatin1String("data:"))) {
                        const qsizetype comma = url.indexOf(QLatin1Char(','));
                        const QString header = url.mid(5, comma - 5);
                        image.mimeType = header.section(QLatin1Char(';'), 0, 0).toLatin1();
                        image.data = QByteArray::fromBase64(url.mid(comma + 1).toLatin1());
                    } else {
                        image.url = url;
                    }
                    message.images << image;
                } else {
                    *error = tr("Message %1 has a content part of type \"%2\", which is not supported.").arg(index + 1).arg(type);
                    return std::nullopt;
                }
            }
            message.content = texts.join(QLatin1Char('\n'));
        } else if (!content.isNull() && !content.isUndefined()) {
            *error = tr("The content of message %1 must be a string or a list of parts.").arg(index + 1);
            return std::nullopt;
        }
        message.contentNull = content.isNull();
        message.reasoning = m.value(QStringLiteral("reasoning_content")).toString();
        message.toolCallId = m.value(QStringLiteral("tool_call_id")).toString();
        message.toolCalls = m.value(QStringLiteral("tool_calls")).toArray();
        message.extra = m;
        for (const char *known : {"role", "content", "reasoning_content", "tool_call_id", "tool_calls"})
            message.extra.remove(QLatin1String(known));
        out.request.messages << message;
        ++index;
    }
    out.request.stream = o.value(QStringLiteral("stream")).toBool();
    out.includeUsage = o.value(QStringLiteral("stream_options")).toObject().value(QStringLiteral("include_usage")).toBool();
    if (o.contains(QStringLiteral("temperature")))
        out.request.temperature = o.value(QStringLiteral("temperature")).toDouble();
    if (o.contains(QStringLiteral("top_p")))
        out.request.topP = o.value(QStringLiteral("top_p")).toDouble();
    out.request.maxTokensField = o.contains(QStringLiteral("max_completion_tokens")) ? QStringLiteral("max_completion_tokens")
                                                                                     : QStringLiteral("max_tokens");
    const QJsonValue maxTokens = o.value(out.request.maxTokensField);
    if (maxTokens.isDouble())
        out.request.maxTokens = maxTokens.toInt();
    out.request.tools = o.value(QStringLiteral("tools")).toArray();
    QJsonObject metadata = o.value(QStringLiteral("metadata")).toObject();
    out.taskType = metadata.take(QStringLiteral("task_type")).toString();

    const QJsonValue n = o.value(QStringLiteral("n"));
    if (!n.isUndefined() && !n.isNull() && n.toDouble() != 1) {
        *error = tr("\"n\" must be 1 here: the endpoint returns one choice per request; send the request again for "
                    "another.");
        return std::nullopt;
    }
    // Everything else goes on to the provider as it came.
    out.request.extra = o;
    for (const char *consumed : {"model", "messages", "stream", "stream_options", "temperature", "top_p", "max_tokens",
                                 "max_completion_tokens", "tools", "metadata"})
        out.request.extra.remove(QLatin1String(consumed));
    if (!metadata.isEmpty())
        out.request.extra.insert(QStringLiteral("metadata"), metadata);
    return out;
}
