#include "ServeCommand.h"

#include "AppSettings.h"
#include "ConfigStore.h"
#include "Database.h"
#include "Gateway.h"
#include "GatewayKeys.h"
#include "Ledger.h"
#include "NetworkSetup.h"
#include "Platform.h"
#include "SecretStore.h"
#include "TeamLink.h"

#include <QCoreApplication>
#include <QDir>
#include <QTextStream>

namespace ServeCommand {

int run(const Invocation &invocation, const Profile &profile)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QString error;
    if (!profile.ensureExists(&error)) {
        err << error << Qt::endl;
        return 1;
    }
    AppSettings settings(profile.settingsPath());
    const QString listen = invocation.listen.isEmpty() ? settings.gatewayListen() : invocation.listen;
    QHostAddress address;
    quint16 port = 0;
    if (!Gateway::parseListen(listen, &address, &port, &error)) {
        err << error << Qt::endl;
        return 2;
    }
    ConfigStore config(profile.configPath());
    if (!config.reload()) {
        err << QCoreApplication::translate("ServeCommand", "%1. Fix config.yaml first; the endpoint did not start.")
                   .arg(config.lastError())
            << Qt::endl;
        return 1;
    }
    config.setWatching(true);   // an edited config.yaml applies to the next request; a broken one is ignored
    // Proxies and extra certificates, for every call to a provider (NetworkPolicy).
    NetworkSetup::applySettings(settings);
    NetworkSetup::applyConfig(config.config(), profile.configDir());
    QObject::connect(&config, &ConfigStore::configChanged, &config,
                     [&config, &profile] { NetworkSetup::applyConfig(config.config(), profile.configDir()); });

    const std::unique_ptr<SecretStore> secrets = SecretStore::forProfile(profile);
    secrets->setCaching(true);
    Database database(profile.databasePath());
    Ledger ledger(&database);
    QObject::connect(&database, &Database::opened, &ledger, &Ledger::recoverInterrupted);
    QObject::connect(&database, &Database::openFailed, &database, [&err](const QString &why) {
        err << QCoreApplication::translate("ServeCommand", "The ledger cannot be written, so calls are not recorded: %1")
                   .arg(why)
            << Qt::endl;
    });
    QObject::connect(&database, &Database::writeFailed, &database, [&err](const QString &why) {
        err << why << Qt::endl;
    });
    // The team's outbox and rules (config.yaml `team:`); says on stderr when the team cannot be reached.
    TeamLink team(&config, secrets.get(), &database);
    QObject::connect(&team, &TeamLink::statusChanged, &team, [&team, &err, last = QString()]() mutable {
        const TeamLink::Status s = team.status();
        const bool trouble = s.state == TeamLink::Status::State::Unreachable || s.state == TeamLink::Status::State::Refused;
        const QString line = trouble ? QCoreApplication::translate("ServeCommand", "Team ledger: %1 (%n row(s) waiting)", nullptr,
                                                                   int(s.waiting))
                                           .arg(s.error)
                                     : QString();
        if (line != last && !line.isEmpty())
            err << line << Qt::endl;
        last = line;
    });
    database.open();

    GatewayKeys keys(secrets.get());
    keys.setClientNamesSource([&profile] { return AppSettings(profile.settingsPath()).gatewayClients(); });
    Gateway gateway(&config, secrets.get(), &keys, &ledger);
    gateway.setReasoningMemoryPath(QDir(profile.dataDir()).filePath(QStringLiteral("reasoning.sqlite")));
    gateway.setResponseStorePath(QDir(profile.dataDir()).filePath(QStringLiteral("responses.sqlite")));
    // The keys may load before the event loop runs (a key from the environment): leave through it.
    auto failStart = [&err](const QString &why) {
        err << why << Qt::endl;
        QMetaObject::invokeMethod(QCoreApplication::instance(), [] { QCoreApplication::exit(1); }, Qt::QueuedConnection);
    };
    keys.load(settings.gatewayClients(), [&](const QString &problem) {
        if (!problem.isEmpty()) {
            failStart(problem);
            return;
        }
        QString why;
        if (!gateway.listen(address, port, &why)) {
            failStart(why);
            return;
        }
        const QString warning = Gateway::exposureWarning(address);
        if (!warning.isEmpty())
            err << QCoreApplication::translate("ServeCommand", "Warning: %1").arg(warning) << Qt::endl;
        out << gateway.url().toString() << Qt::endl;
        err << (keys.mainKeyFromEnvironment()
                    ? QCoreApplication::translate("ServeCommand", "Clients authenticate with the key in %1.")
                          .arg(QLatin1String(GatewayKeys::EnvironmentVariable))
                    : QCoreApplication::translate("ServeCommand",
                                                  "Clients authenticate with the endpoint's key from the keychain (shown "
                                                  "in Settings → Endpoint); set %1 to choose it yourself.")
                          .arg(QLatin1String(GatewayKeys::EnvironmentVariable)))
            << Qt::endl;
    });
    Platform::onTerminationRequest(&gateway, [&gateway] {
        gateway.stop();
        QCoreApplication::quit();
    });
    return QCoreApplication::exec();
}

} // namespace ServeCommand
