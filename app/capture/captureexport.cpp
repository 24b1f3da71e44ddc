#include "captureexport.h"

#include "capture/capturewriter.h"
#include "capture/har.h"
#include "log/messagelogmodel.h"

#include <QDateTime>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStringDecoder>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {

QByteArray line(qint64 timeUs, QByteArrayView event, int conn, const QJsonObject& fields)
{
    QByteArray out = "{\"time\":" + QByteArray::number(timeUs / 1000000) + '.'
        + QByteArray::number(timeUs % 1000000).rightJustified(6, '0') + ",\"event\":\"" + event.toByteArray()
        + "\",\"conn\":" + QByteArray::number(conn);
    const QByteArray rest = QJsonDocument(fields).toJson(QJsonDocument::Compact);
    if (rest.size() > 2)
        out += ',' + rest.mid(1);
    else
        out += '}';
    return out + '\n';
}

} // namespace

Result<CaptureExport::Format> CaptureExport::formatForPath(const QString& path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == u"har")
        return Format::Har;
    if (suffix == u"jsonl")
        return Format::Jsonl;
    if (suffix == u"txt")
        return Format::Text;
    return Error { tr("Cannot tell the format of %1 from its extension: use .har, .jsonl or .txt.")
                       .arg(QFileInfo(path).fileName()),
        {} };
}

Result<void> CaptureExport::writeFile(const QString& path, const QList<CapturedSession>& sessions)
{
    const Result<Format> format = formatForPath(path);
    if (!format)
        return format.error();
    // Written beside and renamed at the end: a failed export never leaves half a file.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error { tr("Cannot write %1: %2").arg(path, file.errorString()), {} };
    if (Result<void> r = write(&file, *format, sessions); !r) {
        file.cancelWriting();
        return r;
    }
    if (!file.commit())
        return Error { tr("Cannot write %1: %2").arg(path, file.errorString()), {} };
    return {};
}

Result<void> CaptureExport::write(QIODevice* out, Format format, const QList<CapturedSession>& sessions)
{
    switch (format) {
    case Format::Har:
        return Har::write(out, sessions);
    case Format::Jsonl:
        return writeJsonl(out, sessions);
    case Format::Text:
        return writeText(out, sessions);
    }
    return {};
}

