#include "HttpServer.h"

#include "HttpHeaders.h"
#include "Platform.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSocketNotifier>
#include <QTcpServer>

#include <http_parser.h>

namespace {

constexpr qint64 ReadChunk = 64 << 10;         // read from the socket at most this much per turn
constexpr qint64 ReadAheadBytes = 64 << 10;    // pipelined requests read while one is answered
constexpr qint64 WriteHardLimitBytes = 32 << 20;   // a producer that ignores writeBlockedChanged
constexpr int LingerQuietMs = 500;     // after a refusal, the client's upload is read until it pauses
constexpr int LingerMs = 5'000;        // or for this long at most
constexpr qint64 LingerLimitBytes = 64 << 20;   // or until this much of it has been dropped
constexpr int RetryAcceptMs = 100;     // out of file descriptors: accept again after this

class Listener : public QTcpServer
{
public:
    explicit Listener(std::function<void(qintptr)> accept)
        : m_accept(std::move(accept))
    {
    }

protected:
    // The socket stays a plain descriptor: HttpConnection does its own reading and writing.
    void incomingConnection(qintptr socket) override { m_accept(socket); }

private:
    std::function<void(qintptr)> m_accept;
};

} // namespace

// One client connection: parses requests one at a time and hands each to the server's handler.
class HttpConnection : public QObject
{
public:
    // Idle: between requests. Headers: a request has begun. Body: its headers passed the screen.
    // Answering: the request is whole. Closing: the last answer is going out; what the client
    // still sends is read and dropped, so that it gets the answer rather than a reset.
    enum class Phase { Idle, Headers, Body, Answering, Closing };

    HttpConnection(HttpServer *server, qintptr socket);
    ~HttpConnection() override;

    void write(const QByteArray &bytes, bool now = false);
    void exchangeDone(bool keepAlive);
    // Closes the connection now; an answer in progress is abandoned (its exchange says aborted()).
    void abort();
    // Not past a screen: may be closed to make room for a newcomer.
    bool isEvictable() const
    {
        return m_phase == Phase::Idle || m_phase == Phase::Headers || (m_phase == Phase::Closing && unsent() == 0);
    }
    qint64 phaseSince() const { return m_since; }
    void checkDeadlines(qint64 now);
    qint64 unsent() const { return m_out.size() - m_outPos; }
    bool isWriteBlocked() const { return m_blocked; }

private:
    static HttpConnection *self(http_parser *p) { return static_cast<HttpConnection *>(p->data); }
    void setPhase(Phase phase);
    void onReadable();
    void onWritable() { flush(); }
    void onPeerClosed();
    void parse();
    void screen();
    void refuse(int status, const QString &message, const QList<HttpExchange::Header> &extra = {});
    void startClosing();
    void flush();
    void updateBlocked();
    void failLater();
    void finishClose();
    void resumeRequests();

    HttpServer *m_server;
    qintptr m_socket;
    std::unique_ptr<QSocketNotifier> m_readNotifier;
    std::unique_ptr<QSocketNotifier> m_writeNotifier;
    http_parser m_parser {};
    http_parser_settings m_settings {};
    QByteArray m_in;                      // read but not yet parsed
    QByteArray m_out;                     // to send, from m_outPos on
    qsizetype m_outPos = 0;
    QPointer<HttpExchange> m_exchange;    // being parsed or answered
    QByteArray m_url;
    HttpHeaders m_headers;
    Phase m_phase = Phase::Idle;
    qint64 m_since = 0;                   // when the phase began (the server's clock)
    qint64 m_lastWrite = 0;               // when bytes last left, while some wait
    bool m_headersIn = false;             // the request's headers are parsed, not yet screened
    bool m_complete = false;              // the exchange's request is whole; it is being answered
    bool m_expectContinue = false;
    int m_refusal = 0;                    // a status to refuse the request with, found while parsing
    bool m_peerClosed = false;            // the client sent its last byte (it may still read)
    bool m_writeShut = false;
    bool m_failed = false;                // the socket broke; closing on the next turn
    bool m_closed = false;
    bool m_awaitingDrain = false;         // answered; the next request waits until the answer has left
    bool m_blocked = false;
    qint64 m_lingered = 0;
    qint64 m_lastRead = 0;
};

