#include "AxisTicks.h"

#include "Money.h"

#include <QtMath>

QList<qint64> AxisTicks::values() const
{
    QList<qint64> out;
    for (int i = 0; i <= steps; ++i)
        out << stepMicros * i;
    return out;
}

QStringList AxisTicks::labels(const QLocale &locale) const
{
    QStringList out;
    for (qint64 v : values())
        out << locale.toString(double(v) / double(Money::MicrosPerUnit), 'f', decimals);
    return out;
}

AxisTicks AxisTicks::forMicros(qint64 maxMicros, int maxSteps)
{
    AxisTicks t;
    maxSteps = std::max(maxSteps, 1);
    if (maxMicros <= 0)
        return t;   // nothing spent: 0 to 1
    int digits = 0;   // of Money::MicrosPerUnit: 6
    for (qint64 m = Money::MicrosPerUnit; m > 1; m /= 10)
        ++digits;
    qint64 power = 1;
    for (int k = 0; k < 18; ++k, power *= 10) {   // 5 × 10^17 micro-units is past any bill
        for (const qint64 mantissa : {1, 2, 5}) {
            const qint64 step = mantissa * power;
            const qint64 steps = (maxMicros + step - 1) / step;
            if (steps <= maxSteps) {
                t.stepMicros = step;
                t.steps = int(steps);
                t.decimals = std::max(0, digits - k);
                return t;
            }
        }
    }
    t.stepMicros = maxMicros;
    return t;
}

int labelStride(int labels, qreal labelWidth, qreal width, const QList<int> &strides)
{
    for (const int stride : strides) {
        const int shown = (labels + stride - 1) / stride;
        // QtCharts gives each label the axis's width over the labels plus one.
        if (width / qreal(shown + 1) >= labelWidth)
            return stride;
    }
    return strides.isEmpty() ? 1 : strides.last();
}
