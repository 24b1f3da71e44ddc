#include "frameparser.h"

#include <QCoreApplication>
#include <QStringDecoder>

#include <cstring>

using namespace Qt::StringLiterals;

namespace wsi {

bool isValidCloseCode(quint16 code)
{
    if (code >= 3000 && code <= 4999)
        return true;
    switch (code) {
    case 1000:
    case 1001:
    case 1002:
    case 1003:
    case 1007:
    case 1008:
    case 1009:
    case 1010:
    case 1011:
    case 1012: // IANA-registered after RFC 6455: service restart,
    case 1013: // try again later,
    case 1014: // bad gateway
        return true;
    default:
        return false;
    }
}

bool collectFrameHeader(unsigned char (&header)[14], int& fill, const char*& p, const char* end)
{
    for (;;) {
        // The 2-byte base header first, then as many extra bytes as it announces.
        int need = 2;
        if (fill >= 2) {
            const quint8 len7 = header[1] & 0x7f;
            need += (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + ((header[1] & 0x80) ? 4 : 0);
        }
        const qsizetype take = std::min<qsizetype>(need - fill, end - p);
        std::memcpy(header + fill, p, size_t(take));
        fill += int(take);
        p += take;
        if (fill < need)
            return false;
        if (fill == 2 && ((header[1] & 0x7f) >= 126 || (header[1] & 0x80)))
            continue; // now the full header size is known
        return true;
    }
}

namespace {
QString tr(const char* text)
{
    return QCoreApplication::translate("wsi::FrameParser", text);
}

// len bytes at begin, inside owner's memory, as a QByteArray that shares it: one more reference
// to owner's block instead of an allocation and a copy. (Qt 6's QByteArray may start anywhere in
// its block; it is not NUL-terminated then, which nothing here relies on: sizes are explicit.)
QByteArray sharedSlice(const QByteArray& owner, const char* begin, qsizetype len)
{
    QByteArray::DataPointer d = const_cast<QByteArray&>(owner).data_ptr(); // copies: takes a reference
    d.ptr = const_cast<char*>(begin);
    d.size = len;
    return QByteArray(std::move(d));
}
} // namespace

FrameParser::FrameParser(Direction dir, quint64 maxFrameSize)
    : m_dir(dir)
    , m_maxFrameSize(maxFrameSize)
{ }

void FrameParser::feedImpl(const char* data, qsizetype size, const QByteArray* owner, QList<ParsedFrame>& out)
{
    // Sharing needs a block to share (not QByteArray::fromRawData) that holds data.
    if (owner
        && (const_cast<QByteArray*>(owner)->data_ptr().d_ptr() == nullptr || data < owner->constData()
            || data + size > owner->constData() + owner->size()))
        owner = nullptr;
    const char* p = data;
    const char* end = data + size;
    while (p < end && !m_stopped) {
        if (!m_inPayload) {
            if (!collectFrameHeader(m_header, m_headerFill, p, end))
                continue; // the chunk ended inside the header
            if (!parseHeader()) {
                // Still hand out the header that made us stop (its violations), marked as refused.
                m_frame.payload.clear();
                m_frame.refused = true;
                out.append(std::move(m_frame));
                m_frame = ParsedFrame();
                return;
            }
            if (m_frame.info.length == 0)
                finishFrame(out);
            continue;
        }
        if (m_payloadFill == 0) {
            const quint64 length = m_frame.info.length;
            if (owner && !m_frame.info.masked && quint64(end - p) >= length) {
                m_frame.payload = sharedSlice(*owner, p, qsizetype(length));
                m_payloadFill = length;
                p += length;
                finishFrame(out);
                continue;
            }
            m_frame.payload = QByteArray(qsizetype(length), Qt::Uninitialized);
        }
        // Payload bytes: copy and unmask in one pass.
        const qsizetype take = qsizetype(std::min<quint64>(m_frame.info.length - m_payloadFill, quint64(end - p)));
        char* dst = m_frame.payload.data() + m_payloadFill;
        if (m_frame.info.masked) {
            for (qsizetype i = 0; i < take; ++i)
                dst[i] = char(p[i] ^ m_maskBytes[(m_payloadFill + quint64(i)) & 3]);
        } else {
            std::memcpy(dst, p, size_t(take));
        }
        m_payloadFill += quint64(take);
        p += take;
        if (m_payloadFill == m_frame.info.length)
            finishFrame(out);
    }
}

bool FrameParser::parseHeader()
{
    FrameInfo& f = m_frame.info;
    f = FrameInfo();
    const unsigned char b0 = m_header[0];
    const unsigned char b1 = m_header[1];
    f.fin = b0 & 0x80;
    f.rsv = quint8((b0 >> 4) & 0x7);
    f.opcode = b0 & 0x0f;
    f.masked = b1 & 0x80;
    const quint8 len7 = b1 & 0x7f;
    int pos = 2;
    if (len7 == 126) {
        f.lengthBytes = 2;
        f.length = (quint64(m_header[2]) << 8) | m_header[3];
        pos = 4;
        if (f.length < 126)
            violate(tr("non-minimal length encoding (16-bit length %1)").arg(f.length), "§5.2");
    } else if (len7 == 127) {
        f.lengthBytes = 8;
        quint64 len = 0;
        for (int i = 0; i < 8; ++i)
            len = (len << 8) | m_header[2 + i];
        f.length = len;
        pos = 10;
        if (len >> 63)
            violate(tr("64-bit length with the most significant bit set"), "§5.2");
        else if (len <= 0xffff)
            violate(tr("non-minimal length encoding (64-bit length %1)").arg(len), "§5.2");
    } else {
        f.length = len7;
    }
    if (f.masked) {
        std::memcpy(m_maskBytes, m_header + pos, 4);
        f.maskKey = (quint32(m_maskBytes[0]) << 24) | (quint32(m_maskBytes[1]) << 16) | (quint32(m_maskBytes[2]) << 8)
            | m_maskBytes[3];
    }
    if (m_dir == Direction::Receive && f.masked)
        violate(tr("masked frame from the server"), "§5.1");
    if (m_dir == Direction::Send && !f.masked)
        violate(tr("unmasked frame from the client"), "§5.1");
    if (f.rsv & ~m_allowedRsv)
        violate(tr("RSV bits set (%1) without a negotiated extension").arg(f.rsv), "§5.2");
    if ((f.opcode >= 3 && f.opcode <= 7) || f.opcode >= 0xb)
        violate(tr("reserved opcode 0x%1").arg(f.opcode, 0, 16), "§5.2");
    if (f.isControl()) {
        if (f.length > 125)
            violate(tr("control frame longer than 125 bytes (%1)").arg(f.length), "§5.5");
        if (!f.fin)
            violate(tr("fragmented control frame"), "§5.5");
    }
    const quint8 messageOpcode = f.opcode == OpContinuation ? m_fragmentedOpcode : f.opcode;
    checkSequence(f);

    m_headerFill = 0;
    // The running size of a fragmented message counts too, so that it is refused at the frame
    // that passes the limit, before that frame's payload is read (and never handed on).
    if (!f.isControl())
        m_messageBytes = (f.opcode == OpContinuation ? m_messageBytes : 0) + std::min(f.length, m_maxFrameSize + 1);
    if (f.length > m_maxFrameSize || (!f.isControl() && m_messageBytes > m_maxFrameSize)) {
        // Never allocate what a peer merely claims: stop parsing this direction. This is the
        // inspector's limit, not a rule the peer broke, so it is no violation of the frame.
        m_stopped = true;
        m_error = f.length > m_maxFrameSize
            ? tr("Inspector limit: a %1 frame declares %2 bytes, more than this profile's maximum message size "
                 "(%3 bytes); the inspector stopped reading. Not a server fault: raise the limit to receive it.")
                  .arg(opcodeName(f.opcode))
                  .arg(f.length)
                  .arg(m_maxFrameSize)
            : tr("Inspector limit: a fragmented %1 message passed this profile's maximum message size (%2 bytes) "
                 "at a frame of %3 bytes; the inspector stopped reading. Not a server fault: raise the limit to "
                 "receive it.")
                  .arg(opcodeName(messageOpcode))
                  .arg(m_maxFrameSize)
                  .arg(f.length);
        return false;
    }
    m_payloadFill = 0; // the payload is allocated (or shared) when its bytes come
    m_inPayload = true;
    return true;
}

void FrameParser::checkSequence(FrameInfo& f)
{
    if (f.opcode == OpContinuation) {
        if (m_fragmentedOpcode == 0)
            violate(tr("continuation frame without a message to continue"), "§5.4");
        else if (f.fin)
            m_fragmentedOpcode = 0;
    } else if (f.opcode == OpText || f.opcode == OpBinary) {
        if (m_fragmentedOpcode != 0)
            violate(tr("new data frame inside a fragmented message"), "§5.4");
        m_fragmentedOpcode = f.fin ? 0 : f.opcode;
    }
}

void FrameParser::violate(const QString& text, const char* section, quint16 closeCode)
{
    m_frame.info.violations.append(text);
    if (m_frame.fault.isEmpty())
        m_frame.fault = { closeCode, QString::fromUtf8(section), text };
}

void FrameParser::checkClosePayload()
{
    const QByteArray& payload = m_frame.payload;
    if (payload.size() == 1) {
        violate(tr("close payload of 1 byte (a code needs 2)"), "§5.5.1");
        return;
    }
    if (payload.size() < 2)
        return;
    const quint16 code = quint16((quint8(payload[0]) << 8) | quint8(payload[1]));
    if (!isValidCloseCode(code))
        violate(tr("invalid close code %1").arg(code), "§7.4.1");
    if (payload.size() > 2) {
        QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        const QString reason = utf8(QByteArrayView(payload).sliced(2));
        if (utf8.hasError())
            violate(tr("close reason is not valid UTF-8"), "§5.5.1", 1007);
    }
}

void FrameParser::finishFrame(QList<ParsedFrame>& out)
{
    m_inPayload = false;
    m_frame.info.timeUs = 0; // stamped by the caller once per read, not per frame
    if (m_frame.info.opcode == OpClose)
        checkClosePayload();
    out.append(std::move(m_frame));
    m_frame = ParsedFrame();
}

} // namespace wsi
