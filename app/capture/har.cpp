#include "har.h"

#include "capture/harreader.h"

#include <QBuffer>

#include <QCryptographicHash>
#include <QDateTime>
#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringDecoder>
#include <QUrlQuery>

#include <cmath>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {

bool isValidUtf8(const QByteArray& bytes, QString* text)
{
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    *text = utf8(bytes);
    return !utf8.hasError();
}

double usToMs(qint64 us)
{
    return us < 0 ? -1.0 : double(us) / 1000.0;
}

QJsonArray headersArray(const HttpHeaders& headers)
{
    QJsonArray out;
    for (const auto& [name, value] : headers)
        out.append(
            QJsonObject { { u"name"_s, QString::fromLatin1(name) }, { u"value"_s, QString::fromLatin1(value) } });
    return out;
}

} // namespace

bool Har::looksLikeHar(QByteArrayView head)
{
    const QByteArrayView t = head.trimmed();
    return t.startsWith('{') && t.contains("\"log\"");
}

Result<Har::Content> Har::read(const QByteArray& json)
{
    QBuffer buffer;
    buffer.setData(json);
    buffer.open(QIODevice::ReadOnly);
    HarReader reader(&buffer);
    while (reader.step(qint64(1) << 40)) { }
    if (reader.failed())
        return reader.error();
    Content content;
    content.chunk = reader.takeChunk();
    content.websocketEntries = reader.websocketEntries();
    content.httpEntriesSkipped = reader.httpEntriesSkipped();
    return content;
}

