// The chat page's real widgets, driven by objectName, against the fake provider over loopback
// HTTP, with a real SQLite profile: send, stream, stop, regenerate, edit, continue, errors,
// attachments, search, delete and undo, and reopening after a restart.
#include "ChatFixture.h"

#include "Composer.h"
#include "ConversationView.h"
#include "MessageWidgets.h"

#include <QAbstractButton>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QPainter>
#include <QPdfWriter>
#include <QPushButton>
#include <QRegularExpression>
#include <QTextFrame>
#include <QTextTable>
#include <QToolButton>

namespace {

QByteArray chunk(const QJsonObject &delta, const QString &finish = {})
{
    QJsonObject choice {{QStringLiteral("index"), 0}, {QStringLiteral("delta"), delta}};
    choice.insert(QStringLiteral("finish_reason"), finish.isEmpty() ? QJsonValue() : QJsonValue(finish));
    return QJsonDocument(QJsonObject {{QStringLiteral("choices"), QJsonArray {choice}}}).toJson(QJsonDocument::Compact);
}

// An OpenAI-style stream of `text` in pieces of `piece` characters.
FakeResponse streamOf(const QString &text, int piece = 7, const QString &finish = QStringLiteral("stop"))
{
    QList<QByteArray> payloads;
    for (qsizetype i = 0; i < text.size(); i += piece)
        payloads << chunk({{QStringLiteral("content"), text.mid(i, piece)}});
    payloads << chunk({}, finish);
    payloads << QByteArray(R"({"choices":[],"usage":{"prompt_tokens":50,"completion_tokens":20,"total_tokens":70}})");
    return FakeResponse::sse(payloads);
}

} // namespace

class TestChatPage : public QObject
{
    Q_OBJECT

    std::unique_ptr<ChatFixture> f;

    template<typename T>
    T *find(const char *name) const
    {
        return f->page->findChild<T *>(QLatin1String(name));
    }

    QList<MessageWidget *> messageWidgets() const
    {
        return find<ConversationView>("conversationView")->messageWidgets();
    }

    bool sendText(const QString &text)
    {
        auto *input = find<ComposerInput>("composerInput");
        input->setFocus();
        input->setPlainText(text);
        QSignalSpy finished(f->page.get(), &ChatPage::answerFinished);
        QTest::mouseClick(find<QPushButton>("sendButton"), Qt::LeftButton);
        return finished.wait(15000);
    }

    QString lastAnswerText() const
    {
        const QList<MessageWidget *> w = messageWidgets();
        return w.isEmpty() || !w.last()->body() ? QString() : w.last()->body()->text();
    }

    QString lastBadge() const
    {
        return messageWidgets().last()->findChild<QLabel *>(QStringLiteral("answerBadge"))->text();
    }

    // Until every write queued so far is committed: a condition, not a time, which a loaded
    // machine or the sanitizer build outran (a batch later than 300 ms failed editAndResend).
    void waitForWrites()
    {
        auto written = std::make_shared<bool>(false);
        f->database->whenWritten(f->database.get(), [written] { *written = true; });
        QTRY_VERIFY_WITH_TIMEOUT(*written, 10000);
    }

private slots:
    void init()
    {
        f = std::make_unique<ChatFixture>();
        QString why;
        QVERIFY2(f->start(&why), qPrintable(why));
        QTRY_VERIFY(find<QWidget>("chatArea")->isVisible());
    }

    void cleanup() { f.reset(); }

