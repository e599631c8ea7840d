// libFuzzer target: any bytes as what a client sends to the local endpoint, through HttpServer's
// real connection over a loopback socket (one connection per input). The handler answers at once,
// as a whole body or as a stream depending on the path, so pipelined requests and keep-alive are
// exercised too. HttpServer's parser has no seam without a socket, and this keeps it that way.
#include "HttpServer.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QTcpSocket>
#include <QTimer>

#include <sys/socket.h>

#include <cstdint>
#include <cstdlib>

namespace {

QCoreApplication *app = nullptr;
HttpServer *server = nullptr;

void answer(HttpExchange *e)
{
    if (e->path.endsWith("/stream")) {
        e->beginStream(200, "text/event-stream");
        e->sendChunk("data: " + e->body.left(64) + "\n\n");
        e->sendChunk("data: [DONE]\n\n");
        e->endStream();
    } else {
        e->respond(200, "application/json", "{\"method\":\"" + e->method + "\",\"bytes\":" + QByteArray::number(e->body.size()) + '}',
                   {{"x-echo", e->header("x-echo").left(32)}});
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    app = new QCoreApplication(*argc, *argv);
    server = new HttpServer(answer);
    server->setMaxBodyBytes(64 * 1024);   // so the 413 path is within reach
    QString error;
    if (!server->listen(QHostAddress::LocalHost, 0, &error))
        qFatal("fuzz_http_request: %s", qPrintable(error));
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    QTcpSocket client;
    QEventLoop loop;
    QObject::connect(&client, &QTcpSocket::connected, &loop, [&] {
        client.write(reinterpret_cast<const char *>(data), qint64(size));
        // Everything is sent; the half close tells the server no more is coming, so it answers what
        // it has and closes. Its closing ends this input.
        QObject::connect(&client, &QTcpSocket::bytesWritten, &loop, [&] {
            if (client.bytesToWrite() == 0)
                ::shutdown(int(client.socketDescriptor()), SHUT_WR);
        });
        if (size == 0)
            ::shutdown(int(client.socketDescriptor()), SHUT_WR);
    });
    QObject::connect(&client, &QTcpSocket::readyRead, &loop, [&] { client.readAll(); });
    QObject::connect(&client, &QTcpSocket::disconnected, &loop, &QEventLoop::quit);
    QObject::connect(&client, &QTcpSocket::errorOccurred, &loop, &QEventLoop::quit);
    client.connectToHost(QHostAddress::LocalHost, server->port());
    loop.exec();
    client.abort();
    // The server deletes its side later: let it, so one input's connection never meets the next.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    return 0;
}
