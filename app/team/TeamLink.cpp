#include "TeamLink.h"

#include "ConfigLoader.h"
#include "ConfigStore.h"
#include "ConfigWriter.h"
#include "Database.h"
#include "SecretStore.h"

#include <QSqlDriver>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTimer>

#include <atomic>

namespace {

// Connection names are per process: two links (two profiles, in tests) must not share one.
QString connectionName(const char *what)
{
    static std::atomic<int> serial {0};
    return QStringLiteral("%1-%2").arg(QLatin1String(what)).arg(++serial);
}

QString stateValue(QSqlDatabase &db, const QString &key)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT value FROM team_state WHERE key = ?"));
    q.addBindValue(key);
    return q.exec() && q.next() ? q.value(0).toString() : QString();
}

bool setStateValue(QSqlDatabase &db, const QString &key, const QString &value)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO team_state (key, value) VALUES (?, ?)"));
    q.addBindValue(key);
    q.addBindValue(value);
    return q.exec();
}

// NULL or an integer, as SQL and array literals both write them; false for anything else (text).
bool appendPlain(QString &out, const QVariant &v)
{
    if (v.isNull()) {
        out += QLatin1String("NULL");
        return true;
    }
    switch (v.typeId()) {
    case QMetaType::LongLong:
    case QMetaType::Int:
    case QMetaType::ULongLong:
    case QMetaType::UInt:
        out += QString::number(v.toLongLong());
        return true;
    default:
        return false;
    }
}

// Text as an SQL string literal (standard_conforming_strings is on: only ' is special).
QString quotedText(QString text)
{
    text.remove(QChar(0));   // PostgreSQL's text cannot hold NUL
    text.replace(QLatin1Char('\''), QLatin1String("''"));
    return QLatin1Char('\'') + text + QLatin1Char('\'');
}

// A value as an element of a PostgreSQL array literal that itself sits in an SQL string literal
// (standard_conforming_strings on): text quoted for the array, with \ and " escaped and ' doubled.
void appendElement(QString &array, const QVariant &v)
{
    if (appendPlain(array, v))
        return;
    const QString text = v.toString();
    array += QLatin1Char('"');
    for (const QChar c : text) {
        if (c.isNull())
            continue;   // PostgreSQL's text cannot hold NUL
        if (c == u'\\' || c == u'"')
            array += QLatin1Char('\\');
        else if (c == u'\'')
            array += QLatin1Char('\'');
        array += c;
    }
    array += QLatin1Char('"');
}

} // namespace

// Runs on its own thread: a SQLite connection to the profile's database (the outbox) and the
// PostgreSQL connection to the team's.
class TeamLink::Worker : public QObject
{
    Q_OBJECT

public:
    Worker(TeamAddress address, QString password, QString member, QString sqlitePath, int generation)
        : m_address(std::move(address))
        , m_password(std::move(password))
        , m_member(std::move(member))
        , m_sqlitePath(std::move(sqlitePath))
        , m_generation(generation)
    {
    }

    static constexpr int BatchRows = 1000;
    static constexpr int PingMs = 3000;

    void start()
    {
        m_tick = new QTimer(this);
        m_tick->setSingleShot(true);
        connect(m_tick, &QTimer::timeout, this, &Worker::work);
        m_ping = new QTimer(this);
        m_ping->setInterval(PingMs);
        connect(m_ping, &QTimer::timeout, this, &Worker::ping);
        m_ping->start();

        QString error;
        const QString name = connectionName("team-outbox");
        std::optional<QSqlDatabase> db = Database::openConnection(m_sqlitePath, name, &error);
        if (!db) {
            report(Status::State::Refused, error);
            return;
        }
        m_local = *db;
        loadCachedRules();
        work();
    }

    void stop()
    {
        delete m_tick;
        delete m_ping;
        m_tick = m_ping = nullptr;
        closeTeam();
        if (m_local.isValid()) {
            const QString name = m_local.connectionName();
            m_local.close();
            m_local = QSqlDatabase();
            QSqlDatabase::removeDatabase(name);
        }
    }

    void nudge()
    {
        if (m_tick && !m_tick->isActive())
            m_tick->start(m_unreachable ? m_backoffMs : 0);
    }

