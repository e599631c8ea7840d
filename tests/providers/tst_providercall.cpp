// The real client against the fake provider over loopback: every dialect, streaming and not, and
// every fault.
#include "FakeProvider.h"
#include "ProviderCall.h"

#include "HttpClient.h"

#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QSignalSpy>
#include <QTest>

Q_DECLARE_METATYPE(FakeDialect)
Q_DECLARE_METATYPE(Dialect)

class TestProviderCall : public QObject
{
    Q_OBJECT

    QNetworkAccessManager nam;
    NetworkManagerUpstream namUpstream {&nam};
    HttpClient httpClient;
    std::unique_ptr<FakeProvider> fake;

    // ctest runs this suite twice: over QNetworkAccessManager (the window's way) and over
    // HttpClient (the local endpoint's), with SWITCHYARD_TEST_UPSTREAM=http-client.
    Upstream *upstream()
    {
        if (qEnvironmentVariable("SWITCHYARD_TEST_UPSTREAM") == u"http-client")
            return &httpClient;
        return &namUpstream;
    }

    ProviderConfig provider(Dialect dialect, FakeDialect fakeDialect) const
    {
        ProviderConfig p;
        p.id = QStringLiteral("p");
        p.dialect = dialect;
        p.baseUrl = QUrl(fake->baseUrl(fakeDialect));
        return p;
    }

    static ModelConfig model()
    {
        ModelConfig m;
        m.name = QStringLiteral("test-model");
        m.id = QStringLiteral("test-model-id");
        m.reasoning = true;
        return m;
    }

    static ChatRequest request(bool stream = true)
    {
        ChatRequest r;
        r.messages = {ChatMessage::text(QStringLiteral("user"), QStringLiteral("你好, world"))};
        r.stream = stream;
        return r;
    }

    struct Outcome
    {
        CallResult result;
        QList<StreamEvent> events;
    };

    Outcome call(const ProviderConfig &p, const ChatRequest &r, CallTimeouts timeouts = {1000, 1000, 10000})
    {
        ProviderCall c(upstream(), p, model(), r, QStringLiteral("sk-test"), timeouts);
        Outcome o;
        connect(&c, &ProviderCall::streamEvent, &c, [&o](const StreamEvent &ev) { o.events << ev; });
        QSignalSpy finished(&c, &ProviderCall::finished);
        c.start();
        if (!finished.wait(15000))
            qFatal("the call never finished");
        QTest::qWait(100);   // a second report would come now
        if (finished.count() != 1)
            qFatal("the call reported %d times", int(finished.count()));
        o.result = c.result();
        return o;
    }

private slots:
    void initTestCase() { nam.setProxy(QNetworkProxy::NoProxy); }
    void init()
    {
        qunsetenv("DISABLE_STREAMING_BETA");
        fake = std::make_unique<FakeProvider>();
        QVERIFY(fake->start());
    }
    void cleanup()
    {
        nam.clearConnectionCache();
        httpClient.closeIdleConnections();
        fake.reset();
    }

    void dialects_data()
    {
        QTest::addColumn<Dialect>("dialect");
        QTest::addColumn<FakeDialect>("fakeDialect");
        QTest::addColumn<bool>("stream");
        QTest::addColumn<bool>("hasCost");
        const QList<std::tuple<const char *, Dialect, FakeDialect>> all = {
            {"deepseek", Dialect::DeepSeek, FakeDialect::DeepSeek},
            {"moonshot", Dialect::Moonshot, FakeDialect::Moonshot},
            {"minimax", Dialect::MiniMax, FakeDialect::MiniMax},
            {"dashscope", Dialect::DashScope, FakeDialect::DashScope},
            {"openrouter", Dialect::OpenRouter, FakeDialect::OpenRouter},
            {"openai", Dialect::OpenAI, FakeDialect::OpenAI},
        };
        for (const auto &[name, dialect, fakeDialect] : all) {
            QTest::newRow(qPrintable(QStringLiteral("%1 stream").arg(QLatin1String(name))))
                << dialect << fakeDialect << true << (fakeDialect == FakeDialect::OpenRouter);
            QTest::newRow(qPrintable(QStringLiteral("%1 whole").arg(QLatin1String(name))))
                << dialect << fakeDialect << false << false;
        }
    }