    void sendStreamsRendersAndRecords()
    {
        QVERIFY(sendText(QStringLiteral("Hello there")));
        const QList<MessageWidget *> w = messageWidgets();
        QCOMPARE(w.size(), 2);
        QCOMPARE(w[0]->objectName(), QStringLiteral("userMessage"));
        QCOMPARE(w[0]->findChild<QLabel *>(QStringLiteral("userText"))->text(), QStringLiteral("Hello there"));
        const QString expected = FakeProvider::answerText(FakeDialect::DeepSeek, f->fake.requests().last().json());
        QCOMPARE(lastAnswerText(), expected);
        QVERIFY(expected.contains(QStringLiteral("Hello there")));
        // The badge: model, provider, rule, tokens as the provider reported them, cost, timings.
        const QString badge = lastBadge();
        QVERIFY2(badge.contains(QStringLiteral("DeepSeek")), qPrintable(badge));
        QVERIFY2(badge.contains(QStringLiteral("rule “default”")), qPrintable(badge));
        QVERIFY2(badge.contains(QStringLiteral("120 in (64 cached)")), qPrintable(badge));
        QVERIFY2(badge.contains(QStringLiteral("30 out (12 reasoning)")), qPrintable(badge));
        QVERIFY2(badge.contains(QStringLiteral("$")), qPrintable(badge));
        QVERIFY2(badge.contains(QStringLiteral("first token")), qPrintable(badge));
        QCOMPARE(w[1]->findChild<QLabel *>(QStringLiteral("messageAuthor"))->text(), QStringLiteral("fast"));
        // Reasoning arrived first, then was folded away when the answer started.
        auto *toggle = w[1]->findChild<QToolButton *>(QStringLiteral("reasoningToggle"));
        auto *reasoning = w[1]->findChild<TextSegment *>(QStringLiteral("reasoningText"));
        QVERIFY(toggle->isVisible());
        QVERIFY(!reasoning->isVisible());
        QCOMPARE(reasoning->source(), FakeProvider::reasoningText());
        QTest::mouseClick(toggle, Qt::LeftButton);
        QVERIFY(reasoning->isVisible());

        // The conversation is listed under its first prompt; the ledger has the call as "window".
        auto *list = find<QListWidget>("conversationList");
        QTRY_COMPARE(list->count(), 1);
        QCOMPARE(list->item(0)->text(), QStringLiteral("Hello there"));
        QCOMPARE(find<QLabel>("conversationTitle")->text(), QStringLiteral("Hello there"));
        QList<QVariantMap> rows;
        QTRY_VERIFY((rows = f->ledgerRows()).size() == 1);
        QCOMPARE(rows[0].value(QStringLiteral("client")).toString(), QStringLiteral("window"));
        QCOMPARE(rows[0].value(QStringLiteral("model")).toString(), QStringLiteral("fast"));
        QCOMPARE(rows[0].value(QStringLiteral("conversation")).toString(), f->page->currentConversation());

        // Copy puts the Markdown on the clipboard.
        QTest::mouseClick(w[1]->findChild<QToolButton *>(QStringLiteral("copyMessageButton")), Qt::LeftButton);
        QCOMPARE(QGuiApplication::clipboard()->text(), expected);
    }

    void markdownCodeAndTables()
    {
        const QString answer = QStringLiteral(
            "# Plan\n\nFirst **bold** and `inline`.\n\n- one\n- two\n\n"
            "```python\nprint('hi')\nfor i in range(3):\n    print(i)\n```\n\n"
            "| Model | Price |\n|---|---|\n| fast | 1 |\n| kimi | 4 |\n\nDone, see [docs](https://example.com).\n");
        f->fake.enqueue(streamOf(answer, 5));
        QVERIFY(sendText(QStringLiteral("Show me markdown")));
        QCOMPARE(lastAnswerText(), answer);
        MessageWidget *m = messageWidgets().last();
        const QList<CodeBlock *> code = m->findChildren<CodeBlock *>();
        QCOMPARE(code.size(), 1);
        QCOMPARE(code[0]->code(), QStringLiteral("print('hi')\nfor i in range(3):\n    print(i)"));
        QCOMPARE(code[0]->findChild<QLabel *>(QStringLiteral("codeLanguage"))->text(), QStringLiteral("python"));
        QTest::mouseClick(code[0]->findChild<QToolButton *>(QStringLiteral("copyCodeButton")), Qt::LeftButton);
        QCOMPARE(QGuiApplication::clipboard()->text(), code[0]->code());
        // Text before the code and after it, each in one document; the table is a real table.
        const QList<TextSegment *> text = m->findChild<AnswerBody *>()->findChildren<TextSegment *>();
        QCOMPARE(text.size(), 2);
        QVERIFY(text[0]->toPlainText().contains(QStringLiteral("Plan")));
        QVERIFY(!text[0]->toPlainText().contains(QStringLiteral("**")));
        bool table = false;
        for (QTextFrame *frame : text[1]->document()->rootFrame()->childFrames()) {
            if (auto *t = qobject_cast<QTextTable *>(frame)) {
                table = t->rows() == 3 && t->columns() == 2;
                QCOMPARE(t->cellAt(2, 0).firstCursorPosition().block().text(), QStringLiteral("kimi"));
            }
        }
        QVERIFY(table);
        QVERIFY(text[1]->toHtml().contains(QStringLiteral("https://example.com")));
        // Laid out the same as the whole answer at once.
        AnswerBody whole;
        whole.setMarkdown(answer);
        QCOMPARE(whole.findChildren<TextSegment *>().size(), 2);
        QCOMPARE(whole.findChildren<TextSegment *>()[1]->toPlainText(), text[1]->toPlainText());
        QCOMPARE(whole.findChildren<TextSegment *>()[0]->toPlainText(), text[0]->toPlainText());
    }

