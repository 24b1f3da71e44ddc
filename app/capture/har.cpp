#include "har.h"

#include "capture/jsonlreader.h"

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

constexpr QByteArrayView kAcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

bool isValidUtf8(const QByteArray& bytes, QString* text)
{
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    *text = utf8(bytes);
    return !utf8.hasError();
}

HttpHeaders headersFrom(const QJsonValue& v)
{
    HttpHeaders out;
    for (const QJsonValue& h : v.toArray()) {
        const QJsonObject o = h.toObject();
        if (o.value(u"name"_s).isString())
            out.append({ o.value(u"name"_s).toString().toLatin1(), o.value(u"value"_s).toString().toLatin1() });
    }
    return out;
}

QByteArray rawHead(const QByteArray& firstLine, const HttpHeaders& headers)
{
    QByteArray raw = firstLine + "\r\n";
    for (const auto& [name, value] : headers)
        raw += name + ": " + value + "\r\n";
    return raw + "\r\n";
}

qint64 msToUs(const QJsonValue& v)
{
    if (!v.isDouble() || !std::isfinite(v.toDouble()) || v.toDouble() < 0 || v.toDouble() > 1e12)
        return -1;
    return std::llround(v.toDouble() * 1000);
}

double usToMs(qint64 us)
{
    return us < 0 ? -1.0 : double(us) / 1000.0;
}

QUrl websocketUrl(const QString& text)
{
    QUrl url(text);
    if (url.scheme() == u"http")
        url.setScheme(u"ws"_s);
    else if (url.scheme() == u"https")
        url.setScheme(u"wss"_s);
    return url;
}

QJsonArray headersArray(const HttpHeaders& headers)
{
    QJsonArray out;
    for (const auto& [name, value] : headers)
        out.append(
            QJsonObject { { u"name"_s, QString::fromLatin1(name) }, { u"value"_s, QString::fromLatin1(value) } });
    return out;
}

// One notice per skipped message, but never more than the JSON Lines reader lists: a hostile HAR
// of millions of bad messages must not become millions of strings.
template <typename Content> void addNotice(Content& content, const QString& text)
{
    const qsizetype n = content.chunk.notices.size();
    if (n < JsonlReader::kMaxNotices)
        content.chunk.notices.append(text);
    else if (n == JsonlReader::kMaxNotices)
        content.chunk.notices.append(Har::tr(
            "More messages were skipped; only the first %n are listed.", nullptr, int(JsonlReader::kMaxNotices)));
}

} // namespace

bool Har::looksLikeHar(QByteArrayView head)
{
    const QByteArrayView t = head.trimmed();
    return t.startsWith('{') && t.contains("\"log\"");
}

