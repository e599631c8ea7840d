#pragma once

#include <QWidget>

class QLabel;
class QPushButton;

// A centred "nothing here yet" panel: an icon, a title, a sentence and an optional action.
// Used wherever a part of the app has nothing real to show, so it says so plainly.
class EmptyState : public QWidget
{
    Q_OBJECT

public:
    explicit EmptyState(const QString &iconPath, QWidget *parent = nullptr);

    void setTitle(const QString &title);
    void setBody(const QString &body);
    // An empty text hides the button.
    void setAction(const QString &text);
    QString title() const;
    QString body() const;

signals:
    void actionTriggered();

private:
    QLabel *m_icon;
    QLabel *m_title;
    QLabel *m_body;
    QPushButton *m_action;
};
