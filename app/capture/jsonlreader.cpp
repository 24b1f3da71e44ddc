#include "jsonlreader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QVarLengthArray>

#define RAPIDJSON_SSE2
#include <rapidjson/reader.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <limits>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {

int dirIndex(Direction d)
{
    return d == Direction::Send ? 0 : 1;
}

HttpHeaders headersFrom(const QJsonValue& v)
{
    HttpHeaders out;
    const QJsonArray a = v.toArray();
    for (const QJsonValue& pair : a) {
        const QJsonArray p = pair.toArray();
        if (p.size() == 2 && p.at(0).isString() && p.at(1).isString())
            out.append({ p.at(0).toString().toLatin1(), p.at(1).toString().toLatin1() });
    }
    return out;
}

HttpHead headFrom(const QJsonObject& o, bool request)
{
    HttpHead h;
    h.isRequest = request;
    if (request) {
        h.method = o.value(u"method"_s).toString().toLatin1();
        h.target = o.value(u"target"_s).toString().toLatin1();
    } else {
        h.status = o.value(u"status"_s).toInt();
        h.reason = o.value(u"reason"_s).toString().toLatin1();
    }
    h.version = o.value(u"version"_s).toString().toLatin1();
    h.headers = headersFrom(o.value(u"headers"_s));
    h.raw = o.value(u"raw"_s).toString().toLatin1();
    const QJsonArray problems = o.value(u"problems"_s).toArray();
    for (const QJsonValue& p : problems)
        h.problems.append(p.toString());
    if (o.contains(u"body"_s))
        h.body = o.value(u"body"_s).toString().toUtf8();
    else if (o.contains(u"body_base64"_s))
        h.body = QByteArray::fromBase64(o.value(u"body_base64"_s).toString().toLatin1());
    return h;
}

// A frame's or message's bytes: its "text" (UTF-8) or "base64" field, empty when it has neither.
// False when "base64" is not valid base64.
bool payloadField(const QJsonObject& o, QByteArray* payload)
{
    if (o.value(u"text"_s).isString()) {
        *payload = o.value(u"text"_s).toString().toUtf8();
    } else if (o.value(u"base64"_s).isString()) {
        auto decoded = QByteArray::fromBase64Encoding(
            o.value(u"base64"_s).toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded)
            return false;
        *payload = std::move(*decoded);
    }
    return true;
}

qint64 intField(const QJsonObject& o, QStringView name, qint64 fallback)
{
    const QJsonValue v = o.value(name);
    if (!v.isDouble())
        return fallback;
    const double d = v.toDouble();
    if (!std::isfinite(d) || d < -9e15 || d > 9e15)
        return fallback;
    return qint64(d);
}

LogEntry::Kind kindForOpcode(int opcode)
{
    switch (opcode) {
    case OpText:
        return LogEntry::Kind::Text;
    case OpPing:
        return LogEntry::Kind::Ping;
    case OpPong:
        return LogEntry::Kind::Pong;
    case OpClose:
        return LogEntry::Kind::Close;
    default:
        return LogEntry::Kind::Binary;
    }
}

quint16 closeCodeOf(const QByteArray& payload)
{
    return payload.size() >= 2 ? quint16((quint8(payload[0]) << 8) | quint8(payload[1])) : 0;
}

} // namespace

JsonlReader::JsonlReader(qsizetype maxLineBytes)
    : m_maxLineBytes(maxLineBytes)
{ }
JsonlReader::~JsonlReader() = default;

bool JsonlReader::looksLikeCapture(QByteArrayView head)
{
    const qsizetype nl = head.indexOf('\n');
    QByteArrayView first = (nl < 0 ? head : head.first(nl)).trimmed();
    if (!first.startsWith('{'))
        return false;
    if (nl >= 0) {
        const QJsonDocument doc = QJsonDocument::fromJson(first.toByteArray());
        return doc.isObject() && doc.object().value(u"event"_s).isString();
    }
    return first.contains("\"event\"") || first.startsWith("{\"time\"");
}

