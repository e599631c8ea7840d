#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QJsonValue>
#include <QList>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>

class QTcpServer;
class QTcpSocket;
class HttpConnection;

// One request and its answer. Lives until the answer is complete or the client goes away; the
// server deletes it afterwards (hold it in a QPointer).
class HttpExchange : public QObject
{
    Q_OBJECT

public:
    using Header = std::pair<QByteArray, QByteArray>;

    QByteArray method;
    QByteArray path;             // without the query
    QList<Header> headers;       // names in lower case
    QByteArray body;

    QByteArray header(const QByteArray &lowerCaseName) const;

    // A whole answer with Content-Length.
    void respond(int status, const QByteArray &contentType, const QByteArray &body, const QList<Header> &extra = {});
    // A chunked answer: each chunk goes to the socket as soon as it is given (no buffering).
    void beginStream(int status, const QByteArray &contentType, const QList<Header> &extra = {});
    void sendChunk(const QByteArray &data);
    void endStream();

    bool isAnswered() const { return m_state == State::Done; }

signals:
    // The client closed the connection before the answer was complete.
    void aborted();

private:
    friend class HttpConnection;
    enum class State { Waiting, Streaming, Done };
    explicit HttpExchange(HttpConnection *connection);
    QByteArray head(int status, const QList<Header> &headers) const;
    void done();

    QPointer<HttpConnection> m_connection;
    State m_state = State::Waiting;
    bool m_keepAlive = true;
    bool m_http10 = false;
    int m_chunks = 0;
};

// A small HTTP/1.1 server on the event loop: one thread serves every connection, each request is
// parsed by http-parser (Debian's libhttp-parser, the parser Node.js used for a decade), answers
// go out as they are written with TCP_NODELAY. Bodies over the limit are refused with 413 as soon
// as their length is known, before they are read.
class HttpServer : public QObject
{
    Q_OBJECT

public:
    using Handler = std::function<void(HttpExchange *)>;

    explicit HttpServer(Handler handler, QObject *parent = nullptr);
    ~HttpServer() override;

    bool listen(const QHostAddress &address, quint16 port, QString *error);
    void close();
    bool isListening() const;
    QHostAddress address() const;
    quint16 port() const;

    void setMaxBodyBytes(qint64 bytes) { m_maxBodyBytes = bytes; }
    qint64 maxBodyBytes() const { return m_maxBodyBytes; }
    static QByteArray reasonPhrase(int status);
    // OpenAI's error body, {"error": {message, type, param, code}}: the endpoint's clients are
    // OpenAI clients, for the server's own refusals and the Gateway's answers alike.
    static QByteArray errorBody(const QString &message, const QString &type, const QJsonValue &code);

private:
    friend class HttpConnection;
    void onNewConnection();

    Handler m_handler;
    std::unique_ptr<QTcpServer> m_server;
    qint64 m_maxBodyBytes = 32 * 1024 * 1024;
};
