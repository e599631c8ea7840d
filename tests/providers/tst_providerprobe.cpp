#include "FakeProvider.h"
#include "ProviderProbe.h"

#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QSignalSpy>
#include <QTest>

class TestProviderProbe : public QObject
{
    Q_OBJECT

    QNetworkAccessManager nam;
    std::unique_ptr<FakeProvider> fake;

    ProbeResult probe(const QString &key, std::optional<ModelConfig> model = std::nullopt)
    {
        ProviderConfig p;
        p.id = QStringLiteral("p");
        p.dialect = Dialect::MiniMax;
        p.baseUrl = QUrl(fake->baseUrl(FakeDialect::MiniMax));
        ProviderProbe probe(&nam, p, key, model);
        QSignalSpy finished(&probe, &ProviderProbe::finished);
        probe.start(5000);
        if (!finished.wait(10000))
            qFatal("the probe never finished");
        return finished.at(0).at(0).value<ProbeResult>();
    }

private slots:
    void initTestCase()
    {
        qRegisterMetaType<ProbeResult>();
        nam.setProxy(QNetworkProxy::NoProxy);
    }
    void init()
    {
        fake = std::make_unique<FakeProvider>();
        fake->setRequiredKey("sk-good");
        fake->setModels({QStringLiteral("MiniMax-M2.7"), QStringLiteral("MiniMax-M3")});
        QVERIFY(fake->start());
    }
    void cleanup()
    {
        nam.clearConnectionCache();
        fake.reset();
    }

    void listsModels()
    {
        const ProbeResult r = probe(QStringLiteral("sk-good"));
        QVERIFY(r.ok());
        QVERIFY(r.listed);
        QCOMPARE(r.modelIds, (QStringList {QStringLiteral("MiniMax-M2.7"), QStringLiteral("MiniMax-M3")}));
        QVERIFY(r.summary().contains(QStringLiteral("lists 2 models")));
        QCOMPARE(fake->requests().constLast().path, QByteArray("/minimax/v1/models"));
    }

    void wrongKey()
    {
        const ProbeResult r = probe(QStringLiteral("sk-bad"));
        QVERIFY(!r.ok());
        QCOMPARE(r.error->errorClass, ErrorClass::Auth);
        QVERIFY(r.summary().contains(QStringLiteral("Check the provider's key")));
        QVERIFY(!r.summary().contains(QStringLiteral("sk-bad")));
    }

    void noModelListFallsBackToAChat()
    {
        fake->setModelListAvailable(false);
        ModelConfig m;
        m.name = QStringLiteral("minimax-2.7");
        m.id = QStringLiteral("MiniMax-M2.7");
        const ProbeResult r = probe(QStringLiteral("sk-good"), m);
        QVERIFY2(r.ok(), qPrintable(r.summary()));
        QVERIFY(!r.listed);
        QVERIFY(r.summary().contains(QStringLiteral("no model list")));
        const QJsonObject chat = fake->requests().constLast().json();
        QCOMPARE(chat[QStringLiteral("model")].toString(), QStringLiteral("MiniMax-M2.7"));
        QCOMPARE(chat[QStringLiteral("max_completion_tokens")].toInt(), 1);
    }

    void unreachable()
    {
        const int port = fake->port();
        cleanup();
        ProviderConfig p;
        p.dialect = Dialect::OpenAI;
        p.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(port));
        ProviderProbe probe(&nam, p, QStringLiteral("k"));
        QSignalSpy finished(&probe, &ProviderProbe::finished);
        probe.start(5000);
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.at(0).at(0).value<ProbeResult>().error->errorClass, ErrorClass::Network);
        init();
    }
};

QTEST_GUILESS_MAIN(TestProviderProbe)
#include "tst_providerprobe.moc"
