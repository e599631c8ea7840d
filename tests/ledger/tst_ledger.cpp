// The cost ledger on a real SQLite file: rows priced with the price in force at their time, every
// dialect's streamed usage landing as reported, fallbacks as attempts, interrupted attempts
// recovered, and the export in PRODUCT.md's columns.
#include "ConfigLoader.h"
#include "Database.h"
#include "Dispatch.h"
#include "FakeProvider.h"
#include "FakeSecretBackend.h"
#include "Ledger.h"
#include "Money.h"
#include "ProviderHealth.h"
#include "SecretStore.h"

#include <QBuffer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

namespace {

QDateTime utc(int y, int m, int d, int h, int min)
{
    return QDateTime(QDate(y, m, d), QTime(h, min), Qt::UTC);
}

Attempt attempt(const QString &model, const QString &provider, qint64 prompt, qint64 cached, qint64 completion,
                qint64 reasoning = -1)
{
    Attempt a;
    a.number = 1;
    a.model = model;
    a.provider = provider;
    a.providerModel = model;
    a.result.httpStatus = 200;
    a.result.content = QStringLiteral("answer");
    a.result.usage.promptTokens = prompt;
    a.result.usage.cachedTokens = cached;
    a.result.usage.completionTokens = completion;
    a.result.usage.reasoningTokens = reasoning;
    a.result.totalMs = 900;
    a.result.ttftMs = 150;
    return a;
}

// Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF) into rows of fields.
QList<QStringList> parseCsv(const QString &text)
{
    QList<QStringList> rows;
    QStringList row;
    QString field;
    bool quoted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (quoted) {
            if (c == u'"' && i + 1 < text.size() && text.at(i + 1) == u'"') {
                field += u'"';
                ++i;
            } else if (c == u'"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == u'"') {
            quoted = true;
        } else if (c == u',') {
            row << field;
            field.clear();
        } else if (c == u'\r' && i + 1 < text.size() && text.at(i + 1) == u'\n') {
            row << field;
            rows << row;
            row.clear();
            field.clear();
            ++i;
        } else {
            field += c;
        }
    }
    if (!field.isEmpty() || !row.isEmpty())
        rows << (row << field);
    return rows;
}

} // namespace

class TestLedger : public QObject
{
    Q_OBJECT

    QTemporaryDir dir;
    Config catalog;
    QNetworkAccessManager nam;
    int dbCounter = 0;

    QString newDatabasePath() { return dir.filePath(QStringLiteral("ledger-%1.sqlite3").arg(++dbCounter)); }

    // Writes the rows through the database's worker thread and waits until they are committed.
    static void writeAll(Database &db, Ledger &ledger, const QList<LedgerRow> &rows)
    {
        QSignalSpy committed(&db, &Database::batchCommitted);
        QSignalSpy failed(&db, &Database::writeFailed);
        for (const LedgerRow &r : rows)
            ledger.finished(r);
        ledger.flush();   // one job for all of them
        QTRY_VERIFY_WITH_TIMEOUT(!committed.isEmpty() || !failed.isEmpty(), 10000);
        QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
    }

    // Rows in the ledger table at `path`, read through a connection of its own.
    static int rowCount(const QString &path, const char *table = "ledger")
    {
        static int readers = 0;
        const QString name = QStringLiteral("counter-%1").arg(++readers);
        int n = -1;
        {
            QString error;
            std::optional<QSqlDatabase> db = Database::openConnection(path, name, &error);
            if (!db)
                qFatal("%s", qPrintable(error));
            QSqlQuery q(*db);
            if (q.exec(QStringLiteral("SELECT COUNT(*) FROM %1").arg(QLatin1String(table))) && q.next())
                n = q.value(0).toInt();
            q.finish();
            db->close();
        }
        QSqlDatabase::removeDatabase(name);
        return n;
    }

    static int total(const QSignalSpy &spy)
    {
        int n = 0;
        for (const QList<QVariant> &args : spy)
            n += args.value(0).toInt();
        return n;
    }

    static bool openDatabase(Database &db)
    {
        QSignalSpy opened(&db, &Database::opened);
        db.open();
        return opened.wait(10000);
    }

    // The export of the whole ledger at `path`, in `format`.
    static QByteArray exported(const QString &path, Ledger::Format format, const Ledger::Filter &filter = {})
    {
        static int readers = 0;
        const QString name = QStringLiteral("reader-%1").arg(++readers);
        QByteArray out;
        {
            QString error;
            std::optional<QSqlDatabase> db = Database::openConnection(path, name, &error);
            if (!db)
                qFatal("%s", qPrintable(error));
            QBuffer buffer(&out);
            buffer.open(QIODevice::WriteOnly);
            if (Ledger::exportRows(*db, filter, format, &buffer, &error) < 0)
                qFatal("%s", qPrintable(error));
            db->close();
        }
        QSqlDatabase::removeDatabase(name);
        return out;
    }

    static QList<QStringList> csvRows(const QString &path, const Ledger::Filter &filter = {})
    {
        QByteArray csv = exported(path, Ledger::Format::Csv, filter);
        if (!csv.startsWith("\xEF\xBB\xBF"))
            qFatal("the CSV export has no UTF-8 byte order mark");
        return parseCsv(QString::fromUtf8(csv.mid(3)));
    }

    // Sends "hello" through a Dispatch the ledger at `path` tracks, over loopback, and waits until
    // `rows` priced rows are in and no attempt is left open.
    void trackedDispatch(const QString &path, const Config &config, const RouteDecision &decision,
                         const Ledger::Context &context, int rows)
    {
        Database db(path);
        QVERIFY(openDatabase(db));
        Ledger ledger(&db);
        SecretStore secrets(std::make_unique<FakeSecretBackend>(std::make_shared<FakeSecretBackend::Shared>()));
        ProviderHealth health;
        ChatRequest request;
        request.messages = {ChatMessage::text(QStringLiteral("user"), QStringLiteral("hello"))};
        request.stream = true;
        Dispatch dispatch(&nam, &secrets, &health, config, decision, request, {5000, 5000, 20000});
        ledger.track(&dispatch, context, config);
        QSignalSpy finished(&dispatch, &Dispatch::finished);
        dispatch.start();
        QVERIFY(finished.wait(20000));
        QVERIFY(dispatch.result().ok());
        QTRY_VERIFY_WITH_TIMEOUT(rowCount(path) == rows, 10000);
        QCOMPARE(rowCount(path, "ledger_open"), 0);   // each open row was closed by its priced one
        nam.clearConnectionCache();
    }

