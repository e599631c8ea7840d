#include "Translations.h"

#include "EnglishPlurals.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace Translations {

QString install(QCoreApplication &app, const QString &language)
{
    const QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
    auto *ours = new QTranslator(&app);
    if (!ours->load(locale, QStringLiteral("switchyard"), QStringLiteral("_"), QStringLiteral(":/i18n"))) {
        delete ours;
        QCoreApplication::installTranslator(new EnglishPlurals(&app));   // "1 attempt", "2 attempts"
        return QStringLiteral("en");
    }
    QCoreApplication::installTranslator(ours);
    // QtKeychain's own error texts, which keychain messages quote.
    auto *keychain = new QTranslator(&app);
    if (keychain->load(locale, QStringLiteral("qtkeychain"), QStringLiteral("_"), QStringLiteral("/usr/share/qt6keychain/translations")))
        QCoreApplication::installTranslator(keychain);
    else
        delete keychain;
    auto *qt = new QTranslator(&app);
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    else
        delete qt;
    QLocale::setDefault(locale);
    return locale.name();
}

} // namespace Translations
