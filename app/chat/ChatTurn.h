#pragma once

#include "ChatRequest.h"
#include "Dispatch.h"
#include "Config.h"
#include "Ledger.h"
#include "ProviderCall.h"
#include "Router.h"
#include "StreamEvent.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QMap>
#include <QObject>
#include <QPointer>

#include <optional>

class ProviderHealth;
class QNetworkAccessManager;
class SecretStore;

// What the chat window shows under an answer (its badge), and keeps with it.
struct AnswerInfo
{
    QString requestId;
    QString model;
    QString provider;             // the provider's label
    QString rule;
    QString taskType;
    QStringList fallbacks;        // one line per model tried before the one that answered
    QStringList passedOver;       // one line per model the chain passed over without sending (no key, cooling down)
    QStringList passedOverModels; // their names
    QString settingsProvider;     // the provider whose Settings fix the error (its id): a missing or refused key
    Usage usage;
    QMap<QString, qint64> cost;   // micro-units by currency, over every attempt sent
    bool costEstimated = false;
    bool unpriced = false;        // the model has no price in config.yaml
    qint64 ttftMs = -1;
    qint64 totalMs = -1;
    QString finishReason;
    std::optional<ProviderError> error;

    QJsonObject toJson() const;
    static AnswerInfo fromJson(const QJsonObject &o);
};

// One answer in the chat window: routes the request with config.yaml's rules (or the model the
// user chose), runs it through Dispatch with its fallbacks, records every attempt in the ledger as
// client "window", and reports the text as it streams and the badge at the end.
class ChatTurn : public QObject
{
    Q_OBJECT

public:
    struct Services
    {
        QNetworkAccessManager *nam = nullptr;
        SecretStore *secrets = nullptr;
        ProviderHealth *health = nullptr;
        Ledger *ledger = nullptr;         // may be null (no ledger)
        QSet<QString> keyless;            // providers known to have no key (KeyStatus::keyless)
        CallTimeouts timeouts;
    };
    static constexpr auto Client = "window";

    // `askedModel` empty: the routing rules choose; `taskType` empty: detected from the request.
    ChatTurn(const Services &services, Config config, ChatRequest request, QString askedModel, QString taskType,
             QString conversation, QObject *parent = nullptr);

    // Routes the request and starts it. False with a sentence in *refusal when it cannot be sent:
    // no model can take it, or it carries images and the model cannot see them.
    bool start(QString *refusal);
    void cancel();
    const RouteDecision &decision() const { return m_decision; }
    bool isRunning() const { return m_dispatch != nullptr; }

signals:
    void attemptStarted(const QString &model, const QString &provider, int number);
    void contentDelta(const QString &text);
    void reasoningDelta(const QString &text);
    void finished(const AnswerInfo &info, const QString &content, const QString &reasoning);

private:
    void onFinished();

    Services m_services;
    Config m_config;
    ChatRequest m_request;
    QString m_askedModel;
    QString m_taskType;
    QString m_conversation;
    RouteDecision m_decision;
    Ledger::Context m_context;
    QPointer<Dispatch> m_dispatch;
    QMap<int, QDateTime> m_started;
};
