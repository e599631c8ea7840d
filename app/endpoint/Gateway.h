#pragma once

#include "Door.h"
#include "HttpServer.h"
#include "OpenAiRequest.h"
#include "ProviderCall.h"
#include "ProviderHealth.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QObject>
#include <QThreadPool>
#include <QUrl>

#include <memory>

class ConfigStore;
class KeyStatus;
class GatewayKeys;
class Ledger;
class HttpClient;
class ReasoningMemory;
class ResponseStore;
class SecretStore;
struct DispatchResult;

// The local endpoint (PRODUCT.md "Local endpoint", docs/endpoint.md): POST /v1/chat/completions,
// /v1/responses, /v1/messages (+ count_tokens) and /v1/embeddings, GET /v1/models and /v1/models/{id},
// behind a key, with the window's routing, fallback and ledger. Each door answers in its clients'
// shapes whatever the provider's dialect; a stream passes through event by event.
class Gateway : public QObject
{
    Q_OBJECT

public:
    Gateway(ConfigStore *config, SecretStore *secrets, GatewayKeys *keys, Ledger *ledger, QObject *parent = nullptr);
    ~Gateway() override;

    static constexpr quint16 DefaultPort = 4141;

    // Parses "127.0.0.1:4141", "[::1]:4141", ":4141" or "4141". False and a sentence on a bad address.
    static bool parseListen(const QString &text, QHostAddress *address, quint16 *port, QString *error);
    // A sentence to show when `address` is reachable from other machines; empty for loopback.
    static QString exposureWarning(const QHostAddress &address);

    bool listen(const QHostAddress &address, quint16 port, QString *error);
    void stop();
    bool isListening() const;
    QUrl url() const;   // http://127.0.0.1:PORT/v1
    int activeRequests() const { return m_active; }

    void setMaxBodyBytes(qint64 bytes);
    // The server's bounds (HttpServer::Limits); tests shorten the deadlines.
    void setServerLimits(const HttpServer::Limits &limits);
    const HttpServer &server() const { return *m_server; }
    // Where the reasoning of served answers is kept (ReasoningMemory); by default, in memory.
    void setReasoningMemoryPath(const QString &path);
    ReasoningMemory *reasoningMemory() const { return m_memory.get(); }
    // Which providers have a key: the rules pass over the models of those that have none.
    const KeyStatus *providerKeys() const { return m_providerKeys; }
    // Where the Responses door keeps the responses it served (ResponseStore); by default, in memory.
    void setResponseStorePath(const QString &path);
    ResponseStore *responseStore() const { return m_responses.get(); }
    void setTimeouts(CallTimeouts timeouts) { m_timeouts = timeouts; }

signals:
    void listeningChanged();
    // After each chat completion's last attempt (the ledger has its rows by then).
    void requestFinished(const DispatchResult &result);

private:
    friend class GatewayCall;
    friend class EmbeddingsRun;
    friend class DoorWriter;
    static QByteArray bearerToken(const HttpExchange *exchange);
    void screen(HttpExchange *exchange);
    void handle(HttpExchange *exchange);
    void listModels(HttpExchange *exchange);
    void describeModel(HttpExchange *exchange, const QString &id);
    // A request through the chat, Responses or Messages door: read (off the loop when large), routed
    // and run by a GatewayCall.
    void door(HttpExchange *exchange, Api api, const QString &client, const QElapsedTimer &arrival);
    void doorRead(HttpExchange *exchange, Api api, std::optional<DoorRequest> request, const OpenAiRequest::Problem &problem,
                  const QString &client, const QElapsedTimer &arrival, qint64 size);
    // POST /v1/messages/count_tokens (MessagesDoor.cpp).
    void countTokens(HttpExchange *exchange);
    // POST /v1/embeddings (EmbeddingsDoor.cpp).
    void embeddings(HttpExchange *exchange, const QString &client, const QElapsedTimer &arrival);
    // Runs `work` and then `then` at once for a small request; for a large one, `work` on a worker
    // thread and `then` back on the event loop.
    // False when the workers are full (then nothing runs).
    bool offLoopIfLarge(qint64 size, std::function<void()> work, std::function<void()> then);
    void replyBusy(HttpExchange *exchange, Api api);
    static constexpr qint64 OffLoopBytes = 256 << 10;
    static constexpr int MaxJobs = 4;
    int m_jobs = 0;

    ConfigStore *m_config;
    SecretStore *m_secrets;
    KeyStatus *m_providerKeys = nullptr;
    GatewayKeys *m_keys;
    Ledger *m_ledger;
    std::unique_ptr<HttpServer> m_server;
    std::unique_ptr<HttpClient> m_client;
    std::unique_ptr<ReasoningMemory> m_memory;
    std::unique_ptr<ResponseStore> m_responses;
    ProviderHealth m_health;
    CallTimeouts m_timeouts;
    int m_active = 0;
    QThreadPool m_workers;   // declared last: waited for first when the Gateway goes
};
