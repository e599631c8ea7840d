// libFuzzer target: any bytes as a provider's whole HTTP answer, status line and headers included,
// read by the endpoint's own path: ProviderCall over HttpClient (libhttp-parser), then the SSE
// parser and the dialect's normalizer, or the error classifier for a failed status. A loopback
// server plays the provider: it reads the request, writes the bytes and closes. The first byte
// picks the dialect, the second whether the request asks for a stream. Whatever comes, the call
// reports exactly once.
#include "HttpClient.h"
#include "ProviderCall.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>

#include <cstdint>
#include <cstdlib>

namespace {

QCoreApplication *app = nullptr;
QTcpServer *provider = nullptr;
QByteArray answer;   // what the provider says to the next connection
QList<QPointer<QTcpSocket>> served;

// Reads one request (headers and a Content-Length body), then answers and closes.
void serve(QTcpSocket *socket)
{
    served << socket;
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    auto buffer = std::make_shared<QByteArray>();
    QObject::connect(socket, &QTcpSocket::readyRead, socket, [socket, buffer] {
        *buffer += socket->readAll();
        const qsizetype end = buffer->indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const qsizetype at = buffer->toLower().indexOf("content-length:");
        const qsizetype length = at < 0 ? 0 : buffer->mid(at + 15, buffer->indexOf("\r\n", at) - at - 15).trimmed().toLongLong();
        if (buffer->size() < end + 4 + length)
            return;
        socket->disconnect();
        socket->write(answer);
        socket->disconnectFromHost();
    });
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    app = new QCoreApplication(*argc, *argv);
    provider = new QTcpServer;
    if (!provider->listen(QHostAddress::LocalHost, 0))
        qFatal("fuzz_http_response: %s", qPrintable(provider->errorString()));
    QObject::connect(provider, &QTcpServer::newConnection, provider, [] {
        while (QTcpSocket *socket = provider->nextPendingConnection())
            serve(socket);
    });
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    answer = QByteArray(reinterpret_cast<const char *>(data + 2), qsizetype(size - 2));

    ProviderConfig p;
    p.id = QStringLiteral("fuzz");
    p.dialect = Dialect(data[0] % 6);
    p.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(provider->serverPort()));
    ModelConfig m;
    m.name = QStringLiteral("fuzz-model");
    m.provider = p.id;
    m.id = QStringLiteral("fuzz-model-id");
    m.reasoning = true;
    m.tools = true;
    ChatRequest r;
    r.messages = {ChatMessage::text(QStringLiteral("user"), QStringLiteral("hello"))};
    r.stream = (data[1] & 1) == 0;

    HttpClient client;   // a fresh pool each time: no input sees another's connection
    int reports = 0;
    {
        ProviderCall call(&client, p, m, r, QStringLiteral("sk-fuzz"));
        QEventLoop loop;
        QObject::connect(&call, &ProviderCall::finished, &loop, [&] {
            ++reports;
            loop.quit();
        });
        call.start();
        loop.exec();
        QCoreApplication::sendPostedEvents();   // a second report would come now
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        if (reports != 1)
            std::abort();
    }
    // Everything this input made is gone before the next one (libFuzzer counts allocations).
    qDeleteAll(std::exchange(served, {}));
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    return 0;
}
