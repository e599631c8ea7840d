#pragma once

#include <QCoreApplication>
#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>

class SecretStore;

// The local endpoint's keys: the main one (SWITCHYARD_GATEWAY_KEY, else the keychain entry
// "gateway", created on first use) and optional named ones ("gateway:NAME" in the keychain) so the
// ledger can tell the team's scripts apart. Keys are compared in constant time.
class GatewayKeys : public QObject
{
    Q_OBJECT

public:
    static constexpr auto EnvironmentVariable = "SWITCHYARD_GATEWAY_KEY";
    // The ledger's `client` for calls made with the main key.
    static QString mainClientName() { return QStringLiteral("api"); }

    explicit GatewayKeys(SecretStore *secrets, QObject *parent = nullptr);

    // Loads every key; `done` gets an empty string, or a sentence saying why the endpoint cannot
    // take requests (the keychain is locked, say). A named key that is missing is left out.
    void load(const QStringList &clientNames, std::function<void(const QString &error)> done);
    bool isLoaded() const { return m_loaded; }
    // Where the named keys' names are read when another process changes a key (settings.ini):
    // every key is then read again, and one that was removed or replaced stops working.
    void setClientNamesSource(std::function<QStringList()> source) { m_namesSource = std::move(source); }

    // The client a bearer token belongs to, or an empty string. Takes the same time for any token.
    QString clientFor(QByteArrayView token) const;

    QString mainKey() const { return m_mainKey; }
    bool mainKeyFromEnvironment() const { return m_fromEnvironment; }
    QStringList clientNames() const;
    QString key(const QString &clientName) const;

    // A new main key, written to the keychain (refused when the key comes from the environment).
    void regenerate(std::function<void(const QString &error)> done);
    // Creates a named key and stores it; `done` gets an error or the empty string.
    void addClient(const QString &name, std::function<void(const QString &error)> done);
    void removeClient(const QString &name, std::function<void(const QString &error)> done);

    static QString generateKey();
    static QString clientAccount(const QString &name);
    // Names a person can type in a rule: letters, digits, '-', '_' and '.'.
    static bool isValidClientName(const QString &name);

signals:
    void changed();

private:
    struct Client
    {
        QString name;
        QByteArray digest;   // SHA-256 of the key
        QString key;
    };
    struct Keys;
    void setClient(const QString &name, const QString &key);
    void readInto(std::shared_ptr<Keys> keys, const QStringList &names, quint64 generation, bool reloading,
                  std::function<void(const QString &error)> done);
    void readNamed(std::shared_ptr<Keys> keys, const QStringList &names, int i, quint64 generation, bool reloading,
                   const std::function<void(const QString &error)> &done);
    void reload();

    SecretStore *m_secrets;
    QString m_mainKey;
    bool m_fromEnvironment = false;
    bool m_loaded = false;   // the main key and the named ones
    QList<Client> m_clients;   // the main key first
    QStringList m_names;       // the named keys asked for
    std::function<QStringList()> m_namesSource;
    quint64 m_generation = 0;  // a load or reload overtaken by a newer one is dropped
    bool m_loading = false;
    bool m_reloading = false;
    bool m_reloadPending = false;   // a change came while the first load was under way
};
