#pragma once

#include <QFrame>

class QLabel;
class QPushButton;

// The strip under a settings page that says it has unsaved edits, with Revert and Save, and what
// the last Save or Revert did. Settings keeps it below the scrolling content, so it is always in
// view; a confirmation stays until the next edit replaces it, never only for a moment.
class SaveBar : public QFrame
{
    Q_OBJECT

public:
    // `name` makes the object names: save<name>Button, revert<name>Button, save<name>Label.
    SaveBar(const QString &name, QWidget *parent);

    // There are edits; a `problem` says why they cannot be saved yet (and Save waits for a fix).
    void showUnsaved(const QString &problem = {});
    // A Save that did not happen: the edits are still there, and Save can be tried again.
    void showFailure(const QString &error);
    // A Save under way (publishing to the team): the edits stay, nothing can be clicked meanwhile.
    void showBusy(const QString &text);
    // The edits are gone, written or discarded; the sentence stays until the next edit.
    void showSaved(const QString &text);
    void showDiscarded();

    // Whether its page is the one in view (Settings shows the current tab's bar only).
    void setActive(bool active);
    QString text() const;

signals:
    void saveClicked();
    void revertClicked();

private:
    enum class State { Idle, Unsaved, Done };
    void setState(State state, const QString &text, const QColor &color);
    void updateVisibility();

    State m_state = State::Idle;
    bool m_active = true;
    QLabel *m_label;
    QPushButton *m_revert;
    QPushButton *m_save;
};
