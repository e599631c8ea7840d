#include "ModelColors.h"

#include <algorithm>

namespace {

// Okabe and Ito's hues (blue, orange, bluish green, vermillion, sky blue, reddish purple, yellow),
// then the same hues a shade deeper; the dark-background table lifts each so it reads on grey.
constexpr QRgb lightPalette[] = {
    0x0072B2, 0xE69F00, 0x009E73, 0xD55E00, 0x56B4E9, 0xCC79A7, 0xC9B400,
    0x004E7A, 0xA86F00, 0x00654E, 0x943F00, 0x2C7FB8, 0x9C4A7A, 0x8C7E00,
};
constexpr QRgb darkPalette[] = {
    0x3D9BE0, 0xF2B33D, 0x2BC49A, 0xF07B33, 0x8FD0F5, 0xE3A3C8, 0xF0E442,
    0x1F6FA8, 0xC08A1E, 0x1C8F6F, 0xC25A1C, 0x5FA8D8, 0xB97399, 0xC4B82E,
};
constexpr int paletteSize = int(std::size(lightPalette));
static_assert(std::size(darkPalette) == std::size(lightPalette));

// FNV-1a over the name's UTF-8: unlike qHash, the same on every run, platform and Qt version.
int preferredSlot(const QString &model)
{
    quint32 h = 2166136261u;
    for (const char c : model.toUtf8()) {
        h ^= quint8(c);
        h *= 16777619u;
    }
    return int(h % quint32(paletteSize));
}

} // namespace

ModelColors::ModelColors(QStringList models)
{
    std::sort(models.begin(), models.end());
    models.erase(std::unique(models.begin(), models.end()), models.end());
    QList<bool> taken(paletteSize, false);
    int free = paletteSize;
    for (const QString &model : std::as_const(models)) {
        int slot = preferredSlot(model);
        if (free > 0) {   // the next free slot; once all are taken, models share
            while (taken[slot])
                slot = (slot + 1) % paletteSize;
            taken[slot] = true;
            --free;
        }
        m_slots.insert(model, slot);
    }
}

QColor ModelColors::color(const QString &model, bool dark) const
{
    const int slot = m_slots.value(model, preferredSlot(model));
    return QColor(dark ? darkPalette[slot] : lightPalette[slot]);
}

QColor ModelColors::otherColor(bool dark)
{
    return QColor(dark ? 0x9E9E9E : 0x8A8A8A);
}

int ModelColors::paletteSlots()
{
    return paletteSize;
}
