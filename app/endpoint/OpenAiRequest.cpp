#include "OpenAiRequest.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace {

// Checks the request's typed fields the way OpenAI's API does: the wrong type, or a number out of
// its range, is a 400 naming the field. Null counts as absent, as it does there.
class FieldCheck
{
    Q_DECLARE_TR_FUNCTIONS(OpenAiRequest)

public:
    explicit FieldCheck(const QJsonObject &o)
        : m_o(o)
    {
    }

    bool ok() const { return m_problem.message.isEmpty(); }
    const OpenAiRequest::Problem &problem() const { return m_problem; }

    void boolean(const char *name)
    {
        const QJsonValue v = value(name);
        if (!v.isUndefined() && !v.isBool())
            wrongType(name, v, tr("a boolean"));
    }
    void string(const char *name)
    {
        const QJsonValue v = value(name);
        if (!v.isUndefined() && !v.isString())
            wrongType(name, v, tr("a string"));
    }
    void object(const char *name)
    {
        const QJsonValue v = value(name);
        if (!v.isUndefined() && !v.isObject())
            wrongType(name, v, tr("an object"));
    }
    void array(const char *name)
    {
        const QJsonValue v = value(name);
        if (!v.isUndefined() && !v.isArray())
            wrongType(name, v, tr("an array"));
    }
    void stringOrObject(const char *name)
    {
        const QJsonValue v = value(name);
        if (!v.isUndefined() && !v.isString() && !v.isObject())
            wrongType(name, v, tr("a string or an object"));
    }
    void stringOrArray(const char *name)
    {
        const QJsonValue v = value(name);
        if (!v.isUndefined() && !v.isString() && !v.isArray())
            wrongType(name, v, tr("a string or an array"));
    }
    void decimal(const char *name, double min, double max)
    {
        const QJsonValue v = value(name);
        if (v.isUndefined())
            return;
        if (!v.isDouble()) {
            wrongType(name, v, tr("a decimal"));
            return;
        }
        range(name, v.toDouble(), min, max, QStringLiteral("decimal"));
    }
    void integer(const char *name, double min, double max)
    {
        const QJsonValue v = value(name);
        if (v.isUndefined())
            return;
        const double d = v.toDouble();
        if (!v.isDouble() || std::trunc(d) != d) {
            wrongType(name, v, tr("an integer"));
            return;
        }
        range(name, d, min, max, QStringLiteral("integer"));
    }

private:
    QJsonValue value(const char *name) const
    {
        if (!ok())
            return QJsonValue(QJsonValue::Undefined);
        return OpenAiRequest::field(m_o, QLatin1StringView(name));
    }
    void wrongType(const char *name, const QJsonValue &v, const QString &expected)
    {
        m_problem = {tr("Invalid type for '%1': expected %2, but got %3 instead.")
                         .arg(QLatin1String(name), expected, OpenAiRequest::typeName(v)),
                     QLatin1String(name), QStringLiteral("invalid_type")};
    }
    void range(const char *name, double d, double min, double max, const QString &kind)
    {
        const QString word = kind == u"decimal" ? tr("decimal") : tr("integer");
        if (d < min) {
            m_problem = {tr("Invalid '%1': %2 below minimum value. Expected a value >= %3, but got %4 instead.")
                             .arg(QLatin1String(name), word, QString::number(min, 'g', 12), QString::number(d, 'g', 12)),
                         QLatin1String(name), kind + QStringLiteral("_below_min_value")};
        } else if (d > max) {
            m_problem = {tr("Invalid '%1': %2 above maximum value. Expected a value <= %3, but got %4 instead.")
                             .arg(QLatin1String(name), word, QString::number(max, 'g', 12), QString::number(d, 'g', 12)),
                         QLatin1String(name), kind + QStringLiteral("_above_max_value")};
        }
    }

    const QJsonObject &m_o;
    OpenAiRequest::Problem m_problem;
};

} // namespace

QString OpenAiRequest::typeName(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Bool: return tr("a boolean");
    case QJsonValue::Double: return tr("a number");
    case QJsonValue::String: return tr("a string");
    case QJsonValue::Array: return tr("an array");
    case QJsonValue::Object: return tr("an object");
    default: return tr("null");
    }
}

QJsonValue OpenAiRequest::field(const QJsonObject &o, QLatin1StringView name)
{
    const QJsonValue v = o.value(name);
    return v.isNull() ? QJsonValue(QJsonValue::Undefined) : v;
}

std::optional<OpenAiRequest> OpenAiRequest::fromJson(const QByteArray &body, QString *error, Problem *problem)
{
    Problem unused;
    Problem &p = problem ? *problem : unused;
    const auto fail = [&](const QString &message, const QString &param = {}, const QString &code = QStringLiteral("invalid_request")) {
        p = {message, param, code};
        *error = message;
        return std::nullopt;
    };
    QJsonParseError parseError {};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return fail(tr("The request is not valid JSON: %1 at byte %2.").arg(parseError.errorString()).arg(parseError.offset));
    }
    if (!doc.isObject()) {
        return fail(tr("The request must be a JSON object."));
    }
    return fromObject(doc.object(), error, problem);
}

