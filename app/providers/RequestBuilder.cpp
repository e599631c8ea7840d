#include "RequestBuilder.h"

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

RequestBuilder::Built RequestBuilder::build(const ProviderConfig &provider, const ModelConfig &model,
                                            const ChatRequest &request, const QString &apiKey)
{
    Built out;
    const Dialect dialect = provider.dialect;
    const bool stream = request.stream && streamingAllowed(provider);

    QJsonArray messages;
    for (const ChatMessage &m : request.messages) {
        if (!m.images.isEmpty() && !model.vision) {
            out.error = tr("%1 cannot see images; choose a vision model or remove the images.").arg(model.name);
            return out;
        }
        QString role = m.role;
        // Only OpenAI itself (and gateways that pass it on) know the developer role.
        if (role == u"developer" && dialect != Dialect::OpenAI && dialect != Dialect::OpenRouter)
            role = QStringLiteral("system");
        QJsonObject message {{QStringLiteral("role"), role}};
        QString error;
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

    QJsonObject body {{QStringLiteral("model"), model.id}, {QStringLiteral("messages"), messages},
                      {QStringLiteral("stream"), stream}};
    if (stream)
        body.insert(QStringLiteral("stream_options"), QJsonObject {{QStringLiteral("include_usage"), true}});
    if (!request.tools.isEmpty())
        body.insert(QStringLiteral("tools"), request.tools);

    const bool fixedSampling = dialect == Dialect::Moonshot && kimiFixedSampling(model.id);
    if (request.temperature && !fixedSampling) {
        double t = *request.temperature;
        if (dialect == Dialect::MiniMax)
            t = std::clamp(t, 0.0, 2.0);   // MiniMax refuses values outside [0, 2]
        body.insert(QStringLiteral("temperature"), t);
    }
    if (request.topP && !fixedSampling)
        body.insert(QStringLiteral("top_p"), *request.topP);
    if (request.maxTokens)
        body.insert(dialect == Dialect::MiniMax ? QStringLiteral("max_completion_tokens") : QStringLiteral("max_tokens"),
                    *request.maxTokens);

    using T = ChatRequest::Thinking;
    switch (dialect) {
    case Dialect::DeepSeek:
        if (request.thinking != T::Default)
            body.insert(QStringLiteral("thinking"),
                        QJsonObject {{QStringLiteral("type"), request.thinking == T::On ? QStringLiteral("enabled")
                                                                                        : QStringLiteral("disabled")}});
        break;
    case Dialect::Moonshot:
        if (request.thinking == T::Off)
            body.insert(QStringLiteral("thinking"), QJsonObject {{QStringLiteral("type"), QStringLiteral("disabled")}});
        break;
    case Dialect::MiniMax:
        body.insert(QStringLiteral("reasoning_split"), true);   // reasoning apart from the answer
        if (request.thinking == T::Off)
            body.insert(QStringLiteral("thinking"), QJsonObject {{QStringLiteral("type"), QStringLiteral("disabled")}});
        break;
    case Dialect::DashScope:
        // Several models think only when streaming and answer 400 to enable_thinking otherwise.
        if (!stream && model.reasoning)
            body.insert(QStringLiteral("enable_thinking"), false);
        else if (request.thinking != T::Default)
            body.insert(QStringLiteral("enable_thinking"), request.thinking == T::On);
        break;
    case Dialect::OpenRouter:
        body.insert(QStringLiteral("usage"), QJsonObject {{QStringLiteral("include"), true}});
        if (request.thinking != T::Default)
            body.insert(QStringLiteral("reasoning"), QJsonObject {{QStringLiteral("enabled"), request.thinking == T::On}});
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
    out.request = http;
    out.json = body;
    out.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return out;
}
