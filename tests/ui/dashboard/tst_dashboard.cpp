// The dashboard's real widgets over a real ledger file: what it shows agrees with the rows, the
// filters narrow it, the comparison prices the period with another model, and the export writes
// the rows under the filters.
#include "ConfigLoader.h"
#include "ConfigStore.h"
#include "DashboardPage.h"
#include "Database.h"
#include "Dispatch.h"
#include "Ledger.h"
#include "Money.h"
#include "PriceBook.h"
#include "ReportTableModel.h"
#include "RoutesModel.h"
#include "RoutingPage.h"

#include <QAbstractItemModelTester>
#include <QBarSet>
#include <QChartView>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStackedBarSeries>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

namespace {

const QByteArray extraModel = "  - name: kimi-cn\n    provider: moonshot\n    id: kimi-k2.6\n    context: 262144\n"
                              "    price: {currency: CNY, input: 4, cached_input: 1, output: 16, as_of: 2026-11-20}\n";

} // namespace

class TestDashboard : public QObject
{
    Q_OBJECT

    QTemporaryDir dir;
    std::unique_ptr<ConfigStore> config;
    QList<LedgerRow> rows;
    QString dbPath;

    template<typename T>
    T *find(QWidget *root, const char *name)
    {
        T *w = root->findChild<T *>(QLatin1String(name));
        if (!w)
            qFatal("no %s", name);
        return w;
    }

    // Attempts over the last days: two USD models and one CNY model, chat and code, two clients;
    // one failed attempt that fell back, one without usage.
    void seed()
    {
        const Config &c = config->config();
        const QDate today = QDate::currentDate();
        int n = 0;
        for (int day = 0; day < 5; ++day) {
            for (const QString &model : {QStringLiteral("deepseek-v4-pro"), QStringLiteral("kimi-2.6"), QStringLiteral("kimi-cn")}) {
                Attempt a;
                a.number = 1;
                a.model = model;
                a.provider = c.model(model)->provider;
                a.providerModel = c.model(model)->id;
                a.result.httpStatus = 200;
                a.result.content = QStringLiteral("answer");
                a.result.usage.promptTokens = 10000 + 1000 * day;
                a.result.usage.cachedTokens = 4000;
                a.result.usage.completionTokens = 800;
                a.result.totalMs = 1000 + 100 * day;
                a.result.ttftMs = 200 + 10 * day;
                Ledger::Context ctx;
                ctx.requestId = QStringLiteral("r%1").arg(++n);
                ctx.client = day % 2 ? QStringLiteral("scripts") : QStringLiteral("window");
                if (day % 2)   // the scripts' calls come through the endpoint's doors
                    ctx.api = day % 4 == 1 ? QStringLiteral("responses") : QStringLiteral("messages");
                ctx.taskType = model == u"kimi-2.6" ? QStringLiteral("long_document") : QStringLiteral("chat");
                ctx.rule = QStringLiteral("default");
                rows << Ledger::rowFor(a, ctx, c, QDateTime(today.addDays(-day), QTime(10, 0)).toUTC());
            }
        }
        // A rate-limited attempt and its fallback.
        Attempt limited;
        limited.number = 1;
        limited.model = QStringLiteral("deepseek-v4-pro");
        limited.provider = QStringLiteral("deepseek");
        limited.providerModel = limited.model;
        limited.result.httpStatus = 429;
        limited.result.error = ProviderError {};
        limited.result.error->errorClass = ErrorClass::RateLimit;
        Ledger::Context ctx;
        ctx.requestId = QStringLiteral("fallback");
        ctx.client = QStringLiteral("window");
        ctx.taskType = QStringLiteral("code");
        rows << Ledger::rowFor(limited, ctx, c, QDateTime(today, QTime(9, 0)).toUTC());
        Attempt fallback = limited;
        fallback.number = 2;
        fallback.model = QStringLiteral("kimi-2.6");
        fallback.provider = QStringLiteral("moonshot");
        fallback.result = {};
        fallback.result.httpStatus = 200;
        fallback.result.content = QString(2000, QLatin1Char('x'));   // no usage: estimated
        ctx.estimatedInputTokens = 3000;
        rows << Ledger::rowFor(fallback, ctx, c, QDateTime(today, QTime(9, 0, 5)).toUTC());

        Database db(dbPath);
        QSignalSpy opened(&db, &Database::opened);
        db.open();
        QVERIFY(opened.wait(10000));
        Ledger ledger(&db);
        QSignalSpy committed(&db, &Database::batchCommitted);
        for (const LedgerRow &r : std::as_const(rows))
            ledger.finished(r);
        ledger.flush();
        QVERIFY(committed.wait(10000));
    }

