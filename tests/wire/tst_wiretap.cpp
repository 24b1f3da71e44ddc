#include "wire/wiretap.h"

#include <QtTest>

#include <optional>

using namespace Qt::StringLiterals;
using namespace wsi;

namespace {
constexpr qint64 kTime = 1700000000123456; // what the caller says the bytes arrived at
constexpr quint64 kMax = 1024 * 1024;

const QByteArray kRequest = "GET /chat?room=1 HTTP/1.1\r\nHost: 127.0.0.1:9001\r\nUpgrade: websocket\r\n"
                            "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                            "Sec-WebSocket-Version: 13\r\n\r\n";
const QByteArray k101 = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";

// One frame as RFC 6455 section 5.2 lays it out (masked when mask is given).
QByteArray frame(
    quint8 opcode, const QByteArray& payload, bool fin = true, std::optional<quint32> mask = {}, quint8 rsv = 0)
{
    QByteArray out;
    out.append(char((fin ? 0x80 : 0) | (rsv << 4) | opcode));
    const int maskBit = mask ? 0x80 : 0;
    const quint64 n = quint64(payload.size());
    if (n < 126) {
        out.append(char(maskBit | int(n)));
    } else if (n <= 0xffff) {
        out.append(char(maskBit | 126));
        out.append(char(n >> 8));
        out.append(char(n & 0xff));
    } else {
        out.append(char(maskBit | 127));
        for (int i = 7; i >= 0; --i)
            out.append(char((n >> (8 * i)) & 0xff));
    }
    if (!mask) {
        out.append(payload);
        return out;
    }
    const char key[4] = { char(*mask >> 24), char(*mask >> 16), char(*mask >> 8), char(*mask) };
    out.append(key, 4);
    for (qsizetype i = 0; i < payload.size(); ++i)
        out.append(char(payload[i] ^ key[i & 3]));
    return out;
}

QByteArray closePayload(quint16 code, const QByteArray& reason)
{
    return QByteArray(1, char(code >> 8)) + char(code & 0xff) + reason;
}

QByteArray pattern(qsizetype size)
{
    QByteArray out(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        out[i] = char((i * 7 + 3) & 0xff);
    return out;
}

// Everything an entry says, so that two runs can be compared field by field.
QString describe(const LogEntry& e)
{
    QString s = u"%1 dir=%2 t=%3 code=%4 payload=%5"_s.arg(kindName(e.kind))
                    .arg(int(e.dir))
                    .arg(e.timeUs)
                    .arg(e.closeCode)
                    .arg(QString::fromLatin1(e.payload.toHex()));
    for (const FrameInfo& f : e.frames) {
        s += u" [op=%1 fin=%2 rsv=%3 masked=%4 key=%5"_s.arg(f.opcode).arg(f.fin).arg(f.rsv).arg(f.masked).arg(
            f.maskKey);
        s += u" len=%1 lenBytes=%2 offset=%3 t=%4 violations=%5]"_s.arg(f.length)
                 .arg(f.lengthBytes)
                 .arg(f.payloadOffset)
                 .arg(f.timeUs)
                 .arg(f.violations.join(u'|'));
    }
    return s;
}

// What a tap produced and learned from one way of cutting the same bytes.
struct Outcome
{
    QStringList entries;
    QByteArray headRaw;
    QByteArray body;
    int status = 0;
    bool headComplete = false;
    bool upgraded = false;
    bool bodyComplete = false;
    bool stopped = false;
    QString stopReason;
    bool closeSeen = false;

    bool operator==(const Outcome&) const = default;
};

// Feeds pieces in order the way the relay does: again with the rest after the head. shared: as
// the relay does, with payloads sharing the piece's memory (feedShared).
bool feedAll(WireTap& tap, const QByteArray& bytes, LogBatch& out, bool shared = false)
{
    QByteArrayView data(bytes);
    while (!data.isEmpty()) {
        const qsizetype used = shared ? tap.feedShared(bytes, data, kTime, out) : tap.feed(data, kTime, out);
        if (used <= 0 || used > data.size())
            return false;
        data = data.sliced(used);
    }
    return true;
}

Outcome run(Direction dir, const QList<QByteArray>& pieces, quint64 maxMessage = kMax, bool shared = false)
{
    WireTap tap(dir, maxMessage);
    LogBatch out;
    for (const QByteArray& piece : pieces) {
        if (!feedAll(tap, piece, out, shared))
            qFatal("WireTap::feed returned a wrong count");
    }
    Outcome o;
    for (const LogEntry& e : out)
        o.entries.append(describe(e));
    o.headRaw = tap.head().raw;
    o.body = tap.head().body;
    o.status = tap.head().status;
    o.headComplete = tap.headComplete();
    o.upgraded = tap.upgraded();
    o.bodyComplete = tap.bodyComplete();
    o.stopped = tap.stopped();
    o.stopReason = tap.stopReason();
    o.closeSeen = tap.closeSeen();
    return o;
}

QList<QByteArray> bytewise(const QByteArray& data)
{
    QList<QByteArray> out;
    for (qsizetype i = 0; i < data.size(); ++i)
        out.append(data.mid(i, 1));
    return out;
}

// The stream in one piece, byte by byte, and cut in two at every position: all must agree.
// Returns the one-piece outcome; the caller checks what it says.
Outcome sameAtEveryBoundary(Direction dir, const QByteArray& stream, bool everyCut = true, quint64 max = kMax)
{
    const Outcome whole = run(dir, { stream }, max);
    const Outcome bytes = run(dir, bytewise(stream), max);
    if (!(bytes == whole)) {
        QTest::qFail("byte by byte differs from one piece", __FILE__, __LINE__);
        qWarning().noquote() << "one piece:" << whole.entries << "\nbyte by byte:" << bytes.entries;
        return {};
    }
    if (!(run(dir, { stream }, max, true) == whole)) {
        QTest::qFail("payloads shared with the piece differ from copied ones", __FILE__, __LINE__);
        return {};
    }
    if (everyCut) {
        for (qsizetype cut = 1; cut < stream.size(); ++cut) {
            if (!(run(dir, { stream.left(cut), stream.mid(cut) }, max, cut % 2 == 0) == whole)) {
                QTest::qFail(qPrintable(u"cut at byte %1 differs from one piece"_s.arg(cut)), __FILE__, __LINE__);
                return {};
            }
        }
    }
    return whole;
}

LogBatch entriesOf(Direction dir, const QByteArray& stream, quint64 max = kMax)
{
    WireTap tap(dir, max);
    LogBatch out;
    feedAll(tap, stream, out);
    return out;
}
} // namespace

class tst_WireTap : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void frameHelperMatchesTheRfcExamples()
    {
        // RFC 6455 section 5.7, so that the streams below are what a real peer sends.
        QCOMPARE(frame(OpText, "Hello"), QByteArray::fromHex("810548656c6c6f"));
        QCOMPARE(frame(OpText, "Hello", true, 0x37fa213d), QByteArray::fromHex("818537fa213d7f9f4d5158"));
        QCOMPARE(frame(OpText, "Hel", false), QByteArray::fromHex("010348656c"));
        QCOMPARE(frame(OpContinuation, "lo"), QByteArray::fromHex("80026c6f"));
        QCOMPARE(frame(OpBinary, pattern(256)).left(4), QByteArray::fromHex("827e0100"));
        QCOMPARE(frame(OpBinary, pattern(65536)).left(10), QByteArray::fromHex("827f0000000000010000"));
    }