HttpConnection::HttpConnection(HttpServer *server, qintptr socket)
    : QObject(server)
    , m_server(server)
    , m_socket(socket)
{
    Platform::prepareSocket(socket);
    m_readNotifier = std::make_unique<QSocketNotifier>(socket, QSocketNotifier::Read);
    m_writeNotifier = std::make_unique<QSocketNotifier>(socket, QSocketNotifier::Write);
    m_writeNotifier->setEnabled(false);
    connect(m_readNotifier.get(), &QSocketNotifier::activated, this, &HttpConnection::onReadable);
    connect(m_writeNotifier.get(), &QSocketNotifier::activated, this, &HttpConnection::onWritable);
    m_since = m_lastRead = server->now();

    http_parser_init(&m_parser, HTTP_REQUEST);
    m_parser.data = this;

    m_settings.on_message_begin = [](http_parser *p) {
        HttpConnection *c = self(p);
        c->m_exchange = new HttpExchange(c, c->m_server);
        c->m_url.clear();
        c->m_headers.clear();
        c->m_headersIn = false;
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
        e->m_http10 = p->http_major == 1 && p->http_minor == 0;
        c->m_expectContinue = e->header("expect").compare("100-continue", Qt::CaseInsensitive) == 0;
        c->m_headersIn = true;
        // The screen runs outside the parser's callback (parse()), before a byte of the body is read.
        http_parser_pause(p, 1);
        return 0;
    };
    m_settings.on_body = [](http_parser *p, const char *at, size_t n) {
        HttpConnection *c = self(p);
        HttpExchange *e = c->m_exchange;
        const qint64 size = e->body.size() + qint64(n);
        if (size > c->m_server->maxBodyBytes()) {
            c->m_refusal = 413;   // a chunked upload that grew past the limit
            return -1;
        }
        if (size > e->m_budgeted) {
            // Grows as it comes (a chunked body): the budget is taken in steps of 64 KiB.
            const qint64 more = std::max<qint64>(size - e->m_budgeted, 64 << 10);
            if (!c->m_server->reserveBody(more)) {
                c->m_refusal = 503;
                return -1;
            }
            e->m_budgeted += more;
        }
        e->body.append(at, qsizetype(n));
        return 0;
    };
    m_settings.on_message_complete = [](http_parser *p) {
        HttpConnection *c = self(p);
        c->m_complete = true;
        c->m_exchange->m_keepAlive = http_should_keep_alive(p) != 0;
        http_parser_pause(p, 1);   // one request at a time: the rest waits until this one is answered
        return 0;
    };
}

HttpConnection::~HttpConnection()
{
    m_readNotifier.reset();
    m_writeNotifier.reset();
    Platform::socketClose(m_socket);
}

void HttpConnection::setPhase(Phase phase)
{
    m_phase = phase;
    m_since = m_server->now();
}

void HttpConnection::onReadable()
{
    if (m_failed)
        return;
    if (m_phase == Phase::Answering && m_in.size() >= ReadAheadBytes) {
        // Busy answering, with a request or more waiting: the rest stays with the OS, whose full
        // buffers slow the client down.
        m_readNotifier->setEnabled(false);
        return;
    }
    static thread_local char buffer[ReadChunk];
    const qint64 n = Platform::socketRead(m_socket, buffer, ReadChunk);
    if (n == Platform::SocketWouldBlock)
        return;
    if (n == Platform::SocketFailed) {
        abort();
        return;
    }
    if (n == Platform::SocketClosed) {
        onPeerClosed();
        return;
    }
    m_lastRead = m_server->now();
    if (m_phase == Phase::Closing) {
        // The rest of a refused upload, dropped; the connection closes after half a second of
        // quiet, five seconds, or 64 MiB.
        m_lingered += n;
        if (m_lingered > LingerLimitBytes)
            abort();
        return;
    }
    m_in.append(buffer, qsizetype(n));
    if (m_phase == Phase::Idle)
        setPhase(Phase::Headers);
    if (m_phase != Phase::Answering)
        parse();
}

