#include "RouteCommand.h"

#include "ConfigStore.h"
#include "OpenAiRequest.h"
#include "Platform.h"
#include "KeyStatus.h"
#include "Router.h"
#include "SecretStore.h"

#include <QFile>
#include <QJsonDocument>
#include <QTextStream>

namespace RouteCommand {

int explain(const Invocation &invocation, const Profile &profile)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    auto say = [&err](const QString &message) {
        err << QCoreApplication::translate("RouteCommand", "switchyard route: %1").arg(message) << Qt::endl;
    };
    if (invocation.explainFile.isEmpty()) {
        say(QCoreApplication::translate("RouteCommand", "Name the request file: switchyard route --explain FILE (- for standard input)."));
        return 2;
    }
    QByteArray body;
    if (invocation.explainFile == u"-") {
        body = Platform::readAllStdin();
    } else {
        QFile file(invocation.explainFile);
        if (!file.open(QIODevice::ReadOnly)) {
            say(QCoreApplication::translate("RouteCommand", "Cannot read %1: %2.").arg(invocation.explainFile, file.errorString()));
            return 2;
        }
        body = file.readAll();
    }
    QString error;
    const std::optional<OpenAiRequest> request = OpenAiRequest::fromJson(body, &error);
    if (!request) {
        say(error);
        return 2;
    }
    ConfigStore config(profile.configPath());
    if (!config.reload()) {
        say(QCoreApplication::translate("RouteCommand", "%1. Fix config.yaml first; nothing was routed.").arg(config.lastError()));
        return 1;
    }
    // Which providers have a key decides which models the rules pass over, as in the window.
    const std::unique_ptr<SecretStore> secrets = SecretStore::forProfile(profile);
    secrets->setTimeout(5000);   // a keychain that does not answer: its providers count as keyed
    KeyStatus keys(&config, secrets.get());
    int exitCode = 1;
    bool decided = false;
    const auto decide = [&] {
        if (decided || keys.checking())
            return;
        decided = true;
        const Router router(config.config(), keys.keyless());
        // As the endpoint does: a name no model has goes through model_aliases first.
        const QString resolved = config.config().resolveModel(request->model);
        const RouteDecision decision = router.decide(request->request, resolved.isEmpty() ? request->model : resolved,
                                                     QStringLiteral("cli"), request->taskType);
        out << QJsonDocument(decision.toJson()).toJson(QJsonDocument::Indented);
        out.flush();
        if (!decision.error.isEmpty())
            say(decision.error);
        exitCode = decision.error.isEmpty() ? 0 : 1;
        QCoreApplication::exit(exitCode);
    };
    QObject::connect(&keys, &KeyStatus::changed, &keys, decide, Qt::QueuedConnection);
    keys.refresh();
    QCoreApplication::exec();
    return exitCode;
}

} // namespace RouteCommand
