#include "SseParser.h"

#include <cstring>

void SseParser::reset()
{
    *this = SseParser();
}

void SseParser::feed(QByteArrayView bytes, const EventSink &sink)
{
    qsizetype start = 0;
    if (m_skipLeadingLf && !bytes.isEmpty()) {
        if (bytes.front() == '\n')
            start = 1;
        m_skipLeadingLf = false;
    }
    const char *data = bytes.data();
    const qsizetype size = bytes.size();
    qsizetype pos = start;
    // Where the next LF and CR are; each is searched again only once passed, so a chunk is
    // scanned once however many lines it holds.
    qsizetype nextLf = -1;
    qsizetype nextCr = -1;
    auto find = [data, size](char c, qsizetype from) {
        const void *hit = std::memchr(data + from, c, size_t(size - from));
        return hit ? static_cast<const char *>(hit) - data : size;
    };
    while (pos < size) {
        if (nextLf < pos)
            nextLf = find('\n', pos);
        if (nextCr < pos)
            nextCr = find('\r', pos);
        const qsizetype endIndex = std::min(nextLf, nextCr);
        if (endIndex >= size) {
            m_buffer.append(data + pos, size - pos);
            return;
        }
        const char *end = data + endIndex;
        if (m_buffer.isEmpty()) {
            line(QByteArrayView(data + pos, endIndex - pos), sink);
        } else {
            m_buffer.append(data + pos, endIndex - pos);
            line(m_buffer, sink);
            m_buffer.clear();
        }
        pos = endIndex + 1;
        if (*end == '\r') {
            if (pos < size) {
                if (data[pos] == '\n')
                    ++pos;
            } else {
                m_skipLeadingLf = true;
            }
        }
    }
}

void SseParser::finish(const EventSink &sink)
{
    if (!m_buffer.isEmpty()) {
        const QByteArray rest = std::exchange(m_buffer, {});
        line(rest, sink);
    }
    dispatch(sink);
    m_skipLeadingLf = false;
}

void SseParser::line(QByteArrayView text, const EventSink &sink)
{
    if (text.isEmpty()) {
        dispatch(sink);
        return;
    }
    if (text.front() == ':') {
        ++m_comments;
        return;
    }
    const qsizetype colon = text.indexOf(':');
    QByteArrayView field = colon < 0 ? text : text.first(colon);
    QByteArrayView value = colon < 0 ? QByteArrayView() : text.sliced(colon + 1);
    if (!value.isEmpty() && value.front() == ' ')
        value = value.sliced(1);
    if (field == "data") {
        if (m_hasData)
            m_data.append('\n');
        m_data.append(value);
        m_hasData = true;
    } else if (field == "event") {
        m_event = value.toByteArray();
    } else if (field == "id") {
        if (!value.contains('\0'))
            m_id = value.toByteArray();
    }
    // "retry" and unknown fields are ignored, as the standard says.
}

void SseParser::dispatch(const EventSink &sink)
{
    if (m_hasData) {
        ++m_events;
        sink(SseEvent {m_event, m_data, m_id});
    }
    m_data.clear();
    m_event.clear();
    m_hasData = false;
}
