#pragma once

#include <QDialog>
#include <QKeySequence>

// Keys that do the same thing, with what they do.
struct ShortcutGroup
{
    QString title;
    QList<QPair<QKeySequence, QString>> keys;
};

// Help → Keyboard Shortcuts: every key the window knows, in a two-column table, written as this
// platform writes them (QKeySequence::NativeText).
class ShortcutsDialog : public QDialog
{
    Q_OBJECT

public:
    ShortcutsDialog(const QList<ShortcutGroup> &groups, QWidget *parent = nullptr);
};
