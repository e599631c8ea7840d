#include "AppSettings.h"
#include "ChatPage.h"
#include "Composer.h"
#include "ConfigStore.h"
#include "Documentation.h"
#include "EmptyState.h"
#include "FakeProvider.h"
#include "FakeSecretBackend.h"
#include "KeyEntryDialog.h"
#include "KeyStatus.h"
#include "MainWindow.h"
#include "SecretStore.h"
#include "ShortcutsDialog.h"
#include "WheelInput.h"
#include "WindowGeometry.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QSpinBox>
#include <QApplication>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QVBoxLayout>
#include <QStackedWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

namespace {

QList<QRect> rects(std::initializer_list<QRect> list)
{
    return QList<QRect>(list);
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> dir;
    std::shared_ptr<FakeSecretBackend::Shared> keychain;
    std::unique_ptr<AppSettings> settings;
    std::unique_ptr<ConfigStore> config;
    std::unique_ptr<SecretStore> secrets;
    std::unique_ptr<KeyStatus> keys;
    std::unique_ptr<MainWindow> window;
    QNetworkAccessManager nam;

    Profile profile() const { return Profile::inDirectory(dir->path()); }

    void openWindow()
    {
        window = std::make_unique<MainWindow>(config.get(), secrets.get(), keys.get(), settings.get(), profile(), &nam);
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        window->startChecks();
        QTRY_VERIFY(window->startupChecksDone());
    }

    // With a key, so that the chat shows its conversation and composer.
    void openWindowWithAKey()
    {
        keychain->entries.insert(QStringLiteral("provider/deepseek"), QStringLiteral("sk-test"));
        openWindow();
        window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(window.get()));
        QTRY_VERIFY(find<QWidget>("chatArea")->isVisible());
    }

    void clickNavigation(int row)
    {
        auto *nav = find<QListWidget>("navigation");
        QTest::mouseClick(nav->viewport(), Qt::LeftButton, {}, nav->visualItemRect(nav->item(row)).center());
    }

    template<typename T>
    T *find(const char *name) const
    {
        T *w = window->findChild<T *>(QLatin1String(name));
        if (!w)
            qWarning("no %s", name);
        return w;
    }

    int rowOf(const QString &providerId)
    {
        auto *table = find<QTableWidget>("providerKeysTable");
        for (int row = 0; row < table->rowCount(); ++row) {
            if (table->item(row, 0)->data(Qt::UserRole).toString() == providerId)
                return row;
        }
        return -1;
    }

    // Answers the question about unsaved settings, as a user would, once it shows.
    void answerUnsavedPrompt(QMessageBox::StandardButton button)
    {
        QMessageBox *box = nullptr;
        QTRY_VERIFY((box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())));
        QCOMPARE(box->text(), QStringLiteral("Save changes to the DeepSeek settings?"));
        QTest::mouseClick(box->button(button), Qt::LeftButton);
        QTRY_VERIFY(!QApplication::activeModalWidget());
    }

