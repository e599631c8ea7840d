#include "Door.h"

#include "Dispatch.h"

#include <QJsonArray>
#include <QJsonDocument>

QString apiName(Api api)
{
    switch (api) {
    case Api::Chat: return QStringLiteral("chat");
    case Api::Responses: return QStringLiteral("responses");
    case Api::Messages: return QStringLiteral("messages");
    case Api::Embeddings: return QStringLiteral("embeddings");
    }
    return QStringLiteral("chat");
}

Api apiOfPath(const QByteArray &path)
{
    if (path == "/v1/responses" || path.startsWith("/v1/responses/"))
        return Api::Responses;
    if (path == "/v1/messages" || path.startsWith("/v1/messages/"))
        return Api::Messages;
    if (path == "/v1/embeddings")
        return Api::Embeddings;
    return Api::Chat;
}

// Statuses the SDKs retry (429, 5xx) are kept for what a retry may cure; a missing balance or key
// is not retried.
GatewayError upstreamError(const ProviderError &err)
{
    GatewayError r;
    r.message = err.describe();
    r.code = errorClassName(err.errorClass).toLatin1();
    switch (err.errorClass) {
    case ErrorClass::RateLimit:
        r.status = 429;
        r.type = "rate_limit_error";
        r.retryAfter = err.retryAfterSeconds;
        break;
    case ErrorClass::Overloaded:
        r.status = 503;
        r.type = "api_error";
        r.retryAfter = err.retryAfterSeconds;
        break;
    case ErrorClass::Balance:
        r.status = 402;
        r.type = "insufficient_quota";
        break;
    case ErrorClass::Auth:
        r.status = 502;   // the provider refused Switchyard's key, not the client's
        r.type = "upstream_auth_error";
        break;
    case ErrorClass::NoKey:
        r.status = 502;   // Switchyard has no key for any model that could answer: its owner must add one
        r.type = "api_error";
        break;
    case ErrorClass::ContextOverflow:
        r.status = 400;
        r.type = "invalid_request_error";
        r.code = "context_length_exceeded";
        break;
    case ErrorClass::ContentFilter:
        r.status = 400;
        r.type = "invalid_request_error";
        r.code = "content_filter";
        break;
    case ErrorClass::BadRequest:
        r.status = 400;
        r.type = "invalid_request_error";
        break;
    case ErrorClass::Timeout:
        r.status = 504;
        r.type = "api_error";
        break;
    case ErrorClass::Cancelled:
        r.status = 499;
        r.type = "api_error";
        break;
    case ErrorClass::Server:
    case ErrorClass::Network:
    case ErrorClass::Tls:
    case ErrorClass::Truncated:
        r.status = 502;
        r.type = "api_error";
        break;
    }
    return r;
}

GatewayError badRequest(const OpenAiRequest::Problem &problem)
{
    GatewayError e {400, "invalid_request_error", problem.code.toLatin1(), problem.message};
    e.param = problem.param;
    return e;
}

namespace {

// Anthropic's error types by status (docs.claude.com/en/api/errors); its SDKs retry 429 and ≥ 500,
// so an overloaded provider or a busy endpoint is its 529.
QByteArray anthropicType(int status)
{
    switch (status) {
    case 401: return "authentication_error";
    case 402: return "billing_error";
    case 403: return "permission_error";
    case 404: return "not_found_error";
    case 413: return "request_too_large";
    case 429: return "rate_limit_error";
    case 503:
    case 529: return "overloaded_error";
    case 504: return "timeout_error";
    default: return status >= 500 ? QByteArrayLiteral("api_error") : QByteArrayLiteral("invalid_request_error");
    }
}

} // namespace

int errorStatus(Api api, const GatewayError &e)
{
    if (api == Api::Messages && e.status == 503)
        return 529;
    return e.status;
}

QByteArray errorBody(Api api, const GatewayError &e, const QString &requestId)
{
    if (api != Api::Messages)
        return HttpServer::errorBody(e.message, QString::fromLatin1(e.type), QString::fromLatin1(e.code), e.param);
    QJsonObject body {{QStringLiteral("type"), QStringLiteral("error")},
                      {QStringLiteral("error"),
                       QJsonObject {{QStringLiteral("type"), QString::fromLatin1(anthropicType(errorStatus(api, e)))},
                                    {QStringLiteral("message"), e.message}}}};
    if (!requestId.isEmpty())
        body.insert(QStringLiteral("request_id"), requestId);
    return compactJson(body);
}

void replyError(HttpExchange *exchange, Api api, const GatewayError &e, QList<HttpExchange::Header> headers)
{
    if (e.retryAfter >= 0)
        headers.append(HttpExchange::Header("Retry-After", QByteArray::number(e.retryAfter)));
    if (e.status == 401)
        headers.append(HttpExchange::Header("WWW-Authenticate", "Bearer"));
    QString requestId;
    for (const HttpExchange::Header &h : std::as_const(headers)) {
        if (h.first == "X-Request-Id")
            requestId = QString::fromLatin1(h.second);
    }
    if (api == Api::Messages && !requestId.isEmpty())
        headers.append(HttpExchange::Header("request-id", requestId.toLatin1()));
    exchange->respond(errorStatus(api, e), "application/json", errorBody(api, e, requestId), headers);
}

QByteArray compactJson(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QJsonArray chatToolCalls(const QMap<int, ToolCallDelta> &calls)
{
    QJsonArray out;
    for (const ToolCallDelta &t : calls) {
        out.append(QJsonObject {{QStringLiteral("id"), t.id},
                                {QStringLiteral("type"), QStringLiteral("function")},
                                {QStringLiteral("function"), QJsonObject {{QStringLiteral("name"), t.name},
                                                                         {QStringLiteral("arguments"), t.argumentsDelta}}}});
    }
    return out;
}

void gatherToolCall(QMap<int, ToolCallDelta> &calls, const ToolCallDelta &piece)
{
    ToolCallDelta &c = calls[piece.index];
    c.index = piece.index;
    if (!piece.id.isEmpty())
        c.id = piece.id;
    if (!piece.name.isEmpty())
        c.name += piece.name;
    c.argumentsDelta += piece.argumentsDelta;
}

DoorWriter::~DoorWriter() = default;

std::optional<GatewayError> DoorWriter::prepare(Gateway *, const QString &, OpenAiRequest &)
{
    return std::nullopt;
}

void DoorWriter::attach(Gateway *gateway, HttpExchange *exchange, const DoorAnswer *answer, const QString &client)
{
    m_gateway = gateway;
    m_exchange = exchange;
    m_answer = answer;
    m_client = client;
}
