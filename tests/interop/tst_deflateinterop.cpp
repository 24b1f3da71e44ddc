// permessage-deflate against npm "ws" (pinned in package-lock.json), in the configurations of
// Autobahn TestSuite cases 12 and 13: payload kinds x sizes 16 B..128 KiB x the server's
// fragmentation (none, 256, 1024, 4096 bytes; also our own frame size) x the parameters (window
// bits 8, 9 and 15 on each side, context takeover on and off on each side, a declined offer).
// Every echo must arrive byte-exact and inflated, its frames with RSV1 on the first one only,
// and the capture's message events must match.
#include "deflate/deflatenegotiation.h"
#include "session/session.h"
#include "testhelpers.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace wsi;
using namespace wsi::test;

namespace {

struct Payload
{
    QString kind;
    bool text = false;
    QByteArray bytes;
};

QByteArray repeatTo(const QByteArray& unit, int size)
{
    QByteArray out;
    out.reserve(size + unit.size());
    while (out.size() < size)
        out.append(unit);
    out.truncate(size);
    return out;
}

// Cuts back to the last whole UTF-8 character (the message must be valid; fragments need not be).
QByteArray utf8Prefix(QByteArray bytes)
{
    while (!bytes.isEmpty() && (quint8(bytes.back()) & 0xc0) == 0x80)
        bytes.chop(1);
    if (!bytes.isEmpty() && (quint8(bytes.back()) & 0x80))
        bytes.chop(1);
    return bytes;
}

// Made once: the same messages for every configuration.
const QList<Payload>& payloads()
{
    static const QList<Payload> kAll = [] {
        QList<Payload> out;
        QRandomGenerator rng(12);
        for (const int size : { 16, 300, 5000, 128 * 1024 }) {
            // Multi-byte characters everywhere, so fragments of 256/1024/4096 bytes split some.
            out.append({ u"text"_s, true,
                utf8Prefix(repeatTo(QString(u"Grüße, 世界 🌍 the quick brown fox %1. "_s).arg(size).toUtf8(), size)) });
            QByteArray json = "[";
            for (int i = 0; json.size() < size; ++i)
                json += "{\"id\":" + QByteArray::number(i) + ",\"name\":\"user" + QByteArray::number(i * 7)
                    + "\",\"ok\":true},";
            json.truncate(size - 1);
            out.append({ u"json"_s, true, json + "]" });
            out.append({ u"html"_s, true,
                repeatTo("<div class=\"row\"><span>Cell</span><a href=\"/x?y=1\">link</a></div>\n", size) });
            QByteArray image(size, Qt::Uninitialized);
            for (int i = 0; i < size; ++i)
                image[i] = char((i % 256) / 4 + (rng.bounded(3)));
            out.append({ u"image-like"_s, false, image });
            QByteArray random(size, Qt::Uninitialized);
            for (int i = 0; i < size; ++i)
                random[i] = char(rng.bounded(256));
            out.append({ u"random"_s, false, random });
        }
        return out;
    }();
    return kAll;
}

class NodeServers
{
public:
    ~NodeServers()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    QString start()
    {
        const QString node = QStandardPaths::findExecutable(u"node"_s);
        if (node.isEmpty())
            return u"node is not installed (apt-get install nodejs npm); the interop tests need it."_s;
        const QString modules = qEnvironmentVariable("WSI_NODE_MODULES");
        if (!QFileInfo::exists(modules + u"/ws/package.json"_s))
            return u"npm package ws is missing under \"%1\": run scripts/test.sh (npm ci in tests/interop)."_s.arg(
                modules);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"NODE_PATH"_s, modules);
        m_process.setProcessEnvironment(env);
        m_process.start(node, { QStringLiteral(WSI_INTEROP_DIR) + u"/ws_deflate_server.js"_s });
        if (!m_process.waitForStarted(10000))
            return u"node did not start: %1"_s.arg(m_process.errorString());
        QDeadlineTimer deadline(15000);
        QByteArray buffer;
        while (!deadline.hasExpired() && m_process.state() != QProcess::NotRunning) {
            m_process.waitForReadyRead(200);
            buffer += m_process.readAllStandardOutput();
            for (const QByteArray& line : buffer.split('\n')) {
                const QList<QByteArray> parts = line.trimmed().split(' ');
                if (parts.size() == 3 && parts[0] == "SERVER")
                    m_ports.insert(QString::fromUtf8(parts[1]), parts[2].toUShort());
                if (parts.size() == 2 && parts[0] == "PORT")
                    return {};
            }
        }
        return u"ws_deflate_server.js printed no ports: %1"_s.arg(QString::fromUtf8(m_process.readAllStandardError()));
    }

