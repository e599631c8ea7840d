#include "SseParser.h"

#include <QRandomGenerator>
#include <QTest>

namespace {

QList<SseEvent> parseIn(const QByteArray &input, const QList<qsizetype> &cuts)
{
    QList<SseEvent> events;
    SseParser parser;
    qsizetype from = 0;
    for (qsizetype cut : cuts) {
        parser.feed(QByteArrayView(input).sliced(from, cut - from), [&](const SseEvent &e) { events << e; });
        from = cut;
    }
    parser.feed(QByteArrayView(input).sliced(from), [&](const SseEvent &e) { events << e; });
    parser.finish([&](const SseEvent &e) { events << e; });
    return events;
}

QByteArray describe(const QList<SseEvent> &events)
{
    QByteArray out;
    for (const SseEvent &e : events)
        out += "[" + e.event + "|" + e.id + "|" + e.data + "]";
    return out;
}

} // namespace

class TestSseParser : public QObject
{
    Q_OBJECT

private slots:
    void framing_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("lf") << QByteArray("data: a\n\ndata: b\n\n") << QByteArray("[||a][||b]");
        QTest::newRow("crlf") << QByteArray("data: a\r\n\r\ndata: b\r\n\r\n") << QByteArray("[||a][||b]");
        QTest::newRow("cr") << QByteArray("data: a\r\rdata: b\r\r") << QByteArray("[||a][||b]");
        QTest::newRow("mixed") << QByteArray("data: a\r\n\ndata: b\r\r\n") << QByteArray("[||a][||b]");
        QTest::newRow("no space") << QByteArray("data:{\"x\":1}\n\n") << QByteArray("[||{\"x\":1}]");
        QTest::newRow("two spaces keep one") << QByteArray("data:  a\n\n") << QByteArray("[|| a]");
        QTest::newRow("multi-line data") << QByteArray("data: a\ndata: b\ndata:\n\n") << QByteArray("[||a\nb\n]");
        QTest::newRow("comments ignored") << QByteArray(": keep-alive\n\n:HTTP_STATUS/200\ndata: x\n\n") << QByteArray("[||x]");
        QTest::newRow("event id retry") << QByteArray("id:1\nevent:result\nretry: 10\ndata: x\n\n") << QByteArray("[result|1|x]");
        QTest::newRow("event without data is dropped") << QByteArray("event: ping\n\n") << QByteArray("");
        QTest::newRow("no trailing blank line") << QByteArray("data: last") << QByteArray("[||last]");
        QTest::newRow("unknown field") << QByteArray("foo: bar\ndata: x\n\n") << QByteArray("[||x]");
        QTest::newRow("field without colon") << QByteArray("data\n\n") << QByteArray("[||]");
        QTest::newRow("leading blank lines") << QByteArray("\n\n\ndata: x\n\n") << QByteArray("[||x]");
        QTest::newRow("done marker is data") << QByteArray("data: [DONE]\n\n") << QByteArray("[||[DONE]]");
        QTest::newRow("utf-8") << QByteArray("data: 你好∎\n\n") << QByteArray("[||你好∎]");
    }

    // Every way of cutting the input gives the same events.
    void framing()
    {
        QFETCH(QByteArray, input);
        QFETCH(QByteArray, expected);
        QCOMPARE(describe(parseIn(input, {})), expected);
        QList<qsizetype> everyByte;
        for (qsizetype i = 1; i < input.size(); ++i)
            everyByte << i;
        QCOMPARE(describe(parseIn(input, everyByte)), expected);
        for (qsizetype cut = 1; cut < input.size(); ++cut)
            QCOMPARE(describe(parseIn(input, {cut})), expected);
        QRandomGenerator rng(42);
        for (int round = 0; round < 50; ++round) {
            QList<qsizetype> cuts;
            for (qsizetype at = rng.bounded(1, 8); at < input.size(); at += rng.bounded(1, 8))
                cuts << at;
            QCOMPARE(describe(parseIn(input, cuts)), expected);
        }
    }

    void crAtChunkEndThenLf()
    {
        // A CR ending one read and the LF starting the next are one line end, not two.
        const QList<SseEvent> events = parseIn("data: a\r\ndata: b\r\n\r\n", {8});
        QCOMPARE(describe(events), QByteArray("[||a\nb]"));
    }

    void countsComments()
    {
        SseParser parser;
        int events = 0;
        parser.feed(": keep-alive\n\n: keep-alive\n\ndata: x\n\n", [&](const SseEvent &) { ++events; });
        QCOMPARE(parser.comments(), 2);
        QCOMPARE(parser.events(), 1);
        QCOMPARE(events, 1);
    }

    void hugeEventInSmallPieces()
    {
        QByteArray payload(4 << 20, 'x');
        const QByteArray input = "data: " + payload + "\n\n";
        SseParser parser;
        QByteArray got;
        for (qsizetype i = 0; i < input.size(); i += 1460)
            parser.feed(QByteArrayView(input).sliced(i, std::min<qsizetype>(1460, input.size() - i)),
                        [&](const SseEvent &e) { got = e.data; });
        QCOMPARE(got.size(), payload.size());
        QVERIFY(got == payload);
    }
};

QTEST_GUILESS_MAIN(TestSseParser)
#include "tst_sseparser.moc"
