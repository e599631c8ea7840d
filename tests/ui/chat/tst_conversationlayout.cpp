// The conversation's layout holds at every width: a user message shows all its lines, and
// nothing in a message or the title widens the page (which would take the width from the list).
#include "ConversationView.h"
#include "MessageWidgets.h"

#include <QLabel>
#include <QScrollBar>
#include <QTest>
#include <QTextDocument>

namespace {

StoredMessage userMessage(const QString &id, const QString &text)
{
    StoredMessage m;
    m.id = id;
    m.role = QStringLiteral("user");
    m.status = QStringLiteral("done");
    m.content = text;
    return m;
}

StoredMessage interruptedAnswer(const QString &id)
{
    StoredMessage m;
    m.id = id;
    m.role = QStringLiteral("assistant");
    m.status = QStringLiteral("streaming");   // read back: interrupted, with its long note
    m.content = QStringLiteral("Partial answer");
    return m;
}

// Lays out what resizing and showing queued.
void settle()
{
    for (int i = 0; i < 3; ++i)
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
}

} // namespace

class TestConversationLayout : public QObject
{
    Q_OBJECT

private slots:
    void userMessagesShowEveryLineAtEveryWidth_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("short lines") << QStringLiteral("First line\nsecond line\nthird and last line");
        QTest::newRow("wrapping lines")
            << QStringLiteral("A first line long enough to wrap inside the bubble at most widths, with a few more words\n"
                              "second\n"
                              "the last line, which is also rather long and will wrap onto another row of the bubble");
        QTest::newRow("blank lines") << QStringLiteral("one\n\ntwo\n\n\nthree");
        QTest::newRow("no spaces") << QStringLiteral("比较 DeepSeek 和 Kimi 的价格，并给出计算费用的代码。用户想比较两家的价格。先列出输入、缓存命中和输出的单价\n再写一段代码");
    }

    void userMessagesShowEveryLineAtEveryWidth()
    {
        QFETCH(QString, text);
        ConversationView view;
        view.setMessages({userMessage(QStringLiteral("u1"), text), interruptedAnswer(QStringLiteral("a1")),
                          userMessage(QStringLiteral("u2"), text)});
        view.resize(700, 300);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        for (int width = 260; width <= 1000; width += 11) {
            view.resize(width, 300);
            settle();
            for (auto *label : view.findChildren<QLabel *>(QStringLiteral("userText"))) {
                const int needed = label->heightForWidth(label->width());
                QVERIFY2(label->height() >= needed,
                         qPrintable(QStringLiteral("at %1 px the text is %2 px tall for %3 px of lines")
                                        .arg(width).arg(label->height()).arg(needed)));
                // And what the text itself takes, laid out at the label's width, fits in it.
                QTextDocument doc;
                doc.setDefaultFont(label->font());
                doc.setDocumentMargin(0);
                doc.setPlainText(label->text());
                doc.setTextWidth(label->contentsRect().width());
                QVERIFY2(doc.size().height() <= label->contentsRect().height() + 0.5,
                         qPrintable(QStringLiteral("at %1 px the lines take %2 px of %3 px")
                                        .arg(width).arg(doc.size().height()).arg(label->contentsRect().height())));
                const QWidget *bubble = label->parentWidget();
                QVERIFY(label->geometry().bottom() < bubble->height());
            }
        }
    }

    void nothingInAMessageWidensTheView()
    {
        ConversationView view;
        view.setMessages({userMessage(QStringLiteral("u1"), QStringLiteral("hello")), interruptedAnswer(QStringLiteral("a1"))});
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        settle();
        // The interrupted answer's note is a long sentence: it wraps rather than asking for its width.
        QVERIFY2(view.minimumSizeHint().width() < 320, qPrintable(QString::number(view.minimumSizeHint().width())));
        for (MessageWidget *w : view.findChildren<MessageWidget *>())
            QVERIFY2(w->minimumSizeHint().width() < 320, qPrintable(QString::number(w->minimumSizeHint().width())));
    }
};

QTEST_MAIN(TestConversationLayout)
#include "tst_conversationlayout.moc"
