#include "HttpServer.h"

#include "HttpHeaders.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <http_parser.h>

namespace {

constexpr int IdleConnectionMs = 60'000;   // a keep-alive connection with nothing to do is closed
constexpr int DrainQuietMs = 500;            // a refused upload is read until it pauses this long
constexpr qint64 DrainLimitBytes = 64 << 20;  // or until this much of it has been dropped

} // namespace

// One client connection: parses requests one at a time and hands each to the server's handler.
class HttpConnection : public QObject
{
public:
    HttpConnection(HttpServer *server, QTcpSocket *socket);

    void write(const QByteArray &bytes, bool now = false);
    void exchangeDone(bool keepAlive);

private:
    static HttpConnection *self(http_parser *p) { return static_cast<HttpConnection *>(p->data); }
    void onReadyRead();
    void parse();
    void refuse(int status, const QString &message);
    void onDisconnected();

public:
    // Closes the connection now; an answer in progress is abandoned (its exchange says aborted()).
    void abort();

    HttpServer *m_server;
    QTcpSocket *m_socket;
    http_parser m_parser {};
    http_parser_settings m_settings {};
    QByteArray m_pending;                 // read but not yet parsed
    QPointer<HttpExchange> m_exchange;    // being parsed or answered
    QByteArray m_url;
    HttpHeaders m_headers;
    bool m_complete = false;              // the exchange's request is whole; it is being answered
    int m_refusal = 0;                    // a status to refuse the request with, found while parsing
    bool m_draining = false;              // refused: reading and dropping the rest, then closing
    qint64 m_drained = 0;
    QTimer m_idle;
};

