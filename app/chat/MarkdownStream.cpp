#include "MarkdownStream.h"

namespace {

int indentOf(QStringView line)
{
    int n = 0;
    for (QChar c : line) {
        if (c == u' ')
            ++n;
        else if (c == u'\t')
            n += 4;
        else
            break;
    }
    return n;
}

bool isBlank(QStringView line)
{
    return line.trimmed().isEmpty();
}

// ``` or ~~~ (three or more) after at most three spaces; `length` and `info` filled in.
bool isFence(QStringView line, QChar *ch, int *length, QString *info)
{
    if (indentOf(line) > 3)
        return false;
    const QStringView t = line.trimmed();
    if (t.size() < 3 || (t[0] != u'`' && t[0] != u'~'))
        return false;
    int n = 0;
    while (n < t.size() && t[n] == t[0])
        ++n;
    if (n < 3)
        return false;
    const QStringView rest = t.mid(n).trimmed();
    if (t[0] == u'`' && rest.contains(u'`'))
        return false;
    *ch = t[0];
    *length = n;
    if (info)
        *info = rest.toString().section(u' ', 0, 0);
    return true;
}

bool isHeading(QStringView line)
{
    if (indentOf(line) > 3)
        return false;
    const QStringView t = line.trimmed();
    int n = 0;
    while (n < t.size() && t[n] == u'#')
        ++n;
    return n >= 1 && n <= 6 && (n == t.size() || t[n] == u' ' || t[n] == u'\t');
}

bool isListItem(QStringView line)
{
    const QStringView t = line.trimmed();
    if (t.size() >= 2 && (t[0] == u'-' || t[0] == u'*' || t[0] == u'+') && t[1] == u' ')
        return true;
    int n = 0;
    while (n < t.size() && n < 9 && t[n].isDigit())
        ++n;
    return n > 0 && n + 1 < t.size() && (t[n] == u'.' || t[n] == u')') && t[n + 1] == u' ';
}

} // namespace

void MarkdownStream::append(QStringView text)
{
    if (text.isEmpty())
        return;
    m_buffer.append(text);
    scan();
}

void MarkdownStream::scan()
{
    for (;;) {
        const qsizetype nl = m_buffer.indexOf(u'\n', m_scan);
        if (nl < 0) {
            // A line still arriving after a blank one: its first character can already tell that
            // it starts a new paragraph, so the block before it need not wait for its end.
            if (!m_inCode && m_boundary >= 0 && m_scan < m_buffer.size()) {
                const QChar c = m_buffer.at(m_scan);
                if (!c.isSpace() && !c.isDigit() && !QStringView(u"-*+#`~|>").contains(c))
                    finishText(m_boundary);
            }
            return;
        }
        const QStringView line = QStringView(m_buffer).mid(m_scan, nl - m_scan);
        const qsizetype lineLength = nl + 1 - m_scan;
        const qsizetype next = nl + 1;
        if (m_inCode) {
            QChar ch;
            int length = 0;
            if (isFence(line, &ch, &length, nullptr) && ch == m_fenceChar && length >= m_fenceLength
                && line.trimmed().size() == length) {
                Block b;
                b.kind = Block::Kind::Code;
                b.text = m_buffer.mid(m_codeStart, m_scan - m_codeStart);
                b.language = m_language;
                m_finished << b;
                m_inCode = false;
                m_language.clear();
                drop(next);
                continue;
            }
            m_scan = next;
            continue;
        }
        QChar ch;
        int length = 0;
        QString info;
        if (isFence(line, &ch, &length, &info)) {
            finishText(m_scan);   // moves the fence line to the buffer's start
            m_inCode = true;
            m_fenceChar = ch;
            m_fenceLength = length;
            m_language = info;
            m_codeStart = m_scan + lineLength;
            m_scan = m_codeStart;
            continue;
        }
        if (isHeading(line)) {
            finishText(m_scan);
            finishText(m_scan + lineLength);
            continue;
        }
        if (isBlank(line)) {
            if (!isBlank(QStringView(m_buffer).left(m_scan)))
                m_boundary = next;
            m_scan = next;
            continue;
        }
        if (m_scan == 0 || isBlank(QStringView(m_buffer).left(m_scan)))
            m_blockIsList = isListItem(line);
        if (m_boundary >= 0) {
            const bool continues = indentOf(line) > 0 || (m_blockIsList && isListItem(line));
            if (!continues) {
                const qsizetype at = m_boundary;
                finishText(at);
                m_blockIsList = isListItem(line);
                continue;   // the line is examined again as the start of the next block
            }
            m_boundary = -1;
        }
        m_scan = next;
    }
}

void MarkdownStream::finishText(qsizetype end)
{
    if (end <= 0)
        return;
    const QString text = m_buffer.left(end);
    if (!isBlank(text)) {
        Block b;
        b.text = text;
        m_finished << b;
    }
    drop(end);
}

void MarkdownStream::drop(qsizetype n)
{
    if (n <= 0)
        return;
    m_buffer.remove(0, n);
    m_scan = std::max<qsizetype>(0, m_scan - n);
    m_codeStart = std::max<qsizetype>(0, m_codeStart - n);
    m_boundary = -1;
}

void MarkdownStream::finish()
{
    if (!m_buffer.isEmpty() && !m_buffer.endsWith(u'\n')) {   // so the last line is examined too
        m_buffer.append(u'\n');
        scan();
    }
    if (m_inCode) {
        Block b;
        b.kind = Block::Kind::Code;
        b.text = m_buffer.mid(m_codeStart);
        b.language = m_language;
        m_finished << b;
        m_inCode = false;
        m_language.clear();
        m_buffer.clear();
    } else {
        finishText(m_buffer.size());
    }
    m_scan = 0;
    m_codeStart = 0;
    m_boundary = -1;
}

QList<MarkdownStream::Block> MarkdownStream::takeFinished()
{
    return std::exchange(m_finished, {});
}

QStringView MarkdownStream::tailText() const
{
    return m_inCode ? QStringView(m_buffer).mid(m_codeStart) : QStringView(m_buffer);
}
