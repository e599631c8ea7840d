#include "Upstream.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QSslError>

namespace {

class NetworkManagerReply : public UpstreamReply
{
public:
    explicit NetworkManagerReply(QNetworkReply *reply)
        : m_reply(reply)
    {
        reply->setParent(this);
        connect(reply, &QNetworkReply::metaDataChanged, this, &UpstreamReply::metaDataChanged);
        connect(reply, &QNetworkReply::readyRead, this, &UpstreamReply::readyRead);
        connect(reply, &QNetworkReply::finished, this, &UpstreamReply::finished);
        connect(reply, &QNetworkReply::sslErrors, this, [this](const QList<QSslError> &errors) {
            QStringList why;
            for (const QSslError &e : errors)
                why << e.errorString();
            m_tlsError = why.join(QStringLiteral("; "));
        });
    }

    int status() const override { return m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(); }
    QByteArray header(const QByteArray &name) const override { return m_reply->rawHeader(name); }
    QByteArray readAll() override { return m_reply->readAll(); }
    bool isFinished() const override { return m_reply->isFinished(); }
    bool networkFailed() const override { return m_reply->error() != QNetworkReply::NoError; }
    bool tlsFailed() const override { return m_reply->error() == QNetworkReply::SslHandshakeFailedError; }
    QString errorString() const override
    {
        return tlsFailed() && !m_tlsError.isEmpty() ? m_tlsError : m_reply->errorString();
    }
    void abort() override
    {
        m_reply->disconnect(this);
        m_reply->abort();
    }

private:
    QNetworkReply *m_reply;
    QString m_tlsError;
};

} // namespace

UpstreamReply *NetworkManagerUpstream::post(const QNetworkRequest &request, const QByteArray &body)
{
    return new NetworkManagerReply(m_nam->post(request, body));
}
