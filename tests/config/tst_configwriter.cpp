#include "ConfigLoader.h"
#include "ConfigStore.h"
#include "ConfigWriter.h"
#include "FileModes.h"

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
        // Writing what was read gives the same text, and every field survives the trip.
        QCOMPARE(ConfigWriter::toYaml(*again.config), written);
        const Config &c = *again.config;
        QCOMPARE(c.providers.size(), catalog.providers.size());
        for (int i = 0; i < catalog.providers.size(); ++i) {
            const ProviderConfig &a = catalog.providers[i];
            const ProviderConfig &b = c.providers[i];
            QCOMPARE(b.id, a.id);
            QCOMPARE(b.displayName, a.displayName);
            QCOMPARE(b.dialect, a.dialect);
            QCOMPARE(b.baseUrl, a.baseUrl);
            QCOMPARE(b.apiKeyEnv, a.apiKeyEnv);
            QCOMPARE(b.streaming, a.streaming);
            QCOMPARE(b.enabled, a.enabled);
            QCOMPARE(b.region, a.region);
            QCOMPARE(b.regions.size(), a.regions.size());
            for (int r = 0; r < a.regions.size(); ++r) {
                QCOMPARE(b.regions[r].name, a.regions[r].name);
                QCOMPARE(b.regions[r].baseUrl, a.regions[r].baseUrl);
            }
        }
        QCOMPARE(c.models.size(), catalog.models.size());
        auto sameRates = [](const PriceRates &x, const PriceRates &y) {
            return x.input == y.input && x.cachedInput == y.cachedInput && x.output == y.output
                   && x.outputThinking == y.outputThinking;
        };
        for (int i = 0; i < catalog.models.size(); ++i) {
            const ModelConfig &a = catalog.models[i];
            const ModelConfig &b = c.models[i];
            QCOMPARE(b.name, a.name);
            QCOMPARE(b.provider, a.provider);
            QCOMPARE(b.id, a.id);
            QCOMPARE(b.kind, a.kind);
            QCOMPARE(b.context, a.context);
            QCOMPARE(b.maxInputs, a.maxInputs);
            QCOMPARE(b.maxOutput, a.maxOutput);
            QCOMPARE(b.vision, a.vision);
            QCOMPARE(b.reasoning, a.reasoning);
            QCOMPARE(b.tools, a.tools);
            QCOMPARE(b.aliases, a.aliases);
            QCOMPARE(b.fallback, a.fallback);
            QCOMPARE(b.price.has_value(), a.price.has_value());
            if (!a.price)
                continue;
            QCOMPARE(b.price->currency, a.price->currency);
            QCOMPARE(b.price->asOf, a.price->asOf);
            QVERIFY(sameRates(b.price->rates, a.price->rates));
            QCOMPARE(b.price->tiers.size(), a.price->tiers.size());
            for (int t = 0; t < a.price->tiers.size(); ++t) {
                QCOMPARE(b.price->tiers[t].aboveTokens, a.price->tiers[t].aboveTokens);
                QVERIFY(sameRates(b.price->tiers[t].rates, a.price->tiers[t].rates));
            }
            QCOMPARE(b.price->offPeak.has_value(), a.price->offPeak.has_value());
            if (a.price->offPeak) {
                QCOMPARE(b.price->offPeak->timeZone, a.price->offPeak->timeZone);
                QVERIFY(sameRates(b.price->offPeak->rates, a.price->offPeak->rates));
                QCOMPARE(b.price->offPeak->windows.size(), a.price->offPeak->windows.size());
                for (int w = 0; w < a.price->offPeak->windows.size(); ++w) {
                    const OffPeakWindow &x = a.price->offPeak->windows[w];
                    const OffPeakWindow &y = b.price->offPeak->windows[w];
                    QCOMPARE(y.days, x.days);
                    QCOMPARE(y.from, x.from);
                    QCOMPARE(y.to, x.to);
                    QCOMPARE(y.untilEndOfDay, x.untilEndOfDay);
                }
            }
        }
        QCOMPARE(c.routes.size(), catalog.routes.size());
        for (int i = 0; i < catalog.routes.size(); ++i) {
            QCOMPARE(c.routes[i].name, catalog.routes[i].name);
            QCOMPARE(c.routes[i].match, catalog.routes[i].match);
            QCOMPARE(c.routes[i].model, catalog.routes[i].model);
            QCOMPARE(c.routes[i].fallback, catalog.routes[i].fallback);
            QCOMPARE(c.routes[i].isDefault, catalog.routes[i].isDefault);
        }
        QVERIFY(c.fallback == catalog.fallback);
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

    void budgetsAndRatesRoundTrip()
    {
        Config c = *ConfigLoader::parse(ConfigLoader::builtInCatalog()).config;
        c.budgets = {Budget {QStringLiteral("USD"), 250'500'000, {}, {}}, Budget {QStringLiteral("CNY"), 900'000'000, QStringLiteral("moonshot"), QStringLiteral("alice")}};
        c.currencyRates.display = QStringLiteral("CNY");
        c.currencyRates.microsPerUnit.insert(QStringLiteral("USD"), 7'250'000);
        const QByteArray written = ConfigWriter::toYaml(c);
        const ConfigLoadResult again = ConfigLoader::parse(written);
        QVERIFY2(again.ok(), qPrintable(again.errorSummary(QStringLiteral("written")) + QString::fromUtf8(written)));
        QCOMPARE(again.config->budgets, c.budgets);
        QCOMPARE(again.config->currencyRates, c.currencyRates);
        QCOMPARE(ConfigWriter::toYaml(*again.config), written);
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

    void savedFileIsPrivateUnderAnyUmask()
    {
        const UmaskZero umaskZero;
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("profile/config.yaml"));
        const Config catalog = *ConfigLoader::parse(ConfigLoader::builtInCatalog()).config;
        QString error;
        QVERIFY2(ConfigWriter::save(catalog, path, &error), qPrintable(error));
        QCOMPARE(fileMode(path), 0600);
        QCOMPARE(fileMode(dir.filePath(QStringLiteral("profile"))), 0700);
        // A hand-made file others may read is private once Settings saves it.
        QCOMPARE(::chmod(QFile::encodeName(path).constData(), 0644), 0);
        QVERIFY2(ConfigWriter::save(catalog, path, &error), qPrintable(error));
        QCOMPARE(fileMode(path), 0600);
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

    void unwritableLocationIsReported()
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
