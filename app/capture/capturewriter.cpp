#include "capturewriter.h"

#include "wire/wirerelay.h"

#include <QCoreApplication>
#include <QDebug>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStringDecoder>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {
QJsonArray headersArray(const HttpHeaders& headers)
{
    QJsonArray out;
    for (const auto& [name, value] : headers)
        out.append(QJsonArray { QString::fromLatin1(name), QString::fromLatin1(value) });
    return out;
}

// Text when bytes are valid UTF-8 on their own, otherwise nothing (the caller uses base64).
bool decodeUtf8(const QByteArray& bytes, QString* text)
{
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    *text = utf8(bytes);
    return !utf8.hasError();
}
} // namespace

CaptureWriter::CaptureWriter() = default;

CaptureWriter::~CaptureWriter()
{
    // An error seen before was reported by the owner; a new one has nobody else to tell.
    const bool failedBefore = failed();
    if (!flush() && !failedBefore)
        qWarning().noquote() << m_error;
}

void CaptureWriter::moveToThread(QThread* thread)
{
    m_file.moveToThread(thread);
}

bool CaptureWriter::flush()
{
    if (!m_error.isEmpty())
        return false;
    if (m_buffer.isEmpty() || !m_file.isOpen())
        return true;
    // Unbuffered file: one write() per flush. A short write is an error too (disk full).
    const qint64 written = m_file.write(m_buffer);
    if (written != m_buffer.size()) {
        m_error = QCoreApplication::translate(
            "wsi::CaptureWriter", "Recording stopped: cannot write the capture file %1: %2")
                      .arg(m_file.fileName(),
                          written < 0 ? m_file.errorString()
                                      : QCoreApplication::translate("wsi::CaptureWriter", "the disk is full"));
        m_buffer.clear();
        m_buffer.squeeze();
        m_file.close();
        return false;
    }
    m_buffer.clear();
    return true;
}

Result<void> CaptureWriter::open(const QString& path)
{
    m_file.setFileName(path);
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered))
        return Error { QCoreApplication::translate("wsi::CaptureWriter", "Cannot write the capture file %1: %2")
                           .arg(path, m_file.errorString()),
            m_file.errorString() };
    return {};
}

void CaptureWriter::write(qint64 timeUs, const char* event, int conn, const QJsonObject& fields)
{
    if (!m_file.isOpen() || !m_error.isEmpty())
        return;
    // time is written by hand so that it always has exactly six decimals (microseconds).
    QByteArray line = "{\"time\":" + QByteArray::number(timeUs / 1000000) + '.'
        + QByteArray::number(timeUs % 1000000).rightJustified(6, '0') + ",\"event\":\"" + event
        + "\",\"conn\":" + QByteArray::number(conn);
    const QByteArray rest = QJsonDocument(fields).toJson(QJsonDocument::Compact);
    if (rest.size() > 2)
        line += ',' + rest.mid(1); // "{...}" without its opening brace
    else
        line += '}';
    line += '\n';
    m_buffer += line;
    if (m_buffer.size() >= kBufferSize)
        flush();
}

void CaptureWriter::connecting(int conn, const QUrl& url)
{
    write(LogEntry::nowUs(), "connecting", conn, { { u"url"_s, url.toString() } });
}

QJsonObject CaptureWriter::headObject(const HttpHead& head)
{
    QJsonObject o;
    if (head.isRequest) {
        o[u"method"_s] = QString::fromLatin1(head.method);
        o[u"target"_s] = QString::fromLatin1(head.target);
    } else {
        o[u"status"_s] = head.status;
        o[u"reason"_s] = QString::fromLatin1(head.reason);
    }
    o[u"version"_s] = QString::fromLatin1(head.version);
    o[u"headers"_s] = headersArray(head.headers);
    o[u"raw"_s] = QString::fromLatin1(head.raw);
    if (!head.problems.isEmpty())
        o[u"problems"_s] = QJsonArray::fromStringList(head.problems);
    return o;
}

