#include "Ledger.h"

#include "AttemptJournal.h"
#include "Database.h"
#include "Dispatch.h"
#include "Money.h"
#include "PriceBook.h"
#include "RequestAnalyzer.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QIODevice>
#include <QPointer>
#include <QScopeGuard>
#include <QSet>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlField>
#include <QSqlQuery>
#include <QSqlRecord>

#include <sqlite3.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <unordered_map>
#include <cmath>

namespace {

constexpr qint64 MsPerDay = 86'400'000;

// Text columns are NOT NULL; the SQL driver binds a null QString as NULL, so an unset one
// becomes the empty string.
QVariant text(const QString &s)
{
    return QVariant(s.isNull() ? QString(QLatin1String("")) : s);
}

// The SQLite handle behind a Qt connection, or null for another driver.
sqlite3 *sqliteHandle(QSqlDatabase &db)
{
    if (db.driverName() != u"QSQLITE")
        return nullptr;
    const QVariant handle = db.driver()->handle();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3 *const *>(handle.constData());
}

// One prepared statement for the ledger's bulk paths (batched inserts, the export). On SQLite it
// talks to the library directly: QSqlQuery turns every positional bind into a named one and every
// cell into a QVariant, which costs more than SQLite's own work. Other drivers (PostgreSQL) go
// through QSqlQuery with the same SQL.
// The writer's statements, prepared once for the connection's life: at a request or two per
// batch (the local endpoint at low concurrency), preparing them cost more than the inserts.
struct WriterStatements
{
    sqlite3 *handle = nullptr;
    QHash<QString, sqlite3_stmt *> statements;

    void finalizeAll()
    {
        for (sqlite3_stmt *s : std::as_const(statements))
            sqlite3_finalize(s);
        statements.clear();
        handle = nullptr;
    }
};
thread_local WriterStatements t_writer;

class Statement
{
public:
    enum class Keep { No, ForTheWriter };

    Statement(QSqlDatabase &db, const QString &sql, Keep keep = Keep::No)
        : m_handle(sqliteHandle(db))
        , m_query(db)
    {
        if (!m_handle) {
            m_query.setForwardOnly(true);
            m_ok = m_query.prepare(sql);
            return;
        }
        if (keep == Keep::ForTheWriter && t_writer.handle != m_handle
            && Database::beforeWriterCloses([] { t_writer.finalizeAll(); })) {
            t_writer.handle = m_handle;
        }
        if (keep == Keep::ForTheWriter && t_writer.handle == m_handle) {
            m_kept = true;
            if ((m_stmt = t_writer.statements.value(sql))) {
                m_ok = true;
                return;
            }
        }
        const QByteArray utf8 = sql.toUtf8();
        m_ok = sqlite3_prepare_v2(m_handle, utf8.constData(), int(utf8.size()), &m_stmt, nullptr) == SQLITE_OK;
        if (m_ok && m_kept)
            t_writer.statements.insert(sql, m_stmt);
    }
    ~Statement()
    {
        if (m_stmt && m_kept) {
            sqlite3_reset(m_stmt);
            sqlite3_clear_bindings(m_stmt);   // bound text points into strings that are going away
        } else if (m_stmt) {
            sqlite3_finalize(m_stmt);
        }
    }
    // A statement on a connection of SQLite's own.
    Statement(sqlite3 *handle, const QString &sql)
        : m_handle(handle)
    {
        const QByteArray utf8 = sql.toUtf8();
        m_ok = sqlite3_prepare_v2(m_handle, utf8.constData(), int(utf8.size()), &m_stmt, nullptr) == SQLITE_OK;
    }
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    bool isValid() const { return m_ok; }
    QString errorText() const
    {
        return m_handle ? QString::fromUtf8(sqlite3_errmsg(m_handle)) : m_query.lastError().text();
    }

    void bind(int i, qint64 v)
    {
        if (m_stmt)
            sqlite3_bind_int64(m_stmt, i + 1, v);
        else
            m_query.bindValue(i, v);
    }
    void bindOptional(int i, qint64 v)   // negative: NULL
    {
        if (v >= 0)
            bind(i, v);
        else if (m_stmt)
            sqlite3_bind_null(m_stmt, i + 1);
        else
            m_query.bindValue(i, QVariant(QMetaType(QMetaType::LongLong)));
    }
    // `v` must outlive the next exec(): SQLite reads it there, without a copy.
    void bind(int i, const QString &v)
    {
        if (m_stmt) {
            sqlite3_bind_text16(m_stmt, i + 1, v.isNull() ? static_cast<const void *>(u"") : v.utf16(), int(v.size() * 2),
                                SQLITE_STATIC);
        } else {
            m_query.bindValue(i, text(v));
        }
    }
    void bind(int i, const QVariant &v)
    {
        if (v.typeId() == QMetaType::QString)
            bind(i, m_keep[i] = v.toString());
        else
            bind(i, v.toLongLong());
    }

    // Runs a statement that returns no rows.
    bool exec()
    {
        if (!m_stmt)
            return m_query.exec();
        const int rc = sqlite3_step(m_stmt);
        m_changed = sqlite3_changes(m_handle);
        sqlite3_reset(m_stmt);
        return rc == SQLITE_DONE || rc == SQLITE_ROW;
    }
    // Rows the last exec() inserted, changed or deleted.
    int rowsChanged() const { return m_stmt ? m_changed : m_query.numRowsAffected(); }

    // Runs a query and moves to its next row: false at the end or on an error (see failed()).
    bool next()
    {
        if (!m_stmt) {
            if (!m_started) {
                m_started = true;
                if (!m_query.exec()) {
                    m_failed = true;
                    return false;
                }
            }
            if (!m_query.next())
                return false;
            const int columns = std::min(int(std::size(m_row)), m_query.record().count());
            for (int i = 0; i < columns; ++i)
                m_row[i] = m_query.value(i);
            return true;
        }
        const int rc = sqlite3_step(m_stmt);
        m_failed = rc != SQLITE_ROW && rc != SQLITE_DONE;
        return rc == SQLITE_ROW;
    }
    bool failed() const { return m_failed; }
    // Makes a query ready to run again with new values.
    void reset()
    {
        if (m_stmt)
            sqlite3_reset(m_stmt);
        else
            m_started = false;
    }

    bool isNull(int i) const
    {
        return m_stmt ? sqlite3_column_type(m_stmt, i) == SQLITE_NULL : m_row[i].isNull();
    }
    qint64 number(int i) const { return m_stmt ? sqlite3_column_int64(m_stmt, i) : m_row[i].toLongLong(); }
    // UTF-8, valid until the next row.
    QByteArrayView utf8(int i)
    {
        if (m_stmt) {
            const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, i));
            return QByteArrayView(p, p ? sqlite3_column_bytes(m_stmt, i) : 0);
        }
        m_texts[i] = m_row[i].toString().toUtf8();
        return m_texts[i];
    }

private:
    sqlite3 *m_handle;
    sqlite3_stmt *m_stmt = nullptr;
    QSqlQuery m_query;
    bool m_ok = false;
    bool m_kept = false;
    bool m_started = false;
    bool m_failed = false;
    int m_changed = 0;
    QVariant m_row[32];
    QByteArray m_texts[32];
    QString m_keep[32];   // bound text that must live until the statement runs
};

// Local days of many times close together: the UTC offset is looked up once an hour of UTC time,
// not once a row (QDateTime's time zone lookups cost a microsecond each).
class LocalDays
{
public:
    qint64 of(qint64 ms)
    {
        const qint64 hour = ms >= 0 ? ms / 3'600'000 : (ms + 1) / 3'600'000 - 1;
        if (hour != m_hour) {
            m_hour = hour;
            m_offsetMs = qint64(QDateTime::fromMSecsSinceEpoch(hour * 3'600'000, Qt::UTC).toLocalTime().offsetFromUtc()) * 1000;
        }
        const qint64 local = ms + m_offsetMs;
        return local >= 0 ? local / MsPerDay : (local + 1) / MsPerDay - 1;
    }

private:
    qint64 m_hour = std::numeric_limits<qint64>::min();
    qint64 m_offsetMs = 0;
};

