#include "HttpClient.h"

#include "HttpHeaders.h"
#include "NetworkPolicy.h"

#include <QCoreApplication>
#include <QNetworkRequest>
#include <QSslSocket>
#include <QTcpSocket>
#include <QUrl>

#include <http_parser.h>

namespace {

// A pooled connection serves one origin through one proxy.
QString poolKeyOf(const QUrl &url, const QNetworkProxy &proxy)
{
    QString key = NetworkPolicy::originOf(url);
    if (proxy.type() != QNetworkProxy::NoProxy)
        key += QStringLiteral(" via %1:%2:%3@%4").arg(int(proxy.type())).arg(proxy.hostName()).arg(proxy.port()).arg(proxy.user());
    return key;
}

} // namespace

class HttpClientReply : public UpstreamReply
{
public:
    HttpClientReply(HttpClient *client, const QNetworkRequest &request, const QByteArray &body)
        : m_client(client)
        , m_url(request.url())
        , m_proxy(NetworkPolicy::instance().proxyFor(request.url(), &m_proxyProblem))
        , m_origin(poolKeyOf(request.url(), m_proxy))
    {
        m_request = buildRequest(request, body);
        http_parser_init(&m_parser, HTTP_RESPONSE);
        m_parser.data = this;
        m_settings.on_header_field = [](http_parser *p, const char *at, size_t n) {
            self(p)->m_collector.nameBytes(at, n);
            return 0;
        };
        m_settings.on_header_value = [](http_parser *p, const char *at, size_t n) {
            self(p)->m_collector.valueBytes(at, n);
            return 0;
        };
        m_settings.on_headers_complete = [](http_parser *p) {
            auto *r = self(p);
            if (p->status_code < 200) {
                r->m_collector.clear();   // 100 Continue or 103 Early Hints: the answer is still to come
                r->m_interim = true;
                return 0;
            }
            r->m_status = int(p->status_code);
            r->m_headers = r->m_collector.take();
            r->m_headersDone = true;
            return 0;
        };
        m_settings.on_body = [](http_parser *p, const char *at, size_t n) {
            self(p)->m_body.append(at, qsizetype(n));
            return 0;
        };
        m_settings.on_message_complete = [](http_parser *p) {
            auto *r = self(p);
            if (std::exchange(r->m_interim, false))
                return 0;
            r->m_complete = true;
            r->m_keepAlive = http_should_keep_alive(p) != 0;
            return 0;
        };
        QMetaObject::invokeMethod(this, [this] { send(true); }, Qt::QueuedConnection);
    }

    ~HttpClientReply() override { dropSocket(); }

    int status() const override { return m_status; }
    QByteArray header(const QByteArray &name) const override
    {
        const QByteArray lower = name.toLower();
        for (const auto &h : m_headers) {
            if (h.first == lower)
                return h.second;
        }
        return {};
    }
    QByteArray readAll() override { return std::exchange(m_body, {}); }
    bool isFinished() const override { return m_finished; }
    bool networkFailed() const override { return !m_error.isEmpty(); }
    bool tlsFailed() const override { return m_tlsFailed; }
    QString errorString() const override { return m_error; }
    void setPaused(bool paused) override
    {
        if (m_paused == paused)
            return;
        m_paused = paused;
        // Qt reads no more than the socket's read buffer while nothing is taken from it.
        if (!paused && m_socket && m_socket->bytesAvailable())
            QMetaObject::invokeMethod(this, [this] { onReadyRead(); }, Qt::QueuedConnection);
    }
    void abort() override
    {
        m_aborted = true;
        m_finished = true;
        dropSocket();
    }

private:
    static HttpClientReply *self(http_parser *p) { return static_cast<HttpClientReply *>(p->data); }

    QByteArray buildRequest(const QNetworkRequest &request, const QByteArray &body) const
    {
        const QUrl url = request.url();
        QByteArray target = url.path(QUrl::FullyEncoded).toLatin1();
        if (target.isEmpty())
            target = "/";
        if (url.hasQuery())
            target += '?' + url.query(QUrl::FullyEncoded).toLatin1();
        const bool tls = url.scheme() == u"https";
        const int defaultPort = tls ? 443 : 80;
        QByteArray host = url.host(QUrl::FullyEncoded).toLatin1();
        if (host.contains(':'))
            host = '[' + host + ']';   // an IPv6 literal
        if (url.port(defaultPort) != defaultPort)
            host += ':' + QByteArray::number(url.port());
        QByteArray out;
        out.reserve(256 + body.size());
        out += "POST " + target + " HTTP/1.1\r\nHost: " + host + "\r\n";
        const QByteArray type = request.header(QNetworkRequest::ContentTypeHeader).toByteArray();
        if (!type.isEmpty() && !request.hasRawHeader("Content-Type"))
            out += "Content-Type: " + type + "\r\n";
        for (const QByteArray &name : request.rawHeaderList())
            out += HttpHeaders::safeName(name) + ": " + HttpHeaders::safeValue(request.rawHeader(name)) + "\r\n";
        out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n";
        out += body;
        return out;
    }