    // The tokens the provider reported come out: not zero, not double.
    void dialects()
    {
        QFETCH(Dialect, dialect);
        QFETCH(FakeDialect, fakeDialect);
        QFETCH(bool, stream);
        QFETCH(bool, hasCost);
        const Outcome o = call(provider(dialect, fakeDialect), request(stream));
        QVERIFY2(o.result.ok(), qPrintable(o.result.error ? o.result.error->describe() : QString()));
        QCOMPARE(o.result.streamed, stream);
        QCOMPARE(o.result.finishReason, QStringLiteral("stop"));
        const QJsonObject sent = fake->requests().constLast().json();
        QCOMPARE(o.result.content, FakeProvider::answerText(fakeDialect, sent));
        if (fakeDialect != FakeDialect::OpenAI)
            QCOMPARE(o.result.reasoning, FakeProvider::reasoningText());
        QCOMPARE(o.result.usage.promptTokens, FakeUsage::prompt);
        QCOMPARE(o.result.usage.cachedTokens, FakeUsage::cached);
        QCOMPARE(o.result.usage.completionTokens, FakeUsage::completion);
        if (fakeDialect != FakeDialect::Moonshot && fakeDialect != FakeDialect::OpenAI)
            QCOMPARE(o.result.usage.reasoningTokens, FakeUsage::reasoning);
        QCOMPARE(o.result.usage.costMicrosUsd, hasCost ? qRound64(FakeUsage::openRouterCost * 1e6) : -1);
        QVERIFY(o.result.ttftMs >= 0);
        int usageEvents = 0;
        for (const StreamEvent &ev : o.events)
            usageEvents += ev.kind == StreamEvent::Kind::Usage;
        QCOMPARE(usageEvents, 1);
        QCOMPARE(o.events.constLast().kind, StreamEvent::Kind::Finish);
        if (stream) {
            QVERIFY(sent[QStringLiteral("stream_options")][QStringLiteral("include_usage")].toBool());
            // Streamed as many deltas, not one block.
            int deltas = 0;
            for (const StreamEvent &ev : o.events)
                deltas += ev.kind == StreamEvent::Kind::Content;
            QVERIFY(deltas > 3);
        }
    }

    void disableStreamingBeta()
    {
        qputenv("DISABLE_STREAMING_BETA", "1");
        const Outcome o = call(provider(Dialect::DeepSeek, FakeDialect::DeepSeek), request(true));
        QVERIFY(o.result.ok());
        QVERIFY(!o.result.streamed);
        QVERIFY(!fake->requests().constLast().json()[QStringLiteral("stream")].toBool());
        QCOMPARE(o.result.usage.completionTokens, FakeUsage::completion);
    }

    void faults_data()
    {
        QTest::addColumn<int>("which");
        QTest::addColumn<QString>("expectedClass");
        QTest::addColumn<int>("status");
        QTest::addColumn<int>("retryAfter");
        QTest::addColumn<QString>("partial");
        QTest::newRow("429 with Retry-After") << 0 << QStringLiteral("rate_limit") << 429 << 1 << QString();
        QTest::newRow("429 without Retry-After") << 1 << QStringLiteral("rate_limit") << 429 << -1 << QString();
        QTest::newRow("402") << 2 << QStringLiteral("balance") << 402 << -1 << QString();
        QTest::newRow("500") << 3 << QStringLiteral("server") << 500 << -1 << QString();
        QTest::newRow("503") << 4 << QStringLiteral("overloaded") << 503 << -1 << QString();
        QTest::newRow("html page") << 5 << QStringLiteral("server") << 502 << -1 << QString();
        QTest::newRow("minimax 200 base_resp") << 6 << QStringLiteral("balance") << 200 << -1 << QString();
        QTest::newRow("broken json") << 7 << QStringLiteral("server") << 200 << -1 << QStringLiteral("Hel");
        QTest::newRow("context overflow") << 8 << QStringLiteral("context_overflow") << 400 << -1 << QString();
        QTest::newRow("401") << 9 << QStringLiteral("auth") << 401 << -1 << QString();
    }