    void clientStreamIsTheSameHoweverItIsCut()
    {
        const QByteArray stream = kRequest + frame(OpText, "Hello", true, 0x37fa213d)
            + frame(OpText, "Hel", false, 0x01020304)
            + frame(OpPing, "in between", true, 0x0a0b0c0d) // a control frame inside a fragmented message
            + frame(OpContinuation, "lo!", true, 0x11223344) + frame(OpBinary, pattern(300), true, 0xdeadbeef)
            + frame(OpClose, closePayload(1000, "bye"), true, 0x55667788);
        const Outcome o = sameAtEveryBoundary(Direction::Send, stream);
        QVERIFY(o.headComplete);
        QVERIFY(o.upgraded);
        QCOMPARE(o.headRaw, kRequest);
        QVERIFY(!o.stopped);
        QVERIFY(o.closeSeen);

        const LogBatch e = entriesOf(Direction::Send, stream);
        QCOMPARE(e.size(), 6);
        QCOMPARE(e.at(0).kind, LogEntry::Kind::Handshake);
        QCOMPARE(e.at(0).payload, kRequest);
        QCOMPARE(e.at(1).kind, LogEntry::Kind::Text);
        QCOMPARE(e.at(1).payload, QByteArray("Hello"));
        QCOMPARE(e.at(1).frames.first().maskKey, 0x37fa213du);
        QVERIFY(e.at(1).frames.first().violations.isEmpty());
        // The ping completes before the message it interrupts.
        QCOMPARE(e.at(2).kind, LogEntry::Kind::Ping);
        QCOMPARE(e.at(2).payload, QByteArray("in between"));
        QCOMPARE(e.at(3).kind, LogEntry::Kind::Text);
        QCOMPARE(e.at(3).payload, QByteArray("Hello!"));
        QCOMPARE(e.at(3).frames.size(), 2);
        QCOMPARE(e.at(3).frames.at(1).payloadOffset, 3u);
        QVERIFY(!e.at(3).frames.at(0).fin);
        QCOMPARE(e.at(4).kind, LogEntry::Kind::Binary);
        QCOMPARE(e.at(4).payload, pattern(300));
        QCOMPARE(e.at(4).frames.first().lengthBytes, quint8(2));
        QCOMPARE(e.at(5).kind, LogEntry::Kind::Close);
        QCOMPARE(e.at(5).closeCode, quint16(1000));
        QCOMPARE(e.at(5).closeReason(), QByteArray("bye"));
        for (const LogEntry& entry : e) {
            QCOMPARE(entry.dir, Direction::Send);
            QCOMPARE(entry.timeUs, kTime);
        }
    }