    void send(bool mayReuse)
    {
        if (m_aborted)
            return;
        if (m_proxy.type() == QNetworkProxy::DefaultProxy) {
            // NetworkPolicy could not read the proxy setting: say so rather than go around it.
            fail(QCoreApplication::translate("HttpClient", "The proxy for %1 is not usable: %2").arg(m_url.host(), m_proxyProblem));
            return;
        }
        QTcpSocket *socket = mayReuse ? m_client->takeIdle(m_origin) : nullptr;
        m_reused = socket != nullptr;
        if (!socket)
            socket = m_client->connectTo(m_url, m_proxy);
        if (!socket) {
            fail(QCoreApplication::translate("HttpClient", "TLS is not available here, so %1 cannot be reached.").arg(m_url.host()));
            return;
        }
        if (auto *ssl = qobject_cast<QSslSocket *>(socket)) {
            connect(ssl, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
                QStringList why;
                for (const QSslError &e : errors)
                    why << e.errorString();
                m_tlsError = why.join(QStringLiteral("; "));
            });
        }
        m_socket = socket;
        socket->setParent(this);
        socket->setReadBufferSize(ReadBufferBytes);
        connect(socket, &QTcpSocket::readyRead, this, [this] { onReadyRead(); });
        connect(socket, &QTcpSocket::disconnected, this, [this] { onClosed(); });
        connect(socket, &QAbstractSocket::errorOccurred, this, [this](QAbstractSocket::SocketError e) {
            if (e == QAbstractSocket::RemoteHostClosedError) {
                onClosed();
            } else if (e == QAbstractSocket::SslHandshakeFailedError && !m_finished) {
                m_tlsFailed = true;
                QString why = QCoreApplication::translate("HttpClient", "the certificate of %1 was not accepted: %2")
                                  .arg(m_url.host(), m_tlsError.isEmpty() && m_socket ? m_socket->errorString() : m_tlsError);
                if (const QString ca = m_socket ? m_socket->property("caProblem").toString() : QString(); !ca.isEmpty())
                    why += QStringLiteral(" (%1)").arg(ca);
                connectionBroke(why);
            } else if (!m_finished) {
                QString why = m_socket ? m_socket->errorString() : QString();
                if (e == QAbstractSocket::ProxyConnectionRefusedError || e == QAbstractSocket::ProxyNotFoundError
                    || e == QAbstractSocket::ProxyConnectionClosedError || e == QAbstractSocket::ProxyProtocolError
                    || e == QAbstractSocket::ProxyConnectionTimeoutError || e == QAbstractSocket::ProxyAuthenticationRequiredError)
                    why = QCoreApplication::translate("HttpClient", "the proxy %1:%2 failed: %3")
                              .arg(m_proxy.hostName()).arg(m_proxy.port()).arg(why);
                connectionBroke(why);
            }
        });
        socket->write(m_request);
        if (socket->bytesAvailable())
            onReadyRead();
    }

    void onReadyRead()
    {
        if (!m_socket || m_finished || m_paused)
            return;
        const QByteArray bytes = m_socket->readAll();
        if (bytes.isEmpty())
            return;
        m_received = true;
        const size_t n = http_parser_execute(&m_parser, &m_settings, bytes.constData(), size_t(bytes.size()));
        const bool bad = HTTP_PARSER_ERRNO(&m_parser) != HPE_OK || n != size_t(bytes.size());
        deliver();
        if (bad && !m_finished)
            connectionBroke(QCoreApplication::translate("HttpClient", "the provider's answer is not valid HTTP (%1)")
                                .arg(QString::fromLatin1(http_errno_description(HTTP_PARSER_ERRNO(&m_parser)))));
    }

    // Passes on what the last read brought: headers once, the body as it comes, then the end.
    void deliver()
    {
        QPointer<HttpClientReply> guard(this);
        if (m_headersDone && !m_headersSent) {
            m_headersSent = true;
            emit metaDataChanged();
            if (!guard || m_aborted)
                return;
        }
        if (!m_body.isEmpty()) {
            emit readyRead();
            if (!guard || m_aborted)
                return;
        }
        if (m_complete && !m_finished) {
            m_finished = true;
            if (m_keepAlive && m_socket) {
                m_socket->disconnect(this);
                m_client->giveBack(m_origin, m_socket);
                m_socket = nullptr;
            } else {
                dropSocket();
            }
            emit finished();
        }
    }

    void onClosed()
    {
        if (m_finished)
            return;
        if (!m_received && m_reused) {
            // The server had closed the pooled connection before our request reached it.
            dropSocket();
            send(false);
            return;
        }
        // What Qt had read before the close and a pause left unread comes first.
        if (m_socket && m_socket->bytesAvailable()) {
            const bool paused = std::exchange(m_paused, false);
            onReadyRead();
            m_paused = paused;
            if (m_finished)
                return;
        }
        // The end of a body that runs until the connection closes, or a connection lost midway.
        if (m_headersDone) {
            http_parser_execute(&m_parser, &m_settings, nullptr, 0);
            deliver();
            if (m_finished)
                return;
        }
        connectionBroke(QCoreApplication::translate("HttpClient", "the connection closed before the answer was complete"));
    }

    void connectionBroke(const QString &why)
    {
        if (m_finished)
            return;
        fail(why.isEmpty() ? QCoreApplication::translate("HttpClient", "the connection failed") : why);
    }

    void fail(const QString &why)
    {
        m_error = why;
        m_finished = true;
        dropSocket();
        emit finished();
    }

    void dropSocket()
    {
        if (!m_socket)
            return;
        QTcpSocket *s = m_socket;
        m_socket = nullptr;
        s->disconnect(this);
        s->abort();
        s->deleteLater();
    }

    HttpClient *m_client;
    QUrl m_url;
    QString m_proxyProblem;   // why m_proxy cannot be used, when it cannot
    QNetworkProxy m_proxy;
    QString m_origin;
    QString m_tlsError;
    bool m_tlsFailed = false;
    QByteArray m_request;
    QTcpSocket *m_socket = nullptr;
    http_parser m_parser {};
    http_parser_settings m_settings {};
    QList<std::pair<QByteArray, QByteArray>> m_headers;
    HttpHeaders m_collector;
    QByteArray m_body;
    QString m_error;
    int m_status = 0;
    bool m_headersDone = false;
    bool m_headersSent = false;
    bool m_complete = false;
    bool m_keepAlive = false;
    bool m_finished = false;
    bool m_aborted = false;
    bool m_reused = false;
    bool m_received = false;
    bool m_paused = false;
    static constexpr qint64 ReadBufferBytes = 256 << 10;
    bool m_interim = false;   // inside a 1xx answer
};

