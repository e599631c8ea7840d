#include "NetworkSetup.h"

#include "AppSettings.h"
#include "Config.h"
#include "NetworkPolicy.h"

#include <QDir>

void NetworkSetup::applyConfig(const Config &config, const QString &configDir)
{
    QHash<QString, NetworkPolicy::ProviderRoute> routes;
    for (const ProviderConfig &p : config.providers) {
        if (p.proxy.isEmpty() && p.caFile.isEmpty())
            continue;
        QString caFile = p.caFile;
        if (!caFile.isEmpty() && QDir::isRelativePath(caFile) && !configDir.isEmpty())
            caFile = QDir(configDir).filePath(caFile);
        const NetworkPolicy::ProviderRoute route {p.proxy, caFile};
        routes.insert(NetworkPolicy::originOf(p.baseUrl), route);
        for (const ProviderRegion &r : p.regions)
            routes.insert(NetworkPolicy::originOf(r.baseUrl), route);
    }
    NetworkPolicy::instance().setProviderRoutes(routes);
}

void NetworkSetup::applySettings(const AppSettings &settings)
{
    const QString mode = settings.proxyMode();
    NetworkPolicy::instance().setMode(mode == u"none"     ? NetworkPolicy::Mode::None
                                      : mode == u"manual" ? NetworkPolicy::Mode::Manual
                                                          : NetworkPolicy::Mode::System,
                                      settings.manualProxy());
    NetworkPolicy::instance().setCaFile(settings.caFile());
}