    void publish(int ticket, const QByteArray &body, const QString &summary)
    {
        QString error;
        if (!connectTeam(&error, true)) {
            emit published(ticket, 0, tr("The team database cannot be reached (%1). Nothing was changed.").arg(error));
            return;
        }
        const std::optional<qint64> version = TeamDatabase::publishRules(m_team, m_member, body, summary, &error);
        emit published(ticket, version.value_or(0), version ? QString() : error);
        if (version)
            fetchRules();
    }

signals:
    void statusReport(int generation, int state, qint64 waiting, qint64 lastSendMs, qint64 unreachableSinceMs,
                      const QString &error, const QString &server);
    void rulesArrived(int generation, qint64 version, const QString &author, const QString &member, qint64 createdMs,
                      const QString &summary, const QByteArray &body, bool writable);
    void published(int ticket, qint64 version, const QString &error);

private:
    // First link of this profile to this team database (or to another one), or back after the
    // outbox was off: queue every row so far (the server keeps one of each), and turn the outbox
    // on, in one transaction with the ledger's writer kept out. Keyed on the database, not the
    // member's name: a renamed member's earlier rows stay under the old name rather than twice.
    bool join(QString *error)
    {
        const QString team = m_address.host + QLatin1Char(':') + QString::number(m_address.port) + QLatin1Char('/')
                             + m_address.database;
        QSqlQuery q(m_local);
        if (!q.exec(QStringLiteral("BEGIN IMMEDIATE"))) {
            *error = q.lastError().text();
            return false;
        }
        bool ok = true;
        const bool sameTeam = stateValue(m_local, QStringLiteral("team")) == team;
        if (!sameTeam)
            ok = q.exec(QStringLiteral("DELETE FROM team_state")) && setStateValue(m_local, QStringLiteral("team"), team);
        if (ok && (!sameTeam || stateValue(m_local, QStringLiteral("outbox")) != u"on"))
            ok = q.exec(QStringLiteral("INSERT OR IGNORE INTO team_outbox (id) SELECT id FROM ledger"));
        ok = ok && setStateValue(m_local, QStringLiteral("outbox"), QStringLiteral("on"));
        if (!ok || !q.exec(QStringLiteral("COMMIT"))) {
            *error = q.lastError().text();
            q.exec(QStringLiteral("ROLLBACK"));
            return false;
        }
        return true;
    }

    void loadCachedRules()
    {
        const QString version = stateValue(m_local, QStringLiteral("rules_version"));
        if (version.isEmpty())
            return;
        emit rulesArrived(m_generation, version.toLongLong(), stateValue(m_local, QStringLiteral("rules_author")),
                          stateValue(m_local, QStringLiteral("rules_member")),
                          stateValue(m_local, QStringLiteral("rules_at")).toLongLong(),
                          stateValue(m_local, QStringLiteral("rules_summary")),
                          stateValue(m_local, QStringLiteral("rules_body")).toUtf8(),
                          stateValue(m_local, QStringLiteral("rules_writable")) == u"1");
    }

    void closeTeam()
    {
        if (!m_team.isValid())
            return;
        const QString name = m_team.connectionName();
        m_team.close();
        m_team = QSqlDatabase();
        QSqlDatabase::removeDatabase(name);
        m_columnTypes.clear();
    }

    // Connected, or false with the reason (and the next try scheduled). `now`: ignore the backoff.
    bool connectTeam(QString *error, bool now = false)
    {
        if (m_team.isValid() && m_team.isOpen())
            return true;
        if (!now && m_unreachable && m_nextTry.isValid() && QDateTime::currentDateTimeUtc() < m_nextTry) {
            *error = m_lastError;
            return false;
        }
        const QString name = connectionName("team-link");
        std::optional<QSqlDatabase> db = TeamDatabase::open(m_address, m_password, name, error);
        if (!db) {
            unreachable(*error);
            return false;
        }
        m_team = *db;
        QString schemaError;
        const int version = TeamDatabase::schemaVersion(m_team, &schemaError);
        if (version < 1) {
            *error = version < 0 ? schemaError
                                 : tr("the database %1 is not set up for a team yet; run: switchyard team init URL")
                                       .arg(m_address.database);
            closeTeam();
            unreachable(*error, Status::State::Refused);
            return false;
        }
        m_team.driver()->subscribeToNotification(QLatin1String(TeamDatabase::RulesChannel));
        connect(m_team.driver(), &QSqlDriver::notification, this,
                [this](const QString &channel) {
                    // Queued: fetchRules() may close the connection, whose driver is still
                    // inside its notification handler here.
                    if (channel == QLatin1String(TeamDatabase::RulesChannel))
                        QMetaObject::invokeMethod(this, [this] {
                            if (m_team.isValid())
                                fetchRules();
                        }, Qt::QueuedConnection);
                });
        m_server = TeamDatabase::serverDescription(m_team, m_address);
        m_unreachable = false;
        m_backoffMs = 500;
        m_lastError.clear();
        fetchRules();   // a version published while away
        return m_team.isValid();   // fetching may have found the connection lost already
    }

