#pragma once

#include <QString>

// Where everything the app stores lives: config.yaml, the SQLite database, settings and logs.
// `--profile DIR` or SWITCHYARD_PROFILE puts all of it under DIR; otherwise the platform's
// standard locations are used. Secrets are never stored here.
class Profile
{
public:
    // cliDir wins over the environment, which wins over QStandardPaths.
    static Profile resolve(const QString &cliDir);
    static Profile inDirectory(const QString &dir);

    QString configDir() const { return m_configDir; }
    QString dataDir() const { return m_dataDir; }
    QString configPath() const;
    QString databasePath() const;
    QString settingsPath() const;
    QString logDir() const;
    bool isCustom() const { return m_custom; }

    // Creates the directories; on failure returns false with a sentence in *error.
    bool ensureExists(QString *error) const;

private:
    Profile(QString configDir, QString dataDir, bool custom);

    QString m_configDir;
    QString m_dataDir;
    bool m_custom = false;
};
