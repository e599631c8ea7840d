#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

// The provider dialects the fake speaks. The first path segment picks one:
// http://127.0.0.1:PORT/minimax/v1/chat/completions answers like MiniMax; /v1/… like OpenAI.
enum class FakeDialect { OpenAI, DeepSeek, Moonshot, MiniMax, DashScope, OpenRouter };

// The usage every dialect's built-in answer reports (in that dialect's own fields), so tests can
// check that exactly these numbers come out of the normalizer.
struct FakeUsage
{
    static constexpr int prompt = 120;
    static constexpr int cached = 64;
    static constexpr int completion = 30;
    static constexpr int reasoning = 12;
    static constexpr double openRouterCost = 0.000321;
};

// One scripted answer to a chat request.
struct FakeResponse
{
    enum class Fault {
        None,
        ResetAfterFrames,   // close the connection after `faultAfterFrames` frames
        StallAfterFrames,   // send `faultAfterFrames` frames, then nothing until the client gives up
        StallBeforeHeaders, // never send the status line
    };

    int status = 200;
    QByteArray contentType = "text/event-stream";
    QList<QPair<QByteArray, QByteArray>> headers;
    QList<QByteArray> frames;    // written one by one, in order (a whole body is one frame)
    int frameDelayMs = 0;        // pause before each frame after the first
    Fault fault = Fault::None;
    int faultAfterFrames = 0;

    static FakeResponse json(int status, const QByteArray &body);
    static FakeResponse text(int status, const QByteArray &contentType, const QByteArray &body);
    // An SSE body from ready-made data payloads ("data: …\n\n" each).
    static FakeResponse sse(const QList<QByteArray> &payloads, bool done = true);
    // An OpenAI-dialect stream of these pieces of text, a chunk each, then `finish_reason: stop`
    // and [DONE]; no usage.
    static FakeResponse textStream(const QStringList &pieces, int frameDelayMs = 0);

    // Faults as the providers really send them (../shared/reference/providers.md).
    static FakeResponse rateLimited(int retryAfterSeconds = -1);   // Kimi-style 429
    static FakeResponse insufficientBalance();                     // DeepSeek 402
    static FakeResponse serverError();                             // 500
    static FakeResponse overloaded();                              // DeepSeek 503
    static FakeResponse htmlErrorPage();                           // a proxy's 502 page
    static FakeResponse contextOverflow(int limit);                // DeepSeek 400
    static FakeResponse authFailed();                              // 401
    static FakeResponse brokenJsonStream();                        // 200, then a chunk that is not JSON
    static FakeResponse miniMaxBaseRespError();                    // 200 + base_resp 1008
};

struct FakeRequest
{
    QByteArray method;
    QByteArray path;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray header(const QByteArray &name) const;
    QJsonObject json() const;
};

// An HTTP server on 127.0.0.1 (a free port) that answers like a provider: POST …/chat/completions
// (streaming and not) and GET …/models under any base path, so one instance can stand in for
// https://api.deepseek.com as well as …/compatible-mode/v1. Scripted responses (enqueue) are
// served first, in order; otherwise a built-in OpenAI-dialect answer echoes the last user message.
// Later dialects and faults plug in as more FakeResponse builders.
class FakeProvider
{
public:
    FakeProvider();
    ~FakeProvider();
    FakeProvider(const FakeProvider &) = delete;
    FakeProvider &operator=(const FakeProvider &) = delete;

    // Listens on 127.0.0.1:port (0 = any free port).
    bool start(int port = 0);
    // The same over TLS with this certificate (PEM files); call instead of start().
    bool startTls(const QString &certificatePath, const QString &keyPath, int port = 0);
    void stop();
    int port() const;
    QString baseUrl() const;   // http://127.0.0.1:PORT/v1
    QString baseUrl(FakeDialect dialect) const;   // http://127.0.0.1:PORT/<dialect>/v1

    void enqueue(FakeResponse response);
    // When set, requests without `Authorization: Bearer <key>` get an OpenAI-style 401.
    void setRequiredKey(const QByteArray &key);
    void setModels(const QStringList &ids);
    // false: GET …/models answers 404, as for providers without a model list.
    void setModelListAvailable(bool available);
    // Delay between frames of the built-in streaming answer.
    void setFrameDelayMs(int ms);
    QList<FakeRequest> requests() const;
    // Frames of streamed answers handed to the socket so far (a client that reads slowly holds them back).
    int framesWritten() const;

    // Whether the built-in embeddings answer reports `usage` (true by default).
    void setEmbeddingUsage(bool on);

    // POST …/embeddings, built in: one vector per input, derived from a hash of its text, so a test
    // can compute what any client must receive. `dimensions` long when asked (1–4096), else
    // EmbeddingDimensions; `encoding_format: base64` answered as little-endian float32; usage
    // counts embeddingTokens() of every input. The dashscope dialect refuses more than 10 inputs,
    // as DashScope does; token arrays are refused everywhere.
    static constexpr int EmbeddingDimensions = 16;
    static std::vector<float> embedding(const QString &text, int dimensions = EmbeddingDimensions);
    static int embeddingTokens(const QString &text);

    // The built-in OpenAI-dialect answer to `request` (a chat completion request body).
    static FakeResponse openAiAnswer(const QJsonObject &request, int frameDelayMs = 0);
    // The built-in answer in `dialect`, with that provider's streaming quirks.
    static FakeResponse answer(FakeDialect dialect, const QJsonObject &request, int frameDelayMs = 0);
    // The text of the built-in answers.
    static QString answerText(FakeDialect dialect, const QJsonObject &request);
    static QString reasoningText();
    static QString dialectName(FakeDialect dialect);

private:
    void configureServer();
    struct Private;
    std::unique_ptr<Private> d;
};