    Config withExtraModels() const
    {
        const QByteArray yaml = ConfigLoader::builtInCatalog().replace(
            "routes:", "  - name: qwen-thinking\n    provider: dashscope\n    id: q\n    context: 100000\n"
                       "    price: {currency: CNY, input: 0.8, output: 2, output_thinking: 8, as_of: 2026-11-01}\n"
                       "  - name: unpriced\n    provider: openrouter\n    id: u\n    context: 100000\nroutes:");
        const ConfigLoadResult r = ConfigLoader::parse(yaml);
        if (!r.ok())
            qFatal("%s", qPrintable(r.errorSummary(QStringLiteral("test config"))));
        return *r.config;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(dir.isValid());
        catalog = *ConfigLoader::parse(ConfigLoader::builtInCatalog()).config;
        nam.setProxy(QNetworkProxy::NoProxy);
        qputenv("SY_TEST_KEY", "sk-test");
    }

    void exportHasTheContractColumnsInOrder()
    {
        const QStringList contract = QStringLiteral(
            "time,request_id,attempt,client,task_type,rule,model,provider,provider_model,status,http_status,"
            "prompt_tokens,cached_tokens,completion_tokens,reasoning_tokens,cost,currency,cost_estimated,latency_ms,ttft_ms")
                                         .split(QLatin1Char(','));
        QCOMPARE(Ledger::exportColumns().mid(0, contract.size()), contract);
        QVERIFY(Ledger::exportColumns().contains(QStringLiteral("conversation")));
        QVERIFY(Ledger::exportColumns().contains(QStringLiteral("estimated_input_tokens")));
        QVERIFY(Ledger::exportColumns().contains(QStringLiteral("price_as_of")));
    }

