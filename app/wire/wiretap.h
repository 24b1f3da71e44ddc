#pragma once

#include "log/logentry.h"
#include "wire/frameparser.h"
#include "wire/httpheadparser.h"
#include "wire/messageassembler.h"
#include "wire/wiretypes.h"

#include <QCoreApplication>

namespace wsi {

// What one direction of a WebSocket connection carried, read from its bytes alone. Send: the
// request head, then the client's frames. Receive: the response head, then the server's frames
// after a 101, or the start of the body otherwise. Pure: no sockets, no timers, no QObject; the
// caller feeds bytes in wire order with the time they arrived and gets log entries out.
class WireTap
{
    Q_DECLARE_TR_FUNCTIONS(wsi::WireTap)
public:
    // How much of a non-101 response body is kept for the user.
    static constexpr qsizetype kMaxBody = 64 * 1024;

    // maxMessageSize caps what one frame or message may hold in memory; past it the tap stops.
    WireTap(Direction dir, quint64 maxMessageSize);

    // The tap of the other direction, whose pings this direction's pongs answer. Without one,
    // every pong counts as unsolicited.
    void setPeer(const WireTap* peer) { m_peer = peer; }
    // RSV bits the negotiated extensions allow (RSV1 = 4 for permessage-deflate).
    void setAllowedRsv(quint8 mask) { m_frames.setAllowedRsv(mask); }
    // permessage-deflate was negotiated: allows RSV1 and inflates this direction's compressed
    // messages with the sender's window bits and context mode, up to the tap's message size.
    void enableDeflate(int windowBits, bool noContextTakeover);
    bool deflateEnabled() const { return m_messages.inflating(); }
    // The first rule broken on this direction that must fail the connection (RSV1 on a control or
    // continuation frame under permessage-deflate, corrupt compressed data, a decompression bomb);
    // reported once. Other RSV bits are the frame's fault (fault()).
    std::optional<WireFault> takeFault();

    // Parses the next bytes of this direction and appends the entries they complete to out,
    // stamped timeUs. Returns how many bytes it used: all of them, except that it returns right
    // after the head so that the caller can act on it (e.g. setAllowedRsv) before frames are
    // parsed; call again with the rest. Never returns 0 for non-empty data.
    qsizetype feed(QByteArrayView data, qint64 timeUs, LogBatch& out) { return feedImpl(data, nullptr, timeUs, out); }
    // feed() for bytes data that lie inside chunk: a message payload whose bytes are all in data
    // shares chunk's memory instead of being copied (FrameParser::feedShared).
    qsizetype feedShared(const QByteArray& chunk, QByteArrayView data, qint64 timeUs, LogBatch& out)
    {
        return feedImpl(data, &chunk, timeUs, out);
    }

    Direction direction() const { return m_dir; }
    // The head ended (parsed, or given up on: see stopped()).
    bool headComplete() const { return m_phase != Phase::Head; }
    // The head as far as it was read; for a non-101 response, with the body so far.
    const HttpHead& head() const { return m_head; }
    // While the head is incomplete: the bytes read so far (raw), for naming a head cut short.
    const HttpHead& partialHead() const { return m_headParser.head(); }
    // Why the head was given up on (stopped() during the head), else None.
    HttpHeadParser::Fault headFault() const { return m_headParser.fault(); }
    // Frames follow the head: Send once its head parsed, Receive after a 101.
    bool upgraded() const { return m_upgraded; }
    // Receive, non-101: the body is in (its Content-Length, none by its status, or kMaxBody
    // reached). Without a Content-Length only the end of the connection ends it.
    bool bodyComplete() const { return m_bodyComplete; }
    // Parsing gave up (a head that never ends, a frame over the size cap); stopReason() says why.
    // Bytes fed afterwards are ignored.
    bool stopped() const { return m_phase == Phase::Stopped; }
    QString stopReason() const { return m_stopReason; }
    // Between frames (after the head): an extension of this direction's stream may start here.
    bool atFrameBoundary() const { return m_phase == Phase::Frames && !m_frames.midFrame(); }
    // See FrameParser::bytesToFrameEnd().
    quint64 bytesToFrameEnd() const { return m_frames.bytesToFrameEnd(); }
    // The first rule of RFC 6455 this direction broke that obliges the receiving client to fail
    // the connection (FrameFault::isEmpty() while none). Besides the frames' own faults: data
    // frames after the close frame (§5.5.1) and a complete text message that is not UTF-8 (§8.1).
    const FrameFault& fault() const { return m_fault; }
    // That fault is the close frame's own (its code, reason, length or FIN): the connection ends.
    bool faultOnCloseFrame() const { return m_faultOnClose; }
    // The must-fail rule the header of a control frame still under way broke (a ping that declares
    // more than 125 bytes, §5.5), known before its payload arrives; empty otherwise. Not in
    // fault() yet: lenient mode reads and logs the frame, strict mode need not wait for it.
    FrameFault pendingControlFault() const;
    // The bytes ended (the connection is gone): appends a note for a frame or fragmented message
    // left incomplete, saying which and how much of it arrived. Nothing when all was complete.
    void finish(qint64 timeUs, LogBatch& out);
    // A close frame went this way.
    bool closeSeen() const { return m_closeSeen; }
    // Pings this direction sent that the peer has not answered with a pong yet.
    int pingsUnanswered() const { return m_pings - (m_peer ? m_peer->m_pongsAnswering : 0); }

private:
    enum class Phase { Head, Frames, Body, Ignoring, Stopped };
    qsizetype feedImpl(QByteArrayView data, const QByteArray* chunk, qint64 timeUs, LogBatch& out);
    qsizetype feedHead(QByteArrayView data, qint64 timeUs, LogBatch& out);
    void feedFrames(QByteArrayView data, const QByteArray* chunk, qint64 timeUs, LogBatch& out);
    void feedBody(QByteArrayView data);
    void trackPingPong(quint8 opcode, qint64 timeUs, LogBatch& out);
    void afterClose(const ParsedFrame& f, qint64 timeUs, LogBatch& out);
    void checkText(const LogBatch& out, qsizetype from);
    void setFault(quint16 closeCode, const char* section, const QString& rule);
    void stop(const QString& reason, qint64 timeUs, LogBatch& out);
    LogEntry note(const QString& text, qint64 timeUs) const;

    Direction m_dir;
    quint64 m_maxMessageSize;
    std::optional<WireFault> m_rsvFault;
    bool m_rsvFaultSeen = false;
    const WireTap* m_peer = nullptr;
    Phase m_phase = Phase::Head;
    HttpHeadParser m_headParser;
    HttpHead m_head;
    bool m_upgraded = false;
    qsizetype m_bodyExpected = 0;
    bool m_bodyComplete = false;
    FrameParser m_frames;
    MessageAssembler m_messages;
    QList<ParsedFrame> m_scratch;
    QString m_stopReason;
    bool m_closeSeen = false;
    FrameFault m_fault;
    bool m_faultOnClose = false;
    qsizetype m_framesAfterClose = 0;
    bool m_finished = false;
    int m_pings = 0;
    int m_pongsAnswering = 0; // pongs of this direction that answered a peer's ping
    bool m_unsolicitedNoted = false;
};

} // namespace wsi