    void unreachable(const QString &error, Status::State state = Status::State::Unreachable)
    {
        if (!m_unreachable)
            m_unreachableSince = QDateTime::currentDateTimeUtc();
        m_unreachable = true;
        m_lastError = error;
        m_nextTry = QDateTime::currentDateTimeUtc().addMSecs(m_backoffMs);
        if (m_tick)
            m_tick->start(m_backoffMs);
        m_backoffMs = std::min(m_backoffMs * 2, MaxBackoffMs);
        report(state, error);
    }

    void fetchRules()
    {
        QString error;
        const std::optional<TeamDatabase::RulesVersion> v = TeamDatabase::latestRules(m_team, &error);
        if (!v) {
            lost(error);
            return;
        }
        const bool writable = TeamDatabase::mayWriteRules(m_team);
        if (v->version == m_rulesVersion && writable == m_rulesWritable)
            return;
        m_rulesVersion = v->version;
        m_rulesWritable = writable;
        // Kept for an offline start (no transaction needed: one profile's worker writes them).
        const QList<QPair<QString, QString>> values = {
            {QStringLiteral("rules_version"), QString::number(v->version)},
            {QStringLiteral("rules_author"), v->author},
            {QStringLiteral("rules_member"), v->member},
            {QStringLiteral("rules_at"), QString::number(v->createdAt.toMSecsSinceEpoch())},
            {QStringLiteral("rules_summary"), v->summary},
            {QStringLiteral("rules_body"), QString::fromUtf8(v->body)},
            {QStringLiteral("rules_writable"), writable ? QStringLiteral("1") : QStringLiteral("0")},
        };
        for (const auto &[key, value] : values)
            setStateValue(m_local, key, value);
        emit rulesArrived(m_generation, v->version, v->author, v->member, v->createdAt.toMSecsSinceEpoch(), v->summary,
                          v->body, writable);
    }

    // A statement failed: a refused one leaves the connection be; anything else may be a lost
    // connection, so it is closed and opened again later.
    void lost(const QString &error)
    {
        closeTeam();
        unreachable(error);
    }

    void ping()
    {
        if (!m_team.isValid()) {
            nudge();
            return;
        }
        QSqlQuery q(m_team);
        if (!q.exec(QStringLiteral("SELECT 1")))
            lost(TeamDatabase::describe(q.lastError()));
        else
            nudge();   // rows another process on this profile added
    }

    qint64 waiting()
    {
        QSqlQuery q(m_local);
        return q.exec(QStringLiteral("SELECT COUNT(*) FROM team_outbox")) && q.next() ? q.value(0).toLongLong() : -1;
    }