void HttpConnection::onPeerClosed()
{
    m_peerClosed = true;
    m_readNotifier->setEnabled(false);
    switch (m_phase) {
    case Phase::Answering:
        return;   // a half-closed client: it still reads, and gets its answer
    case Phase::Closing:
        if (unsent() == 0)
            finishClose();   // else flush() closes once the last answer has gone
        return;
    case Phase::Idle:
        if (m_in.isEmpty())
            abort();
        return;
    case Phase::Headers:
    case Phase::Body:
        parse();   // the bytes read so far may hold a whole request
        if (m_phase == Phase::Headers || m_phase == Phase::Body)
            abort();   // a request cut off midway
        return;
    }
}

void HttpConnection::parse()
{
    while (!m_in.isEmpty() && !m_failed) {
        const size_t n = http_parser_execute(&m_parser, &m_settings, m_in.constData(), size_t(m_in.size()));
        const auto err = HTTP_PARSER_ERRNO(&m_parser);
        m_in.remove(0, qsizetype(n));
        if (err == HPE_PAUSED && m_complete) {
            setPhase(Phase::Answering);
            m_server->m_handler(m_exchange);   // answered now or later
            return;
        }
        if (err == HPE_PAUSED && m_headersIn) {
            m_headersIn = false;
            screen();
            if (m_phase != Phase::Body)
                return;   // refused
            http_parser_pause(&m_parser, 0);
            continue;
        }
        if (err == HPE_OK)
            return;   // the request is not whole yet
        if (m_refusal == 413) {
            refuse(413, QCoreApplication::translate("HttpServer", "The request body is larger than the endpoint accepts (%1 bytes).")
                            .arg(m_server->maxBodyBytes()));
        } else if (m_refusal == 503) {
            refuse(503, QCoreApplication::translate("HttpServer", "The endpoint is receiving too many large requests at once; "
                                                                  "send this one again in a moment."),
                   {{"Retry-After", "1"}});
        } else if (err == HPE_HEADER_OVERFLOW) {
            refuse(431, QCoreApplication::translate("HttpServer", "The request headers are too large."));
        } else {
            refuse(400, QCoreApplication::translate("HttpServer", "The request is not valid HTTP: %1.")
                            .arg(QString::fromLatin1(http_errno_description(err))));
        }
        return;
    }
}

void HttpConnection::screen()
{
    HttpExchange *e = m_exchange;
    // A refusal closes the connection: the body it leaves unread cannot be told from the next request.
    e->m_keepAlive = false;
    setPhase(Phase::Body);
    if (m_server->m_screen)
        m_server->m_screen(e);
    if (!m_exchange || e->m_state != HttpExchange::State::Waiting || m_phase != Phase::Body)
        return;   // answered: exchangeDone() has begun closing
    e->m_keepAlive = true;
    const bool hasLength = (m_parser.flags & F_CONTENTLENGTH) != 0;
    if (hasLength && m_parser.content_length > quint64(m_server->maxBodyBytes())) {
        refuse(413, QCoreApplication::translate("HttpServer", "The request body is larger than the endpoint accepts (%1 bytes).")
                        .arg(m_server->maxBodyBytes()));
        return;
    }
    if (hasLength && m_parser.content_length > 0) {
        if (!m_server->reserveBody(qint64(m_parser.content_length))) {
            refuse(503, QCoreApplication::translate("HttpServer", "The endpoint is receiving too many large requests at once; "
                                                                  "send this one again in a moment."),
                   {{"Retry-After", "1"}});
            return;
        }
        e->m_budgeted = qint64(m_parser.content_length);
    }
    if (m_expectContinue)
        write("HTTP/1.1 100 Continue\r\n\r\n", true);   // curl waits a second for it on large bodies
}

