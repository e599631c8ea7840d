#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QSqlDatabase>
#include <QSqlError>
#include <QStringList>

#include <optional>

// Where the team database is: a postgresql:// address (libpq's URI form) taken apart for Qt's
// QPSQL driver. Every libpq parameter a team needs is allowed in the query (sslmode, sslrootcert,
// client certificates, connect_timeout, …); a password in the address is refused, since it would
// sit in config.yaml: it comes from the keychain entry `team`, or libpq's PGPASSWORD / PGPASSFILE.
struct TeamAddress
{
    QString host;
    int port = 5432;
    QString database;
    QString user;
    QStringList options;          // libpq "key=value", quoted for its connection string

    static std::optional<TeamAddress> parse(const QString &url, QString *error);
    // "alice@db.example.com:5432/switchyard"
    QString display() const;
    // The value of a libpq option given in the address, else `fallback`.
    QString option(const QString &key, const QString &fallback = {}) const;
};

// The team database on PostgreSQL (docs/team.md): its schema (versioned migrations in
// `team_schema`), the team ledger (`ledger`: every member's rows, keyed by member, request id and
// attempt; `ledger_daily`: per-day totals per member, kept by a trigger in the same transaction),
// and the team's rules (`team_rules`: numbered versions, announced on LISTEN channel `team_rules`).
// What a member may do is decided by PostgreSQL's own grants on two group roles (rolesFor()).
namespace TeamDatabase {

constexpr const char *RulesChannel = "team_rules";

// Opens a QPSQL connection named `connectionName` on the calling thread. `password` may be empty
// (then libpq looks at PGPASSWORD and PGPASSFILE). On failure, std::nullopt and a sentence.
std::optional<QSqlDatabase> open(const TeamAddress &address, const QString &password, const QString &connectionName,
                                 QString *error);
// A sentence for a failed connection or statement, never with a secret in it.
QString describe(const QSqlError &error);
// The server refused the statement for want of a privilege (SQLSTATE 42501).
bool isRefused(const QSqlError &error);
// "PostgreSQL 15.18 at localhost:5432, TLS (TLSv1.3)"
QString serverDescription(QSqlDatabase &db, const TeamAddress &address);

struct Migration
{
    int version;
    QStringList statements;
};
QList<Migration> migrations();
int latestVersion();
// 0 on a database never set up; -1 with *error when it cannot be read.
int schemaVersion(QSqlDatabase &db, QString *error);

// The group roles of a team database: members (read everything, add ledger rows) and rule editors
// (members who may also publish the team's rules).
struct Roles
{
    QString members;
    QString editors;
};
Roles rolesFor(const QString &database);

struct InitReport
{
    int fromVersion = 0;
    int toVersion = 0;
    bool rolesCreated = false;     // false: the statements in `toRunAsAdmin` must be run by someone who may
    QStringList toRunAsAdmin;
    Roles roles;
};
// Brings the schema up to date (each migration in its own transaction), then creates the group roles
// and their grants when the connecting user may.
std::optional<InitReport> init(QSqlDatabase &db, const QString &database, QString *error);

// The columns a member sends, in the team ledger's order (member first, then the local ledger's).
QStringList ledgerColumns();

struct RulesVersion
{
    qint64 version = 0;            // 0: the team has published no rules
    QString author;                // the PostgreSQL role that published it
    QString member;
    QDateTime createdAt;
    QString summary;
    QByteArray body;               // YAML of ConfigLoader::teamSections()
};
// The newest version, or std::nullopt with *error.
std::optional<RulesVersion> latestRules(QSqlDatabase &db, QString *error);
// Publishes a new version; its number, or std::nullopt with *error (a clear sentence when the
// member's role may not write the rules).
std::optional<qint64> publishRules(QSqlDatabase &db, const QString &member, const QByteArray &body, const QString &summary,
                                   QString *error);
// Whether the connected role may publish rules: PostgreSQL's answer (has_table_privilege).
bool mayWriteRules(QSqlDatabase &db);

} // namespace TeamDatabase
