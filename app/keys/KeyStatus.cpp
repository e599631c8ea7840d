#include "KeyStatus.h"

#include "ConfigStore.h"
#include "SecretStore.h"

KeyStatus::KeyStatus(ConfigStore *config, SecretStore *secrets, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_secrets(secrets)
{
    connect(m_config, &ConfigStore::configChanged, this, &KeyStatus::refresh);
    connect(m_secrets, &SecretStore::changedElsewhere, this, &KeyStatus::refresh);   // `switchyard keys set` meanwhile
    connect(m_secrets, &SecretStore::secretChanged, this, [this](const QString &account) {
        for (int i = 0; i < m_entries.size(); ++i) {
            if (SecretStore::providerAccount(m_entries[i].providerId) == account)
                refreshOne(i, m_generation);
        }
    });
}

void KeyStatus::refresh()
{
    // A newer refresh makes answers to the older one stale.
    const quint64 generation = ++m_generation;
    m_refreshed = true;
    m_entries.clear();
    m_keychainProblem.clear();
    for (const ProviderConfig &p : m_config->config().providers)
        m_entries.append({p.id, p.label(), p.apiKeyEnv, State::Checking, {}});
    emit changed();
    for (int i = 0; i < m_entries.size(); ++i)
        refreshOne(i, generation);
}

void KeyStatus::refreshOne(int index, quint64 generation)
{
    Entry &entry = m_entries[index];
    if (!entry.envName.isEmpty() && !qEnvironmentVariable(entry.envName.toUtf8().constData()).isEmpty()) {
        entry.state = State::FromEnvironment;
        emit changed();
        return;
    }
    const QString providerId = entry.providerId;
    m_secrets->read(SecretStore::providerAccount(providerId), this,
                    [this, index, generation, providerId](const SecretResult &result) {
                        if (generation != m_generation || index >= m_entries.size()
                            || m_entries[index].providerId != providerId)
                            return;
                        Entry &e = m_entries[index];
                        if (result.ok()) {
                            e.state = State::Stored;
                        } else if (result.status == SecretResult::Status::NotFound) {
                            e.state = State::Missing;
                        } else {
                            e.state = State::Error;
                            e.message = result.message;
                            m_keychainProblem = result.message;
                        }
                        emit changed();
                    });
}

namespace {

bool keyed(const KeyStatus::Entry &e)
{
    return e.state == KeyStatus::State::Stored || e.state == KeyStatus::State::FromEnvironment;
}

} // namespace

bool KeyStatus::anyKey() const
{
    return std::any_of(m_entries.cbegin(), m_entries.cend(), keyed);
}

QSet<QString> KeyStatus::keyless() const
{
    QSet<QString> out;
    for (const Entry &e : m_entries) {
        if (e.state == State::Missing)
            out.insert(e.providerId);
    }
    return out;
}

bool KeyStatus::hasKey(const QString &providerId) const
{
    return std::any_of(m_entries.cbegin(), m_entries.cend(),
                       [&providerId](const Entry &e) { return e.providerId == providerId && keyed(e); });
}

bool KeyStatus::checking() const
{
    if (!m_refreshed)
        return true;
    return std::any_of(m_entries.cbegin(), m_entries.cend(), [](const Entry &e) { return e.state == State::Checking; });
}