    void faults()
    {
        QFETCH(int, which);
        QFETCH(QString, expectedClass);
        QFETCH(int, status);
        QFETCH(int, retryAfter);
        QFETCH(QString, partial);
        const FakeResponse responses[] = {
            FakeResponse::rateLimited(1), FakeResponse::rateLimited(), FakeResponse::insufficientBalance(),
            FakeResponse::serverError(), FakeResponse::overloaded(), FakeResponse::htmlErrorPage(),
            FakeResponse::miniMaxBaseRespError(), FakeResponse::brokenJsonStream(), FakeResponse::contextOverflow(131072),
            FakeResponse::authFailed(),
        };
        fake->enqueue(responses[which]);
        const Outcome o = call(provider(Dialect::MiniMax, FakeDialect::MiniMax), request(true));
        QVERIFY(o.result.error.has_value());
        QCOMPARE(errorClassName(o.result.error->errorClass), expectedClass);
        QCOMPARE(o.result.error->httpStatus, status);
        QCOMPARE(o.result.httpStatus, status);
        QCOMPARE(o.result.error->retryAfterSeconds, retryAfter);
        QCOMPARE(o.result.content, partial);
        QVERIFY(!o.result.error->providerMessage.isEmpty());
        if (which == 5)
            QCOMPARE(o.result.error->providerMessage, QStringLiteral("502 Bad Gateway"));
        if (which == 8)
            QCOMPARE(o.result.error->contextLimit, 131072);
        QCOMPARE(o.events.constLast().kind, StreamEvent::Kind::Error);
    }

    void noHeadersTimesOut()
    {
        FakeResponse r;
        r.fault = FakeResponse::Fault::StallBeforeHeaders;
        fake->enqueue(r);
        const Outcome o = call(provider(Dialect::DeepSeek, FakeDialect::DeepSeek), request(), {300, 5000, 10000});
        QCOMPARE(o.result.error->errorClass, ErrorClass::Timeout);
        QVERIFY(o.result.error->providerMessage.contains(QStringLiteral("no answer")));
        QVERIFY(o.result.totalMs < 3000);
    }

    void stallMidStreamKeepsThePartialAnswer()
    {
        FakeResponse r = FakeProvider::answer(FakeDialect::DeepSeek, request().messages.isEmpty() ? QJsonObject() : QJsonObject {
            {QStringLiteral("model"), QStringLiteral("m")}, {QStringLiteral("stream"), true},
            {QStringLiteral("messages"), QJsonArray {QJsonObject {{QStringLiteral("role"), QStringLiteral("user")}, {QStringLiteral("content"), QStringLiteral("x")}}}}});
        r.fault = FakeResponse::Fault::StallAfterFrames;
        r.faultAfterFrames = int(r.frames.size()) - 3;
        fake->enqueue(r);
        const Outcome o = call(provider(Dialect::DeepSeek, FakeDialect::DeepSeek), request(), {5000, 300, 10000});
        QCOMPARE(o.result.error->errorClass, ErrorClass::Timeout);
        QVERIFY(o.result.error->providerMessage.contains(QStringLiteral("no data")));
        QVERIFY(!o.result.content.isEmpty());
        QVERIFY(o.result.content.startsWith(QStringLiteral("Hello from")));
    }

    void keepAlivesDoNotCountAsActivity()
    {
        FakeResponse r;
        r.frameDelayMs = 100;
        for (int i = 0; i < 30; ++i)
            r.frames.append(": keep-alive\n\n");
        fake->enqueue(r);
        const Outcome o = call(provider(Dialect::DeepSeek, FakeDialect::DeepSeek), request(), {5000, 500, 10000});
        QCOMPARE(o.result.error->errorClass, ErrorClass::Timeout);
        QVERIFY(o.result.totalMs < 2500);   // long before the 3 s of keep-alives ended
    }

