// HAR in Chrome's shape: a hand-written DevTools export is read (text, binary, an error entry, two
// connections, an HTTP entry skipped), and capture → HAR → capture keeps every message byte-exact.
#include "capture/captureexport.h"
#include "capture/capturefilereader.h"
#include "capture/capturewriter.h"
#include "capture/har.h"
#include "capture/jsonlreader.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsi;

namespace {

QString dataFile(const QString& name)
{
    return QStringLiteral(WSI_CAPTURE_TEST_DATA) + u'/' + name;
}

QList<LogEntry> messagesOf(const CapturedSession& s, bool withErrors = false)
{
    QList<LogEntry> out;
    for (const LogEntry& e : s.entries) {
        if (e.isMessage() || (withErrors && e.kind == LogEntry::Kind::Error))
            out.append(e);
    }
    return out;
}

// A connection as the live relay would record it: text (with multi-byte characters and a
// fragmented one), binary with every byte value, an empty message.
CapturedSession recordedSession()
{
    CapturedSession s;
    s.connection.id = 3;
    s.connection.url = QUrl(u"ws://127.0.0.1:4567/chat?x=1"_s);
    s.connection.startUs = 1764131276000001;
    HandshakeInfo& hs = s.connection.handshake;
    hs.request.isRequest = true;
    hs.request.method = "GET";
    hs.request.target = "/chat?x=1";
    hs.request.version = "HTTP/1.1";
    hs.request.headers = { { "Host", "127.0.0.1:4567" }, { "Upgrade", "websocket" }, { "X-Trace", "t-1" } };
    hs.request.raw = "GET /chat?x=1 HTTP/1.1\r\nHost: 127.0.0.1:4567\r\nUpgrade: websocket\r\nX-Trace: t-1\r\n\r\n";
    hs.response.isRequest = false;
    hs.response.status = 101;
    hs.response.reason = "Switching Protocols";
    hs.response.version = "HTTP/1.1";
    hs.response.headers = { { "Upgrade", "websocket" } };
    hs.response.raw = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n";
    hs.timings = { 1500, 250, 3001, 1790 };
    QByteArray all;
    for (int i = 0; i < 256; ++i)
        all.append(char(i));
    const auto add = [&](LogEntry::Kind kind, Direction dir, const QByteArray& payload, qint64 t, int fragments = 1) {
        LogEntry e;
        e.kind = kind;
        e.dir = dir;
        e.timeUs = t;
        e.payload = payload;
        const qsizetype step = fragments > 1 ? (payload.size() + fragments - 1) / fragments : payload.size();
        for (qsizetype off = 0, i = 0; i < fragments; ++i, off += step) {
            FrameInfo f;
            f.timeUs = t;
            f.opcode = i == 0 ? (kind == LogEntry::Kind::Text ? OpText : OpBinary) : OpContinuation;
            f.fin = i == fragments - 1;
            f.payloadOffset = quint64(off);
            f.length = quint64(std::min(step, payload.size() - off));
            f.masked = dir == Direction::Send;
            f.maskKey = f.masked ? 0x01020304 : 0;
            e.frames.append(f);
        }
        s.entries.append(e);
    };
    add(LogEntry::Kind::Text, Direction::Send, "héllo wörld ✓", 1764131276100001);
    add(LogEntry::Kind::Text, Direction::Receive, "{\"a\":[1,2,3],\"ü\":\"💡\"}", 1764131276100002, 3);
    add(LogEntry::Kind::Binary, Direction::Send, all, 1764131276100003);
    add(LogEntry::Kind::Binary, Direction::Receive, QByteArray(), 1764131276100004);
    add(LogEntry::Kind::Text, Direction::Receive, QByteArray(70000, 'z'), 1764131276999999);
    return s;
}

QList<CapturedSession> readBack(const QByteArray& bytes, const QString& name, QStringList* notices)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(name);
    QFile f(path);
    f.open(QIODevice::WriteOnly);
    f.write(bytes);
    f.close();
    auto r = CaptureFileReader::readAll(path, notices);
    if (!r)
        qWarning() << r.errorMessage();
    return r ? *r : QList<CapturedSession>();
}

