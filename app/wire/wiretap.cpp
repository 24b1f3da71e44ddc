#include "wiretap.h"

#include "deflate/messagecodec.h"
#include "deflate/rsvrules.h"

namespace wsi {

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

qsizetype WireTap::feed(QByteArrayView data, qint64 timeUs, LogBatch& out)
{
    switch (m_phase) {
    case Phase::Head:
        return feedHead(data, timeUs, out);
    case Phase::Frames:
        feedFrames(data, timeUs, out);
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

void WireTap::feedFrames(QByteArrayView data, qint64 timeUs, LogBatch& out)
{
    m_scratch.clear();
    m_frames.feed(data, m_scratch);
    out.reserve(out.size() + m_scratch.size()); // about one entry per frame: one allocation per read
    for (ParsedFrame& f : m_scratch) {
        const quint8 opcode = f.info.opcode;
        if (f.info.rsv != 0 && !m_rsvFaultSeen) {
            const RsvRule rule = RsvRules::check(opcode, f.info.rsv, m_messages.inflating());
            if (rule != RsvRule::Ok) {
                m_rsvFaultSeen = true;
                m_rsvFault = WireFault { 1002, RsvRules::message(rule, opcode), true };
                if (rule == RsvRule::Rsv1OnControlFrame || rule == RsvRule::Rsv1OnContinuation)
                    f.info.violations.append(RsvRules::message(rule, opcode));
            }
        }
        m_closeSeen = m_closeSeen || opcode == OpClose;
        m_messages.add(std::move(f), timeUs, out);
        trackPingPong(opcode, timeUs, out);
    }
    m_scratch.clear();
    if (m_frames.stopped())
        stop(m_frames.error(), timeUs, out);
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
