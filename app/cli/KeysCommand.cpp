#include "KeysCommand.h"

#include "TeamCommand.h"

#include "AppSettings.h"
#include "ConfigStore.h"
#include "GatewayKeys.h"
#include "RouteCommand.h"
#include "ExportCommand.h"
#include "Platform.h"
#include "SecretStore.h"
#include "ServeCommand.h"

#include <QTimer>

#include <cstdio>

KeysCommand::KeysCommand(Invocation invocation, const Profile &profile, QObject *parent)
    : QObject(parent)
    , m_invocation(std::move(invocation))
    , m_profile(profile)
    , m_config(std::make_unique<ConfigStore>(profile.configPath()))
    , m_secrets(SecretStore::forProfile(profile))
    , m_out(stdout)
    , m_err(stderr)
{
}

KeysCommand::~KeysCommand() = default;

void KeysCommand::start()
{
    if (!m_config->reload())
        m_err << tr("Warning: %1. Using the providers of the built-in catalog.").arg(m_config->lastError()) << Qt::endl;

    const QStringList args = m_invocation.arguments;
    const QString action = args.value(0);
    const QString name = args.value(1);
    if (args.size() > 2) {
        fail(2, tr("Too many arguments. Usage: switchyard keys set|remove|list [PROVIDER]"));
        return;
    }
    if (action == u"list") {
        QStringList accounts;
        if (!name.isEmpty()) {
            if (account(name).first.isEmpty()) {
                fail(2, tr("Unknown provider \"%1\". Known providers: %2.").arg(name, account(QString()).second));
                return;
            }
            accounts << name;
        } else {
            for (const ProviderConfig &p : m_config->config().providers)
                accounts << p.id;
            accounts << QStringLiteral("gateway");
            for (const QString &client : AppSettings(m_profile.settingsPath()).gatewayClients())
                accounts << QStringLiteral("gateway:") + client;
        }
        list(accounts);
        return;
    }
    if (action != u"set" && action != u"remove") {
        fail(2, tr("Usage: switchyard keys set|remove|list [PROVIDER]"));
        return;
    }
    if (name.isEmpty()) {
        fail(2, tr("Name the provider, for example: switchyard keys %1 deepseek").arg(action));
        return;
    }
    const auto [acct, label] = account(name);
    if (acct.isEmpty()) {
        fail(2, tr("Unknown provider \"%1\". Known providers: %2.").arg(name, label));
        return;
    }
    if (action == u"set")
        set(acct, name);
    else
        remove(acct, label);
}

std::pair<QString, QString> KeysCommand::account(const QString &name) const
{
    if (name == u"gateway")
        return {SecretStore::gatewayAccount(), tr("the local endpoint")};
    if (name == u"team")
        return {SecretStore::teamAccount(), tr("the team database")};
    // gateway:NAME, a named key of the local endpoint (its calls are NAME in the ledger).
    if (name.startsWith(u"gateway:") && GatewayKeys::isValidClientName(name.mid(8)))
        return {GatewayKeys::clientAccount(name.mid(8)), name};
    if (const ProviderConfig *p = m_config->config().provider(name))
        return {SecretStore::providerAccount(p->id), p->id};
    QStringList known;
    for (const ProviderConfig &p : m_config->config().providers)
        known << p.id;
    known << QStringLiteral("gateway") << QStringLiteral("gateway:NAME") << QStringLiteral("team");
    return {QString(), known.join(QStringLiteral(", "))};
}

void KeysCommand::set(const QString &account, const QString &label)
{
    QByteArray raw;
    if (Platform::stdinIsTerminal()) {
        m_err << tr("Paste the key for %1 and press Enter (it will not be shown): ").arg(label) << Qt::flush;
        raw = Platform::readHiddenLine();
        m_err << Qt::endl;
    } else {
        raw = Platform::readAllStdin();
    }
    const QString key = QString::fromUtf8(raw).trimmed();
    raw.fill('\0');
    if (key.isEmpty()) {
        fail(2, tr("No key was given. Pipe it in, for example: printf %s \"$KEY\" | switchyard keys set %1").arg(label));
        return;
    }
    if (key.contains(QLatin1Char('\n')) || key.contains(QLatin1Char('\r'))) {
        fail(2, tr("The key spans several lines; give only the key."));
        return;
    }
    // Listed first: a running endpoint reads the names when it hears that a key changed.
    const bool known = label.startsWith(u"gateway:") && AppSettings(m_profile.settingsPath()).gatewayClients().contains(label.mid(8));
    rememberClient(label, true);
    m_secrets->write(account, key, this, [this, label, known](const SecretResult &result) {
        if (!result.ok()) {
            if (!known)
                rememberClient(label, false);
            fail(1, tr("The key for %1 was not stored: %2").arg(label, result.message));
            return;
        }
        m_out << tr("Stored the key for %1 in %2.").arg(label, m_secrets->backend().description()) << Qt::endl;
        if (!m_secrets->backend().isSecure())
            m_err << tr("Warning: that is not encrypted. Use a keychain when you can.") << Qt::endl;
        done(0);
    });
}