Result<void> Har::write(QIODevice* out, const QList<CapturedSession>& sessions)
{
    const auto put = [out](const QByteArray& bytes) { return out->write(bytes) == bytes.size(); };
    const auto failed = [out] { return Error { tr("Cannot write the HAR file: %1").arg(out->errorString()), {} }; };
    const QJsonObject creator { { u"name"_s, u"WebSocket Inspector"_s },
        { u"version"_s, QCoreApplication::applicationVersion() } };
    QByteArray head = "{\"log\":{\"version\":\"1.2\",\"creator\":"
        + QJsonDocument(creator).toJson(QJsonDocument::Compact) + ",\"pages\":[],\"entries\":[\n";
    if (!put(head))
        return failed();
    bool firstEntry = true;
    for (const CapturedSession& s : sessions) {
        const CapturedConnection& c = s.connection;
        const HandshakeInfo& hs = c.handshake;
        const ConnectionTimings& t = hs.timings;
        QJsonObject request { { u"method"_s,
                                  hs.request.method.isEmpty() ? u"GET"_s : QString::fromLatin1(hs.request.method) },
            { u"url"_s, c.url.toString(QUrl::FullyEncoded) },
            { u"httpVersion"_s,
                hs.request.version.isEmpty() ? u"HTTP/1.1"_s : QString::fromLatin1(hs.request.version) },
            { u"cookies"_s, QJsonArray() }, { u"headers"_s, headersArray(hs.request.headers) },
            { u"headersSize"_s, hs.request.raw.isEmpty() ? -1 : int(hs.request.raw.size()) }, { u"bodySize"_s, 0 } };
        QJsonArray query;
        for (const auto& [name, value] : QUrlQuery(c.url).queryItems(QUrl::FullyDecoded))
            query.append(QJsonObject { { u"name"_s, name }, { u"value"_s, value } });
        request[u"queryString"_s] = query;
        QJsonObject content { { u"size"_s, int(hs.response.body.size()) },
            { u"mimeType"_s, QString::fromLatin1(hs.response.header("Content-Type")) } };
        if (!hs.response.body.isEmpty()) {
            QString text;
            if (isValidUtf8(hs.response.body, &text)) {
                content[u"text"_s] = text;
            } else {
                content[u"text"_s] = QString::fromLatin1(hs.response.body.toBase64());
                content[u"encoding"_s] = u"base64"_s;
            }
        }
        QJsonObject response { { u"status"_s, hs.response.status },
            { u"statusText"_s, QString::fromLatin1(hs.response.reason) },
            { u"httpVersion"_s,
                hs.response.version.isEmpty() ? u"HTTP/1.1"_s : QString::fromLatin1(hs.response.version) },
            { u"cookies"_s, QJsonArray() }, { u"headers"_s, headersArray(hs.response.headers) },
            { u"content"_s, content }, { u"redirectURL"_s, QString::fromLatin1(hs.response.header("Location")) },
            { u"headersSize"_s, hs.response.raw.isEmpty() ? -1 : int(hs.response.raw.size()) },
            { u"bodySize"_s, int(hs.response.body.size()) } };
        const qint64 connectUs = t.tcpConnectUs < 0 ? -1 : t.tcpConnectUs + std::max<qint64>(0, t.tlsHandshakeUs);
        const QJsonObject timings { { u"blocked"_s, -1 }, { u"dns"_s, usToMs(t.dnsUs) },
            { u"connect"_s, usToMs(connectUs) }, { u"ssl"_s, usToMs(t.tlsHandshakeUs) }, { u"send"_s, 0 },
            { u"wait"_s, std::max(0.0, usToMs(t.upgradeUs)) }, { u"receive"_s, 0 } };
        double total = 0;
        for (qint64 us : { t.dnsUs, connectUs, t.upgradeUs })
            total += us > 0 ? double(us) / 1000.0 : 0.0;
        QJsonObject entry { { u"startedDateTime"_s,
                                QDateTime::fromMSecsSinceEpoch(c.startUs / 1000, Qt::UTC).toString(Qt::ISODateWithMs) },
            { u"time"_s, total }, { u"request"_s, request }, { u"response"_s, response }, { u"cache"_s, QJsonObject() },
            { u"timings"_s, timings }, { u"_resourceType"_s, u"websocket"_s },
            { u"_wsiStartUs"_s, double(c.startUs) } };
        if (!c.serverIp.isEmpty())
            entry[u"serverIPAddress"_s] = c.serverIp;
        QByteArray text = QJsonDocument(entry).toJson(QJsonDocument::Compact);
        text.chop(1); // the closing brace: the messages follow
        text = (firstEntry ? QByteArray() : QByteArray(",\n")) + text + ",\"_webSocketMessages\":[";
        firstEntry = false;
        bool firstMessage = true;
        for (const LogEntry& e : s.entries) {
            QJsonObject m;
            if (e.isMessage()) {
                m[u"type"_s] = e.dir == Direction::Send ? u"send"_s : u"receive"_s;
                m[u"time"_s] = double(e.timeUs) / 1e6;
                m[u"opcode"_s] = e.kind == LogEntry::Kind::Text ? 1 : 2;
                QString data;
                if (e.kind == LogEntry::Kind::Text && isValidUtf8(e.payload, &data)) {
                    m[u"data"_s] = data;
                } else {
                    m[u"data"_s] = QString::fromLatin1(e.payload.toBase64());
                    if (e.kind == LogEntry::Kind::Text)
                        m[u"_wsiEncoding"_s] = u"base64"_s;
                }
            } else if (e.kind == LogEntry::Kind::Error) {
                m = QJsonObject { { u"type"_s, u"error"_s }, { u"time"_s, double(e.timeUs) / 1e6 }, { u"opcode"_s, -1 },
                    { u"data"_s, QString::fromUtf8(e.payload) } };
            } else {
                continue;
            }
            if (!firstMessage)
                text += ',';
            firstMessage = false;
            text += QJsonDocument(m).toJson(QJsonDocument::Compact);
            if (text.size() > (1 << 20)) {
                if (!put(text))
                    return failed();
                text.clear();
            }
        }
        text += "]}";
        if (!put(text))
            return failed();
    }
    if (!put("\n]}}\n"))
        return failed();
    return {};
}

} // namespace wsi
