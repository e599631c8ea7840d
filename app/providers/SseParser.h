#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <functional>

struct SseEvent
{
    QByteArray event;   // empty means "message"
    QByteArray data;    // data lines joined with '\n'
    QByteArray id;
};

// An incremental Server-Sent Events parser (WHATWG rules): bytes may arrive in any fragmentation,
// split mid-line or mid-UTF-8; lines end in LF, CRLF or CR; "data:" with or without the space;
// comments (": keep-alive") are counted, never dispatched; multi-line data is joined. Bytes stay
// bytes: decoding happens only on whole events. Work is linear in the input size.
class SseParser
{
public:
    using EventSink = std::function<void(const SseEvent &)>;

    void feed(QByteArrayView bytes, const EventSink &sink);
    // End of input: an event that lacks its closing blank line is still delivered, since some
    // providers end the body right after the last data line.
    void finish(const EventSink &sink);

    // Comment lines seen so far (keep-alives); they must not count as activity.
    qint64 comments() const { return m_comments; }
    // Events dispatched so far.
    qint64 events() const { return m_events; }
    void reset();

private:
    void line(QByteArrayView line, const EventSink &sink);
    void dispatch(const EventSink &sink);

    QByteArray m_buffer;        // unconsumed bytes (at most one partial line)
    bool m_skipLeadingLf = false; // the previous chunk ended in CR: a following LF belongs to it
    QByteArray m_data;
    QByteArray m_event;
    QByteArray m_id;
    bool m_hasData = false;
    qint64 m_comments = 0;
    qint64 m_events = 0;
};