Result<Har::Content> Har::read(const QByteArray& json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        return Error {
            tr("The HAR file is not valid JSON: %1 at byte %2.").arg(error.errorString()).arg(error.offset + 1), {}
        };
    const QJsonValue entriesValue = doc.object().value(u"log"_s).toObject().value(u"entries"_s);
    if (!doc.isObject() || !entriesValue.isArray())
        return Error { tr("This is not a HAR file: it has no \"log\" object with an \"entries\" array."), {} };

    Content content;
    const QJsonArray entries = entriesValue.toArray();
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const QJsonObject e = entries.at(i).toObject();
        const QJsonObject request = e.value(u"request"_s).toObject();
        const QJsonObject response = e.value(u"response"_s).toObject();
        const QString urlText = request.value(u"url"_s).toString();
        const bool websocket = e.value(u"_resourceType"_s).toString() == u"websocket"
            || e.value(u"_webSocketMessages"_s).isArray() || urlText.startsWith(u"ws://")
            || urlText.startsWith(u"wss://");
        if (!websocket) {
            ++content.httpEntriesSkipped;
            continue;
        }
        if (content.websocketEntries >= JsonlReader::kMaxConnections) {
            addNotice(content,
                tr("HAR entry %1 is a WebSocket connection beyond the first %2 (skipped).")
                    .arg(i + 1)
                    .arg(JsonlReader::kMaxConnections));
            continue;
        }
        const int id = ++content.websocketEntries;
        CapturedConnection c;
        c.id = id;
        c.url = websocketUrl(urlText);
        c.serverIp = e.value(u"serverIPAddress"_s).toString();
        const QDateTime started = QDateTime::fromString(e.value(u"startedDateTime"_s).toString(), Qt::ISODateWithMs);
        c.startUs = started.isValid() ? started.toMSecsSinceEpoch() * 1000 : 0;
        const double wsiStartUs = e.value(u"_wsiStartUs"_s).toDouble(-1); // our own writer keeps the microseconds
        if (std::isfinite(wsiStartUs) && wsiStartUs >= 0 && wsiStartUs <= 9e15)
            c.startUs = qint64(wsiStartUs);

        HandshakeInfo& hs = c.handshake;
        HttpHead& req = hs.request;
        req.isRequest = true;
        req.method = request.value(u"method"_s).toString(u"GET"_s).toLatin1();
        QByteArray target = c.url.path(QUrl::FullyEncoded).toLatin1();
        if (target.isEmpty())
            target = "/";
        if (c.url.hasQuery())
            target += '?' + c.url.query(QUrl::FullyEncoded).toLatin1();
        req.target = target;
        req.version = request.value(u"httpVersion"_s).toString(u"HTTP/1.1"_s).toLatin1();
        req.headers = headersFrom(request.value(u"headers"_s));
        if (!req.headers.isEmpty())
            req.raw = rawHead(req.method + ' ' + req.target + ' ' + req.version, req.headers);
        HttpHead& res = hs.response;
        res.isRequest = false;
        res.status = response.value(u"status"_s).toInt();
        res.reason = response.value(u"statusText"_s).toString().toLatin1();
        res.version = response.value(u"httpVersion"_s).toString(u"HTTP/1.1"_s).toLatin1();
        res.headers = headersFrom(response.value(u"headers"_s));
        if (res.status > 0)
            res.raw = rawHead(res.version + ' ' + QByteArray::number(res.status) + ' ' + res.reason, res.headers);
        if (const QByteArray key = req.header("Sec-WebSocket-Key"); !key.isEmpty())
            hs.expectedAccept
                = QCryptographicHash::hash(QByteArray(key).append(kAcceptGuid), QCryptographicHash::Sha1).toBase64();
        const QJsonObject timings = e.value(u"timings"_s).toObject();
        hs.timings.dnsUs = msToUs(timings.value(u"dns"_s));
        hs.timings.tlsHandshakeUs = msToUs(timings.value(u"ssl"_s));
        const qint64 connect = msToUs(timings.value(u"connect"_s)); // includes ssl (HAR 1.2)
        hs.timings.tcpConnectUs = connect < 0 ? -1 : connect - std::max<qint64>(0, hs.timings.tlsHandshakeUs);
        hs.timings.upgradeUs = msToUs(timings.value(u"wait"_s));
        content.chunk.connections.append(c);

        qint64 lastUs = c.startUs;
        if (!req.raw.isEmpty()) {
            LogEntry h;
            h.timeUs = lastUs;
            h.kind = LogEntry::Kind::Handshake;
            h.dir = Direction::Send;
            h.payload = req.raw;
            content.chunk.add(id, std::move(h));
        }
        if (!res.raw.isEmpty()) {
            LogEntry h;
            h.timeUs = lastUs;
            h.kind = LogEntry::Kind::Handshake;
            h.dir = Direction::Receive;
            h.payload = res.raw;
            content.chunk.add(id, std::move(h));
        }
        const QJsonArray messages = e.value(u"_webSocketMessages"_s).toArray();
        for (qsizetype m = 0; m < messages.size(); ++m) {
            const QJsonObject msg = messages.at(m).toObject();
            const QString type = msg.value(u"type"_s).toString();
            const QJsonValue time = msg.value(u"time"_s);
            LogEntry entry;
            entry.timeUs = time.isDouble() && std::isfinite(time.toDouble()) && std::abs(time.toDouble()) < 1e11
                ? std::llround(time.toDouble() * 1e6)
                : lastUs;
            lastUs = entry.timeUs;
            const QJsonValue data = msg.value(u"data"_s);
            if (type == u"error") {
                entry.kind = LogEntry::Kind::Error;
                entry.payload = data.isString() ? data.toString().toUtf8() : tr("WebSocket error").toUtf8();
                content.chunk.add(id, std::move(entry));
                continue;
            }
            if (type != u"send" && type != u"receive") {
                addNotice(content,
                    tr("HAR entry %1, message %2: unknown type \"%3\" (skipped).").arg(i + 1).arg(m + 1).arg(type));
                continue;
            }
            if (!data.isString() && !data.isNull() && !data.isUndefined()) {
                addNotice(
                    content, tr("HAR entry %1, message %2: \"data\" is not a string (skipped).").arg(i + 1).arg(m + 1));
                continue;
            }
            entry.dir = type == u"send" ? Direction::Send : Direction::Receive;
            const int opcode = msg.value(u"opcode"_s).toInt(OpText);
            const bool base64 = opcode != OpText || msg.value(u"_wsiEncoding"_s).toString() == u"base64";
            if (base64) {
                auto decoded = QByteArray::fromBase64Encoding(
                    data.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
                if (!decoded) {
                    addNotice(content,
                        tr("HAR entry %1, message %2: binary \"data\" is not valid base64 (skipped).")
                            .arg(i + 1)
                            .arg(m + 1));
                    continue;
                }
                entry.payload = std::move(*decoded);
            } else {
                entry.payload = data.toString().toUtf8();
            }
            switch (opcode) {
            case OpText:
                entry.kind = LogEntry::Kind::Text;
                break;
            case OpPing:
                entry.kind = LogEntry::Kind::Ping;
                break;
            case OpPong:
                entry.kind = LogEntry::Kind::Pong;
                break;
            case OpClose:
                entry.kind = LogEntry::Kind::Close;
                if (entry.payload.size() >= 2)
                    entry.closeCode = quint16((quint8(entry.payload[0]) << 8) | quint8(entry.payload[1]));
                break;
            default:
                entry.kind = LogEntry::Kind::Binary;
                break;
            }
            content.chunk.add(id, std::move(entry));
        }
    }
    if (content.websocketEntries == 0)
        return Error { tr("The HAR file has no WebSocket entry (%n HTTP entry(s) skipped). Export it from the "
                          "browser's Network panel with the WebSocket connection selected.",
                           nullptr, content.httpEntriesSkipped),
            {} };
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
