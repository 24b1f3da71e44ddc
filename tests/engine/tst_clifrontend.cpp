#include "cli/cliformatter.h"
#include "cli/clifrontend.h"
#include "cli/clioptions.h"
#include "scriptedserver.h"
#include "server/builtinserver.h"

#include <QBuffer>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;

namespace {
// What the terminal front end printed before it had its own formatter: QString::arg, trimmed(),
// a QTextStream in UTF-8. The formatter must give exactly these bytes.
QByteArray reference(const LogEntry& e, bool verbose)
{
    if (e.kind == LogEntry::Kind::Handshake && !verbose)
        return {};
    QString out = CliFrontend::formatTime(e.timeUs) + u"  "_s + CliFrontend::describe(e, verbose) + u'\n';
    if (verbose) {
        for (const FrameInfo& f : e.frames)
            out += u"                "_s + CliFrontend::describeFrame(f) + u'\n';
    }
    return out.toUtf8();
}

QByteArray randomPayload(QRandomGenerator& g)
{
    // Pieces chosen to catch every way the bytes and QString's round trip could differ:
    // invalid and overlong UTF-8, encoded surrogates, noncharacters, a BOM, and each kind of
    // white space that trimmed() removes (or does not) at the end.
    static const QList<QByteArray> pieces = { "a", "hello", " ", "\t", "\n", "\r\n", "\v", "\f", "\x1c", "\x00", "%1",
        "%2 %L1", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xef\xbb\xbf", "\xef\xbf\xbe", "\xef\xbf\xbf",
        "\xef\xb7\x90", "\xc2\xa0", "\xc2\x85", "\xe1\x9a\x80", "\xe2\x80\x80", "\xe2\x80\x8a", "\xe2\x80\x8b",
        "\xe2\x80\xa8", "\xe2\x80\xa9", "\xe2\x80\xaf", "\xe2\x81\x9f", "\xe3\x80\x80", "\xe1\xa0\x8e", "\xed\xa0\x80",
        "\xed\xbf\xbf", "\xc0\x80", "\xc1\xbf", "\xe0\x80\x80", "\xf0\x80\x80\x80", "\xf4\x90\x80\x80",
        "\xf5\x80\x80\x80", "\xff", "\x80", "\xc3", "\xe2\x82", "\xf0\x9f\x98", "\xf4\x8f\xbf\xbf", "\xdf\xbf",
        "\xe0\xa0\x80", "\x7f" };
    QByteArray out;
    const int n = int(g.bounded(8));
    for (int i = 0; i < n; ++i) {
        if (g.bounded(6) == 0) {
            QByteArray raw(int(g.bounded(10)), Qt::Uninitialized);
            for (char& c : raw)
                c = char(g.bounded(256));
            out += raw;
        } else {
            out += pieces.at(g.bounded(int(pieces.size())));
        }
    }
    if (g.bounded(20) == 0)
        out = QByteArray(int(g.bounded(300)), 'x'); // long, and more than 64 bytes of hex
    return out;
}

LogEntry randomEntry(QRandomGenerator& g)
{
    static const LogEntry::Kind kinds[] = { LogEntry::Kind::Text, LogEntry::Kind::Text, LogEntry::Kind::Binary,
        LogEntry::Kind::Close, LogEntry::Kind::Ping, LogEntry::Kind::Pong, LogEntry::Kind::State, LogEntry::Kind::Error,
        LogEntry::Kind::Info, LogEntry::Kind::Handshake };
    static const Direction dirs[] = { Direction::Send, Direction::Receive, Direction::None };
    LogEntry e;
    e.kind = kinds[g.bounded(10)];
    e.dir = dirs[g.bounded(3)];
    // Around now, sometimes many in one second, sometimes on a second's edge.
    e.timeUs = qint64(1764500000) * 1000000 + qint64(g.bounded(5)) * 999999 + qint64(g.bounded(2000));
    e.payload = randomPayload(g);
    if (e.kind == LogEntry::Kind::Close) {
        e.closeCode = quint16(g.bounded(3) == 0 ? 0 : 1000 + g.bounded(4000));
        if (e.closeCode)
            e.payload = QByteArray(1, char(e.closeCode >> 8)) + char(e.closeCode & 0xff) + e.payload;
    }
    if (e.kind == LogEntry::Kind::Handshake)
        e.payload = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nX-Odd: " + e.payload + "\r\n\r\n";
    const int frames = int(g.bounded(3));
    for (int i = 0; i < frames; ++i) {
        FrameInfo f;
        f.fin = g.bounded(2);
        f.rsv = quint8(g.bounded(8));
        f.opcode = quint8(g.bounded(16));
        f.masked = g.bounded(2);
        f.maskKey = g.generate() >> g.bounded(32);
        f.length = g.generate64() >> g.bounded(64);
        f.lengthBytes = quint8(QList<int> { 0, 2, 8 }.at(g.bounded(3)));
        if (g.bounded(5) == 0)
            f.violations = { u"RSV1 set without an extension"_s, u"a masked frame from the server"_s };
        e.frames.append(f);
    }
    return e;
}
} // namespace

