#include "Upstream.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>

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
    }

    int status() const override { return m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(); }
    QByteArray header(const QByteArray &name) const override { return m_reply->rawHeader(name); }
    QByteArray readAll() override { return m_reply->readAll(); }
    bool isFinished() const override { return m_reply->isFinished(); }
    bool networkFailed() const override { return m_reply->error() != QNetworkReply::NoError; }
    QString errorString() const override { return m_reply->errorString(); }
    void abort() override
    {
        m_reply->disconnect(this);
        m_reply->abort();
    }

private:
    QNetworkReply *m_reply;
};

} // namespace

UpstreamReply *NetworkManagerUpstream::post(const QNetworkRequest &request, const QByteArray &body)
{
    return new NetworkManagerReply(m_nam->post(request, body));
}
