// Fills a team database with a month of several members' synthetic calls, for screenshots and
// trying the Team dashboard by hand: sets the schema up (TeamDatabase::init), grants each
// member's role (when it exists) the team's member role, and adds each member's calls as the
// outbox would have sent them. Never part of the app.
//   switchyard-seed-team URL [--members alice,bob,carol] [--days 30] [--calls-per-day 120]
// URL is a postgresql:// address of a role that may set the database up (its password from
// PGPASSWORD or PGPASSFILE). The first member makes the most calls, each next one fewer.
#include "ConfigLoader.h"
#include "SeedCalls.h"
#include "TeamDatabase.h"
#include "TeamRows.h"

#include <QCoreApplication>
#include <QSqlError>
#include <QSqlQuery>
#include <QTextStream>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    QTextStream err(stderr);
    QStringList members = {QStringLiteral("alice"), QStringLiteral("bob"), QStringLiteral("carol")};
    int days = 30;
    int perDay = 120;
    for (int i = 2; i < args.size(); ++i) {
        if (args[i] == u"--members" && i + 1 < args.size())
            members = args[++i].split(QLatin1Char(','), Qt::SkipEmptyParts);
        else if (args[i] == u"--days" && i + 1 < args.size())
            days = args[++i].toInt();
        else if (args[i] == u"--calls-per-day" && i + 1 < args.size())
            perDay = args[++i].toInt();
        else
            members.clear();
    }
    if (args.size() < 2 || members.isEmpty() || days <= 0 || perDay <= 0) {
        err << "usage: switchyard-seed-team URL [--members alice,bob,carol] [--days 30] [--calls-per-day 120]\n";
        return 2;
    }

    QString error;
    const std::optional<TeamAddress> address = TeamAddress::parse(args[1], &error);
    if (!address) {
        err << error << '\n';
        return 2;
    }
    int exitCode = 0;
    {
        std::optional<QSqlDatabase> db = TeamDatabase::open(*address, {}, QStringLiteral("seed"), &error);
        if (!db) {
            err << error << '\n';
            return 1;
        }
        const std::optional<TeamDatabase::InitReport> report = TeamDatabase::init(*db, address->database, &error);
        if (!report) {
            err << error << '\n';
            return 1;
        }
        const Config catalog = *ConfigLoader::parse(ConfigLoader::builtInCatalog()).config;
        QTextStream out(stdout);
        for (int m = 0; m < members.size() && exitCode == 0; ++m) {
            const QString &member = members[m];
            QSqlQuery exists(*db);
            exists.prepare(QStringLiteral("SELECT 1 FROM pg_roles WHERE rolname = ?"));
            exists.addBindValue(member);
            if (exists.exec() && exists.next()) {
                QSqlQuery grant(*db);
                QString role = member;
                role.replace(QLatin1Char('"'), QLatin1String("\"\""));
                if (!grant.exec(QStringLiteral("GRANT %1 TO \"%2\"").arg(report->roles.members, role)))
                    err << "could not grant " << report->roles.members << " to " << member << ": " << TeamDatabase::describe(grant.lastError()) << '\n';
            }
            // Each member their own habits: fewer calls down the list, a seed of their own.
            QRandomGenerator rng(20261201 + quint32(m) * 7919);
            const int calls = std::max(1, perDay * 10 / (10 + 6 * m));
            const QList<LedgerRow> rows = seedCalls(catalog, days, calls, rng, member + QStringLiteral("-seed-"));
            if (!TeamRows::insert(*db, member, rows, &error)) {
                err << error << '\n';
                exitCode = 1;
                break;
            }
            out << "wrote " << rows.size() << " rows for " << member << '\n';
        }
        db->close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("seed"));
    return exitCode;
}
