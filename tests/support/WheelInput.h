#pragma once

// A turn of the mouse wheel over a widget, delivered as the window system's would be: spontaneous,
// so that QApplication hands an ignored one on to the parent (as it does for real input, and as
// QTest's own mouse events are sent), `steps` notches up (negative: down).
#include <QApplication>
#include <QWheelEvent>
#include <QWidget>
#include <QtTest/qtestspontaneevent.h>

inline void wheel(QWidget *w, int steps)
{
    const QPointF pos = QRectF(w->rect()).center();
    QWheelEvent event(pos, w->mapToGlobal(pos), QPoint(), QPoint(0, 120 * steps), Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
    QSpontaneKeyEvent::setSpontaneous(&event);
    qApp->notify(w, &event);   // sendEvent() would make it not spontaneous
}
