#include "payloadtext.h"

#include <QJsonDocument>
#include <QJsonParseError>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {
// The visible stand-in for a character a reader cannot see, or an empty view when it is visible as
// is. Mnemonics in «» rather than the Control Pictures block (U+2400), which common fonts lack.
QStringView standIn(char32_t c)
{
    static constexpr const char16_t* kC0[32]
        = { u"«NUL»", u"«SOH»", u"«STX»", u"«ETX»", u"«EOT»", u"«ENQ»", u"«ACK»", u"«BEL»", u"«BS»", u"→", u"↵",
              u"«VT»", u"«FF»", u"«CR»", u"«SO»", u"«SI»", u"«DLE»", u"«DC1»", u"«DC2»", u"«DC3»", u"«DC4»", u"«NAK»",
              u"«SYN»", u"«ETB»", u"«CAN»", u"«EM»", u"«SUB»", u"«ESC»", u"«FS»", u"«GS»", u"«RS»", u"«US»" };
    if (c < 0x20)
        return kC0[c];
    switch (c) {
    case 0x7f:
        return u"«DEL»";
    case 0xa0:
        return u"⍽";
    case 0xad:
        return u"«SHY»";
    case 0x200b:
        return u"«ZWSP»";
    case 0x200c:
        return u"«ZWNJ»";
    case 0x200d:
        return u"«ZWJ»";
    case 0x2060:
        return u"«WJ»";
    case 0xfeff:
        return u"«BOM»";
    case 0x200e:
        return u"«LRM»";
    case 0x200f:
        return u"«RLM»";
    case 0x202a:
        return u"«LRE»";
    case 0x202b:
        return u"«RLE»";
    case 0x202c:
        return u"«PDF»";
    case 0x202d:
        return u"«LRO»";
    case 0x202e:
        return u"«RLO»";
    default:
        break;
    }
    if (c >= 0x80 && c < 0xa0)
        return u"«C1»";
    return {};
}

// Decodes one UTF-8 sequence at i; returns its length, or 0 when it is invalid (c untouched).
int decodeUtf8(QByteArrayView b, qsizetype i, char32_t* c)
{
    const auto u = [&](qsizetype k) { return uchar(b[k]); };
    const uchar b0 = u(i);
    if (b0 < 0x80) {
        *c = b0;
        return 1;
    }
    int len = 0;
    char32_t min = 0;
    char32_t v = 0;
    if ((b0 & 0xe0) == 0xc0) {
        len = 2;
        v = b0 & 0x1f;
        min = 0x80;
    } else if ((b0 & 0xf0) == 0xe0) {
        len = 3;
        v = b0 & 0x0f;
        min = 0x800;
    } else if ((b0 & 0xf8) == 0xf0) {
        len = 4;
        v = b0 & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (i + len > b.size())
        return 0;
    for (int k = 1; k < len; ++k) {
        if ((u(i + k) & 0xc0) != 0x80)
            return 0;
        v = (v << 6) | (u(i + k) & 0x3f);
    }
    if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
        return 0;
    *c = v;
    return len;
}
} // namespace

qsizetype PayloadText::firstInvalidUtf8(QByteArrayView bytes)
{
    char32_t c = 0;
    for (qsizetype i = 0; i < bytes.size();) {
        if (uchar(bytes[i]) < 0x80) {
            ++i;
            continue;
        }
        const int n = decodeUtf8(bytes, i, &c);
        if (n == 0)
            return i;
        i += n;
    }
    return -1;
}

QString PayloadText::visible(QByteArrayView bytes)
{
    QString out;
    out.reserve(bytes.size());
    char32_t c = 0;
    for (qsizetype i = 0; i < bytes.size();) {
        const int n = decodeUtf8(bytes, i, &c);
        if (n == 0) {
            out += QChar(QChar::ReplacementCharacter);
            ++i;
            continue;
        }
        i += n;
        if (const QStringView s = standIn(c); !s.isEmpty()) {
            out += s;
            if (c == u'\n')
                out += QLatin1Char('\n');
            continue;
        }
        if (QChar::requiresSurrogates(c)) {
            out += QChar(QChar::highSurrogate(c));
            out += QChar(QChar::lowSurrogate(c));
        } else {
            out += QChar(char16_t(c));
        }
    }
    return out;
}

