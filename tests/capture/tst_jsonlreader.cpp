// The capture reader: lines cut anywhere, frames joined into messages, handshake events into the
// connection, and every kind of bad line skipped with its number.
#include "capture/capturefilereader.h"
#include "capture/jsonlreader.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsi;

namespace {

// docs/capture-format.md's example, with a fragmented message, a binary one and a close frame.
QByteArray exampleCapture()
{
    QFile f(QStringLiteral(WSI_CAPTURE_TEST_DATA "/example.jsonl"));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QList<CapturedSession> readAllBytes(const QByteArray& bytes, QStringList* notices, qsizetype split = -1)
{
    JsonlReader reader;
    if (split < 0) {
        reader.feed(bytes);
    } else {
        reader.feed(QByteArrayView(bytes).first(split));
        reader.feed(QByteArrayView(bytes).sliced(split));
    }
    reader.finish();
    QList<CapturedSession> sessions;
    CaptureChunk chunk = reader.takeChunk();
    notices->append(chunk.notices);
    CaptureFileReader::merge(&sessions, std::move(chunk));
    return sessions;
}

QList<LogEntry> messages(const CapturedSession& s)
{
    QList<LogEntry> out;
    for (const LogEntry& e : s.entries) {
        if (e.isMessage() || e.isControl())
            out.append(e);
    }
    return out;
}

} // namespace

class tst_JsonlReader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void readsTheDocumentedExample()
    {
        QVERIFY(!exampleCapture().isEmpty());
        QStringList notices;
        const QList<CapturedSession> sessions = readAllBytes(exampleCapture(), &notices);
        QVERIFY2(notices.isEmpty(), qPrintable(notices.join(u'\n')));
        QCOMPARE(sessions.size(), 1);
        const CapturedSession& s = sessions.first();
        QCOMPARE(s.connection.id, 1);
        QCOMPARE(s.connection.url, QUrl(u"ws://127.0.0.1:40575/echo"_s));
        QCOMPARE(s.connection.handshake.request.header("X-Token"), QByteArray("abc"));
        QCOMPARE(s.connection.handshake.response.status, 101);
        QCOMPARE(s.connection.handshake.timings.tcpConnectUs, 122);
        QCOMPARE(s.connection.handshake.timings.upgradeUs, 1790);
        const QList<LogEntry> m = messages(s);
        QCOMPARE(m.size(), 4);
        QCOMPARE(m.at(0).kind, LogEntry::Kind::Text);
        QCOMPARE(m.at(0).dir, Direction::Send);
        QCOMPARE(m.at(0).payload, QByteArray("hello"));
        QCOMPARE(m.at(0).timeUs, 1764131276878453);
        QCOMPARE(m.at(0).frames.first().maskKey, 0x271481c8u);
        // Two fragments are one message again, with both frames.
        QCOMPARE(m.at(1).payload, QByteArray("hello"));
        QCOMPARE(m.at(1).frames.size(), 2);
        QCOMPARE(m.at(1).frames.at(1).payloadOffset, 3u);
        QCOMPARE(m.at(2).kind, LogEntry::Kind::Binary);
        QCOMPARE(m.at(2).payload, QByteArray("\x00\xff\x00", 3));
        QCOMPARE(m.at(3).kind, LogEntry::Kind::Close);
        QCOMPARE(m.at(3).closeCode, 1000);
        // The handshake heads, the connecting and closed states are log rows as in a live session.
        int handshakes = 0;
        int states = 0;
        for (const LogEntry& e : s.entries) {
            handshakes += e.kind == LogEntry::Kind::Handshake ? 1 : 0;
            states += e.kind == LogEntry::Kind::State ? 1 : 0;
        }
        QCOMPARE(handshakes, 2);
        QCOMPARE(states, 2);
    }

    void everySplitGivesTheSameResult()
    {
        QStringList whole;
        const QList<CapturedSession> expected = readAllBytes(exampleCapture(), &whole);
        for (qsizetype split = 0; split <= exampleCapture().size(); split += 7) {
            QStringList notices;
            const QList<CapturedSession> got = readAllBytes(exampleCapture(), &notices, split);
            QCOMPARE(got.size(), 1);
            QCOMPARE(messages(got.first()).size(), messages(expected.first()).size());
            for (qsizetype i = 0; i < messages(got.first()).size(); ++i)
                QCOMPARE(messages(got.first()).at(i).payload, messages(expected.first()).at(i).payload);
            QVERIFY(notices.isEmpty());
        }
    }

