#include "RequestBuilder.h"

#include "NetworkPolicy.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace {

// Kimi k2.6 and later fix temperature, top_p and the penalties; other values are an error.
bool kimiFixedSampling(const QString &modelId)
{
    static const QRegularExpression re(QStringLiteral("^kimi-k(\\d+)(?:\\.(\\d+))?"));
    const QRegularExpressionMatch m = re.match(modelId);
    if (!m.hasMatch())
        return false;
    const int major = m.captured(1).toInt();
    const int minor = m.captured(2).toInt();
    return major > 2 || (major == 2 && minor >= 6);
}

QJsonValue content(const ChatMessage &m, Dialect dialect, QString *error)
{
    if (m.images.isEmpty())
        return m.content;
    QJsonArray parts;
    if (!m.content.isEmpty())
        parts.append(QJsonObject {{QStringLiteral("type"), QStringLiteral("text")}, {QStringLiteral("text"), m.content}});
    for (const ChatMessage::Image &image : m.images) {
        QString url;
        if (!image.data.isEmpty()) {
            url = QStringLiteral("data:%1;base64,%2").arg(QString::fromLatin1(image.mimeType), QString::fromLatin1(image.data.toBase64()));
        } else {
            // Kimi refuses image URLs; it wants the image itself.
            if (dialect == Dialect::Moonshot) {
                *error = RequestBuilder::tr("Kimi does not fetch images from links; attach the image file instead.");
                return {};
            }
            url = image.url;
        }
        parts.append(QJsonObject {{QStringLiteral("type"), QStringLiteral("image_url")},
                                  {QStringLiteral("image_url"), QJsonObject {{QStringLiteral("url"), url}}}});
    }
    return parts;
}

} // namespace

bool RequestBuilder::streamingAllowed(const ProviderConfig &provider)
{
    return provider.streaming && qEnvironmentVariableIntValue("DISABLE_STREAMING_BETA") != 1;
}

QUrl RequestBuilder::endpoint(const ProviderConfig &provider, const QString &path)
{
    QUrl url = provider.baseUrl;
    QString base = url.path();
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    url.setPath(base + path);
    return url;
}

QString RequestBuilder::unsupported(const ProviderConfig &provider, const ModelConfig &model, const ChatRequest &request)
{
    const ModelCapabilities caps = modelCapabilities(provider.dialect, model);
    for (const ChatMessage &m : request.messages) {
        if (!m.images.isEmpty() && !model.vision)
            return tr("%1 cannot see images").arg(model.name);
    }
    const QJsonValue toolChoice = request.extra.value(QStringLiteral("tool_choice"));
    const bool forced = toolChoice.isObject() || toolChoice.toString() == u"required";
    if (forced && !caps.forcedToolChoice)
        return tr("%1 cannot be made to call a tool (tool_choice \"%2\")")
            .arg(model.name, toolChoice.isObject() ? toolChoice.toObject().value(QStringLiteral("function")).toObject()
                                                         .value(QStringLiteral("name")).toString()
                                                   : toolChoice.toString());
    if (request.extra.value(QStringLiteral("parallel_tool_calls")) == QJsonValue(false) && !caps.parallelToolCalls
        && !request.tools.isEmpty())
        return tr("%1 cannot be held to one tool call at a time (parallel_tool_calls: false)").arg(model.name);
    return QString();
}

QString RequestBuilder::jsonInstruction(const QJsonObject &schema)
{
    // Words for the model, not the user: not translated.
    if (schema.isEmpty())
        return QStringLiteral("Answer with one JSON object and nothing else.");
    return QStringLiteral("Answer with one JSON object and nothing else. It must match this JSON schema:\n")
           + QString::fromUtf8(QJsonDocument(schema).toJson(QJsonDocument::Compact));
}

namespace {

// DeepSeek's effort levels are low, high and max (providers.md §1.3).
QString deepSeekEffort(const QString &effort)
{
    if (effort == u"minimal" || effort == u"low")
        return QStringLiteral("low");
    if (effort == u"medium" || effort == u"high" || effort == u"xhigh")
        return QStringLiteral("high");
    if (effort == u"max" || effort == u"ultra")
        return QStringLiteral("max");
    return effort;
}

} // namespace

