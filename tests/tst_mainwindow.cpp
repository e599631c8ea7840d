#include "AppSettings.h"
#include "ConfigStore.h"
#include "EmptyState.h"
#include "FakeSecretBackend.h"
#include "KeyEntryDialog.h"
#include "KeyStatus.h"
#include "MainWindow.h"
#include "SecretStore.h"

#include <QAction>
#include <QApplication>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QStackedWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

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

    Profile profile() const { return Profile::inDirectory(dir->path()); }

    void openWindow()
    {
        window = std::make_unique<MainWindow>(config.get(), secrets.get(), keys.get(), settings.get(), profile());
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        window->startChecks();
        QTRY_VERIFY(window->startupChecksDone());
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
        auto *state = find<EmptyState>("chatEmptyState");
        QCOMPARE(state->title(), QStringLiteral("No provider has a key yet — add one in Settings"));
        auto *action = state->findChild<QPushButton *>(QStringLiteral("emptyAction"));
        QVERIFY(action->isVisible());
        QTest::mouseClick(action, Qt::LeftButton);
        QCOMPARE(window->currentPage(), MainWindow::Page::Settings);

        // The dashboard shows no numbers, and says why.
        auto *dashboard = find<EmptyState>("dashboardEmptyState");
        QVERIFY(dashboard->title().contains(QStringLiteral("No costs")));
        QVERIFY(dashboard->body().contains(QStringLiteral("not built")));
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
        QVERIFY(!find<QPushButton>("setKeyButton")->isEnabled());
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
        QTRY_COMPARE(chat->title(), QStringLiteral("Chat is not built yet"));
        QVERIFY(chat->body().contains(QStringLiteral("DeepSeek")));

        // And removed again.
        table->selectRow(rowOf(QStringLiteral("deepseek")));
        QTest::mouseClick(find<QPushButton>("removeKeyButton"), Qt::LeftButton);
        QTRY_VERIFY(!keychain->entries.contains(QStringLiteral("provider/deepseek")));
        QTRY_COMPARE(table->item(rowOf(QStringLiteral("deepseek")), 2)->text(), QStringLiteral("Not set"));
        QTRY_COMPARE(chat->title(), QStringLiteral("No provider has a key yet — add one in Settings"));
    }

    void environmentKeysCount()
    {
        qputenv("MOONSHOT_API_KEY", "sk-env");
        openWindow();
        QCOMPARE(find<QTableWidget>("providerKeysTable")->item(rowOf(QStringLiteral("moonshot")), 2)->text(),
                 QStringLiteral("From $MOONSHOT_API_KEY"));
        QCOMPARE(find<EmptyState>("chatEmptyState")->title(), QStringLiteral("Chat is not built yet"));
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
        QCOMPARE(find<EmptyState>("chatEmptyState")->title(), QStringLiteral("The keychain could not be read"));
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
        f.write(ConfigLoader::builtInCatalog().replace("dialect: minimax", "dialect: nonsense"));
        f.close();
        QVERIFY(!config->reload());
        auto *status = find<QLabel>("configStatusLabel");
        QVERIFY2(status->text().contains(QStringLiteral("line 22, column 14: unknown dialect")), qPrintable(status->text()));
        QVERIFY(status->text().contains(QStringLiteral("last good configuration")));
        QVERIFY(find<QLabel>("statusConfig")->text().contains(QStringLiteral("error")));
        QVERIFY(config->config().provider(u"moonshot"));   // the catalog still in force
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

    void windowStateIsRemembered()
    {
        openWindow();
        window->resize(900, 610);
        window->showPage(MainWindow::Page::Dashboard);
        window->close();
        window.reset();
        settings = std::make_unique<AppSettings>(profile().settingsPath());   // as after a restart
        openWindow();
        QCOMPARE(window->size(), QSize(900, 610));
        QCOMPARE(window->currentPage(), MainWindow::Page::Dashboard);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
