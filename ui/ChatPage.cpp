#include "ChatPage.h"

#include "EmptyState.h"
#include "KeyStatus.h"

#include <QVBoxLayout>

ChatPage::ChatPage(KeyStatus *keys, QWidget *parent)
    : QWidget(parent)
    , m_keys(keys)
    , m_state(new EmptyState(QStringLiteral(":/icons/chat.svg"), this))
{
    setObjectName(QStringLiteral("chatPage"));
    m_state->setObjectName(QStringLiteral("chatEmptyState"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_state);
    connect(m_state, &EmptyState::actionTriggered, this, &ChatPage::openSettingsRequested);
    connect(m_keys, &KeyStatus::changed, this, &ChatPage::update);
    update();
}

void ChatPage::update()
{
    if (m_keys->checking()) {
        m_state->setTitle(tr("Checking your keys…"));
        m_state->setBody(tr("Switchyard is asking the keychain which providers have a key."));
        m_state->setAction(QString());
        return;
    }
    if (!m_keys->anyKey() && !m_keys->keychainProblem().isEmpty()) {
        m_state->setTitle(tr("The keychain could not be read"));
        m_state->setBody(m_keys->keychainProblem());
        m_state->setAction(tr("Open Settings"));
        return;
    }
    if (!m_keys->anyKey()) {
        m_state->setTitle(tr("No provider has a key yet — add one in Settings"));
        m_state->setBody(tr("Add a key for DeepSeek, Kimi, MiniMax, Qwen, OpenRouter or your own "
                            "OpenAI-compatible endpoint. Keys are kept in your system keychain."));
        m_state->setAction(tr("Open Settings"));
        return;
    }
    QStringList withKey;
    for (const KeyStatus::Entry &e : m_keys->entries()) {
        if (e.state == KeyStatus::State::Stored || e.state == KeyStatus::State::FromEnvironment)
            withKey << e.label;
    }
    m_state->setTitle(tr("Chat is not built yet"));
    m_state->setBody(tr("Keys are ready for: %1. Conversations, streaming answers and routing arrive in a "
                        "later version; this one manages your keys and configuration.")
                         .arg(QLocale().createSeparatedList(withKey)));
    m_state->setAction(QString());
}
