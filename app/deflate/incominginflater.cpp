#include "incominginflater.h"

#include "deflate/rsvrules.h"
#include "wire/framewriter.h"

#include <QLocale>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {

QString size(qint64 bytes)
{
    return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeIecFormat);
}

} // namespace

IncomingInflater::IncomingInflater(int windowBits, bool noContextTakeover, qint64 maxMessageSize, bool deflate)
    : m_parser(Direction::Send, quint64(std::max<qint64>(0, maxMessageSize)))
    , m_inflater(windowBits, noContextTakeover, maxMessageSize)
    , m_maxMessageSize(std::max<qint64>(0, maxMessageSize))
    , m_deflate(deflate)
{
    m_parser.setAllowedRsv(deflate ? RsvRules::kRsv1 : 0);
}

int IncomingInflater::incompleteCharacterTail(QByteArrayView utf8)
{
    // Walk back over at most three continuation bytes to the lead byte of the last character.
    for (qsizetype have = 1; have <= 4 && have <= utf8.size(); ++have) {
        const uchar c = uchar(utf8.at(utf8.size() - have));
        if ((c & 0xc0) == 0x80)
            continue; // a continuation byte
        const int needed = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
        return needed > have ? int(have) : 0;
    }
    return 0;
}

QString IncomingInflater::closeReasonText(const QString& text)
{
    QByteArray utf8 = text.toUtf8();
    if (utf8.size() <= 123)
        return text;
    qsizetype n = 123;
    while (n > 0 && (uchar(utf8.at(n)) & 0xc0) == 0x80)
        --n; // never cut inside a character
    return QString::fromUtf8(utf8.left(n));
}

Error IncomingInflater::fail(QByteArray& produced, quint16 code, const QString& shortReason, const QString& message)
{
    m_beforeFault = std::exchange(produced, QByteArray());
    m_closeCode = code;
    m_closeReason = closeReasonText(shortReason);
    m_error = message;
    m_message = QByteArray();
    return Error { message, {} };
}

Result<QByteArray> IncomingInflater::feed(QByteArrayView data)
{
    if (m_closeCode != 0)
        return Error { m_error, {} };
    m_frames.clear();
    m_parser.feed(data, m_frames);
    QByteArray out;
    for (ParsedFrame& f : m_frames) {
        const FrameInfo& info = f.info;
        if (const RsvRule rule = RsvRules::check(info.opcode, info.rsv, m_deflate); rule != RsvRule::Ok) {
            const QString text = RsvRules::message(rule, info.opcode);
            return fail(out, 1002, text, text);
        }
        const bool known = info.opcode <= OpBinary || (info.opcode >= OpClose && info.opcode <= OpPong);
        if (!known) {
            // Qt refuses it too; refused here, an RSV1 on it never reaches Qt.
            const QString text = tr("Frame with the reserved opcode %1 (RFC 6455 §5.2)").arg(info.opcode);
            return fail(out, 1002, text, text);
        }
        const bool starts = info.opcode == OpText || info.opcode == OpBinary;
        if (starts && m_inMessage) {
            // Our message state would go astray (and Qt would refuse it as well).
            const QString text = tr("A new %1 frame arrived while a fragmented message was unfinished (RFC 6455 §5.4)")
                                     .arg(opcodeName(info.opcode));
            return fail(out, 1002, text, text);
        }
        if (starts) {
            m_inMessage = true;
            m_compressed = (info.rsv & RsvRules::kRsv1) != 0;
            m_opcode = info.opcode;
            m_message.clear();
            m_textCarry.clear();
            if (m_compressed)
                ++m_compressedMessages;
        }
        const bool ofMessage = m_inMessage && (starts || info.opcode == OpContinuation);
        if (ofMessage && !m_compressed && m_opcode == OpText && (!info.fin || !m_textCarry.isEmpty())) {
            // A fragment of an uncompressed text message: the character its end cuts waits for the
            // next fragment, so every frame Qt gets holds whole characters. The final fragment takes
            // what is held (an unfinished character there is Qt's 1007, as it should be).
            QByteArray payload = m_textCarry + f.payload;
            m_textCarry.clear();
            if (!info.fin) {
                const int tail = incompleteCharacterTail(payload);
                m_textCarry = payload.right(tail);
                payload.chop(tail);
            }
            FrameWriter::append(out, info.opcode, info.fin, info.rsv, payload, info.masked, info.maskKey);
            if (info.fin)
                m_inMessage = false;
            continue;
        }
        if (!ofMessage || !m_compressed) {
            // As the client wrote it (same key, same bytes); QWebSocket judges the rest.
            FrameWriter::append(out, info.opcode, info.fin, info.rsv, f.payload, info.masked, info.maskKey);
            if (ofMessage && info.fin)
                m_inMessage = false;
            continue;
        }
        m_wireBytes += f.payload.size();
        const qint64 before = m_message.size();
        if (auto r = m_inflater.inflateAppend(f.payload, info.fin, m_message); !r) {
            if (m_inflater.lastFailureWasLimit())
                return fail(out, 1009,
                    tr("Message too big after inflating (over %1): stopped as a decompression bomb")
                        .arg(size(m_maxMessageSize)),
                    r.error().message);
            return fail(out, 1007, tr("Corrupt compressed message"), r.error().message);
        }
        m_inflatedBytes += m_message.size() - before;
        if (!info.fin)
            continue;
        m_inMessage = false;
        // One frame for the whole message: inflated fragments could split a UTF-8 character,
        // which Qt 6.4 refuses with 1007 although RFC 6455 allows it. The key is zero: this leg
        // never leaves the process.
        FrameWriter::append(out, m_opcode, true, 0, m_message, true, 0);
        m_message = QByteArray();
    }
    m_frames.clear();
    if (m_parser.stopped()) {
        // The parser's cap: a frame or fragmented message above the limit before inflating.
        return fail(out, 1009, tr("Message too big (over %1)").arg(size(m_maxMessageSize)),
            tr("A message from the client is larger than %1 (%2).").arg(size(m_maxMessageSize), m_parser.error()));
    }
    return out;
}

} // namespace wsi
