#pragma once

#include "Config.h"

#include <QList>
#include <QSet>
#include <QObject>

class ConfigStore;
class SecretStore;

// Which providers have a key, and where it comes from. Never holds a key itself.
class KeyStatus : public QObject
{
    Q_OBJECT

public:
    enum class State { Checking, Stored, Missing, FromEnvironment, Error };
    struct Entry
    {
        QString providerId;
        QString label;
        QString envName;
        State state = State::Checking;
        QString message;   // for Error
    };

    KeyStatus(ConfigStore *config, SecretStore *secrets, QObject *parent = nullptr);

    void refresh();
    QList<Entry> entries() const { return m_entries; }
    bool anyKey() const;
    // The providers known to have no key (Missing); those still being checked or unreadable are not.
    QSet<QString> keyless() const;
    bool hasKey(const QString &providerId) const;
    bool checking() const;
    // Empty when the keychain answered; else its last error (for example "locked").
    QString keychainProblem() const { return m_keychainProblem; }

signals:
    void changed();

private:
    void refreshOne(int index, quint64 generation);

    ConfigStore *m_config;
    SecretStore *m_secrets;
    QList<Entry> m_entries;
    QString m_keychainProblem;
    quint64 m_generation = 0;
    bool m_refreshed = false;   // until the first refresh, nothing is known yet
};
