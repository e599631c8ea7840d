#include "FakeProvider.h"

#include <httplib.h>

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMutex>
#include <QRegularExpression>

#include <atomic>
#include <cstring>
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

FakeResponse FakeResponse::sse(const QList<QByteArray> &payloads, bool done)
{
    FakeResponse r;
    for (const QByteArray &p : payloads)
        r.frames.append("data: " + p + "\n\n");
    if (done)
        r.frames.append("data: [DONE]\n\n");
    return r;
}

FakeResponse FakeResponse::textStream(const QStringList &pieces, int frameDelayMs)
{
    QList<QByteArray> payloads;
    payloads.reserve(pieces.size() + 1);
    for (const QString &piece : pieces) {
        const QJsonObject choice {{QStringLiteral("index"), 0},
                                  {QStringLiteral("delta"), QJsonObject {{QStringLiteral("content"), piece}}},
                                  {QStringLiteral("finish_reason"), QJsonValue::Null}};
        payloads << QJsonDocument(QJsonObject {{QStringLiteral("choices"), QJsonArray {choice}}}).toJson(QJsonDocument::Compact);
    }
    payloads << R"({"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})";
    FakeResponse r = sse(payloads);
    r.frameDelayMs = frameDelayMs;
    return r;
}

FakeResponse FakeResponse::rateLimited(int retryAfterSeconds)
{
    FakeResponse r = json(429, R"({"error":{"message":"Your account org-1 request reached organization max RPM: 3, please try again after 1 seconds","type":"rate_limit_reached_error"}})");
    if (retryAfterSeconds >= 0)
        r.headers.append({QByteArray("Retry-After"), QByteArray::number(retryAfterSeconds)});
    return r;
}

FakeResponse FakeResponse::insufficientBalance()
{
    return json(402, R"({"error":{"message":"Insufficient Balance","type":"unknown_error","param":null,"code":"invalid_request_error"}})");
}

FakeResponse FakeResponse::serverError()
{
    return json(500, R"({"error":{"message":"Internal server error","type":"server_error","param":null,"code":"server_error"}})");
}

FakeResponse FakeResponse::overloaded()
{
    return json(503, R"({"error":{"message":"Server Overloaded","type":"server_error","param":null,"code":"server_overloaded"}})");
}

FakeResponse FakeResponse::htmlErrorPage()
{
    return text(502, "text/html", "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>");
}

FakeResponse FakeResponse::contextOverflow(int limit)
{
    return json(400, QStringLiteral(R"({"error":{"message":"This model's maximum context length is %1 tokens. However, you requested %2 tokens (%2 in the messages, 0 in the completion). Please reduce the length of the messages or completion.","type":"invalid_request_error","param":null,"code":"invalid_request_error"}})")
                         .arg(limit)
                         .arg(limit + 4000)
                         .toUtf8());
}

FakeResponse FakeResponse::authFailed()
{
    return json(401, R"({"error":{"message":"Authentication Fails, Your api key: ****abcd is invalid","type":"authentication_error","param":null,"code":"invalid_request_error"}})");
}

FakeResponse FakeResponse::brokenJsonStream()
{
    FakeResponse r;
    r.frames = {"data: {\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n",
                "data: {\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\n\n"};
    return r;
}

FakeResponse FakeResponse::miniMaxBaseRespError()
{
    return json(200, R"({"id":"","choices":null,"created":0,"model":"MiniMax-M2.7","object":"","usage":null,"base_resp":{"status_code":1008,"status_msg":"insufficient balance"}})");
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

namespace {

constexpr FakeDialect allDialects[] = {FakeDialect::DeepSeek, FakeDialect::Moonshot, FakeDialect::MiniMax,
                                       FakeDialect::DashScope, FakeDialect::OpenRouter};

FakeDialect dialectOfPath(const std::string &prefix)
{
    const QString first = QString::fromStdString(prefix).section(QLatin1Char('/'), 1, 1);
    for (FakeDialect d : allDialects) {
        if (first == FakeProvider::dialectName(d))
            return d;
    }
    return FakeDialect::OpenAI;
}

} // namespace

namespace {

FakeResponse embeddingRefusal(const QByteArray &message, const QByteArray &param)
{
    return FakeResponse::json(400, R"({"error":{"message":")" + message + R"(","type":"invalid_request_error","param":")" + param
                                       + R"(","code":null}})");
}

