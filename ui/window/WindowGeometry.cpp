#include "WindowGeometry.h"

#include <algorithm>

namespace WindowGeometry {

namespace {

constexpr QSize Preferred(1100, 720);

int ninetyPercent(int length)
{
    return length * 9 / 10;
}

qint64 area(const QRect &r)
{
    return r.isEmpty() ? 0 : qint64(r.width()) * r.height();
}

// The least move along one axis that puts [start, start + length) inside [low, low + room).
int clampStart(int start, int length, int low, int room)
{
    return std::clamp(start, low, low + room - length);
}

} // namespace

QSize defaultSize(const QRect &available)
{
    if (available.isEmpty())
        return Preferred;
    return Preferred.boundedTo(QSize(ninetyPercent(available.width()), ninetyPercent(available.height())));
}

QRect fitOnScreen(const QRect &wanted, const QList<QRect> &screens, const QSize &minimum)
{
    if (screens.isEmpty() || wanted.isEmpty())
        return wanted;
    for (const QRect &screen : screens) {
        if (screen.contains(wanted))
            return wanted;
    }
    const auto mostly = std::max_element(screens.cbegin(), screens.cend(), [&wanted](const QRect &a, const QRect &b) {
        return area(a.intersected(wanted)) < area(b.intersected(wanted));
    });
    const bool onAScreen = area(mostly->intersected(wanted)) > 0;
    const QRect screen = onAScreen ? *mostly : screens.constFirst();

    QSize size = wanted.size();
    if (size.width() > screen.width())
        size.setWidth(ninetyPercent(screen.width()));
    if (size.height() > screen.height())
        size.setHeight(ninetyPercent(screen.height()));
    size = size.expandedTo(minimum.boundedTo(screen.size()));

    QRect fitted(QPoint(), size);
    if (!onAScreen) {
        fitted.moveCenter(screen.center());
        return fitted;
    }
    // A shrunk side is centred on that axis; a side that fits moves only as far as it must.
    const int x = size.width() != wanted.width() ? screen.x() + (screen.width() - size.width()) / 2
                                                 : clampStart(wanted.x(), size.width(), screen.x(), screen.width());
    const int y = size.height() != wanted.height() ? screen.y() + (screen.height() - size.height()) / 2
                                                   : clampStart(wanted.y(), size.height(), screen.y(), screen.height());
    fitted.moveTopLeft(QPoint(x, y));
    return fitted;
}

} // namespace WindowGeometry
