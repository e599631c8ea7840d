#pragma once

#include <QString>
#include <QStringView>

#include <optional>

// Money is an integer count of micro-units (1e-6) of one currency; never a double.
namespace Money {

inline constexpr qint64 MicrosPerUnit = 1'000'000;

// Parses a plain decimal such as "0.435", "12" or "0.000036" exactly. Up to six
// fractional digits are accepted; more would need rounding, which we refuse to do silently.
std::optional<qint64> parseMicros(QStringView text);

// "0.435000" -> "0.435"; always at least one fractional digit is dropped only when zero.
QString formatMicros(qint64 micros);

bool isCurrencyCode(QStringView code);

} // namespace Money
