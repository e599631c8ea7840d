#pragma once

#include <QByteArray>
#include <QList>

#include <utility>

// Collects the header lines libhttp-parser hands over in pieces (a name or a value may arrive in
// several calls), for the endpoint's server and its client alike. Names are kept in lower case.
class HttpHeaders
{
public:
    using Header = std::pair<QByteArray, QByteArray>;

    void nameBytes(const char *at, size_t n)
    {
        if (m_inValue) {
            m_name.clear();
            m_inValue = false;
        }
        m_name.append(at, qsizetype(n));
    }
    void valueBytes(const char *at, size_t n)
    {
        if (!m_inValue) {
            m_headers.append({m_name.toLower(), {}});
            m_inValue = true;
        }
        m_headers.last().second.append(at, qsizetype(n));
    }
    // The headers, values trimmed; the collector is empty again afterwards.
    QList<Header> take()
    {
        for (Header &h : m_headers)
            h.second = h.second.trimmed();
        m_name.clear();
        m_inValue = false;
        return std::exchange(m_headers, {});
    }
    void clear() { take(); }

private:
    QList<Header> m_headers;
    QByteArray m_name;
    bool m_inValue = false;
};
