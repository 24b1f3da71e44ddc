#include "harreader.h"

#include "capture/jsonlreader.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QIODevice>
#include <QVarLengthArray>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

#include <cmath>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {

constexpr QByteArrayView kAcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
// One JSON value at a time: the walk between values is ours, so that it can stop after any of them.
constexpr unsigned kParseFlags = rapidjson::kParseStopWhenDoneFlag | rapidjson::kParseIterativeFlag;
// Values one field of an entry (request, response, timings) may hold.
constexpr qint64 kMaxFieldValues = 100000;

using Reader = rapidjson::GenericReader<rapidjson::UTF8<>, rapidjson::UTF8<>>;
using Value = rapidjson::Value;

// Skips one value, holding nothing but its nesting.
struct SkipHandler : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, SkipHandler>
{
    int depth = 0;
    bool tooDeep = false;
    bool StartObject() { return enter(); }
    bool StartArray() { return enter(); }
    bool EndObject(rapidjson::SizeType) { return --depth, true; }
    bool EndArray(rapidjson::SizeType) { return --depth, true; }
    bool enter()
    {
        tooDeep = ++depth > HarReader::kMaxDepth;
        return !tooDeep;
    }
};

// An object's key, which must be a string.
struct KeyHandler : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, KeyHandler>
{
    QByteArray key;
    bool Default() { return false; }
    bool String(const char* s, rapidjson::SizeType n, bool)
    {
        key = QByteArray(s, std::min<qsizetype>(n, 256)); // no key we look for is longer
        return true;
    }
};

// Builds a small DOM of one field of an entry, within kMaxDepth and kMaxFieldValues.
struct DomHandler
{
    rapidjson::Document& d;
    int depth = 0;
    qint64 values = 0;
    bool tooDeep = false;
    bool tooMany = false;
    bool count()
    {
        tooMany = ++values > kMaxFieldValues;
        return !tooMany;
    }
    bool Null() { return count() && d.Null(); }
    bool Bool(bool b) { return count() && d.Bool(b); }
    bool Int(int i) { return count() && d.Int(i); }
    bool Uint(unsigned i) { return count() && d.Uint(i); }
    bool Int64(int64_t i) { return count() && d.Int64(i); }
    bool Uint64(uint64_t i) { return count() && d.Uint64(i); }
    bool Double(double v) { return count() && d.Double(v); }
    bool RawNumber(const char* s, rapidjson::SizeType n, bool copy) { return count() && d.String(s, n, copy); }
    bool String(const char* s, rapidjson::SizeType n, bool copy) { return count() && d.String(s, n, copy); }
    bool Key(const char* s, rapidjson::SizeType n, bool copy) { return d.Key(s, n, copy); }
    bool StartObject() { return enter() && d.StartObject(); }
    bool StartArray() { return enter() && d.StartArray(); }
    bool EndObject(rapidjson::SizeType n) { return --depth, d.EndObject(n); }
    bool EndArray(rapidjson::SizeType n) { return --depth, d.EndArray(n); }
    bool enter()
    {
        tooDeep = ++depth > HarReader::kMaxDepth;
        return !tooDeep && count();
    }
};

// The fields of one _webSocketMessages item, read straight from the parser's events.
struct MessageFields
{
    enum class Data { Absent, String, Null, Other };
    bool isObject = false;
    QByteArray type;
    bool hasTime = false;
    double time = 0;
    bool hasOpcode = false;
    double opcode = 0;
    Data dataKind = Data::Absent;
    QByteArray data;
    QByteArray encoding;
};

struct MessageHandler : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, MessageHandler>
{
    enum class Field { Other, Type, Time, Opcode, Data, Encoding };
    MessageFields& f;
    int depth = 0;
    bool tooDeep = false;
    Field field = Field::Other;

