// Settings never loses what was typed: a sticky bar with Save and Revert below the scrolling
// content, Enter saves, confirmations that stay, and a question before a tab or a provider with
// unsaved edits is left.
#include "AppSettings.h"
#include "ConfigStore.h"
#include "FakeSecretBackend.h"
#include "KeyStatus.h"
#include "RoutesModel.h"
#include "RoutingPage.h"
#include "SecretStore.h"
#include "SettingsPage.h"

#include <QApplication>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QTabBar>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

namespace {

const QString deepseekUrl = QStringLiteral("https://api.deepseek.com");
const QString typedUrl = QStringLiteral("https://gateway.example/deepseek");

// The question about unsaved edits, answered as a user would: it must be the window's modal box.
void answerPrompt(const QString &expectedText, QMessageBox::StandardButton button)
{
    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())));
    QCOMPARE(box->objectName(), QStringLiteral("unsavedChangesBox"));
    QCOMPARE(box->text(), expectedText);
    QVERIFY(box->button(QMessageBox::Save) && box->button(QMessageBox::Discard) && box->button(QMessageBox::Cancel));
    QTest::mouseClick(box->button(button), Qt::LeftButton);
    QTRY_VERIFY(!QApplication::activeModalWidget());
}

bool isInsideScrollArea(const QWidget *w)
{
    for (const QWidget *p = w->parentWidget(); p; p = p->parentWidget()) {
        if (qobject_cast<const QScrollArea *>(p))
            return true;
    }
    return false;
}

} // namespace

class TestSettingsPage : public QObject
{
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> dir;
    std::shared_ptr<FakeSecretBackend::Shared> keychain;
    std::unique_ptr<AppSettings> settings;
    std::unique_ptr<ConfigStore> config;
    std::unique_ptr<SecretStore> secrets;
    std::unique_ptr<KeyStatus> keys;
    std::unique_ptr<SettingsPage> page;
    QNetworkAccessManager nam;

    template<typename T>
    T *find(const char *name) const
    {
        T *w = page->findChild<T *>(QLatin1String(name));
        if (!w)
            qWarning("no %s", name);
        return w;
    }

    QString selectedProviderId() const
    {
        const QList<QTableWidgetItem *> items = find<QTableWidget>("providerKeysTable")->selectedItems();
        return items.isEmpty() ? QString() : items.first()->data(Qt::UserRole).toString();
    }

    void selectProvider(const QString &id)
    {
        auto *table = find<QTableWidget>("providerKeysTable");
        for (int row = 0; row < table->rowCount(); ++row) {
            if (table->item(row, 0)->data(Qt::UserRole).toString() == id)
                table->selectRow(row);
        }
    }

    // Replaces the base URL by typing, as a user would (textEdited, not setText).
    void typeBaseUrl(const QString &text)
    {
        auto *edit = find<QLineEdit>("providerBaseUrlEdit");
        edit->setFocus();
        edit->selectAll();
        QTest::keyClicks(edit, text);
    }

