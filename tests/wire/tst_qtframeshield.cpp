// QtFrameShield with the receive WireTap, as the relay drives them: what QWebSocket 6.4 gets for
// the server's bytes, split at every byte boundary. Only control frames reach Qt (ping, pong,
// close), whole, byte for byte when Qt accepts them (without a copy when whole in the chunk) and
// re-encoded where Qt 6.4 rejects what RFC 6455 allows (non-minimal lengths, RSV bits, close codes
// 1012-1014). Data frames are dropped, compressed or fragmented or not, while the log keeps them.
#include "deflate/messagecodec.h"
#include "wire/frameparser.h"
#include "wire/framewriter.h"
#include "wire/qtframeshield.h"
#include "wire/wiretap.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsi;

namespace {

constexpr quint64 kMax = 1024 * 1024;

QByteArray frame(quint8 opcode, bool fin, QByteArrayView payload, quint8 rsv = 0)
{
    QByteArray out;
    FrameWriter::append(out, opcode, fin, rsv, payload, false);
    return out;
}

QByteArray closeFrame(quint16 code, QByteArrayView reason = {})
{
    QByteArray payload;
    payload.append(char(code >> 8));
    payload.append(char(code & 0xff));
    payload.append(reason);
    return frame(OpClose, true, payload);
}

// The relay's receive path after the 101 head, fed in chunks of chunkSize bytes. Returns what
// QWebSocket got; every call's output must end on a frame boundary (checked with a parser).
struct Run
{
    QByteArray forQt;
    LogBatch entries;
    bool partialFrameHandedOn = false;
    qint64 zeroCopyChunks = 0;
    qint64 dropped = 0;
};

Run run(const QByteArray& wire, qsizetype chunkSize, bool deflate = false, quint64 max = kMax)
{
    Run r;
    WireTap tap(Direction::Receive, max);
    QByteArray head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n";
    tap.feed(head, 0, r.entries);
    if (deflate)
        tap.enableDeflate(15, false);
    QtFrameShield shield(max);
    FrameParser qt(Direction::Receive, kMax);
    for (qsizetype pos = 0; pos < wire.size(); pos += chunkSize) {
        const QByteArray chunk = wire.mid(pos, chunkSize);
        tap.feed(chunk, 0, r.entries);
        if (tap.stopped())
            shield.stop(); // as the relay does
        QList<QByteArrayView> out;
        shield.feed(chunk, out);
        if (out.size() == 1 && out.first().data() == chunk.constData() && out.first().size() == chunk.size())
            ++r.zeroCopyChunks;
        QByteArray bytes;
        for (const QByteArrayView v : std::as_const(out))
            bytes.append(v);
        QList<ParsedFrame> frames;
        qt.feed(bytes, frames);
        r.partialFrameHandedOn = r.partialFrameHandedOn || qt.midFrame();
        r.forQt += bytes;
    }
    r.dropped = shield.droppedFrames();
    return r;
}

QList<ParsedFrame> framesOf(const QByteArray& bytes)
{
    FrameParser p(Direction::Receive, kMax);
    QList<ParsedFrame> out;
    p.feed(bytes, out);
    return out;
}

QList<qsizetype> splits(qsizetype size)
{
    QList<qsizetype> out;
    for (qsizetype chunk = 1; chunk <= size; chunk = chunk < 64 ? chunk + 1 : chunk * 3)
        out.append(chunk);
    out.append(size);
    return out;
}

} // namespace

