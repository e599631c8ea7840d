// MarkdownStream: which blocks of an arriving answer are finished, whatever the pieces it comes in.
#include "MarkdownStream.h"

#include <QTest>

using Block = MarkdownStream::Block;

namespace {

struct Result
{
    QList<Block> blocks;
    QStringList tails;
};

Result feed(const QString &text, int piece)
{
    MarkdownStream s;
    Result r;
    for (qsizetype i = 0; i < text.size(); i += piece) {
        s.append(QStringView(text).mid(i, piece));
        r.blocks << s.takeFinished();
        r.tails << s.tailText().toString();
    }
    s.finish();
    r.blocks << s.takeFinished();
    return r;
}

QString joined(const QList<Block> &blocks)
{
    QStringList out;
    for (const Block &b : blocks)
        out << (b.kind == Block::Kind::Code ? QStringLiteral("[code:%1]%2").arg(b.language, b.text) : b.text);
    return out.join(QStringLiteral("|"));
}

} // namespace

class TestMarkdownStream : public QObject
{
    Q_OBJECT

private slots:
    void blocks_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("paragraphs") << QStringLiteral("One\ntwo\n\nThree\n") << QStringLiteral("One\ntwo\n\n|Three\n");
        QTest::newRow("heading") << QStringLiteral("# Title\nBody\n") << QStringLiteral("# Title\n|Body\n");
        QTest::newRow("code") << QStringLiteral("Intro:\n```cpp\nint x;\n\nint y;\n```\nAfter\n")
                              << QStringLiteral("Intro:\n|[code:cpp]int x;\n\nint y;\n|After\n");
        QTest::newRow("tilde fence, longer close") << QStringLiteral("~~~\na\n~~~~\n") << QStringLiteral("[code:]a\n");
        QTest::newRow("unclosed fence") << QStringLiteral("```py\nprint(1)") << QStringLiteral("[code:py]print(1)\n");
        QTest::newRow("list with gaps stays one")
            << QStringLiteral("1. a\n\n2. b\n\n   more\n\nNext\n") << QStringLiteral("1. a\n\n2. b\n\n   more\n\n|Next\n");
        QTest::newRow("table") << QStringLiteral("| a | b |\n|---|---|\n| 1 | 2 |\n\nx")
                               << QStringLiteral("| a | b |\n|---|---|\n| 1 | 2 |\n\n|x\n");
        QTest::newRow("inline backticks are not a fence") << QStringLiteral("```a` b\nc\n") << QStringLiteral("```a` b\nc\n");
    }

    void blocks()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        for (int piece : {1, 2, 3, 7, 1000})
            QCOMPARE(joined(feed(text, piece).blocks), expected);
    }

    void finishedBlocksNeverChange()
    {
        const QString text = QStringLiteral("Para one.\n\n```\ncode\n```\n\n- item\n- item\n\nEnd.");
        MarkdownStream s;
        QString seen;
        for (QChar c : text) {
            s.append(QStringView(&c, 1));
            for (const Block &b : s.takeFinished())
                seen += b.kind == Block::Kind::Code ? QStringLiteral("```\n") + b.text + QStringLiteral("```\n") : b.text;
            // What is finished plus the open tail is always a prefix of the answer.
            QVERIFY(text.startsWith(seen));
        }
        QCOMPARE(s.tailText().toString(), QStringLiteral("End."));   // the list finished when "E" arrived
    }

    void openCodeOnlyGrows()
    {
        MarkdownStream s;
        s.append(u"```js\nlet a = 1;\n");
        QVERIFY(s.inCode());
        QCOMPARE(s.tailLanguage(), QStringLiteral("js"));
        QCOMPARE(s.tailText().toString(), QStringLiteral("let a = 1;\n"));
        s.append(u"let b");
        QCOMPARE(s.tailText().toString(), QStringLiteral("let a = 1;\nlet b"));
        s.append(u" = 2;\n```\n");
        QVERIFY(!s.inCode());
        const QList<Block> done = s.takeFinished();
        QCOMPARE(done.size(), 1);
        QCOMPARE(done[0].text, QStringLiteral("let a = 1;\nlet b = 2;\n"));
    }
};

QTEST_MAIN(TestMarkdownStream)
#include "tst_markdownstream.moc"