RequestBuilder::Built RequestBuilder::build(const ProviderConfig &provider, const ModelConfig &model,
                                            const ChatRequest &request, const QString &apiKey)
{
    Built out;
    const Dialect dialect = provider.dialect;
    const bool stream = request.stream && streamingAllowed(provider);
    const ModelCapabilities caps = modelCapabilities(dialect, model);
    if (const QString why = unsupported(provider, model, request); !why.isEmpty()) {
        out.error = why;
        return out;
    }

    // The client's own fields first; what Switchyard sets below takes their place.
    QJsonObject body = request.extra;
    const auto drop = [&](const QString &name) {
        if (body.contains(name)) {
            body.remove(name);
            out.dropped << name;
        }
    };

    QJsonArray messages;
    for (const ChatMessage &m : request.messages) {
        QString role = m.role;
        // Only OpenAI itself (and gateways that pass it on) know the developer role.
        if (role == u"developer" && dialect != Dialect::OpenAI && dialect != Dialect::OpenRouter)
            role = QStringLiteral("system");
        QJsonObject message = m.extra;
        message.insert(QStringLiteral("role"), role);
        QString error;
        if (m.contentNull && m.content.isEmpty() && m.images.isEmpty())
            message.insert(QStringLiteral("content"), QJsonValue::Null);
        else
            message.insert(QStringLiteral("content"), content(m, dialect, &error));
        if (!error.isEmpty()) {
            out.error = error;
            return out;
        }
        if (!m.toolCallId.isEmpty())
            message.insert(QStringLiteral("tool_call_id"), m.toolCallId);
        if (!m.toolCalls.isEmpty())
            message.insert(QStringLiteral("tool_calls"), m.toolCalls);
        // Reasoning goes back where the provider needs it: DeepSeek after tool calls, Kimi always.
        if (role == u"assistant" && !m.reasoning.isEmpty()
            && ((dialect == Dialect::DeepSeek && !m.toolCalls.isEmpty()) || dialect == Dialect::Moonshot))
            message.insert(QStringLiteral("reasoning_content"), m.reasoning);
        // MiniMax's interleaved thinking needs its reasoning back around tool calls.
        if (role == u"assistant" && !m.reasoning.isEmpty() && dialect == Dialect::MiniMax && !m.toolCalls.isEmpty())
            message.insert(QStringLiteral("reasoning_details"),
                           QJsonArray {QJsonObject {{QStringLiteral("type"), QStringLiteral("reasoning.text")},
                                                    {QStringLiteral("text"), m.reasoning}}});
        messages.append(message);
    }

    // Structured output: json_schema where the model takes it; otherwise JSON mode or the prompt
    // carries the schema, and ProviderCall checks that the answer parses.
    const QJsonObject format = body.value(QStringLiteral("response_format")).toObject();
    const QString formatType = format.value(QStringLiteral("type")).toString();
    const bool wantsSchema = formatType == u"json_schema";
    if ((wantsSchema && caps.structuredOutput != StructuredOutput::JsonSchema)
        || (formatType == u"json_object" && caps.structuredOutput == StructuredOutput::None)) {
        const QString instruction = jsonInstruction(
            format.value(QStringLiteral("json_schema")).toObject().value(QStringLiteral("schema")).toObject());
        QJsonObject first = messages.isEmpty() ? QJsonObject() : messages.first().toObject();
        if (first.value(QStringLiteral("role")).toString() == u"system" && first.value(QStringLiteral("content")).isString()) {
            first.insert(QStringLiteral("content"), QString(first.value(QStringLiteral("content")).toString() + QStringLiteral("\n\n") + instruction));
            messages.replace(0, first);
        } else {
            messages.prepend(QJsonObject {{QStringLiteral("role"), QStringLiteral("system")}, {QStringLiteral("content"), instruction}});
        }
        if (caps.structuredOutput == StructuredOutput::JsonObject)
            body.insert(QStringLiteral("response_format"), QJsonObject {{QStringLiteral("type"), QStringLiteral("json_object")}});
        else
            body.remove(QStringLiteral("response_format"));
        out.checkJson = true;
    } else if (formatType == u"text" && caps.structuredOutput == StructuredOutput::None) {
        body.remove(QStringLiteral("response_format"));   // plain text is what it answers anyway
    }

    body.insert(QStringLiteral("model"), model.id);
    body.insert(QStringLiteral("messages"), messages);
    body.insert(QStringLiteral("stream"), stream);
    if (stream)
        body.insert(QStringLiteral("stream_options"), QJsonObject {{QStringLiteral("include_usage"), true}});
    if (!request.tools.isEmpty())
        body.insert(QStringLiteral("tools"), request.tools);

    if (dialect == Dialect::MiniMax) {
        // MiniMax takes none of these (providers.md §3.2). tool_choice "none" can still be kept:
        // without tools the model cannot call one.
        if (body.value(QStringLiteral("tool_choice")).toString() == u"none") {
            body.remove(QStringLiteral("tool_choice"));
            body.remove(QStringLiteral("tools"));
        }
        for (const char *field : {"tool_choice", "parallel_tool_calls", "seed", "presence_penalty", "frequency_penalty"})
            drop(QLatin1String(field));
    }

    const bool fixedSampling = dialect == Dialect::Moonshot && kimiFixedSampling(model.id);
    if (fixedSampling) {
        // Any value but the model's own is an error there.
        if (request.temperature)
            out.dropped << QStringLiteral("temperature");
        if (request.topP)
            out.dropped << QStringLiteral("top_p");
        for (const char *field : {"n", "presence_penalty", "frequency_penalty"})
            drop(QLatin1String(field));
    }
    if (request.temperature && !fixedSampling) {
        double t = *request.temperature;
        if (dialect == Dialect::MiniMax)
            t = std::clamp(t, 0.0, 2.0);   // MiniMax refuses values outside [0, 2]
        body.insert(QStringLiteral("temperature"), t);
    }
    if (request.topP && !fixedSampling)
        body.insert(QStringLiteral("top_p"), *request.topP);
    if (request.maxTokens) {
        QString field = QStringLiteral("max_tokens");
        if (dialect == Dialect::MiniMax)
            field = QStringLiteral("max_completion_tokens");
        else if ((dialect == Dialect::OpenAI || dialect == Dialect::OpenRouter) && !request.maxTokensField.isEmpty())
            field = request.maxTokensField;
        body.insert(field, *request.maxTokens);
    }

    // reasoning_effort, in each provider's words.
    using T = ChatRequest::Thinking;
    T thinking = request.thinking;
    const QString effort = body.take(QStringLiteral("reasoning_effort")).toString();
    if (!effort.isEmpty()) {
        if (thinking == T::Default)
            thinking = effort == u"none" ? T::Off : T::On;
        const bool none = effort == u"none";
        switch (dialect) {
        case Dialect::DeepSeek:
            if (!none)
                body.insert(QStringLiteral("reasoning_effort"), deepSeekEffort(effort));
            break;
        case Dialect::Moonshot:
            if (!none && model.id.startsWith(QLatin1String("kimi-k3")))
                body.insert(QStringLiteral("reasoning_effort"), QStringLiteral("max"));   // the only level K3 takes
            else if (!none)
                out.dropped << QStringLiteral("reasoning_effort");
            if (!none)
                thinking = request.thinking;   // levels do not exist there; thinking stays as it was
            break;
        case Dialect::MiniMax:
            if (!none) {
                out.dropped << QStringLiteral("reasoning_effort");
                thinking = request.thinking;
            }
            break;
        case Dialect::DashScope:
            if (!none)
                body.insert(QStringLiteral("reasoning_effort"), effort);
            break;
        case Dialect::OpenRouter:
            if (!none && !body.contains(QStringLiteral("reasoning"))) {
                body.insert(QStringLiteral("reasoning"), QJsonObject {{QStringLiteral("effort"), effort}});
                thinking = T::Default;
            } else if (!none) {
                out.dropped << QStringLiteral("reasoning_effort");   // the client's own `reasoning` says it
            }
            break;
        case Dialect::OpenAI:
            body.insert(QStringLiteral("reasoning_effort"), effort);
            thinking = T::Default;
            break;
        }
    }

    // A thinking switch the client wrote in the provider's own words is kept.
    switch (dialect) {
    case Dialect::DeepSeek:
        if (thinking != T::Default && !body.contains(QStringLiteral("thinking")))
            body.insert(QStringLiteral("thinking"),
                        QJsonObject {{QStringLiteral("type"), thinking == T::On ? QStringLiteral("enabled")
                                                                                : QStringLiteral("disabled")}});
        break;
    case Dialect::Moonshot:
        if (thinking == T::Off && !body.contains(QStringLiteral("thinking")))
            body.insert(QStringLiteral("thinking"), QJsonObject {{QStringLiteral("type"), QStringLiteral("disabled")}});
        break;
    case Dialect::MiniMax:
        body.insert(QStringLiteral("reasoning_split"), true);   // reasoning apart from the answer
        if (thinking == T::Off && !body.contains(QStringLiteral("thinking")))
            body.insert(QStringLiteral("thinking"), QJsonObject {{QStringLiteral("type"), QStringLiteral("disabled")}});
        break;
    case Dialect::DashScope:
        // Several models think only when streaming and answer 400 to enable_thinking otherwise.
        if (!stream && model.reasoning) {
            if (body.value(QStringLiteral("enable_thinking")).toBool())
                out.dropped << QStringLiteral("enable_thinking");   // not without streaming, there
            body.insert(QStringLiteral("enable_thinking"), false);
        }
        else if (thinking != T::Default && !body.contains(QStringLiteral("enable_thinking")))
            body.insert(QStringLiteral("enable_thinking"), thinking == T::On);
        break;
    case Dialect::OpenRouter:
        body.insert(QStringLiteral("usage"), QJsonObject {{QStringLiteral("include"), true}});
        if (thinking != T::Default && !body.contains(QStringLiteral("reasoning")))
            body.insert(QStringLiteral("reasoning"), QJsonObject {{QStringLiteral("enabled"), thinking == T::On}});
        break;
    case Dialect::OpenAI:
        break;
    }

    QNetworkRequest http(endpoint(provider, QStringLiteral("/chat/completions")));
    http.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    http.setRawHeader("Accept", stream ? "text/event-stream" : "application/json");
    http.setRawHeader("User-Agent", "Switchyard/" SWITCHYARD_VERSION_STRING);
    if (!apiKey.isEmpty())
        http.setRawHeader("Authorization", "Bearer " + apiKey.toUtf8());
    // A redirect to another host must not carry the key there.
    http.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::SameOriginRedirectPolicy);
    NetworkPolicy::instance().prepare(http);   // extra trusted certificates, for QNetworkAccessManager
    out.request = http;
    out.json = body;
    out.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return out;
}
