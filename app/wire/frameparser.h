#pragma once

#include "wire/wiretypes.h"

#include <QByteArray>
#include <QList>

namespace wsi {

// Copies a frame header's bytes from [p, end) into header (fill bytes already there), advancing p:
// the 2-byte base header, then the extended length and mask key it announces. True once the
// header is complete (its size is fill); false when the bytes ran out first. Shared by the frame
// parser and QtFrameShield so that both read headers the same way.
bool collectFrameHeader(unsigned char (&header)[14], int& fill, const char*& p, const char* end);

// A close code an endpoint may send (RFC 6455 §7.4.1, §7.4.2, and 1012-1014 IANA registered since):
// not 1004-1006 or 1015, nothing under 1000 or from 5000. Shared by the frame parser's check and
// QtFrameShield.
bool isValidCloseCode(quint16 code);

// The first rule of RFC 6455 a frame broke that obliges the receiving client to fail the
// connection (§7.1.7), with the close code to fail it with.
struct FrameFault
{
    quint16 closeCode = 0; // 1002 protocol error, 1007 invalid data; 0 = none
    QString section; // "§5.1"
    QString rule; // the violation text, as in FrameInfo::violations
    bool isEmpty() const { return closeCode == 0; }
};

// One frame as parsed from the wire: its header facts and its unmasked payload.
struct ParsedFrame
{
    FrameInfo info;
    QByteArray payload;
    FrameFault fault; // the first must-fail violation among info.violations
    bool refused = false; // parsing stopped at this frame's header (over the size cap): no payload
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
    void feed(const char* data, qsizetype size, QList<ParsedFrame>& out) { feedImpl(data, size, nullptr, out); }
    void feed(QByteArrayView data, QList<ParsedFrame>& out) { feedImpl(data.data(), data.size(), nullptr, out); }
    // Like feed(), for bytes data that lie inside chunk: the payload of an unmasked frame whose
    // bytes are all in data shares chunk's memory (no allocation, no copy; it keeps chunk alive).
    void feedShared(const QByteArray& chunk, QByteArrayView data, QList<ParsedFrame>& out)
    {
        feedImpl(data.data(), data.size(), &chunk, out);
    }

    // True once parsing stopped (a frame, or the running size of a fragmented message, over the
    // size cap: the inspector's limit, not a server fault); error() says why.
    bool stopped() const { return m_stopped; }
    QString error() const { return m_error; }
    // The frame under way when the bytes ended (midFrame()): its opcode, declared payload length
    // and the payload bytes that arrived; headerBytes() > 0 while its header is incomplete.
    quint8 currentOpcode() const { return m_frame.info.opcode; }
    quint64 currentLength() const { return m_frame.info.length; }
    quint64 currentPayloadFill() const { return m_payloadFill; }
    int headerBytes() const { return m_headerFill; }
    // The frame under way has its header in and waits for payload; currentFault() is then the
    // first must-fail rule its header broke (empty if none).
    bool inPayload() const { return m_inPayload; }
    const FrameFault& currentFault() const { return m_frame.fault; }
    // Bytes of a frame not yet complete.
    bool midFrame() const { return m_headerFill > 0 || m_inPayload; }
    // Bytes still missing to complete the frame under way: its payload rest once the header is in,
    // 1 while the header is incomplete (its size is not known yet), 0 between frames.
    quint64 bytesToFrameEnd() const
    {
        return m_inPayload ? m_frame.info.length - m_payloadFill : m_headerFill > 0 ? 1 : 0;
    }

private:
    void feedImpl(const char* data, qsizetype size, const QByteArray* owner, QList<ParsedFrame>& out);
    bool parseHeader();
    void finishFrame(QList<ParsedFrame>& out);
    void checkSequence(FrameInfo& info);
    void checkClosePayload();
    // Appends text to the frame's violations; the first one becomes its fault.
    void violate(const QString& text, const char* section, quint16 closeCode = 1002);

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
    quint64 m_messageBytes = 0; // declared payload of the data message so far, this frame included
};

} // namespace wsi