    void stopKeepsWhatArrived()
    {
        f->fake.setFrameDelayMs(150);
        auto *input = find<ComposerInput>("composerInput");
        input->setPlainText(QStringLiteral("Tell me a long story"));
        QSignalSpy finished(f->page.get(), &ChatPage::answerFinished);
        QTest::mouseClick(find<QPushButton>("sendButton"), Qt::LeftButton);
        QTRY_VERIFY(find<QPushButton>("stopButton")->isVisible());
        QVERIFY(!find<QPushButton>("sendButton")->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(!lastAnswerText().isEmpty(), 10000);
        QTest::keyClick(input, Qt::Key_Escape);   // Esc stops, like the Stop button
        QTRY_COMPARE(finished.size(), 1);
        MessageWidget *m = messageWidgets().last();
        QCOMPARE(m->message().status, QStringLiteral("stopped"));
        const QString partial = lastAnswerText();
        QVERIFY(!partial.isEmpty());
        QVERIFY(partial.size() < FakeProvider::answerText(FakeDialect::DeepSeek, f->fake.requests().last().json()).size());
        QCOMPARE(m->findChild<QLabel *>(QStringLiteral("messageNote"))->text(), QStringLiteral("Stopped"));
        QVERIFY(m->findChild<QToolButton *>(QStringLiteral("continueButton"))->isVisible());
        QVERIFY(find<QPushButton>("sendButton")->isVisible());
        // Saved as it is shown.
        waitForWrites();
        const QList<StoredMessage> stored = f->page->store()->messages(f->page->currentConversation());
        QCOMPARE(stored.size(), 2);
        QCOMPARE(stored[1].status, QStringLiteral("stopped"));
        QCOMPARE(stored[1].content, partial);
        QList<QVariantMap> rows;
        QTRY_VERIFY((rows = f->ledgerRows()).size() == 1);
        QCOMPARE(rows[0].value(QStringLiteral("status")).toString(), QStringLiteral("cancelled"));

        // Continue asks for the rest and appends it to the same answer.
        f->fake.setFrameDelayMs(0);
        f->fake.enqueue(streamOf(QStringLiteral(" and they lived happily.")));
        QTest::mouseClick(m->findChild<QToolButton *>(QStringLiteral("continueButton")), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 10000);
        QCOMPARE(messageWidgets().size(), 2);
        QCOMPARE(lastAnswerText(), partial + QStringLiteral(" and they lived happily."));
        // The badge counts both calls: the stopped one's (estimated) tokens and the continuation's 50 + 20.
        const QRegularExpressionMatch in = QRegularExpression(QStringLiteral("(\\d+) in · (\\d+) out")).match(lastBadge());
        QVERIFY2(in.hasMatch(), qPrintable(lastBadge()));
        QVERIFY2(in.captured(1).toInt() > 50 && in.captured(2).toInt() > 20, qPrintable(lastBadge()));
        QVERIFY2(lastBadge().contains(QStringLiteral("estimated")), qPrintable(lastBadge()));
        QVERIFY(!messageWidgets().last()->findChild<QToolButton *>(QStringLiteral("continueButton"))->isVisible());
        const QJsonArray sent = f->fake.requests().last().json().value(QStringLiteral("messages")).toArray();
        QCOMPARE(sent.at(sent.size() - 2).toObject().value(QStringLiteral("content")).toString(), partial);
        QVERIFY(sent.last().toObject().value(QStringLiteral("content")).toString().startsWith(QStringLiteral("Continue")));
    }

    void leavingAndComingBackWhileAnAnswerStreams()
    {
        f->fake.setFrameDelayMs(60);
        auto *input = find<ComposerInput>("composerInput");
        input->setPlainText(QStringLiteral("Keep going while I look elsewhere"));
        QSignalSpy finished(f->page.get(), &ChatPage::answerFinished);
        QTest::mouseClick(find<QPushButton>("sendButton"), Qt::LeftButton);
        const QString id = f->page->currentConversation();
        QTRY_VERIFY_WITH_TIMEOUT(!lastAnswerText().isEmpty(), 10000);
        f->page->newConversation();
        // Elsewhere, the composer says where the answer is still arriving, and sending waits.
        QTRY_VERIFY(find<QLabel>("composerStatus")->text().contains(QStringLiteral("still arriving")));
        QTest::qWait(150);
        f->page->openConversation(id);
        QTRY_COMPARE(f->page->currentConversation(), id);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 15000);
        const QString expected = FakeProvider::answerText(FakeDialect::DeepSeek, f->fake.requests().last().json());
        QCOMPARE(lastAnswerText(), expected);   // nothing lost on the way out or back
        waitForWrites();
        const QList<StoredMessage> stored = f->page->store()->messages(id);
        QCOMPARE(stored.size(), 2);
        QCOMPARE(stored[1].content, expected);
        QCOMPARE(stored[1].status, QStringLiteral("done"));
    }

