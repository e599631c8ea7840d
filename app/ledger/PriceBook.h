#pragma once

#include "Config.h"
#include "StreamEvent.h"

#include <QDateTime>

#include <optional>

// What one call cost, in integer micro-units of the price's currency (never a double).
struct Cost
{
    qint64 micros = 0;
    QString currency;
    bool offPeak = false;      // off-peak rates applied
    qint64 tierAbove = 0;      // the input-length tier applied (0: base rates)
    bool thinkingRate = false; // the thinking output rate applied
    QDate priceAsOf;           // the date of the prices used
};

// Prices a call from the usage the provider reported (or estimated tokens), with every dimension
// config.yaml can express: cache hit and miss, input-length tiers, off-peak windows in the
// provider's time zone, and thinking vs non-thinking output.
namespace PriceBook {

// Rates in force for a request of `promptTokens` input tokens made at `when`.
PriceRates ratesFor(const Price &price, qint64 promptTokens, const QDateTime &when, bool *offPeak = nullptr,
                    qint64 *tierAbove = nullptr);
bool isOffPeak(const OffPeak &offPeak, const QDateTime &when);
// std::nullopt when the usage has no token counts at all.
std::optional<Cost> cost(const Price &price, const Usage &usage, const QDateTime &when);

} // namespace PriceBook
