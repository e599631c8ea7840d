// The dashboard's real widgets over a real ledger file: what it shows agrees with the rows, the
// filters narrow it, the comparison prices the period with another model, and the export writes
// the rows under the filters. Its charts read right at any amount: labels that tell ticks apart,
// one colour per model everywhere, day labels thinned to fit, stopped answers not errors.
#include "AxisTicks.h"
#include "ConfigLoader.h"
#include "ConfigStore.h"
#include "DashboardPage.h"
#include "WheelGuard.h"
#include "WheelInput.h"
#include "Database.h"
#include "Dispatch.h"
#include "Ledger.h"
#include "ModelColors.h"
#include "Money.h"
#include "PriceBook.h"
#include "ReportTableModel.h"
#include "RoutesModel.h"
#include "RoutingPage.h"
#include "Translations.h"

#include <QAbstractItemModelTester>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QCategoryAxis>
#include <QChartView>
#include <QGraphicsTextItem>
#include <QHorizontalStackedBarSeries>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStackedBarSeries>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

void writeRows(const QString &path, const QList<LedgerRow> &rows)
{
    Database db(path);
    QSignalSpy opened(&db, &Database::opened);
    db.open();
    QVERIFY(opened.wait(10000));
    Ledger ledger(&db);
    QSignalSpy committed(&db, &Database::batchCommitted);
    for (const LedgerRow &r : rows)
        ledger.finished(r);
    ledger.flush();
    QVERIFY(committed.wait(10000));
}

// Each bar set of a chart's one bar series, by name, with its colour.
QMap<QString, QColor> barColors(QChartView *view)
{
    QMap<QString, QColor> out;
    const QList<QAbstractSeries *> series = view->chart()->series();
    if (series.isEmpty())
        return out;
    if (auto *bars = qobject_cast<QAbstractBarSeries *>(series.first())) {
        for (QBarSet *set : bars->barSets())
            out.insert(set->label(), set->color());
    }
    return out;
}

