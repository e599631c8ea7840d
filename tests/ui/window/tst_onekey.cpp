// A newcomer's first key, in the real window: the shipped catalog and rules, one DeepSeek key in the
// real keychain (gnome-keyring in the test's D-Bus session), DeepSeek played by the fake provider
// over loopback, a real SQLite profile. A reasoning prompt and a 100K-token document, typed and
// pasted into the composer, are answered by DeepSeek; the badge and the ledger say why.
#include "AppSettings.h"
#include "ChatPage.h"
#include "Composer.h"
#include "ConfigStore.h"
#include "ConversationView.h"
#include "Database.h"
#include "FakeProvider.h"
#include "KeyStatus.h"
#include "KeychainBackend.h"
#include "Ledger.h"
#include "MainWindow.h"
#include "MessageWidgets.h"
#include "SecretStore.h"
#include "SqlRows.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

namespace {

constexpr auto Key = "sk-onekey-test-4f1c";

QString catalogFor(const FakeProvider &fake)
{
    QFile catalog(QStringLiteral(":/catalog/catalog.yaml"));
    if (!catalog.open(QIODevice::ReadOnly))
        return {};
    QString text = QString::fromUtf8(catalog.readAll());
    // Only DeepSeek is played here; the others have no key, so nothing may ever be sent to them.
    text.replace(QStringLiteral("base_url: https://api.deepseek.com"),
                 QStringLiteral("base_url: %1").arg(fake.baseUrl(FakeDialect::DeepSeek)));
    return text;
}

} // namespace

class TestOneKey : public QObject
{
    Q_OBJECT

    QTemporaryDir dir;
    FakeProvider fake;
    QNetworkAccessManager nam;
    std::unique_ptr<AppSettings> settings;
    std::unique_ptr<ConfigStore> config;
    std::unique_ptr<SecretStore> secrets;
    std::unique_ptr<KeyStatus> keys;
    std::unique_ptr<Database> database;
    std::unique_ptr<Ledger> ledger;
    std::unique_ptr<MainWindow> window;

    Profile profile() const { return Profile::inDirectory(dir.path()); }

    template<typename T>
    T *find(const char *name) const
    {
        return window->findChild<T *>(QLatin1String(name));
    }

    MessageWidget *lastAnswer() const
    {
        const QList<MessageWidget *> w = find<ConversationView>("conversationView")->messageWidgets();
        return w.isEmpty() ? nullptr : w.last();
    }

    QString lastBadge() const { return lastAnswer()->findChild<QLabel *>(QStringLiteral("answerBadge"))->text(); }

    QList<QVariantMap> ledgerRows()
    {
        ledger->flush();
        return sqlRows(profile().databasePath(),
                       QStringLiteral("SELECT attempt, rule, task_type, model, provider, status, completion_tokens "
                                      "FROM ledger ORDER BY id"));
    }

    // Enter in the composer sends; true once the answer is finished.
    bool sendFromTheKeyboard()
    {
        auto *input = find<ComposerInput>("composerInput");
        QSignalSpy finished(find<ChatPage>("chatPage"), &ChatPage::answerFinished);
        QTest::keyClick(input, Qt::Key_Return);
        return finished.wait(20000);
    }

private slots:
    void initTestCase()
    {
        for (const char *env : {"DEEPSEEK_API_KEY", "MOONSHOT_API_KEY", "MINIMAX_API_KEY", "DASHSCOPE_API_KEY", "OPENROUTER_API_KEY"})
            qunsetenv(env);
        QVERIFY(dir.isValid());
        QVERIFY(fake.start());
        fake.setRequiredKey(Key);   // the key must come out of the keychain, whole
        QFile file(profile().configPath());
        QVERIFY(file.open(QIODevice::WriteOnly));
        const QString yaml = catalogFor(fake);
        QVERIFY(yaml.contains(fake.baseUrl(FakeDialect::DeepSeek)));
        file.write(yaml.toUtf8());
        file.close();

        settings = std::make_unique<AppSettings>(profile().settingsPath());
        config = std::make_unique<ConfigStore>(profile().configPath());
        QVERIFY2(config->reload(), qPrintable(config->lastError()));
        secrets = std::make_unique<SecretStore>(std::make_unique<KeychainBackend>(QStringLiteral("switchyard-test-onekey")));
        secrets->setTimeout(10000);
        for (const ProviderConfig &p : config->config().providers) {   // left over from an earlier run
            QSignalSpy removed(secrets.get(), &SecretStore::secretChanged);
            secrets->remove(SecretStore::providerAccount(p.id), this, [](const SecretResult &) {});
            QVERIFY(removed.wait(10000));
        }
        bool stored = false;
        secrets->write(SecretStore::providerAccount(QStringLiteral("deepseek")), QString::fromLatin1(Key), this,
                       [&stored](const SecretResult &r) { stored = r.ok(); });
        QTRY_VERIFY_WITH_TIMEOUT(stored, 10000);
        keys = std::make_unique<KeyStatus>(config.get(), secrets.get());

        database = std::make_unique<Database>(profile().databasePath());
        ledger = std::make_unique<Ledger>(database.get());
        window = std::make_unique<MainWindow>(config.get(), secrets.get(), keys.get(), settings.get(), profile(), &nam);
        window->setChatStorage(database.get(), ledger.get());
        QSignalSpy opened(database.get(), &Database::opened);
        database->open();
        QVERIFY(opened.wait(10000));
        window->resize(1100, 720);
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        window->startChecks();
        QTRY_VERIFY_WITH_TIMEOUT(window->startupChecksDone(), 20000);
        QVERIFY(keys->hasKey(QStringLiteral("deepseek")));
        QCOMPARE(keys->keyless().size(), 5);   // Kimi, MiniMax, Qwen, OpenRouter, and the (disabled) local server
    }

