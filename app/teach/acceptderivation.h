#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include <optional>

namespace wsi {

// How a server turns the client's Sec-WebSocket-Key into Sec-WebSocket-Accept (RFC 6455 §4.2.2,
// step 5.4), every intermediate value kept so that it can be shown step by step.
struct AcceptDerivation
{
    static constexpr QByteArrayView kGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    QByteArray key; // as sent (trimmed)
    QByteArray keyBytes; // the key decoded from base64 (16 bytes when the key is well-formed)
    QByteArray concatenated; // key + GUID, the bytes that are hashed
    QByteArray sha1; // 20 bytes
    QByteArray accept; // base64 of sha1
    QStringList keyProblems; // why the key breaks RFC 6455 §4.1 (empty when it is well-formed)

    static AcceptDerivation derive(const QByteArray& key);
    // A fresh key as a client must send it: base64 of 16 random bytes.
    static QByteArray generateKey();
    // Lines for a terminal or a tooltip: key, GUID, key + GUID, SHA-1 in hex, base64, and, when
    // a response was seen, whether its Sec-WebSocket-Accept (empty: the header is missing) matches.
    QStringList explain(std::optional<QByteArray> seenAccept = std::nullopt) const;

    Q_DECLARE_TR_FUNCTIONS(wsi::AcceptDerivation) // last: the macro ends in "private:"
};

} // namespace wsi
