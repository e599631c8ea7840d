// The endpoint (and the window's QNetworkAccessManager) behind a proxy and in front of a TLS
// provider: a CONNECT proxy on 127.0.0.1 given only as HTTPS_PROXY, a TLS fake provider at
// https://provider.test (a name only the proxy can resolve) whose test CA is trusted through the
// provider's ca_file alone (the system's store is never changed), and certificate failures that
// are their own error class and never cool a provider down.
#include "GatewayFixture.h"
#include "NetworkPolicy.h"
#include "NetworkSetup.h"
#include "ProviderCall.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

namespace {

const QString tlsDir = QStringLiteral(SWITCHYARD_TEST_DATA "/tls");

// An HTTP proxy that takes CONNECT only, as corporate proxies do, and knows one name the machine
// cannot resolve: provider.test, which it sends to 127.0.0.1.
class ConnectProxy : public QObject
{
public:
    QStringList tunnels;   // "host:port" of each CONNECT

    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    quint16 port() const { return m_server.serverPort(); }

    ConnectProxy()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *client = m_server.nextPendingConnection())
                accept(client);
        });
    }

private:
    void accept(QTcpSocket *client)
    {
        auto *head = new QByteArray;
        connect(client, &QTcpSocket::disconnected, client, [client, head] {
            delete head;
            client->deleteLater();
        });
        connect(client, &QTcpSocket::readyRead, this, [this, client, head] {
            if (client->property("tunnel").toBool())
                return;
            *head += client->readAll();
            const qsizetype end = head->indexOf("\r\n\r\n");
            if (end < 0)
                return;
            const QList<QByteArray> line = head->left(head->indexOf("\r\n")).split(' ');
            if (line.size() != 3 || line[0] != "CONNECT") {
                client->write("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n");
                client->disconnectFromHost();
                return;
            }
            const QByteArray target = line[1];
            tunnels << QString::fromLatin1(target);
            const QByteArray host = target.left(target.lastIndexOf(':'));
            const quint16 port = target.mid(target.lastIndexOf(':') + 1).toUShort();
            if (host != "provider.test") {
                client->write("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
                client->disconnectFromHost();
                return;
            }
            auto *upstream = new QTcpSocket(client);
            client->setProperty("tunnel", true);
            const QByteArray early = head->mid(end + 4);
            connect(upstream, &QTcpSocket::connected, client, [client, upstream, early] {
                client->write("HTTP/1.1 200 Connection established\r\n\r\n");
                if (!early.isEmpty())
                    upstream->write(early);
                connect(client, &QTcpSocket::readyRead, upstream, [client, upstream] { upstream->write(client->readAll()); });
                connect(upstream, &QTcpSocket::readyRead, client, [client, upstream] { client->write(upstream->readAll()); });
                connect(upstream, &QTcpSocket::disconnected, client, &QTcpSocket::disconnectFromHost);
                connect(client, &QTcpSocket::disconnected, upstream, &QTcpSocket::disconnectFromHost);
                if (client->bytesAvailable())
                    upstream->write(client->readAll());
            });
            upstream->connectToHost(QHostAddress::LocalHost, port);
        });
    }

    QTcpServer m_server;
};

} // namespace

class TestEndpointNetwork : public QObject
{
    Q_OBJECT

    QNetworkAccessManager nam;

    struct Reply
    {
        int status = 0;
        QByteArray body;
        QJsonObject error() const { return QJsonDocument::fromJson(body).object().value(QStringLiteral("error")).toObject(); }
    };

    Reply chat(GatewayFixture &fx, const QString &model, bool stream)
    {
        QNetworkRequest request(QUrl(fx.url() + QStringLiteral("/chat/completions")));
        request.setRawHeader("Authorization", QByteArray("Bearer ") + GatewayFixture::Key);
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        const QJsonObject body {{QStringLiteral("model"), model},
                                {QStringLiteral("stream"), stream},
                                {QStringLiteral("messages"),
                                 QJsonArray {QJsonObject {{QStringLiteral("role"), QStringLiteral("user")},
                                                          {QStringLiteral("content"), QStringLiteral("hello")}}}}};
        QNetworkReply *reply = nam.post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
        Reply out;
        if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 20000))
            return out;
        out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        out.body = reply->readAll();
        reply->deleteLater();
        return out;
    }

    // A gateway whose one provider is the TLS fake at `baseUrl`.
    std::unique_ptr<GatewayFixture> gatewayFor(FakeProvider &tlsFake, const QString &baseUrl, const QString &caFile)
    {
        auto fx = std::make_unique<GatewayFixture>();
        Q_UNUSED(tlsFake);
        QString yaml = QStringLiteral("providers:\n"
                                      "  - {id: tp, dialect: deepseek, base_url: '%1', api_key_env: SY_GATEWAY_TEST_KEY%2}\n"
                                      "models:\n"
                                      "  - {name: secure, provider: tp, id: deepseek-chat, context: 128000}\n"
                                      "routes:\n"
                                      "  - default: secure\n")
                           .arg(baseUrl, caFile.isEmpty() ? QString() : QStringLiteral(", ca_file: '%1'").arg(caFile));
        fx->yamlOverride = yaml.toUtf8();
        QString why;
        if (!fx->start(&why)) {
            qWarning("%s", qPrintable(why));
            return {};
        }
        NetworkSetup::applyConfig(fx->config->config());
        return fx;
    }

    static void clearProxyEnvironment()
    {
        for (const char *name : {"https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY",
                                 "no_proxy", "NO_PROXY", "SSL_CERT_FILE"})
            qunsetenv(name);
    }

