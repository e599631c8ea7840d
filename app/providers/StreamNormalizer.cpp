#include "StreamNormalizer.h"

#include "ErrorClassifier.h"

#include <QJsonDocument>

#include <simdjson.h>

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

using simdjson::dom::element;

QString str(element e)
{
    std::string_view v;
    if (e.get_string().get(v))
        return QString();
    return QString::fromUtf8(v.data(), qsizetype(v.size()));
}

QString str(element parent, const char *key)
{
    element e;
    if (parent[key].get(e))
        return QString();
    return str(e);
}

qint64 tokens(element o, const char *key)
{
    element e;
    if (o[key].get(e))
        return -1;
    int64_t i = 0;
    if (!e.get_int64().get(i))
        return i;
    double d = 0;
    // A count sent as a float ("120.0"); one no provider could mean (negative, 1e55, NaN) is unknown.
    if (!e.get_double().get(d) && d >= 0 && d < 9.0e15)
        return qint64(d);
    return -1;
}

bool member(element parent, const char *key, element *out)
{
    return !parent[key].get(*out) && !out->is_null();
}

// `position` is the call's place in its list: a whole message's calls carry no index of their own.
StreamEvent toolCallEvent(element call, int position)
{
    StreamEvent ev;
    ev.kind = StreamEvent::Kind::ToolCall;
    const qint64 index = tokens(call, "index");
    ev.toolCall.index = index < 0 ? position : int(index);
    ev.toolCall.id = str(call, "id");
    element function;
    if (member(call, "function", &function)) {
        ev.toolCall.name = str(function, "name");
        ev.toolCall.argumentsDelta = str(function, "arguments");
    }
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
    if (m_failed || m_ended)
        return;
    // One parser per normalizer; it keeps its buffers between chunks.
    if (!m_parser)
        m_parser = std::make_shared<simdjson::dom::parser>();
    element root;
    if (m_parser->parse(json.constData(), size_t(json.size())).get(root) || !root.is_object()) {
        ProviderError e;
        e.errorClass = ErrorClass::Server;
        e.httpStatus = 200;
        e.providerMessage = QString::fromUtf8(json.left(200));
        error(e);
        return;
    }

    element value;
    if (member(root, "usage", &value))
        usageFrom(&value);
    simdjson::dom::array choices;
    if (!root["choices"].get_array().get(choices)) {
        for (element c : choices)
            choice(&c);
    }

    // MiniMax reports failures inside 200 answers.
    element baseResp;
    const qint64 baseStatus = member(root, "base_resp", &baseResp) ? tokens(baseResp, "status_code") : 0;
    if (baseStatus > 0) {
        error(ErrorClassifier::fromBaseResp(int(baseStatus), str(baseResp, "status_msg")));
        return;
    }
    // OpenRouter's mid-stream error event.
    element streamError;
    if (member(root, "error", &streamError) && streamError.is_object()) {
        const QByteArray text = QByteArray::fromStdString(simdjson::to_string(streamError));
        error(ErrorClassifier::fromStreamError(QJsonDocument::fromJson(text).object()));
        return;
    }
    for (const char *flag : {"input_sensitive", "output_sensitive"}) {
        bool sensitive = false;
        if (!root[flag].get_bool().get(sensitive) && sensitive) {
            ProviderError e;
            e.errorClass = ErrorClass::ContentFilter;
            e.httpStatus = 200;
            e.providerMessage = QString::fromLatin1(flag);
            error(e);
            return;
        }
    }
}

void StreamNormalizer::message(const QByteArray &body)
{
    chunk(body);
}

