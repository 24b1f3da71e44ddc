#include "cliformatter.h"

#include "cli/clifrontend.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {

// The payload as QString::fromUtf8 would turn it back into UTF-8 (invalid bytes become U+FFFD).
void appendUtf8(QByteArray& out, QByteArrayView bytes)
{
    // fromUtf8 drops one leading byte order mark.
    const QByteArrayView body = bytes.startsWith("\xef\xbb\xbf") ? bytes.sliced(3) : bytes;
    if (CliFormatter::isValidUtf8(body))
        out.append(body);
    else
        out.append(QString::fromUtf8(bytes).toUtf8());
}

// Removes trailing white space from out[start..] as QString::trimmed() does (QChar::isSpace:
// TAB..CR, space, U+0085 and the Zs, Zl and Zp characters).
void chopTrailingSpace(QByteArray& out, qsizetype start)
{
    for (;;) {
        const qsizetype n = out.size() - start;
        if (n <= 0)
            return;
        const auto* p = reinterpret_cast<const uchar*>(out.constData()) + out.size();
        const uchar c = p[-1];
        if (c == ' ' || (c >= 0x09 && c <= 0x0d)) {
            out.chop(1);
            continue;
        }
        if (n >= 2 && p[-2] == 0xc2 && (c == 0x85 || c == 0xa0)) {
            out.chop(2);
            continue;
        }
        if (n >= 3) {
            const uchar a = p[-3], b = p[-2];
            const bool space = (a == 0xe1 && b == 0x9a && c == 0x80) // U+1680
                || (a == 0xe2 && b == 0x80 && ((c >= 0x80 && c <= 0x8a) || c == 0xa8 || c == 0xa9 || c == 0xaf))
                || (a == 0xe2 && b == 0x81 && c == 0x9f) // U+205F
                || (a == 0xe3 && b == 0x80 && c == 0x80); // U+3000
            if (space) {
                out.chop(3);
                continue;
            }
        }
        return;
    }
}

void appendNumber(QByteArray& out, qint64 n)
{
    char buf[24];
    char* end = buf + sizeof buf;
    char* p = end;
    const bool negative = n < 0;
    quint64 u = negative ? quint64(0) - quint64(n) : quint64(n);
    do {
        *--p = char('0' + u % 10);
        u /= 10;
    } while (u);
    if (negative)
        *--p = '-';
    out.append(p, end - p);
}

void appendHexSpaced(QByteArray& out, QByteArrayView bytes)
{
    static constexpr char kDigits[] = "0123456789abcdef";
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        if (i)
            out.append(' ');
        const auto b = uchar(bytes[i]);
        out.append(kDigits[b >> 4]);
        out.append(kDigits[b & 0xf]);
    }
}

// permessage-deflate: "(deflated 312 B) " after the inflated size.
void appendWireSize(QByteArray& out, const LogEntry& e)
{
    out.append("(deflated ");
    appendNumber(out, e.wireLength());
    out.append(" B)  ");
}

void appendFrame(QByteArray& out, const FrameInfo& f)
{
    if (!f.violations.isEmpty()) { // rare: the QString path
        out.append(CliFrontend::describeFrame(f).toUtf8());
        return;
    }
    out.append("frame fin=");
    out.append(f.fin ? '1' : '0');
    out.append(" rsv=");
    appendNumber(out, f.rsv);
    if (f.rsv & 4)
        out.append(" (RSV1)");
    out.append(" opcode=");
    appendNumber(out, f.opcode);
    out.append(" (");
    out.append(opcodeName(f.opcode).toUtf8());
    out.append(") mask=");
    out.append(f.masked ? '1' : '0');
    if (f.masked) {
        out.append(" key=");
        out.append(QByteArray::number(f.maskKey, 16).rightJustified(8, '0'));
    }
    out.append(" length=");
    out.append(QByteArray::number(f.length));
    out.append(" (");
    appendNumber(out, f.lengthBytes == 0 ? 7 : f.lengthBytes * 8);
    out.append("-bit)");
}

} // namespace

bool CliFormatter::isValidUtf8(QByteArrayView bytes)
{
    const auto* p = reinterpret_cast<const uchar*>(bytes.data());
    const auto* end = p + bytes.size();
    while (p < end) {
        // ASCII runs, eight bytes at a time.
        while (end - p >= 8) {
            quint64 w;
            memcpy(&w, p, 8);
            if (w & 0x8080808080808080ull)
                break;
            p += 8;
        }
        if (p >= end)
            break;
        const uchar c = *p;
        if (c < 0x80) {
            ++p;
            continue;
        }
        int len = 0;
        char32_t cp = 0;
        if (c >= 0xc2 && c <= 0xdf) {
            len = 2;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            len = 3;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            len = 4;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (end - p < len)
            return false;
        for (int i = 1; i < len; ++i) {
            if ((p[i] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i] & 0x3f);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        p += len;
    }
    return true;
}

void CliFormatter::appendTime(QByteArray& out, qint64 epochUs)
{
    const qint64 ms = epochUs / 1000;
    if (ms < 0) {
        out.append(CliFrontend::formatTime(epochUs).toUtf8());
        return;
    }
    // Local time changes its offset only on whole seconds, so one conversion per second will do.
    const qint64 second = ms / 1000;
    if (second != m_cachedSecond) {
        m_cachedSecond = second;
        m_cachedTime = QDateTime::fromMSecsSinceEpoch(second * 1000).toString(u"hh:mm:ss"_s).toUtf8();
    }
    out.append(m_cachedTime);
    const int rest = int(ms % 1000);
    out.append('.');
    out.append(char('0' + rest / 100));
    out.append(char('0' + rest / 10 % 10));
    out.append(char('0' + rest % 10));
}

void CliFormatter::appendEntry(QByteArray& out, const LogEntry& e, bool verbose)
{
    if (e.kind == LogEntry::Kind::Handshake && !verbose)
        return;
    appendTime(out, e.timeUs);
    out.append("  ");
    const qsizetype lineStart = out.size();
    const char arrow = e.dir == Direction::Send ? '>' : e.dir == Direction::Receive ? '<' : '*';
    switch (e.kind) {
    case LogEntry::Kind::Text:
        out.append(arrow);
        out.append(" text   ");
        appendNumber(out, e.payload.size());
        out.append(" B  ");
        if (verbose && e.isCompressed())
            appendWireSize(out, e);
        appendUtf8(out, e.payload);
        chopTrailingSpace(out, lineStart);
        break;
    case LogEntry::Kind::Binary:
        out.append(arrow);
        out.append(" binary ");
        appendNumber(out, e.payload.size());
        out.append(" B  ");
        if (verbose && e.isCompressed())
            appendWireSize(out, e);
        appendHexSpaced(out, QByteArrayView(e.payload).first(std::min<qsizetype>(64, e.payload.size())));
        if (e.payload.size() > 64)
            out.append(" \xe2\x80\xa6");
        chopTrailingSpace(out, lineStart);
        break;
    case LogEntry::Kind::Close:
        out.append(arrow);
        out.append(" close  ");
        appendNumber(out, e.closeCode);
        out.append(' ');
        appendUtf8(out, e.closeReason());
        chopTrailingSpace(out, lineStart);
        break;
    default: // pings, heads, states, errors: rare, and some are translated
        out.append(CliFrontend::describe(e).toUtf8());
        break;
    }
    out.append('\n');
    if (verbose) {
        for (const FrameInfo& f : e.frames) {
            out.append("                ");
            appendFrame(out, f);
            out.append('\n');
        }
    }
}

} // namespace wsi
