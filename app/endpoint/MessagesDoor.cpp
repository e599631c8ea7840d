// POST /v1/messages and /v1/messages/count_tokens: Anthropic's Messages API (Claude Code, the
// Anthropic SDKs, @ai-sdk/anthropic) read into the engine's chat request (MessagesRequest), and the
// engine's answer written back as a `message` or as Anthropic's named SSE events.
#include "Door.h"

#include "Dispatch.h"
#include "Gateway.h"
#include "MessagesRequest.h"
#include "RandomId.h"
#include "RequestAnalyzer.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

namespace {

// Anthropic's usage: input_tokens leaves out the tokens read from the cache, which OpenAI's
// prompt_tokens counts in.
QByteArray usageJson(const Usage &u)
{
    const qint64 prompt = std::max<qint64>(u.promptTokens, 0);
    const qint64 cached = std::min(prompt, std::max<qint64>(u.cachedTokens, 0));
    return "{\"input_tokens\":" + QByteArray::number(prompt - cached) + ",\"cache_creation_input_tokens\":0"
           + ",\"cache_read_input_tokens\":" + QByteArray::number(cached)
           + ",\"output_tokens\":" + QByteArray::number(std::max<qint64>(u.completionTokens, 0)) + '}';
}

QJsonObject usageObject(const Usage &u)
{
    return QJsonDocument::fromJson(usageJson(u)).object();
}

// Writes the answer as Anthropic's `message`, or streamed as its named events (anthropic-ts's
// MessageStream rules): message_start first, then a ping; blocks numbered from 0 in the order they
// start, one open at a time, one kind of delta each (a thinking block's signature_delta last);
// message_delta with stop_reason and usage.output_tokens; message_stop last, nothing after it. A
// stream cut off after it began ends with an `error` event instead.
class MessagesWriter : public DoorWriter
{
public:
    MessagesWriter(bool stream, QStringList stops)
        : m_stream(stream)
        , m_stops(std::move(stops))
    {
        for (const QString &s : std::as_const(m_stops))
            m_longestStop = std::max(m_longestStop, s.size());
    }

    Api api() const override { return Api::Messages; }
    bool streams() const override { return m_stream; }

    void streamEvent(const StreamEvent &ev) override
    {
        if (!m_exchange)
            return;
        switch (ev.kind) {
        case StreamEvent::Kind::Content:
            if (ev.text.isEmpty())
                return;
            if (!m_stops.isEmpty())
                holdForStops(ev.text);
            else
                text(ev.text);
            return;
        case StreamEvent::Kind::Reasoning:
            if (ev.text.isEmpty() || m_stopMatched)
                return;
            beginStream();
            if (m_block != Block::Thinking)
                openBlock(Block::Thinking, "{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}");
            m_signature.addData(ev.text.toUtf8());
            delta("thinking_delta", "thinking", ev.text);
            return;
        case StreamEvent::Kind::ToolCall:
            toolPiece(ev.toolCall);
            return;
        case StreamEvent::Kind::Logprobs:
        case StreamEvent::Kind::Usage:
        case StreamEvent::Kind::Finish:
        case StreamEvent::Kind::Error:
            return;   // the stop reason, usage and errors come from the result, once it is known
        }
    }

