#pragma once

#include "Config.h"
#include "Ledger.h"

#include <QDate>
#include <QMap>
#include <QObject>
#include <QSqlDatabase>
#include <QThread>

#include <atomic>
#include <functional>
#include <optional>

// What the dashboard shows for one period and filter, computed from the ledger: spend over time
// by model, spend by model and by task type, tokens, cache hits, timings, error and fallback
// rates, the costliest attempts, and the same period priced as if one model had served it all.
// Costs stay in their own currency; nothing is converted here.
struct LedgerReport
{
    enum class Granularity { Day, Week, Month };

    struct Query
    {
        QDate first;                  // local days, inclusive
        QDate last;
        Granularity granularity = Granularity::Day;
        Ledger::Filter filter;        // provider, model, task type, client (its times are set from the days)
        QString compareModel;         // price the period as if this model had served it; empty: none
        QDate today;                  // for the month's budgets; invalid: the current date
        // Read from the team ledger (TeamDatabase): every member's rows, a budget with a member is
        // that member's spend and one without is the team's. Otherwise this profile's own ledger,
        // where a budget set for another member than `self` is left out.
        bool team = false;
        QString self;                 // this profile's member name (config.yaml team.member)
    };

    // A budget and what this calendar month has spent against it, whatever the period and filters.
    struct BudgetStatus
    {
        Budget budget;
        qint64 spentMicros = 0;
        int percent() const { return budget.monthlyMicros > 0 ? int(spentMicros * 100 / budget.monthlyMicros) : 0; }
    };

    struct ModelLine
    {
        QString model;
        QString provider;
        QMap<QString, qint64> costMicros;   // by currency
        qint64 attempts = 0;
        qint64 errors = 0;
        qint64 stopped = 0;
        qint64 passedOver = 0;
        qint64 retries = 0;
        qint64 estimated = 0;
        qint64 promptTokens = 0;
        qint64 cachedTokens = 0;
        qint64 completionTokens = 0;
        qint64 ttftP50 = -1, ttftP95 = -1;
        double timingsSampledPercent = 100;   // below 100: from a sample of the period's answers (Ledger::Timings)
        qint64 totalP50 = -1, totalP95 = -1;
        qint64 sent() const { return attempts - passedOver; }
    };

    Query query;
    QList<QDate> buckets;                             // the first day of each bucket, in order
    QStringList currencies;                           // those that carry a cost, most spent first
    QMap<QString, QMap<QString, QList<qint64>>> spend;   // currency → model → micros per bucket
    QList<ModelLine> models;                          // most attempts first
    QMap<QString, QMap<QString, qint64>> byTask;      // task type → currency → micros
    QMap<QString, QMap<QString, QMap<QString, qint64>>> byTaskAndModel;   // task type → currency → model → micros
    QMap<QString, qint64> totalCost;                  // currency → micros
    qint64 attempts = 0;
    // Attempts that failed. An answer the user stopped (`cancelled`) is counted in `stopped` and one
    // passed over because its provider has no key (`no_key`, nothing sent) in `passedOver`: neither
    // is an error, and those passed over are left out of the rates (sent()).
    qint64 errors = 0;
    qint64 stopped = 0;
    qint64 passedOver = 0;
    qint64 retries = 0;                               // attempts after a request's first
    qint64 estimated = 0;
    qint64 unpriced = 0;
    qint64 promptTokens = 0;
    qint64 cachedTokens = 0;
    qint64 completionTokens = 0;
    qint64 reasoningTokens = 0;
    QMap<QString, QList<LedgerRow>> costliest;        // currency → dearest attempts first

    // The successful attempts of the period priced with compareModel's price (its currency).
    struct Comparison
    {
        QString model;
        QString currency;
        qint64 costMicros = 0;
        qint64 attempts = 0;          // attempts priced
    };
    std::optional<Comparison> comparison;

    QList<BudgetStatus> budgets;

    // The period's spend in the currency the user chose, at the rates they set: only when every
    // currency spent has a rate.
    std::optional<qint64> convertedTotal;
    QString convertedCurrency;
    QStringList unconvertible;        // currencies spent that have no rate

    Ledger::Dimensions dimensions;    // every provider, model, task type and client on record
    // Team scope only: every member on record, and each one's spend under the filters.
    QStringList members;
    QMap<QString, QMap<QString, qint64>> byMember;   // member → currency → micros

    qint64 requests() const { return attempts - retries; }
    qint64 sent() const { return attempts - passedOver; }
    bool isEmpty() const { return attempts == 0; }

    // The bucket that `day` falls in.
    static QDate bucketOf(QDate day, Granularity g);
    static QList<QDate> bucketsBetween(QDate first, QDate last, Granularity g);

    // Reads the ledger through `db` (any thread that owns it). On failure std::nullopt and *error.
    static std::optional<LedgerReport> build(QSqlDatabase &db, const Query &query, const Config &config, QString *error);
};

// Builds reports on a thread of its own with a read-only connection, so the window never waits
// on the disk. Only the newest request's answer is delivered.
class LedgerReader : public QObject
{
    Q_OBJECT

public:
    explicit LedgerReader(QString databasePath, QObject *parent = nullptr);
    // Opens the reader's connection, named `connectionName`, on the reader's thread (the team
    // ledger's QPSQL one): on failure std::nullopt and *error. A connection that failed a report is
    // dropped and opened again for the next, so a server that comes back is read again.
    using Opener = std::function<std::optional<QSqlDatabase>(const QString &connectionName, QString *error)>;
    explicit LedgerReader(Opener open, QObject *parent = nullptr);
    ~LedgerReader() override;

    // Answers with ready() or failed(), on this object's thread.
    void load(const LedgerReport::Query &query, const Config &config);
    // Runs `job` on the reader's thread with its connection (null, and why, when it cannot be
    // opened), then `done` on this object's thread.
    void run(std::function<void(QSqlDatabase *db, const QString &error)> job, std::function<void()> done);

signals:
    void ready(const LedgerReport &report);
    void failed(const QString &error);

private:
    class Worker;
    QThread m_thread;
    Worker *m_worker;
    std::atomic<int> m_generation {0};   // read on the worker's thread
};

// A period of the ledger routed again under other rules (the routing editor's draft) and priced
// with the tokens each call really used: what the bill would have been before switching. The
// ledger keeps each call's estimated input, task type, client and time; rules on has_image and
// has_document are judged from the task type, and message_count and model are unknown (0, auto).
struct LedgerReplay
{
    qint64 requests = 0;                  // successful calls replayed
    qint64 changed = 0;                   // calls the rules send to another model
    QMap<QString, qint64> actual;         // currency → what those calls cost
    QMap<QString, qint64> replayed;       // currency → what they would have cost
    qint64 actualUnpriced = 0;
    qint64 replayedUnpriced = 0;          // sent to a model with no price
    QMap<QString, qint64> requestsByModel;
    QStringList guessedVariables;         // variables the rules use that the ledger cannot know exactly

    static std::optional<LedgerReplay> run(QSqlDatabase &db, const Ledger::Filter &filter, const Config &rules, QString *error);
};