void compareMessages(const QList<LogEntry>& a, const QList<LogEntry>& b)
{
    QCOMPARE(a.size(), b.size());
    for (qsizetype i = 0; i < a.size(); ++i) {
        QCOMPARE(a.at(i).kind, b.at(i).kind);
        QCOMPARE(a.at(i).dir, b.at(i).dir);
        QCOMPARE(a.at(i).payload, b.at(i).payload);
        QCOMPARE(a.at(i).timeUs, b.at(i).timeUs);
    }
}

} // namespace

class tst_Har : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void readsAChromeExport()
    {
        QStringList notices;
        const auto sessions = CaptureFileReader::readAll(dataFile(u"chrome.har"_s), &notices);
        QVERIFY2(sessions, qPrintable(sessions.errorMessage()));
        QCOMPARE(sessions->size(), 2);
        QVERIFY2(notices.join(u'\n').contains(u"1 HTTP entry"_s) || notices.join(u'\n').contains(u"1 HTTP entries"_s),
            qPrintable(notices.join(u'\n')));
        const CapturedSession& first = sessions->at(0);
        QCOMPARE(first.connection.url, QUrl(u"wss://example.test/feed?room=7"_s));
        QCOMPARE(first.connection.handshake.request.header("Authorization"), QByteArray("Bearer abc"));
        QCOMPARE(first.connection.handshake.request.target, QByteArray("/feed?room=7"));
        QVERIFY(first.connection.handshake.acceptMatches()); // RFC 6455's own example key
        QCOMPARE(first.connection.handshake.timings.dnsUs, 1500);
        QCOMPARE(first.connection.handshake.timings.tlsHandshakeUs, 2000);
        QCOMPARE(first.connection.handshake.timings.tcpConnectUs, 1000); // connect includes ssl
        QCOMPARE(first.connection.handshake.timings.upgradeUs, 4250);
        const QList<LogEntry> m = messagesOf(first, true);
        QCOMPARE(m.size(), 4);
        QCOMPARE(m.at(0).dir, Direction::Send);
        QCOMPARE(m.at(0).payload, QByteArray("{\"subscribe\":\"prices\"}"));
        QCOMPARE(m.at(0).timeUs, 1764493201301234);
        QCOMPARE(m.at(2).kind, LogEntry::Kind::Binary);
        QCOMPARE(m.at(2).payload, QByteArray("\x00\x01\x02\xff", 4));
        QCOMPARE(m.at(3).kind, LogEntry::Kind::Error);
        QCOMPARE(m.at(3).payload, QByteArray("net::ERR_CONNECTION_RESET"));
        QCOMPARE(messagesOf(sessions->at(1)).size(), 2);
        QCOMPARE(sessions->at(1).connection.id, 2);
    }

    void harWithoutWebSocketSaysSo()
    {
        const QByteArray har
            = R"({"log":{"version":"1.2","entries":[{"request":{"url":"https:\/\/a.test/"},"response":{"status":200}}]}})";
        const auto r = Har::read(har);
        QVERIFY(!r);
        QVERIFY2(r.errorMessage().contains(u"no WebSocket entry"_s) && r.errorMessage().contains(u"1 HTTP entry"_s),
            qPrintable(r.errorMessage()));
    }

    void wrongShapesAreErrorsOrSkipped_data()
    {
        QTest::addColumn<QByteArray>("har");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not json") << QByteArray("{\"log\": {") << u"not valid JSON"_s;
        QTest::newRow("no entries") << QByteArray(R"({"log":{"version":"1.2"}})")
                                    << u"no \"log\" object with an \"entries\""_s;
        QTest::newRow("entries not array") << QByteArray(R"({"log":{"entries":{}}})") << u"\"entries\" array"_s;
        QTest::newRow("data not string") << QByteArray(
            R"({"log":{"entries":[{"_resourceType":"websocket","request":{"url":"ws:\/\/a/"},"_webSocketMessages":[{"type":"send","time":1,"opcode":1,"data":5}]}]}})")
                                         << u"message 1: \"data\" is not a string"_s;
        QTest::newRow("bad base64") << QByteArray(
            R"({"log":{"entries":[{"_resourceType":"websocket","request":{"url":"ws:\/\/a/"},"_webSocketMessages":[{"type":"receive","time":1,"opcode":2,"data":"%%"}]}]}})")
                                    << u"not valid base64"_s;
        QTest::newRow("unknown type") << QByteArray(
            R"({"log":{"entries":[{"_resourceType":"websocket","request":{"url":"ws:\/\/a/"},"_webSocketMessages":[{"type":"frame","time":1}]}]}})")
                                      << u"unknown type \"frame\""_s;
        QTest::newRow("everything wrong type") << QByteArray(
            R"({"log":{"entries":[{"_resourceType":"websocket","request":7,"response":[],"timings":"x","startedDateTime":3,"_webSocketMessages":[1,null,"s"]}]}})")
                                               << u"message 1 is not a JSON object"_s;
    }

    void wrongShapesAreErrorsOrSkipped()
    {
        QFETCH(QByteArray, har);
        QFETCH(QString, expected);
        const auto r = Har::read(har);
        const QString said = r ? r->chunk.notices.join(u'\n') : r.errorMessage();
        QVERIFY2(said.contains(expected), qPrintable(said));
    }

    void hostileHarStaysBounded()
    {
        // Millions of bad messages must not become millions of notices; thousands of websocket
        // entries must not become thousands of connection views; a start time of 1e300 is ignored.
        QByteArray messages;
        for (int i = 0; i < 3000; ++i)
            messages += QByteArray(i ? "," : "") + R"({"type":"x","time":1})";
        QByteArray entries;
        for (int i = 0; i < 1200; ++i) {
            entries += QByteArray(i ? "," : "")
                + R"({"_resourceType":"websocket","_wsiStartUs":1e300,"request":{"url":"ws:\/\/a/"},"_webSocketMessages":[)"
                + (i == 0 ? messages : QByteArray()) + "]}";
        }
        const auto r = Har::read(R"({"log":{"entries":[)" + entries + "]}}");
        QVERIFY2(r, qPrintable(r.errorMessage()));
        QCOMPARE(r->chunk.notices.size(), JsonlReader::kMaxNotices + 1);
        QVERIFY(r->chunk.notices.last().contains(u"only the first"_s));
        QVERIFY(r->chunk.connections.size() <= JsonlReader::kMaxConnections);
        for (const CapturedConnection& c : r->chunk.connections)
            QCOMPARE(c.startUs, qint64(0));
    }

    void captureToHarToCaptureIsByteExact()
    {
        const CapturedSession original = recordedSession();
        QBuffer har;
        har.open(QIODevice::WriteOnly);
        QVERIFY(Har::write(&har, { original }));
        // Chrome's shape, which other tools read.
        const QJsonObject entry
            = QJsonDocument::fromJson(har.data()).object()[u"log"_s][u"entries"_s].toArray().first().toObject();
        QCOMPARE(entry[u"_resourceType"_s].toString(), u"websocket"_s);
        const QJsonArray wsMessages = entry[u"_webSocketMessages"_s].toArray();
        QCOMPARE(wsMessages.size(), 5);
        QCOMPARE(wsMessages.at(2)[u"opcode"_s].toInt(), 2);
        QCOMPARE(wsMessages.at(0)[u"type"_s].toString(), u"send"_s);
        QCOMPARE(entry[u"request"_s][u"headers"_s].toArray().at(2)[u"name"_s].toString(), u"X-Trace"_s);
        QCOMPARE(entry[u"timings"_s][u"dns"_s].toDouble(), 1.5);
        QCOMPARE(entry[u"timings"_s][u"connect"_s].toDouble(), 3.251); // tcp + tls, as HAR counts it

        QStringList notices;
        const QList<CapturedSession> fromHar = readBack(har.data(), u"x.har"_s, &notices);
        QCOMPARE(fromHar.size(), 1);
        compareMessages(messagesOf(fromHar.first()), messagesOf(original));
        QCOMPARE(fromHar.first().connection.handshake.timings.tcpConnectUs, 250);
        QCOMPARE(fromHar.first().connection.handshake.timings.tlsHandshakeUs, 3001);
        QCOMPARE(fromHar.first().connection.startUs, original.connection.startUs);

        // ... and back to a capture file, which reads back to the same messages again.
        QBuffer jsonl;
        jsonl.open(QIODevice::WriteOnly);
        QVERIFY(CaptureExport::writeJsonl(&jsonl, fromHar));
        const QList<CapturedSession> again = readBack(jsonl.data(), u"y.jsonl"_s, &notices);
        QVERIFY2(notices.size() <= 1, qPrintable(notices.join(u'\n'))); // the HTTP-entries note is absent here
        QCOMPARE(again.size(), 1);
        compareMessages(messagesOf(again.first()), messagesOf(original));
        QCOMPARE(again.first().connection.handshake.request.header("X-Trace"), QByteArray("t-1"));
    }

    void subCaptureKeepsFramesAndHeads()
    {
        const CapturedSession original = recordedSession();
        QBuffer jsonl;
        jsonl.open(QIODevice::WriteOnly);
        QVERIFY(CaptureExport::writeJsonl(&jsonl, { original }));
        QStringList notices;
        const QList<CapturedSession> back = readBack(jsonl.data(), u"sub.jsonl"_s, &notices);
        QVERIFY2(notices.isEmpty(), qPrintable(notices.join(u'\n')));
        QCOMPARE(back.size(), 1);
        compareMessages(messagesOf(back.first()), messagesOf(original));
        QCOMPARE(messagesOf(back.first()).at(1).frames.size(), 3); // the fragmented one
        QCOMPARE(messagesOf(back.first()).at(0).frames.first().maskKey, 0x01020304u);
        QCOMPARE(back.first().connection.handshake.request.raw, original.connection.handshake.request.raw);
        QCOMPARE(back.first().connection.handshake.timings.dnsUs, 1500);
        QCOMPARE(back.first().connection.url, original.connection.url);
    }

    void compressedMessageKeepsWireAndInflatedBytes()
    {
        // A permessage-deflate message as the relay logs it: frames over the compressed bytes.
        CapturedSession s = recordedSession();
        LogEntry e;
        e.kind = LogEntry::Kind::Text;
        e.dir = Direction::Receive;
        e.timeUs = 1764131277000000;
        e.payload = "hello hello hello";
        e.wirePayload = QByteArray("\xca\x48\xcd\xc9\xc9\x57\xc8\x40\x27\x00", 10);
        for (int i = 0; i < 2; ++i) {
            FrameInfo f;
            f.timeUs = e.timeUs;
            f.opcode = i == 0 ? OpText : OpContinuation;
            f.rsv = i == 0 ? 4 : 0;
            f.fin = i == 1;
            f.payloadOffset = quint64(i * 6);
            f.length = i == 0 ? 6 : 4;
            e.frames.append(f);
        }
        s.entries.append(e);
        QBuffer jsonl;
        jsonl.open(QIODevice::WriteOnly);
        QVERIFY(CaptureExport::writeJsonl(&jsonl, { s }));
        QVERIFY(jsonl.data().contains("\"compressed\":true"));
        QStringList notices;
        const QList<CapturedSession> back = readBack(jsonl.data(), u"z.jsonl"_s, &notices);
        QVERIFY2(notices.isEmpty(), qPrintable(notices.join(u'\n')));
        const LogEntry got = messagesOf(back.first()).last();
        QCOMPARE(got.payload, e.payload);
        QCOMPARE(got.wirePayload, e.wirePayload);
        QCOMPARE(got.frames.size(), 2);
        QVERIFY(got.isCompressed());
        compareMessages(messagesOf(back.first()), messagesOf(s));
    }

    void textExportHasOneLinePerRow()
    {
        QBuffer text;
        text.open(QIODevice::WriteOnly);
        QVERIFY(CaptureExport::writeText(&text, { recordedSession() }));
        const QList<QByteArray> lines = text.data().trimmed().split('\n');
        QCOMPARE(lines.size(), 6); // the connection line and five messages
        QVERIFY2(lines.at(1).contains("-> text") && lines.at(1).contains("héllo wörld ✓"), lines.at(1).constData());
    }

    void exportFormatFollowsTheExtension()
    {
        QVERIFY(CaptureExport::formatForPath(u"a.HAR"_s));
        QCOMPARE(*CaptureExport::formatForPath(u"a.jsonl"_s), CaptureExport::Format::Jsonl);
        const auto bad = CaptureExport::formatForPath(u"a.json"_s);
        QVERIFY(!bad);
        QVERIFY(bad.errorMessage().contains(u".har, .jsonl or .txt"_s));
    }
};

QTEST_GUILESS_MAIN(tst_Har)
#include "tst_har.moc"
