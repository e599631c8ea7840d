#pragma once

#include <QByteArray>
#include <QList>

#include <algorithm>
#include <cstring>
#include <iterator>
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

    // Header fields on their way out. Values carry names from config.yaml and the client's own
    // words; whatever checked them before, a CR or LF here would end the field and start another
    // (response splitting), so every control byte but none of UTF-8 becomes a space.
    static QByteArray safeValue(const QByteArray &value)
    {
        const auto bad = [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; };
        if (std::none_of(value.cbegin(), value.cend(), bad))
            return value;
        QByteArray out = value;
        std::replace_if(out.begin(), out.end(), bad, ' ');
        return out;
    }
    // A field name keeps only the characters RFC 9110 allows in one (a token).
    static QByteArray safeName(const QByteArray &name)
    {
        const auto tchar = [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                   || (c != 0 && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr);
        };
        if (std::all_of(name.cbegin(), name.cend(), tchar))
            return name;
        QByteArray out;
        std::copy_if(name.cbegin(), name.cend(), std::back_inserter(out), tchar);
        return out;
    }

private:
    QList<Header> m_headers;
    QByteArray m_name;
    bool m_inValue = false;
};
