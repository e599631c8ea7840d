// The first run, as a new user meets it: a fresh profile, no key anywhere, the real keychain (the
// private gnome-keyring `./dev test` starts) and the fake provider on loopback, which takes only
// one key. The chat page's first-run panel leads from the key to the first answer.
#include "AppSettings.h"
#include "ChatPage.h"
#include "Composer.h"
#include "ConfigStore.h"
#include "ConversationView.h"
#include "Database.h"
#include "FakeProvider.h"
#include "FakeSecretBackend.h"
#include "KeyStatus.h"
#include "KeychainBackend.h"
#include "Ledger.h"
#include "MessageWidgets.h"
#include "SecretStore.h"

#include <QApplication>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

namespace {

const QString RightKey = QStringLiteral("sk-first-run-right-4f1c");
const QString WrongKey = QStringLiteral("sk-first-run-wrong-9d2e");

// A fresh profile whose providers take their keys from the keychain alone (no api_key_env).
class FirstRunFixture
{
public:
    bool start(QString *why, const QString &storedKey = {})
    {
        if (!fake.start()) {
            *why = QStringLiteral("the fake provider cannot listen");
            return false;
        }
        fake.setRequiredKey(RightKey.toUtf8());
        QFile file(dir.filePath(QStringLiteral("config.yaml")));
        if (!file.open(QIODevice::WriteOnly)) {
            *why = file.errorString();
            return false;
        }
        // Kimi is listed first: the panel still offers DeepSeek first.
        file.write(QStringLiteral(
                       "providers:\n"
                       "  - {id: km, name: Kimi, dialect: moonshot, base_url: '%1'}\n"
                       "  - {id: ds, name: DeepSeek, dialect: deepseek, base_url: '%2'}\n"
                       "  - {id: off, name: Switched Off, dialect: openai, base_url: '%3', enabled: false}\n"
                       "  - {id: emb, name: Embeddings Only, dialect: dashscope, base_url: '%4'}\n"
                       "models:\n"
                       "  - {name: kimi, provider: km, id: kimi-k2, context: 256000}\n"
                       "  - {name: fast, provider: ds, id: deepseek-chat, context: 128000,\n"
                       "     price: {currency: USD, input: 1, output: 2}}\n"
                       "  - {name: local, provider: off, id: llama, context: 8000}\n"
                       "  - {name: vectors, kind: embedding, provider: emb, id: text-embedding-v4}\n"
                       "routes:\n"
                       "  - default: fast\n")
                       .arg(fake.baseUrl(FakeDialect::Moonshot), fake.baseUrl(FakeDialect::DeepSeek),
                            fake.baseUrl(FakeDialect::OpenAI), fake.baseUrl(FakeDialect::DashScope))
                       .toUtf8());
        file.close();
        config = std::make_unique<ConfigStore>(file.fileName());
        if (!config->reload()) {
            *why = config->lastError();
            return false;
        }
        secrets = std::make_unique<SecretStore>(std::make_unique<KeychainBackend>(service));
        secrets->setTimeout(20000);
        if (!storedKey.isEmpty()) {
            const SecretResult r = writeKey(storedKey);
            if (!r.ok()) {
                *why = r.message;
                return false;
            }
        }
        keys = std::make_unique<KeyStatus>(config.get(), secrets.get());
        settings = std::make_unique<AppSettings>(dir.filePath(QStringLiteral("settings.ini")));
        database = std::make_unique<Database>(dir.filePath(QStringLiteral("switchyard.db")));
        ledger = std::make_unique<Ledger>(database.get());
        page = std::make_unique<ChatPage>(config.get(), secrets.get(), keys.get(), settings.get(), &nam);
        page->setTimeouts({5000, 5000, 30000});
        page->setStorage(database.get(), ledger.get());
        QSignalSpy opened(database.get(), &Database::opened);
        database->open();
        if (!opened.wait(10000)) {
            *why = QStringLiteral("the database did not open");
            return false;
        }
        keys->refresh();   // as the window does once it has probed the keychain
        page->resize(1100, 720);
        page->show();
        page->activateWindow();
        return QTest::qWaitForWindowActive(page.get());
    }

    SecretResult readKey(const QString &providerId = QStringLiteral("ds"))
    {
        return wait([&](auto done) { secrets->read(SecretStore::providerAccount(providerId), page.get(), done); });
    }

    SecretResult writeKey(const QString &key)
    {
        QObject context;
        return wait([&](auto done) { secrets->write(SecretStore::providerAccount(QStringLiteral("ds")), key, &context, done); });
    }

    void removeKeys()
    {
        for (const QString &id : {QStringLiteral("ds"), QStringLiteral("km")}) {
            QObject context;
            wait([&](auto done) { secrets->remove(SecretStore::providerAccount(id), &context, done); });
        }
    }