    void resetMidStreamIsTruncated()
    {
        FakeResponse r = FakeProvider::answer(FakeDialect::Moonshot, QJsonObject {
            {QStringLiteral("model"), QStringLiteral("m")}, {QStringLiteral("stream"), true},
            {QStringLiteral("messages"), QJsonArray {QJsonObject {{QStringLiteral("role"), QStringLiteral("user")}, {QStringLiteral("content"), QStringLiteral("x")}}}}});
        r.fault = FakeResponse::Fault::ResetAfterFrames;
        r.faultAfterFrames = int(r.frames.size()) - 3;
        fake->enqueue(r);
        const Outcome o = call(provider(Dialect::Moonshot, FakeDialect::Moonshot), request());
        QCOMPARE(o.result.error->errorClass, ErrorClass::Truncated);
        QVERIFY(o.result.content.startsWith(QStringLiteral("Hello from")));
        QCOMPARE(o.result.reasoning, FakeProvider::reasoningText());
    }

    void hardCeiling()
    {
        fake->setFrameDelayMs(200);
        const Outcome o = call(provider(Dialect::OpenAI, FakeDialect::OpenAI), request(), {5000, 5000, 500});
        QCOMPARE(o.result.error->errorClass, ErrorClass::Timeout);
        QVERIFY(o.result.error->providerMessage.contains(QStringLiteral("longer than")));
    }

    void cancelStopsAtOnce()
    {
        fake->setFrameDelayMs(100);
        ProviderCall c(upstream(), provider(Dialect::OpenAI, FakeDialect::OpenAI), model(), request(), QStringLiteral("k"));
        QList<StreamEvent> events;
        connect(&c, &ProviderCall::streamEvent, &c, [&](const StreamEvent &ev) { events << ev; });
        QSignalSpy finished(&c, &ProviderCall::finished);
        c.start();
        QTRY_VERIFY(std::any_of(events.cbegin(), events.cend(), [](const StreamEvent &e) { return e.kind == StreamEvent::Kind::Content; }));
        c.cancel();
        QCOMPARE(finished.count(), 1);   // reported at once, synchronously
        QCOMPARE(c.result().error->errorClass, ErrorClass::Cancelled);
        const qsizetype seen = events.size();
        QTest::qWait(400);
        QCOMPARE(events.size(), seen);   // nothing after the cancel
        QCOMPARE(finished.count(), 1);
        c.cancel();
        QCOMPARE(finished.count(), 1);
    }

    void connectionRefusedIsNetwork()
    {
        ProviderConfig p = provider(Dialect::OpenAI, FakeDialect::OpenAI);
        const int port = fake->port();
        cleanup();   // nothing listens there any more
        p.baseUrl.setPort(port);
        const Outcome o = call(p, request());
        QCOMPARE(o.result.error->errorClass, ErrorClass::Network);
        fake = std::make_unique<FakeProvider>();
        QVERIFY(fake->start());
    }

    void keyIsNeverQuoted()
    {
        fake->setRequiredKey("sk-other");
        const Outcome o = call(provider(Dialect::OpenAI, FakeDialect::OpenAI), request());
        QCOMPARE(o.result.error->errorClass, ErrorClass::Auth);
        QVERIFY2(o.result.error->providerMessage.contains(QStringLiteral("Incorrect API key provided: ****")),
                 qPrintable(o.result.error->providerMessage));
        for (const StreamEvent &ev : o.events)
            QVERIFY(!ev.error.providerMessage.contains(QStringLiteral("sk-test")));
    }

    void visionRefusedBeforeSending()
    {
        ChatRequest r = request();
        r.messages[0].images = {{"image/png", "png", {}}};
        const Outcome o = call(provider(Dialect::DeepSeek, FakeDialect::DeepSeek), r);
        QCOMPARE(o.result.error->errorClass, ErrorClass::BadRequest);
        QVERIFY(fake->requests().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestProviderCall)
#include "tst_providercall.moc"
