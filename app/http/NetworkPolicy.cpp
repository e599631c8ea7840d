#include "NetworkPolicy.h"

#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QNetworkRequest>

NetworkPolicy::NetworkPolicy()
    : m_getenv([](const char *name) { return qEnvironmentVariable(name); })
{
}

NetworkPolicy &NetworkPolicy::instance()
{
    static NetworkPolicy policy;
    return policy;
}

void NetworkPolicy::setMode(Mode mode, const QString &manualProxy)
{
    QMutexLocker lock(&m_mutex);
    m_mode = mode;
    m_manual = manualProxy.trimmed();
}

void NetworkPolicy::setCaFile(const QString &path)
{
    QMutexLocker lock(&m_mutex);
    m_caFile = path.trimmed();
}

QString NetworkPolicy::caFile() const
{
    QMutexLocker lock(&m_mutex);
    return m_caFile;
}

void NetworkPolicy::setProviderRoutes(const QHash<QString, ProviderRoute> &routes)
{
    QMutexLocker lock(&m_mutex);
    m_routes = routes;
}

void NetworkPolicy::setEnvironment(std::function<QString(const char *)> getenv)
{
    QMutexLocker lock(&m_mutex);
    m_getenv = getenv ? std::move(getenv) : [](const char *name) { return qEnvironmentVariable(name); };
}

QString NetworkPolicy::env(const char *name) const
{
    return m_getenv(name).trimmed();
}

QString NetworkPolicy::originOf(const QUrl &url)
{
    const bool tls = url.scheme() == u"https";
    return url.scheme() + QStringLiteral("://") + url.host().toLower() + QLatin1Char(':')
           + QString::number(url.port(tls ? 443 : 80));
}

QNetworkProxy NetworkPolicy::parseProxy(const QString &text, QString *error)
{
    QString t = text.trimmed();
    if (!t.contains(QLatin1String("://")))
        t.prepend(QLatin1String("http://"));   // as curl: a bare host:port is an HTTP proxy
    const QUrl url(t, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    auto fail = [&](const QString &why) {
        if (error)
            *error = why;
        return QNetworkProxy(QNetworkProxy::DefaultProxy);
    };
    if (!url.isValid() || url.host().isEmpty())
        return fail(tr("\"%1\" is not a proxy address; write it as http://host:port or socks5://host:port.").arg(text.left(200)));
    QNetworkProxy proxy;
    if (scheme == u"http") {
        proxy = QNetworkProxy(QNetworkProxy::HttpProxy, url.host(), quint16(url.port(1080)));   // curl's default port
    } else if (scheme == u"socks5" || scheme == u"socks5h") {
        proxy = QNetworkProxy(QNetworkProxy::Socks5Proxy, url.host(), quint16(url.port(1080)));
        if (scheme == u"socks5")   // names resolved here, the proxy gets an address
            proxy.setCapabilities(proxy.capabilities() & ~QNetworkProxy::HostNameLookupCapability);
    } else {
        return fail(tr("The proxy scheme \"%1\" is not supported; use http://, socks5:// or socks5h://.").arg(scheme.left(20)));
    }
    if (!url.userName().isEmpty()) {
        proxy.setUser(url.userName(QUrl::FullyDecoded));
        proxy.setPassword(url.password(QUrl::FullyDecoded));
    }
    return proxy;
}

bool NetworkPolicy::matchesNoProxy(const QString &hostIn, const QString &noProxy)
{
    QString host = hostIn.toLower();
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    QHostAddress address;
    const bool isAddress = address.setAddress(host);
    const QStringList entries = noProxy.split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (QString entry : entries) {
        entry = entry.trimmed().toLower();
        if (entry.isEmpty())
            continue;
        if (entry == u"*")
            return true;
        if (entry.contains(QLatin1Char('/'))) {   // a CIDR range
            if (isAddress) {
                const auto subnet = QHostAddress::parseSubnet(entry);
                if (subnet.first.protocol() != QAbstractSocket::UnknownNetworkLayerProtocol && address.isInSubnet(subnet))
                    return true;
            }
            continue;
        }
        if (entry.startsWith(QLatin1Char('[')) && entry.contains(QLatin1Char(']')))
            entry = entry.mid(1, entry.indexOf(QLatin1Char(']')) - 1);
        else if (entry.count(QLatin1Char(':')) == 1)
            entry = entry.section(QLatin1Char(':'), 0, 0);   // host:port: curl ignores the port
        QHostAddress entryAddress;
        if (entryAddress.setAddress(entry)) {
            if (isAddress && entryAddress.isEqual(address))
                return true;
            continue;
        }
        if (entry.startsWith(QLatin1Char('.')))
            entry.remove(0, 1);
        if (host == entry || host.endsWith(QLatin1Char('.') + entry))
            return true;
    }
    return false;
}

QNetworkProxy NetworkPolicy::fromEnvironment(const QUrl &url, QString *problem) const
{
    QString noProxy = env("no_proxy");
    if (noProxy.isEmpty())
        noProxy = env("NO_PROXY");
    if (!noProxy.isEmpty() && matchesNoProxy(url.host(), noProxy))
        return QNetworkProxy(QNetworkProxy::NoProxy);
    QString proxy;
    if (url.scheme() == u"https") {
        proxy = env("https_proxy");
        if (proxy.isEmpty())
            proxy = env("HTTPS_PROXY");
    } else {
        proxy = env("http_proxy");   // curl reads no HTTP_PROXY: CGI programs get one from a request header
    }
    if (proxy.isEmpty())
        proxy = env("all_proxy");
    if (proxy.isEmpty())
        proxy = env("ALL_PROXY");
    if (proxy.isEmpty())
        return QNetworkProxy(QNetworkProxy::NoProxy);
    // A proxy variable that cannot be used is not silently skipped: the connection fails, naming it.
    return parseProxy(proxy, problem);
}

QNetworkProxy NetworkPolicy::proxyFor(const QUrl &url, QString *problem) const
{
    const QString host = url.host().toLower();
    QHostAddress address;
    if (host == u"localhost" || host.endsWith(QLatin1String(".localhost")) || (address.setAddress(host) && address.isLoopback()))
        return QNetworkProxy(QNetworkProxy::NoProxy);
    QMutexLocker lock(&m_mutex);
    const auto route = m_routes.constFind(originOf(url));
    if (route != m_routes.cend() && !route->proxy.isEmpty()) {
        if (route->proxy == u"direct")
            return QNetworkProxy(QNetworkProxy::NoProxy);
        return parseProxy(route->proxy, problem);
    }
    switch (m_mode) {
    case Mode::None:
        return QNetworkProxy(QNetworkProxy::NoProxy);
    case Mode::Manual:
        if (m_manual.isEmpty())
            return QNetworkProxy(QNetworkProxy::NoProxy);
        return parseProxy(m_manual, problem);
    case Mode::System:
        break;
    }
    return fromEnvironment(url, problem);
}

QList<QSslCertificate> NetworkPolicy::certificatesIn(const QString &path, QString *problem)
{
    struct Cached
    {
        QDateTime modified;
        QList<QSslCertificate> certificates;
    };
    static QMutex mutex;
    static QHash<QString, Cached> cache;
    const QFileInfo info(path);
    QMutexLocker lock(&mutex);
    auto it = cache.constFind(path);
    if (it != cache.cend() && it->modified == info.lastModified())
        return it->certificates;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly) || file.size() > 16 * 1024 * 1024) {
        if (problem)
            *problem = tr("The certificate file %1 cannot be read: %2").arg(path, file.errorString());
        return {};
    }
    const QList<QSslCertificate> certs = QSslCertificate::fromData(file.readAll(), QSsl::Pem);
    if (certs.isEmpty() && problem)
        *problem = tr("The certificate file %1 holds no PEM certificate.").arg(path);
    cache.insert(path, {info.lastModified(), certs});
    return certs;
}

