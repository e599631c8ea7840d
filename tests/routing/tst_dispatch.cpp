// Fallback against the fake provider over loopback: three "providers" on one fake server, each
// path speaking its own dialect.
#include "ConfigLoader.h"
#include "Dispatch.h"
#include "FakeProvider.h"
#include "FakeSecretBackend.h"
#include "ProviderHealth.h"
#include "Router.h"
#include "SecretStore.h"

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QSignalSpy>
#include <QTest>

class TestDispatch : public QObject
{
    Q_OBJECT

    QNetworkAccessManager nam;
    std::unique_ptr<FakeProvider> fake;
    std::unique_ptr<SecretStore> secrets;
    ProviderHealth health;

    Config config(const QByteArray &fallbackSettings = "fallback:\n  retries: 0\n  backoff_ms: 50\n") const
    {
        const QByteArray yaml = QStringLiteral(R"(providers:
  - id: a
    dialect: deepseek
    base_url: %1
    api_key_env: SY_TEST_KEY
  - id: b
    dialect: moonshot
    base_url: %2
    api_key_env: SY_TEST_KEY
  - id: c
    dialect: openai
    base_url: %3
    api_key_env: SY_TEST_KEY
models:
  - {name: a-small, provider: a, id: small-1, context: 8000, price: {currency: USD, input: 1, output: 2}}
  - {name: b-large, provider: b, id: large-1, context: 200000, price: {currency: USD, input: 1, output: 2}}
  - {name: c-tiny, provider: c, id: tiny-1, context: 4000, price: {currency: USD, input: 1, output: 2}}
  - {name: c-pricey, provider: c, id: pricey-1, context: 200000, price: {currency: USD, input: 10, output: 20}}
routes:
  - default: a-small
)")
                                   .arg(fake->baseUrl(FakeDialect::DeepSeek), fake->baseUrl(FakeDialect::Moonshot), fake->baseUrl())
                                   .toUtf8()
                               + fallbackSettings;
        const ConfigLoadResult r = ConfigLoader::parse(yaml);
        if (!r.ok())
            qFatal("%s", qPrintable(r.errorSummary(QStringLiteral("test config"))));
        return *r.config;
    }

    static ChatRequest request(bool stream = true)
    {
        ChatRequest r;
        r.messages = {ChatMessage::text(QStringLiteral("user"), QStringLiteral("hello"))};
        r.stream = stream;
        return r;
    }

    static RouteDecision decision(const QString &model, const QStringList &chain, qint64 context = 100)
    {
        RouteDecision d;
        d.model = model;
        d.fallback = chain;
        d.contextLength = context;
        d.rule = QStringLiteral("test");
        return d;
    }

    struct Run
    {
        DispatchResult result;
        QList<StreamEvent> events;
        qint64 ms = 0;
    };

    Run run(const Config &c, const RouteDecision &d, ChatRequest r = request())
    {
        Dispatch dispatch(&nam, secrets.get(), &health, c, d, r, {2000, 2000, 10000});
        Run out;
        connect(&dispatch, &Dispatch::streamEvent, &dispatch, [&out](const StreamEvent &ev) { out.events << ev; });
        QSignalSpy finished(&dispatch, &Dispatch::finished);
        QElapsedTimer clock;
        clock.start();
        dispatch.start();
        if (!finished.wait(20000))
            qFatal("the dispatch never finished");
        out.ms = clock.elapsed();
        QTest::qWait(50);
        if (finished.count() != 1)
            qFatal("finished %d times", int(finished.count()));
        out.result = dispatch.result();
        return out;
    }

    QList<QByteArray> paths() const
    {
        QList<QByteArray> out;
        for (const FakeRequest &r : fake->requests())
            out << r.path;
        return out;
    }

private slots:
    void initTestCase()
    {
        nam.setProxy(QNetworkProxy::NoProxy);
        qputenv("SY_TEST_KEY", "sk-test");
    }
    void init()
    {
        fake = std::make_unique<FakeProvider>();
        QVERIFY(fake->start());
        secrets = std::make_unique<SecretStore>(std::make_unique<FakeSecretBackend>(std::make_shared<FakeSecretBackend::Shared>()));
        health = ProviderHealth();
    }
    void cleanup()
    {
        nam.clearConnectionCache();
        fake.reset();
    }

