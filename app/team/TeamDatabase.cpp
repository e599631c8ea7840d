#include "TeamDatabase.h"

#include <QSqlDriver>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QUrl>
#include <QUrlQuery>

namespace {

// libpq's parameters a team address may carry (its URI query keys). Host, port, database and user
// come from the address itself; the password never does.
const QStringList &allowedOptions()
{
    static const QStringList keys = {
        QStringLiteral("sslmode"),        QStringLiteral("sslrootcert"),     QStringLiteral("sslcert"),
        QStringLiteral("sslkey"),         QStringLiteral("sslcrl"),          QStringLiteral("sslcompression"),
        QStringLiteral("sslsni"),         QStringLiteral("ssl_min_protocol_version"),
        QStringLiteral("connect_timeout"), QStringLiteral("application_name"), QStringLiteral("target_session_attrs"),
        QStringLiteral("keepalives"),     QStringLiteral("keepalives_idle"), QStringLiteral("keepalives_interval"),
        QStringLiteral("keepalives_count"), QStringLiteral("tcp_user_timeout"), QStringLiteral("gssencmode"),
        QStringLiteral("channel_binding"), QStringLiteral("requiressl"),
    };
    return keys;
}

// A value in libpq's connection string: quoted, with \ and ' escaped.
QString quoted(const QString &value)
{
    QString v = value;
    v.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    v.replace(QLatin1Char('\''), QLatin1String("\\'"));
    return QLatin1Char('\'') + v + QLatin1Char('\'');
}

QString identifier(const QString &name)
{
    QString n = name;
    n.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + n + QLatin1Char('"');
}

bool run(QSqlDatabase &db, const QString &sql, QString *error)
{
    QSqlQuery q(db);
    if (q.exec(sql))
        return true;
    if (error)
        *error = TeamDatabase::describe(q.lastError());
    return false;
}

// The per-day totals' columns (ledger_daily, ledger_days), in their order.
const char *const TotalColumns[] = {"attempts", "retries", "errors", "estimated", "unpriced", "cost_micros",
                                    "prompt_tokens", "cached_tokens", "completion_tokens", "reasoning_tokens"};

// "attempts, retries, …"
QString totalNames()
{
    QStringList out;
    for (const char *c : TotalColumns)
        out << QLatin1String(c);
    return out.join(QStringLiteral(", "));
}

// " attempts BIGINT NOT NULL, … reasoning_tokens BIGINT NOT NULL," for a CREATE TABLE.
QString totalDefinitions()
{
    QString out;
    for (const char *c : TotalColumns)
        out += QStringLiteral(" %1 BIGINT NOT NULL,").arg(QLatin1String(c));
    return out;
}

// The per-day totals' sums over rows of the ledger (`added`), in the columns' order.
QString rowSums()
{
    return QStringLiteral(
        "count(*), count(*) FILTER (WHERE attempt > 1), count(*) FILTER (WHERE status <> 'ok'), sum(cost_estimated), "
        "count(*) FILTER (WHERE cost_micros IS NULL), sum(GREATEST(COALESCE(cost_micros, 0), 0)), "
        "sum(GREATEST(COALESCE(prompt_tokens, 0), 0)), sum(GREATEST(COALESCE(cached_tokens, 0), 0)), "
        "sum(GREATEST(COALESCE(completion_tokens, 0), 0)), sum(GREATEST(COALESCE(reasoning_tokens, 0), 0))");
}

// The same sums over per-day totals.
QString sumsOf()
{
    QStringList out;
    for (const char *c : TotalColumns)
        out << QStringLiteral("sum(%1)").arg(QLatin1String(c));
    return out.join(QStringLiteral(", "));
}

// "attempts = d.attempts + excluded.attempts, …"
QString upsertSums()
{
    QStringList out;
    for (const char *c : TotalColumns)
        out << QStringLiteral("%1 = d.%1 + excluded.%1").arg(QLatin1String(c));
    return out.join(QStringLiteral(", "));
}

} // namespace

