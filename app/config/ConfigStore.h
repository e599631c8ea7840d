#pragma once

#include "Config.h"
#include "ConfigLoader.h"

#include <QFileSystemWatcher>
#include <QObject>

// Holds the configuration in force. Reads config.yaml from the profile (or the built-in catalog
// when there is none), reloads it when the file changes, and keeps the last good configuration
// when an edit breaks it.
class ConfigStore : public QObject
{
    Q_OBJECT

public:
    enum class Source { BuiltInCatalog, File };

    explicit ConfigStore(QString configPath, QObject *parent = nullptr);

    // Loads now; returns false when config.yaml exists but has errors (the previous
    // configuration, or the catalog at first load, stays in force).
    bool reload();
    void setWatching(bool watch);
    // Writes `config` to config.yaml (checked by reading it back first) and puts it in force.
    // On failure returns false with a sentence in *error, and nothing changes.
    bool save(const Config &config, QString *error);

    const Config &config() const { return m_config; }
    Source source() const { return m_source; }
    QString path() const { return m_path; }
    // Empty when the last load succeeded.
    QString lastError() const { return m_lastError; }

    // The team's shared sections (ConfigLoader::parseWithTeam) laid over config.yaml from now on;
    // an empty `body` lifts them. `name` says whose they are in messages ("the team's rules,
    // version 12"). When the two do not fit together (a team model on a provider this machine
    // lacks), this machine's own configuration stays in force and teamError() says why.
    void setTeamRules(const QByteArray &body, const QString &name);
    bool hasTeamRules() const { return !m_teamBody.isEmpty(); }
    bool teamRulesInForce() const { return hasTeamRules() && m_teamError.isEmpty(); }
    QString teamError() const { return m_teamError; }
    // The team's rules let members keep their own rules ahead of the team's (`personal_routes`).
    bool personalRoutes() const { return m_personalRoutes; }
    // config.yaml alone, without the team's sections (what Settings edits for the other sections).
    const Config &localConfig() const { return m_localConfig; }
    QList<ConfigDiagnostic> lastDiagnostics() const { return m_lastDiagnostics; }

signals:
    void configChanged();
    void statusChanged();

private:
    void watchPath();

    QString m_path;
    Config m_config;
    Config m_localConfig;
    QByteArray m_teamBody;
    QString m_teamName;
    QString m_teamError;
    bool m_personalRoutes = false;
    Source m_source = Source::BuiltInCatalog;
    bool m_loadedOnce = false;
    QString m_lastError;
    QList<ConfigDiagnostic> m_lastDiagnostics;
    QFileSystemWatcher *m_watcher = nullptr;
};
