#pragma once

#include "Config.h"
#include "StreamEvent.h"

#include <QByteArray>

#include <functional>
#include <memory>

namespace simdjson::dom {
class parser;
}

// Turns one provider's chunks (parsed JSON of each SSE event, or a whole non-streaming body) into
// StreamEvents. Handles, for every dialect: usage wherever it comes (top level, choices[0].usage,
// a trailing choices:[] chunk, a final full message; the last one wins, never a sum); cached and
// reasoning tokens under all their names; reasoning in reasoning_content / reasoning /
// reasoning_details / leading <think> tags, split anywhere and not duplicated; the final full
// message without repeating text already streamed; base_resp and mid-stream errors; odd finish
// reasons. Usage and the finish come last, once the stream has ended.
class StreamNormalizer
{
public:
    using Sink = std::function<void(const StreamEvent &)>;

    StreamNormalizer(Dialect dialect, Sink sink);

    // One SSE data payload (already known not to be "[DONE]").
    void chunk(const QByteArray &json);
    // A whole non-streaming chat.completion body.
    void message(const QByteArray &body);
    // The stream is over. Emits the usage, then the finish, or a `truncated` error when none came.
    void end();
    // The stream failed on its own (network, timeout, cancel): emits usage seen so far and `error`.
    void fail(const ProviderError &error);

    bool failed() const { return m_failed; }
    bool finished() const { return !m_finishReason.isEmpty(); }
    const Usage &usage() const { return m_usage; }
    const QString &content() const { return m_content; }
    const QString &reasoning() const { return m_reasoning; }
    QString finishReason() const { return m_finishReason; }

private:
    enum class ThinkState { Start, InThink, Content };
    enum class ReasoningSource { None, Fields, Tags };

    // simdjson elements, passed opaquely to keep simdjson out of this header.
    void choice(const void *element);
    void usageFrom(const void *element);
    void contentDelta(const QString &text);
    void reasoningFromFields(const QString &text);
    void emitContent(const QString &text);
    void emitReasoning(const QString &text, ReasoningSource source);
    void error(const ProviderError &error);
    void flushThink();

    Dialect m_dialect;
    Sink m_sink;
    std::shared_ptr<simdjson::dom::parser> m_parser;   // JSON is the hot path: simdjson, reused
    ThinkState m_think = ThinkState::Start;
    QString m_pending;            // content held back while a <think> tag may still be forming
    QString m_reasoningTail;      // reasoning held back while a stray </think> may be forming
    QString m_rawFieldReasoning;  // reasoning fields as received, to recognise cumulative snapshots
    bool m_toolCallsSeen = false;
    ReasoningSource m_reasoningSource = ReasoningSource::None;
    QString m_content;
    QString m_reasoning;
    Usage m_usage;
    QString m_finishReason;
    bool m_failed = false;
    bool m_ended = false;
};