private slots:
    void init()
    {
        dir = std::make_unique<QTemporaryDir>();
        qputenv("SWITCHYARD_INSECURE_KEYS_FILE", dir->filePath(QStringLiteral("outside/keys.ini")).toUtf8());
        for (const char *env : {"DEEPSEEK_API_KEY", "MOONSHOT_API_KEY", "MINIMAX_API_KEY", "DASHSCOPE_API_KEY", "OPENROUTER_API_KEY"})
            qunsetenv(env);
        keychain = std::make_shared<FakeSecretBackend::Shared>();
        settings = std::make_unique<AppSettings>(profile().settingsPath());
        config = std::make_unique<ConfigStore>(profile().configPath());
        config->reload();
        secrets = std::make_unique<SecretStore>(std::make_unique<FakeSecretBackend>(keychain));
        keys = std::make_unique<KeyStatus>(config.get(), secrets.get());
    }

    void cleanup()
    {
        window.reset();
        keys.reset();
        secrets.reset();
        config.reset();
        settings.reset();
        dir.reset();
    }

    void sectionsAndNavigation()
    {
        openWindow();
        auto *nav = find<QListWidget>("navigation");
        auto *pages = find<QStackedWidget>("pages");
        QVERIFY(nav && pages);
        QCOMPARE(nav->count(), 3);
        QCOMPARE(pages->currentWidget()->objectName(), QStringLiteral("chatPage"));
        nav->setCurrentRow(1);
        QCOMPARE(pages->currentWidget()->objectName(), QStringLiteral("dashboardPage"));
        nav->setCurrentRow(2);
        QCOMPARE(pages->currentWidget()->objectName(), QStringLiteral("settingsPage"));
        QCOMPARE(window->windowTitle(), QStringLiteral("Switchyard"));
        QVERIFY(!window->windowIcon().isNull());
    }

    void chatSaysWhatIsMissingAndLeadsToSettings()
    {
        openWindow();
        // The first-run panel asks for a key; skipping it leaves the way to Settings.
        QTRY_VERIFY(find<QWidget>("firstRunPanel")->isVisible());
        QCOMPARE(find<QComboBox>("firstRunProviderCombo")->currentText(), QStringLiteral("DeepSeek"));
        QVERIFY(find<QLabel>("firstRunKeyHint")->text().contains(QStringLiteral("https://platform.deepseek.com/")));
        QTest::mouseClick(find<QPushButton>("firstRunSkipButton"), Qt::LeftButton);
        auto *state = find<EmptyState>("chatEmptyState");
        QVERIFY(state->isVisible());
        QCOMPARE(state->title(), QStringLiteral("No provider has a key yet — add one in Settings"));
        auto *action = state->findChild<QPushButton *>(QStringLiteral("emptyAction"));
        QVERIFY(action->isVisible());
        QTest::mouseClick(action, Qt::LeftButton);
        QCOMPARE(window->currentPage(), MainWindow::Page::Settings);

        // With nothing in the ledger, the dashboard shows no numbers, says why, and leads to Chat.
        window->showPage(MainWindow::Page::Dashboard);
        auto *dashboard = find<EmptyState>("dashboardEmptyState");
        QTRY_VERIFY(dashboard->isVisible());
        QCOMPARE(dashboard->title(), QStringLiteral("No calls recorded yet"));
        QVERIFY(dashboard->body().contains(QStringLiteral("Chat page")));
        QTest::mouseClick(dashboard->findChild<QPushButton *>(QStringLiteral("emptyAction")), Qt::LeftButton);
        QCOMPARE(window->currentPage(), MainWindow::Page::Chat);
    }

    void settingAKeyThroughSettings()
    {
        openWindow();
        window->showPage(MainWindow::Page::Settings);
        auto *table = find<QTableWidget>("providerKeysTable");
        QCOMPARE(table->rowCount(), config->config().providers.size());
        const int row = rowOf(QStringLiteral("deepseek"));
        QVERIFY(row >= 0);
        QCOMPARE(table->item(row, 2)->text(), QStringLiteral("Not set"));
        QCOMPARE(table->selectedItems().value(0)->row(), 0);   // the first provider is shown at once
        table->selectRow(row);
        QVERIFY(find<QPushButton>("setKeyButton")->isEnabled());
        QTest::mouseClick(find<QPushButton>("setKeyButton"), Qt::LeftButton);

        KeyEntryDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = window->findChild<KeyEntryDialog *>(QStringLiteral("keyEntryDialog"))) && dialog->isVisible());
        auto *edit = dialog->findChild<QLineEdit *>(QStringLiteral("keyEdit"));
        QCOMPARE(edit->echoMode(), QLineEdit::Password);
        auto *save = dialog->findChild<QPushButton *>(QStringLiteral("keySaveButton"));
        QVERIFY(!save->isEnabled());
        QTest::keyClicks(edit, QStringLiteral("sk-gui-secret"));
        QVERIFY(save->isEnabled());
        QTest::mouseClick(save, Qt::LeftButton);

        QTRY_COMPARE(keychain->entries.value(QStringLiteral("provider/deepseek")), QStringLiteral("sk-gui-secret"));
        QTRY_COMPARE(table->item(rowOf(QStringLiteral("deepseek")), 2)->text(), QStringLiteral("Stored"));
        QTRY_VERIFY(find<QLabel>("keyMessageLabel")->text().contains(QStringLiteral("was saved")));
        QTRY_VERIFY(!window->findChild<KeyEntryDialog *>());
        // Never shown back anywhere in the window.
        for (QLabel *label : window->findChildren<QLabel *>())
            QVERIFY(!label->text().contains(QStringLiteral("sk-gui-secret")));
        for (int r = 0; r < table->rowCount(); ++r)
            for (int c = 0; c < table->columnCount(); ++c)
                QVERIFY(!table->item(r, c)->text().contains(QStringLiteral("sk-gui-secret")));

        auto *chat = find<EmptyState>("chatEmptyState");
        // A key: the chat page shows the conversations rather than the empty state.
        QTRY_VERIFY(find<QWidget>("chatArea")->isVisibleTo(find<QWidget>("chatPage")));
        QVERIFY(!chat->isVisibleTo(find<QWidget>("chatPage")));

        // And removed again.
        table->selectRow(rowOf(QStringLiteral("deepseek")));
        QTest::mouseClick(find<QPushButton>("removeKeyButton"), Qt::LeftButton);
        QTRY_VERIFY(!keychain->entries.contains(QStringLiteral("provider/deepseek")));
        QTRY_COMPARE(table->item(rowOf(QStringLiteral("deepseek")), 2)->text(), QStringLiteral("Not set"));
        QTRY_VERIFY(find<QWidget>("firstRunPanel")->isVisibleTo(find<QWidget>("chatPage")));   // none left
    }

    void environmentKeysCount()
    {
        qputenv("MOONSHOT_API_KEY", "sk-env");
        openWindow();
        QCOMPARE(find<QTableWidget>("providerKeysTable")->item(rowOf(QStringLiteral("moonshot")), 2)->text(),
                 QStringLiteral("From $MOONSHOT_API_KEY"));
        QVERIFY(find<QWidget>("chatArea")->isVisibleTo(find<QWidget>("chatPage")));
        qunsetenv("MOONSHOT_API_KEY");
    }

    void noKeychainOffersAnExplicitOptIn()
    {
        keychain->failWith = SecretResult::Status::Unavailable;
        openWindow();
        window->showPage(MainWindow::Page::Settings);
        auto *label = find<QLabel>("keychainStatusLabel");
        QVERIFY2(label->text().contains(QStringLiteral("cannot be stored safely")), qPrintable(label->text()));
        QCOMPARE(find<QLabel>("statusKeys")->text(), QStringLiteral("Keys: no working keychain"));
        auto *problem = find<QLabel>("firstRunKeychainProblem");
        QVERIFY(problem->isVisibleTo(find<QWidget>("chatPage")));
        QVERIFY2(problem->text().contains(QStringLiteral("fake failure")), qPrintable(problem->text()));
        window->showPage(MainWindow::Page::Chat);
        QTest::mouseClick(find<QPushButton>("firstRunSkipButton"), Qt::LeftButton);
        QCOMPARE(find<EmptyState>("chatEmptyState")->title(), QStringLiteral("The keychain could not be read"));
        window->showPage(MainWindow::Page::Settings);
        auto *optIn = find<QPushButton>("insecureOptInButton");
        QVERIFY(optIn->isVisible());
        QVERIFY(secrets->backend().isSecure());   // nothing changed on its own
        QVERIFY(!settings->insecureKeyFileOptIn());

        // Cancelling changes nothing.
        QTest::mouseClick(optIn, Qt::LeftButton);
        QMessageBox *box = nullptr;
        QTRY_VERIFY((box = window->findChild<QMessageBox *>(QStringLiteral("insecureOptInDialog"))) && box->isVisible());
        QTest::mouseClick(box->button(QMessageBox::Cancel), Qt::LeftButton);
        QTRY_VERIFY(!window->findChild<QMessageBox *>(QStringLiteral("insecureOptInDialog")));
        QVERIFY(secrets->backend().isSecure());

        // Confirming switches to the plain file, and the window keeps saying so.
        QTest::mouseClick(optIn, Qt::LeftButton);
        QTRY_VERIFY((box = window->findChild<QMessageBox *>(QStringLiteral("insecureOptInDialog"))) && box->isVisible());
        QVERIFY(box->text().contains(QStringLiteral("not encrypted")));
        QTest::mouseClick(box->findChild<QPushButton *>(QStringLiteral("insecureOptInConfirm")), Qt::LeftButton);
        QTRY_VERIFY(!secrets->backend().isSecure());
        QVERIFY(settings->insecureKeyFileOptIn());
        QTRY_VERIFY(label->text().contains(QStringLiteral("stored unencrypted")));
        QTRY_COMPARE(find<QLabel>("statusKeys")->text(), QStringLiteral("Keys: unencrypted file"));
        QVERIFY(find<QPushButton>("insecureOptOutButton")->isVisible());

        // Opting out goes back to the keychain.
        QTest::mouseClick(find<QPushButton>("insecureOptOutButton"), Qt::LeftButton);
        QVERIFY(secrets->backend().isSecure());
        QVERIFY(!settings->insecureKeyFileOptIn());
    }

    void brokenConfigIsShownAndLastGoodKept()
    {
        openWindow();
        QFile f(profile().configPath());
        QVERIFY(f.open(QIODevice::WriteOnly));
        const QByteArray catalog = ConfigLoader::builtInCatalog();
        const int line = int(catalog.left(catalog.indexOf("dialect: minimax")).count('\n')) + 1;
        f.write(QByteArray(catalog).replace("dialect: minimax", "dialect: nonsense"));
        f.close();
        QVERIFY(!config->reload());
        auto *status = find<QLabel>("configStatusLabel");
        QVERIFY2(status->text().contains(QStringLiteral("line %1, column 14: unknown dialect").arg(line)), qPrintable(status->text()));
        QVERIFY(status->text().contains(QStringLiteral("last good configuration")));
        QVERIFY(find<QLabel>("statusConfig")->text().contains(QStringLiteral("error")));
        QVERIFY(config->config().provider(u"moonshot"));   // the catalog still in force
    }

    void providerSettingsAgainstTheFakeProvider()
    {
        FakeProvider fake;
        fake.setRequiredKey("sk-minimax");
        // The last id could not name a model: it would go on into the endpoint's response headers.
        fake.setModels({QStringLiteral("MiniMax-M2.7"), QStringLiteral("MiniMax-M3"), QStringLiteral("MiniMax-M9-preview"),
                        QStringLiteral("MiniMax-M9\r\nX-Injected: 1")});
        QVERIFY(fake.start());
        nam.setProxy(QNetworkProxy::NoProxy);
        keychain->entries.insert(QStringLiteral("provider/minimax"), QStringLiteral("sk-minimax"));
        openWindow();
        window->showPage(MainWindow::Page::Settings);
        auto *table = find<QTableWidget>("providerKeysTable");
        table->selectRow(rowOf(QStringLiteral("minimax")));

        // Region picks the base URL.
        auto *region = find<QComboBox>("providerRegionCombo");
        auto *baseUrl = find<QLineEdit>("providerBaseUrlEdit");
        QCOMPARE(baseUrl->text(), QStringLiteral("https://api.minimax.io/v1"));
        QCOMPARE(region->count(), 2);
        region->setCurrentIndex(1);
        QCOMPARE(baseUrl->text(), QStringLiteral("https://api.minimaxi.com/v1"));

        // Point it at the fake and test the connection with the key from the keychain.
        baseUrl->clear();
        QTest::keyClicks(baseUrl, fake.baseUrl(FakeDialect::MiniMax));
        QTest::mouseClick(find<QPushButton>("testConnectionButton"), Qt::LeftButton);
        auto *testLabel = find<QLabel>("testConnectionLabel");
        QTRY_VERIFY2(testLabel->text().contains(QStringLiteral("lists 4 models")), qPrintable(testLabel->text()));
        QCOMPARE(fake.requests().constLast().header("authorization"), QByteArray("Bearer sk-minimax"));

        // Refresh finds the model the list lacks, and adds it.
        auto *models = find<QTableWidget>("modelsTable");
        const int before = models->rowCount();
        QCOMPARE(before, std::count_if(config->config().models.cbegin(), config->config().models.cend(),
                                       [](const ModelConfig &m) { return m.provider == u"minimax"; }));
        QTest::mouseClick(find<QPushButton>("refreshModelsButton"), Qt::LeftButton);
        QTRY_VERIFY(find<QLabel>("refreshModelsLabel")->text().contains(QStringLiteral("MiniMax-M9-preview")));
        QVERIFY(!find<QLabel>("refreshModelsLabel")->text().contains(QStringLiteral("MiniMax-M3,")));
        QVERIFY(!find<QLabel>("refreshModelsLabel")->text().contains(QStringLiteral("X-Injected")));
        QVERIFY2(find<QLabel>("refreshModelsLabel")->text().contains(QStringLiteral("1 of them have ids with control characters")),
                 qPrintable(find<QLabel>("refreshModelsLabel")->text()));
        QTest::mouseClick(find<QPushButton>("addListedModelsButton"), Qt::LeftButton);
        QCOMPARE(models->rowCount(), before + 1);

        // Edit a price: a bad value blocks saving, a good one saves to config.yaml.
        int row = -1;
        for (int r = 0; r < models->rowCount(); ++r)
            if (models->item(r, 0)->text() == u"minimax-2.7")
                row = r;
        QVERIFY(row >= 0);
        models->item(row, 6)->setText(QStringLiteral("1,5"));
        QVERIFY(!find<QPushButton>("saveProviderButton")->isEnabled());
        models->item(row, 6)->setText(QStringLiteral("1.5"));
        QVERIFY(find<QPushButton>("saveProviderButton")->isEnabled());
        QTest::mouseClick(find<QPushButton>("saveProviderButton"), Qt::LeftButton);
        QTRY_VERIFY(find<QLabel>("saveProviderLabel")->text().contains(QStringLiteral("Saved")));
        QCOMPARE(config->source(), ConfigStore::Source::File);
        QCOMPARE(config->config().model(u"minimax-2.7")->price->rates.output, 1'500'000);
        QCOMPARE(config->config().model(u"minimax-2.7")->price->asOf, QDate::currentDate());
        QCOMPARE(config->config().provider(u"minimax")->baseUrl, QUrl(fake.baseUrl(FakeDialect::MiniMax)));
        QVERIFY(config->config().model(u"MiniMax-M9-preview"));
        QFile saved(profile().configPath());
        QVERIFY(saved.open(QIODevice::ReadOnly));
        QVERIFY(saved.readAll().contains("MiniMax-M9-preview"));
        nam.clearConnectionCache();
    }

    void testConnectionReportsAWrongKey()
    {
        FakeProvider fake;
        fake.setRequiredKey("sk-right");
        QVERIFY(fake.start());
        nam.setProxy(QNetworkProxy::NoProxy);
        keychain->entries.insert(QStringLiteral("provider/deepseek"), QStringLiteral("sk-wrong"));
        openWindow();
        window->showPage(MainWindow::Page::Settings);
        find<QTableWidget>("providerKeysTable")->selectRow(rowOf(QStringLiteral("deepseek")));
        auto *baseUrl = find<QLineEdit>("providerBaseUrlEdit");
        baseUrl->clear();
        QTest::keyClicks(baseUrl, fake.baseUrl(FakeDialect::DeepSeek));
        QTest::mouseClick(find<QPushButton>("testConnectionButton"), Qt::LeftButton);
        auto *label = find<QLabel>("testConnectionLabel");
        QTRY_VERIFY2(label->text().contains(QStringLiteral("The key was refused")), qPrintable(label->text()));
        QVERIFY(!label->text().contains(QStringLiteral("sk-wrong")));
        // Nothing was saved: the base URL edit is a draft until Save.
        QVERIFY(find<QPushButton>("saveProviderButton")->isEnabled());
        QCOMPARE(config->config().provider(u"deepseek")->baseUrl, QUrl(QStringLiteral("https://api.deepseek.com")));
        QTest::mouseClick(find<QPushButton>("revertProviderButton"), Qt::LeftButton);
        QCOMPARE(baseUrl->text(), QStringLiteral("https://api.deepseek.com"));
        nam.clearConnectionCache();
    }

    void unsavedSettingsAskBeforeLeavingAndQuitting()
    {
        openWindow();
        window->showPage(MainWindow::Page::Settings);
        find<QTableWidget>("providerKeysTable")->selectRow(rowOf(QStringLiteral("deepseek")));
        auto *baseUrl = find<QLineEdit>("providerBaseUrlEdit");
        const QString typed = QStringLiteral("https://gateway.example/deepseek");
        baseUrl->setFocus();
        baseUrl->selectAll();
        QTest::keyClicks(baseUrl, typed);

        // The sidebar, and Ctrl+2: Cancel stays on Settings with the edit; Discard goes on without it.
        find<QListWidget>("navigation")->setCurrentRow(0);
        answerUnsavedPrompt(QMessageBox::Cancel);
        QCOMPARE(window->currentPage(), MainWindow::Page::Settings);
        QCOMPARE(find<QListWidget>("navigation")->currentRow(), 2);
        QCOMPARE(baseUrl->text(), typed);
        QTest::keyClick(window.get(), Qt::Key_2, Qt::ControlModifier);
        answerUnsavedPrompt(QMessageBox::Discard);
        QCOMPARE(window->currentPage(), MainWindow::Page::Dashboard);
        QCOMPARE(config->config().provider(u"deepseek")->baseUrl, QUrl(QStringLiteral("https://api.deepseek.com")));

        // Quitting: Cancel keeps the window open; Save writes config.yaml, then the window closes.
        window->showPage(MainWindow::Page::Settings);
        QCOMPARE(baseUrl->text(), QStringLiteral("https://api.deepseek.com"));
        baseUrl->setFocus();
        baseUrl->selectAll();
        QTest::keyClicks(baseUrl, typed);
        window->close();
        answerUnsavedPrompt(QMessageBox::Cancel);
        QVERIFY(window->isVisible());
        QCOMPARE(window->currentPage(), MainWindow::Page::Settings);
        window->close();
        answerUnsavedPrompt(QMessageBox::Save);
        QTRY_VERIFY(!window->isVisible());
        QFile saved(profile().configPath());
        QVERIFY(saved.open(QIODevice::ReadOnly));
        QVERIFY(saved.readAll().contains(typed.toUtf8()));
    }

    void aboutShowsTheVersion()
    {
        openWindow();
        QAction *about = window->findChild<QAction *>(QStringLiteral("aboutAction"));
        about->trigger();
        QDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = window->findChild<QDialog *>(QStringLiteral("aboutDialog"))) && dialog->isVisible());
        QVERIFY(dialog->findChild<QLabel *>(QStringLiteral("aboutVersion"))->text().contains(QStringLiteral(SWITCHYARD_VERSION_STRING)));
        QVERIFY(dialog->findChild<QLabel *>(QStringLiteral("aboutProfile"))->text().contains(dir->path()));
        dialog->close();
    }

    void chatShortcutsWorkWhereverFocusIs()
    {
        openWindowWithAKey();
        auto *input = find<ComposerInput>("composerInput");
        auto *nav = find<QListWidget>("navigation");
        QTRY_VERIFY(input->hasFocus());   // at start, the cursor is in the message field

        // Another page: the chat's keys do nothing there.
        clickNavigation(int(MainWindow::Page::Dashboard));
        QCOMPARE(window->currentPage(), MainWindow::Page::Dashboard);
        QVERIFY(nav->hasFocus());
        QTest::keyClick(nav, Qt::Key_L, Qt::ControlModifier);
        QVERIFY(!input->hasFocus());

        // A click on Chat in the sidebar: the message field has the keyboard, typing goes there.
        clickNavigation(int(MainWindow::Page::Chat));
        QCOMPARE(window->currentPage(), MainWindow::Page::Chat);
        QTRY_VERIFY(input->hasFocus());
        QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("hello"));
        QCOMPARE(input->toPlainText(), QStringLiteral("hello"));

        // Focus in the sidebar (clicked, the chat already shown): Ctrl+K, Ctrl+L, Ctrl+N still work.
        nav->setFocus();
        clickNavigation(int(MainWindow::Page::Chat));
        QTRY_VERIFY(input->hasFocus());
        nav->setFocus();
        QTest::keyClick(nav, Qt::Key_K, Qt::ControlModifier);
        QVERIFY(find<QLineEdit>("conversationSearch")->hasFocus());
        nav->setFocus();
        QTest::keyClick(nav, Qt::Key_L, Qt::ControlModifier);
        QVERIFY(input->hasFocus());
        nav->setFocus();
        window->chatPage()->findChild<QLabel *>(QStringLiteral("conversationTitle"))->setText(QStringLiteral("Old"));
        QTest::keyClick(nav, Qt::Key_N, Qt::ControlModifier);
        QCOMPARE(window->chatPage()->findChild<QLabel *>(QStringLiteral("conversationTitle"))->text(), QStringLiteral("New chat"));
        QVERIFY(input->hasFocus());

        // Ctrl+1 from another page, with focus there, lands in the message field too.
        window->showPage(MainWindow::Page::Settings);
        find<QTableWidget>("providerKeysTable")->setFocus();
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_1, Qt::ControlModifier);
        QCOMPARE(window->currentPage(), MainWindow::Page::Chat);
        QTRY_VERIFY(input->hasFocus());
    }

    void helpListsTheShortcutsAndOpensTheDocs()
    {
        openWindowWithAKey();
        auto *shortcuts = window->findChild<QAction *>(QStringLiteral("shortcutsAction"));
        auto *docs = window->findChild<QAction *>(QStringLiteral("documentationAction"));
        QVERIFY(shortcuts && docs);
        QVERIFY(window->findChild<QAction *>(QStringLiteral("aboutAction")));
        QCOMPARE(docs->shortcut(), QKeySequence(QKeySequence::HelpContents));

        shortcuts->trigger();
        ShortcutsDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = window->findChild<ShortcutsDialog *>(QStringLiteral("shortcutsDialog"))) && dialog->isVisible());
        auto *table = dialog->findChild<QTableWidget *>(QStringLiteral("shortcutsTable"));
        QCOMPARE(table->columnCount(), 2);
        QHash<QString, QString> rows;
        for (int r = 0; r < table->rowCount(); ++r) {
            if (table->item(r, 1))
                rows.insert(table->item(r, 0)->text(), table->item(r, 1)->text());
        }
        const auto native = [](const QKeySequence &k) { return k.toString(QKeySequence::NativeText); };
        QCOMPARE(rows.value(native(QKeySequence(Qt::CTRL | Qt::Key_L))), QStringLiteral("Go to the message field"));
        QCOMPARE(rows.value(native(QKeySequence(Qt::CTRL | Qt::Key_N))), QStringLiteral("New chat"));
        QCOMPARE(rows.value(native(QKeySequence(Qt::CTRL | Qt::Key_K))), QStringLiteral("Search conversations"));
        QCOMPARE(rows.value(native(QKeySequence(Qt::Key_Escape))), QStringLiteral("Stop the answer (or cancel editing)"));
        QCOMPARE(rows.value(native(QKeySequence(Qt::CTRL | Qt::Key_2))), QStringLiteral("View › Dashboard"));
        QCOMPARE(rows.value(native(QKeySequence(Qt::Key_Enter))), QStringLiteral("Send the message"));
        QCOMPARE(rows.value(native(QKeySequence(QKeySequence::HelpContents))), QStringLiteral("Help › Documentation"));
        dialog->close();

        // The docs: installed ones first, else this source tree's.
        QTemporaryDir none, installed;
        QFile readme(installed.filePath(QStringLiteral("README.md")));
        QVERIFY(readme.open(QIODevice::WriteOnly));
        readme.close();
        QCOMPARE(Documentation::indexIn({none.path(), installed.path()}), QFileInfo(readme).absoluteFilePath());
        QCOMPARE(Documentation::indexIn({none.path()}), QString());
        QCOMPARE(Documentation::indexIn(Documentation::candidates()),
                 QFileInfo(QStringLiteral(SWITCHYARD_SOURCE_DIR "/docs/README.md")).absoluteFilePath());
    }

    void fitOnScreen_data()
    {
        QTest::addColumn<QRect>("saved");
        QTest::addColumn<QList<QRect>>("screens");
        QTest::addColumn<QRect>("expected");
        const QRect laptop(0, 0, 1366, 740);    // available: a panel takes 28 px
        const QRect external(1366, 0, 2560, 1400);
        QTest::newRow("fits: kept") << QRect(100, 10, 1100, 720) << rects({laptop}) << QRect(100, 10, 1100, 720);
        QTest::newRow("bigger than the screen") << QRect(40, 30, 2400, 1300) << rects({laptop})
                                                << QRect(68, 37, 1229, 666);
        QTest::newRow("taller only: width and x kept") << QRect(100, 0, 1000, 900) << rects({laptop})
                                                       << QRect(100, 37, 1000, 666);
        QTest::newRow("off the right edge") << QRect(1000, 50, 1100, 600) << rects({laptop})
                                            << QRect(266, 50, 1100, 600);
        QTest::newRow("off the left edge") << QRect(-300, 50, 1100, 600) << rects({laptop})
                                           << QRect(0, 50, 1100, 600);
        QTest::newRow("below the screen, partly") << QRect(100, 500, 800, 600) << rects({laptop})
                                                  << QRect(100, 140, 800, 600);
        QTest::newRow("on the second screen: kept") << QRect(2000, 200, 1800, 1000) << rects({laptop, external})
                                                    << QRect(2000, 200, 1800, 1000);
        QTest::newRow("second screen gone: centred on the primary") << QRect(2000, 200, 1800, 1000) << rects({laptop})
                                                                    << QRect(68, 37, 1229, 666);
        QTest::newRow("mostly on the second screen") << QRect(1200, 100, 1100, 700) << rects({laptop, external})
                                                     << QRect(1366, 100, 1100, 700);
        const QRect left(-1920, 0, 1920, 1040);   // a screen left of the primary: negative coordinates
        QTest::newRow("negative coordinates: kept") << QRect(-1800, 40, 1200, 800) << rects({laptop, left})
                                                    << QRect(-1800, 40, 1200, 800);
        QTest::newRow("negative coordinates, screen gone") << QRect(-1800, 40, 1200, 700) << rects({laptop})
                                                           << QRect(83, 20, 1200, 700);
        QTest::newRow("far above and left") << QRect(-5000, -4000, 600, 400) << rects({laptop, left})
                                            << QRect(383, 170, 600, 400);
        QTest::newRow("no screens: as saved") << QRect(10, 10, 100, 100) << rects({}) << QRect(10, 10, 100, 100);
    }

    void fitOnScreen()
    {
        QFETCH(QRect, saved);
        QFETCH(QList<QRect>, screens);
        QFETCH(QRect, expected);
        const QRect fitted = WindowGeometry::fitOnScreen(saved, screens);
        QCOMPARE(fitted, expected);
        QCOMPARE(WindowGeometry::fitOnScreen(fitted, screens), fitted);   // settled: a second pass moves nothing
    }

    void fitOnScreenKeepsTheMinimum()
    {
        const QRect laptop(0, 0, 1366, 740);
        // 90% would be narrower than the window can be: as narrow as it can be, centred.
        QCOMPARE(WindowGeometry::fitOnScreen(QRect(40, 30, 2400, 1300), {laptop}, QSize(1300, 500)),
                 QRect(33, 37, 1300, 666));
        // A minimum larger than the screen: the screen's size, at its corner.
        QCOMPARE(WindowGeometry::fitOnScreen(QRect(40, 30, 2400, 1300), {laptop}, QSize(1500, 800)),
                 QRect(0, 0, 1366, 740));
    }

    void defaultSize()
    {
        QCOMPARE(WindowGeometry::defaultSize(QRect(0, 0, 1920, 1040)), QSize(1100, 720));
        QCOMPARE(WindowGeometry::defaultSize(QRect(0, 0, 800, 600)), QSize(720, 540));
        QCOMPARE(WindowGeometry::defaultSize(QRect(0, 0, 1280, 772)), QSize(1100, 694));
    }

    void tooBigSavedGeometryOpensOnScreen()
    {
        openWindow();
        const QRect available = window->screen()->availableGeometry();
        QVERIFY(available.contains(window->geometry()));   // the default size fits too
        window->setGeometry(QRect(available.topLeft() + QPoint(50, 40), available.size() * 2));
        window->close();
        window.reset();
        settings = std::make_unique<AppSettings>(profile().settingsPath());
        openWindow();
        QVERIFY2(available.contains(window->geometry()),
                 qPrintable(QStringLiteral("%1,%2 %3x%4").arg(window->x()).arg(window->y()).arg(window->width()).arg(window->height())));

        // Left of every screen (a monitor since unplugged).
        window->move(available.left() - 5000, available.top() + 10);
        window->close();
        window.reset();
        settings = std::make_unique<AppSettings>(profile().settingsPath());
        openWindow();
        QVERIFY(available.contains(window->geometry()));
    }

    void wheelScrollsThePageNotAnUnfocusedBox()
    {
        openWindow();   // installs the guard
        QScrollArea page;
        auto *content = new QWidget;
        auto *layout = new QVBoxLayout(content);
        auto *field = new QLineEdit(content);   // where focus goes when the page opens
        layout->addWidget(field);
        auto *combo = new QComboBox(content);
        combo->addItems({QStringLiteral("one"), QStringLiteral("two"), QStringLiteral("three")});
        auto *spin = new QSpinBox(content);
        layout->addWidget(combo);
        layout->addWidget(spin);
        layout->addSpacing(2000);
        page.setWidget(content);
        page.resize(300, 200);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QCOMPARE(combo->focusPolicy(), Qt::StrongFocus);   // a wheel never focuses it; a click does
        QCOMPARE(spin->focusPolicy(), Qt::StrongFocus);

        QScrollBar *bar = page.verticalScrollBar();
        wheel(combo, -1);
        QCOMPARE(combo->currentIndex(), 0);
        QVERIFY(bar->value() > 0);   // the page scrolled instead
        bar->setValue(0);
        spin->setValue(5);
        wheel(spin, -1);
        QCOMPARE(spin->value(), 5);
        QVERIFY(bar->value() > 0);

        // Focused (clicked, or reached with Tab), the box takes the wheel as before.
        page.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        combo->setFocus();
        QTRY_VERIFY(combo->hasFocus());
        wheel(combo, -1);
        QCOMPARE(combo->currentIndex(), 1);
    }

    void windowStateIsRemembered()
    {
        openWindow();
        window->resize(790, 560);
        window->showPage(MainWindow::Page::Dashboard);
        window->close();
        window.reset();
        settings = std::make_unique<AppSettings>(profile().settingsPath());   // as after a restart
        openWindow();
        QCOMPARE(window->size(), QSize(790, 560));
        QCOMPARE(window->currentPage(), MainWindow::Page::Dashboard);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
