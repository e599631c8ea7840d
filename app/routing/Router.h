#pragma once

#include "ChatRequest.h"
#include "Config.h"
#include "RequestAnalyzer.h"

#include <QCoreApplication>
#include <QJsonObject>

struct RouteDecision
{
    QString rule;            // the route's name, "route N", "default", or "model" when one was named
    int ruleIndex = -1;
    QString model;           // the chosen model's name
    QString provider;
    QString providerModel;   // the provider's own id
    QStringList fallback;    // the models tried next, in order
    qint64 contextLength = 0;
    QString taskType;
    QString why;             // a sentence: which rule matched and why this model
    QString error;           // non-empty: no model can take the request
    struct PassedOver
    {
        QString model;
        QString why;
    };
    QList<PassedOver> passedOver;   // models of the chain that cannot do what the request asks

    QJsonObject toJson() const;   // the shape `switchyard route --explain` prints
};

// Applies config.yaml's routes: first match wins, `default` catches the rest. A named model goes to
// itself. The chain after it is the rule's fallback, then the model's own, then the global default
// chain, without repeats, disabled providers or models too small for the request.
class Router
{
    Q_DECLARE_TR_FUNCTIONS(Router)

public:
    explicit Router(Config config);

    // With `request`, models that cannot do what it asks (RequestBuilder::unsupported: images,
    // a forced tool choice, parallel_tool_calls: false) are passed over, and say why.
    RouteDecision decide(const RequestFeatures &features, const QString &taskReason = {},
                         const ChatRequest *request = nullptr) const;
    RouteDecision decide(const ChatRequest &request, const QString &askedModel, const QString &client = {},
                         const QString &explicitTask = {}, const QDateTime &now = QDateTime::currentDateTime()) const;
    const Config &config() const { return m_config; }

private:
    bool usable(const ModelConfig &model) const;

    Config m_config;
};
