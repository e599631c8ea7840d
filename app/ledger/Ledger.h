#pragma once

#include "Config.h"
#include "StreamEvent.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

class AttemptJournal;
class Database;
class Dispatch;
class QIODevice;
class QSqlDatabase;
struct Attempt;

// One row of the cost ledger: one attempt (PRODUCT.md's export columns and a few more).
struct LedgerRow
{
    QDateTime time;               // UTC, when the attempt started
    QString requestId;
    int attempt = 1;
    QString client;
    QString taskType;
    QString rule;
    QString model;
    QString provider;
    QString providerModel;
    QString status;               // ok or an error class
    int httpStatus = 0;
    qint64 promptTokens = -1;     // -1: unknown
    qint64 cachedTokens = -1;
    qint64 completionTokens = -1;
    qint64 reasoningTokens = -1;
    qint64 costMicros = -1;       // -1: no price for this model
    QString currency;
    bool costEstimated = false;   // the provider sent no usage; tokens were estimated
    qint64 latencyMs = -1;
    qint64 ttftMs = -1;
    QString conversation;
    qint64 estimatedInputTokens = -1;
    QDate priceAsOf;
    QString dropped;              // the client's fields the provider could not take, comma-separated
    qint64 overheadUs = -1;       // time spent in Switchyard before the attempt's request left
    QString api = QStringLiteral("chat");   // the door it came through: chat, responses, messages, embeddings
};

// The ledger behind one class: rows are written off the GUI thread, batched, through Database,
// together with per-day totals that the dashboard reads. SQL kept portable between SQLite and
// PostgreSQL (the export takes a faster path on SQLite, timings() one on PostgreSQL).
//
// No attempt that may reach a provider goes unrecorded: before its request leaves, started() puts
// it in this process's AttemptJournal (in <database>-attempts/, beside it), synchronously, and
// its row's commit closes it there. A process killed or crashed leaves its journal unlocked, and
// the next Switchyard process on the profile (the window, `serve`, `export`) settles it at once:
// one `cancelled` row per attempt it left open, with the tokens and cost estimated from what had
// arrived (the provider may still bill it).
class Ledger : public QObject
{
    Q_OBJECT

public:
    struct Context
    {
        QString requestId;
        QString client;
        QString taskType;
        QString rule;
        QString conversation;
        qint64 estimatedInputTokens = -1;
        qint64 estimatedOutputTokens = -1;   // from the answer's text, used when usage is missing
        QString api = QStringLiteral("chat");   // the endpoint's door (LedgerRow::api); the window's calls are chat
    };

    explicit Ledger(Database *database, QObject *parent = nullptr);
    ~Ledger() override;

    // A row's id is its time in milliseconds × IdsPerMs plus its place among rows of that millisecond.
    static constexpr qint64 IdsPerMs = 1024;

    // Prices the attempt with the price in force at its time (a later price edit changes nothing).
    static LedgerRow rowFor(const Attempt &attempt, const Context &context, const Config &config, const QDateTime &started);

    // Journals the attempt before it is sent (one write(), here, on the calling thread), so a crash
    // or kill -9 from now on leaves a trace. Without a journal (its folder is not writable) the
    // attempt waits a quarter of a second, then goes to the database as an open row.
    void started(const LedgerRow &row);
    // What has arrived so far, as estimated tokens and cost in `row` (at most once a second).
    void progressed(const LedgerRow &row, qint64 elapsedMs);
    void finished(const LedgerRow &row);
    // Records every attempt `dispatch` sends: in the journal as it starts and while it streams, the
    // priced row as it ends.
    // Skipped models (cooling down, price guard, too small) were never sent and cost nothing, so
    // they are not rows. `config` is the one the request was routed with.
    void track(Dispatch *dispatch, const Context &context, const Config &config);
    // Turns attempts left open by a crash or a kill into `cancelled` rows, in one transaction: those
    // of every journal whose process is gone, at once (then the journal is deleted), and the open
    // rows older versions wrote, once they are 31 minutes old (younger ones may still be running in
    // an older process on the same profile). An attempt already in the ledger is never added twice.
    // Call once the database is open; it looks again every 10 minutes after that.
    void recoverInterrupted();
    // The same on a connection of the caller's (the command line's, before an export): returns the
    // rows added, or -1 with *error set.
    static qint64 settleInterrupted(QSqlDatabase &db, const QString &databasePath, QString *error);
    // Where the attempt journals of the profile whose database is `databasePath` live.
    static QString journalDirectory(const QString &databasePath);
    QString journalPath() const;   // this process's; empty without one
    // Hands rows finished so far to the database now rather than on the next turn of the event loop.
    void flush();

    // The local calendar day of `time`, as days since 1970-01-01: how rows are grouped by day.
    static qint64 localDay(const QDateTime &time);
    static QDate dateOfDay(qint64 day) { return QDate(1970, 1, 1).addDays(day); }

    // What the export and the dashboard look at; an empty field matches everything. The
    // dashboard's periods are whole local days: forDays() builds one.
    struct Filter
    {
        QDateTime since;   // inclusive; invalid = open
        QDateTime until;   // exclusive; invalid = open
        QString provider;
        QString model;
        QString taskType;
        QString client;
        QString api;
        QString member;    // the team ledger's (TeamDatabase) only: one member's rows
        static Filter forDays(QDate first, QDate last);   // local midnight to local midnight
    };

