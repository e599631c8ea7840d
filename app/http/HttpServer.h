#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QJsonValue>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <memory>

class QTcpServer;
class HttpConnection;
class HttpServer;

// One request and its answer. Lives until the answer is complete or the client goes away; the
// server deletes it afterwards (hold it in a QPointer).
class HttpExchange : public QObject
{
    Q_OBJECT

public:
    using Header = std::pair<QByteArray, QByteArray>;
    ~HttpExchange() override;

    QByteArray method;
    QByteArray path;             // without the query
    QList<Header> headers;       // names in lower case
    QByteArray body;             // empty while the server's screen looks at the request
    QString principal;           // who the screen let in (the endpoint: the key's client name)

    QByteArray header(const QByteArray &lowerCaseName) const;
    // Frees the body once it has been read, and gives its bytes back to the server's budget.
    void releaseBody();

    // A whole answer with Content-Length.
    void respond(int status, const QByteArray &contentType, const QByteArray &body, const QList<Header> &extra = {});
    // A chunked answer: each chunk goes to the socket as soon as it is given (no buffering).
    void beginStream(int status, const QByteArray &contentType, const QList<Header> &extra = {});
    void sendChunk(const QByteArray &data);
    void endStream();

    bool isAnswered() const { return m_state == State::Done; }
    // The client reads slower than the answer comes: what is written now waits in memory.
    bool isWriteBlocked() const;

signals:
    // The client closed the connection before the answer was complete.
    void aborted();
    // The answer's unsent bytes passed the server's high-water mark (true): stop producing until
    // they fall below the low-water mark (false). A client that stays blocked is cut off.
    void writeBlockedChanged(bool blocked);

private:
    friend class HttpConnection;
    enum class State { Waiting, Streaming, Done };
    explicit HttpExchange(HttpConnection *connection, HttpServer *server);
    QByteArray head(int status, const QList<Header> &headers) const;
    void done();

    QPointer<HttpConnection> m_connection;
    QPointer<HttpServer> m_server;
    State m_state = State::Waiting;
    bool m_keepAlive = true;
    bool m_http10 = false;
    int m_chunks = 0;
    qint64 m_budgeted = 0;   // bytes of the server's body budget this request holds
};

// A small HTTP/1.1 server on the event loop: one thread serves every connection, each request is
// parsed by http-parser (Debian's libhttp-parser, the parser Node.js used for a decade), answers
// go out as they are written with TCP_NODELAY.
//
// Bounded by design, whoever is on the other end:
// - a screen looks at each request when its headers are in (the endpoint checks the key there), so
//   a refused request never has its body read, and no `100 Continue` goes to a stranger;
// - headers must arrive whole within `headersMs` and a body within `bodyMs` of its headers, not a
//   timer restarted by every byte; an idle keep-alive connection closes after `idleMs`;
// - at most `maxConnections` at once (the open-file limit is raised to its hard limit first): a
//   newcomer evicts the oldest connection that has not got past a screen yet, so connections that
//   trickle headers cannot lock others out;
// - reading stops while a request is answered (64 KiB of pipelined requests are read ahead), and
//   the bodies held at once are capped by `bodyBudgetBytes` (a request past it gets 503);
// - an answer's unsent bytes above `writeHighWaterBytes` make its exchange blocked (the producer
//   pauses its provider); a client that reads nothing for `writeStallMs` is cut off.
// A half-closed client (one that shut its side after sending) still gets its answer.
class HttpServer : public QObject
{
    Q_OBJECT

public:
    using Handler = std::function<void(HttpExchange *)>;
    // Called when a request's headers are in, before its body is read: it may answer the exchange
    // (a refusal), and the body is then never read. Leaving it unanswered lets the request in.
    using Screen = std::function<void(HttpExchange *)>;

    struct Limits
    {
        qint64 maxBodyBytes = 32 << 20;
        qint64 bodyBudgetBytes = 256 << 20;   // all request bodies held at once
        int maxConnections = 1024;            // lowered to fit the open-file limit
        int headersMs = 10'000;
        int bodyMs = 120'000;
        int idleMs = 60'000;
        int writeStallMs = 60'000;
        qint64 writeHighWaterBytes = 256 << 10;
        qint64 writeLowWaterBytes = 64 << 10;
    };

    explicit HttpServer(Handler handler, QObject *parent = nullptr);
    ~HttpServer() override;

    void setScreen(Screen screen) { m_screen = std::move(screen); }
    void setLimits(const Limits &limits);
    const Limits &limits() const { return m_limits; }

    bool listen(const QHostAddress &address, quint16 port, QString *error);
    void close();
    bool isListening() const;
    QHostAddress address() const;
    quint16 port() const;

    void setMaxBodyBytes(qint64 bytes) { m_limits.maxBodyBytes = bytes; }
    qint64 maxBodyBytes() const { return m_limits.maxBodyBytes; }
    int connectionCount() const { return int(m_connections.size()); }
    int maxConnections() const;   // the limit in force, after the open-file limit
    qint64 bodyBytesHeld() const { return m_bodyBytes; }

    static QByteArray reasonPhrase(int status);
    // OpenAI's error body, {"error": {message, type, param, code}}: the endpoint's clients are
    // OpenAI clients, for the server's own refusals and the Gateway's answers alike.
    static QByteArray errorBody(const QString &message, const QString &type, const QJsonValue &code,
                                const QString &param = {});

private:
    friend class HttpConnection;
    friend class HttpExchange;
    void accept(qintptr socket);
    void forget(HttpConnection *connection);
    void sweep();
    qint64 now() const { return m_clock.elapsed(); }
    bool reserveBody(qint64 bytes);   // false when the budget has no room
    void returnBody(qint64 bytes) { m_bodyBytes -= bytes; }

    Handler m_handler;
    Screen m_screen;
    Limits m_limits;
    std::unique_ptr<QTcpServer> m_server;
    QList<HttpConnection *> m_connections;
    QElapsedTimer m_clock;
    QTimer m_sweep;
    QTimer m_idleTrim;   // once the last connection is gone, memory goes back to the OS
    qint64 m_fileLimit = -1;
    qint64 m_bodyBytes = 0;
};
