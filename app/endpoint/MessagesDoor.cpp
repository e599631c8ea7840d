// POST /v1/messages and /v1/messages/count_tokens: Anthropic's Messages API over the engine's chat requests.
#include "Door.h"
#include "Gateway.h"

std::optional<DoorRequest> readMessagesDoor(const QByteArray &, OpenAiRequest::Problem *problem)
{
    problem->code = QStringLiteral("not_implemented");
    problem->message = QCoreApplication::translate("Gateway", "POST /v1/messages is not built yet.");
    return std::nullopt;
}

void Gateway::countTokens(HttpExchange *exchange)
{
    replyError(exchange, Api::Messages, {404, "invalid_request_error", "not_implemented",
                                         tr("POST /v1/messages/count_tokens is not built yet.")});
}
