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
#include "SeedCalls.h"

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
    rows << seedCalls(catalog, days, perDay, rng);

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
