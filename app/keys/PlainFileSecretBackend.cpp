#include "PlainFileSecretBackend.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

PlainFileSecretBackend::PlainFileSecretBackend(QString path)
    : m_path(std::move(path))
{
}

QString PlainFileSecretBackend::defaultPath()
{
    const QString fromEnv = qEnvironmentVariable("SWITCHYARD_INSECURE_KEYS_FILE");
    if (!fromEnv.isEmpty())
        return fromEnv;
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
           + QStringLiteral("/switchyard-insecure-keys/keys.ini");
}

QString PlainFileSecretBackend::description() const
{
    return tr("an unencrypted file (%1)").arg(QDir::toNativeSeparators(m_path));
}

void PlainFileSecretBackend::read(const QString &account, Callback done)
{
    QSettings file(m_path, QSettings::IniFormat);
    const QVariant value = file.value(QStringLiteral("keys/") + account);
    if (file.status() != QSettings::NoError) {
        done({SecretResult::Status::Failed, {}, tr("The key file %1 cannot be read.").arg(m_path)});
        return;
    }
    if (!value.isValid()) {
        done({SecretResult::Status::NotFound, {}, tr("No key is stored.")});
        return;
    }
    done({SecretResult::Status::Ok, value.toString(), {}});
}

void PlainFileSecretBackend::write(const QString &account, const QString &secret, Callback done)
{
    if (!QDir().mkpath(QFileInfo(m_path).absolutePath())) {
        done({SecretResult::Status::Failed, {}, tr("Cannot create the folder for %1.").arg(m_path)});
        return;
    }
    {
        // Create it private before the first secret lands in it.
        QFile f(m_path);
        if (!f.exists() && f.open(QIODevice::WriteOnly))
            f.close();
        f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }
    QSettings file(m_path, QSettings::IniFormat);
    file.setValue(QStringLiteral("keys/") + account, secret);
    file.sync();
    if (file.status() != QSettings::NoError) {
        done({SecretResult::Status::Failed, {},
              tr("The key could not be saved to %1. Check that the disk is not full.").arg(m_path)});
        return;
    }
    QFile::setPermissions(m_path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    done({SecretResult::Status::Ok, {}, {}});
}

void PlainFileSecretBackend::remove(const QString &account, Callback done)
{
    QSettings file(m_path, QSettings::IniFormat);
    const QString key = QStringLiteral("keys/") + account;
    if (!file.contains(key)) {
        done({SecretResult::Status::NotFound, {}, tr("No key is stored.")});
        return;
    }
    file.remove(key);
    file.sync();
    if (file.status() != QSettings::NoError) {
        done({SecretResult::Status::Failed, {}, tr("The key could not be removed from %1.").arg(m_path)});
        return;
    }
    done({SecretResult::Status::Ok, {}, {}});
}