class tst_QtFrameShield : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void onlyControlFramesReachQt()
    {
        const QByteArray ping = frame(OpPing, true, "p");
        const QByteArray pong = frame(OpPong, true, "q");
        const QByteArray close = closeFrame(1000, "bye");
        const QByteArray wire = frame(OpText, true, "hello") + frame(OpBinary, true, QByteArray(300, 'b')) + ping
            + frame(OpBinary, false, "ab") + pong + frame(OpContinuation, true, "cd")
            + frame(OpText, true, QByteArray(70000, 'x')) + close;
        for (const qsizetype chunk : splits(wire.size())) {
            const Run r = run(wire, chunk);
            QCOMPARE(r.forQt, ping + pong + close);
            QVERIFY2(!r.partialFrameHandedOn, qPrintable(u"chunk %1"_s.arg(chunk)));
            QCOMPARE(r.dropped, 5);
            // The log still has every message and control frame of the wire (and the note on the
            // unsolicited pong).
            QCOMPARE(r.entries.size(), 1 + 7 + 1);
            QCOMPARE(r.entries.at(6).payload, QByteArray("abcd"));
            QCOMPARE(r.entries.at(6).frames.size(), 2);
            QCOMPARE(r.entries.at(7).payload.size(), 70000);
        }
        // Whole control frames in one chunk: QWebSocket gets the chunk itself, no copy.
        QCOMPARE(run(ping + pong + close, (ping + pong + close).size()).zeroCopyChunks, 1);
    }

    void dataQtWouldRejectIsDroppedNotReencoded()
    {
        // "ü" (c3 bc) split across fragments (Qt 6.4 would close with 1007), compressed messages
        // (Qt 6.4 has no permessage-deflate), a reserved opcode and a masked frame: none reach Qt.
        const QByteArray text = QString(u"Grüße"_s).toUtf8();
        MessageDeflater deflater(15, false);
        const QByteArray first = QByteArray("{\"a\":1,\"b\":\"") + QByteArray(5000, 'z') + "\"}";
        const QByteArray c1 = *deflater.deflateMessage(first);
        const QByteArray c2 = *deflater.deflateMessage(first); // context takeover: refers back
        QByteArray masked;
        FrameWriter::append(masked, OpText, true, 0, "m", true, 0x01020304);
        const QByteArray ping = frame(OpPing, true, "mid");
        const QByteArray wire = frame(OpText, false, text.left(3)) + ping + frame(OpContinuation, false, text.mid(3, 1))
            + frame(OpContinuation, true, text.mid(4)) + frame(OpText, true, c1, 4)
            + frame(OpBinary, false, c2.left(3), 4) + frame(OpContinuation, true, c2.mid(3)) + frame(0x3, true, "r")
            + masked + closeFrame(1000);
        for (const qsizetype chunk : splits(wire.size())) {
            const Run r = run(wire, chunk, true);
            QCOMPARE(r.forQt, ping + closeFrame(1000));
            QVERIFY(!r.partialFrameHandedOn);
            // The log: the text with its three frames, the inflated messages with their wire bytes.
            QCOMPARE(r.entries.at(2).payload, text);
            QCOMPARE(r.entries.at(2).frames.size(), 3);
            QCOMPARE(r.entries.at(3).payload, first);
            QCOMPARE(r.entries.at(3).wirePayload, c1);
            QCOMPARE(r.entries.at(4).payload, first);
            QVERIFY(r.entries.at(4).isCompressed());
        }
    }

    void controlFramesQtRejectsAreReencoded()
    {
        // A 16-bit length for a 5-byte ping (Qt: "Lengths smaller than 126 must be expressed as one
        // byte"), RSV2 on a pong (Qt: "Rsv field is non-zero"), close code 1012 (Qt: invalid code).
        QByteArray nonMinimal("\x89\x7e\x00\x05", 4);
        nonMinimal += "abcde";
        const QByteArray rsv2 = frame(OpPong, true, "r", 2);
        const QByteArray close = closeFrame(1012, "restart");
        const QByteArray wire = nonMinimal + frame(OpBinary, true, "data") + rsv2 + close;
        for (const qsizetype chunk : splits(wire.size())) {
            const Run r = run(wire, chunk);
            const QList<ParsedFrame> frames = framesOf(r.forQt);
            QCOMPARE(frames.size(), 3);
            QCOMPARE(frames.at(0).info.opcode, quint8(OpPing));
            QCOMPARE(frames.at(0).payload, QByteArray("abcde"));
            QCOMPARE(frames.at(0).info.lengthBytes, quint8(0));
            QCOMPARE(frames.at(1).info.opcode, quint8(OpPong));
            QCOMPARE(frames.at(1).info.rsv, quint8(0));
            QCOMPARE(frames.at(2).payload, QByteArray("\x03\xe9restart", 9)); // 1001, reason kept
            // The log keeps the truth: 1012, the encodings as sent.
            QCOMPARE(r.entries.last().closeCode, quint16(1012));
            QCOMPARE(r.entries.at(1).frames.first().lengthBytes, quint8(2));
        }
        // Closes with a code Qt knows pass as they are.
        const QByteArray normal = closeFrame(1000);
        QCOMPARE(run(normal, 1).forQt, normal);
    }

    // Close payloads Qt 6.4 answers with its own protocol close (1002 for a 1-byte payload or a
    // code nobody may send, with a garbled reason; 1007 for a reason that is not UTF-8): in lenient
    // mode the relay hands them on, so Qt gets a payload it answers normally. The log keeps the truth.
    void closePayloadsQtRefusesAreMadeAcceptable_data()
    {
        QTest::addColumn<QByteArray>("payload"); // the server's close payload
        QTest::addColumn<QByteArray>("forQt"); // what Qt gets instead
        QTest::addColumn<int>("logged"); // the close code in the log
        const auto code = [](quint16 c, QByteArrayView reason = {}) {
            QByteArray p;
            p.append(char(c >> 8));
            p.append(char(c & 0xff));
            p.append(reason);
            return p;
        };
        QTest::newRow("1 byte") << QByteArray("\x03", 1) << QByteArray() << 1005;
        QTest::newRow("999") << code(999) << code(1000) << 999;
        QTest::newRow("1004") << code(1004, "r") << code(1000, "r") << 1004;
        QTest::newRow("1005") << code(1005) << code(1000) << 1005;
        QTest::newRow("1006 with a reason") << code(1006, "gone") << code(1000, "gone") << 1006;
        QTest::newRow("1015") << code(1015) << code(1000) << 1015;
        QTest::newRow("2999") << code(2999) << code(1000) << 2999;
        QTest::newRow("5000") << code(5000) << code(1000) << 5000;
        QTest::newRow("65535") << code(65535) << code(1000) << 65535;
        QTest::newRow("reason not UTF-8") << code(1001, "\xff\xfe") << code(1001) << 1001;
        QTest::newRow("reason cut in a character") << code(4000, "ab\xc3") << code(4000) << 4000;
        QTest::newRow("bad code and reason") << code(999, "\xc0\xaf") << code(1000) << 999;
        QTest::newRow("1013 and a bad reason") << code(1013, "\xff") << code(1001) << 1013;
        // Acceptable ones are not touched.
        QTest::newRow("empty") << QByteArray() << QByteArray() << 1005;
        QTest::newRow("3000") << code(3000, "app") << code(3000, "app") << 3000;
        QTest::newRow("4999, UTF-8 reason")
            << code(4999, "d\xc3\xa9j\xc3\xa0") << code(4999, "d\xc3\xa9j\xc3\xa0") << 4999;
    }
    void closePayloadsQtRefusesAreMadeAcceptable()
    {
        QFETCH(QByteArray, payload);
        QFETCH(QByteArray, forQt);
        QFETCH(int, logged);
        const QByteArray ping = frame(OpPing, true, "p");
        const QByteArray wire = ping + frame(OpClose, true, payload);
        for (const qsizetype chunk : splits(wire.size())) {
            const Run r = run(wire, chunk);
            QCOMPARE(r.forQt, ping + frame(OpClose, true, forQt));
            QVERIFY(!r.partialFrameHandedOn);
            QCOMPARE(r.entries.last().closeCode, quint16(logged));
        }
        QByteArray changed = payload;
        QCOMPARE(QtFrameShield::makeClosePayloadAcceptable(changed), forQt != payload);
        QCOMPARE(changed, forQt);
    }

    void nothingReachesQtAfterTheLimit()
    {
        // A frame over the size limit stops the tap, and the relay fails the connection (1009):
        // Qt gets nothing more, not even the ping after it, and the frame is never buffered.
        const QByteArray ping = frame(OpPing, true, "p");
        const QByteArray wire = ping + frame(OpBinary, true, QByteArray(2000, 'x')) + ping;
        for (const qsizetype chunk : { qsizetype(1), qsizetype(3), qsizetype(5) }) {
            const Run r = run(wire, chunk, false, 1000);
            QCOMPARE(r.forQt, ping);
        }
        // The relay fails the connection at the chunk where the tap stopped: nothing of it goes to Qt.
        QCOMPARE(run(wire, 100, false, 1000).forQt, QByteArray());
        // A control frame over the limit (a broken server) stops the shield by itself.
        QtFrameShield shield(1000);
        QList<QByteArrayView> out;
        shield.feed(QByteArray(frame(OpPing, true, QByteArray(1001, 'p')) + ping), out);
        QVERIFY(out.isEmpty());
        QVERIFY(shield.stopped());
    }

    void strictDropsForbiddenControlFramesWithoutCarryingThem()
    {
        // Strict mode: a ping declaring 64 KiB (§5.5 allows 125 bytes) trickled by a hostile server.
        // The relay fails the connection on it; the shield must not keep a second copy of it while
        // the tap buffers it (twice the size limit per connection), nor hand it to Qt.
        const QByteArray ping = frame(OpPing, true, "p");
        const QByteArray wire = frame(OpPing, true, QByteArray(65536, 'p')) + frame(OpClose, false, "\x03\xe8")
            + frame(OpPong, true, QByteArray(200, 'q')) + ping;
        for (const bool lenient : { false, true }) {
            QtFrameShield shield(kMax, lenient);
            QList<QByteArrayView> out;
            QByteArray forQt;
            qsizetype peakCarried = 0;
            for (qsizetype pos = 0; pos < wire.size(); pos += 1000) {
                out.clear();
                shield.feed(QByteArrayView(wire).sliced(pos, std::min<qsizetype>(1000, wire.size() - pos)), out);
                for (const QByteArrayView v : std::as_const(out))
                    forQt.append(v);
                peakCarried = std::max(peakCarried, shield.carriedBytes());
            }
            QVERIFY2(peakCarried < 200, qPrintable(u"lenient %1: carried %2 bytes"_s.arg(lenient).arg(peakCarried)));
            QCOMPARE(shield.droppedFrames(), lenient ? 2 : 3); // lenient re-encodes the close for Qt
            if (lenient)
                QCOMPARE(forQt, closeFrame(1000) + ping);
            else
                QCOMPARE(forQt, ping);
        }
    }

    void tapFaultsNameTheRule()
    {
        // RSV1 on a continuation frame with deflate on; corrupt deflate data; a bomb.
        WireTap tap(Direction::Receive, 1000);
        LogBatch out;
        tap.feed("HTTP/1.1 101 OK\r\n\r\n", 0, out);
        tap.enableDeflate(15, false);
        tap.feed(QByteArray(frame(OpBinary, false, *MessageDeflater(15, false).deflateMessage("x"), 4)
                     + frame(OpContinuation, true, "", 4)),
            0, out);
        std::optional<WireFault> fault = tap.takeFault();
        QVERIFY(fault);
        QCOMPARE(fault->closeCode, quint16(1002));
        QVERIFY2(fault->reason.contains(u"continuation"_s) && fault->reason.contains(u"RFC 7692"_s),
            qPrintable(fault->reason));

        WireTap corrupt(Direction::Receive, 1000);
        corrupt.feed("HTTP/1.1 101 OK\r\n\r\n", 0, out);
        corrupt.enableDeflate(15, false);
        corrupt.feed(frame(OpText, true, "\xff\xff\xff\xff", 4), 0, out);
        fault = corrupt.takeFault();
        QVERIFY(fault);
        QCOMPARE(fault->closeCode, quint16(1007));
        QVERIFY2(fault->reason.contains(u"Corrupt compressed message"_s), qPrintable(fault->reason));

        WireTap bomb(Direction::Receive, 1000);
        bomb.feed("HTTP/1.1 101 OK\r\n\r\n", 0, out);
        bomb.enableDeflate(15, false);
        bomb.feed(frame(OpBinary, true, *MessageDeflater(15, false).deflateMessage(QByteArray(100000, 0)), 4), 0, out);
        fault = bomb.takeFault();
        QVERIFY(fault);
        QCOMPARE(fault->closeCode, quint16(1009));
        QVERIFY2(fault->reason.contains(u"ratio above"_s), qPrintable(fault->reason));
    }
};

QTEST_GUILESS_MAIN(tst_QtFrameShield)
#include "tst_qtframeshield.moc"
