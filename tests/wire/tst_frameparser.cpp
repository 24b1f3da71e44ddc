#include "deflate/messagecodec.h"
#include "wire/frameparser.h"
#include "wire/messageassembler.h"

#include <QRandomGenerator>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;

namespace {
// Builds one frame exactly as given (even when the RFC forbids it).
QByteArray frame(quint8 opcode, const QByteArray& payload, bool fin = true, bool masked = false,
    quint32 key = 0x11223344, int lengthBytes = -1, quint8 rsv = 0)
{
    QByteArray out;
    out.append(char((fin ? 0x80 : 0) | (rsv << 4) | opcode));
    const quint64 len = quint64(payload.size());
    if (lengthBytes < 0)
        lengthBytes = len < 126 ? 0 : len <= 0xffff ? 2 : 8;
    const char maskBit = masked ? char(0x80) : char(0);
    if (lengthBytes == 0) {
        out.append(char(maskBit | char(len)));
    } else if (lengthBytes == 2) {
        out.append(char(maskBit | 126));
        out.append(char(len >> 8));
        out.append(char(len & 0xff));
    } else {
        out.append(char(maskBit | 127));
        for (int i = 7; i >= 0; --i)
            out.append(char((len >> (8 * i)) & 0xff));
    }
    QByteArray body = payload;
    if (masked) {
        const char k[4] = { char(key >> 24), char(key >> 16), char(key >> 8), char(key) };
        out.append(k, 4);
        for (qsizetype i = 0; i < body.size(); ++i)
            body[i] = char(body[i] ^ k[i % 4]);
    }
    return out + body;
}

QByteArray closePayload(quint16 code, const QByteArray& reason)
{
    QByteArray p;
    p.append(char(code >> 8));
    p.append(char(code & 0xff));
    return p + reason;
}

QList<ParsedFrame> parseAll(const QByteArray& bytes, Direction dir = Direction::Receive, quint64 max = 1 << 20)
{
    FrameParser parser(dir, max);
    QList<ParsedFrame> out;
    parser.feed(bytes, out);
    return out;
}

bool hasViolation(const ParsedFrame& f, const QString& part)
{
    for (const QString& v : f.info.violations) {
        if (v.contains(part, Qt::CaseInsensitive))
            return true;
    }
    return false;
}
} // namespace

