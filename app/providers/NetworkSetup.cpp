#include "NetworkSetup.h"

#include "AppSettings.h"
#include "Config.h"
#include "NetworkPolicy.h"

void NetworkSetup::applyConfig(const Config &config)
{
    QHash<QString, NetworkPolicy::ProviderRoute> routes;
    for (const ProviderConfig &p : config.providers) {
        if (p.proxy.isEmpty() && p.caFile.isEmpty())
            continue;
        const NetworkPolicy::ProviderRoute route {p.proxy, p.caFile};
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
