#pragma once

#include <QList>
#include <QLocale>
#include <QStringList>

// The ticks of a money axis that starts at zero, worked out in micro-units so a fraction of a cent
// is as exact as a thousand dollars: a round step (1, 2 or 5 × 10^k micro-units), as many steps
// as reach the largest value, and labels with the decimals the step needs and no more, so
// neighbouring labels always differ (0.0005, 0.0010, … rather than 0.00, 0.00, …).
struct AxisTicks
{
    qint64 stepMicros = 1'000'000;
    int steps = 1;                    // the axis ends at stepMicros × steps
    int decimals = 0;

    qint64 maxMicros() const { return stepMicros * steps; }
    QList<qint64> values() const;     // 0, step, 2 × step, …
    QStringList labels(const QLocale &locale) const;

    // The smallest round step that reaches `maxMicros` in at most `maxSteps` steps.
    static AxisTicks forMicros(qint64 maxMicros, int maxSteps);
};

// Which of a category axis's labels to show: every `stride`-th one, counted back from the last
// (today, this week, this month), the smallest stride from `strides` whose labels fit `width`
// pixels side by side at `labelWidth` pixels each. QtCharts elides a label that does not fit
// its share of the axis to "…" rather than leaving some out.
int labelStride(int labels, qreal labelWidth, qreal width, const QList<int> &strides);