    static SecretResult wait(const std::function<void(SecretStore::Callback)> &op)
    {
        auto result = std::make_shared<std::optional<SecretResult>>();
        op([result](const SecretResult &r) { *result = r; });
        if (!QTest::qWaitFor([result] { return result->has_value(); }, 20000))
            return {SecretResult::Status::TimedOut, {}, QStringLiteral("no answer within 20 s")};
        return **result;
    }

    // Each run has a keychain service of its own, so nothing from another run can answer.
    const QString service = QStringLiteral("switchyard-test-firstrun-") + QUuid::createUuid().toString(QUuid::Id128);
    QTemporaryDir dir;
    FakeProvider fake;
    std::unique_ptr<ConfigStore> config;
    std::unique_ptr<SecretStore> secrets;
    std::unique_ptr<KeyStatus> keys;
    std::unique_ptr<AppSettings> settings;
    QNetworkAccessManager nam;
    std::unique_ptr<Database> database;
    std::unique_ptr<Ledger> ledger;
    std::unique_ptr<ChatPage> page;
};

bool keychainExpected()
{
    return qEnvironmentVariableIntValue("SWITCHYARD_REQUIRE_KEYCHAIN") != 0;
}

} // namespace

class TestFirstRun : public QObject
{
    Q_OBJECT

    std::unique_ptr<FirstRunFixture> f;

    template<typename T>
    T *find(const char *name) const
    {
        T *w = f->page->findChild<T *>(QLatin1String(name));
        if (!w)
            qWarning("no %s", name);
        return w;
    }

    QString result() const { return find<QLabel>("firstRunResultLabel")->text(); }

    void typeKey(const QString &key)
    {
        auto *edit = find<QLineEdit>("firstRunKeyEdit");
        edit->setFocus();
        edit->selectAll();
        QTest::keyClicks(edit, key);
    }