    void finish(const DispatchResult &result) override
    {
        if (!m_exchange)
            return;
        const CallResult &r = result.final;
        if (!r.ok() && !m_streamStarted) {
            const GatewayError e = upstreamError(*r.error);
            QList<HttpExchange::Header> headers = m_answer->headers();
            // Anthropic's SDKs retry every status ≥ 500; a provider refusing Switchyard's key is not
            // cured by trying again, a rate limit or an overload may be.
            headers.append(HttpExchange::Header("x-should-retry", isRetryable(r.error->errorClass) ? "true" : "false"));
            replyError(m_exchange, Api::Messages, e, headers);
            return;
        }
        if (!m_stream) {
            answerWhole(r);
            return;
        }
        beginStream();
        if (!r.ok()) {
            const bool busy = r.error->errorClass == ErrorClass::Overloaded || r.error->errorClass == ErrorClass::RateLimit;
            QByteArray out = std::exchange(m_out, {});
            out += "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"";
            out += busy ? "overloaded_error" : "api_error";
            out += "\",\"message\":";
            appendJsonString(out, upstreamError(*r.error).message);
            out += "},\"request_id\":";
            appendJsonString(out, m_answer->requestId);
            out += "}\n\n";
            m_exchange->sendChunk(out);
            m_exchange->endStream();
            return;
        }
        if (m_answer->held) {
            // Checked before it is shown: all of it now.
            StreamEvent whole;
            whole.kind = StreamEvent::Kind::Reasoning;
            whole.text = r.reasoning;
            streamEvent(whole);
            whole.kind = StreamEvent::Kind::Content;
            whole.text = r.content;
            streamEvent(whole);
            for (const ToolCallDelta &t : m_answer->toolCalls)
                toolPiece(t);
        }
        if (!m_stopMatched && !m_pending.isEmpty())
            text(std::exchange(m_pending, {}));
        // Calls whose name never came while streaming.
        for (const ToolCallDelta &t : m_answer->toolCalls) {
            if (!m_toolBlocks.contains(t.index))
                toolPiece(t);
        }
        closeBlock();
        QByteArray out = std::exchange(m_out, {});
        out += "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"";
        out += stopReason(r);
        out += "\",\"stop_sequence\":";
        if (m_stopMatched)
            appendJsonString(out, m_matchedStop);
        else
            out += "null";
        out += "},\"usage\":" + usageJson(r.usage) + "}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
        m_exchange->sendChunk(out);
        m_exchange->endStream();
    }

private:
    enum class Block { None, Thinking, Text, Tool };

    QList<HttpExchange::Header> headers() const
    {
        QList<HttpExchange::Header> h = m_answer->headers();
        h.append(HttpExchange::Header("request-id", m_answer->requestId.toLatin1()));
        return h;
    }

    QString messageId() const { return QStringLiteral("msg_") + m_answer->requestId; }

