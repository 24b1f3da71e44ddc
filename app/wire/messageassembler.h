#pragma once

#include "log/logentry.h"
#include "wire/frameparser.h"

#include <memory>
#include <optional>

namespace wsi {

class MessageInflater;

// A data message the relay hands QWebSocket as one re-serialized frame instead of its wire frames:
// a permessage-deflate message (inflated) or a fragmented text message (Qt 6.4 checks UTF-8 per
// frame and rejects a character split across fragments, which RFC 6455 allows).
struct ReassembledMessage
{
    quint8 opcode = 0; // OpText or OpBinary
    QByteArray payload; // inflated, whole
};

// Whether the message that frame starts is reassembled (see ReassembledMessage). The wire tap and
// the QtFrameShield both decide with this, so they agree on every message.
bool reassembledForQt(quint8 opcode, quint8 rsv, bool fin, bool deflateNegotiated);

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
    // Collects the messages reassembledForQt() picks (for the relay's QtFrameShield).
    void setCollectReassembled(bool on) { m_collect = on; }
    QList<ReassembledMessage> takeReassembled() { return std::exchange(m_reassembled, {}); }
    // The first fault that must fail the connection (corrupt compressed data, a decompression
    // bomb, a reassembled message over the limit); reported once.
    std::optional<WireFault> takeFault() { return std::exchange(m_fault, std::nullopt); }

    // Appends the entries completed by frame to out; timeUs stamps them.
    void add(ParsedFrame&& frame, qint64 timeUs, LogBatch& out);
    bool midMessage() const { return m_inMessage; }
    static constexpr qsizetype kMaxFramesPerMessage = 10000;

private:
    void setFault(quint16 closeCode, const QString& reason);

    Direction m_dir;
    quint64 m_maxMessageSize;
    bool m_inMessage = false;
    bool m_truncated = false;
    bool m_framesCapped = false;
    LogEntry m_message;
    std::unique_ptr<MessageInflater> m_inflater;
    bool m_compressed = false; // the message in progress is inflated
    bool m_reassembling = false; // ... and goes to m_reassembled
    bool m_inflateFailed = false; // after a fault nothing more is inflated
    bool m_collect = false;
    QList<ReassembledMessage> m_reassembled;
    std::optional<WireFault> m_fault;
    bool m_faultReported = false;
};

} // namespace wsi