    void work()
    {
        QString error;
        // Joining waits for the ledger's writer (BEGIN IMMEDIATE); busy at start-up, it is tried
        // again on the next tick, and nothing is sent or said to be up to date before it is done.
        if (!m_joined && !(m_joined = join(&error))) {
            report(Status::State::Connecting, tr("waiting for the local ledger: %1").arg(error));
            if (m_tick)
                m_tick->start(1000);
            return;
        }
        if (!connectTeam(&error))
            return;
        QSqlQuery read(m_local);
        read.setForwardOnly(true);
        QStringList columns = TeamDatabase::ledgerColumns();
        columns.removeFirst();   // member
        QStringList selected;
        for (const QString &c : std::as_const(columns))
            selected << QStringLiteral("l.") + c;
        if (!read.exec(QStringLiteral("SELECT %1 FROM team_outbox o JOIN ledger l ON l.id = o.id ORDER BY o.id LIMIT %2")
                           .arg(selected.join(QStringLiteral(", ")))
                           .arg(BatchRows))) {
            report(Status::State::Refused, read.lastError().text());
            return;
        }
        // One array a column, unnested by the server: a statement of 29 literals rather than one
        // of 29 a row, which PostgreSQL parsed and planned longer than it took to insert the rows.
        QList<QString> arrays(columns.size(), QStringLiteral("'{"));
        QList<qint64> ids;
        while (read.next()) {
            for (int i = 0; i < columns.size(); ++i) {
                if (!ids.isEmpty())
                    arrays[i] += QLatin1Char(',');
                appendElement(arrays[i], read.value(i));
            }
            ids << read.value(0).toLongLong();
        }
        read.finish();
        if (ids.isEmpty()) {
            // Ids whose row is gone cannot be sent; they are dropped so the count means rows.
            QSqlQuery(m_local).exec(QStringLiteral("DELETE FROM team_outbox WHERE id NOT IN (SELECT id FROM ledger)"));
            report(waiting() > 0 ? Status::State::Sending : Status::State::UpToDate, QString());
            return;
        }
        if (!loadColumnTypes(&error)) {
            lost(error);
            return;
        }
        QString sql = QStringLiteral("INSERT INTO ledger (%1) SELECT ").arg(TeamDatabase::ledgerColumns().join(QStringLiteral(", ")));
        sql += quotedText(m_member);
        sql += QLatin1String(", * FROM unnest(");
        for (int i = 0; i < columns.size(); ++i) {
            if (i)
                sql += QLatin1Char(',');
            sql += arrays[i];
            sql += QLatin1String("}'::");
            sql += m_columnTypes[i];
            sql += QLatin1String("[]");
        }
        sql += QLatin1String(") ON CONFLICT (member, request_id, attempt) DO NOTHING");
        QSqlError failed;
        {
            QSqlQuery send(m_team);
            if (!send.exec(sql))
                failed = send.lastError();
        }
        if (failed.isValid()) {
            // A lost connection (SQLSTATE class 08, the server shutting down 57P, out of resources
            // 53, or no answer at all) is tried again; a refused statement is said as such and
            // tried again later, without closing a connection that works.
            const QString state = failed.nativeErrorCode();
            const bool connection = state.isEmpty() || state.startsWith(QLatin1String("08"))
                                    || state.startsWith(QLatin1String("57P")) || state.startsWith(QLatin1String("53"));
            if (TeamDatabase::isRefused(failed)) {
                m_lastError = tr("the team database refused this member's rows (%1); ask for the role %2")
                                  .arg(TeamDatabase::describe(failed), TeamDatabase::rolesFor(m_address.database).members);
                unreachable(m_lastError, Status::State::Refused);
            } else if (connection) {
                lost(TeamDatabase::describe(failed));
            } else {
                unreachable(tr("the team database refused a batch of rows (%1)").arg(TeamDatabase::describe(failed)),
                            Status::State::Refused);
            }
            return;
        }
        // Sent: the server has them whatever happens next. Taking them out may still fail (a
        // full disk); then they are sent again later, and the server keeps one of each.
        QSqlQuery done(m_local);
        done.exec(QStringLiteral("BEGIN IMMEDIATE"));
        done.prepare(QStringLiteral("DELETE FROM team_outbox WHERE id = ?"));
        for (qint64 id : std::as_const(ids)) {
            done.addBindValue(id);
            done.exec();
        }
        m_lastSend = QDateTime::currentDateTimeUtc();
        setStateValue(m_local, QStringLiteral("last_send"), QString::number(m_lastSend.toMSecsSinceEpoch()));
        QSqlQuery(m_local).exec(QStringLiteral("COMMIT"));
        const qint64 left = waiting();
        report(left > 0 ? Status::State::Sending : Status::State::UpToDate, QString(), left);
        if (left > 0 && m_tick)
            m_tick->start(0);   // the next batch after the event loop's turn (notifications, publish)
    }