private slots:
    void init()
    {
        clearProxyEnvironment();
        NetworkPolicy::instance().setMode(NetworkPolicy::Mode::System);
        NetworkPolicy::instance().setCaFile({});
    }

    void cleanup() { clearProxyEnvironment(); }

    void throughAConnectProxyToATlsProvider()
    {
        FakeProvider tls;
        QVERIFY(tls.startTls(tlsDir + QStringLiteral("/provider.pem"), tlsDir + QStringLiteral("/provider.key")));
        ConnectProxy proxy;
        QVERIFY(proxy.listen());
        qputenv("HTTPS_PROXY", QByteArray("http://127.0.0.1:") + QByteArray::number(proxy.port()));
        auto fx = gatewayFor(tls, QStringLiteral("https://provider.test:%1/deepseek/v1").arg(tls.port()),
                             tlsDir + QStringLiteral("/ca.pem"));
        QVERIFY(fx);
        for (bool stream : {true, false}) {
            const Reply r = chat(*fx, QStringLiteral("auto"), stream);
            QVERIFY2(r.status == 200, r.body.constData());
            QVERIFY(stream ? r.body.endsWith("data: [DONE]\n\n") : r.body.contains("Hello from deepseek"));
        }
        QVERIFY(!proxy.tunnels.isEmpty());
        QCOMPARE(proxy.tunnels.first(), QStringLiteral("provider.test:%1").arg(tls.port()));
        QCOMPARE(tls.requests().size(), 2);
        QCOMPARE(tls.requests().first().header("authorization"), QByteArray("Bearer upstream-key"));

        // The window's QNetworkAccessManager goes the same way.
        QNetworkAccessManager windowNam;
        windowNam.setProxyFactory(new PolicyProxyFactory);
        const Config &config = fx->config->config();
        ChatRequest request;
        request.messages << ChatMessage::text(QStringLiteral("user"), QStringLiteral("hello"));
        ProviderCall call(&windowNam, config.providers.first(), config.models.first(), request, QStringLiteral("upstream-key"));
        QSignalSpy done(&call, &ProviderCall::finished);
        call.start();
        QVERIFY(done.wait(20000));
        QVERIFY2(call.result().ok(), qPrintable(call.result().error ? call.result().error->describe() : QString()));
        QVERIFY(call.result().content.contains(QLatin1String("Hello from deepseek")));
        QCOMPARE(tls.requests().size(), 3);

        // no_proxy sends provider.test around the proxy, where the name does not resolve.
        qputenv("NO_PROXY", "localhost,.test");
        const int tunnels = int(proxy.tunnels.size());
        const Reply direct = chat(*fx, QStringLiteral("auto"), false);
        QCOMPARE(direct.status, 502);
        QCOMPARE(direct.error().value(QStringLiteral("code")).toString(), QStringLiteral("network"));
        QCOMPARE(proxy.tunnels.size(), tunnels);
    }

    void untrustedCertificateIsATlsError()
    {
        FakeProvider tls;
        QVERIFY(tls.startTls(tlsDir + QStringLiteral("/provider.pem"), tlsDir + QStringLiteral("/provider.key")));
        // No ca_file: the test CA is in no store.
        auto fx = gatewayFor(tls, QStringLiteral("https://127.0.0.1:%1/deepseek/v1").arg(tls.port()), QString());
        QVERIFY(fx);
        // A certificate file that cannot be read is named with the failure it leads to.
        const QUrl base(QStringLiteral("https://127.0.0.1:%1/deepseek/v1").arg(tls.port()));
        NetworkPolicy::instance().setProviderRoutes({{NetworkPolicy::originOf(base), {QString(), QStringLiteral("/nonexistent/corp-ca.pem")}}});
        const Reply missing = chat(*fx, QStringLiteral("secure"), false);
        QCOMPARE(missing.error().value(QStringLiteral("code")).toString(), QStringLiteral("tls"));
        QVERIFY2(missing.error().value(QStringLiteral("message")).toString().contains(QLatin1String("/nonexistent/corp-ca.pem")),
                 missing.body.constData());
        NetworkSetup::applyConfig(fx->config->config());
        QTRY_COMPARE_WITH_TIMEOUT(fx->ledgerRows().size(), 1, 10000);

        // More failures than cooldown_after: a certificate problem never cools the provider down.
        for (int i = 0; i < 4; ++i) {
            const Reply r = chat(*fx, QStringLiteral("secure"), i % 2 == 0);
            QCOMPARE(r.status, 502);
            QCOMPARE(r.error().value(QStringLiteral("code")).toString(), QStringLiteral("tls"));
            const QString message = r.error().value(QStringLiteral("message")).toString();
            QVERIFY2(message.contains(QLatin1String("certificate"), Qt::CaseInsensitive), qPrintable(message));
            QVERIFY2(message.contains(u"Settings → Network"), qPrintable(message));
        }
        QTRY_COMPARE_WITH_TIMEOUT(fx->ledgerRows().size(), 5, 10000);
        for (const QVariantMap &row : fx->ledgerRows())
            QCOMPARE(row.value(QStringLiteral("status")).toString(), QStringLiteral("tls"));
        QVERIFY(tls.requests().isEmpty());

        // SSL_CERT_FILE adds the CA, as for curl and OpenSSL.
        qputenv("SSL_CERT_FILE", (tlsDir + QStringLiteral("/ca.pem")).toLocal8Bit());
        const Reply trusted = chat(*fx, QStringLiteral("secure"), false);
        QVERIFY2(trusted.status == 200, trusted.body.constData());
    }
};

QTEST_GUILESS_MAIN(TestEndpointNetwork)
#include "tst_endpoint_network.moc"
