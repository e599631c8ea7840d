#include "ConfigStore.h"

#include "ConfigWriter.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

ConfigStore::ConfigStore(QString configPath, QObject *parent)
    : QObject(parent)
    , m_path(std::move(configPath))
{
}

void ConfigStore::setTeamRules(const QByteArray &body, const QString &name)
{
    if (body == m_teamBody && name == m_teamName)
        return;
    m_teamBody = body;
    m_teamName = name;
    m_personalRoutes = ConfigLoader::teamAllowsPersonalRoutes(body);
    reload();
}

bool ConfigStore::reload()
{
    const bool exists = QFileInfo::exists(m_path);
    ConfigLoadResult result = exists ? ConfigLoader::loadFile(m_path) : ConfigLoader::parse(ConfigLoader::builtInCatalog());
    m_lastDiagnostics = result.diagnostics;
    if (result.ok())
        m_localConfig = *result.config;
    m_teamError.clear();
    if (result.ok() && !m_teamBody.isEmpty()) {
        QByteArray local = ConfigLoader::builtInCatalog();
        if (exists) {
            QFile file(m_path);
            if (file.open(QIODevice::ReadOnly))
                local = file.readAll();
        }
        ConfigLoadResult withTeam = ConfigLoader::parseWithTeam(local, m_teamBody, m_teamName);
        if (withTeam.ok()) {
            withTeam.config->team = result.config->team;
            result = std::move(withTeam);
        } else {
            m_teamError = withTeam.errorSummary(QString());
        }
    }

    if (!result.ok()) {
        if (!exists)   // only a broken build ships a broken catalog; a test guards it
            qFatal("The built-in catalog does not validate: %s", qPrintable(result.errorSummary(QStringLiteral("catalog"))));
        m_lastError = result.errorSummary(QDir::toNativeSeparators(m_path));
        if (!m_loadedOnce) {
            // Nothing good yet: run on the catalog while the file is fixed.
            const ConfigLoadResult catalog = ConfigLoader::parse(ConfigLoader::builtInCatalog());
            m_config = *catalog.config;
            m_source = Source::BuiltInCatalog;
            m_loadedOnce = true;
            emit configChanged();
        }
        emit statusChanged();
        return false;
    }

    m_config = std::move(*result.config);
    m_source = exists ? Source::File : Source::BuiltInCatalog;
    m_loadedOnce = true;
    m_lastError.clear();
    emit configChanged();
    emit statusChanged();
    return true;
}

void ConfigStore::setWatching(bool watch)
{
    if (!watch) {
        delete m_watcher;
        m_watcher = nullptr;
        return;
    }
    if (m_watcher)
        return;
    m_watcher = new QFileSystemWatcher(this);
    // Editors replace the file (write new, rename), so watch the folder too.
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, [this] {
        reload();
        watchPath();
    });
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, [this] {
        const bool exists = QFileInfo::exists(m_path);
        const bool watched = m_watcher->files().contains(m_path);
        if (exists != watched) {
            reload();
            watchPath();
        }
    });
    watchPath();
}

void ConfigStore::watchPath()
{
    if (!m_watcher)
        return;
    const QString dir = QFileInfo(m_path).absolutePath();
    if (!m_watcher->directories().contains(dir) && QFileInfo::exists(dir))
        m_watcher->addPath(dir);
    if (QFileInfo::exists(m_path)) {
        if (!m_watcher->files().contains(m_path))
            m_watcher->addPath(m_path);
    } else if (m_watcher->files().contains(m_path)) {
        m_watcher->removePath(m_path);
    }
}

bool ConfigStore::save(const Config &config, QString *error)
{
    const ConfigLoadResult check = ConfigLoader::parse(ConfigWriter::toYaml(config));
    if (!check.ok()) {
        *error = check.errorSummary(tr("the new configuration"));
        return false;
    }
    Config local = config;
    if (teamRulesInForce()) {
        // The shared sections are the team's, published to it (TeamRules); the file keeps its own.
        local.models = m_localConfig.models;
        local.routes = m_localConfig.routes;
        local.modelAliases = m_localConfig.modelAliases;
        local.fallback = m_localConfig.fallback;
        local.budgets = m_localConfig.budgets;
        local.currencyRates = m_localConfig.currencyRates;
        // The disabled stand-ins for team models' providers this machine lacks are the team's too.
        local.providers.removeIf([this](const ProviderConfig &p) {
            return !m_localConfig.provider(p.id) && p.baseUrl.host() == ConfigLoader::standInHost();
        });
        const ConfigLoadResult localCheck = ConfigLoader::parse(ConfigWriter::toYaml(local));
        if (!localCheck.ok()) {
            *error = localCheck.errorSummary(tr("this machine's configuration"));
            return false;
        }
    }
    if (!ConfigWriter::save(local, m_path, error))
        return false;
    reload();
    watchPath();
    return true;
}
