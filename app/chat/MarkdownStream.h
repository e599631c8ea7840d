#pragma once

#include <QList>
#include <QString>
#include <QStringView>

// Splits a Markdown answer that is still arriving into blocks that can no longer change, which a
// view lays out once, and the open tail, which it lays out again as it grows. Text blocks end at a
// blank line followed by a line that does not continue them (an indented line or a further list
// item does), before a heading or a fence, and after a heading. Fenced code is a block of its own,
// so the view can give it a copy button; an open fence's text only grows. The blocks are for
// rendering: blank lines between them and the fence lines themselves are not kept (the answer's
// own text is kept by whoever feeds the stream).
class MarkdownStream
{
public:
    struct Block
    {
        enum class Kind { Text, Code };
        Kind kind = Kind::Text;
        QString text;        // Markdown for Text; the code itself (no fences) for Code
        QString language;    // Code: the fence's info string, e.g. "cpp"
    };

    void append(QStringView text);
    // The answer is complete: the tail becomes a finished block (an unclosed fence closes).
    void finish();
    // Blocks finished since the last call, oldest first.
    QList<Block> takeFinished();
    // The open block; its text is empty when nothing is open. Valid until the next append().
    Block::Kind tailKind() const { return m_inCode ? Block::Kind::Code : Block::Kind::Text; }
    QStringView tailText() const;
    QString tailLanguage() const { return m_language; }
    bool inCode() const { return m_inCode; }

private:
    void scan();
    void finishText(qsizetype end);   // m_buffer[0, end) is a finished text block
    void drop(qsizetype n);

    QString m_buffer;                 // text not yet in a finished block
    qsizetype m_scan = 0;             // in m_buffer: the first line not yet examined
    qsizetype m_boundary = -1;        // text: where the block would end (after a blank line)
    bool m_blockIsList = false;       // text: the open block started with a list item
    bool m_inCode = false;
    QChar m_fenceChar;
    int m_fenceLength = 0;
    qsizetype m_codeStart = 0;        // in m_buffer: where the open fence's code starts
    QString m_language;
    QList<Block> m_finished;
};
