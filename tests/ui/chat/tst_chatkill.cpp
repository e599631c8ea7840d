// The chat window's path (ChatPage, ChatTurn, ConversationStore, Ledger) in a child process killed
// with SIGKILL mid-stream, on a real profile: the next start shows the part of the answer that had
// arrived, marked interrupted, and the attempt is a `cancelled` ledger row (client "window") with
// the tokens of what had arrived.
#include "ChatFixture.h"
#include "MessageWidgets.h"

#include <QApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QTimer>

#include <csignal>

namespace {

// The child: the chat page over the profile in `dir` (its config.yaml points at the parent's fake
// provider), which asks one question and streams until it is killed.
int chatChild(const QString &dir)
{
    ConfigStore config(QDir(dir).filePath(QStringLiteral("config.yaml")));
    if (!config.reload())
        return 10;
    SecretStore secrets(std::make_unique<FakeSecretBackend>(std::make_shared<FakeSecretBackend::Shared>()));
    KeyStatus keys(&config, &secrets);
    keys.refresh();
    if (!QTest::qWaitFor([&keys] { return !keys.checking(); }, 5000))
        return 11;
    AppSettings settings(QDir(dir).filePath(QStringLiteral("settings.ini")));
    QNetworkAccessManager nam;
    Database database(QDir(dir).filePath(QStringLiteral("switchyard.db")));
    Ledger ledger(&database);
    ChatPage page(&config, &secrets, &keys, &settings, &nam);
    page.setStorage(&database, &ledger);
    QSignalSpy opened(&database, &Database::opened);
    database.open();
    if (!opened.wait(10000))
        return 12;
    page.resize(900, 700);
    page.show();
    auto *input = page.findChild<QPlainTextEdit *>(QStringLiteral("composerInput"));
    auto *send = page.findChild<QPushButton *>(QStringLiteral("sendButton"));
    if (!input || !send)
        return 13;
    input->setPlainText(QStringLiteral("Tell me a long story"));
    send->click();
    QTimer::singleShot(60000, qApp, [] { QCoreApplication::exit(14); });   // the parent is gone
    return QApplication::exec();
}

QString storyPiece(int i)
{
    return QStringLiteral("Part %1 of the story. ").arg(i);
}

FakeResponse slowStory()
{
    QStringList pieces;
    for (int i = 0; i < 300; ++i)
        pieces << storyPiece(i);
    return FakeResponse::textStream(pieces, 100);
}

} // namespace

class TestChatKill : public QObject
{
    Q_OBJECT

    std::unique_ptr<ChatFixture> f;

private slots:
    void initTestCase()
    {
        f = std::make_unique<ChatFixture>();
        QString why;
        QVERIFY2(f->start(&why), qPrintable(why));
    }

    void aKilledWindowKeepsThePartialAnswerAndItsRow()
    {
        const QString db = f->dir.filePath(QStringLiteral("switchyard.db"));
        f->fake.enqueue(slowStory());
        QProcess child;
        child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        child.start(QCoreApplication::applicationFilePath(), {QStringLiteral("--chat-child"), f->dir.path()});
        QVERIFY(child.waitForStarted(10000));
        QTRY_COMPARE_WITH_TIMEOUT(f->fake.requests().size(), 1, 20000);
        // A few frames have been shown and saved.
        QTRY_VERIFY_WITH_TIMEOUT(sqlRows(db, QStringLiteral("SELECT part FROM message_parts")).size() >= 3
                                     || child.state() != QProcess::Running,
                                 20000);
        QCOMPARE(child.state(), QProcess::Running);
        QVERIFY(::kill(pid_t(child.processId()), SIGKILL) == 0);
        QVERIFY(child.waitForFinished(10000));
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);
        QCOMPARE(f->fake.requests().size(), 1);

        // The next start: the window opens the profile and settles what the killed one left.
        QString why;
        QVERIFY2(f->openPage(&why), qPrintable(why));
        f->ledger->recoverInterrupted();   // as ui/window/main.cpp does once the database is open
        QTRY_COMPARE_WITH_TIMEOUT(f->ledgerRows().size(), 1, 10000);
        const QVariantMap row = f->ledgerRows().first();
        QCOMPARE(row.value(QStringLiteral("client")).toString(), QStringLiteral("window"));
        QCOMPARE(row.value(QStringLiteral("status")).toString(), QStringLiteral("cancelled"));
        QCOMPARE(row.value(QStringLiteral("model")).toString(), QStringLiteral("fast"));
        const QList<QVariantMap> tokens = sqlRows(db, QStringLiteral("SELECT completion_tokens, cost_estimated FROM ledger"));
        QVERIFY(tokens.first().value(QStringLiteral("completion_tokens")).toLongLong() > 0);
        QCOMPARE(tokens.first().value(QStringLiteral("cost_estimated")).toInt(), 1);

        const QList<ConversationInfo> conversations = f->page->store()->conversations();
        QCOMPARE(conversations.size(), 1);
        const QList<StoredMessage> messages = f->page->store()->messages(conversations.first().id);
        QCOMPARE(messages.size(), 2);
        const StoredMessage &answer = messages.last();
        QCOMPARE(answer.status, QStringLiteral("streaming"));   // read back: interrupted
        QVERIFY(answer.content.startsWith(storyPiece(0) + storyPiece(1) + storyPiece(2)));
        QVERIFY(answer.content.size() < 300 * storyPiece(0).size());

        f->page->openConversation(conversations.first().id);
        QTRY_VERIFY_WITH_TIMEOUT(!f->page->findChildren<MessageWidget *>(QStringLiteral("assistantMessage")).isEmpty(), 10000);
        MessageWidget *m = f->page->findChildren<MessageWidget *>(QStringLiteral("assistantMessage")).last();
        QTRY_VERIFY(m->findChild<QLabel *>(QStringLiteral("messageNote"))->text().startsWith(QStringLiteral("Interrupted")));
        const QList<QVariantMap> check = sqlRows(db, QStringLiteral("PRAGMA integrity_check"));
        QCOMPARE(check.value(0).value(QStringLiteral("integrity_check")).toString(), QStringLiteral("ok"));
    }
};

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    if (argc == 3 && qstrcmp(argv[1], "--chat-child") == 0)
        return chatChild(QString::fromLocal8Bit(argv[2]));
    TestChatKill test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_chatkill.moc"
