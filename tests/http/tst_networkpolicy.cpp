// NetworkPolicy: proxies chosen as curl chooses them from the environment, Settings' modes, a
// provider's own route, and the certificates trusted besides the system's.
#include "NetworkPolicy.h"

#include <QHash>
#include <QTest>

class TestNetworkPolicy : public QObject
{
    Q_OBJECT

    QHash<QString, QString> env;
    NetworkPolicy &policy = NetworkPolicy::instance();

    static QString describe(const QNetworkProxy &p)
    {
        switch (p.type()) {
        case QNetworkProxy::NoProxy: return QStringLiteral("direct");
        case QNetworkProxy::HttpProxy: return QStringLiteral("http %1:%2").arg(p.hostName()).arg(p.port());
        case QNetworkProxy::Socks5Proxy:
            return QStringLiteral("socks5%1 %2:%3")
                .arg(p.capabilities() & QNetworkProxy::HostNameLookupCapability ? u"h" : u"")
                .arg(p.hostName())
                .arg(p.port());
        default: return QStringLiteral("unusable");
        }
    }

private slots:
    void init()
    {
        env.clear();
        policy.setEnvironment([this](const char *name) { return env.value(QString::fromLatin1(name)); });
        policy.setMode(NetworkPolicy::Mode::System);
        policy.setCaFile({});
        policy.setProviderRoutes({});
    }

    void cleanupTestCase() { policy.setEnvironment({}); }

    void environmentAsCurlReadsIt_data()
    {
        QTest::addColumn<QString>("vars");   // NAME=value;…
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("expected");
        QTest::newRow("none set") << "" << "https://api.deepseek.com" << "direct";
        QTest::newRow("https_proxy") << "https_proxy=http://p:3128" << "https://api.deepseek.com" << "http p:3128";
        QTest::newRow("HTTPS_PROXY") << "HTTPS_PROXY=p:8080" << "https://api.deepseek.com" << "http p:8080";
        QTest::newRow("lower case wins") << "https_proxy=a:1;HTTPS_PROXY=b:2" << "https://x.com" << "http a:1";
        QTest::newRow("http_proxy is not for https") << "http_proxy=p:3128" << "https://x.com" << "direct";
        QTest::newRow("http_proxy for http") << "http_proxy=p:3128" << "http://x.com" << "http p:3128";
        QTest::newRow("no HTTP_PROXY, as curl") << "HTTP_PROXY=p:3128" << "http://x.com" << "direct";
        QTest::newRow("all_proxy") << "all_proxy=socks5h://s:1080" << "https://x.com" << "socks5h s:1080";
        QTest::newRow("socks5 resolves here") << "ALL_PROXY=socks5://s:9050" << "https://x.com" << "socks5 s:9050";
        QTest::newRow("default port 1080") << "https_proxy=http://p" << "https://x.com" << "http p:1080";
        QTest::newRow("no_proxy domain") << "https_proxy=p:1;no_proxy=deepseek.com" << "https://api.deepseek.com" << "direct";
        QTest::newRow("no_proxy dot domain") << "https_proxy=p:1;no_proxy=.moonshot.cn" << "https://api.moonshot.cn" << "direct";
        QTest::newRow("no_proxy is not a suffix match") << "https_proxy=p:1;no_proxy=seek.com" << "https://api.deepseek.com"
                                                       << "http p:1";
        QTest::newRow("no_proxy CIDR") << "https_proxy=p:1;NO_PROXY=10.0.0.0/8" << "https://10.1.2.3" << "direct";
        QTest::newRow("no_proxy star") << "https_proxy=p:1;no_proxy=*" << "https://x.com" << "direct";
        QTest::newRow("no_proxy with port") << "https_proxy=p:1;no_proxy=x.com:443" << "https://x.com" << "direct";
        QTest::newRow("loopback is direct") << "http_proxy=p:1" << "http://127.0.0.1:11434" << "direct";
        QTest::newRow("localhost is direct") << "http_proxy=p:1" << "http://localhost:11434" << "direct";
        QTest::newRow("unsupported scheme") << "https_proxy=https://p:1" << "https://x.com" << "unusable";
    }

