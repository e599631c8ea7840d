#pragma once

#include <QByteArray>
#include <QSettings>
#include <QString>

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

    QSettings &raw() { return m_settings; }

private:
    QSettings m_settings;
};