void HttpConnection::refuse(int status, const QString &message, const QList<HttpExchange::Header> &extra)
{
    const QByteArray body = HttpServer::errorBody(message, QStringLiteral("invalid_request_error"), status);
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' ' + HttpServer::reasonPhrase(status) + "\r\n";
    for (const HttpExchange::Header &h : extra)
        out += h.first + ": " + h.second + "\r\n";
    out += "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size())
           + "\r\nConnection: close\r\n\r\n" + body;
    write(out, true);
    if (m_exchange)
        m_exchange->deleteLater();
    m_exchange = nullptr;
    startClosing();
}

void HttpConnection::startClosing()
{
    // A client still uploading would get a reset instead of the answer if the connection closed
    // now: the answer goes out, then FIN, and what still comes is read and dropped for a while.
    if (m_failed)
        return;
    m_in.clear();
    setPhase(Phase::Closing);
    m_lingered = 0;
    m_lastRead = m_server->now();
    if (m_peerClosed && unsent() == 0) {
        finishClose();
        return;
    }
    m_readNotifier->setEnabled(!m_peerClosed);
    if (unsent() == 0 && !m_writeShut) {
        m_writeShut = true;
        Platform::socketShutdownWrite(m_socket);
    }
}

void HttpConnection::finishClose()
{
    if (m_closed)
        return;
    m_closed = true;
    m_failed = true;
    if (m_exchange) {
        HttpExchange *e = m_exchange;
        m_exchange = nullptr;
        e->deleteLater();
    }
    m_server->forget(this);
    deleteLater();
    m_readNotifier->setEnabled(false);
    m_writeNotifier->setEnabled(false);
}

void HttpConnection::write(const QByteArray &bytes, bool now)
{
    if (m_failed)
        return;
    if (m_outPos > 0 && m_outPos == m_out.size()) {
        m_out.clear();
        m_outPos = 0;
    }
    if (unsent() == 0)
        m_lastWrite = m_server->now();
    m_out += bytes;
    if (unsent() > WriteHardLimitBytes) {
        failLater();   // the producer ignored writeBlockedChanged()
        return;
    }
    // A stream's chunks leave when control returns to the event loop: every frame that came in
    // the same read from the provider goes in one send(), and none waits longer than that turn.
    // The end of an answer goes at once, ahead of whatever else that turn holds.
    if (now)
        flush();
    else
        m_writeNotifier->setEnabled(true);
    updateBlocked();
}

void HttpConnection::flush()
{
    while (unsent() > 0) {
        const qint64 n = Platform::socketWrite(m_socket, m_out.constData() + m_outPos, unsent());
        if (n == Platform::SocketWouldBlock)
            break;
        if (n < 0) {
            failLater();
            return;
        }
        m_outPos += n;
        m_lastWrite = m_server->now();
    }
    if (unsent() == 0) {
        m_out.clear();
        m_outPos = 0;
        m_writeNotifier->setEnabled(false);
        if (m_phase == Phase::Closing && !m_writeShut) {
            m_writeShut = true;
            Platform::socketShutdownWrite(m_socket);
            if (m_peerClosed) {
                finishClose();
                return;
            }
            m_since = m_lastRead = m_server->now();   // the linger counts from here
        }
    } else {
        m_writeNotifier->setEnabled(true);
        if (m_outPos >= (256 << 10)) {
            m_out.remove(0, m_outPos);
            m_outPos = 0;
        }
    }
    updateBlocked();
    if (m_awaitingDrain && unsent() <= m_server->limits().writeLowWaterBytes)
        resumeRequests();
}

void HttpConnection::updateBlocked()
{
    const HttpServer::Limits &l = m_server->limits();
    const bool blocked = m_blocked ? unsent() > l.writeLowWaterBytes : unsent() > l.writeHighWaterBytes;
    if (blocked == m_blocked)
        return;
    m_blocked = blocked;
    if (m_exchange && m_phase == Phase::Answering)
        emit m_exchange->writeBlockedChanged(blocked);
}

void HttpConnection::failLater()
{
    // The socket broke while something was being written: the writer may be deep in a call that a
    // cancellation would pull out from under it, so the connection goes on the next turn.
    if (m_failed)
        return;
    m_failed = true;
    m_readNotifier->setEnabled(false);
    m_writeNotifier->setEnabled(false);
    QMetaObject::invokeMethod(this, &HttpConnection::abort, Qt::QueuedConnection);
}

