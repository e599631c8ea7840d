#pragma once

#include <QByteArray>
#include <QSettings>
#include <QString>
#include <QStringList>

// Preferences that are not part of config.yaml (window state, the plain-file opt-in), kept in the
// profile's settings.ini. Never holds a secret.
class AppSettings
{
public:
    explicit AppSettings(const QString &path);

    bool insecureKeyFileOptIn() const;
    void setInsecureKeyFileOptIn(bool optIn);

    QByteArray windowGeometry() const;
    QByteArray windowState() const;
    void setWindowGeometry(const QByteArray &geometry, const QByteArray &state);
    QString currentPage() const;
    void setCurrentPage(const QString &page);

    // Budget warnings in the system tray as well as the window (off unless chosen).
    bool budgetTrayAlerts() const;
    void setBudgetTrayAlerts(bool on);
    // The highest warning level (80, 100) already given for a budget's month, so each is given once.
    int budgetAlertGiven(const QString &key) const;
    void setBudgetAlertGiven(const QString &key, int level);

    // The local endpoint in the window: on or off, where it listens, and the names of its extra keys
    // (the keys themselves are in the keychain).
    bool gatewayEnabled() const;
    void setGatewayEnabled(bool on);
    QString gatewayListen() const;   // "127.0.0.1:4141"
    void setGatewayListen(const QString &listen);
    QStringList gatewayClients() const;
    void setGatewayClients(const QStringList &names);

    // How providers are reached (Settings → Network): "system" (the environment's *_proxy
    // variables), "none" or "manual" with a proxy URL that holds no password; and a PEM file of
    // certificates trusted besides the system's.
    QString proxyMode() const;
    QString manualProxy() const;
    void setProxy(const QString &mode, const QString &manualProxy);
    QString caFile() const;
    void setCaFile(const QString &path);

    QSettings &raw() { return m_settings; }

private:
    QSettings m_settings;
};
