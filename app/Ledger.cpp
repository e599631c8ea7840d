#include "Ledger.h"

#include "Database.h"
#include "Dispatch.h"
#include "Money.h"
#include "PriceBook.h"
#include "RequestAnalyzer.h"

#include <QIODevice>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>

namespace {

QVariant orNull(qint64 v)
{
    return v < 0 ? QVariant(QMetaType(QMetaType::LongLong)) : QVariant(v);
}

// Text columns are NOT NULL; the SQL driver binds a null QString as NULL, so an unset one
// becomes the empty string.
QVariant text(const QString &s)
{
    return QVariant(s.isNull() ? QString(QLatin1String("")) : s);
}

// Writes finished rows, preparing each statement once for the whole batch. The job is one
// transaction: it lands whole or not at all.
bool insertRows(QSqlDatabase &db, const QList<LedgerRow> &rows, QString *error)
{
    QSqlQuery close(db);
    QSqlQuery insert(db);
    if (!close.prepare(QStringLiteral("DELETE FROM ledger_open WHERE request_id = ? AND attempt = ?"))
        || !insert.prepare(QStringLiteral(
            "INSERT INTO ledger (time_ms, day, request_id, attempt, client, task_type, rule, model, provider, provider_model, "
            "status, http_status, prompt_tokens, cached_tokens, completion_tokens, reasoning_tokens, cost_micros, currency, "
            "cost_estimated, latency_ms, ttft_ms, conversation, estimated_input_tokens, price_as_of) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"))) {
        *error = QCoreApplication::translate("Ledger", "Ledger rows were not saved: %1")
                     .arg((close.lastError().isValid() ? close : insert).lastError().text());
        return false;
    }
    for (const LedgerRow &r : rows) {
        close.bindValue(0, r.requestId);
        close.bindValue(1, r.attempt);
        const qint64 ms = r.time.toMSecsSinceEpoch();
        const QVariant values[] = {QVariant(ms), QVariant(ms / 86'400'000), text(r.requestId), QVariant(r.attempt),
                                   text(r.client), text(r.taskType), text(r.rule), text(r.model),
                                   text(r.provider), text(r.providerModel), text(r.status), QVariant(r.httpStatus),
                                   orNull(r.promptTokens), orNull(r.cachedTokens), orNull(r.completionTokens),
                                   orNull(r.reasoningTokens), orNull(r.costMicros), text(r.currency),
                                   QVariant(r.costEstimated ? 1 : 0), orNull(r.latencyMs), orNull(r.ttftMs),
                                   text(r.conversation), orNull(r.estimatedInputTokens),
                                   text(r.priceAsOf.toString(Qt::ISODate))};
        for (int i = 0; i < int(std::size(values)); ++i)
            insert.bindValue(i, values[i]);
        if (!close.exec() || !insert.exec()) {
            *error = QCoreApplication::translate("Ledger", "Ledger rows were not saved: %1")
                         .arg((close.lastError().isValid() ? close : insert).lastError().text());
            return false;
        }
    }
    return true;
}

// "WHERE …" for `filter`, and the values to bind in order.
QString whereClause(const Ledger::Filter &filter, QVariantList *binds)
{
    QStringList terms;
    if (filter.since.isValid()) {
        const qint64 ms = filter.since.toMSecsSinceEpoch();
        // The day bound lets an index on (day, …) start in the right place.
        terms << QStringLiteral("day >= ?") << QStringLiteral("time_ms >= ?");
        *binds << QVariant(ms >= 0 ? ms / 86'400'000 : (ms + 1) / 86'400'000 - 1) << QVariant(ms);
    }
    if (filter.until.isValid()) {
        const qint64 ms = filter.until.toMSecsSinceEpoch();
        terms << QStringLiteral("day <= ?") << QStringLiteral("time_ms < ?");
        *binds << QVariant(ms >= 0 ? ms / 86'400'000 : (ms + 1) / 86'400'000 - 1) << QVariant(ms);
    }
    const QList<std::pair<const char *, const QString *>> equal = {
        {"provider", &filter.provider}, {"model", &filter.model}, {"task_type", &filter.taskType}, {"client", &filter.client}};
    for (const auto &[column, value] : equal) {
        if (value->isEmpty())
            continue;
        terms << QLatin1String(column) + QLatin1String(" = ?");
        *binds << QVariant(*value);
    }
    return terms.isEmpty() ? QString() : QStringLiteral(" WHERE ") + terms.join(QLatin1String(" AND "));
}

QString csvField(const QString &s)
{
    if (!s.contains(QLatin1Char(',')) && !s.contains(QLatin1Char('"')) && !s.contains(QLatin1Char('\n')) && !s.contains(QLatin1Char('\r')))
        return s;
    QString quoted = s;
    quoted.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

} // namespace

Ledger::Ledger(Database *database, QObject *parent)
    : QObject(parent)
    , m_database(database)
{
}

Ledger::~Ledger()
{
    flush();
}

QStringList Ledger::exportColumns()
{
    return {QStringLiteral("time"), QStringLiteral("request_id"), QStringLiteral("attempt"), QStringLiteral("client"),
            QStringLiteral("task_type"), QStringLiteral("rule"), QStringLiteral("model"), QStringLiteral("provider"),
            QStringLiteral("provider_model"), QStringLiteral("status"), QStringLiteral("http_status"),
            QStringLiteral("prompt_tokens"), QStringLiteral("cached_tokens"), QStringLiteral("completion_tokens"),
            QStringLiteral("reasoning_tokens"), QStringLiteral("cost"), QStringLiteral("currency"),
            QStringLiteral("cost_estimated"), QStringLiteral("latency_ms"), QStringLiteral("ttft_ms"),
            QStringLiteral("conversation"), QStringLiteral("estimated_input_tokens"), QStringLiteral("price_as_of")};
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
    m_database->write([row](QSqlDatabase &db, QString *error) {
        QSqlQuery q(db);
        q.prepare(QStringLiteral("INSERT INTO ledger_open (request_id, attempt, time_ms, client, task_type, rule, model, provider, "
                                 "provider_model, conversation, estimated_input_tokens) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        for (const QVariant &v : {text(row.requestId), QVariant(row.attempt), QVariant(row.time.toMSecsSinceEpoch()),
                                  text(row.client), text(row.taskType), text(row.rule), text(row.model),
                                  text(row.provider), text(row.providerModel), text(row.conversation),
                                  orNull(row.estimatedInputTokens)})
            q.addBindValue(v);
        if (!q.exec()) {
            *error = q.lastError().text();
            return false;
        }
        return true;
    });
}

void Ledger::finished(const LedgerRow &row)
{
    // Rows finished in the same turn of the event loop go to the database as one job.
    m_pending.append(row);
    if (m_pending.size() == 1)
        QMetaObject::invokeMethod(this, &Ledger::flush, Qt::QueuedConnection);
}

void Ledger::flush()
{
    if (m_pending.isEmpty())
        return;
    m_database->write([rows = std::exchange(m_pending, {})](QSqlDatabase &db, QString *error) {
        return insertRows(db, rows, error);
    });
}

void Ledger::track(Dispatch *dispatch, const Context &context, const Config &config)
{
    struct State
    {
        Context context;
        Config config;
        QHash<int, QDateTime> startedAt;
    };
    auto state = std::make_shared<State>(State {context, config, {}});
    connect(dispatch, &Dispatch::attemptStarted, this, [this, state](const Attempt &a) {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        state->startedAt.insert(a.number, now);
        started(rowFor(a, state->context, state->config, now));
    });
    connect(dispatch, &Dispatch::attemptFinished, this, [this, state](const Attempt &a) {
        if (a.skipped)
            return;
        const QDateTime at = state->startedAt.take(a.number);
        finished(rowFor(a, state->context, state->config, at.isValid() ? at : QDateTime::currentDateTimeUtc()));
    });
}

void Ledger::recoverInterrupted()
{
    m_database->write([](QSqlDatabase &db, QString *error) {
        QSqlQuery q(db);
        const bool ok = q.exec(QStringLiteral(
                            "INSERT INTO ledger (time_ms, day, request_id, attempt, client, task_type, rule, model, provider, "
                            "provider_model, status, http_status, currency, cost_estimated, conversation, estimated_input_tokens, "
                            "price_as_of) SELECT time_ms, time_ms / 86400000, request_id, attempt, client, task_type, rule, model, "
                            "provider, provider_model, 'cancelled', 0, '', 0, conversation, estimated_input_tokens, '' "
                            "FROM ledger_open"))
                        && q.exec(QStringLiteral("DELETE FROM ledger_open"));
        if (!ok)
            *error = q.lastError().text();
        return ok;
    });
}

qint64 Ledger::exportRows(QSqlDatabase &db, const Filter &filter, Format format, QIODevice *out, QString *error)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    QVariantList binds;
    q.prepare(QStringLiteral("SELECT time_ms, request_id, attempt, client, task_type, rule, model, provider, provider_model, "
                             "status, http_status, prompt_tokens, cached_tokens, completion_tokens, reasoning_tokens, cost_micros, "
                             "currency, cost_estimated, latency_ms, ttft_ms, conversation, estimated_input_tokens, price_as_of "
                             "FROM ledger")
              + whereClause(filter, &binds) + QStringLiteral(" ORDER BY time_ms, id"));
    for (const QVariant &v : std::as_const(binds))
        q.addBindValue(v);
    if (!q.exec()) {
        *error = QCoreApplication::translate("Ledger", "Reading the ledger failed: %1").arg(q.lastError().text());
        return -1;
    }
    const QStringList columns = exportColumns();
    QByteArray buffer;
    auto flush = [&](bool force) {
        if (buffer.size() < (1 << 16) && !force)
            return true;
        const bool ok = out->write(buffer) == buffer.size();
        buffer.clear();
        return ok;
    };
    if (format == Format::Csv)
        buffer = "\xEF\xBB\xBF" + columns.join(QLatin1Char(',')).toUtf8() + "\r\n";   // the BOM lets Excel see UTF-8
    qint64 rows = 0;
    while (q.next()) {
        QStringList fields;
        fields.reserve(columns.size());
        auto number = [&](int i) { return q.value(i).isNull() ? QString() : QString::number(q.value(i).toLongLong()); };
        fields << QDateTime::fromMSecsSinceEpoch(q.value(0).toLongLong(), Qt::UTC).toString(Qt::ISODateWithMs);
        for (int i = 1; i <= 10; ++i)
            fields << (i == 2 || i == 10 ? number(i) : q.value(i).toString());
        for (int i = 11; i <= 14; ++i)
            fields << number(i);
        fields << (q.value(15).isNull() ? QString() : Money::formatMicros(q.value(15).toLongLong()));
        fields << q.value(16).toString();
        fields << (q.value(17).toInt() ? QStringLiteral("true") : QStringLiteral("false"));
        fields << number(18) << number(19) << q.value(20).toString() << number(21) << q.value(22).toString();
        if (format == Format::Csv) {
            for (QString &f : fields)
                f = csvField(f);
            buffer += fields.join(QLatin1Char(',')).toUtf8() + "\r\n";
        } else {
            QJsonObject o;
            for (int i = 0; i < columns.size(); ++i) {
                const QString &c = columns[i];
                const QString &v = fields[i];
                const bool numeric = c == u"attempt" || c == u"http_status" || c.endsWith(QLatin1String("_tokens"))
                                     || c.endsWith(QLatin1String("_ms"));
                if (c == u"cost_estimated")
                    o.insert(c, v == u"true");
                else if (v.isEmpty() && (numeric || c == u"cost"))
                    o.insert(c, QJsonValue::Null);
                else if (numeric)
                    o.insert(c, v.toLongLong());
                else
                    o.insert(c, v);   // cost stays a decimal string: exact, in its currency
            }
            buffer += QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
        }
        ++rows;
        if (!flush(false)) {
            *error = QCoreApplication::translate("Ledger", "Writing the export failed: %1").arg(out->errorString());
            return -1;
        }
    }
    if (!flush(true)) {
        *error = QCoreApplication::translate("Ledger", "Writing the export failed: %1").arg(out->errorString());
        return -1;
    }
    return rows;
}