HttpClient::HttpClient(QObject *parent)
    : QObject(parent)
{
}

HttpClient::~HttpClient() = default;

UpstreamReply *HttpClient::post(const QNetworkRequest &request, const QByteArray &body)
{
    return new HttpClientReply(this, request, body);
}

QTcpSocket *HttpClient::takeIdle(const QString &origin)
{
    auto it = m_idle.find(origin);
    if (it == m_idle.end())
        return nullptr;
    while (!it->isEmpty()) {
        Idle idle = it->takeLast();
        if (!idle.socket)
            continue;
        QObject::disconnect(idle.closed);
        QObject::disconnect(idle.spoke);
        if (idle.socket->state() == QAbstractSocket::ConnectedState && !idle.socket->bytesAvailable())
            return idle.socket;
        idle.socket->deleteLater();
    }
    return nullptr;
}

QTcpSocket *HttpClient::connectTo(const QUrl &url, const QNetworkProxy &proxy)
{
    const bool tls = url.scheme() == u"https";
    QTcpSocket *socket = nullptr;
    if (tls) {
        if (!QSslSocket::supportsSsl())
            return nullptr;
        auto *ssl = new QSslSocket;
        ssl->setProxy(proxy);   // an HTTP proxy tunnels with CONNECT
        QString problem;
        ssl->setSslConfiguration(NetworkPolicy::instance().sslFor(url, &problem));
        ssl->setProperty("caProblem", problem);   // said with a certificate failure
        ssl->connectToHostEncrypted(url.host(), quint16(url.port(443)));
        socket = ssl;
    } else {
        socket = new QTcpSocket;
        socket->setProxy(proxy);
        socket->connectToHost(url.host(), quint16(url.port(80)));
    }
    // Options set before the connection exists would be dropped by Qt.
    connect(socket, &QAbstractSocket::connected, socket, [socket] {
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        socket->setSocketOption(QAbstractSocket::KeepAliveOption, 1);
    });
    ++m_opened;
    return socket;
}

void HttpClient::giveBack(const QString &origin, QTcpSocket *socket)
{
    QList<Idle> &idle = m_idle[origin];
    if (idle.size() >= MaxIdlePerOrigin) {
        socket->deleteLater();
        return;
    }
    socket->setParent(this);
    // An idle connection that the server closes, or that says anything, is of no more use.
    idle.append({socket, connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater),
                 connect(socket, &QTcpSocket::readyRead, socket, [socket] { socket->abort(); })});
}

int HttpClient::idleConnections() const
{
    int n = 0;
    for (const auto &list : m_idle) {
        for (const Idle &i : list)
            n += i.socket && i.socket->state() == QAbstractSocket::ConnectedState;
    }
    return n;
}

void HttpClient::closeIdleConnections()
{
    for (auto &list : m_idle) {
        for (const Idle &i : std::as_const(list)) {
            if (i.socket) {
                QObject::disconnect(i.closed);
                QObject::disconnect(i.spoke);
                i.socket->abort();
                i.socket->deleteLater();
            }
        }
    }
    m_idle.clear();
}
