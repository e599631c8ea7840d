// libFuzzer target: any bytes as a provider's stream, in two fragmentations, must give the same
// normalized result, and every stream must end exactly once (finish or error).
#include "SseParser.h"
#include "StreamNormalizer.h"

#include <cstdint>
#include <cstdlib>

namespace {

QString run(QByteArrayView input, qsizetype piece, Dialect dialect)
{
    QString out;
    int endings = 0;
    StreamNormalizer normalizer(dialect, [&](const StreamEvent &ev) {
        out += QString::number(int(ev.kind)) + QLatin1Char(':') + ev.text + ev.finishReason + errorClassName(ev.error.errorClass)
               + QLatin1Char('|');
        endings += ev.kind == StreamEvent::Kind::Finish || ev.kind == StreamEvent::Kind::Error;
    });
    SseParser parser;
    auto sink = [&](const SseEvent &e) {
        if (e.data != "[DONE]")
            normalizer.chunk(e.data);
    };
    for (qsizetype i = 0; i < input.size(); i += piece)
        parser.feed(input.sliced(i, std::min(piece, input.size() - i)), sink);
    parser.finish(sink);
    normalizer.end();
    if (endings != 1)
        std::abort();
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const Dialect dialect = Dialect(data[0] % 6);
    const QByteArrayView input(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    // The parser is split-safe, so the normalizer sees the same events either way.
    if (run(input, std::max<qsizetype>(1, input.size()), dialect) != run(input, 7, dialect))
        std::abort();
    return 0;
}