    void rateLimitThenSuccessOnTheFallback()
    {
        fake->enqueue(FakeResponse::rateLimited());
        const Run r = run(config(), decision(QStringLiteral("a-small"), {QStringLiteral("b-large")}));
        QVERIFY(r.result.ok());
        QCOMPARE(r.result.model, QStringLiteral("b-large"));
        QCOMPARE(r.result.attempts.size(), 2);
        QCOMPARE(r.result.attempts[0].result.error->errorClass, ErrorClass::RateLimit);
        QVERIFY(r.result.attempts[0].note.contains(QStringLiteral("next model")));
        QVERIFY(r.result.attempts[1].result.ok());
        QCOMPARE(r.result.attempts[1].result.usage.completionTokens, FakeUsage::completion);
        QCOMPARE(paths(), (QList<QByteArray> {"/deepseek/v1/chat/completions", "/moonshot/v1/chat/completions"}));
        QVERIFY(r.result.final.content.startsWith(QStringLiteral("Hello from moonshot")));
    }

    void shortRetryAfterIsWaitedOut()
    {
        fake->enqueue(FakeResponse::rateLimited(1));
        const Run r = run(config(), decision(QStringLiteral("a-small"), {QStringLiteral("b-large")}));
        QVERIFY(r.result.ok());
        QCOMPARE(r.result.attempts.size(), 2);
        QCOMPARE(r.result.attempts[1].model, QStringLiteral("a-small"));   // the same model, after the wait
        QCOMPARE(r.result.attempts[0].result.error->retryAfterSeconds, 1);
        QVERIFY2(r.ms >= 1000, qPrintable(QString::number(r.ms)));
    }

    void longRetryAfterMovesOnAtOnce()
    {
        fake->enqueue(FakeResponse::rateLimited(60));
        const Run r = run(config(), decision(QStringLiteral("a-small"), {QStringLiteral("b-large")}));
        QVERIFY(r.result.ok());
        QCOMPARE(r.result.model, QStringLiteral("b-large"));
        QVERIFY(r.ms < 5000);
    }

    void contextOverflowMovesToALargerModel()
    {
        fake->enqueue(FakeResponse::contextOverflow(8000));
        const Run r = run(config(), decision(QStringLiteral("a-small"), {QStringLiteral("c-tiny"), QStringLiteral("b-large")}));
        QVERIFY(r.result.ok());
        QCOMPARE(r.result.model, QStringLiteral("b-large"));
        QCOMPARE(r.result.attempts.size(), 3);
        QCOMPARE(r.result.attempts[0].result.error->errorClass, ErrorClass::ContextOverflow);
        QVERIFY(r.result.attempts[1].skipped);   // c-tiny holds less than what overflowed
        QVERIFY(r.result.attempts[1].note.contains(QStringLiteral("holds only")));
        QCOMPARE(fake->requests().size(), 2);
    }

    void authStops()
    {
        fake->enqueue(FakeResponse::authFailed());
        const Run r = run(config(), decision(QStringLiteral("a-small"), {QStringLiteral("b-large")}));
        QVERIFY(!r.result.ok());
        QCOMPARE(r.result.final.error->errorClass, ErrorClass::Auth);
        QCOMPARE(r.result.attempts.size(), 1);
        QCOMPARE(fake->requests().size(), 1);
        QCOMPARE(r.events.constLast().kind, StreamEvent::Kind::Error);
    }

