// Fills a profile's ledger with a month of synthetic calls, priced by the real PriceBook from the
// built-in catalog, for screenshots and trying the dashboard by hand. Never part of the app.
//   switchyard-seed-ledger PROFILE_DIR [DAYS] [CALLS_PER_DAY]
//   switchyard-seed-ledger PROFILE_DIR --calls N   a new user's first N calls, one a day back from
//       today, each costing a fraction of a cent; the third is an answer stopped by the user
#include "ConfigLoader.h"
#include "Database.h"
#include "Dispatch.h"
#include "Ledger.h"
#include "Profile.h"

#include <QCoreApplication>
#include <QDir>
#include <QRandomGenerator>
#include <QTextStream>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 2) {
        QTextStream(stderr) << "usage: switchyard-seed-ledger PROFILE_DIR [DAYS] [CALLS_PER_DAY] | PROFILE_DIR --calls N\n";
        return 2;
    }
    const Profile profile = Profile::resolve(args[1]);
    QString error;
    if (!profile.ensureExists(&error)) {
        QTextStream(stderr) << error << '\n';
        return 1;
    }
    const bool few = args.value(2) == u"--calls";
    const int fewCalls = few ? args.value(3).toInt() : 0;
    const int days = few ? 0 : args.value(2, QStringLiteral("30")).toInt();
    const int perDay = args.value(3, QStringLiteral("120")).toInt();
    const Config catalog = *ConfigLoader::parse(ConfigLoader::builtInCatalog()).config;

    // What a small team sends: routed by the seed rules, with some fallbacks.
    struct Mix
    {
        const char *model;
        const char *task;
        int weight;
        int prompt;      // typical input tokens
        int completion;
    };
    const Mix mix[] = {
        {"deepseek-v4-pro", "chat", 40, 3000, 700},  {"deepseek-v4-pro", "code", 25, 9000, 1500},
        {"deepseek-flash", "chat", 15, 1500, 400},   {"kimi-2.6", "long_document", 8, 110000, 1800},
        {"qwen3-235b", "reasoning", 8, 4000, 5000},  {"minimax-2.7", "vision", 4, 6000, 600},
    };
    int totalWeight = 0;
    for (const Mix &m : mix)
        totalWeight += m.weight;

    QRandomGenerator rng(20261201);
    QList<LedgerRow> rows;
    const QDate today = QDate::currentDate();
    int n = 0;
    // A new user's first calls from the window: a few hundred tokens each.
    const char *const firstModels[] = {"deepseek-v4-pro", "kimi-2.6", "deepseek-flash"};
    for (int i = 0; i < fewCalls; ++i) {
        const ModelConfig *model = catalog.model(QString::fromLatin1(firstModels[i % 3]));
        Ledger::Context ctx;
        ctx.requestId = QStringLiteral("first-%1").arg(++n);
        ctx.client = QStringLiteral("window");
        ctx.taskType = i % 3 == 1 ? QStringLiteral("long_document") : QStringLiteral("chat");
        ctx.rule = QStringLiteral("default");
        ctx.estimatedInputTokens = 300 + 150 * i;
        Attempt a;
        a.model = model->name;
        a.provider = model->provider;
        a.providerModel = model->id;
        a.result.usage.promptTokens = 300 + 150 * i;
        a.result.usage.completionTokens = 200 + 90 * i;
        a.result.ttftMs = 400 + 60 * i;
        a.result.totalMs = 2200 + 300 * i;
        if (i % 3 == 2) {   // stopped by the user partway: not an error
            a.result.error = ProviderError {};
            a.result.error->errorClass = ErrorClass::Cancelled;
        } else {
            a.result.httpStatus = 200;
            a.result.content = QStringLiteral("…");
        }
        rows << Ledger::rowFor(a, ctx, catalog, QDateTime(today.addDays(-i), QTime(10 + i, 15)).toUTC());
    }
    for (int d = days - 1; d >= 0; --d) {
        const QDate date = today.addDays(-d);
        const bool weekend = date.dayOfWeek() >= 6;
        const int calls = weekend ? perDay / 3 : perDay + int(rng.bounded(perDay / 2 + 1));
        for (int c = 0; c < calls; ++c) {
            int pick = int(rng.bounded(totalWeight));
            const Mix *m = mix;
            while (pick >= m->weight)
                pick -= (m++)->weight;
            const ModelConfig *model = catalog.model(QString::fromLatin1(m->model));
            if (!model)
                continue;
            const QDateTime when(date, QTime(8 + int(rng.bounded(12)), int(rng.bounded(60)), int(rng.bounded(60))));
            Ledger::Context ctx;
            ctx.requestId = QStringLiteral("seed-%1").arg(++n);
            ctx.client = rng.bounded(4) ? QStringLiteral("window") : QStringLiteral("nightly-report");
            if (ctx.client != u"window")   // the endpoint's calls come through its doors
                ctx.api = rng.bounded(3) == 0 ? QStringLiteral("messages") : rng.bounded(2) ? QStringLiteral("responses") : QStringLiteral("chat");
            ctx.taskType = QLatin1String(m->task);
            ctx.rule = m->task == QByteArrayView("long_document") ? QStringLiteral("long-docs")
                       : m->task == QByteArrayView("reasoning")   ? QStringLiteral("reasoning")
                                                                   : QStringLiteral("default");
            ctx.conversation = QStringLiteral("seed-conversation-%1").arg(n / 6);
            ctx.estimatedInputTokens = m->prompt;
            int attempt = 1;
            if (rng.bounded(25) == 0) {   // rate-limited first, then served by the fallback
                Attempt limited;
                limited.number = attempt++;
                limited.model = model->name;
                limited.provider = model->provider;
                limited.providerModel = model->id;
                limited.result.httpStatus = 429;
                limited.result.error = ProviderError {};
                limited.result.error->errorClass = ErrorClass::RateLimit;
                limited.result.totalMs = 300;
                rows << Ledger::rowFor(limited, ctx, catalog, when.toUTC());
                model = catalog.model(u"deepseek-flash");
            }
            Attempt a;
            a.number = attempt;
            a.model = model->name;
            a.provider = model->provider;
            a.providerModel = model->id;
            a.result.httpStatus = 200;
            a.result.content = QStringLiteral("…");
            const double scale = 0.4 + rng.generateDouble() * 1.2;
            a.result.usage.promptTokens = qint64(m->prompt * scale);
            a.result.usage.cachedTokens = qint64(a.result.usage.promptTokens * rng.generateDouble() * 0.6);
            a.result.usage.completionTokens = qint64(m->completion * (0.5 + rng.generateDouble()));
            a.result.usage.reasoningTokens = m->task == QByteArrayView("reasoning") ? a.result.usage.completionTokens * 3 / 4 : 0;
            a.result.ttftMs = 250 + int(rng.bounded(900)) + (m->task == QByteArrayView("reasoning") ? 2500 : 0);
            a.result.totalMs = a.result.ttftMs + a.result.usage.completionTokens * (8 + int(rng.bounded(12)));
            rows << Ledger::rowFor(a, ctx, catalog, when.addMSecs(400).toUTC());
        }
    }

    Database db(profile.databasePath());
    int exitCode = 1;
    QObject::connect(&db, &Database::openFailed, &app, [&](const QString &e) {
        QTextStream(stderr) << e << '\n';
        app.exit(1);
    });
    Ledger ledger(&db);
    QObject::connect(&db, &Database::opened, &app, [&] {
        for (const LedgerRow &r : std::as_const(rows))
            ledger.finished(r);
        ledger.flush();
    });
    QObject::connect(&db, &Database::batchCommitted, &app, [&] {
        QTextStream(stdout) << "wrote " << rows.size() << " ledger rows to " << profile.databasePath() << '\n';
        exitCode = 0;
        app.exit(0);
    });
    QObject::connect(&db, &Database::writeFailed, &app, [&](const QString &e) {
        QTextStream(stderr) << e << '\n';
        app.exit(1);
    });
    db.open();
    app.exec();
    return exitCode;
}