    // The type of each column a member sends after `member` (TeamDatabase::ledgerColumns), as the
    // server has them, asked once a connection.
    bool loadColumnTypes(QString *error)
    {
        if (!m_columnTypes.isEmpty())
            return true;
        QSqlQuery q(m_team);
        if (!q.exec(QStringLiteral("SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
                                   "WHERE attrelid = 'ledger'::regclass AND attnum > 0 AND NOT attisdropped"))) {
            *error = TeamDatabase::describe(q.lastError());
            return false;
        }
        QHash<QString, QString> types;
        while (q.next())
            types.insert(q.value(0).toString(), q.value(1).toString());
        const QStringList columns = TeamDatabase::ledgerColumns().mid(1);
        for (const QString &c : columns) {
            if (!types.contains(c)) {
                *error = tr("the team database's ledger has no column %1; run: switchyard team init URL").arg(c);
                return false;
            }
            m_columnTypes << types.value(c);
        }
        return true;
    }

    void report(Status::State state, const QString &error, qint64 left = -1)
    {
        if (!m_lastSend.isValid() && m_local.isValid()) {
            const qint64 ms = stateValue(m_local, QStringLiteral("last_send")).toLongLong();
            if (ms > 0)
                m_lastSend = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
        }
        emit statusReport(m_generation, int(state), left >= 0 ? left : (m_local.isValid() ? waiting() : -1),
                          m_lastSend.isValid() ? m_lastSend.toMSecsSinceEpoch() : 0,
                          m_unreachable ? m_unreachableSince.toMSecsSinceEpoch() : 0, error, m_server);
    }

    TeamAddress m_address;
    QString m_password;
    QString m_member;
    QString m_sqlitePath;
    int m_generation;
    QSqlDatabase m_local;
    QSqlDatabase m_team;
    QTimer *m_tick = nullptr;
    QTimer *m_ping = nullptr;
    bool m_unreachable = false;
    int m_backoffMs = 500;
    QDateTime m_nextTry;
    bool m_joined = false;
    QDateTime m_unreachableSince;
    QDateTime m_lastSend;
    QString m_lastError;
    QString m_server;
    QStringList m_columnTypes;   // of the connection in m_team
    qint64 m_rulesVersion = -1;
    bool m_rulesWritable = false;
};

