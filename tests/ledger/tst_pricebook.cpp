// Costs of recorded calls for each pricing dimension, against figures worked out by hand.
#include "ConfigLoader.h"
#include "PriceBook.h"

#include <QTest>

namespace {

Usage usage(qint64 prompt, qint64 cached, qint64 completion, qint64 reasoning = -1)
{
    Usage u;
    u.promptTokens = prompt;
    u.cachedTokens = cached;
    u.completionTokens = completion;
    u.reasoningTokens = reasoning;
    return u;
}

QDateTime utc(int y, int m, int d, int h, int min, int s = 0)
{
    return QDateTime(QDate(y, m, d), QTime(h, min, s), Qt::UTC);
}

} // namespace

class TestPriceBook : public QObject
{
    Q_OBJECT

    Config catalog;

private slots:
    void initTestCase() { catalog = *ConfigLoader::parse(ConfigLoader::builtInCatalog()).config; }

    void cacheHitAndMissAtPeak()
    {
        // deepseek-v4-pro: 1.32 miss, 0.044 hit, 3.96 out per 1M (USD).
        // Wednesday 2026-11-25 03:00 UTC is 11:00 in Beijing: peak.
        // 4,000 × 1.32 + 6,000 × 0.044 + 2,000 × 3.96 = 5,280 + 264 + 7,920 = 13,464 micro-USD.
        const auto c = PriceBook::cost(*catalog.model(u"deepseek-v4-pro")->price, usage(10000, 6000, 2000), utc(2026, 11, 25, 3, 0));
        QVERIFY(c);
        QCOMPARE(c->micros, 13464);
        QCOMPARE(c->currency, QStringLiteral("USD"));
        QVERIFY(!c->offPeak);
        QCOMPARE(c->priceAsOf, QDate(2026, 11, 15));
    }

    void offPeakInTheProvidersTimeZone_data()
    {
        QTest::addColumn<QDateTime>("when");
        QTest::addColumn<bool>("offPeak");
        QTest::addColumn<qint64>("micros");
        // Off-peak: 4,000 × 0.66 + 6,000 × 0.022 + 2,000 × 1.98 = 2,640 + 132 + 3,960 = 6,732.
        QTest::newRow("lunch 13:00 Beijing") << utc(2026, 11, 25, 5, 0) << true << qint64(6732);
        QTest::newRow("saturday") << utc(2026, 11, 28, 3, 0) << true << qint64(6732);
        QTest::newRow("09:00 Beijing starts peak") << utc(2026, 11, 25, 1, 0) << false << qint64(13464);
        QTest::newRow("08:59:59 Beijing is off-peak") << utc(2026, 11, 25, 0, 59, 59) << true << qint64(6732);
        QTest::newRow("18:00 Beijing ends peak") << utc(2026, 11, 25, 10, 0) << true << qint64(6732);
        QTest::newRow("friday 23:30 Beijing") << utc(2026, 11, 27, 15, 30) << true << qint64(6732);
        QTest::newRow("monday 10:00 Beijing (sunday UTC)") << utc(2026, 11, 30, 2, 0) << false << qint64(13464);
    }

    void offPeakInTheProvidersTimeZone()
    {
        QFETCH(QDateTime, when);
        QFETCH(bool, offPeak);
        QFETCH(qint64, micros);
        const auto c = PriceBook::cost(*catalog.model(u"deepseek-v4-pro")->price, usage(10000, 6000, 2000), when);
        QCOMPARE(c->offPeak, offPeak);
        QCOMPARE(c->micros, micros);
    }

    void inputLengthTiers()
    {
        const Price &m3 = *catalog.model(u"minimax-m3")->price;
        // Above 512K: 500,000 × 0.60 + 100,000 × 0.12 + 1,000 × 2.40 = 300,000 + 12,000 + 2,400.
        auto c = PriceBook::cost(m3, usage(600000, 100000, 1000), utc(2026, 11, 25, 3, 0));
        QCOMPARE(c->micros, 314400);
        QCOMPARE(c->tierAbove, 512000);
        // Exactly 512K is still the base tier: 412,000 × 0.30 + 100,000 × 0.06 + 1,000 × 1.20.
        c = PriceBook::cost(m3, usage(512000, 100000, 1000), utc(2026, 11, 25, 3, 0));
        QCOMPARE(c->micros, 130800);
        QCOMPARE(c->tierAbove, 0);
    }

