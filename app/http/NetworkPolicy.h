#pragma once

#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QMutex>
#include <QNetworkProxy>
#include <QNetworkProxyFactory>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QString>
#include <QUrl>

#include <functional>

class QNetworkRequest;

// How Switchyard reaches providers, for the window and the endpoint alike: which proxy, and which
// certificates to trust besides the system's.
//
// Proxies: by default the environment's, read as curl reads them (https_proxy or HTTPS_PROXY for
// https URLs, http_proxy for http ones, then all_proxy or ALL_PROXY; no_proxy or NO_PROXY lists
// hosts, domains, addresses and CIDR ranges to reach directly, "*" meaning all); or none; or one
// set in Settings → Network. A provider may override it (config.yaml `proxy: direct` or a URL).
// Schemes: http:// (CONNECT for https targets), socks5:// (names resolved here) and socks5h://
// (resolved by the proxy). Loopback addresses and localhost are always reached directly.
//
// Certificates: the system's store, plus SSL_CERT_FILE, plus the file set in Settings, plus the
// provider's `ca_file`. There is no switch that turns checking off.
class NetworkPolicy
{
    Q_DECLARE_TR_FUNCTIONS(NetworkPolicy)

public:
    enum class Mode { System, None, Manual };

    struct ProviderRoute
    {
        QString proxy;    // empty: follow the policy; "direct"; or a proxy URL
        QString caFile;   // extra certificates for this provider
    };

    // The process's policy.
    static NetworkPolicy &instance();

    void setMode(Mode mode, const QString &manualProxy = QString());
    void setCaFile(const QString &path);
    QString caFile() const;
    // By origin ("https://api.deepseek.com:443"), from config.yaml's providers.
    void setProviderRoutes(const QHash<QString, ProviderRoute> &routes);
    // Where the environment comes from; tests give their own.
    void setEnvironment(std::function<QString(const char *)> getenv);

    // The proxy to reach `url` through; NoProxy for a direct connection. A proxy setting that cannot
    // be used gives a DefaultProxy-typed value and says why in *problem.
    QNetworkProxy proxyFor(const QUrl &url, QString *problem = nullptr) const;
    // The TLS settings for `url`: the system's trust plus the extra certificates that apply.
    // A file that cannot be read leaves *problem set and is skipped.
    QSslConfiguration sslFor(const QUrl &url, QString *problem = nullptr) const;
    // Applies sslFor() to a request for QNetworkAccessManager.
    void prepare(QNetworkRequest &request) const;

    static QString originOf(const QUrl &url);
    // "http://user:pw@host:3128", "socks5h://host:1080", "host:3128" (http assumed). An
    // unsupported or malformed URL gives a DefaultProxy-typed value and a sentence in *error.
    static QNetworkProxy parseProxy(const QString &text, QString *error = nullptr);
    // True when `host` matches a no_proxy list as curl reads it.
    static bool matchesNoProxy(const QString &host, const QString &noProxy);
    // Certificates in a PEM file, cached by path and modification time.
    static QList<QSslCertificate> certificatesIn(const QString &path, QString *problem);

private:
    NetworkPolicy();
    QString env(const char *name) const;
    QNetworkProxy fromEnvironment(const QUrl &url, QString *problem) const;

    mutable QMutex m_mutex;   // the window's network thread asks too
    Mode m_mode = Mode::System;
    QString m_manual;
    QString m_caFile;
    QHash<QString, ProviderRoute> m_routes;
    std::function<QString(const char *)> m_getenv;
};

// Hands NetworkPolicy's proxies to a QNetworkAccessManager.
class PolicyProxyFactory : public QNetworkProxyFactory
{
public:
    QList<QNetworkProxy> queryProxy(const QNetworkProxyQuery &query) override;
};
