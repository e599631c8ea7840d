#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

class QNetworkAccessManager;
class QNetworkReply;
class QNetworkRequest;

// One HTTP exchange with a provider, as ProviderCall needs it: the status and headers when they
// come, the body as it comes, and how it ended. Two kinds exist: over QNetworkAccessManager (the
// window: HTTP/2, proxies, redirects) and over HttpClient (the local endpoint: HTTP/1.1 on the
// calling thread, see HttpClient.h).
class UpstreamReply : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    virtual int status() const = 0;                                   // 0 until the headers came
    virtual QByteArray header(const QByteArray &lowerCaseName) const = 0;
    virtual QByteArray readAll() = 0;
    virtual bool isFinished() const = 0;
    virtual bool networkFailed() const = 0;   // the exchange broke (not an HTTP error status)
    virtual bool tlsFailed() const = 0;       // … because the provider's certificate was not trusted
    virtual QString errorString() const = 0;
    virtual void abort() = 0;                  // stops at once; no signal follows
    // Stops reading from the provider while the answer's reader is behind (true) and reads on
    // (false): the provider's own flow control then holds the rest. Only HttpClient's replies pause;
    // the window reads everything it is given.
    virtual void setPaused(bool paused) { Q_UNUSED(paused); }

signals:
    void metaDataChanged();
    void readyRead();
    void finished();
};

// Where ProviderCall sends its request.
class Upstream
{
public:
    virtual ~Upstream() = default;
    // The reply belongs to the caller (delete it, or deleteLater()).
    virtual UpstreamReply *post(const QNetworkRequest &request, const QByteArray &body) = 0;
};

// Upstream over a QNetworkAccessManager.
class NetworkManagerUpstream : public Upstream
{
public:
    explicit NetworkManagerUpstream(QNetworkAccessManager *nam)
        : m_nam(nam)
    {
    }
    UpstreamReply *post(const QNetworkRequest &request, const QByteArray &body) override;

private:
    QNetworkAccessManager *m_nam;
};
