#include "httpheadparser.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("wsi::HttpHeadParser", text);
}

// Position just after the blank line ending the head, or -1. Accepts bare LF line ends too, as
// some servers send them.
qsizetype headEnd(const QByteArray& buffer, qsizetype from)
{
    const char* d = buffer.constData();
    const qsizetype n = buffer.size();
    for (qsizetype i = std::max<qsizetype>(from, 1); i < n; ++i) {
        if (d[i] != '\n')
            continue;
        if (d[i - 1] == '\n')
            return i + 1;
        if (i >= 2 && d[i - 1] == '\r' && d[i - 2] == '\n')
            return i + 1;
    }
    return -1;
}

QByteArray trimmedLine(QByteArrayView line)
{
    if (line.endsWith('\r'))
        line.chop(1);
    return line.toByteArray();
}

} // namespace

HttpHeadParser::HttpHeadParser(bool isRequest)
    : m_isRequest(isRequest)
{
    m_head.isRequest = isRequest;
}

qsizetype HttpHeadParser::feed(QByteArrayView data)
{
    if (m_status != Status::NeedMore)
        return 0;
    const qsizetype before = m_head.raw.size();
    const qsizetype room = kMaxHeadSize - before;
    const QByteArrayView take = data.first(std::min(room, data.size()));
    m_head.raw.append(take);
    if (!m_isRequest && before < 5) {
        // A reply that is not HTTP (a plain server speaking another protocol, TLS on a plain
        // port) is named at once rather than after 64 KiB or a timeout.
        static constexpr QByteArrayView prefix("HTTP/");
        const qsizetype n = std::min<qsizetype>(m_head.raw.size(), prefix.size());
        qsizetype mismatch = 0;
        while (mismatch < n && m_head.raw.at(mismatch) == prefix.at(mismatch))
            ++mismatch;
        if (mismatch < n) {
            // Named by the bytes up to the first one that differs, so the message does not depend
            // on how the reply was split into reads (found by fuzz_wiretap).
            m_status = Status::Error;
            m_fault = Fault::NotHttp;
            m_error = tr("The server's reply is not HTTP: it starts with %1 instead of \"HTTP/\".")
                          .arg(QString::fromLatin1(m_head.raw.first(mismatch + 1).toHex(' ')));
            return take.size();
        }
    }
    const qsizetype end = headEnd(m_head.raw, std::max<qsizetype>(0, before - 2));
    if (end < 0) {
        if (m_head.raw.size() >= kMaxHeadSize) {
            m_status = Status::Error;
            m_fault = Fault::TooLong;
            m_error = tr("The HTTP head is longer than %1 bytes without ending in an empty line.").arg(kMaxHeadSize);
        }
        return take.size();
    }
    m_head.raw.truncate(end);
    m_head = parse(m_head.raw, m_isRequest);
    m_status = Status::Done;
    return end - before;
}

HttpHead HttpHeadParser::takeHead()
{
    HttpHead h = std::move(m_head);
    reset();
    return h;
}

void HttpHeadParser::reset()
{
    m_status = Status::NeedMore;
    m_fault = Fault::None;
    m_error.clear();
    m_head = HttpHead();
    m_head.isRequest = m_isRequest;
}

HttpHead HttpHeadParser::parse(const QByteArray& raw, bool isRequest)
{
    HttpHead head;
    head.isRequest = isRequest;
    head.raw = raw;
    const QList<QByteArrayView> lines = [&] {
        QList<QByteArrayView> out;
        qsizetype start = 0;
        while (start < raw.size()) {
            qsizetype nl = raw.indexOf('\n', start);
            if (nl < 0)
                nl = raw.size();
            out.append(QByteArrayView(raw).sliced(start, nl - start));
            start = nl + 1;
        }
        return out;
    }();
    if (lines.isEmpty()) {
        head.problems.append(tr("Empty HTTP head."));
        return head;
    }
    const QByteArray first = trimmedLine(lines.first());
    const QList<QByteArray> parts = first.split(' ');
    if (isRequest) {
        if (parts.size() != 3)
            head.problems.append(tr("Malformed request line: %1").arg(QString::fromLatin1(first)));
        head.method = parts.value(0);
        head.target = parts.value(1);
        head.version = parts.value(2);
    } else {
        head.version = parts.value(0);
        bool ok = false;
        head.status = parts.value(1).toInt(&ok);
        if (!ok || !head.version.startsWith("HTTP/") || parts.value(1).size() != 3)
            head.problems.append(tr("Malformed status line: %1").arg(QString::fromLatin1(first)));
        const qsizetype reasonAt = first.indexOf(' ', first.indexOf(' ') + 1);
        head.reason = reasonAt < 0 ? QByteArray() : first.mid(reasonAt + 1);
    }
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QByteArrayView line = lines.at(i);
        const bool lastLine = i + 1 == lines.size() && !raw.endsWith('\n');
        if (!lastLine && !line.endsWith('\r')) {
            head.problems.append(tr("Line %1 ends with a bare LF instead of CR LF.").arg(i + 1));
            break; // one mention is enough: such heads usually use LF throughout
        }
    }
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = trimmedLine(lines.at(i));
        if (line.isEmpty())
            break;
        if ((line.startsWith(' ') || line.startsWith('\t')) && !head.headers.isEmpty()) {
            // Obsolete line folding: the value continues after one space; an empty continuation
            // adds nothing (found by fuzz_handshakecheck: it left "websocket " behind).
            if (const QByteArray more = line.trimmed(); !more.isEmpty()) {
                QByteArray& value = head.headers.last().second;
                value = value.isEmpty() ? more : value + ' ' + more;
            }
            head.problems.append(tr("Folded header line (obsolete): %1").arg(QString::fromLatin1(line)));
            continue;
        }
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0) {
            head.problems.append(tr("Header line without a name and colon: %1").arg(QString::fromLatin1(line)));
            continue;
        }
        const QByteArray name = line.left(colon);
        if (name.contains(' ') || name.contains('\t'))
            head.problems.append(tr("Whitespace in header name: %1").arg(QString::fromLatin1(name)));
        head.headers.append({ name, line.mid(colon + 1).trimmed() });
    }
    return head;
}

} // namespace wsi