    void cleanupTestCase()
    {
        window.reset();
        ledger.reset();
        database.reset();
        if (secrets) {
            QSignalSpy removed(secrets.get(), &SecretStore::secretChanged);
            secrets->remove(SecretStore::providerAccount(QStringLiteral("deepseek")), this, [](const SecretResult &) {});
            removed.wait(10000);
        }
    }

    void pickersSayWhichModelsHaveNoKey()
    {
        auto *picker = find<QComboBox>("modelPicker");
        const int kimi = picker->findData(QStringLiteral("kimi-2.6"));
        QVERIFY(kimi > 0);
        auto *items = qobject_cast<QStandardItemModel *>(picker->model());
        QVERIFY2(items->item(kimi)->toolTip().contains(QStringLiteral("Kimi (Moonshot) has no key")),
                 qPrintable(items->item(kimi)->toolTip()));
        QVERIFY(items->item(picker->findData(QStringLiteral("deepseek-v4-pro")))->toolTip().isEmpty());
        QStringList headers;
        for (int i = 0; i < picker->count(); ++i) {
            if (picker->itemData(i).isNull() && i > 0)
                headers << picker->itemText(i);
        }
        QVERIFY2(headers.contains(QStringLiteral("DeepSeek")), qPrintable(headers.join(u'|')));
        QVERIFY2(headers.contains(QStringLiteral("Qwen (DashScope) · no key")), qPrintable(headers.join(u'|')));
    }

