// Every error sample of ../shared/reference/providers.md mapped to its class.
#include "ErrorClassifier.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

Q_DECLARE_METATYPE(ErrorClass)

class TestErrorClassifier : public QObject
{
    Q_OBJECT

private slots:
    void http_data()
    {
        QTest::addColumn<QJsonObject>("sample");
        QFile file(QStringLiteral(SWITCHYARD_TEST_DATA "/error_samples.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonArray samples = QJsonDocument::fromJson(file.readAll()).object().value(QStringLiteral("samples")).toArray();
        QVERIFY(samples.size() >= 40);
        for (const QJsonValue &s : samples)
            QTest::newRow(qPrintable(s[QStringLiteral("name")].toString())) << s.toObject();
    }

    void http()
    {
        QFETCH(QJsonObject, sample);
        const Dialect dialect = *dialectFromString(sample[QStringLiteral("dialect")].toString());
        const int status = sample[QStringLiteral("status")].toInt();
        const ProviderError e = ErrorClassifier::fromHttp(dialect, status, sample[QStringLiteral("body")].toString().toUtf8());
        QCOMPARE(errorClassName(e.errorClass), sample[QStringLiteral("class")].toString());
        QVERIFY2(e.providerMessage.contains(sample[QStringLiteral("message")].toString()), qPrintable(e.providerMessage));
        QCOMPARE(e.contextLimit, sample[QStringLiteral("limit")].toInteger());
        QCOMPARE(e.httpStatus, status);
        // A sentence to act on, with the provider's own words in it.
        const QString described = e.describe();
        QVERIFY2(described.contains(e.providerMessage) && described.endsWith(QLatin1Char('.')), qPrintable(described));
    }

    void miniMaxCodes_data()
    {
        QTest::addColumn<int>("code");
        QTest::addColumn<ErrorClass>("expected");
        QTest::newRow("1000") << 1000 << ErrorClass::Server;
        QTest::newRow("1001") << 1001 << ErrorClass::Timeout;
        QTest::newRow("1002") << 1002 << ErrorClass::RateLimit;
        QTest::newRow("1004") << 1004 << ErrorClass::Auth;
        QTest::newRow("1008") << 1008 << ErrorClass::Balance;
        QTest::newRow("1024") << 1024 << ErrorClass::Server;
        QTest::newRow("1026") << 1026 << ErrorClass::ContentFilter;
        QTest::newRow("1027") << 1027 << ErrorClass::ContentFilter;
        QTest::newRow("1033") << 1033 << ErrorClass::Server;
        QTest::newRow("1039") << 1039 << ErrorClass::RateLimit;
        QTest::newRow("2013") << 2013 << ErrorClass::BadRequest;
    }

    void miniMaxCodes()
    {
        QFETCH(int, code);
        QFETCH(ErrorClass, expected);
        const ProviderError e = ErrorClassifier::fromBaseResp(code, QStringLiteral("status message"));
        QCOMPARE(errorClassName(e.errorClass), errorClassName(expected));
        QCOMPARE(e.providerCode, QString::number(code));
    }

    void openRouterStreamError()
    {
        const QJsonObject error = QJsonDocument::fromJson(R"({"code":"server_error","message":"Provider disconnected unexpectedly"})").object();
        const ProviderError e = ErrorClassifier::fromStreamError(error);
        QCOMPARE(e.errorClass, ErrorClass::Server);
        QCOMPARE(e.providerMessage, QStringLiteral("Provider disconnected unexpectedly"));
        const ProviderError limited = ErrorClassifier::fromStreamError(QJsonDocument::fromJson(R"({"code":429,"message":"Rate limited upstream"})").object());
        QCOMPARE(limited.errorClass, ErrorClass::RateLimit);
    }

    void retryAfter()
    {
        QCOMPARE(ErrorClassifier::parseRetryAfter("1"), 1);
        QCOMPARE(ErrorClassifier::parseRetryAfter(" 30 "), 30);
        QCOMPARE(ErrorClassifier::parseRetryAfter(""), -1);
        QCOMPARE(ErrorClassifier::parseRetryAfter("soon"), -1);
        const QByteArray inAMinute = QDateTime::currentDateTimeUtc().addSecs(60).toString(Qt::RFC2822Date).toLatin1();
        const int seconds = ErrorClassifier::parseRetryAfter(inAMinute);
        QVERIFY2(seconds >= 58 && seconds <= 60, qPrintable(QString::number(seconds)));
        const ProviderError e = ErrorClassifier::fromHttp(Dialect::Moonshot, 429, "{}", "7");
        QCOMPARE(e.retryAfterSeconds, 7);
        QVERIFY(e.advice().contains(QStringLiteral("7 s")));
    }

    void retryable()
    {
        for (ErrorClass c : {ErrorClass::RateLimit, ErrorClass::Overloaded, ErrorClass::Server, ErrorClass::Network, ErrorClass::Timeout})
            QVERIFY(isRetryable(c));
        for (ErrorClass c : {ErrorClass::Auth, ErrorClass::Balance, ErrorClass::ContentFilter, ErrorClass::BadRequest,
                             ErrorClass::ContextOverflow, ErrorClass::Truncated, ErrorClass::Cancelled})
            QVERIFY(!isRetryable(c));
    }
};

QTEST_GUILESS_MAIN(TestErrorClassifier)
#include "tst_errorclassifier.moc"
