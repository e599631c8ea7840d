#include "GatewayKeys.h"

#include "SecretStore.h"

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QRegularExpression>


namespace {

QByteArray digestOf(QByteArrayView key)
{
    return QCryptographicHash::hash(key, QCryptographicHash::Sha256);
}

} // namespace

GatewayKeys::GatewayKeys(SecretStore *secrets, QObject *parent)
    : QObject(parent)
    , m_secrets(secrets)
{
    connect(secrets, &SecretStore::changedElsewhere, this, &GatewayKeys::reload);
}

QString GatewayKeys::generateKey()
{
    quint32 words[8];
    QRandomGenerator::system()->fillRange(words);
    const QByteArray random(reinterpret_cast<const char *>(words), sizeof words);
    return QStringLiteral("sk-sy-")
           + QString::fromLatin1(random.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QString GatewayKeys::clientAccount(const QString &name)
{
    return SecretStore::gatewayAccount() + QLatin1Char(':') + name;
}

bool GatewayKeys::isValidClientName(const QString &name)
{
    static const QRegularExpression valid(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$"));
    return valid.match(name).hasMatch() && name != mainClientName() && name != u"window" && name != u"cli";
}

struct GatewayKeys::Keys
{
    QString mainKey;
    QList<Client> clients;
    void add(const QString &name, const QString &key) { clients.append({name, digestOf(key.toUtf8()), key}); }
};

void GatewayKeys::setClient(const QString &name, const QString &key)
{
    for (Client &c : m_clients) {
        if (c.name == name) {
            c.key = key;
            c.digest = digestOf(key.toUtf8());
            return;
        }
    }
    m_clients.append({name, digestOf(key.toUtf8()), key});
}

void GatewayKeys::load(const QStringList &clientNames, std::function<void(const QString &)> done)
{
    m_clients.clear();
    m_mainKey.clear();
    m_loaded = false;
    m_loading = true;
    m_names = clientNames;
    const quint64 generation = ++m_generation;
    readInto(std::make_shared<Keys>(), clientNames, generation, false, [this, done](const QString &error) {
        m_loading = false;
        done(error);
        if (error.isEmpty() && std::exchange(m_reloadPending, false))
            reload();   // a key changed elsewhere while these were read
    });
}

void GatewayKeys::reload()
{
    if (m_loading) {
        m_reloadPending = true;
        return;
    }
    if (!m_loaded)
        return;   // nothing is served with these keys yet; the next load reads them as they are
    if (m_namesSource)
        m_names = m_namesSource();
    const quint64 generation = ++m_generation;
    m_reloading = true;
    readInto(std::make_shared<Keys>(), m_names, generation, true, [this, generation](const QString &error) {
        if (generation == m_generation)
            m_reloading = false;
        if (!error.isEmpty())
            qWarning("switchyard: the endpoint's keys could not be read again: %s", qPrintable(error));
    });
}

// Reads the main key and then the named ones into `keys`; they replace the keys in force only once
// all are read, and only if no newer load or reload began meanwhile. A first load creates a main
// key when there is none; a reload does not (one removed elsewhere is revoked), and keeps a key
// it could not read for another reason (a locked keychain says nothing about revocation).
void GatewayKeys::readInto(std::shared_ptr<Keys> keys, const QStringList &names, quint64 generation, bool reloading,
                           std::function<void(const QString &)> done)
{
    const QString fromEnv = qEnvironmentVariable(EnvironmentVariable);
    m_fromEnvironment = !fromEnv.isEmpty();
    if (m_fromEnvironment) {
        keys->mainKey = fromEnv;
        keys->add(mainClientName(), fromEnv);
        readNamed(keys, names, 0, generation, reloading, done);
        return;
    }
    m_secrets->read(SecretStore::gatewayAccount(), this, [this, keys, names, generation, reloading, done](const SecretResult &r) {
        if (generation != m_generation)
            return;   // a newer load or reload is under way
        if (r.ok() && !r.secret.isEmpty()) {
            keys->mainKey = r.secret;
            keys->add(mainClientName(), r.secret);
            readNamed(keys, names, 0, generation, reloading, done);
            return;
        }
        const bool missing = r.ok() || r.status == SecretResult::Status::NotFound;
        if (reloading) {
            if (!missing) {
                if (const QString old = key(mainClientName()); !old.isEmpty()) {
                    keys->mainKey = old;
                    keys->add(mainClientName(), old);
                }
            }
            readNamed(keys, names, 0, generation, reloading, done);
            return;
        }
        if (!missing) {
            done(tr("The endpoint's key could not be read from the keychain: %1 Set %2 to run without it.")
                     .arg(r.message, QLatin1String(EnvironmentVariable)));
            return;
        }
        const QString fresh = generateKey();
        m_secrets->write(SecretStore::gatewayAccount(), fresh, this,
                         [this, keys, names, generation, done, fresh](const SecretResult &w) {
                             if (generation != m_generation)
                                 return;
                             if (!w.ok()) {
                                 done(tr("A key for the endpoint could not be stored in the keychain: %1 Set %2 to run "
                                         "without it.")
                                          .arg(w.message, QLatin1String(EnvironmentVariable)));
                                 return;
                             }
                             keys->mainKey = fresh;
                             keys->add(mainClientName(), fresh);
                             readNamed(keys, names, 0, generation, false, done);
                         });
    });
}

// Named keys are read one after another once the main key is in place.
void GatewayKeys::readNamed(std::shared_ptr<Keys> keys, const QStringList &names, int i, quint64 generation, bool reloading,
                            const std::function<void(const QString &)> &done)
{
    if (generation != m_generation)
        return;
    if (i >= names.size()) {
        m_mainKey = keys->mainKey;
        m_clients = keys->clients;
        m_loaded = true;
        emit changed();
        done({});
        return;
    }
    if (!isValidClientName(names[i])) {   // settings.ini edited by hand: the name would reach the ledger
        readNamed(keys, names, i + 1, generation, reloading, done);
        return;
    }
    m_secrets->read(clientAccount(names[i]), this, [this, keys, names, i, done, generation, reloading](const SecretResult &r) {
        if (generation != m_generation)
            return;   // a newer load or reload is under way
        if (r.ok() && !r.secret.isEmpty()) {
            keys->add(names[i], r.secret);
        } else if (reloading && !r.ok() && r.status != SecretResult::Status::NotFound) {
            if (const QString old = key(names[i]); !old.isEmpty())
                keys->add(names[i], old);
        }
        readNamed(keys, names, i + 1, generation, reloading, done);
    });
}

QString GatewayKeys::clientFor(QByteArrayView token) const
{
    // Compare digests of equal length, and every one of them, so the time says nothing about the key.
    const QByteArray given = digestOf(token);
    QString found;
    for (const Client &c : m_clients) {
        unsigned char diff = 0;
        for (qsizetype i = 0; i < given.size(); ++i)
            diff |= static_cast<unsigned char>(given[i] ^ c.digest[i]);
        if (diff == 0 && found.isEmpty())
            found = c.name;
    }
    return found;
}

QStringList GatewayKeys::clientNames() const
{
    QStringList names;
    for (const Client &c : m_clients) {
        if (c.name != mainClientName())
            names << c.name;
    }
    return names;
}

QString GatewayKeys::key(const QString &clientName) const
{
    for (const Client &c : m_clients) {
        if (c.name == clientName)
            return c.key;
    }
    return {};
}

void GatewayKeys::regenerate(std::function<void(const QString &)> done)
{
    if (m_fromEnvironment) {
        done(tr("The endpoint's key comes from %1; change it there.").arg(QLatin1String(EnvironmentVariable)));
        return;
    }
    const QString fresh = generateKey();
    m_secrets->write(SecretStore::gatewayAccount(), fresh, this, [this, done, fresh](const SecretResult &w) {
        if (!w.ok()) {
            done(tr("The new key could not be stored in the keychain: %1").arg(w.message));
            return;
        }
        m_mainKey = fresh;
        setClient(mainClientName(), fresh);
        if (m_reloading)
            reload();   // one under way may have read the old key
        emit changed();
        done({});
    });
}

void GatewayKeys::addClient(const QString &name, std::function<void(const QString &)> done)
{
    if (!isValidClientName(name)) {
        done(tr("\"%1\" cannot name a key: use up to 40 letters, digits, '.', '-' or '_', and not api, window or cli.")
                 .arg(name));
        return;
    }
    const QString fresh = generateKey();
    m_secrets->write(clientAccount(name), fresh, this, [this, done, name, fresh](const SecretResult &w) {
        if (!w.ok()) {
            done(tr("The key could not be stored in the keychain: %1").arg(w.message));
            return;
        }
        setClient(name, fresh);
        if (!m_names.contains(name))
            m_names << name;
        if (m_reloading)
            reload();
        emit changed();
        done({});
    });
}

void GatewayKeys::removeClient(const QString &name, std::function<void(const QString &)> done)
{
    m_secrets->remove(clientAccount(name), this, [this, done, name](const SecretResult &r) {
        if (!r.keychainWorks()) {
            done(tr("The key could not be removed from the keychain: %1").arg(r.message));
            return;
        }
        m_clients.removeIf([&](const Client &c) { return c.name == name; });
        m_names.removeAll(name);
        if (m_reloading)
            reload();
        emit changed();
        done({});
    });
}