    void environmentAsCurlReadsIt()
    {
        QFETCH(QString, vars);
        QFETCH(QString, url);
        QFETCH(QString, expected);
        for (const QString &pair : vars.split(QLatin1Char(';'), Qt::SkipEmptyParts))
            env.insert(pair.section(QLatin1Char('='), 0, 0), pair.section(QLatin1Char('='), 1));
        QCOMPARE(describe(policy.proxyFor(QUrl(url))), expected);
    }

    void credentialsAreTaken()
    {
        env.insert(QStringLiteral("https_proxy"), QStringLiteral("http://bob:p%40ss@p:3128"));
        const QNetworkProxy p = policy.proxyFor(QUrl(QStringLiteral("https://x.com")));
        QCOMPARE(p.user(), QStringLiteral("bob"));
        QCOMPARE(p.password(), QStringLiteral("p@ss"));
    }

    void settingsAndProviderRoutes()
    {
        env.insert(QStringLiteral("https_proxy"), QStringLiteral("http://env:1"));
        policy.setMode(NetworkPolicy::Mode::None);
        QCOMPARE(describe(policy.proxyFor(QUrl(QStringLiteral("https://openrouter.ai/api/v1")))), QStringLiteral("direct"));
        policy.setMode(NetworkPolicy::Mode::Manual, QStringLiteral("socks5h://corp:1080"));
        QCOMPARE(describe(policy.proxyFor(QUrl(QStringLiteral("https://openrouter.ai/api/v1")))), QStringLiteral("socks5h corp:1080"));
        // The Chinese providers direct, OpenRouter through the proxy.
        policy.setProviderRoutes({{QStringLiteral("https://api.deepseek.com:443"), {QStringLiteral("direct"), {}}},
                                  {QStringLiteral("https://api.moonshot.cn:443"), {QStringLiteral("http://cn:8080"), {}}}});
        QCOMPARE(describe(policy.proxyFor(QUrl(QStringLiteral("https://api.deepseek.com")))), QStringLiteral("direct"));
        QCOMPARE(describe(policy.proxyFor(QUrl(QStringLiteral("https://api.moonshot.cn/v1")))), QStringLiteral("http cn:8080"));
        QCOMPARE(describe(policy.proxyFor(QUrl(QStringLiteral("https://openrouter.ai/api/v1")))), QStringLiteral("socks5h corp:1080"));
    }

    void parseErrorsSaySo()
    {
        QString why;
        QCOMPARE(NetworkPolicy::parseProxy(QStringLiteral("ftp://p:21"), &why).type(), QNetworkProxy::DefaultProxy);
        QVERIFY(why.contains(QLatin1String("ftp")));
        why.clear();
        QCOMPARE(NetworkPolicy::parseProxy(QStringLiteral("http://"), &why).type(), QNetworkProxy::DefaultProxy);
        QVERIFY(!why.isEmpty());
    }

    void extraCertificatesAddToTheSystems()
    {
        const QString ca = QStringLiteral(SWITCHYARD_TEST_DATA "/tls/ca.pem");
        const QUrl url(QStringLiteral("https://provider.test/v1"));
        const auto hasTestCa = [](const QSslConfiguration &c) {
            for (const QSslCertificate &cert : c.caCertificates()) {
                if (cert.subjectInfo(QSslCertificate::CommonName).contains(QStringLiteral("Switchyard Test CA")))
                    return true;
            }
            return false;
        };
        QVERIFY(!hasTestCa(policy.sslFor(url)));
        policy.setProviderRoutes({{NetworkPolicy::originOf(url), {QString(), ca}}});
        QSslConfiguration ssl = policy.sslFor(url);
        QVERIFY(hasTestCa(ssl));
        QVERIFY(ssl.caCertificates().size() > 1 || QSslConfiguration::systemCaCertificates().isEmpty());   // the system's stay
        QVERIFY(!hasTestCa(policy.sslFor(QUrl(QStringLiteral("https://other.example")))));
        policy.setProviderRoutes({});
        env.insert(QStringLiteral("SSL_CERT_FILE"), ca);
        QVERIFY(hasTestCa(policy.sslFor(QUrl(QStringLiteral("https://other.example")))));
        QString problem;
        QVERIFY(NetworkPolicy::certificatesIn(QStringLiteral("/nonexistent.pem"), &problem).isEmpty());
        QVERIFY(problem.contains(QLatin1String("/nonexistent.pem")));
    }
};

QTEST_GUILESS_MAIN(TestNetworkPolicy)
#include "tst_networkpolicy.moc"