    void beginStream()
    {
        if (m_streamStarted)
            return;
        m_streamStarted = true;
        m_exchange->beginStream(200, "text/event-stream; charset=utf-8", headers());
        QByteArray out = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":";
        appendJsonString(out, messageId());
        out += ",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":";
        appendJsonString(out, m_answer->model);
        // The input's size is the router's estimate until the provider's usage comes with message_delta.
        out += ",\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":"
               + QByteArray::number(std::max<qint64>(m_answer->estimatedInputTokens, 0))
               + ",\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":0}}}\n\n"
                 "event: ping\ndata: {\"type\":\"ping\"}\n\n";
        m_out = out;
    }

    void openBlock(Block kind, const QByteArray &contentBlock)
    {
        closeBlock();
        m_block = kind;
        m_index = m_blocks++;
        m_indexText = QByteArray::number(m_index);
        m_out += "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":" + m_indexText
                 + ",\"content_block\":" + contentBlock + "}\n\n";
    }

    void closeBlock()
    {
        if (m_block == Block::None)
            return;
        if (m_block == Block::Thinking) {
            m_out += "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":" + m_indexText
                     + ",\"delta\":{\"type\":\"signature_delta\",\"signature\":\"" + signature() + "\"}}\n\n";
        }
        m_out += "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":" + m_indexText + "}\n\n";
        m_block = Block::None;
        m_toolOpen = -1;
    }

    // A thinking block's signature: the SHA-256 of its text. Anthropic's clients want one and send it
    // back with the block; Switchyard reads the thinking text itself, so the signature only has to be
    // non-empty and the same each time the same thinking is replayed (prompt caches see one prefix).
    QByteArray signature()
    {
        const QByteArray s = m_signature.result().toBase64();
        m_signature.reset();
        return s;
    }

    // One content_block_delta of the open block.
    void delta(const char *type, const char *field, const QString &value)
    {
        QByteArray out = std::exchange(m_out, {});
        out.reserve(out.size() + value.size() + 128);
        out += "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":" + m_indexText
               + ",\"delta\":{\"type\":\"";
        out += type;
        out += "\",\"";
        out += field;
        out += "\":";
        appendJsonString(out, value);
        out += "}}\n\n";
        m_exchange->sendChunk(out);
    }

    void text(const QString &piece)
    {
        if (piece.isEmpty())
            return;
        beginStream();
        if (m_block != Block::Text)
            openBlock(Block::Text, "{\"type\":\"text\",\"text\":\"\"}");
        delta("text_delta", "text", piece);
    }

    // With stop_sequences, the last few characters wait until it is clear they do not begin one:
    // a provider that ignores `stop`, or shows the sequence, still ends where the client asked.
    void holdForStops(const QString &piece)
    {
        if (m_stopMatched)
            return;
        m_pending += piece;
        qsizetype at = -1;
        for (const QString &s : std::as_const(m_stops)) {
            const qsizetype i = m_pending.indexOf(s);
            if (i >= 0 && (at < 0 || i < at)) {
                at = i;
                m_matchedStop = s;
            }
        }
        if (at >= 0) {
            m_stopMatched = true;
            text(m_pending.left(at));
            m_pending.clear();
            return;
        }
        qsizetype keep = std::min<qsizetype>(m_longestStop - 1, m_pending.size());
        if (keep < m_pending.size() && keep > 0 && m_pending.at(m_pending.size() - keep).isLowSurrogate())
            ++keep;   // never split a surrogate pair
        text(m_pending.left(m_pending.size() - keep));
        m_pending.remove(0, m_pending.size() - keep);
    }

    // A tool call's piece: its block starts once its name is known (the pieces so far are in the
    // gathered call), and later pieces of the same call stream as input_json_delta.
    void toolPiece(const ToolCallDelta &piece)
    {
        const ToolCallDelta whole = m_answer->toolCalls.value(piece.index, piece);
        if (m_toolOpen == piece.index && m_block == Block::Tool) {
            if (!piece.argumentsDelta.isEmpty())
                delta("input_json_delta", "partial_json", piece.argumentsDelta);
            return;
        }
        // A call already shown, or one whose name has not come yet.
        if (m_toolBlocks.contains(piece.index) || whole.name.isEmpty())
            return;
        beginStream();
        QByteArray block = "{\"type\":\"tool_use\",\"id\":";
        appendJsonString(block, toolId(whole));
        block += ",\"name\":";
        appendJsonString(block, whole.name);
        block += ",\"input\":{}}";
        openBlock(Block::Tool, block);
        m_toolOpen = piece.index;
        m_toolBlocks.insert(piece.index);
        if (!whole.argumentsDelta.isEmpty())
            delta("input_json_delta", "partial_json", whole.argumentsDelta);
    }

    // The provider's call id, or one made up (and kept) when it gave none.
    QString toolId(const ToolCallDelta &t)
    {
        if (!t.id.isEmpty())
            return t.id;
        QString &made = m_madeIds[t.index];
        if (made.isEmpty())
            made = QStringLiteral("toolu_") + newRequestId();
        return made;
    }

    QByteArray stopReason(const CallResult &r) const
    {
        if (m_stopMatched)
            return "stop_sequence";
        if (r.finishReason == u"length")
            return "max_tokens";
        if (r.finishReason == u"content_filter")
            return "refusal";
        if (r.finishReason == u"tool_calls" || !m_answer->toolCalls.isEmpty())
            return "tool_use";
        return "end_turn";
    }

    void answerWhole(const CallResult &r)
    {
        QJsonArray content;
        if (!r.reasoning.isEmpty()) {
            m_signature.addData(r.reasoning.toUtf8());
            content.append(QJsonObject {{QStringLiteral("type"), QStringLiteral("thinking")},
                                        {QStringLiteral("thinking"), r.reasoning},
                                        {QStringLiteral("signature"), QString::fromLatin1(signature())}});
        }
        QString text = r.content;
        for (const QString &s : std::as_const(m_stops)) {
            const qsizetype i = text.indexOf(s);
            if (i >= 0) {   // each later match is earlier than the last: the text was cut there
                text.truncate(i);
                m_stopMatched = true;
                m_matchedStop = s;
            }
        }
        if (!text.isEmpty())
            content.append(QJsonObject {{QStringLiteral("type"), QStringLiteral("text")}, {QStringLiteral("text"), text}});
        for (const ToolCallDelta &t : m_answer->toolCalls) {
            const QJsonDocument input = QJsonDocument::fromJson(t.argumentsDelta.toUtf8());
            content.append(QJsonObject {{QStringLiteral("type"), QStringLiteral("tool_use")},
                                        {QStringLiteral("id"), toolId(t)},
                                        {QStringLiteral("name"), t.name},
                                        {QStringLiteral("input"), input.isObject() ? input.object() : QJsonObject()}});
        }
        const QJsonObject body {{QStringLiteral("id"), messageId()},
                                {QStringLiteral("type"), QStringLiteral("message")},
                                {QStringLiteral("role"), QStringLiteral("assistant")},
                                {QStringLiteral("model"), m_answer->model},
                                {QStringLiteral("content"), content},
                                {QStringLiteral("stop_reason"), QString::fromLatin1(stopReason(r))},
                                {QStringLiteral("stop_sequence"), m_stopMatched ? QJsonValue(m_matchedStop) : QJsonValue()},
                                {QStringLiteral("usage"), usageObject(r.usage)}};
        m_exchange->respond(200, "application/json", compactJson(body), headers());
    }

    bool m_stream;
    QStringList m_stops;
    qsizetype m_longestStop = 0;
    bool m_streamStarted = false;
    // Events that go out with the next delta (message_start, a block's start, the last one's stop):
    // one write where the chat door makes one, so the door costs no more per answer.
    QByteArray m_out;
    Block m_block = Block::None;
    int m_blocks = 0;
    int m_index = -1;
    QByteArray m_indexText;
    int m_toolOpen = -1;             // the provider's index of the call whose block is open
    QSet<int> m_toolBlocks;          // calls whose block has started
    QMap<int, QString> m_madeIds;
    QCryptographicHash m_signature {QCryptographicHash::Sha256};
    QString m_pending;               // text held back while it may be the start of a stop sequence
    bool m_stopMatched = false;
    QString m_matchedStop;
};

} // namespace