QString Ledger::spendByDaySql(const Filter &filter)
{
    QVariantList binds;
    return QStringLiteral("SELECT day, model, currency, SUM(cost_micros), SUM(prompt_tokens), SUM(cached_tokens), "
                          "SUM(completion_tokens), COUNT(*) FROM ledger")
           + whereClause(filter, &binds) + QStringLiteral(" GROUP BY day, model, currency ORDER BY day, model, currency");
}

std::optional<QList<Ledger::DaySpend>> Ledger::spendByDay(QSqlDatabase &db, const Filter &filter, QString *error)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    QVariantList binds;
    whereClause(filter, &binds);
    q.prepare(spendByDaySql(filter));
    for (const QVariant &v : std::as_const(binds))
        q.addBindValue(v);
    if (!q.exec()) {
        *error = QCoreApplication::translate("Ledger", "Reading the ledger failed: %1").arg(q.lastError().text());
        return std::nullopt;
    }
    QList<DaySpend> out;
    while (q.next()) {
        DaySpend d;
        d.day = q.value(0).toLongLong();
        d.model = q.value(1).toString();
        d.currency = q.value(2).toString();
        d.costMicros = q.value(3).toLongLong();
        d.promptTokens = q.value(4).toLongLong();
        d.cachedTokens = q.value(5).toLongLong();
        d.completionTokens = q.value(6).toLongLong();
        d.attempts = q.value(7).toLongLong();
        out << d;
    }
    return out;
}
