#pragma once

#include "log/logentry.h"
#include "wire/frameparser.h"

#include <memory>
#include <optional>

namespace wsi {

class MessageInflater;

// A reason the inspector fails the connection, found while reading the wire.
struct WireFault
{
    quint16 closeCode = 1002;
    QString reason;
    // A rule a lenient profile only flags (RSV bits); false for what cannot go on (inflating failed).
    bool lenientMayContinue = false;
};

// Turns the frames of one direction into log entries: data messages reassembled from their
// frames (each FrameInfo kept with its payloadOffset), control frames as entries of their own.
class MessageAssembler
{
public:
    explicit MessageAssembler(Direction dir, quint64 maxMessageSize = 64 * 1024 * 1024);
    ~MessageAssembler();

    // permessage-deflate was negotiated: messages starting with RSV1 are inflated with this
    // (entry payload = inflated, wirePayload = as on the wire).
    void setInflater(std::unique_ptr<MessageInflater> inflater);
    bool inflating() const { return m_inflater != nullptr; }
    // The first fault that must fail the connection (corrupt compressed data, a decompression
    // bomb); reported once.
    std::optional<WireFault> takeFault() { return std::exchange(m_fault, std::nullopt); }

    // Appends the entries completed by frame to out; timeUs stamps them.
    void add(ParsedFrame&& frame, qint64 timeUs, LogBatch& out);
    bool midMessage() const { return m_inMessage; }
    // The fragmented message under way (midMessage()): its kind, frames and payload bytes so far.
    LogEntry::Kind pendingKind() const { return m_message.kind; }
    qsizetype pendingFrames() const { return m_message.frames.size(); }
    qsizetype pendingBytes() const { return m_message.payload.size(); }
    // The last message add() completed lost payload to the size limit.
    bool lastTruncated() const { return m_lastTruncated; }
    static constexpr qsizetype kMaxFramesPerMessage = 10000;

private:
    void setFault(quint16 closeCode, const QString& reason);
    // Makes room in bytes (a message under way) for extra more bytes.
    void growFor(QByteArray& bytes, qsizetype extra) const;

    Direction m_dir;
    quint64 m_maxMessageSize;
    bool m_inMessage = false;
    bool m_truncated = false;
    bool m_framesCapped = false;
    bool m_lastTruncated = false;
    LogEntry m_message;
    std::unique_ptr<MessageInflater> m_inflater;
    bool m_compressed = false; // the message in progress is inflated
    bool m_inflateFailed = false; // after a fault nothing more is inflated
    std::optional<WireFault> m_fault;
    bool m_faultReported = false;
};

} // namespace wsi