    quint16 port(const QString& name) const { return m_ports.value(name); }

private:
    QProcess m_process;
    QHash<QString, quint16> m_ports;
};

} // namespace

class tst_DeflateInterop : public QObject
{
    Q_OBJECT
private:
    NodeServers m_servers;

private Q_SLOTS:
    void initTestCase() { QCOMPARE(m_servers.start(), QString()); }

    // One row per parameter set; its four fragmentations (none, 256, 1024, 4096 bytes) run as four
    // connections at once, so that npm ws compresses them side by side (most of the time is ws
    // deflating fragment by fragment in node's thread pool, one connection after the other).
    void echoesByteExact_data()
    {
        QTest::addColumn<QString>("server");
        QTest::addColumn<QString>("offer");
        QTest::addColumn<bool>("accepted");
        const QList<std::tuple<const char*, QString, bool>> configs {
            { "default", QString(), true },
            { "server-window-9", QString(), true },
            { "client-window-9", QString(), true },
            { "no-context-takeover", QString(), true },
            { "any", u"server_max_window_bits=8; client_max_window_bits=8"_s, true },
            { "any", u"server_max_window_bits=15; client_max_window_bits=15; server_no_context_takeover"_s, true },
            { "any", u"server_max_window_bits=9; client_no_context_takeover"_s, true },
            { "declined", QString(), false },
        };
        for (const auto& [server, offer, accepted] : configs)
            QTest::addRow("%s [%s]", server, qPrintable(offer)) << QString::fromLatin1(server) << offer << accepted;
    }

    void echoesByteExact()
    {
        QFETCH(QString, server);
        QFETCH(QString, offer);
        QFETCH(bool, accepted);
        Result<DeflateParams> parsed = DeflateNegotiation::parseOffer(offer);
        QVERIFY2(parsed.ok(), qPrintable(parsed.errorMessage()));

        struct Run
        {
            int frag = 0;
            std::unique_ptr<Session> session;
            std::unique_ptr<EntryRecorder> recorder;
            QList<LogEntry> of(Direction dir) const
            {
                QList<LogEntry> out;
                for (const LogEntry& e : std::as_const(recorder->entries)) {
                    if (e.isMessage() && e.dir == dir)
                        out.append(e);
                }
                return out;
            }
        };
        QTemporaryDir dir;
        std::vector<Run> runs;
        for (const int frag : { 0, 256, 1024, 4096 }) {
            Profile p;
            p.name = u"deflate interop"_s;
            p.url = u"ws://127.0.0.1:%1/frag/%2"_s.arg(m_servers.port(server)).arg(frag);
            p.perMessageDeflate = true;
            p.deflateOffer = *parsed;
            Run run;
            run.frag = frag;
            run.session = std::make_unique<Session>(p);
            run.session->setOutgoingFrameSize(quint64(frag));
            // The capture is checked in one fragmentation per configuration (it writes every byte
            // twice, as base64: the frames and the message events), to keep the run short.
            if (frag == 1024)
                QCOMPARE(run.session->setCaptureFile(dir.filePath(u"c.wsicap"_s)).errorMessage(), QString());
            run.recorder = std::make_unique<EntryRecorder>(run.session.get());
            run.session->open();
            runs.push_back(std::move(run));
        }
        const QList<Payload>& all = payloads();
        for (Run& run : runs) {
            Session& session = *run.session;
            QVERIFY2(waitForState(&session, Session::State::Open), qPrintable(session.stateReason()));
            const QByteArray request = session.handshake().request.raw;
            QVERIFY2(
                request.contains(QByteArray("\r\nSec-WebSocket-Extensions: " + parsed->offerHeaderValue() + "\r\n")),
                request.constData());
            QCOMPARE(session.handshake().extensions.startsWith(u"permessage-deflate:"_s), accepted);
            for (const Payload& m : all) {
                const Result<void> sent
                    = m.text ? session.sendText(QString::fromUtf8(m.bytes)) : session.sendBinary(m.bytes);
                QCOMPARE(sent.errorMessage(), QString());
            }
        }
        for (const Run& run : runs)
            QTRY_COMPARE_WITH_TIMEOUT(run.of(Direction::Receive).size(), all.size(), 30000);

        for (const Run& run : runs) {
            Session& session = *run.session;
            const int frag = run.frag;
            QCOMPARE(session.state(), Session::State::Open);
            const QList<LogEntry> echoes = run.of(Direction::Receive);
            const QList<LogEntry> sent = run.of(Direction::Send);
            QCOMPARE(sent.size(), all.size());
            for (qsizetype i = 0; i < all.size(); ++i) {
                const Payload& m = all.at(i);
                const QString what = u"%1 of %2 bytes, frag %3"_s.arg(m.kind).arg(m.bytes.size()).arg(frag);
                const LogEntry& echo = echoes.at(i);
                QVERIFY2(echo.payload == m.bytes, qPrintable(what));
                QCOMPARE(echo.kind, m.text ? LogEntry::Kind::Text : LogEntry::Kind::Binary);
                QVERIFY2(echo.isCompressed() == accepted, qPrintable(what));
                QVERIFY2(sent.at(i).isCompressed() == accepted, qPrintable(what));
                QCOMPARE(sent.at(i).payload, m.bytes);
                // RSV1 on the first frame only; the server cut at frag bytes of the uncompressed message.
                for (qsizetype f = 1; f < echo.frames.size(); ++f)
                    QCOMPARE(echo.frames.at(f).rsv, quint8(0));
                const qsizetype expectedFrames = frag > 0 ? (m.bytes.size() + frag - 1) / frag : 1;
                QVERIFY2(echo.frames.size() == std::max<qsizetype>(expectedFrames, 1), qPrintable(what));
                if (accepted) {
                    QCOMPARE(echo.wireLength(), echo.wirePayload.size());
                    // Our frames: the compressed message cut at frag bytes.
                    const qint64 wire = sent.at(i).wireLength();
                    QCOMPARE(sent.at(i).frames.size(), frag > 0 ? std::max<qint64>(1, (wire + frag - 1) / frag) : 1);
                    QCOMPARE(sent.at(i).frames.first().rsv, quint8(4));
                }
            }
            QCOMPARE(session.close(1000, u"done"_s).errorMessage(), QString());
        }
        for (const Run& run : runs)
            QVERIFY(waitForState(run.session.get(), Session::State::Closed));

        const Run& captured = runs.at(2);
        QCOMPARE(captured.frag, 1024);
        QVERIFY(captured.session->setCaptureFile(QString()).ok());
        // The capture: one message event per message, inflated, with the wire length.
        const QList<LogEntry> echoes = captured.of(Direction::Receive);
        QFile capture(dir.filePath(u"c.wsicap"_s));
        QVERIFY(capture.open(QIODevice::ReadOnly));
        QList<QJsonObject> events;
        while (!capture.atEnd()) {
            const QJsonObject o = QJsonDocument::fromJson(capture.readLine()).object();
            if (o.value(u"event"_s).toString() == u"message"_s)
                events.append(o);
        }
        QCOMPARE(events.size(), all.size() * 2);
        qsizetype r = 0;
        for (const QJsonObject& o : std::as_const(events)) {
            if (o.value(u"dir"_s).toString() != u"receive"_s)
                continue;
            const Payload& m = all.at(r);
            const LogEntry& echo = echoes.at(r++);
            QCOMPARE(o.value(u"length"_s).toInteger(), m.bytes.size());
            QCOMPARE(o.value(u"wire_length"_s).toInteger(), echo.wireLength());
            QCOMPARE(o.value(u"compressed"_s).toBool(), accepted);
            const QByteArray payload = m.text ? o.value(u"text"_s).toString().toUtf8()
                                              : QByteArray::fromBase64(o.value(u"base64"_s).toString().toLatin1());
            QCOMPARE(payload, m.bytes);
        }
        QCOMPARE(r, all.size());
    }