    // Each pricing dimension, recorded and exported, to the micro-unit of its own currency.
    void rowsArePricedAtTheirTime_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QDateTime>("when");
        QTest::addColumn<QList<qint64>>("usage");   // prompt, cached, completion, reasoning
        QTest::addColumn<QString>("cost");
        QTest::addColumn<QString>("currency");
        // deepseek-v4-pro at peak: 4,000 × 1.32 + 6,000 × 0.044 + 2,000 × 3.96 = 13,464 micro-USD.
        QTest::newRow("cache hit and miss") << "deepseek-v4-pro" << utc(2026, 11, 25, 3, 0)
                                            << QList<qint64> {10000, 6000, 2000, -1} << "0.013464" << "USD";
        // The same call at 13:00 Beijing (off-peak): half of every rate, 6,732 micro-USD.
        QTest::newRow("off-peak in Beijing") << "deepseek-v4-pro" << utc(2026, 11, 25, 5, 0)
                                             << QList<qint64> {10000, 6000, 2000, -1} << "0.006732" << "USD";
        // minimax-m3 above 512K input: 500,000 × 0.60 + 100,000 × 0.12 + 1,000 × 2.40 = 314,400.
        QTest::newRow("input tier") << "minimax-m3" << utc(2026, 11, 25, 3, 0)
                                    << QList<qint64> {600000, 100000, 1000, -1} << "0.3144" << "USD";
        // Thinking output: 1,000 × 0.8 + 500 × 8 = 4,800 micro-CNY.
        QTest::newRow("thinking output, CNY") << "qwen-thinking" << utc(2026, 11, 25, 3, 0)
                                              << QList<qint64> {1000, -1, 500, 300} << "0.0048" << "CNY";
        // Not thinking: 1,000 × 0.8 + 500 × 2 = 1,800 micro-CNY.
        QTest::newRow("plain output, CNY") << "qwen-thinking" << utc(2026, 11, 25, 3, 0)
                                           << QList<qint64> {1000, -1, 500, 0} << "0.0018" << "CNY";
        QTest::newRow("no price") << "unpriced" << utc(2026, 11, 25, 3, 0) << QList<qint64> {1000, -1, 500, 0} << ""
                                  << "";
    }

    void rowsArePricedAtTheirTime()
    {
        QFETCH(QString, model);
        QFETCH(QDateTime, when);
        QFETCH(QList<qint64>, usage);
        QFETCH(QString, cost);
        QFETCH(QString, currency);
        const Config config = withExtraModels();
        Attempt a = attempt(model, config.model(model)->provider, usage[0], usage[1], usage[2], usage[3]);
        Ledger::Context context;
        context.requestId = QStringLiteral("r1");
        context.client = QStringLiteral("window");
        context.taskType = QStringLiteral("chat");
        context.rule = QStringLiteral("default");
        const LedgerRow row = Ledger::rowFor(a, context, config, when);
        const QString path = newDatabasePath();
        {
            Database db(path);
            QVERIFY(openDatabase(db));
            Ledger ledger(&db);
            writeAll(db, ledger, {row});
        }
        const QList<QStringList> rows = csvRows(path);
        QCOMPARE(rows.size(), 2);
        const QStringList &header = rows[0];
        const QStringList &r = rows[1];
        auto field = [&](const char *name) { return r.value(header.indexOf(QLatin1String(name))); };
        QCOMPARE(field("time"), when.toString(Qt::ISODateWithMs));
        QCOMPARE(field("model"), model);
        QCOMPARE(field("status"), QStringLiteral("ok"));
        QCOMPARE(field("cost"), cost);
        QCOMPARE(field("currency"), currency);
        QCOMPARE(field("cost_estimated"), QStringLiteral("false"));
        QCOMPARE(field("prompt_tokens"), QString::number(usage[0]));
        QCOMPARE(field("cached_tokens"), usage[1] < 0 ? QString() : QString::number(usage[1]));
        QCOMPARE(field("latency_ms"), QStringLiteral("900"));
        QCOMPARE(field("ttft_ms"), QStringLiteral("150"));
        const Price *price = config.model(model)->price ? &*config.model(model)->price : nullptr;
        QCOMPARE(field("price_as_of"), price ? price->asOf.toString(Qt::ISODate) : QString());
    }

    // A price edited after the call changes nothing already recorded.
    void priceEditsDoNotRewriteHistory()
    {
        const QString path = newDatabasePath();
        Database db(path);
        QVERIFY(openDatabase(db));
        Ledger ledger(&db);
        const Attempt a = attempt(QStringLiteral("deepseek-v4-pro"), QStringLiteral("deepseek"), 10000, 6000, 2000);
        const LedgerRow before = Ledger::rowFor(a, {}, catalog, utc(2026, 11, 25, 3, 0));
        Config edited = catalog;
        for (ModelConfig &m : edited.models)
            if (m.name == u"deepseek-v4-pro")
                m.price->rates.output *= 10;
        const LedgerRow after = Ledger::rowFor(a, {}, edited, utc(2026, 11, 26, 3, 0));
        writeAll(db, ledger, {before, after});
        const QList<QStringList> rows = csvRows(path);
        const int cost = int(rows[0].indexOf(QStringLiteral("cost")));
        QCOMPARE(rows.size(), 3);
        QCOMPARE(rows[1][cost], QStringLiteral("0.013464"));
        // 4,000 × 1.32 + 6,000 × 0.044 + 2,000 × 39.6 = 5,280 + 264 + 79,200 = 84,744.
        QCOMPARE(rows[2][cost], QStringLiteral("0.084744"));
    }

    // No usage from the provider: tokens are estimated from what was sent and received, and the
    // row says so.
    void missingUsageIsEstimatedAndSaysSo()
    {
        Attempt a = attempt(QStringLiteral("deepseek-v4-pro"), QStringLiteral("deepseek"), -1, -1, -1);
        a.result.usage = {};
        a.result.content = QString(400, QLatin1Char('a'));
        Ledger::Context context;
        context.estimatedInputTokens = 1000;
        const LedgerRow r = Ledger::rowFor(a, context, catalog, utc(2026, 11, 25, 3, 0));
        QVERIFY(r.costEstimated);
        QCOMPARE(r.promptTokens, 1000);
        QVERIFY(r.completionTokens > 0);
        QVERIFY(r.costMicros > 0);
        // Nothing produced and nothing reported (an error before any output): nothing billed.
        Attempt failed = attempt(QStringLiteral("deepseek-v4-pro"), QStringLiteral("deepseek"), -1, -1, -1);
        failed.result.usage = {};
        failed.result.content.clear();
        failed.result.error = ProviderError {};
        failed.result.error->errorClass = ErrorClass::RateLimit;
        failed.result.httpStatus = 429;
        const LedgerRow f = Ledger::rowFor(failed, context, catalog, utc(2026, 11, 25, 3, 0));
        QCOMPARE(f.status, QStringLiteral("rate_limit"));
        QCOMPARE(f.httpStatus, 429);
        QVERIFY(!f.costEstimated);
        QCOMPARE(f.costMicros, 0);
    }

    // A streamed call in every dialect of the fake provider, through the real client over
    // loopback, lands with the tokens the provider reported: not zero, not double.
    void everyDialectLandsWithItsReportedUsage_data()
    {
        QTest::addColumn<FakeDialect>("dialect");
        for (FakeDialect d : {FakeDialect::DeepSeek, FakeDialect::Moonshot, FakeDialect::MiniMax, FakeDialect::DashScope,
                              FakeDialect::OpenRouter, FakeDialect::OpenAI})
            QTest::newRow(qPrintable(FakeProvider::dialectName(d))) << d;
    }

    void everyDialectLandsWithItsReportedUsage()
    {
        QFETCH(FakeDialect, dialect);
        FakeProvider fake;
        QVERIFY(fake.start());
        const QString dialectName = FakeProvider::dialectName(dialect);
        const QByteArray yaml = QStringLiteral("providers:\n"
                                               "  - {id: p, dialect: %1, base_url: '%2', api_key_env: SY_TEST_KEY}\n"
                                               "models:\n"
                                               "  - {name: m, provider: p, id: m-1, context: 100000,\n"
                                               "     price: {currency: USD, input: 2, cached_input: 0.5, output: 8, as_of: 2026-11-20}}\n"
                                               "routes:\n  - default: m\n")
                                    .arg(dialectName, fake.baseUrl(dialect))
                                    .toUtf8();
        const ConfigLoadResult loaded = ConfigLoader::parse(yaml);
        QVERIFY2(loaded.ok(), qPrintable(loaded.errorSummary(QStringLiteral("test"))));
        const Config config = *loaded.config;

        const QString path = newDatabasePath();
        RouteDecision decision;
        decision.model = QStringLiteral("m");
        decision.rule = QStringLiteral("default");
        decision.contextLength = 5;
        Ledger::Context context;
        context.requestId = QStringLiteral("req-") + dialectName;
        context.client = QStringLiteral("window");
        context.taskType = QStringLiteral("chat");
        context.rule = decision.rule;
        context.conversation = QStringLiteral("c1");
        context.estimatedInputTokens = 5;
        trackedDispatch(path, config, decision, context, 1);
        if (QTest::currentTestFailed())
            return;

        const QList<QStringList> rows = csvRows(path);
        QCOMPARE(rows.size(), 2);
        const QStringList &h = rows[0];
        const QStringList &r = rows[1];
        auto field = [&](const char *name) { return r.value(h.indexOf(QLatin1String(name))); };
        QCOMPARE(field("request_id"), context.requestId);
        QCOMPARE(field("attempt"), QStringLiteral("1"));
        QCOMPARE(field("status"), QStringLiteral("ok"));
        QCOMPARE(field("http_status"), QStringLiteral("200"));
        QCOMPARE(field("provider"), QStringLiteral("p"));
        QCOMPARE(field("provider_model"), QStringLiteral("m-1"));
        QCOMPARE(field("prompt_tokens"), QString::number(FakeUsage::prompt));
        QCOMPARE(field("cached_tokens"), QString::number(FakeUsage::cached));
        QCOMPARE(field("completion_tokens"), QString::number(FakeUsage::completion));
        QCOMPARE(field("cost_estimated"), QStringLiteral("false"));
        if (dialect == FakeDialect::OpenRouter) {
            // OpenRouter reports what it charged; that figure is the cost.
            QCOMPARE(field("cost"), Money::formatMicros(qRound64(FakeUsage::openRouterCost * 1e6)));
        } else {
            // 56 × 2 + 64 × 0.5 + 30 × 8 = 112 + 32 + 240 = 384 micro-USD.
            QCOMPARE(field("cost"), QStringLiteral("0.000384"));
            QCOMPARE(field("price_as_of"), QStringLiteral("2026-11-20"));
        }
        QCOMPARE(field("currency"), QStringLiteral("USD"));
        QVERIFY(field("ttft_ms").toLongLong() >= 0);
        QCOMPARE(field("conversation"), QStringLiteral("c1"));
        QCOMPARE(field("estimated_input_tokens"), QStringLiteral("5"));
    }

    // Fallbacks are attempts: a 429 and then the answer from the next model are two rows.
    void fallbackAttemptsAreRows()
    {
        FakeProvider fake;
        QVERIFY(fake.start());
        fake.enqueue(FakeResponse::rateLimited());
        const QByteArray yaml = QStringLiteral("providers:\n"
                                               "  - {id: a, dialect: deepseek, base_url: '%1', api_key_env: SY_TEST_KEY}\n"
                                               "  - {id: b, dialect: moonshot, base_url: '%2', api_key_env: SY_TEST_KEY}\n"
                                               "models:\n"
                                               "  - {name: a1, provider: a, id: a-1, context: 100000, price: {currency: USD, input: 1, output: 2}}\n"
                                               "  - {name: b1, provider: b, id: b-1, context: 100000, price: {currency: CNY, input: 4, output: 16}}\n"
                                               "routes:\n  - default: a1\n"
                                               "fallback:\n  retries: 0\n")
                                    .arg(fake.baseUrl(FakeDialect::DeepSeek), fake.baseUrl(FakeDialect::Moonshot))
                                    .toUtf8();
        const Config config = *ConfigLoader::parse(yaml).config;
        const QString path = newDatabasePath();
        RouteDecision decision;
        decision.model = QStringLiteral("a1");
        decision.fallback = {QStringLiteral("b1")};
        decision.rule = QStringLiteral("default");
        Ledger::Context context;
        context.requestId = QStringLiteral("fallback-1");
        trackedDispatch(path, config, decision, context, 2);
        if (QTest::currentTestFailed())
            return;

        const QList<QStringList> rows = csvRows(path);
        QCOMPARE(rows.size(), 3);
        const QStringList &h = rows[0];
        auto field = [&](int row, const char *name) { return rows[row].value(h.indexOf(QLatin1String(name))); };
        QCOMPARE(field(1, "attempt"), QStringLiteral("1"));
        QCOMPARE(field(1, "model"), QStringLiteral("a1"));
        QCOMPARE(field(1, "status"), QStringLiteral("rate_limit"));
        QCOMPARE(field(1, "http_status"), QStringLiteral("429"));
        QCOMPARE(field(1, "cost"), QStringLiteral("0.0"));
        QCOMPARE(field(2, "attempt"), QStringLiteral("2"));
        QCOMPARE(field(2, "model"), QStringLiteral("b1"));
        QCOMPARE(field(2, "status"), QStringLiteral("ok"));
        QCOMPARE(field(2, "currency"), QStringLiteral("CNY"));
        // 56 × 4 + 64 × 4 (no cache price: hits billed as input) + 30 × 16 = 224 + 256 + 480 = 960.
        QCOMPARE(field(2, "cost"), QStringLiteral("0.00096"));
    }

    // An attempt under way when the app died becomes a `cancelled` row on the next start.
    void interruptedAttemptsAreRecoveredOnTheNextStart()
    {
        const QString path = newDatabasePath();
        LedgerRow open;
        open.time = utc(2026, 11, 25, 3, 0);
        open.requestId = QStringLiteral("crashed");
        open.attempt = 1;
        open.model = QStringLiteral("deepseek-v4-pro");
        open.provider = QStringLiteral("deepseek");
        open.providerModel = QStringLiteral("deepseek-v4-pro");
        open.estimatedInputTokens = 42;
        {
            Database db(path);
            QVERIFY(openDatabase(db));
            Ledger ledger(&db);
            ledger.started(open);
            QVERIFY(QFile::exists(ledger.journalPath()));
        }   // never finished: the journal stays, unlocked
        QCOMPARE(csvRows(path).size(), 1);   // the header only
        {
            Database db(path);
            QVERIFY(openDatabase(db));
            Ledger ledger(&db);
            QSignalSpy committed(&db, &Database::batchCommitted);
            ledger.recoverInterrupted();
            QTRY_VERIFY_WITH_TIMEOUT(total(committed) >= 1, 10000);
            ledger.recoverInterrupted();   // a second start finds nothing left to recover
            QTRY_VERIFY_WITH_TIMEOUT(total(committed) >= 2, 10000);
        }
        const QList<QStringList> rows = csvRows(path);
        QCOMPARE(rows.size(), 2);
        const QStringList &h = rows[0];
        auto field = [&](const char *name) { return rows[1].value(h.indexOf(QLatin1String(name))); };
        QCOMPARE(field("request_id"), QStringLiteral("crashed"));
        QCOMPARE(rowCount(path, "ledger_open"), 0);
        QCOMPARE(field("status"), QStringLiteral("cancelled"));
        QCOMPARE(field("time"), open.time.toString(Qt::ISODateWithMs));
        QCOMPARE(field("estimated_input_tokens"), QStringLiteral("42"));
        QCOMPARE(field("prompt_tokens"), QString());
    }

    // An open row of an older version (which wrote them to the database, not to a journal) that may
    // still be running in that version's process is left alone; it is recovered only once no call
    // can still be running.
    void recentOpenRowsAreLeftToTheirAttempt()
    {
        const QString path = newDatabasePath();
        LedgerRow live;
        live.time = QDateTime::currentDateTimeUtc().addSecs(-60);
        live.requestId = QStringLiteral("still-running");
        live.attempt = 1;
        live.model = QStringLiteral("deepseek-v4-pro");
        live.provider = QStringLiteral("deepseek");
        Database db(path);
        QVERIFY(openDatabase(db));
        Ledger ledger(&db);
        db.write([&live](QSqlDatabase &sql, QString *) {
            QSqlQuery q(sql);
            q.prepare(QStringLiteral("INSERT INTO ledger_open (request_id, attempt, time_ms, client, task_type, rule, model, "
                                     "provider, provider_model, conversation) VALUES (?, 1, ?, '', '', '', ?, ?, '', '')"));
            q.addBindValue(live.requestId);
            q.addBindValue(live.time.toMSecsSinceEpoch());
            q.addBindValue(live.model);
            q.addBindValue(live.provider);
            return q.exec();
        });
        QTRY_COMPARE_WITH_TIMEOUT(rowCount(path, "ledger_open"), 1, 10000);
        QSignalSpy committed(&db, &Database::batchCommitted);
        ledger.recoverInterrupted();
        QTRY_VERIFY_WITH_TIMEOUT(total(committed) >= 1, 10000);
        QCOMPARE(rowCount(path, "ledger_open"), 1);
        QCOMPARE(csvRows(path).size(), 1);   // no cancelled row; the header only
        LedgerRow done = live;
        done.status = QStringLiteral("ok");
        ledger.finished(done);
        QTRY_COMPARE_WITH_TIMEOUT(csvRows(path).size(), 2, 10000);
        QCOMPARE(rowCount(path, "ledger_open"), 0);
    }

    // RFC 4180 quoting, UTF-8 with a byte order mark (so Excel reads Chinese), the time filter,
    // and JSONL with exact decimal costs.
    void exportQuotingFilterAndJsonl()
    {
        const QString path = newDatabasePath();
        Database db(path);
        QVERIFY(openDatabase(db));
        Ledger ledger(&db);
        QList<LedgerRow> rows;
        for (int day = 1; day <= 3; ++day) {
            Attempt a = attempt(QStringLiteral("deepseek-v4-pro"), QStringLiteral("deepseek"), 10000, 6000, 2000);
            Ledger::Context c;
            c.requestId = QStringLiteral("r%1").arg(day);
            c.client = QStringLiteral("脚本, \"夜间\"");
            c.conversation = QStringLiteral("第一行\n第二行");
            if (day == 1) {
                a.result.dropped = QStringList {QStringLiteral("seed"), QStringLiteral("presence_penalty")};
                a.overheadUs = 1234;
            }
            rows << Ledger::rowFor(a, c, catalog, utc(2026, 11, day + 1, 3, 0));   // Monday to Wednesday, peak
        }
        writeAll(db, ledger, rows);
        const QList<QStringList> all = csvRows(path);
        QCOMPARE(all.size(), 4);
        const QStringList &h = all[0];
        QCOMPARE(all[1].size(), h.size());
        QCOMPARE(all[1][h.indexOf(QStringLiteral("client"))], QStringLiteral("脚本, \"夜间\""));
        QCOMPARE(all[1][h.indexOf(QStringLiteral("conversation"))], QStringLiteral("第一行\n第二行"));
        // What the provider could not take, and Switchyard's own time, in milliseconds.
        QCOMPARE(all[1][h.indexOf(QStringLiteral("dropped"))], QStringLiteral("seed,presence_penalty"));
        QCOMPARE(all[1][h.indexOf(QStringLiteral("overhead_ms"))], QStringLiteral("1.234"));
        QCOMPARE(all[2][h.indexOf(QStringLiteral("dropped"))], QString());
        QCOMPARE(all[2][h.indexOf(QStringLiteral("overhead_ms"))], QString());

        Ledger::Filter filter;
        filter.since = utc(2026, 11, 3, 0, 0);
        filter.until = utc(2026, 11, 4, 0, 0);
        const QList<QStringList> one = csvRows(path, filter);
        QCOMPARE(one.size(), 2);
        QCOMPARE(one[1][h.indexOf(QStringLiteral("request_id"))], QStringLiteral("r2"));

        const QList<QByteArray> lines = exported(path, Ledger::Format::Jsonl).split('\n');
        QCOMPARE(lines.size(), 4);   // three rows and the empty tail after the last newline
        QVERIFY(lines[3].isEmpty());
        const QJsonObject o = QJsonDocument::fromJson(lines[0]).object();
        QCOMPARE(o.value(QStringLiteral("request_id")).toString(), QStringLiteral("r1"));
        QCOMPARE(o.value(QStringLiteral("attempt")).toInt(), 1);
        QCOMPARE(o.value(QStringLiteral("cost")).toString(), QStringLiteral("0.013464"));
        QCOMPARE(o.value(QStringLiteral("cost_estimated")).toBool(), false);
        QCOMPARE(o.value(QStringLiteral("prompt_tokens")).toInt(), 10000);
        QVERIFY(o.value(QStringLiteral("reasoning_tokens")).isNull());
        QCOMPARE(o.value(QStringLiteral("client")).toString(), QStringLiteral("脚本, \"夜间\""));
        QCOMPARE(o.value(QStringLiteral("overhead_ms")).toDouble(), 1.234);
        QVERIFY(QJsonDocument::fromJson(lines[1]).object().value(QStringLiteral("overhead_ms")).isNull());
    }
    // Each endpoint door's rows say which one they came through; the totals, the filter, the
    // dashboard's choices and the export all know it.
    void theDoorIsRecordedFilteredAndExported()
    {
        const QString path = newDatabasePath();
        Database db(path);
        QVERIFY(openDatabase(db));
        Ledger ledger(&db);
        const QStringList apis {QStringLiteral("chat"), QStringLiteral("responses"), QStringLiteral("messages"),
                                QStringLiteral("embeddings"), QStringLiteral("messages")};
        QList<LedgerRow> rows;
        for (int i = 0; i < apis.size(); ++i) {
            Attempt a = attempt(QStringLiteral("deepseek-v4-pro"), QStringLiteral("deepseek"), 1000, 0, 100);
            Ledger::Context c;
            c.requestId = QStringLiteral("d%1").arg(i);
            c.client = QStringLiteral("scripts");
            c.api = apis[i];
            rows << Ledger::rowFor(a, c, catalog, utc(2026, 11, 2, 3, i));
        }
        writeAll(db, ledger, rows);

        const QList<QStringList> csv = csvRows(path);
        const int column = int(csv[0].indexOf(QStringLiteral("api")));
        QCOMPARE(column, csv[0].size() - 1);   // added after the contract's columns
        QStringList exportedApis;
        for (int i = 1; i < csv.size(); ++i)
            exportedApis << csv[i][column];
        QCOMPARE(exportedApis, apis);
        const QList<QByteArray> lines = exported(path, Ledger::Format::Jsonl).split('\n');
        QCOMPARE(QJsonDocument::fromJson(lines[2]).object().value(QStringLiteral("api")).toString(), QStringLiteral("messages"));

        Ledger::Filter messages;
        messages.api = QStringLiteral("messages");
        QCOMPARE(csvRows(path, messages).size(), 3);
        QString error;
        const QString name = QStringLiteral("api-reader");
        {
            std::optional<QSqlDatabase> reader = Database::openConnection(path, name, &error);
            QVERIFY2(reader, qPrintable(error));
            const auto dims = Ledger::dimensions(*reader, &error);
            QVERIFY2(dims, qPrintable(error));
            QCOMPARE(dims->apis, QStringLiteral("chat,embeddings,messages,responses").split(u','));
            const auto totals = Ledger::dayTotals(*reader, messages, &error);
            QVERIFY2(totals, qPrintable(error));
            qint64 attempts = 0, prompt = 0;
            for (const Ledger::DayTotal &t : *totals) {
                attempts += t.attempts;
                prompt += t.promptTokens;
            }
            QCOMPARE(attempts, 2);
            QCOMPARE(prompt, 2000);
            QCOMPARE(Ledger::countRows(*reader, messages, &error), 2);
        }
        QSqlDatabase::removeDatabase(name);
    }

    // A ledger written before the doors keeps its rows and totals, all of them chat.
    void olderLedgersBecomeChat()
    {
        const QString path = newDatabasePath();
        const QString name = QStringLiteral("v4-writer");
        {
            QSqlDatabase raw = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            raw.setDatabaseName(path);
            QVERIFY(raw.open());
            QSqlQuery q(raw);
            for (const Database::Migration &m : Database::migrations()) {
                if (m.version > 4)
                    break;
                for (const QString &statement : m.statements)
                    QVERIFY2(q.exec(statement), qPrintable(q.lastError().text()));
                QVERIFY(q.exec(QStringLiteral("INSERT INTO schema_history (version, applied_at) VALUES (%1, 'then')")
                                   .arg(m.version)));
            }
            QVERIFY(q.exec(QStringLiteral("PRAGMA user_version = 4")));
            QVERIFY(q.exec(QStringLiteral(
                "INSERT INTO ledger (id, time_ms, day, request_id, attempt, client, task_type, rule, model, provider, "
                "provider_model, status, http_status, currency, cost_estimated, conversation, price_as_of) "
                "VALUES (1024, 1, 0, 'old', 1, 'window', 'chat', '', 'm', 'p', 'pm', 'ok', 200, 'USD', 0, '', '')")));
            QVERIFY(q.exec(QStringLiteral(
                "INSERT INTO ledger_daily VALUES (0, 'm', 'USD', 'p', 'chat', 'window', 1, 0, 0, 0, 0, 5, 7, 0, 3, 0)")));
            raw.close();
        }
        QSqlDatabase::removeDatabase(name);

        QString error;
        const QString reader = QStringLiteral("v5-reader");
        {
            std::optional<QSqlDatabase> db = Database::openConnection(path, reader, &error);
            QVERIFY2(db, qPrintable(error));
            QCOMPARE(Database::schemaVersion(*db), Database::latestVersion());
            QSqlQuery q(*db);
            QVERIFY(q.exec(QStringLiteral("SELECT api FROM ledger WHERE request_id = 'old'")) && q.next());
            QCOMPARE(q.value(0).toString(), QStringLiteral("chat"));
            QVERIFY(q.exec(QStringLiteral("SELECT api, attempts, cost_micros, prompt_tokens, completion_tokens "
                                          "FROM ledger_daily")) && q.next());
            QCOMPARE(q.value(0).toString(), QStringLiteral("chat"));
            QCOMPARE(q.value(1).toLongLong(), 1);
            QCOMPARE(q.value(2).toLongLong(), 5);
            QCOMPARE(q.value(3).toLongLong(), 7);
            QCOMPARE(q.value(4).toLongLong(), 3);
            QVERIFY(!q.next());
            q.finish();
        }
        QSqlDatabase::removeDatabase(reader);
    }

    // Text a spreadsheet would evaluate gets OWASP's leading apostrophe, in quotes; numbers stay
    // numbers, and JSON Lines keeps the text as it was.
    void csvCellsAreNeverFormulas()
    {
        const QString path = newDatabasePath();
        Database db(path);
        QVERIFY(openDatabase(db));
        Ledger ledger(&db);
        struct Case
        {
            QString client, rule, taskType, conversation;
        };
        const QList<Case> cases = {
            {QStringLiteral("=HYPERLINK(\"https://evil.example\",\"x\")"), QStringLiteral("@SUM(1+1)"),
             QStringLiteral("+cmd|' /C calc'!A0"), QStringLiteral("-2+3")},
            {QStringLiteral("\t=1+2"), QStringLiteral("\r=1+2"), QStringLiteral("a=1"), QStringLiteral("'quoted already")},
        };
        QList<LedgerRow> rows;
        for (int i = 0; i < cases.size(); ++i) {
            Ledger::Context c;
            c.requestId = QStringLiteral("r%1").arg(i + 1);
            c.client = cases[i].client;
            c.rule = cases[i].rule;
            c.taskType = cases[i].taskType;
            c.conversation = cases[i].conversation;
            rows << Ledger::rowFor(attempt(QStringLiteral("deepseek-v4-pro"), QStringLiteral("deepseek"), 10000, 6000, 2000), c,
                                   catalog, utc(2026, 11, 2 + i, 3, 0));
        }
        writeAll(db, ledger, rows);

        const QByteArray raw = exported(path, Ledger::Format::Csv);
        QVERIFY2(raw.contains(",\"'=HYPERLINK(\"\"https://evil.example\"\",\"\"x\"\")\","), raw.constData());
        QVERIFY(raw.contains(",\"'@SUM(1+1)\","));
        QVERIFY(raw.contains(",\"'\t=1+2\","));
        QVERIFY(raw.contains(",\"'\r=1+2\","));
        QVERIFY(raw.contains(",a=1,"));   // only the first character counts, and needs no quotes
        const QList<QStringList> all = parseCsv(QString::fromUtf8(raw.mid(3)));
        QCOMPARE(all.size(), 3);
        const QStringList &h = all[0];
        for (int i = 0; i < cases.size(); ++i) {
            const QStringList &r = all[i + 1];
            QCOMPARE(r.size(), h.size());
            const auto shown = [](const QString &text) {
                const QChar c = text.front();
                return (c == u'=' || c == u'+' || c == u'-' || c == u'@' || c == u'\t' || c == u'\r') ? u'\'' + text : text;
            };
            QCOMPARE(r[h.indexOf(QStringLiteral("client"))], shown(cases[i].client));
            QCOMPARE(r[h.indexOf(QStringLiteral("rule"))], shown(cases[i].rule));
            QCOMPARE(r[h.indexOf(QStringLiteral("task_type"))], shown(cases[i].taskType));
            QCOMPARE(r[h.indexOf(QStringLiteral("conversation"))], shown(cases[i].conversation));
            // Numbers the ledger writes itself are left alone.
            QCOMPARE(r[h.indexOf(QStringLiteral("prompt_tokens"))], QStringLiteral("10000"));
            QCOMPARE(r[h.indexOf(QStringLiteral("cost"))], QStringLiteral("0.013464"));
            QCOMPARE(r[h.indexOf(QStringLiteral("attempt"))], QStringLiteral("1"));
        }
        QCOMPARE(all[1][h.indexOf(QStringLiteral("conversation"))], QStringLiteral("'-2+3"));
        QCOMPARE(all[2][h.indexOf(QStringLiteral("conversation"))], QStringLiteral("'quoted already"));

        const QList<QByteArray> lines = exported(path, Ledger::Format::Jsonl).split('\n');
        const QJsonObject first = QJsonDocument::fromJson(lines[0]).object();
        QCOMPARE(first.value(QStringLiteral("client")).toString(), cases[0].client);
        QCOMPARE(first.value(QStringLiteral("rule")).toString(), cases[0].rule);
    }

    // The per-day totals the dashboard reads agree with the rows the export writes, by day,
    // model and currency, including recovered and unpriced attempts; filters narrow both alike.
    void dayTotalsAgreeWithTheExport()
    {
        const Config config = withExtraModels();
        const QString path = newDatabasePath();
        Database db(path);
        QVERIFY(openDatabase(db));
        Ledger ledger(&db);
        QList<LedgerRow> rows;
        const QDate first(2026, 11, 2);   // a Monday
        int n = 0;
        for (int day = 0; day < 3; ++day) {
            for (const QString &model : {QStringLiteral("deepseek-v4-pro"), QStringLiteral("kimi-2.6"),
                                         QStringLiteral("qwen-thinking"), QStringLiteral("unpriced")}) {
                for (int k = 0; k < 3; ++k) {
                    Attempt a = attempt(model, config.model(model)->provider, 1000 + 100 * k,
                                        200, 300 + k, 50);
                    a.number = 1 + (k == 2);
                    if (k == 1) {
                        a.result.error = ProviderError {};
                        a.result.error->errorClass = ErrorClass::Server;
                        a.result.usage = {};
                        a.result.content.clear();
                    }
                    Ledger::Context c;
                    c.requestId = QStringLiteral("r%1").arg(++n);
                    c.client = k ? QStringLiteral("scripts") : QStringLiteral("window");
                    c.taskType = day == 1 ? QStringLiteral("code") : QStringLiteral("chat");
                    // Noon local time, so the local day is the date whatever the machine's zone.
                    rows << Ledger::rowFor(a, c, config, QDateTime(first.addDays(day), QTime(12, 0)).toUTC());
                }
            }
        }
        writeAll(db, ledger, rows);

        QString error;
        const QString name = QStringLiteral("totals-reader");
        {
            std::optional<QSqlDatabase> reader = Database::openConnection(path, name, &error);
            QVERIFY2(reader, qPrintable(error));
            const Ledger::Filter all = Ledger::Filter::forDays(first, first.addDays(2));
            const auto totals = Ledger::dayTotals(*reader, all, &error);
            QVERIFY2(totals, qPrintable(error));

            // Sum the export by (day, model, currency) the same way.
            QHash<QString, qint64> fromExport, fromTotals;
            QHash<QString, qint64> attemptsFromExport, attemptsFromTotals;
            const QList<QStringList> csv = csvRows(path, all);
            const QStringList &h = csv[0];
            for (int i = 1; i < csv.size(); ++i) {
                const QStringList &r = csv[i];
                const QDate localDate =
                    QDateTime::fromString(r[h.indexOf(QStringLiteral("time"))], Qt::ISODateWithMs).toLocalTime().date();
                const QString key = localDate.toString(Qt::ISODate) + u'|' + r[h.indexOf(QStringLiteral("model"))] + u'|'
                                    + r[h.indexOf(QStringLiteral("currency"))];
                const QString cost = r[h.indexOf(QStringLiteral("cost"))];
                fromExport[key] += cost.isEmpty() ? 0 : *Money::parseMicros(cost);
                attemptsFromExport[key] += 1;
            }
            qint64 errors = 0, retries = 0, unpriced = 0;
            for (const Ledger::DayTotal &t : *totals) {
                const QString key = Ledger::dateOfDay(t.day).toString(Qt::ISODate) + u'|' + t.model + u'|' + t.currency;
                fromTotals[key] += t.costMicros;
                attemptsFromTotals[key] += t.attempts;
                errors += t.errors;
                retries += t.retries;
                unpriced += t.unpriced;
            }
            QCOMPARE(fromTotals, fromExport);
            QCOMPARE(attemptsFromTotals, attemptsFromExport);
            QCOMPARE(fromTotals.size(), 12);
            QCOMPARE(errors, 12);
            QCOMPARE(retries, 12);
            QCOMPARE(unpriced, 9);   // the unpriced model's three a day (its error has no price either)

            // The first day, one model: 1,000 + 1,100 + 1,200 input, no cache hits billed apart…
            Ledger::Filter one = Ledger::Filter::forDays(first, first);
            one.model = QStringLiteral("deepseek-v4-pro");
            const auto narrow = Ledger::dayTotals(*reader, one, &error);
            QVERIFY(narrow);
            qint64 attempts = 0, prompt = 0;
            for (const Ledger::DayTotal &t : *narrow) {
                QCOMPARE(t.model, one.model);
                QCOMPARE(Ledger::dateOfDay(t.day), first);
                attempts += t.attempts;
                prompt += t.promptTokens;
            }
            QCOMPARE(attempts, 3);
            QCOMPARE(prompt, 1000 + 1200);   // the failed attempt reported none
            Ledger::Filter code = all;
            code.taskType = QStringLiteral("code");
            const auto coding = Ledger::dayTotals(*reader, code, &error);
            QVERIFY(coding && !coding->isEmpty());
            for (const Ledger::DayTotal &t : *coding)
                QCOMPARE(Ledger::dateOfDay(t.day), first.addDays(1));
            QCOMPARE(Ledger::countRows(*reader, code, &error), 12);

            const auto dims = Ledger::dimensions(*reader, &error);
            QVERIFY(dims);
            QCOMPARE(dims->models, QStringLiteral("deepseek-v4-pro,kimi-2.6,qwen-thinking,unpriced").split(u','));
            QCOMPARE(dims->clients, QStringLiteral("scripts,window").split(u','));
            QCOMPARE(dims->taskTypes, QStringLiteral("chat,code").split(u','));

            const auto top = Ledger::costliest(*reader, all, QStringLiteral("USD"), 3, &error);
            QVERIFY(top);
            QCOMPARE(top->size(), 3);
            QVERIFY((*top)[0].costMicros >= (*top)[1].costMicros && (*top)[1].costMicros >= (*top)[2].costMicros);
            for (const LedgerRow &r : *top)
                QCOMPARE(r.currency, QStringLiteral("USD"));

            const auto t = Ledger::timings(*reader, all, &error);
            QVERIFY(t);
            QCOMPARE(t->size(), 4);
            QCOMPARE(t->at(0).model, QStringLiteral("deepseek-v4-pro"));
            QCOMPARE(t->at(0).ttftMs.size(), 6);   // the successful attempts only
            reader->close();
        }
        QSqlDatabase::removeDatabase(name);
    }

    // Ids keep the table in time order; rows of one millisecond, even more than 1,024 of them,
    // all land and keep the order they were recorded in.
    void rowsOfOneMillisecondAllLand()
    {
        const QString path = newDatabasePath();
        Database db(path);
        QVERIFY(openDatabase(db));
        Ledger ledger(&db);
        QList<LedgerRow> rows;
        const QDateTime when = utc(2026, 11, 25, 3, 0).addMSecs(7);
        for (int i = 0; i < 1500; ++i) {
            LedgerRow r;
            r.time = when;
            r.requestId = QStringLiteral("same-%1").arg(i, 4, 10, QLatin1Char('0'));
            r.status = QStringLiteral("ok");
            rows << r;
        }
        LedgerRow earlier;
        earlier.time = when.addMSecs(-1);
        earlier.requestId = QStringLiteral("earlier");
        earlier.status = QStringLiteral("ok");
        rows << earlier;   // recorded last, but started first
        writeAll(db, ledger, rows);
        const QList<QStringList> csv = csvRows(path);
        QCOMPARE(csv.size(), 1502);
        const int id = int(csv[0].indexOf(QStringLiteral("request_id")));
        QCOMPARE(csv[1][id], QStringLiteral("earlier"));
        QCOMPARE(csv[2][id], QStringLiteral("same-0000"));
        QCOMPARE(csv[1501][id], QStringLiteral("same-1499"));
        Ledger::Filter exact;
        exact.since = when;
        exact.until = when.addMSecs(1);
        QCOMPARE(csvRows(path, exact).size(), 1 + 1024);   // the first 1,024 ids of that millisecond
    }

    void percentiles()
    {
        const QList<qint64> v {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};
        QCOMPARE(Ledger::percentile(v, 0.5), 50);
        QCOMPARE(Ledger::percentile(v, 0.95), 100);
        QCOMPARE(Ledger::percentile(v, 0.0), 10);
        QCOMPARE(Ledger::percentile({7}, 0.95), 7);
        QCOMPARE(Ledger::percentile({}, 0.5), -1);
    }
};

QTEST_GUILESS_MAIN(TestLedger)
#include "tst_ledger.moc"
