// QtFrameShield with the receive WireTap, as the relay drives them: what QWebSocket 6.4 gets for
// the server's bytes, split at every byte boundary. Unchanged frames pass byte for byte (without
// a copy when whole in the chunk), only whole frames are handed on, and what Qt 6.4 rejects
// although RFC 6455 / RFC 7692 allow it is re-encoded: fragmented text (a UTF-8 character split
// across fragments), compressed messages, non-minimal lengths, RSV bits, close codes 1012-1014.
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

// The relay's receive path after the 101 head, fed in chunks of chunkSize bytes. Returns what
// QWebSocket got; every call's output must end on a frame boundary (checked with a parser).
struct Run
{
    QByteArray forQt;
    LogBatch entries;
    bool partialFrameHandedOn = false;
    qint64 zeroCopyChunks = 0;
};

Run run(const QByteArray& wire, qsizetype chunkSize, bool deflate = false, int windowBits = 15)
{
    Run r;
    WireTap tap(Direction::Receive, kMax);
    tap.setCollectReassembled(true);
    QByteArray head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n";
    tap.feed(head, 0, r.entries);
    if (deflate)
        tap.enableDeflate(windowBits, false);
    QtFrameShield shield(kMax);
    shield.setDeflate(deflate);
    QList<ReassembledMessage> messages;
    FrameParser qt(Direction::Receive, kMax);
    for (qsizetype pos = 0; pos < wire.size(); pos += chunkSize) {
        const QByteArray chunk = wire.mid(pos, chunkSize);
        tap.feed(chunk, 0, r.entries);
        messages.append(tap.takeReassembled());
        QList<QByteArrayView> out;
        shield.feed(chunk, messages, out);
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
    return r;
}

QList<ParsedFrame> framesOf(const QByteArray& bytes)
{
    FrameParser p(Direction::Receive, kMax);
    QList<ParsedFrame> out;
    p.feed(bytes, out);
    return out;
}

} // namespace

class tst_QtFrameShield : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void unchangedFramesPassByteForByte()
    {
        QByteArray wire = frame(OpText, true, "hello") + frame(OpBinary, true, QByteArray(300, 'b'))
            + frame(OpPing, true, "p") + frame(OpBinary, false, "ab") + frame(OpContinuation, true, "cd")
            + frame(OpText, true, QByteArray(70000, 'x'))
            + frame(OpClose, true,
                QByteArray("\x03\xe8"
                           "bye",
                    5));
        for (qsizetype chunk = 1; chunk <= wire.size(); chunk = chunk < 64 ? chunk + 1 : chunk * 3) {
            const Run r = run(wire, chunk);
            QCOMPARE(r.forQt, wire);
            QVERIFY2(!r.partialFrameHandedOn, qPrintable(u"chunk %1"_s.arg(chunk)));
        }
        // Whole frames in one chunk: QWebSocket gets the chunk itself, no copy.
        QCOMPARE(run(wire, wire.size()).zeroCopyChunks, 1);
    }

    void fragmentedTextBecomesOneFrame()
    {
        // "ü" (c3 bc) split across the fragments: Qt 6.4 would close with 1007.
        const QByteArray text = QString(u"Grüße"_s).toUtf8();
        const QByteArray wire = frame(OpText, false, text.left(3)) + frame(OpPing, true, "mid")
            + frame(OpContinuation, false, text.mid(3, 1)) + frame(OpContinuation, true, text.mid(4))
            + frame(OpText, true, "next");
        for (qsizetype chunk = 1; chunk <= wire.size(); ++chunk) {
            const Run r = run(wire, chunk);
            const QList<ParsedFrame> frames = framesOf(r.forQt);
            QCOMPARE(frames.size(), 3);
            QCOMPARE(frames.at(0).info.opcode, quint8(OpPing)); // a control frame is not held back
            QCOMPARE(frames.at(1).info.opcode, quint8(OpText));
            QVERIFY(frames.at(1).info.fin);
            QCOMPARE(frames.at(1).payload, text);
            QCOMPARE(frames.at(2).payload, QByteArray("next"));
            // The log still shows the three frames of the wire.
            QCOMPARE(r.entries.at(2).frames.size(), 3);
        }
    }

    void compressedMessagesAreInflated()
    {
        MessageDeflater deflater(15, false);
        const QByteArray first = QByteArray("{\"a\":1,\"b\":\"") + QByteArray(5000, 'z') + "\"}";
        const QByteArray second = first; // context takeover: refers back to the first
        const QByteArray c1 = *deflater.deflateMessage(first);
        const QByteArray c2 = *deflater.deflateMessage(second);
        const QByteArray wire = frame(OpText, true, c1, 4) + frame(OpBinary, false, c2.left(3), 4)
            + frame(OpContinuation, true, c2.mid(3)) + frame(OpBinary, true, "plain");
        for (qsizetype chunk : { qsizetype(1), qsizetype(2), qsizetype(7), qsizetype(64), wire.size() }) {
            const Run r = run(wire, chunk, true);
            const QList<ParsedFrame> frames = framesOf(r.forQt);
            QCOMPARE(frames.size(), 3);
            QCOMPARE(frames.at(0).payload, first);
            QCOMPARE(frames.at(0).info.rsv, quint8(0));
            QCOMPARE(frames.at(1).payload, second);
            QCOMPARE(frames.at(1).info.opcode, quint8(OpBinary));
            QCOMPARE(frames.at(2).payload, QByteArray("plain"));
            // The log: inflated payload, wire bytes and RSV1 kept.
            QCOMPARE(r.entries.at(1).payload, first);
            QVERIFY(r.entries.at(1).isCompressed());
            QCOMPARE(r.entries.at(1).wirePayload, c1);
            QCOMPARE(r.entries.at(2).wireLength(), c2.size());
            QVERIFY(!r.entries.at(3).isCompressed());
        }
    }

    void whatQtRejectsIsReencoded()
    {
        // A 16-bit length for 5 bytes (Qt: "Lengths smaller than 126 must be expressed as one
        // byte"), RSV2 (Qt: "Rsv field is non-zero"), close code 1012 (Qt: invalid close code).
        QByteArray nonMinimal("\x82\x7e\x00\x05", 4);
        nonMinimal += "abcde";
        const QByteArray rsv2 = frame(OpBinary, true, "r", 2);
        const QByteArray close = frame(OpClose, true, QByteArray("\x03\xf4restart", 9));
        const Run r = run(QByteArray(nonMinimal + rsv2 + close), 1);
        const QList<ParsedFrame> frames = framesOf(r.forQt);
        QCOMPARE(frames.size(), 3);
        QCOMPARE(frames.at(0).payload, QByteArray("abcde"));
        QCOMPARE(frames.at(0).info.lengthBytes, quint8(0));
        QCOMPARE(frames.at(1).info.rsv, quint8(0));
        QCOMPARE(frames.at(2).payload, QByteArray("\x03\xe9restart", 9)); // 1001, reason kept
        // The log keeps the truth: 1012, the encodings as sent.
        QCOMPARE(r.entries.last().closeCode, quint16(1012));
        QCOMPARE(r.entries.at(1).frames.first().lengthBytes, quint8(2));
        // Closes with a code Qt knows pass as they are.
        const QByteArray normal = frame(OpClose, true, QByteArray("\x03\xe8", 2));
        QCOMPARE(run(normal, 1).forQt, normal);
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