    void cutLastLineIsReportedAndTheRestKept()
    {
        // As left by kill -9 in the middle of a write.
        const QByteArray cut = exampleCapture().left(exampleCapture().lastIndexOf("\"description\""));
        QStringList notices;
        JsonlReader reader;
        reader.feed(cut);
        reader.finish();
        QVERIFY(reader.lastLineCut());
        CaptureChunk chunk = reader.takeChunk();
        QCOMPARE(chunk.notices.size(), 1);
        QVERIFY2(chunk.notices.first().contains(u"line 10"_s) && chunk.notices.first().contains(u"cut off"_s),
            qPrintable(chunk.notices.first()));
        QList<CapturedSession> sessions;
        CaptureFileReader::merge(&sessions, std::move(chunk));
        QCOMPARE(messages(sessions.first()).size(), 4);
    }

    void badLinesAreSkippedWithTheirNumbers_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not json") << QByteArray("{\"time\": 1, oops") << u"line 2 is not valid JSON"_s;
        QTest::newRow("array") << QByteArray("[1,2,3]") << u"line 2 is not a JSON object"_s;
        QTest::newRow("no event") << QByteArray(R"({"time":1,"conn":1})") << u"line 2 has no \"event\""_s;
        QTest::newRow("time is a string")
            << QByteArray(R"({"time":"now","event":"error","conn":1})") << u"line 2 has no valid \"time\""_s;
        QTest::newRow("conn negative") << QByteArray(R"({"time":1,"event":"error","conn":-3})")
                                       << u"line 2 has no valid \"conn\""_s;
        QTest::newRow("frame without dir") << QByteArray(R"({"time":1,"event":"frame","conn":1,"opcode":1,"text":"x"})")
                                           << u"line 2: frame without \"dir\""_s;
        QTest::newRow("opcode out of range")
            << QByteArray(R"({"time":1,"event":"frame","conn":1,"dir":"send","opcode":99,"text":"x"})")
            << u"line 2: frame without a valid \"opcode\""_s;
        QTest::newRow("bad base64") << QByteArray(
            R"({"time":1,"event":"frame","conn":1,"dir":"send","opcode":2,"base64":"!!"})")
                                    << u"line 2: frame \"base64\" is not valid base64"_s;
        QTest::newRow("non-UTF-8 bytes") << QByteArray(
            "{\"time\":1,\"event\":\"error\",\"conn\":1,\"message\":\"\xff\xfe\"}")
                                         << u"line 2 is not valid JSON"_s;
    }

    void badLinesAreSkippedWithTheirNumbers()
    {
        QFETCH(QByteArray, line);
        QFETCH(QString, expected);
        const QByteArray good
            = R"({"time":1764131276.5,"event":"frame","conn":1,"dir":"send","opcode":1,"fin":true,"text":"ok"})";
        QStringList notices;
        const QList<CapturedSession> sessions = readAllBytes(good + '\n' + line + '\n' + good + '\n', &notices);
        QCOMPARE(notices.size(), 1);
        QVERIFY2(notices.first().contains(expected, Qt::CaseInsensitive), qPrintable(notices.first()));
        QCOMPARE(messages(sessions.first()).size(), 2); // the good lines around it are kept
    }

    void escapesDecodeAsTheFullParserDoes()
    {
        // The first line takes the fast path for the recorder's frame lines, the second (time
        // without six decimals) QJsonDocument; both give the same bytes.
        const QByteArray text = "a\\\"b\\\\c\\/d\\n\\u00e9\\ud83d\\udca1\\u0041\\t";
        const QByteArray head = "{\"time\":";
        const QByteArray rest = ",\"event\":\"frame\",\"conn\":1,\"dir\":\"send\",\"opcode\":1,\"text\":\"";
        const QByteArray lines = head + "1.000000" + rest + text + "\"}\n" + head + "2" + rest + text + "\"}\n" + head
            + "3.000000" + rest + "lone \\udc00\"}\n";
        QStringList notices;
        const QList<CapturedSession> sessions = readAllBytes(lines, &notices);
        const QList<LogEntry> m = messages(sessions.first());
        QCOMPARE(m.size(), 3);
        const QByteArray expected = "a\"b\\c/d\n\xc3\xa9\xf0\x9f\x92\xa1"
                                    "A\t";
        QCOMPARE(m.at(0).payload, expected);
        QCOMPARE(m.at(1).payload, expected);
        QCOMPARE(m.at(0).timeUs, 1000000);
        QCOMPARE(m.at(1).timeUs, 2000000);
        QCOMPARE(m.at(2).payload, QString(u"lone "_s + QChar(0xdc00)).toUtf8()); // as QJsonDocument reads it
    }

    void aLineIsEitherValidOrSkipped()
    {
        // Found by fuzz_jsonlreader: a line with a good envelope and a bad frame counted as both.
        JsonlReader reader;
        reader.feed(R"({"time":1,"event":"frame","conn":1,"dir":"sideways","opcode":1,"text":"x"})"
                    "\n");
        reader.finish();
        QCOMPARE(reader.lineCount(), 1);
        QCOMPARE(reader.skippedLines(), 1);
        QCOMPARE(reader.validLines(), 0);
    }

    void hugeLineIsSkippedWithoutHoldingIt()
    {
        JsonlReader reader(4 << 20);
        reader.feed(R"({"time":1,"event":"connecting","conn":1,"url":"ws:\/\/a/"})"
                    "\n");
        const QByteArray piece(1 << 20, 'x');
        reader.feed("{\"time\":1,\"event\":\"frame\",\"conn\":1,\"dir\":\"send\",\"opcode\":1,\"text\":\"");
        for (qsizetype fed = 0; fed <= 4 << 20; fed += piece.size())
            reader.feed(piece);
        reader.feed("\"}\n");
        reader.feed(R"({"time":2,"event":"error","conn":1,"message":"after"})"
                    "\n");
        reader.finish();
        const CaptureChunk chunk = reader.takeChunk();
        QCOMPARE(chunk.notices.size(), 1);
        QVERIFY2(chunk.notices.first().contains(u"Line 2 is longer than 4 MiB"_s), qPrintable(chunk.notices.first()));
        QCOMPARE(reader.skippedLines(), 1);
        QCOMPARE(chunk.entries.last().second.last().payload, QByteArray("after"));
    }

    void severalConnectionsAreKeptApart()
    {
        QByteArray two = exampleCapture();
        two += QByteArray(exampleCapture()).replace("\"conn\":1", "\"conn\":2").replace("hello", "again");
        QStringList notices;
        const QList<CapturedSession> sessions = readAllBytes(two, &notices);
        QCOMPARE(sessions.size(), 2);
        QCOMPARE(sessions.at(1).connection.id, 2);
        QCOMPARE(messages(sessions.at(1)).first().payload, QByteArray("again"));
    }

    void connectionsPerFileAreCapped()
    {
        // Each connection opens a view: a file of tiny lines with new "conn" numbers must not make
        // millions of them.
        QByteArray lines;
        for (int i = 1; i <= int(JsonlReader::kMaxConnections) + 50; ++i)
            lines += R"({"time":1,"event":"x","conn":)" + QByteArray::number(i) + "}\n";
        QStringList notices;
        const QList<CapturedSession> sessions = readAllBytes(lines, &notices);
        QCOMPARE(sessions.size(), JsonlReader::kMaxConnections);
        QVERIFY2(notices.join(u'\n').contains(u"more than the 1000 connections"_s), qPrintable(notices.join(u'\n')));
    }

    void messageEventGivesTheDecompressedPayload()
    {
        // The deflate branch's `message` event follows the (compressed) frames of its message.
        const QByteArray lines
            = R"({"time":1.0,"event":"frame","conn":1,"dir":"receive","fin":true,"rsv":4,"opcode":1,"length":7,"base64":"qlYqTi0CAA=="}
{"time":1.0,"event":"message","conn":1,"dir":"receive","opcode":1,"length":11,"wire_length":7,"compressed":true,"text":"hello world"}
{"time":2.0,"event":"message","conn":1,"dir":"send","opcode":2,"length":2,"wire_length":2,"compressed":false,"base64":"AAE="}
{"time":3.0,"event":"frame","conn":1,"dir":"send","fin":true,"opcode":1,"length":2,"text":"hi"}
)";
        QStringList notices;
        const QList<CapturedSession> sessions = readAllBytes(lines, &notices);
        QVERIFY2(notices.isEmpty(), qPrintable(notices.join(u'\n')));
        const QList<LogEntry> m = messages(sessions.first());
        QCOMPARE(m.size(), 3);
        QCOMPARE(m.at(0).payload, QByteArray("hello world"));
        QCOMPARE(m.at(0).frames.size(), 1);
        QCOMPARE(m.at(0).frames.first().rsv, 4);
        QCOMPARE(m.at(1).kind, LogEntry::Kind::Binary);
        QCOMPARE(m.at(1).payload, QByteArray("\x00\x01", 2));
        QCOMPARE(m.at(2).payload, QByteArray("hi"));
    }

    void unknownFormatSaysWhatWasExpected()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"notes.txt"_s);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("just some notes\n");
        f.close();
        const auto result = CaptureFileReader::readAll(path);
        QVERIFY(!result);
        QVERIFY2(result.errorMessage().contains(u"neither a WebSocket Inspector capture"_s)
                && result.errorMessage().contains(u"nor a HAR file"_s),
            qPrintable(result.errorMessage()));
    }
};

QTEST_GUILESS_MAIN(tst_JsonlReader)
#include "tst_jsonlreader.moc"