void KeysCommand::rememberClient(const QString &name, bool present)
{
    // The endpoint reads the named keys listed in settings.ini, in the window and in serve alike.
    if (!name.startsWith(u"gateway:"))
        return;
    AppSettings settings(m_profile.settingsPath());
    QStringList clients = settings.gatewayClients();
    clients.removeAll(name.mid(8));
    if (present)
        clients << name.mid(8);
    settings.setGatewayClients(clients);
}

void KeysCommand::remove(const QString &account, const QString &label)
{
    m_secrets->remove(account, this, [this, label](const SecretResult &result) {
        if (!result.ok()) {
            fail(1, tr("The key for %1 was not removed: %2").arg(label, result.message));
            return;
        }
        rememberClient(label, false);
        m_out << tr("Removed the key for %1.").arg(label) << Qt::endl;
        done(0);
    });
}

void KeysCommand::list(const QStringList &names)
{
    struct Row
    {
        QString name;
        QString state;
    };
    auto rows = std::make_shared<QList<Row>>();
    auto remaining = std::make_shared<int>(int(names.size()));
    auto worst = std::make_shared<int>(0);
    auto problem = std::make_shared<QString>();
    auto print = [this, rows, worst, problem] {
        qsizetype width = 8;
        for (const Row &r : std::as_const(*rows))
            width = std::max(width, r.name.size());
        m_out << tr("PROVIDER").leftJustified(width + 2) << tr("KEY") << Qt::endl;
        for (const Row &r : std::as_const(*rows))
            m_out << r.name.leftJustified(width + 2) << r.state << Qt::endl;
        if (!problem->isEmpty())
            m_err << tr("switchyard keys: %1").arg(*problem) << Qt::endl;
        done(*worst);
    };
    for (const QString &name : names) {
        rows->append({name, QString()});
        const int index = int(rows->size()) - 1;
        const ProviderConfig *p = m_config->config().provider(name);
        if (p && !p->apiKeyEnv.isEmpty() && !qEnvironmentVariable(p->apiKeyEnv.toUtf8().constData()).isEmpty()) {
            (*rows)[index].state = tr("from $%1").arg(p->apiKeyEnv);
            if (--*remaining == 0)
                QTimer::singleShot(0, this, print);
            continue;
        }
        const QString acct = account(name).first;
        m_secrets->read(acct, this, [this, rows, remaining, worst, problem, index, print](const SecretResult &result) {
            if (result.ok())
                (*rows)[index].state = tr("stored in %1").arg(m_secrets->backend().description());
            else if (result.status == SecretResult::Status::NotFound)
                (*rows)[index].state = tr("not set");
            else {
                (*rows)[index].state = tr("unknown (the keychain did not answer)");
                *problem = result.message;
                *worst = 1;
            }
            if (--*remaining == 0)
                print();
        });
    }
}

void KeysCommand::fail(int code, const QString &message)
{
    m_err << tr("switchyard keys: %1").arg(message) << Qt::endl;
    done(code);
}

void KeysCommand::done(int code)
{
    if (m_finished)
        return;
    m_finished = true;
    m_out.flush();
    m_err.flush();
    emit finished(code);
}

namespace Cli {

int exec(const Invocation &invocation)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    if (!invocation.error.isEmpty()) {
        err << invocation.error << Qt::endl;
        return 2;
    }
    switch (invocation.command) {
    case Invocation::Command::Help:
        out << CommandLine::helpText();
        return 0;
    case Invocation::Command::Version:
        out << QStringLiteral("switchyard %1").arg(QStringLiteral(SWITCHYARD_VERSION_STRING)) << Qt::endl;
        return 0;
    case Invocation::Command::Route: {
        const Profile profile = Profile::resolve(invocation.profileDir);
        return RouteCommand::explain(invocation, profile);
    }
    case Invocation::Command::Export:
        return ExportCommand::run(invocation, Profile::resolve(invocation.profileDir));
    case Invocation::Command::Serve:
        return ServeCommand::run(invocation, Profile::resolve(invocation.profileDir));
    case Invocation::Command::Team:
        return TeamCommand::run(invocation, Profile::resolve(invocation.profileDir));
    case Invocation::Command::Keys:
        break;
    case Invocation::Command::Gui:
        Q_UNREACHABLE();
    }

    const Profile profile = Profile::resolve(invocation.profileDir);
    QString error;
    if (!profile.ensureExists(&error)) {
        err << error << Qt::endl;
        return 1;
    }
    KeysCommand command(invocation, profile);
    int exitCode = 1;
    QObject::connect(&command, &KeysCommand::finished, QCoreApplication::instance(), [&exitCode](int code) {
        exitCode = code;
        QCoreApplication::exit(code);
    });
    QTimer::singleShot(0, &command, &KeysCommand::start);
    QCoreApplication::exec();
    return exitCode;
}

} // namespace Cli
