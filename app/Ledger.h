#pragma once

#include "Config.h"
#include "StreamEvent.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QObject>

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
};

// The ledger behind one class: rows are written off the GUI thread, batched, through Database.
// SQL kept portable between SQLite and PostgreSQL.
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
    };

    explicit Ledger(Database *database, QObject *parent = nullptr);
    ~Ledger() override;

    // Prices the attempt with the price in force at its time (a later price edit changes nothing).
    static LedgerRow rowFor(const Attempt &attempt, const Context &context, const Config &config, const QDateTime &started);

    void started(const LedgerRow &row);   // remembered until finished(), so a crash leaves a trace
    void finished(const LedgerRow &row);
    // Records every attempt `dispatch` sends: an open row as it starts, the priced row as it ends.
    // Skipped models (cooling down, price guard, too small) were never sent and cost nothing, so
    // they are not rows. `config` is the one the request was routed with.
    void track(Dispatch *dispatch, const Context &context, const Config &config);
    // Turns attempts left open by a crash or a kill into `cancelled` rows. Call once at start.
    void recoverInterrupted();

    // What the export and the dashboard look at; an empty field matches everything.
    struct Filter
    {
        QDateTime since;   // inclusive; invalid = open
        QDateTime until;   // exclusive; invalid = open
        QString provider;
        QString model;
        QString taskType;
        QString client;
    };
    // Spend of one model on one UTC day, in one currency.
    struct DaySpend
    {
        qint64 day = 0;             // UTC days since the epoch
        QString model;
        QString currency;           // empty: the model had no price
        qint64 costMicros = 0;
        qint64 promptTokens = 0;
        qint64 cachedTokens = 0;
        qint64 completionTokens = 0;
        qint64 attempts = 0;
        bool operator==(const DaySpend &) const = default;
    };
    // The dashboard's main aggregate, walked in the order of an index that covers it.
    static std::optional<QList<DaySpend>> spendByDay(QSqlDatabase &db, const Filter &filter, QString *error);
    static QString spendByDaySql(const Filter &filter);   // for EXPLAIN QUERY PLAN in the benchmark
    enum class Format { Csv, Jsonl };
    // Streams the rows to `out`; returns the number of rows or -1 with *error set.
    static qint64 exportRows(QSqlDatabase &db, const Filter &filter, Format format, QIODevice *out, QString *error);
    static QStringList exportColumns();

    // Hands rows finished so far to the database now rather than on the next turn of the event loop.
    void flush();

private:
    Database *m_database;
    QList<LedgerRow> m_pending;
};
