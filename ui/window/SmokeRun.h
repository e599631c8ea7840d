#pragma once

#include <QString>

class MainWindow;

namespace SmokeRun {

// For CI and screenshots: once the window is shown and its startup checks are done (or 15 s
// passed), optionally save a picture of it, then quit with 0 if it was visible, 1 otherwise.
void arm(MainWindow *window, const QString &screenshotPath);

} // namespace SmokeRun
