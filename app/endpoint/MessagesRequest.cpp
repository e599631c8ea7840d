// Reading a POST /v1/messages (or count_tokens) body, Anthropic's Messages API, into the engine's
// chat request. No gateway or writer here, so that the fuzz build can read requests on their own.
#include "MessagesRequest.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace {

bool absent(const QJsonValue &v)
{
    return v.isUndefined() || v.isNull();
}

// Reads a Messages request into the engine's request. Field names in problems are Anthropic's own
// dotted paths ("messages.2.content.0.type"). Fields the engine has no use for (cache_control,
// context_management, container, service_tier, a tool's strict or defer_loading, …) are accepted
// and left out: they are never forwarded to a provider that would refuse them.
class MessagesReader
{
    Q_DECLARE_TR_FUNCTIONS(Gateway)

public:
    explicit MessagesReader(OpenAiRequest::Problem *problem)
        : m_problem(problem)
    {
    }

    // `count`: a count_tokens body, which has no max_tokens.
    std::optional<OpenAiRequest> read(const QByteArray &body, bool count)
    {
        QJsonParseError parseError {};
        const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
        if (parseError.error != QJsonParseError::NoError) {
            fail({}, tr("The request is not valid JSON: %1 at byte %2.").arg(parseError.errorString()).arg(parseError.offset));
            return std::nullopt;
        }
        if (!doc.isObject()) {
            fail({}, tr("The request must be a JSON object."));
            return std::nullopt;
        }
        const QJsonObject o = doc.object();
        OpenAiRequest out;
        if (!readTop(o, count, out))
            return std::nullopt;
        return out;
    }

    QStringList stops;   // stop_sequences, for the writer to tell which one ended the answer

private:
    bool fail(const QString &param, const QString &message)
    {
        *m_problem = {message, param, QStringLiteral("invalid_request_error")};
        return false;
    }
    bool wrongType(const QString &param, const QJsonValue &v, const QString &expected)
    {
        return fail(param, tr("Invalid type for '%1': expected %2, but got %3 instead.")
                               .arg(param, expected, OpenAiRequest::typeName(v)));
    }
    bool unsupported(const QString &param, const QString &what)
    {
        return fail(param, tr("'%1': %2 is not supported by this endpoint.").arg(param, what));
    }
    bool required(const QString &param)
    {
        return fail(param, tr("'%1': the field is required.").arg(param));
    }
    // A whole number in [min, max]; absent (or null) is fine unless `needed`.
    bool integer(const QJsonObject &o, const char *name, double min, double max, bool needed, std::optional<qint64> *out)
    {
        const QJsonValue v = o.value(QLatin1String(name));
        const QString param = QLatin1String(name);
        if (absent(v))
            return !needed || required(param);
        const double d = v.toDouble();
        if (!v.isDouble() || std::trunc(d) != d)
            return wrongType(param, v, tr("an integer"));
        if (d < min || d > max)
            return fail(param, tr("'%1' must be from %2 to %3; it is %4.")
                                   .arg(param, QString::number(min, 'g', 12), QString::number(max, 'g', 12),
                                        QString::number(d, 'g', 12)));
        *out = qint64(d);
        return true;
    }
    bool decimal(const QJsonObject &o, const char *name, double min, double max, std::optional<double> *out)
    {
        const QJsonValue v = o.value(QLatin1String(name));
        const QString param = QLatin1String(name);
        if (absent(v))
            return true;
        if (!v.isDouble())
            return wrongType(param, v, tr("a number"));
        if (v.toDouble() < min || v.toDouble() > max)
            return fail(param, tr("'%1' must be from %2 to %3; it is %4.")
                                   .arg(param, QString::number(min), QString::number(max), QString::number(v.toDouble())));
        *out = v.toDouble();
        return true;
    }
    bool string(const QJsonObject &o, const char *name, const QString &at, bool needed, QString *out)
    {
        const QJsonValue v = o.value(QLatin1String(name));
        const QString param = at.isEmpty() ? QString(QLatin1String(name)) : at + QLatin1Char('.') + QLatin1String(name);
        if (absent(v))
            return !needed || required(param);
        if (!v.isString())
            return wrongType(param, v, tr("a string"));
        *out = v.toString();
        return true;
    }
    bool object(const QJsonObject &o, const char *name, QJsonObject *out)
    {
        const QJsonValue v = o.value(QLatin1String(name));
        if (absent(v))
            return true;
        if (!v.isObject())
            return wrongType(QLatin1String(name), v, tr("an object"));
        *out = v.toObject();
        return true;
    }

