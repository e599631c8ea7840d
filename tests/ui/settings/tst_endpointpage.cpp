// Settings → Endpoint driven through its widgets (by objectName) over the real Gateway: the
// switch starts and stops it and is remembered, the listen address applies and warns when it
// leaves this machine, the key is masked until shown, regenerates after a confirmation, and named
// keys are added and removed.
#include "AppSettings.h"
#include "EndpointPage.h"
#include "GatewayFixture.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QTest>

class TestEndpointPage : public QObject
{
    Q_OBJECT

    template<typename T>
    static T *child(QWidget *page, const char *name)
    {
        T *w = page->findChild<T *>(QLatin1String(name));
        if (!w)
            qFatal("no %s", name);
        return w;
    }

private slots:
    void switchKeyAndNamedKeys()
    {
        GatewayFixture fx;
        QString why;
        QVERIFY2(fx.start(&why), qPrintable(why));
        fx.gateway->stop();
        AppSettings settings(fx.dir.filePath(QStringLiteral("settings.ini")));
        settings.setGatewayListen(QStringLiteral("127.0.0.1:0"));
        EndpointPage page(fx.gateway.get(), fx.keys.get(), &settings);
        int confirmations = 0;
        page.confirm = [&](const QString &) { return ++confirmations > 0; };
        page.show();

        auto *enabled = child<QCheckBox>(&page, "endpointEnabled");
        auto *status = child<QLabel>(&page, "endpointStatus");
        QVERIFY(!enabled->isChecked());
        QVERIFY(status->text().contains(u"switchyard serve"));
        enabled->click();
        QTRY_VERIFY(fx.gateway->isListening());
        QVERIFY(settings.gatewayEnabled());
        QVERIFY2(status->text().contains(fx.gateway->url().toString()), qPrintable(status->text()));
        QVERIFY(child<QPlainTextEdit>(&page, "endpointCurlExample")->toPlainText().contains(fx.url() + QStringLiteral("/chat/completions")));

        // The key: masked, shown on request, copied whole.
        auto *key = child<QLineEdit>(&page, "endpointKey");
        QVERIFY(!key->text().contains(QLatin1String(GatewayFixture::Key)));
        QVERIFY(!child<QPlainTextEdit>(&page, "endpointCurlExample")->toPlainText().contains(QLatin1String(GatewayFixture::Key)));
        child<QPushButton>(&page, "endpointShowKey")->click();
        QCOMPARE(key->text(), QLatin1String(GatewayFixture::Key));
        child<QPushButton>(&page, "endpointCopyExample")->click();
        QVERIFY(QApplication::clipboard()->text().contains(QStringLiteral("Bearer ") + QLatin1String(GatewayFixture::Key)));
        // A setup per door: Claude Code's base URL has no /v1 (it adds /v1/messages), Codex speaks Responses.
        auto *kind = child<QComboBox>(&page, "endpointSnippetKind");
        auto *snippetText = child<QPlainTextEdit>(&page, "endpointCurlExample");
        kind->setCurrentIndex(kind->findData(int(EndpointPage::Snippet::ClaudeCode)));
        const QString root = fx.url().chopped(3);
        QVERIFY2(snippetText->toPlainText().contains(QStringLiteral("ANTHROPIC_BASE_URL=%1\n").arg(root)),
                 qPrintable(snippetText->toPlainText()));
        QVERIFY(child<QLabel>(&page, "endpointSnippetNote")->text().contains(QStringLiteral("model_aliases")));
        child<QPushButton>(&page, "endpointCopyExample")->click();
        QVERIFY(QApplication::clipboard()->text().contains(QStringLiteral("ANTHROPIC_AUTH_TOKEN=")
                                                            + QLatin1String(GatewayFixture::Key)));
        kind->setCurrentIndex(kind->findData(int(EndpointPage::Snippet::CodexCli)));
        QVERIFY(snippetText->toPlainText().contains(QStringLiteral("base_url = \"%1\"").arg(fx.url())));
        QVERIFY(snippetText->toPlainText().contains(QStringLiteral("wire_api = \"responses\"")));
        for (int i = 0; i < kind->count(); ++i) {
            kind->setCurrentIndex(i);
            QVERIFY(!snippetText->toPlainText().isEmpty());
            QVERIFY(!child<QLabel>(&page, "endpointSnippetNote")->text().isEmpty());
        }
        kind->setCurrentIndex(0);

        child<QPushButton>(&page, "endpointRegenerateKey")->click();
        QCOMPARE(confirmations, 1);
        QTRY_VERIFY(fx.keys->mainKey() != QLatin1String(GatewayFixture::Key));
        QTRY_COMPARE(key->text(), fx.keys->mainKey());
        QCOMPARE(fx.shared->entries.value(SecretStore::gatewayAccount()), fx.keys->mainKey());   // stored, not only shown

        // A named key.
        auto *clients = child<QTableWidget>(&page, "endpointClients");
        QCOMPARE(clients->rowCount(), 1);   // "ci", from the fixture
        child<QLineEdit>(&page, "endpointClientName")->setText(QStringLiteral("nightly-report"));
        child<QPushButton>(&page, "endpointAddClient")->click();
        QTRY_COMPARE(clients->rowCount(), 2);
        QVERIFY(settings.gatewayClients().contains(QStringLiteral("nightly-report")));
        const QString nightly = fx.keys->key(QStringLiteral("nightly-report"));
        QCOMPARE(fx.keys->clientFor(nightly.toUtf8()), QStringLiteral("nightly-report"));
        QCOMPARE(fx.shared->entries.value(GatewayKeys::clientAccount(QStringLiteral("nightly-report"))), nightly);
        child<QLineEdit>(&page, "endpointClientName")->setText(QStringLiteral("bad name"));
        child<QPushButton>(&page, "endpointAddClient")->click();
        QTRY_VERIFY(status->text().contains(u"bad name"));
        clients->selectRow(1);
        child<QPushButton>(&page, "endpointRemoveClient")->click();
        QTRY_COMPARE(clients->rowCount(), 1);
        QVERIFY(!settings.gatewayClients().contains(QStringLiteral("nightly-report")));
        QCOMPARE(fx.keys->clientFor(nightly.toUtf8()), QString());

        // Another address: applied at once, with a warning when other machines can reach it.
        auto *listen = child<QLineEdit>(&page, "endpointListen");
        listen->setText(QStringLiteral("0.0.0.0:0"));
        QVERIFY(child<QLabel>(&page, "endpointExposureWarning")->isVisible());
        listen->setText(QStringLiteral("127.0.0.1:0"));
        QVERIFY(!child<QLabel>(&page, "endpointExposureWarning")->isVisible());
        listen->setText(QStringLiteral("nonsense"));
        child<QPushButton>(&page, "endpointApplyListen")->click();
        QVERIFY(status->text().contains(u"nonsense"));
        QCOMPARE(settings.gatewayListen(), QStringLiteral("127.0.0.1:0"));   // the bad one was not kept

        enabled->click();
        QVERIFY(!fx.gateway->isListening());
        QVERIFY(!settings.gatewayEnabled());
    }
};

QTEST_MAIN(TestEndpointPage)
#include "tst_endpointpage.moc"