    void streamCutAfterFirstTokenKeepsThePartialAnswer()
    {
        FakeResponse cut = FakeProvider::answer(FakeDialect::DeepSeek, QJsonObject {
            {QStringLiteral("model"), QStringLiteral("small-1")}, {QStringLiteral("stream"), true},
            {QStringLiteral("messages"), QJsonArray {QJsonObject {{QStringLiteral("role"), QStringLiteral("user")}, {QStringLiteral("content"), QStringLiteral("hello")}}}}});
        cut.fault = FakeResponse::Fault::ResetAfterFrames;
        cut.faultAfterFrames = int(cut.frames.size()) - 4;
        fake->enqueue(cut);
        const Run r = run(config(), decision(QStringLiteral("a-small"), {QStringLiteral("b-large")}));
        QVERIFY(!r.result.ok());
        QCOMPARE(r.result.final.error->errorClass, ErrorClass::Truncated);
        QVERIFY(r.result.final.content.startsWith(QStringLiteral("Hello from")));
        QCOMPARE(r.result.attempts.size(), 1);
        QVERIFY(r.result.attempts[0].note.contains(QStringLiteral("part received is kept")));
        QCOMPARE(fake->requests().size(), 1);
        QString shown;
        for (const StreamEvent &ev : r.events)
            if (ev.kind == StreamEvent::Kind::Content)
                shown += ev.text;
        QCOMPARE(shown, r.result.final.content);
    }

    void coolDownSkipsAFailingProvider()
    {
        const Config c = config("fallback:\n  retries: 0\n  cooldown_after: 2\n  cooldown_seconds: 60\n");
        for (int i = 0; i < 2; ++i) {
            fake->enqueue(FakeResponse::overloaded());
            const Run r = run(c, decision(QStringLiteral("a-small"), {QStringLiteral("b-large")}));
            QVERIFY(r.result.ok());
            QCOMPARE(r.result.model, QStringLiteral("b-large"));
        }
        QVERIFY(health.coolingFor(QStringLiteral("a")) > 0);
        const qsizetype before = fake->requests().size();
        const Run r = run(c, decision(QStringLiteral("a-small"), {QStringLiteral("b-large")}));
        QVERIFY(r.result.ok());
        QVERIFY(r.result.attempts[0].skipped);
        QVERIFY(r.result.attempts[0].note.contains(QStringLiteral("cooling down")));
        QCOMPARE(fake->requests().size(), before + 1);
        QCOMPARE(fake->requests().constLast().path, QByteArray("/moonshot/v1/chat/completions"));
    }

    void priceGuardSkipsADearModel()
    {
        fake->enqueue(FakeResponse::serverError());
        const Run r = run(config(), decision(QStringLiteral("a-small"), {QStringLiteral("c-pricey"), QStringLiteral("b-large")}));
        QVERIFY(r.result.ok());
        QCOMPARE(r.result.model, QStringLiteral("b-large"));
        QVERIFY(r.result.attempts[1].skipped);
        QVERIFY(r.result.attempts[1].note.contains(QStringLiteral("price guard")));
    }

    void retriesPassAgainAfterBackoff()
    {
        const Config c = config("fallback:\n  retries: 1\n  backoff_ms: 100\n  cooldown_after: 10\n");
        for (int i = 0; i < 3; ++i)
            fake->enqueue(FakeResponse::serverError());
        const Run r = run(c, decision(QStringLiteral("a-small"), {QStringLiteral("b-large")}));
        QVERIFY(r.result.ok());   // the fourth try, on the second pass
        QCOMPARE(r.result.attempts.size(), 4);
        QCOMPARE(r.result.model, QStringLiteral("b-large"));
        QVERIFY(r.ms >= 100);
    }

    void everythingFailsReportsTheLastError()
    {
        for (int i = 0; i < 2; ++i)
            fake->enqueue(FakeResponse::overloaded());
        const Run r = run(config(), decision(QStringLiteral("a-small"), {QStringLiteral("b-large")}));
        QVERIFY(!r.result.ok());
        QCOMPARE(r.result.final.error->errorClass, ErrorClass::Overloaded);
        QCOMPARE(r.result.attempts.size(), 2);
    }

    void emptyStopOnLetsAuthFallBack()
    {
        fake->enqueue(FakeResponse::authFailed());
        const Run r = run(config("fallback:\n  retries: 0\n  stop_on: []\n"), decision(QStringLiteral("a-small"), {QStringLiteral("b-large")}));
        QVERIFY(r.result.ok());
        QCOMPARE(r.result.model, QStringLiteral("b-large"));
        QCOMPARE(r.result.attempts[0].result.error->errorClass, ErrorClass::Auth);
    }

