#include "TeamCommand.h"

#include "ConfigStore.h"
#include "Database.h"
#include "SecretStore.h"
#include "TeamDatabase.h"

#include <QFile>
#include <QLocale>
#include <QSqlQuery>
#include <QTextStream>
#include <QTimer>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("TeamCommand", text);
}

QString localTime(const QDateTime &utc)
{
    return utc.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

} // namespace

// Inside the namespace, so that lupdate files their strings under TeamCommand.
namespace TeamCommand {

int init(const Profile &profile, const QString &url)
{
    return TeamCommand::withTeamDatabase(profile, url, QStringLiteral("team init"), [&](QSqlDatabase &db) {
        QTextStream out(stdout);
        QTextStream err(stderr);
        QString error;
        const std::optional<TeamDatabase::InitReport> report = TeamDatabase::init(db, db.databaseName(), &error);
        if (!report) {
            err << tr("switchyard team init: %1").arg(error) << Qt::endl;
            return 1;
        }
        if (report->fromVersion == report->toVersion)
            out << tr("The team database is already at schema %1.").arg(report->toVersion) << Qt::endl;
        else
            out << tr("Set up the team database: schema %1 (was %2).").arg(report->toVersion).arg(report->fromVersion)
                << Qt::endl;
        const TeamDatabase::Roles &roles = report->roles;
        if (report->rolesCreated) {
            out << tr("Group roles: %1 (add ledger rows, read the team's bill) and %2 (also change the team's rules).")
                       .arg(roles.members, roles.editors)
                << Qt::endl;
        } else {
            out << tr("Your role may not create roles. Have a database administrator run:") << Qt::endl;
            for (const QString &statement : report->toRunAsAdmin)
                out << QStringLiteral("  ") << statement << QLatin1Char(';') << Qt::endl;
        }
        out << tr("Give each member a login role and one of the group roles, for example:") << Qt::endl
            << QStringLiteral("  CREATE ROLE alice LOGIN PASSWORD '…';  GRANT %1 TO alice;").arg(roles.members) << Qt::endl
            << QStringLiteral("  CREATE ROLE bob LOGIN PASSWORD '…';    GRANT %1 TO bob;").arg(roles.editors) << Qt::endl
            << tr("Then each member adds to config.yaml:") << Qt::endl
            << QStringLiteral("  team:\n    url: %1\n    member: alice").arg(url) << Qt::endl
            << tr("and keeps the password in the keychain: switchyard keys set team") << Qt::endl;
        return 0;
    });
}

int status(const Profile &profile)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    ConfigStore config(profile.configPath());
    if (!config.reload() && QFile::exists(profile.configPath())) {
        err << tr("switchyard team status: %1").arg(config.lastError()) << Qt::endl;
        return 1;
    }
    const TeamSettings team = config.config().team;
    if (!team.isSet()) {
        err << tr("switchyard team status: this profile is not in a team. Add a \"team:\" section to %1 or use "
                  "Settings → Team.")
                   .arg(profile.configPath())
            << Qt::endl;
        return 1;
    }

