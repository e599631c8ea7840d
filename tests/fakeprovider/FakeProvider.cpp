#include "FakeProvider.h"

#include <httplib.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QMutex>
#include <QRegularExpression>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

FakeResponse FakeResponse::json(int status, const QByteArray &body)
{
    return text(status, "application/json", body);
}

FakeResponse FakeResponse::text(int status, const QByteArray &contentType, const QByteArray &body)
{
    FakeResponse r;
    r.status = status;
    r.contentType = contentType;
    r.frames = {body};
    return r;
}

QByteArray FakeRequest::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QJsonObject FakeRequest::json() const
{
    return QJsonDocument::fromJson(body).object();
}

struct FakeProvider::Private
{
    httplib::Server server;
    std::thread thread;
    int port = 0;

    mutable std::mutex mutex;
    std::condition_variable wake;
    bool stopping = false;
    std::deque<FakeResponse> script;
    QList<FakeRequest> requests;
    QByteArray requiredKey;
    QStringList models = {QStringLiteral("fake-chat"), QStringLiteral("fake-reasoner")};
    int frameDelayMs = 0;

    // Sleeps up to `ms`, or until stop(); returns false when stopping.
    bool pause(int ms)
    {
        std::unique_lock lock(mutex);
        if (ms < 0)
            wake.wait(lock, [this] { return stopping; });
        else
            wake.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping; });
        return !stopping;
    }

    void record(const httplib::Request &req)
    {
        FakeRequest r;
        r.method = QByteArray::fromStdString(req.method);
        r.path = QByteArray::fromStdString(req.path);
        r.body = QByteArray::fromStdString(req.body);
        for (const auto &[k, v] : req.headers)
            r.headers.append({QByteArray::fromStdString(k), QByteArray::fromStdString(v)});
        std::lock_guard lock(mutex);
        requests.append(r);
    }

    bool authorized(const httplib::Request &req, httplib::Response &res)
    {
        QByteArray key;
        {
            std::lock_guard lock(mutex);
            key = requiredKey;
        }
        if (key.isEmpty() || req.get_header_value("Authorization") == QByteArray("Bearer " + key).toStdString())
            return true;
        res.status = 401;
        res.set_content(R"({"error":{"message":"Incorrect API key provided","type":"invalid_request_error","param":null,"code":"invalid_api_key"}})",
                        "application/json");
        return false;
    }

    void serve(FakeResponse response, httplib::Response &res)
    {
        if (response.fault == FakeResponse::Fault::StallBeforeHeaders) {
            pause(-1);
            res.status = 503;
            return;
        }
        res.status = response.status;
        for (const auto &[k, v] : std::as_const(response.headers))
            res.set_header(k.toStdString(), v.toStdString());
        if (response.fault == FakeResponse::Fault::None && response.frames.size() <= 1 && response.frameDelayMs == 0) {
            res.set_content(response.frames.value(0).toStdString(), response.contentType.toStdString());
            return;
        }
        auto shared = std::make_shared<FakeResponse>(std::move(response));
        auto next = std::make_shared<int>(0);
        res.set_chunked_content_provider(shared->contentType.toStdString(),
                                         [this, shared, next](size_t, httplib::DataSink &sink) {
                                             const int i = (*next)++;
                                             const bool faultNow = shared->fault != FakeResponse::Fault::None
                                                                   && i == shared->faultAfterFrames;
                                             if (faultNow && shared->fault == FakeResponse::Fault::ResetAfterFrames)
                                                 return false;   // httplib closes the socket mid-body
                                             if (faultNow && shared->fault == FakeResponse::Fault::StallAfterFrames) {
                                                 pause(-1);
                                                 return false;
                                             }
                                             if (i >= shared->frames.size()) {
                                                 sink.done();
                                                 return true;
                                             }
                                             if (i > 0 && shared->frameDelayMs > 0 && !pause(shared->frameDelayMs))
                                                 return false;
                                             const QByteArray &frame = shared->frames.at(i);
                                             return sink.write(frame.constData(), size_t(frame.size()));
                                         });
    }
};

