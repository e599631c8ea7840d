#include "Profile.h"

#include "PrivateFiles.h"

#include <QCoreApplication>
#include <QDir>
#include <QStandardPaths>

Profile::Profile(QString configDir, QString dataDir, bool custom)
    : m_configDir(std::move(configDir))
    , m_dataDir(std::move(dataDir))
    , m_custom(custom)
{
}

Profile Profile::resolve(const QString &cliDir)
{
    if (!cliDir.isEmpty())
        return inDirectory(cliDir);
    const QString fromEnv = qEnvironmentVariable("SWITCHYARD_PROFILE");
    if (!fromEnv.isEmpty())
        return inDirectory(fromEnv);
    return Profile(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation),
                   QStandardPaths::writableLocation(QStandardPaths::AppDataLocation), false);
}

Profile Profile::inDirectory(const QString &dir)
{
    const QString absolute = QDir::cleanPath(QDir(dir).absolutePath());
    return Profile(absolute, absolute, true);
}

QString Profile::configPath() const
{
    return m_configDir + QStringLiteral("/config.yaml");
}

QString Profile::databasePath() const
{
    return m_dataDir + QStringLiteral("/switchyard.sqlite3");
}

QString Profile::settingsPath() const
{
    return m_configDir + QStringLiteral("/settings.ini");
}

QString Profile::logDir() const
{
    return m_dataDir + QStringLiteral("/logs");
}

bool Profile::ensureExists(QString *error) const
{
    // Chat history, the ledger and settings live here: the folders are their user's alone (0700),
    // and what a looser umask or an older version left is tightened.
    for (const QString &dir : {m_configDir, m_dataDir, logDir()}) {
        if (!PrivateFiles::makeFolder(dir)) {
            if (error)
                *error = QCoreApplication::translate("Profile",
                                                     "Cannot create the profile folder %1. Check that "
                                                     "the disk is not full and that you may write there.")
                             .arg(QDir::toNativeSeparators(dir));
            return false;
        }
    }
    for (const QString &file : {configPath(), settingsPath()})
        PrivateFiles::tighten(file);
    return true;
}
