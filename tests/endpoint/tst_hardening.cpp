// The endpoint against hostile and buggy clients (issue "Hardening"): every attack seen against a
// running `switchyard serve`, reproduced against the real server, with the bounded outcome.
#include "GatewayFixture.h"
#include "HttpServer.h"
#include "Platform.h"
#include "ProcessStats.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTcpSocket>
#include <QTest>

#include <sys/socket.h>

namespace {

QByteArray request(const QByteArray &method, const QByteArray &path, const QByteArray &body, const QByteArray &key,
                   const QByteArray &extra = {})
{
    QByteArray out = method + ' ' + path + " HTTP/1.1\r\nHost: x\r\n";
    if (!key.isEmpty())
        out += "Authorization: Bearer " + key + "\r\n";
    out += extra;
    if (!body.isEmpty() || method == "POST")
        out += "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
    return out + "\r\n" + body;
}

QByteArray chat(const QString &model, bool stream, const QString &prompt = QStringLiteral("Say hello"))
{
    QJsonObject o {{QStringLiteral("model"), model},
                   {QStringLiteral("stream"), stream},
                   {QStringLiteral("messages"),
                    QJsonArray {QJsonObject {{QStringLiteral("role"), QStringLiteral("user")}, {QStringLiteral("content"), prompt}}}}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

// Reads from `socket` until `done` says so or the server closes; what came.
QByteArray readUntil(QTcpSocket &socket, const std::function<bool(const QByteArray &)> &done, int timeoutMs = 10000)
{
    QByteArray out;
    [[maybe_unused]] const bool finished = QTest::qWaitFor(
        [&] {
            out += socket.readAll();
            return done(out) || socket.state() == QAbstractSocket::UnconnectedState;
        },
        timeoutMs);
    return out + socket.readAll();
}

bool closedBy(QTcpSocket &socket, int timeoutMs)
{
    return QTest::qWaitFor(
        [&] {
            socket.readAll();
            return socket.state() == QAbstractSocket::UnconnectedState;
        },
        timeoutMs);
}

// A big answer in many frames: 64 MiB, far more than every buffer between the two ends holds.
FakeResponse bigStream(int frames = 32'000)
{
    return FakeResponse::textStream(QStringList(frames, QString(2000, QLatin1Char('x'))));
}

struct Serve
{
    QTemporaryDir profile;
    QProcess process;
    QUrl url;
    quint16 port() const { return quint16(url.port()); }
};

QProcessEnvironment serveEnvironment(const QByteArray &key)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (key.isEmpty())
        env.remove(QStringLiteral("SWITCHYARD_GATEWAY_KEY"));
    else
        env.insert(QStringLiteral("SWITCHYARD_GATEWAY_KEY"), QString::fromLatin1(key));
    return env;
}

bool startServe(Serve &serve, const QProcessEnvironment &env)
{
    serve.process.setProcessEnvironment(env);
    serve.process.start(qEnvironmentVariable("SWITCHYARD_BINARY"),
                        {QStringLiteral("serve"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                         QStringLiteral("--profile"), serve.profile.path()});
    if (!serve.process.waitForStarted(10000))
        return false;
    if (!QTest::qWaitFor([&] { return serve.process.canReadLine() || serve.process.state() != QProcess::Running; }, 20000))
        return false;
    serve.url = QUrl(QString::fromUtf8(serve.process.readLine().trimmed()));
    return serve.url.port() > 0;
}

int runCli(const QString &profile, const QStringList &args, const QByteArray &input = {})
{
    QProcess p;
    p.start(qEnvironmentVariable("SWITCHYARD_BINARY"), args + QStringList {QStringLiteral("--profile"), profile});
    if (!p.waitForStarted(10000))
        return -1;
    p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(30000))
        return -1;
    if (p.exitCode() != 0)
        qWarning("%s", p.readAllStandardError().constData());
    return p.exitCode();
}

int status(quint16 port, const QByteArray &key)
{
    QTcpSocket s;
    s.connectToHost(QHostAddress::LocalHost, port);
    if (!s.waitForConnected(5000))
        return -1;
    s.write(request("GET", "/v1/models", {}, key));
    const QByteArray r = readUntil(s, [](const QByteArray &b) { return b.contains("\r\n\r\n{") && b.endsWith("}"); });
    return r.mid(9, 3).toInt();
}

} // namespace

class TestHardening : public QObject
{
    Q_OBJECT

    std::unique_ptr<GatewayFixture> fx;

    quint16 port() const { return fx->gateway->url().port(); }

    bool connect(QTcpSocket &socket)
    {
        socket.connectToHost(QHostAddress::LocalHost, port());
        return socket.waitForConnected(5000);
    }

    HttpServer::Limits shortLimits() const
    {
        HttpServer::Limits l;
        l.headersMs = 400;
        l.bodyMs = 400;
        l.idleMs = 400;
        l.writeStallMs = 600;
        return l;
    }

private slots:
    void initTestCase() { Platform::raiseOpenFileLimit(); }

    void init()
    {
        fx = std::make_unique<GatewayFixture>();
        QString why;
        QVERIFY2(fx->start(&why), qPrintable(why));
    }

    void cleanup() { fx.reset(); }

    // The key is checked when the headers are in: a stranger's 32 MiB upload is never read, and it
    // gets no `100 Continue`.
    void strangersAreRefusedBeforeTheirBody()
    {
        const QByteArray head = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                "Content-Length: 33554432\r\n";
        QTcpSocket expecting;
        QVERIFY(connect(expecting));
        expecting.write(head + "Expect: 100-continue\r\n\r\n");
        const QByteArray r = readUntil(expecting, [](const QByteArray &b) { return b.contains("\r\n\r\n{"); });
        QVERIFY2(r.startsWith("HTTP/1.1 401 "), r.constData());
        QVERIFY(!r.contains("100 Continue"));
        QVERIFY(r.contains("Connection: close"));
        QVERIFY(closedBy(expecting, 5000));

        // One that sends its body without waiting: refused all the same, and nothing is kept.
        QTcpSocket pushing;
        QVERIFY(connect(pushing));
        pushing.write(head + "\r\n" + QByteArray(1 << 20, '{'));
        const QByteArray r2 = readUntil(pushing, [](const QByteArray &b) { return b.contains("\r\n\r\n{"); });
        QVERIFY2(r2.startsWith("HTTP/1.1 401 "), r2.left(200).constData());
        QCOMPARE(fx->gateway->server().bodyBytesHeld(), 0);
        QVERIFY(fx->fake.requests().isEmpty());
    }

    void unknownPathsAreRefusedBeforeTheirBody()
    {
        QTcpSocket s;
        QVERIFY(connect(s));
        s.write("POST /v1/nothing HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sk-sy-fixture-key\r\nContent-Length: 1000000\r\n"
                "Expect: 100-continue\r\n\r\n");
        const QByteArray r = readUntil(s, [](const QByteArray &b) { return b.contains("\r\n\r\n{"); });
        QVERIFY2(r.startsWith("HTTP/1.1 404 "), r.constData());
        QVERIFY(!r.contains("100 Continue"));
    }

    void aKeyedUploadStillGetsItsContinue()
    {
        const QByteArray body = chat(QStringLiteral("plain"), false);
        QTcpSocket s;
        QVERIFY(connect(s));
        s.write("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sk-sy-fixture-key\r\n"
                "Expect: 100-continue\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n");
        const QByteArray cont = readUntil(s, [](const QByteArray &b) { return b.contains("\r\n\r\n"); });
        QCOMPARE(cont, QByteArray("HTTP/1.1 100 Continue\r\n\r\n"));
        s.write(body);
        const QByteArray r = readUntil(s, [](const QByteArray &b) { return b.contains("\"finish_reason\""); });
        QVERIFY2(r.startsWith("HTTP/1.1 200 OK"), r.left(200).constData());
    }

    // Headers that trickle in a byte at a time are cut off when their deadline passes, however
    // busy the trickle keeps the connection.
    void headersHaveADeadlineAsAWhole()
    {
        fx->gateway->setServerLimits(shortLimits());
        QTcpSocket s;
        QVERIFY(connect(s));
        QElapsedTimer t;
        t.start();
        const QByteArray head = "GET /v1/models HTTP/1.1\r\nHost: x\r\nX-Padding: ";
        QByteArray seen;
        for (int i = 0; s.state() == QAbstractSocket::ConnectedState && t.elapsed() < 5000; ++i) {
            s.write(head.mid(i, 1).isEmpty() ? QByteArray("a") : head.mid(i, 1));
            s.flush();
            QTest::qWait(20);
            seen += s.readAll();
        }
        seen += s.readAll();
        QVERIFY2(s.state() != QAbstractSocket::ConnectedState, "the trickling connection was never closed");
        QVERIFY2(seen.startsWith("HTTP/1.1 408 "), seen.constData());
        QVERIFY(t.elapsed() < 5000);
    }

    void aStalledBodyIsCutOff()
    {
        fx->gateway->setServerLimits(shortLimits());
        QTcpSocket s;
        QVERIFY(connect(s));
        s.write(request("POST", "/v1/chat/completions", {}, "sk-sy-fixture-key", "Content-Length: 5000\r\n").replace(
            "Content-Length: 0\r\n", ""));
        s.write("{\"model\":");
        const QByteArray r = readUntil(s, [](const QByteArray &b) { return b.contains("\r\n\r\n{"); });
        QVERIFY2(r.startsWith("HTTP/1.1 408 "), r.constData());
        QCOMPARE(fx->gateway->server().bodyBytesHeld(), 0);
    }

    // Slowloris: the connections are full of trickling strangers, and a client with the key still
    // gets in, at once: the oldest stranger makes room.
    void aFullServerStillLetsAClientIn()
    {
        HttpServer::Limits l;
        l.maxConnections = 40;
        fx->gateway->setServerLimits(l);
        std::vector<std::unique_ptr<QTcpSocket>> trickling;
        for (int i = 0; i < 60; ++i) {
            auto s = std::make_unique<QTcpSocket>();
            QVERIFY(connect(*s));
            s->write("GET /v1/models HTTP/1.1\r\nHost: x\r\n");
            trickling.push_back(std::move(s));
            QCoreApplication::processEvents();   // the server runs in this thread: let it accept
        }
        QTRY_VERIFY_WITH_TIMEOUT(fx->gateway->server().connectionCount() == 40, 5000);
        QTcpSocket client;
        QVERIFY(connect(client));
        client.write(request("GET", "/v1/models", {}, "sk-sy-fixture-key"));
        const QByteArray r = readUntil(client, [](const QByteArray &b) { return b.contains("\"data\""); });
        QVERIFY2(r.startsWith("HTTP/1.1 200 OK"), r.left(300).constData());
        QVERIFY(fx->gateway->server().connectionCount() <= 40);
        int closed = 0;
        for (auto &s : trickling) {
            s->readAll();
            closed += s->state() != QAbstractSocket::ConnectedState;
        }
        QVERIFY(closed >= 20);
    }

    // A client that pipelines requests and never reads the answers: the server stops reading, so
    // what the client can push is what the OS buffers hold, not the server's memory.
    void pipeliningWithoutReadingIsBounded()
    {
        QTcpSocket s;
        s.setReadBufferSize(4096);   // this client reads nothing either
        QVERIFY(connect(s));
        const QByteArray one = request("GET", "/v1/models", {}, "sk-sy-fixture-key");
        QByteArray lots;
        while (lots.size() < (1 << 20))
            lots += one;
        qint64 accepted = 0;
        QElapsedTimer t;
        t.start();
        // Write until the connection stops taking bytes for a while.
        qint64 lastProgressAt = 0;
        while (t.elapsed() < 20000 && t.elapsed() - lastProgressAt < 1500 && accepted < (256 << 20)) {
            if (s.bytesToWrite() < (1 << 20)) {
                s.write(lots);
            }
            const qint64 before = s.bytesToWrite();
            QTest::qWait(50);
            if (s.bytesToWrite() < before) {
                accepted += before - s.bytesToWrite();
                lastProgressAt = t.elapsed();
            }
        }
        QVERIFY2(accepted < (64 << 20), qPrintable(QStringLiteral("the server took %1 MiB").arg(accepted >> 20)));
        // And it is still the same connection, answering as the client reads.
        s.setReadBufferSize(0);
        const QByteArray r = readUntil(s, [](const QByteArray &b) { return b.count("HTTP/1.1 200 OK") >= 3; });
        QVERIFY(r.count("HTTP/1.1 200 OK") >= 3);
    }

    // A client that does not read its stream holds the provider back: the provider's writes wait,
    // and nothing piles up in between. Once it reads, the whole answer arrives.
    void aSlowReaderHoldsTheProviderBack()
    {
        const int frames = 16'000;
        fx->gateway->setTimeouts({5000, 5000, 120'000});
        fx->fake.enqueue(bigStream(frames));
        QTcpSocket s;
        s.setReadBufferSize(64 << 10);
        QVERIFY(connect(s));
        s.write(request("POST", "/v1/chat/completions", chat(QStringLiteral("plain"), true), "sk-sy-fixture-key"));
        QTRY_VERIFY_WITH_TIMEOUT(fx->fake.framesWritten() > 0, 10000);
        // Time enough for every frame to go, were nothing holding them back.
        int before = -1;
        QTRY_VERIFY_WITH_TIMEOUT((before = fx->fake.framesWritten(), QTest::qWait(500), fx->fake.framesWritten() == before), 20000);
        QVERIFY2(fx->fake.framesWritten() < frames / 2,
                 qPrintable(QStringLiteral("%1 of %2 frames were read from the provider").arg(fx->fake.framesWritten()).arg(frames)));
        s.setReadBufferSize(0);
        qint64 received = 0;
        QByteArray tail;
        const bool whole = QTest::qWaitFor(
            [&] {
                const QByteArray chunk = s.readAll();
                received += chunk.size();
                tail = QByteArray(tail + chunk).right(200);
                return tail.contains("[DONE]");
            },
            60000);
        QVERIFY2(whole, qPrintable(QStringLiteral("%1 bytes came, %2 frames were sent; the last: %3")
                                       .arg(received).arg(fx->fake.framesWritten()).arg(QString::fromLatin1(tail))));
        QVERIFY(received > qint64(frames) * 2000);
    }

    // A client that never reads its answer is cut off once the write deadline passes; the call is
    // cancelled rather than left running.
    void aClientThatNeverReadsIsCutOff()
    {
        fx->gateway->setServerLimits(shortLimits());
        fx->fake.enqueue(bigStream());
        QTcpSocket s;
        s.setReadBufferSize(4096);
        QVERIFY(connect(s));
        s.write(request("POST", "/v1/chat/completions", chat(QStringLiteral("plain"), true), "sk-sy-fixture-key"));
        QTRY_COMPARE_WITH_TIMEOUT(fx->gateway->activeRequests(), 1, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(fx->gateway->activeRequests(), 0, 15000);
        QList<QVariantMap> rows;
        QTRY_COMPARE_WITH_TIMEOUT((rows = fx->ledgerRows()).size(), 1, 10000);
        QCOMPARE(rows[0].value(QStringLiteral("status")).toString(), QStringLiteral("cancelled"));
    }

    // A client that shuts its side after sending (as `curl --data … | …` tools and some proxies do)
    // still gets its answer.
    void aHalfClosedClientGetsItsAnswer_data()
    {
        QTest::addColumn<bool>("stream");
        QTest::newRow("whole") << false;
        QTest::newRow("streamed") << true;
    }

    void aHalfClosedClientGetsItsAnswer()
    {
        QFETCH(bool, stream);
        fx->fake.setFrameDelayMs(50);
        QTcpSocket s;
        QVERIFY(connect(s));
        s.write(request("POST", "/v1/chat/completions", chat(QStringLiteral("plain"), stream), "sk-sy-fixture-key",
                        "Connection: close\r\n"));
        QVERIFY(s.waitForBytesWritten(5000));
        QCOMPARE(::shutdown(int(s.socketDescriptor()), SHUT_WR), 0);
        const QByteArray r = readUntil(s, [](const QByteArray &) { return false; }, 15000);
        QVERIFY2(r.startsWith("HTTP/1.1 200 OK"), r.left(300).constData());
        QVERIFY2(stream ? r.contains("[DONE]") : r.contains("\"finish_reason\":\"stop\""), r.right(300).constData());
    }

    // Wrong types and out-of-range values are a 400 naming the field, as OpenAI's API answers.
    void wrongTypesAreRefused_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("param");
        QTest::addColumn<QString>("code");
        const QByteArray m = R"("model":"plain","messages":[{"role":"user","content":"hi"}])";
        QTest::newRow("temperature as a string") << "{" + m + R"(,"temperature":"hot"})" << "temperature" << "invalid_type";
        QTest::newRow("temperature too high") << "{" + m + R"(,"temperature":5})" << "temperature" << "decimal_above_max_value";
        QTest::newRow("max_tokens 1e20") << "{" + m + R"(,"max_tokens":1e20})" << "max_tokens" << "integer_above_max_value";
        QTest::newRow("max_tokens -5") << "{" + m + R"(,"max_tokens":-5})" << "max_tokens" << "integer_below_min_value";
        QTest::newRow("max_tokens 2.5") << "{" + m + R"(,"max_tokens":2.5})" << "max_tokens" << "invalid_type";
        QTest::newRow("stream as a string") << "{" + m + R"(,"stream":"true"})" << "stream" << "invalid_type";
        QTest::newRow("top_p") << "{" + m + R"(,"top_p":-0.1})" << "top_p" << "decimal_below_min_value";
        QTest::newRow("tools not a list") << "{" + m + R"(,"tools":{}})" << "tools" << "invalid_type";
        QTest::newRow("a message not an object") << QByteArray(R"({"model":"plain","messages":["hi"]})") << "messages[0]"
                                                 << "invalid_type";
        QTest::newRow("a role not a string") << QByteArray(R"({"model":"plain","messages":[{"role":5,"content":"hi"}]})")
                                             << "messages[0].role" << "invalid_request";
        QTest::newRow("model not a string") << QByteArray(R"({"model":7,"messages":[{"role":"user","content":"hi"}]})") << "model"
                                            << "invalid_type";
    }

    void wrongTypesAreRefused()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, param);
        QFETCH(QString, code);
        QTcpSocket s;
        QVERIFY(connect(s));
        s.write(request("POST", "/v1/chat/completions", body, "sk-sy-fixture-key"));
        const QByteArray r = readUntil(s, [](const QByteArray &b) { return b.contains("}}"); });
        QVERIFY2(r.startsWith("HTTP/1.1 400 "), r.constData());
        const QJsonObject error = QJsonDocument::fromJson(r.mid(r.indexOf("\r\n\r\n") + 4)).object().value(u"error").toObject();
        QCOMPARE(error.value(u"param").toString(), param);
        QCOMPARE(error.value(u"code").toString(), code);
        if (code == u"invalid_type" || code.endsWith(u"_value"))
            QVERIFY2(error.value(u"message").toString().contains(param), qPrintable(error.value(u"message").toString()));
        QVERIFY(fx->fake.requests().isEmpty());
    }

    // One huge request (a million messages) is parsed off the event loop: a small request sent
    // after it is answered first.
    void aHugeRequestDoesNotStallTheOthers()
    {
        QByteArray body = R"({"model":"plain","messages":[)";
        const QByteArray message = R"({"role":"user","content":"one two three four five"},)";
        while (body.size() < (28 << 20))
            body += message;
        body.chop(1);
        body += "]}";
        QTcpSocket big;
        QVERIFY(connect(big));
        big.write(request("POST", "/v1/chat/completions", body, "sk-sy-fixture-key"));
        QVERIFY(QTest::qWaitFor([&] { return big.bytesToWrite() == 0; }, 20000));
        QTcpSocket small;
        QVERIFY(connect(small));
        small.write(request("GET", "/v1/models", {}, "sk-sy-fixture-key"));
        const QByteArray r = readUntil(small, [](const QByteArray &b) { return b.contains("\"data\""); });
        QVERIFY2(r.startsWith("HTTP/1.1 200 OK"), r.left(200).constData());
        QVERIFY2(big.bytesAvailable() == 0 && fx->fake.requests().isEmpty(), "the huge request was answered first");
        // Routed off the loop too: about 5.6 million tokens, more than any model here takes.
        const QByteArray bigAnswer = readUntil(big, [](const QByteArray &b) { return b.contains("}}"); }, 60000);
        QVERIFY2(bigAnswer.startsWith("HTTP/1.1 400 ") && bigAnswer.contains("no_model"), bigAnswer.left(300).constData());
    }

    // A key removed by another process (here: another SecretStore on the same keychain and stamp)
    // stops working within a second; a request whose body was still coming in is refused too.
    void aRevokedKeyStopsWorking()
    {
        QTemporaryDir stampDir;
        const QString stamp = SecretStore::changeStampIn(stampDir.path());
        fx->secrets->shareChanges(stamp);
        fx->keys->setClientNamesSource([] { return QStringList {QStringLiteral("ci")}; });
        auto ok = [this](const QByteArray &key) {
            QTcpSocket s;
            if (!connect(s))
                return -1;
            s.write(request("GET", "/v1/models", {}, key));
            const QByteArray r = readUntil(s, [](const QByteArray &b) { return b.contains("}"); });
            return r.mid(9, 3).toInt();
        };
        QCOMPARE(ok(GatewayFixture::NamedKey), 200);

        SecretStore other(std::make_unique<FakeSecretBackend>(fx->shared));
        other.shareChanges(stamp);
        bool removed = false;
        other.remove(GatewayKeys::clientAccount(QStringLiteral("ci")), &other, [&](const SecretResult &) { removed = true; });
        QTRY_VERIFY(removed);
        QElapsedTimer t;
        t.start();
        QTRY_COMPARE_WITH_TIMEOUT(ok(GatewayFixture::NamedKey), 401, 3000);
        qInfo("the removed key was refused after %lld ms", t.elapsed());
        QCOMPARE(ok(GatewayFixture::Key), 200);

        // The main key regenerated elsewhere: the old one stops, the new one works.
        bool written = false;
        other.write(SecretStore::gatewayAccount(), QStringLiteral("sk-sy-regenerated"), &other,
                    [&](const SecretResult &) { written = true; });
        QTRY_VERIFY(written);
        QTRY_COMPARE_WITH_TIMEOUT(ok(GatewayFixture::Key), 401, 3000);
        QCOMPARE(ok("sk-sy-regenerated"), 200);

        // Revoked between headers and body: the body is not answered.
        QTcpSocket s;
        QVERIFY(connect(s));
        const QByteArray body = chat(QStringLiteral("plain"), false);
        s.write("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sk-sy-regenerated\r\n"
                "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n");
        QVERIFY(s.waitForBytesWritten(2000));
        QTest::qWait(100);
        removed = false;
        other.remove(SecretStore::gatewayAccount(), &other, [&](const SecretResult &) { removed = true; });
        QTRY_VERIFY(removed);
        QTRY_VERIFY_WITH_TIMEOUT(fx->keys->mainKey() != QStringLiteral("sk-sy-regenerated"), 3000);
        s.write(body);
        const QByteArray r = readUntil(s, [](const QByteArray &b) { return b.contains("}}"); });
        QVERIFY2(r.startsWith("HTTP/1.1 401 "), r.left(200).constData());
        QVERIFY(fx->fake.requests().isEmpty());
    }

    // --- The same attacks against `switchyard serve`, with its default limits. ---

    // 40 strangers announce 32 MiB bodies and push them: all are refused, and serve's memory
    // barely moves (it grew by 1.4 GB before the key was checked with the headers).
    void serveKeepsStrangersOutOfItsMemory()
    {
        Serve serve;
        QVERIFY(startServe(serve, serveEnvironment("sk-sy-hardening")));
        const qint64 before = rssKiB(serve.process.processId());
        std::vector<std::unique_ptr<QTcpSocket>> sockets;
        const QByteArray chunk(1 << 20, 'x');
        for (int i = 0; i < 40; ++i) {
            auto s = std::make_unique<QTcpSocket>();
            s->connectToHost(QHostAddress::LocalHost, serve.port());
            QVERIFY(s->waitForConnected(5000));
            s->write("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 33554432\r\n\r\n");
            for (int k = 0; k < 8; ++k)
                s->write(chunk);
            sockets.push_back(std::move(s));
        }
        int refused = 0;
        QVERIFY(QTest::qWaitFor(
            [&] {
                refused = 0;
                for (auto &s : sockets) {
                    s->setProperty("seen", QByteArray(s->property("seen").toByteArray() + s->readAll()));
                    refused += s->property("seen").toByteArray().startsWith("HTTP/1.1 401 ");
                }
                return refused == 40;
            },
            20000));
        const qint64 after = rssKiB(serve.process.processId());
        qInfo("serve's RSS: %lld KiB before, %lld KiB after 40 strangers pushed 320 MiB", before, after);
        QVERIFY2(after - before < 64 * 1024, qPrintable(QStringLiteral("serve grew by %1 MiB").arg((after - before) / 1024)));

        // The open-file limit is at least 4,096 (or the hard limit) for the connections.
        QFile limits(QStringLiteral("/proc/%1/limits").arg(serve.process.processId()));
        QVERIFY(limits.open(QIODevice::ReadOnly));
        bool seen = false;
        for (const QByteArray &line : limits.readAll().split('\n')) {
            if (line.startsWith("Max open files")) {
                const QList<QByteArray> f = line.mid(14).simplified().split(' ');
                const qint64 hard = f.value(1) == "unlimited" ? 1 << 30 : f.value(1).toLongLong();
                const qint64 soft = f.value(0) == "unlimited" ? 1 << 30 : f.value(0).toLongLong();
                QVERIFY2(soft >= std::min<qint64>(hard, 4096), line.constData());   // never lowered
                seen = true;
            }
        }
        QVERIFY(seen);
        serve.process.terminate();
        QVERIFY(serve.process.waitForFinished(10000));
    }

    // Slowloris: 1,100 connections trickle their headers; a client with the key still gets its answer.
    void serveStillAnswersUnderSlowloris()
    {
        Serve serve;
        QVERIFY(startServe(serve, serveEnvironment("sk-sy-hardening")));
        std::vector<std::unique_ptr<QTcpSocket>> trickling;
        for (int i = 0; i < 1100; ++i) {
            auto s = std::make_unique<QTcpSocket>();
            s->connectToHost(QHostAddress::LocalHost, serve.port());
            QVERIFY2(s->waitForConnected(5000), qPrintable(s->errorString()));
            s->write("GET /v1/models HTTP/1.1\r\nHost: x\r\nX-a: ");
            trickling.push_back(std::move(s));
        }
        for (int round = 0; round < 3; ++round) {
            for (auto &s : trickling) {
                if (s->state() == QAbstractSocket::ConnectedState)
                    s->write("a");
            }
            QTest::qWait(100);
        }
        QCOMPARE(status(serve.port(), "sk-sy-hardening"), 200);
        const qint64 rss = rssKiB(serve.process.processId());
        qInfo("serve's RSS with 1,100 trickling connections: %lld KiB", rss);
        QVERIFY(rss < 256 * 1024);
        trickling.clear();
        serve.process.terminate();
        QVERIFY(serve.process.waitForFinished(10000));
    }

    // Keys changed by `switchyard keys` in another process apply to a running serve within a second.
    void serveDropsRevokedKeys()
    {
        Serve serve;
        const QString profile = serve.profile.path();
        QCOMPARE(runCli(profile, {QStringLiteral("keys"), QStringLiteral("set"), QStringLiteral("gateway")}, "sk-sy-main-1"), 0);
        QCOMPARE(runCli(profile, {QStringLiteral("keys"), QStringLiteral("set"), QStringLiteral("gateway:ci")}, "sk-sy-ci-1"), 0);
        QVERIFY(startServe(serve, serveEnvironment({})));
        QCOMPARE(status(serve.port(), "sk-sy-main-1"), 200);
        QCOMPARE(status(serve.port(), "sk-sy-ci-1"), 200);

        QCOMPARE(runCli(profile, {QStringLiteral("keys"), QStringLiteral("remove"), QStringLiteral("gateway:ci")}), 0);
        QElapsedTimer t;
        t.start();
        QTRY_COMPARE_WITH_TIMEOUT(status(serve.port(), "sk-sy-ci-1"), 401, 3000);
        qInfo("serve refused the removed key %lld ms after `keys remove` returned", t.elapsed());
        QCOMPARE(status(serve.port(), "sk-sy-main-1"), 200);

        QCOMPARE(runCli(profile, {QStringLiteral("keys"), QStringLiteral("set"), QStringLiteral("gateway")}, "sk-sy-main-2"), 0);
        QTRY_COMPARE_WITH_TIMEOUT(status(serve.port(), "sk-sy-main-1"), 401, 3000);
        QCOMPARE(status(serve.port(), "sk-sy-main-2"), 200);

        // A named key added while serve runs works without a restart.
        QCOMPARE(runCli(profile, {QStringLiteral("keys"), QStringLiteral("set"), QStringLiteral("gateway:new")}, "sk-sy-new-1"), 0);
        QTRY_COMPARE_WITH_TIMEOUT(status(serve.port(), "sk-sy-new-1"), 200, 3000);
        serve.process.terminate();
        QVERIFY(serve.process.waitForFinished(10000));
    }
};

QTEST_MAIN(TestHardening)
#include "tst_hardening.moc"
