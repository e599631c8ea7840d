#include "StreamNormalizer.h"

#include "ErrorClassifier.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace {

const QString openTag = QStringLiteral("<think>");
const QString closeTag = QStringLiteral("</think>");

// How many characters at the end of `text` could be the start of `tag`.
qsizetype partialTagLength(const QString &text, const QString &tag)
{
    for (qsizetype n = std::min(text.size(), tag.size() - 1); n > 0; --n) {
        if (QStringView(text).right(n) == QStringView(tag).left(n))
            return n;
    }
    return 0;
}

qint64 tokens(const QJsonObject &o, const char *key)
{
    const QJsonValue v = o.value(QLatin1String(key));
    return v.isDouble() ? v.toInteger() : -1;
}

StreamEvent toolCallEvent(const QJsonObject &call)
{
    StreamEvent ev;
    ev.kind = StreamEvent::Kind::ToolCall;
    ev.toolCall.index = call.value(QStringLiteral("index")).toInt();
    ev.toolCall.id = call.value(QStringLiteral("id")).toString();
    const QJsonObject function = call.value(QStringLiteral("function")).toObject();
    ev.toolCall.name = function.value(QStringLiteral("name")).toString();
    ev.toolCall.argumentsDelta = function.value(QStringLiteral("arguments")).toString();
    return ev;
}

QString normalizedFinish(const QString &reason)
{
    if (reason == u"tool_calls" || reason == u"function_call")
        return QStringLiteral("tool_calls");
    return reason;
}

} // namespace

StreamNormalizer::StreamNormalizer(Dialect dialect, Sink sink)
    : m_dialect(dialect)
    , m_sink(std::move(sink))
{
}

void StreamNormalizer::chunk(const QByteArray &json)
{
    QJsonParseError parseError {};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (!doc.isObject()) {
        ProviderError e;
        e.errorClass = ErrorClass::Server;
        e.httpStatus = 200;
        e.providerMessage = QString::fromUtf8(json.left(200));
        error(e);
        return;
    }
    chunk(doc.object());
}

void StreamNormalizer::chunk(const QJsonObject &object)
{
    if (m_failed || m_ended)
        return;
    // MiniMax reports failures inside 200 answers.
    const QJsonObject baseResp = object.value(QStringLiteral("base_resp")).toObject();
    const int baseStatus = baseResp.value(QStringLiteral("status_code")).toInt();
    // OpenRouter's mid-stream error event.
    const QJsonValue streamError = object.value(QStringLiteral("error"));

    usageFrom(object.value(QStringLiteral("usage")));
    const QJsonArray choices = object.value(QStringLiteral("choices")).toArray();
    for (const QJsonValue &c : choices)
        choice(c.toObject());

    if (baseStatus != 0) {
        error(ErrorClassifier::fromBaseResp(baseStatus, baseResp.value(QStringLiteral("status_msg")).toString()));
        return;
    }
    if (streamError.isObject()) {
        error(ErrorClassifier::fromStreamError(streamError.toObject()));
        return;
    }
    if (object.value(QStringLiteral("output_sensitive")).toBool()) {
        ProviderError e;
        e.errorClass = ErrorClass::ContentFilter;
        e.httpStatus = 200;
        e.providerMessage = QStringLiteral("output_sensitive");
        error(e);
    }
}

void StreamNormalizer::message(const QJsonObject &body)
{
    chunk(body);
}

