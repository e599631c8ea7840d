// POST /v1/chat/completions: the engine's own shapes, so the request is read as it is and the answer
// passes through event by event.
#include "Door.h"

#include "Dispatch.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace {

// OpenAI's usage object; the stream's last chunk and a whole answer carry the same.
QJsonObject usageObject(const Usage &u)
{
    const qint64 prompt = std::max<qint64>(u.promptTokens, 0);
    const qint64 completion = std::max<qint64>(u.completionTokens, 0);
    return {{QStringLiteral("prompt_tokens"), prompt},
            {QStringLiteral("completion_tokens"), completion},
            {QStringLiteral("total_tokens"), prompt + completion},
            {QStringLiteral("prompt_tokens_details"),
             QJsonObject {{QStringLiteral("cached_tokens"), std::max<qint64>(u.cachedTokens, 0)}}},
            {QStringLiteral("completion_tokens_details"),
             QJsonObject {{QStringLiteral("reasoning_tokens"), std::max<qint64>(u.reasoningTokens, 0)}}},
            // DeepSeek's own names, for clients written for it (@ai-sdk/deepseek reads these).
            {QStringLiteral("prompt_cache_hit_tokens"), std::max<qint64>(u.cachedTokens, 0)},
            {QStringLiteral("prompt_cache_miss_tokens"), prompt - std::min(prompt, std::max<qint64>(u.cachedTokens, 0))}};
}

class ChatWriter : public DoorWriter
{
public:
    ChatWriter(bool stream, bool includeUsage)
        : m_stream(stream)
        , m_includeUsage(includeUsage)
    {
    }

    Api api() const override { return Api::Chat; }
    bool streams() const override { return m_stream; }

    void streamEvent(const StreamEvent &ev) override
    {
        if (!m_exchange)
            return;
        QByteArray delta;
        switch (ev.kind) {
        case StreamEvent::Kind::Content:
            delta = "\"content\":";
            appendJsonString(delta, ev.text);
            break;
        case StreamEvent::Kind::Reasoning:
            delta = "\"reasoning_content\":";
            appendJsonString(delta, ev.text);
            break;
        case StreamEvent::Kind::ToolCall: {
            const ToolCallDelta &t = ev.toolCall;
            QJsonObject function;
            if (!t.name.isEmpty())
                function.insert(QStringLiteral("name"), t.name);
            function.insert(QStringLiteral("arguments"), t.argumentsDelta);
            QJsonObject call {{QStringLiteral("index"), t.index}, {QStringLiteral("function"), function}};
            if (!t.id.isEmpty()) {
                call.insert(QStringLiteral("id"), t.id);
                call.insert(QStringLiteral("type"), QStringLiteral("function"));
            }
            delta = "\"tool_calls\":" + QJsonDocument(QJsonArray {call}).toJson(QJsonDocument::Compact);
            break;
        }
        case StreamEvent::Kind::Logprobs:
            beginStream();
            sendDelta({}, {}, ev.logprobs);
            return;
        case StreamEvent::Kind::Usage:
        case StreamEvent::Kind::Finish:
        case StreamEvent::Kind::Error:
            return;   // the finish reason, usage and errors come from the result, once it is known
        }
        beginStream();
        sendDelta(delta);
    }

    void finish(const DispatchResult &result) override
    {
        if (!m_exchange)
            return;
        if (m_stream)
            finishStream(result.final);
        else
            answerWhole(result.final);
    }

private:
    QByteArray chunkHead() const
    {
        QByteArray out = "data: {\"id\":\"chatcmpl-" + m_answer->requestId.toLatin1()
                         + "\",\"object\":\"chat.completion.chunk\",\"created\":" + QByteArray::number(m_answer->created)
                         + ",\"model\":";
        appendJsonString(out, m_answer->model);
        return out;
    }

    void beginStream()
    {
        if (m_streamStarted)
            return;
        m_streamStarted = true;
        m_chunkHead = chunkHead();
        m_exchange->beginStream(200, "text/event-stream; charset=utf-8", m_answer->headers());
    }

    // One chunk with one choice whose delta is `delta` (a JSON object's inside, without braces).
    void sendDelta(const QByteArray &delta, const QByteArray &finishReason = {}, const QByteArray &logprobs = {})
    {
        QByteArray out = m_chunkHead;
        out.reserve(out.size() + delta.size() + 96);
        out += ",\"choices\":[{\"index\":0,\"delta\":{";
        if (!m_roleSent) {
            out += "\"role\":\"assistant\"";
            if (!delta.isEmpty())
                out += ',';
            m_roleSent = true;
        }
        out += delta;
        out += "},\"logprobs\":";
        out += logprobs.isEmpty() ? QByteArrayLiteral("null") : logprobs;
        out += ",\"finish_reason\":";
        if (finishReason.isEmpty())
            out += "null";
        else
            appendJsonString(out, QString::fromUtf8(finishReason));
        out += "}]}\n\n";
        m_exchange->sendChunk(out);
    }

