#include "ConfigStore.h"
#include "FakeSecretBackend.h"
#include "KeyStatus.h"
#include "ModelChoiceDelegate.h"
#include "RoutesModel.h"
#include "RoutingPage.h"
#include "SecretStore.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

class TestRoutingPage : public QObject
{
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> dir;
    std::unique_ptr<ConfigStore> config;
    std::unique_ptr<RoutingPage> page;

    template<typename T>
    T *find(const char *name) const
    {
        return page->findChild<T *>(QLatin1String(name));
    }

    QString matchOf(int row) const { return page->model()->routes().value(row).match; }

    // A keychain with a DeepSeek key only, and no provider key in the environment.
    static std::shared_ptr<FakeSecretBackend::Shared> onlyDeepSeekKey()
    {
        auto keychain = std::make_shared<FakeSecretBackend::Shared>();
        keychain->entries.insert(QStringLiteral("provider/deepseek"), QStringLiteral("sk-deepseek"));
        for (const char *env : {"DEEPSEEK_API_KEY", "MOONSHOT_API_KEY", "MINIMAX_API_KEY", "DASHSCOPE_API_KEY", "OPENROUTER_API_KEY"})
            qunsetenv(env);
        return keychain;
    }

private slots:
    void init()
    {
        dir = std::make_unique<QTemporaryDir>();
        config = std::make_unique<ConfigStore>(dir->filePath(QStringLiteral("config.yaml")));
        config->reload();
        page = std::make_unique<RoutingPage>(config.get());
        new QAbstractItemModelTester(page->model(), QAbstractItemModelTester::FailureReportingMode::QtTest, page.get());
        page->resize(900, 700);
        page->show();
        QVERIFY(QTest::qWaitForWindowExposed(page.get()));
    }
    void cleanup()
    {
        page.reset();
        config.reset();
        dir.reset();
    }

    void showsTheSeedRules()
    {
        QCOMPARE(page->model()->rowCount(), 3);
        QCOMPARE(matchOf(0), QStringLiteral("context_length > 80000"));
        QVERIFY(page->model()->routes()[2].isDefault);
        QVERIFY(find<QPlainTextEdit>("routesYamlEdit")->toPlainText().contains(QStringLiteral("default: deepseek-v4-pro")));
        QCOMPARE(find<QLabel>("routesStatusLabel")->text(), QStringLiteral("3 rules, all valid."));
        QVERIFY(!find<QPushButton>("saveRoutesButton")->isEnabled());
    }

    void tableEditsAreCheckedAsYouType()
    {
        RoutesModel *m = page->model();
        QVERIFY(m->setData(m->index(0, RoutesModel::Match), QStringLiteral("context_length > lots"), Qt::EditRole));
        auto *status = find<QLabel>("routesStatusLabel");
        QVERIFY2(status->text().contains(QStringLiteral("unknown variable \"lots\"")), qPrintable(status->text()));
        // The rule by its number, then the column in its expression where "lots" begins.
        QVERIFY2(status->text().startsWith(QStringLiteral("Rule 1, column 18: ")), qPrintable(status->text()));
        QCOMPARE(m->data(m->index(0, RoutesModel::Match), Qt::ToolTipRole).toString(), status->text());
        QVERIFY(!find<QPushButton>("saveRoutesButton")->isEnabled());
        QCOMPARE(m->data(m->index(0, RoutesModel::Match), Qt::ForegroundRole).value<QColor>(), QColor(0xb3, 0x26, 0x1e));
        // The YAML follows the table, even while the rule is wrong: nothing typed is lost.
        QVERIFY(find<QPlainTextEdit>("routesYamlEdit")->toPlainText().contains(QStringLiteral("context_length > lots")));
        QVERIFY(m->setData(m->index(0, RoutesModel::Match), QStringLiteral("context_length > 100k"), Qt::EditRole));
        QVERIFY(status->text().contains(QStringLiteral("all valid")));
        QVERIFY(find<QPushButton>("saveRoutesButton")->isEnabled());
        QVERIFY(m->setData(m->index(1, RoutesModel::Model), QStringLiteral("nope"), Qt::EditRole));
        QVERIFY(status->text().contains(QStringLiteral("no model \"nope\"")));
        // A catalog model, but one for POST /v1/embeddings: never a rule's.
        QVERIFY(m->setData(m->index(1, RoutesModel::Model), QStringLiteral("qwen-embedding"), Qt::EditRole));
        QVERIFY2(status->text().contains(QStringLiteral("\"qwen-embedding\" is an embedding model")), qPrintable(status->text()));
        QVERIFY(!find<QPushButton>("saveRoutesButton")->isEnabled());
    }

