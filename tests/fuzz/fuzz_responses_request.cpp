// libFuzzer target: any bytes as the body of POST /v1/responses. Reading them either gives a request
// with a model and at least one message, or a problem saying what is wrong; the fields every response
// repeats are a JSON object's inside, and the input items read again as prepare() reads them once
// the store has answered (its references aside).
#include "ResponsesRequest.h"

#include <QJsonDocument>

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    OpenAiRequest::Problem problem;
    const std::optional<ResponsesRequest> request = ResponsesRequest::fromJson(body, &problem);
    if (!request) {
        if (problem.message.isEmpty() || problem.code.isEmpty())
            std::abort();
        return 0;
    }
    if (request->chat.model.isEmpty() || request->chat.request.messages.isEmpty()
        || request->chat.request.stream != request->stream)
        std::abort();
    QJsonParseError parseError {};
    if (!QJsonDocument::fromJson('{' + request->echoJson + '}', &parseError).isObject())
        std::abort();
    QJsonArray items;
    for (const QJsonValue &item : request->input) {
        if (item.toObject().value(QStringLiteral("type")).toString() != u"item_reference")
            items.append(item);
    }
    OpenAiRequest::Problem again;
    if (!ResponsesRequest::readItems(items, false, &again))
        std::abort();
    return 0;
}
