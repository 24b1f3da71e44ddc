#include "outgoingdeflater.h"

#include "wire/framewriter.h"

namespace wsi {

OutgoingDeflater::OutgoingDeflater(
    int windowBits, bool noContextTakeover, bool compressByDefault, quint64 maxMessageSize, Direction dir)
    : m_parser(dir, maxMessageSize)
    , m_deflater(windowBits, noContextTakeover)
    , m_compressByDefault(compressByDefault)
    , m_mask(dir != Direction::Receive)
{ }

Result<QByteArray> OutgoingDeflater::feed(QByteArrayView data)
{
    m_frames.clear();
    m_parser.feed(data, m_frames);
    if (m_parser.stopped())
        return Error { m_parser.error(), {} };
    QByteArray out;
    for (ParsedFrame& f : m_frames) {
        const FrameInfo& info = f.info;
        const bool starts = info.opcode == OpText || info.opcode == OpBinary;
        if (starts && !m_inMessage) {
            m_inMessage = true;
            m_opcode = info.opcode;
            m_compressing = m_queued.empty() ? m_compressByDefault : m_queued.front();
            if (!m_queued.empty())
                m_queued.pop_front();
            m_message.clear();
        }
        const bool ofMessage = m_inMessage && (starts || info.opcode == OpContinuation);
        if (!ofMessage || !m_compressing) {
            // As QWebSocket wrote it: same header, same key, so the same bytes.
            FrameWriter::append(out, info.opcode, info.fin, info.rsv, f.payload, info.masked, info.maskKey);
            if (ofMessage && info.fin)
                m_inMessage = false;
            continue;
        }
        m_message.append(f.payload);
        if (!info.fin)
            continue;
        m_inMessage = false;
        Result<QByteArray> compressed = m_deflater.deflateMessage(m_message);
        if (!compressed)
            return compressed.error();
        const QByteArray& c = *compressed;
        m_plainBytes += m_message.size();
        m_deflatedBytes += c.size();
        qsizetype pos = 0;
        bool first = true;
        do {
            const qsizetype n = qsizetype(std::min<quint64>(m_frameSize, quint64(c.size() - pos)));
            const bool last = pos + n == c.size();
            FrameWriter::append(out, first ? m_opcode : quint8(OpContinuation), last, first ? 4 : 0,
                QByteArrayView(c).sliced(pos, n), m_mask, m_mask ? FrameWriter::randomMaskKey() : 0);
            pos += n;
            first = false;
        } while (pos < c.size());
        m_message = QByteArray();
        ++m_compressedMessages;
    }
    m_frames.clear();
    return out;
}

} // namespace wsi
