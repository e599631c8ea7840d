#pragma once

#include <QColor>
#include <QHash>
#include <QStringList>

// One colour per model, the same in every chart, under any filter and after a restart. A model's
// colour comes from a hash of its name into a fixed palette that colour-blind readers can tell
// apart (Okabe and Ito's seven hues, each in two shades), drawn lighter on a dark background.
// Two models that hash to the same slot are settled in the sorted order of every model known
// (the ledger's and the configuration's), never in the order a filtered report lists them.
class ModelColors
{
public:
    ModelColors() = default;
    explicit ModelColors(QStringList models);

    QColor color(const QString &model, bool dark) const;
    static QColor otherColor(bool dark);   // "Other models", a neutral grey
    static int paletteSlots();   // distinct colours before models share one

private:
    QHash<QString, int> m_slots;
};