    QByteArray finishReason(const CallResult &r) const
    {
        if (!r.finishReason.isEmpty())
            return r.finishReason.toUtf8();
        return m_answer->toolCalls.isEmpty() ? QByteArray("stop") : QByteArray("tool_calls");
    }

    void finishStream(const CallResult &r)
    {
        if (!r.ok() && !m_streamStarted) {
            replyError(m_exchange, Api::Chat, upstreamError(*r.error), m_answer->headers());
            return;
        }
        beginStream();
        if (!r.ok()) {
            // Cut off after the first token: the partial answer stands, and the SDK raises this.
            m_exchange->sendChunk("data: " + errorBody(Api::Chat, upstreamError(*r.error)) + "\n\n");
            m_exchange->endStream();
            return;
        }
        if (m_answer->held) {
            QByteArray delta;
            if (!r.reasoning.isEmpty()) {
                delta = "\"reasoning_content\":";
                appendJsonString(delta, r.reasoning);
                sendDelta(delta);
            }
            if (!r.content.isEmpty()) {
                delta = "\"content\":";
                appendJsonString(delta, r.content);
                sendDelta(delta, {}, m_answer->logprobs.isEmpty() ? QByteArray() : compactJson(m_answer->logprobs));
            }
            const QJsonArray calls = chatToolCalls(m_answer->toolCalls);
            int i = 0;
            for (const ToolCallDelta &t : m_answer->toolCalls) {
                QJsonObject call = calls.at(i++).toObject();
                call.insert(QStringLiteral("index"), t.index);
                sendDelta("\"tool_calls\":" + QJsonDocument(QJsonArray {call}).toJson(QJsonDocument::Compact));
            }
        }
        sendDelta({}, finishReason(r));
        if (m_includeUsage)
            m_exchange->sendChunk(m_chunkHead + ",\"choices\":[],\"usage\":" + compactJson(usageObject(r.usage)) + "}\n\n");
        m_exchange->sendChunk(QByteArrayLiteral("data: [DONE]\n\n"));
        m_exchange->endStream();
    }

    void answerWhole(const CallResult &r)
    {
        if (!r.ok()) {
            replyError(m_exchange, Api::Chat, upstreamError(*r.error), m_answer->headers());
            return;
        }
        const bool calls = !m_answer->toolCalls.isEmpty();
        QJsonObject message {{QStringLiteral("role"), QStringLiteral("assistant")}};
        message.insert(QStringLiteral("content"),
                       r.content.isEmpty() && calls ? QJsonValue(QJsonValue::Null) : QJsonValue(r.content));
        if (!r.reasoning.isEmpty())
            message.insert(QStringLiteral("reasoning_content"), r.reasoning);
        if (calls)
            message.insert(QStringLiteral("tool_calls"), chatToolCalls(m_answer->toolCalls));
        const QJsonObject choice {{QStringLiteral("index"), 0},
                                  {QStringLiteral("message"), message},
                                  {QStringLiteral("logprobs"), m_answer->logprobs.isEmpty()
                                                                   ? QJsonValue(QJsonValue::Null)
                                                                   : QJsonValue(m_answer->logprobs)},
                                  {QStringLiteral("finish_reason"), QString::fromUtf8(finishReason(r))}};
        const QJsonObject body {{QStringLiteral("id"), QString(QStringLiteral("chatcmpl-") + m_answer->requestId)},
                                {QStringLiteral("object"), QStringLiteral("chat.completion")},
                                {QStringLiteral("created"), QJsonValue(m_answer->created)},
                                {QStringLiteral("model"), m_answer->model},
                                {QStringLiteral("choices"), QJsonArray {choice}},
                                {QStringLiteral("usage"), usageObject(r.usage)}};
        m_exchange->respond(200, "application/json", compactJson(body), m_answer->headers());
    }

    bool m_stream;
    bool m_includeUsage;
    bool m_streamStarted = false;
    bool m_roleSent = false;
    QByteArray m_chunkHead;
};

} // namespace

std::optional<DoorRequest> readChatDoor(const QByteArray &body, OpenAiRequest::Problem *problem)
{
    QString why;
    std::optional<OpenAiRequest> request = OpenAiRequest::fromJson(body, &why, problem);
    if (!request)
        return std::nullopt;
    DoorRequest door;
    door.writer = std::make_unique<ChatWriter>(request->request.stream, request->includeUsage);
    door.chat = std::move(*request);
    return door;
}
