#pragma once

// Ledger rows put straight into a team ledger (TeamDatabase) as one member's, the way the outbox
// would have sent them: for tests and the team seeder, which need other members' rows without
// running their apps. Never app code: the app's rows go through TeamLink.
#include "Ledger.h"
#include "TeamDatabase.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>
#include <QVariant>

namespace TeamRows {

inline QVariant optional(qint64 v)
{
    return v >= 0 ? QVariant(v) : QVariant(QMetaType(QMetaType::LongLong));
}

inline QVariant text(const QString &s)
{
    return QVariant(s.isNull() ? QString(QLatin1String("")) : s);
}

// Inserts `rows` as `member`'s, in batches, each row's id its time × IdsPerMs plus its place.
// False with *error on the first failure.
inline bool insert(QSqlDatabase &db, const QString &member, const QList<LedgerRow> &rows, QString *error)
{
    const QStringList columns = TeamDatabase::ledgerColumns();
    QStringList marks;
    for (int i = 0; i < columns.size(); ++i)
        marks << QStringLiteral("?");
    const QString tuple = QLatin1Char('(') + marks.join(QLatin1Char(',')) + QLatin1Char(')');
    constexpr int Batch = 500;   // 29 values a row: well under PostgreSQL's 65,535 parameters
    for (qsizetype from = 0; from < rows.size(); from += Batch) {
        const qsizetype n = std::min<qsizetype>(Batch, rows.size() - from);
        QStringList tuples;
        for (qsizetype i = 0; i < n; ++i)
            tuples << tuple;
        QSqlQuery q(db);
        if (!q.prepare(QStringLiteral("INSERT INTO ledger (%1) VALUES %2 ON CONFLICT DO NOTHING")
                           .arg(columns.join(QLatin1Char(',')), tuples.join(QLatin1Char(','))))) {
            *error = q.lastError().text();
            return false;
        }
        int b = 0;
        for (qsizetype i = from; i < from + n; ++i) {
            const LedgerRow &r = rows[i];
            const qint64 ms = r.time.toMSecsSinceEpoch();
            const QVariantList values = {
                text(member), QVariant(ms * Ledger::IdsPerMs + i % Ledger::IdsPerMs), QVariant(ms),
                QVariant(Ledger::localDay(r.time)), text(r.requestId), QVariant(qint64(r.attempt)), text(r.client),
                text(r.taskType), text(r.rule), text(r.model), text(r.provider), text(r.providerModel), text(r.status),
                QVariant(qint64(r.httpStatus)), optional(r.promptTokens), optional(r.cachedTokens),
                optional(r.completionTokens), optional(r.reasoningTokens), optional(r.costMicros), text(r.currency),
                QVariant(qint64(r.costEstimated)), optional(r.latencyMs), optional(r.ttftMs), text(r.conversation),
                optional(r.estimatedInputTokens), text(r.priceAsOf.toString(Qt::ISODate)), text(r.dropped),
                optional(r.overheadUs), text(r.api)};
            for (const QVariant &v : values)
                q.bindValue(b++, v);
        }
        if (!q.exec()) {
            *error = q.lastError().text();
            return false;
        }
    }
    return true;
}

} // namespace TeamRows
