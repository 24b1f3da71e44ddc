#include "wiretap.h"

#include "deflate/messagecodec.h"
#include "deflate/rsvrules.h"
#include "util/bytecount.h"

#include <cstring>

namespace wsi {

namespace {
// RFC 3629 UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool isValidUtf8(QByteArrayView bytes)
{
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    const auto* end = p + bytes.size();
    while (p < end) {
        // Runs of ASCII (most text) eight bytes at a time.
        while (end - p >= 8) {
            quint64 word;
            std::memcpy(&word, p, 8);
            if (word & 0x8080808080808080ULL)
                break;
            p += 8;
        }
        if (p == end)
            break;
        const unsigned char c = *p;
        if (c < 0x80) {
            ++p;
            continue;
        }
        int n = 0;
        unsigned char lo = 0x80, hi = 0xbf; // allowed range of the second byte
        if (c >= 0xc2 && c <= 0xdf) {
            n = 1;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 2;
            lo = c == 0xe0 ? 0xa0 : 0x80;
            hi = c == 0xed ? 0x9f : 0xbf;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 3;
            lo = c == 0xf0 ? 0x90 : 0x80;
            hi = c == 0xf4 ? 0x8f : 0xbf;
        } else {
            return false;
        }
        if (end - p <= n || p[1] < lo || p[1] > hi)
            return false;
        for (int i = 2; i <= n; ++i) {
            if ((p[i] & 0xc0) != 0x80)
                return false;
        }
        p += n + 1;
    }
    return true;
}
} // namespace

WireTap::WireTap(Direction dir, quint64 maxMessageSize)
    : m_dir(dir)
    , m_maxMessageSize(maxMessageSize)
    , m_headParser(dir == Direction::Send)
    , m_frames(dir, maxMessageSize)
    , m_messages(dir, maxMessageSize)
{
    m_head.isRequest = dir == Direction::Send;
}

void WireTap::enableDeflate(int windowBits, bool noContextTakeover)
{
    m_frames.setAllowedRsv(RsvRules::kRsv1);
    m_messages.setInflater(std::make_unique<MessageInflater>(
        windowBits, noContextTakeover, qint64(std::min<quint64>(m_maxMessageSize, quint64(1) << 62))));
}

std::optional<WireFault> WireTap::takeFault()
{
    if (m_rsvFault)
        return std::exchange(m_rsvFault, std::nullopt);
    return m_messages.takeFault();
}

qsizetype WireTap::feedImpl(QByteArrayView data, const QByteArray* chunk, qint64 timeUs, LogBatch& out)
{
    switch (m_phase) {
    case Phase::Head:
        return feedHead(data, timeUs, out);
    case Phase::Frames:
        feedFrames(data, chunk, timeUs, out);
        break;
    case Phase::Body:
        feedBody(data);
        break;
    case Phase::Ignoring:
    case Phase::Stopped:
        break;
    }
    return data.size();
}

qsizetype WireTap::feedHead(QByteArrayView data, qint64 timeUs, LogBatch& out)
{
    const qsizetype used = m_headParser.feed(data);
    switch (m_headParser.status()) {
    case HttpHeadParser::Status::NeedMore:
        return used;
    case HttpHeadParser::Status::Error:
        m_head = m_headParser.head();
        m_head.problems.append(m_headParser.error());
        stop(m_headParser.error(), timeUs, out);
        return data.size(); // what follows a head that never ended means nothing
    case HttpHeadParser::Status::Done:
        break;
    }
    m_head = m_headParser.takeHead();
    LogEntry e;
    e.timeUs = timeUs;
    e.kind = LogEntry::Kind::Handshake;
    e.dir = m_dir;
    e.payload = m_head.raw;
    out.append(std::move(e));

    m_upgraded = m_dir == Direction::Send || m_head.status == 101;
    if (m_upgraded) {
        m_phase = Phase::Frames;
        return used;
    }
    // A non-101 response: keep the start of its body for the user.
    const int status = m_head.status;
    bool ok = false;
    const qint64 length = m_head.header("Content-Length").trimmed().toLongLong(&ok);
    if ((status >= 100 && status < 200) || status == 204 || status == 304)
        m_bodyExpected = 0; // no body by definition (RFC 9110 section 6.4.1)
    else
        m_bodyExpected = ok && length >= 0 ? qsizetype(std::min<qint64>(length, kMaxBody)) : kMaxBody;
    m_bodyComplete = m_bodyExpected == 0;
    m_phase = m_bodyComplete ? Phase::Ignoring : Phase::Body;
    return used;
}

void WireTap::feedBody(QByteArrayView data)
{
    const qsizetype take = std::min(data.size(), m_bodyExpected - m_head.body.size());
    m_head.body.append(data.first(take));
    if (m_head.body.size() >= m_bodyExpected) {
        m_bodyComplete = true;
        m_phase = Phase::Ignoring;
    }
}

void WireTap::feedFrames(QByteArrayView data, const QByteArray* chunk, qint64 timeUs, LogBatch& out)
{
    m_scratch.clear();
    if (chunk)
        m_frames.feedShared(*chunk, data, m_scratch);
    else
        m_frames.feed(data, m_scratch);
    out.reserve(out.size() + m_scratch.size()); // about one entry per frame: one allocation per read
    for (ParsedFrame& f : m_scratch) {
        const quint8 opcode = f.info.opcode;
        if ((f.info.rsv & RsvRules::kRsv1) && m_messages.inflating() && !m_rsvFaultSeen) {
            // permessage-deflate's own RSV1 rules (RFC 7692 §6.1). RSV bits no extension allows
            // (RSV1 without deflate, RSV2, RSV3) are the FrameParser's fault of the frame: one
            // path, one message.
            const RsvRule rule = RsvRules::check(opcode, RsvRules::kRsv1, true);
            if (rule == RsvRule::Rsv1OnControlFrame || rule == RsvRule::Rsv1OnContinuation) {
                m_rsvFaultSeen = true;
                m_rsvFault = WireFault { 1002, RsvRules::message(rule, opcode), true };
                f.info.violations.append(RsvRules::message(rule, opcode));
            }
        }
        if (m_fault.isEmpty()) {
            m_fault = f.fault; // the first frame that broke a must-fail rule
            m_faultOnClose = !m_fault.isEmpty() && opcode == OpClose;
        }
        if (f.refused)
            continue; // stopped at its header: the stop note says why; it is no message
        if (m_closeSeen && !f.info.isControl()) {
            afterClose(f, timeUs, out);
            continue;
        }
        m_closeSeen = m_closeSeen || opcode == OpClose;
        const qsizetype before = out.size();
        m_messages.add(std::move(f), timeUs, out);
        if (opcode == OpText || opcode == OpContinuation)
            checkText(out, before);
        trackPingPong(opcode, timeUs, out);
    }
    m_scratch.clear();
    if (m_frames.stopped())
        stop(m_frames.error(), timeUs, out);
}

FrameFault WireTap::pendingControlFault() const
{
    if (m_phase != Phase::Frames || !m_frames.inPayload() || !(m_frames.currentOpcode() & 0x8))
        return {};
    return m_frames.currentFault();
}

void WireTap::setFault(quint16 closeCode, const char* section, const QString& rule)
{
    if (m_fault.isEmpty())
        m_fault = { closeCode, QString::fromUtf8(section), rule };
}

void WireTap::afterClose(const ParsedFrame& f, qint64 timeUs, LogBatch& out)
{
    const QString who = m_dir == Direction::Receive ? tr("server") : tr("client");
    setFault(1002, "§5.5.1", tr("data frame after the %1's close frame").arg(who));
    // Not a message: said as a note, for the first few (a peer could send them without end).
    constexpr qsizetype kNotes = 10;
    if (++m_framesAfterClose > kNotes)
        return;
    const int length
        = int(std::min<quint64>(f.info.length, INT_MAX)); // a whole parsed frame: within the parser's size limit
    out.append(note(m_framesAfterClose == kNotes
            ? tr("The %1 sent a %2 frame (%n byte(s)) after its close frame; RFC 6455 §5.5.1 forbids data after "
                 "close. Not a message; further such frames are not noted.",
                nullptr, length)
                  .arg(who, opcodeName(f.info.opcode))
            : tr("The %1 sent a %2 frame (%n byte(s)) after its close frame; RFC 6455 §5.5.1 forbids data after "
                 "close. Not a message.",
                nullptr, length)
                  .arg(who, opcodeName(f.info.opcode)),
        timeUs));
}

void WireTap::checkText(const LogBatch& out, qsizetype from)
{
    for (qsizetype i = from; i < out.size(); ++i) {
        const LogEntry& e = out.at(i);
        if (e.kind != LogEntry::Kind::Text || e.dir != m_dir || e.frames.isEmpty())
            continue;
        // A compressed message (RSV1) is text only once inflated (then wirePayload holds the wire
        // bytes and payload the inflated ones); a cut one is incomplete.
        if (((e.frames.first().rsv & 4) && e.wirePayload.isEmpty()) || m_messages.lastTruncated())
            continue;
        if (!isValidUtf8(e.payload))
            setFault(1007, "§8.1", tr("text message that is not valid UTF-8"));
    }
}

void WireTap::finish(qint64 timeUs, LogBatch& out)
{
    if (m_finished || m_phase != Phase::Frames)
        return;
    m_finished = true;
    const QString who = m_dir == Direction::Receive ? tr("server") : tr("client");
    if (m_frames.headerBytes() > 0) {
        out.append(note(tr("The connection ended in the middle of a frame header from the %1: %n byte(s) of it "
                           "arrived.",
                            nullptr, m_frames.headerBytes())
                            .arg(who),
            timeUs));
    } else if (m_frames.midFrame()) {
        out.append(note(tr("The connection ended in the middle of a %1 frame from the %2: %3 of %4 of payload arrived.")
                            .arg(opcodeName(m_frames.currentOpcode()), who)
                            .arg(ByteCount::exact(qint64(m_frames.currentPayloadFill())),
                                ByteCount::exact(qint64(m_frames.currentLength()))),
            timeUs));
    }
    if (m_messages.midMessage()) {
        out.append(note(tr("The connection ended inside a fragmented %1 message from the %2: %n frame(s) (%3) "
                           "arrived, its final frame never did.",
                            nullptr, int(m_messages.pendingFrames()))
                            .arg(m_messages.pendingKind() == LogEntry::Kind::Binary ? tr("binary") : tr("text"), who)
                            .arg(ByteCount::exact(qint64(m_messages.pendingBytes()))),
            timeUs));
    }
}

void WireTap::trackPingPong(quint8 opcode, qint64 timeUs, LogBatch& out)
{
    if (opcode == OpPing) {
        ++m_pings;
        return;
    }
    if (opcode != OpPong)
        return;
    if (m_peer && m_peer->m_pings > m_pongsAnswering) {
        ++m_pongsAnswering;
        return;
    }
    if (m_unsolicitedNoted)
        return;
    // Allowed by RFC 6455 (a unidirectional heartbeat), so a note rather than a violation; said
    // once per connection and side.
    m_unsolicitedNoted = true;
    out.append(note(m_dir == Direction::Receive ? tr("The server sent a pong nobody asked for (unsolicited pongs are "
                                                     "allowed as a heartbeat; noted once).")
                                                : tr("The client sent a pong nobody asked for (noted once)."),
        timeUs));
}

void WireTap::stop(const QString& reason, qint64 timeUs, LogBatch& out)
{
    m_phase = Phase::Stopped;
    m_stopReason = reason;
    out.append(note(reason, timeUs));
}

LogEntry WireTap::note(const QString& text, qint64 timeUs) const
{
    LogEntry e = LogEntry::note(LogEntry::Kind::Info, text, m_dir);
    e.timeUs = timeUs;
    return e;
}

} // namespace wsi
