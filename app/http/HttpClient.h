#pragma once

#include "Upstream.h"

#include <QHash>
#include <QNetworkProxy>
#include <QList>
#include <QObject>
#include <QPointer>

class QTcpSocket;

// HTTP/1.1 to providers on the calling thread, for the local endpoint: keep-alive connections
// pooled per origin (no limit of six per host, no thread of its own), responses parsed by
// libhttp-parser as they arrive, TLS through QSslSocket, TCP_NODELAY. A pooled connection that the
// server closed while it sat idle is retried once on a fresh one. QNetworkAccessManager's HTTP
// thread cost about 0.7 ms of CPU per streamed request on one core (bench_endpoint's history in
// docs/endpoint.md); this costs a fraction of that. Proxies and extra trusted certificates come from
// NetworkPolicy (an HTTP proxy tunnels with CONNECT, for http:// targets too). No redirects, no HTTP/2.
class HttpClient : public QObject, public Upstream
{
    Q_OBJECT

public:
    explicit HttpClient(QObject *parent = nullptr);
    ~HttpClient() override;

    UpstreamReply *post(const QNetworkRequest &request, const QByteArray &body) override;

    int idleConnections() const;
    void closeIdleConnections();
    int connectionsOpened() const { return m_opened; }
    static constexpr int MaxIdlePerOrigin = 256;

private:
    friend class HttpClientReply;
    QTcpSocket *takeIdle(const QString &origin);
    QTcpSocket *connectTo(const QUrl &url, const QNetworkProxy &proxy);
    void giveBack(const QString &origin, QTcpSocket *socket);

    struct Idle
    {
        QPointer<QTcpSocket> socket;
        QMetaObject::Connection closed;
        QMetaObject::Connection spoke;
    };
    QHash<QString, QList<Idle>> m_idle;   // by origin (scheme://host:port)
    int m_opened = 0;
};
