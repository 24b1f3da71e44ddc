#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace wsi {

// Serializes RFC 6455 frames for the relay's re-encoded streams (the server's messages handed to
// QWebSocket, QWebSocket's messages deflated for the server). Lengths always in the minimal form.
class FrameWriter
{
public:
    // Appends one frame. masked: the payload is XORed with maskKey (network order, first key byte
    // in the top bits, as FrameInfo::maskKey).
    static void append(
        QByteArray& out, quint8 opcode, bool fin, quint8 rsv, QByteArrayView payload, bool masked, quint32 maskKey = 0);
    // The header alone (2 to 14 bytes).
    static QByteArray header(quint8 opcode, bool fin, quint8 rsv, quint64 length, bool masked, quint32 maskKey = 0);
    // A fresh random masking key (RFC 6455 §5.3).
    static quint32 randomMaskKey();
};

} // namespace wsi
