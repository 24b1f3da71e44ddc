#include "httpbody.h"

#include <algorithm>
#include <cctype>

using namespace Qt::StringLiterals;

namespace wsi {

HttpBodyText HttpBody::decode(const HttpHead& head, const QByteArray& body)
{
    const QByteArray encoding = head.header("Transfer-Encoding").trimmed().toLower();
    // "gzip, chunked" is chunked last: decode the chunks, leave the rest as it is.
    if (encoding.endsWith("chunked"))
        return decodeChunked(body);
    return { body, {} };
}

HttpBodyText HttpBody::decodeChunked(const QByteArray& body)
{
    QByteArray out;
    qsizetype pos = 0;
    int chunks = 0;
    while (pos < body.size()) {
        const qsizetype lineEnd = body.indexOf('\n', pos);
        QByteArray sizeField = body.mid(pos, lineEnd < 0 ? -1 : lineEnd - pos).trimmed();
        if (const qsizetype semicolon = sizeField.indexOf(';'); semicolon >= 0)
            sizeField = sizeField.left(semicolon).trimmed(); // chunk extensions
        const bool hexDigits = !sizeField.isEmpty() && sizeField.size() <= 15
            && std::all_of(sizeField.begin(), sizeField.end(), [](char c) { return std::isxdigit(uchar(c)); });
        if (lineEnd < 0 && (hexDigits || sizeField.isEmpty())) // the size line itself was cut
            return { out,
                tr("Chunked body cut short after %n chunk(s); shown as far as it arrived.", nullptr, chunks) };
        if (!hexDigits)
            return { body,
                tr("The body says Transfer-Encoding: chunked, but \"%1\" at byte %2 is not a chunk size; shown as "
                   "received.")
                    .arg(QString::fromLatin1(sizeField.left(40)))
                    .arg(pos) };
        const qint64 size = sizeField.toLongLong(nullptr, 16);
        pos = lineEnd + 1;
        if (size == 0)
            return { out, tr("Chunked transfer encoding decoded (%n chunk(s)).", nullptr, chunks) };
        const qsizetype available = std::min<qint64>(size, body.size() - pos);
        out.append(body.constData() + pos, available);
        ++chunks;
        if (available < size)
            return { out,
                tr("Chunked body cut short after %n chunk(s); shown as far as it arrived.", nullptr, chunks) };
        pos += size;
        if (body.mid(pos, 2) == "\r\n")
            pos += 2;
        else if (body.mid(pos, 1) == "\n")
            pos += 1;
    }
    return { out, tr("Chunked body cut short after %n chunk(s); shown as far as it arrived.", nullptr, chunks) };
}

} // namespace wsi