TeamLink::TeamLink(ConfigStore *config, SecretStore *secrets, Database *database, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_secrets(secrets)
    , m_database(database)
{
    m_thread.setObjectName(QStringLiteral("switchyard-team"));
    connect(m_config, &ConfigStore::configChanged, this, [this] {
        if (!(m_config->config().team == m_settings))
            restart();
    });
    connect(m_database, &Database::opened, this, &TeamLink::restart);
    // A new password (Settings → Team) is used at once, not at the next start.
    connect(m_secrets, &SecretStore::secretChanged, this, [this](const QString &account) {
        if (account == SecretStore::teamAccount() && m_settings.isSet())
            restart();
    });
    connect(m_database, &Database::batchCommitted, this, &TeamLink::nudge);
}

TeamLink::~TeamLink()
{
    stopWorker();
}

void TeamLink::stopWorker()
{
    ++m_generation;   // reports of the old worker still queued are dropped
    if (!m_worker)
        return;
    QMetaObject::invokeMethod(m_worker, [w = m_worker] { w->stop(); }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    delete m_worker;
    m_worker = nullptr;
}

void TeamLink::restart()
{
    stopWorker();
    const TeamSettings previous = m_settings;
    m_settings = m_config->config().team;
    const int generation = m_generation;
    if (previous.url != m_settings.url) {
        // Another team (or none): the old one's rules are not this one's, not even until it answers.
        m_rules.reset();
        m_mayWrite = false;
        m_config->setTeamRules({}, {});
        emit rulesChanged();
    }
    if (!m_settings.isSet()) {
        m_status = Status();
        // Rows from now on are not queued for a team this profile left; not when config.yaml is
        // broken and the catalog (without `team:`) stands in for it meanwhile.
        if (m_config->lastError().isEmpty() && m_config->source() == ConfigStore::Source::File)
            m_database->write([](QSqlDatabase &db, QString *) {
                QSqlQuery(db).exec(QStringLiteral("UPDATE team_state SET value = 'off' WHERE key = 'outbox'"));
                return true;
            });
        emit statusChanged();
        return;
    }
    QString error;
    const std::optional<TeamAddress> address = TeamAddress::parse(m_settings.url, &error);
    m_status = Status();
    m_status.member = m_settings.member;
    if (!address) {
        m_status.state = Status::State::Refused;
        m_status.error = error;
        emit statusChanged();
        return;
    }
    m_status.state = Status::State::Connecting;
    emit statusChanged();
    m_secrets->read(SecretStore::teamAccount(), this, [this, generation, address = *address](const SecretResult &result) {
        if (generation != m_generation)
            return;
        // No entry: libpq's PGPASSWORD or PGPASSFILE may have it. A keychain that cannot be read is
        // said, but the connection is still tried the same way.
        if (!result.keychainWorks()) {
            m_status.error = result.message;
            emit statusChanged();
        }
        const QString password = result.ok() ? result.secret : QString();
        m_worker = new Worker(address, password, m_settings.member, m_database->path(), generation);
        m_worker->moveToThread(&m_thread);
        connect(m_worker, &Worker::statusReport, this,
                [this](int gen, int state, qint64 waiting, qint64 lastSendMs, qint64 unreachableMs, const QString &why,
                       const QString &server) {
                    if (gen != m_generation)
                        return;
                    m_status.state = Status::State(state);
                    if (waiting >= 0)
                        m_status.waiting = waiting;
                    m_status.lastSend = lastSendMs ? QDateTime::fromMSecsSinceEpoch(lastSendMs, Qt::UTC) : QDateTime();
                    m_status.unreachableSince =
                        unreachableMs ? QDateTime::fromMSecsSinceEpoch(unreachableMs, Qt::UTC) : QDateTime();
                    m_status.error = why;
                    m_status.server = server;
                    emit statusChanged();
                });
        connect(m_worker, &Worker::rulesArrived, this,
                [this](int gen, qint64 version, const QString &author, const QString &member, qint64 createdMs,
                       const QString &summary, const QByteArray &body, bool writable) {
                    if (gen != m_generation)
                        return;
                    TeamDatabase::RulesVersion v;
                    v.version = version;
                    v.author = author;
                    v.member = member;
                    v.createdAt = QDateTime::fromMSecsSinceEpoch(createdMs, Qt::UTC);
                    v.summary = summary;
                    v.body = body;
                    applyRules(v, writable);
                });
        connect(m_worker, &Worker::published, this, [this](int ticket, qint64 version, const QString &why) {
            const auto entry = m_publishing.take(ticket);
            if (entry.first)
                entry.second(version, why);
        });
        m_thread.start();
        QMetaObject::invokeMethod(m_worker, [w = m_worker] { w->start(); });
    });
}

void TeamLink::applyRules(const TeamDatabase::RulesVersion &rules, bool writable)
{
    m_rules = rules;
    m_mayWrite = writable;
    if (rules.version > 0)
        m_config->setTeamRules(rules.body, tr("The team's rules (version %1)").arg(rules.version));
    else
        m_config->setTeamRules({}, {});
    emit rulesChanged();
}

void TeamLink::nudge()
{
    if (m_worker)
        QMetaObject::invokeMethod(m_worker, [w = m_worker] { w->nudge(); });
}

void TeamLink::publishRules(const Config &config, const QString &summary, QObject *context, PublishDone done)
{
    if (!m_worker) {
        QMetaObject::invokeMethod(
            context, [done, why = tr("This profile is not in a team, or its team database is not set up.")] { done(0, why); },
            Qt::QueuedConnection);
        return;
    }
    const bool personal = m_config->teamRulesInForce() && m_config->personalRoutes();
    Config shared = config;
    if (personal) {
        // The member's own rules ride ahead of the team's here; they are not the team's to publish.
        const QList<RouteConfig> &own = m_config->localConfig().routes;
        shared.routes.removeIf([&own](const RouteConfig &r) {
            return !r.isDefault && std::any_of(own.begin(), own.end(), [&r](const RouteConfig &o) {
                return o.name == r.name && o.match == r.match && o.model == r.model && o.fallback == r.fallback;
            });
        });
    }
    const QByteArray body = ConfigWriter::teamSections(shared, personal);
    const int ticket = m_nextTicket++;
    m_publishing.insert(ticket, {QPointer<QObject>(context), std::move(done)});
    QMetaObject::invokeMethod(m_worker, [w = m_worker, ticket, body, summary] { w->publish(ticket, body, summary); });
}

#include "TeamLink.moc"