    void serverStreamAfter101IsTheSameHoweverItIsCut()
    {
        const QByteArray stream = k101 + frame(OpText, "Hello") + frame(OpBinary, pattern(200), false)
            + frame(OpPong, "beat") + frame(OpContinuation, pattern(10), false) + frame(OpContinuation, {})
            + frame(OpPing, {}) + frame(OpClose, closePayload(4002, "server bye"));
        const Outcome o = sameAtEveryBoundary(Direction::Receive, stream);
        QCOMPARE(o.status, 101);
        QVERIFY(o.upgraded);
        QVERIFY(!o.bodyComplete);
        QVERIFY(o.body.isEmpty());
        QVERIFY(o.closeSeen);

        const LogBatch e = entriesOf(Direction::Receive, stream);
        QStringList kinds;
        for (const LogEntry& entry : e)
            kinds.append(kindName(entry.kind));
        // Without a peer tap nobody asked for the pong: one note, after it.
        QCOMPARE(kinds,
            QStringList({ u"handshake"_s, u"text"_s, u"pong"_s, u"info"_s, u"binary"_s, u"ping"_s, u"close"_s }));
        QVERIFY(e.at(3).payload.contains("unsolicited"));
        QCOMPARE(e.at(4).payload, pattern(200) + pattern(10));
        QCOMPARE(e.at(4).frames.size(), 3);
        QCOMPARE(e.at(4).frames.at(2).payloadOffset, 210u);
        QVERIFY(!e.at(4).frames.first().masked);
        QCOMPARE(e.at(6).closeCode, quint16(4002));
    }

    void a64BitLengthFrameByteByByte()
    {
        const QByteArray big = pattern(70000);
        const QByteArray stream = k101 + frame(OpBinary, big) + frame(OpText, "after");
        const Outcome o = sameAtEveryBoundary(Direction::Receive, stream, false);
        QCOMPARE(o.entries.size(), 3);
        const LogBatch e = entriesOf(Direction::Receive, stream);
        QCOMPARE(e.at(1).payload, big);
        QCOMPARE(e.at(1).frames.first().lengthBytes, quint8(8));
        QCOMPARE(e.at(2).payload, QByteArray("after"));
    }

    void non101WithContentLengthKeepsItsBody()
    {
        const QByteArray head
            = "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer realm=\"test\"\r\nContent-Length: 22\r\n\r\n";
        const QByteArray stream = head + "Sign in first, please." + "NOT PART OF IT";
        const Outcome o = sameAtEveryBoundary(Direction::Receive, stream);
        QCOMPARE(o.status, 401);
        QVERIFY(!o.upgraded);
        QVERIFY(o.bodyComplete);
        QCOMPARE(o.body, QByteArray("Sign in first, please."));
        QCOMPARE(o.headRaw, head);
        QCOMPARE(o.entries.size(), 1); // the head; a body is not a log entry
        QVERIFY(!o.stopped);

        // One byte short, the body is not complete.
        const Outcome partial = run(Direction::Receive, { head + "Sign in first, please" });
        QVERIFY(!partial.bodyComplete);
        QCOMPARE(partial.body, QByteArray("Sign in first, please"));

        // A body longer than the cap is kept up to the cap, and is complete there.
        const QByteArray big = pattern(WireTap::kMaxBody + 5000);
        const Outcome capped = run(Direction::Receive,
            { "HTTP/1.1 200 OK\r\nContent-Length: " + QByteArray::number(big.size()) + "\r\n\r\n" + big });
        QVERIFY(capped.bodyComplete);
        QCOMPARE(capped.body, big.left(WireTap::kMaxBody));

        // A status that has no body is complete at once.
        QVERIFY(run(Direction::Receive, { "HTTP/1.1 204 No Content\r\n\r\n" }).bodyComplete);
        QVERIFY(run(Direction::Receive, { "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n" }).bodyComplete);
    }