    void namesWithControlCharactersAreRefused()
    {
        // A rule's name goes into the endpoint's X-Switchyard-Rule header: a line break would add headers.
        RoutesModel *m = page->model();
        auto *status = find<QLabel>("routesStatusLabel");
        QVERIFY(m->setData(m->index(0, RoutesModel::Name), QStringLiteral("long\r\nX-Injected: 1"), Qt::EditRole));
        QVERIFY2(status->text().contains(QStringLiteral("Rule 1: Name: A name may not hold control characters")), qPrintable(status->text()));
        QVERIFY(!status->text().contains(QStringLiteral("X-Injected")));
        QVERIFY(!find<QPushButton>("saveRoutesButton")->isEnabled());
        QVERIFY(m->setData(m->index(0, RoutesModel::Name), QStringLiteral("long-docs"), Qt::EditRole));
        QVERIFY(find<QPushButton>("saveRoutesButton")->isEnabled());
        QVERIFY(m->setData(m->index(1, RoutesModel::Fallback), QStringLiteral("deepseek-flash, kimi\u20282.6"), Qt::EditRole));
        QVERIFY2(status->text().contains(QStringLiteral("Rule 2: Fallback: A name may not hold control characters")), qPrintable(status->text()));
        QVERIFY(m->setData(m->index(1, RoutesModel::Fallback), QString(), Qt::EditRole));
        QVERIFY(m->setData(m->index(2, RoutesModel::Model), QString(201, u'm'), Qt::EditRole));
        QVERIFY2(status->text().contains(QStringLiteral("Rule 3: Model: A name may have at most 200 characters")), qPrintable(status->text()));
        QVERIFY(!find<QPushButton>("saveRoutesButton")->isEnabled());

        // Typed into the YAML, and imported from a file: the loader's check, with line and column.
        auto *yaml = find<QPlainTextEdit>("routesYamlEdit");
        yaml->setPlainText(QStringLiteral("routes:\n  - name: \"a\\tb\"\n    match: has_image\n    model: kimi-2.6\n  - default: deepseek-flash\n"));
        QTRY_VERIFY2(status->text().contains(QStringLiteral("line 2, column 11")), qPrintable(status->text()));
        QVERIFY(status->text().contains(QStringLiteral("control characters")));
        QFile bad(dir->filePath(QStringLiteral("injected.yaml")));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("routes:\n  - match: has_image\n    model: kimi-2.6\n  - default: \"deepseek-flash\\r\\nSet-Cookie: a=b\"\n");
        bad.close();
        QString error;
        QVERIFY(!page->importFrom(bad.fileName(), &error));
        QVERIFY2(error.contains(QStringLiteral("injected.yaml, line 4, column 14")), qPrintable(error));
        QVERIFY(error.contains(QStringLiteral("control characters")));
        QVERIFY(!error.contains(QStringLiteral("Set-Cookie")));
    }

    void yamlEditsUpdateTheTable()
    {
        auto *yaml = find<QPlainTextEdit>("routesYamlEdit");
        auto *status = find<QLabel>("routesStatusLabel");
        yaml->setPlainText(QStringLiteral("routes:\n  - match: has_image\n    model: kimi-2.6\n  - match: hour > 25 and\n    model: qwen3-235b\n  - default: deepseek-flash\n"));
        QTRY_VERIFY2(status->text().contains(QStringLiteral("line 4, column 25")), qPrintable(status->text()));
        QCOMPARE(page->model()->rowCount(), 3);   // the table keeps the last good rules
        QCOMPARE(matchOf(0), QStringLiteral("context_length > 80000"));
        yaml->setPlainText(QStringLiteral("routes:\n  - name: pictures\n    match: has_image\n    model: kimi-2.6\n  - default: deepseek-flash\n"));
        QTRY_COMPARE(page->model()->rowCount(), 2);
        QCOMPARE(page->model()->routes()[0].name, QStringLiteral("pictures"));
        QVERIFY(status->text().contains(QStringLiteral("2 rules, all valid")));
    }

    void tryARequest()
    {
        auto *result = find<QLabel>("tryResultLabel");
        QTest::keyClicks(find<QLineEdit>("tryRequestEdit"), QStringLiteral("Prove that 17 is prime"));
        QVERIFY2(result->text().contains(QStringLiteral("qwen3-235b")), qPrintable(result->text()));
        QVERIFY(result->text().contains(QStringLiteral("route 2")));
        QVERIFY(result->text().contains(QStringLiteral("matched &#x27;Prove&#x27;")) || result->text().contains(QStringLiteral("matched 'Prove'")));
        find<QComboBox>("tryTaskCombo")->setCurrentIndex(find<QComboBox>("tryTaskCombo")->findData(QStringLiteral("chat")));
        QVERIFY(result->text().contains(QStringLiteral("deepseek-v4-pro")));
        QVERIFY(result->text().contains(QStringLiteral("deepseek-flash")));   // the chain
    }