void JsonlReader::skip(const QString& why)
{
    if (m_lineCounted) { // the line looked valid, but a field of its event was not
        m_lineCounted = false;
        --m_validLines;
    }
    ++m_skippedLines;
    ++m_noticeCount;
    if (m_noticeCount <= kMaxNotices)
        m_chunk.notices.append(why);
    else if (m_noticeCount == kMaxNotices + 1)
        m_chunk.notices.append(tr("More lines were skipped; only the first %n are listed.", nullptr, int(kMaxNotices)));
}

void JsonlReader::feed(QByteArrayView bytes)
{
    while (!bytes.isEmpty()) {
        const qsizetype nl = bytes.indexOf('\n');
        if (nl >= 0 && m_partial.isEmpty() && !m_overlong && nl <= m_maxLineBytes) {
            // The whole line is in this block: parsed where it is, without a copy.
            ++m_line;
            parseLine(bytes.first(nl));
            bytes = bytes.sliced(nl + 1);
            continue;
        }
        const QByteArrayView piece = nl < 0 ? bytes : bytes.first(nl);
        if (!m_overlong) {
            if (m_partial.size() + piece.size() > m_maxLineBytes) {
                m_overlong = true;
                m_partial.clear();
                m_partial.squeeze();
            } else {
                m_partial.append(piece);
            }
        }
        if (nl < 0)
            return;
        bytes = bytes.sliced(nl + 1);
        ++m_line;
        if (m_overlong) {
            skip(tr("Line %1 is longer than %2 MiB (skipped).").arg(m_line).arg(double(m_maxLineBytes) / (1 << 20)));
            m_overlong = false;
        } else {
            parseLine(m_partial);
        }
        if (m_partial.capacity() > (1 << 20))
            m_partial.clear(); // let a long line's memory go
        else
            m_partial.resize(0);
    }
}

void JsonlReader::finish()
{
    if (m_overlong || !m_partial.trimmed().isEmpty()) {
        ++m_line;
        // A file without a final newline may still end with a whole line.
        const QJsonDocument doc = m_overlong ? QJsonDocument() : QJsonDocument::fromJson(m_partial);
        if (doc.isObject()) {
            parseLine(m_partial);
        } else {
            m_lastLineCut = true;
            skip(
                tr("The last line (line %1) is cut off, as when the recording was interrupted (skipped).").arg(m_line));
        }
    }
    m_partial.clear();
    m_overlong = false;
    // Messages whose last fragment never came are kept as far as they got.
    for (auto it = m_conns.begin(); it != m_conns.end(); ++it) {
        flushHeld(*it, it.key());
        for (Assembly& a : it->assembling) {
            if (a.active) {
                a.active = false;
                emitEntry(it.key(), std::move(a.entry));
            }
        }
    }
}

CaptureChunk JsonlReader::takeChunk()
{
    for (auto it = m_conns.begin(); it != m_conns.end(); ++it) {
        if (it->dirty) {
            it->dirty = false;
            m_chunk.connections.append(it->info);
        }
    }
    std::sort(m_chunk.connections.begin(), m_chunk.connections.end(),
        [](const CapturedConnection& a, const CapturedConnection& b) { return a.id < b.id; });
    CaptureChunk out = std::move(m_chunk);
    m_chunk = CaptureChunk();
    return out;
}

JsonlReader::Conn& JsonlReader::conn(int id, qint64 timeUs)
{
    auto it = m_conns.find(id);
    if (it == m_conns.end()) {
        it = m_conns.insert(id, Conn());
        it->info.id = id;
        it->info.startUs = timeUs;
        it->dirty = true;
    }
    return *it;
}

void JsonlReader::emitEntry(int conn, LogEntry&& entry)
{
    m_chunk.add(conn, std::move(entry));
}

void JsonlReader::flushHeld(Conn& c, int connId)
{
    Assembly& a = c.held[0];
    Assembly& b = c.held[1];
    if (a.active && b.active && b.entry.timeUs < a.entry.timeUs)
        std::swap(a, b);
    for (Assembly* h : { &a, &b }) {
        if (h->active) {
            h->active = false;
            emitEntry(connId, std::move(h->entry));
        }
    }
}

