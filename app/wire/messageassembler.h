#pragma once

#include "log/logentry.h"
#include "wire/frameparser.h"

namespace wsi {

// Turns the frames of one direction into log entries: data messages reassembled from their
// frames (each FrameInfo kept with its payloadOffset), control frames as entries of their own.
class MessageAssembler
{
public:
    explicit MessageAssembler(Direction dir, quint64 maxMessageSize = 64 * 1024 * 1024);

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
    Direction m_dir;
    quint64 m_maxMessageSize;
    bool m_inMessage = false;
    bool m_truncated = false;
    bool m_framesCapped = false;
    bool m_lastTruncated = false;
    LogEntry m_message;
};

} // namespace wsi