    bool readTop(const QJsonObject &o, bool count, OpenAiRequest &out)
    {
        ChatRequest &r = out.request;
        if (!string(o, "model", {}, true, &out.model))
            return false;
        if (out.model.trimmed().isEmpty())
            return fail(QStringLiteral("model"), tr("'model' must name a model, or \"auto\"."));
        std::optional<qint64> maxTokens;
        if (!integer(o, "max_tokens", 1, 2147483647, !count, &maxTokens))
            return false;
        if (maxTokens)
            r.maxTokens = int(*maxTokens);
        r.maxTokensField = QStringLiteral("max_tokens");
        const QJsonValue stream = o.value(QStringLiteral("stream"));
        if (!absent(stream) && !stream.isBool())
            return wrongType(QStringLiteral("stream"), stream, tr("a boolean"));
        r.stream = stream.toBool();
        if (!decimal(o, "temperature", 0, 2, &r.temperature) || !decimal(o, "top_p", 0, 1, &r.topP))
            return false;
        std::optional<qint64> topK;   // no chat-completions equivalent: checked, then left out
        if (!integer(o, "top_k", 0, 2147483647, false, &topK))
            return false;

        if (const QJsonValue system = o.value(QStringLiteral("system")); !absent(system)) {
            QString text;
            if (!readText(system, QStringLiteral("system"), &text, nullptr))
                return false;
            r.messages << ChatMessage::text(QStringLiteral("system"), text);
        }
        const QJsonValue messages = o.value(QStringLiteral("messages"));
        if (absent(messages))
            return required(QStringLiteral("messages"));
        if (!messages.isArray())
            return wrongType(QStringLiteral("messages"), messages, tr("an array"));
        const QJsonArray list = messages.toArray();
        if (list.isEmpty())
            return fail(QStringLiteral("messages"), tr("'messages' must hold at least one message."));
        for (qsizetype i = 0; i < list.size(); ++i) {
            if (!readMessage(list.at(i), int(i), r.messages))
                return false;
        }

        if (const QJsonValue v = o.value(QStringLiteral("stop_sequences")); !absent(v)) {
            if (!v.isArray())
                return wrongType(QStringLiteral("stop_sequences"), v, tr("an array"));
            QJsonArray stop;
            int i = 0;
            for (const QJsonValue &s : v.toArray()) {
                const QString at = QStringLiteral("stop_sequences.%1").arg(i++);
                if (!s.isString())
                    return wrongType(at, s, tr("a string"));
                if (s.toString().isEmpty())
                    return fail(at, tr("'%1' must not be empty.").arg(at));
                stops << s.toString();
                stop.append(s);
            }
            if (!stop.isEmpty())
                r.extra.insert(QStringLiteral("stop"), stop);
        }
        if (!readTools(o, r) || !readToolChoice(o, r) || !readThinking(o, r))
            return false;

        QJsonObject metadata;
        if (!object(o, "metadata", &metadata))
            return false;
        QString user;
        if (!string(metadata, "user_id", QStringLiteral("metadata"), false, &user)
            || !string(metadata, "task_type", QStringLiteral("metadata"), false, &out.taskType))
            return false;
        if (!user.isEmpty())
            r.extra.insert(QStringLiteral("user"), user);
        return true;
    }

