#include "PriceBook.h"

#include <QTimeZone>

namespace PriceBook {

bool isOffPeak(const OffPeak &offPeak, const QDateTime &when)
{
    const QTimeZone zone(offPeak.timeZone.toUtf8());
    const QDateTime local = zone.isValid() ? when.toTimeZone(zone) : when.toUTC();
    const int day = local.date().dayOfWeek();
    const QTime time = local.time();
    for (const OffPeakWindow &w : offPeak.windows) {
        if (!w.days.contains(day))
            continue;
        if (time >= w.from && (w.untilEndOfDay || time < w.to))
            return true;
    }
    return false;
}

PriceRates ratesFor(const Price &price, qint64 promptTokens, const QDateTime &when, bool *offPeak, qint64 *tierAbove)
{
    PriceRates rates = price.rates;
    qint64 tier = 0;
    for (const PriceTier &t : price.tiers) {
        if (promptTokens > t.aboveTokens) {
            rates = t.rates;
            tier = t.aboveTokens;
        }
    }
    const bool cheap = price.offPeak && isOffPeak(*price.offPeak, when);
    if (cheap)
        rates = price.offPeak->rates;
    if (offPeak)
        *offPeak = cheap;
    if (tierAbove)
        *tierAbove = cheap ? 0 : tier;
    return rates;
}

std::optional<Cost> cost(const Price &price, const Usage &usage, const QDateTime &when)
{
    if (!usage.isValid())
        return std::nullopt;
    const qint64 prompt = std::max<qint64>(usage.promptTokens, 0);
    const qint64 cached = std::clamp<qint64>(usage.cachedTokens, 0, prompt);
    const qint64 completion = std::max<qint64>(usage.completionTokens, 0);
    Cost c;
    c.currency = price.currency;
    c.priceAsOf = price.asOf;
    const PriceRates rates = ratesFor(price, prompt, when, &c.offPeak, &c.tierAbove);
    const qint64 cachedRate = rates.cachedInput >= 0 ? rates.cachedInput : rates.input;
    // A call that reasoned is billed at the thinking output rate where one is published.
    c.thinkingRate = rates.outputThinking >= 0 && usage.reasoningTokens > 0;
    const qint64 outputRate = c.thinkingRate ? rates.outputThinking : rates.output;
    // Rates are micro-units per 1M tokens: tokens × rate fits easily in 64 bits before dividing.
    const qint64 numerator = (prompt - cached) * rates.input + cached * cachedRate + completion * outputRate;
    c.micros = (numerator + 500'000) / 1'000'000;   // round half up to the micro-unit
    return c;
}

} // namespace PriceBook