QSslConfiguration NetworkPolicy::sslFor(const QUrl &url, QString *problem) const
{
    QStringList files;
    {
        QMutexLocker lock(&m_mutex);
        if (const QString f = env("SSL_CERT_FILE"); !f.isEmpty())
            files << f;
        if (!m_caFile.isEmpty())
            files << m_caFile;
        const auto route = m_routes.constFind(originOf(url));
        if (route != m_routes.cend() && !route->caFile.isEmpty())
            files << route->caFile;
    }
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    QList<QSslCertificate> extra;
    for (const QString &f : std::as_const(files))
        extra += certificatesIn(f, problem);
    if (extra.isEmpty())
        return ssl;
    // Setting any CA list turns off Qt's on-demand loading of the system's: give it both.
    static const QList<QSslCertificate> system = QSslConfiguration::systemCaCertificates();
    ssl.setCaCertificates(system + extra);
    return ssl;
}

void NetworkPolicy::prepare(QNetworkRequest &request) const
{
    if (request.url().scheme() == u"https")
        request.setSslConfiguration(sslFor(request.url()));
}

QList<QNetworkProxy> PolicyProxyFactory::queryProxy(const QNetworkProxyQuery &query)
{
    if (query.queryType() == QNetworkProxyQuery::TcpServer)
        return {QNetworkProxy(QNetworkProxy::NoProxy)};
    QUrl url = query.url();
    if (url.isEmpty()) {
        url.setScheme(query.protocolTag().isEmpty() ? QStringLiteral("https") : query.protocolTag());
        url.setHost(query.peerHostName());
        url.setPort(query.peerPort());
    }
    QNetworkProxy p = NetworkPolicy::instance().proxyFor(url);
    if (p.type() == QNetworkProxy::DefaultProxy) {
        // A proxy setting that cannot be used must not be gone around: a proxy that cannot be
        // reached fails the request, and its name says why.
        p = QNetworkProxy(QNetworkProxy::HttpProxy, QStringLiteral("the-proxy-setting-is-not-usable.invalid"), 9);
    }
    return {p};
}