    void regenerateWithTheSameOrAnotherModel()
    {
        QVERIFY(sendText(QStringLiteral("Hi")));
        const QString firstId = messageWidgets().last()->messageId();
        QSignalSpy finished(f->page.get(), &ChatPage::answerFinished);
        QTest::mouseClick(messageWidgets().last()->findChild<QToolButton *>(QStringLiteral("regenerateButton")),
                          Qt::LeftButton);
        QVERIFY(finished.wait(10000));
        QCOMPARE(messageWidgets().size(), 2);
        QVERIFY(messageWidgets().last()->messageId() != firstId);
        QCOMPARE(f->fake.requests().size(), 2);
        // With another model, from the button's menu.
        QMenu *menu = messageWidgets().last()->findChild<QToolButton *>(QStringLiteral("regenerateButton"))->menu();
        QAction *kimi = nullptr;
        for (QAction *a : menu->actions())
            if (a->text() == QStringLiteral("kimi"))
                kimi = a;
        QVERIFY(kimi);
        kimi->trigger();
        QVERIFY(finished.wait(10000));
        QCOMPARE(messageWidgets().last()->findChild<QLabel *>(QStringLiteral("messageAuthor"))->text(), QStringLiteral("kimi"));
        QVERIFY2(lastBadge().contains(QStringLiteral("Kimi")), qPrintable(lastBadge()));
        QVERIFY2(lastBadge().contains(QStringLiteral("¥")), qPrintable(lastBadge()));
        QVERIFY(lastAnswerText().startsWith(QStringLiteral("Hello from moonshot")));
        waitForWrites();
        QCOMPARE(f->page->store()->messages(f->page->currentConversation()).size(), 2);
    }

    void editAndResend()
    {
        QVERIFY(sendText(QStringLiteral("First question")));
        QVERIFY(sendText(QStringLiteral("Second question")));
        QCOMPARE(messageWidgets().size(), 4);
        QTest::mouseClick(messageWidgets()[0]->findChild<QToolButton *>(QStringLiteral("editMessageButton")), Qt::LeftButton);
        auto *input = find<ComposerInput>("composerInput");
        QCOMPARE(input->toPlainText(), QStringLiteral("First question"));
        QVERIFY(find<QWidget>("editBanner")->isVisible());
        QVERIFY(sendText(QStringLiteral("Better first question")));
        QCOMPARE(messageWidgets().size(), 2);
        QCOMPARE(messageWidgets()[0]->message().content, QStringLiteral("Better first question"));
        QVERIFY(lastAnswerText().contains(QStringLiteral("Better first question")));
        QVERIFY(!find<QWidget>("editBanner")->isVisible());
        waitForWrites();
        QCOMPARE(f->page->store()->messages(f->page->currentConversation()).size(), 2);
    }