void StreamNormalizer::choice(const QJsonObject &c)
{
    if (c.value(QStringLiteral("index")).toInt() != 0)
        return;   // n > 1 is not requested; ignore extra choices rather than interleave them
    usageFrom(c.value(QStringLiteral("usage")));   // Kimi

    const QJsonValue deltaValue = c.value(QStringLiteral("delta"));
    const QJsonValue messageValue = c.value(QStringLiteral("message"));
    if (deltaValue.isObject()) {
        const QJsonObject delta = deltaValue.toObject();
        // Reasoning first: it precedes the answer in every dialect.
        QString reasoning = delta.value(QStringLiteral("reasoning_content")).toString();
        if (reasoning.isEmpty())
            reasoning = delta.value(QStringLiteral("reasoning")).toString();
        if (reasoning.isEmpty()) {
            for (const QJsonValue &d : delta.value(QStringLiteral("reasoning_details")).toArray())
                reasoning += d.toObject().value(QStringLiteral("text")).toString();
        }
        if (!reasoning.isEmpty())
            reasoningFromFields(reasoning);
        const QString content = delta.value(QStringLiteral("content")).toString();
        if (!content.isEmpty())
            contentDelta(content);
        for (const QJsonValue &t : delta.value(QStringLiteral("tool_calls")).toArray()) {
            m_sink(toolCallEvent(t.toObject()));
        }
    } else if (messageValue.isObject()) {
        // A whole message: the non-streaming answer, or MiniMax's closing copy of what it streamed.
        const QJsonObject message = messageValue.toObject();
        const QString content = message.value(QStringLiteral("content")).toString();
        QString reasoning = message.value(QStringLiteral("reasoning_content")).toString();
        if (reasoning.isEmpty())
            reasoning = message.value(QStringLiteral("reasoning")).toString();
        if (m_content.isEmpty() && m_reasoning.isEmpty() && m_pending.isEmpty()) {
            if (!reasoning.isEmpty())
                reasoningFromFields(reasoning);
            if (!content.isEmpty())
                contentDelta(content);
        }
        // Otherwise the text was streamed already; only usage and the finish are taken from it.
        for (const QJsonValue &t : message.value(QStringLiteral("tool_calls")).toArray()) {
            m_sink(toolCallEvent(t.toObject()));
        }
    }

    const QString finish = c.value(QStringLiteral("finish_reason")).toString();
    if (finish.isEmpty() || finish == u"null")
        return;
    if (finish == u"insufficient_system_resource") {
        ProviderError e;
        e.errorClass = ErrorClass::Overloaded;
        e.httpStatus = 200;
        e.providerCode = finish;
        e.providerMessage = QStringLiteral("insufficient_system_resource");
        error(e);
        return;
    }
    if (finish == u"error")
        return;   // the error object in the same chunk says what happened
    m_finishReason = normalizedFinish(finish);
}

void StreamNormalizer::usageFrom(const QJsonValue &value)
{
    if (!value.isObject())
        return;
    const QJsonObject u = value.toObject();
    Usage usage;
    usage.promptTokens = tokens(u, "prompt_tokens");
    if (usage.promptTokens < 0)
        usage.promptTokens = tokens(u, "input_tokens");
    usage.completionTokens = tokens(u, "completion_tokens");
    if (usage.completionTokens < 0)
        usage.completionTokens = tokens(u, "output_tokens");
    // A usage object without token counts (MiniMax sends {"total_tokens":0,...} early) is not one.
    if (!usage.isValid())
        return;
    const QJsonObject promptDetails = u.value(QStringLiteral("prompt_tokens_details")).toObject();
    usage.cachedTokens = tokens(promptDetails, "cached_tokens");
    if (usage.cachedTokens < 0)
        usage.cachedTokens = tokens(u, "prompt_cache_hit_tokens");   // DeepSeek
    if (usage.cachedTokens < 0)
        usage.cachedTokens = tokens(u, "cached_tokens");             // Kimi
    if (usage.cachedTokens < 0)
        usage.cachedTokens = tokens(u, "cache_read_input_tokens");   // Anthropic-style
    if (usage.cachedTokens < 0 && tokens(u, "prompt_cache_miss_tokens") >= 0 && usage.promptTokens >= 0)
        usage.cachedTokens = usage.promptTokens - tokens(u, "prompt_cache_miss_tokens");
    usage.reasoningTokens = tokens(u.value(QStringLiteral("completion_tokens_details")).toObject(), "reasoning_tokens");
    const QJsonValue cost = u.value(QStringLiteral("cost"));
    if (cost.isDouble())
        usage.costMicrosUsd = qRound64(cost.toDouble() * 1e6);
    m_usage = usage;   // the last one wins; usage is cumulative, never summed
}

void StreamNormalizer::reasoningFromFields(const QString &text)
{
    if (m_reasoningSource == ReasoningSource::Tags)
        return;   // the same reasoning already came as <think> text
    QString piece = text;
    // Some streams resend the whole reasoning so far (cumulative snapshots); keep only what is new.
    // A few characters of prefix are needed before a delta is taken for a snapshot.
    if (m_reasoning.size() >= 6 && piece.size() > m_reasoning.size() && piece.startsWith(m_reasoning))
        piece = piece.mid(m_reasoning.size());
    // Split mode can end the reasoning with a literal </think>, itself split across deltas.
    QString all = m_reasoningTail + piece;
    all.remove(closeTag);
    all.remove(openTag);
    const qsizetype hold = std::max(partialTagLength(all, closeTag), partialTagLength(all, openTag));
    m_reasoningTail = all.right(hold);
    all.chop(hold);
    emitReasoning(all, ReasoningSource::Fields);
}

