#include "SecretStore.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QSaveFile>
#include <QTimer>

SecretStore::SecretStore(std::unique_ptr<SecretBackend> backend, QObject *parent)
    : QObject(parent)
    , m_backend(std::move(backend))
{
    Q_ASSERT(m_backend);
    connect(this, &SecretStore::secretChanged, this, [this](const QString &account) {
        m_cache.remove(account);
        ++m_cacheGeneration;   // a read still under way must not put the old key back
        writeStamp();          // before the caller hears of it: a command may exit right after
    });
}

QString SecretStore::changeStampIn(const QString &dataDir)
{
    return QDir(dataDir).filePath(QStringLiteral("keys.changed"));
}

void SecretStore::shareChanges(const QString &stampPath)
{
    m_stampPath = stampPath;
    m_stampSeen = readStamp();
    if (!m_stampTimer) {
        m_stampTimer = new QTimer(this);
        m_stampTimer->setInterval(250);
        connect(m_stampTimer, &QTimer::timeout, this, &SecretStore::checkStamp);
    }
    m_stampTimer->start();
}

QByteArray SecretStore::readStamp() const
{
    QFile f(m_stampPath);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.read(64);
}

void SecretStore::writeStamp()
{
    if (m_stampPath.isEmpty())
        return;
    checkStamp();   // a change elsewhere since the last look is heard before this one hides it
    quint64 words[2];
    QRandomGenerator::system()->fillRange(words);
    const QByteArray token = QByteArray(reinterpret_cast<const char *>(words), sizeof words).toHex();
    QSaveFile f(m_stampPath);
    f.setDirectWriteFallback(true);
    if (f.open(QIODevice::WriteOnly)) {
        f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        f.write(token);
        if (f.commit())
            m_stampSeen = token;
    }
}

void SecretStore::checkStamp()
{
    const QByteArray stamp = readStamp();
    if (stamp == m_stampSeen)
        return;
    m_stampSeen = stamp;
    m_cache.clear();
    ++m_cacheGeneration;
    emit changedElsewhere();
}

void SecretStore::setCaching(bool on)
{
    m_caching = on;
    if (!on)
        m_cache.clear();
}

SecretStore::~SecretStore() = default;

QString SecretStore::providerAccount(const QString &providerId)
{
    return QStringLiteral("provider/") + providerId;
}

QString SecretStore::gatewayAccount()
{
    return QStringLiteral("gateway");
}

void SecretStore::setBackend(std::unique_ptr<SecretBackend> backend)
{
    Q_ASSERT(backend);
    m_retired.push_back(std::move(m_backend));
    m_backend = std::move(backend);
}

void SecretStore::run(const QObject *context, Callback done, const std::function<void(SecretBackend::Callback)> &start,
                      const QString &changedAccount)
{
    struct Pending
    {
        bool finished = false;
        QPointer<const QObject> context;
        bool hasContext = false;
        Callback done;
        QPointer<QTimer> timer;
    };
    auto pending = std::make_shared<Pending>();
    pending->context = context;
    pending->hasContext = context != nullptr;
    pending->done = std::move(done);

    QPointer<SecretStore> self(this);
    // Deliver through the event loop, once, whichever of answer and timeout comes first.
    auto finish = [pending, self, changedAccount](SecretResult result) {
        if (pending->finished || !self)
            return;
        pending->finished = true;
        if (pending->timer) {   // finish may run inside the timer's own timeout
            pending->timer->stop();
            pending->timer->deleteLater();
        }
        QMetaObject::invokeMethod(
            self.data(),
            [pending, self, changedAccount, result = std::move(result)] {
                if (result.ok() && !changedAccount.isEmpty())
                    emit self->secretChanged(changedAccount);
                if (pending->hasContext && !pending->context)
                    return;
                if (pending->done)
                    pending->done(result);
            },
            Qt::QueuedConnection);
    };

    auto *timer = new QTimer(this);
    timer->setSingleShot(true);
    pending->timer = timer;
    connect(timer, &QTimer::timeout, this, [finish] {
        finish({SecretResult::Status::TimedOut, {},
                tr("The keychain did not answer in time. If it asked for a password, unlock it and try again.")});
    });
    timer->start(m_timeoutMs);
    start(finish);
}

void SecretStore::read(const QString &account, const QObject *context, Callback done)
{
    SecretBackend *backend = m_backend.get();
    run(context, std::move(done), [backend, account](SecretBackend::Callback cb) { backend->read(account, std::move(cb)); });
}

void SecretStore::write(const QString &account, const QString &secret, const QObject *context, Callback done)
{
    SecretBackend *backend = m_backend.get();
    run(
        context, std::move(done),
        [backend, account, secret](SecretBackend::Callback cb) { backend->write(account, secret, std::move(cb)); },
        account);
}

void SecretStore::remove(const QString &account, const QObject *context, Callback done)
{
    SecretBackend *backend = m_backend.get();
    run(
        context, std::move(done),
        [backend, account](SecretBackend::Callback cb) {
            backend->remove(account, [cb](SecretResult result) {
                // Removing what is not there leaves the wished-for state: no key.
                if (result.status == SecretResult::Status::NotFound)
                    result = {SecretResult::Status::Ok, {}, {}};
                cb(std::move(result));
            });
        },
        account);
}

void SecretStore::probe(const QObject *context, Callback done)
{
    read(QStringLiteral("probe"), context, [done = std::move(done)](const SecretResult &result) {
        if (result.keychainWorks())
            done({SecretResult::Status::Ok, {}, {}});
        else
            done(result);
    });
}

void SecretStore::deliverLater(const QObject *context, Callback done, SecretResult result)
{
    QPointer<const QObject> guard(context);
    QMetaObject::invokeMethod(
        this,
        [guard, hasContext = context != nullptr, done = std::move(done), result = std::move(result)] {
            if (!hasContext || guard)
                done(result);
        },
        Qt::QueuedConnection);
}

void SecretStore::readProviderKey(const QString &providerId, const QString &apiKeyEnv, const QObject *context,
                                  Callback done)
{
    const QString fromEnv = apiKeyEnv.isEmpty() ? QString() : qEnvironmentVariable(apiKeyEnv.toUtf8().constData());
    if (!fromEnv.isEmpty()) {
        deliverLater(context, std::move(done), {SecretResult::Status::Ok, fromEnv, {}});
        return;
    }
    const QString account = providerAccount(providerId);
    if (m_caching) {
        const auto cached = m_cache.constFind(account);
        if (cached != m_cache.constEnd() && !cached->expires.hasExpired()) {
            deliverLater(context, std::move(done), {SecretResult::Status::Ok, cached->secret, {}});
            return;
        }
        QPointer<SecretStore> self(this);
        read(account, context, [self, account, generation = m_cacheGeneration, done = std::move(done)](const SecretResult &r) {
            if (self && r.ok() && self->m_cacheGeneration == generation)
                self->m_cache.insert(account, {r.secret, QDeadlineTimer(CacheMs)});
            done(r);
        });
        return;
    }
    read(account, context, std::move(done));
}
