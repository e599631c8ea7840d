// HttpClient against a scripted server on 127.0.0.1 (a QTcpServer that answers each request with
// bytes the test chooses, in pieces, and closes when told): the request it writes, Content-Length
// and chunked bodies in pieces, keep-alive reuse, a pooled connection the server had closed,
// a refused connection, a body cut short, a body that runs until close, and abort.
#include "HttpClient.h"

#include <QNetworkRequest>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

namespace {

// Answers the n-th request it receives (over any connection) with answers[n]: pieces written
// 20 ms apart; "<close>" closes the connection instead of writing.
class ScriptedServer : public QObject
{
public:
    QList<QList<QByteArray>> answers;
    QList<QByteArray> requests;
    int connections = 0;

    bool start() { return m_server.listen(QHostAddress::LocalHost); }
    QUrl url(const QString &path) const { return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_server.serverPort()).arg(path)); }

    ScriptedServer()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                ++connections;
                auto buffer = std::make_shared<QByteArray>();
                connect(s, &QTcpSocket::readyRead, this, [this, s, buffer] {
                    *buffer += s->readAll();
                    // One request: headers, then Content-Length bytes.
                    const qsizetype end = buffer->indexOf("\r\n\r\n");
                    if (end < 0)
                        return;
                    const qsizetype lengthAt = buffer->toLower().indexOf("content-length: ");
                    const qsizetype length = lengthAt < 0 ? 0 : buffer->mid(lengthAt + 16, buffer->indexOf("\r\n", lengthAt) - lengthAt - 16).toInt();
                    if (buffer->size() < end + 4 + length)
                        return;
                    requests << buffer->left(end + 4 + length);
                    buffer->remove(0, end + 4 + length);
                    play(s, answers.value(int(requests.size()) - 1), 0);
                });
            }
        });
    }

private:
    void play(QTcpSocket *s, const QList<QByteArray> &pieces, int i)
    {
        if (i >= pieces.size())
            return;
        if (pieces[i] == "<close>") {
            s->disconnectFromHost();
            return;
        }
        s->write(pieces[i]);
        s->flush();
        QTimer::singleShot(20, s, [this, s, pieces, i] { play(s, pieces, i + 1); });
    }

    QTcpServer m_server;
};

struct Outcome
{
    int status = 0;
    QByteArray body;
    bool failed = false;
    QString error;
    int reads = 0;
    QByteArray contentType;
};

Outcome post(HttpClient &client, const QUrl &url, const QByteArray &body = "{}")
{
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setRawHeader("Authorization", "Bearer k");
    std::unique_ptr<UpstreamReply> reply(client.post(request, body));
    Outcome o;
    QObject::connect(reply.get(), &UpstreamReply::readyRead, reply.get(), [&] {
        o.body += reply->readAll();
        ++o.reads;
    });
    QObject::connect(reply.get(), &UpstreamReply::metaDataChanged, reply.get(), [&] {
        o.status = reply->status();
        o.contentType = reply->header("Content-Type");
    });
    if (!QTest::qWaitFor([&] { return reply->isFinished(); }, 10000))
        o.error = QStringLiteral("no answer");
    o.failed = reply->networkFailed();
    if (o.failed)
        o.error = reply->errorString();
    return o;
}

} // namespace

class TestHttpClient : public QObject
{
    Q_OBJECT

private slots:
    void writesTheRequestAndReusesTheConnection()
    {
        ScriptedServer server;
        QVERIFY(server.start());
        const QByteArray ok = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\nhello";
        server.answers = {{ok}, {ok}, {ok}};
        HttpClient client;
        for (int i = 0; i < 3; ++i) {
            const Outcome o = post(client, server.url(QStringLiteral("/v1/chat/completions?x=1")), "{\"a\":1}");
            QVERIFY2(!o.failed, qPrintable(o.error));
            QCOMPARE(o.status, 200);
            QCOMPARE(o.body, QByteArray("hello"));
            QCOMPARE(o.contentType, QByteArray("application/json"));
        }
        QCOMPARE(server.connections, 1);   // one keep-alive connection for all three
        QCOMPARE(client.connectionsOpened(), 1);
        QCOMPARE(client.idleConnections(), 1);
        const QByteArray r = server.requests.first();
        QVERIFY2(r.startsWith("POST /v1/chat/completions?x=1 HTTP/1.1\r\n"), r.constData());
        QVERIFY(r.contains(QStringLiteral("\r\nHost: 127.0.0.1:%1\r\n").arg(server.url({}).port()).toLatin1()));
        QCOMPARE(r.count("Content-Type: application/json\r\n"), 1);
        QVERIFY(r.contains("\r\nAuthorization: Bearer k\r\n"));
        QVERIFY(r.endsWith("Content-Length: 7\r\n\r\n{\"a\":1}"));
    }