// The built-in answer to POST …/embeddings (FakeProvider::embedding).
FakeResponse embeddingAnswer(FakeDialect dialect, const QByteArray &body, bool withUsage)
{
    const QJsonObject request = QJsonDocument::fromJson(body).object();
    if (request.isEmpty())
        return embeddingRefusal("Invalid JSON body", "");
    const QJsonValue input = request.value(QStringLiteral("input"));
    QStringList texts;
    if (input.isString()) {
        texts << input.toString();
    } else if (input.isArray()) {
        for (const QJsonValue &v : input.toArray()) {
            if (!v.isString())
                return embeddingRefusal("input must be a string or an array of strings", "input");
            texts << v.toString();
        }
    }
    if (texts.isEmpty())
        return embeddingRefusal("input must not be empty", "input");
    // DashScope's own words for a batch over its limit.
    if (dialect == FakeDialect::DashScope && texts.size() > 10)
        return embeddingRefusal("<400> InternalError.Algo.InvalidParameter: Value error, batch size is invalid, it should "
                                "not be larger than 10.: input.contents",
                                "input");
    int dims = FakeProvider::EmbeddingDimensions;
    if (request.contains(QStringLiteral("dimensions"))) {
        dims = request.value(QStringLiteral("dimensions")).toInt();
        if (dims < 1 || dims > 4096)
            return embeddingRefusal("dimensions must be from 1 to 4096", "dimensions");
    }
    const bool base64 = request.value(QStringLiteral("encoding_format")).toString() == u"base64";
    QJsonArray data;
    int tokens = 0;
    for (qsizetype i = 0; i < texts.size(); ++i) {
        const std::vector<float> v = FakeProvider::embedding(texts.at(i), dims);
        tokens += FakeProvider::embeddingTokens(texts.at(i));
        QJsonValue embedding;
        if (base64) {
            QByteArray raw(qsizetype(v.size() * 4), Qt::Uninitialized);
            std::memcpy(raw.data(), v.data(), size_t(raw.size()));   // x86 and ARM: little-endian
            embedding = QString::fromLatin1(raw.toBase64());
        } else {
            QJsonArray numbers;
            for (float f : v)
                numbers.append(double(f));
            embedding = numbers;
        }
        data.append(QJsonObject {{QStringLiteral("object"), QStringLiteral("embedding")},
                                 {QStringLiteral("index"), int(i)},
                                 {QStringLiteral("embedding"), embedding}});
    }
    QJsonObject answer {{QStringLiteral("object"), QStringLiteral("list")},
                        {QStringLiteral("data"), data},
                        {QStringLiteral("model"), request.value(QStringLiteral("model"))}};
    if (withUsage)
        answer.insert(QStringLiteral("usage"),
                      QJsonObject {{QStringLiteral("prompt_tokens"), tokens}, {QStringLiteral("total_tokens"), tokens}});
    return FakeResponse::json(200, QJsonDocument(answer).toJson(QJsonDocument::Compact));
}

} // namespace

std::vector<float> FakeProvider::embedding(const QString &text, int dimensions)
{
    // FNV-1a of the UTF-8, then xorshift64*: the same numbers on every machine.
    quint64 state = 1469598103934665603ull;
    for (char c : text.toUtf8()) {
        state ^= quint8(c);
        state *= 1099511628211ull;
    }
    std::vector<float> v(size_t(std::max(dimensions, 0)));
    for (float &f : v) {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        const quint64 r = state * 2685821657736338717ull;
        f = float(double(r >> 40) / double(1ull << 24) * 2.0 - 1.0);
    }
    return v;
}

int FakeProvider::embeddingTokens(const QString &text)
{
    return int((text.toUtf8().size() + 3) / 4);
}

struct FakeProvider::Private
{
    std::unique_ptr<httplib::Server> server = std::make_unique<httplib::Server>();
    bool tls = false;
    std::thread thread;
    int port = 0;

    std::atomic<int> framesWritten {0};
    mutable std::mutex mutex;
    std::condition_variable wake;
    bool stopping = false;
    std::deque<FakeResponse> script;
    QList<FakeRequest> requests;
    QByteArray requiredKey;
    QStringList models = {QStringLiteral("fake-chat"), QStringLiteral("fake-reasoner")};
    bool modelListAvailable = true;
    int frameDelayMs = 0;
    bool embeddingUsage = true;

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
        // Like OpenAI's, the message quotes the key it was sent (clients must not pass it on).
        std::string sent = req.get_header_value("Authorization");
        if (sent.rfind("Bearer ", 0) == 0)
            sent = sent.substr(7);
        res.status = 401;
        res.set_content(R"({"error":{"message":"Incorrect API key provided: )" + sent
                            + R"(","type":"invalid_request_error","param":null,"code":"invalid_api_key"}})",
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
                                             const bool written = sink.write(frame.constData(), size_t(frame.size()));
                                             ++framesWritten;
                                             return written;
                                         });
    }
};

FakeProvider::FakeProvider()
    : d(std::make_unique<Private>())
{
    configureServer();
}

bool FakeProvider::startTls(const QString &certificatePath, const QString &keyPath, int port)
{
    auto server = std::make_unique<httplib::SSLServer>(certificatePath.toLocal8Bit().constData(),
                                                       keyPath.toLocal8Bit().constData());
    if (!server->is_valid())
        return false;
    d->server = std::move(server);
    d->tls = true;
    configureServer();
    return start(port);
}

