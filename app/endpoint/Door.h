#pragma once

#include "HttpServer.h"
#include "JsonString.h"
#include "OpenAiRequest.h"
#include "ProviderCall.h"
#include "StreamEvent.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QMap>
#include <QPointer>

#include <functional>
#include <memory>
#include <optional>

class Gateway;
struct DispatchResult;

// The APIs the endpoint answers, each a "door" onto the same engine (docs/endpoint.md). Each door
// reads its clients' request into the engine's ChatRequest and writes the engine's answer back in
// its clients' shapes; routing, fallback, cool-down and the ledger are the same behind every one.
enum class Api { Chat, Responses, Messages, Embeddings };

// chat, responses, messages, embeddings: the ledger's `api` column.
QString apiName(Api api);
// The door a request path leads to (Chat for paths no door serves).
Api apiOfPath(const QByteArray &path);

// An error as the endpoint reports it, in OpenAI's terms (its `type`, `code` and `param`); each door
// writes it in its own shape.
struct GatewayError
{
    int status = 500;
    QByteArray type;
    QByteArray code;
    QString message;
    int retryAfter = -1;
    QString param {};
};

// What the client is told when every attempt failed.
GatewayError upstreamError(const ProviderError &err);
// A request a door could not read: a 400 with the problem's sentence, code and field.
GatewayError badRequest(const OpenAiRequest::Problem &problem);
// `e` as `api`'s clients expect it: OpenAI's {"error":{…}} or Anthropic's {"type":"error",…}.
QByteArray errorBody(Api api, const GatewayError &e, const QString &requestId = {});
// The HTTP status `api`'s clients expect for `e` (Anthropic's clients: 529 when overloaded).
int errorStatus(Api api, const GatewayError &e);
void replyError(HttpExchange *exchange, Api api, const GatewayError &e, QList<HttpExchange::Header> headers = {});

QByteArray compactJson(const QJsonObject &o);
// The answer's tool calls, whole, in their order, as OpenAI's chat completions shape them.
QJsonArray chatToolCalls(const QMap<int, ToolCallDelta> &calls);
// Adds a tool call's piece to the calls gathered so far.
void gatherToolCall(QMap<int, ToolCallDelta> &calls, const ToolCallDelta &piece);

// What the endpoint knows of an answer while it is being made; a door's writer reads it.
struct DoorAnswer
{
    QString requestId;
    qint64 created = 0;                   // seconds since the epoch
    QString model;                        // the model answering: the latest attempt's
    qint64 estimatedInputTokens = 0;      // the router's estimate, for doors that must say it before usage comes
    bool held = false;                    // checked before it is shown: nothing streams before finish()
    QMap<int, ToolCallDelta> toolCalls;   // the answer's tool calls, gathered whole, by index
    QJsonObject logprobs;                 // a whole (or held) answer's, gathered
    std::function<QList<HttpExchange::Header>()> headers;   // X-Request-Id and Switchyard's own
};

// Writes one answer in one door's shapes. GatewayCall runs the request and feeds its writer; the
// writer owns the door's view of the request (what its answer must echo or check).
class DoorWriter
{
public:
    virtual ~DoorWriter();

    virtual Api api() const = 0;
    // Whether the client asked for a stream.
    virtual bool streams() const = 0;

    // On the event loop, once the request is read and before it is routed: the door may complete
    // the engine's request (a stored conversation) or refuse it. Runs once.
    virtual std::optional<GatewayError> prepare(Gateway *gateway, const QString &client, OpenAiRequest &request);

    void attach(Gateway *gateway, HttpExchange *exchange, const DoorAnswer *answer, const QString &client);

    // A piece of a streamed answer that is not held back (content, reasoning, a tool call's piece,
    // logprobs). Called only when streams() is true.
    virtual void streamEvent(const StreamEvent &event) = 0;
    // The last attempt has ended: the whole answer, the stream's end, or the error. The exchange
    // may be gone (the client left); the writer still sees the result.
    virtual void finish(const DispatchResult &result) = 0;

protected:
    Gateway *m_gateway = nullptr;
    QPointer<HttpExchange> m_exchange;
    const DoorAnswer *m_answer = nullptr;
    QString m_client;
};

// A door's request: what the engine runs, and the writer for its answer.
struct DoorRequest
{
    OpenAiRequest chat;
    std::unique_ptr<DoorWriter> writer;
};

// Each door's reader. On failure std::nullopt and what is wrong, in the door's own field names.
std::optional<DoorRequest> readChatDoor(const QByteArray &body, OpenAiRequest::Problem *problem);
std::optional<DoorRequest> readResponsesDoor(const QByteArray &body, OpenAiRequest::Problem *problem);
std::optional<DoorRequest> readMessagesDoor(const QByteArray &body, OpenAiRequest::Problem *problem);
