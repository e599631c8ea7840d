// zh_CN is kept complete: every source string has a finished translation, and the catalogue the
// app loads really translates the window.
#include "Translations.h"

#include <QApplication>
#include <QFile>
#include <QTest>
#include <QXmlStreamReader>

class TestTranslations : public QObject
{
    Q_OBJECT

private slots:
    void chineseCatalogueIsComplete()
    {
        QFile ts(QStringLiteral(SWITCHYARD_SOURCE_DIR "/translations/switchyard_zh_CN.ts"));
        QVERIFY(ts.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&ts);
        int messages = 0;
        QStringList missing;
        QString source;
        while (!xml.atEnd()) {
            xml.readNext();
            if (!xml.isStartElement())
                continue;
            if (xml.name() == u"source") {
                source = xml.readElementText();
            } else if (xml.name() == u"translation") {
                ++messages;
                const QString type = xml.attributes().value(QStringLiteral("type")).toString();
                // Plural forms sit in <numerusform> children.
                const bool empty = xml.readElementText(QXmlStreamReader::IncludeChildElements).trimmed().isEmpty();
                if (type == u"unfinished" || type == u"vanished" || type == u"obsolete" || empty)
                    missing << source;
            }
        }
        QVERIFY(!xml.hasError());
        QVERIFY2(messages > 100, qPrintable(QString::number(messages)));
        QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("untranslated: ") + missing.join(QStringLiteral(" | "))));
    }

    void catalogueIsLoaded()
    {
        QCOMPARE(Translations::install(*qApp, QStringLiteral("zh_CN")), QStringLiteral("zh_CN"));
        QCOMPARE(QCoreApplication::translate("MainWindow", "Settings"), QStringLiteral("设置"));
        QCOMPARE(QCoreApplication::translate("ChatPage", "New Chat"), QStringLiteral("新对话"));
        // Qt's own strings (dialog buttons) come in Chinese too.
        QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"), QStringLiteral("取消"));
    }
};

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"
