#pragma once

#include <QLabel>

// One line of plain text that gives way: narrower than its text, it ends in "…" and the whole text
// is its tooltip. It asks for no width, so text that changes (an estimate rewritten on each
// keystroke, a long title) never widens its row and, through it, the page.
class ElidedLabel : public QLabel
{
    Q_OBJECT

public:
    using QLabel::QLabel;

    void setText(const QString &text);   // hides QLabel::setText: the tooltip follows
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
};