    // A string, or a list of text blocks (system prompts, tool results); images in a tool result's
    // list go to `images` when it is given.
    bool readText(const QJsonValue &v, const QString &at, QString *text, QList<ChatMessage::Image> *images)
    {
        if (v.isString()) {
            *text = v.toString();
            return true;
        }
        if (!v.isArray())
            return wrongType(at, v, tr("a string or an array of blocks"));
        QStringList texts;
        const auto other = [this](const QJsonObject &, const QString &blockAt, const QString &type) {
            return unsupported(blockAt + QStringLiteral(".type"), tr("a block of type \"%1\" here").arg(type.left(100)));
        };
        if (!readBlocks(v.toArray(), at, &texts, images, other))
            return false;
        *text = texts.join(QStringLiteral("\n\n"));
        return true;
    }

    // The blocks of a content list at `at`, in order: each an object with a `type`; a text block's
    // text goes to *texts, an image block's image to *images when it is given (an image is refused
    // where it is not), and any other block to `other`, which takes it or refuses it.
    template<typename Other>
    bool readBlocks(const QJsonArray &blocks, const QString &at, QStringList *texts, QList<ChatMessage::Image> *images,
                    const Other &other)
    {
        int j = 0;
        for (const QJsonValue &b : blocks) {
            const QString blockAt = at + QStringLiteral(".%1").arg(j++);
            if (!b.isObject())
                return wrongType(blockAt, b, tr("an object"));
            const QJsonObject block = b.toObject();
            QString type;
            if (!string(block, "type", blockAt, true, &type))
                return false;
            if (type == u"text") {
                QString t;
                if (!string(block, "text", blockAt, true, &t))
                    return false;
                *texts << t;
            } else if (type == u"image" && images) {
                ChatMessage::Image image;
                if (!readImage(block, blockAt, &image))
                    return false;
                images->append(image);
            } else if (!other(block, blockAt, type)) {
                return false;
            }
        }
        return true;
    }

