// Integration test against the real Secret Service. `./dev test` (and CI) run it inside a private
// D-Bus session with an unlocked gnome-keyring and set SWITCHYARD_REQUIRE_KEYCHAIN=1, so there a
// missing keychain is a failure; run alone on a desktop without one, it is skipped.
#include "KeychainBackend.h"
#include "SecretStore.h"

#include <QTest>
#include <QUuid>

class TestKeychain : public QObject
{
    Q_OBJECT

    std::unique_ptr<SecretStore> store;

    SecretResult run(const std::function<void(SecretStore::Callback)> &op)
    {
        std::optional<SecretResult> result;
        op([&result](const SecretResult &r) { result = r; });
        if (!QTest::qWaitFor([&result] { return result.has_value(); }, 20000))
            return {SecretResult::Status::TimedOut, {}, QStringLiteral("no answer within 20 s")};
        return *result;
    }

private slots:
    void initTestCase()
    {
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS")) {
            if (qEnvironmentVariableIntValue("SWITCHYARD_REQUIRE_KEYCHAIN"))
                QFAIL("SWITCHYARD_REQUIRE_KEYCHAIN is set but there is no D-Bus session");
            QSKIP("No D-Bus session: run the suite with ./dev test");
        }
        store = std::make_unique<SecretStore>(std::make_unique<KeychainBackend>(QStringLiteral("switchyard-test")));
        store->setTimeout(20000);
        const SecretResult probe = run([this](auto cb) { store->probe(this, cb); });
        if (!probe.ok()) {
            if (qEnvironmentVariableIntValue("SWITCHYARD_REQUIRE_KEYCHAIN"))
                QFAIL(qPrintable(QStringLiteral("The keychain does not work: ") + probe.message));
            QSKIP(qPrintable(QStringLiteral("No working keychain: ") + probe.message));
        }
    }

    void storeReadRemove()
    {
        const QString account = QStringLiteral("provider/test-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
        const QString secret = QStringLiteral("sk-密钥-") + QUuid::createUuid().toString(QUuid::WithoutBraces);

        SecretResult r = run([&](auto cb) { store->read(account, this, cb); });
        QCOMPARE(r.status, SecretResult::Status::NotFound);

        r = run([&](auto cb) { store->write(account, secret, this, cb); });
        QVERIFY2(r.ok(), qPrintable(r.message));

        r = run([&](auto cb) { store->read(account, this, cb); });
        QVERIFY2(r.ok(), qPrintable(r.message));
        QCOMPARE(r.secret, secret);

        // Overwrite.
        r = run([&](auto cb) { store->write(account, secret + QStringLiteral("-2"), this, cb); });
        QVERIFY(r.ok());
        r = run([&](auto cb) { store->read(account, this, cb); });
        QCOMPARE(r.secret, secret + QStringLiteral("-2"));

        r = run([&](auto cb) { store->remove(account, this, cb); });
        QVERIFY2(r.ok(), qPrintable(r.message));

        r = run([&](auto cb) { store->read(account, this, cb); });
        QCOMPARE(r.status, SecretResult::Status::NotFound);
    }

    void separateEntriesPerAccount()
    {
        const QString a = SecretStore::providerAccount(QStringLiteral("a-") + QUuid::createUuid().toString(QUuid::Id128));
        const QString b = SecretStore::providerAccount(QStringLiteral("b-") + QUuid::createUuid().toString(QUuid::Id128));
        QVERIFY(run([&](auto cb) { store->write(a, QStringLiteral("one"), this, cb); }).ok());
        QVERIFY(run([&](auto cb) { store->write(b, QStringLiteral("two"), this, cb); }).ok());
        QCOMPARE(run([&](auto cb) { store->read(a, this, cb); }).secret, QStringLiteral("one"));
        QCOMPARE(run([&](auto cb) { store->read(b, this, cb); }).secret, QStringLiteral("two"));
        QVERIFY(run([&](auto cb) { store->remove(a, this, cb); }).ok());
        QCOMPARE(run([&](auto cb) { store->read(b, this, cb); }).secret, QStringLiteral("two"));
        QVERIFY(run([&](auto cb) { store->remove(b, this, cb); }).ok());
    }
};

QTEST_GUILESS_MAIN(TestKeychain)
#include "tst_keychain.moc"