FakeProvider::FakeProvider()
    : d(std::make_unique<Private>())
{
    // Streams hold a worker each; give room for many at once.
    d->server.new_task_queue = [] { return new httplib::ThreadPool(256); };
    d->server.set_tcp_nodelay(true);
    d->server.set_keep_alive_max_count(1000);
    // stop() waits for idle keep-alive connections to time out; keep that wait short.
    d->server.set_keep_alive_timeout(1);

    d->server.Post(R"((.*)/chat/completions)", [this](const httplib::Request &req, httplib::Response &res) {
        d->record(req);
        if (!d->authorized(req, res))
            return;
        std::optional<FakeResponse> scripted;
        int delay = 0;
        {
            std::lock_guard lock(d->mutex);
            if (!d->script.empty()) {
                scripted = std::move(d->script.front());
                d->script.pop_front();
            }
            delay = d->frameDelayMs;
        }
        if (scripted) {
            d->serve(std::move(*scripted), res);
            return;
        }
        QJsonParseError error {};
        const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(req.body), &error);
        if (!doc.isObject()) {
            d->serve(FakeResponse::json(400, R"({"error":{"message":"Invalid JSON body","type":"invalid_request_error","param":null,"code":"invalid_request_error"}})"),
                     res);
            return;
        }
        d->serve(openAiAnswer(doc.object(), delay), res);
    });

    d->server.Get(R"((.*)/models)", [this](const httplib::Request &req, httplib::Response &res) {
        d->record(req);
        if (!d->authorized(req, res))
            return;
        QJsonArray data;
        {
            std::lock_guard lock(d->mutex);
            for (const QString &id : std::as_const(d->models))
                data.append(QJsonObject {{QStringLiteral("id"), id},
                                         {QStringLiteral("object"), QStringLiteral("model")},
                                         {QStringLiteral("owned_by"), QStringLiteral("fake")}});
        }
        const QJsonObject body {{QStringLiteral("object"), QStringLiteral("list")}, {QStringLiteral("data"), data}};
        res.set_content(QJsonDocument(body).toJson(QJsonDocument::Compact).toStdString(), "application/json");
    });
}

FakeProvider::~FakeProvider()
{
    stop();
}

bool FakeProvider::start(int port)
{
    if (port > 0)
        d->port = d->server.bind_to_port("127.0.0.1", port) ? port : -1;
    else
        d->port = d->server.bind_to_any_port("127.0.0.1");
    if (d->port <= 0)
        return false;
    d->thread = std::thread([this] { d->server.listen_after_bind(); });
    return true;
}

void FakeProvider::stop()
{
    {
        std::lock_guard lock(d->mutex);
        if (d->stopping && !d->thread.joinable())
            return;
        d->stopping = true;
    }
    d->wake.notify_all();
    d->server.stop();
    if (d->thread.joinable())
        d->thread.join();
}

int FakeProvider::port() const
{
    return d->port;
}

QString FakeProvider::baseUrl() const
{
    return QStringLiteral("http://127.0.0.1:%1/v1").arg(d->port);
}

void FakeProvider::enqueue(FakeResponse response)
{
    std::lock_guard lock(d->mutex);
    d->script.push_back(std::move(response));
}

void FakeProvider::setRequiredKey(const QByteArray &key)
{
    std::lock_guard lock(d->mutex);
    d->requiredKey = key;
}

void FakeProvider::setModels(const QStringList &ids)
{
    std::lock_guard lock(d->mutex);
    d->models = ids;
}

void FakeProvider::setFrameDelayMs(int ms)
{
    std::lock_guard lock(d->mutex);
    d->frameDelayMs = ms;
}

QList<FakeRequest> FakeProvider::requests() const
{
    std::lock_guard lock(d->mutex);
    return d->requests;
}

