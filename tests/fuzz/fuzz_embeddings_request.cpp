// libFuzzer target: any bytes as the body of POST /v1/embeddings. Reading them either gives a model
// and 1 to 2048 inputs, none empty, with dimensions 0 (the model's) up to 65536, or a problem
// saying what is wrong.
#include "EmbeddingsRequest.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    OpenAiRequest::Problem problem;
    const std::optional<EmbeddingsRequest> request = EmbeddingsRequest::fromJson(body, &problem);
    if (!request) {
        if (problem.message.isEmpty() || problem.code.isEmpty())
            std::abort();
        return 0;
    }
    const QStringList &inputs = request->request.inputs;
    if (inputs.isEmpty() || inputs.size() > 2048 || request->request.dimensions < 0 || request->request.dimensions > 65536)
        std::abort();
    for (const QString &input : inputs) {
        if (input.isEmpty())
            std::abort();
    }
    return 0;
}