    void chunkedBodyArrivesInPieces()
    {
        ScriptedServer server;
        QVERIFY(server.start());
        server.answers = {{"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n",
                           "5\r\ndata:\r\n", "6\r\n one\n\n\r\n", "0\r\n\r\n"}};
        HttpClient client;
        const Outcome o = post(client, server.url(QStringLiteral("/s")));
        QVERIFY2(!o.failed, qPrintable(o.error));
        QCOMPARE(o.body, QByteArray("data: one\n\n"));
        QCOMPARE(o.reads, 2);   // as it came, not at the end
        QCOMPARE(o.contentType, QByteArray("text/event-stream"));
    }

    void pooledConnectionClosedByTheServerIsRetried()
    {
        ScriptedServer server;
        QVERIFY(server.start());
        const QByteArray ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        server.answers = {{ok}, {"<close>"}, {ok}};   // the 2nd request finds its connection closed
        HttpClient client;
        QVERIFY(!post(client, server.url(QStringLiteral("/a"))).failed);
        const Outcome o = post(client, server.url(QStringLiteral("/a")));
        QVERIFY2(!o.failed, qPrintable(o.error));
        QCOMPARE(o.body, QByteArray("ok"));
        QCOMPARE(server.connections, 2);
        QCOMPARE(server.requests.size(), 3);
    }

    void refusedConnectionFails()
    {
        QTcpServer unused;
        QVERIFY(unused.listen(QHostAddress::LocalHost));
        const quint16 port = unused.serverPort();
        unused.close();
        HttpClient client;
        const Outcome o = post(client, QUrl(QStringLiteral("http://127.0.0.1:%1/x").arg(port)));
        QVERIFY(o.failed);
        QVERIFY(!o.error.isEmpty());
        QCOMPARE(o.status, 0);
    }

    void bodyCutShortFails()
    {
        ScriptedServer server;
        QVERIFY(server.start());
        server.answers = {{"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabcd", "<close>"}};
        HttpClient client;
        const Outcome o = post(client, server.url(QStringLiteral("/x")));
        QVERIFY(o.failed);
        QCOMPARE(o.status, 200);
        QCOMPARE(o.body, QByteArray("abcd"));   // what came is still delivered
        QVERIFY2(o.error.contains(u"closed before"), qPrintable(o.error));
        QCOMPARE(client.idleConnections(), 0);
    }

    void bodyUntilCloseIsWhole()
    {
        ScriptedServer server;
        QVERIFY(server.start());
        server.answers = {{"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n<html>",
                           "</html>", "<close>"}};
        HttpClient client;
        const Outcome o = post(client, server.url(QStringLiteral("/x")));
        QVERIFY2(!o.failed, qPrintable(o.error));
        QCOMPARE(o.status, 502);
        QCOMPARE(o.body, QByteArray("<html></html>"));
        QCOMPARE(client.idleConnections(), 0);   // "Connection: close" is not pooled
    }

    void interimAnswersAreSkipped()
    {
        ScriptedServer server;
        QVERIFY(server.start());
        const QByteArray ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        server.answers = {{"HTTP/1.1 100 Continue\r\n\r\n", "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n", ok}, {ok}};
        HttpClient client;
        const Outcome first = post(client, server.url(QStringLiteral("/x")));
        QVERIFY2(!first.failed, qPrintable(first.error));
        QCOMPARE(first.status, 200);
        QCOMPARE(first.body, QByteArray("ok"));
        const Outcome second = post(client, server.url(QStringLiteral("/x")));   // on the same connection
        QCOMPARE(second.body, QByteArray("ok"));
        QCOMPARE(server.connections, 1);
    }

    void notHttpFails()
    {
        ScriptedServer server;
        QVERIFY(server.start());
        server.answers = {{"SSH-2.0-OpenSSH_9.2\r\n"}};
        HttpClient client;
        const Outcome o = post(client, server.url(QStringLiteral("/x")));
        QVERIFY(o.failed);
        QVERIFY2(o.error.contains(u"not valid HTTP"), qPrintable(o.error));
    }

    void abortStopsSilently()
    {
        ScriptedServer server;
        QVERIFY(server.start());
        server.answers = {{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "3\r\nabc\r\n", "3\r\ndef\r\n", "0\r\n\r\n"}};
        HttpClient client;
        QNetworkRequest request(server.url(QStringLiteral("/x")));
        std::unique_ptr<UpstreamReply> reply(client.post(request, "{}"));
        QSignalSpy finished(reply.get(), &UpstreamReply::finished);
        QSignalSpy read(reply.get(), &UpstreamReply::readyRead);
        QVERIFY(read.wait(5000));
        reply->abort();
        QVERIFY(!finished.wait(200));   // nothing after abort
        QVERIFY(reply->isFinished());
        QCOMPARE(client.idleConnections(), 0);
    }
};

QTEST_GUILESS_MAIN(TestHttpClient)
#include "tst_httpclient.moc"
