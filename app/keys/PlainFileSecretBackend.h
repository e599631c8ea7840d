#pragma once

#include "SecretStore.h"

// Keys in a plain INI file readable only by the user (0600), OUTSIDE the profile. Used only after
// the user explicitly opts in because no keychain works; the UI keeps saying that it is not secure.
class PlainFileSecretBackend : public SecretBackend
{
    Q_DECLARE_TR_FUNCTIONS(PlainFileSecretBackend)

public:
    explicit PlainFileSecretBackend(QString path = defaultPath());

    // SWITCHYARD_INSECURE_KEYS_FILE, or a file in the user's data folder (never in a profile).
    static QString defaultPath();
    // The folder of the default file, which is Switchyard's own and always private (0700).
    static QString ownFolder();

    void read(const QString &account, Callback done) override;
    void write(const QString &account, const QString &secret, Callback done) override;
    void remove(const QString &account, Callback done) override;
    bool isSecure() const override { return false; }
    QString description() const override;
    QString path() const { return m_path; }

private:
    QString m_path;
};
