#pragma once

#include <QWidget>

class EmptyState;
class KeyStatus;

// The chat area. The conversation view is not built yet; until then it says what is missing:
// first a key, then the chat itself.
class ChatPage : public QWidget
{
    Q_OBJECT

public:
    explicit ChatPage(KeyStatus *keys, QWidget *parent = nullptr);

signals:
    void openSettingsRequested();

private:
    void update();

    KeyStatus *m_keys;
    EmptyState *m_state;
};
