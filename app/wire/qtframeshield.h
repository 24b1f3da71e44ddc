#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace wsi {

// Picks what QWebSocket 6.4 gets of the server's frames after the 101: only the control frames it
// must act on (ping: Qt answers the pong; pong: Qt's pong signal and the keep-alive round trip;
// close: Qt's close handshake), in a form Qt accepts. Data frames (text, binary, continuation,
// compressed or not) and reserved opcodes are dropped: nothing in the engine uses QWebSocket's
// message signals (the log, captures and the terminal take entries from the wire tap), so handing
// them on would only cost a second parse and a second loopback hop, and would let Qt reject what
// RFC 6455 and RFC 7692 allow (docs/qt-shield.md). Pure: bytes in, views of bytes for QWebSocket
// out. Only whole frames are handed on (Qt closes with 1001 when the rest of a frame takes more
// than 5 s); unchanged control frames pass byte for byte, without a copy when they end inside the
// chunk.
class QtFrameShield
{
public:
    // lenient: a control frame over 125 bytes or fragmented (RFC 6455 §5.5), which Qt 6.4 closes
    // the connection on with 1002, is made acceptable to Qt instead (the inspector flags it): a ping
    // or pong is dropped, a close frame gets FIN and, when too long, only its code. So is a close
    // frame whose payload breaks §5.5.1 or §7.4.1 (makeClosePayloadAcceptable). Strict mode drops
    // such frames (close frames too) without carrying their bytes: the relay fails the connection
    // on them anyway.
    explicit QtFrameShield(quint64 maxFrameSize, bool lenient = false);

    // Appends to out the bytes to write to QWebSocket for data, in order. The views point into
    // data or into buffers the shield keeps until the next call.
    void feed(QByteArrayView data, QList<QByteArrayView>& out);

    // The relay stopped reading the server's frames (a frame or message over the size limit, which
    // fails the connection): nothing more is handed on. Also set by the shield itself at a frame
    // over the limit.
    void stop() { m_stopped = true; }
    bool stopped() const { return m_stopped; }
    // Control frames handed on changed (header, close code), and data frames dropped.
    qint64 rewrittenFrames() const { return m_rewrittenFrames; }
    qint64 droppedFrames() const { return m_droppedFrames; }
    // Bytes of an unfinished frame held until it is whole (only frames Qt gets are held).
    qsizetype carriedBytes() const { return m_carry.size(); }

    // Close codes Qt 6.4 refuses although IANA registered them after RFC 6455 (1012 service
    // restart, 1013 try again later, 1014 bad gateway); Qt gets this one instead.
    static constexpr quint16 kCloseCodeForQt = 1001;
    // Lenient: a close code no endpoint may send (§7.4.1: 999, 1005, 1006, 5000...); Qt gets this
    // one, so that it answers the close normally instead of with 1002.
    static constexpr quint16 kCloseCodeForInvalid = 1000;

    // Changes a close frame's payload (unmasked) into one Qt 6.4 answers with a normal close: a
    // 1-byte payload becomes empty, a code nobody may send kCloseCodeForInvalid, 1012-1014
    // kCloseCodeForQt, a reason that is not UTF-8 is dropped (the code kept), a payload over 125
    // bytes keeps its code only. False when it was acceptable as it was.
    static bool makeClosePayloadAcceptable(QByteArray& payload);

private:
    enum class Mode { Pass, NewHeader, Close, Drop };
    void decide();
    void finishFrame(const char* segStart, const char* segEnd, QList<QByteArrayView>& out);
    QByteArray wholeFrame(const char* segStart, const char* segEnd);
    void emitView(QList<QByteArrayView>& out, const char* begin, const char* end);
    void emitKept(QList<QByteArrayView>& out, QByteArray bytes);

    quint64 m_maxFrameSize;
    bool m_lenient = false;
    bool m_stopped = false;

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
    bool m_closeFix = false; // lenient: a fragmented or long close frame, re-encoded for Qt
    QByteArray m_carry; // a control frame's bytes from earlier chunks (its header included)

    bool m_lastViewInData = false;
    QList<QByteArray> m_keep; // the buffers out points into, until the next feed

    qint64 m_rewrittenFrames = 0;
    qint64 m_droppedFrames = 0;
};

} // namespace wsi
