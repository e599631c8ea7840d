#include "LedgerReport.h"

#include "Database.h"
#include "PriceBook.h"
#include "StreamEvent.h"
#include "Router.h"

#include <QSqlDatabase>

#include <algorithm>

namespace {

Usage usageOf(const LedgerRow &r)
{
    Usage u;
    u.promptTokens = r.promptTokens;
    u.cachedTokens = r.cachedTokens;
    u.completionTokens = r.completionTokens;
    u.reasoningTokens = r.reasoningTokens;
    return u;
}

} // namespace

QDate LedgerReport::bucketOf(QDate day, Granularity g)
{
    switch (g) {
    case Granularity::Day:
        return day;
    case Granularity::Week:
        return day.addDays(1 - day.dayOfWeek());   // weeks start on Monday (ISO 8601)
    case Granularity::Month:
        return QDate(day.year(), day.month(), 1);
    }
    return day;
}

QList<QDate> LedgerReport::bucketsBetween(QDate first, QDate last, Granularity g)
{
    QList<QDate> out;
    for (QDate b = bucketOf(first, g); b.isValid() && b <= last;) {
        out << b;
        switch (g) {
        case Granularity::Day: b = b.addDays(1); break;
        case Granularity::Week: b = b.addDays(7); break;
        case Granularity::Month: b = b.addMonths(1); break;
        }
    }
    return out;
}