HttpConnection::HttpConnection(HttpServer *server, QTcpSocket *socket)
    : QObject(server)
    , m_server(server)
    , m_socket(socket)
{
    socket->setParent(this);
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    http_parser_init(&m_parser, HTTP_REQUEST);
    m_parser.data = this;

    m_settings.on_message_begin = [](http_parser *p) {
        HttpConnection *c = self(p);
        c->m_exchange = new HttpExchange(c);
        c->m_url.clear();
        c->m_headers.clear();
        return 0;
    };
    m_settings.on_url = [](http_parser *p, const char *at, size_t n) {
        self(p)->m_url.append(at, qsizetype(n));
        return 0;
    };
    m_settings.on_header_field = [](http_parser *p, const char *at, size_t n) {
        self(p)->m_headers.nameBytes(at, n);
        return 0;
    };
    m_settings.on_header_value = [](http_parser *p, const char *at, size_t n) {
        self(p)->m_headers.valueBytes(at, n);
        return 0;
    };
    m_settings.on_headers_complete = [](http_parser *p) {
        HttpConnection *c = self(p);
        HttpExchange *e = c->m_exchange;
        e->method = http_method_str(http_method(p->method));
        const qsizetype q = c->m_url.indexOf('?');
        e->path = q < 0 ? c->m_url : c->m_url.left(q);
        e->headers = c->m_headers.take();
        const bool hasLength = (p->flags & F_CONTENTLENGTH) != 0;
        if (hasLength && p->content_length > quint64(c->m_server->maxBodyBytes())) {
            c->m_refusal = 413;
            return -1;
        }
        if (hasLength)
            e->body.reserve(qsizetype(p->content_length));
        e->m_http10 = p->http_major == 1 && p->http_minor == 0;
        if (e->header("expect").compare("100-continue", Qt::CaseInsensitive) == 0)
            c->write("HTTP/1.1 100 Continue\r\n\r\n", true);   // curl waits a second for it on large bodies
        return 0;
    };
    m_settings.on_body = [](http_parser *p, const char *at, size_t n) {
        HttpConnection *c = self(p);
        if (c->m_exchange->body.size() + qint64(n) > c->m_server->maxBodyBytes()) {
            c->m_refusal = 413;   // a chunked upload that grew past the limit
            return -1;
        }
        c->m_exchange->body.append(at, qsizetype(n));
        return 0;
    };
    m_settings.on_message_complete = [](http_parser *p) {
        HttpConnection *c = self(p);
        c->m_complete = true;
        c->m_exchange->m_keepAlive = http_should_keep_alive(p) != 0;
        http_parser_pause(p, 1);   // one request at a time: the rest waits until this one is answered
        return 0;
    };

    m_idle.setSingleShot(true);
    m_idle.setInterval(IdleConnectionMs);
    connect(&m_idle, &QTimer::timeout, this, [this] {
        // Idle, or a request that stopped coming halfway; never while an answer is being written.
        if (m_draining || !m_complete)
            m_socket->abort();
    });
    connect(socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(socket, &QTcpSocket::disconnected, this, &HttpConnection::onDisconnected);
    m_idle.start();
    onReadyRead();
}

void HttpConnection::onReadyRead()
{
    if (m_draining) {
        // The rest of a refused upload, read so that the refusal arrives; closed after half a
        // second of quiet, or after 64 MiB.
        m_drained += m_socket->readAll().size();
        if (m_drained > DrainLimitBytes)
            m_socket->abort();
        else
            m_idle.start(DrainQuietMs);
        return;
    }
    m_idle.start();
    if (m_complete)
        return;   // still answering; the socket keeps the bytes
    m_pending += m_socket->readAll();
    parse();
}

void HttpConnection::parse()
{
    if (m_pending.isEmpty())
        return;
    const size_t n = http_parser_execute(&m_parser, &m_settings, m_pending.constData(), size_t(m_pending.size()));
    const auto err = HTTP_PARSER_ERRNO(&m_parser);
    m_pending.remove(0, qsizetype(n));
    if (err == HPE_PAUSED && m_complete) {
        m_server->m_handler(m_exchange);   // answered now or later
        return;
    }
    if (err == HPE_OK)
        return;   // the request is not whole yet
    if (m_refusal == 413) {
        refuse(413, QCoreApplication::translate("HttpServer", "The request body is larger than the endpoint accepts (%1 bytes).")
                        .arg(m_server->maxBodyBytes()));
    } else if (err == HPE_HEADER_OVERFLOW) {
        refuse(431, QCoreApplication::translate("HttpServer", "The request headers are too large."));
    } else {
        refuse(400, QCoreApplication::translate("HttpServer", "The request is not valid HTTP: %1.")
                        .arg(QString::fromLatin1(http_errno_description(err))));
    }
}

void HttpConnection::refuse(int status, const QString &message)
{
    const QByteArray body = HttpServer::errorBody(message, QStringLiteral("invalid_request_error"), status);
    write("HTTP/1.1 " + QByteArray::number(status) + ' ' + HttpServer::reasonPhrase(status)
              + "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size())
              + "\r\nConnection: close\r\n\r\n" + body,
          true);
    if (m_exchange)
        m_exchange->deleteLater();
    m_exchange = nullptr;
    m_complete = true;
    // A client still uploading would get a reset instead of the refusal if the connection closed
    // now: read and drop what it sends for a few seconds, then close.
    m_draining = true;
    m_drained = m_socket->readAll().size();
    m_idle.start(DrainQuietMs);
}

void HttpConnection::write(const QByteArray &bytes, bool now)
{
    // A stream's chunks leave when control returns to the event loop: every frame that came in
    // the same read from the provider goes in one send(), and none waits longer than that turn.
    // The end of an answer goes at once, ahead of whatever else that turn holds.
    m_socket->write(bytes);
    if (now)
        m_socket->flush();
}

void HttpConnection::exchangeDone(bool keepAlive)
{
    if (m_exchange)
        m_exchange->deleteLater();
    m_exchange = nullptr;
    m_complete = false;
    m_idle.start();
    if (!keepAlive) {
        m_complete = true;
        m_socket->disconnectFromHost();
        return;
    }
    http_parser_pause(&m_parser, 0);
    // A request that came while this one was answered is parsed on the next turn of the loop, so a
    // handler that answers at once does not recurse.
    QMetaObject::invokeMethod(this, &HttpConnection::onReadyRead, Qt::QueuedConnection);
}

void HttpConnection::abort()
{
    m_socket->disconnect(this);
    onDisconnected();
    m_socket->abort();
}

void HttpConnection::onDisconnected()
{
    if (m_exchange) {
        HttpExchange *e = m_exchange;
        m_exchange = nullptr;
        if (!e->isAnswered() && m_complete)
            emit e->aborted();
        e->deleteLater();
    }
    deleteLater();
}

HttpExchange::HttpExchange(HttpConnection *connection)
    : QObject(connection)
    , m_connection(connection)
{
}

QByteArray HttpExchange::header(const QByteArray &lowerCaseName) const
{
    for (const Header &h : headers) {
        if (h.first == lowerCaseName)
            return h.second;
    }
    return {};
}

QByteArray HttpExchange::head(int status, const QList<Header> &extra) const
{
    QByteArray out;
    out.reserve(256);
    out += "HTTP/1.1 " + QByteArray::number(status) + ' ' + HttpServer::reasonPhrase(status) + "\r\n";
    for (const Header &h : extra)
        out += HttpHeaders::safeName(h.first) + ": " + HttpHeaders::safeValue(h.second) + "\r\n";
    if (!m_keepAlive)
        out += "Connection: close\r\n";
    return out;
}

void HttpExchange::respond(int status, const QByteArray &contentType, const QByteArray &body, const QList<Header> &extra)
{
    if (m_state != State::Waiting || !m_connection)
        return;
    QByteArray out = head(status, extra);
    out += "Content-Type: " + contentType + "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n";
    out += body;
    m_connection->write(out, true);
    done();
}

void HttpExchange::beginStream(int status, const QByteArray &contentType, const QList<Header> &extra)
{
    if (m_state != State::Waiting || !m_connection)
        return;
    if (m_http10)
        m_keepAlive = false;   // HTTP/1.0 has no chunks: the stream ends when the connection does
    QByteArray out = head(status, extra);
    out += "Content-Type: " + contentType + "\r\nCache-Control: no-cache\r\n";
    out += m_http10 ? "\r\n" : "Transfer-Encoding: chunked\r\n\r\n";
    m_connection->write(out);
    m_state = State::Streaming;
}

void HttpExchange::sendChunk(const QByteArray &data)
{
    if (m_state != State::Streaming || !m_connection || data.isEmpty())
        return;
    // The first words go at once: time to first token is what a reader waits for.
    const QByteArray framed = m_http10 ? data : QByteArray(QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n");
    m_connection->write(framed, m_chunks++ == 0);
}

void HttpExchange::endStream()
{
    if (m_state != State::Streaming || !m_connection)
        return;
    if (!m_http10)
        m_connection->write(QByteArrayLiteral("0\r\n\r\n"), true);
    done();
}

void HttpExchange::done()
{
    m_state = State::Done;
    if (m_connection)
        m_connection->exchangeDone(m_keepAlive);
}

HttpServer::HttpServer(Handler handler, QObject *parent)
    : QObject(parent)
    , m_handler(std::move(handler))
{
}

HttpServer::~HttpServer() = default;

bool HttpServer::listen(const QHostAddress &address, quint16 port, QString *error)
{
    close();
    m_server = std::make_unique<QTcpServer>();
    connect(m_server.get(), &QTcpServer::newConnection, this, &HttpServer::onNewConnection);
    if (!m_server->listen(address, port)) {
        if (error)
            *error = m_server->errorString();
        m_server.reset();
        return false;
    }
    return true;
}

void HttpServer::close()
{
    m_server.reset();
    const auto connections = findChildren<QObject *>(Qt::FindDirectChildrenOnly);
    for (QObject *c : connections) {
        if (auto *connection = dynamic_cast<HttpConnection *>(c))
            connection->abort();
    }
}

bool HttpServer::isListening() const
{
    return m_server && m_server->isListening();
}

QHostAddress HttpServer::address() const
{
    return m_server ? m_server->serverAddress() : QHostAddress();
}

quint16 HttpServer::port() const
{
    return m_server ? m_server->serverPort() : 0;
}

void HttpServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection())
        new HttpConnection(this, socket);
}

QByteArray HttpServer::reasonPhrase(int status)
{
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 402: return "Payment Required";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 413: return "Payload Too Large";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 499: return "Client Closed Request";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return status < 300 ? "OK" : status < 500 ? "Client Error" : "Server Error";
    }
}

QByteArray HttpServer::errorBody(const QString &message, const QString &type, const QJsonValue &code)
{
    const QJsonObject error {{QStringLiteral("message"), message},
                             {QStringLiteral("type"), type},
                             {QStringLiteral("param"), QJsonValue::Null},
                             {QStringLiteral("code"), code}};
    return QJsonDocument(QJsonObject {{QStringLiteral("error"), error}}).toJson(QJsonDocument::Compact);
}