void StreamNormalizer::contentDelta(const QString &text)
{
    if (m_think == ThinkState::Content) {
        emitContent(text);
        return;
    }
    m_pending += text;
    if (m_think == ThinkState::Start) {
        // <think> counts only when it opens the message.
        const QString lead = QStringView(m_pending).trimmed().toString();
        if (lead.startsWith(openTag)) {
            m_pending = m_pending.mid(m_pending.indexOf(openTag) + openTag.size());
            m_think = ThinkState::InThink;
        } else if (!lead.isEmpty() && openTag.startsWith(lead)) {
            return;   // may still become <think>
        } else if (lead.isEmpty()) {
            return;   // only whitespace so far
        } else {
            m_think = ThinkState::Content;
            emitContent(std::exchange(m_pending, {}));
            return;
        }
    }
    // InThink
    const qsizetype close = m_pending.indexOf(closeTag);
    if (close >= 0) {
        emitReasoning(m_pending.left(close), ReasoningSource::Tags);
        QString rest = m_pending.mid(close + closeTag.size());
        m_pending.clear();
        m_think = ThinkState::Content;
        while (rest.startsWith(QLatin1Char('\n')))
            rest.remove(0, 1);
        if (!rest.isEmpty())
            emitContent(rest);
        return;
    }
    const qsizetype hold = partialTagLength(m_pending, closeTag);
    emitReasoning(m_pending.left(m_pending.size() - hold), ReasoningSource::Tags);
    m_pending = m_pending.right(hold);
}

void StreamNormalizer::emitContent(const QString &text)
{
    if (text.isEmpty())
        return;
    m_content += text;
    StreamEvent ev;
    ev.kind = StreamEvent::Kind::Content;
    ev.text = text;
    m_sink(ev);
}

void StreamNormalizer::emitReasoning(const QString &text, ReasoningSource source)
{
    if (text.isEmpty())
        return;
    if (m_reasoningSource == ReasoningSource::None)
        m_reasoningSource = source;
    if (m_reasoningSource != source)
        return;   // deduplicated: both channels carry the same reasoning
    m_reasoning += text;
    StreamEvent ev;
    ev.kind = StreamEvent::Kind::Reasoning;
    ev.text = text;
    m_sink(ev);
}

void StreamNormalizer::flushThink()
{
    if (!m_reasoningTail.isEmpty())
        emitReasoning(std::exchange(m_reasoningTail, {}), ReasoningSource::Fields);
    if (m_pending.isEmpty())
        return;
    if (m_think == ThinkState::InThink)
        emitReasoning(std::exchange(m_pending, {}), ReasoningSource::Tags);
    else
        emitContent(std::exchange(m_pending, {}));
}

void StreamNormalizer::error(const ProviderError &e)
{
    if (m_failed || m_ended)
        return;
    flushThink();
    m_failed = true;
    if (m_usage.isValid()) {
        StreamEvent usage;
        usage.kind = StreamEvent::Kind::Usage;
        usage.usage = m_usage;
        m_sink(usage);
    }
    StreamEvent ev;
    ev.kind = StreamEvent::Kind::Error;
    ev.error = e;
    m_sink(ev);
}

void StreamNormalizer::fail(const ProviderError &e)
{
    error(e);
}

void StreamNormalizer::end()
{
    if (m_failed || m_ended)
        return;
    flushThink();
    if (m_finishReason.isEmpty()) {
        ProviderError e;
        e.errorClass = ErrorClass::Truncated;
        e.httpStatus = 200;
        error(e);
        m_ended = true;
        return;
    }
    m_ended = true;
    if (m_usage.isValid()) {
        StreamEvent usage;
        usage.kind = StreamEvent::Kind::Usage;
        usage.usage = m_usage;
        m_sink(usage);
    }
    StreamEvent ev;
    ev.kind = StreamEvent::Kind::Finish;
    ev.finishReason = m_finishReason;
    m_sink(ev);
}