namespace {

// One field of a flat JSON object: strings already unescaped (in place, in the line's copy),
// numbers as their text so that times convert to microseconds exactly.
struct FlatField
{
    char type = 0; // 0 absent, 's' string, 'n' number, 't' true, 'f' false, 'z' null
    QByteArrayView raw; // string contents or the number's text
};

// The fields of frame and message lines the fast path reads.
enum FastKey : quint8 {
    KeyTime,
    KeyEvent,
    KeyConn,
    KeyDir,
    KeyFin,
    KeyRsv,
    KeyMasked,
    KeyMaskKey,
    KeyOpcode,
    KeyLength,
    KeyLengthBits,
    KeyText,
    KeyBase64,
    KeyOther,
    KeyCount = KeyOther,
};

// An exact comparison with a literal that the compiler turns into a few integer compares (the
// out-of-line QByteArrayView comparison showed up in profiles of the open benchmark).
template <qsizetype N> bool is(QByteArrayView v, const char (&literal)[N])
{
    return v.size() == N - 1 && std::memcmp(v.data(), literal, N - 1) == 0;
}

FastKey fastKey(QByteArrayView k)
{
    switch (k.size()) {
    case 3:
        return is(k, "dir") ? KeyDir : is(k, "fin") ? KeyFin : is(k, "rsv") ? KeyRsv : KeyOther;
    case 4:
        return is(k, "time") ? KeyTime : is(k, "conn") ? KeyConn : is(k, "text") ? KeyText : KeyOther;
    case 5:
        return is(k, "event") ? KeyEvent : KeyOther;
    case 6:
        return is(k, "masked") ? KeyMasked
            : is(k, "opcode")  ? KeyOpcode
            : is(k, "length")  ? KeyLength
            : is(k, "base64")  ? KeyBase64
                               : KeyOther;
    case 8:
        return is(k, "mask_key") ? KeyMaskKey : KeyOther;
    case 11:
        return is(k, "length_bits") ? KeyLengthBits : KeyOther;
    default:
        return KeyOther;
    }
}

// rapidjson's events for one line: a single object of strings, numbers, true, false and null.
// Anything else (arrays such as "violations", nested objects, a key twice) is left to the full
// parser by returning false.
struct FlatHandler : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, FlatHandler>
{
    std::array<FlatField, KeyCount> fields;
    FastKey key = KeyOther;
    int depth = 0;

