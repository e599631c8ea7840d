#include "SmokeRun.h"

#include "MainWindow.h"

#include <QCoreApplication>
#include <QPixmap>
#include <QTextStream>
#include <QTimer>
#include <QWindow>

namespace SmokeRun {

void arm(MainWindow *window, const QString &screenshotPath)
{
    auto finished = std::make_shared<bool>(false);
    auto finish = [window, screenshotPath, finished] {
        if (*finished)
            return;
        *finished = true;
        QTextStream err(stderr);
        const bool visible = window->isVisible() && window->windowHandle() && window->windowHandle()->isExposed();
        if (!visible) {
            err << "smoke: the main window was not shown" << Qt::endl;
            QCoreApplication::exit(1);
            return;
        }
        if (!window->startupChecksDone()) {
            err << "smoke: the startup checks (keychain, keys) did not finish" << Qt::endl;
            QCoreApplication::exit(1);
            return;
        }
        if (!screenshotPath.isEmpty() && !window->grab().save(screenshotPath)) {
            err << "smoke: cannot write " << screenshotPath << Qt::endl;
            QCoreApplication::exit(1);
            return;
        }
        QCoreApplication::exit(0);
    };
    // Let the last layout and paint happen before looking.
    auto settle = [window, finish] { QTimer::singleShot(150, window, finish); };
    QObject::connect(window, &MainWindow::startupChecksFinished, window, settle);
    if (window->startupChecksDone())
        settle();
    QTimer::singleShot(15000, window, finish);
}

} // namespace SmokeRun