    void errorsSayWhatToDo()
    {
        f->fake.enqueue(FakeResponse::authFailed());
        QVERIFY(sendText(QStringLiteral("Hi")));
        MessageWidget *m = messageWidgets().last();
        auto *error = m->findChild<QFrame *>(QStringLiteral("answerError"));
        QVERIFY(error->isVisible());
        const QString text = error->findChild<QLabel *>(QStringLiteral("answerErrorText"))->text();
        QVERIFY2(text.contains(QStringLiteral("The key was refused")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("HTTP 401")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("Class: auth")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("Check the provider")), qPrintable(text));
        auto *settings = m->findChild<QToolButton *>(QStringLiteral("errorSettingsButton"));
        QVERIFY(settings->isVisible());
        QSignalSpy open(f->page.get(), &ChatPage::openSettingsRequested);
        QTest::mouseClick(settings, Qt::LeftButton);
        QCOMPARE(open.size(), 1);
        QCOMPARE(m->message().status, QStringLiteral("error"));

        // Rate limited everywhere: the wait the provider asked for.
        // fast, then its fallback kimi.
        const qsizetype before = f->fake.requests().size();
        for (int i = 0; i < 2; ++i)
            f->fake.enqueue(FakeResponse::rateLimited(90));
        QVERIFY(sendText(QStringLiteral("Again")));
        QCOMPARE(f->fake.requests().size() - before, 2);
        QVERIFY2(messageWidgets().last()->findChild<QLabel *>(QStringLiteral("messageAuthor"))->text() == QStringLiteral("kimi"),
                 "the error names the last model tried");
        const QString limited = messageWidgets().last()->findChild<QLabel *>(QStringLiteral("answerErrorText"))->text();
        QVERIFY2(limited.contains(QStringLiteral("Rate limited")), qPrintable(limited));
        QVERIFY2(limited.contains(QStringLiteral("Wait 90 s")), qPrintable(limited));
        QVERIFY2(limited.contains(QStringLiteral("max RPM")), qPrintable(limited));
        // A retry from the error works once the provider answers again.
        QSignalSpy finished(f->page.get(), &ChatPage::answerFinished);
        QTest::mouseClick(messageWidgets().last()->findChild<QToolButton *>(QStringLiteral("regenerateButton")), Qt::LeftButton);
        QVERIFY(finished.wait(10000));
        QVERIFY(lastAnswerText().startsWith(QStringLiteral("Hello from")));
        QVERIFY(!messageWidgets().last()->findChild<QFrame *>(QStringLiteral("answerError"))->isVisible());
    }

    void documentsGoIntoTheRequest()
    {
        const QString md = f->dir.filePath(QStringLiteral("notes.md"));
        QFile file(md);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("# Notes\n\nThe launch moves to March.\n");
        file.close();
        const QString pdf = f->dir.filePath(QStringLiteral("report.pdf"));
        {
            QPdfWriter writer(pdf);
            QPainter painter(&writer);
            painter.setFont(QFont(QStringLiteral("DejaVu Sans"), 12));
            painter.drawText(QPointF(200, 400), QStringLiteral("Quarterly revenue grew twelve percent"));
        }
        f->page->addFiles({md, pdf});
        QTRY_COMPARE(f->page->findChildren<QToolButton *>(QStringLiteral("attachmentChip")).size(), 2);
        QTRY_VERIFY(find<QLabel>("tokenEstimate")->text().contains(QStringLiteral("from attachments")));
        QVERIFY(sendText(QStringLiteral("Summarise these")));
        const QJsonArray sent = f->fake.requests().last().json().value(QStringLiteral("messages")).toArray();
        const QString content = sent.last().toObject().value(QStringLiteral("content")).toString();
        QVERIFY2(content.contains(QStringLiteral("<document name=\"notes.md\">")), qPrintable(content));
        QVERIFY2(content.contains(QStringLiteral("The launch moves to March.")), qPrintable(content));
        QVERIFY2(content.contains(QStringLiteral("Quarterly revenue grew twelve percent")), qPrintable(content));
        QVERIFY(content.endsWith(QStringLiteral("Summarise these")));
        QVERIFY(f->page->findChildren<QToolButton *>(QStringLiteral("attachmentChip")).isEmpty());
        const QString shown = messageWidgets()[0]->findChild<QLabel *>(QStringLiteral("messageAttachments"))->text();
        QVERIFY2(shown.contains(QStringLiteral("notes.md")) && shown.contains(QStringLiteral("report.pdf")), qPrintable(shown));

        // A regenerated answer sends the documents again, read back from the database.
        QString why;
        waitForWrites();
        QVERIFY2(f->openPage(&why), qPrintable(why));
        QSignalSpy finished(f->page.get(), &ChatPage::answerFinished);
        QTest::mouseClick(messageWidgets().last()->findChild<QToolButton *>(QStringLiteral("regenerateButton")), Qt::LeftButton);
        QVERIFY(finished.wait(10000));
        const QString again = f->fake.requests().last().json().value(QStringLiteral("messages")).toArray().last()
                                  .toObject().value(QStringLiteral("content")).toString();
        QCOMPARE(again, content);

        // What cannot be read is refused with a sentence.
        const QString binary = f->dir.filePath(QStringLiteral("blob.bin"));
        QFile b(binary);
        QVERIFY(b.open(QIODevice::WriteOnly));
        b.write(QByteArray("\x00\x01\x02\x03", 4));
        b.close();
        f->page->addFiles({binary});
        QTRY_VERIFY(find<QLabel>("composerStatus")->isVisible());
        QVERIFY(find<QLabel>("composerStatus")->text().contains(QStringLiteral("blob.bin")));
    }

