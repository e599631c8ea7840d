// MarkdownStream on any input, in pieces whose sizes come from the input too: no crash, every
// finished block's text comes from the answer, in order, and the open tail is its end.
#include "MarkdownStream.h"

#include <QString>

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    const int piece = 1 + data[0] % 32;
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    MarkdownStream s;
    qsizetype at = 0;   // where the last finished block was found in `text`
    const auto check = [&](const QList<MarkdownStream::Block> &blocks) {
        for (const MarkdownStream::Block &b : blocks) {
            const QString t = b.text.endsWith(u'\n') ? b.text.chopped(1) : b.text;   // finish() may add one
            const qsizetype found = text.indexOf(t, at);
            if (found < 0)
                abort();
            at = found + t.size();
        }
    };
    for (qsizetype i = 0; i < text.size(); i += piece) {
        s.append(QStringView(text).mid(i, piece));
        check(s.takeFinished());
        if (!text.left(std::min(text.size(), i + piece)).endsWith(s.tailText()))
            abort();
    }
    s.finish();
    check(s.takeFinished());
    if (!s.tailText().isEmpty() && s.inCode())
        abort();
    return 0;
}