    enum class Format { Csv, Jsonl };
    // Streams the rows to `out`, calling `progress` (rows written so far) now and then: when it
    // returns false the export stops. Returns the number of rows, or -1 with *error set.
    // `team`: `db` is the team ledger (TeamDatabase): every member's rows, with a last `member` column.
    static qint64 exportRows(QSqlDatabase &db, const Filter &filter, Format format, QIODevice *out, QString *error,
                             const std::function<bool(qint64 rows)> &progress = {}, bool team = false);
    static qint64 countRows(QSqlDatabase &db, const Filter &filter, QString *error);
    static QStringList exportColumns();

    // Totals of one model on one local day, for one currency, provider and task type.
    struct DayTotal
    {
        qint64 day = 0;
        QString model;
        QString currency;             // empty: the model had no price
        QString provider;
        QString taskType;
        qint64 attempts = 0;
        qint64 retries = 0;
        qint64 errors = 0;
        qint64 estimated = 0;
        qint64 unpriced = 0;
        qint64 costMicros = 0;
        qint64 promptTokens = 0;
        qint64 cachedTokens = 0;
        qint64 completionTokens = 0;
        qint64 reasoningTokens = 0;
        bool operator==(const DayTotal &) const = default;
    };
    // The dashboard's main aggregate, read from the per-day totals in their key's order (no sort).
    // Uses the filter's days, so give it a forDays() filter.
    static std::optional<QList<DayTotal>> dayTotals(QSqlDatabase &db, const Filter &filter, QString *error);
    // For EXPLAIN in the benchmarks. `days`: the team ledger's ledger_days, the totals without a
    // member, client or door (TeamDatabase schema 3), for a filter on none of those.
    static QString dayTotalsSql(const Filter &filter, bool days = false);

    // Time to first token and total time of the successful attempts, per model, in milliseconds.
    struct Timings
    {
        QString model;
        QList<qint64> ttftMs;         // sorted
        QList<qint64> totalMs;        // sorted
        // 100: every answer. Less: the answers on that share of the table's pages, a sample taken
        // on PostgreSQL when the period holds more than TimingsSampleAbove answers.
        double sampledPercent = 100;
    };
    static constexpr double TimingsSampleAbove = 300'000;
    static std::optional<QList<Timings>> timings(QSqlDatabase &db, const Filter &filter, QString *error);
    // The value at fraction `p` (0.5 = median) of a sorted list, by nearest rank; -1 when empty.
    static qint64 percentile(const QList<qint64> &sorted, double p);

    // How many attempts of each model ended with one of `statuses` (per model, then status). The
    // per-day totals count every status but ok as an error; the dashboard asks for those that are not.
    struct StatusCount
    {
        QString model;
        QString status;
        qint64 attempts = 0;
    };
    static std::optional<QList<StatusCount>> statusCounts(QSqlDatabase &db, const Filter &filter, const QStringList &statuses,
                                                          QString *error);

    // The most expensive attempts, dearest first, within one currency.
    static std::optional<QList<LedgerRow>> costliest(QSqlDatabase &db, const Filter &filter, const QString &currency,
                                                     int limit, QString *error);

    // Every successful attempt, oldest first, with what pricing or routing it again needs: time,
    // model, provider, task type, client, estimated input, tokens, cost and currency.
    static bool forEachAnswer(QSqlDatabase &db, const Filter &filter, const std::function<void(const LedgerRow &row)> &f,
                              QString *error);

    // The team ledger's (TeamDatabase) only: each member's attempts and spend in each currency, and
    // every member on record, from the per-day totals.
    struct MemberTotal
    {
        QString member;
        QString currency;             // empty: unpriced
        qint64 attempts = 0;
        qint64 costMicros = 0;
    };
    static std::optional<QList<MemberTotal>> memberTotals(QSqlDatabase &db, const Filter &filter, QString *error);
    static std::optional<QStringList> members(QSqlDatabase &db, QString *error);

    // Every value a filter field has taken: providers, models, task types, clients.
    struct Dimensions
    {
        QStringList providers;
        QStringList models;
        QStringList taskTypes;
        QStringList clients;
        QStringList apis;
    };
    static std::optional<Dimensions> dimensions(QSqlDatabase &db, QString *error);

private:
    Database *m_database;
    std::unique_ptr<AttemptJournal> m_journal;   // null or closed: open rows go to the database
    static constexpr int OpenRowDelayMs = 250;
    // An open row this old cannot be an attempt still running: ProviderCall's hard ceiling is 30 min.
    static constexpr qint64 InterruptedAfterMs = 31 * 60'000;
    static constexpr int RecoverEveryMs = 10 * 60'000;
    static constexpr int ProgressEveryMs = 1000;
    QTimer m_recoverTimer;
    static constexpr int RowBatchMs = 5;
    QTimer m_openTimer;
    QTimer m_rowsTimer;
    QList<LedgerRow> m_pending;       // finished, to be written
    QList<LedgerRow> m_pendingOpen;   // started, to be written as open
};
