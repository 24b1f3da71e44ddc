#include "qtframeshield.h"

#include "wire/frameparser.h"
#include "wire/framewriter.h"
#include "wire/wiretypes.h"

#include <QStringDecoder>

#include <cstring>

namespace wsi {

QtFrameShield::QtFrameShield(quint64 maxFrameSize, bool lenient)
    : m_maxFrameSize(maxFrameSize)
    , m_lenient(lenient)
{ }

void QtFrameShield::emitView(QList<QByteArrayView>& out, const char* begin, const char* end)
{
    if (begin == end)
        return;
    if (m_lastViewInData && !out.isEmpty() && out.last().data() + out.last().size() == begin) {
        out.last() = QByteArrayView(out.last().data(), out.last().size() + (end - begin));
        return;
    }
    out.append(QByteArrayView(begin, end - begin));
    m_lastViewInData = true;
}

void QtFrameShield::emitKept(QList<QByteArrayView>& out, QByteArray bytes)
{
    if (bytes.isEmpty())
        return;
    m_keep.append(std::move(bytes));
    out.append(QByteArrayView(m_keep.last()));
    m_lastViewInData = false;
}

void QtFrameShield::feed(QByteArrayView data, QList<QByteArrayView>& out)
{
    m_keep.clear();
    m_lastViewInData = false;
    if (m_stopped)
        return;
    const char* p = data.data();
    const char* const end = p + data.size();
    const char* segStart = p; // where this frame's bytes start in this chunk
    while (p < end) {
        if (!m_inPayload) {
            if (!collectFrameHeader(m_header, m_headerFill, p, end))
                continue; // the chunk ended inside the header
            m_headerSize = m_headerFill;
            m_headerFill = 0;
            decide();
            if (m_stopped) {
                m_carry.clear();
                return;
            }
            m_inPayload = true;
            m_payloadLeft = m_length;
        }
        const qsizetype take = qsizetype(std::min<quint64>(m_payloadLeft, quint64(end - p)));
        p += take;
        m_payloadLeft -= quint64(take);
        if (m_payloadLeft == 0) {
            m_inPayload = false;
            finishFrame(segStart, p, out);
            segStart = p;
        }
    }
    // The chunk ends inside a frame: keep its bytes for when it is whole (nothing of a dropped
    // frame once its header is known).
    if ((m_headerFill > 0 || m_inPayload) && !(m_inPayload && m_mode == Mode::Drop))
        m_carry.append(segStart, end - segStart);
}

void QtFrameShield::decide()
{
    const unsigned char b0 = m_header[0];
    const unsigned char b1 = m_header[1];
    m_fin = b0 & 0x80;
    const quint8 rsv = quint8((b0 >> 4) & 0x7);
    m_opcode = b0 & 0x0f;
    m_masked = b1 & 0x80;
    const quint8 len7 = b1 & 0x7f;
    int pos = 2;
    bool nonMinimal = false;
    if (len7 == 126) {
        m_length = (quint64(m_header[2]) << 8) | m_header[3];
        nonMinimal = m_length < 126;
        pos = 4;
    } else if (len7 == 127) {
        m_length = 0;
        for (int i = 0; i < 8; ++i)
            m_length = (m_length << 8) | m_header[2 + i];
        nonMinimal = m_length <= 0xffff;
        pos = 10;
    } else {
        m_length = len7;
    }
    m_maskKey = 0;
    if (m_masked) {
        m_maskKey = (quint32(m_header[pos]) << 24) | (quint32(m_header[pos + 1]) << 16)
            | (quint32(m_header[pos + 2]) << 8) | m_header[pos + 3];
    }
    if (m_length > m_maxFrameSize || (m_length >> 63)) {
        // The tap stops on it too and the relay fails the connection (1009): nothing more for Qt.
        m_stopped = true;
        return;
    }
    if (m_opcode != OpClose && m_opcode != OpPing && m_opcode != OpPong) {
        // Data frames and reserved opcodes: the tap logs them and the inspector judges them.
        m_mode = Mode::Drop;
        m_carry.clear();
        return;
    }
    // A control frame RFC 6455 §5.5 forbids (over 125 bytes, fragmented). Strict: the tap flags it
    // and the relay fails the connection before Qt could get it, so it is dropped at once rather
    // than carried here while the tap buffers it too (twice the size limit per connection).
    // Lenient: the tap flags it; Qt would close the connection over it with 1002, which the note
    // promised not to do.
    m_closeFix = false;
    if (m_length > 125 || !m_fin) {
        if (!m_lenient || m_opcode != OpClose) {
            m_mode = Mode::Drop; // a ping or pong Qt cannot take: no pong, no round trip
            m_carry.clear();
            return;
        }
        m_closeFix = true; // Qt still runs the close handshake
        m_mode = m_length >= 1 ? Mode::Close : Mode::NewHeader;
        return;
    }
    // RSV bits and non-minimal lengths: the inspector flags them (and fails the connection when
    // the rule says so); Qt gets a header it accepts, so that the decision is the inspector's.
    const bool headerFix = rsv != 0 || nonMinimal;
    m_mode = m_opcode == OpClose && m_length >= 1 ? Mode::Close : headerFix ? Mode::NewHeader : Mode::Pass;
}

bool QtFrameShield::makeClosePayloadAcceptable(QByteArray& payload)
{
    // What Qt 6.4 refuses in a close payload it answers with its own protocol close (1002, or 1007
    // for the reason), so the close handshake would not be the server's. The tap has flagged each
    // of these (§5.5.1, §7.4.1); strict mode fails the connection before Qt gets the frame.
    if (payload.size() == 1) { // §5.5.1: a code needs 2 bytes; Qt: "Payload of close frame is too small"
        payload.clear(); // no status code: Qt answers 1000
        return true;
    }
    if (payload.size() < 2)
        return false;
    bool changed = false;
    if (payload.size() > 125) { // lenient: a reason too long for a control frame; Qt gets the code
        payload.truncate(2);
        changed = true;
    }
    const quint16 code = quint16((quint8(payload[0]) << 8) | quint8(payload[1]));
    quint16 forQt = code;
    if (code >= 1012 && code <= 1014)
        forQt = kCloseCodeForQt; // valid, but not to Qt 6.4
    else if (!isValidCloseCode(code))
        forQt = kCloseCodeForInvalid; // §7.4.1 (999, 1005, 1006, 5000...); Qt: "Invalid close code"
    if (forQt != code) {
        payload[0] = char(forQt >> 8);
        payload[1] = char(forQt & 0xff);
        changed = true;
    }
    if (payload.size() > 2) {
        QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        const QString reason = utf8(QByteArrayView(payload).sliced(2));
        if (utf8.hasError()) { // §5.5.1: Qt would answer 1007; it gets the code without the reason
            payload.truncate(2);
            changed = true;
        }
    }
    return changed;
}

QByteArray QtFrameShield::wholeFrame(const char* segStart, const char* segEnd)
{
    QByteArray raw = std::exchange(m_carry, {});
    raw.append(segStart, segEnd - segStart);
    return raw;
}

void QtFrameShield::finishFrame(const char* segStart, const char* segEnd, QList<QByteArrayView>& out)
{
    switch (m_mode) {
    case Mode::Pass:
        if (!m_carry.isEmpty())
            emitKept(out, std::exchange(m_carry, {}));
        emitView(out, segStart, segEnd);
        return;
    case Mode::NewHeader: {
        const QByteArray raw = wholeFrame(segStart, segEnd);
        QByteArray frame = FrameWriter::header(m_opcode, m_fin || m_closeFix, 0, m_length, m_masked, m_maskKey);
        frame.append(QByteArrayView(raw).sliced(m_headerSize));
        ++m_rewrittenFrames;
        emitKept(out, std::move(frame));
        return;
    }
    case Mode::Close: {
        const bool whole = m_carry.isEmpty(); // the frame's bytes are all in this chunk
        QByteArray raw = wholeFrame(segStart, segEnd);
        QByteArray payload = raw.mid(m_headerSize);
        if (m_masked) {
            const unsigned char key[4]
                = { uchar(m_maskKey >> 24), uchar(m_maskKey >> 16), uchar(m_maskKey >> 8), uchar(m_maskKey) };
            for (qsizetype i = 0; i < payload.size(); ++i)
                payload[i] = char(payload[i] ^ key[i & 3]);
        }
        const bool headerFix = (m_header[0] & 0x70) || m_headerSize != (m_masked ? 6 : 2) || m_closeFix;
        if (!makeClosePayloadAcceptable(payload) && !headerFix) {
            if (whole)
                emitView(out, segStart, segEnd);
            else
                emitKept(out, std::move(raw));
            return;
        }
        QByteArray frame;
        FrameWriter::append(frame, OpClose, true, 0, payload, false);
        ++m_rewrittenFrames;
        emitKept(out, std::move(frame));
        return;
    }
    case Mode::Drop:
        m_carry.clear();
        ++m_droppedFrames;
        return;
    }
}

} // namespace wsi
