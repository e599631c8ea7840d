#include "Theme.h"

#include <QApplication>
#include <QDBusConnection>
#include <QDBusInterface>
#include <QDBusReply>
#include <QDBusVariant>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>

namespace {

constexpr auto PortalService = "org.freedesktop.portal.Desktop";
constexpr auto PortalPath = "/org/freedesktop/portal/desktop";
constexpr auto SettingsInterface = "org.freedesktop.portal.Settings";

// The portal's color-scheme: 0 no preference, 1 prefer dark, 2 prefer light; -1 unknown.
int colorScheme(const QVariant &v)
{
    QVariant value = v;
    // Read() wraps the value in one more variant than SettingChanged does.
    while (value.canConvert<QDBusVariant>())
        value = qvariant_cast<QDBusVariant>(value).variant();
    bool ok = false;
    const int scheme = value.toInt(&ok);
    return ok ? scheme : -1;
}

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x30), base(0x1e, 0x1f, 0x22), text(0xe6, 0xe6, 0xe6), muted(0x9a, 0x9c, 0xa0);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x36, 0x38, 0x3c));
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, muted);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x3a, 0x3c, 0x40));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Light, QColor(0x4a, 0x4c, 0x50));
    p.setColor(QPalette::Midlight, QColor(0x40, 0x42, 0x46));
    p.setColor(QPalette::Mid, QColor(0x55, 0x57, 0x5b));
    p.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1b));
    p.setColor(QPalette::Shadow, Qt::black);
    p.setColor(QPalette::Highlight, QColor(0x35, 0x84, 0xe4));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x78, 0xae, 0xff));
    p.setColor(QPalette::LinkVisited, QColor(0xb4, 0x9c, 0xff));
    for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, muted.darker(112));   // told apart from enabled text, yet readable on a button
    return p;
}

} // namespace

Theme::Theme(QApplication *app)
    : QObject(app)
    , m_app(app)
{
    const QByteArray forced = qgetenv("SWITCHYARD_COLOR_SCHEME");
    if (forced == "dark" || forced == "light") {
        m_overridden = true;
        apply(forced == "dark");
        return;
    }
    if (app->palette().color(QPalette::Window).lightness() < 128) {
        m_dark = true;   // the platform theme is dark already
        return;
    }
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected())
        return;
    QDBusInterface portal(QLatin1String(PortalService), QLatin1String(PortalPath), QLatin1String(SettingsInterface), bus);
    portal.setTimeout(500);   // no portal: the window opens light rather than late
    const QDBusMessage reply = portal.call(QStringLiteral("Read"), QStringLiteral("org.freedesktop.appearance"),
                                           QStringLiteral("color-scheme"));
    if (reply.type() == QDBusMessage::ReplyMessage && !reply.arguments().isEmpty())
        apply(colorScheme(reply.arguments().constFirst()) == 1);
    bus.connect(QLatin1String(PortalService), QLatin1String(PortalPath), QLatin1String(SettingsInterface),
                QStringLiteral("SettingChanged"), this, SLOT(settingChanged(QString, QString, QDBusVariant)));
}

void Theme::settingChanged(const QString &group, const QString &key, const QDBusVariant &value)
{
    if (!m_overridden && group == u"org.freedesktop.appearance" && key == u"color-scheme")
        apply(colorScheme(value.variant()) == 1);
}

void Theme::apply(bool dark)
{
    if (dark == m_dark)
        return;
    m_dark = dark;
    if (dark) {
        m_app->setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        m_app->setPalette(darkPalette());
    } else {
        m_app->setPalette(m_app->style()->standardPalette());
    }
}