    // With only a DeepSeek key, the rule's model is passed over and the answer says why.
    void tryARequestPassesOverKeylessModels()
    {
        auto keychain = onlyDeepSeekKey();
        SecretStore secrets(std::make_unique<FakeSecretBackend>(keychain));
        KeyStatus keys(config.get(), &secrets);
        keys.refresh();
        QTRY_VERIFY(!keys.checking());
        page->setKeyStatus(&keys);
        auto *result = find<QLabel>("tryResultLabel");
        QTest::keyClicks(find<QLineEdit>("tryRequestEdit"), QStringLiteral("Prove that 17 is prime"));
        QVERIFY2(result->text().contains(QStringLiteral("<b>route 2</b> → <b>deepseek-v4-pro</b>")), qPrintable(result->text()));
        QVERIFY2(result->text().contains(QStringLiteral("Passed over: qwen3-235b (Qwen (DashScope) has no key).")),
                 qPrintable(result->text()));

        // A key added meanwhile changes the answer at once.
        keychain->entries.insert(QStringLiteral("provider/dashscope"), QStringLiteral("sk-qwen"));
        keys.refresh();
        QTRY_VERIFY2(result->text().contains(QStringLiteral("<b>route 2</b> → <b>qwen3-235b</b>")), qPrintable(result->text()));
        QVERIFY(!result->text().contains(QStringLiteral("Passed over")));
    }

    void reorderKeepsTheDefaultLast()
    {
        RoutesModel *m = page->model();
        QVERIFY(m->moveRow({}, 1, {}, 0));
        QCOMPARE(matchOf(0), QStringLiteral("task_type == \"reasoning\""));
        QVERIFY(!m->moveRow({}, 2, {}, 0));   // the default route does not move
        QVERIFY(!m->moveRow({}, 0, {}, 3));   // nor can a rule go after it
        QVERIFY(!m->removeRow(2));
        // Drag and drop, as the view does it.
        std::unique_ptr<QMimeData> data(m->mimeData({m->index(1, 0)}));
        m->dropMimeData(data.get(), Qt::MoveAction, 0, 0, {});
        QCOMPARE(matchOf(0), QStringLiteral("context_length > 80000"));
        // And with the buttons.
        auto *table = find<QTableView>("routesTable");
        table->selectRow(0);
        QTest::mouseClick(find<QPushButton>("moveRuleDownButton"), Qt::LeftButton);
        QCOMPARE(matchOf(1), QStringLiteral("context_length > 80000"));
        QTest::mouseClick(find<QPushButton>("addRuleButton"), Qt::LeftButton);
        QCOMPARE(m->rowCount(), 4);
        QVERIFY(m->routes().last().isDefault);
    }

    // The page goes (the window closes) while a rule is being typed. Qt commits the open editor as
    // the table is deleted; that edit must not reach the page's members, already gone by then
    // (AddressSanitizer caught it: the check is the sanitizer build's).
    void closingWithAnOpenEditor()
    {
        QTest::mouseClick(find<QPushButton>("addRuleButton"), Qt::LeftButton);
        QLineEdit *editor = nullptr;
        QTRY_VERIFY((editor = find<QTableView>("routesTable")->viewport()->findChild<QLineEdit *>()));
        QTest::keyClicks(editor, QStringLiteral("has_image"));
        page.reset();
    }

    void saveWritesConfig()
    {
        QVERIFY(page->model()->moveRow({}, 1, {}, 0));
        QVERIFY(find<QWidget>("saveBarRoutes")->isVisible());
        QCOMPARE(find<QLabel>("saveRoutesLabel")->text(), QStringLiteral("Unsaved changes"));
        QTest::mouseClick(find<QPushButton>("saveRoutesButton"), Qt::LeftButton);
        // The confirmation stays in the bar; the status under the YAML is about the rules again.
        QCOMPARE(find<QLabel>("saveRoutesLabel")->text(), QStringLiteral("Saved to config.yaml."));
        QVERIFY(find<QWidget>("saveBarRoutes")->isVisible());
        QCOMPARE(find<QLabel>("routesStatusLabel")->text(), QStringLiteral("3 rules, all valid."));
        QVERIFY(!page->hasUnsavedChanges());
        QCOMPARE(config->source(), ConfigStore::Source::File);
        QCOMPARE(config->config().routes[0].match, QStringLiteral("task_type == \"reasoning\""));
        QVERIFY(config->config().routes[0].expression.has_value());
    }