    void aReasoningPromptIsAnsweredByDeepSeek()
    {
        auto *input = find<ComposerInput>("composerInput");
        input->setFocus();
        QTest::keyClicks(input, QStringLiteral("Prove that sqrt(2) is irrational"));   // QTest types ASCII only
        QVERIFY(sendFromTheKeyboard());

        QVERIFY2(lastAnswer()->findChild<QWidget *>(QStringLiteral("answerError"))->isHidden(), "the answer failed");
        QCOMPARE(lastAnswer()->findChild<QLabel *>(QStringLiteral("messageAuthor"))->text(), QStringLiteral("deepseek-v4-pro"));
        const QString badge = lastBadge();
        QVERIFY2(badge.contains(QStringLiteral("DeepSeek")), qPrintable(badge));
        QVERIFY2(badge.contains(QStringLiteral("rule “route 2”")), qPrintable(badge));
        QVERIFY2(badge.contains(QStringLiteral("qwen3-235b passed over")), qPrintable(badge));
        QVERIFY2(!badge.contains(QStringLiteral("fallback")), qPrintable(badge));   // nothing was tried and failed
        const QString tip = lastAnswer()->findChild<QLabel *>(QStringLiteral("answerBadge"))->toolTip();
        QVERIFY2(tip.contains(QStringLiteral("qwen3-235b: Qwen (DashScope) has no key")), qPrintable(tip));

        // Only DeepSeek was called, with the keychain's key, for the model the rules fell back to.
        QCOMPARE(fake.requests().size(), 1);
        QVERIFY(fake.requests().last().path.startsWith("/deepseek/"));
        QCOMPARE(fake.requests().last().json().value(QStringLiteral("model")).toString(), QStringLiteral("deepseek-v4-pro"));

        QList<QVariantMap> rows;
        QTRY_VERIFY((rows = ledgerRows()).size() == 2);
        QCOMPARE(rows[0].value(QStringLiteral("attempt")).toInt(), 1);
        QCOMPARE(rows[0].value(QStringLiteral("model")).toString(), QStringLiteral("qwen3-235b"));
        QCOMPARE(rows[0].value(QStringLiteral("provider")).toString(), QStringLiteral("dashscope"));
        QCOMPARE(rows[0].value(QStringLiteral("status")).toString(), QStringLiteral("no_key"));
        QCOMPARE(rows[0].value(QStringLiteral("completion_tokens")).toLongLong(), 0);
        QCOMPARE(rows[1].value(QStringLiteral("attempt")).toInt(), 2);
        QCOMPARE(rows[1].value(QStringLiteral("model")).toString(), QStringLiteral("deepseek-v4-pro"));
        QCOMPARE(rows[1].value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
        for (const QVariantMap &r : std::as_const(rows)) {
            QCOMPARE(r.value(QStringLiteral("rule")).toString(), QStringLiteral("route 2"));
            QCOMPARE(r.value(QStringLiteral("task_type")).toString(), QStringLiteral("reasoning"));
        }
    }

    void aLongDocumentIsAnsweredByDeepSeek()
    {
        QTest::mouseClick(find<QPushButton>("newChatButton"), Qt::LeftButton);
        auto *input = find<ComposerInput>("composerInput");
        input->setFocus();
        // About 100K tokens, pasted.
        QString document;
        for (int i = 0; document.size() < 420'000; ++i)
            document += QStringLiteral("Clause %1: the supplier delivers the goods described in schedule A on time. ").arg(i);
        QGuiApplication::clipboard()->setText(document + QStringLiteral("\n\nSummarise this contract."));
        QTest::keyClick(input, Qt::Key_V, Qt::ControlModifier);
        const int before = int(fake.requests().size());
        QVERIFY(sendFromTheKeyboard());

        QCOMPARE(lastAnswer()->findChild<QLabel *>(QStringLiteral("messageAuthor"))->text(), QStringLiteral("deepseek-v4-pro"));
        const QString badge = lastBadge();
        QVERIFY2(badge.contains(QStringLiteral("rule “route 1”")), qPrintable(badge));
        QVERIFY2(badge.contains(QStringLiteral("kimi-2.6 passed over")), qPrintable(badge));
        QCOMPARE(fake.requests().size(), before + 1);
        QVERIFY(fake.requests().last().body.size() > 400'000);   // the whole document went

        QList<QVariantMap> rows;
        QTRY_VERIFY((rows = ledgerRows()).size() == 4);
        QCOMPARE(rows[2].value(QStringLiteral("model")).toString(), QStringLiteral("kimi-2.6"));
        QCOMPARE(rows[2].value(QStringLiteral("status")).toString(), QStringLiteral("no_key"));
        QCOMPARE(rows[3].value(QStringLiteral("model")).toString(), QStringLiteral("deepseek-v4-pro"));
        QCOMPARE(rows[3].value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
        QCOMPARE(rows[3].value(QStringLiteral("rule")).toString(), QStringLiteral("route 1"));
        QCOMPARE(rows[3].value(QStringLiteral("task_type")).toString(), QStringLiteral("long_document"));
    }

    // A keyless model asked for by name is not swapped: the answer says which key is missing and
    // its button opens that provider in Settings.
    void aKeylessModelByNameSaysWhichKeyIsMissing()
    {
        QTest::mouseClick(find<QPushButton>("newChatButton"), Qt::LeftButton);
        auto *picker = find<QComboBox>("modelPicker");
        picker->setCurrentIndex(picker->findData(QStringLiteral("qwen3-235b")));
        auto *input = find<ComposerInput>("composerInput");
        input->setFocus();
        QTest::keyClicks(input, QStringLiteral("Hello"));
        const int before = int(fake.requests().size());
        QVERIFY2(sendFromTheKeyboard(), qPrintable(find<QLabel>("composerStatus")->text()));
        QCOMPARE(fake.requests().size(), before);   // nothing was sent anywhere
        auto *error = lastAnswer()->findChild<QLabel *>(QStringLiteral("answerErrorText"));
        QVERIFY2(error->text().contains(QStringLiteral("No key for this provider")), qPrintable(error->text()));
        QVERIFY2(error->text().contains(QStringLiteral("Qwen (DashScope)")), qPrintable(error->text()));
        QVERIFY2(!error->text().contains(QStringLiteral("The provider said")), qPrintable(error->text()));
        auto *add = lastAnswer()->findChild<QAbstractButton *>(QStringLiteral("errorSettingsButton"));
        QVERIFY(add->isVisible());
        QCOMPARE(add->text(), QStringLiteral("Add a Key…"));
        QTest::mouseClick(add, Qt::LeftButton);
        QCOMPARE(window->currentPage(), MainWindow::Page::Settings);
        auto *table = find<QTableWidget>("providerKeysTable");
        QVERIFY(table->currentRow() >= 0);
        QCOMPARE(table->item(table->currentRow(), 0)->data(Qt::UserRole).toString(), QStringLiteral("dashscope"));
        picker->setCurrentIndex(0);
    }
};

QTEST_MAIN(TestOneKey)
#include "tst_onekey.moc"