    void cancelDuringAStream()
    {
        fake->setFrameDelayMs(100);
        Dispatch dispatch(&nam, secrets.get(), &health, config(), decision(QStringLiteral("a-small"), {QStringLiteral("b-large")}),
                          request(), {2000, 2000, 10000});
        QList<Attempt> finishedAttempts;
        connect(&dispatch, &Dispatch::attemptFinished, &dispatch, [&](const Attempt &a) { finishedAttempts << a; });
        QSignalSpy finished(&dispatch, &Dispatch::finished);
        QSignalSpy started(&dispatch, &Dispatch::attemptStarted);
        dispatch.start();
        QTRY_COMPARE(started.count(), 1);
        QTest::qWait(250);
        dispatch.cancel();
        QCOMPARE(finished.count(), 1);
        QCOMPARE(dispatch.result().final.error->errorClass, ErrorClass::Cancelled);
        QCOMPARE(finishedAttempts.size(), 1);   // the attempt under way is closed, as cancelled
        QCOMPARE(finishedAttempts[0].result.error->errorClass, ErrorClass::Cancelled);
        QTest::qWait(300);
        QCOMPARE(finished.count(), 1);
        QCOMPARE(fake->requests().size(), 1);
    }

    void cancelBeforeAnythingWasSent()
    {
        Dispatch dispatch(&nam, secrets.get(), &health, config(), decision(QStringLiteral("a-small"), {}), request());
        QSignalSpy finished(&dispatch, &Dispatch::finished);
        dispatch.start();
        dispatch.cancel();   // the key is still being read
        QCOMPARE(finished.count(), 1);
        QTest::qWait(200);
        QCOMPARE(finished.count(), 1);
        QCOMPARE(fake->requests().size(), 0);
    }

    // A key missing when the attempt reads it (the rules did not know yet): `no_key`, its own class,
    // on each model passed over, and as the answer when no model had one.
    void missingKeyIsItsOwnClass()
    {
        qunsetenv("SY_TEST_KEY");
        const Run r = run(config(), decision(QStringLiteral("a-small"), {QStringLiteral("b-large")}));
        qputenv("SY_TEST_KEY", "sk-test");
        QCOMPARE(r.result.final.error->errorClass, ErrorClass::NoKey);
        QCOMPARE(errorClassName(ErrorClass::NoKey), QStringLiteral("no_key"));
        QVERIFY(!isRetryable(ErrorClass::NoKey));
        QVERIFY(r.result.final.error->providerMessage.contains(QStringLiteral("No key is set")));
        QCOMPARE(r.result.attempts.size(), 2);
        for (const Attempt &a : r.result.attempts) {
            QVERIFY(a.skipped);
            QCOMPARE(a.result.error->errorClass, ErrorClass::NoKey);
        }
        QCOMPARE(fake->requests().size(), 0);
    }

    // The rules passed over a keyless model: Dispatch reports it as attempt 1, sent nothing, and the
    // next model answers as attempt 2.
    void keylessModelsTheRulesPassedOverAreAttempts()
    {
        RouteDecision d = decision(QStringLiteral("b-large"), {});
        d.passedOver.append({QStringLiteral("a-small"), QStringLiteral("A has no key"), QStringLiteral("a"), true, true});
        d.passedOver.append({QStringLiteral("c-tiny"), QStringLiteral("C has no key"), QStringLiteral("c"), true, false});
        const Run r = run(config(), d);
        QVERIFY(r.result.ok());
        QCOMPARE(r.result.attempts.size(), 2);
        QVERIFY(r.result.attempts[0].skipped);
        QCOMPARE(r.result.attempts[0].number, 1);
        QCOMPARE(r.result.attempts[0].model, QStringLiteral("a-small"));
        QCOMPARE(r.result.attempts[0].result.error->errorClass, ErrorClass::NoKey);
        QCOMPARE(r.result.attempts[1].number, 2);
        QCOMPARE(r.result.attempts[1].model, QStringLiteral("b-large"));
        QVERIFY(!r.result.attempts[1].skipped);
        QCOMPARE(fake->requests().size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestDispatch)
#include "tst_dispatch.moc"
