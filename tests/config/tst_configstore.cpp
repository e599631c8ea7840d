#include "ConfigStore.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

namespace {

const QByteArray good = R"(providers:
  - id: local
    dialect: openai
    base_url: http://127.0.0.1:9/v1
models:
  - name: tiny
    provider: local
    id: tiny-1
    context: 4096
routes:
  - default: tiny
)";

bool writeFile(const QString &path, const QByteArray &data)
{
    // Write-and-rename, as editors do.
    QFile f(path + QStringLiteral(".tmp"));
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size())
        return false;
    f.close();
    QFile::remove(path);
    return QFile::rename(path + QStringLiteral(".tmp"), path);
}

} // namespace

class TestConfigStore : public QObject
{
    Q_OBJECT

private slots:
    void missingFileUsesCatalog()
    {
        QTemporaryDir dir;
        ConfigStore store(dir.filePath(QStringLiteral("config.yaml")));
        QVERIFY(store.reload());
        QCOMPARE(store.source(), ConfigStore::Source::BuiltInCatalog);
        QVERIFY(store.config().provider(u"deepseek"));
        QVERIFY(store.lastError().isEmpty());
        QVERIFY(!QFile::exists(store.path()));   // the catalog is not written on its own
    }

    void brokenFileKeepsLastGood()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("config.yaml"));
        QVERIFY(writeFile(path, good));
        ConfigStore store(path);
        QVERIFY(store.reload());
        QCOMPARE(store.source(), ConfigStore::Source::File);
        QVERIFY(store.config().model(u"tiny"));

        QVERIFY(writeFile(path, QByteArray(good).replace("context: 4096", "context: [4096")));
        QSignalSpy changed(&store, &ConfigStore::configChanged);
        QVERIFY(!store.reload());
        QCOMPARE(changed.count(), 0);
        QVERIFY(store.config().model(u"tiny"));   // still in force
        QVERIFY2(store.lastError().contains(QStringLiteral("line ")), qPrintable(store.lastError()));
        QVERIFY2(store.lastError().contains(QStringLiteral("column ")), qPrintable(store.lastError()));
        QVERIFY(store.lastError().startsWith(path));
    }

    void brokenFileAtStartRunsOnCatalog()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("config.yaml"));
        QVERIFY(writeFile(path, "providers: {{{"));
        ConfigStore store(path);
        QVERIFY(!store.reload());
        QCOMPARE(store.source(), ConfigStore::Source::BuiltInCatalog);
        QVERIFY(store.config().provider(u"deepseek"));
        QVERIFY(!store.lastError().isEmpty());
        QCOMPARE(QFile(path).size(), qint64(14));   // the user's file is left as it was
    }

    void watchesTheFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("config.yaml"));
        ConfigStore store(path);
        store.reload();
        store.setWatching(true);
        QCOMPARE(store.source(), ConfigStore::Source::BuiltInCatalog);

        QVERIFY(writeFile(path, good));
        QTRY_COMPARE(store.source(), ConfigStore::Source::File);
        QVERIFY(store.config().model(u"tiny"));

        QVERIFY(writeFile(path, QByteArray(good).replace("tiny-1", "tiny-2")));
        QTRY_COMPARE(store.config().model(u"tiny")->id, QStringLiteral("tiny-2"));

        QVERIFY(writeFile(path, "routes: ["));
        QTRY_VERIFY(!store.lastError().isEmpty());
        QCOMPARE(store.config().model(u"tiny")->id, QStringLiteral("tiny-2"));

        QVERIFY(writeFile(path, good));
        QTRY_VERIFY(store.lastError().isEmpty());
        QCOMPARE(store.config().model(u"tiny")->id, QStringLiteral("tiny-1"));
    }
};

QTEST_GUILESS_MAIN(TestConfigStore)
#include "tst_configstore.moc"
