#pragma once

#include "SecretStore.h"

// The OS keychain through QtKeychain (Secret Service on Linux, Keychain on macOS, Credential
// Manager on Windows). Never falls back to plain text.
class KeychainBackend : public SecretBackend
{
    Q_DECLARE_TR_FUNCTIONS(KeychainBackend)

public:
    explicit KeychainBackend(QString service = QStringLiteral("switchyard"));

    void read(const QString &account, Callback done) override;
    void write(const QString &account, const QString &secret, Callback done) override;
    void remove(const QString &account, Callback done) override;
    bool isSecure() const override { return true; }
    QString description() const override;

private:
    QString m_service;
};
