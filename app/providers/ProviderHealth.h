#pragma once

#include <QDateTime>
#include <QHash>
#include <QString>

// Remembers which providers keep failing, so fallback skips them for a while (a circuit breaker).
// Shared by every request of the app or endpoint.
class ProviderHealth
{
public:
    void configure(int failuresBeforeCooldown, int cooldownSeconds);
    void recordFailure(const QString &provider, const QDateTime &now = QDateTime::currentDateTimeUtc());
    void recordSuccess(const QString &provider);
    // Seconds left of the provider's cool-down; 0 when it may be used.
    int coolingFor(const QString &provider, const QDateTime &now = QDateTime::currentDateTimeUtc()) const;

private:
    struct State
    {
        int failures = 0;
        QDateTime until;
    };
    QHash<QString, State> m_states;
    int m_failures = 3;
    int m_seconds = 60;
};
