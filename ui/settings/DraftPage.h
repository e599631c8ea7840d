#pragma once

#include <QWidget>

class SaveBar;

// A settings page whose edits stay a draft until Save. Settings asks it before a draft could be
// lost (another tab, another provider, another page of the window, quitting), and shows its
// SaveBar below the scrolling content, where it is always in view.
class DraftPage : public QWidget
{
    Q_OBJECT

public:
    using QWidget::QWidget;

    virtual bool hasUnsavedChanges() const = 0;
    // What the edits are about, for "Save changes to %1?": "the routing rules", for example.
    virtual QString draftName() const = 0;
    // Writes the draft; false, with the reason in the bar, when it could not be written.
    virtual bool save() = 0;
    virtual void revert() = 0;
    virtual SaveBar *saveBar() const = 0;
};
