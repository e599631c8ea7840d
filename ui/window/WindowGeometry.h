#pragma once

#include <QList>
#include <QRect>

// Where the main window opens. A saved geometry may name a screen that is gone, a larger screen
// than the one there now, or a place left of or above every screen; the window must still open
// whole on a screen, with its title bar in reach.
namespace WindowGeometry {

// min(1100×720, 90% of the screen's available area).
QSize defaultSize(const QRect &available);

// `wanted` as it is when it fits on one of `screens` (available geometries, the primary first).
// Otherwise it goes to the screen it mostly covers (the primary when it covers none), each side
// too long for that screen becomes 90% of it (but not less than `minimum`, the window's own
// minimum), and it moves the least that puts it inside (a window on no screen is centred).
QRect fitOnScreen(const QRect &wanted, const QList<QRect> &screens, const QSize &minimum = {});

} // namespace WindowGeometry
