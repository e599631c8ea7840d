// Prints the cost of parsing and normalizing a stream: per chunk, and for one 8 MiB event fed in
// 1,460-byte pieces (a TCP segment) versus whole. Figures only; nothing passes or fails on time.
#include "SseParser.h"
#include "StreamNormalizer.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <algorithm>

namespace {

struct Totals
{
    qint64 contentChars = 0;
    int events = 0;
};

qint64 runOnce(const QByteArray &input, qsizetype piece, Dialect dialect, Totals *totals)
{
    Totals t;
    StreamNormalizer normalizer(dialect, [&t](const StreamEvent &ev) {
        ++t.events;
        if (ev.kind == StreamEvent::Kind::Content)
            t.contentChars += ev.text.size();
    });
    SseParser parser;
    auto sink = [&normalizer](const SseEvent &e) {
        if (e.data != "[DONE]")
            normalizer.chunk(e.data);
    };
    QElapsedTimer clock;
    clock.start();
    for (qsizetype i = 0; i < input.size(); i += piece)
        parser.feed(QByteArrayView(input).sliced(i, std::min(piece, input.size() - i)), sink);
    parser.finish(sink);
    normalizer.end();
    const qint64 ns = clock.nsecsElapsed();
    *totals = t;
    return ns;
}

qint64 median(QList<qint64> v)
{
    std::sort(v.begin(), v.end());
    return v.at(v.size() / 2);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);

    // A DeepSeek-shaped stream: reasoning then content deltas of a few characters, keep-alives,
    // usage on the last chunk.
    const int chunks = 20000;
    QByteArray stream;
    for (int i = 0; i < chunks; ++i) {
        if (i % 500 == 0)
            stream += ": keep-alive\n\n";
        const bool reasoning = i < chunks / 4;
        const QString piece = (i % 3 == 0) ? QStringLiteral("你好，") : QStringLiteral(" word");
        QJsonObject delta {{QStringLiteral("content"), reasoning ? QJsonValue() : QJsonValue(piece)},
                           {QStringLiteral("reasoning_content"), reasoning ? QJsonValue(piece) : QJsonValue()}};
        QJsonObject chunk {{QStringLiteral("id"), QStringLiteral("0e9642e9-9af6-4eb1-9c13-8c90d6b13ef3")},
                           {QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
                           {QStringLiteral("created"), 1764042665},
                           {QStringLiteral("model"), QStringLiteral("deepseek-v4-pro")},
                           {QStringLiteral("system_fingerprint"), QStringLiteral("fp_ffc7281d48_prod0820_fp8_kvcache")},
                           {QStringLiteral("choices"),
                            QJsonArray {QJsonObject {{QStringLiteral("index"), 0}, {QStringLiteral("delta"), delta},
                                                     {QStringLiteral("logprobs"), QJsonValue()},
                                                     {QStringLiteral("finish_reason"), i + 1 == chunks ? QJsonValue(QStringLiteral("stop")) : QJsonValue()}}}}};
        if (i + 1 == chunks)
            chunk.insert(QStringLiteral("usage"), QJsonObject {{QStringLiteral("prompt_tokens"), 6}, {QStringLiteral("completion_tokens"), chunks}});
        stream += "data: " + QJsonDocument(chunk).toJson(QJsonDocument::Compact) + "\n\n";
    }
    stream += "data: [DONE]\n\n";

    QList<qint64> perChunk;
    Totals totals;
    for (int round = 0; round < 7; ++round)
        perChunk << runOnce(stream, 1460, Dialect::DeepSeek, &totals);
    const double usPerChunk = median(perChunk) / 1000.0 / chunks;
    out << QStringLiteral("stream: %1 chunks, %2 bytes, %3 events out\n").arg(chunks).arg(stream.size()).arg(totals.events);
    out << QStringLiteral("parse + normalize per chunk (median of 7, 1460-byte reads): %1 us  (goal < 2 us)\n")
               .arg(usPerChunk, 0, 'f', 3);
    out << QStringLiteral("throughput: %1 MB/s\n").arg(stream.size() / (median(perChunk) / 1e9) / 1e6, 0, 'f', 1);

    // One 8 MiB event.
    const QByteArray big(8 << 20, 'x');
    const QJsonObject bigChunk {{QStringLiteral("choices"),
                                 QJsonArray {QJsonObject {{QStringLiteral("index"), 0},
                                                          {QStringLiteral("delta"), QJsonObject {{QStringLiteral("content"), QString::fromLatin1(big)}}},
                                                          {QStringLiteral("finish_reason"), QStringLiteral("stop")}}}}};
    const QByteArray bigEvent = "data: " + QJsonDocument(bigChunk).toJson(QJsonDocument::Compact) + "\n\n";
    QList<qint64> whole;
    QList<qint64> pieces;
    for (int round = 0; round < 5; ++round) {
        whole << runOnce(bigEvent, bigEvent.size(), Dialect::OpenAI, &totals);
        pieces << runOnce(bigEvent, 1460, Dialect::OpenAI, &totals);
    }
    if (totals.contentChars != big.size())
        qFatal("the 8 MiB event lost content");
    const double ratio = double(median(pieces)) / double(median(whole));
    out << QStringLiteral("8 MiB event whole: %1 ms; in 1460-byte pieces: %2 ms; ratio %3  (goal <= 1.5)\n")
               .arg(median(whole) / 1e6, 0, 'f', 1)
               .arg(median(pieces) / 1e6, 0, 'f', 1)
               .arg(ratio, 0, 'f', 2);
    return 0;
}
