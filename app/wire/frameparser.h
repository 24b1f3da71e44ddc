#pragma once

#include "wire/wiretypes.h"

#include <QByteArray>
#include <QList>

namespace wsi {

// One frame as parsed from the wire: its header facts and its unmasked payload.
struct ParsedFrame
{
    FrameInfo info;
    QByteArray payload;
};

// Incremental RFC 6455 frame reader for one direction of a connection. Hand-written so that it
// keeps what Qt discards (mask keys, length encodings, control frames) and flags what the RFC
// forbids. Handles frames split at any byte and many frames per read; memory is capped by the
// maximum message size, past which it stops parsing (the relay keeps forwarding).
class FrameParser
{
public:
    // dir: Send = frames from the client (must be masked), Receive = from the server (must not).
    explicit FrameParser(Direction dir, quint64 maxFrameSize = 64 * 1024 * 1024);

    // RSV bits a negotiated extension allows (RSV1 = 4 for permessage-deflate).
    void setAllowedRsv(quint8 mask) { m_allowedRsv = mask; }
    // Appends every frame completed by data to out.
    void feed(const char* data, qsizetype size, QList<ParsedFrame>& out);
    void feed(QByteArrayView data, QList<ParsedFrame>& out) { feed(data.data(), data.size(), out); }

    // True once parsing stopped (a frame over the size cap); error() says why.
    bool stopped() const { return m_stopped; }
    QString error() const { return m_error; }
    // Bytes of a frame not yet complete.
    bool midFrame() const { return m_headerFill > 0 || m_inPayload; }
    // Bytes still missing to complete the frame under way: its payload rest once the header is in,
    // 1 while the header is incomplete (its size is not known yet), 0 between frames.
    quint64 bytesToFrameEnd() const
    {
        return m_inPayload ? m_frame.info.length - m_payloadFill : m_headerFill > 0 ? 1 : 0;
    }

private:
    bool parseHeader();
    void finishFrame(QList<ParsedFrame>& out);
    void checkSequence(FrameInfo& info);
    static void checkClosePayload(const QByteArray& payload, QStringList& violations);

    Direction m_dir;
    quint64 m_maxFrameSize;
    quint8 m_allowedRsv = 0;
    bool m_stopped = false;
    QString m_error;

    // Header bytes collected so far (at most 14).
    unsigned char m_header[14];
    int m_headerFill = 0;
    bool m_inPayload = false;
    ParsedFrame m_frame;
    quint64 m_payloadFill = 0;
    unsigned char m_maskBytes[4] = {};
    // Fragmentation state: opcode of the message being continued, 0 = none.
    quint8 m_fragmentedOpcode = 0;
};

} // namespace wsi
