// Settings → Network: the proxy mode and address (never with a password), the extra certificate
// file, and each provider's connection, saved to settings.ini and config.yaml and put in force.
#include "AppSettings.h"
#include "ConfigStore.h"
#include "NetworkPage.h"
#include "NetworkPolicy.h"

#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

class TestNetworkPage : public QObject
{
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> dir;
    std::unique_ptr<ConfigStore> config;
    std::unique_ptr<AppSettings> settings;
    std::unique_ptr<NetworkPage> page;

    template<typename T>
    T *find(const char *name) const
    {
        return page->findChild<T *>(QLatin1String(name));
    }

private slots:
    void init()
    {
        dir = std::make_unique<QTemporaryDir>();
        config = std::make_unique<ConfigStore>(dir->filePath(QStringLiteral("config.yaml")));
        config->reload();
        settings = std::make_unique<AppSettings>(dir->filePath(QStringLiteral("settings.ini")));
        page = std::make_unique<NetworkPage>(config.get(), settings.get());
        page->resize(900, 700);
        page->show();
        QVERIFY(QTest::qWaitForWindowExposed(page.get()));
    }

    void cleanup()
    {
        page.reset();
        settings.reset();
        config.reset();
        dir.reset();
        NetworkPolicy::instance().setMode(NetworkPolicy::Mode::System);
        NetworkPolicy::instance().setCaFile({});
        NetworkPolicy::instance().setProviderRoutes({});
    }

    void manualProxyIsCheckedSavedAndApplied()
    {
        auto *save = find<QPushButton>("saveNetworkButton");
        auto *result = find<QLabel>("saveNetworkLabel");
        QVERIFY(find<QRadioButton>("proxySystem")->isChecked());
        QVERIFY(!save->isEnabled());
        QTest::mouseClick(find<QRadioButton>("proxyManual"), Qt::LeftButton, {}, QPoint(5, 5));
        QLineEdit *proxy = find<QLineEdit>("manualProxy");
        QVERIFY(proxy->isEnabled());
        QVERIFY(!save->isEnabled());   // no address yet
        QTest::keyClicks(proxy, QStringLiteral("http://bob:secret@corp:3128"));
        QVERIFY(!save->isEnabled());
        QVERIFY(result->text().contains(QLatin1String("password")));
        proxy->clear();
        QTest::keyClicks(proxy, QStringLiteral("socks5h://corp:1080"));
        QVERIFY(save->isEnabled());
        QTest::keyClick(proxy, Qt::Key_Return);   // Enter saves
        QVERIFY(result->text().startsWith(QLatin1String("Saved")));
        QCOMPARE(settings->proxyMode(), QStringLiteral("manual"));
        QCOMPARE(settings->manualProxy(), QStringLiteral("socks5h://corp:1080"));
        const QNetworkProxy p = NetworkPolicy::instance().proxyFor(QUrl(QStringLiteral("https://openrouter.ai/api/v1")));
        QCOMPARE(p.type(), QNetworkProxy::Socks5Proxy);
        QCOMPARE(p.hostName(), QStringLiteral("corp"));
        QFile ini(settings->raw().fileName());
        QVERIFY(ini.open(QIODevice::ReadOnly));
        const QByteArray saved = ini.readAll();
        QVERIFY(saved.contains("socks5h://corp:1080"));
        QVERIFY(!saved.contains("secret"));
    }

    void environmentIsShownWithoutPasswords()
    {
        qputenv("HTTPS_PROXY", "http://bob:s3cret@corp:3128");
        qputenv("ALL_PROXY", "socks5h://eve:hunter2@[bad");   // not a URL QUrl takes
        page = std::make_unique<NetworkPage>(config.get(), settings.get());
        const QString shown = find<QLabel>("proxyEnvironment")->text();
        qunsetenv("HTTPS_PROXY");
        qunsetenv("ALL_PROXY");
        QVERIFY2(shown.contains(QLatin1String("HTTPS_PROXY=http://bob:****@corp:3128")), qPrintable(shown));
        QVERIFY2(shown.contains(QLatin1String("eve:****@[bad")), qPrintable(shown));
        QVERIFY(!shown.contains(QLatin1String("s3cret")));
        QVERIFY(!shown.contains(QLatin1String("hunter2")));
    }

    void certificateFileMustHoldCertificates()
    {
        auto *ca = find<QLineEdit>("caFile");
        QTest::keyClicks(ca, dir->filePath(QStringLiteral("missing.pem")));
        QVERIFY(!find<QPushButton>("saveNetworkButton")->isEnabled());
        QVERIFY(find<QLabel>("saveNetworkLabel")->text().contains(QLatin1String("missing.pem")));
        ca->clear();
        QTest::keyClicks(ca, QStringLiteral(SWITCHYARD_TEST_DATA "/tls/ca.pem"));
        QVERIFY(page->save());
        QCOMPARE(NetworkPolicy::instance().caFile(), QStringLiteral(SWITCHYARD_TEST_DATA "/tls/ca.pem"));
    }

    void providerGoesDirectThroughConfigYaml()
    {
        auto *table = find<QTableWidget>("providerRoutes");
        int deepseek = -1;
        for (int row = 0; row < table->rowCount(); ++row) {
            if (table->item(row, 0)->data(Qt::UserRole).toString() == u"deepseek")
                deepseek = row;
        }
        QVERIFY(deepseek >= 0);
        auto *route = qobject_cast<QComboBox *>(table->cellWidget(deepseek, 1));
        route->setCurrentIndex(1);   // direct
        QVERIFY(page->hasUnsavedChanges());
        QVERIFY(page->save());
        QVERIFY(!page->hasUnsavedChanges());
        QCOMPARE(config->config().provider(u"deepseek")->proxy, QStringLiteral("direct"));
        QFile file(config->path());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readAll().contains("proxy: direct"));
        NetworkPolicy::instance().setMode(NetworkPolicy::Mode::Manual, QStringLiteral("http://corp:3128"));
        QCOMPARE(NetworkPolicy::instance().proxyFor(QUrl(QStringLiteral("https://api.deepseek.com"))).type(), QNetworkProxy::NoProxy);
        QCOMPARE(NetworkPolicy::instance().proxyFor(QUrl(QStringLiteral("https://openrouter.ai/api/v1"))).type(),
                 QNetworkProxy::HttpProxy);
    }
};

QTEST_MAIN(TestNetworkPage)
#include "tst_networkpage.moc"