class tst_CliFrontend : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanupTestCase() { BuiltinServers::shutdown(); }

    void formatterPrintsWhatDescribeDid()
    {
        QRandomGenerator g(20261201);
        CliFormatter formatter;
        for (int i = 0; i < 50000; ++i) {
            const LogEntry e = randomEntry(g);
            const bool verbose = g.bounded(2);
            QByteArray actual;
            formatter.appendEntry(actual, e, verbose);
            const QByteArray expected = reference(e, verbose);
            if (actual != expected) {
                qWarning() << "entry" << i << "kind" << int(e.kind) << "payload" << e.payload.toHex(' ');
                QCOMPARE(actual, expected);
            }
        }
    }

    void utf8Validation_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("valid");
        QTest::newRow("ascii") << QByteArray("plain ascii text, long enough for the fast path") << true;
        QTest::newRow("two bytes") << QByteArray("caf\xc3\xa9") << true;
        QTest::newRow("four bytes") << QByteArray("\xf0\x9f\x98\x80") << true;
        QTest::newRow("last code point") << QByteArray("\xf4\x8f\xbf\xbf") << true;
        QTest::newRow("past the last code point") << QByteArray("\xf4\x90\x80\x80") << false;
        QTest::newRow("overlong") << QByteArray("\xc0\xaf") << false;
        QTest::newRow("overlong three") << QByteArray("\xe0\x9f\xbf") << false;
        QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << false;
        QTest::newRow("cut short") << QByteArray("abcdefgh\xe2\x82") << false;
        QTest::newRow("lone continuation") << QByteArray("abcdefghijk\x80") << false;
    }
    void utf8Validation()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, valid);
        QCOMPARE(CliFormatter::isValidUtf8(bytes), valid);
        if (valid)
            QCOMPARE(QString::fromUtf8(bytes).toUtf8(), bytes);
    }

    // -v prints a refused upgrade's chunked body as the window's handshake page shows it: the
    // page's text, not the hex chunk sizes between its pieces.
    void verboseDecodesChunkedRefusal()
    {
        test::ScriptedServer server([](QTcpSocket* socket, const HttpHead&) {
            socket->write("HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
                          "a\r\nNot here: \r\n17\r\nthe WebSocket endpoint \r\n6\r\nis /ws\r\n0\r\n\r\n");
            socket->disconnectFromHost();
        });
        const test::CliRun run = test::runCli({ u"--cli"_s, u"-v"_s, server.url() }, 10000);
        QVERIFY2(run.exitCode >= 0, qPrintable(run.err)); // it ended
        const QByteArray printed = (run.out + run.err).toUtf8();
        // (the note's plural comes from the catalogue the program installs; none is installed here)
        QVERIFY2(printed.contains("               < [Chunked transfer encoding decoded (3 chunk"), printed.constData());
        QVERIFY2(printed.contains("\n               < Not here: the WebSocket endpoint is /ws\n"), printed.constData());
        QVERIFY2(!printed.contains("< 17"), printed.constData());
    }

    // A server that writes as fast as it can: every message becomes its line, in order, and the
    // lines still buffered when the connection ends are written too.
    void floodReachesEveryLine()
    {
        constexpr int kCount = 20000;
        CliOptions options;
        QString error;
        QVERIFY2(CliParser::parse(
                     { u"--cli"_s, u"builtin:push?interval=0&count=%1&size=100"_s.arg(kCount) }, &options, &error),
            qPrintable(error));
        QBuffer out;
        QBuffer err;
        QVERIFY(out.open(QIODevice::WriteOnly) && err.open(QIODevice::WriteOnly));
        CliFrontend frontend(options, &out, &err);
        QSignalSpy finished(&frontend, &CliFrontend::finished);
        QVERIFY(frontend.start());
        const QByteArray last = "push #" + QByteArray::number(kCount) + ".";
        QTRY_VERIFY_WITH_TIMEOUT(out.data().contains(last), 60000);
        frontend.interrupt();
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.first().at(0).toInt(), int(CliFrontend::ExitClean));
        QVERIFY2(err.data().isEmpty(), err.data().constData());

        const QList<QByteArray> lines = out.data().split('\n');
        QCOMPARE(lines.last(), QByteArray()); // ends with a complete line
        int next = 1;
        for (const QByteArray& line : lines) {
            const qsizetype at = line.indexOf("  < text   100 B  push #");
            if (at < 0)
                continue;
            QCOMPARE(at, qsizetype(12)); // "hh:mm:ss.zzz"
            QByteArray expected = "push #" + QByteArray::number(next);
            expected += QByteArray(100 - expected.size(), '.');
            QCOMPARE(line.mid(at + 18), expected);
            ++next;
        }
        QCOMPARE(next - 1, kCount);
        QVERIFY(out.data().contains("  > close  1000\n"));
        QVERIFY2(lines.at(lines.size() - 2).contains("Closed by you with code 1000"), lines.at(lines.size() - 2));
    }
};

QTEST_GUILESS_MAIN(tst_CliFrontend)
#include "tst_clifrontend.moc"