    explicit MessageHandler(MessageFields& fields)
        : f(fields)
    { }
    bool Default() // true, false
    {
        if (depth == 1 && field == Field::Data)
            f.dataKind = MessageFields::Data::Other;
        return true;
    }
    bool Null()
    {
        if (depth == 1 && field == Field::Data)
            f.dataKind = MessageFields::Data::Null;
        return true;
    }
    bool number(double v)
    {
        if (depth != 1)
            return true;
        if (field == Field::Time) {
            f.hasTime = true;
            f.time = v;
        } else if (field == Field::Opcode) {
            f.hasOpcode = true;
            f.opcode = v;
        } else if (field == Field::Data) {
            f.dataKind = MessageFields::Data::Other;
        }
        return true;
    }
    bool Int(int i) { return number(i); }
    bool Uint(unsigned i) { return number(i); }
    bool Int64(int64_t i) { return number(double(i)); }
    bool Uint64(uint64_t i) { return number(double(i)); }
    bool Double(double v) { return number(v); }
    bool String(const char* s, rapidjson::SizeType n, bool)
    {
        if (depth != 1)
            return true;
        if (field == Field::Data) {
            f.data = QByteArray(s, n);
            f.dataKind = MessageFields::Data::String;
        } else if (field == Field::Type) {
            f.type = QByteArray(s, std::min<qsizetype>(n, 64));
        } else if (field == Field::Encoding) {
            f.encoding = QByteArray(s, std::min<qsizetype>(n, 64));
        }
        return true;
    }
    bool Key(const char* s, rapidjson::SizeType n, bool)
    {
        if (depth == 1) {
            const QByteArrayView k(s, n);
            field = k == "data"       ? Field::Data
                : k == "type"         ? Field::Type
                : k == "time"         ? Field::Time
                : k == "opcode"       ? Field::Opcode
                : k == "_wsiEncoding" ? Field::Encoding
                                      : Field::Other;
        }
        return true;
    }
    bool StartObject()
    {
        if (depth == 0)
            f.isObject = true;
        return enter();
    }
    bool StartArray() { return enter(); }
    bool EndObject(rapidjson::SizeType) { return --depth, true; }
    bool EndArray(rapidjson::SizeType) { return --depth, true; }
    bool enter()
    {
        if (depth == 1 && field == Field::Data)
            f.dataKind = MessageFields::Data::Other;
        tooDeep = ++depth > HarReader::kMaxDepth;
        return !tooDeep;
    }
};

const Value* member(const Value& o, const char* name)
{
    if (!o.IsObject())
        return nullptr;
    const auto it = o.FindMember(name);
    return it == o.MemberEnd() ? nullptr : &it->value;
}

QString stringOf(const Value* v, const QString& fallback = {})
{
    return v && v->IsString() ? QString::fromUtf8(v->GetString(), qsizetype(v->GetStringLength())) : fallback;
}