    void non101WithoutContentLengthWaitsForTheEnd()
    {
        const QByteArray stream = "HTTP/1.1 500 Internal Server Error\r\nServer: x\r\n\r\nsomething broke";
        const Outcome o = sameAtEveryBoundary(Direction::Receive, stream);
        QCOMPARE(o.status, 500);
        QVERIFY(!o.upgraded);
        QVERIFY(!o.bodyComplete); // only the end of the connection ends it
        QCOMPARE(o.body, QByteArray("something broke"));

        // Bytes that look like frames are body bytes, not frames.
        const Outcome framesAsBody = run(Direction::Receive, { "HTTP/1.1 200 OK\r\n\r\n" + frame(OpText, "no") });
        QCOMPARE(framesAsBody.entries.size(), 1);
        QCOMPARE(framesAsBody.body, frame(OpText, "no"));

        // Without a length the body is still capped.
        const Outcome capped
            = run(Direction::Receive, { "HTTP/1.1 200 OK\r\n\r\n" + pattern(WireTap::kMaxBody + 1) + "more" });
        QVERIFY(capped.bodyComplete);
        QCOMPARE(capped.body.size(), WireTap::kMaxBody);
    }

    void aHeadThatNeverEndsStopsTheTap()
    {
        const QByteArray endless = "HTTP/1.1 101 Switching Protocols\r\nX-Long: " + QByteArray(70000, 'a');
        const Outcome o = sameAtEveryBoundary(Direction::Receive, endless + "\r\n\r\n" + frame(OpText, "x"), false);
        QVERIFY(o.headComplete);
        QVERIFY(o.stopped);
        QVERIFY2(o.stopReason.contains(u"longer than 65536 bytes"_s), qPrintable(o.stopReason));
        QVERIFY(!o.upgraded);
        QCOMPARE(o.entries.size(), 1); // the note; the frame after it is not parsed
        QVERIFY(o.entries.first().startsWith(u"info dir=2"_s));

        WireTap tap(Direction::Send, kMax);
        LogBatch out;
        QVERIFY(feedAll(tap, "GET / HTTP/1.1\r\n" + QByteArray(70000, 'b'), out));
        QVERIFY(tap.stopped());
        QCOMPARE(tap.head().problems.size(), 1);
        QVERIFY(feedAll(tap, "\r\n\r\n" + frame(OpText, "ignored", true, 1), out));
        QCOMPARE(out.size(), 1);
        QCOMPARE(out.first().kind, LogEntry::Kind::Info);
        QCOMPARE(out.first().dir, Direction::Send);
    }

    void aFrameOverTheSizeCapStopsTheTap()
    {
        const QByteArray stream = k101 + frame(OpText, "fits") + frame(OpBinary, pattern(300)) + frame(OpText, "later");
        const Outcome o = sameAtEveryBoundary(Direction::Receive, stream, true, 200);
        QVERIFY(o.stopped);
        QVERIFY2(o.stopReason.contains(u"300"_s) && o.stopReason.contains(u"200"_s), qPrintable(o.stopReason));
        const LogBatch e = entriesOf(Direction::Receive, stream, 200);
        QCOMPARE(e.at(1).payload, QByteArray("fits"));
        QCOMPARE(e.last().kind, LogEntry::Kind::Info);
        QCOMPARE(QString::fromUtf8(e.last().payload), o.stopReason);
        for (const LogEntry& entry : e)
            QVERIFY(entry.payload != "later");

        // Frames under the cap that add up to more: refused at the header of the frame that passes
        // the limit, before its payload is read; no phantom message, and no fault of the server's.
        const QByteArray fragmented
            = k101 + frame(OpText, pattern(150), false) + frame(OpContinuation, pattern(100)) + frame(OpText, "next");
        const Outcome f = sameAtEveryBoundary(Direction::Receive, fragmented, true, 200);
        QVERIFY(f.stopped);
        QCOMPARE(f.stopReason,
            u"Inspector limit: a fragmented text message passed this profile's maximum message size (200 bytes) at a "
            "frame of 100 bytes; the inspector stopped reading. Not a server fault: raise the limit to receive it."_s);
        const LogBatch fe = entriesOf(Direction::Receive, fragmented, 200);
        QCOMPARE(fe.size(), 2); // the head and the note
        QCOMPARE(fe.at(1).kind, LogEntry::Kind::Info);
        WireTap tap(Direction::Receive, 200);
        LogBatch out;
        QVERIFY(feedAll(tap, fragmented, out));
        QVERIFY(tap.fault().isEmpty());
    }