std::optional<TeamAddress> TeamAddress::parse(const QString &text, QString *error)
{
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != u"postgresql" && url.scheme() != u"postgres") || url.host().isEmpty()) {
        *error = QCoreApplication::translate("TeamDatabase", "\"%1\" is not a PostgreSQL address such as "
                                                              "postgresql://alice@db.example.com:5432/switchyard?sslmode=verify-full")
                     .arg(QUrl(text.trimmed()).toDisplayString(QUrl::RemovePassword).left(200));
        return std::nullopt;
    }
    if (!url.password().isEmpty()) {
        *error = QCoreApplication::translate("TeamDatabase", "The address holds a password. Take it out and keep the "
                                                              "password in the keychain: switchyard keys set team");
        return std::nullopt;
    }
    TeamAddress a;
    a.host = url.host();
    a.port = url.port(5432);
    a.database = url.path().mid(1);
    if (a.database.isEmpty() || a.database.contains(QLatin1Char('/'))) {
        *error = QCoreApplication::translate("TeamDatabase", "The address names no database; end it with the "
                                                              "database's name, as in …:5432/switchyard");
        return std::nullopt;
    }
    a.user = url.userName();
    const QList<QPair<QString, QString>> items = QUrlQuery(url).queryItems(QUrl::FullyDecoded);
    for (const auto &[key, value] : items) {
        if (key == u"password") {
            *error = QCoreApplication::translate("TeamDatabase", "The address holds a password. Take it out and keep "
                                                                  "the password in the keychain: switchyard keys set team");
            return std::nullopt;
        }
        if (!allowedOptions().contains(key)) {
            *error = QCoreApplication::translate("TeamDatabase", "\"%1\" in the address is not a connection setting "
                                                                  "Switchyard passes on; use %2")
                         .arg(key.left(60), allowedOptions().join(QStringLiteral(", ")));
            return std::nullopt;
        }
        a.options << key + QLatin1Char('=') + quoted(value);
    }
    // A laptop that sleeps or changes network leaves a half-open connection that would hold a
    // statement for a quarter of an hour: these notice it in about 15 s, unless the address says otherwise.
    const std::pair<const char *, const char *> defaults[] = {{"connect_timeout", "5"},   {"keepalives_idle", "10"},
                                                              {"keepalives_interval", "5"}, {"keepalives_count", "3"},
                                                              {"tcp_user_timeout", "15000"}};
    for (const auto &[key, value] : defaults)
        if (a.option(QLatin1String(key)).isEmpty())
            a.options << QLatin1String(key) + QLatin1Char('=') + QLatin1String(value);
    return a;
}

QString TeamAddress::display() const
{
    const QString who = user.isEmpty() ? QString() : user + QLatin1Char('@');
    return QStringLiteral("%1%2:%3/%4").arg(who, host).arg(port).arg(database);
}

QString TeamAddress::option(const QString &key, const QString &fallback) const
{
    const QString prefix = key + QLatin1Char('=');
    for (const QString &o : options) {
        if (o.startsWith(prefix)) {
            QString v = o.mid(prefix.size());
            if (v.startsWith(QLatin1Char('\'')))
                v = v.mid(1, v.size() - 2).replace(QLatin1String("\\'"), QLatin1String("'")).replace(QLatin1String("\\\\"),
                                                                                                     QLatin1String("\\"));
            return v;
        }
    }
    return fallback;
}

namespace TeamDatabase {

std::optional<QSqlDatabase> open(const TeamAddress &address, const QString &password, const QString &connectionName,
                                 QString *error)
{
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL"))) {
        *error = QCoreApplication::translate("TeamDatabase", "Qt's PostgreSQL driver is not installed (Debian: "
                                                              "apt install libqt6sql6-psql).");
        return std::nullopt;
    }
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connectionName);
    db.setHostName(address.host);
    db.setPort(address.port);
    db.setDatabaseName(address.database);
    db.setUserName(address.user);
    db.setPassword(password);
    db.setConnectOptions(address.options.join(QLatin1Char(';')));
    if (!db.open()) {
        *error = QCoreApplication::translate("TeamDatabase", "Cannot reach the team database %1: %2")
                     .arg(address.display(), describe(db.lastError()));
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(connectionName);
        return std::nullopt;
    }
    QSqlQuery q(db);
    // Strings are sent as literals in batches (TeamOutbox): make sure backslashes mean themselves.
    q.exec(QStringLiteral("SET standard_conforming_strings = on"));
    q.exec(QStringLiteral("SET statement_timeout = '60s'"));   // no statement of ours takes a minute
    return db;
}

