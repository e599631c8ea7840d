// POST /v1/responses: OpenAI's Responses API over the engine's chat requests. The request is read by
// ResponsesRequest (its items become chat messages, docs/endpoint.md); the answer goes back
// as a `response` object or as the Responses event stream, and the response is kept (ResponseStore)
// so that a follow-up may name it in previous_response_id or its items in `item_reference`s.
#include "Door.h"

#include "Dispatch.h"
#include "Gateway.h"
#include "ResponseStore.h"
#include "ResponsesRequest.h"

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace {

// The Responses usage object (both details objects included: the spec requires them).
QByteArray usageJson(const Usage &u)
{
    const qint64 input = std::max<qint64>(u.promptTokens, 0);
    const qint64 output = std::max<qint64>(u.completionTokens, 0);
    return "{\"input_tokens\":" + QByteArray::number(input) + ",\"input_tokens_details\":{\"cached_tokens\":"
           + QByteArray::number(std::max<qint64>(u.cachedTokens, 0)) + ",\"cache_write_tokens\":0},\"output_tokens\":"
           + QByteArray::number(output) + ",\"output_tokens_details\":{\"reasoning_tokens\":"
           + QByteArray::number(std::max<qint64>(u.reasoningTokens, 0)) + "},\"total_tokens\":"
           + QByteArray::number(input + output) + '}';
}

// What failed a response, in the codes Codex and the SDKs act on.
QString failureCode(const ProviderError &e)
{
    switch (e.errorClass) {
    case ErrorClass::RateLimit: return QStringLiteral("rate_limit_exceeded");
    case ErrorClass::ContextOverflow: return QStringLiteral("context_length_exceeded");
    case ErrorClass::Balance: return QStringLiteral("insufficient_quota");
    default: return QStringLiteral("server_error");
    }
}

// A string `input` as the item it stands for.
QJsonObject textItem(const QString &text)
{
    return {{QStringLiteral("type"), QStringLiteral("message")},
            {QStringLiteral("role"), QStringLiteral("user")},
            {QStringLiteral("content"), text}};
}

class ResponsesWriter : public DoorWriter, public ResponsesFields
{
    Q_DECLARE_TR_FUNCTIONS(Gateway)

public:
    Api api() const override { return Api::Responses; }
    bool streams() const override { return stream; }

    std::optional<GatewayError> prepare(Gateway *gateway, const QString &client, OpenAiRequest &request) override
    {
        ResponseStore *kept = gateway->responseStore();
        if (!deferred) {
            if (store && !textInput)
                m_conversation = input;
            input = QJsonArray();
            return std::nullopt;
        }
        if (textInput)
            input = QJsonArray {textItem(inputText)};
        QJsonArray items;
        if (!previousResponseId.isEmpty()) {
            std::optional<QJsonArray> earlier = kept ? kept->conversation(client, previousResponseId) : std::nullopt;
            if (!earlier) {
                GatewayError e {400, "invalid_request_error", "previous_response_not_found",
                                tr("Previous response with id '%1' not found. Only responses this endpoint served to the "
                                   "same key in the last %2 days, and not asked for with \"store\": false, can be "
                                   "continued.")
                                    .arg(previousResponseId.left(200))
                                    .arg(ResponseStore::MaxAgeDays)};
                e.param = QStringLiteral("previous_response_id");
                return e;
            }
            items = *earlier;
        }
        for (qsizetype i = 0; i < input.size(); ++i) {
            const QJsonObject item = input.at(i).toObject();
            if (item.value(QStringLiteral("type")).toString() != u"item_reference") {
                items.append(item);
                continue;
            }
            const QString id = item.value(QStringLiteral("id")).toString();
            std::optional<QJsonObject> found = kept && !id.isEmpty() ? kept->item(client, id) : std::nullopt;
            if (!found) {
                GatewayError e {400, "invalid_request_error", "item_not_found",
                                tr("Item with id '%1' not found. Only items of responses this endpoint served to the same "
                                   "key, and not asked for with \"store\": false, can be referred to.")
                                    .arg(id.left(200))};
                e.param = QStringLiteral("input[%1].id").arg(i);
                return e;
            }
            items.append(*found);
        }
        input = QJsonArray();
        OpenAiRequest::Problem problem;
        std::optional<QJsonArray> messages = ResponsesRequest::readItems(items, false, &problem);
        if (messages && !instructions.isEmpty())
            messages->prepend(QJsonObject {{QStringLiteral("role"), QStringLiteral("system")}, {QStringLiteral("content"), instructions}});
        std::optional<OpenAiRequest> read;
        if (messages) {
            QJsonObject chat = chatBase;
            chat.insert(QStringLiteral("messages"), *messages);
            QString why;
            read = OpenAiRequest::fromObject(chat, &why, &problem);
        }
        if (!read) {
            GatewayError e = badRequest(problem);
            if (problem.param.startsWith(u"messages"))
                e.param = QStringLiteral("input");
            return e;
        }
        request.request.messages = std::move(read->request.messages);
        chatBase = QJsonObject();
        if (store)
            m_conversation = items;
        return std::nullopt;
    }

    void streamEvent(const StreamEvent &ev) override
    {
        if (!m_exchange)
            return;
        switch (ev.kind) {
        case StreamEvent::Kind::Content:
            if (!ev.text.isEmpty()) {
                beginStream();
                addContent(ev.text);
            }
            break;
        case StreamEvent::Kind::Reasoning:
            if (!ev.text.isEmpty()) {
                beginStream();
                addReasoning(ev.text);
            }
            break;
        case StreamEvent::Kind::ToolCall:
            beginStream();
            addCallPiece(ev.toolCall);
            break;
        case StreamEvent::Kind::Logprobs:
        case StreamEvent::Kind::Usage:
        case StreamEvent::Kind::Finish:
        case StreamEvent::Kind::Error:
            break;   // usage, the end and errors come from the result, once it is known
        }
        flush();
    }

    void finish(const DispatchResult &result) override
    {
        const CallResult &r = result.final;
        m_id = QStringLiteral("resp_") + m_answer->requestId;
        if (!r.ok()) {
            if (!m_exchange)
                return;
            if (!m_started) {
                replyError(m_exchange, Api::Responses, upstreamError(*r.error), m_answer->headers());
                return;
            }
            // Cut off after it began: the partial output stands (its items incomplete, none of them
            // "done", so that no agent runs a call whose arguments were cut), and the client is told.
            QByteArray error = "{\"code\":";
            appendJsonString(error, failureCode(*r.error));
            error += ",\"message\":";
            appendJsonString(error, r.error->describe());
            error += '}';
            send("response.failed", "\"response\":" + responseJson("failed", outputJson("incomplete"), error));
            flush();
            m_exchange->endStream();
            return;
        }
        const char *incomplete = r.finishReason == u"length"           ? "max_output_tokens"
                                 : r.finishReason == u"content_filter" ? "content_filter"
                                                                       : nullptr;
        const char *status = incomplete ? "incomplete" : "completed";
        const bool whole = !stream || m_answer->held;
        if (stream && m_exchange)
            beginStream();
        if (whole) {
            // Nothing was streamed: the items come from the whole answer (and stream now, when held).
            addReasoning(r.reasoning);
            addContent(r.content);
            for (const ToolCallDelta &t : m_answer->toolCalls)
                addCallPiece(t);
        }
        closeOpen(status);
        QList<QByteArray> items;
        for (const Item &item : std::as_const(m_items))
            items.append(itemJson(item, status));
        const QByteArray output = '[' + items.join(',') + ']';
        QByteArray extra = ",\"usage\":" + usageJson(r.usage);
        if (incomplete)
            extra += ",\"incomplete_details\":{\"reason\":\"" + QByteArray(incomplete) + "\"}";
        else
            extra += ",\"completed_at\":" + QByteArray::number(QDateTime::currentSecsSinceEpoch());
        const QByteArray body = responseJson(status, output, {}, extra);
        keep(items);
        if (!m_exchange)
            return;
        if (stream) {
            send(incomplete ? "response.incomplete" : "response.completed", "\"response\":" + body);
            flush();
            m_exchange->endStream();
        } else {
            m_exchange->respond(200, "application/json", body, m_answer->headers());
        }
    }

private:
    struct Item
    {
        enum class Kind { Reasoning, Message, Call };
        Kind kind = Kind::Message;
        QString id {};
        QByteArray head {};     // "item_id":…,"output_index":…, for the events
        int outputIndex = 0;
        QString text {};        // the reasoning, the text or the arguments so far
        QString callId {};
        QString name {};
        bool done = false;
    };

    void keep(const QList<QByteArray> &output)
    {
        if (!store || !m_gateway || !m_gateway->responseStore())
            return;
        QByteArray conversation;
        if (!m_conversation.isEmpty()) {
            conversation = QJsonDocument(m_conversation).toJson(QJsonDocument::Compact);
        } else if (textInput) {
            conversation = "[{\"type\":\"message\",\"role\":\"user\",\"content\":";
            appendJsonString(conversation, inputText);
            conversation += "}]";
        } else {
            conversation = "[]";
        }
        for (const QByteArray &item : output)
            conversation.insert(conversation.size() - 1, (conversation.size() > 2 ? "," : "") + item);
        m_gateway->responseStore()->keep(m_client, m_id, conversation);
    }

    // The response object, built by hand as the events are (the hot path): `extra` is more fields,
    // each with its leading comma.
    QByteArray responseJson(const char *status, const QByteArray &output, const QByteArray &error = {},
                            const QByteArray &extra = {}) const
    {
        QByteArray out;
        out.reserve(echoJson.size() + output.size() + 256);
        out += "{\"id\":\"";
        out += m_id.toLatin1();
        out += "\",\"object\":\"response\",\"created_at\":";
        out += QByteArray::number(m_answer->created);
        out += ",\"status\":\"";
        out += status;
        out += "\",\"model\":";
        appendJsonString(out, m_answer->model);
        out += ",\"error\":";
        out += error.isEmpty() ? QByteArrayLiteral("null") : error;
        out += ",\"output\":";
        out += output;
        if (!extra.contains("\"usage\""))
            out += ",\"usage\":null";
        if (!extra.contains("\"incomplete_details\""))
            out += ",\"incomplete_details\":null";
        out += extra;
        if (!echoJson.isEmpty())
            out += ',' + echoJson;
        out += '}';
        return out;
    }

    QByteArray outputJson(const char *status) const
    {
        QList<QByteArray> items;
        for (const Item &item : m_items)
            items.append(itemJson(item, status));
        return '[' + items.join(',') + ']';
    }

    static QByteArray textPart(const QString &text)
    {
        QByteArray out = "{\"type\":\"output_text\",\"text\":";
        appendJsonString(out, text);
        out += ",\"annotations\":[],\"logprobs\":[]}";
        return out;
    }

    // An output item; "in_progress" gives it as output_item.added shows it: empty.
    QByteArray itemJson(const Item &item, const char *status) const
    {
        const bool open = qstrcmp(status, "in_progress") == 0;
        QByteArray out = "{\"id\":";
        appendJsonString(out, item.id);
        switch (item.kind) {
        case Item::Kind::Reasoning:
            out += ",\"type\":\"reasoning\",\"summary\":[";
            if (!open) {
                // Summary (what Codex and the SDKs show) and content (the raw text) alike: the
                // providers' reasoning is the raw text.
                out += "{\"type\":\"summary_text\",\"text\":";
                appendJsonString(out, item.text);
                out += "}],\"content\":[{\"type\":\"reasoning_text\",\"text\":";
                appendJsonString(out, item.text);
                out += '}';
            }
            out += ']';
            break;
        case Item::Kind::Message:
            out += ",\"type\":\"message\",\"status\":\"";
            out += status;
            out += "\",\"role\":\"assistant\",\"content\":[";
            if (!open)
                out += textPart(item.text);
            out += ']';
            break;
        case Item::Kind::Call:
            out += ",\"type\":\"function_call\",\"status\":\"";
            out += status;
            out += "\",\"arguments\":";
            appendJsonString(out, open ? QString() : item.text);
            out += ",\"call_id\":";
            appendJsonString(out, item.callId);
            out += ",\"name\":";
            appendJsonString(out, item.name);
            break;
        }
        out += '}';
        return out;
    }

    void beginStream()
    {
        if (m_started)
            return;
        m_started = true;
        m_id = QStringLiteral("resp_") + m_answer->requestId;
        m_exchange->beginStream(200, "text/event-stream; charset=utf-8", m_answer->headers());
        const QByteArray response = "\"response\":" + responseJson("in_progress", "[]");
        send("response.created", response);
        send("response.in_progress", response);
    }

    // One event, gathered for flush(): `fields` is the inside of its JSON object after `type` and
    // `sequence_number`, starting with its first field. Nothing when the answer is not streamed.
    void send(const char *type, const QByteArray &fields)
    {
        if (!m_started || !m_exchange)
            return;
        QByteArray &out = m_out;
        out.reserve(out.size() + fields.size() + 96);
        out += "event: ";
        out += type;
        out += "\ndata: {\"type\":\"";
        out += type;
        out += "\",\"sequence_number\":";
        out += QByteArray::number(m_sequence++);
        out += ',';
        out += fields;
        out += "}\n\n";
    }

    // The events one engine event made, in one write (the first goes out at once: HttpExchange).
    void flush()
    {
        if (m_exchange && !m_out.isEmpty())
            m_exchange->sendChunk(m_out);
        m_out.clear();
    }

    Item &open(Item::Kind kind, const char *prefix)
    {
        closeOpen("completed", false);
        Item item;
        item.kind = kind;
        item.outputIndex = int(m_items.size());
        item.id = QLatin1String(prefix) + m_answer->requestId + QLatin1Char('_') + QString::number(item.outputIndex);
        item.head = "\"item_id\":";
        appendJsonString(item.head, item.id);
        item.head += ",\"output_index\":" + QByteArray::number(item.outputIndex);
        m_items.append(item);
        if (kind != Item::Kind::Call)
            m_open = int(m_items.size()) - 1;
        return m_items.last();
    }

    void added(const Item &item)
    {
        if (m_started)
            send("response.output_item.added",
                 "\"output_index\":" + QByteArray::number(item.outputIndex) + ",\"item\":" + itemJson(item, "in_progress"));
    }

    void addReasoning(const QString &text)
    {
        if (text.isEmpty())
            return;
        if (m_open < 0 || m_items.at(m_open).kind != Item::Kind::Reasoning) {
            const Item &item = open(Item::Kind::Reasoning, "rs_");
            added(item);
            send("response.reasoning_summary_part.added",
                 item.head + ",\"summary_index\":0,\"part\":{\"type\":\"summary_text\",\"text\":\"\"}");
        }
        Item &item = m_items[m_open];
        item.text += text;
        if (!m_started)
            return;
        QByteArray fields = item.head + ",\"summary_index\":0,\"delta\":";
        appendJsonString(fields, text);
        send("response.reasoning_summary_text.delta", fields);
    }

    void addContent(const QString &text)
    {
        if (text.isEmpty())
            return;
        if (m_open < 0 || m_items.at(m_open).kind != Item::Kind::Message) {
            const Item &item = open(Item::Kind::Message, "msg_");
            added(item);
            if (m_started)
                send("response.content_part.added", item.head + ",\"content_index\":0,\"part\":" + textPart({}));
        }
        Item &item = m_items[m_open];
        item.text += text;
        if (!m_started)
            return;
        QByteArray fields = item.head + ",\"content_index\":0,\"delta\":";
        appendJsonString(fields, text);
        fields += ",\"logprobs\":[]";
        send("response.output_text.delta", fields);
    }

    void addCallPiece(const ToolCallDelta &piece)
    {
        int at = m_calls.value(piece.index, -1);
        if (at < 0 || m_items.at(at).done) {
            Item &item = open(Item::Kind::Call, "fc_");
            item.callId = piece.id.isEmpty() ? QStringLiteral("call_%1_%2").arg(m_answer->requestId).arg(piece.index) : piece.id;
            item.name = piece.name;
            at = int(m_items.size()) - 1;
            m_calls.insert(piece.index, at);
            added(item);
        } else if (!piece.name.isEmpty() && m_items.at(at).name.isEmpty()) {
            m_items[at].name = piece.name;
        }
        Item &item = m_items[at];
        if (piece.argumentsDelta.isEmpty())
            return;
        item.text += piece.argumentsDelta;
        if (!m_started)
            return;
        QByteArray fields = item.head + ",\"delta\":";
        appendJsonString(fields, piece.argumentsDelta);
        send("response.function_call_arguments.delta", fields);
    }

    // Ends the open reasoning or message item, and with `calls` every function call too.
    void closeOpen(const char *status, bool calls = true)
    {
        if (m_open >= 0) {
            Item &item = m_items[m_open];
            m_open = -1;
            item.done = true;
            if (m_started) {
                QByteArray text;
                appendJsonString(text, item.text);
                if (item.kind == Item::Kind::Reasoning) {
                    send("response.reasoning_summary_text.done", item.head + ",\"summary_index\":0,\"text\":" + text);
                    send("response.reasoning_summary_part.done",
                         item.head + ",\"summary_index\":0,\"part\":{\"type\":\"summary_text\",\"text\":" + text + '}');
                } else {
                    send("response.output_text.done", item.head + ",\"content_index\":0,\"text\":" + text + ",\"logprobs\":[]");
                    send("response.content_part.done", item.head + ",\"content_index\":0,\"part\":" + textPart(item.text));
                }
                send("response.output_item.done",
                     "\"output_index\":" + QByteArray::number(item.outputIndex) + ",\"item\":" + itemJson(item, status));
            }
        }
        if (!calls)
            return;
        for (Item &item : m_items) {
            if (item.kind != Item::Kind::Call || item.done)
                continue;
            item.done = true;
            if (!m_started)
                continue;
            QByteArray fields = item.head + ",\"name\":";
            appendJsonString(fields, item.name);
            fields += ",\"arguments\":";
            appendJsonString(fields, item.text);
            send("response.function_call_arguments.done", fields);
            send("response.output_item.done",
                 "\"output_index\":" + QByteArray::number(item.outputIndex) + ",\"item\":" + itemJson(item, status));
        }
    }

    bool m_started = false;
    int m_sequence = 0;
    QByteArray m_out;             // events not yet written
    QString m_id;
    QList<Item> m_items;
    int m_open = -1;              // the reasoning or message item being streamed
    QHash<int, int> m_calls;      // a tool call's index → its item
    QJsonArray m_conversation;    // what the response keeps before its output (ResponseStore)
};

} // namespace

std::optional<DoorRequest> readResponsesDoor(const QByteArray &body, OpenAiRequest::Problem *problem)
{
    std::optional<ResponsesRequest> read = ResponsesRequest::fromJson(body, problem);
    if (!read)
        return std::nullopt;
    auto writer = std::make_unique<ResponsesWriter>();
    static_cast<ResponsesFields &>(*writer) = std::move(static_cast<ResponsesFields &>(*read));
    DoorRequest door;
    door.chat = std::move(read->chat);
    door.writer = std::move(writer);
    return door;
}