bool failed(const Statement &s, QString *error)
{
    *error = QCoreApplication::translate("Ledger", "Ledger rows were not saved: %1").arg(s.errorText());
    return false;
}

// Writes finished rows and adds them to the per-day totals, preparing each statement once for the
// whole batch. The job is one transaction: rows and totals land together or not at all.
// Attempts still running: a crash leaves them here, and the next start records them as cancelled.
bool insertOpenRows(QSqlDatabase &db, const QList<LedgerRow> &rows, QString *error)
{
    if (rows.isEmpty())
        return true;
    Statement q(db,
                QStringLiteral("INSERT INTO ledger_open (request_id, attempt, time_ms, client, task_type, rule, model, "
                               "provider, provider_model, conversation, estimated_input_tokens, api) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                Statement::Keep::ForTheWriter);
    if (!q.isValid())
        return failed(q, error);
    for (const LedgerRow &row : rows) {
        int i = 0;
        q.bind(i++, row.requestId);
        q.bind(i++, qint64(row.attempt));
        q.bind(i++, row.time.toMSecsSinceEpoch());
        for (const QString *t : {&row.client, &row.taskType, &row.rule, &row.model, &row.provider, &row.providerModel,
                                 &row.conversation})
            q.bind(i++, *t);
        q.bindOptional(i++, row.estimatedInputTokens);
        q.bind(i++, row.api);
        if (!q.exec())
            return failed(q, error);
    }
    return true;
}

bool insertRows(QSqlDatabase &db, const QList<LedgerRow> &rows, QString *error)
{
    constexpr auto keep = Statement::Keep::ForTheWriter;
    Statement close(db, QStringLiteral("DELETE FROM ledger_open WHERE request_id = ? AND attempt = ?"), keep);
    Statement insert(db, QStringLiteral(
        "INSERT INTO ledger (id, time_ms, day, request_id, attempt, client, task_type, rule, model, provider, provider_model, "
        "status, http_status, prompt_tokens, cached_tokens, completion_tokens, reasoning_tokens, cost_micros, currency, "
        "cost_estimated, latency_ms, ttft_ms, conversation, estimated_input_tokens, price_as_of, dropped, overhead_us, api) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (id) DO NOTHING"), keep);
    // The last id taken at or after a point: where the next row of a millisecond goes.
    Statement lastId(db, QStringLiteral("SELECT MAX(id) FROM ledger WHERE id >= ? AND id < ?"), keep);
    // Portable UPSERT (SQLite 3.24+, PostgreSQL 9.5+).
    Statement total(db, QStringLiteral(
        "INSERT INTO ledger_daily (day, model, currency, provider, task_type, client, api, attempts, retries, errors, "
        "estimated, unpriced, cost_micros, prompt_tokens, cached_tokens, completion_tokens, reasoning_tokens) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (day, model, currency, provider, task_type, client, api) DO UPDATE SET "
        "attempts = ledger_daily.attempts + excluded.attempts, retries = ledger_daily.retries + excluded.retries, "
        "errors = ledger_daily.errors + excluded.errors, estimated = ledger_daily.estimated + excluded.estimated, "
        "unpriced = ledger_daily.unpriced + excluded.unpriced, "
        "cost_micros = ledger_daily.cost_micros + excluded.cost_micros, "
        "prompt_tokens = ledger_daily.prompt_tokens + excluded.prompt_tokens, "
        "cached_tokens = ledger_daily.cached_tokens + excluded.cached_tokens, "
        "completion_tokens = ledger_daily.completion_tokens + excluded.completion_tokens, "
        "reasoning_tokens = ledger_daily.reasoning_tokens + excluded.reasoning_tokens"), keep);
    for (const Statement *s : {&close, &insert, &total, &lastId})
        if (!s->isValid())
            return failed(*s, error);

    // The batch's totals, summed here first: a batch usually touches only a few keys.
    struct Key
    {
        qint64 day;
        QString model, currency, provider, taskType, client, api;
        bool operator==(const Key &) const = default;
    };
    struct KeyHash
    {
        size_t operator()(const Key &k) const
        {
            return qHashMulti(0, k.day, k.model, k.currency, k.provider, k.taskType, k.client, k.api);
        }
    };
    std::unordered_map<Key, Ledger::DayTotal, KeyHash> totals;
    LocalDays days;
    for (const LedgerRow &r : rows) {
        close.bind(0, r.requestId);
        close.bind(1, qint64(r.attempt));
        if (!close.exec())
            return failed(close, error);
        const qint64 ms = r.time.toMSecsSinceEpoch();
        const qint64 day = days.of(ms);
        // The row's millisecond's first id; when that is taken (the insert below changes nothing),
        // the first free id after the millisecond's others, which the probe finds.
        const qint64 base = ms * Ledger::IdsPerMs;
        auto firstFree = [&](qint64 *out) {
            qint64 id = base;
            for (const qint64 end : {base + Ledger::IdsPerMs, std::numeric_limits<qint64>::max()}) {
                lastId.bind(0, id);
                lastId.bind(1, end);
                if (!lastId.next() && lastId.failed())
                    return false;
                const qint64 next = lastId.isNull(0) ? id : lastId.number(0) + 1;
                lastId.reset();
                if (next < end) {
                    *out = next;
                    return true;
                }
                id = end;   // this millisecond is full
            }
            *out = id;
            return true;
        };
        qint64 id = base;
        int i = 0;
        insert.bind(i++, id);
        insert.bind(i++, ms);
        insert.bind(i++, day);
        insert.bind(i++, r.requestId);
        insert.bind(i++, qint64(r.attempt));
        for (const QString *t : {&r.client, &r.taskType, &r.rule, &r.model, &r.provider, &r.providerModel, &r.status})
            insert.bind(i++, *t);
        insert.bind(i++, qint64(r.httpStatus));
        for (qint64 v : {r.promptTokens, r.cachedTokens, r.completionTokens, r.reasoningTokens, r.costMicros})
            insert.bindOptional(i++, v);
        insert.bind(i++, r.currency);
        insert.bind(i++, qint64(r.costEstimated));
        insert.bindOptional(i++, r.latencyMs);
        insert.bindOptional(i++, r.ttftMs);
        insert.bind(i++, r.conversation);
        insert.bindOptional(i++, r.estimatedInputTokens);
        const QString priceAsOf = r.priceAsOf.toString(Qt::ISODate);
        insert.bind(i++, priceAsOf);
        insert.bind(i++, r.dropped);
        insert.bindOptional(i++, r.overheadUs);
        insert.bind(i++, r.api);
        if (!insert.exec())
            return failed(insert, error);
        if (insert.rowsChanged() == 0) {   // another row of this millisecond holds the id
            if (!firstFree(&id))
                return failed(lastId, error);
            insert.bind(0, id);
            if (!insert.exec())
                return failed(insert, error);
        }

        Ledger::DayTotal &t = totals[Key {day, r.model, r.currency, r.provider, r.taskType, r.client, r.api}];
        t.attempts += 1;
        t.retries += r.attempt > 1;
        t.errors += r.status != u"ok";
        t.estimated += r.costEstimated;
        t.unpriced += r.costMicros < 0;
        t.costMicros += std::max<qint64>(r.costMicros, 0);
        t.promptTokens += std::max<qint64>(r.promptTokens, 0);
        t.cachedTokens += std::max<qint64>(r.cachedTokens, 0);
        t.completionTokens += std::max<qint64>(r.completionTokens, 0);
        t.reasoningTokens += std::max<qint64>(r.reasoningTokens, 0);
    }
    for (const auto &[k, t] : totals) {
        int i = 0;
        total.bind(i++, k.day);
        for (const QString *s : {&k.model, &k.currency, &k.provider, &k.taskType, &k.client, &k.api})
            total.bind(i++, *s);
        for (qint64 v : {t.attempts, t.retries, t.errors, t.estimated, t.unpriced, t.costMicros, t.promptTokens,
                         t.cachedTokens, t.completionTokens, t.reasoningTokens})
            total.bind(i++, v);
        if (!total.exec())
            return failed(total, error);
    }
    return true;
}

// Records attempts left open as `cancelled` rows: the open rows of older versions that started
// before `before`, and `orphans` (from journals without an owner), leaving out any attempt the
// ledger already has (its row was committed before the journal could say so). Returns the rows
// added, or -1.
qint64 settle(QSqlDatabase &db, const QList<LedgerRow> &orphans, qint64 before, QString *error)
{
    QList<LedgerRow> rows;
    {
        Statement open(db, QStringLiteral("SELECT request_id, attempt, time_ms, client, task_type, rule, model, provider, "
                                          "provider_model, conversation, estimated_input_tokens, api FROM ledger_open "
                                          "WHERE time_ms < ?"));
        if (!open.isValid()) {
            failed(open, error);
            return -1;
        }
        open.bind(0, before);
        while (open.next()) {
            LedgerRow r;
            r.requestId = QString::fromUtf8(open.utf8(0));
            r.attempt = int(open.number(1));
            r.time = QDateTime::fromMSecsSinceEpoch(open.number(2), Qt::UTC);
            QString *texts[] = {&r.client, &r.taskType, &r.rule, &r.model, &r.provider, &r.providerModel, &r.conversation};
            for (int i = 0; i < int(std::size(texts)); ++i)
                *texts[i] = QString::fromUtf8(open.utf8(3 + i));
            r.estimatedInputTokens = open.isNull(10) ? -1 : open.number(10);
            r.api = QString::fromUtf8(open.utf8(11));
            r.status = errorClassName(ErrorClass::Cancelled);
            rows << r;
        }
        if (open.failed()) {
            failed(open, error);
            return -1;
        }
    }
    // The same attempt can be in two journals (one crashed while it was being compacted).
    QSet<std::pair<QString, int>> seen;
    for (const LedgerRow &r : std::as_const(rows))
        seen.insert({r.requestId, r.attempt});
    // A row's id starts at its time × IdsPerMs, and the journal has the same time, so the committed
    // row, if any, is at or after that (looked for from a minute before, to be safe).
    Statement known(db, QStringLiteral("SELECT 1 FROM ledger WHERE id >= ? AND request_id = ? AND attempt = ? LIMIT 1"));
    if (!known.isValid()) {
        failed(known, error);
        return -1;
    }
    for (const LedgerRow &r : orphans) {
        if (seen.contains({r.requestId, r.attempt}))
            continue;
        seen.insert({r.requestId, r.attempt});
        known.bind(0, (r.time.toMSecsSinceEpoch() - 60'000) * Ledger::IdsPerMs);
        known.bind(1, r.requestId);
        known.bind(2, qint64(r.attempt));
        const bool there = known.next();
        if (known.failed()) {
            failed(known, error);
            return -1;
        }
        known.reset();
        if (!there)
            rows << r;
    }
    if (!insertRows(db, rows, error))   // which also deletes the open rows
        return -1;
    return rows.size();
}

// The filter's provider, model, task type, client and api as "column = ?" terms, with their values.
void appendEqualities(const Ledger::Filter &filter, QStringList *terms, QVariantList *binds)
{
    const std::pair<const char *, const QString *> equal[] = {
        {"provider", &filter.provider}, {"model", &filter.model}, {"task_type", &filter.taskType}, {"client", &filter.client},
        {"api", &filter.api}, {"member", &filter.member}};
    for (const auto &[column, value] : equal) {
        if (value->isEmpty())
            continue;
        *terms << QLatin1String(column) + QLatin1String(" = ?");
        *binds << QVariant(*value);
    }
}

QString whereOf(const QStringList &terms)
{
    return terms.isEmpty() ? QString() : QStringLiteral(" WHERE ") + terms.join(QLatin1String(" AND "));
}

// "WHERE …" on the ledger's rows for `filter`, and the values to bind in order.
QString rowsWhere(const Ledger::Filter &filter, QVariantList *binds, const QStringList &extra = {})
{
    QStringList terms = extra;
    // A period is a range of ids (time order, see the schema).
    if (filter.since.isValid()) {
        terms << QStringLiteral("id >= ?");
        *binds << QVariant(filter.since.toMSecsSinceEpoch() * Ledger::IdsPerMs);
    }
    if (filter.until.isValid()) {
        terms << QStringLiteral("id < ?");
        *binds << QVariant(filter.until.toMSecsSinceEpoch() * Ledger::IdsPerMs);
    }
    appendEqualities(filter, &terms, binds);
    return whereOf(terms);
}

// The same on the per-day totals: the filter's instants as local days.
QString daysWhere(const Ledger::Filter &filter, QVariantList *binds)
{
    QStringList terms;
    if (filter.since.isValid()) {
        terms << QStringLiteral("day >= ?");
        *binds << QVariant(Ledger::localDay(filter.since));
    }
    if (filter.until.isValid()) {
        terms << QStringLiteral("day <= ?");
        *binds << QVariant(Ledger::localDay(filter.until.addMSecs(-1)));
    }
    appendEqualities(filter, &terms, binds);
    return whereOf(terms);
}

const char *const ExportSelect =
    "SELECT time_ms, request_id, attempt, client, task_type, rule, model, provider, provider_model, status, http_status, "
    "prompt_tokens, cached_tokens, completion_tokens, reasoning_tokens, cost_micros, currency, cost_estimated, latency_ms, "
    "ttft_ms, conversation, estimated_input_tokens, price_as_of, dropped, overhead_us, api FROM ledger";

// What each selected column is written as.
// Count: an integer that is never NULL; Millis: microseconds written as milliseconds.
enum class Kind { Time, Text, Count, Int, Cost, Bool, Millis };
constexpr Kind ExportKinds[] = {Kind::Time, Kind::Text,  Kind::Count, Kind::Text, Kind::Text, Kind::Text, Kind::Text, Kind::Text,
                                Kind::Text, Kind::Text,  Kind::Count, Kind::Int,  Kind::Int,  Kind::Int,  Kind::Int,  Kind::Cost,
                                Kind::Text, Kind::Bool,  Kind::Int,   Kind::Int,  Kind::Text, Kind::Int,  Kind::Text,
                                Kind::Text, Kind::Millis, Kind::Text};
constexpr int ExportColumnCount = int(std::size(ExportKinds));

// An output buffer written through a raw pointer: the export appends ~70 small pieces a row,
// and QByteArray::append's checks on each would cost more than SQLite's work.
class Writer
{
public:
    Writer() { grow(1 << 17); }
    // Room for n more bytes at the returned pointer; commit() says how many were used.
    char *reserve(qsizetype n)
    {
        if (m_capacity - m_size < n)
            grow(n);
        return m_bytes + m_size;
    }
    void commit(const char *end) { m_size = end - m_bytes; }
    void put(char c)
    {
        if (m_size == m_capacity)
            grow(1);
        m_bytes[m_size++] = c;
    }
    Q_ALWAYS_INLINE void put(const char *p, qsizetype n)
    {
        if (m_capacity - m_size < n)
            grow(n);
        std::memcpy(m_bytes + m_size, p, size_t(n));
        m_size += n;
    }
    void put(QByteArrayView v) { put(v.data(), v.size()); }
    template<qsizetype N>
    void put(const char (&literal)[N]) { put(literal, N - 1); }
    qsizetype size() const { return m_size; }
    const char *data() const { return m_bytes; }
    void clear() { m_size = 0; }

private:
    Q_DECL_COLD_FUNCTION Q_NEVER_INLINE void grow(qsizetype n)
    {
        m_capacity = std::max(m_capacity * 2, m_size + n);
        m_data.resize(m_capacity);
        m_bytes = m_data.data();   // detached once here, not on every write
    }

    QByteArray m_data;
    char *m_bytes = nullptr;
    qsizetype m_size = 0;
    qsizetype m_capacity = 0;
};

void appendNumber(Writer &out, qint64 v)
{
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.put(buf, r.ptr - buf);
}

// Money::formatMicros without the QString: 1350 -> 0.00135, 0 -> 0.0.
void appendMicros(Writer &out, qint64 micros)
{
    if (micros < 0) {
        out.put('-');
        micros = -micros;   // a ledger cost is never near the minimum
    }
    appendNumber(out, micros / Money::MicrosPerUnit);
    char fraction[7];
    qint64 f = micros % Money::MicrosPerUnit;
    for (int i = 5; i >= 0; --i, f /= 10)
        fraction[i] = char('0' + f % 10);
    int digits = 6;
    while (digits > 1 && fraction[digits - 1] == '0')
        --digits;
    out.put('.');
    out.put(fraction, digits);
}

// 2026-11-25T03:00:00.000Z, without QDateTime's time zone machinery (days to civil date after
// Howard Hinnant's algorithm).
void appendTime(Writer &out, qint64 ms)
{
    qint64 days = ms >= 0 ? ms / MsPerDay : (ms + 1) / MsPerDay - 1;
    qint64 rest = ms - days * MsPerDay;
    days += 719468;
    const qint64 era = (days >= 0 ? days : days - 146096) / 146097;
    const qint64 doe = days - era * 146097;
    const qint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const qint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const qint64 mp = (5 * doy + 2) / 153;
    const qint64 d = doy - (153 * mp + 2) / 5 + 1;
    const qint64 m = mp < 10 ? mp + 3 : mp - 9;
    const qint64 y = yoe + era * 400 + (m <= 2);
    char *o = out.reserve(24);
    auto digits = [&o](qint64 v, int n) {
        for (int i = n - 1; i >= 0; --i, v /= 10)
            o[i] = char('0' + v % 10);
        o += n;
    };
    digits(y, 4);
    *o++ = '-';
    digits(m, 2);
    *o++ = '-';
    digits(d, 2);
    *o++ = 'T';
    digits(rest / 3'600'000, 2);
    *o++ = ':';
    digits(rest / 60'000 % 60, 2);
    *o++ = ':';
    digits(rest / 1000 % 60, 2);
    *o++ = '.';
    digits(rest % 1000, 3);
    *o++ = 'Z';
    out.commit(o);
}

// A text cell a spreadsheet would take for a formula: Excel and LibreOffice evaluate a cell that
// starts with = + - or @ (`=HYPERLINK(…)`, `@SUM(…)`, `+cmd|…`), and may drop a leading TAB or CR
// and evaluate what follows. Only text cells are asked: numbers are written by Switchyard itself.
bool looksLikeFormula(QByteArrayView s)
{
    switch (s.front()) {
    case '=': case '+': case '-': case '@': case '\t': case '\r': return true;
    default: return false;
    }
}

// `s` must end in a NUL byte just past its size, as SQLite's and QByteArray's text does.
void appendCsvText(Writer &out, QByteArrayView s)
{
    // Does it hold a byte that needs quotes (RFC 4180)? strcspn is the C library's vectorised scan.
    if (s.isEmpty())
        return;
    // OWASP's advice for CSV injection: a leading apostrophe, which spreadsheets show as text
    // and do not evaluate, inside quotes.
    const bool formula = looksLikeFormula(s);
    const bool quote = formula || qsizetype(std::strcspn(s.data(), ",\"\r\n")) < s.size()
                       || std::memchr(s.data(), 0, size_t(s.size()));
    if (!quote) {
        out.put(s);
        return;
    }
    out.put('"');
    if (formula)
        out.put('\'');
    for (char c : s) {
        if (c == '"')
            out.put('"');
        out.put(c);
    }
    out.put('"');
}

void appendJsonText(Writer &out, QByteArrayView s)
{
    static const char hex[] = "0123456789abcdef";
    out.put('"');
    qsizetype run = 0;   // start of the characters that need no escape
    for (qsizetype i = 0; i < s.size(); ++i) {
        const auto u = static_cast<unsigned char>(s[i]);
        if (u >= 0x20 && u != '"' && u != '\\')
            continue;
        out.put(s.sliced(run, i - run));
        run = i + 1;
        switch (u) {
        case '"': out.put("\\\"", 2); break;
        case '\\': out.put("\\\\", 2); break;
        case '\n': out.put("\\n", 2); break;
        case '\r': out.put("\\r", 2); break;
        case '\t': out.put("\\t", 2); break;
        default: {
            const char esc[] = {'\\', 'u', '0', '0', hex[u >> 4], hex[u & 15]};
            out.put(esc, 6);
        }
        }
    }
    out.put(s.sliced(run));
    out.put('"');
}

// 1234 µs -> 1.234
void appendMillis(Writer &out, qint64 micros)
{
    if (micros < 0) {
        out.put('-');
        micros = -micros;
    }
    appendNumber(out, micros / 1000);
    const int fraction = int(micros % 1000);
    const char digits[3] = {char('0' + fraction / 100), char('0' + fraction / 10 % 10), char('0' + fraction % 10)};
    out.put('.');
    out.put(digits, 3);
}

void appendRow(Writer &out, Statement &row, Ledger::Format format, const QList<QByteArray> &names)
{
    const bool csv = format == Ledger::Format::Csv;
    if (!csv)
        out.put('{');
    for (int i = 0; i < names.size(); ++i) {
        if (i)
            out.put(',');
        if (!csv)
        {
            out.put('"');
            out.put(names[i]);
            out.put("\":");
        }
        switch (i < ExportColumnCount ? ExportKinds[i] : Kind::Text) {   // past the local columns: the team's member
        case Kind::Time:
            if (!csv)
                out.put('"');
            appendTime(out, row.number(i));
            if (!csv)
                out.put('"');
            break;
        case Kind::Text:
            if (csv)
                appendCsvText(out, row.utf8(i));
            else
                appendJsonText(out, row.utf8(i));
            break;
        case Kind::Count:
            appendNumber(out, row.number(i));
            break;
        case Kind::Int:
            if (!row.isNull(i))
                appendNumber(out, row.number(i));
            else if (!csv)
                out.put("null");
            break;
        case Kind::Cost:   // a decimal in its currency: exact, and a string in JSON
            if (row.isNull(i)) {
                if (!csv)
                    out.put("null");
            } else if (csv) {
                appendMicros(out, row.number(i));
            } else {
                out.put('"');
                appendMicros(out, row.number(i));
                out.put('"');
            }
            break;
        case Kind::Millis:
            if (!row.isNull(i))
                appendMillis(out, row.number(i));
            else if (!csv)
                out.put("null");
            break;
        case Kind::Bool:
            if (row.number(i))
                out.put("true");
            else
                out.put("false");
            break;
        }
    }
    if (csv)
        out.put("\r\n");
    else
        out.put("}\n");
}

// Binds `binds` in order and reports a statement that did not prepare.
bool prepared(Statement &q, const QVariantList &binds, QString *error)
{
    if (!q.isValid()) {
        *error = QCoreApplication::translate("Ledger", "Reading the ledger failed: %1").arg(q.errorText());
        return false;
    }
    for (int i = 0; i < binds.size(); ++i)
        q.bind(i, binds[i]);
    return true;
}

// After the last next(): false, with *error, when the rows stopped on an error.
bool endedCleanly(const Statement &q, QString *error)
{
    if (!q.failed())
        return true;
    *error = QCoreApplication::translate("Ledger", "Reading the ledger failed: %1").arg(q.errorText());
    return false;
}

} // namespace

Ledger::Ledger(Database *database, QObject *parent)
    : QObject(parent)
    , m_database(database)
{
    // Open rows wait a quarter of a second, so the many attempts that end sooner never write one
    // (and a busy endpoint does not commit twice per request); finished rows are gathered for a
    // few milliseconds into one transaction.
    m_openTimer.setSingleShot(true);
    m_openTimer.setInterval(OpenRowDelayMs);
    m_rowsTimer.setSingleShot(true);
    m_rowsTimer.setInterval(RowBatchMs);
    connect(&m_openTimer, &QTimer::timeout, this, &Ledger::flush);
    connect(&m_rowsTimer, &QTimer::timeout, this, &Ledger::flush);
    m_recoverTimer.setInterval(RecoverEveryMs);
    connect(&m_recoverTimer, &QTimer::timeout, this, &Ledger::recoverInterrupted);
    if (const QString path = database->path(); !path.isEmpty() && path != u":memory:") {
        m_journal = std::make_unique<AttemptJournal>(journalDirectory(path));
        if (!m_journal->isOpen())
            qWarning("%s", qUtf8Printable(m_journal->errorString()));
    }
}

Ledger::~Ledger()
{
    flush();   // rows still being written stay open in the journal, and are settled without doubles
}

QString Ledger::journalDirectory(const QString &databasePath)
{
    // Beside the database, named after it as SQLite names its -wal and -shm files: each database
    // has journals of its own, even with several in one folder.
    return QFileInfo(databasePath).absoluteFilePath() + QStringLiteral("-attempts");
}

QString Ledger::journalPath() const
{
    return m_journal && m_journal->isOpen() ? m_journal->path() : QString();
}

qint64 Ledger::localDay(const QDateTime &time)
{
    return LocalDays().of(time.toMSecsSinceEpoch());
}

Ledger::Filter Ledger::Filter::forDays(QDate first, QDate last)
{
    Filter f;
    f.since = first.startOfDay();
    f.until = last.addDays(1).startOfDay();
    return f;
}

QStringList Ledger::exportColumns()
{
    return {QStringLiteral("time"), QStringLiteral("request_id"), QStringLiteral("attempt"), QStringLiteral("client"),
            QStringLiteral("task_type"), QStringLiteral("rule"), QStringLiteral("model"), QStringLiteral("provider"),
            QStringLiteral("provider_model"), QStringLiteral("status"), QStringLiteral("http_status"),
            QStringLiteral("prompt_tokens"), QStringLiteral("cached_tokens"), QStringLiteral("completion_tokens"),
            QStringLiteral("reasoning_tokens"), QStringLiteral("cost"), QStringLiteral("currency"),
            QStringLiteral("cost_estimated"), QStringLiteral("latency_ms"), QStringLiteral("ttft_ms"),
            QStringLiteral("conversation"), QStringLiteral("estimated_input_tokens"), QStringLiteral("price_as_of"),
            QStringLiteral("dropped"), QStringLiteral("overhead_ms"), QStringLiteral("api")};
}

LedgerRow Ledger::rowFor(const Attempt &attempt, const Context &context, const Config &config, const QDateTime &started)
{
    const CallResult &result = attempt.result;
    LedgerRow r;
    r.time = started.toUTC();
    r.requestId = context.requestId;
    r.attempt = attempt.number;
    r.client = context.client;
    r.taskType = context.taskType;
    r.rule = context.rule;
    r.model = attempt.model;
    r.provider = attempt.provider;
    r.providerModel = attempt.providerModel;
    r.status = result.ok() ? QStringLiteral("ok") : errorClassName(result.error->errorClass);
    r.httpStatus = result.httpStatus;
    r.latencyMs = result.totalMs;
    r.ttftMs = result.ttftMs;
    r.conversation = context.conversation;
    r.estimatedInputTokens = context.estimatedInputTokens;
    r.api = context.api;
    r.dropped = result.dropped.join(QLatin1Char(','));
    r.overheadUs = attempt.overheadUs;

    Usage usage = result.usage;
    const bool produced = !result.content.isEmpty() || !result.reasoning.isEmpty();
    if (!usage.isValid() && produced) {
        // No usage from the provider: count what was sent and received, and say so.
        usage.promptTokens = std::max<qint64>(context.estimatedInputTokens, 0);
        usage.completionTokens = context.estimatedOutputTokens >= 0
                                     ? context.estimatedOutputTokens
                                     : RequestAnalyzer::estimateTokens(QString(result.content + result.reasoning));
        r.costEstimated = true;
    }
    r.promptTokens = usage.promptTokens;
    r.cachedTokens = usage.cachedTokens;
    r.completionTokens = usage.completionTokens;
    r.reasoningTokens = usage.reasoningTokens;

    const ModelConfig *model = config.model(attempt.model);
    if (usage.costMicrosUsd >= 0) {
        r.costMicros = usage.costMicrosUsd;   // the gateway's own figure
        r.currency = QStringLiteral("USD");
    } else if (model && model->price) {
        r.currency = model->price->currency;
        r.priceAsOf = model->price->asOf;
        if (const std::optional<Cost> c = PriceBook::cost(*model->price, usage, r.time))
            r.costMicros = c->micros;
        else
            r.costMicros = 0;   // nothing was produced, so nothing is billed
    }
    return r;
}

void Ledger::started(const LedgerRow &row)
{
    if (m_journal && m_journal->isOpen()) {
        if (m_journal->opened(row))
            return;
        qWarning("%s", qUtf8Printable(m_journal->errorString()));   // once: the journal is closed now
    }
    m_pendingOpen.append(row);
    if (!m_openTimer.isActive())
        m_openTimer.start();
}

void Ledger::progressed(const LedgerRow &row, qint64 elapsedMs)
{
    if (m_journal && m_journal->isOpen() && !m_journal->progress(row, elapsedMs) && !m_journal->isOpen())
        qWarning("%s", qUtf8Printable(m_journal->errorString()));   // once: the journal is closed now
}

void Ledger::finished(const LedgerRow &row)
{
    // An attempt that ends before its open row was written never needs one.
    m_pendingOpen.removeIf([&row](const LedgerRow &o) { return o.attempt == row.attempt && o.requestId == row.requestId; });
    m_pending.append(row);
    if (!m_rowsTimer.isActive())
        m_rowsTimer.start();
}

void Ledger::flush()
{
    m_openTimer.stop();
    m_rowsTimer.stop();
    if (m_pending.isEmpty() && m_pendingOpen.isEmpty())
        return;
    QList<std::pair<QString, int>> closing;
    if (m_journal && m_journal->openAttempts() > 0) {
        closing.reserve(m_pending.size());
        for (const LedgerRow &r : std::as_const(m_pending))
            closing.append({r.requestId, r.attempt});
    }
    m_database->write([open = std::exchange(m_pendingOpen, {}), rows = std::exchange(m_pending, {}),
                       closing = std::move(closing), self = QPointer<Ledger>(this)](QSqlDatabase &db, QString *error) {
        if (!insertOpenRows(db, open, error) || (!rows.isEmpty() && !insertRows(db, rows, error)))
            return false;
        // The journal lets go of an attempt only once its row is on disk.
        if (!closing.isEmpty()) {
            Database::afterCommit([self, closing] {
                if (self && self->m_journal)
                    self->m_journal->closed(closing);
            });
        }
        return true;
    });
}

void Ledger::track(Dispatch *dispatch, const Context &context, const Config &config)
{
    struct State
    {
        Context context;
        Config config;
        QHash<int, QDateTime> startedAt;
        // The attempt being shown, and what it has sent so far.
        LedgerRow current;
        QElapsedTimer clock;
        qint64 outputMilliTokens = 0;
        qint64 progressAtMs = -ProgressEveryMs;
    };
    auto state = std::make_shared<State>(State {context, config, {}, {}, {}, 0, -ProgressEveryMs});
    // Dispatch emits attemptStarted before the attempt's request can leave (it goes from the event
    // loop), so the journal has the attempt before the provider can see it.
    connect(dispatch, &Dispatch::attemptStarted, this, [this, state](const Attempt &a) {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        state->startedAt.insert(a.number, now);
        state->current = rowFor(a, state->context, state->config, now);
        state->clock.start();
        state->outputMilliTokens = 0;
        state->progressAtMs = -ProgressEveryMs;
        started(state->current);
    });
    // Progress, so that an attempt cut off mid-stream is settled with what it had cost so far.
    connect(dispatch, &Dispatch::streamEvent, this, [this, state](const StreamEvent &e) {
        if (!m_journal || !state->clock.isValid())
            return;
        const QString &text = e.kind == StreamEvent::Kind::ToolCall ? e.toolCall.argumentsDelta : e.text;
        if (e.kind != StreamEvent::Kind::Content && e.kind != StreamEvent::Kind::Reasoning
            && e.kind != StreamEvent::Kind::ToolCall)
            return;
        state->outputMilliTokens += RequestAnalyzer::estimateTokens(text, 1000.0);
        const qint64 now = state->clock.elapsed();
        if (now - state->progressAtMs < ProgressEveryMs)
            return;
        state->progressAtMs = now;
        LedgerRow &r = state->current;
        Usage usage;
        usage.promptTokens = std::max<qint64>(r.estimatedInputTokens, 0);
        usage.completionTokens = (state->outputMilliTokens + 999) / 1000;
        r.promptTokens = usage.promptTokens;
        r.completionTokens = usage.completionTokens;
        r.costMicros = -1;
        if (const ModelConfig *model = state->config.model(r.model); model && model->price) {
            if (const std::optional<Cost> c = PriceBook::cost(*model->price, usage, r.time))
                r.costMicros = c->micros;
        }
        progressed(r, now);
    });
    connect(dispatch, &Dispatch::attemptFinished, this, [this, state](const Attempt &a) {
        // Of the attempts that sent nothing, only those for want of a key are rows (`no_key`): they
        // say why another model answered. A cool-down or the price guard is the chain working.
        if (a.skipped && !a.passedOverForNoKey())
            return;
        const QDateTime at = state->startedAt.take(a.number);
        finished(rowFor(a, state->context, state->config, at.isValid() ? at : QDateTime::currentDateTimeUtc()));
    });
}

void Ledger::recoverInterrupted()
{
    // Journals are looked at again later too, for a process on the same profile that dies while
    // this one runs (the window and `switchyard serve`), as are the open rows of older versions.
    if (!m_recoverTimer.isActive())
        m_recoverTimer.start();
    const qint64 before = QDateTime::currentMSecsSinceEpoch() - InterruptedAfterMs;
    const QString directory = journalDirectory(m_database->path());
    m_database->write([before, directory](QSqlDatabase &db, QString *error) {
        // Claimed (locked) here, on the writer's thread, so that a retry of this job claims afresh.
        const std::shared_ptr<AttemptJournal::Orphans> orphans = AttemptJournal::claimOrphans(directory);
        for (const QString &problem : std::as_const(orphans->problems))
            qWarning("%s", qUtf8Printable(problem));
        if (settle(db, orphans->rows, before, error) < 0)
            return false;   // the journals are unlocked as `orphans` goes
        // Deleted once the rows are committed; until then they stay locked, so no other process
        // settles them at the same time. Should the commit fail, the callback is dropped, and with
        // it the last hold on `orphans`, which unlocks them for the next try.
        if (!orphans->fds.isEmpty())
            Database::afterCommit([orphans] { AttemptJournal::release(*orphans, true); });
        return true;
    });
}

qint64 Ledger::settleInterrupted(QSqlDatabase &db, const QString &databasePath, QString *error)
{
    const std::shared_ptr<AttemptJournal::Orphans> orphans = AttemptJournal::claimOrphans(journalDirectory(databasePath));
    for (const QString &problem : std::as_const(orphans->problems))
        qWarning("%s", qUtf8Printable(problem));
    if (!db.transaction()) {
        *error = QCoreApplication::translate("Ledger", "Ledger rows were not saved: %1").arg(db.lastError().text());
        return -1;
    }
    const qint64 added = settle(db, orphans->rows, QDateTime::currentMSecsSinceEpoch() - InterruptedAfterMs, error);
    if (added < 0 || !db.commit()) {
        if (added >= 0)
            *error = QCoreApplication::translate("Ledger", "Ledger rows were not saved: %1").arg(db.lastError().text());
        db.rollback();
        return -1;   // the journals are unlocked as `orphans` goes, and stay for the next start
    }
    AttemptJournal::release(*orphans, true);
    return added;
}

qint64 Ledger::countRows(QSqlDatabase &db, const Filter &filter, QString *error)
{
    QVariantList binds;
    Statement q(db, QStringLiteral("SELECT COUNT(*) FROM ledger") + rowsWhere(filter, &binds));
    if (!prepared(q, binds, error))
        return -1;
    const qint64 n = q.next() ? q.number(0) : 0;
    return endedCleanly(q, error) ? n : -1;
}

qint64 Ledger::exportRows(QSqlDatabase &db, const Filter &filter, Format format, QIODevice *out, QString *error,
                          const std::function<bool(qint64 rows)> &progress, bool team)
{
    QVariantList binds;
    QString select = QLatin1String(ExportSelect);
    if (team)
        select.replace(QLatin1String(" FROM ledger"), QLatin1String(", member FROM ledger"));
    const QString sql = select + rowsWhere(filter, &binds) + (team ? QStringLiteral(" ORDER BY id, member") : QStringLiteral(" ORDER BY id"));
    QList<QByteArray> names;
    for (const QString &c : exportColumns())
        names << c.toUtf8();
    if (team)
        names << QByteArrayLiteral("member");

    Writer buffer;
    if (format == Format::Csv) {
        buffer.put("\xEF\xBB\xBF");   // the byte order mark lets Excel see UTF-8
        for (int i = 0; i < names.size(); ++i) {
            if (i)
                buffer.put(',');
            buffer.put(names[i]);
        }
        buffer.put("\r\n");
    }
    qint64 rows = 0;
    auto flush = [&](bool force) {
        if (buffer.size() < (1 << 16) && !force)
            return true;
        const bool ok = out->write(buffer.data(), buffer.size()) == buffer.size();
        buffer.clear();
        if (!ok) {
            *error = tr("Writing the export failed: %1").arg(out->errorString());
            return false;
        }
        if (progress && !progress(rows)) {
            *error = tr("The export was cancelled.");
            return false;
        }
        return true;
    };

    // On SQLite, a read-only connection of the export's own without SQLite's per-call mutex (one
    // lock and unlock for every cell read otherwise); in WAL mode it never blocks the writer.
    sqlite3 *reader = nullptr;
    const auto closeReader = qScopeGuard([&reader] {
        if (reader)
            sqlite3_close_v2(reader);
    });
    const QString file = db.databaseName();
    if (sqliteHandle(db) && QFileInfo(file).isFile()
        && sqlite3_open_v2(QFile::encodeName(file).constData(), &reader, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                           nullptr) != SQLITE_OK) {
        sqlite3_close_v2(reader);
        reader = nullptr;   // the Qt connection will do
    }
    if (reader)   // read the file through a memory map: a large export then costs no read() per page
        sqlite3_exec(reader, "PRAGMA mmap_size = 1073741824", nullptr, nullptr, nullptr);
    Statement query = reader ? Statement(reader, sql) : Statement(db, sql);
    if (!prepared(query, binds, error))
        return -1;
    while (query.next()) {
        appendRow(buffer, query, format, names);
        ++rows;
        if (!flush(false))
            return -1;
    }
    if (!endedCleanly(query, error))
        return -1;
    if (!flush(true))
        return -1;
    return rows;
}

QString Ledger::dayTotalsSql(const Filter &filter, bool days)
{
    QVariantList binds;
    return QStringLiteral("SELECT day, model, currency, provider, task_type, SUM(attempts), SUM(retries), SUM(errors), "
                          "SUM(estimated), SUM(unpriced), SUM(cost_micros), SUM(prompt_tokens), SUM(cached_tokens), "
                          "SUM(completion_tokens), SUM(reasoning_tokens) FROM ")
           + (days ? QStringLiteral("ledger_days") : QStringLiteral("ledger_daily"))
           + daysWhere(filter, &binds)
           + QStringLiteral(" GROUP BY day, model, currency, provider, task_type ORDER BY day, model, currency, provider, task_type");
}

std::optional<QList<Ledger::DayTotal>> Ledger::dayTotals(QSqlDatabase &db, const Filter &filter, QString *error)
{
    QVariantList binds;
    daysWhere(filter, &binds);
    // The team ledger's totals without member, client and door serve a filter on none of them.
    const bool days = !sqliteHandle(db) && filter.client.isEmpty() && filter.api.isEmpty() && filter.member.isEmpty();
    Statement q(db, dayTotalsSql(filter, days));
    if (!prepared(q, binds, error))
        return std::nullopt;
    QList<DayTotal> out;
    while (q.next()) {
        DayTotal t;
        t.day = q.number(0);
        t.model = QString::fromUtf8(q.utf8(1));
        t.currency = QString::fromUtf8(q.utf8(2));
        t.provider = QString::fromUtf8(q.utf8(3));
        t.taskType = QString::fromUtf8(q.utf8(4));
        qint64 *sums[] = {&t.attempts, &t.retries, &t.errors, &t.estimated, &t.unpriced, &t.costMicros,
                          &t.promptTokens, &t.cachedTokens, &t.completionTokens, &t.reasoningTokens};
        for (int i = 0; i < int(std::size(sums)); ++i)
            *sums[i] = q.number(5 + i);
        out << t;
    }
    if (!endedCleanly(q, error))
        return std::nullopt;
    return out;
}

qint64 Ledger::percentile(const QList<qint64> &sorted, double p)
{
    if (sorted.isEmpty())
        return -1;
    const qsizetype rank = qsizetype(std::ceil(p * double(sorted.size())));
    return sorted[std::clamp<qsizetype>(rank - 1, 0, sorted.size() - 1)];
}

namespace {

// "{12,7,300}", PostgreSQL's text for an array of integers (empty: none), appended to `to`.
void appendArray(QByteArrayView text, QList<qint64> *to)
{
    const char *p = text.data();
    const char *end = p + text.size();
    while (p < end) {
        if (*p < '0' || *p > '9') {
            ++p;
            continue;
        }
        qint64 v = 0;
        p = std::from_chars(p, end, v).ptr;
        to->append(v);
    }
}

// Ledger::timings on PostgreSQL (the team ledger): one row a model with its times as two arrays.
// Through libpq and QSqlQuery a value costs about a microsecond, which a row an answer spends on a
// month of a busy team's calls (bench_team: 1.1 s for 380,000 answers, 0.2 s of it in the server).
// The planner's estimate of the rows `where` selects from the ledger (PostgreSQL: EXPLAIN cannot be
// prepared, so the values are written into it by the driver); -1 when there is none.
double estimatedRows(QSqlDatabase &db, const QString &where, const QVariantList &binds)
{
    QString sql = QStringLiteral("EXPLAIN (FORMAT JSON) SELECT 1 FROM ledger") + where;
    qsizetype at = 0;
    for (const QVariant &v : binds) {
        at = sql.indexOf(QLatin1Char('?'), at);
        if (at < 0)
            return -1;
        QSqlField field(QString(), v.metaType());
        field.setValue(v);
        const QString literal = db.driver()->formatValue(field);
        sql.replace(at, 1, literal);
        at += literal.size();
    }
    QSqlQuery q(db);
    if (!q.exec(sql) || !q.next())
        return -1;
    const QJsonArray plans = QJsonDocument::fromJson(q.value(0).toString().toUtf8()).array();
    return plans.isEmpty() ? -1 : plans.first().toObject().value(QLatin1String("Plan")).toObject().value(QLatin1String("Plan Rows")).toDouble(-1);
}

std::optional<QList<Ledger::Timings>> timingsByModel(QSqlDatabase &db, const QString &where, const QVariantList &binds,
                                                     QString *error)
{
    // A year of a busy team is millions of answers, and reading each one costs more than the
    // 500 ms the dashboard may take. Past TimingsSampleAbove the medians and 95th percentiles
    // come from a fixed page sample (REPEATABLE: the same figures on every refresh) sized to hold
    // about that many of the period's answers; the result says so.
    // The sample reads that share of the whole table's pages, whatever the period: it is taken only
    // when that is well under what the period's own answers would cost to read (a year of two, not
    // a month of them).
    double percent = 100;
    const double estimate = estimatedRows(db, where, binds);
    if (estimate > Ledger::TimingsSampleAbove) {
        QSqlQuery size(db);
        const double tableRows = size.exec(QStringLiteral("SELECT reltuples FROM pg_class WHERE oid = 'ledger'::regclass"))
                                         && size.next()
                                     ? size.value(0).toDouble()
                                     : -1;
        const double share = Ledger::TimingsSampleAbove / estimate;
        if (tableRows > 0 && share * tableRows < estimate / 2)
            percent = std::max(0.5, 100.0 * share);
    }
    const QString from = percent < 100 ? QStringLiteral(" FROM ledger TABLESAMPLE SYSTEM (%1) REPEATABLE (17)").arg(percent, 0, 'f', 3)
                                       : QStringLiteral(" FROM ledger");
    Statement q(db, QStringLiteral("SELECT model, array_agg(ttft_ms) FILTER (WHERE ttft_ms IS NOT NULL), "
                                   "array_agg(latency_ms) FILTER (WHERE latency_ms IS NOT NULL)")
                        + from + where + QStringLiteral(" GROUP BY model"));
    if (!prepared(q, binds, error))
        return std::nullopt;
    QList<Ledger::Timings> out;
    while (q.next()) {
        Ledger::Timings t {QString::fromUtf8(q.utf8(0)), {}, {}, percent};
        appendArray(q.utf8(1), &t.ttftMs);
        appendArray(q.utf8(2), &t.totalMs);
        std::sort(t.ttftMs.begin(), t.ttftMs.end());
        std::sort(t.totalMs.begin(), t.totalMs.end());
        out << t;
    }
    if (!endedCleanly(q, error))
        return std::nullopt;
    std::sort(out.begin(), out.end(), [](const Ledger::Timings &a, const Ledger::Timings &b) { return a.model < b.model; });
    return out;
}

} // namespace

std::optional<QList<Ledger::Timings>> Ledger::timings(QSqlDatabase &db, const Filter &filter, QString *error)
{
    QVariantList binds;
    const QString where = rowsWhere(filter, &binds, {QStringLiteral("status = 'ok'")});
    if (!sqliteHandle(db))
        return timingsByModel(db, where, binds, error);
    const QString sql = QStringLiteral("SELECT model, ttft_ms, latency_ms FROM ledger") + where;
    Statement q(db, sql);
    if (!prepared(q, binds, error))
        return std::nullopt;
    QHash<QByteArray, int> index;   // rows come in time order; group them here, not in SQL
    QList<Timings> out;
    while (q.next()) {
        const QByteArrayView model = q.utf8(0);
        auto it = index.constFind(QByteArray::fromRawData(model.data(), model.size()));
        if (it == index.cend()) {
            it = index.insert(model.toByteArray(), int(out.size()));
            out.append(Timings {QString::fromUtf8(model), {}, {}, 100});
        }
        Timings &t = out[it.value()];
        if (!q.isNull(1))
            t.ttftMs << q.number(1);
        if (!q.isNull(2))
            t.totalMs << q.number(2);
    }
    if (!endedCleanly(q, error))
        return std::nullopt;
    for (Timings &t : out) {
        std::sort(t.ttftMs.begin(), t.ttftMs.end());
        std::sort(t.totalMs.begin(), t.totalMs.end());
    }
    std::sort(out.begin(), out.end(), [](const Timings &a, const Timings &b) { return a.model < b.model; });
    return out;
}

std::optional<QList<Ledger::StatusCount>> Ledger::statusCounts(QSqlDatabase &db, const Filter &filter,
                                                               const QStringList &statuses, QString *error)
{
    if (statuses.isEmpty())
        return QList<StatusCount> {};
    QVariantList binds;
    QStringList marks;
    for (const QString &s : statuses) {
        binds << QVariant(s);
        marks << QStringLiteral("?");
    }
    const QString sql = QStringLiteral("SELECT model, status, COUNT(*) FROM ledger")
                        + rowsWhere(filter, &binds, {QStringLiteral("status IN (%1)").arg(marks.join(QStringLiteral(", ")))})
                        + QStringLiteral(" GROUP BY model, status ORDER BY model, status");
    Statement q(db, sql);
    if (!prepared(q, binds, error))
        return std::nullopt;
    QList<StatusCount> out;
    while (q.next())
        out << StatusCount {QString::fromUtf8(q.utf8(0)), QString::fromUtf8(q.utf8(1)), q.number(2)};
    if (!endedCleanly(q, error))
        return std::nullopt;
    return out;
}

std::optional<QList<LedgerRow>> Ledger::costliest(QSqlDatabase &db, const Filter &filter, const QString &currency, int limit,
                                                  QString *error)
{
    QVariantList binds {QVariant(currency)};
    const QString sql = QStringLiteral("SELECT time_ms, request_id, attempt, model, provider, task_type, client, status, "
                                       "prompt_tokens, cached_tokens, completion_tokens, cost_micros, cost_estimated FROM ledger")
                        + rowsWhere(filter, &binds, {QStringLiteral("currency = ?"), QStringLiteral("cost_micros > 0")})
                        + QStringLiteral(" ORDER BY cost_micros DESC, id LIMIT %1").arg(limit);
    Statement q(db, sql);
    if (!prepared(q, binds, error))
        return std::nullopt;
    QList<LedgerRow> out;
    auto number = [&q](int i) { return q.isNull(i) ? qint64(-1) : q.number(i); };
    auto string = [&q](int i) { return QString::fromUtf8(q.utf8(i)); };
    while (q.next()) {
        LedgerRow r;
        r.time = QDateTime::fromMSecsSinceEpoch(q.number(0), Qt::UTC);
        r.requestId = string(1);
        r.attempt = int(q.number(2));
        r.model = string(3);
        r.provider = string(4);
        r.taskType = string(5);
        r.client = string(6);
        r.status = string(7);
        r.promptTokens = number(8);
        r.cachedTokens = number(9);
        r.completionTokens = number(10);
        r.costMicros = number(11);
        r.costEstimated = q.number(12) != 0;
        r.currency = currency;
        out << r;
    }
    if (!endedCleanly(q, error))
        return std::nullopt;
    return out;
}

bool Ledger::forEachAnswer(QSqlDatabase &db, const Filter &filter, const std::function<void(const LedgerRow &row)> &f,
                           QString *error)
{
    QVariantList binds;
    const QString sql = QStringLiteral("SELECT time_ms, model, provider, task_type, client, estimated_input_tokens, prompt_tokens, "
                                       "cached_tokens, completion_tokens, reasoning_tokens, cost_micros, currency, attempt "
                                       "FROM ledger")
                        + rowsWhere(filter, &binds, {QStringLiteral("status = 'ok'")}) + QStringLiteral(" ORDER BY id");
    Statement q(db, sql);
    if (!prepared(q, binds, error))
        return false;
    auto number = [&q](int i) { return q.isNull(i) ? qint64(-1) : q.number(i); };
    auto string = [&q](int i) { return QString::fromUtf8(q.utf8(i)); };
    while (q.next()) {
        LedgerRow r;
        r.time = QDateTime::fromMSecsSinceEpoch(q.number(0), Qt::UTC);
        r.model = string(1);
        r.provider = string(2);
        r.taskType = string(3);
        r.client = string(4);
        r.estimatedInputTokens = number(5);
        r.promptTokens = number(6);
        r.cachedTokens = number(7);
        r.completionTokens = number(8);
        r.reasoningTokens = number(9);
        r.costMicros = number(10);
        r.currency = string(11);
        r.attempt = int(q.number(12));
        r.status = QStringLiteral("ok");
        f(r);
    }
    return endedCleanly(q, error);
}

std::optional<QList<Ledger::MemberTotal>> Ledger::memberTotals(QSqlDatabase &db, const Filter &filter, QString *error)
{
    QVariantList binds;
    Statement q(db, QStringLiteral("SELECT member, currency, SUM(attempts), SUM(cost_micros) FROM ledger_daily")
                        + daysWhere(filter, &binds) + QStringLiteral(" GROUP BY member, currency ORDER BY member, currency"));
    if (!prepared(q, binds, error))
        return std::nullopt;
    QList<MemberTotal> out;
    while (q.next())
        out << MemberTotal {QString::fromUtf8(q.utf8(0)), QString::fromUtf8(q.utf8(1)), q.number(2), q.number(3)};
    if (!endedCleanly(q, error))
        return std::nullopt;
    return out;
}

std::optional<QStringList> Ledger::members(QSqlDatabase &db, QString *error)
{
    Statement q(db, QStringLiteral("SELECT DISTINCT member FROM ledger_daily ORDER BY member"));
    if (!prepared(q, {}, error))
        return std::nullopt;
    QStringList out;
    while (q.next())
        out << QString::fromUtf8(q.utf8(0));
    if (!endedCleanly(q, error))
        return std::nullopt;
    return out;
}

std::optional<Ledger::Dimensions> Ledger::dimensions(QSqlDatabase &db, QString *error)
{
    Dimensions d;
    const std::pair<const char *, QStringList *> columns[] = {
        {"provider", &d.providers}, {"model", &d.models}, {"task_type", &d.taskTypes}, {"client", &d.clients},
        {"api", &d.apis}};
    // On PostgreSQL (the team ledger, indexed on each of these: TeamDatabase's schema 2) one index
    // probe a value, rather than reading every per-day total of every member.
    const bool probe = !sqliteHandle(db);
    for (const auto &[column, list] : columns) {
        Statement q(db, probe ? QStringLiteral("WITH RECURSIVE v(x) AS (SELECT MIN(%1) FROM ledger_daily UNION ALL "
                                               "SELECT (SELECT MIN(%1) FROM ledger_daily WHERE %1 > v.x) FROM v "
                                               "WHERE v.x IS NOT NULL) SELECT x FROM v WHERE x IS NOT NULL ORDER BY x")
                                    .arg(QLatin1String(column))
                              : QStringLiteral("SELECT DISTINCT %1 FROM ledger_daily ORDER BY %1").arg(QLatin1String(column)));
        if (!prepared(q, {}, error))
            return std::nullopt;
        while (q.next())
            *list << QString::fromUtf8(q.utf8(0));
        if (!endedCleanly(q, error))
            return std::nullopt;
    }
    return d;
}