    // RFC 7692 lets a client send any message uncompressed: the send panel's "compress" toggle.
    void oneMessageUncompressed()
    {
        Profile p;
        p.name = u"deflate interop"_s;
        p.url = u"ws://127.0.0.1:%1/"_s.arg(m_servers.port(u"default"_s));
        p.perMessageDeflate = true;
        Session session(p);
        EntryRecorder recorder(&session);
        session.open();
        QVERIFY2(waitForState(&session, Session::State::Open), qPrintable(session.stateReason()));
        const QByteArray text(3000, 'a');
        QCOMPARE(session.sendText(QString::fromLatin1(text), false).errorMessage(), QString());
        QCOMPARE(session.sendText(QString::fromLatin1(text)).errorMessage(), QString());
        QTRY_COMPARE_WITH_TIMEOUT(recorder.ofKind(LogEntry::Kind::Text, Direction::Receive).size(), 2, 10000);
        const QList<LogEntry> sent = recorder.ofKind(LogEntry::Kind::Text, Direction::Send);
        QCOMPARE(sent.size(), 2);
        QVERIFY(!sent.at(0).isCompressed());
        QCOMPARE(sent.at(0).wireLength(), text.size());
        QVERIFY(sent.at(1).isCompressed());
        QVERIFY(sent.at(1).wireLength() < 100);
        for (const LogEntry& echo : recorder.ofKind(LogEntry::Kind::Text, Direction::Receive))
            QCOMPARE(echo.payload, text);
    }
};

QTEST_GUILESS_MAIN(tst_DeflateInterop)
#include "tst_deflateinterop.moc"
