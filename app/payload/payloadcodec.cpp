#include "payloadcodec.h"

namespace wsi {

namespace {
int hexValue(char16_t c)
{
    if (c >= u'0' && c <= u'9')
        return c - u'0';
    if (c >= u'a' && c <= u'f')
        return c - u'a' + 10;
    if (c >= u'A' && c <= u'F')
        return c - u'A' + 10;
    return -1;
}
bool isSpace(char16_t c)
{
    return c == u' ' || c == u'\t' || c == u'\n' || c == u'\r' || c == u',';
}
} // namespace

PayloadCodec::Result PayloadCodec::parseHex(QStringView input)
{
    Result r;
    r.bytes.reserve(input.size() / 2);
    int high = -1;
    qsizetype highPos = -1;
    for (qsizetype i = 0; i < input.size(); ++i) {
        const char16_t c = input.at(i).unicode();
        if (isSpace(c)) {
            if (high >= 0) {
                r.error = tr("Hex digit at position %1 has no partner: bytes need two digits.").arg(highPos + 1);
                r.errorPosition = highPos;
                r.bytes.clear();
                return r;
            }
            continue;
        }
        if (high < 0 && c == u'0' && i + 1 < input.size() && (input.at(i + 1) == u'x' || input.at(i + 1) == u'X')) {
            ++i; // "0x" prefix
            continue;
        }
        const int v = hexValue(c);
        if (v < 0) {
            r.error = tr("\"%1\" at position %2 is not a hex digit.").arg(input.at(i)).arg(i + 1);
            r.errorPosition = i;
            r.bytes.clear();
            return r;
        }
        if (high < 0) {
            high = v;
            highPos = i;
        } else {
            r.bytes.append(char((high << 4) | v));
            high = -1;
        }
    }
    if (high >= 0) {
        r.error = tr("Odd number of hex digits: the digit at position %1 has no partner.").arg(highPos + 1);
        r.errorPosition = highPos;
        r.bytes.clear();
    }
    return r;
}

PayloadCodec::Result PayloadCodec::parseBase64(QStringView input)
{
    Result r;
    QByteArray compact;
    compact.reserve(input.size());
    bool urlSafe = false;
    bool standard = false;
    qsizetype paddingStart = -1;
    qsizetype firstSextet = -1;
    for (qsizetype i = 0; i < input.size(); ++i) {
        const char16_t c = input.at(i).unicode();
        if (c == u' ' || c == u'\t' || c == u'\n' || c == u'\r')
            continue;
        const bool alnum = (c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9');
        if (c == u'=') {
            if (paddingStart < 0)
                paddingStart = i;
            compact.append('=');
            continue;
        }
        if (paddingStart >= 0) {
            r.error = tr("Base64 continues after its \"=\" padding at position %1.").arg(i + 1);
            r.errorPosition = i;
            return r;
        }
        if (c == u'+' || c == u'/')
            standard = true;
        else if (c == u'-' || c == u'_')
            urlSafe = true;
        else if (!alnum) {
            r.error = tr("\"%1\" at position %2 is not a base64 character.").arg(input.at(i)).arg(i + 1);
            r.errorPosition = i;
            return r;
        }
        if (standard && urlSafe) {
            r.error = tr("Base64 mixes the standard (+/) and URL-safe (-_) alphabets at position %1.").arg(i + 1);
            r.errorPosition = i;
            return r;
        }
        if (firstSextet < 0)
            firstSextet = i;
        compact.append(char(c));
    }
    const qsizetype dataChars = compact.size() - (paddingStart >= 0 ? compact.size() - compact.indexOf('=') : 0);
    if (dataChars % 4 == 1) {
        r.error = tr("Base64 has %n character(s): a length of 4n+1 cannot be decoded (a character is missing or "
                     "extra).",
            nullptr, int(std::min<qsizetype>(dataChars, INT_MAX)));
        r.errorPosition = input.size();
        return r;
    }
    if (paddingStart >= 0 && compact.size() % 4 != 0) {
        r.error = tr("Base64 padding at position %1 does not complete a group of four.").arg(paddingStart + 1);
        r.errorPosition = paddingStart;
        return r;
    }
    auto decoded = QByteArray::fromBase64Encoding(compact,
        (urlSafe ? QByteArray::Base64UrlEncoding : QByteArray::Base64Encoding)
            | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded) {
        r.error = tr("Base64 could not be decoded.");
        r.errorPosition = 0;
        return r;
    }
    r.bytes = *decoded;
    return r;
}

} // namespace wsi
