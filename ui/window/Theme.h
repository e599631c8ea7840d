#pragma once

#include <QDBusVariant>
#include <QObject>

class QApplication;

// Light or dark, as the desktop says. Qt follows a platform theme that reports a dark palette
// (KDE, or GNOME with a Qt theme plugin) by itself; on other desktops Switchyard asks the
// freedesktop portal's appearance setting (org.freedesktop.appearance color-scheme, which GNOME
// and KDE both publish) and applies a dark palette when it says "prefer dark", following later
// changes too. SWITCHYARD_COLOR_SCHEME=light|dark overrides both.
class Theme : public QObject
{
    Q_OBJECT

public:
    explicit Theme(QApplication *app);
    bool isDark() const { return m_dark; }

private slots:
    void settingChanged(const QString &group, const QString &key, const QDBusVariant &value);

private:
    void apply(bool dark);

    QApplication *m_app;
    bool m_dark = false;
    bool m_overridden = false;
};