void HttpConnection::exchangeDone(bool keepAlive)
{
    if (m_exchange)
        m_exchange->deleteLater();
    m_exchange = nullptr;
    if (m_blocked)
        m_blocked = false;
    if (!m_complete || !keepAlive || m_failed) {
        // A refusal from the screen (the body was never read), or the last answer.
        m_complete = false;
        startClosing();
        return;
    }
    m_complete = false;
    http_parser_pause(&m_parser, 0);
    if (unsent() > m_server->limits().writeHighWaterBytes) {
        // A client that sends requests and reads no answers: the next waits until this one has
        // mostly left (flush() resumes), under the write-stall deadline meanwhile.
        m_awaitingDrain = true;
        return;
    }
    resumeRequests();
}

void HttpConnection::resumeRequests()
{
    m_awaitingDrain = false;
    setPhase(m_in.isEmpty() ? Phase::Idle : Phase::Headers);
    if (m_peerClosed && m_in.isEmpty()) {
        startClosing();
        return;
    }
    m_readNotifier->setEnabled(!m_peerClosed);
    // A request that came while this one was answered is parsed on the next turn of the loop, so a
    // handler that answers at once does not recurse.
    QMetaObject::invokeMethod(
        this,
        [this] {
            if (m_phase != Phase::Headers || m_failed)
                return;
            parse();
            if (m_peerClosed && (m_phase == Phase::Headers || m_phase == Phase::Body))
                abort();   // what is left of the client's bytes is not a whole request
        },
        Qt::QueuedConnection);
}

void HttpConnection::checkDeadlines(qint64 now)
{
    const HttpServer::Limits &l = m_server->limits();
    switch (m_phase) {
    case Phase::Idle:
        if (now - m_since > l.idleMs)
            abort();
        return;
    case Phase::Headers:
        if (now - m_since > l.headersMs)
            refuse(408, QCoreApplication::translate("HttpServer", "The request's headers did not arrive within %1 s.")
                            .arg(l.headersMs / 1000.0));
        return;
    case Phase::Body:
        if (now - m_since > l.bodyMs)
            refuse(408, QCoreApplication::translate("HttpServer", "The request's body did not arrive within %1 s.")
                            .arg(l.bodyMs / 1000.0));
        return;
    case Phase::Answering:
        if (unsent() > 0 && now - m_lastWrite > l.writeStallMs)
            abort();   // the client stopped reading its answer
        return;
    case Phase::Closing:
        if (unsent() > 0) {
            if (now - m_lastWrite > l.writeStallMs)
                abort();   // the last answer is still going out: the write deadline applies
            return;
        }
        if (now - m_since > LingerMs || now - m_lastRead > LingerQuietMs)
            finishClose();
        return;
    }
}

void HttpConnection::abort()
{
    // Nothing more goes in or out, before anyone hears of it: a listener may write an error.
    m_failed = true;
    m_readNotifier->setEnabled(false);
    m_writeNotifier->setEnabled(false);
    if (m_exchange) {
        HttpExchange *e = m_exchange;
        m_exchange = nullptr;
        if (!e->isAnswered() && m_complete)
            emit e->aborted();
        e->deleteLater();
    }
    finishClose();
}

HttpExchange::HttpExchange(HttpConnection *connection, HttpServer *server)
    : QObject(connection)
    , m_connection(connection)
    , m_server(server)
{
}

HttpExchange::~HttpExchange()
{
    releaseBody();
}

void HttpExchange::releaseBody()
{
    body = QByteArray();
    if (m_server)
        m_server->returnBody(m_budgeted);
    m_budgeted = 0;
}

bool HttpExchange::isWriteBlocked() const
{
    return m_connection && m_connection->isWriteBlocked();
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
    m_clock.start();
    connect(&m_sweep, &QTimer::timeout, this, &HttpServer::sweep);
    m_idleTrim.setSingleShot(true);
    m_idleTrim.setInterval(2000);
    connect(&m_idleTrim, &QTimer::timeout, this, [this] {
        if (m_connections.isEmpty())
            Platform::releaseFreeMemory();
    });
    setLimits(m_limits);
}