    QMap<QString, qint64> expectedTotals(const std::function<bool(const LedgerRow &)> &keep = {}) const
    {
        QMap<QString, qint64> out;
        for (const LedgerRow &r : rows) {
            if ((!keep || keep(r)) && r.costMicros >= 0 && !r.currency.isEmpty())
                out[r.currency] += r.costMicros;
        }
        return out;
    }

    static QString display(const QMap<QString, qint64> &totals)
    {
        QStringList parts;
        for (auto it = totals.cbegin(); it != totals.cend(); ++it)
            parts << Money::display(it.value(), it.key(), QLocale());
        return parts.join(QStringLiteral(" + "));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(dir.isValid());
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        QFile yaml(dir.filePath(QStringLiteral("config.yaml")));
        QVERIFY(yaml.open(QIODevice::WriteOnly));
        yaml.write(ConfigLoader::builtInCatalog().replace("routes:", QByteArray(extraModel + "routes:")));
        yaml.close();
        config = std::make_unique<ConfigStore>(yaml.fileName());
        QVERIFY2(config->reload(), qPrintable(config->lastError()));
        dbPath = dir.filePath(QStringLiteral("switchyard.sqlite3"));
        seed();
    }

    void showsWhatTheLedgerHolds()
    {
        DashboardPage page(config.get(), dbPath);
        page.resize(1100, 900);
        QSignalSpy shown(&page, &DashboardPage::reportShown);
        page.show();
        QVERIFY(shown.wait(10000));
        const LedgerReport *report = page.report();
        QVERIFY(report);
        QCOMPARE(report->attempts, rows.size());
        QCOMPARE(report->requests(), rows.size() - 1);   // the fallback is the second attempt of one
        QCOMPARE(report->errors, 1);
        QCOMPARE(report->estimated, 1);
        QCOMPARE(report->totalCost, expectedTotals());
        QCOMPARE(report->currencies.size(), 2);

        auto *spend = find<QLabel>(&page, "dashboardSpend");
        QVERIFY2(spend->text().contains(display(expectedTotals()).toHtmlEscaped()), qPrintable(spend->text()));
        QVERIFY(find<QLabel>(&page, "dashboardRequests")->text().contains(QString::number(rows.size() - 1)));
        QVERIFY(find<QLabel>(&page, "dashboardStatus")->text().contains(QStringLiteral("estimated")));

        // Charts: one currency at a time, a bar per day of the last 30, stacked by model.
        auto *currency = find<QComboBox>(&page, "dashboardCurrency");
        QCOMPARE(currency->count(), 2);
        QVERIFY(currency->isEnabled());
        auto *time = find<QChartView>(&page, "dashboardTimeChart");
        QCOMPARE(time->chart()->series().size(), 1);
        auto *stacked = qobject_cast<QStackedBarSeries *>(time->chart()->series().first());
        QVERIFY(stacked);
        const QString shownCurrency = currency->currentText();
        QCOMPARE(stacked->count(), shownCurrency == u"USD" ? 2 : 1);   // the USD models, or the CNY one
        for (QBarSet *set : stacked->barSets())
            QCOMPARE(set->count(), 30);
        double charted = 0;
        for (QBarSet *set : stacked->barSets())
            for (int i = 0; i < set->count(); ++i)
                charted += set->at(i);
        QCOMPARE(qRound64(charted * 1e6), expectedTotals().value(shownCurrency));

        // Per model, checked with the model tester; the costliest calls, dearest first per currency.
        auto *models = find<QTableView>(&page, "dashboardModelsTable");
        QAbstractItemModelTester tester(models->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(models->model()->rowCount(), 3);
        auto *costliest = find<QTableView>(&page, "dashboardCostliestTable");
        QVERIFY(costliest->model()->rowCount() >= 3);
        const qint64 first = costliest->model()->index(0, 6).data(ReportTableModel::RawValueRole).toLongLong();
        const qint64 second = costliest->model()->index(1, 6).data(ReportTableModel::RawValueRole).toLongLong();
        QVERIFY(first >= second);
    }

    void filtersNarrowTheReport()
    {
        DashboardPage page(config.get(), dbPath);
        QSignalSpy shown(&page, &DashboardPage::reportShown);
        page.show();
        QVERIFY(shown.wait(10000));
        auto *model = find<QComboBox>(&page, "dashboardModel");
        const int kimi = model->findData(QStringLiteral("kimi-2.6"));
        QVERIFY(kimi > 0);
        model->setCurrentIndex(kimi);
        emit model->activated(kimi);
        QVERIFY(shown.wait(10000));
        QCOMPARE(page.report()->totalCost, expectedTotals([](const LedgerRow &r) { return r.model == u"kimi-2.6"; }));
        QCOMPARE(page.report()->models.size(), 1);

        auto *client = find<QComboBox>(&page, "dashboardClient");
        const int scripts = client->findData(QStringLiteral("scripts"));
        client->setCurrentIndex(scripts);
        emit client->activated(scripts);
        QVERIFY(shown.wait(10000));
        QCOMPARE(page.report()->totalCost, expectedTotals([](const LedgerRow &r) {
            return r.model == u"kimi-2.6" && r.client == u"scripts";
        }));

        // By the endpoint's door, named as people know it.
        auto *api = find<QComboBox>(&page, "dashboardApi");
        const int messages = api->findData(QStringLiteral("messages"));
        QVERIFY(messages > 0);
        QCOMPARE(api->itemText(messages), QStringLiteral("Anthropic Messages"));
        QVERIFY(api->findData(QStringLiteral("responses")) > 0);
        api->setCurrentIndex(messages);
        emit api->activated(messages);
        QVERIFY(shown.wait(10000));
        const QMap<QString, qint64> viaMessages = expectedTotals([](const LedgerRow &r) {
            return r.model == u"kimi-2.6" && r.client == u"scripts" && r.api == u"messages";
        });
        QVERIFY(!viaMessages.isEmpty());
        QVERIFY(viaMessages != expectedTotals([](const LedgerRow &r) { return r.model == u"kimi-2.6" && r.client == u"scripts"; }));
        QCOMPARE(page.report()->totalCost, viaMessages);

        auto *granularity = find<QComboBox>(&page, "dashboardGranularity");
        granularity->setCurrentIndex(2);   // by month
        emit granularity->activated(2);
        QVERIFY(shown.wait(10000));
        QVERIFY(page.report()->buckets.size() <= 2);   // the last 30 days span one or two months
    }

    // "What routing saved": every successful attempt priced with one model, call by call.
    void comparisonPricesThePeriodWithOneModel()
    {
        DashboardPage page(config.get(), dbPath);
        QSignalSpy shown(&page, &DashboardPage::reportShown);
        page.show();
        QVERIFY(shown.wait(10000));
        auto *compare = find<QComboBox>(&page, "dashboardCompareModel");
        const int i = compare->findData(QStringLiteral("deepseek-flash"));
        QVERIFY(i > 0);
        compare->setCurrentIndex(i);
        emit compare->activated(i);
        QVERIFY(shown.wait(10000));
        const Price &flash = *config->config().model(u"deepseek-flash")->price;
        qint64 expected = 0;
        int priced = 0;
        for (const LedgerRow &r : std::as_const(rows)) {
            if (r.status != u"ok")
                continue;
            Usage u;
            u.promptTokens = r.promptTokens;
            u.cachedTokens = r.cachedTokens;
            u.completionTokens = r.completionTokens;
            u.reasoningTokens = r.reasoningTokens;
            expected += PriceBook::cost(flash, u, r.time)->micros;
            ++priced;
        }
        QVERIFY(page.report()->comparison);
        QCOMPARE(page.report()->comparison->costMicros, expected);
        QCOMPARE(page.report()->comparison->attempts, priced);
        QVERIFY(find<QLabel>(&page, "dashboardComparison")->text().contains(Money::display(expected, u"USD", QLocale())));
    }

    // The routing editor's draft replayed over the recorded calls: each call routed again from
    // what the ledger kept, and priced with the tokens it really used.
    void draftRulesAreReplayedOverThePeriod()
    {
        RoutingPage page(config.get(), dbPath);
        auto *yaml = find<QPlainTextEdit>(&page, "routesYamlEdit");
        auto *status = find<QLabel>(&page, "routesStatusLabel");
        yaml->setPlainText(QStringLiteral("routes:\n  - match: task_type == \"long_document\" and client == \"window\"\n"
                                          "    model: kimi-cn\n  - default: deepseek-flash\n"));
        QTRY_VERIFY(page.model()->routes().value(0).match.contains(QStringLiteral("long_document")));
        QVERIFY2(status->text().contains(QStringLiteral("2 rules, all valid")), qPrintable(status->text()));

        // What it should come to, worked out from the rows.
        const Config &c = config->config();
        QMap<QString, qint64> replayed, actual;
        int requests = 0, changed = 0;
        for (const LedgerRow &r : std::as_const(rows)) {
            if (r.status != u"ok")
                continue;
            const QString model = r.taskType == u"long_document" && r.client == u"window" ? QStringLiteral("kimi-cn")
                                                                                          : QStringLiteral("deepseek-flash");
            Usage u;
            u.promptTokens = r.promptTokens;
            u.cachedTokens = r.cachedTokens;
            u.completionTokens = r.completionTokens;
            u.reasoningTokens = r.reasoningTokens;
            const Cost cost = *PriceBook::cost(*c.model(model)->price, u, r.time);
            replayed[cost.currency] += cost.micros;
            actual[r.currency] += r.costMicros;
            ++requests;
            changed += model != r.model;
        }
        QSignalSpy done(&page, &RoutingPage::replayFinished);
        QTest::mouseClick(find<QPushButton>(&page, "replayButton"), Qt::LeftButton);
        QVERIFY(done.wait(10000));
        const QString text = find<QLabel>(&page, "replayResultLabel")->text();
        QVERIFY2(text.startsWith(QStringLiteral("%1 calls would have cost %2 (they cost %3); %4 go to another model.")
                                     .arg(requests)
                                     .arg(display(replayed), display(actual))
                                     .arg(changed)),
                 qPrintable(text));
        QVERIFY(!text.contains(QStringLiteral("does not keep")));   // these rules use only what the ledger keeps

        yaml->setPlainText(QStringLiteral("routes:\n  - match: has_image or message_count > 5\n    model: kimi-cn\n"
                                          "  - default: deepseek-flash\n"));
        QTRY_VERIFY(page.model()->routes().value(0).match.contains(QStringLiteral("has_image")));
        QTest::mouseClick(find<QPushButton>(&page, "replayButton"), Qt::LeftButton);
        QVERIFY(done.wait(10000));
        QVERIFY(find<QLabel>(&page, "replayResultLabel")->text().contains(QStringLiteral("does not keep has_image, message_count")));
    }

    // Budgets of the calendar month warn at 80% and 100%; with rates set, one converted total shows.
    void budgetsWarnAndRatesConvert()
    {
        const QDate today = QDate::currentDate();
        auto spentThisMonth = [&](const QString &currency, const QString &provider) {
            qint64 micros = 0;
            for (const LedgerRow &r : std::as_const(rows)) {
                const QDate local = r.time.toLocalTime().date();
                if (r.currency == currency && (provider.isEmpty() || r.provider == provider) && local.year() == today.year()
                    && local.month() == today.month() && r.costMicros > 0)
                    micros += r.costMicros;
            }
            return micros;
        };
        const qint64 usd = spentThisMonth(QStringLiteral("USD"), {});
        const qint64 cny = spentThisMonth(QStringLiteral("CNY"), QStringLiteral("moonshot"));
        QVERIFY(usd > 0 && cny > 0);
        // A USD budget already exceeded; a moonshot CNY budget at about 90%; a roomy one.
        const QByteArray budgets = "budgets:\n"
                                   "  - {currency: USD, monthly: " + Money::formatMicros(std::max<qint64>(usd / 2, 1)).toUtf8() + "}\n"
                                   "  - {currency: CNY, monthly: " + Money::formatMicros(cny * 10 / 9).toUtf8() + ", provider: moonshot}\n"
                                   "  - {currency: CNY, monthly: 100000}\n"
                                   "currency_rates:\n  display: USD\n  rates: {CNY: 0.138}\n";
        QFile yaml(dir.filePath(QStringLiteral("budgets.yaml")));
        QVERIFY(yaml.open(QIODevice::WriteOnly));
        yaml.write(ConfigLoader::builtInCatalog().replace("routes:", QByteArray(extraModel + budgets + "routes:")));
        yaml.close();
        ConfigStore store(yaml.fileName());
        QVERIFY2(store.reload(), qPrintable(store.lastError()));

        DashboardPage page(&store, dbPath);
        QSignalSpy shown(&page, &DashboardPage::reportShown);
        QSignalSpy alerts(&page, &DashboardPage::budgetAlert);
        page.show();
        QVERIFY(shown.wait(10000));
        const LedgerReport *report = page.report();
        QCOMPARE(report->budgets.size(), 3);
        QCOMPARE(report->budgets[0].spentMicros, usd);
        QCOMPARE(report->budgets[1].spentMicros, cny);
        QCOMPARE(alerts.size(), 2);
        QCOMPARE(alerts[0].at(1).toInt(), 100);
        QCOMPARE(alerts[1].at(1).toInt(), 80);
        QVERIFY(alerts[1].at(0).toString().endsWith(QStringLiteral("|CNY|moonshot")));
        auto *banner = find<QLabel>(&page, "dashboardBudgetBanner");
        QVERIFY(banner->isVisible());
        QVERIFY(banner->text().contains(QStringLiteral("Over budget")));
        QVERIFY(banner->text().contains(QStringLiteral("CNY for moonshot")));

        // The period's total at 0.138 USD a yuan, worked out here the same way.
        qint64 converted = 0;
        for (auto it = report->totalCost.cbegin(); it != report->totalCost.cend(); ++it)
            converted += *store.config().currencyRates.convert(it.value(), it.key());
        QCOMPARE(*report->convertedTotal, converted);
        QVERIFY(find<QLabel>(&page, "dashboardSpend")->text().contains(Money::display(converted, u"USD", QLocale())));
    }

    // The export writes the rows under the current filters; its costs add up to what is shown.
    void exportWritesTheFilteredRows()
    {
        DashboardPage page(config.get(), dbPath);
        QSignalSpy shown(&page, &DashboardPage::reportShown);
        page.show();
        QVERIFY(shown.wait(10000));
        auto *task = find<QComboBox>(&page, "dashboardTask");
        const int chat = task->findData(QStringLiteral("chat"));
        task->setCurrentIndex(chat);
        emit task->activated(chat);
        QVERIFY(shown.wait(10000));

        QSignalSpy finished(&page, &DashboardPage::exportFinished);
        const QString path = dir.filePath(QStringLiteral("chat.csv"));
        page.exportTo(path, Ledger::Format::Csv);
        QVERIFY(finished.wait(10000));
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().mid(3).trimmed().split('\n');
        const QList<QByteArray> header = lines[0].trimmed().split(',');
        const int costColumn = int(header.indexOf("cost"));
        const int currencyColumn = int(header.indexOf("currency"));
        QMap<QString, qint64> sums;
        for (int i = 1; i < lines.size(); ++i) {
            const QList<QByteArray> f = lines[i].trimmed().split(',');
            sums[QString::fromUtf8(f[currencyColumn])] += *Money::parseMicros(QString::fromUtf8(f[costColumn]));
        }
        const auto isChat = [](const LedgerRow &r) { return r.taskType == u"chat"; };
        QCOMPARE(lines.size() - 1, std::count_if(rows.cbegin(), rows.cend(), isChat));
        QCOMPARE(sums, expectedTotals(isChat));
        QCOMPARE(page.report()->totalCost, sums);
    }
};

QTEST_MAIN(TestDashboard)
#include "tst_dashboard.moc"
