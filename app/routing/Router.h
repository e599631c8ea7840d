#pragma once

#include "ChatRequest.h"
#include "Config.h"
#include "RequestAnalyzer.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QSet>

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
    bool noKey = false;      // … because the models that could have no key (ErrorClass::NoKey)
    QString keylessProvider; // then: the provider whose key would let the chosen model answer
    struct PassedOver
    {
        QString model;
        QString why;
        QString provider;
        bool noKey = false;     // its provider has no key
        bool leading = false;   // it came before the model chosen: the attempts record it as `no_key`
    };
    QList<PassedOver> passedOver;   // models of the chain that cannot do what the request asks
    bool lastResort = false;        // no model of the rule's chain could answer; the catalog's next best did

    QJsonObject toJson() const;   // the shape `switchyard route --explain` prints
};

// Applies config.yaml's routes: first match wins, `default` catches the rest. A named model goes to
// itself. The chain after it is the rule's fallback, then the model's own, then the global default
// chain, without repeats, disabled providers or models too small for the request. Models whose
// provider has no key are passed over the same way, and said so; when nothing in the chain is left,
// the other models that can answer are tried, those fit for the task first, so that one key is enough.
class Router
{
    Q_DECLARE_TR_FUNCTIONS(Router)

public:
    // `keyless`: the ids of the providers known to have no key (KeyStatus). Unknown ones count as keyed:
    // Dispatch finds out when it reads the key.
    explicit Router(Config config, QSet<QString> keyless = {});

    // With `request`, models that cannot do what it asks (RequestBuilder::unsupported: images,
    // a forced tool choice, parallel_tool_calls: false) are passed over, and say why.
    RouteDecision decide(const RequestFeatures &features, const QString &taskReason = {},
                         const ChatRequest *request = nullptr) const;
    RouteDecision decide(const ChatRequest &request, const QString &askedModel, const QString &client = {},
                         const QString &explicitTask = {}, const QDateTime &now = QDateTime::currentDateTime()) const;
    const Config &config() const { return m_config; }

private:
    // Why `model` cannot take the request, if it cannot: its kind, and a sentence in *why.
    enum class Problem { None, Disabled, TooSmall, NoKey, Unsupported };
    Problem problem(const ModelConfig &model, const RequestFeatures &f, const ChatRequest *request, QString *why) const;

    Config m_config;
    QSet<QString> m_keyless;
};