std::optional<DoorRequest> readMessagesDoor(const QByteArray &body, OpenAiRequest::Problem *problem)
{
    std::optional<MessagesRequest> request = MessagesRequest::fromJson(body, false, problem);
    if (!request)
        return std::nullopt;
    DoorRequest door;
    door.writer = std::make_unique<MessagesWriter>(request->chat.request.stream, std::move(request->stops));
    door.chat = std::move(request->chat);
    return door;
}

void Gateway::countTokens(HttpExchange *exchange)
{
    // The same reading as a request, off the loop when large; the answer is the router's estimate
    // (RequestAnalyzer), with the tool definitions and calls the estimate of a chat leaves out.
    auto body = std::make_shared<QByteArray>(std::exchange(exchange->body, {}));
    auto tokens = std::make_shared<qint64>(-1);
    auto problem = std::make_shared<OpenAiRequest::Problem>();
    QPointer<HttpExchange> guard(exchange);
    const qint64 size = body->size();
    const bool taken = offLoopIfLarge(size, [body, tokens, problem] {
        const std::optional<MessagesRequest> read = MessagesRequest::fromJson(*body, true, problem.get());
        *body = QByteArray();
        if (!read)
            return;
        const ChatRequest &request = read->chat.request;
        qint64 n = RequestAnalyzer::estimateTokens(request);
        if (!request.tools.isEmpty())
            n += RequestAnalyzer::estimateTokens(QString::fromUtf8(QJsonDocument(request.tools).toJson(QJsonDocument::Compact)));
        for (const ChatMessage &m : request.messages) {
            for (const QJsonValue &call : m.toolCalls) {
                const QJsonObject f = call.toObject().value(QStringLiteral("function")).toObject();
                n += RequestAnalyzer::estimateTokens(f.value(QStringLiteral("name")).toString())
                     + RequestAnalyzer::estimateTokens(f.value(QStringLiteral("arguments")).toString());
            }
            n += RequestAnalyzer::estimateTokens(m.reasoning);
        }
        *tokens = n;
    }, [guard, tokens, problem] {
        if (!guard)
            return;
        if (*tokens < 0) {
            replyError(guard, Api::Messages, badRequest(*problem));
            return;
        }
        guard->respond(200, "application/json", "{\"input_tokens\":" + QByteArray::number(*tokens) + '}');
    });
    if (!taken)
        replyBusy(exchange, Api::Messages);
}
