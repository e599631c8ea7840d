#include "Money.h"

#include <QStringList>
#include <QtNumeric>

#include <algorithm>
#include <limits>

namespace Money {

std::optional<qint64> parseMicros(QStringView text)
{
    text = text.trimmed();
    if (text.isEmpty())
        return std::nullopt;
    bool negative = false;
    if (text.front() == u'-' || text.front() == u'+') {
        negative = text.front() == u'-';
        text = text.mid(1);
    }
    const qsizetype dot = text.indexOf(u'.');
    const QStringView whole = dot < 0 ? text : text.left(dot);
    const QStringView fraction = dot < 0 ? QStringView() : text.mid(dot + 1);
    if (whole.isEmpty() && fraction.isEmpty())
        return std::nullopt;
    if (fraction.size() > 6)
        return std::nullopt;

    // The magnitude in unsigned arithmetic, each step checked, so no input can wrap around; a
    // negative amount may reach one micro further than a positive one (qint64's minimum).
    quint64 units = 0;
    for (QChar c : whole) {
        if (!c.isDigit() || c.unicode() > u'9')
            return std::nullopt;
        if (qMulOverflow(units, quint64(10), &units) || qAddOverflow(units, quint64(c.unicode() - u'0'), &units))
            return std::nullopt;
    }
    quint64 micros = 0;
    quint64 scale = MicrosPerUnit / 10;
    for (QChar c : fraction) {
        if (!c.isDigit() || c.unicode() > u'9')
            return std::nullopt;
        micros += (c.unicode() - u'0') * scale;
        scale /= 10;
    }
    quint64 magnitude = 0;
    if (qMulOverflow(units, quint64(MicrosPerUnit), &magnitude) || qAddOverflow(magnitude, micros, &magnitude))
        return std::nullopt;
    constexpr quint64 maxPositive = quint64(std::numeric_limits<qint64>::max());
    if (magnitude > maxPositive + (negative ? 1 : 0))
        return std::nullopt;
    if (!negative)
        return qint64(magnitude);
    return magnitude == 0 ? 0 : -qint64(magnitude - 1) - 1;
}

QString formatMicros(qint64 micros)
{
    const bool negative = micros < 0;
    const quint64 magnitude = negative ? quint64(-(micros + 1)) + 1 : quint64(micros);
    QString fraction = QStringLiteral("%1").arg(magnitude % MicrosPerUnit, 6, 10, QLatin1Char('0'));
    while (fraction.size() > 1 && fraction.endsWith(QLatin1Char('0')))
        fraction.chop(1);
    return (negative ? QStringLiteral("-") : QString()) + QString::number(magnitude / MicrosPerUnit)
           + QLatin1Char('.') + fraction;
}

QString display(qint64 micros, QStringView currency, const QLocale &locale)
{
    const bool negative = micros < 0;
    const qint64 magnitude = negative ? -micros : micros;
    int decimals = 2;
    if (magnitude > 0 && magnitude < 10'000) {   // under a cent: two significant digits
        for (qint64 limit = 10'000; magnitude < limit && decimals < 6; limit /= 10)
            ++decimals;
        decimals = std::min(decimals + 1, 6);
    }
    qint64 scale = 1;
    for (int i = decimals; i < 6; ++i)
        scale *= 10;
    const qint64 rounded = (magnitude + scale / 2) / scale;   // in units of 10^-decimals
    qint64 unitScale = 1;
    for (int i = 0; i < decimals; ++i)
        unitScale *= 10;
    QString fraction = QString::number(rounded % unitScale).rightJustified(decimals, QLatin1Char('0'));
    QString number = locale.toString(rounded / unitScale) + locale.decimalPoint() + fraction;
    QString symbol;
    if (currency == u"USD")
        symbol = QStringLiteral("$");
    else if (currency == u"CNY")
        symbol = QStringLiteral("¥");
    else if (currency == u"EUR")
        symbol = QStringLiteral("€");
    else
        symbol = currency.toString() + QLatin1Char(' ');
    return (negative ? QStringLiteral("-") : QString()) + symbol + number;
}

QString display(const QMap<QString, qint64> &byCurrency, const QLocale &locale)
{
    QStringList parts;
    for (auto it = byCurrency.cbegin(); it != byCurrency.cend(); ++it)
        parts << display(it.value(), it.key(), locale);
    return parts.isEmpty() ? QStringLiteral("—") : parts.join(QStringLiteral(" + "));
}

bool isCurrencyCode(QStringView code)
{
    if (code.size() != 3)
        return false;
    for (QChar c : code) {
        if (c < u'A' || c > u'Z')
            return false;
    }
    return true;
}

} // namespace Money
