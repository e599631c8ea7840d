#pragma once

#include <QObject>

// The mouse wheel scrolls the page under it: a combo box or spin box that has not been clicked
// (has no focus) passes the wheel on to its page instead of changing its value as the page
// scrolls past. Installed once, on the application; it also gives such boxes Qt::StrongFocus, so
// a wheel never focuses them and a click or Tab does.
class WheelGuard : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;
    // Installs one guard on the application (again: nothing).
    static void install();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
};
