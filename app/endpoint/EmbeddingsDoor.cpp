// POST /v1/embeddings: OpenAI's embeddings, routed to the catalog's embedding models.
#include "Door.h"
#include "Gateway.h"

void Gateway::embeddings(HttpExchange *exchange, const QString &, const QElapsedTimer &)
{
    replyError(exchange, Api::Embeddings, {404, "invalid_request_error", "not_implemented",
                                           tr("POST /v1/embeddings is not built yet.")});
}