    bool readImage(const QJsonObject &block, const QString &at, ChatMessage::Image *image)
    {
        const QJsonValue sv = block.value(QStringLiteral("source"));
        const QString sourceAt = at + QStringLiteral(".source");
        if (absent(sv))
            return required(sourceAt);
        if (!sv.isObject())
            return wrongType(sourceAt, sv, tr("an object"));
        const QJsonObject source = sv.toObject();
        QString type;
        if (!string(source, "type", sourceAt, true, &type))
            return false;
        if (type == u"base64") {
            QString mediaType;
            QString data;
            if (!string(source, "media_type", sourceAt, true, &mediaType) || !string(source, "data", sourceAt, true, &data))
                return false;
            if (!mediaType.startsWith(QLatin1String("image/")) || mediaType.size() > 100)
                return fail(sourceAt + QStringLiteral(".media_type"),
                            tr("'%1.media_type' must be an image type such as image/png.").arg(sourceAt));
            auto decoded = QByteArray::fromBase64Encoding(data.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
            if (!decoded || decoded.decoded.isEmpty())
                return fail(sourceAt + QStringLiteral(".data"), tr("'%1.data' is not base64 image data.").arg(sourceAt));
            image->mimeType = mediaType.toLatin1();
            image->data = std::move(decoded.decoded);
            return true;
        }
        if (type == u"url") {
            QString url;
            if (!string(source, "url", sourceAt, true, &url))
                return false;
            if (!url.startsWith(QLatin1String("https://")) && !url.startsWith(QLatin1String("http://")))
                return fail(sourceAt + QStringLiteral(".url"), tr("'%1.url' must be an http(s) URL.").arg(sourceAt));
            image->url = url;
            return true;
        }
        return unsupported(sourceAt + QStringLiteral(".type"), tr("an image source of type \"%1\"").arg(type.left(100)));
    }

    // One Messages message: a system message, a user message (its tool results first, as `tool`
    // messages, then its text and images) or an assistant message (text, tool calls, reasoning).
    bool readMessage(const QJsonValue &v, int index, QList<ChatMessage> &out)
    {
        const QString at = QStringLiteral("messages.%1").arg(index);
        if (!v.isObject())
            return wrongType(at, v, tr("an object"));
        const QJsonObject m = v.toObject();
        QString role;
        if (!string(m, "role", at, true, &role))
            return false;
        if (role != u"user" && role != u"assistant" && role != u"system")
            return fail(at + QStringLiteral(".role"),
                        tr("'%1.role' must be \"user\", \"assistant\" or \"system\".").arg(at));
        const QJsonValue content = m.value(QStringLiteral("content"));
        const QString contentAt = at + QStringLiteral(".content");
        if (absent(content))
            return required(contentAt);
        if (role == u"system") {
            QString text;
            if (!readText(content, contentAt, &text, nullptr))
                return false;
            out << ChatMessage::text(role, text);
            return true;
        }
        if (content.isString()) {
            out << ChatMessage::text(role, content.toString());
            return true;
        }
        if (!content.isArray())
            return wrongType(contentAt, content, tr("a string or an array of blocks"));

        const bool assistant = role == u"assistant";
        ChatMessage message;
        message.role = role;
        QStringList texts;
        QStringList reasoning;
        const qsizetype before = out.size();
        const auto other = [&](const QJsonObject &block, const QString &blockAt, const QString &type) {
            if (type == u"tool_use" && assistant) {
                QString id;
                QString name;
                if (!string(block, "id", blockAt, true, &id) || !string(block, "name", blockAt, true, &name))
                    return false;
                const QJsonValue input = block.value(QStringLiteral("input"));
                if (!absent(input) && !input.isObject())
                    return wrongType(blockAt + QStringLiteral(".input"), input, tr("an object"));
                const QByteArray arguments = QJsonDocument(input.toObject()).toJson(QJsonDocument::Compact);
                message.toolCalls.append(QJsonObject {
                    {QStringLiteral("id"), id},
                    {QStringLiteral("type"), QStringLiteral("function")},
                    {QStringLiteral("function"),
                     QJsonObject {{QStringLiteral("name"), name}, {QStringLiteral("arguments"), QString::fromUtf8(arguments)}}}});
            } else if (type == u"tool_result" && !assistant) {
                ChatMessage tool;
                tool.role = QStringLiteral("tool");
                if (!string(block, "tool_use_id", blockAt, true, &tool.toolCallId))
                    return false;
                const QJsonValue result = block.value(QStringLiteral("content"));
                if (!absent(result) && !readText(result, blockAt + QStringLiteral(".content"), &tool.content, &message.images))
                    return false;
                const QJsonValue isError = block.value(QStringLiteral("is_error"));
                if (!absent(isError) && !isError.isBool())
                    return wrongType(blockAt + QStringLiteral(".is_error"), isError, tr("a boolean"));
                if (isError.toBool())   // chat completions has no such flag: the model reads it
                    tool.content = QStringLiteral("Error: ") + tool.content;
                out << tool;
            } else if ((type == u"thinking" || type == u"redacted_thinking") && assistant) {
                // A redacted block's data is Anthropic's ciphertext: nothing a provider here can read.
                if (type == u"thinking") {
                    QString t;
                    if (!string(block, "thinking", blockAt, true, &t))
                        return false;
                    reasoning << t;
                }
            } else if (type == u"tool_use" || type == u"tool_result" || type == u"thinking" || type == u"redacted_thinking"
                       || type == u"image") {
                return fail(blockAt + QStringLiteral(".type"),
                            tr("'%1.type': a %2 block cannot be in a message of role \"%3\".").arg(blockAt, type, role));
            } else {
                return unsupported(blockAt + QStringLiteral(".type"), tr("a block of type \"%1\"").arg(type.left(100)));
            }
            return true;
        };
        if (!readBlocks(content.toArray(), contentAt, &texts, assistant ? nullptr : &message.images, other))
            return false;
        message.content = texts.join(QStringLiteral("\n\n"));
        message.reasoning = reasoning.join(QString());
        if (assistant) {
            message.contentNull = message.content.isEmpty() && !message.toolCalls.isEmpty();
            out << message;
        } else if (!message.content.isEmpty() || !message.images.isEmpty() || out.size() == before) {
            out << message;   // after its tool results; nothing when it held only tool results
        }
        return true;
    }

    bool readTools(const QJsonObject &o, ChatRequest &r)
    {
        const QJsonValue v = o.value(QStringLiteral("tools"));
        if (absent(v))
            return true;
        if (!v.isArray())
            return wrongType(QStringLiteral("tools"), v, tr("an array"));
        int i = 0;
        for (const QJsonValue &t : v.toArray()) {
            const QString at = QStringLiteral("tools.%1").arg(i++);
            if (!t.isObject())
                return wrongType(at, t, tr("an object"));
            const QJsonObject tool = t.toObject();
            QString type;
            if (!string(tool, "type", at, false, &type))
                return false;
            if (!type.isEmpty() && type != u"custom")
                return unsupported(at + QStringLiteral(".type"),
                                   tr("the server tool \"%1\" (only tools with an input_schema are)").arg(type.left(100)));
            QString name;
            QString description;
            if (!string(tool, "name", at, true, &name) || !string(tool, "description", at, false, &description))
                return false;
            const QJsonValue schema = tool.value(QStringLiteral("input_schema"));
            if (absent(schema))
                return required(at + QStringLiteral(".input_schema"));
            if (!schema.isObject())
                return wrongType(at + QStringLiteral(".input_schema"), schema, tr("an object"));
            QJsonObject function {{QStringLiteral("name"), name}, {QStringLiteral("parameters"), schema}};
            if (!description.isEmpty())
                function.insert(QStringLiteral("description"), description);
            r.tools.append(QJsonObject {{QStringLiteral("type"), QStringLiteral("function")},
                                        {QStringLiteral("function"), function}});
        }
        return true;
    }

    bool readToolChoice(const QJsonObject &o, ChatRequest &r)
    {
        QJsonObject choice;
        if (!object(o, "tool_choice", &choice))
            return false;
        if (choice.isEmpty())
            return true;
        QString type;
        if (!string(choice, "type", QStringLiteral("tool_choice"), true, &type))
            return false;
        if (type == u"any") {
            r.extra.insert(QStringLiteral("tool_choice"), QStringLiteral("required"));
        } else if (type == u"none") {
            r.extra.insert(QStringLiteral("tool_choice"), QStringLiteral("none"));
        } else if (type == u"tool") {
            QString name;
            if (!string(choice, "name", QStringLiteral("tool_choice"), true, &name))
                return false;
            r.extra.insert(QStringLiteral("tool_choice"),
                           QJsonObject {{QStringLiteral("type"), QStringLiteral("function")},
                                        {QStringLiteral("function"), QJsonObject {{QStringLiteral("name"), name}}}});
        } else if (type != u"auto") {
            return fail(QStringLiteral("tool_choice.type"),
                        tr("'tool_choice.type' must be \"auto\", \"any\", \"tool\" or \"none\"."));
        }
        const QJsonValue serial = choice.value(QStringLiteral("disable_parallel_tool_use"));
        if (!absent(serial) && !serial.isBool())
            return wrongType(QStringLiteral("tool_choice.disable_parallel_tool_use"), serial, tr("a boolean"));
        if (serial.toBool() && type != u"none")
            r.extra.insert(QStringLiteral("parallel_tool_calls"), false);
        return true;
    }

    // thinking and output_config.effort → the engine's thinking switch and reasoning_effort, with
    // LiteLLM's budget table (1024 low, 2048 medium, 4096 high).
    bool readThinking(const QJsonObject &o, ChatRequest &r)
    {
        QJsonObject thinking;
        QJsonObject output;
        if (!object(o, "thinking", &thinking) || !object(o, "output_config", &output))
            return false;
        QString effort;
        if (!thinking.isEmpty()) {
            QString type;
            if (!string(thinking, "type", QStringLiteral("thinking"), true, &type))
                return false;
            if (type == u"enabled") {
                const QJsonValue b = thinking.value(QStringLiteral("budget_tokens"));
                if (absent(b))
                    return required(QStringLiteral("thinking.budget_tokens"));
                if (!b.isDouble() || std::trunc(b.toDouble()) != b.toDouble())
                    return wrongType(QStringLiteral("thinking.budget_tokens"), b, tr("an integer"));
                if (b.toDouble() < 1024)
                    return fail(QStringLiteral("thinking.budget_tokens"), tr("'thinking.budget_tokens' must be at least 1024."));
                const double tokens = b.toDouble();
                effort = tokens >= 4096 ? QStringLiteral("high") : tokens >= 2048 ? QStringLiteral("medium") : QStringLiteral("low");
                r.thinking = ChatRequest::Thinking::On;
            } else if (type == u"adaptive") {
                r.thinking = ChatRequest::Thinking::On;
            } else if (type == u"disabled") {
                r.thinking = ChatRequest::Thinking::Off;
            } else {
                return fail(QStringLiteral("thinking.type"),
                            tr("'thinking.type' must be \"enabled\", \"adaptive\" or \"disabled\"."));
            }
        }
        QString asked;
        if (!string(output, "effort", QStringLiteral("output_config"), false, &asked))
            return false;
        if (!asked.isEmpty()) {
            static const QStringList levels {QStringLiteral("low"), QStringLiteral("medium"), QStringLiteral("high"),
                                             QStringLiteral("xhigh"), QStringLiteral("max")};
            if (!levels.contains(asked))
                return fail(QStringLiteral("output_config.effort"),
                            tr("'output_config.effort' must be one of %1.").arg(levels.join(QStringLiteral(", "))));
            effort = asked;
        }
        if (!effort.isEmpty() && r.thinking != ChatRequest::Thinking::Off)
            r.extra.insert(QStringLiteral("reasoning_effort"), effort);
        // Structured output: a JSON schema the answer must follow.
        if (const QJsonValue format = output.value(QStringLiteral("format")); !absent(format)) {
            if (!format.isObject())
                return wrongType(QStringLiteral("output_config.format"), format, tr("an object"));
            const QJsonObject f = format.toObject();
            const QJsonValue schema = f.value(QStringLiteral("schema"));
            if (f.value(QStringLiteral("type")).toString() != u"json_schema" || !schema.isObject())
                return fail(QStringLiteral("output_config.format"),
                            tr("'output_config.format' must be {\"type\": \"json_schema\", \"schema\": {…}}."));
            r.extra.insert(QStringLiteral("response_format"),
                           QJsonObject {{QStringLiteral("type"), QStringLiteral("json_schema")},
                                        {QStringLiteral("json_schema"),
                                         QJsonObject {{QStringLiteral("name"), QStringLiteral("output")},
                                                      {QStringLiteral("schema"), schema},
                                                      {QStringLiteral("strict"), true}}}});
        }
        return true;
    }

    OpenAiRequest::Problem *m_problem;
};

} // namespace

std::optional<MessagesRequest> MessagesRequest::fromJson(const QByteArray &body, bool count, OpenAiRequest::Problem *problem)
{
    MessagesReader reader(problem);
    std::optional<OpenAiRequest> chat = reader.read(body, count);
    if (!chat)
        return std::nullopt;
    MessagesRequest out;
    out.chat = std::move(*chat);
    out.stops = std::move(reader.stops);
    return out;
}
