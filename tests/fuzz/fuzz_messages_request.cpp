// libFuzzer target: any bytes as the body of POST /v1/messages and of /v1/messages/count_tokens.
// Reading them either gives a request with a model and at least one message, or a problem saying
// what is wrong; a body good for a message is good for counting its tokens too.
#include "MessagesRequest.h"

#include <cstdint>
#include <cstdlib>

namespace {

bool readable(const QByteArray &body, bool count)
{
    OpenAiRequest::Problem problem;
    const std::optional<MessagesRequest> request = MessagesRequest::fromJson(body, count, &problem);
    if (!request) {
        if (problem.message.isEmpty())
            std::abort();
        return false;
    }
    if (request->chat.model.trimmed().isEmpty() || request->chat.request.messages.isEmpty())
        std::abort();
    for (const QString &stop : request->stops) {
        if (stop.isEmpty())
            std::abort();
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    if (readable(body, false) && !readable(body, true))
        std::abort();
    return 0;
}
