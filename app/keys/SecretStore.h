#pragma once

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>
#include <memory>

struct SecretResult
{
    enum class Status {
        Ok,
        NotFound,      // the keychain works; there is no such entry
        Locked,        // the keychain refused: locked, or the user said no
        Unavailable,   // no keychain service could be reached
        TimedOut,      // the keychain did not answer in time
        Failed,        // anything else (for example a disk error in the opt-in file)
    };
    Status status = Status::Failed;
    QString secret;    // only for a successful read
    QString message;   // a sentence a person can act on; never contains the secret

    bool ok() const { return status == Status::Ok; }
    // True when the keychain itself works (Ok or NotFound).
    bool keychainWorks() const { return status == Status::Ok || status == Status::NotFound; }
};

// One way of keeping secrets. Implementations may call back synchronously or later, but call
// back exactly once per operation; SecretStore adds the timeout and the queued delivery.
class SecretBackend
{
public:
    using Callback = std::function<void(SecretResult)>;
    virtual ~SecretBackend() = default;
    virtual void read(const QString &account, Callback done) = 0;
    virtual void write(const QString &account, const QString &secret, Callback done) = 0;
    virtual void remove(const QString &account, Callback done) = 0;
    // True only for the OS keychain; the opt-in plain file is not secure.
    virtual bool isSecure() const = 0;
    virtual QString description() const = 0;
};

// The facade the rest of the app uses for secrets (service "switchyard": one entry per provider,
// one for the local endpoint's key). Asynchronous: every operation reports exactly once, through
// the event loop, even when the backend never answers (then as TimedOut).
class Profile;
class QTimer;

class SecretStore : public QObject
{
    Q_OBJECT

public:
    using Callback = std::function<void(const SecretResult &)>;

    explicit SecretStore(std::unique_ptr<SecretBackend> backend, QObject *parent = nullptr);
    ~SecretStore() override;
    // The store each Switchyard process on `profile` uses: the keychain, or the plain key file when
    // settings.ini opts in to it, sharing its changes with the profile's other processes.
    static std::unique_ptr<SecretStore> forProfile(const Profile &profile);

    static QString providerAccount(const QString &providerId);
    static QString gatewayAccount();
    static QString teamAccount();   // the team database's password (docs/team.md)

    // `context` bounds the callback's life: when it is destroyed first, the callback is dropped.
    void read(const QString &account, const QObject *context, Callback done);
    void write(const QString &account, const QString &secret, const QObject *context, Callback done);
    void remove(const QString &account, const QObject *context, Callback done);
    // The key a provider's calls use: its api_key_env variable when set, else the keychain entry.
    void readProviderKey(const QString &providerId, const QString &apiKeyEnv, const QObject *context, Callback done);
    // Reports Ok when the backend can be used (a read of a probe entry returned Ok or NotFound).
    void probe(const QObject *context, Callback done);

    // Keeps provider keys read from the keychain in memory for a minute, so a busy local endpoint
    // does not ask the keychain on every request. Writes and removals through this store apply at once.
    void setCaching(bool on);
    void setTimeout(int milliseconds) { m_timeoutMs = milliseconds; }
    void setBackend(std::unique_ptr<SecretBackend> backend);
    const SecretBackend &backend() const { return *m_backend; }

    // Tells the other Switchyard processes on the profile (the window, `switchyard serve`,
    // `switchyard keys`) when a secret changes here, and hears when one changes there: the stamp
    // file gets a new random token on every change, and each process looks at it four times a
    // second. A change elsewhere drops cached keys and emits changedElsewhere().
    void shareChanges(const QString &stampPath);
    static QString changeStampIn(const QString &dataDir);

signals:
    // A secret was written or removed (so views showing key status can refresh).
    void secretChanged(const QString &account);
    // Another process changed a secret (which one is not said): read again what matters.
    void changedElsewhere();

private:
    void run(const QObject *context, Callback done, const std::function<void(SecretBackend::Callback)> &start,
             const QString &changedAccount = QString());

    void deliverLater(const QObject *context, Callback done, SecretResult result);
    QByteArray readStamp() const;
    void writeStamp();
    void checkStamp();

    QString m_stampPath;
    QByteArray m_stampSeen;
    QTimer *m_stampTimer = nullptr;

    struct Cached
    {
        QString secret;
        QDeadlineTimer expires;
    };
    static constexpr int CacheMs = 60'000;
    bool m_caching = false;
    QHash<QString, Cached> m_cache;
    quint64 m_cacheGeneration = 0;
    std::unique_ptr<SecretBackend> m_backend;
    // Backends retired by setBackend() while operations may still be running on them.
    std::vector<std::unique_ptr<SecretBackend>> m_retired;
    int m_timeoutMs = 120000;
};
