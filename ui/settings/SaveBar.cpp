#include "SaveBar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace {

bool isDark(const QPalette &p)
{
    return p.color(QPalette::Window).lightness() < 128;
}

} // namespace

SaveBar::SaveBar(const QString &name, QWidget *parent)
    : QFrame(parent)
{
    setObjectName(QStringLiteral("saveBar%1").arg(name));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    // A tint of the selection colour, so the strip stands out in light and dark alike.
    QPalette pal = palette();
    const QColor window = pal.color(QPalette::Window);
    const QColor accent = pal.color(QPalette::Highlight);
    pal.setColor(QPalette::Window, QColor::fromRgbF(window.redF() * 0.85f + accent.redF() * 0.15f,
                                                    window.greenF() * 0.85f + accent.greenF() * 0.15f,
                                                    window.blueF() * 0.85f + accent.blueF() * 0.15f));
    setPalette(pal);

    m_label = new QLabel(this);
    m_label->setObjectName(QStringLiteral("save%1Label").arg(name));
    m_label->setWordWrap(true);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_label->setMinimumWidth(120);   // a long message wraps; it never widens the window
    m_revert = new QPushButton(tr("Revert"), this);
    m_revert->setObjectName(QStringLiteral("revert%1Button").arg(name));
    m_revert->setToolTip(tr("Discard the changes and show what is saved"));
    m_save = new QPushButton(tr("Save"), this);
    m_save->setObjectName(QStringLiteral("save%1Button").arg(name));
    m_save->setDefault(true);   // drawn as the main action; Enter in the page's fields saves
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 6, 6);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_revert);
    layout->addWidget(m_save);
    connect(m_save, &QPushButton::clicked, this, &SaveBar::saveClicked);
    connect(m_revert, &QPushButton::clicked, this, &SaveBar::revertClicked);
    setState(State::Idle, QString(), QColor());
}

void SaveBar::showUnsaved(const QString &problem)
{
    setState(State::Unsaved, problem.isEmpty() ? tr("Unsaved changes") : problem,
             problem.isEmpty() ? QColor() : isDark(palette()) ? QColor(0xf2, 0xb8, 0xb5) : QColor(0xb3, 0x26, 0x1e));
    m_save->setEnabled(problem.isEmpty());
}

void SaveBar::showFailure(const QString &error)
{
    setState(State::Unsaved, error, isDark(palette()) ? QColor(0xf2, 0xb8, 0xb5) : QColor(0xb3, 0x26, 0x1e));
    m_save->setEnabled(true);
}

void SaveBar::showBusy(const QString &text)
{
    setState(State::Unsaved, text, QColor());
    m_save->setEnabled(false);
    m_revert->setEnabled(false);
}

void SaveBar::showSaved(const QString &text)
{
    setState(State::Done, text, isDark(palette()) ? QColor(0x81, 0xc9, 0x95) : QColor(0x1e, 0x7d, 0x32));
}

void SaveBar::showDiscarded()
{
    setState(State::Done, tr("Changes discarded."), QColor());
}

void SaveBar::setActive(bool active)
{
    m_active = active;
    updateVisibility();
}

QString SaveBar::text() const
{
    return m_label->text();
}

void SaveBar::setState(State state, const QString &text, const QColor &color)
{
    m_state = state;
    m_label->setText(text);
    m_label->setStyleSheet(color.isValid() ? QStringLiteral("color: %1;").arg(color.name()) : QString());
    QFont f = m_label->font();
    f.setWeight(state == State::Unsaved && !color.isValid() ? QFont::DemiBold : QFont::Normal);   // a problem is red instead
    m_label->setFont(f);
    // Once saved or discarded there is nothing to act on: only the sentence stays.
    m_revert->setVisible(state == State::Unsaved);
    m_save->setVisible(state == State::Unsaved);
    m_revert->setEnabled(state == State::Unsaved);
    m_save->setEnabled(state == State::Unsaved);
    updateVisibility();
}

void SaveBar::updateVisibility()
{
    setVisible(m_active && m_state != State::Idle);
}