    void pingsAndPongsAreMatchedAcrossDirections()
    {
        WireTap send(Direction::Send, kMax);
        WireTap receive(Direction::Receive, kMax);
        send.setPeer(&receive);
        receive.setPeer(&send);
        LogBatch out;
        auto notes = [&] {
            int n = 0;
            for (const LogEntry& e : out)
                n += e.kind == LogEntry::Kind::Info ? 1 : 0;
            return n;
        };
        QVERIFY(feedAll(send, kRequest, out));
        QVERIFY(feedAll(receive, k101 + frame(OpPing, "srv-1") + frame(OpPing, "srv-2"), out));
        QCOMPARE(receive.pingsUnanswered(), 2);
        QVERIFY(feedAll(send, frame(OpPong, "srv-1", true, 7) + frame(OpPong, "srv-2", true, 8), out));
        QCOMPARE(receive.pingsUnanswered(), 0);
        QCOMPARE(notes(), 0);

        // A third pong answers nothing: noted once, however many follow.
        QVERIFY(feedAll(send, frame(OpPong, "extra", true, 9), out));
        QCOMPARE(notes(), 1);
        QVERIFY(out.last().payload.contains("client sent a pong nobody asked for"));
        QCOMPARE(out.last().dir, Direction::Send);
        QVERIFY(feedAll(send, frame(OpPong, "extra", true, 9), out));
        QCOMPARE(notes(), 1);

        // The other way round.
        QVERIFY(feedAll(send, frame(OpPing, "cli", true, 1), out));
        QCOMPARE(send.pingsUnanswered(), 1);
        QVERIFY(feedAll(receive, frame(OpPong, "cli"), out));
        QCOMPARE(send.pingsUnanswered(), 0);
        QCOMPARE(notes(), 1);
        QVERIFY(feedAll(receive, frame(OpPong, "heartbeat"), out));
        QCOMPARE(notes(), 2);
        QVERIFY(out.last().payload.contains("server sent a pong nobody asked for"));
    }

    void payloadsShareTheReadChunk()
    {
        // The relay's reads: a payload whose bytes are all in the chunk points into it (no
        // allocation, no copy); one cut by the chunk's end gets its own bytes. Entries outlive
        // the chunk, and changing one payload changes no other.
        WireTap tap(Direction::Receive, kMax);
        LogBatch out;
        QVERIFY(feedAll(tap, k101, out));
        QByteArray chunk = frame(OpText, "inside") + frame(OpBinary, pattern(300)) + frame(OpText, "cut here");
        chunk.chop(3);
        QCOMPARE(tap.feedShared(chunk, chunk, kTime, out), chunk.size());
        QCOMPARE(out.size(), 3);
        auto inChunk = [](const QByteArray& chunk, const QByteArray& payload) {
            return payload.constData() >= chunk.constData()
                && payload.constData() + payload.size() <= chunk.constData() + chunk.size();
        };
        QVERIFY(inChunk(chunk, out.at(1).payload));
        QVERIFY(inChunk(chunk, out.at(2).payload));
        chunk = QByteArray(); // the relay's read buffer goes away
        const QByteArray rest("ere");
        QCOMPARE(tap.feedShared(rest, rest, kTime, out), rest.size());
        QCOMPARE(out.size(), 4);
        QCOMPARE(out.at(1).payload, QByteArray("inside"));
        QCOMPARE(out.at(2).payload, pattern(300));
        QCOMPARE(out.at(3).payload, QByteArray("cut here"));
        QByteArray changed = out.at(1).payload;
        changed.append("!");
        changed[0] = 'X';
        QCOMPARE(out.at(1).payload, QByteArray("inside"));
        QCOMPARE(out.at(2).payload, pattern(300));

        // The client's frames are masked: unmasked into bytes of their own.
        WireTap send(Direction::Send, kMax);
        LogBatch sent;
        QVERIFY(feedAll(send, kRequest, sent));
        const QByteArray masked = frame(OpText, "secret", true, 0x11223344);
        QCOMPARE(send.feedShared(masked, masked, kTime, sent), masked.size());
        QCOMPARE(sent.last().payload, QByteArray("secret"));
        QVERIFY(!inChunk(masked, sent.last().payload));
    }