void FakeProvider::configureServer()
{
    // Streams hold a worker each; give room for many at once.
    d->server->new_task_queue = [] { return new httplib::ThreadPool(256); };
    d->server->set_tcp_nodelay(true);
    d->server->set_keep_alive_max_count(1000);
    // stop() waits for idle keep-alive connections to time out; keep that wait short.
    d->server->set_keep_alive_timeout(1);

    d->server->Post(R"((.*)/chat/completions)", [this](const httplib::Request &req, httplib::Response &res) {
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
        d->serve(answer(dialectOfPath(req.matches[1].str()), doc.object(), delay), res);
    });

    d->server->Post(R"((.*)/embeddings)", [this](const httplib::Request &req, httplib::Response &res) {
        d->record(req);
        if (!d->authorized(req, res))
            return;
        std::optional<FakeResponse> scripted;
        bool usage = true;
        {
            std::lock_guard lock(d->mutex);
            if (!d->script.empty()) {
                scripted = std::move(d->script.front());
                d->script.pop_front();
            }
            usage = d->embeddingUsage;
        }
        if (scripted) {
            d->serve(std::move(*scripted), res);
            return;
        }
        d->serve(embeddingAnswer(dialectOfPath(req.matches[1].str()), QByteArray::fromStdString(req.body), usage), res);
    });

    d->server->Get(R"((.*)/models)", [this](const httplib::Request &req, httplib::Response &res) {
        d->record(req);
        if (!d->authorized(req, res))
            return;
        QJsonArray data;
        {
            std::lock_guard lock(d->mutex);
            if (!d->modelListAvailable) {
                res.status = 404;
                res.set_content("404 page not found", "text/plain");
                return;
            }
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
        d->port = d->server->bind_to_port("127.0.0.1", port) ? port : -1;
    else
        d->port = d->server->bind_to_any_port("127.0.0.1");
    if (d->port <= 0)
        return false;
    d->thread = std::thread([this] { d->server->listen_after_bind(); });
    // stop() is a no-op until the listen loop runs; wait for it so start-then-stop cannot hang.
    while (!d->server->is_running())
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
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
    d->server->stop();
    if (d->thread.joinable())
        d->thread.join();
}

int FakeProvider::port() const
{
    return d->port;
}

QString FakeProvider::baseUrl() const
{
    return QStringLiteral("%1://127.0.0.1:%2/v1").arg(d->tls ? u"https" : u"http").arg(d->port);
}

QString FakeProvider::baseUrl(FakeDialect dialect) const
{
    if (dialect == FakeDialect::OpenAI)
        return baseUrl();
    return QStringLiteral("%1://127.0.0.1:%2/%3/v1").arg(d->tls ? u"https" : u"http").arg(d->port).arg(dialectName(dialect));
}

QString FakeProvider::dialectName(FakeDialect dialect)
{
    switch (dialect) {
    case FakeDialect::OpenAI: return QStringLiteral("openai");
    case FakeDialect::DeepSeek: return QStringLiteral("deepseek");
    case FakeDialect::Moonshot: return QStringLiteral("moonshot");
    case FakeDialect::MiniMax: return QStringLiteral("minimax");
    case FakeDialect::DashScope: return QStringLiteral("dashscope");
    case FakeDialect::OpenRouter: return QStringLiteral("openrouter");
    }
    return QString();
}

void FakeProvider::enqueue(FakeResponse response)
{
    std::lock_guard lock(d->mutex);
    d->script.push_back(std::move(response));
}

void FakeProvider::setEmbeddingUsage(bool on)
{
    std::lock_guard lock(d->mutex);
    d->embeddingUsage = on;
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

void FakeProvider::setModelListAvailable(bool available)
{
    std::lock_guard lock(d->mutex);
    d->modelListAvailable = available;
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

QByteArray sse(const QJsonObject &object)
{
    return "data: " + QJsonDocument(object).toJson(QJsonDocument::Compact) + "\n\n";
}

} // namespace

FakeResponse FakeProvider::openAiAnswer(const QJsonObject &request, int frameDelayMs)
{
    const QString model = request.value(QStringLiteral("model")).toString(QStringLiteral("fake-chat"));
    const QString answer = answerText(FakeDialect::OpenAI, request);
    const QStringList words = answer.split(QLatin1Char(' '));
    const QJsonObject usage {{QStringLiteral("prompt_tokens"), FakeUsage::prompt},
                             {QStringLiteral("completion_tokens"), FakeUsage::completion},
                             {QStringLiteral("total_tokens"), FakeUsage::prompt + FakeUsage::completion},
                             {QStringLiteral("prompt_tokens_details"), QJsonObject {{QStringLiteral("cached_tokens"), FakeUsage::cached}}}};
    const QString id = QStringLiteral("chatcmpl-fake-%1").arg(qHash(answer), 0, 16);
    const qint64 created = 1764000000;
    const bool withLogprobs = request.value(QStringLiteral("logprobs")).toBool();
    const auto tokenLogprob = [](const QString &token) {
        QJsonArray bytes;
        for (char b : token.toUtf8())
            bytes.append(int(static_cast<unsigned char>(b)));
        return QJsonObject {{QStringLiteral("token"), token}, {QStringLiteral("logprob"), -0.125},
                            {QStringLiteral("bytes"), bytes}, {QStringLiteral("top_logprobs"), QJsonArray()}};
    };

    FakeResponse r;
    if (!request.value(QStringLiteral("stream")).toBool()) {
        const QJsonObject message {{QStringLiteral("role"), QStringLiteral("assistant")},
                                   {QStringLiteral("content"), answer}};
        QJsonObject choice {{QStringLiteral("index"), 0},
                            {QStringLiteral("message"), message},
                            {QStringLiteral("finish_reason"), QStringLiteral("stop")}};
        if (withLogprobs) {
            QJsonArray content;
            for (int i = 0; i < words.size(); ++i)
                content.append(tokenLogprob(i == 0 ? words[i] : QLatin1Char(' ') + words[i]));
            choice.insert(QStringLiteral("logprobs"), QJsonObject {{QStringLiteral("content"), content}});
        }
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
        QJsonObject c = chunk({{QStringLiteral("content"), piece}}, QJsonValue::Null);
        if (withLogprobs) {
            QJsonArray choices = c.value(QStringLiteral("choices")).toArray();
            QJsonObject choice = choices.at(0).toObject();
            choice.insert(QStringLiteral("logprobs"), QJsonObject {{QStringLiteral("content"), QJsonArray {tokenLogprob(piece)}}});
            choices.replace(0, choice);
            c.insert(QStringLiteral("choices"), choices);
        }
        r.frames.append(sse(c));
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

QString FakeProvider::answerText(FakeDialect dialect, const QJsonObject &request)
{
    const QString who = dialect == FakeDialect::OpenAI ? QStringLiteral("the fake provider") : dialectName(dialect);
    return QStringLiteral("Hello from %1. You said: %2").arg(who, lastUserText(request));
}

QString FakeProvider::reasoningText()
{
    return QStringLiteral("The user greets me; 我应该礼貌地回答。");
}

namespace {

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

// Splits text into pieces of about three characters, never inside a UTF-16 surrogate pair.
QStringList pieces(const QString &text)
{
    QStringList out;
    for (qsizetype i = 0; i < text.size();) {
        qsizetype n = std::min<qsizetype>(3, text.size() - i);
        if (text.at(i + n - 1).isHighSurrogate())
            ++n;
        out << text.mid(i, n);
        i += n;
    }
    return out;
}

QJsonObject chunkObject(const QString &model, const QJsonObject &delta, const QJsonValue &finish)
{
    return {{QStringLiteral("id"), QStringLiteral("chatcmpl-fake")},
            {QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
            {QStringLiteral("created"), 1764000000},
            {QStringLiteral("model"), model},
            {QStringLiteral("choices"),
             QJsonArray {QJsonObject {{QStringLiteral("index"), 0}, {QStringLiteral("delta"), delta},
                                      {QStringLiteral("finish_reason"), finish}}}}};
}

QJsonObject openAiUsage()
{
    return {{QStringLiteral("prompt_tokens"), FakeUsage::prompt},
            {QStringLiteral("completion_tokens"), FakeUsage::completion},
            {QStringLiteral("total_tokens"), FakeUsage::prompt + FakeUsage::completion},
            {QStringLiteral("prompt_tokens_details"), QJsonObject {{QStringLiteral("cached_tokens"), FakeUsage::cached}}},
            {QStringLiteral("completion_tokens_details"), QJsonObject {{QStringLiteral("reasoning_tokens"), FakeUsage::reasoning}}}};
}

} // namespace

namespace {

FakeResponse errorJson(int status, const QString &message, const QString &code = QStringLiteral("invalid_request_error"))
{
    const QJsonObject e {{QStringLiteral("message"), message}, {QStringLiteral("type"), QStringLiteral("invalid_request_error")},
                         {QStringLiteral("param"), QJsonValue::Null}, {QStringLiteral("code"), code}};
    return FakeResponse::json(status, compact(QJsonObject {{QStringLiteral("error"), e}}));
}

bool kimiFixedSampling(const QString &model)
{
    return model.startsWith(QLatin1String("kimi-k2.6")) || model.startsWith(QLatin1String("kimi-k2.7"))
           || model.startsWith(QLatin1String("kimi-k3"));
}

// What the real providers refuse (../shared/reference/providers.md), so that a request Switchyard
// failed to adapt fails here as it would there.
std::optional<FakeResponse> refusal(FakeDialect dialect, const QJsonObject &request)
{
    const QJsonArray messages = request.value(QStringLiteral("messages")).toArray();
    const QString model = request.value(QStringLiteral("model")).toString();
    const QString format = request.value(QStringLiteral("response_format")).toObject().value(QStringLiteral("type")).toString();
    switch (dialect) {
    case FakeDialect::DeepSeek: {
        for (const QJsonValue &v : messages) {
            if (v.toObject().value(QStringLiteral("role")).toString() == u"developer")
                return errorJson(400, QStringLiteral("Failed to deserialize the JSON body into the target type: messages[0].role: "
                                                     "unknown variant `developer`, expected one of `system`, `user`, "
                                                     "`assistant`, `tool`, `latest_reminder`"));
        }
        const bool thinking = request.value(QStringLiteral("thinking")).toObject().value(QStringLiteral("type")).toString() != u"disabled";
        for (const QJsonValue &v : messages) {
            const QJsonObject m = v.toObject();
            if (thinking && m.value(QStringLiteral("role")).toString() == u"assistant"
                && !m.value(QStringLiteral("tool_calls")).toArray().isEmpty()
                && m.value(QStringLiteral("reasoning_content")).toString().isEmpty())
                return errorJson(400, QStringLiteral("The reasoning_content in the thinking mode must be passed back to the API."));
        }
        if (format == u"json_schema")
            return errorJson(400, QStringLiteral("This response_format type is unavailable now"));
        break;
    }
    case FakeDialect::Moonshot:
        if (format == u"json_schema")
            return errorJson(400, QStringLiteral("response_format type json_schema is not supported"));
        if (kimiFixedSampling(model) && request.contains(QStringLiteral("temperature"))
            && request.value(QStringLiteral("temperature")).toDouble() != 1.0)
            return errorJson(400, QStringLiteral("invalid temperature: only 1 is allowed for this model"));
        if (!model.startsWith(QLatin1String("kimi-k3")) && request.value(QStringLiteral("tool_choice")).toString() == u"required")
            return errorJson(400, QStringLiteral("tool_choice 'required' is not supported for this model"));
        break;
    case FakeDialect::MiniMax:
        for (const char *field : {"tool_choice", "response_format", "parallel_tool_calls", "seed"}) {
            if (request.contains(QLatin1String(field))) {
                const QJsonObject body {{QStringLiteral("id"), QStringLiteral("fake")},
                                        {QStringLiteral("base_resp"),
                                         QJsonObject {{QStringLiteral("status_code"), 2013},
                                                      {QStringLiteral("status_msg"),
                                                       QStringLiteral("invalid params, unsupported field: %1").arg(QLatin1String(field))}}}};
                return FakeResponse::json(200, compact(body));
            }
        }
        break;
    case FakeDialect::DashScope:
    case FakeDialect::OpenRouter:
    case FakeDialect::OpenAI:
        break;
    }
    return std::nullopt;
}

// A value that satisfies `schema`, for tool arguments and JSON answers.
QJsonValue instanceOf(const QJsonObject &schema, const QString &name, int depth = 0)
{
    if (depth > 8)
        return QJsonValue::Null;
    if (schema.contains(QStringLiteral("enum")))
        return schema.value(QStringLiteral("enum")).toArray().first();
    for (const char *alternatives : {"anyOf", "oneOf"}) {
        const QJsonArray options = schema.value(QLatin1String(alternatives)).toArray();
        if (!options.isEmpty())
            return instanceOf(options.first().toObject(), name, depth + 1);
    }
    QString type = schema.value(QStringLiteral("type")).toString();
    if (schema.value(QStringLiteral("type")).isArray())
        type = schema.value(QStringLiteral("type")).toArray().first().toString();
    if (type.isEmpty() && schema.contains(QStringLiteral("properties")))
        type = QStringLiteral("object");
    if (type == u"object") {
        QJsonObject o;
        const QJsonObject properties = schema.value(QStringLiteral("properties")).toObject();
        for (auto it = properties.begin(); it != properties.end(); ++it)
            o.insert(it.key(), instanceOf(it.value().toObject(), it.key(), depth + 1));
        return o;
    }
    if (type == u"array")
        return QJsonArray {instanceOf(schema.value(QStringLiteral("items")).toObject(), name, depth + 1)};
    if (type == u"number" || type == u"integer")
        return 21;
    if (type == u"boolean")
        return true;
    if (type == u"null")
        return QJsonValue::Null;
    return name.contains(QLatin1String("city"), Qt::CaseInsensitive) || name.contains(QLatin1String("location"), Qt::CaseInsensitive)
               ? QStringLiteral("Paris")
               : QStringLiteral("sample");
}

// A JSON schema written into the messages' text (JSON mode, or JSON asked for in words).
QJsonObject schemaInMessages(const QJsonArray &messages)
{
    for (const QJsonValue &v : messages) {
        const QString text = v.toObject().value(QStringLiteral("content")).toString();
        int starts = 0;
        for (qsizetype p = text.indexOf(QLatin1Char('{')); p >= 0 && starts < 50; p = text.indexOf(QLatin1Char('{'), p + 1), ++starts) {
            int ends = 0;
            for (qsizetype q = text.lastIndexOf(QLatin1Char('}')); q > p && ends < 50; q = text.lastIndexOf(QLatin1Char('}'), q - 1), ++ends) {
                const QJsonDocument doc = QJsonDocument::fromJson(text.mid(p, q - p + 1).toUtf8());
                if (doc.isObject() && doc.object().contains(QStringLiteral("properties")))
                    return doc.object();
            }
        }
    }
    return {};
}

bool asksForJsonInWords(const QJsonArray &messages)
{
    for (const QJsonValue &v : messages) {
        const QJsonObject m = v.toObject();
        if (m.value(QStringLiteral("role")).toString() == u"system"
            && m.value(QStringLiteral("content")).toString().contains(QLatin1String("JSON"), Qt::CaseSensitive))
            return true;
    }
    return false;
}

QString newCallId()
{
    static std::atomic_int next {0};
    return QStringLiteral("call_%1_%2").arg(QDateTime::currentMSecsSinceEpoch() % 1000000).arg(++next);
}

// Tool calls, or an answer to tool results, or a JSON answer, in any dialect; std::nullopt for a
// request that asks for none of them (the dialect's own built-in answer takes it).
std::optional<FakeResponse> structuredAnswer(FakeDialect dialect, const QJsonObject &request, int frameDelayMs)
{
    const QJsonArray messages = request.value(QStringLiteral("messages")).toArray();
    const QJsonArray tools = request.value(QStringLiteral("tools")).toArray();
    const QJsonValue toolChoice = request.value(QStringLiteral("tool_choice"));
    const QJsonObject format = request.value(QStringLiteral("response_format")).toObject();
    const QString formatType = format.value(QStringLiteral("type")).toString();
    const QString lastRole = messages.isEmpty() ? QString() : messages.last().toObject().value(QStringLiteral("role")).toString();
    const bool forced = toolChoice.isObject() || toolChoice.toString() == u"required";

    QString text;
    QJsonArray calls;
    if (lastRole == u"tool") {
        QStringList results;
        for (qsizetype i = messages.size() - 1; i >= 0 && messages.at(i).toObject().value(QStringLiteral("role")).toString() == u"tool"; --i)
            results.prepend(messages.at(i).toObject().value(QStringLiteral("content")).toString());
        text = QStringLiteral("Done: ") + results.join(QStringLiteral(", "));
    } else if (!tools.isEmpty() && toolChoice.toString() != u"none"
               && (forced || QRegularExpression(QStringLiteral("weather|time|tool"), QRegularExpression::CaseInsensitiveOption)
                                 .match(lastUserText(request)).hasMatch())) {
        const QString named = toolChoice.toObject().value(QStringLiteral("function")).toObject().value(QStringLiteral("name")).toString();
        const bool parallel = request.value(QStringLiteral("parallel_tool_calls")).toBool(true);
        for (const QJsonValue &t : tools) {
            const QJsonObject function = t.toObject().value(QStringLiteral("function")).toObject();
            const QString name = function.value(QStringLiteral("name")).toString();
            if (!named.isEmpty() && name != named)
                continue;
            const QJsonValue args = instanceOf(function.value(QStringLiteral("parameters")).toObject(), name);
            calls.append(QJsonObject {{QStringLiteral("id"), newCallId()},
                                      {QStringLiteral("type"), QStringLiteral("function")},
                                      {QStringLiteral("function"),
                                       QJsonObject {{QStringLiteral("name"), name},
                                                    {QStringLiteral("arguments"),
                                                     QString::fromUtf8(QJsonDocument(args.toObject()).toJson(QJsonDocument::Compact))}}}});
            if (!parallel)
                break;
        }
    } else if (formatType == u"json_schema" || formatType == u"json_object" || asksForJsonInWords(messages)) {
        QJsonObject schema = format.value(QStringLiteral("json_schema")).toObject().value(QStringLiteral("schema")).toObject();
        if (schema.isEmpty())
            schema = schemaInMessages(messages);
        const QJsonValue value = schema.isEmpty() ? QJsonValue(QJsonObject {{QStringLiteral("answer"), lastUserText(request)}})
                                                  : instanceOf(schema, QString());
        text = QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
        if (dialect == FakeDialect::MiniMax && formatType.isEmpty())
            text = QStringLiteral("```json\n") + text + QStringLiteral("\n```");   // as models asked in words often do
    } else {
        return std::nullopt;
    }

    const QString model = request.value(QStringLiteral("model")).toString();
    const bool thinks = (dialect == FakeDialect::DeepSeek || dialect == FakeDialect::Moonshot || dialect == FakeDialect::MiniMax)
                        && request.value(QStringLiteral("thinking")).toObject().value(QStringLiteral("type")).toString() != u"disabled";
    const QString reasoning = thinks ? QStringLiteral("Working out which tool or field to use.") : QString();
    const QString finish = calls.isEmpty() ? QStringLiteral("stop") : QStringLiteral("tool_calls");
    QJsonObject usage = openAiUsage();
    if (dialect == FakeDialect::DeepSeek) {
        usage.insert(QStringLiteral("prompt_cache_hit_tokens"), FakeUsage::cached);
        usage.insert(QStringLiteral("prompt_cache_miss_tokens"), FakeUsage::prompt - FakeUsage::cached);
    }

    if (!request.value(QStringLiteral("stream")).toBool()) {
        QJsonObject message {{QStringLiteral("role"), QStringLiteral("assistant")},
                             {QStringLiteral("content"), calls.isEmpty() ? QJsonValue(text) : QJsonValue(QJsonValue::Null)}};
        if (!reasoning.isEmpty())
            message.insert(QStringLiteral("reasoning_content"), reasoning);
        if (!calls.isEmpty())
            message.insert(QStringLiteral("tool_calls"), calls);   // a whole message's calls carry no index
        const QJsonObject body {{QStringLiteral("id"), QStringLiteral("chatcmpl-fake")},
                                {QStringLiteral("object"), QStringLiteral("chat.completion")},
                                {QStringLiteral("model"), model},
                                {QStringLiteral("choices"),
                                 QJsonArray {QJsonObject {{QStringLiteral("index"), 0}, {QStringLiteral("message"), message},
                                                          {QStringLiteral("finish_reason"), finish}}}},
                                {QStringLiteral("usage"), usage}};
        return FakeResponse::json(200, compact(body));
    }
    FakeResponse r;
    r.frameDelayMs = frameDelayMs;
    auto frame = [&](const QJsonObject &o) { r.frames.append("data: " + compact(o) + "\n\n"); };
    frame(chunkObject(model, {{QStringLiteral("role"), QStringLiteral("assistant")}, {QStringLiteral("content"), QString()}}, QJsonValue::Null));
    for (const QString &p : pieces(reasoning))
        frame(chunkObject(model, {{QStringLiteral("reasoning_content"), p}}, QJsonValue::Null));
    for (const QString &p : pieces(text))
        frame(chunkObject(model, {{QStringLiteral("content"), p}}, QJsonValue::Null));
    for (int i = 0; i < calls.size(); ++i) {
        const QJsonObject call = calls.at(i).toObject();
        const QJsonObject function = call.value(QStringLiteral("function")).toObject();
        QJsonObject head = call;
        head.insert(QStringLiteral("index"), i);
        head.insert(QStringLiteral("function"), QJsonObject {{QStringLiteral("name"), function.value(QStringLiteral("name"))},
                                                             {QStringLiteral("arguments"), QString()}});
        frame(chunkObject(model, {{QStringLiteral("tool_calls"), QJsonArray {head}}}, QJsonValue::Null));
        const QString args = function.value(QStringLiteral("arguments")).toString();
        const qsizetype half = args.size() / 2;
        for (const QString &piece : {args.left(half), args.mid(half)})
            frame(chunkObject(model,
                              {{QStringLiteral("tool_calls"),
                                QJsonArray {QJsonObject {{QStringLiteral("index"), i},
                                                         {QStringLiteral("function"), QJsonObject {{QStringLiteral("arguments"), piece}}}}}}},
                              QJsonValue::Null));
    }
    frame(chunkObject(model, {}, finish));
    frame({{QStringLiteral("id"), QStringLiteral("chatcmpl-fake")},
           {QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
           {QStringLiteral("model"), model},
           {QStringLiteral("choices"), QJsonArray()},
           {QStringLiteral("usage"), usage}});
    r.frames.append("data: [DONE]\n\n");
    return r;
}

} // namespace

FakeResponse FakeProvider::answer(FakeDialect dialect, const QJsonObject &request, int frameDelayMs)
{
    if (std::optional<FakeResponse> refused = refusal(dialect, request))
        return *refused;
    if (std::optional<FakeResponse> structured = structuredAnswer(dialect, request, frameDelayMs))
        return *structured;
    if (dialect == FakeDialect::OpenAI)
        return openAiAnswer(request, frameDelayMs);
    const QString model = request.value(QStringLiteral("model")).toString();
    const QString text = answerText(dialect, request);
    const QString reasoning = reasoningText();
    const bool stream = request.value(QStringLiteral("stream")).toBool();
    const bool includeUsage = request.value(QStringLiteral("stream_options")).toObject().value(QStringLiteral("include_usage")).toBool();

    if (!stream) {
        QJsonObject message {{QStringLiteral("role"), QStringLiteral("assistant")}, {QStringLiteral("content"), text},
                             {QStringLiteral("reasoning_content"), reasoning}};
        QJsonObject usage = openAiUsage();
        if (dialect == FakeDialect::MiniMax)
            message.insert(QStringLiteral("content"), QStringLiteral("<think>%1</think>\n\n%2").arg(reasoning, text)),
                message.remove(QStringLiteral("reasoning_content"));
        if (dialect == FakeDialect::DeepSeek) {
            usage.insert(QStringLiteral("prompt_cache_hit_tokens"), FakeUsage::cached);
            usage.insert(QStringLiteral("prompt_cache_miss_tokens"), FakeUsage::prompt - FakeUsage::cached);
        }
        QJsonObject body {{QStringLiteral("id"), QStringLiteral("chatcmpl-fake")},
                          {QStringLiteral("object"), QStringLiteral("chat.completion")},
                          {QStringLiteral("model"), model},
                          {QStringLiteral("choices"),
                           QJsonArray {QJsonObject {{QStringLiteral("index"), 0}, {QStringLiteral("message"), message},
                                                    {QStringLiteral("finish_reason"), QStringLiteral("stop")}}}},
                          {QStringLiteral("usage"), usage}};
        if (dialect == FakeDialect::MiniMax)
            body.insert(QStringLiteral("base_resp"), QJsonObject {{QStringLiteral("status_code"), 0}, {QStringLiteral("status_msg"), QString()}});
        // DeepSeek keeps a queued non-streaming request open with blank lines before the body.
        const QByteArray lead = dialect == FakeDialect::DeepSeek ? QByteArray("\n\n") : QByteArray();
        return FakeResponse::json(200, lead + compact(body));
    }

    FakeResponse r;
    r.frameDelayMs = frameDelayMs;
    QByteArray eol = "\n";
    if (dialect == FakeDialect::DashScope)
        eol = "\r\n";   // exercise CRLF framing
    auto frame = [&](const QJsonObject &o, bool space = true) {
        r.frames.append((space ? "data: " : "data:") + compact(o) + eol + eol);
    };
    const QStringList reasoningPieces = pieces(reasoning);
    const QStringList textPieces = pieces(text);

    switch (dialect) {
    case FakeDialect::DeepSeek: {
        r.frames.append(": keep-alive\n\n");
        frame(chunkObject(model, {{QStringLiteral("role"), QStringLiteral("assistant")}, {QStringLiteral("content"), QJsonValue::Null},
                                  {QStringLiteral("reasoning_content"), QString()}},
                          QJsonValue::Null));
        for (const QString &p : reasoningPieces)
            frame(chunkObject(model, {{QStringLiteral("content"), QJsonValue::Null}, {QStringLiteral("reasoning_content"), p}}, QJsonValue::Null));
        r.frames.append(": keep-alive\n\n");
        for (const QString &p : textPieces)
            frame(chunkObject(model, {{QStringLiteral("content"), p}, {QStringLiteral("reasoning_content"), QJsonValue::Null}}, QJsonValue::Null));
        QJsonObject last = chunkObject(model, {{QStringLiteral("content"), QString()}, {QStringLiteral("reasoning_content"), QJsonValue::Null}},
                                       QStringLiteral("stop"));
        QJsonObject usage = openAiUsage();
        usage.insert(QStringLiteral("prompt_cache_hit_tokens"), FakeUsage::cached);
        usage.insert(QStringLiteral("prompt_cache_miss_tokens"), FakeUsage::prompt - FakeUsage::cached);
        last.insert(QStringLiteral("usage"), usage);   // on the last content chunk, asked for or not
        frame(last);
        r.frames.append("data: [DONE]\n\n");
        break;
    }
    case FakeDialect::Moonshot: {
        for (const QString &p : reasoningPieces)
            frame(chunkObject(model, {{QStringLiteral("reasoning_content"), p}}, QJsonValue::Null));
        for (const QString &p : textPieces)
            frame(chunkObject(model, {{QStringLiteral("content"), p}}, QJsonValue::Null));
        QJsonObject last = chunkObject(model, {}, QStringLiteral("stop"));
        QJsonArray choices = last.value(QStringLiteral("choices")).toArray();
        QJsonObject choice = choices.at(0).toObject();
        QJsonObject usage {{QStringLiteral("prompt_tokens"), FakeUsage::prompt},
                           {QStringLiteral("completion_tokens"), FakeUsage::completion},
                           {QStringLiteral("total_tokens"), FakeUsage::prompt + FakeUsage::completion},
                           {QStringLiteral("cached_tokens"), FakeUsage::cached}};
        choice.insert(QStringLiteral("usage"), usage);   // Kimi: inside choices[0]
        choices.replace(0, choice);
        last.insert(QStringLiteral("choices"), choices);
        frame(last);
        r.frames.append("data: [DONE]\n\n");
        break;
    }
    case FakeDialect::MiniMax: {
        auto mm = [&](QJsonObject delta, const QJsonValue &finish) {
            delta.insert(QStringLiteral("role"), QStringLiteral("assistant"));
            delta.insert(QStringLiteral("name"), QStringLiteral("MiniMax AI"));
            delta.insert(QStringLiteral("audio_content"), QString());
            QJsonObject o = chunkObject(model, delta, finish);
            o.insert(QStringLiteral("usage"), QJsonValue::Null);
            o.insert(QStringLiteral("input_sensitive"), false);
            o.insert(QStringLiteral("output_sensitive"), false);
            frame(o);
        };
        // An early chunk with an empty role and a usage object that has no counts.
        QJsonObject early = chunkObject(model, {{QStringLiteral("role"), QString()}, {QStringLiteral("reasoning_content"), QString()}},
                                        QJsonValue::Null);
        early.insert(QStringLiteral("usage"), QJsonObject {{QStringLiteral("total_tokens"), 0}, {QStringLiteral("total_characters"), 0}});
        frame(early);
        for (const QString &p : reasoningPieces)
            mm({{QStringLiteral("reasoning_content"), p},
                {QStringLiteral("reasoning_details"),
                 QJsonArray {QJsonObject {{QStringLiteral("type"), QStringLiteral("reasoning.text")},
                                          {QStringLiteral("id"), QStringLiteral("reasoning-text-1")},
                                          {QStringLiteral("text"), p}}}}},
               QJsonValue::Null);
        for (qsizetype i = 0; i < textPieces.size(); ++i)
            mm({{QStringLiteral("content"), textPieces[i]}},
               i + 1 == textPieces.size() ? QJsonValue(QStringLiteral("stop")) : QJsonValue(QJsonValue::Null));
        QJsonObject usageChunk {{QStringLiteral("id"), QStringLiteral("chatcmpl-fake")},
                                {QStringLiteral("choices"), QJsonArray()},
                                {QStringLiteral("model"), model},
                                {QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
                                {QStringLiteral("usage"), openAiUsage()},
                                {QStringLiteral("base_resp"), QJsonObject {{QStringLiteral("status_code"), 0}, {QStringLiteral("status_msg"), QString()}}}};
        frame(usageChunk);
        // M3 closes with the whole message again; appending it would duplicate the answer.
        QJsonObject full {{QStringLiteral("id"), QStringLiteral("chatcmpl-fake")},
                          {QStringLiteral("object"), QStringLiteral("chat.completion")},
                          {QStringLiteral("model"), model},
                          {QStringLiteral("choices"),
                           QJsonArray {QJsonObject {{QStringLiteral("index"), 0},
                                                    {QStringLiteral("finish_reason"), QStringLiteral("stop")},
                                                    {QStringLiteral("message"),
                                                     QJsonObject {{QStringLiteral("role"), QStringLiteral("assistant")},
                                                                  {QStringLiteral("content"), text},
                                                                  {QStringLiteral("reasoning_content"), reasoning}}}}}},
                          {QStringLiteral("usage"), openAiUsage()},
                          {QStringLiteral("base_resp"), QJsonObject {{QStringLiteral("status_code"), 0}, {QStringLiteral("status_msg"), QString()}}}};
        frame(full);
        break;   // no [DONE]
    }
    case FakeDialect::DashScope: {
        auto ds = [&](const QJsonObject &delta, const QJsonValue &finish) {
            QJsonObject o = chunkObject(model, delta, finish);
            o.insert(QStringLiteral("usage"), QJsonValue::Null);
            o.insert(QStringLiteral("system_fingerprint"), QJsonValue::Null);
            frame(o);
        };
        ds({{QStringLiteral("content"), QString()}, {QStringLiteral("role"), QStringLiteral("assistant")}}, QJsonValue::Null);
        for (const QString &p : reasoningPieces)
            ds({{QStringLiteral("content"), QJsonValue::Null}, {QStringLiteral("reasoning_content"), p}}, QJsonValue::Null);
        for (const QString &p : textPieces)
            ds({{QStringLiteral("content"), p}}, QJsonValue::Null);
        ds({{QStringLiteral("content"), QString()}}, QStringLiteral("stop"));
        if (includeUsage) {
            QJsonObject u {{QStringLiteral("choices"), QJsonArray()},
                           {QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
                           {QStringLiteral("usage"), openAiUsage()},
                           {QStringLiteral("model"), model}};
            frame(u);
        }
        r.frames.append("data: [DONE]" + eol + eol);
        break;
    }
    case FakeDialect::OpenRouter: {
        r.frames.append(": OPENROUTER PROCESSING\n\n");
        for (const QString &p : reasoningPieces)
            frame(chunkObject(model, {{QStringLiteral("role"), QStringLiteral("assistant")}, {QStringLiteral("content"), QString()},
                                      {QStringLiteral("reasoning"), p}},
                              QJsonValue::Null),
                  false);
        r.frames.append(": OPENROUTER PROCESSING\n\n");
        for (const QString &p : textPieces)
            frame(chunkObject(model, {{QStringLiteral("content"), p}}, QJsonValue::Null));
        frame(chunkObject(model, {}, QStringLiteral("stop")));
        QJsonObject usage = openAiUsage();
        usage.insert(QStringLiteral("cost"), FakeUsage::openRouterCost);
        frame({{QStringLiteral("id"), QStringLiteral("gen-fake")},
               {QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
               {QStringLiteral("choices"), QJsonArray()},
               {QStringLiteral("usage"), usage}});
        r.frames.append("data: [DONE]\n\n");
        break;
    }
    case FakeDialect::OpenAI:
        break;
    }
    return r;
}

int FakeProvider::framesWritten() const
{
    return d->framesWritten;
}