HttpServer::~HttpServer()
{
    close();
}

void HttpServer::setLimits(const Limits &limits)
{
    m_limits = limits;
    // Deadlines are checked a few times within the shortest of them, at most once a second.
    const int shortest = std::min({m_limits.headersMs, m_limits.bodyMs, m_limits.idleMs, m_limits.writeStallMs, LingerQuietMs});
    m_sweep.setInterval(std::clamp(shortest / 4, 20, 1000));
}

int HttpServer::maxConnections() const
{
    if (m_fileLimit < 0)
        return m_limits.maxConnections;
    // Each request through the endpoint holds two descriptors (client and provider); some are
    // kept for the database, the keychain and the rest.
    const qint64 fit = std::max<qint64>((m_fileLimit - 128) / 2, 16);
    return int(std::min<qint64>(m_limits.maxConnections, fit));
}

bool HttpServer::listen(const QHostAddress &address, quint16 port, QString *error)
{
    close();
    if (m_fileLimit < 0)
        m_fileLimit = Platform::raiseOpenFileLimit();
    auto server = std::make_unique<Listener>([this](qintptr socket) { accept(socket); });
    connect(server.get(), &QTcpServer::acceptError, this, [this] {
        // Out of descriptors (Qt pauses accepting): the backlog waits until some are free.
        QTimer::singleShot(RetryAcceptMs, this, [this] {
            if (m_server)
                m_server->resumeAccepting();
        });
    });
    server->setListenBacklogSize(std::min(maxConnections(), 1024));   // a burst of clients is not refused by the OS
    if (!server->listen(address, port)) {
        if (error)
            *error = server->errorString();
        return false;
    }
    m_server = std::move(server);
    m_sweep.start();
    return true;
}

void HttpServer::close()
{
    m_server.reset();
    m_sweep.stop();
    const QList<HttpConnection *> connections = m_connections;
    for (HttpConnection *c : connections)
        c->abort();
    m_connections.clear();
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

void HttpServer::accept(qintptr socket)
{
    if (m_connections.size() >= maxConnections()) {
        // Full: the connection that has waited longest without getting past the screen makes
        // room. Requests being answered are never cut off for a newcomer.
        HttpConnection *oldest = nullptr;
        for (HttpConnection *c : std::as_const(m_connections)) {
            if (c->isEvictable() && (!oldest || c->phaseSince() < oldest->phaseSince()))
                oldest = c;
        }
        if (!oldest) {
            const QByteArray body = errorBody(QCoreApplication::translate("HttpServer", "The endpoint is serving as many "
                                                                          "connections as it can; try again in a moment."),
                                              QStringLiteral("api_error"), 503);
            const QByteArray busy = "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Type: application/json\r\n"
                                    "Content-Length: " + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
            Platform::prepareSocket(socket);
            Platform::socketWrite(socket, busy.constData(), busy.size());
            Platform::socketClose(socket);
            return;
        }
        oldest->abort();
    }
    m_connections.append(new HttpConnection(this, socket));
}

void HttpServer::forget(HttpConnection *connection)
{
    m_connections.removeOne(connection);
    if (m_connections.isEmpty())
        m_idleTrim.start();
}

void HttpServer::sweep()
{
    const qint64 t = now();
    const QList<HttpConnection *> connections = m_connections;
    for (HttpConnection *c : connections)
        c->checkDeadlines(t);
}

bool HttpServer::reserveBody(qint64 bytes)
{
    if (m_bodyBytes + bytes > m_limits.bodyBudgetBytes)
        return false;
    m_bodyBytes += bytes;
    return true;
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

QByteArray HttpServer::errorBody(const QString &message, const QString &type, const QJsonValue &code, const QString &param)
{
    const QJsonObject error {{QStringLiteral("message"), message},
                             {QStringLiteral("type"), type},
                             {QStringLiteral("param"), param.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(param)},
                             {QStringLiteral("code"), code}};
    return QJsonDocument(QJsonObject {{QStringLiteral("error"), error}}).toJson(QJsonDocument::Compact);
}