std::optional<OpenAiRequest> OpenAiRequest::fromObject(const QJsonObject &o, QString *error, Problem *problem)
{
    Problem unused;
    Problem &p = problem ? *problem : unused;
    const auto fail = [&](const QString &message, const QString &param = {}, const QString &code = QStringLiteral("invalid_request")) {
        p = {message, param, code};
        *error = message;
        return std::nullopt;
    };
    FieldCheck check(o);
    check.string("model");
    check.array("messages");
    check.boolean("stream");
    check.object("stream_options");
    check.decimal("temperature", 0, 2);
    check.decimal("top_p", 0, 1);
    check.decimal("presence_penalty", -2, 2);
    check.decimal("frequency_penalty", -2, 2);
    check.integer("max_tokens", 1, 2147483647);
    check.integer("max_completion_tokens", 1, 2147483647);
    check.integer("n", 1, 128);
    check.integer("seed", -9.2e18, 9.2e18);
    check.boolean("logprobs");
    check.integer("top_logprobs", 0, 20);
    check.boolean("parallel_tool_calls");
    check.array("tools");
    check.stringOrObject("tool_choice");
    check.stringOrArray("stop");
    check.object("response_format");
    check.object("metadata");
    check.string("user");
    check.string("reasoning_effort");
    if (!check.ok())
        return fail(check.problem().message, check.problem().param, check.problem().code);
    if (const QJsonValue u = o.value(QStringLiteral("stream_options")).toObject().value(QStringLiteral("include_usage"));
        !u.isUndefined() && !u.isNull() && !u.isBool())
        return fail(tr("Invalid type for 'stream_options.include_usage': expected a boolean, but got %1 instead.").arg(typeName(u)),
                    QStringLiteral("stream_options.include_usage"), QStringLiteral("invalid_type"));
    OpenAiRequest out;
    out.model = o.value(QStringLiteral("model")).toString();
    if (out.model.isEmpty())
        return fail(tr("The request needs \"model\": a model name or \"auto\"."), QStringLiteral("model"));
    const QJsonValue messages = o.value(QStringLiteral("messages"));
    if (!messages.isArray() || messages.toArray().isEmpty())
        return fail(tr("The request needs a non-empty \"messages\" list."), QStringLiteral("messages"));
    int index = 0;
    for (const QJsonValue &v : messages.toArray()) {
        const QString at = QStringLiteral("messages[%1]").arg(index);
        if (!v.isObject())
            return fail(tr("Invalid type for '%1': expected an object, but got %2 instead.").arg(at, typeName(v)), at,
                        QStringLiteral("invalid_type"));
        const QJsonObject m = v.toObject();
        ChatMessage message;
        const QJsonValue role = m.value(QStringLiteral("role"));
        if (!role.isString() || role.toString().isEmpty())
            return fail(tr("Message %1 has no \"role\".").arg(index + 1), at + QStringLiteral(".role"));
        message.role = role.toString();
        for (const char *field : {"name", "tool_call_id", "reasoning_content"}) {
            const QJsonValue f = m.value(QLatin1String(field));
            if (!f.isUndefined() && !f.isNull() && !f.isString())
                return fail(tr("Invalid type for '%1': expected a string, but got %2 instead.")
                                .arg(at + QLatin1Char('.') + QLatin1String(field), typeName(f)),
                            at + QLatin1Char('.') + QLatin1String(field), QStringLiteral("invalid_type"));
        }
        if (const QJsonValue calls = m.value(QStringLiteral("tool_calls")); !calls.isUndefined() && !calls.isNull() && !calls.isArray())
            return fail(tr("Invalid type for '%1': expected an array, but got %2 instead.")
                            .arg(at + QStringLiteral(".tool_calls"), typeName(calls)),
                        at + QStringLiteral(".tool_calls"), QStringLiteral("invalid_type"));
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
                    return fail(tr("Message %1 has a content part of type \"%2\", which is not supported.").arg(index + 1).arg(type),
                                at + QStringLiteral(".content"));
                }
            }
            message.content = texts.join(QLatin1Char('\n'));
        } else if (!content.isNull() && !content.isUndefined()) {
            return fail(tr("The content of message %1 must be a string or a list of parts.").arg(index + 1),
                        at + QStringLiteral(".content"), QStringLiteral("invalid_type"));
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
        out.request.maxTokens = int(maxTokens.toDouble());   // checked above: a whole number in int's range
    out.request.tools = o.value(QStringLiteral("tools")).toArray();
    QJsonObject metadata = o.value(QStringLiteral("metadata")).toObject();
    out.taskType = metadata.take(QStringLiteral("task_type")).toString();

    const QJsonValue n = o.value(QStringLiteral("n"));
    if (!n.isUndefined() && !n.isNull() && n.toDouble() != 1) {
        return fail(tr("\"n\" must be 1 here: the endpoint returns one choice per request; send the request again for "
                       "another."),
                    QStringLiteral("n"));
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