    // What this machine knows: the outbox and what it last heard of the team's rules.
    qint64 waiting = 0;
    QDateTime lastSend;
    qint64 rulesInForce = 0;
    QString rulesAuthor;
    QDateTime rulesAt;
    if (QFile::exists(profile.databasePath())) {
        const QString name = QStringLiteral("switchyard-team-status");
        {
            QString error;
            std::optional<QSqlDatabase> db = Database::openConnection(profile.databasePath(), name, &error);
            if (!db) {
                err << tr("switchyard team status: %1").arg(error) << Qt::endl;
                return 1;
            }
            QSqlQuery q(*db);
            if (q.exec(QStringLiteral("SELECT COUNT(*) FROM team_outbox")) && q.next())
                waiting = q.value(0).toLongLong();
            if (q.exec(QStringLiteral("SELECT key, value FROM team_state"))) {
                while (q.next()) {
                    const QString key = q.value(0).toString();
                    const QString value = q.value(1).toString();
                    if (key == u"last_send")
                        lastSend = QDateTime::fromMSecsSinceEpoch(value.toLongLong(), Qt::UTC);
                    else if (key == u"rules_version")
                        rulesInForce = value.toLongLong();
                    else if (key == u"rules_author")
                        rulesAuthor = value;
                    else if (key == u"rules_at")
                        rulesAt = QDateTime::fromMSecsSinceEpoch(value.toLongLong(), Qt::UTC);
                }
            }
            db->close();
        }
        QSqlDatabase::removeDatabase(name);
    }
    auto printLocal = [&] {
        out << tr("Member: %1").arg(team.member) << Qt::endl;
        out << tr("Rows waiting to be sent: %1").arg(waiting) << Qt::endl;
        out << tr("Last send: %1").arg(lastSend.isValid() ? localTime(lastSend) : tr("never")) << Qt::endl;
        if (rulesInForce > 0)
            out << tr("Team rules in force: version %1 by %2, %3").arg(rulesInForce).arg(rulesAuthor, localTime(rulesAt))
                << Qt::endl;
        else
            out << tr("Team rules in force: none (this machine's config.yaml)") << Qt::endl;
    };
    QString error;
    const std::optional<TeamAddress> address = TeamAddress::parse(team.url, &error);
    if (!address) {
        err << tr("switchyard team status: %1").arg(error) << Qt::endl;
        return 1;
    }
    const int code = TeamCommand::withTeamDatabase(profile, team.url, QStringLiteral("team status"), [&](QSqlDatabase &db) {
        out << tr("Server: %1").arg(TeamDatabase::serverDescription(db, *address)) << Qt::endl;
        printLocal();
        QString why;
        const int schema = TeamDatabase::schemaVersion(db, &why);
        out << tr("Team schema: %1").arg(schema < 0 ? why : QString::number(schema)) << Qt::endl;
        const std::optional<TeamDatabase::RulesVersion> latest = schema > 0 ? TeamDatabase::latestRules(db, &why)
                                                                            : std::nullopt;
        if (latest && latest->version > 0)
            out << tr("Team rules on the server: version %1 by %2, %3").arg(latest->version).arg(latest->author,
                                                                                                  localTime(latest->createdAt))
                << Qt::endl;
        else if (latest)
            out << tr("Team rules on the server: none published yet") << Qt::endl;
        out << tr("May change the team's rules: %1").arg(TeamDatabase::mayWriteRules(db) ? tr("yes") : tr("no")) << Qt::endl;
        return 0;
    });
    if (code != 0)
        printLocal();   // what waits here is worth knowing all the more when the server is away
    return code;
}

int withTeamDatabase(const Profile &profile, const QString &url, const QString &command,
                     const std::function<int(QSqlDatabase &db)> &work)
{
    QTextStream err(stderr);
    QString error;
    const std::optional<TeamAddress> address = TeamAddress::parse(url, &error);
    if (!address) {
        err << tr("switchyard %1: %2").arg(command, error) << Qt::endl;
        return 2;
    }
    const std::unique_ptr<SecretStore> secrets = SecretStore::forProfile(profile);
    int code = 1;
    QObject context;
    secrets->read(SecretStore::teamAccount(), &context, [&](const SecretResult &result) {
        if (!result.keychainWorks())
            err << tr("switchyard %1: the keychain could not be read (%2); trying libpq's PGPASSWORD and PGPASSFILE.")
                       .arg(command, result.message)
                << Qt::endl;
        const QString name = QStringLiteral("switchyard-team-command");
        {
            QString why;
            std::optional<QSqlDatabase> db = TeamDatabase::open(*address, result.ok() ? result.secret : QString(), name, &why);
            if (!db) {
                err << tr("switchyard %1: %2").arg(command, why) << Qt::endl;
            } else {
                code = work(*db);
                db->close();
            }
        }
        QSqlDatabase::removeDatabase(name);
        QCoreApplication::exit(code);
    });
    QCoreApplication::exec();
    return code;
}

int run(const Invocation &invocation, const Profile &profile)
{
    QTextStream err(stderr);
    const QStringList args = invocation.arguments;
    QString error;
    if (!profile.ensureExists(&error)) {
        err << error << Qt::endl;
        return 1;
    }
    if (args.size() == 2 && args.at(0) == u"init")
        return init(profile, args.at(1));
    if (args.size() == 1 && args.at(0) == u"status")
        return status(profile);
    err << tr("Use: switchyard team init postgresql://USER@HOST:PORT/DATABASE, or switchyard team status.") << Qt::endl;
    return 2;
}

} // namespace TeamCommand