HttpHeaders headersFrom(const Value* v)
{
    HttpHeaders out;
    if (!v || !v->IsArray())
        return out;
    for (const Value& h : v->GetArray()) {
        const Value* name = member(h, "name");
        if (name && name->IsString())
            out.append({ stringOf(name).toLatin1(), stringOf(member(h, "value")).toLatin1() });
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

qint64 msToUs(const Value* v)
{
    if (!v || !v->IsNumber())
        return -1;
    const double d = v->GetDouble();
    if (!std::isfinite(d) || d < 0 || d > 1e12)
        return -1;
    return std::llround(d * 1000);
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

enum class Where : quint8 { Root, Log, Entries, Entry, Messages };

} // namespace

// The file as rapidjson's input stream: blocks read on demand, the position, and two guards it
// alone can keep because every byte passes through it. It follows the JSON string syntax over
// the bytes consumed (a few operations per byte, outside rapidjson's per-character path), so a
// string that grows past the limit is cut: the rest up to its closing quote is skipped unread
// and rapidjson sees a shorter string. And it checks the cancel flag at every block.
class HarReader::Stream
{
public:
    using Ch = char;
    static constexpr qsizetype kBlockBytes = 64 * 1024;

    explicit Stream(QIODevice* in)
        : m_in(in)
        , m_buffer(kBlockBytes, Qt::Uninitialized)
    {
        m_begin = m_p = m_end = m_bufferEnd = m_scanned = m_buffer.constData();
    }

    char Peek() { return m_p < m_end ? *m_p : slowPeek(); }
    char Take()
    {
        if (m_p < m_end)
            return *m_p++;
        const char c = slowPeek();
        if (m_p < m_end)
            ++m_p;
        return c;
    }
    size_t Tell() const { return size_t(position(m_p)); }
    // Only for in-situ parsing, which is not used.
    char* PutBegin() { return nullptr; }
    void Put(char) { }
    void Flush() { }
    size_t PutEnd(char*) { return 0; }

    void skipWhitespace()
    {
        for (char c = Peek(); c == ' ' || c == '\n' || c == '\r' || c == '\t'; c = Peek())
            Take();
    }
    void setStringLimit(qint64 bytes) { m_limit = bytes; }
    void setCancelFlag(const std::atomic<bool>* cancel) { m_cancel = cancel; }
    bool takeCut() { return std::exchange(m_cut, false); }
    bool atEnd() const { return m_eof && m_p == m_bufferEnd; }
    bool cancelled() const { return m_cancelled; }
    bool readError() const { return m_readError; }

private:
    qint64 position(const char* at) const { return m_base + (at - m_begin); }

    char slowPeek()
    {
        scan(m_scanned, m_p);
        m_scanned = m_p;
        if (m_p == m_bufferEnd && !refill())
            return '\0';
        if (m_limit > 0 && m_inString && position(m_p) - m_stringStart > m_limit) {
            if (m_escape == 0 && !m_needLowSurrogate) {
                m_cut = true;
                if (!skipToStringEnd())
                    return '\0';
            } else { // inside an escape: let it finish, a byte at a time
                m_end = m_p + 1;
                return *m_p;
            }
        }
        qint64 room = std::min<qint64>(m_bufferEnd - m_p, kWindow);
        if (m_limit > 0 && m_inString) // stop at the limit to cut there
            room = std::min(room, m_stringStart + m_limit + 1 - position(m_p));
        m_end = m_p + std::max<qint64>(room, 1);
        return *m_p;
    }

    bool refill()
    {
        if (m_cancel && m_cancel->load(std::memory_order_relaxed)) {
            m_cancelled = true;
            return false;
        }
        if (m_eof)
            return false;
        m_base += m_bufferEnd - m_begin;
        const qint64 n = m_in->read(m_buffer.data(), m_buffer.size());
        m_begin = m_p = m_scanned = m_buffer.constData();
        m_end = m_bufferEnd = m_begin + std::max<qint64>(n, 0);
        if (n <= 0) {
            m_eof = true;
            m_readError = n < 0;
            return false;
        }
        return true;
    }

    // Follows the string syntax over [from, to); returns where a string closes when stopAtClose
    // (the closing quote itself not taken), else to.
    const char* scan(const char* from, const char* to, bool stopAtClose = false)
    {
        for (const char* q = from; q < to; ++q) {
            const char c = *q;
            if (!m_inString) {
                if (c == '"') {
                    m_inString = true;
                    m_stringStart = position(q);
                    m_needLowSurrogate = false;
                }
            } else if (m_escape == 0) {
                if (c == '"') {
                    if (stopAtClose)
                        return q;
                    m_inString = false;
                } else if (c == '\\') {
                    m_escape = 1;
                } else {
                    m_needLowSurrogate = false;
                }
            } else if (m_escape == 1) {
                m_escape = c == 'u' ? 5 : 0;
                m_hex = 0;
                if (c != 'u')
                    m_needLowSurrogate = false;
            } else {
                const int v = c >= '0' && c <= '9' ? c - '0'
                    : c >= 'a' && c <= 'f'         ? c - 'a' + 10
                    : c >= 'A' && c <= 'F'         ? c - 'A' + 10
                                                   : 0;
                m_hex = m_hex * 16 + v;
                if (--m_escape == 1) {
                    m_escape = 0;
                    m_needLowSurrogate = m_hex >= 0xD800 && m_hex <= 0xDBFF;
                }
            }
        }
        return to;
    }

    // From a point inside a string to its closing quote, reading blocks as needed.
    bool skipToStringEnd()
    {
        while (true) {
            const char* close = scan(m_p, m_bufferEnd, true);
            if (close < m_bufferEnd) {
                m_p = m_scanned = close;
                return true;
            }
            m_p = m_scanned = m_bufferEnd;
            if (!refill())
                return false;
        }
    }

    static constexpr qsizetype kWindow = 16 * 1024; // bytes between two looks at the string syntax

    QIODevice* m_in;
    QByteArray m_buffer;
    const char* m_begin; // m_buffer's data
    const char* m_p; // the next byte
    const char* m_end; // the end of what Peek may hand out without a look
    const char* m_bufferEnd;
    const char* m_scanned; // the string syntax is known up to here
    qint64 m_base = 0; // the file position of m_begin
    const std::atomic<bool>* m_cancel = nullptr;
    qint64 m_limit = 0;
    qint64 m_stringStart = 0;
    int m_escape = 0; // 0 none, 1 after a backslash, 5..2 hex digits of \uXXXX to come
    int m_hex = 0;
    bool m_inString = false;
    bool m_needLowSurrogate = false;
    bool m_cut = false;
    bool m_eof = false;
    bool m_readError = false;
    bool m_cancelled = false;
};

struct HarReader::State
{
    std::unique_ptr<Reader> reader = std::make_unique<Reader>();
    QVarLengthArray<std::pair<Where, bool>, 8> levels; // where the walk is, and whether no item came yet
};

struct HarReader::Entry
{
    int id = 0; // connection id once it is known to be a WebSocket entry
    bool beyondCap = false;
    bool handshakeEmitted = false;
    rapidjson::Document request;
    rapidjson::Document response;
    rapidjson::Document timings;
    QString resourceType;
    QString serverIp;
    QString started;
    double wsiStartUs = -1;
    CapturedConnection connection;
    LogBatch held; // messages waiting for the handshake rows
    qint64 lastUs = 0;
    qint64 messageIndex = 0;
    bool headsKnown() const { return request.IsObject() && response.IsObject(); }
};

HarReader::HarReader(QIODevice* in, qint64 maxStringBytes)
    : m_stream(std::make_unique<Stream>(in))
    , m_state(std::make_unique<State>())
    , m_maxStringBytes(maxStringBytes)
{ }

HarReader::~HarReader() = default;

void HarReader::setCancelFlag(std::shared_ptr<const std::atomic<bool>> cancel)
{
    m_cancel = std::move(cancel);
    m_stream->setCancelFlag(m_cancel.get());
}

qint64 HarReader::bytesRead() const
{
    return qint64(m_stream->Tell());
}

CaptureChunk HarReader::takeChunk()
{
    CaptureChunk out = std::move(m_chunk);
    m_chunk = CaptureChunk();
    return out;
}

void HarReader::notice(const QString& text)
{
    ++m_noticeCount;
    if (m_noticeCount <= JsonlReader::kMaxNotices)
        m_chunk.notices.append(text);
    else if (m_noticeCount == JsonlReader::kMaxNotices + 1)
        m_chunk.notices.append(
            tr("More messages were skipped; only the first %n are listed.", nullptr, int(JsonlReader::kMaxNotices)));
}

bool HarReader::step(qint64 budgetBytes)
{
    const qint64 target = bytesRead() + budgetBytes;
    while (!m_finished && bytesRead() < target) {
        if (m_cancel && m_cancel->load(std::memory_order_relaxed)) {
            m_cancelled = true;
            m_finished = true;
            break;
        }
        stepOnce();
    }
    return !m_finished;
}

bool HarReader::stepOnce()
{
    Stream& s = *m_stream;
    auto& levels = m_state->levels;
    if (!m_started) {
        m_started = true;
        s.skipWhitespace();
        if (s.Peek() != '{') {
            fail(tr("a HAR file starts with \"{\""));
            return false;
        }
        s.Take();
        levels.append({ Where::Root, true });
        return true;
    }
    if (levels.isEmpty()) {
        finish();
        return false;
    }
    const Where where = levels.last().first;
    const bool first = levels.last().second;
    const bool array = where == Where::Entries || where == Where::Messages;
    s.skipWhitespace();
    char c = s.Peek();
    if (c == '\0') {
        fail(tr("unexpected end"));
        return false;
    }
    if (c == (array ? ']' : '}')) {
        s.Take();
        levels.removeLast();
        if (where == Where::Entry)
            finishEntry();
        return true;
    }
    if (!first) {
        if (c != ',') {
            fail(array ? tr("\",\" or \"]\" expected") : tr("\",\" or \"}\" expected"));
            return false;
        }
        s.Take();
        s.skipWhitespace();
        c = s.Peek();
    }
    levels.last().second = false;
    if (where == Where::Entries) {
        ++m_entryIndex;
        if (c == '{') {
            s.Take();
            beginEntry();
            levels.append({ Where::Entry, true });
            return true;
        }
        notice(tr("HAR entry %1 is not a JSON object (skipped).").arg(m_entryIndex));
        return skipValue();
    }
    if (where == Where::Messages) {
        readMessage();
        return !m_finished;
    }
    QByteArray key;
    if (!parseKey(&key))
        return false;
    s.skipWhitespace();
    if (s.Peek() != ':') {
        fail(tr("\":\" expected"));
        return false;
    }
    s.Take();
    s.skipWhitespace();
    c = s.Peek();
    switch (where) {
    case Where::Root:
        if (key == "log" && c == '{') {
            s.Take();
            levels.append({ Where::Log, true });
            return true;
        }
        return skipValue();
    case Where::Log:
        if (key == "entries" && c == '[') {
            s.Take();
            m_sawEntries = true;
            levels.append({ Where::Entries, true });
            return true;
        }
        return skipValue();
    case Where::Entry:
        if (key == "_webSocketMessages" && c == '[') {
            s.Take();
            ensureConnection();
            levels.append({ Where::Messages, true });
            return true;
        }
        entryField(key);
        return !m_finished;
    case Where::Entries:
    case Where::Messages:
        break;
    }
    return true;
}

bool HarReader::parseKey(QByteArray* key)
{
    if (m_stream->Peek() != '"') {
        fail(tr("a key in quotes expected"));
        return false;
    }
    m_stream->setStringLimit(std::min(kMaxFieldStringBytes, m_maxStringBytes));
    KeyHandler handler;
    const rapidjson::ParseResult r = m_state->reader->Parse<kParseFlags>(*m_stream, handler);
    m_stream->takeCut();
    if (r.IsError()) {
        fail(QString::fromUtf8(rapidjson::GetParseError_En(r.Code())), qint64(r.Offset()));
        return false;
    }
    *key = std::move(handler.key);
    return true;
}

bool HarReader::skipValue()
{
    m_stream->setStringLimit(std::min(kMaxFieldStringBytes, m_maxStringBytes));
    SkipHandler handler;
    const rapidjson::ParseResult r = m_state->reader->Parse<kParseFlags>(*m_stream, handler);
    m_stream->takeCut();
    if (r.IsError()) {
        fail(handler.tooDeep ? tr("nested deeper than %1 levels").arg(kMaxDepth)
                             : QString::fromUtf8(rapidjson::GetParseError_En(r.Code())),
            qint64(r.Offset()));
        return false;
    }
    return true;
}

void HarReader::beginEntry()
{
    m_entry = std::make_unique<Entry>();
}

void HarReader::entryField(const QByteArray& key)
{
    Entry& e = *m_entry;
    rapidjson::Document* target = key == "request" ? &e.request
        : key == "response"                        ? &e.response
        : key == "timings"                         ? &e.timings
                                                   : nullptr;
    rapidjson::Document scalar;
    if (!target) {
        if (key != "_resourceType" && key != "serverIPAddress" && key != "startedDateTime" && key != "_wsiStartUs") {
            skipValue();
            return;
        }
        target = &scalar;
    }
    m_stream->setStringLimit(std::min(kMaxFieldStringBytes, m_maxStringBytes));
    rapidjson::ParseResult result;
    bool tooDeep = false;
    bool tooMany = false;
    auto generate = [&](rapidjson::Document& d) {
        DomHandler handler { d };
        result = m_state->reader->Parse<kParseFlags>(*m_stream, handler);
        tooDeep = handler.tooDeep;
        tooMany = handler.tooMany;
        return !result.IsError();
    };
    target->Populate(generate);
    m_stream->takeCut();
    if (result.IsError()) {
        fail(tooDeep      ? tr("nested deeper than %1 levels").arg(kMaxDepth)
                : tooMany ? tr("\"%1\" holds more than %2 values").arg(QString::fromLatin1(key)).arg(kMaxFieldValues)
                          : QString::fromUtf8(rapidjson::GetParseError_En(result.Code())),
            qint64(result.Offset()));
        return;
    }
    if (target == &scalar) {
        if (key == "_resourceType")
            e.resourceType = stringOf(&scalar);
        else if (key == "serverIPAddress")
            e.serverIp = stringOf(&scalar);
        else if (key == "startedDateTime")
            e.started = stringOf(&scalar);
        else if (key == "_wsiStartUs" && scalar.IsNumber())
            e.wsiStartUs = scalar.GetDouble();
    }
    if (e.id && !e.handshakeEmitted && e.headsKnown()) {
        emitConnection();
        emitHandshake();
        flushHeld();
    }
}

// The entry as a connection, from the fields read so far.
void HarReader::emitConnection()
{
    Entry& e = *m_entry;
    CapturedConnection& c = e.connection;
    c.id = e.id;
    const QString urlText = stringOf(member(e.request, "url"));
    c.url = websocketUrl(urlText);
    c.serverIp = e.serverIp;
    const QDateTime started = QDateTime::fromString(e.started, Qt::ISODateWithMs);
    c.startUs = started.isValid() ? started.toMSecsSinceEpoch() * 1000 : 0;
    if (std::isfinite(e.wsiStartUs) && e.wsiStartUs >= 0 && e.wsiStartUs <= 9e15) // our own writer's microseconds
        c.startUs = qint64(e.wsiStartUs);

    HandshakeInfo& hs = c.handshake;
    hs = HandshakeInfo();
    HttpHead& req = hs.request;
    req.isRequest = true;
    req.method = stringOf(member(e.request, "method"), u"GET"_s).toLatin1();
    QByteArray target = c.url.path(QUrl::FullyEncoded).toLatin1();
    if (target.isEmpty())
        target = "/";
    if (c.url.hasQuery())
        target += '?' + c.url.query(QUrl::FullyEncoded).toLatin1();
    req.target = target;
    req.version = stringOf(member(e.request, "httpVersion"), u"HTTP/1.1"_s).toLatin1();
    req.headers = headersFrom(member(e.request, "headers"));
    if (!req.headers.isEmpty())
        req.raw = rawHead(req.method + ' ' + req.target + ' ' + req.version, req.headers);
    HttpHead& res = hs.response;
    res.isRequest = false;
    const Value* status = member(e.response, "status");
    res.status = status && status->IsInt() ? status->GetInt() : 0;
    res.reason = stringOf(member(e.response, "statusText")).toLatin1();
    res.version = stringOf(member(e.response, "httpVersion"), u"HTTP/1.1"_s).toLatin1();
    res.headers = headersFrom(member(e.response, "headers"));
    if (res.status > 0)
        res.raw = rawHead(res.version + ' ' + QByteArray::number(res.status) + ' ' + res.reason, res.headers);
    if (const QByteArray key = req.header("Sec-WebSocket-Key"); !key.isEmpty())
        hs.expectedAccept
            = QCryptographicHash::hash(QByteArray(key).append(kAcceptGuid), QCryptographicHash::Sha1).toBase64();
    hs.timings.dnsUs = msToUs(member(e.timings, "dns"));
    hs.timings.tlsHandshakeUs = msToUs(member(e.timings, "ssl"));
    const qint64 connect = msToUs(member(e.timings, "connect")); // includes ssl (HAR 1.2)
    hs.timings.tcpConnectUs = connect < 0 ? -1 : connect - std::max<qint64>(0, hs.timings.tlsHandshakeUs);
    hs.timings.upgradeUs = msToUs(member(e.timings, "wait"));
    if (e.messageIndex == 0)
        e.lastUs = c.startUs;

    for (CapturedConnection& known : m_chunk.connections) {
        if (known.id == c.id) {
            known = c;
            return;
        }
    }
    m_chunk.connections.append(c);
}

void HarReader::ensureConnection()
{
    Entry& e = *m_entry;
    if (e.id || e.beyondCap)
        return;
    if (m_websocketEntries >= JsonlReader::kMaxConnections) {
        e.beyondCap = true;
        notice(tr("HAR entry %1 is a WebSocket connection beyond the first %2 (skipped).")
                   .arg(m_entryIndex)
                   .arg(JsonlReader::kMaxConnections));
        return;
    }
    e.id = ++m_websocketEntries;
    emitConnection();
    if (e.headsKnown()) {
        emitHandshake();
        flushHeld();
    }
}

void HarReader::emitHandshake()
{
    Entry& e = *m_entry;
    e.handshakeEmitted = true;
    const HandshakeInfo& hs = e.connection.handshake;
    for (const HttpHead* head : { &hs.request, &hs.response }) {
        if (head->raw.isEmpty())
            continue;
        LogEntry h;
        h.timeUs = e.connection.startUs;
        h.kind = LogEntry::Kind::Handshake;
        h.dir = head->isRequest ? Direction::Send : Direction::Receive;
        h.payload = head->raw;
        m_chunk.add(e.id, std::move(h));
    }
}

void HarReader::flushHeld()
{
    Entry& e = *m_entry;
    for (LogEntry& held : e.held)
        m_chunk.add(e.id, std::move(held));
    e.held.clear();
}

void HarReader::add(LogEntry&& entry)
{
    Entry& e = *m_entry;
    if (e.handshakeEmitted) {
        m_chunk.add(e.id, std::move(entry));
        return;
    }
    e.held.append(std::move(entry));
    if (e.held.size() >= kMaxHeldMessages) // a long conversation before its heads: hand it on
        flushHeld();
}

void HarReader::readMessage()
{
    Entry& e = *m_entry;
    if (e.beyondCap) {
        skipValue();
        return;
    }
    const qint64 index = ++e.messageIndex;
    m_stream->setStringLimit(m_maxStringBytes);
    MessageFields f;
    MessageHandler handler(f);
    const rapidjson::ParseResult r = m_state->reader->Parse<kParseFlags>(*m_stream, handler);
    const bool cut = m_stream->takeCut();
    if (r.IsError()) {
        fail(handler.tooDeep ? tr("nested deeper than %1 levels").arg(kMaxDepth)
                             : QString::fromUtf8(rapidjson::GetParseError_En(r.Code())),
            qint64(r.Offset()));
        return;
    }
    if (f.data.size() > (4 << 20))
        m_state->reader = std::make_unique<Reader>(); // let go of the parser's buffer that grew for this string
    if (!f.isObject) {
        notice(tr("HAR entry %1, message %2 is not a JSON object (skipped).").arg(m_entryIndex).arg(index));
        return;
    }
    LogEntry entry;
    entry.timeUs
        = f.hasTime && std::isfinite(f.time) && std::abs(f.time) < 1e11 ? std::llround(f.time * 1e6) : e.lastUs;
    e.lastUs = entry.timeUs;
    if (f.type == "error") {
        entry.kind = LogEntry::Kind::Error;
        entry.payload = f.dataKind == MessageFields::Data::String ? std::move(f.data) : tr("WebSocket error").toUtf8();
        add(std::move(entry));
        return;
    }
    if (f.type != "send" && f.type != "receive") {
        notice(tr("HAR entry %1, message %2: unknown type \"%3\" (skipped).")
                   .arg(m_entryIndex)
                   .arg(index)
                   .arg(QString::fromUtf8(f.type)));
        return;
    }
    if (f.dataKind == MessageFields::Data::Other) {
        notice(tr("HAR entry %1, message %2: \"data\" is not a string (skipped).").arg(m_entryIndex).arg(index));
        return;
    }
    if (cut)
        notice(tr("HAR entry %1, message %2: \"data\" is longer than %3 MiB; the rest of it is dropped.")
                   .arg(m_entryIndex)
                   .arg(index)
                   .arg(double(m_maxStringBytes) / (1 << 20)));
    entry.dir = f.type == "send" ? Direction::Send : Direction::Receive;
    // As QJsonValue::toInt(OpText): an integral number, else text.
    const int opcode
        = f.hasOpcode && std::isfinite(f.opcode) && f.opcode == std::floor(f.opcode) && std::abs(f.opcode) < 1e9
        ? int(f.opcode)
        : int(OpText);
    const bool base64 = opcode != OpText || f.encoding == "base64";
    if (base64) {
        if (cut)
            f.data.chop(f.data.size() % 4);
        auto decoded = QByteArray::fromBase64Encoding(f.data, QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded) {
            notice(tr("HAR entry %1, message %2: binary \"data\" is not valid base64 (skipped).")
                       .arg(m_entryIndex)
                       .arg(index));
            return;
        }
        entry.payload = std::move(*decoded);
    } else {
        entry.payload = std::move(f.data);
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
    add(std::move(entry));
}

void HarReader::finishEntry()
{
    if (!m_entry)
        return;
    Entry& e = *m_entry;
    if (!e.id && !e.beyondCap) {
        const QString url = stringOf(member(e.request, "url"));
        if (e.resourceType == u"websocket" || url.startsWith(u"ws://") || url.startsWith(u"wss://"))
            ensureConnection();
        else
            ++m_httpEntriesSkipped;
    }
    if (e.id) {
        emitConnection(); // with every field, whatever their order
        if (!e.handshakeEmitted)
            emitHandshake();
        flushHeld();
    }
    m_entry.reset();
}

void HarReader::fail(const QString& detail, qint64 offset)
{
    m_finished = true;
    if (m_stream->cancelled()) {
        m_cancelled = true;
        return;
    }
    const bool cutOff = m_stream->atEnd();
    // Bytes are counted from 1; a cut file ends after its last byte.
    const qint64 at = cutOff ? bytesRead() : (offset >= 0 ? offset : bytesRead()) + 1;
    const QString where = m_entry ? tr(" (in HAR entry %1)").arg(m_entryIndex) : QString();
    // What was complete stays: the entry being read keeps the messages read so far.
    if (m_entry && m_entry->id)
        finishEntry();
    if (m_websocketEntries == 0) {
        m_error = Error { m_stream->readError() ? tr("Cannot read the HAR file at byte %1.").arg(at)
                : cutOff ? tr("The HAR file is not valid JSON: it ends at byte %1 before its JSON is complete.").arg(at)
                         : tr("The HAR file is not valid JSON: %1 at byte %2.").arg(detail).arg(at),
            {} };
        return;
    }
    m_chunk.notices.append(cutOff
            ? tr("The HAR file is cut off at byte %1%2, as when it was not written to the end; what came before is "
                 "kept.")
                  .arg(at)
                  .arg(where)
            : tr("The HAR file is not valid JSON at byte %1%2 (%3); what came before is kept.")
                  .arg(at)
                  .arg(where, detail));
    if (m_httpEntriesSkipped > 0)
        m_chunk.notices.append(tr("%n HTTP entry(s) of the HAR file skipped (only WebSocket entries are opened).",
            nullptr, m_httpEntriesSkipped));
}

void HarReader::finish()
{
    m_finished = true;
    m_stream->skipWhitespace(); // the final newline: progress reaches the file's size
    if (!m_sawEntries) {
        m_error = Error { tr("This is not a HAR file: it has no \"log\" object with an \"entries\" array."), {} };
    } else if (m_websocketEntries == 0) {
        m_error = Error { tr("The HAR file has no WebSocket entry (%n HTTP entry(s) skipped). Export it from the "
                             "browser's Network panel with the WebSocket connection selected.",
                              nullptr, m_httpEntriesSkipped),
            {} };
    } else if (m_httpEntriesSkipped > 0) {
        m_chunk.notices.append(tr("%n HTTP entry(s) of the HAR file skipped (only WebSocket entries are opened).",
            nullptr, m_httpEntriesSkipped));
    }
}

} // namespace wsi
