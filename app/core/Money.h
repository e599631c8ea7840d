#pragma once

#include <QLocale>
#include <QMap>
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

// For people, not files: "$12.35", "¥0.0042", "EUR 3.10" in `locale`'s digits and grouping.
// Amounts of one unit or more show cents; smaller ones keep two significant digits, so a
// cheap call never reads as zero.
QString display(qint64 micros, QStringView currency, const QLocale &locale);
// Amounts in several currencies, each as billed: "$4.50 + ¥12.30"; "—" when there are none.
QString display(const QMap<QString, qint64> &byCurrency, const QLocale &locale);

} // namespace Money
