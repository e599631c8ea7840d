#include "ConfigLoader.h"
#include "ConfigStore.h"
#include "ConfigWriter.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

class TestConfigWriter : public QObject
{
    Q_OBJECT

private slots:
    void catalogRoundTrips()
    {
        const Config catalog = *ConfigLoader::parse(ConfigLoader::builtInCatalog()).config;
        const QByteArray written = ConfigWriter::toYaml(catalog);
        const ConfigLoadResult again = ConfigLoader::parse(written);
        QVERIFY2(again.ok(), qPrintable(again.errorSummary(QStringLiteral("written")) + QString::fromUtf8(written)));
        QVERIFY(again.warnings().isEmpty());
        // Writing what was read gives the same text: nothing was lost or changed on the way.
        QCOMPARE(ConfigWriter::toYaml(*again.config), written);
        const Config &c = *again.config;
        QCOMPARE(c.providers.size(), catalog.providers.size());
        QCOMPARE(c.models.size(), catalog.models.size());
        QCOMPARE(c.provider(u"moonshot")->region, QStringLiteral("intl"));
        QCOMPARE(c.provider(u"moonshot")->baseUrl, catalog.provider(u"moonshot")->baseUrl);
        QVERIFY(!c.provider(u"openai-compatible")->enabled);
        const Price &pro = *c.model(u"deepseek-v4-pro")->price;
        QCOMPARE(pro.rates.input, catalog.model(u"deepseek-v4-pro")->price->rates.input);
        QCOMPARE(pro.offPeak->windows.size(), 4);
        QVERIFY(pro.offPeak->windows[2].untilEndOfDay);
        QCOMPARE(c.model(u"minimax-m3")->price->tiers[0].aboveTokens, 512000);
        QCOMPARE(c.routes[1].match, QStringLiteral("task_type == \"reasoning\""));
        QVERIFY(c.routes[2].isDefault);
    }

    void storeSavesAndApplies()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("config.yaml"));
        ConfigStore store(path);
        store.reload();
        Config edited = store.config();
        for (ModelConfig &m : edited.models) {
            if (m.name == u"kimi-2.6")
                m.price->rates.output = 4'500'000;
        }
        for (ProviderConfig &p : edited.providers) {
            if (p.id == u"moonshot") {
                p.region = QStringLiteral("cn");
                p.baseUrl = QUrl(QStringLiteral("https://api.moonshot.cn/v1"));
            }
        }
        QString error;
        QVERIFY2(store.save(edited, &error), qPrintable(error));
        QCOMPARE(store.source(), ConfigStore::Source::File);
        QCOMPARE(store.config().model(u"kimi-2.6")->price->rates.output, 4'500'000);
        QCOMPARE(store.config().provider(u"moonshot")->baseUrl, QUrl(QStringLiteral("https://api.moonshot.cn/v1")));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        QVERIFY(text.contains("output: 4.5"));
        QVERIFY(text.contains("region: cn"));
    }

    void invalidConfigIsNotSaved()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("config.yaml"));
        ConfigStore store(path);
        store.reload();
        Config broken = store.config();
        broken.routes.clear();
        QString error;
        QVERIFY(!store.save(broken, &error));
        QVERIFY2(error.contains(QStringLiteral("default route")), qPrintable(error));
        QVERIFY(!QFile::exists(path));
    }

    void unwritableLocationKeepsTheFile()
    {
        QTemporaryDir dir;
        const QString blocker = dir.filePath(QStringLiteral("file"));
        QFile f(blocker);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        QString error;
        const Config catalog = *ConfigLoader::parse(ConfigLoader::builtInCatalog()).config;
        QVERIFY(!ConfigWriter::save(catalog, blocker + QStringLiteral("/config.yaml"), &error));
        QVERIFY2(error.contains(QStringLiteral("left as it was")), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestConfigWriter)
#include "tst_configwriter.moc"