    void waitForPanel()
    {
        QTRY_VERIFY_WITH_TIMEOUT(find<QWidget>("firstRunPanel")->isVisible(), 20000);
    }

private slots:
    void initTestCase()
    {
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS")) {
            if (keychainExpected())
                QFAIL("SWITCHYARD_REQUIRE_KEYCHAIN is set but there is no D-Bus session");
            QSKIP("No D-Bus session: run the suite with ./dev test");
        }
        SecretStore probe(std::make_unique<KeychainBackend>(QStringLiteral("switchyard-test-firstrun")));
        probe.setTimeout(20000);
        const SecretResult r = FirstRunFixture::wait([&](auto done) { probe.probe(this, done); });
        if (!r.ok()) {
            if (keychainExpected())
                QFAIL(qPrintable(QStringLiteral("The keychain does not work: ") + r.message));
            QSKIP(qPrintable(QStringLiteral("No working keychain: ") + r.message));
        }
    }

    void cleanup()
    {
        if (f && f->secrets)
            f->removeKeys();
        f.reset();
    }

    void panelLeadsWithTheEnabledProviders()
    {
        f = std::make_unique<FirstRunFixture>();
        QString why;
        QVERIFY2(f->start(&why), qPrintable(why));
        waitForPanel();
        QVERIFY(!find<QWidget>("chatArea")->isVisible());
        QVERIFY(find<QLabel>("firstRunIntro")->text().contains(QStringLiteral("Add one provider's key")));
        // Enabled providers with a chat model, DeepSeek first.
        auto *combo = find<QComboBox>("firstRunProviderCombo");
        QCOMPARE(combo->count(), 2);
        QCOMPARE(combo->itemText(0), QStringLiteral("DeepSeek"));
        QCOMPARE(combo->itemText(1), QStringLiteral("Kimi"));
        QCOMPARE(combo->currentIndex(), 0);
        // The fake provider is no provider's own API host, so there is a hint, not a console link.
        const QString hint = find<QLabel>("firstRunKeyHint")->text();
        QVERIFY2(hint.contains(QStringLiteral("127.0.0.1")), qPrintable(hint));
        QVERIFY2(!hint.contains(QStringLiteral("href")), qPrintable(hint));
        // Focus waits in the masked key field; nothing to test or save until a key is there.
        auto *edit = find<QLineEdit>("firstRunKeyEdit");
        QTRY_VERIFY(edit->hasFocus());
        QCOMPARE(edit->echoMode(), QLineEdit::Password);
        QVERIFY(!find<QPushButton>("firstRunTestButton")->isEnabled());
        QVERIFY(!find<QPushButton>("firstRunSaveButton")->isEnabled());
        QTest::keyClicks(edit, QStringLiteral("x"));
        QVERIFY(find<QPushButton>("firstRunTestButton")->isEnabled());
        QVERIFY(find<QPushButton>("firstRunSaveButton")->isEnabled());
        // Tab goes on from the key to Test Connection, then Save.
        QTest::keyClick(edit, Qt::Key_Tab);
        QVERIFY(find<QPushButton>("firstRunTestButton")->hasFocus());
        QTest::keyClick(find<QPushButton>("firstRunTestButton"), Qt::Key_Tab);
        QVERIFY(find<QPushButton>("firstRunSaveButton")->hasFocus());
    }

    void testConnectionSaysOkOrWhyNot()
    {
        f = std::make_unique<FirstRunFixture>();
        QString why;
        QVERIFY2(f->start(&why), qPrintable(why));
        waitForPanel();
        typeKey(RightKey);
        QTest::mouseClick(find<QPushButton>("firstRunTestButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(result().startsWith(QStringLiteral("Connected in")), 20000);
        QVERIFY2(result().contains(QStringLiteral(" ms")), qPrintable(result()));
        QCOMPARE(f->fake.requests().last().header("Authorization"), "Bearer " + RightKey.toUtf8());
        QCOMPARE(f->fake.requests().last().path, QByteArray("/deepseek/v1/models"));

        // The fake provider quotes a refused key back, as OpenAI does; the sentence must not.
        typeKey(WrongKey);
        QVERIFY(result().isEmpty());   // the last result was about another key
        QTest::mouseClick(find<QPushButton>("firstRunTestButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(result().startsWith(QStringLiteral("The key was refused")), 20000);
        QVERIFY2(result().contains(QStringLiteral("HTTP 401")), qPrintable(result()));
        QVERIFY2(!result().contains(WrongKey), qPrintable(result()));
        // Testing saves nothing, and the panel stays.
        QCOMPARE(f->readKey().status, SecretResult::Status::NotFound);
        QVERIFY(find<QWidget>("firstRunPanel")->isVisible());
        QCOMPARE(find<QLineEdit>("firstRunKeyEdit")->text(), WrongKey);
    }

    void saveStartsTheChat()
    {
        f = std::make_unique<FirstRunFixture>();
        QString why;
        QVERIFY2(f->start(&why), qPrintable(why));
        waitForPanel();
        typeKey(RightKey);
        QTest::mouseClick(find<QPushButton>("firstRunSaveButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(find<QWidget>("chatArea")->isVisible(), 20000);
        // In the keychain, and nowhere the panel could leak it.
        const SecretResult stored = f->readKey();
        QVERIFY2(stored.ok(), qPrintable(stored.message));
        QCOMPARE(stored.secret, RightKey);
        QVERIFY(find<QLineEdit>("firstRunKeyEdit")->text().isEmpty());
        // Focus in the composer, a first prompt suggested.
        auto *input = find<ComposerInput>("composerInput");
        QTRY_VERIFY(input->hasFocus());
        QVERIFY2(input->placeholderText().startsWith(QStringLiteral("Try: ")), qPrintable(input->placeholderText()));

        // The first answer, from the provider whose key was just saved.
        QSignalSpy finished(f->page.get(), &ChatPage::answerFinished);
        QTest::keyClicks(input, QStringLiteral("Hello from the first run"));
        QTest::keyClick(input, Qt::Key_Return);
        QVERIFY(finished.wait(20000));
        const FakeRequest sent = f->fake.requests().last();
        QCOMPARE(sent.path, QByteArray("/deepseek/v1/chat/completions"));
        QCOMPARE(sent.header("Authorization"), "Bearer " + RightKey.toUtf8());
        const QList<MessageWidget *> messages = find<ConversationView>("conversationView")->messageWidgets();
        QCOMPARE(messages.size(), 2);
        QCOMPARE(messages.last()->body()->text(), FakeProvider::answerText(FakeDialect::DeepSeek, sent.json()));
        QVERIFY(messages.last()->body()->text().contains(QStringLiteral("Hello from the first run")));
        // The suggestion was for the first question only.
        QVERIFY(!input->placeholderText().startsWith(QStringLiteral("Try: ")));
    }

    void enterTestsThenSaves()
    {
        f = std::make_unique<FirstRunFixture>();
        QString why;
        QVERIFY2(f->start(&why), qPrintable(why));
        waitForPanel();
        // A refused key: Enter tests, says why, and saves nothing.
        typeKey(WrongKey);
        QTest::keyClick(find<QLineEdit>("firstRunKeyEdit"), Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(result().startsWith(QStringLiteral("The key was refused")), 20000);
        QCOMPARE(f->readKey().status, SecretResult::Status::NotFound);
        QVERIFY(find<QWidget>("firstRunPanel")->isVisible());

        // The right one: tested, then saved, then the chat.
        const int before = int(f->fake.requests().size());
        typeKey(RightKey);
        QTest::keyClick(find<QLineEdit>("firstRunKeyEdit"), Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(find<QWidget>("chatArea")->isVisible(), 20000);
        QCOMPARE(f->fake.requests().size(), before + 1);
        QCOMPARE(f->fake.requests().last().path, QByteArray("/deepseek/v1/models"));
        QCOMPARE(f->readKey().secret, RightKey);
        QTRY_VERIFY(find<ComposerInput>("composerInput")->hasFocus());
    }

    void anotherProviderIsSavedUnderItsOwnName()
    {
        f = std::make_unique<FirstRunFixture>();
        QString why;
        QVERIFY2(f->start(&why), qPrintable(why));
        waitForPanel();
        auto *combo = find<QComboBox>("firstRunProviderCombo");
        combo->setCurrentIndex(combo->findText(QStringLiteral("Kimi")));
        typeKey(RightKey);
        QTest::mouseClick(find<QPushButton>("firstRunTestButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(result().startsWith(QStringLiteral("Connected in")), 20000);
        QCOMPARE(f->fake.requests().last().path, QByteArray("/moonshot/v1/models"));
        QTest::mouseClick(find<QPushButton>("firstRunSaveButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(find<QWidget>("chatArea")->isVisible(), 20000);
        QCOMPARE(f->readKey(QStringLiteral("km")).secret, RightKey);
        QCOMPARE(f->readKey(QStringLiteral("ds")).status, SecretResult::Status::NotFound);
    }

    void lockedKeychainKeepsTheTypedKey()
    {
        f = std::make_unique<FirstRunFixture>();
        QString why;
        QVERIFY2(f->start(&why), qPrintable(why));
        waitForPanel();
        typeKey(RightKey);
        // The keychain refuses, as a locked one whose unlock prompt was dismissed does.
        auto refusing = std::make_shared<FakeSecretBackend::Shared>();
        refusing->failWith = SecretResult::Status::Locked;
        f->secrets->setBackend(std::make_unique<FakeSecretBackend>(refusing));
        QTest::mouseClick(find<QPushButton>("firstRunSaveButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(result().contains(QStringLiteral("was not saved: fake failure")), 20000);
        QVERIFY2(!result().contains(RightKey), qPrintable(result()));
        QCOMPARE(find<QLineEdit>("firstRunKeyEdit")->text(), RightKey);
        QVERIFY(find<QWidget>("firstRunPanel")->isVisible());
        QVERIFY(find<QPushButton>("firstRunSaveButton")->isEnabled());
        // Unlocked again: the same key, no retyping.
        f->secrets->setBackend(std::make_unique<KeychainBackend>(f->service));
        QTest::mouseClick(find<QPushButton>("firstRunSaveButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(find<QWidget>("chatArea")->isVisible(), 20000);
        QCOMPARE(f->readKey().secret, RightKey);
    }

    void skipShowsTheWayToSettings()
    {
        f = std::make_unique<FirstRunFixture>();
        QString why;
        QVERIFY2(f->start(&why), qPrintable(why));
        waitForPanel();
        QTest::mouseClick(find<QPushButton>("firstRunSkipButton"), Qt::LeftButton);
        QVERIFY(!find<QWidget>("firstRunPanel")->isVisible());
        QVERIFY(find<QWidget>("chatEmptyState")->isVisible());
        auto *action = find<QPushButton>("emptyAction");
        QVERIFY(action->isVisible());
        QCOMPARE(action->text(), QStringLiteral("Open Settings"));
        QSignalSpy settings(f->page.get(), &ChatPage::openSettingsRequested);
        QTest::mouseClick(action, Qt::LeftButton);
        QCOMPARE(settings.size(), 1);
        // A key added in Settings later still opens the chat.
        QVERIFY(f->writeKey(RightKey).ok());
        QTRY_VERIFY_WITH_TIMEOUT(find<QWidget>("chatArea")->isVisible(), 20000);
    }

    void aStoredKeySkipsThePanel()
    {
        f = std::make_unique<FirstRunFixture>();
        QString why;
        QVERIFY2(f->start(&why, RightKey), qPrintable(why));
        QTRY_VERIFY_WITH_TIMEOUT(find<QWidget>("chatArea")->isVisible(), 20000);
        QVERIFY(!find<QWidget>("firstRunPanel")->isVisible());
        QVERIFY(!find<ComposerInput>("composerInput")->placeholderText().startsWith(QStringLiteral("Try: ")));
    }
};

QTEST_MAIN(TestFirstRun)
#include "tst_firstrun.moc"
