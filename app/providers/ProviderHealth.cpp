#include "ProviderHealth.h"

void ProviderHealth::configure(int failuresBeforeCooldown, int cooldownSeconds)
{
    m_failures = std::max(1, failuresBeforeCooldown);
    m_seconds = std::max(0, cooldownSeconds);
}

void ProviderHealth::recordFailure(const QString &provider, const QDateTime &now)
{
    State &s = m_states[provider];
    if (++s.failures >= m_failures) {
        s.until = now.addSecs(m_seconds);
        s.failures = 0;   // after the cool-down it gets a fresh count
    }
}

void ProviderHealth::recordSuccess(const QString &provider)
{
    m_states.remove(provider);
}

int ProviderHealth::coolingFor(const QString &provider, const QDateTime &now) const
{
    const auto it = m_states.constFind(provider);
    if (it == m_states.cend() || !it->until.isValid() || it->until <= now)
        return 0;
    return int(std::max<qint64>(1, now.secsTo(it->until)));
}
