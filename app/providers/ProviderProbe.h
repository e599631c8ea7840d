#pragma once

#include "Config.h"
#include "StreamEvent.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QStringList>

#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

struct ProbeResult
{
    Q_DECLARE_TR_FUNCTIONS(ProbeResult)

public:
    std::optional<ProviderError> error;
    QStringList modelIds;      // from GET /models; empty when the provider has no such list
    bool listed = false;       // true when /models answered
    qint64 milliseconds = 0;

    bool ok() const { return !error.has_value(); }
    // "Connected in 180 ms; the provider lists 12 models." or the error with what to do.
    QString summary() const;
};

Q_DECLARE_METATYPE(ProbeResult)

// Asks a provider whether the key and base URL work, and which models it offers: GET /models, and,
// where a provider has no model list (404), a one-token chat with one of its models instead.
class ProviderProbe : public QObject
{
    Q_OBJECT

public:
    ProviderProbe(QNetworkAccessManager *nam, ProviderConfig provider, QString apiKey,
                  std::optional<ModelConfig> chatModel = std::nullopt, QObject *parent = nullptr);
    ~ProviderProbe() override;

    // The probe behind every "Test Connection" (Settings and the first run): `provider`'s model
    // list, or, where it has none, a one-token chat with its first chat model in `config`.
    static ProviderProbe *connectionTest(QNetworkAccessManager *nam, const Config &config,
                                         const ProviderConfig &provider, const QString &apiKey,
                                         QObject *parent);

    void start(int timeoutMs = 20000);

signals:
    void finished(const ProbeResult &result);

private:
    void listed(QNetworkReply *reply);
    void tryChat();
    void done(ProbeResult result);

    QNetworkAccessManager *m_nam;
    ProviderConfig m_provider;
    QString m_apiKey;
    std::optional<ModelConfig> m_chatModel;
    int m_timeoutMs = 20000;
    QElapsedTimer m_clock;
    QPointer<QObject> m_pending;
    bool m_done = false;
};