std::optional<LedgerReport> LedgerReport::build(QSqlDatabase &db, const Query &query, const Config &config, QString *error)
{
    LedgerReport r;
    r.query = query;
    Ledger::Filter filter = query.filter;
    const Ledger::Filter days = Ledger::Filter::forDays(query.first, query.last);
    filter.since = days.since;
    filter.until = days.until;
    r.query.filter = filter;
    r.buckets = bucketsBetween(query.first, query.last, query.granularity);

    const auto totals = Ledger::dayTotals(db, filter, error);
    if (!totals)
        return std::nullopt;
    QHash<QDate, int> bucketIndex;
    for (int i = 0; i < r.buckets.size(); ++i)
        bucketIndex.insert(r.buckets[i], i);
    // The counts the whole report and each model line both keep.
    auto addCounts = [](auto &to, const Ledger::DayTotal &t) {
        to.attempts += t.attempts;
        to.errors += t.errors;
        to.retries += t.retries;
        to.estimated += t.estimated;
        to.promptTokens += t.promptTokens;
        to.cachedTokens += t.cachedTokens;
        to.completionTokens += t.completionTokens;
    };
    QHash<QString, int> modelIndex;
    for (const Ledger::DayTotal &t : *totals) {
        addCounts(r, t);
        r.unpriced += t.unpriced;
        r.reasoningTokens += t.reasoningTokens;
        if (!modelIndex.contains(t.model)) {
            modelIndex.insert(t.model, int(r.models.size()));
            r.models.append(ModelLine {});
            r.models.last().model = t.model;
            r.models.last().provider = t.provider;
        }
        ModelLine &m = r.models[modelIndex.value(t.model)];
        addCounts(m, t);
        if (t.currency.isEmpty())
            continue;   // unpriced: tokens count, cost does not
        m.costMicros[t.currency] += t.costMicros;
        r.totalCost[t.currency] += t.costMicros;
        r.byTask[t.taskType][t.currency] += t.costMicros;
        r.byTaskAndModel[t.taskType][t.currency][t.model] += t.costMicros;
        QList<qint64> &series = r.spend[t.currency][t.model];
        if (series.isEmpty())
            series.fill(0, r.buckets.size());
        const int b = bucketIndex.value(bucketOf(Ledger::dateOfDay(t.day), query.granularity), -1);
        if (b >= 0)
            series[b] += t.costMicros;
    }
    r.currencies = r.totalCost.keys();
    std::sort(r.currencies.begin(), r.currencies.end(),
              [&r](const QString &a, const QString &b) { return r.totalCost.value(a) > r.totalCost.value(b); });
    std::stable_sort(r.models.begin(), r.models.end(),
                     [](const ModelLine &a, const ModelLine &b) { return a.attempts > b.attempts; });

    // The per-day totals count every status but ok as an error: take out the stopped answers and
    // the models passed over for want of a key.
    const QString stopped = errorClassName(ErrorClass::Cancelled);
    const QString noKey = errorClassName(ErrorClass::NoKey);
    const auto notErrors = Ledger::statusCounts(db, filter, {stopped, noKey}, error);
    if (!notErrors)
        return std::nullopt;
    for (const Ledger::StatusCount &c : *notErrors) {
        const bool isStop = c.status == stopped;
        (isStop ? r.stopped : r.passedOver) += c.attempts;
        r.errors -= c.attempts;
        for (ModelLine &m : r.models) {
            if (m.model == c.model) {
                (isStop ? m.stopped : m.passedOver) += c.attempts;
                m.errors -= c.attempts;
            }
        }
    }

    const auto timings = Ledger::timings(db, filter, error);
    if (!timings)
        return std::nullopt;
    for (const Ledger::Timings &t : *timings) {
        for (ModelLine &m : r.models) {
            if (m.model != t.model)
                continue;
            m.ttftP50 = Ledger::percentile(t.ttftMs, 0.5);
            m.ttftP95 = Ledger::percentile(t.ttftMs, 0.95);
            m.totalP50 = Ledger::percentile(t.totalMs, 0.5);
            m.totalP95 = Ledger::percentile(t.totalMs, 0.95);
            m.timingsSampledPercent = t.sampledPercent;
        }
    }

    for (const QString &currency : std::as_const(r.currencies)) {
        const auto top = Ledger::costliest(db, filter, currency, 10, error);
        if (!top)
            return std::nullopt;
        r.costliest.insert(currency, *top);
    }

    if (!query.compareModel.isEmpty()) {
        const ModelConfig *model = config.model(query.compareModel);
        if (model && model->price) {
            Comparison c;
            c.model = model->name;
            c.currency = model->price->currency;
            // Each call priced on its own: tiers depend on its input length, off-peak on its time.
            const bool ok = Ledger::forEachAnswer(db, filter, [&c, model](const LedgerRow &row) {
                if (const std::optional<Cost> cost = PriceBook::cost(*model->price, usageOf(row), row.time)) {
                    c.costMicros += cost->micros;
                    ++c.attempts;
                }
            }, error);
            if (!ok)
                return std::nullopt;
            r.comparison = c;
        }
    }

    if (!config.currencyRates.display.isEmpty() && !r.totalCost.isEmpty()) {
        qint64 total = 0;
        for (auto it = r.totalCost.cbegin(); it != r.totalCost.cend(); ++it) {
            if (const std::optional<qint64> v = config.currencyRates.convert(it.value(), it.key()))
                total += *v;
            else
                r.unconvertible << it.key();
        }
        r.convertedCurrency = config.currencyRates.display;
        if (r.unconvertible.isEmpty())
            r.convertedTotal = total;
    }

    if (!config.budgets.isEmpty()) {
        const QDate today = query.today.isValid() ? query.today : QDate::currentDate();
        const Ledger::Filter thisMonth = Ledger::Filter::forDays(QDate(today.year(), today.month(), 1), today);
        QHash<QString, QList<Ledger::DayTotal>> months;   // member (empty: everyone in the ledger read) → totals
        for (const Budget &b : config.budgets) {
            if (!query.team && !b.member.isEmpty() && b.member != query.self)
                continue;   // another member's: only the team's figures can say
            const QString member = query.team ? b.member : QString();
            if (!months.contains(member)) {
                Ledger::Filter f = thisMonth;
                f.member = member;
                const auto month = Ledger::dayTotals(db, f, error);
                if (!month)
                    return std::nullopt;
                months.insert(member, *month);
            }
            BudgetStatus status {b, 0};
            for (const Ledger::DayTotal &t : std::as_const(months[member])) {
                if (t.currency == b.currency && (b.provider.isEmpty() || t.provider == b.provider))
                    status.spentMicros += t.costMicros;
            }
            r.budgets << status;
        }
    }

    if (query.team) {
        const auto members = Ledger::members(db, error);
        if (!members)
            return std::nullopt;
        r.members = *members;
        const auto spend = Ledger::memberTotals(db, filter, error);
        if (!spend)
            return std::nullopt;
        for (const Ledger::MemberTotal &m : *spend) {
            if (!m.currency.isEmpty())
                r.byMember[m.member][m.currency] += m.costMicros;
        }
    }

    const auto dims = Ledger::dimensions(db, error);
    if (!dims)
        return std::nullopt;
    r.dimensions = *dims;
    return r;
}

// Owns the reader's connection on the reader's thread.
class LedgerReader::Worker : public QObject
{
public:
    explicit Worker(QString path)
        : m_path(std::move(path))
        , m_name(QStringLiteral("switchyard-reader-%1").arg(quintptr(this)))
    {
    }
    explicit Worker(Opener open)
        : m_open(std::move(open))
        , m_name(QStringLiteral("switchyard-reader-%1").arg(quintptr(this)))
    {
    }
    ~Worker() override
    {
        if (m_db) {
            m_db->close();
            m_db.reset();
        }
        QSqlDatabase::removeDatabase(m_name);
    }