    void modelCellIsAListOfChatModelsWithKeyStatus()
    {
        auto keychain = onlyDeepSeekKey();
        SecretStore secrets(std::make_unique<FakeSecretBackend>(keychain));
        KeyStatus keys(config.get(), &secrets);
        keys.refresh();
        QTRY_VERIFY(!keys.checking());
        page->setKeyStatus(&keys);

        auto *table = find<QTableView>("routesTable");
        RoutesModel *m = page->model();
        const QModelIndex cell = m->index(2, RoutesModel::Model);   // the default route
        table->edit(cell);
        QComboBox *combo = nullptr;
        QTRY_VERIFY((combo = table->viewport()->findChild<QComboBox *>(QStringLiteral("routeModelCombo"))));
        QVERIFY(!combo->isEditable());   // nothing can be typed: only models that exist
        QStringList offered;
        for (int i = 0; i < combo->count(); ++i)
            offered << combo->itemData(i).toString();
        QStringList chatModels;
        for (const ModelConfig &model : config->config().models) {
            if (!model.isEmbedding())
                chatModels << model.name;
        }
        QCOMPARE(offered, chatModels);
        QVERIFY(!offered.contains(QStringLiteral("qwen-embedding")));
        QCOMPARE(combo->currentData().toString(), QStringLiteral("deepseek-v4-pro"));
        const int kimi = combo->findData(QStringLiteral("kimi-2.6"));
        const int flash = combo->findData(QStringLiteral("deepseek-flash"));
        QCOMPARE(combo->itemText(kimi), QStringLiteral("kimi-2.6 — no key"));
        QVERIFY(combo->itemData(kimi, Qt::ForegroundRole).isValid());   // greyed
        QCOMPARE(combo->itemText(flash), QStringLiteral("deepseek-flash"));
        QVERIFY(!combo->itemData(flash, Qt::ForegroundRole).isValid());

        // Picking is the edit: written at once, and the cell says the model has no key.
        combo->setCurrentIndex(kimi);
        emit combo->activated(kimi);
        QCOMPARE(m->routes().value(2).model, QStringLiteral("kimi-2.6"));
        QTRY_VERIFY(!table->viewport()->findChild<QComboBox *>(QStringLiteral("routeModelCombo")));
        auto *delegate = qobject_cast<ModelChoiceDelegate *>(table->itemDelegateForColumn(RoutesModel::Model));
        QVERIFY(delegate);
        QCOMPARE(delegate->unavailability(QStringLiteral("kimi-2.6")), QStringLiteral("no key"));
        QCOMPARE(delegate->unavailability(QStringLiteral("deepseek-flash")), QString());
        QVERIFY(page->hasUnsavedChanges());

        // A name the configuration lacks (from a hand-edited file) still shows, and is still an error.
        QVERIFY(m->setData(m->index(1, RoutesModel::Model), QStringLiteral("gpt-9"), Qt::EditRole));
        QVERIFY(find<QLabel>("routesStatusLabel")->text().contains(QStringLiteral("no model \"gpt-9\"")));
        table->edit(m->index(1, RoutesModel::Model));
        QTRY_VERIFY((combo = table->viewport()->findChild<QComboBox *>(QStringLiteral("routeModelCombo"))));
        QCOMPARE(combo->currentIndex(), 0);
        QCOMPARE(combo->currentData().toString(), QStringLiteral("gpt-9"));
        QCOMPARE(combo->currentText(), QStringLiteral("gpt-9 — not in the configuration"));
        QCOMPARE(combo->count(), chatModels.size() + 1);
    }

    void importAndExport()
    {
        const QString path = dir->filePath(QStringLiteral("routes.yaml"));
        QVERIFY(page->model()->moveRow({}, 1, {}, 0));
        QString error;
        QVERIFY2(page->exportTo(path, &error), qPrintable(error));
        page->findChild<QPushButton *>(QStringLiteral("revertRoutesButton"))->click();
        QCOMPARE(matchOf(0), QStringLiteral("context_length > 80000"));
        QVERIFY2(page->importFrom(path, &error), qPrintable(error));
        QCOMPARE(matchOf(0), QStringLiteral("task_type == \"reasoning\""));

        QFile bad(dir->filePath(QStringLiteral("bad.yaml")));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("routes:\n  - match: has_image\n    model: gpt-9\n  - default: deepseek-flash\n");
        bad.close();
        QVERIFY(!page->importFrom(bad.fileName(), &error));
        QVERIFY2(error.contains(QStringLiteral("gpt-9")), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("bad.yaml, line 3, column 12")), qPrintable(error));
    }
};

QTEST_MAIN(TestRoutingPage)
#include "tst_routingpage.moc"
