// ReasoningMemory: the reasoning of served answers, kept per endpoint key in a file only its owner
// can read, found again by tool call ids or text, and put back into a history that dropped it.
#include "FileModes.h"
#include "ReasoningMemory.h"

#include <QFile>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

class TestReasoningMemory : public QObject
{
    Q_OBJECT

    static QJsonArray calls(const QStringList &ids)
    {
        QJsonArray out;
        for (const QString &id : ids)
            out.append(QJsonObject {{QStringLiteral("id"), id}, {QStringLiteral("type"), QStringLiteral("function")}});
        return out;
    }

private slots:
    void keptAcrossRestartsPerKey()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("reasoning.sqlite"));
        {
            ReasoningMemory memory(path);
            QVERIFY(memory.isPersistent());
            memory.remember(QStringLiteral("default"),
                            ReasoningMemory::keyOf(QStringLiteral("weather?"), calls({QStringLiteral("call_1")}), QString()),
                            QStringLiteral("Look up the weather first."));
            memory.remember(QStringLiteral("default"), ReasoningMemory::keyOf(QStringLiteral("weather?"), {}, QStringLiteral("Paris is sunny.")),
                            QStringLiteral("Summarise the tool's answer."));
        }
        QCOMPARE(QFile::permissions(path) & (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther),
                 QFile::Permissions());
        ReasoningMemory memory(path);
        ChatRequest request;
        ChatMessage call = ChatMessage::text(QStringLiteral("assistant"), QString());
        call.toolCalls = calls({QStringLiteral("call_1")});
        ChatMessage said = ChatMessage::text(QStringLiteral("assistant"), QStringLiteral("  Paris is sunny.\n"));
        ChatMessage own = ChatMessage::text(QStringLiteral("assistant"), QStringLiteral("Paris is sunny."));
        own.reasoning = QStringLiteral("The client's own.");
        request.messages = {ChatMessage::text(QStringLiteral("user"), QStringLiteral("weather?")), call, said, own};
        // Another key's history gets nothing of this one's.
        ChatRequest other = request;
        QCOMPARE(memory.restore(QStringLiteral("ci"), other), 0);
        QCOMPARE(memory.restore(QStringLiteral("default"), request), 2);
        QCOMPARE(request.messages[1].reasoning, QStringLiteral("Look up the weather first."));
        QCOMPARE(request.messages[2].reasoning, QStringLiteral("Summarise the tool's answer."));
        QCOMPARE(request.messages[3].reasoning, QStringLiteral("The client's own."));   // never overwritten
        QVERIFY(memory.recall(QStringLiteral("default"), ReasoningMemory::keyOf(QStringLiteral("weather?"), calls({QStringLiteral("call_2")}), {})).isEmpty());
        // The same ids and text after another question are another turn (Kimi's ids repeat).
        ChatRequest elsewhere = request;
        elsewhere.messages[0].content = QStringLiteral("time?");
        QCOMPARE(memory.restore(QStringLiteral("default"), elsewhere), 0);
    }

    void filesArePrivateUnderAnyUmask()
    {
        const UmaskZero umaskZero;
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("reasoning.sqlite"));
        {
            ReasoningMemory memory(path);
            QVERIFY(memory.isPersistent());
            memory.remember(QStringLiteral("default"), ReasoningMemory::keyOf(QStringLiteral("q"), {}, QStringLiteral("a")),
                            QStringLiteral("thought"));
            QCOMPARE(fileMode(path), 0600);
            QCOMPARE(fileMode(path + QStringLiteral("-wal")), 0600);
            QCOMPARE(fileMode(path + QStringLiteral("-shm")), 0600);
        }
        QCOMPARE(::chmod(QFile::encodeName(path).constData(), 0644), 0);
        ReasoningMemory again(path);
        QVERIFY(again.isPersistent());
        QCOMPARE(fileMode(path), 0600);
    }

    void boundedInAgeAndSize()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("reasoning.sqlite"));
        {
            ReasoningMemory memory(path);
            memory.remember(QStringLiteral("k"), ReasoningMemory::keyOf({}, {}, QStringLiteral("old")), QStringLiteral("old reasoning"));
            memory.remember(QStringLiteral("k"), ReasoningMemory::keyOf({}, {}, QStringLiteral("huge")),
                            QString(ReasoningMemory::MaxReasoningChars + 1, QLatin1Char('x')));
        }
        {
            // Age the first entry past the limit, as eight days would.
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("age"));
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery(db).exec(QStringLiteral("UPDATE reasoning SET at_ms = at_ms - %1").arg(qint64(8) * 86'400'000));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("age"));
        ReasoningMemory memory(path);
        QVERIFY(memory.recall(QStringLiteral("k"), ReasoningMemory::keyOf({}, {}, QStringLiteral("old"))).isEmpty());
        QVERIFY(memory.recall(QStringLiteral("k"), ReasoningMemory::keyOf({}, {}, QStringLiteral("huge"))).isEmpty());
        QVERIFY(ReasoningMemory::keyOf(QStringLiteral("q"), {}, QStringLiteral("   ")).isEmpty());
        QVERIFY(ReasoningMemory::keyOf(QStringLiteral("q"), QJsonArray {QJsonObject {}}, QString()).isEmpty());   // no id

        // Newest first, the kept text stays under MaxTotalChars.
        const QString big(ReasoningMemory::MaxReasoningChars, QLatin1Char('r'));
        const int fit = int(ReasoningMemory::MaxTotalChars / ReasoningMemory::MaxReasoningChars);
        for (int i = 0; i <= fit + 8; ++i)
            memory.remember(QStringLiteral("k"), ReasoningMemory::keyOf({}, {}, QString::number(i)), big);
        QVERIFY(memory.recall(QStringLiteral("k"), ReasoningMemory::keyOf({}, {}, QString::number(fit + 8))) == big);
        QVERIFY(memory.recall(QStringLiteral("k"), ReasoningMemory::keyOf({}, {}, QStringLiteral("0"))).isEmpty());
    }

    void withoutAPathItLivesInMemory()
    {
        ReasoningMemory memory;
        QVERIFY(!memory.isPersistent());
        memory.remember(QStringLiteral("k"), "key", QStringLiteral("r"));
        QCOMPARE(memory.recall(QStringLiteral("k"), "key"), QStringLiteral("r"));
    }
};

QTEST_GUILESS_MAIN(TestReasoningMemory)
#include "tst_reasoningmemory.moc"