QCategoryAxis *valueAxis(QChartView *view, Qt::Orientation orientation)
{
    const QList<QAbstractAxis *> axes = view->chart()->axes(orientation);
    return axes.isEmpty() ? nullptr : qobject_cast<QCategoryAxis *>(axes.first());
}

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
        writeRows(dbPath, rows);
    }

    // A new user's first three requests, each a fraction of a cent: one answered after a
    // rate-limited attempt, one answered, one stopped by the user; and a model passed over because
    // its provider has no key (nothing sent).
    QList<LedgerRow> firstCalls() const
    {
        const Config &c = config->config();
        const QDate today = QDate::currentDate();
        QList<LedgerRow> out;
        auto attempt = [&](const QString &model, int number, const QString &request, int day, std::optional<ErrorClass> error) {
            Attempt a;
            a.number = number;
            a.model = model;
            a.provider = c.model(model)->provider;
            a.providerModel = c.model(model)->id;
            a.result.usage.promptTokens = 400;
            a.result.usage.completionTokens = 250;
            a.result.totalMs = 1500;
            if (error) {
                a.result.error = ProviderError {};
                a.result.error->errorClass = *error;
                a.result.httpStatus = *error == ErrorClass::RateLimit ? 429 : 0;
            } else {
                a.result.httpStatus = 200;
                a.result.content = QStringLiteral("answer");
            }
            Ledger::Context ctx;
            ctx.requestId = request;
            ctx.client = QStringLiteral("window");
            ctx.taskType = QStringLiteral("chat");
            return Ledger::rowFor(a, ctx, c, QDateTime(today.addDays(-day), QTime(11, 0, number)).toUTC());
        };
        out << attempt(QStringLiteral("deepseek-v4-pro"), 1, QStringLiteral("a"), 0, ErrorClass::RateLimit);
        out << attempt(QStringLiteral("deepseek-flash"), 2, QStringLiteral("a"), 0, std::nullopt);
        out << attempt(QStringLiteral("kimi-2.6"), 1, QStringLiteral("b"), 1, std::nullopt);
        out << attempt(QStringLiteral("deepseek-v4-pro"), 1, QStringLiteral("c"), 2, ErrorClass::Cancelled);
        LedgerRow passedOver = attempt(QStringLiteral("kimi-2.6"), 1, QStringLiteral("d"), 2, std::nullopt);
        passedOver.status = QStringLiteral("no_key");   // the router's "nothing sent: no key"
        passedOver.promptTokens = passedOver.completionTokens = -1;
        passedOver.costMicros = -1;
        passedOver.currency.clear();
        out << passedOver;
        return out;
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
        QCOMPARE(Translations::install(*qApp, QStringLiteral("en_US")), QStringLiteral("en"));   // the window's English, plurals and all
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

    // Round steps in micro-units, and labels with just the decimals that tell them apart.
    void axisTicks_data()
    {
        QTest::addColumn<qint64>("maxMicros");
        QTest::addColumn<int>("maxSteps");
        QTest::addColumn<QStringList>("labels");
        QTest::newRow("nothing spent") << qint64(0) << 5 << QStringList {u"0"_s, u"1"_s};
        QTest::newRow("a tenth of a cent") << qint64(1200) << 5 << QStringList {u"0.0000"_s, u"0.0005"_s, u"0.0010"_s, u"0.0015"_s};
        QTest::newRow("three micro-units") << qint64(3) << 5 << QStringList {u"0.000000"_s, u"0.000001"_s, u"0.000002"_s, u"0.000003"_s};
        QTest::newRow("dollars") << qint64(2'340'000) << 5 << QStringList {u"0.0"_s, u"0.5"_s, u"1.0"_s, u"1.5"_s, u"2.0"_s, u"2.5"_s};
        QTest::newRow("thousands") << qint64(1'234'000'000) << 5 << QStringList {u"0"_s, u"500"_s, u"1,000"_s, u"1,500"_s};
        QTest::newRow("exactly on a step") << qint64(40'000) << 4 << QStringList {u"0.00"_s, u"0.01"_s, u"0.02"_s, u"0.03"_s, u"0.04"_s};
        QTest::newRow("few steps allowed") << qint64(9'000'000) << 2 << QStringList {u"0"_s, u"5"_s, u"10"_s};
    }

    void axisTicks()
    {
        QFETCH(qint64, maxMicros);
        QFETCH(int, maxSteps);
        QFETCH(QStringList, labels);
        const AxisTicks t = AxisTicks::forMicros(maxMicros, maxSteps);
        QCOMPARE(t.labels(QLocale(QLocale::English, QLocale::UnitedStates)), labels);
        QVERIFY(t.maxMicros() >= maxMicros);
        QVERIFY(t.steps <= maxSteps);
    }

    // A model's colour depends on the models known, not on their order or on a filter; models
    // get distinct colours while the palette lasts.
    void modelColorsAreStable()
    {
        const QStringList models = {u"deepseek-v4-pro"_s, u"kimi-2.6"_s, u"deepseek-flash"_s, u"qwen3-235b"_s, u"minimax-2.7"_s};
        QStringList shuffled = models;
        std::reverse(shuffled.begin(), shuffled.end());
        const ModelColors a(models), b(shuffled + QStringList {models.first()});
        QSet<QRgb> seen;
        for (const QString &m : models) {
            QCOMPARE(a.color(m, false), b.color(m, false));
            QCOMPARE(a.color(m, true), b.color(m, true));
            QVERIFY(a.color(m, false) != a.color(m, true));   // a lighter shade on dark backgrounds
            seen.insert(a.color(m, false).rgb());
        }
        QCOMPARE(seen.size(), models.size());
        QStringList many;
        for (int i = 0; i < ModelColors::paletteSlots(); ++i)
            many << u"model-%1"_s.arg(i);
        const ModelColors full(many);
        seen.clear();
        for (const QString &m : std::as_const(many))
            seen.insert(full.color(m, false).rgb());
        QCOMPARE(seen.size(), ModelColors::paletteSlots());
    }

    // Three calls of a fraction of a cent: the axes' labels differ from one another, and the
    // stopped answer and the model passed over for want of a key are not errors.
    void fractionsOfACentReadRight()
    {
        const QString path = dir.filePath(u"first-calls.sqlite3"_s);
        const QList<LedgerRow> first = firstCalls();
        writeRows(path, first);
        qint64 peak = 0;
        for (const LedgerRow &r : first) {
            QVERIFY(r.costMicros < 10'000);   // each under a cent
            peak = std::max(peak, r.costMicros);
        }
        DashboardPage page(config.get(), path);
        page.resize(1100, 900);
        QSignalSpy shown(&page, &DashboardPage::reportShown);
        page.show();
        QVERIFY(shown.wait(10000));
        const LedgerReport *report = page.report();
        QCOMPARE(report->requests(), 4);
        QCOMPARE(report->errors, 1);          // the rate limit; not the stop, not the missing key
        QCOMPARE(report->stopped, 1);
        QCOMPARE(report->passedOver, 1);
        QCOMPARE(report->sent(), 4);
        const QString errors = find<QLabel>(&page, "dashboardReliability")->text();
        QVERIFY2(errors.contains(u"25.0%"_s), qPrintable(errors));   // 1 of the 4 attempts sent
        QVERIFY2(errors.contains(u"1 failed attempt · 1 stopped · 1 passed over: no key"_s), qPrintable(errors));
        const QString requests = find<QLabel>(&page, "dashboardRequests")->text();
        QVERIFY2(requests.contains(u"5 attempts,"_s), qPrintable(requests));

        // Per model: deepseek-v4-pro failed once and was stopped once, so half its attempts sent failed.
        auto *models = find<QTableView>(&page, "dashboardModelsTable")->model();
        for (int row = 0; row < models->rowCount(); ++row) {
            const QString model = models->index(row, 0).data().toString();
            const QString rate = models->index(row, 3).data().toString();
            if (model == u"deepseek-v4-pro")
                QCOMPARE(rate, u"50.0%"_s);
            else if (model == u"kimi-2.6")
                QCOMPARE(rate, u"0.0%"_s);   // its passed-over row is not in the rate
        }

        for (QChartView *view : {find<QChartView>(&page, "dashboardTimeChart"), find<QChartView>(&page, "dashboardModelChart"),
                                 find<QChartView>(&page, "dashboardTaskChart")}) {
            QCategoryAxis *axis = valueAxis(view, view->objectName() == u"dashboardTimeChart" ? Qt::Vertical : Qt::Horizontal);
            QVERIFY2(axis, qPrintable(view->objectName()));
            const QStringList labels = axis->categoriesLabels();
            QVERIFY2(labels.size() >= 3, qPrintable(labels.join(u' ')));
            QCOMPARE(QSet<QString>(labels.cbegin(), labels.cend()).size(), labels.size());
            QVERIFY2(labels.count(u"0.00"_s) <= 1, qPrintable(labels.join(u' ')));
            QVERIFY(axis->max() * double(Money::MicrosPerUnit) >= double(peak));
        }
    }

    // The same model wears the same colour in every chart, under a filter and in a new window.
    void oneColourPerModel()
    {
        QMap<QString, QColor> time, byModel;
        {
            DashboardPage page(config.get(), dbPath);
            QSignalSpy shown(&page, &DashboardPage::reportShown);
            page.show();
            QVERIFY(shown.wait(10000));
            auto *currency = find<QComboBox>(&page, "dashboardCurrency");
            const int usd = currency->findText(u"USD"_s);
            currency->setCurrentIndex(usd);
            emit currency->activated(usd);
            time = barColors(find<QChartView>(&page, "dashboardTimeChart"));
            byModel = barColors(find<QChartView>(&page, "dashboardModelChart"));
            QCOMPARE(time.keys(), QStringList({u"deepseek-v4-pro"_s, u"kimi-2.6"_s}));
            QCOMPARE(byModel, time);
            QVERIFY(time.value(u"deepseek-v4-pro"_s) != time.value(u"kimi-2.6"_s));
            // The task chart stacks each task by model, in the same colours.
            const QMap<QString, QColor> byTask = barColors(find<QChartView>(&page, "dashboardTaskChart"));
            for (auto it = byTask.cbegin(); it != byTask.cend(); ++it)
                QCOMPARE(it.value(), time.value(it.key()));

            auto *model = find<QComboBox>(&page, "dashboardModel");
            const int kimi = model->findData(u"kimi-2.6"_s);
            model->setCurrentIndex(kimi);
            emit model->activated(kimi);
            QVERIFY(shown.wait(10000));
            const QMap<QString, QColor> filtered = barColors(find<QChartView>(&page, "dashboardTimeChart"));
            QCOMPARE(filtered.keys(), QStringList {u"kimi-2.6"_s});
            QCOMPARE(filtered.value(u"kimi-2.6"_s), time.value(u"kimi-2.6"_s));
        }
        DashboardPage again(config.get(), dbPath);
        QSignalSpy shown(&again, &DashboardPage::reportShown);
        again.show();
        QVERIFY(shown.wait(10000));
        auto *currency = find<QComboBox>(&again, "dashboardCurrency");
        const int usd = currency->findText(u"USD"_s);
        currency->setCurrentIndex(usd);
        emit currency->activated(usd);
        QCOMPARE(barColors(find<QChartView>(&again, "dashboardTimeChart")), time);
    }

    // At 800 pixels thirty day labels do not fit side by side: some are left out, none is cut
    // to "…", and today's stays. A wide window shows them all.
    void dayLabelsThinToFit()
    {
        DashboardPage page(config.get(), dbPath);
        page.resize(800, 600);
        QSignalSpy shown(&page, &DashboardPage::reportShown);
        page.show();
        QVERIFY(shown.wait(10000));
        auto *view = find<QChartView>(&page, "dashboardTimeChart");
        QTRY_VERIFY(valueAxis(view, Qt::Horizontal) && view->chart()->plotArea().width() > 0);
        QCategoryAxis *x = valueAxis(view, Qt::Horizontal);
        QTRY_VERIFY2(x->count() > 0 && x->count() < 30, qPrintable(x->categoriesLabels().join(u' ')));
        QCOMPARE(x->categoriesLabels().last(), QString::number(QDate::currentDate().day()));
        // What the chart draws, once it has laid itself out.
        auto drawn = [view] {
            QStringList out;
            for (QGraphicsItem *item : view->scene()->items()) {
                if (auto *text = dynamic_cast<QGraphicsTextItem *>(item); text && text->isVisible())
                    out << text->toPlainText();
            }
            return out;
        };
        const QString today = QString::number(QDate::currentDate().day());
        QTRY_VERIFY2(drawn().contains(today), qPrintable(drawn().join(u' ')));
        for (const QString &text : drawn())
            QVERIFY2(!text.endsWith(u"..."_s) && !text.endsWith(u"…"_s), qPrintable(text));

        page.resize(2000, 900);
        QTRY_COMPARE(x->count(), 30);
    }

    // The wheel scrolls the page past a combo box in it rather than changing the combo box (the
    // window's WheelGuard, installed for every page).
    void wheelScrollsPastComboBoxes()
    {
        WheelGuard::install();
        DashboardPage page(config.get(), dbPath);
        page.resize(1000, 600);
        QSignalSpy shown(&page, &DashboardPage::reportShown);
        page.show();
        QVERIFY(shown.wait(10000));
        auto *scroll = find<QScrollArea>(&page, "dashboardScroll");
        QTRY_VERIFY(scroll->verticalScrollBar()->maximum() > 0);
        auto *compare = find<QComboBox>(&page, "dashboardCompareModel");
        QVERIFY(compare->count() > 2);
        const int before = scroll->verticalScrollBar()->value();
        wheel(compare, -1);
        QCOMPARE(compare->currentIndex(), 0);
        QVERIFY(scroll->verticalScrollBar()->value() > before);

        compare->setFocus();   // once chosen, the wheel goes through its models
        QTRY_VERIFY(compare->hasFocus());
        wheel(compare, -1);
        QCOMPARE(compare->currentIndex(), 1);
    }

    // With nothing recorded the page says where calls come from and leads to the Chat page.
    void emptyLedgerLeadsToChat()
    {
        const QString path = dir.filePath(u"empty.sqlite3"_s);
        {
            Database db(path);   // the window's writer creates the schema
            QSignalSpy opened(&db, &Database::opened);
            db.open();
            QVERIFY(opened.wait(10000));
        }
        DashboardPage page(config.get(), path);
        QSignalSpy shown(&page, &DashboardPage::reportShown);
        QSignalSpy chat(&page, &DashboardPage::openChatRequested);
        page.show();
        QVERIFY(shown.wait(10000));
        auto *empty = find<QWidget>(&page, "dashboardEmptyState");
        QTRY_VERIFY(empty->isVisible());
        const QString body = find<QLabel>(empty, "emptyBody")->text();
        QVERIFY2(!body.contains(u"later version"_s), qPrintable(body));
        QVERIFY(body.contains(u"Chat page"_s) && body.contains(u"local endpoint"_s));
        auto *go = find<QPushButton>(empty, "emptyAction");
        QVERIFY(go->isVisible());
        QTest::mouseClick(go, Qt::LeftButton);
        QCOMPARE(chat.size(), 1);
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
