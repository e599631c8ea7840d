// libFuzzer target: any text given as a routing rule must either parse, and then evaluate without
// trouble against any request, or be refused with an error that points inside the text.
#include "RouteExpression.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    RouteExpression::Error error;
    const auto expression = RouteExpression::parse(text, &error);
    if (!expression) {
        const QStringList lines = text.split(QLatin1Char('\n'));
        if (error.message.isEmpty() || error.line < 1 || error.line > lines.size() || error.column < 1
            || error.column > lines.at(error.line - 1).size() + 1)
            std::abort();
        return 0;
    }
    RequestFeatures f;
    f.contextLength = qint64(size) * 1000;
    f.taskType = QStringLiteral("reasoning");
    f.model = QStringLiteral("auto");
    f.hour = qint64(size % 24);
    f.weekday = QStringLiteral("sun");
    f.client = QStringLiteral("window");
    f.hasImage = size % 2;
    (void)expression->matches(f);
    (void)expression->matches(RequestFeatures {});
    return 0;
}
