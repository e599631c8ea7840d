#include "FakeProvider.h"

#include <QElapsedTimer>
#include <QScopeGuard>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

class TestFakeProvider : public QObject
{
    Q_OBJECT

    QNetworkAccessManager nam;
    std::unique_ptr<FakeProvider> provider;

    QNetworkReply *post(FakeProvider &fake, const QJsonObject &body, const QByteArray &key = "sk-test")
    {
        QNetworkRequest request(QUrl(fake.baseUrl() + QStringLiteral("/chat/completions")));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        request.setRawHeader("Authorization", "Bearer " + key);
        return nam.post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
    }

    static QJsonObject chat(bool stream, bool usage = false)
    {
        QJsonObject body {{QStringLiteral("model"), QStringLiteral("fake-chat")},
                          {QStringLiteral("stream"), stream},
                          {QStringLiteral("messages"),
                           QJsonArray {QJsonObject {{QStringLiteral("role"), QStringLiteral("user")},
                                                    {QStringLiteral("content"), QStringLiteral("你好 there")}}}}};
        if (usage)
            body.insert(QStringLiteral("stream_options"), QJsonObject {{QStringLiteral("include_usage"), true}});
        return body;
    }

private slots:
    void initTestCase() { nam.setProxy(QNetworkProxy::NoProxy); }
    void init() { provider = std::make_unique<FakeProvider>(); }
    // Close idle keep-alive connections first so the server stops at once.
    void cleanup()
    {
        nam.clearConnectionCache();
        provider.reset();
    }

    void nonStreaming()
    {
        FakeProvider &fake = *provider;
        QVERIFY(fake.start());
        QNetworkReply *reply = post(fake, chat(false));
        QSignalSpy done(reply, &QNetworkReply::finished);
        QVERIFY(done.wait(10000));
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        const QJsonObject body = QJsonDocument::fromJson(reply->readAll()).object();
        QCOMPARE(body.value(QStringLiteral("object")).toString(), QStringLiteral("chat.completion"));
        const QJsonObject message = body[QStringLiteral("choices")][0][QStringLiteral("message")].toObject();
        QVERIFY(message.value(QStringLiteral("content")).toString().endsWith(QStringLiteral("你好 there")));
        QVERIFY(body[QStringLiteral("usage")][QStringLiteral("completion_tokens")].toInt() > 0);
        reply->deleteLater();

        const QList<FakeRequest> requests = fake.requests();
        QCOMPARE(requests.size(), 1);
        QCOMPARE(requests[0].path, QByteArray("/v1/chat/completions"));
        QCOMPARE(requests[0].header("authorization"), QByteArray("Bearer sk-test"));
        QCOMPARE(requests[0].json().value(QStringLiteral("model")).toString(), QStringLiteral("fake-chat"));
    }

    void streamsFrameByFrame()
    {
        FakeProvider &fake = *provider;
        fake.setFrameDelayMs(40);
        QVERIFY(fake.start());
        QNetworkReply *reply = post(fake, chat(true, true));
        const auto release = qScopeGuard([reply] { delete reply; });   // before the locals it writes to
        QByteArray body;
        QList<qint64> arrivals;
        QElapsedTimer clock;
        clock.start();
        connect(reply, &QNetworkReply::readyRead, reply, [&] {
            body += reply->readAll();
            arrivals << clock.elapsed();
        });
        QSignalSpy done(reply, &QNetworkReply::finished);
        QVERIFY(done.wait(10000));
        body += reply->readAll();
        QVERIFY2(arrivals.size() >= 5, qPrintable(QString::number(arrivals.size())));
        QVERIFY(arrivals.last() - arrivals.first() >= 4 * 40);   // spread out, not buffered
        QVERIFY(body.startsWith("data: {"));
        QVERIFY(body.endsWith("data: [DONE]\n\n"));
        QVERIFY(body.contains("\"choices\":[]"));
        QVERIFY(body.contains("\"finish_reason\":\"stop\""));
        QVERIFY(body.contains("\"prompt_tokens\""));
        
    }

    void noUsageChunkUnlessAsked()
    {
        FakeProvider &fake = *provider;
        QVERIFY(fake.start());
        QNetworkReply *reply = post(fake, chat(true, false));
        QSignalSpy done(reply, &QNetworkReply::finished);
        QVERIFY(done.wait(10000));
        QVERIFY(!reply->readAll().contains("\"usage\""));
        reply->deleteLater();
    }

    void models()
    {
        FakeProvider &fake = *provider;
        fake.setModels({QStringLiteral("a"), QStringLiteral("b")});
        QVERIFY(fake.start());
        QNetworkRequest request(QUrl(fake.baseUrl() + QStringLiteral("/models")));
        QNetworkReply *reply = nam.get(request);
        QSignalSpy done(reply, &QNetworkReply::finished);
        QVERIFY(done.wait(10000));
        const QJsonObject body = QJsonDocument::fromJson(reply->readAll()).object();
        QCOMPARE(body[QStringLiteral("data")].toArray().size(), 2);
        QCOMPARE(body[QStringLiteral("data")][1][QStringLiteral("id")].toString(), QStringLiteral("b"));
        reply->deleteLater();
    }

