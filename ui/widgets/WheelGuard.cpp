#include "WheelGuard.h"

#include <QAbstractSpinBox>
#include <QApplication>
#include <QComboBox>
#include <QEvent>

namespace {

QWidget *guarded(QObject *o)
{
    if (auto *combo = qobject_cast<QComboBox *>(o))
        return combo;
    if (auto *spin = qobject_cast<QAbstractSpinBox *>(o))
        return spin;
    return nullptr;
}

} // namespace

void WheelGuard::install()
{
    if (qApp->findChild<WheelGuard *>(QString(), Qt::FindDirectChildrenOnly))
        return;
    qApp->installEventFilter(new WheelGuard(qApp));
}

bool WheelGuard::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() != QEvent::Wheel && event->type() != QEvent::Polish)
        return false;
    QWidget *box = guarded(watched);
    if (!box)
        return false;
    if (event->type() == QEvent::Polish) {
        if (box->focusPolicy() == Qt::WheelFocus)
            box->setFocusPolicy(Qt::StrongFocus);
        return false;
    }
    if (box->hasFocus())
        return false;
    // Ignored and filtered: QApplication hands the wheel on to the parent, up to the scroll area.
    event->ignore();
    return true;
}