namespace {

QString lastUserText(const QJsonObject &request)
{
    const QJsonArray messages = request.value(QStringLiteral("messages")).toArray();
    for (qsizetype i = messages.size() - 1; i >= 0; --i) {
        const QJsonObject m = messages.at(i).toObject();
        if (m.value(QStringLiteral("role")).toString() != u"user")
            continue;
        const QJsonValue content = m.value(QStringLiteral("content"));
        if (content.isString())
            return content.toString();
        QStringList parts;
        for (const QJsonValue &part : content.toArray()) {
            if (part.toObject().value(QStringLiteral("type")).toString() == u"text")
                parts << part.toObject().value(QStringLiteral("text")).toString();
        }
        return parts.join(QLatin1Char(' '));
    }
    return QString();
}

int wordCount(const QJsonObject &request)
{
    int words = 0;
    for (const QJsonValue &m : request.value(QStringLiteral("messages")).toArray()) {
        const QJsonValue content = m.toObject().value(QStringLiteral("content"));
        const QString text = content.isString() ? content.toString()
                                                : QString::fromUtf8(QJsonDocument(content.toArray()).toJson());
        words += int(text.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts).size());
    }
    return words + 3;
}

QByteArray sse(const QJsonObject &object)
{
    return "data: " + QJsonDocument(object).toJson(QJsonDocument::Compact) + "\n\n";
}

} // namespace

FakeResponse FakeProvider::openAiAnswer(const QJsonObject &request, int frameDelayMs)
{
    const QString model = request.value(QStringLiteral("model")).toString(QStringLiteral("fake-chat"));
    const QString answer = QStringLiteral("Hello from the fake provider. You said: ") + lastUserText(request);
    const QStringList words = answer.split(QLatin1Char(' '));
    const int promptTokens = wordCount(request);
    const int completionTokens = int(words.size());
    const QJsonObject usage {{QStringLiteral("prompt_tokens"), promptTokens},
                             {QStringLiteral("completion_tokens"), completionTokens},
                             {QStringLiteral("total_tokens"), promptTokens + completionTokens}};
    const QString id = QStringLiteral("chatcmpl-fake-%1").arg(qHash(answer), 0, 16);
    const qint64 created = 1764000000;

    FakeResponse r;
    if (!request.value(QStringLiteral("stream")).toBool()) {
        const QJsonObject message {{QStringLiteral("role"), QStringLiteral("assistant")},
                                   {QStringLiteral("content"), answer}};
        const QJsonObject choice {{QStringLiteral("index"), 0},
                                  {QStringLiteral("message"), message},
                                  {QStringLiteral("finish_reason"), QStringLiteral("stop")}};
        const QJsonObject body {{QStringLiteral("id"), id},
                                {QStringLiteral("object"), QStringLiteral("chat.completion")},
                                {QStringLiteral("created"), created},
                                {QStringLiteral("model"), model},
                                {QStringLiteral("choices"), QJsonArray {choice}},
                                {QStringLiteral("usage"), usage}};
        return FakeResponse::json(200, QJsonDocument(body).toJson(QJsonDocument::Compact));
    }

    r.frameDelayMs = frameDelayMs;
    auto chunk = [&](const QJsonObject &delta, const QJsonValue &finish) {
        const QJsonObject choice {{QStringLiteral("index"), 0},
                                  {QStringLiteral("delta"), delta},
                                  {QStringLiteral("finish_reason"), finish}};
        return QJsonObject {{QStringLiteral("id"), id},
                            {QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
                            {QStringLiteral("created"), created},
                            {QStringLiteral("model"), model},
                            {QStringLiteral("choices"), QJsonArray {choice}}};
    };
    r.frames.append(sse(chunk({{QStringLiteral("role"), QStringLiteral("assistant")}, {QStringLiteral("content"), QString()}},
                              QJsonValue::Null)));
    for (int i = 0; i < words.size(); ++i) {
        const QString piece = i == 0 ? words[i] : QLatin1Char(' ') + words[i];
        r.frames.append(sse(chunk({{QStringLiteral("content"), piece}}, QJsonValue::Null)));
    }
    r.frames.append(sse(chunk({}, QStringLiteral("stop"))));
    if (request.value(QStringLiteral("stream_options")).toObject().value(QStringLiteral("include_usage")).toBool()) {
        r.frames.append(sse({{QStringLiteral("id"), id},
                             {QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
                             {QStringLiteral("created"), created},
                             {QStringLiteral("model"), model},
                             {QStringLiteral("choices"), QJsonArray()},
                             {QStringLiteral("usage"), usage}}));
    }
    r.frames.append("data: [DONE]\n\n");
    return r;
}
