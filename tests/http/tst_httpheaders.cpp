// Header fields on their way out: HttpHeaders::safeValue and safeName, and the endpoint's server
// answering over loopback with header values that carry CR, LF and NUL (a model or rule name from
// config.yaml, a task type from the client): the answer keeps its own header lines and body.
#include "HttpHeaders.h"
#include "HttpServer.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTcpSocket>
#include <QTest>

namespace {

// Sends `request` to the server and reads until the connection closes (every answer here says
// Connection: close).
QByteArray exchange(quint16 port, const QByteArray &request)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(5000))
        return {};
    socket.write(request);
    QByteArray answer;
    QElapsedTimer timer;
    timer.start();
    while (socket.state() == QAbstractSocket::ConnectedState && timer.elapsed() < 5000) {
        QCoreApplication::processEvents();   // the server runs on this thread
        if (socket.waitForReadyRead(20))
            answer += socket.readAll();
    }
    answer += socket.readAll();
    return answer;
}

// The header lines of an answer, each with the CR before its LF, without the status line.
QList<QByteArray> headerLines(const QByteArray &answer)
{
    const qsizetype end = answer.indexOf("\r\n\r\n");
    if (end < 0)
        return {};
    QList<QByteArray> lines = answer.left(end + 1).split('\n');
    return lines.mid(1);
}

} // namespace

class TestHttpHeaders : public QObject
{
    Q_OBJECT

private slots:
    void safeValue_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QByteArray>("sent");

        QTest::newRow("plain") << QByteArray("deepseek-v4-pro") << QByteArray("deepseek-v4-pro");
        QTest::newRow("UTF-8 stays") << QByteArray("深度求索") << QByteArray("深度求索");
        QTest::newRow("CR LF") << QByteArray("m\r\nX-Injected: 1") << QByteArray("m  X-Injected: 1");
        QTest::newRow("bare LF") << QByteArray("m\nX-Injected: 1") << QByteArray("m X-Injected: 1");
        QTest::newRow("bare CR") << QByteArray("m\rX") << QByteArray("m X");
        QTest::newRow("NUL") << QByteArray("m\0x", 3) << QByteArray("m x");
        QTest::newRow("TAB, ESC and DEL") << QByteArray("a\tb\x1b[2J\x7f") << QByteArray("a b [2J ");
        QTest::newRow("empty") << QByteArray() << QByteArray();
    }

    void safeValue()
    {
        QFETCH(QByteArray, value);
        QFETCH(QByteArray, sent);
        QCOMPARE(HttpHeaders::safeValue(value), sent);
    }

    void safeName_data()
    {
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<QByteArray>("sent");

        QTest::newRow("plain") << QByteArray("X-Switchyard-Model") << QByteArray("X-Switchyard-Model");
        QTest::newRow("token characters") << QByteArray("X-a.b_c~d!e#1") << QByteArray("X-a.b_c~d!e#1");
        QTest::newRow("CR LF and colon") << QByteArray("X-A\r\nX-B: 1") << QByteArray("X-AX-B1");
        QTest::newRow("space and NUL") << QByteArray("X A\0", 4) << QByteArray("XA");
    }

    void safeName()
    {
        QFETCH(QByteArray, name);
        QFETCH(QByteArray, sent);
        QCOMPARE(HttpHeaders::safeName(name), sent);
    }

    void cleanValuesAreNotCopied()
    {
        // The common case costs a scan, not an allocation.
        const QByteArray value("deepseek-v4-pro");
        QCOMPARE(HttpHeaders::safeValue(value).constData(), value.constData());
        const QByteArray name("X-Switchyard-Rule");
        QCOMPARE(HttpHeaders::safeName(name).constData(), name.constData());
    }

    void serverAnswersCannotBeSplit_data()
    {
        QTest::addColumn<bool>("streaming");
        QTest::newRow("whole answer") << false;
        QTest::newRow("chunked stream") << true;
    }

    void serverAnswersCannotBeSplit()
    {
        QFETCH(bool, streaming);
        const QList<HttpExchange::Header> extra = {
            {"X-Switchyard-Model", "deepseek\r\nX-Injected: 1\r\n\r\n<script>"},
            {"X-Switchyard-Rule", QByteArray("long\0docs", 9)},
            {"X-Switchyard-Task-Type\r\nX-Named: 1", "chat"},
        };
        HttpServer server([&](HttpExchange *e) {
            if (streaming) {
                e->beginStream(200, "text/event-stream", extra);
                e->sendChunk("data: 1\n\n");
                e->endStream();
            } else {
                e->respond(200, "application/json", "{}", extra);
            }
        });
        QString error;
        QVERIFY2(server.listen(QHostAddress::LocalHost, 0, &error), qPrintable(error));

        const QByteArray answer = exchange(server.port(), "GET /v1/models HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        QVERIFY2(answer.startsWith("HTTP/1.1 200 "), answer.constData());
        const QList<QByteArray> lines = headerLines(answer);
        QVERIFY(!lines.isEmpty());
        QStringList names;
        for (const QByteArray &line : lines) {
            QVERIFY2(line.endsWith('\r'), line.constData());   // every line ends in CR LF, none in a bare LF
            QVERIFY2(!line.chopped(1).contains('\r') && !line.contains('\0'), line.constData());
            names << QString::fromLatin1(line.left(line.indexOf(':')));
        }
        QVERIFY2(!names.contains(QStringLiteral("X-Injected")), qPrintable(names.join(u',')));
        QVERIFY(!names.contains(QStringLiteral("X-Named")));
        QCOMPARE(names.count(QStringLiteral("X-Switchyard-Model")), 1);
        QVERIFY(lines.contains("X-Switchyard-Model: deepseek  X-Injected: 1    <script>\r"));
        QVERIFY(lines.contains("X-Switchyard-Rule: long docs\r"));
        QVERIFY(lines.contains("X-Switchyard-Task-TypeX-Named1: chat\r"));
        // The body is the one the server wrote, right after the one blank line.
        const QByteArray body = answer.mid(answer.indexOf("\r\n\r\n") + 4);
        QCOMPARE(body, streaming ? QByteArray("9\r\ndata: 1\n\n\r\n0\r\n\r\n") : QByteArray("{}"));
    }
};

QTEST_GUILESS_MAIN(TestHttpHeaders)
#include "tst_httpheaders.moc"