class tst_FrameParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void splitAtEveryByteBoundary()
    {
        // A stream with every length encoding, masked client frames, a control frame in between.
        const QByteArray big(70000, 'b');
        const QByteArray mid(300, 'm');
        QByteArray stream = frame(OpText, "hello", true, true, 0xa1b2c3d4)
            + frame(OpBinary, mid, false, true, 0x01020304) + frame(OpPing, "pp", true, true, 0x0badf00d)
            + frame(OpContinuation, big, true, true, 0xdeadbeef)
            + frame(OpClose, closePayload(1000, "bye"), true, true);
        const QList<ParsedFrame> whole = parseAll(stream, Direction::Send);
        QCOMPARE(whole.size(), 5);
        QCOMPARE(whole.at(0).payload, QByteArray("hello"));
        QCOMPARE(whole.at(0).info.maskKey, 0xa1b2c3d4u);
        QCOMPARE(whole.at(0).info.lengthBytes, quint8(0));
        QCOMPARE(whole.at(1).info.lengthBytes, quint8(2));
        QCOMPARE(whole.at(1).payload, mid);
        QVERIFY(!whole.at(1).info.fin);
        QCOMPARE(whole.at(2).info.opcode, quint8(OpPing));
        QCOMPARE(whole.at(3).info.lengthBytes, quint8(8));
        QCOMPARE(whole.at(3).payload, big);
        QCOMPARE(whole.at(4).info.opcode, quint8(OpClose));
        for (const ParsedFrame& f : whole)
            QVERIFY2(f.info.violations.isEmpty(), qPrintable(f.info.violations.join(u"; "_s)));

        // Split in two at every boundary of the first frames (the big payload only near its edges).
        const qsizetype edge = stream.size();
        for (qsizetype cut = 1; cut < edge; cut += (cut > 400 && cut < edge - 400) ? 997 : 1) {
            FrameParser parser(Direction::Send, 1 << 20);
            QList<ParsedFrame> out;
            parser.feed(QByteArrayView(stream).first(cut), out);
            parser.feed(QByteArrayView(stream).sliced(cut), out);
            QCOMPARE(out.size(), 5);
            for (int i = 0; i < 5; ++i) {
                QCOMPARE(out.at(i).payload, whole.at(i).payload);
                QCOMPARE(out.at(i).info.maskKey, whole.at(i).info.maskKey);
            }
        }
        // And byte by byte.
        FrameParser parser(Direction::Send, 1 << 20);
        QList<ParsedFrame> out;
        for (char c : stream)
            parser.feed(&c, 1, out);
        QCOMPARE(out.size(), 5);
        QCOMPARE(out.at(3).payload, big);
    }

    void manyFramesInOneRead()
    {
        QByteArray stream;
        for (int i = 0; i < 1000; ++i)
            stream += frame(OpText, QByteArray::number(i));
        const auto frames = parseAll(stream);
        QCOMPARE(frames.size(), 1000);
        QCOMPARE(frames.at(999).payload, QByteArray("999"));
    }

    void violations_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("dir");
        QTest::addColumn<QString>("expected");
        const int recv = int(Direction::Receive);
        const int send = int(Direction::Send);
        QTest::newRow("masked server frame")
            << frame(OpText, "x", true, true) << recv << u"masked frame from the server"_s;
        QTest::newRow("unmasked client frame") << frame(OpText, "x") << send << u"unmasked frame from the client"_s;
        QTest::newRow("16-bit for short") << frame(OpText, "short", true, false, 0, 2) << recv << u"non-minimal"_s;
        QTest::newRow("64-bit for short")
            << frame(OpBinary, QByteArray(200, 'x'), true, false, 0, 8) << recv << u"non-minimal"_s;
        QTest::newRow("long control") << frame(OpPing, QByteArray(126, 'p')) << recv << u"longer than 125"_s;
        QTest::newRow("fragmented control") << frame(OpPong, "p", false) << recv << u"fragmented control"_s;
        QTest::newRow("reserved opcode 3") << frame(3, "r") << recv << u"reserved opcode 0x3"_s;
        QTest::newRow("reserved opcode 0xb") << frame(0xb, "r") << recv << u"reserved opcode 0xb"_s;
        QTest::newRow("rsv1 without extension") << frame(OpText, "x", true, false, 0, -1, 4) << recv << u"RSV bits"_s;
        QTest::newRow("continuation without start") << frame(OpContinuation, "c") << recv << u"without a message"_s;
        QTest::newRow("data frame inside fragmented")
            << frame(OpText, "a", false) + frame(OpText, "b") << recv << u"inside a fragmented"_s;
        QTest::newRow("close 1 byte") << frame(OpClose, "x") << recv << u"1 byte"_s;
        QTest::newRow("close code 1005") << frame(OpClose, closePayload(1005, {})) << recv
                                         << u"invalid close code 1005"_s;
        QTest::newRow("close code 999") << frame(OpClose, closePayload(999, {})) << recv << u"invalid close code"_s;
        QTest::newRow("close reason bad utf8") << frame(OpClose, closePayload(1000, "\xc3\x28")) << recv << u"UTF-8"_s;
    }

    void violations()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, dir);
        QFETCH(QString, expected);
        const auto frames = parseAll(bytes, Direction(dir));
        QVERIFY(!frames.isEmpty());
        QVERIFY2(hasViolation(frames.last(), expected), qPrintable(frames.last().info.violations.join(u"; "_s)));
    }

    void pongWithoutPingIsAllowed()
    {
        const auto frames = parseAll(frame(OpPong, "unsolicited"));
        QCOMPARE(frames.size(), 1);
        QVERIFY(frames.first().info.violations.isEmpty());
    }

    void hugeLengthStopsWithoutAllocating()
    {
        // 64-bit length with the top bit set, then one just over the cap: neither allocates.
        QByteArray topBit = QByteArray::fromHex("827fffffffffffffffff");
        auto frames = parseAll(topBit + "junk");
        QCOMPARE(frames.size(), 1);
        QVERIFY(hasViolation(frames.first(), u"most significant bit"_s));
        QVERIFY(frames.first().refused);
        QCOMPARE(frames.first().fault.closeCode, quint16(1002)); // the server's fault, named as such
        QCOMPARE(frames.first().fault.section, u"§5.2"_s);

        FrameParser parser(Direction::Receive, 1000);
        QList<ParsedFrame> out;
        parser.feed(frame(OpBinary, QByteArray(1001, 'x')), out);
        QVERIFY(parser.stopped());
        QCOMPARE(parser.error(),
            u"Inspector limit: a binary frame declares 1001 bytes, more than this profile's maximum message size "
            "(1000 bytes); the inspector stopped reading. Not a server fault: raise the limit to receive it."_s);
        QVERIFY(out.first().refused);
        QVERIFY(out.first().info.violations.isEmpty()); // the inspector's limit is no violation
        out.clear();
        parser.feed(frame(OpText, "after"), out); // stays stopped, no crash
        QVERIFY(out.isEmpty());
    }

    void garbageNeverCrashes()
    {
        QRandomGenerator gen(7);
        for (int round = 0; round < 300; ++round) {
            QByteArray junk(int(gen.bounded(1, 600)), Qt::Uninitialized);
            for (char& c : junk)
                c = char(gen.bounded(256));
            FrameParser parser(round % 2 ? Direction::Send : Direction::Receive, 4096);
            MessageAssembler assembler(Direction::Receive, 4096);
            QList<ParsedFrame> out;
            LogBatch entries;
            qsizetype pos = 0;
            while (pos < junk.size()) {
                const qsizetype n = std::min<qsizetype>(junk.size() - pos, gen.bounded(1, 40));
                parser.feed(QByteArrayView(junk).sliced(pos, n), out);
                pos += n;
            }
            for (ParsedFrame& f : out)
                assembler.add(std::move(f), 1, entries);
        }
    }

    void endlessContinuationFramesStayBounded()
    {
        // A hostile server: one text frame without FIN, then empty continuation frames forever.
        FrameParser parser(Direction::Receive);
        MessageAssembler assembler(Direction::Receive);
        QList<ParsedFrame> frames;
        parser.feed(frame(OpText, "x", false), frames);
        const QByteArray empty = frame(OpContinuation, "", false);
        LogBatch entries;
        for (int i = 0; i < 3 * MessageAssembler::kMaxFramesPerMessage; ++i) {
            parser.feed(empty, frames);
            for (ParsedFrame& f : frames)
                assembler.add(std::move(f), 1, entries);
            frames.clear();
        }
        parser.feed(frame(OpContinuation, "y"), frames);
        for (ParsedFrame& f : frames)
            assembler.add(std::move(f), 1, entries);
        // The inspector's bookkeeping cap is a note of its own, never a violation of the server's frames.
        QCOMPARE(entries.size(), 2);
        QCOMPARE(entries.first().kind, LogEntry::Kind::Info);
        QCOMPARE(QString::fromUtf8(entries.first().payload),
            u"Inspector limit: this message has more than 10000 frames; only the first 10000 frame headers are kept "
            "(the payload is complete)."_s);
        QCOMPARE(entries.last().payload, QByteArray("xy"));
        QCOMPARE(entries.last().frames.size(), MessageAssembler::kMaxFramesPerMessage);
        for (const FrameInfo& f : entries.last().frames)
            QVERIFY(f.violations.isEmpty());
    }

    void assemblerReassemblesAndKeepsFrames()
    {
        QByteArray stream = frame(OpText, "Hel", false) + frame(OpPing, "in-between")
            + frame(OpContinuation, "lo ", false) + frame(OpContinuation, "world")
            + frame(OpClose, closePayload(4001, "bye"));
        FrameParser parser(Direction::Receive);
        MessageAssembler assembler(Direction::Receive);
        QList<ParsedFrame> frames;
        parser.feed(stream, frames);
        LogBatch entries;
        for (ParsedFrame& f : frames)
            assembler.add(std::move(f), 42, entries);
        QCOMPARE(entries.size(), 3);
        QCOMPARE(entries.at(0).kind, LogEntry::Kind::Ping); // completes first
        QCOMPARE(entries.at(0).payload, QByteArray("in-between"));
        QCOMPARE(entries.at(1).kind, LogEntry::Kind::Text);
        QCOMPARE(entries.at(1).payload, QByteArray("Hello world"));
        QCOMPARE(entries.at(1).frames.size(), 3);
        QCOMPARE(entries.at(1).frames.at(0).opcode, quint8(OpText));
        QCOMPARE(entries.at(1).frames.at(1).opcode, quint8(OpContinuation));
        QCOMPARE(entries.at(1).frames.at(2).payloadOffset, 6u);
        QCOMPARE(entries.at(1).dir, Direction::Receive);
        QCOMPARE(entries.at(2).kind, LogEntry::Kind::Close);
        QCOMPARE(entries.at(2).closeCode, quint16(4001));
        QCOMPARE(entries.at(2).closeReason(), QByteArray("bye"));
        QCOMPARE(entries.at(2).timeUs, 42);
    }

    void fragmentsSharingTheirChunkDoNotPinIt()
    {
        // The first fragment of a message starts 250 KB into the read chunk, so FrameParser hands it
        // out as a slice sharing that chunk's block. When the next fragment comes, the message must
        // move to a block of its own size, not to one that keeps the chunk's first 250 KB as dead
        // room that flow control does not count.
        MessageDeflater deflater(15, false);
        const QByteArray compressed = *deflater.deflateMessage("hello hello hello");
        for (const bool deflate : { false, true }) {
            const QByteArray first = deflate ? compressed.left(3) : QByteArray("abc");
            const QByteArray rest = deflate ? compressed.mid(3) : QByteArray("def");
            QByteArray chunk
                = frame(OpBinary, QByteArray(250000, 'f')) + frame(OpText, first, false, false, 0, -1, deflate ? 4 : 0);
            FrameParser parser(Direction::Receive);
            QList<ParsedFrame> frames;
            parser.feedShared(chunk, chunk, frames);
            QCOMPARE(frames.size(), 2);
            QVERIFY(!frames.at(1).payload.isDetached()); // the premise: a shared slice of the chunk
            chunk = QByteArray(); // the relay lets go of its chunk; the slice alone keeps the block
            frames.removeFirst();
            frames.append(parseAll(frame(OpContinuation, rest)));

            MessageAssembler assembler(Direction::Receive);
            if (deflate)
                assembler.setInflater(std::make_unique<MessageInflater>(15, false, 1 << 20));
            LogBatch entries;
            for (ParsedFrame& f : frames)
                assembler.add(std::move(f), 1, entries);
            QCOMPARE(entries.size(), 1);
            const LogEntry& e = entries.first();
            QCOMPARE(e.payload, deflate ? QByteArray("hello hello hello") : QByteArray("abcdef"));
            const QByteArray& held = deflate ? e.wirePayload : e.payload;
            QCOMPARE(held, first + rest);
            QVERIFY2(held.capacity() < 1024,
                qPrintable(u"deflate %1: %2 bytes held for %3"_s.arg(deflate).arg(held.capacity()).arg(held.size())));
        }
    }
};

QTEST_GUILESS_MAIN(tst_FrameParser)
#include "tst_frameparser.moc"