    // The connection, opened on first use (the writer creates the schema; this waits for nothing).
    QSqlDatabase *db(QString *error)
    {
        if (!m_db)
            m_db = m_open ? m_open(m_name, error) : Database::openConnection(m_path, m_name, error);
        return m_db ? &*m_db : nullptr;
    }
    // After a failed report: a server's connection may be the cause, so the next one opens afresh.
    void dropRemote()
    {
        if (!m_open || !m_db)
            return;
        m_db->close();
        m_db.reset();
        QSqlDatabase::removeDatabase(m_name);
    }

private:
    Opener m_open;
    QString m_path;
    QString m_name;
    std::optional<QSqlDatabase> m_db;
};

LedgerReader::LedgerReader(QString databasePath, QObject *parent)
    : QObject(parent)
    , m_worker(new Worker(std::move(databasePath)))
{
    m_thread.setObjectName(QStringLiteral("switchyard-ledger-reader"));
    m_worker->moveToThread(&m_thread);
    m_thread.start();
}

LedgerReader::LedgerReader(Opener open, QObject *parent)
    : QObject(parent)
    , m_worker(new Worker(std::move(open)))
{
    m_thread.setObjectName(QStringLiteral("switchyard-team-reader"));
    m_worker->moveToThread(&m_thread);
    m_thread.start();
}

LedgerReader::~LedgerReader()
{
    QMetaObject::invokeMethod(m_worker, [w = m_worker] { delete w; }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void LedgerReader::load(const LedgerReport::Query &query, const Config &config)
{
    const int generation = ++m_generation;
    QMetaObject::invokeMethod(m_worker, [this, w = m_worker, query, config, generation] {
        if (generation != m_generation.load())   // a newer request is queued behind this one
            return;
        QString error;
        std::optional<LedgerReport> report;
        if (QSqlDatabase *db = w->db(&error)) {
            report = LedgerReport::build(*db, query, config, &error);
            if (!report)
                w->dropRemote();
        }
        QMetaObject::invokeMethod(this, [this, report = std::move(report), error, generation] {
            if (generation != m_generation.load())
                return;
            if (report)
                emit ready(*report);
            else
                emit failed(error);
        }, Qt::QueuedConnection);
    }, Qt::QueuedConnection);
}

void LedgerReader::run(std::function<void(QSqlDatabase *db, const QString &error)> job, std::function<void()> done)
{
    QMetaObject::invokeMethod(m_worker, [this, w = m_worker, job = std::move(job), done = std::move(done)] {
        QString error;
        QSqlDatabase *db = w->db(&error);
        job(db, error);
        QMetaObject::invokeMethod(this, done, Qt::QueuedConnection);
    }, Qt::QueuedConnection);
}

std::optional<LedgerReplay> LedgerReplay::run(QSqlDatabase &db, const Ledger::Filter &filter, const Config &rules, QString *error)
{
    LedgerReplay out;
    static const QStringList guessed = {QStringLiteral("has_image"), QStringLiteral("has_document"),
                                        QStringLiteral("message_count"), QStringLiteral("model")};
    for (const RouteConfig &route : rules.routes) {
        for (const QString &variable : guessed) {
            if (route.match.contains(variable) && !out.guessedVariables.contains(variable))
                out.guessedVariables << variable;
        }
    }
    const Router router(rules);
    static const char *const days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    const bool ok = Ledger::forEachAnswer(db, filter, [&](const LedgerRow &row) {
        // The request as the ledger remembers it.
        RequestFeatures f;
        f.contextLength = row.estimatedInputTokens >= 0 ? row.estimatedInputTokens : std::max<qint64>(row.promptTokens, 0);
        f.taskType = row.taskType;
        f.hasImage = row.taskType == u"vision";
        f.hasDocument = row.taskType == u"long_document";
        f.model = QStringLiteral("auto");
        const QDateTime local = row.time.toLocalTime();
        f.hour = local.time().hour();
        f.weekday = QLatin1String(days[local.date().dayOfWeek() - 1]);
        f.client = row.client;
        const RouteDecision d = router.decide(f);

        ++out.requests;
        if (row.costMicros >= 0 && !row.currency.isEmpty())
            out.actual[row.currency] += row.costMicros;
        else
            ++out.actualUnpriced;
        out.requestsByModel[d.model] += 1;
        if (d.model != row.model)
            ++out.changed;
        const ModelConfig *model = rules.model(d.model);
        const std::optional<Cost> cost = model && model->price ? PriceBook::cost(*model->price, usageOf(row), row.time)
                                                               : std::nullopt;
        if (cost)
            out.replayed[cost->currency] += cost->micros;
        else
            ++out.replayedUnpriced;
    }, error);
    if (!ok)
        return std::nullopt;
    return out;
}