Result<void> CaptureExport::writeJsonl(QIODevice* out, const QList<CapturedSession>& sessions)
{
    QByteArray buffer;
    const auto flush = [&]() -> bool {
        const bool ok = out->write(buffer) == buffer.size();
        buffer.clear();
        return ok;
    };
    const auto failed = [&] { return Error { tr("Cannot write the capture: %1").arg(out->errorString()), {} }; };
    for (const CapturedSession& s : sessions) {
        const CapturedConnection& c = s.connection;
        const HandshakeInfo& hs = c.handshake;
        const int id = c.id;
        const qint64 t0 = c.startUs;
        if (!c.url.isEmpty())
            buffer += line(t0, "connecting", id, { { u"url"_s, c.url.toString() } });
        if (hs.timings.dnsUs >= 0)
            buffer += line(t0, "dns", id, { { u"duration_us"_s, hs.timings.dnsUs } });
        if (hs.timings.tcpConnectUs >= 0)
            buffer += line(t0, "tcp_connected", id, { { u"duration_us"_s, hs.timings.tcpConnectUs } });
        if (!hs.tls.isEmpty()) {
            QJsonArray chain;
            for (const QByteArray& pem : hs.tls.peerChainPem)
                chain.append(QString::fromLatin1(pem));
            QJsonObject o { { u"protocol"_s, hs.tls.protocol }, { u"cipher"_s, hs.tls.cipher },
                { u"peer_chain"_s, chain }, { u"verified"_s, hs.tls.verified },
                { u"errors"_s, QJsonArray::fromStringList(hs.tls.verificationErrors) } };
            if (hs.timings.tlsHandshakeUs >= 0)
                o[u"duration_us"_s] = hs.timings.tlsHandshakeUs;
            buffer += line(t0, "tls_established", id, o);
        }
        // The heads go where their log entries are (or first, without them).
        bool requestWritten = hs.request.isEmpty();
        bool responseWritten = hs.response.isEmpty() && hs.response.status == 0;
        const auto writeRequest = [&](qint64 time) {
            buffer += line(time, "request", id, CaptureWriter::headObject(hs.request));
            requestWritten = true;
        };
        const auto writeResponse = [&](qint64 time) {
            QJsonObject o = CaptureWriter::headObject(hs.response);
            o[u"upgrade_us"_s] = hs.timings.upgradeUs;
            if (!hs.expectedAccept.isEmpty()) {
                o[u"expected_accept"_s] = QString::fromLatin1(hs.expectedAccept);
                o[u"accept_ok"_s] = hs.acceptMatches();
            }
            if (!hs.response.body.isEmpty())
                o[u"body_base64"_s] = QString::fromLatin1(hs.response.body.toBase64());
            buffer += line(time, "response", id, o);
            responseWritten = true;
        };
        for (const LogEntry& e : s.entries) {
            if (e.kind == LogEntry::Kind::Handshake) {
                if (e.dir == Direction::Send && !requestWritten)
                    writeRequest(e.timeUs);
                else if (e.dir == Direction::Receive && !responseWritten)
                    writeResponse(e.timeUs);
                continue;
            }
            if (!requestWritten)
                writeRequest(e.timeUs);
            if (!responseWritten && (e.isMessage() || e.isControl()))
                writeResponse(e.timeUs);
            if (e.kind == LogEntry::Kind::Error) {
                buffer += line(e.timeUs, "error", id, { { u"message"_s, QString::fromUtf8(e.payload) } });
            } else if (e.kind == LogEntry::Kind::State && e.closeCode != 0) {
                buffer += line(e.timeUs, "closed", id,
                    { { u"code"_s, int(e.closeCode) }, { u"reason"_s, QString() },
                        { u"description"_s, QString::fromUtf8(e.payload) } });
            } else if (e.isMessage() || e.isControl()) {
                // A compressed message's frames carry its wire bytes (wirePayload); the message
                // event after them carries the inflated payload, as CaptureWriter writes them.
                const bool compressed = e.isCompressed();
                const QByteArray& wire = compressed ? e.wirePayload : e.payload;
                qsizetype wireSum = 0;
                for (const FrameInfo& f : e.frames)
                    wireSum += qsizetype(f.length);
                const bool framesCarryPayload = e.isControl() || (wireSum == wire.size() && !wire.isNull());
                for (const FrameInfo& f : e.frames) {
                    QByteArray payload;
                    if (framesCarryPayload)
                        payload = f.isControl() || (e.frames.size() == 1 && !compressed)
                            ? wire
                            : wire.mid(qsizetype(f.payloadOffset), qsizetype(f.length));
                    buffer += line(f.timeUs ? f.timeUs : e.timeUs, "frame", id,
                        CaptureWriter::frameObject(f, e.dir, payload, e.kind == LogEntry::Kind::Text && !compressed));
                }
                if (e.isMessage())
                    buffer += line(e.timeUs, "message", id, CaptureWriter::messageObject(e));
            }
            if (buffer.size() > (1 << 20) && !flush())
                return failed();
        }
        if (!requestWritten)
            writeRequest(t0);
        if (!responseWritten)
            writeResponse(t0);
    }
    if (!flush())
        return failed();
    return {};
}

Result<void> CaptureExport::writeText(QIODevice* out, const QList<CapturedSession>& sessions)
{
    QByteArray buffer;
    for (const CapturedSession& s : sessions) {
        buffer
            += tr("# Connection %1: %2").arg(s.connection.id).arg(s.connection.url.toDisplayString()).toUtf8() + '\n';
        for (const LogEntry& e : s.entries) {
            const QString arrow = e.dir == Direction::Send ? u"->"_s : e.dir == Direction::Receive ? u"<-"_s : u"--"_s;
            const QString time
                = QDateTime::fromMSecsSinceEpoch(e.timeUs / 1000, Qt::UTC).toString(u"yyyy-MM-dd HH:mm:ss.zzz"_s);
            buffer += (time + u' ' + arrow + u' ' + kindName(e.kind) + u' '
                          + MessageLogModel::preview(e, std::numeric_limits<int>::max() / 4))
                          .toUtf8()
                + '\n';
            if (buffer.size() > (1 << 20)) {
                if (out->write(buffer) != buffer.size())
                    return Error { tr("Cannot write the text: %1").arg(out->errorString()), {} };
                buffer.clear();
            }
        }
    }
    if (out->write(buffer) != buffer.size())
        return Error { tr("Cannot write the text: %1").arg(out->errorString()), {} };
    return {};
}

} // namespace wsi
