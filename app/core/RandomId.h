#pragma once

#include <QByteArray>
#include <QRandomGenerator>
#include <QString>

#include <array>

// An identifier of `Words` random 32-bit words, in hex (request ids, conversation and message ids).
// Not for secrets: those come from QRandomGenerator::system() (GatewayKeys).
template<int Words>
QString randomHexId()
{
    std::array<quint32, Words> words;
    QRandomGenerator::global()->fillRange(words.data(), Words);
    return QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(words.data()), sizeof words).toHex());
}

// The ledger's request ids: 24 hex digits.
inline QString newRequestId()
{
    return randomHexId<3>();
}
