#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <memory>

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
    void stop();
    int port() const;
    QString baseUrl() const;   // http://127.0.0.1:PORT/v1

    void enqueue(FakeResponse response);
    // When set, requests without `Authorization: Bearer <key>` get an OpenAI-style 401.
    void setRequiredKey(const QByteArray &key);
    void setModels(const QStringList &ids);
    // Delay between frames of the built-in streaming answer.
    void setFrameDelayMs(int ms);
    QList<FakeRequest> requests() const;

    // The built-in OpenAI-dialect answer to `request` (a chat completion request body).
    static FakeResponse openAiAnswer(const QJsonObject &request, int frameDelayMs = 0);

private:
    struct Private;
    std::unique_ptr<Private> d;
};