    QByteArray savedFile() const
    {
        QFile f(config->path());
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

private slots:
    void init()
    {
        dir = std::make_unique<QTemporaryDir>();
        for (const char *env : {"DEEPSEEK_API_KEY", "MOONSHOT_API_KEY", "MINIMAX_API_KEY", "DASHSCOPE_API_KEY", "OPENROUTER_API_KEY"})
            qunsetenv(env);
        const Profile profile = Profile::inDirectory(dir->path());
        keychain = std::make_shared<FakeSecretBackend::Shared>();
        keychain->entries.insert(QStringLiteral("provider/deepseek"), QStringLiteral("sk-deepseek"));
        settings = std::make_unique<AppSettings>(profile.settingsPath());
        config = std::make_unique<ConfigStore>(profile.configPath());
        config->reload();
        secrets = std::make_unique<SecretStore>(std::make_unique<FakeSecretBackend>(keychain));
        keys = std::make_unique<KeyStatus>(config.get(), secrets.get());
        keys->refresh();
        page = std::make_unique<SettingsPage>(config.get(), secrets.get(), keys.get(), settings.get(), profile, &nam);
        page->resize(800, 600);
        page->show();
        QVERIFY(QTest::qWaitForWindowExposed(page.get()));
        QTRY_VERIFY(!keys->checking());
        selectProvider(QStringLiteral("deepseek"));
        QCOMPARE(find<QLineEdit>("providerBaseUrlEdit")->text(), deepseekUrl);
    }

    void cleanup()
    {
        page.reset();
        keys.reset();
        secrets.reset();
        config.reset();
        settings.reset();
        dir.reset();
    }

    void headerStaysWhileContentScrolls()
    {
        auto *tabs = find<QTabWidget>("settingsTabs");
        QVERIFY(!isInsideScrollArea(tabs->tabBar()));
        auto *table = find<QTableWidget>("providerKeysTable");
        QVERIFY(isInsideScrollArea(table));
        // At 800×600 the providers tab is taller than the page: it scrolls, the tab bar does not move.
        auto *scroll = qobject_cast<QScrollArea *>(tabs->currentWidget());
        QVERIFY(scroll);
        QVERIFY(scroll->verticalScrollBar()->maximum() > 0);
        const QPoint before = tabs->tabBar()->mapTo(page.get(), QPoint());
        scroll->verticalScrollBar()->setValue(scroll->verticalScrollBar()->maximum());
        QCOMPARE(tabs->tabBar()->mapTo(page.get(), QPoint()), before);
        QVERIFY(table->mapTo(page.get(), QPoint()).y() < before.y());   // the content went up, under the tabs
    }

    void editShowsTheBarAndEnterSaves()
    {
        auto *bar = find<QWidget>("saveBarProvider");
        auto *label = find<QLabel>("saveProviderLabel");
        QVERIFY(!bar->isVisible());
        // The field at the very bottom of the view: the bar that appears must not cover it.
        page->resize(800, 480);
        auto *edit = find<QLineEdit>("providerBaseUrlEdit");
        auto *scroll = qobject_cast<QScrollArea *>(find<QTabWidget>("settingsTabs")->currentWidget());
        const auto editInView = [&] {
            return scroll->viewport()->rect().contains(QRect(edit->mapTo(scroll->viewport(), QPoint()), edit->size()));
        };
        const int editBottom = edit->mapTo(scroll->widget(), QPoint(0, edit->height())).y();
        QTRY_VERIFY(editBottom > scroll->viewport()->height());   // below the fold at first
        scroll->verticalScrollBar()->setValue(editBottom - scroll->viewport()->height());
        QVERIFY(editInView());
        typeBaseUrl(typedUrl);
        QVERIFY(page->hasUnsavedChanges());
        QVERIFY(bar->isVisible());
        QCOMPARE(label->text(), QStringLiteral("Unsaved changes"));
        QVERIFY(find<QPushButton>("saveProviderButton")->isEnabled());
        QTRY_VERIFY(editInView());
        // Outside the scrolling content, and inside the page even when it is this short: always in view.
        QVERIFY(!isInsideScrollArea(bar));
        const QRect inPage(bar->mapTo(page.get(), QPoint()), bar->size());
        QVERIFY2(page->rect().contains(inPage), qPrintable(QStringLiteral("%1,%2 %3×%4").arg(inPage.x()).arg(inPage.y()).arg(inPage.width()).arg(inPage.height())));
        QVERIFY(!config->config().provider(u"deepseek") || config->config().provider(u"deepseek")->baseUrl == QUrl(deepseekUrl));

        QTest::keyClick(find<QLineEdit>("providerBaseUrlEdit"), Qt::Key_Return);
        QVERIFY(!page->hasUnsavedChanges());
        QVERIFY(savedFile().contains(typedUrl.toUtf8()));
        QCOMPARE(config->config().provider(u"deepseek")->baseUrl, QUrl(typedUrl));
        // The confirmation stays in view, with nothing left to click, until the next edit.
        QVERIFY(bar->isVisible());
        QVERIFY2(label->text().startsWith(QStringLiteral("Saved to config.yaml")), qPrintable(label->text()));
        QVERIFY(!find<QPushButton>("saveProviderButton")->isVisible());
        typeBaseUrl(deepseekUrl);
        QCOMPARE(label->text(), QStringLiteral("Unsaved changes"));
        QVERIFY(find<QPushButton>("saveProviderButton")->isVisible());
    }

    void revertRestoresWhatIsSaved()
    {
        typeBaseUrl(typedUrl);
        QTest::mouseClick(find<QPushButton>("revertProviderButton"), Qt::LeftButton);
        QCOMPARE(find<QLineEdit>("providerBaseUrlEdit")->text(), deepseekUrl);
        QVERIFY(!page->hasUnsavedChanges());
        QCOMPARE(find<QLabel>("saveProviderLabel")->text(), QStringLiteral("Changes discarded."));
        QVERIFY(!QFile::exists(config->path()));   // nothing was written
    }

    void leavingATabWithEditsAsks()
    {
        auto *tabs = find<QTabWidget>("settingsTabs");
        const QString question = QStringLiteral("Save changes to the DeepSeek settings?");

        typeBaseUrl(typedUrl);
        tabs->setCurrentIndex(1);
        answerPrompt(question, QMessageBox::Cancel);
        QCOMPARE(tabs->currentIndex(), 0);
        QCOMPARE(find<QLineEdit>("providerBaseUrlEdit")->text(), typedUrl);
        QVERIFY(page->hasUnsavedChanges());

        tabs->setCurrentIndex(1);
        answerPrompt(question, QMessageBox::Discard);
        QCOMPARE(tabs->currentIndex(), 1);
        QVERIFY(!page->hasUnsavedChanges());
        QVERIFY(!QFile::exists(config->path()));
        QVERIFY(!find<QWidget>("saveBarProvider")->isVisible());   // the Routing tab shows its own bar, if any

        tabs->setCurrentIndex(0);
        QCOMPARE(find<QLineEdit>("providerBaseUrlEdit")->text(), deepseekUrl);
        typeBaseUrl(typedUrl);
        tabs->setCurrentIndex(2);
        answerPrompt(question, QMessageBox::Save);
        QCOMPARE(tabs->currentIndex(), 2);
        QVERIFY(savedFile().contains(typedUrl.toUtf8()));
    }

    void leavingAProviderWithEditsAsks()
    {
        const QString question = QStringLiteral("Save changes to the DeepSeek settings?");
        typeBaseUrl(typedUrl);
        selectProvider(QStringLiteral("moonshot"));
        answerPrompt(question, QMessageBox::Cancel);
        QCOMPARE(selectedProviderId(), QStringLiteral("deepseek"));
        QCOMPARE(find<QLineEdit>("providerBaseUrlEdit")->text(), typedUrl);

        selectProvider(QStringLiteral("moonshot"));
        answerPrompt(question, QMessageBox::Save);
        QCOMPARE(selectedProviderId(), QStringLiteral("moonshot"));
        QCOMPARE(find<QLineEdit>("providerBaseUrlEdit")->text(), QStringLiteral("https://api.moonshot.ai/v1"));
        QVERIFY(savedFile().contains(typedUrl.toUtf8()));
        QVERIFY(!page->hasUnsavedChanges());
    }

    void routingSavesConfirmInTheBar()
    {
        auto *tabs = find<QTabWidget>("settingsTabs");
        tabs->setCurrentIndex(1);
        auto *routing = find<RoutingPage>("routingPage");
        auto *bar = find<QWidget>("saveBarRoutes");
        QVERIFY(!bar->isVisible());
        QVERIFY(routing->model()->moveRow({}, 1, {}, 0));
        QTRY_VERIFY(bar->isVisible());
        QVERIFY(!isInsideScrollArea(bar));
        QCOMPARE(find<QLabel>("saveRoutesLabel")->text(), QStringLiteral("Unsaved changes"));
        QTest::mouseClick(find<QPushButton>("saveRoutesButton"), Qt::LeftButton);
        QCOMPARE(find<QLabel>("saveRoutesLabel")->text(), QStringLiteral("Saved to config.yaml."));
        QVERIFY(bar->isVisible());
        QVERIFY(savedFile().contains("routes:"));
        QCOMPARE(config->config().routes.value(0).match, QStringLiteral("task_type == \"reasoning\""));

        // A rule with an error: the bar says which rule and where, and Save waits.
        QVERIFY(routing->model()->setData(routing->model()->index(1, RoutesModel::Match), QStringLiteral("context_length > lots"),
                                          Qt::EditRole));
        QVERIFY2(find<QLabel>("saveRoutesLabel")->text().startsWith(QStringLiteral("Rule 2, column 18: ")),
                 qPrintable(find<QLabel>("saveRoutesLabel")->text()));
        QVERIFY(!find<QPushButton>("saveRoutesButton")->isEnabled());
        // Leaving now asks, naming the rules; Save cannot write them, so the tab stays.
        tabs->setCurrentIndex(0);
        answerPrompt(QStringLiteral("Save changes to the routing rules?"), QMessageBox::Save);
        QCOMPARE(tabs->currentIndex(), 1);
        QVERIFY(page->hasUnsavedChanges());
    }
};

QTEST_MAIN(TestSettingsPage)
#include "tst_settingspage.moc"
