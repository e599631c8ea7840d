// libFuzzer target: any bytes as the body of POST /v1/chat/completions. Reading them either gives
// a request with a model and at least one message, or a sentence saying what is wrong.
#include "OpenAiRequest.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    QString error;
    const std::optional<OpenAiRequest> request = OpenAiRequest::fromJson(body, &error);
    if (request ? request->model.isEmpty() || request->request.messages.isEmpty() : error.isEmpty())
        std::abort();
    return 0;
}
