#include "ConfigStore.h"
#include "FakeSecretBackend.h"
#include "FileModes.h"
#include "KeyStatus.h"
#include "PlainFileSecretBackend.h"
#include "SecretStore.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

class TestSecretStore : public QObject
{
    Q_OBJECT

    std::shared_ptr<FakeSecretBackend::Shared> shared;
    std::unique_ptr<SecretStore> store;

private slots:
    void init()
    {
        shared = std::make_shared<FakeSecretBackend::Shared>();
        store = std::make_unique<SecretStore>(std::make_unique<FakeSecretBackend>(shared));
    }

    void roundTripIsAsynchronous()
    {
        QList<SecretResult> results;
        QSignalSpy changed(store.get(), &SecretStore::secretChanged);
        store->write(SecretStore::providerAccount(QStringLiteral("deepseek")), QStringLiteral("sk-1"), this,
                     [&](const SecretResult &r) { results << r; });
        QCOMPARE(results.size(), 0);   // never re-entrant, even when the backend answers at once
        QTRY_COMPARE(results.size(), 1);
        QVERIFY(results[0].ok());
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).toString(), QStringLiteral("provider/deepseek"));
        QCOMPARE(shared->entries.value(QStringLiteral("provider/deepseek")), QStringLiteral("sk-1"));

        store->read(QStringLiteral("provider/deepseek"), this, [&](const SecretResult &r) { results << r; });
        QTRY_COMPARE(results.size(), 2);
        QCOMPARE(results[1].secret, QStringLiteral("sk-1"));

        store->remove(QStringLiteral("provider/deepseek"), this, [&](const SecretResult &r) { results << r; });
        store->remove(QStringLiteral("provider/deepseek"), this, [&](const SecretResult &r) { results << r; });
        QTRY_COMPARE(results.size(), 4);
        QVERIFY(results[2].ok());
        QVERIFY(results[3].ok());   // already gone is what removing asks for

        store->read(QStringLiteral("provider/deepseek"), this, [&](const SecretResult &r) { results << r; });
        QTRY_COMPARE(results.size(), 5);
        QCOMPARE(results[4].status, SecretResult::Status::NotFound);
        QVERIFY(results[4].keychainWorks());
    }

    void silentBackendTimesOutExactlyOnce()
    {
        shared->mode = FakeSecretBackend::Mode::Manual;
        store->setTimeout(50);
        int calls = 0;
        SecretResult last;
        store->read(QStringLiteral("gateway"), this, [&](const SecretResult &r) {
            ++calls;
            last = r;
        });
        QTRY_COMPARE(calls, 1);
        QCOMPARE(last.status, SecretResult::Status::TimedOut);
        QVERIFY(last.message.contains(QStringLiteral("did not answer")));
        // The late answer is dropped.
        QCOMPARE(shared->pending.size(), 1);
        shared->pending.takeFirst()();
        QTest::qWait(20);
        QCOMPARE(calls, 1);
    }

    void answerBeforeTimeoutReportsOnce()
    {
        shared->mode = FakeSecretBackend::Mode::Manual;
        store->setTimeout(100);
        int calls = 0;
        store->read(QStringLiteral("gateway"), this, [&](const SecretResult &) { ++calls; });
        shared->pending.takeFirst()();
        QTRY_COMPARE(calls, 1);
        QTest::qWait(200);   // past the timeout: still one report
        QCOMPARE(calls, 1);
    }

    void destroyedContextDropsTheCallback()
    {
        shared->mode = FakeSecretBackend::Mode::Manual;
        bool called = false;
        auto *context = new QObject;
        store->read(QStringLiteral("gateway"), context, [&](const SecretResult &) { called = true; });
        delete context;
        shared->pending.takeFirst()();
        QTest::qWait(20);
        QVERIFY(!called);
    }

    void failuresCarryTheirStatus()
    {
        shared->failWith = SecretResult::Status::Locked;
        SecretResult result;
        bool done = false;
        store->write(QStringLiteral("gateway"), QStringLiteral("x"), this, [&](const SecretResult &r) {
            result = r;
            done = true;
        });
        QTRY_VERIFY(done);
        QCOMPARE(result.status, SecretResult::Status::Locked);
        QVERIFY(!result.keychainWorks());
    }

    void probe()
    {
        SecretResult result;
        bool done = false;
        store->probe(this, [&](const SecretResult &r) {
            result = r;
            done = true;
        });
        QTRY_VERIFY(done);
        QVERIFY(result.ok());   // NotFound means the keychain works

        shared->failWith = SecretResult::Status::Unavailable;
        done = false;
        store->probe(this, [&](const SecretResult &r) {
            result = r;
            done = true;
        });
        QTRY_VERIFY(done);
        QCOMPARE(result.status, SecretResult::Status::Unavailable);
    }

    void keyStatusReadsEnvironmentAndKeychain()
    {
        QTemporaryDir dir;
        ConfigStore config(dir.filePath(QStringLiteral("config.yaml")));
        config.reload();
        KeyStatus keys(&config, store.get());
        qputenv("DEEPSEEK_API_KEY", "sk-env");
        qunsetenv("MOONSHOT_API_KEY");
        shared->entries.insert(QStringLiteral("provider/moonshot"), QStringLiteral("sk-kimi"));
        keys.refresh();
        QVERIFY(keys.checking());
        QTRY_VERIFY(!keys.checking());
        QVERIFY(keys.anyKey());
        auto state = [&keys](const QString &id) {
            for (const KeyStatus::Entry &e : keys.entries())
                if (e.providerId == id)
                    return e.state;
            return KeyStatus::State::Error;
        };
        QCOMPARE(state(QStringLiteral("deepseek")), KeyStatus::State::FromEnvironment);
        QCOMPARE(state(QStringLiteral("moonshot")), KeyStatus::State::Stored);
        QCOMPARE(state(QStringLiteral("minimax")), KeyStatus::State::Missing);
        qunsetenv("DEEPSEEK_API_KEY");

        // A write elsewhere updates the status without a full refresh.
        bool written = false;
        store->write(SecretStore::providerAccount(QStringLiteral("minimax")), QStringLiteral("k"), this,
                     [&](const SecretResult &) { written = true; });
        QTRY_VERIFY(written);
        QTRY_COMPARE(state(QStringLiteral("minimax")), KeyStatus::State::Stored);

        shared->failWith = SecretResult::Status::Unavailable;
        keys.refresh();
        QTRY_VERIFY(!keys.checking());
        QVERIFY(!keys.anyKey());
        QCOMPARE(keys.keychainProblem(), QStringLiteral("fake failure"));
    }

    void plainFileIsPrivate()
    {
        const UmaskZero umaskZero;   // the folder was 0777 and the file 0666 under it
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("sub/keys.ini"));
        SecretStore plain(std::make_unique<PlainFileSecretBackend>(path));
        QVERIFY(!plain.backend().isSecure());
        QVERIFY(plain.backend().description().contains(QStringLiteral("keys.ini")));
        QList<SecretResult> results;
        plain.write(QStringLiteral("provider/x"), QStringLiteral("sk-plain"), this, [&](const SecretResult &r) { results << r; });
        QTRY_COMPARE(results.size(), 1);
        QVERIFY2(results[0].ok(), qPrintable(results[0].message));
        QCOMPARE(fileMode(path), 0600);
        QCOMPARE(fileMode(dir.filePath(QStringLiteral("sub"))), 0700);
        plain.read(QStringLiteral("provider/x"), this, [&](const SecretResult &r) { results << r; });
        QTRY_COMPARE(results.size(), 2);
        QCOMPARE(results[1].secret, QStringLiteral("sk-plain"));
        plain.remove(QStringLiteral("provider/x"), this, [&](const SecretResult &r) { results << r; });
        plain.read(QStringLiteral("provider/x"), this, [&](const SecretResult &r) { results << r; });
        QTRY_COMPARE(results.size(), 4);
        QCOMPARE(results[3].status, SecretResult::Status::NotFound);
        QCOMPARE(fileMode(path), 0600);   // QSettings rewrote it, keeping the mode
    }

    void plainFileLeftReadableIsTightened()
    {
        const UmaskZero umaskZero;
        QTemporaryDir dir;
        const QString chosen = dir.filePath(QStringLiteral("chosen"));
        QVERIFY(QDir().mkdir(chosen));
        QCOMPARE(::chmod(QFile::encodeName(chosen).constData(), 0755), 0);
        const QString path = chosen + QStringLiteral("/keys.ini");
        QFile old(path);
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.write("[keys]\nprovider%2Fx=sk-old\n");
        old.close();
        QCOMPARE(::chmod(QFile::encodeName(path).constData(), 0644), 0);
        SecretStore plain(std::make_unique<PlainFileSecretBackend>(path));
        QCOMPARE(fileMode(path), 0600);   // at start, before any key is read or written
        QList<SecretResult> results;
        plain.write(QStringLiteral("provider/y"), QStringLiteral("sk-new"), this, [&](const SecretResult &r) { results << r; });
        QTRY_COMPARE(results.size(), 1);
        QVERIFY2(results[0].ok(), qPrintable(results[0].message));
        QCOMPARE(fileMode(path), 0600);
        // A folder of the user's own choosing (SWITCHYARD_INSECURE_KEYS_FILE) that existed keeps its mode.
        QCOMPARE(fileMode(chosen), 0755);
    }
};

QTEST_GUILESS_MAIN(TestSecretStore)
#include "tst_secretstore.moc"
