#pragma once

#include "CommandLine.h"
#include "Profile.h"

#include <QObject>
#include <QTextStream>

#include <memory>

class ConfigStore;
class SecretStore;

// `switchyard keys set|remove|list [PROVIDER]`. The key for `set` comes from standard input
// (hidden when typed at a terminal); it is never printed, logged or written to the profile.
class KeysCommand : public QObject
{
    Q_OBJECT

public:
    KeysCommand(Invocation invocation, const Profile &profile, QObject *parent = nullptr);
    ~KeysCommand() override;

    // Starts the command; finished() follows exactly once.
    void start();

signals:
    void finished(int exitCode);

private:
    void set(const QString &account, const QString &label);
    void remove(const QString &account, const QString &label);
    void list(const QStringList &accounts);
    void rememberClient(const QString &name, bool present);
    void fail(int code, const QString &message);
    void done(int code);
    // Account and label for a provider id or "gateway"; empty when unknown.
    std::pair<QString, QString> account(const QString &name) const;

    Invocation m_invocation;
    Profile m_profile;
    std::unique_ptr<ConfigStore> m_config;
    std::unique_ptr<SecretStore> m_secrets;
    QTextStream m_out;
    QTextStream m_err;
    bool m_finished = false;
};

namespace Cli {
// Runs a non-window command to completion and returns the process exit code.
int exec(const Invocation &invocation);
} // namespace Cli