void StreamNormalizer::choice(const void *handle)
{
    const element c = *static_cast<const element *>(handle);
    if (tokens(c, "index") > 0)
        return;   // n > 1 is not requested; ignore extra choices rather than interleave them
    element value;
    if (member(c, "usage", &value))
        usageFrom(&value);   // Kimi

    // A delta, or a whole message: the non-streaming answer, or MiniMax's closing copy of what it
    // streamed. From a closing copy only usage and the finish are new; its text came already.
    element part;
    const bool isDelta = member(c, "delta", &part) && part.is_object();
    const bool isMessage = !isDelta && member(c, "message", &part) && part.is_object();
    const bool takeText = isDelta || (isMessage && m_content.isEmpty() && m_reasoning.isEmpty() && m_pending.isEmpty());
    if (takeText) {
        // Reasoning first: it precedes the answer in every dialect.
        QString reasoning = str(part, "reasoning_content");
        if (reasoning.isEmpty())
            reasoning = str(part, "reasoning");
        simdjson::dom::array details;
        if (reasoning.isEmpty() && !part["reasoning_details"].get_array().get(details)) {
            for (element d : details)
                reasoning += str(d, "text");
        }
        if (!reasoning.isEmpty())
            reasoningFromFields(reasoning);
        const QString content = str(part, "content");
        if (!content.isEmpty())
            contentDelta(content);
    }
    // Log probabilities (asked for with `logprobs`), passed on as they came.
    element logprobs;
    if (takeText && member(c, "logprobs", &logprobs) && logprobs.is_object()) {
        StreamEvent ev;
        ev.kind = StreamEvent::Kind::Logprobs;
        ev.logprobs = QByteArray::fromStdString(simdjson::to_string(logprobs));
        m_sink(ev);
    }
    simdjson::dom::array calls;
    if ((isDelta || (isMessage && !m_toolCallsSeen)) && !part["tool_calls"].get_array().get(calls)) {
        int position = 0;
        for (element t : calls) {
            m_toolCallsSeen = true;
            m_sink(toolCallEvent(t, isMessage ? position : 0));
            ++position;
        }
    }

    const QString finish = str(c, "finish_reason");
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
    if (finish == u"content_filter") {
        ProviderError e;
        e.errorClass = ErrorClass::ContentFilter;
        e.httpStatus = 200;
        e.providerCode = finish;
        e.providerMessage = QStringLiteral("finish_reason: content_filter");
        error(e);
        return;
    }
    m_finishReason = normalizedFinish(finish);
}

void StreamNormalizer::usageFrom(const void *handle)
{
    const element u = *static_cast<const element *>(handle);
    if (!u.is_object())
        return;
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
    element details;
    if (member(u, "prompt_tokens_details", &details))
        usage.cachedTokens = tokens(details, "cached_tokens");
    if (usage.cachedTokens < 0)
        usage.cachedTokens = tokens(u, "prompt_cache_hit_tokens");   // DeepSeek
    if (usage.cachedTokens < 0)
        usage.cachedTokens = tokens(u, "cached_tokens");             // Kimi
    if (usage.cachedTokens < 0)
        usage.cachedTokens = tokens(u, "cache_read_input_tokens");   // Anthropic-style
    if (usage.cachedTokens < 0 && tokens(u, "prompt_cache_miss_tokens") >= 0 && usage.promptTokens >= 0)
        usage.cachedTokens = usage.promptTokens - tokens(u, "prompt_cache_miss_tokens");
    if (member(u, "completion_tokens_details", &details))
        usage.reasoningTokens = tokens(details, "reasoning_tokens");
    double cost = 0;
    if (!u["cost"].get_double().get(cost) && cost >= 0 && cost < 1e9)   // a billion dollars is no call's cost
        usage.costMicrosUsd = qRound64(cost * 1e6);
    m_usage = usage;   // the last one wins; usage is cumulative, never summed
}

void StreamNormalizer::reasoningFromFields(const QString &text)
{
    if (m_reasoningSource == ReasoningSource::Tags)
        return;   // the same reasoning already came as <think> text
    QString piece = text;
    // Some streams resend the whole reasoning so far (cumulative snapshots); keep only what is new.
    // Compared with the raw field text, before tags were taken out or held back.
    if (m_rawFieldReasoning.size() >= 2 && piece.size() > m_rawFieldReasoning.size() && piece.startsWith(m_rawFieldReasoning)) {
        const QString raw = piece;
        piece = piece.mid(m_rawFieldReasoning.size());
        m_rawFieldReasoning = raw;
    } else {
        m_rawFieldReasoning += piece;
    }
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
