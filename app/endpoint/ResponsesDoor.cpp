// POST /v1/responses: OpenAI's Responses API over the engine's chat requests.
#include "Door.h"

std::optional<DoorRequest> readResponsesDoor(const QByteArray &, OpenAiRequest::Problem *problem)
{
    problem->code = QStringLiteral("not_implemented");
    problem->message = QCoreApplication::translate("Gateway", "POST /v1/responses is not built yet.");
    return std::nullopt;
}
