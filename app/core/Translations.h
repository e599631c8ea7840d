#pragma once

#include <QString>

class QCoreApplication;

namespace Translations {

// Installs Switchyard's and Qt's own catalogues for `language` ("zh_CN", "en"); an empty
// language means the system's. Returns the language actually in use ("en" when none matched).
QString install(QCoreApplication &app, const QString &language);

} // namespace Translations
