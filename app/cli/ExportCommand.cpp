#include "ExportCommand.h"

#include "ConfigStore.h"
#include "Database.h"
#include "Ledger.h"
#include "TeamCommand.h"

#include <QFile>
#include <QSaveFile>
#include <QSqlDatabase>
#include <QTextStream>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ExportCommand", text);
}

// A day covers the whole UTC day; --until's day is included.
std::optional<QDateTime> parseWhen(const QString &text, bool endOfRange)
{
    const QDate day = QDate::fromString(text, Qt::ISODate);
    if (day.isValid())
        return QDateTime(endOfRange ? day.addDays(1) : day, QTime(0, 0), Qt::UTC);
    QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid())
        return std::nullopt;
    return t.toUTC();
}

} // namespace

namespace ExportCommand {

int run(const Invocation &invocation, const Profile &profile)
{
    QTextStream err(stderr);
    auto fail = [&err](int code, const QString &message) {
        err << tr("switchyard export: %1").arg(message) << Qt::endl;
        return code;
    };
    Ledger::Format format = Ledger::Format::Csv;
    if (invocation.format == u"jsonl")
        format = Ledger::Format::Jsonl;
    else if (invocation.format != u"csv")
        return fail(2, tr("Choose the format: --format csv or --format jsonl."));
    Ledger::Filter filter;
    if (!invocation.since.isEmpty()) {
        const auto since = parseWhen(invocation.since, false);
        if (!since)
            return fail(2, tr("--since takes a date such as 2026-11-01 or a time such as 2026-11-01T08:00:00Z."));
        filter.since = *since;
    }
    if (!invocation.until.isEmpty()) {
        const auto until = parseWhen(invocation.until, true);
        if (!until)
            return fail(2, tr("--until takes a date such as 2026-11-30 or a time such as 2026-11-30T18:00:00Z."));
        filter.until = *until;
    }
    auto write = [&](QSqlDatabase &db, bool team) {
        QString error;
        if (invocation.output.isEmpty()) {
            QFile out;
            if (!out.open(stdout, QIODevice::WriteOnly) || Ledger::exportRows(db, filter, format, &out, &error, {}, team) < 0)
                return fail(1, error);
            return 0;
        }
        QSaveFile out(invocation.output);
        if (!out.open(QIODevice::WriteOnly))
            return fail(1, tr("Cannot write %1: %2").arg(invocation.output, out.errorString()));
        if (Ledger::exportRows(db, filter, format, &out, &error, {}, team) < 0)
            return fail(1, error);
        if (!out.commit())
            return fail(1, tr("Cannot write %1: %2").arg(invocation.output, out.errorString()));
        return 0;
    };
    if (invocation.scope == u"team") {
        ConfigStore config(profile.configPath());
        if (!config.reload() && QFile::exists(profile.configPath()))
            return fail(1, config.lastError());
        if (!config.config().team.isSet())
            return fail(1, tr("This profile is not in a team: add a \"team:\" section to %1.").arg(profile.configPath()));
        return TeamCommand::withTeamDatabase(profile, config.config().team.url, QStringLiteral("export"),
                                             [&](QSqlDatabase &db) { return write(db, true); });
    }
    if (!invocation.scope.isEmpty() && invocation.scope != u"me")
        return fail(2, tr("--scope takes me (this profile's ledger, the default) or team (every member's rows)."));
    if (!QFile::exists(profile.databasePath()))
        return fail(1, tr("There is no ledger in %1 yet; nothing has been recorded.").arg(profile.dataDir()));

    const QString connection = QStringLiteral("switchyard-export");
    int code = 0;
    {
        QString error;
        std::optional<QSqlDatabase> db = Database::openConnection(profile.databasePath(), connection, &error);
        if (!db) {
            code = fail(1, error);
        } else if (Ledger::settleInterrupted(*db, profile.databasePath(), &error) < 0) {
            code = fail(1, error);   // the attempts a killed process left open would be missing
        } else {
            code = write(*db, false);
        }
        if (db)
            db->close();
    }
    QSqlDatabase::removeDatabase(connection);
    return code;
}

} // namespace ExportCommand