qsizetype PayloadText::invisibleCount(QByteArrayView bytes)
{
    qsizetype count = 0;
    char32_t c = 0;
    for (qsizetype i = 0; i < bytes.size();) {
        const int n = decodeUtf8(bytes, i, &c);
        i += n ? n : 1;
        if (n && c != u'\n' && !standIn(c).isEmpty())
            ++count;
    }
    return count;
}

PayloadText::JsonCheck PayloadText::checkJson(QByteArrayView bytes)
{
    JsonCheck r;
    QJsonParseError error;
    QJsonDocument::fromJson(bytes.toByteArray(), &error);
    if (error.error == QJsonParseError::NoError)
        return r;
    r.byteOffset = std::clamp<qsizetype>(error.offset, 0, bytes.size());
    r.line = 1;
    qsizetype lineStart = 0;
    for (qsizetype i = 0; i < r.byteOffset; ++i) {
        if (bytes[i] == '\n') {
            ++r.line;
            lineStart = i + 1;
        }
    }
    // Columns count characters, not bytes: skip UTF-8 continuation bytes.
    r.column = 1;
    for (qsizetype i = lineStart; i < r.byteOffset; ++i) {
        if ((uchar(bytes[i]) & 0xc0) != 0x80)
            ++r.column;
    }
    r.error = tr("%1 at line %2, column %3 (byte %4).")
                  .arg(error.errorString())
                  .arg(r.line)
                  .arg(r.column)
                  .arg(r.byteOffset);
    return r;
}

QByteArray PayloadText::reformatJson(QByteArrayView json, int indent)
{
    QByteArray out;
    out.reserve(json.size() + json.size() / 2);
    int depth = 0;
    bool inString = false;
    const bool pretty = indent >= 0;
    const auto newline = [&] {
        if (!pretty)
            return;
        out += '\n';
        out.append(qsizetype(depth) * indent, ' ');
    };
    const auto isWs = [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; };
    for (qsizetype i = 0; i < json.size(); ++i) {
        const char c = json[i];
        if (inString) {
            out += c;
            if (c == '\\' && i + 1 < json.size())
                out += json[++i];
            else if (c == '"')
                inString = false;
            continue;
        }
        if (isWs(c))
            continue;
        switch (c) {
        case '"':
            inString = true;
            out += c;
            break;
        case '{':
        case '[': {
            out += c;
            qsizetype j = i + 1;
            while (j < json.size() && isWs(json[j]))
                ++j;
            if (j < json.size() && (json[j] == '}' || json[j] == ']')) {
                out += json[j]; // keep {} and [] on one line
                i = j;
                break;
            }
            ++depth;
            newline();
            break;
        }
        case '}':
        case ']':
            depth = std::max(0, depth - 1);
            newline();
            out += c;
            break;
        case ',':
            out += c;
            newline();
            break;
        case ':':
            out += c;
            if (pretty)
                out += ' ';
            break;
        default:
            out += c;
        }
    }
    return out;
}

PayloadText::BestView PayloadText::bestView(QByteArrayView bytes, bool binaryMessage)
{
    if (binaryMessage || firstInvalidUtf8(bytes) >= 0)
        return BestView::Hex;
    // Cheap pre-check so a large text payload is not handed to the JSON parser for nothing.
    qsizetype i = 0;
    while (i < bytes.size() && (bytes[i] == ' ' || bytes[i] == '\n' || bytes[i] == '\r' || bytes[i] == '\t'))
        ++i;
    if (bytes.size() <= kMaxJsonDetectBytes && i < bytes.size() && (bytes[i] == '{' || bytes[i] == '[')) {
        QJsonParseError error;
        QJsonDocument::fromJson(bytes.toByteArray(), &error);
        if (error.error == QJsonParseError::NoError)
            return BestView::Json;
    }
    return BestView::Text;
}

} // namespace wsi