    void thinkingOutput()
    {
        const QByteArray yaml = ConfigLoader::builtInCatalog().replace(
            "routes:", "  - name: qwen-test\n    provider: dashscope\n    id: q\n    context: 100000\n"
                       "    price: {currency: CNY, input: 0.8, output: 2, output_thinking: 8}\nroutes:");
        const Config c = *ConfigLoader::parse(yaml).config;
        const Price &p = *c.model(u"qwen-test")->price;
        // Thinking: 1,000 × 0.8 + 500 × 8 = 800 + 4,000 = 4,800 micro-CNY.
        auto cost = PriceBook::cost(p, usage(1000, -1, 500, 300), QDateTime::currentDateTimeUtc());
        QCOMPARE(cost->micros, 4800);
        QVERIFY(cost->thinkingRate);
        QCOMPARE(cost->currency, QStringLiteral("CNY"));
        // Not thinking: 1,000 × 0.8 + 500 × 2 = 1,800. No cache price: hits are billed as input.
        cost = PriceBook::cost(p, usage(1000, 400, 500, 0), QDateTime::currentDateTimeUtc());
        QCOMPARE(cost->micros, 1800);
        QVERIFY(!cost->thinkingRate);
    }

    void twoCurrenciesStayApart()
    {
        const QByteArray yaml = ConfigLoader::builtInCatalog().replace(
            "routes:", "  - name: cny-model\n    provider: moonshot\n    id: k\n    context: 100000\n"
                       "    price: {currency: CNY, input: 4, cached_input: 1, output: 16}\nroutes:");
        const Config c = *ConfigLoader::parse(yaml).config;
        const Usage u = usage(2000, 1000, 100);
        // kimi-2.6 (USD): 1,000 × 0.95 + 1,000 × 0.16 + 100 × 4 = 950 + 160 + 400 = 1,510 micro-USD.
        const auto usd = PriceBook::cost(*c.model(u"kimi-2.6")->price, u, QDateTime::currentDateTimeUtc());
        // CNY: 1,000 × 4 + 1,000 × 1 + 100 × 16 = 4,000 + 1,000 + 1,600 = 6,600 micro-CNY.
        const auto cny = PriceBook::cost(*c.model(u"cny-model")->price, u, QDateTime::currentDateTimeUtc());
        QCOMPARE(usd->micros, 1510);
        QCOMPARE(usd->currency, QStringLiteral("USD"));
        QCOMPARE(cny->micros, 6600);
        QCOMPARE(cny->currency, QStringLiteral("CNY"));
    }

    void roundingToTheMicroUnit()
    {
        const Price &p = *catalog.model(u"deepseek-flash")->price;   // 0.30 in, 1.20 out at peak
        QCOMPARE(PriceBook::cost(p, usage(1, 0, 0), utc(2026, 11, 25, 3, 0))->micros, 0);   // 0.3 → 0
        QCOMPARE(PriceBook::cost(p, usage(2, 0, 0), utc(2026, 11, 25, 3, 0))->micros, 1);   // 0.6 → 1
        QCOMPARE(PriceBook::cost(p, usage(0, 0, 1), utc(2026, 11, 25, 3, 0))->micros, 1);   // 1.2 → 1
        // A million tokens each way: exactly the per-1M prices.
        QCOMPARE(PriceBook::cost(p, usage(1000000, 0, 1000000), utc(2026, 11, 25, 3, 0))->micros, 1500000);
    }

    void noUsageNoCost()
    {
        QVERIFY(!PriceBook::cost(*catalog.model(u"deepseek-flash")->price, Usage {}, QDateTime::currentDateTimeUtc()));
    }
};

QTEST_GUILESS_MAIN(TestPriceBook)
#include "tst_pricebook.moc"
