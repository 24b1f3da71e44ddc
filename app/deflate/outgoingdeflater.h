#pragma once

#include "deflate/messagecodec.h"
#include "util/result.h"
#include "wire/frameparser.h"

#include <QByteArray>
#include <QCoreApplication>

#include <deque>

namespace wsi {

// Re-encodes QWebSocket's frames for a permessage-deflate connection (RFC 7692 §7.2.1): a data
// message is collected and unmasked, deflated, cut into frames of the send panel's size with
// RSV1 on the first one only, and masked again with fresh keys. Control frames and messages sent
// uncompressed (RFC 7692 allows it per message) go out exactly as QWebSocket wrote them. Pure.
// The built-in server uses it the other way round (Direction::Receive): the server-side QWebSocket's
// unmasked frames, deflated and sent unmasked.
class OutgoingDeflater
{
    Q_DECLARE_TR_FUNCTIONS(wsi::OutgoingDeflater)
public:
    // windowBits / noContextTakeover: what was negotiated for the client (client_max_window_bits,
    // client_no_context_takeover). compressByDefault: the profile's "compress outgoing messages".
    // dir: Send = a client's frames (masked in and out), Receive = a server's (unmasked).
    OutgoingDeflater(int windowBits, bool noContextTakeover, bool compressByDefault, quint64 maxMessageSize,
        Direction dir = Direction::Send);

    // Compressed messages are cut into frames of at most this many payload bytes (0: 512 KiB,
    // QWebSocket's default).
    void setFrameSize(quint64 bytes) { m_frameSize = bytes == 0 ? kDefaultFrameSize : bytes; }
    // The next message QWebSocket sends goes out compressed or not (one call per message, in
    // order; messages without a call use the default).
    void queueCompression(bool compress) { m_queued.push_back(compress); }

    // QWebSocket's next bytes (after its request head) -> the bytes for the server. An Error
    // fails the connection.
    Result<QByteArray> feed(QByteArrayView data);

    qint64 compressedMessages() const { return m_compressedMessages; }
    // Payload bytes of the compressed messages before and after deflating.
    qint64 plainBytes() const { return m_plainBytes; }
    qint64 deflatedBytes() const { return m_deflatedBytes; }

    static constexpr quint64 kDefaultFrameSize = 512 * 1024;

private:
    FrameParser m_parser;
    MessageDeflater m_deflater;
    bool m_compressByDefault;
    quint64 m_frameSize = kDefaultFrameSize;
    std::deque<bool> m_queued;
    QList<ParsedFrame> m_frames;
    bool m_inMessage = false;
    bool m_compressing = false;
    quint8 m_opcode = 0;
    QByteArray m_message;
    qint64 m_compressedMessages = 0;
    qint64 m_plainBytes = 0;
    qint64 m_deflatedBytes = 0;
    bool m_mask = true;
};

} // namespace wsi
