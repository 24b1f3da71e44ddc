#include "messageassembler.h"

#include "deflate/messagecodec.h"
#include "deflate/rsvrules.h"

#include <QCoreApplication>
#include <QLocale>

namespace wsi {

MessageAssembler::MessageAssembler(Direction dir, quint64 maxMessageSize)
    : m_dir(dir)
    , m_maxMessageSize(maxMessageSize)
{ }

MessageAssembler::~MessageAssembler() = default;

void MessageAssembler::setInflater(std::unique_ptr<MessageInflater> inflater)
{
    m_inflater = std::move(inflater);
}

void MessageAssembler::growFor(QByteArray& bytes, qsizetype extra) const
{
    // Doubling, but never past the limit.
    const qsizetype needed = bytes.size() + extra;
    const auto target = qsizetype(std::min<quint64>(m_maxMessageSize, quint64(std::max(needed, 2 * bytes.size()))));
    // A first fragment may be a slice of the read chunk it came in (FrameParser's shared slices):
    // its block is the whole chunk, with the chunk's bytes before the slice as dead room that flow
    // control does not count. Growing it in place (or append() detaching it, which keeps that room)
    // would carry the chunk along with the message: the message moves to a block of its own.
    if (!bytes.isDetached() || bytes.data_ptr().freeSpaceAtBegin() > 0) {
        QByteArray own;
        own.reserve(target);
        own.append(QByteArrayView(bytes));
        bytes = std::move(own);
        return;
    }
    // Otherwise grown by reserve() (realloc: a large block is remapped, not copied), never by
    // append(), which copies into a new block and so holds the message twice for a moment.
    if (needed > bytes.capacity())
        bytes.reserve(target);
}

void MessageAssembler::add(ParsedFrame&& frame, qint64 timeUs, LogBatch& out)
{
    FrameInfo& info = frame.info;
    info.timeUs = timeUs;
    if (info.isControl() || (info.opcode >= 3 && info.opcode <= 7)) {
        LogEntry e;
        e.timeUs = timeUs;
        e.dir = m_dir;
        switch (info.opcode) {
        case OpPing:
            e.kind = LogEntry::Kind::Ping;
            break;
        case OpPong:
            e.kind = LogEntry::Kind::Pong;
            break;
        case OpClose:
            e.kind = LogEntry::Kind::Close;
            // RFC 6455 §7.1.5: a close frame without a status code counts as 1005.
            e.closeCode = frame.payload.size() >= 2
                ? quint16((quint8(frame.payload[0]) << 8) | quint8(frame.payload[1]))
                : quint16(1005);
            break;
        default:
            // A reserved opcode: show its bytes as binary so nothing is hidden.
            e.kind = LogEntry::Kind::Binary;
            break;
        }
        e.payload = std::move(frame.payload);
        e.frames.append(std::move(info));
        out.append(std::move(e));
        return;
    }

    const bool starts = info.opcode != OpContinuation;
    if (starts && m_inMessage) {
        // The previous message never finished (the peer broke the rules): publish what we have,
        // stamped with its last frame's time.
        m_message.timeUs = m_message.frames.isEmpty() ? timeUs : m_message.frames.last().timeUs;
        out.append(std::move(m_message));
        m_message = LogEntry();
        m_inMessage = false;
    }
    if (!m_inMessage) {
        m_message = LogEntry();
        m_message.dir = m_dir;
        m_message.kind = info.opcode == OpBinary ? LogEntry::Kind::Binary : LogEntry::Kind::Text;
        m_truncated = false;
        m_inMessage = true;
        m_compressed = m_inflater && (info.rsv & RsvRules::kRsv1) && !m_inflateFailed;
    }
    if (m_compressed) {
        // The wire bytes stay for the frames view and the capture; the message is inflated.
        info.payloadOffset = quint64(m_message.wirePayload.size());
        if (m_inflateFailed) {
            // the connection fails; the rest of this message is not inflated
        } else if (quint64(m_message.wirePayload.size()) + quint64(frame.payload.size()) > m_maxMessageSize) {
            m_inflateFailed = true;
            setFault(1009,
                QCoreApplication::translate("wsi::MessageAssembler",
                    "A compressed message has more than %1 of deflate data, more than the largest incoming message.")
                    .arg(QLocale::c().formattedDataSize(qint64(m_maxMessageSize), 1, QLocale::DataSizeIecFormat)));
        } else {
            if (!m_message.wirePayload.isEmpty())
                growFor(m_message.wirePayload, frame.payload.size());
            m_message.wirePayload.append(frame.payload);
            auto r = m_inflater->inflateAppend(frame.payload, info.fin, m_message.payload);
            if (!r) {
                m_inflateFailed = true;
                info.violations.append(r.error().message);
                setFault(m_inflater->lastFailureWasLimit() ? 1009 : 1007, r.error().message);
            }
        }
    } else if (m_message.payload.isEmpty() && m_message.frames.isEmpty()) {
        info.payloadOffset = 0;
        m_message.payload = std::move(frame.payload); // the common single-frame case: no copy
    } else if (info.payloadOffset = quint64(m_message.payload.size());
               quint64(m_message.payload.size()) + quint64(frame.payload.size()) <= m_maxMessageSize) {
        growFor(m_message.payload, frame.payload.size());
        m_message.payload.append(frame.payload);
    } else if (!m_truncated) {
        // The inspector's limit, not the peer's fault: a note, never a violation of the frame. (The
        // relay's FrameParser stops at the frame that passes the limit, before this.)
        m_truncated = true;
        LogEntry e = LogEntry::note(LogEntry::Kind::Info,
            QCoreApplication::translate("wsi::MessageAssembler",
                "Inspector limit: this message passed the maximum message size (%1 bytes); the payloads of its later "
                "frames are not kept.")
                .arg(m_maxMessageSize),
            m_dir);
        e.timeUs = timeUs;
        out.append(std::move(e));
    }
    // A server may send endless empty continuation frames: keep the first kMaxFramesPerMessage
    // headers, then only count, so memory stays bounded by the message size limit.
    const bool fin = info.fin;
    if (m_message.frames.size() < kMaxFramesPerMessage) {
        m_message.frames.append(std::move(info));
    } else if (!m_framesCapped) {
        // The inspector's bookkeeping, not an RFC rule: a note, never a violation.
        m_framesCapped = true;
        LogEntry e = LogEntry::note(LogEntry::Kind::Info,
            QCoreApplication::translate("wsi::MessageAssembler",
                "Inspector limit: this message has more than %1 frames; only the first %1 frame headers are kept "
                "(the payload is complete).")
                .arg(kMaxFramesPerMessage),
            m_dir);
        e.timeUs = timeUs;
        out.append(std::move(e));
    }
    if (fin) {
        m_lastTruncated = m_truncated;
        m_message.timeUs = timeUs;
        // The inflater grows its output in chunks of 16 KiB and more: what travels to the log and
        // counts for flow control must not carry that spare room.
        if (m_compressed && m_message.payload.capacity() - m_message.payload.size() > 256)
            m_message.payload.squeeze();
        m_compressed = false;
        out.append(std::move(m_message));
        m_message = LogEntry();
        m_inMessage = false;
        m_framesCapped = false;
    }
}

void MessageAssembler::setFault(quint16 closeCode, const QString& reason)
{
    if (m_faultReported)
        return;
    m_faultReported = true;
    m_fault = WireFault { closeCode, reason };
}

} // namespace wsi
