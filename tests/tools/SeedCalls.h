#pragma once

// A month of synthetic calls as a small team's member makes them, routed by the seed rules with
// some fallbacks, priced by the real PriceBook from `catalog`: for screenshots and trying the
// dashboard by hand (switchyard-seed-ledger, switchyard-seed-team). Never part of the app.
#include "Config.h"
#include "Dispatch.h"
#include "Ledger.h"

#include <QRandomGenerator>

// `days` days back from today, about `perDay` calls a weekday (a third of that at weekends);
// request ids are `prefix` and a number.
inline QList<LedgerRow> seedCalls(const Config &catalog, int days, int perDay, QRandomGenerator &rng,
                                  const QString &prefix = QStringLiteral("seed-"))
{
    // What a small team sends: routed by the seed rules, with some fallbacks.
    struct Mix
    {
        const char *model;
        const char *task;
        int weight;
        int prompt;      // typical input tokens
        int completion;
    };
    const Mix mix[] = {
        {"deepseek-v4-pro", "chat", 40, 3000, 700},  {"deepseek-v4-pro", "code", 25, 9000, 1500},
        {"deepseek-flash", "chat", 15, 1500, 400},   {"kimi-2.6", "long_document", 8, 110000, 1800},
        {"qwen3-235b", "reasoning", 8, 4000, 5000},  {"minimax-2.7", "vision", 4, 6000, 600},
    };
    int totalWeight = 0;
    for (const Mix &m : mix)
        totalWeight += m.weight;

    QList<LedgerRow> rows;
    const QDate today = QDate::currentDate();
    int n = 0;
    for (int d = days - 1; d >= 0; --d) {
        const QDate date = today.addDays(-d);
        const bool weekend = date.dayOfWeek() >= 6;
        const int calls = weekend ? perDay / 3 : perDay + int(rng.bounded(perDay / 2 + 1));
        for (int c = 0; c < calls; ++c) {
            int pick = int(rng.bounded(totalWeight));
            const Mix *m = mix;
            while (pick >= m->weight)
                pick -= (m++)->weight;
            const ModelConfig *model = catalog.model(QString::fromLatin1(m->model));
            if (!model)
                continue;
            const QDateTime when(date, QTime(8 + int(rng.bounded(12)), int(rng.bounded(60)), int(rng.bounded(60))));
            Ledger::Context ctx;
            ctx.requestId = prefix + QString::number(++n);
            ctx.client = rng.bounded(4) ? QStringLiteral("window") : QStringLiteral("nightly-report");
            if (ctx.client != u"window")   // the endpoint's calls come through its doors
                ctx.api = rng.bounded(3) == 0 ? QStringLiteral("messages") : rng.bounded(2) ? QStringLiteral("responses") : QStringLiteral("chat");
            ctx.taskType = QLatin1String(m->task);
            ctx.rule = m->task == QByteArrayView("long_document") ? QStringLiteral("long-docs")
                       : m->task == QByteArrayView("reasoning")   ? QStringLiteral("reasoning")
                                                                   : QStringLiteral("default");
            ctx.conversation = prefix + QStringLiteral("conversation-%1").arg(n / 6);
            ctx.estimatedInputTokens = m->prompt;
            int attempt = 1;
            if (rng.bounded(25) == 0) {   // rate-limited first, then served by the fallback
                Attempt limited;
                limited.number = attempt++;
                limited.model = model->name;
                limited.provider = model->provider;
                limited.providerModel = model->id;
                limited.result.httpStatus = 429;
                limited.result.error = ProviderError {};
                limited.result.error->errorClass = ErrorClass::RateLimit;
                limited.result.totalMs = 300;
                rows << Ledger::rowFor(limited, ctx, catalog, when.toUTC());
                model = catalog.model(u"deepseek-flash");
            }
            Attempt a;
            a.number = attempt;
            a.model = model->name;
            a.provider = model->provider;
            a.providerModel = model->id;
            a.result.httpStatus = 200;
            a.result.content = QStringLiteral("…");
            const double scale = 0.4 + rng.generateDouble() * 1.2;
            a.result.usage.promptTokens = qint64(m->prompt * scale);
            a.result.usage.cachedTokens = qint64(a.result.usage.promptTokens * rng.generateDouble() * 0.6);
            a.result.usage.completionTokens = qint64(m->completion * (0.5 + rng.generateDouble()));
            a.result.usage.reasoningTokens = m->task == QByteArrayView("reasoning") ? a.result.usage.completionTokens * 3 / 4 : 0;
            a.result.ttftMs = 250 + int(rng.bounded(900)) + (m->task == QByteArrayView("reasoning") ? 2500 : 0);
            a.result.totalMs = a.result.ttftMs + a.result.usage.completionTokens * (8 + int(rng.bounded(12)));
            rows << Ledger::rowFor(a, ctx, catalog, when.addMSecs(400).toUTC());
        }
    }

    return rows;
}