    void imagesNeedAModelThatSees()
    {
        QImage image(32, 32, QImage::Format_RGB32);
        image.fill(Qt::red);
        f->page->addImage(image, QStringLiteral("red.png"));
        auto *models = find<QComboBox>("modelPicker");
        models->setCurrentIndex(models->findData(QStringLiteral("fast")));
        find<ComposerInput>("composerInput")->setPlainText(QStringLiteral("What colour is this?"));
        QTest::mouseClick(find<QPushButton>("sendButton"), Qt::LeftButton);
        const QString refusal = find<QLabel>("composerStatus")->text();
        QVERIFY2(refusal.contains(QStringLiteral("fast cannot see images")), qPrintable(refusal));
        QVERIFY2(refusal.contains(QStringLiteral("qwen-vl")), qPrintable(refusal));
        QVERIFY(messageWidgets().isEmpty());   // nothing was sent or saved, the draft is kept
        QCOMPARE(f->fake.requests().size(), 0);
        QCOMPARE(find<ComposerInput>("composerInput")->toPlainText(), QStringLiteral("What colour is this?"));
        QCOMPARE(f->page->findChildren<QToolButton *>(QStringLiteral("attachmentChip")).size(), 1);

        models->setCurrentIndex(models->findData(QStringLiteral("qwen-vl")));
        QSignalSpy finished(f->page.get(), &ChatPage::answerFinished);
        QTest::mouseClick(find<QPushButton>("sendButton"), Qt::LeftButton);
        QVERIFY(finished.wait(10000));
        const QByteArray body = f->fake.requests().last().body;
        QVERIFY(body.contains("data:image/png;base64,"));
        QVERIFY(lastAnswerText().startsWith(QStringLiteral("Hello from dashscope")));
    }

    void searchDeleteUndoRenamePin()
    {
        QVERIFY(sendText(QStringLiteral("Alpha about apples")));
        const QString alpha = f->page->currentConversation();
        QTest::keyClick(find<ComposerInput>("composerInput"), Qt::Key_N, Qt::ControlModifier);   // Ctrl+N
        QVERIFY(f->page->currentConversation().isEmpty());
        QVERIFY(messageWidgets().isEmpty());
        QVERIFY(sendText(QStringLiteral("Beta about bananas")));
        const QString beta = f->page->currentConversation();
        QVERIFY(alpha != beta);
        auto *list = find<QListWidget>("conversationList");
        QTRY_COMPARE(list->count(), 2);
        QCOMPARE(list->item(0)->data(Qt::UserRole).toString(), beta);   // most recent first

        // Ctrl+K, then a word from the answers' text.
        QTest::keyClick(find<ComposerInput>("composerInput"), Qt::Key_K, Qt::ControlModifier);
        auto *search = find<QLineEdit>("conversationSearch");
        QVERIFY(search->hasFocus());
        waitForWrites();
        QTest::keyClicks(search, QStringLiteral("APPLES"));
        QTRY_VERIFY(list->item(0)->text().contains(QStringLiteral("1 conversation matches")));
        QCOMPARE(list->count(), 2);   // the header and one match
        QVERIFY(list->item(1)->text().contains(QStringLiteral("apples")));
        QCOMPARE(list->item(1)->data(Qt::UserRole).toString(), alpha);
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualItemRect(list->item(1)).center());
        QTRY_COMPARE(f->page->currentConversation(), alpha);
        search->clear();
        QTRY_VERIFY(!list->item(0)->text().contains(QStringLiteral("match")));
        QCOMPARE(list->count(), 2);

        // Rename in place; pin to the top.
        list->item(1)->setText(QStringLiteral("Fruit notes"));
        QCOMPARE(find<QLabel>("conversationTitle")->text(), QStringLiteral("Fruit notes"));
        f->page->setPinned(alpha, true);
        QTRY_COMPARE(list->count(), 4);   // Pinned, alpha, Recent, beta
        QCOMPARE(list->item(0)->text(), QStringLiteral("Pinned"));
        QCOMPARE(list->item(1)->text(), QStringLiteral("Fruit notes"));
        QCOMPARE(list->item(2)->text(), QStringLiteral("Recent"));

