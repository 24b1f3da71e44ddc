// The permessage-deflate codec: round trips over every parameter combination, messages compressed
// by node's zlib (as npm ws sends them) and ours inflated by node, decompression bombs stopped at
// the limit with bounded memory, corrupt streams named, and the benchmark building block.
#include "deflate/inflatebench.h"
#include "deflate/messagecodec.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sys/resource.h>
#include <zlib.h>

using namespace Qt::StringLiterals;
using namespace wsi;

namespace {

enum class Kind { Text, Json, Random };

QByteArray payload(Kind kind, qsizetype size, quint32 seed)
{
    QRandomGenerator rng(seed);
    QByteArray out;
    out.reserve(size + 64);
    switch (kind) {
    case Kind::Text: {
        static const char* const words[] = { "the ", "quick ", "brown ", "fox ", "jumps ", "over ", "lazy ", "dog. " };
        while (out.size() < size)
            out += words[rng.bounded(8)];
        break;
    }
    case Kind::Json:
        for (int i = 0; out.size() < size; ++i)
            out += R"({"id":)" + QByteArray::number(rng.bounded(100000)) + R"(,"name":"user)"
                + QByteArray::number(i % 50) + R"(","active":true},)";
        break;
    case Kind::Random:
        out.resize(size);
        for (qsizetype i = 0; i < size; ++i)
            out[i] = char(rng.bounded(256));
        break;
    }
    out.truncate(size);
    return out;
}

qint64 maxRssKiB()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

