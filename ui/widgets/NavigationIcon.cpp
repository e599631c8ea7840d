#include "NavigationIcon.h"

#include <QApplication>
#include <QIconEngine>
#include <QPainter>
#include <QStyle>
#include <QStyleOption>
#include <QSvgRenderer>

#include <memory>

namespace {

class NavigationIconEngine : public QIconEngine
{
public:
    explicit NavigationIconEngine(const QString &path)
        : m_path(path)
        , m_svg(std::make_shared<QSvgRenderer>(path))
    {
    }

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State state) override
    {
        const qreal dpr = painter->device() ? painter->device()->devicePixelRatioF() : 1.0;
        QPixmap pm = pixmap(rect.size() * dpr, mode, state);
        pm.setDevicePixelRatio(dpr);
        painter->drawPixmap(rect.topLeft(), pm);
    }

    // `size` is in device pixels: QIcon::pixmap() asks for the scaled size.
    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State) override
    {
        QImage image(size, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::transparent);
        {
            QPainter p(&image);
            m_svg->render(&p, QRectF(QPointF(), size));
            if (mode == QIcon::Selected) {
                p.setCompositionMode(QPainter::CompositionMode_SourceIn);
                p.fillRect(image.rect(), QGuiApplication::palette().color(QPalette::HighlightedText));
            }
        }
        QPixmap pm = QPixmap::fromImage(std::move(image));
        if (mode == QIcon::Disabled) {
            QStyleOption option;
            option.palette = QGuiApplication::palette();
            pm = QApplication::style()->generatedIconPixmap(mode, pm, &option);
        }
        return pm;
    }

    QIconEngine *clone() const override { return new NavigationIconEngine(*this); }
    QString key() const override { return QStringLiteral("NavigationIconEngine"); }
    bool isNull() override { return !m_svg->isValid(); }

private:
    QString m_path;
    std::shared_ptr<QSvgRenderer> m_svg;
};

} // namespace

QIcon navigationIcon(const QString &svgPath)
{
    return QIcon(new NavigationIconEngine(svgPath));
}