    void requiredKey()
    {
        FakeProvider &fake = *provider;
        fake.setRequiredKey("sk-right");
        QVERIFY(fake.start());
        QNetworkReply *wrong = post(fake, chat(false), "sk-wrong");
        QSignalSpy wrongDone(wrong, &QNetworkReply::finished);
        QVERIFY(wrongDone.wait(10000));
        QCOMPARE(wrong->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 401);
        QVERIFY(wrong->readAll().contains("Incorrect API key"));
        QNetworkReply *right = post(fake, chat(false), "sk-right");
        QSignalSpy rightDone(right, &QNetworkReply::finished);
        QVERIFY(rightDone.wait(10000));
        QCOMPARE(right->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        wrong->deleteLater();
        right->deleteLater();
    }

    void scriptedErrors()
    {
        FakeProvider &fake = *provider;
        FakeResponse limited = FakeResponse::json(429, R"({"error":{"message":"Rate limit reached","type":"rate_limit_reached_error"}})");
        limited.headers.append({QByteArray("Retry-After"), QByteArray("1")});
        fake.enqueue(limited);
        fake.enqueue(FakeResponse::text(502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>"));
        QVERIFY(fake.start());

        QNetworkReply *first = post(fake, chat(false));
        QSignalSpy firstDone(first, &QNetworkReply::finished);
        QVERIFY(firstDone.wait(10000));
        QCOMPARE(first->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 429);
        QCOMPARE(first->rawHeader("Retry-After"), QByteArray("1"));

        QNetworkReply *second = post(fake, chat(false));
        QSignalSpy secondDone(second, &QNetworkReply::finished);
        QVERIFY(secondDone.wait(10000));
        QCOMPARE(second->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 502);
        QVERIFY(second->header(QNetworkRequest::ContentTypeHeader).toString().startsWith(QStringLiteral("text/html")));

        // The script is used up: back to the built-in answer.
        QNetworkReply *third = post(fake, chat(false));
        QSignalSpy thirdDone(third, &QNetworkReply::finished);
        QVERIFY(thirdDone.wait(10000));
        QCOMPARE(third->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        for (QNetworkReply *r : {first, second, third})
            r->deleteLater();
    }

    void resetMidStream()
    {
        FakeProvider &fake = *provider;
        FakeResponse r = FakeProvider::openAiAnswer(chat(true, true));
        r.fault = FakeResponse::Fault::ResetAfterFrames;
        r.faultAfterFrames = 3;
        const QByteArray expectedPrefix = r.frames[0] + r.frames[1] + r.frames[2];
        fake.enqueue(r);
        QVERIFY(fake.start());
        QNetworkReply *reply = post(fake, chat(true, true));
        const auto release = qScopeGuard([reply] { delete reply; });
        QByteArray body;
        connect(reply, &QNetworkReply::readyRead, reply, [&] { body += reply->readAll(); });
        QSignalSpy done(reply, &QNetworkReply::finished);
        QVERIFY(done.wait(10000));
        body += reply->readAll();
        QVERIFY(reply->error() != QNetworkReply::NoError);
        QCOMPARE(body, expectedPrefix);
        
    }

    void stallBeforeHeadersNeedsAClientTimeout()
    {
        FakeProvider &fake = *provider;
        FakeResponse r;
        r.fault = FakeResponse::Fault::StallBeforeHeaders;
        fake.enqueue(r);
        QVERIFY(fake.start());
        QNetworkRequest request(QUrl(fake.baseUrl() + QStringLiteral("/chat/completions")));
        request.setTransferTimeout(300);
        QNetworkReply *reply = nam.post(request, QJsonDocument(chat(false)).toJson());
        QSignalSpy done(reply, &QNetworkReply::finished);
        QVERIFY(done.wait(10000));
        QCOMPARE(reply->error(), QNetworkReply::OperationCanceledError);
        reply->deleteLater();
        fake.stop();   // wakes the stalled handler
    }

    void stallMidStream()
    {
        FakeProvider &fake = *provider;
        FakeResponse r = FakeProvider::openAiAnswer(chat(true));
        r.fault = FakeResponse::Fault::StallAfterFrames;
        r.faultAfterFrames = 2;
        fake.enqueue(r);
        QVERIFY(fake.start());
        QNetworkRequest request(QUrl(fake.baseUrl() + QStringLiteral("/chat/completions")));
        request.setTransferTimeout(300);
        QNetworkReply *reply = nam.post(request, QJsonDocument(chat(true)).toJson());
        const auto release = qScopeGuard([reply] { delete reply; });
        QByteArray body;
        connect(reply, &QNetworkReply::readyRead, reply, [&] { body += reply->readAll(); });
        QSignalSpy done(reply, &QNetworkReply::finished);
        QVERIFY(done.wait(10000));
        QCOMPARE(reply->error(), QNetworkReply::OperationCanceledError);
        QCOMPARE(body.count("data: "), 2);
        
    }
};

QTEST_GUILESS_MAIN(TestFakeProvider)
#include "tst_fakeprovider.moc"
