#pragma once

#include "wire/messageassembler.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace wsi {

// Hands QWebSocket 6.4 the server's frames in a form it accepts, so that Qt never rejects what
// RFC 6455 and RFC 7692 allow (docs/qt-shield.md lists each case). Pure: the server's bytes after
// the 101 head and the messages the wire tap reassembled from them go in; views of the bytes for
// QWebSocket come out. Frames that need no change pass through byte for byte, without a copy
// when they end inside the chunk; only whole frames are handed on (Qt closes with 1001 when the
// rest of a frame takes more than 5 s). Messages that reassembledForQt() picks (compressed, or
// fragmented text) become one ordinary frame built from the tap's payload.
class QtFrameShield
{
public:
    explicit QtFrameShield(quint64 maxFrameSize);

    void setDeflate(bool negotiated) { m_deflate = negotiated; }
    // Appends to out the bytes to write to QWebSocket for data, in order. The views point into
    // data or into buffers the shield keeps until the next call. messages: what the tap
    // reassembled so far; the shield takes them from the front as their last frames pass.
    void feed(QByteArrayView data, QList<ReassembledMessage>& messages, QList<QByteArrayView>& out);

    // Gave up re-encoding (a frame over the size limit, or the tap stopped): bytes now pass as they come.
    bool passingThrough() const { return m_raw; }
    void passThroughFromNowOn() { m_raw = true; }
    // Frames handed on changed (header, close code) and messages handed on re-serialized.
    qint64 rewrittenFrames() const { return m_rewrittenFrames; }
    qint64 reassembledMessages() const { return m_reassembledMessages; }

    // Close codes Qt 6.4 refuses although IANA registered them after RFC 6455 (1012 service
    // restart, 1013 try again later, 1014 bad gateway); Qt gets this one instead.
    static constexpr quint16 kCloseCodeForQt = 1001;

private:
    enum class Mode { Pass, NewHeader, Close, Drop };
    void decide();
    void finishFrame(
        const char* segStart, const char* segEnd, QList<ReassembledMessage>& messages, QList<QByteArrayView>& out);
    QByteArray wholeFrame(const char* segStart, const char* segEnd);
    void emitView(QList<QByteArrayView>& out, const char* begin, const char* end, bool inData);
    void emitKept(QList<QByteArrayView>& out, QByteArray bytes);

    quint64 m_maxFrameSize;
    bool m_deflate = false;
    bool m_raw = false;

    unsigned char m_header[14] = {};
    int m_headerFill = 0;
    int m_headerSize = 0;
    bool m_inPayload = false;
    quint64 m_payloadLeft = 0;
    Mode m_mode = Mode::Pass;
    bool m_fin = true;
    quint8 m_opcode = 0;
    quint64 m_length = 0;
    bool m_masked = false;
    quint32 m_maskKey = 0;
    QByteArray m_carry; // this frame's bytes from earlier chunks (not in Drop mode)

    bool m_inMessage = false; // a fragmented data message is under way
    bool m_reassembling = false; // ... and is handed on from the tap's payload
    bool m_lastViewInData = false;
    QList<QByteArray> m_keep; // the buffers out points into, until the next feed

    qint64 m_rewrittenFrames = 0;
    qint64 m_reassembledMessages = 0;
};

} // namespace wsi
