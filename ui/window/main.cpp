// The window: wires the engine (app/) to the widgets (ui/); no logic of its own. The `switchyard`
// command (main.cpp) starts this program when no command is given, so that the commands, `serve`
// above all, never load Qt Gui or Widgets.
#include "AppSettings.h"
#include "CommandLine.h"
#include "ConfigStore.h"
#include "Database.h"
#include "Gateway.h"
#include "GatewayKeys.h"
#include "KeyStatus.h"
#include "Ledger.h"
#include "MainWindow.h"
#include "NetworkPolicy.h"
#include "NetworkSetup.h"
#include "Platform.h"
#include "Profile.h"
#include "SecretStore.h"
#include "SmokeRun.h"
#include "TeamLink.h"
#include "Theme.h"
#include "Translations.h"

#include <QDir>
#include <QApplication>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QTextStream>

namespace {

void nameApplication()
{
    QCoreApplication::setApplicationName(QStringLiteral("switchyard"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SWITCHYARD_VERSION_STRING));
}

} // namespace

int main(int argc, char *argv[])
{
    Platform::restrictNewFiles();   // the profile holds chat history and the ledger: 0600 and 0700
    QApplication app(argc, argv);
    nameApplication();
    QGuiApplication::setApplicationDisplayName(QStringLiteral("Switchyard"));
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.switchyard.Switchyard"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/switchyard.svg")));
    new Theme(&app);   // light or dark, as the desktop says
    const Invocation invocation = CommandLine::parse(QCoreApplication::arguments());
    Translations::install(app, invocation.language);
    if (!invocation.error.isEmpty()) {
        QTextStream(stderr) << invocation.error << Qt::endl;
        return 2;
    }

    const Profile profile = Profile::resolve(invocation.profileDir);
    QString error;
    if (!profile.ensureExists(&error)) {
        QTextStream(stderr) << error << Qt::endl;
        if (!invocation.smoke && invocation.screenshotPath.isEmpty())
            QMessageBox::critical(nullptr, QStringLiteral("Switchyard"), error);
        return 1;
    }

    AppSettings settings(profile.settingsPath());
    ConfigStore config(profile.configPath());
    config.reload();
    config.setWatching(true);
    // Proxies and extra certificates, for every call to a provider (NetworkPolicy).
    NetworkSetup::applySettings(settings);
    NetworkSetup::applyConfig(config.config(), profile.configDir());
    QObject::connect(&config, &ConfigStore::configChanged, &config,
                     [&config, &profile] { NetworkSetup::applyConfig(config.config(), profile.configDir()); });
    const std::unique_ptr<SecretStore> secrets = SecretStore::forProfile(profile);
    secrets->setCaching(true);
    KeyStatus keys(&config, secrets.get());
    Database database(profile.databasePath());
    Ledger ledger(&database);
    TeamLink team(&config, secrets.get(), &database);   // before database.open(): it starts on opened()
    GatewayKeys gatewayKeys(secrets.get());
    gatewayKeys.setClientNamesSource([&profile] { return AppSettings(profile.settingsPath()).gatewayClients(); });
    Gateway gateway(&config, secrets.get(), &gatewayKeys, &ledger);
    gateway.setReasoningMemoryPath(QDir(profile.dataDir()).filePath(QStringLiteral("reasoning.sqlite")));
    gateway.setResponseStorePath(QDir(profile.dataDir()).filePath(QStringLiteral("responses.sqlite")));

    QNetworkAccessManager network;   // the one QNAM, handed to whatever talks to providers
    network.setProxyFactory(new PolicyProxyFactory);
    MainWindow window(&config, secrets.get(), &keys, &settings, profile, &network);
    QObject::connect(&database, &Database::openFailed, &window, &MainWindow::showDatabaseProblem);
    QObject::connect(&database, &Database::writeFailed, &window, &MainWindow::showDatabaseProblem);
    QObject::connect(&database, &Database::batchCommitted, &window, &MainWindow::ledgerChanged);
    QObject::connect(&database, &Database::opened, &ledger, &Ledger::recoverInterrupted);
    window.setChatStorage(&database, &ledger);
    window.setEndpoint(&gateway, &gatewayKeys);
    window.setTeam(&team);
    database.open();
    window.show();
    window.startChecks();
    if (invocation.smoke || !invocation.screenshotPath.isEmpty())
        SmokeRun::arm(&window, invocation.screenshotPath);
    return QApplication::exec();
}
