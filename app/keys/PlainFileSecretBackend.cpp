#include "PlainFileSecretBackend.h"

#include "PrivateFiles.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

PlainFileSecretBackend::PlainFileSecretBackend(QString path)
    : m_path(std::move(path))
{
    // What an older version or a loose umask left readable by others is tightened at start.
    PrivateFiles::tighten(m_path);
    if (QFileInfo(m_path).absolutePath() == QFileInfo(ownFolder()).absoluteFilePath())
        PrivateFiles::tighten(ownFolder());
}

QString PlainFileSecretBackend::defaultPath()
{
    const QString fromEnv = qEnvironmentVariable("SWITCHYARD_INSECURE_KEYS_FILE");
    if (!fromEnv.isEmpty())
        return fromEnv;
    return ownFolder() + QStringLiteral("/keys.ini");
}

QString PlainFileSecretBackend::ownFolder()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QStringLiteral("/switchyard-insecure-keys");
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
    // The folder is private (0700) when this creates it, and the default one always is; a folder
    // of the user's own choosing (SWITCHYARD_INSECURE_KEYS_FILE) that exists already is left alone.
    const QString folder = QFileInfo(m_path).absolutePath();
    const bool ours = !QFileInfo::exists(folder) || folder == QFileInfo(ownFolder()).absoluteFilePath();
    if (ours ? !PrivateFiles::makeFolder(folder) : !QFileInfo(folder).isDir()) {
        done({SecretResult::Status::Failed, {}, tr("Cannot create the folder for %1.").arg(m_path)});
        return;
    }
    // Created private before the first secret lands in it; QSettings keeps the mode when it
    // replaces the file.
    if (!PrivateFiles::makeFile(m_path)) {
        done({SecretResult::Status::Failed, {}, tr("The key file %1 cannot be created.").arg(m_path)});
        return;
    }
    QSettings file(m_path, QSettings::IniFormat);
    file.setValue(QStringLiteral("keys/") + account, secret);
    file.sync();
    if (file.status() != QSettings::NoError) {
        done({SecretResult::Status::Failed, {},
              tr("The key could not be saved to %1. Check that the disk is not full.").arg(m_path)});
        return;
    }
    PrivateFiles::tighten(m_path);
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
