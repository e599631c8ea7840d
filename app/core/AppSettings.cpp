#include "AppSettings.h"

#include "PrivateFiles.h"

#include <QDir>
#include <QFileInfo>

namespace {

// QSettings writes a new file and renames it over the old one, keeping the old one's mode but
// giving a first file the umask's: so the file is there, 0600, before QSettings first writes.
const QString &privateFile(const QString &path)
{
    if (QFileInfo(path).absoluteDir().exists())
        PrivateFiles::makeFile(path);
    return path;
}

} // namespace

AppSettings::AppSettings(const QString &path)
    : m_settings(privateFile(path), QSettings::IniFormat)
{
}

bool AppSettings::insecureKeyFileOptIn() const
{
    return m_settings.value(QStringLiteral("keys/insecureFileOptIn"), false).toBool();
}

void AppSettings::setInsecureKeyFileOptIn(bool optIn)
{
    m_settings.setValue(QStringLiteral("keys/insecureFileOptIn"), optIn);
    m_settings.sync();
}

QByteArray AppSettings::windowGeometry() const
{
    return m_settings.value(QStringLiteral("window/geometry")).toByteArray();
}

QByteArray AppSettings::windowState() const
{
    return m_settings.value(QStringLiteral("window/state")).toByteArray();
}

void AppSettings::setWindowGeometry(const QByteArray &geometry, const QByteArray &state)
{
    m_settings.setValue(QStringLiteral("window/geometry"), geometry);
    m_settings.setValue(QStringLiteral("window/state"), state);
    m_settings.sync();
}

QString AppSettings::currentPage() const
{
    return m_settings.value(QStringLiteral("window/page")).toString();
}

void AppSettings::setCurrentPage(const QString &page)
{
    m_settings.setValue(QStringLiteral("window/page"), page);
}

bool AppSettings::budgetTrayAlerts() const
{
    return m_settings.value(QStringLiteral("budgets/trayAlerts"), false).toBool();
}

void AppSettings::setBudgetTrayAlerts(bool on)
{
    m_settings.setValue(QStringLiteral("budgets/trayAlerts"), on);
    m_settings.sync();
}

namespace {
QString alertKey(const QString &key)
{
    // QSettings treats '/' as a group separator; keep the key one name.
    return QStringLiteral("budgetAlerts/") + QString(key).replace(QLatin1Char('/'), QLatin1Char('_'));
}
} // namespace

int AppSettings::budgetAlertGiven(const QString &key) const
{
    return m_settings.value(alertKey(key), 0).toInt();
}

void AppSettings::setBudgetAlertGiven(const QString &key, int level)
{
    m_settings.setValue(alertKey(key), level);
    m_settings.sync();
}

bool AppSettings::gatewayEnabled() const
{
    return m_settings.value(QStringLiteral("endpoint/enabled"), false).toBool();
}

void AppSettings::setGatewayEnabled(bool on)
{
    m_settings.setValue(QStringLiteral("endpoint/enabled"), on);
    m_settings.sync();
}

QString AppSettings::gatewayListen() const
{
    return m_settings.value(QStringLiteral("endpoint/listen"), QStringLiteral("127.0.0.1:4141")).toString();
}

void AppSettings::setGatewayListen(const QString &listen)
{
    m_settings.setValue(QStringLiteral("endpoint/listen"), listen);
    m_settings.sync();
}

QStringList AppSettings::gatewayClients() const
{
    return m_settings.value(QStringLiteral("endpoint/clients")).toStringList();
}

void AppSettings::setGatewayClients(const QStringList &names)
{
    m_settings.setValue(QStringLiteral("endpoint/clients"), names);
    m_settings.sync();
}

QString AppSettings::proxyMode() const
{
    const QString mode = m_settings.value(QStringLiteral("network/proxy_mode")).toString();
    return mode == u"none" || mode == u"manual" ? mode : QStringLiteral("system");
}

QString AppSettings::manualProxy() const
{
    return m_settings.value(QStringLiteral("network/proxy")).toString();
}

void AppSettings::setProxy(const QString &mode, const QString &manualProxy)
{
    m_settings.setValue(QStringLiteral("network/proxy_mode"), mode);
    m_settings.setValue(QStringLiteral("network/proxy"), manualProxy);
    m_settings.sync();
}

QString AppSettings::caFile() const
{
    return m_settings.value(QStringLiteral("network/ca_file")).toString();
}

void AppSettings::setCaFile(const QString &path)
{
    m_settings.setValue(QStringLiteral("network/ca_file"), path);
    m_settings.sync();
}