    bool set(char type, const char* s, rapidjson::SizeType n)
    {
        if (key == KeyOther)
            return true;
        FlatField& f = fields[key];
        if (f.type != 0)
            return false;
        f.type = type;
        f.raw = QByteArrayView(s, qsizetype(n));
        return true;
    }
    bool Default() { return false; }
    bool Null() { return set('z', nullptr, 0); }
    bool Bool(bool b) { return set(b ? 't' : 'f', nullptr, 0); }
    bool RawNumber(const char* s, rapidjson::SizeType n, bool) { return set('n', s, n); }
    bool String(const char* s, rapidjson::SizeType n, bool) { return set('s', s, n); }
    bool Key(const char* s, rapidjson::SizeType n, bool)
    {
        key = fastKey(QByteArrayView(s, qsizetype(n)));
        return true;
    }
    bool StartObject() { return depth++ == 0; }
    bool EndObject(rapidjson::SizeType) { return true; }
    const FlatField* get(FastKey k) const { return fields[k].type ? &fields[k] : nullptr; }
};

// rapidjson writes a lone \uDC00-\uDFFF escape as the bytes ED B0-BF xx, where QJsonDocument
// would not: such text is left to the full parser. (Raw surrogate bytes fail the UTF-8 check
// before, a lone high surrogate fails rapidjson's parse.)
bool hasEncodedSurrogate(QByteArrayView text)
{
    const char* p = text.data();
    const char* const end = p + text.size();
    while ((p = static_cast<const char*>(std::memchr(p, '\xED', size_t(end - p)))) && end - p >= 2) {
        if ((uchar(p[1]) & 0xE0) == 0xA0)
            return true;
        ++p;
    }
    return false;
}

bool integerOf(const FlatField* f, qint64* value)
{
    if (!f || f->type != 'n' || f->raw.isEmpty() || f->raw.size() > 15)
        return false;
    qint64 v = 0;
    for (char c : f->raw) {
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    *value = v;
    return true;
}

// "1764131276.873942" -> microseconds, exactly; false for any other spelling.
bool timeOf(const FlatField* f, qint64* us)
{
    if (!f || f->type != 'n')
        return false;
    const qsizetype dot = f->raw.indexOf('.');
    if (dot <= 0 || dot > 11 || f->raw.size() - dot - 1 != 6)
        return false;
    qint64 seconds = 0;
    qint64 micros = 0;
    for (qsizetype k = 0; k < dot; ++k) {
        if (f->raw[k] < '0' || f->raw[k] > '9')
            return false;
        seconds = seconds * 10 + (f->raw[k] - '0');
    }
    for (qsizetype k = dot + 1; k < f->raw.size(); ++k) {
        if (f->raw[k] < '0' || f->raw[k] > '9')
            return false;
        micros = micros * 10 + (f->raw[k] - '0');
    }
    *us = seconds * 1000000 + micros;
    return true;
}

} // namespace

bool JsonlReader::fastFrame(QByteArrayView line)
{
    // Only the recorder's frame and message lines, in valid UTF-8 (the full parser judges the rest).
    if (!line.isValidUtf8())
        return false;
    // Parsed in place in a reused copy; SSE2 scanning may read up to 15 bytes past the end.
    m_scratch.resize(line.size() + 16);
    std::memcpy(m_scratch.data(), line.data(), size_t(line.size()));
    std::memset(m_scratch.data() + line.size(), 0, 16);
    FlatHandler h;
    rapidjson::InsituStringStream in(m_scratch.data());
    if (!m_parser)
        m_parser = std::make_unique<rapidjson::Reader>(); // kept: its stack is allocated once
    if (m_parser->Parse<rapidjson::kParseInsituFlag | rapidjson::kParseNumbersAsStringsFlag>(in, h).IsError())
        return false;
    const FlatField* event = h.get(KeyEvent);
    if (!event || event->type != 's' || (!is(event->raw, "frame") && !is(event->raw, "message")))
        return false;
    const bool isMessage = is(event->raw, "message");
    qint64 timeUs = 0;
    qint64 connId = 0;
    qint64 opcode = 0;
    if (!timeOf(h.get(KeyTime), &timeUs) || !integerOf(h.get(KeyConn), &connId)
        || connId > std::numeric_limits<int>::max() || !integerOf(h.get(KeyOpcode), &opcode) || opcode > 15)
        return false;
    const FlatField* dirField = h.get(KeyDir);
    if (!dirField || dirField->type != 's' || (!is(dirField->raw, "send") && !is(dirField->raw, "receive")))
        return false;
    QByteArray payload;
    const FlatField* text = h.get(KeyText);
    const FlatField* b64 = h.get(KeyBase64);
    if (text && text->type == 's') {
        if (hasEncodedSurrogate(text->raw))
            return false;
        payload = text->raw.toByteArray();
    } else if (b64 && b64->type == 's') {
        auto decoded = QByteArray::fromBase64Encoding(b64->raw.toByteArray(), QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded)
            return false;
        payload = std::move(*decoded);
    } else if (text || b64) {
        return false;
    }
    const Direction dir = is(dirField->raw, "send") ? Direction::Send : Direction::Receive;
    if (isMessage) {
        ++m_validLines;
        m_lineCounted = true;
        addMessage(conn(int(connId), timeUs), int(connId), dir,
            opcode == OpText ? LogEntry::Kind::Text : LogEntry::Kind::Binary, std::move(payload), timeUs);
        m_lineCounted = false;
        return true;
    }
    FrameInfo f;
    f.timeUs = timeUs;
    f.opcode = quint8(opcode);
    const FlatField* fin = h.get(KeyFin);
    f.fin = !fin || fin->type != 'f';
    if (fin && fin->type != 't' && fin->type != 'f')
        return false; // whatever QJsonValue::toBool makes of it
    qint64 rsv = 0;
    if (const FlatField* r = h.get(KeyRsv); r && !integerOf(r, &rsv))
        return false;
    f.rsv = quint8(std::min<qint64>(rsv, 7));
    const FlatField* masked = h.get(KeyMasked);
    f.masked = masked && masked->type == 't';
    if (const FlatField* key = h.get(KeyMaskKey); key && key->type == 's') {
        bool ok = false;
        f.maskKey = key->raw.toByteArray().toUInt(&ok, 16);
        if (!ok)
            f.maskKey = 0;
    }
    qint64 length = payload.size();
    if (const FlatField* l = h.get(KeyLength); l && !integerOf(l, &length))
        return false;
    f.length = quint64(length);
    qint64 bits = 7;
    if (const FlatField* b = h.get(KeyLengthBits); b && !integerOf(b, &bits))
        return false;
    f.lengthBytes = bits == 64 ? 8 : bits == 16 ? 2 : 0;
    ++m_validLines;
    m_lineCounted = true;
    Conn& c = conn(int(connId), timeUs);
    addFrame(c, int(connId), dir, std::move(f), std::move(payload), timeUs);
    m_lineCounted = false;
    return true;
}

void JsonlReader::parseLine(QByteArrayView line)
{
    if (line.trimmed().isEmpty())
        return;
    if (fastFrame(line))
        return;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(line.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError) {
        skip(tr("Line %1 is not valid JSON (%2 at byte %3; skipped).")
                 .arg(m_line)
                 .arg(error.errorString())
                 .arg(error.offset + 1));
        return;
    }
    if (!doc.isObject()) {
        skip(tr("Line %1 is not a JSON object (skipped).").arg(m_line));
        return;
    }
    const QJsonObject o = doc.object();
    const QJsonValue time = o.value(u"time"_s);
    const QJsonValue event = o.value(u"event"_s);
    if (!event.isString()) {
        skip(tr("Line %1 has no \"event\" string (skipped).").arg(m_line));
        return;
    }
    if (!time.isDouble() || !std::isfinite(time.toDouble()) || time.toDouble() < 0 || time.toDouble() > 1e11) {
        skip(tr("Line %1 has no valid \"time\" (Unix seconds) (skipped).").arg(m_line));
        return;
    }
    const qint64 conn = intField(o, u"conn", -1);
    if (conn < 0 || conn > std::numeric_limits<int>::max()) {
        skip(tr("Line %1 has no valid \"conn\" number (skipped).").arg(m_line));
        return;
    }
    if (!m_conns.contains(int(conn)) && m_conns.size() >= kMaxConnections) {
        // Each connection becomes a view of its own: a hostile file must not make millions.
        skip(tr("Line %1 starts connection %2, more than the %3 connections one file may hold (skipped).")
                 .arg(m_line)
                 .arg(conn)
                 .arg(kMaxConnections));
        return;
    }
    ++m_validLines;
    m_lineCounted = true;
    handle(o, std::llround(time.toDouble() * 1e6), int(conn));
    m_lineCounted = false;
}

void JsonlReader::handle(const QJsonObject& o, qint64 timeUs, int connId)
{
    const QString event = o.value(u"event"_s).toString();
    Conn& c = conn(connId, timeUs);
    if (event == u"message") {
        message(c, connId, o, timeUs);
        return;
    }
    if (event == u"frame") {
        frame(c, connId, o, timeUs);
        return;
    }
    flushHeld(c, connId);
    HandshakeInfo& hs = c.info.handshake;
    if (event == u"connecting") {
        c.info.url = QUrl(o.value(u"url"_s).toString());
        c.dirty = true;
        LogEntry e;
        e.timeUs = timeUs;
        e.kind = LogEntry::Kind::State;
        e.payload = tr("Connecting to %1").arg(c.info.url.toDisplayString()).toUtf8();
        emitEntry(connId, std::move(e));
    } else if (event == u"dns") {
        hs.timings.dnsUs = intField(o, u"duration_us", -1);
        c.dirty = true;
    } else if (event == u"tcp_connected") {
        hs.timings.tcpConnectUs = intField(o, u"duration_us", -1);
        c.dirty = true;
    } else if (event == u"tls_established") {
        hs.tls.protocol = o.value(u"protocol"_s).toString();
        hs.tls.cipher = o.value(u"cipher"_s).toString();
        hs.tls.verified = o.value(u"verified"_s).toBool();
        hs.tls.peerChainPem.clear();
        for (const QJsonValue& pem : o.value(u"peer_chain"_s).toArray())
            hs.tls.peerChainPem.append(pem.toString().toLatin1());
        hs.tls.verificationErrors.clear();
        for (const QJsonValue& err : o.value(u"errors"_s).toArray())
            hs.tls.verificationErrors.append(err.toString());
        hs.timings.tlsHandshakeUs = intField(o, u"duration_us", -1);
        c.dirty = true;
    } else if (event == u"request" || event == u"response") {
        const bool request = event == u"request";
        HttpHead head = headFrom(o, request);
        LogEntry e;
        e.timeUs = timeUs;
        e.kind = LogEntry::Kind::Handshake;
        e.dir = request ? Direction::Send : Direction::Receive;
        e.payload = head.raw;
        if (request) {
            hs.request = std::move(head);
        } else {
            hs.response = std::move(head);
            hs.timings.upgradeUs = intField(o, u"upgrade_us", -1);
            hs.expectedAccept = o.value(u"expected_accept"_s).toString().toLatin1();
        }
        c.dirty = true;
        emitEntry(connId, std::move(e));
    } else if (event == u"closed") {
        LogEntry e;
        e.timeUs = timeUs;
        e.kind = LogEntry::Kind::State;
        e.closeCode = quint16(std::clamp<qint64>(intField(o, u"code", 0), 0, 65535));
        QString text = o.value(u"description"_s).toString();
        if (text.isEmpty())
            text = tr("Closed with code %1").arg(e.closeCode);
        e.payload = text.toUtf8();
        emitEntry(connId, std::move(e));
    } else if (event == u"error") {
        LogEntry e;
        e.timeUs = timeUs;
        e.kind = LogEntry::Kind::Error;
        e.payload = o.value(u"message"_s).toString().toUtf8();
        emitEntry(connId, std::move(e));
    }
    // Other events (added by later versions) are ignored, as the format promises.
}

void JsonlReader::frame(Conn& c, int connId, const QJsonObject& o, qint64 timeUs)
{
    const QString dirText = o.value(u"dir"_s).toString();
    if (dirText != u"send" && dirText != u"receive") {
        skip(tr("Line %1: frame without \"dir\" send or receive (skipped).").arg(m_line));
        return;
    }
    const Direction dir = dirText == u"send" ? Direction::Send : Direction::Receive;
    const qint64 opcode = intField(o, u"opcode", -1);
    if (opcode < 0 || opcode > 15) {
        skip(tr("Line %1: frame without a valid \"opcode\" (0-15) (skipped).").arg(m_line));
        return;
    }
    QByteArray payload;
    if (!payloadField(o, &payload)) {
        skip(tr("Line %1: frame \"base64\" is not valid base64 (skipped).").arg(m_line));
        return;
    }
    FrameInfo f;
    f.timeUs = timeUs;
    f.opcode = quint8(opcode);
    f.fin = o.value(u"fin"_s).toBool(true);
    f.rsv = quint8(std::clamp<qint64>(intField(o, u"rsv", 0), 0, 7));
    f.masked = o.value(u"masked"_s).toBool(false);
    bool okKey = false;
    f.maskKey = o.value(u"mask_key"_s).toString().toUInt(&okKey, 16);
    if (!okKey)
        f.maskKey = 0;
    f.length = quint64(std::max<qint64>(0, intField(o, u"length", payload.size())));
    const qint64 bits = intField(o, u"length_bits", 7);
    f.lengthBytes = bits == 64 ? 8 : bits == 16 ? 2 : 0;
    for (const QJsonValue& v : o.value(u"violations"_s).toArray())
        f.violations.append(v.toString());
    addFrame(c, connId, dir, std::move(f), std::move(payload), timeUs);
}

void JsonlReader::addFrame(Conn& c, int connId, Direction dir, FrameInfo&& f, QByteArray&& payload, qint64 timeUs)
{
    if (f.isControl()) {
        flushHeld(c, connId);
        LogEntry e;
        e.timeUs = timeUs;
        e.kind = kindForOpcode(f.opcode);
        e.dir = dir;
        if (e.kind == LogEntry::Kind::Close)
            e.closeCode = closeCodeOf(payload);
        e.payload = std::move(payload);
        e.frames.append(std::move(f));
        emitEntry(connId, std::move(e));
        return;
    }

    const int d = dirIndex(dir);
    Assembly& a = c.assembling[d];
    if (f.opcode != OpContinuation || !a.active) {
        flushHeld(c, connId);
        if (a.active) // a new message began before the last one finished: keep what came
            emitEntry(connId, std::move(a.entry));
        a = Assembly();
        a.active = true;
        a.entry.timeUs = timeUs;
        a.entry.dir = dir;
        a.entry.kind = f.opcode == OpContinuation ? LogEntry::Kind::Binary : kindForOpcode(f.opcode);
    }
    if (a.entry.payload.size() + payload.size() > kMaxMessageBytes) {
        skip(tr("Line %1: the message grows beyond %2 MiB; the rest of its payload is dropped.")
                 .arg(m_line)
                 .arg(kMaxMessageBytes >> 20));
        payload.clear();
    }
    f.payloadOffset = quint64(a.entry.payload.size());
    a.entry.payload.append(payload);
    const bool fin = f.fin;
    a.entry.frames.append(std::move(f));
    if (fin) {
        a.active = false;
        // Held until the next line: a `message` event may follow with the decompressed payload.
        flushHeld(c, connId);
        c.held[d] = std::move(a);
        c.held[d].active = true;
        a = Assembly();
    }
}

void JsonlReader::message(Conn& c, int connId, const QJsonObject& o, qint64 timeUs)
{
    const QString dirText = o.value(u"dir"_s).toString();
    if (dirText != u"send" && dirText != u"receive") {
        skip(tr("Line %1: message without \"dir\" send or receive (skipped).").arg(m_line));
        return;
    }
    const Direction dir = dirText == u"send" ? Direction::Send : Direction::Receive;
    QByteArray payload;
    if (!payloadField(o, &payload)) {
        skip(tr("Line %1: message \"base64\" is not valid base64 (skipped).").arg(m_line));
        return;
    }
    const qint64 opcode = intField(o, u"opcode", OpBinary);
    addMessage(
        c, connId, dir, opcode == OpText ? LogEntry::Kind::Text : LogEntry::Kind::Binary, std::move(payload), timeUs);
}

void JsonlReader::addMessage(
    Conn& c, int connId, Direction dir, LogEntry::Kind kind, QByteArray&& payload, qint64 timeUs)
{
    const int d = dirIndex(dir);
    if (c.held[d].active) { // the frames came first: the message event gives the real payload
        Assembly& h = c.held[d];
        if (h.entry.isCompressed()) // the frames' bytes stay as the wire payload (Frames view)
            h.entry.wirePayload = std::move(h.entry.payload);
        h.entry.payload = std::move(payload);
        h.entry.kind = kind;
        h.active = false;
        emitEntry(connId, std::move(h.entry));
        flushHeld(c, connId);
        return;
    }
    // A message without frames before it (an export of a HAR file, or a relay that saw none).
    flushHeld(c, connId);
    LogEntry e;
    e.timeUs = timeUs;
    e.dir = dir;
    e.kind = kind;
    e.payload = std::move(payload);
    emitEntry(connId, std::move(e));
}

} // namespace wsi