QString describe(const QSqlError &error)
{
    // libpq's own text names the cause (refused, no route, certificate, password authentication…)
    // and never the password. Keep its first line; the rest repeats it.
    QString text = error.databaseText().trimmed();
    if (text.isEmpty())
        text = error.driverText().trimmed();
    text = text.section(QLatin1Char('\n'), 0, 0).trimmed();
    if (text.startsWith(QLatin1String("ERROR:")) || text.startsWith(QLatin1String("FATAL:")))
        text = text.section(QLatin1Char(':'), 1).trimmed();
    if (text.isEmpty())
        text = QCoreApplication::translate("TeamDatabase", "the server gave no reason");
    return text;
}

bool isRefused(const QSqlError &error)
{
    return error.nativeErrorCode() == u"42501";
}

QString serverDescription(QSqlDatabase &db, const TeamAddress &address)
{
    QSqlQuery q(db);
    QString version;
    if (q.exec(QStringLiteral("SHOW server_version")) && q.next())
        version = q.value(0).toString().section(QLatin1Char(' '), 0, 0);
    QString tls = QCoreApplication::translate("TeamDatabase", "not encrypted");
    if (q.exec(QStringLiteral("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) && q.next()
        && q.value(0).toBool())
        tls = QCoreApplication::translate("TeamDatabase", "TLS (%1, sslmode=%2)")
                  .arg(q.value(1).toString(), address.option(QStringLiteral("sslmode"), QStringLiteral("prefer")));
    return QCoreApplication::translate("TeamDatabase", "PostgreSQL %1 at %2:%3, database %4, %5")
        .arg(version, address.host)
        .arg(address.port)
        .arg(address.database, tls);
}

QList<Migration> migrations()
{
    // Append only: a released migration never changes.
    return {
        {1,
         {// The team ledger: the local ledger's columns (Database.cpp, migrations 2, 4, 5) and the
          // member's name. A row is one attempt of one member: sending it twice changes nothing.
          QStringLiteral("CREATE TABLE ledger ("
                         " member TEXT NOT NULL,"
                         " id BIGINT NOT NULL,"                  // the member's local id: time_ms × 1024 + n
                         " time_ms BIGINT NOT NULL,"
                         " day INTEGER NOT NULL,"                // the member's local calendar day
                         " request_id TEXT NOT NULL,"
                         " attempt INTEGER NOT NULL,"
                         " client TEXT NOT NULL,"
                         " task_type TEXT NOT NULL,"
                         " rule TEXT NOT NULL,"
                         " model TEXT NOT NULL,"
                         " provider TEXT NOT NULL,"
                         " provider_model TEXT NOT NULL,"
                         " status TEXT NOT NULL,"
                         " http_status INTEGER NOT NULL,"
                         " prompt_tokens BIGINT,"
                         " cached_tokens BIGINT,"
                         " completion_tokens BIGINT,"
                         " reasoning_tokens BIGINT,"
                         " cost_micros BIGINT,"
                         " currency TEXT NOT NULL,"
                         " cost_estimated INTEGER NOT NULL,"
                         " latency_ms BIGINT,"
                         " ttft_ms BIGINT,"
                         " conversation TEXT NOT NULL,"
                         " estimated_input_tokens BIGINT,"
                         " price_as_of TEXT NOT NULL,"
                         " dropped TEXT NOT NULL DEFAULT '',"
                         " overhead_us BIGINT,"
                         " api TEXT NOT NULL DEFAULT 'chat',"
                         " received_at TIMESTAMPTZ NOT NULL DEFAULT now(),"
                         " PRIMARY KEY (member, request_id, attempt))"),
          // Periods are ranges of id, as in the local ledger.
          QStringLiteral("CREATE INDEX ledger_by_id ON ledger (id)"),
          // Per-day totals; the local ledger_daily's key, then the member.
          QStringLiteral("CREATE TABLE ledger_daily ("
                         " day INTEGER NOT NULL,"
                         " model TEXT NOT NULL,"
                         " currency TEXT NOT NULL,"
                         " provider TEXT NOT NULL,"
                         " task_type TEXT NOT NULL,"
                         " client TEXT NOT NULL,"
                         " api TEXT NOT NULL,"
                         " member TEXT NOT NULL,"
                         "%1"
                         " PRIMARY KEY (day, model, currency, provider, task_type, client, api, member))")
              .arg(totalDefinitions()),
          // The totals follow the rows in the same statement: only rows really added (not those
          // sent again) are in `added`. SECURITY DEFINER: members may add rows, not write totals.
          QStringLiteral(
              "CREATE FUNCTION ledger_roll_up() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER "
              "SET search_path FROM CURRENT AS $$ BEGIN "
              "INSERT INTO ledger_daily AS d (day, model, currency, provider, task_type, client, api, member, %1) "
              "SELECT day, model, currency, provider, task_type, client, api, member, %2 "
              "FROM added GROUP BY day, model, currency, provider, task_type, client, api, member "
              "ON CONFLICT (day, model, currency, provider, task_type, client, api, member) DO UPDATE SET %3; "
              "RETURN NULL; END $$")
              .arg(totalNames(), rowSums(), upsertSums()),
          QStringLiteral("CREATE TRIGGER ledger_roll_up AFTER INSERT ON ledger REFERENCING NEW TABLE AS added "
                         "FOR EACH STATEMENT EXECUTE FUNCTION ledger_roll_up()"),
          // The team's rules, one row per version. Who wrote it is the database's word, not the client's.
          QStringLiteral("CREATE TABLE team_rules ("
                         " version INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                         " author TEXT NOT NULL DEFAULT current_user,"
                         " member TEXT NOT NULL,"
                         " created_at TIMESTAMPTZ NOT NULL DEFAULT now(),"
                         " summary TEXT NOT NULL,"
                         " body TEXT NOT NULL)"),
          QStringLiteral("CREATE FUNCTION team_rules_stamp() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                         "NEW.author := session_user; NEW.created_at := now(); RETURN NEW; END $$"),
          QStringLiteral("CREATE TRIGGER team_rules_stamp BEFORE INSERT ON team_rules FOR EACH ROW "
                         "EXECUTE FUNCTION team_rules_stamp()"),
          // Every member listening hears of a new version as its transaction commits.
          QStringLiteral("CREATE FUNCTION team_rules_notify() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                         "PERFORM pg_notify('team_rules', NEW.version::text); RETURN NULL; END $$"),
          QStringLiteral("CREATE TRIGGER team_rules_notify AFTER INSERT ON team_rules FOR EACH ROW "
                         "EXECUTE FUNCTION team_rules_notify()")}},
        {2,
         {// What the dashboard reads from the rows themselves, on years of a busy team's calls
          // (bench_team prints the plans on 10 M rows; docs/team.md sums them up). The stopped and
          // passed-over counts: only the rows that were not ok, in time order, without the table.
          QStringLiteral("CREATE INDEX ledger_not_ok ON ledger (id) INCLUDE (model, status) WHERE status <> 'ok'"),
          // The costliest calls: the dearest first in each currency, so a period's top ten stops early.
          QStringLiteral("CREATE INDEX ledger_dearest ON ledger (currency, cost_micros DESC, id) WHERE cost_micros > 0"),
          // Timings: the answers' times in time order, without the table.
          QStringLiteral("CREATE INDEX ledger_answer_times ON ledger (id) INCLUDE (model, ttft_ms, latency_ms) "
                         "WHERE status = 'ok'"),
          // The filters' values (Ledger::dimensions): one probe a value. A few values each, so
          // B-tree deduplication keeps these small.
          QStringLiteral("CREATE INDEX ledger_daily_providers ON ledger_daily (provider)"),
          QStringLiteral("CREATE INDEX ledger_daily_models ON ledger_daily (model)"),
          QStringLiteral("CREATE INDEX ledger_daily_task_types ON ledger_daily (task_type)"),
          QStringLiteral("CREATE INDEX ledger_daily_clients ON ledger_daily (client)"),
          QStringLiteral("CREATE INDEX ledger_daily_apis ON ledger_daily (api)")}},
        // The dashboard's main aggregate (Ledger::dayTotals) without a member, client or door
        // filter: totals per day, model, currency, provider and task type alone, so a year of a
        // busy team is some 15,000 of them rather than the 400,000 per member, client and door.
        // Kept by the same trigger; members' batches meet on its rows, so they take them in key
        // order (no two senders can deadlock).
        {3,
         {QStringLiteral("CREATE TABLE ledger_days ("
                         " day INTEGER NOT NULL,"
                         " model TEXT NOT NULL,"
                         " currency TEXT NOT NULL,"
                         " provider TEXT NOT NULL,"
                         " task_type TEXT NOT NULL,"
                         "%1"
                         " PRIMARY KEY (day, model, currency, provider, task_type))")
              .arg(totalDefinitions()),
          QStringLiteral("INSERT INTO ledger_days SELECT day, model, currency, provider, task_type, %1 FROM ledger_daily "
                         "GROUP BY day, model, currency, provider, task_type")
              .arg(sumsOf()),
          QStringLiteral(
              "CREATE OR REPLACE FUNCTION ledger_roll_up() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER "
              "SET search_path FROM CURRENT AS $$ BEGIN "
              "INSERT INTO ledger_daily AS d (day, model, currency, provider, task_type, client, api, member, %1) "
              "SELECT day, model, currency, provider, task_type, client, api, member, %2 "
              "FROM added GROUP BY day, model, currency, provider, task_type, client, api, member "
              "ON CONFLICT (day, model, currency, provider, task_type, client, api, member) DO UPDATE SET %3; "
              "INSERT INTO ledger_days AS d (day, model, currency, provider, task_type, %1) "
              "SELECT day, model, currency, provider, task_type, %2 "
              "FROM added GROUP BY day, model, currency, provider, task_type "
              "ORDER BY day, model, currency, provider, task_type "
              "ON CONFLICT (day, model, currency, provider, task_type) DO UPDATE SET %3; "
              "RETURN NULL; END $$")
              .arg(totalNames(), rowSums(), upsertSums())}},
    };
}

int latestVersion()
{
    return migrations().constLast().version;
}

int schemaVersion(QSqlDatabase &db, QString *error)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT to_regclass('team_schema') IS NOT NULL")) || !q.next()) {
        *error = describe(q.lastError());
        return -1;
    }
    if (!q.value(0).toBool())
        return 0;
    if (!q.exec(QStringLiteral("SELECT COALESCE(MAX(version), 0) FROM team_schema")) || !q.next()) {
        *error = describe(q.lastError());
        return -1;
    }
    return q.value(0).toInt();
}

Roles rolesFor(const QString &database)
{
    return {database + QStringLiteral("_members"), database + QStringLiteral("_rule_editors")};
}

std::optional<InitReport> init(QSqlDatabase &db, const QString &database, QString *error)
{
    InitReport report;
    report.roles = rolesFor(database);
    if (!run(db, QStringLiteral("CREATE TABLE IF NOT EXISTS team_schema (version INTEGER PRIMARY KEY, "
                                "applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"),
             error))
        return std::nullopt;
    report.fromVersion = schemaVersion(db, error);
    if (report.fromVersion < 0)
        return std::nullopt;
    if (report.fromVersion > latestVersion()) {
        *error = QCoreApplication::translate("TeamDatabase", "The team database was set up by a newer Switchyard "
                                                              "(schema %1; this version knows up to %2). Update Switchyard.")
                     .arg(report.fromVersion)
                     .arg(latestVersion());
        return std::nullopt;
    }
    for (const Migration &m : migrations()) {
        if (m.version <= report.fromVersion)
            continue;
        if (!db.transaction()) {
            *error = describe(db.lastError());
            return std::nullopt;
        }
        // Two `team init` at once: the second waits here, then finds the version applied.
        bool ok = run(db, QStringLiteral("LOCK TABLE team_schema IN EXCLUSIVE MODE"), error);
        int now = ok ? schemaVersion(db, error) : -1;
        ok = ok && now >= 0;
        if (ok && now < m.version) {
            for (const QString &statement : m.statements)
                if (!(ok = run(db, statement, error)))
                    break;
            ok = ok && run(db, QStringLiteral("INSERT INTO team_schema (version) VALUES (%1)").arg(m.version), error);
        }
        if (!ok || !db.commit()) {
            if (ok)
                *error = describe(db.lastError());
            db.rollback();
            *error = QCoreApplication::translate("TeamDatabase", "Setting up schema %1 failed, nothing was changed: %2")
                         .arg(m.version)
                         .arg(*error);
            return std::nullopt;
        }
    }
    report.toVersion = latestVersion();

    const QString members = identifier(report.roles.members);
    const QString editors = identifier(report.roles.editors);
    const QString schema = [&] {
        QSqlQuery q(db);
        return q.exec(QStringLiteral("SELECT current_schema()")) && q.next() ? identifier(q.value(0).toString())
                                                                             : QStringLiteral("public");
    }();
    QStringList roles;
    for (const QString &role : {report.roles.members, report.roles.editors})
        roles << QStringLiteral("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '%1') THEN "
                                "CREATE ROLE %2 NOLOGIN; END IF; END $$")
                     .arg(QString(role).replace(QLatin1Char('\''), QLatin1String("''")), identifier(role));
    const QStringList grants = {
        QStringLiteral("GRANT USAGE ON SCHEMA %1 TO %2, %3").arg(schema, members, editors),
        QStringLiteral("GRANT SELECT ON team_schema, ledger, ledger_daily, ledger_days, team_rules TO %1").arg(members),
        QStringLiteral("GRANT INSERT ON ledger TO %1").arg(members),
        QStringLiteral("GRANT %1 TO %2").arg(members, editors),
        QStringLiteral("GRANT INSERT ON team_rules TO %1").arg(editors),
    };
    QString roleError;
    bool ok = db.transaction();
    for (const QString &statement : roles + grants)
        ok = ok && run(db, statement, &roleError);
    if (ok && db.commit()) {
        report.rolesCreated = true;
    } else {
        db.rollback();
        report.toRunAsAdmin = roles + grants;
    }
    return report;
}

QStringList ledgerColumns()
{
    return {QStringLiteral("member"),       QStringLiteral("id"),
            QStringLiteral("time_ms"),      QStringLiteral("day"),
            QStringLiteral("request_id"),   QStringLiteral("attempt"),
            QStringLiteral("client"),       QStringLiteral("task_type"),
            QStringLiteral("rule"),         QStringLiteral("model"),
            QStringLiteral("provider"),     QStringLiteral("provider_model"),
            QStringLiteral("status"),       QStringLiteral("http_status"),
            QStringLiteral("prompt_tokens"), QStringLiteral("cached_tokens"),
            QStringLiteral("completion_tokens"), QStringLiteral("reasoning_tokens"),
            QStringLiteral("cost_micros"),  QStringLiteral("currency"),
            QStringLiteral("cost_estimated"), QStringLiteral("latency_ms"),
            QStringLiteral("ttft_ms"),      QStringLiteral("conversation"),
            QStringLiteral("estimated_input_tokens"), QStringLiteral("price_as_of"),
            QStringLiteral("dropped"),      QStringLiteral("overhead_us"),
            QStringLiteral("api")};
}

std::optional<RulesVersion> latestRules(QSqlDatabase &db, QString *error)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT version, author, member, created_at, summary, body FROM team_rules "
                               "ORDER BY version DESC LIMIT 1"))) {
        *error = describe(q.lastError());
        return std::nullopt;
    }
    RulesVersion v;
    if (q.next()) {
        v.version = q.value(0).toLongLong();
        v.author = q.value(1).toString();
        v.member = q.value(2).toString();
        v.createdAt = q.value(3).toDateTime().toUTC();
        v.summary = q.value(4).toString();
        v.body = q.value(5).toString().toUtf8();
    }
    return v;
}

std::optional<qint64> publishRules(QSqlDatabase &db, const QString &member, const QByteArray &body, const QString &summary,
                                   QString *error)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO team_rules (member, summary, body) VALUES (?, ?, ?) RETURNING version"));
    q.addBindValue(member);
    q.addBindValue(summary);
    q.addBindValue(QString::fromUtf8(body));
    if (!q.exec() || !q.next()) {
        if (isRefused(q.lastError()))
            *error = QCoreApplication::translate("TeamDatabase",
                                                 "The team database did not let your role (%1) change the team's rules. "
                                                 "Only rule editors may: ask whoever runs the team database to grant you "
                                                 "the role %2.")
                         .arg(db.userName().isEmpty() ? member : db.userName(), rolesFor(db.databaseName()).editors);
        else
            *error = describe(q.lastError());
        return std::nullopt;
    }
    return q.value(0).toLongLong();
}

bool mayWriteRules(QSqlDatabase &db)
{
    QSqlQuery q(db);
    return q.exec(QStringLiteral("SELECT has_table_privilege('team_rules', 'INSERT')")) && q.next() && q.value(0).toBool();
}

} // namespace TeamDatabase