    void framesOfAMessageStayInWireOrder()
    {
        // FrameList keeps the first frame inline and the rest in a list: one API for both.
        const LogBatch out = entriesOf(Direction::Receive,
            k101 + frame(OpText, "a", false) + frame(OpContinuation, "bc", false) + frame(OpContinuation, "def"));
        QCOMPARE(out.size(), 2);
        const LogEntry message = out.at(1); // copies keep their frames
        QCOMPARE(message.payload, QByteArray("abcdef"));
        QCOMPARE(message.frames.size(), 3);
        QCOMPARE(message.frames.first().opcode, quint8(OpText));
        QVERIFY(!message.frames.first().fin);
        QCOMPARE(message.frames.last().payloadOffset, quint64(3));
        QVERIFY(message.frames.last().fin);
        QList<quint64> offsets;
        for (const FrameInfo& f : message.frames)
            offsets.append(f.payloadOffset);
        QCOMPARE(offsets, (QList<quint64> { 0, 1, 3 }));
        QCOMPARE(message.frames.toList().size(), 3);
        FrameList copy = message.frames.toList();
        QCOMPARE(copy.at(1).length, quint64(2));
        copy.clear();
        QVERIFY(copy.isEmpty());
        QCOMPARE(message.frames.size(), 3);
        const LogBatch single = entriesOf(Direction::Receive, k101 + frame(OpBinary, "x"));
        QCOMPARE(single.at(1).frames.size(), 1);
        QCOMPARE(&single.at(1).frames.first(), &single.at(1).frames.last());
    }

    // A fragmented message cut off by a new one (the server broke §5.4) is published with the time
    // of its last frame, not 0 (which the terminal printed as "00:00:00.000").
    void anUnfinishedMessageKeepsTheTimeOfItsLastFrame()
    {
        WireTap tap(Direction::Receive, kMax);
        LogBatch out;
        QVERIFY(feedAll(tap, "HTTP/1.1 101 Switching Protocols\r\n\r\n", out));
        QCOMPARE(tap.feed(frame(OpText, "a", false), 5000, out), qsizetype(3));
        QCOMPARE(tap.feed(frame(OpText, "b", true), 7000, out), qsizetype(3));
        QCOMPARE(out.size(), 3); // the head, "a" (never finished), "b"
        QCOMPARE(out.at(1).payload, QByteArray("a"));
        QCOMPARE(out.at(1).timeUs, qint64(5000));
        QCOMPARE(out.at(2).payload, QByteArray("b"));
        QCOMPARE(out.at(2).timeUs, qint64(7000));
    }

    void theCallerSetsRsvBitsBetweenHeadAndFrames()
    {
        const QByteArray head
            = "HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n";
        const QByteArray compressed = frame(OpText, "zz", true, {}, 4);
        WireTap tap(Direction::Receive, kMax);
        LogBatch out;
        // feed() stops after the head even when frames follow in the same bytes...
        QCOMPARE(tap.feed(QByteArray(head + compressed), kTime, out), head.size());
        QVERIFY(tap.upgraded());
        tap.setAllowedRsv(4);
        QCOMPARE(tap.feed(compressed, kTime, out), compressed.size());
        QCOMPARE(out.size(), 2);
        QVERIFY(out.at(1).frames.first().violations.isEmpty());
        QCOMPARE(out.at(1).frames.first().rsv, quint8(4));

        // ...and without the caller's word RSV1 is a violation.
        const LogBatch strict = entriesOf(Direction::Receive, head + compressed);
        QVERIFY(strict.at(1).frames.first().violations.join(u' ').contains(u"RSV bits set"_s));
    }
};

QTEST_GUILESS_MAIN(tst_WireTap)
#include "tst_wiretap.moc"