// inflatedSize bytes of zeros as one raw-deflate message (tail stripped), cheaply: 4 MiB of zeros
// compressed once and ended with a full flush (which makes the piece independent of what came
// before), repeated. The test itself never holds the gigabyte.
QByteArray zeroBomb(qint64 inflatedSize)
{
    constexpr qsizetype piece = 4 * 1024 * 1024;
    z_stream z {};
    if (deflateInit2(&z, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        return {};
    const QByteArray zeros(piece, '\0');
    QByteArray block(64 * 1024, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zeros.data()));
    z.avail_in = uInt(zeros.size());
    z.next_out = reinterpret_cast<Bytef*>(block.data());
    z.avail_out = uInt(block.size());
    deflate(&z, Z_FULL_FLUSH);
    block.resize(block.size() - qsizetype(z.avail_out));
    deflateEnd(&z);
    QByteArray out;
    for (qint64 n = 0; n < inflatedSize / piece; ++n)
        out += block;
    out.chop(4);
    return out;
}

// Raw deflate with zlib directly (any window, any flush), for data our deflater would not make.
QByteArray zlibDeflate(const QByteArray& data, int windowBits, int flush)
{
    z_stream z {};
    deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -windowBits, 8, Z_DEFAULT_STRATEGY);
    QByteArray out(int(deflateBound(&z, uLong(data.size()))) + 64, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = uInt(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = uInt(out.size());
    deflate(&z, flush);
    out.resize(out.size() - qsizetype(z.avail_out));
    deflateEnd(&z);
    return out;
}

// Inflates one raw message (tail appended) one output byte per call, so that zlib must take every
// back-reference from its window of 2^windowBits bytes and reports any that reaches further
// ("error: ..."). fresh = false continues the previous stream (context takeover).
QByteArray strictInflate(const QByteArray& compressed, int windowBits, bool fresh = true)
{
    static z_stream z {};
    static bool ready = false;
    if (fresh || !ready) {
        if (ready)
            inflateEnd(&z);
        z = z_stream {};
        ready = inflateInit2(&z, -windowBits) == Z_OK;
    }
    const QByteArray in = compressed + QByteArray::fromHex("0000ffff");
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = uInt(in.size());
    QByteArray out;
    char byte = 0;
    while (true) {
        z.next_out = reinterpret_cast<Bytef*>(&byte);
        z.avail_out = 1;
        const int ret = inflate(&z, Z_SYNC_FLUSH);
        if (ret == Z_DATA_ERROR)
            return "error: " + QByteArray(z.msg);
        if (z.avail_out == 0)
            out += byte;
        else
            break;
    }
    return out;
}

struct NodeRun
{
    QList<QByteArray> output;
    QString error;
};

// Runs tests/deflate/node_zlib.js on messages (mode "deflate" or "inflate").
NodeRun runNode(const QString& mode, int windowBits, bool takeover, const QList<QByteArray>& messages)
{
    NodeRun run;
    QTemporaryDir dir;
    const QString in = dir.filePath(u"in.txt"_s);
    const QString out = dir.filePath(u"out.txt"_s);
    QFile f(in);
    if (!f.open(QIODevice::WriteOnly)) {
        run.error = u"cannot write "_s + in;
        return run;
    }
    for (const QByteArray& m : messages)
        f.write(m.toBase64() + '\n');
    f.close();
    QProcess node;
    node.start(u"node"_s,
        { QStringLiteral(WSI_NODE_ZLIB_SCRIPT), mode, QString::number(windowBits), takeover ? u"1"_s : u"0"_s, in,
            out });
    if (!node.waitForFinished(60000) || node.exitStatus() != QProcess::NormalExit || node.exitCode() != 0) {
        run.error = u"node failed: "_s + QString::fromUtf8(node.readAllStandardError()) + node.errorString();
        return run;
    }
    QFile result(out);
    if (!result.open(QIODevice::ReadOnly)) {
        run.error = u"node wrote no output"_s;
        return run;
    }
    const QList<QByteArray> lines = result.readAll().split('\n');
    for (qsizetype i = 0; i + 1 < lines.size(); ++i)
        run.output.append(QByteArray::fromBase64(lines.at(i)));
    return run;
}

} // namespace

class tst_MessageCodec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!QStandardPaths::findExecutable(u"node"_s).isEmpty(), "node is installed by scripts/lib.sh");
    }

    // First, while this process is still small: the high-water mark of its memory proves that
    // a gigabyte bomb never made the inflater hold more than the limit.
    void bombStopsAtTheLimitWithBoundedMemory()
    {
        const QByteArray bomb = zeroBomb(qint64(1) << 30);
        QVERIFY(bomb.size() > 0 && bomb.size() < 2 * 1024 * 1024); // ~1 MiB for 1 GiB
        const qint64 before = maxRssKiB();
        constexpr qint64 limit = 16 * 1024 * 1024;
        MessageInflater inflater(15, false, limit);
        auto r = inflater.inflateMessage(bomb);
        const qint64 grownKiB = maxRssKiB() - before;
        QVERIFY(!r.ok());
        QVERIFY2(r.errorMessage().startsWith(u"Inflated message exceeds the limit of 16.0 MiB (the largest incoming "
                                             u"message): "_s),
            qPrintable(r.errorMessage()));
        QVERIFY2(r.errorMessage().contains(u"Stopped as a decompression bomb."_s), qPrintable(r.errorMessage()));
        // zeros deflate at about 1030:1
        QVERIFY2(r.errorMessage().contains(QRegularExpression(u"a ratio above 10[0-9][0-9]:1"_s)),
            qPrintable(r.errorMessage()));
        QVERIFY2(grownKiB < 64 * 1024, qPrintable(u"memory grew by %1 KiB"_s.arg(grownKiB)));

        // Fed frame by frame, the bomb stops before the last fragment and returns no output
        // beyond the limit.
        // (A new baseline: under AddressSanitizer freed memory stays in quarantine.)
        const qint64 beforeFragments = maxRssKiB();
        MessageInflater fragments(15, false, limit);
        QByteArray out;
        qsizetype fed = 0;
        Result<void> step;
        while (fed < bomb.size()) {
            const qsizetype n = std::min<qsizetype>(64 * 1024, bomb.size() - fed);
            step = fragments.inflateAppend(QByteArrayView(bomb).sliced(fed, n), fed + n == bomb.size(), out);
            fed += n;
            if (!step)
                break;
        }
        QVERIFY(!step.ok());
        QVERIFY(fed < bomb.size());
        QVERIFY(out.size() <= limit);
        QVERIFY2(maxRssKiB() - beforeFragments < 64 * 1024,
            qPrintable(u"memory grew by %1 KiB"_s.arg(maxRssKiB() - beforeFragments)));

        // After the error the inflater takes the next message (the relay fails the connection,
        // but nothing may crash on input that keeps coming).
        MessageDeflater deflater(15, false);
        auto next = fragments.inflateMessage(deflater.deflateMessage("after the bomb").value());
        QVERIFY2(next.ok(), qPrintable(next.errorMessage()));
        QCOMPARE(next.value(), QByteArray("after the bomb"));
    }

    void limitIsInclusive()
    {
        const QByteArray exact(4096, 'a');
        MessageDeflater deflater(15, true);
        const QByteArray compressed = deflater.deflateMessage(exact).value();
        MessageInflater atLimit(15, true, 4096);
        auto ok = atLimit.inflateMessage(compressed);
        QVERIFY2(ok.ok(), qPrintable(ok.errorMessage()));
        QCOMPARE(ok.value(), exact);
        MessageInflater belowLimit(15, true, 4095);
        auto tooBig = belowLimit.inflateMessage(compressed);
        QVERIFY(!tooBig.ok());
        QVERIFY(tooBig.errorMessage().startsWith(u"Inflated message exceeds the limit of 4.0 KiB"_s));
    }

    void inflatedMessageHoldsNoSpareMemory()
    {
        // The log keeps messages; a 1 KiB message must not carry the inflater's 16 KiB chunk.
        const QByteArray json = payload(Kind::Json, 1000, 11);
        MessageDeflater deflater(15, false);
        MessageInflater inflater(15, false, 1 << 20);
        for (int i = 0; i < 3; ++i) {
            auto back = inflater.inflateMessage(deflater.deflateMessage(json).value());
            QVERIFY2(back.ok(), qPrintable(back.errorMessage()));
            QCOMPARE(back.value(), json);
            QVERIFY2(back->capacity() < 2 * json.size(), qPrintable(QString::number(back->capacity())));
        }
    }

    void roundTrip_data()
    {
        QTest::addColumn<int>("windowBits");
        QTest::addColumn<bool>("takeover");
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("size");
        const QList<int> sizes { 0, 1, 16, 100, 1024, 4096, 65536, 131072 };
        for (int bits : { 8, 9, 12, 15 }) {
            for (bool takeover : { true, false }) {
                for (int kind : { int(Kind::Text), int(Kind::Json), int(Kind::Random) }) {
                    for (int size : sizes) {
                        QTest::addRow("w%d %s %s %d B", bits, takeover ? "takeover" : "reset",
                            kind == 0       ? "text"
                                : kind == 1 ? "json"
                                            : "random",
                            size)
                            << bits << takeover << kind << size;
                    }
                }
            }
        }
    }
    void roundTrip()
    {
        QFETCH(int, windowBits);
        QFETCH(bool, takeover);
        QFETCH(int, kind);
        QFETCH(int, size);
        MessageDeflater deflater(windowBits, !takeover);
        MessageInflater inflater(windowBits, !takeover, 1024 * 1024);
        MessageInflater fragmented(windowBits, !takeover, 1024 * 1024);
        QList<qsizetype> compressedSizes;
        // Three messages, the third equal to the first: context takeover must make it cheaper.
        for (int i = 0; i < 3; ++i) {
            const QByteArray message = payload(Kind(kind), size, quint32(i == 2 ? 0 : i) * 7919u + quint32(size));
            auto c = deflater.deflateMessage(message);
            QVERIFY2(c.ok(), qPrintable(c.errorMessage()));
            compressedSizes.append(c->size());
            auto back = inflater.inflateMessage(c.value());
            QVERIFY2(back.ok(), qPrintable(back.errorMessage()));
            QCOMPARE(back.value(), message);
            // The same bytes split as a relay may receive them: several frames of odd sizes.
            QByteArray joined;
            const QByteArray& wire = c.value();
            const qsizetype step = std::max<qsizetype>(1, wire.size() / 5 + 1);
            for (qsizetype at = 0; at < wire.size() || at == 0; at += step) {
                const qsizetype n = std::min(step, wire.size() - at);
                auto r = fragmented.inflateAppend(QByteArrayView(wire).sliced(at, n), at + n >= wire.size(), joined);
                QVERIFY2(r.ok(), qPrintable(r.errorMessage()));
                if (wire.isEmpty())
                    break;
            }
            QCOMPARE(joined, message);
            if (Kind(kind) != Kind::Random && size >= 1024)
                QVERIFY2(c->size() < message.size() / 2, qPrintable(u"%1 -> %2"_s.arg(message.size()).arg(c->size())));
        }
        if (size == 0)
            QCOMPARE(compressedSizes, (QList<qsizetype> { 1, 1, 1 })); // RFC 7692 §7.2.3.6: a single 0x00
        // Random bytes only compress by referring to an earlier message: with takeover the repeat
        // costs a few bytes (if the first message is still in the window), with a reset as much as
        // the first time. (zlib refers at most its window minus 262 bytes back.)
        if (Kind(kind) == Kind::Random && size >= 100) {
            if (takeover && 2 * size + 16 <= (1 << std::max(9, windowBits)) - 262)
                QVERIFY2(compressedSizes[2] < compressedSizes[0] / 4,
                    qPrintable(u"%1 vs %2"_s.arg(compressedSizes[2]).arg(compressedSizes[0])));
            if (!takeover)
                QCOMPARE(compressedSizes[2], compressedSizes[0]);
        }
    }

    void windowBitsAreHonoured()
    {
        // A 300-byte random block repeated: a 15-bit compressor refers 300 bytes back, which a
        // peer with a 256-byte window cannot follow. The strict inflate below (one output byte per
        // call, so every reference must come from zlib's window) shows that; our 8-bit compressor
        // (zlib's 9 underneath) must never refer that far.
        const QByteArray block = payload(Kind::Random, 300, 42);
        const QByteArray message = block + block + block;
        MessageDeflater wide(15, true);
        const QByteArray refused = strictInflate(wide.deflateMessage(message).value(), 8);
        QCOMPARE(refused, QByteArray("error: invalid distance too far back"));
        QCOMPARE(strictInflate(wide.deflateMessage(message).value(), 9), message);

        MessageDeflater eight(8, false);
        QCOMPARE(eight.zlibWindowBits(), 9);
        MessageInflater narrow(8, false, 1 << 20);
        for (int i = 0; i < 20; ++i) {
            const QByteArray m = payload(Kind(i % 3), 200 + i * 97, quint32(i)) + block + block;
            const QByteArray compressed = eight.deflateMessage(m).value();
            QCOMPARE(strictInflate(compressed, 8, i == 0), m);
            auto back = narrow.inflateMessage(compressed);
            QVERIFY2(back.ok(), qPrintable(back.errorMessage()));
            QCOMPARE(back.value(), m);
        }
    }

    void contextResetIsHonoured()
    {
        // A sender that keeps its context although it agreed to reset: the second message
        // refers into the first, and an inflater that resets reports it.
        const QByteArray message = payload(Kind::Text, 2000, 7);
        MessageDeflater keeps(15, false);
        const QByteArray first = keeps.deflateMessage(message).value();
        const QByteArray second = keeps.deflateMessage(message).value();
        MessageInflater resets(15, true, 1 << 20);
        QVERIFY(resets.inflateMessage(first).ok());
        auto r = resets.inflateMessage(second);
        QVERIFY(!r.ok());
        QVERIFY2(r.errorMessage().startsWith(u"Corrupt compressed message: zlib says \"invalid distance too far "
                                             u"back\""_s),
            qPrintable(r.errorMessage()));
    }

    void nodeDeflatedMessages_data()
    {
        QTest::addColumn<int>("windowBits");
        QTest::addColumn<bool>("takeover");
        for (int bits = 8; bits <= 15; ++bits) {
            QTest::addRow("w%d takeover", bits) << bits << true;
            QTest::addRow("w%d reset", bits) << bits << false;
        }
    }
    void nodeDeflatedMessages()
    {
        QFETCH(int, windowBits);
        QFETCH(bool, takeover);
        // A repeat right away (200 bytes fit even the smallest window) shows node kept its context.
        QList<QByteArray> messages { payload(Kind::Random, 200, 77), payload(Kind::Random, 200, 77) };
        int i = 0;
        for (int size : { 0, 16, 300, 1024, 5000, 131072 }) {
            for (Kind kind : { Kind::Text, Kind::Json, Kind::Random })
                messages.append(payload(kind, size, quint32(++i)));
        }
        const NodeRun node = runNode(u"deflate"_s, windowBits, takeover, messages);
        QVERIFY2(node.error.isEmpty(), qPrintable(node.error));
        QCOMPARE(node.output.size(), messages.size());
        if (takeover)
            QVERIFY(node.output.at(1).size() < node.output.at(0).size() / 4);
        else
            QCOMPARE(node.output.at(1), node.output.at(0));

        MessageInflater inflater(windowBits, !takeover, 1024 * 1024);
        for (qsizetype m = 0; m < messages.size(); ++m) {
            auto back = inflater.inflateMessage(node.output.at(m));
            QVERIFY2(back.ok(), qPrintable(u"message %1: %2"_s.arg(m).arg(back.errorMessage())));
            QVERIFY2(back.value() == messages.at(m), qPrintable(u"message %1 differs"_s.arg(m)));
        }

        // And the other way: node inflates what we compress, with the same parameters.
        MessageDeflater deflater(windowBits, !takeover);
        QList<QByteArray> ours;
        for (const QByteArray& m : std::as_const(messages))
            ours.append(deflater.deflateMessage(m).value());
        const NodeRun back = runNode(u"inflate"_s, windowBits, takeover, ours);
        QVERIFY2(back.error.isEmpty(), qPrintable(back.error));
        QCOMPARE(back.output, messages);
    }

    void corruptStreams_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QString>("message");
        const QByteArray text = payload(Kind::Text, 5000, 3);
        MessageDeflater deflater(15, true);
        const QByteArray good = deflater.deflateMessage(text).value();
        QTest::newRow("reserved block type")
            << QByteArray::fromHex("ffffffff") << u"Corrupt compressed message: zlib says \"invalid block type\""_s;
        QTest::newRow("random bytes") << payload(Kind::Random, 1000, 99) << u"Corrupt compressed message:"_s;
        QTest::newRow("truncated") << good.first(good.size() - 3) << u"Corrupt compressed message:"_s;
        QTest::newRow("tail not removed")
            << good + QByteArray::fromHex("0000ffff")
            << u"Corrupt compressed message: its %1 of deflate data end inside a block (truncated, or the sender did "
               u"not remove 00 00 ff ff)."_s.arg(
                   QLocale::c().formattedDataSize(good.size() + 4, 1, QLocale::DataSizeIecFormat));
        QTest::newRow("data after the final block") << zlibDeflate(text, 15, Z_FINISH)
                + "junk" << u"Compressed message continues after its final deflate block (4 bytes more)."_s;
        QTest::newRow("stored block with a bad length") << QByteArray::fromHex(
            "0005001234") << u"Corrupt compressed message: zlib says \"invalid stored block lengths\""_s;
    }
    void corruptStreams()
    {
        QFETCH(QByteArray, data);
        QFETCH(QString, message);
        MessageInflater inflater(15, false, 1 << 20);
        auto r = inflater.inflateMessage(data);
        QVERIFY(!r.ok());
        QVERIFY2(r.errorMessage().startsWith(message), qPrintable(r.errorMessage()));
        // The inflater is usable again (it reset itself).
        MessageDeflater deflater(15, false);
        auto next = inflater.inflateMessage(deflater.deflateMessage("next").value());
        QVERIFY2(next.ok(), qPrintable(next.errorMessage()));
        QCOMPARE(next.value(), QByteArray("next"));
    }

    void unusualButValidMessages()
    {
        MessageInflater inflater(15, false, 1 << 20);
        // RSV1 with no payload at all: an empty message, and the context stays usable.
        auto empty = inflater.inflateMessage({});
        QVERIFY2(empty.ok(), qPrintable(empty.errorMessage()));
        QVERIFY(empty->isEmpty());
        // A sender flushing with a final block (RFC 7692 §7.2.3.3) instead of a sync flush.
        const QByteArray text = payload(Kind::Json, 3000, 5);
        auto finished = inflater.inflateMessage(zlibDeflate(text, 15, Z_FINISH));
        QVERIFY2(finished.ok(), qPrintable(finished.errorMessage()));
        QCOMPARE(finished.value(), text);
        // ... after which the next message starts a new stream.
        MessageDeflater deflater(15, false);
        auto next = inflater.inflateMessage(deflater.deflateMessage(text).value());
        QVERIFY2(next.ok(), qPrintable(next.errorMessage()));
        QCOMPARE(next.value(), text);
    }

    void benchBuildingBlock()
    {
        const QList<QByteArray> messages = makeDeflateBenchMessages(200);
        QCOMPARE(messages.size(), 200);
        qint64 plain = 0;
        for (int i = 0; i < 200; ++i) {
            const QByteArray text = deflateBenchMessageText(i);
            QVERIFY(text.size() > 900 && text.size() < 1100);
            plain += text.size();
        }
        auto r = runInflateBench(messages, 15, false, 1 << 20, 2);
        QVERIFY2(r.ok(), qPrintable(r.errorMessage()));
        QCOMPARE(r->messages, 200);
        QCOMPARE(r->inflatedBytes, plain);
        QVERIFY(r->compressedBytes < plain / 2);
        QVERIFY(r->inflaterNs > 0 && r->bareZlibNs > 0 && r->ratio() > 0);
        // Messages compressed with takeover cannot be read by a resetting inflater.
        QVERIFY(!runInflateBench(messages, 15, true, 1 << 20).ok());
    }
};

QTEST_GUILESS_MAIN(tst_MessageCodec)
#include "tst_messagecodec.moc"