void CaptureWriter::stage(int conn, int stage, const HandshakeInfo& info)
{
    const qint64 now = LogEntry::nowUs();
    switch (WireRelay::Stage(stage)) {
    case WireRelay::Stage::Dns:
        write(now, "dns", conn, { { u"duration_us"_s, info.timings.dnsUs } });
        break;
    case WireRelay::Stage::TcpConnected:
        write(now, "tcp_connected", conn, { { u"duration_us"_s, info.timings.tcpConnectUs } });
        break;
    case WireRelay::Stage::TlsEstablished: {
        QJsonArray chain;
        for (const QByteArray& pem : info.tls.peerChainPem)
            chain.append(QString::fromLatin1(pem));
        QJsonObject o { { u"protocol"_s, info.tls.protocol }, { u"cipher"_s, info.tls.cipher },
            { u"peer_chain"_s, chain }, { u"verified"_s, info.tls.verified },
            { u"errors"_s, QJsonArray::fromStringList(info.tls.verificationErrors) } };
        if (info.timings.tlsHandshakeUs >= 0)
            o[u"duration_us"_s] = info.timings.tlsHandshakeUs;
        write(now, "tls_established", conn, o);
        break;
    }
    case WireRelay::Stage::Request:
        write(now, "request", conn, headObject(info.request));
        break;
    case WireRelay::Stage::Response: {
        QJsonObject o = headObject(info.response);
        o[u"upgrade_us"_s] = info.timings.upgradeUs;
        if (!info.expectedAccept.isEmpty()) {
            o[u"expected_accept"_s] = QString::fromLatin1(info.expectedAccept);
            o[u"accept_ok"_s] = info.acceptMatches();
        }
        if (info.response.status == 101)
            write(now, "response", conn, o);
        // A non-101 response is written once its body is in (ResponseBody).
        break;
    }
    case WireRelay::Stage::ResponseBody: {
        QJsonObject o = headObject(info.response);
        o[u"upgrade_us"_s] = info.timings.upgradeUs;
        QString text;
        if (decodeUtf8(info.response.body, &text))
            o[u"body"_s] = text;
        else
            o[u"body_base64"_s] = QString::fromLatin1(info.response.body.toBase64());
        write(now, "response", conn, o);
        break;
    }
    }
}

QJsonObject CaptureWriter::frameObject(const FrameInfo& f, Direction dir, const QByteArray& payload, bool textMessage)
{
    QJsonObject o { { u"dir"_s, dir == Direction::Send ? u"send"_s : u"receive"_s }, { u"fin"_s, f.fin },
        { u"rsv"_s, int(f.rsv) }, { u"opcode"_s, int(f.opcode) }, { u"masked"_s, f.masked },
        { u"length"_s, double(f.length) }, { u"length_bits"_s, f.lengthBytes == 0 ? 7 : f.lengthBytes * 8 } };
    if (f.masked)
        o[u"mask_key"_s] = u"%1"_s.arg(f.maskKey, 8, 16, QLatin1Char('0'));
    const bool textual = f.opcode == OpText || (f.opcode == OpContinuation && textMessage);
    QString text;
    if (textual && decodeUtf8(payload, &text))
        o[u"text"_s] = text;
    else
        o[u"base64"_s] = QString::fromLatin1(payload.toBase64());
    if (f.opcode == OpClose && payload.size() >= 2) {
        o[u"close_code"_s] = (quint8(payload[0]) << 8) | quint8(payload[1]);
        o[u"close_reason"_s] = QString::fromUtf8(payload.mid(2));
    }
    if (!f.violations.isEmpty())
        o[u"violations"_s] = QJsonArray::fromStringList(f.violations);
    return o;
}

void CaptureWriter::entries(int conn, const LogBatch& batch)
{
    for (const LogEntry& e : batch) {
        if (e.frames.isEmpty())
            continue;
        const bool textMessage = e.kind == LogEntry::Kind::Text;
        // Frames keep the wire bytes: a compressed message's frames point into wirePayload.
        const bool compressed = e.isCompressed() && !e.wirePayload.isEmpty();
        const QByteArray& wire = compressed ? e.wirePayload : e.payload;
        for (const FrameInfo& f : e.frames) {
            const QByteArray payload = f.isControl() || (e.frames.size() == 1 && !compressed)
                ? wire
                : wire.mid(qsizetype(f.payloadOffset), qsizetype(f.length));
            write(f.timeUs ? f.timeUs : e.timeUs, "frame", conn,
                frameObject(f, e.dir, payload, textMessage && !compressed));
        }
        const quint8 opcode = e.frames.first().opcode;
        if (e.isMessage() && (opcode == OpText || opcode == OpBinary))
            write(e.timeUs, "message", conn, messageObject(e));
    }
}

QJsonObject CaptureWriter::messageObject(const LogEntry& e)
{
    QJsonObject o { { u"dir"_s, e.dir == Direction::Send ? u"send"_s : u"receive"_s },
        { u"opcode"_s, int(e.kind == LogEntry::Kind::Text ? OpText : OpBinary) },
        { u"length"_s, double(e.payload.size()) }, { u"wire_length"_s, double(e.wireLength()) },
        { u"compressed"_s, e.isCompressed() } };
    QString text;
    if (e.kind == LogEntry::Kind::Text && decodeUtf8(e.payload, &text))
        o[u"text"_s] = text;
    else
        o[u"base64"_s] = QString::fromLatin1(e.payload.toBase64());
    return o;
}

void CaptureWriter::closed(int conn, quint16 code, const QString& reason, const QString& description)
{
    write(LogEntry::nowUs(), "closed", conn,
        { { u"code"_s, int(code) }, { u"reason"_s, reason }, { u"description"_s, description } });
}

void CaptureWriter::error(int conn, const QString& message)
{
    write(LogEntry::nowUs(), "error", conn, { { u"message"_s, message } });
}

} // namespace wsi