        // Delete, then undo.
        f->page->deleteConversation(beta);
        auto *undo = find<QWidget>("undoBar");
        QVERIFY(undo->isVisible());
        QCOMPARE(list->count(), 3);
        QTest::mouseClick(find<QPushButton>("undoDeleteButton"), Qt::LeftButton);
        QTRY_COMPARE(list->count(), 4);
        QTRY_COMPARE(f->page->currentConversation(), beta);
        // Deleted for good once the undo has run out (here: the next start purges it).
        f->page->deleteConversation(beta);
        waitForWrites();
        QString why;
        QVERIFY2(f->openPage(&why), qPrintable(why));
        waitForWrites();
        QCOMPARE(f->page->store()->conversations().size(), 1);
        QCOMPARE(f->page->currentConversation(), alpha);
    }

    void reopensWhereItWasAfterARestart()
    {
        QVERIFY(sendText(QStringLiteral("Remember me")));
        const QString id = f->page->currentConversation();
        const QString answer = lastAnswerText();
        const QString badge = lastBadge();
        waitForWrites();
        QString why;
        QVERIFY2(f->openPage(&why), qPrintable(why));
        QCOMPARE(f->page->currentConversation(), id);
        QCOMPARE(messageWidgets().size(), 2);
        QCOMPARE(lastAnswerText(), answer);
        QCOMPARE(lastBadge(), badge);
        QCOMPARE(find<QLabel>("conversationTitle")->text(), QStringLiteral("Remember me"));
    }

    void anAnswerCutByACrashKeepsWhatWasShown()
    {
        // What the page writes while streaming, left as a crash leaves it.
        ConversationStore *store = f->page->store();
        ConversationInfo c;
        c.id = ConversationStore::newId();
        c.title = QStringLiteral("Crashed");
        c.createdMs = c.updatedMs = QDateTime::currentMSecsSinceEpoch();
        store->saveConversation(c);
        StoredMessage u;
        u.id = ConversationStore::newId();
        u.conversation = c.id;
        u.role = QStringLiteral("user");
        u.content = QStringLiteral("Question");
        u.status = QStringLiteral("done");
        store->saveMessage(u);
        StoredMessage a = u;
        a.id = ConversationStore::newId();
        a.seq = 1;
        a.role = QStringLiteral("assistant");
        a.content.clear();
        a.status = QStringLiteral("streaming");
        store->saveMessage(a);
        store->appendPart(a.id, 0, true, QStringLiteral("Thinking it over. "));
        store->appendPart(a.id, 1, false, QStringLiteral("The first half "));
        store->appendPart(a.id, 2, false, QStringLiteral("of the answer"));
        waitForWrites();
        f->settings->raw().setValue(QStringLiteral("chat/lastConversation"), c.id);
        QString why;
        QVERIFY2(f->openPage(&why), qPrintable(why));
        QCOMPARE(f->page->currentConversation(), c.id);
        QCOMPARE(lastAnswerText(), QStringLiteral("The first half of the answer"));
        MessageWidget *m = messageWidgets().last();
        QVERIFY(m->findChild<QLabel *>(QStringLiteral("messageNote"))->text().startsWith(QStringLiteral("Interrupted")));
        QTRY_VERIFY(m->findChild<QToolButton *>(QStringLiteral("continueButton"))->isVisible());
        QCOMPARE(m->findChild<TextSegment *>(QStringLiteral("reasoningText"))->source(), QStringLiteral("Thinking it over. "));
    }

    void longConversationsOpenAPageAtATime()
    {
        ConversationStore *store = f->page->store();
        ConversationInfo c;
        c.id = ConversationStore::newId();
        c.title = QStringLiteral("Long");
        c.createdMs = c.updatedMs = QDateTime::currentMSecsSinceEpoch();
        store->saveConversation(c);
        for (int i = 0; i < 100; ++i) {
            StoredMessage m;
            m.id = ConversationStore::newId();
            m.conversation = c.id;
            m.seq = i;
            m.role = i % 2 ? QStringLiteral("assistant") : QStringLiteral("user");
            m.content = QStringLiteral("Message number %1").arg(i);
            m.status = QStringLiteral("done");
            store->saveMessage(m);
        }
        QTRY_COMPARE(store->messages(c.id).size(), 100);
        f->page->openConversation(c.id);
        auto *view = find<ConversationView>("conversationView");
        QTRY_COMPARE(view->messageWidgets().size(), ConversationView::PageSize);
        QCOMPARE(view->hiddenCount(), 100 - ConversationView::PageSize);
        QCOMPARE(view->messageWidgets().last()->message().content, QStringLiteral("Message number 99"));
        auto *earlier = find<QPushButton>("earlierMessagesButton");
        QVERIFY(earlier->isVisible());
        QTest::mouseClick(earlier, Qt::LeftButton);
        QCOMPARE(view->messageWidgets().size(), 2 * ConversationView::PageSize);
        // Search opens the conversation at the message that matched.
        const QString third = f->page->messages().at(3).id;
        view->reveal(third);
        QVERIFY(view->widgetFor(third));
        QCOMPARE(view->hiddenCount(), 0);
    }

    void keyboardAndAccessibleNames()
    {
        auto *input = find<ComposerInput>("composerInput");
        find<QLineEdit>("conversationSearch")->setFocus();
        QTest::keyClick(find<QLineEdit>("conversationSearch"), Qt::Key_L, Qt::ControlModifier);
        QVERIFY(input->hasFocus());
        // Shift+Enter is a new line, Enter sends.
        QTest::keyClicks(input, QStringLiteral("line one"));
        QTest::keyClick(input, Qt::Key_Return, Qt::ShiftModifier);
        QTest::keyClicks(input, QStringLiteral("line two"));
        QCOMPARE(input->toPlainText(), QStringLiteral("line one\nline two"));
        QSignalSpy finished(f->page.get(), &ChatPage::answerFinished);
        QTest::keyClick(input, Qt::Key_Return);
        QVERIFY(finished.wait(10000));
        QCOMPARE(messageWidgets()[0]->message().content, QStringLiteral("line one\nline two"));
        // Chosen otherwise: Enter is a new line and Ctrl+Enter sends.
        input->setEnterSends(false);
        QTest::keyClicks(input, QStringLiteral("a"));
        QTest::keyClick(input, Qt::Key_Return);
        QCOMPARE(input->toPlainText(), QStringLiteral("a\n"));
        QTest::keyClick(input, Qt::Key_Return, Qt::ControlModifier);
        QVERIFY(finished.wait(10000));

        // Every control a screen reader lands on has a name.
        const auto named = [](QWidget *w) {
            if (auto *b = qobject_cast<QAbstractButton *>(w))
                return !b->accessibleName().isEmpty() || !b->text().isEmpty();
            return !w->accessibleName().isEmpty();
        };
        QStringList unnamed;
        for (QWidget *w : f->page->findChildren<QWidget *>()) {
            if (!w->isVisible())
                continue;
            if (qobject_cast<QAbstractButton *>(w) || qobject_cast<QLineEdit *>(w) || qobject_cast<QComboBox *>(w)
                || qobject_cast<QPlainTextEdit *>(w) || qobject_cast<QListWidget *>(w)) {
                if (!named(w) && !qobject_cast<QPlainTextEdit *>(w->parentWidget()))
                    unnamed << w->objectName() + QLatin1Char('/') + QLatin1String(w->metaObject()->className());
            }
        }
        QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(QStringLiteral(", "))));
    }

    void modelPickerGroupsByProvider()
    {
        auto *models = find<QComboBox>("modelPicker");
        QCOMPARE(models->itemText(0), QStringLiteral("Auto (routing rules)"));
        QStringList texts;
        for (int i = 0; i < models->count(); ++i)
            texts << models->itemText(i).trimmed();
        // qwen-embed, an embedding model, is not offered for chat (nor, so, in Regenerate's menu).
        QCOMPARE(texts, (QStringList {QStringLiteral("Auto (routing rules)"), QStringLiteral("DeepSeek"), QStringLiteral("fast"),
                                      QStringLiteral("Kimi"), QStringLiteral("kimi"), QStringLiteral("Qwen"),
                                      QStringLiteral("qwen-vl")}));
        auto *tasks = find<QComboBox>("taskPicker");
        QCOMPARE(tasks->count(), 6);
        // The reasoning task goes to kimi by the "thinking" rule.
        tasks->setCurrentIndex(tasks->findData(QStringLiteral("reasoning")));
        QVERIFY(sendText(QStringLiteral("Prove it")));
        QVERIFY2(lastBadge().contains(QStringLiteral("rule “thinking”")), qPrintable(lastBadge()));
    }
};

QTEST_MAIN(TestChatPage)
#include "tst_chatpage.moc"
