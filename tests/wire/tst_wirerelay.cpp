#include "server/builtinserver.h"
#include "session/session.h"
#include "testhelpers.h"
#include "wire/httpheadparser.h"
#include "wire/wirerelay.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRandomGenerator>
#include <QSslKey>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QWebSocket>
#include <QWebSocketServer>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;
using wsi::test::EntryRecorder;
using wsi::test::waitForState;

namespace {
// A TLS server that only records what a client sends after the TLS handshake.
class TlsRecorder : public QTcpServer
{
public:
    QSslCertificate cert;
    QSslKey key;
    QByteArray received;
    int handshakes = 0;
    int closed = 0;

protected:
    void incomingConnection(qintptr fd) override
    {
        auto* s = new QSslSocket(this);
        s->setSocketDescriptor(fd);
        s->setLocalCertificate(cert);
        s->setPrivateKey(key);
        QObject::connect(s, &QSslSocket::encrypted, this, [this] { ++handshakes; });
        QObject::connect(s, &QSslSocket::readyRead, this, [this, s] { received += s->readAll(); });
        QObject::connect(s, &QSslSocket::disconnected, this, [this] { ++closed; });
        QObject::connect(s, &QSslSocket::errorOccurred, this, [this] { ++closed; });
        s->startServerEncryption();
    }
};

// Waits with the event loop running (the relay lives in this thread).
QByteArray readHead(QTcpSocket& s)
{
    QByteArray data;
    const bool done = QTest::qWaitFor(
        [&] {
            data += s.readAll();
            return data.contains("\r\n\r\n") || s.state() == QAbstractSocket::UnconnectedState;
        },
        5000);
    Q_UNUSED(done); // an incomplete head fails the caller's comparison
    return data;
}

// Connects client through the relay's proxy to port, as QWebSocket does; true once tunnelled.
bool tunnel(WireRelay& relay, QTcpSocket& client, quint16 port)
{
    client.connectToHost(QHostAddress::LocalHost, relay.port());
    const QNetworkProxy proxy = relay.clientProxy();
    client.write("CONNECT 127.0.0.1:" + QByteArray::number(port) + " HTTP/1.1\r\nProxy-Authorization: Basic "
        + (proxy.user() + u':' + proxy.password()).toLatin1().toBase64() + "\r\n\r\n");
    return readHead(client).startsWith("HTTP/1.1 200");
}

const QByteArray kRequest = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
const QByteArray k101 = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";

QList<LogEntry> withOpcode(const QList<LogEntry>& entries, quint8 opcode, Direction dir)
{
    QList<LogEntry> out;
    for (const LogEntry& e : entries) {
        if (e.dir == dir && !e.frames.isEmpty() && e.frames.first().opcode == opcode)
            out.append(e);
    }
    return out;
}
} // namespace

class tst_WireRelay : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_certPath;
    QString m_keyPath;
    QProcess m_node;
    quint16 m_nodePort = 0;

    bool startNode()
    {
        if (m_nodePort)
            return true;
        const QString modules = qEnvironmentVariable("WSI_NODE_MODULES");
        if (modules.isEmpty() || !QFileInfo::exists(modules + u"/ws"_s))
            return false;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"NODE_PATH"_s, modules);
        m_node.setProcessEnvironment(env);
        m_node.start(u"node"_s, { QFINDTESTDATA("peers/wsserver.js") });
        if (!m_node.waitForStarted(5000))
            return false;
        QDeadlineTimer deadline(10000);
        while (!m_node.canReadLine() && !deadline.hasExpired())
            m_node.waitForReadyRead(100);
        m_nodePort = quint16(m_node.readLine().trimmed().toUInt());
        return m_nodePort != 0;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_certPath = m_dir.filePath(u"cert.pem"_s);
        m_keyPath = m_dir.filePath(u"key.pem"_s);
        // A self-signed certificate made now, valid for 127.0.0.1 (it is its own CA for --ca).
        const QString made = wsi::test::makeSelfSignedCertificate(m_certPath, m_keyPath, u"/CN=wsinspector test"_s,
            { u"-addext"_s, u"subjectAltName=IP:127.0.0.1,DNS:localhost"_s });
        QVERIFY2(made.isEmpty(), qPrintable(made));
    }

    void cleanupTestCase()
    {
        BuiltinServers::shutdown();
        if (m_node.state() != QProcess::NotRunning) {
            m_node.closeWriteChannel();
            if (!m_node.waitForFinished(3000))
                m_node.kill();
        }
    }

    void foreignLocalClientIsRefused()
    {
        QWebSocketServer server(u"t"_s, QWebSocketServer::NonSecureMode);
        QVERIFY(server.listen(QHostAddress::LocalHost));
        const QUrl url(u"ws://127.0.0.1:%1/"_s.arg(server.serverPort()));
        WireRelay relay(Profile {});
        QVERIFY(relay.start(url, url));
        const QNetworkProxy proxy = relay.clientProxy();
        const QByteArray target = "127.0.0.1:" + QByteArray::number(server.serverPort());
        const QByteArray goodAuth = "Basic " + (proxy.user() + u':' + proxy.password()).toLatin1().toBase64();

        auto ask = [&](const QByteArray& request) {
            QTcpSocket s;
            s.connectToHost(QHostAddress::LocalHost, relay.port());
            if (!QTest::qWaitFor([&] { return s.state() == QAbstractSocket::ConnectedState; }, 3000))
                return QByteArray("no connection");
            s.write(request);
            return readHead(s);
        };
        // No credential, a guessed one, the right one for another target, a plain GET.
        QVERIFY(ask("CONNECT " + target + " HTTP/1.1\r\n\r\n").startsWith("HTTP/1.1 407"));
        QVERIFY(ask("CONNECT " + target + " HTTP/1.1\r\nProxy-Authorization: Basic dXNlcjpwYXNz\r\n\r\n")
                    .startsWith("HTTP/1.1 407"));
        QVERIFY(ask("CONNECT example.com:80 HTTP/1.1\r\nProxy-Authorization: " + goodAuth + "\r\n\r\n")
                    .startsWith("HTTP/1.1 403"));
        QVERIFY(ask("GET http://" + target + "/ HTTP/1.1\r\nProxy-Authorization: " + goodAuth + "\r\n\r\n")
                    .startsWith("HTTP/1.1 405"));
        QVERIFY(relay.isListening());

        // Its own client gets through (Qt asks without credentials, then retries after the 407)...
        QWebSocket client;
        client.setProxy(proxy);
        QSignalSpy connected(&client, &QWebSocket::connected);
        client.open(url);
        QVERIFY(connected.wait(5000));
        // ...and from then on nobody else can even connect.
        QVERIFY(!relay.isListening());
        QTcpSocket late;
        late.connectToHost(QHostAddress::LocalHost, relay.port());
        QSignalSpy lateError(&late, &QTcpSocket::errorOccurred);
        QVERIFY(lateError.wait(3000));
        QCOMPARE(late.error(), QAbstractSocket::ConnectionRefusedError);
    }

    void credentialRetryOnANewConnectionIsAccepted()
    {
        // Qt 6.4 retries on the same connection after the 407; another proxy client may reconnect.
        QTcpServer upstream;
        QVERIFY(upstream.listen(QHostAddress::LocalHost));
        const QUrl url(u"ws://127.0.0.1:%1/"_s.arg(upstream.serverPort()));
        WireRelay relay(Profile {});
        QVERIFY(relay.start(url, url));
        const QByteArray target = "127.0.0.1:" + QByteArray::number(upstream.serverPort());
        QTcpSocket first;
        first.connectToHost(QHostAddress::LocalHost, relay.port());
        first.write("CONNECT " + target + " HTTP/1.1\r\n\r\n");
        QVERIFY(readHead(first).startsWith("HTTP/1.1 407"));
        const QNetworkProxy proxy = relay.clientProxy();
        QTcpSocket second;
        second.connectToHost(QHostAddress::LocalHost, relay.port());
        second.write("CONNECT " + target + " HTTP/1.1\r\nProxy-Authorization: Basic "
            + (proxy.user() + u':' + proxy.password()).toLatin1().toBase64() + "\r\n\r\n");
        QVERIFY(readHead(second).startsWith("HTTP/1.1 200"));
        QTRY_COMPARE(first.state(), QAbstractSocket::UnconnectedState); // the other candidate is dropped
    }

    void handshakePingsAndClosesThroughQtServer()
    {
        QWebSocketServer server(u"qt-test-server"_s, QWebSocketServer::NonSecureMode);
        QVERIFY(server.listen(QHostAddress::LocalHost));
        QWebSocket* serverSide = nullptr;
        connect(&server, &QWebSocketServer::newConnection, this, [&] {
            serverSide = server.nextPendingConnection();
            serverSide->setParent(&server); // the server does not own its sockets
        });

        Profile p;
        p.url = u"ws://127.0.0.1:%1/path?q=1"_s.arg(server.serverPort());
        p.headers.append({ u"X-Trace"_s, u"abc 123"_s });
        Session session(p);
        EntryRecorder rec(&session);
        QSignalSpy handshakeSpy(&session, &Session::handshakeUpdated);
        session.open();
        QVERIFY(waitForState(&session, Session::State::Open));
        QTRY_VERIFY(serverSide);

        const HandshakeInfo& hs = session.handshake();
        QCOMPARE(hs.request.method, QByteArray("GET"));
        QCOMPARE(hs.request.target, QByteArray("/path?q=1"));
        QCOMPARE(hs.request.header("X-Trace"), QByteArray("abc 123"));
        QCOMPARE(hs.request.header("Host"), "127.0.0.1:" + QByteArray::number(server.serverPort()));
        // What the server got is what the request shows.
        const QNetworkRequest seen = serverSide->request();
        for (const auto& [name, value] : hs.request.headers)
            QCOMPARE(seen.rawHeader(name), value);
        QCOMPARE(hs.response.status, 101);
        QCOMPARE(hs.response.header("Server"), QByteArray("qt-test-server"));
        QVERIFY(hs.acceptMatches());
        QVERIFY(hs.timings.tcpConnectUs >= 0);
        QVERIFY(hs.timings.upgradeUs >= 0);
        QVERIFY(handshakeSpy.size() >= 2);
        QTRY_COMPARE(rec.ofKind(LogEntry::Kind::Handshake, Direction::Send).size(), 1);
        QCOMPARE(rec.ofKind(LogEntry::Kind::Handshake, Direction::Send).first().payload, hs.request.raw);
        QCOMPARE(rec.ofKind(LogEntry::Kind::Handshake, Direction::Receive).first().payload, hs.response.raw);

        // A server ping shows as opcode 9 received; Qt's automatic pong as opcode 10 sent, masked.
        serverSide->ping("are you there");
        QTRY_COMPARE(withOpcode(rec.entries, OpPong, Direction::Send).size(), 1);
        const LogEntry ping = withOpcode(rec.entries, OpPing, Direction::Receive).value(0);
        const LogEntry pong = withOpcode(rec.entries, OpPong, Direction::Send).first();
        QCOMPARE(ping.kind, LogEntry::Kind::Ping);
        QCOMPARE(ping.payload, QByteArray("are you there"));
        QCOMPARE(pong.payload, QByteArray("are you there"));
        QVERIFY(pong.frames.first().masked);
        QVERIFY(!ping.frames.first().masked);

        // Messages are logged once each way, with their frames.
        connect(serverSide, &QWebSocket::textMessageReceived, serverSide,
            [s = serverSide](const QString& t) { s->sendTextMessage(t); });
        QVERIFY(session.sendText(u"echo me"_s).ok());
        QTRY_COMPARE(rec.ofKind(LogEntry::Kind::Text, Direction::Receive).size(), 1);
        QCOMPARE(rec.ofKind(LogEntry::Kind::Text, Direction::Send).size(), 1);
        QVERIFY(rec.ofKind(LogEntry::Kind::Text, Direction::Send).first().frames.first().masked);

        // Close both ways with code and reason.
        QVERIFY(session.close(4000, u"client bye"_s).ok());
        QVERIFY(waitForState(&session, Session::State::Closed));
        const auto sent = rec.ofKind(LogEntry::Kind::Close, Direction::Send);
        const auto received = rec.ofKind(LogEntry::Kind::Close, Direction::Receive);
        QCOMPARE(sent.size(), 1);
        QCOMPARE(sent.first().closeCode, quint16(4000));
        QCOMPARE(sent.first().closeReason(), QByteArray("client bye"));
        QCOMPARE(received.size(), 1);
        QCOMPARE(received.first().closeCode, quint16(4000));
    }

    // The seam for the inspector's own verdicts: a masked close frame with the code and reason goes
    // to the server, QWebSocket loses its connection, and a second verdict changes nothing.
    void failConnectionClosesUpstreamAndDropsTheClient()
    {
        QWebSocketServer server(u"t"_s, QWebSocketServer::NonSecureMode);
        QVERIFY(server.listen(QHostAddress::LocalHost));
        QWebSocket* serverSide = nullptr;
        connect(&server, &QWebSocketServer::newConnection, this, [&] {
            serverSide = server.nextPendingConnection();
            serverSide->setParent(&server);
        });
        const QUrl url(u"ws://127.0.0.1:%1/"_s.arg(server.serverPort()));
        WireRelay relay(Profile {});
        LogBatch entries;
        connect(&relay, &WireRelay::entriesReady, this, [&](const LogBatch& b) { entries.append(b); });
        QSignalSpy failed(&relay, &WireRelay::connectionFailed);
        QSignalSpy finished(&relay, &WireRelay::finished);
        QVERIFY(relay.start(url, url));
        QWebSocket client;
        client.setProxy(relay.clientProxy());
        QSignalSpy connected(&client, &QWebSocket::connected);
        QSignalSpy clientGone(&client, &QWebSocket::disconnected);
        client.open(url);
        QVERIFY(connected.wait(5000));
        QTRY_VERIFY(serverSide);
        QSignalSpy serverGone(serverSide, &QWebSocket::disconnected);

        relay.failConnection(1002, u"RFC 6455 §5.1: a rule was broken"_s);
        relay.failConnection(1007, u"a second verdict"_s);
        QCOMPARE(failed.size(), 1);
        QCOMPARE(failed.first().at(0).value<quint16>(), quint16(1002));
        QCOMPARE(failed.first().at(1).toString(), u"RFC 6455 §5.1: a rule was broken"_s);
        QVERIFY(relay.isFailing());
        QVERIFY(serverGone.wait(5000));
        QCOMPARE(serverSide->closeCode(), QWebSocketProtocol::CloseCodeProtocolError);
        QCOMPARE(serverSide->closeReason(), u"RFC 6455 §5.1: a rule was broken"_s);
        QTRY_VERIFY(!clientGone.isEmpty());
        QTRY_VERIFY(!finished.isEmpty());
        qsizetype closes = 0;
        for (const LogEntry& e : std::as_const(entries)) {
            if (e.kind != LogEntry::Kind::Close || e.dir != Direction::Send)
                continue;
            ++closes;
            QCOMPARE(e.closeCode, quint16(1002));
            QVERIFY(e.frames.first().masked);
            QVERIFY(e.frames.first().violations.isEmpty());
        }
        QCOMPARE(closes, 1);
    }

    // A reason longer than a close frame holds is cut at a character boundary (123 bytes at most).
    void failConnectionCutsALongReasonAtACharacter()
    {
        QWebSocketServer server(u"t"_s, QWebSocketServer::NonSecureMode);
        QVERIFY(server.listen(QHostAddress::LocalHost));
        QWebSocket* serverSide = nullptr;
        connect(&server, &QWebSocketServer::newConnection, this, [&] {
            serverSide = server.nextPendingConnection();
            serverSide->setParent(&server);
        });
        const QUrl url(u"ws://127.0.0.1:%1/"_s.arg(server.serverPort()));
        WireRelay relay(Profile {});
        QVERIFY(relay.start(url, url));
        QWebSocket client;
        client.setProxy(relay.clientProxy());
        QSignalSpy connected(&client, &QWebSocket::connected);
        client.open(url);
        QVERIFY(connected.wait(5000));
        QTRY_VERIFY(serverSide);
        QSignalSpy serverGone(serverSide, &QWebSocket::disconnected);
        const QString reason = u"x"_s + QString(100, u'é'); // 1 + 200 bytes of UTF-8
        relay.failConnection(1007, reason);
        QVERIFY(serverGone.wait(5000));
        QCOMPARE(serverSide->closeCode(), QWebSocketProtocol::CloseCodeWrongDatatype);
        QCOMPARE(serverSide->closeReason().size(), 62);
        QCOMPARE(serverSide->closeReason(), reason.left(62)); // 1 + 61 * 2 = 123 bytes
    }

    void hostNameIsResolvedAndTimed()
    {
        QWebSocketServer server(u"t"_s, QWebSocketServer::NonSecureMode);
        QVERIFY(server.listen(QHostAddress::LocalHost));
        Profile p;
        p.url = u"ws://localhost:%1/"_s.arg(server.serverPort());
        Session session(p);
        session.open();
        QVERIFY2(waitForState(&session, Session::State::Open), qPrintable(session.stateReason()));
        QVERIFY(session.handshake().timings.dnsUs >= 0);
        QVERIFY(session.handshake().timings.tcpConnectUs >= 0);
        QCOMPARE(session.handshake().request.header("Host"), "localhost:" + QByteArray::number(server.serverPort()));
    }

    void ruleBreakingServerFramesAreFlagged()
    {
        // A hand-made server: a valid 101, then frames Qt 6.4 accepts but RFC 6455 forbids.
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        QByteArray request;
        connect(&server, &QTcpServer::newConnection, this, [&] {
            QTcpSocket* s = server.nextPendingConnection();
            s->setParent(&server);
            connect(s, &QTcpSocket::readyRead, s, [&, s] {
                request += s->readAll();
                if (!request.contains("\r\n\r\n"))
                    return;
                const HttpHead head = HttpHeadParser::parse(request.left(request.indexOf("\r\n\r\n") + 4), true);
                s->write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                         "Sec-WebSocket-Accept: "
                    + WireRelay::acceptFor(head.header("Sec-WebSocket-Key")) + "\r\n\r\n");
                // "hi" masked with key 01 02 03 04, then "short" with a 16-bit length.
                s->write(QByteArray::fromHex("818201020304696b")); // 0x68 ^ 0x01, 0x69 ^ 0x02
                s->write(QByteArray::fromHex("817e0005") + "short");
                request = "done";
            });
        });
        Profile p;
        p.url = u"ws://127.0.0.1:%1/"_s.arg(server.serverPort());
        p.lenient = true; // strict would fail the connection at the masked frame
        Session session(p);
        EntryRecorder rec(&session);
        session.open();
        QVERIFY2(waitForState(&session, Session::State::Open), qPrintable(session.stateReason()));
        QTRY_VERIFY(!rec.ofKind(LogEntry::Kind::Text, Direction::Receive).isEmpty());
        const LogEntry masked = rec.ofKind(LogEntry::Kind::Text, Direction::Receive).first();
        QVERIFY(masked.frames.first().masked);
        QCOMPARE(masked.frames.first().maskKey, 0x01020304u);
        QVERIFY(masked.frames.first().violations.join(u' ').contains(u"masked frame from the server"_s));
        QTRY_COMPARE(rec.ofKind(LogEntry::Kind::Text, Direction::Receive).size(), 2);
        const LogEntry nonMinimal = rec.ofKind(LogEntry::Kind::Text, Direction::Receive).at(1);
        QCOMPARE(nonMinimal.payload, QByteArray("short"));
        QCOMPARE(nonMinimal.frames.first().lengthBytes, quint8(2));
        QVERIFY(nonMinimal.frames.first().violations.join(u' ').contains(u"non-minimal"_s));
    }

    void bigMessagesPassUnchangedBothWays()
    {
        // Larger than the relay's 4 MiB backpressure mark, so holding back and resuming is exercised.
        Session session(Profile::builtinEcho());
        EntryRecorder rec(&session);
        session.open();
        QVERIFY(waitForState(&session, Session::State::Open));
        QList<QByteArray> sent;
        QRandomGenerator gen(11);
        for (int i = 0; i < 3; ++i) {
            QByteArray data(9 * 1024 * 1024 + i, Qt::Uninitialized);
            gen.fillRange(reinterpret_cast<quint32*>(data.data()), data.size() / 4);
            sent.append(data);
            // One huge message at a time: more would be refused while the last one is still on its way.
            QTRY_VERIFY_WITH_TIMEOUT(!session.isSendQueueBusy(), 30000);
            const Result<void> queued = session.sendBinary(data);
            QVERIFY2(queued.ok(), qPrintable(queued.errorMessage()));
        }
        QTRY_COMPARE_WITH_TIMEOUT(rec.ofKind(LogEntry::Kind::Binary, Direction::Receive).size(), 3, 30000);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(rec.ofKind(LogEntry::Kind::Binary, Direction::Send).at(i).payload, sent.at(i));
            QCOMPARE(rec.ofKind(LogEntry::Kind::Binary, Direction::Receive).at(i).payload, sent.at(i));
        }
    }

    void nodeWsServer()
    {
        if (!startNode())
            QFAIL("node and the ws package are needed: run scripts/test.sh, or cd tests/interop && npm ci");
        Profile p;
        p.url = u"ws://127.0.0.1:%1/live"_s.arg(m_nodePort);
        p.headers.append({ u"X-Order-B"_s, u"2"_s });
        p.headers.append({ u"X-Order-A"_s, u"1"_s });
        Session session(p);
        EntryRecorder rec(&session);
        session.open();
        QVERIFY(waitForState(&session, Session::State::Open));
        const HandshakeInfo hs = session.handshake();
        QCOMPARE(hs.response.header("X-Custom"), QByteArray("hello-from-ws"));

        // The headers the server received, in wire order, equal the request shown.
        QVERIFY(session.sendText(u"headers"_s).ok());
        QTRY_COMPARE(rec.ofKind(LogEntry::Kind::Text, Direction::Receive).size(), 1);
        const QJsonArray seen
            = QJsonDocument::fromJson(rec.ofKind(LogEntry::Kind::Text, Direction::Receive).first().payload).array();
        QCOMPARE(seen.size(), hs.request.headers.size());
        for (int i = 0; i < seen.size(); ++i) {
            QCOMPARE(seen.at(i).toArray().at(0).toString().toLatin1(), hs.request.headers.at(i).first);
            QCOMPARE(seen.at(i).toArray().at(1).toString().toLatin1(), hs.request.headers.at(i).second);
        }

        QVERIFY(session.sendText(u"ping-me"_s).ok());
        QTRY_COMPARE(withOpcode(rec.entries, OpPong, Direction::Send).size(), 1);
        QCOMPARE(withOpcode(rec.entries, OpPing, Direction::Receive).first().payload, QByteArray("srv-ping"));
        QCOMPARE(withOpcode(rec.entries, OpPong, Direction::Send).first().payload, QByteArray("srv-ping"));

        // An unsolicited pong is allowed (no violation) and noted once.
        QVERIFY(session.sendText(u"pong-me"_s).ok());
        QTRY_COMPARE(rec.ofKind(LogEntry::Kind::Pong, Direction::Receive).size(), 1);
        QCOMPARE(rec.ofKind(LogEntry::Kind::Pong, Direction::Receive).first().payload, QByteArray("heartbeat"));
        QVERIFY(rec.ofKind(LogEntry::Kind::Pong, Direction::Receive).first().frames.first().violations.isEmpty());
        bool noted = false;
        for (const LogEntry& e : rec.ofKind(LogEntry::Kind::Info, Direction::Receive))
            noted = noted || e.payload.contains("unsolicited");
        QVERIFY(noted);

        // A fragmented message: text frame then continuation, one message.
        QVERIFY(session.sendText(u"frag"_s).ok());
        QTRY_COMPARE(rec.ofKind(LogEntry::Kind::Text, Direction::Receive).size(), 2);
        const LogEntry frag = rec.ofKind(LogEntry::Kind::Text, Direction::Receive).at(1);
        QCOMPARE(frag.payload, QByteArray("fragment"));
        QCOMPARE(frag.frames.size(), 2);
        QCOMPARE(frag.frames.at(0).opcode, quint8(OpText));
        QVERIFY(!frag.frames.at(0).fin);
        QCOMPARE(frag.frames.at(1).opcode, quint8(OpContinuation));
        QVERIFY(frag.frames.at(1).fin);
        QCOMPARE(frag.frames.at(1).payloadOffset, 4u);

        // The server closes: its close frame and Qt's answer, both with code and reason.
        QVERIFY(session.sendText(u"close-me"_s).ok());
        QVERIFY(waitForState(&session, Session::State::Closed));
        QCOMPARE(session.closeCode(), quint16(4002));
        QCOMPARE(session.closeReason(), u"server bye"_s);
        QVERIFY(session.closeFrameReceived());
        const auto received = rec.ofKind(LogEntry::Kind::Close, Direction::Receive);
        QCOMPARE(received.size(), 1);
        QCOMPARE(received.first().closeReason(), QByteArray("server bye"));
        QTRY_COMPARE(rec.ofKind(LogEntry::Kind::Close, Direction::Send).size(), 1);
        QCOMPARE(rec.ofKind(LogEntry::Kind::Close, Direction::Send).first().closeCode, quint16(4002));
    }

    void non101ResponseShowsStatusHeadersAndBody()
    {
        if (!startNode())
            QFAIL("node and the ws package are needed: run scripts/test.sh, or cd tests/interop && npm ci");
        Profile p;
        p.url = u"ws://127.0.0.1:%1/auth"_s.arg(m_nodePort);
        Session session(p);
        QSignalSpy handshakeSpy(&session, &Session::handshakeUpdated);
        session.open();
        QVERIFY(waitForState(&session, Session::State::Failed));
        QCOMPARE(session.stateReason(),
            u"The server answered HTTP 401 Unauthorized instead of 101 Switching Protocols: it wants credentials. Add "
            "them to the profile (an Authorization header, or the proxy's user and password)."_s);
        QTRY_COMPARE(session.handshake().response.body, QByteArray("Sign in first, please."));
        QCOMPARE(session.handshake().response.status, 401);
        QCOMPARE(session.handshake().response.header("WWW-Authenticate"), QByteArray("Bearer realm=\"test\""));
    }

    void wssWithTheCaShowsTlsDetails()
    {
        QFile certFile(m_certPath);
        QFile keyFile(m_keyPath);
        QVERIFY(certFile.open(QIODevice::ReadOnly) && keyFile.open(QIODevice::ReadOnly));
        QSslConfiguration config;
        config.setLocalCertificate(QSslCertificate(&certFile, QSsl::Pem));
        config.setPrivateKey(QSslKey(&keyFile, QSsl::Rsa, QSsl::Pem));
        QWebSocketServer server(u"tls-test"_s, QWebSocketServer::SecureMode);
        server.setSslConfiguration(config);
        QVERIFY(server.listen(QHostAddress::LocalHost));
        QWebSocket* serverSide = nullptr;
        connect(&server, &QWebSocketServer::newConnection, this, [&] {
            serverSide = server.nextPendingConnection();
            serverSide->setParent(&server); // the server does not own its sockets
        });

        Profile p;
        p.url = u"wss://127.0.0.1:%1/secure"_s.arg(server.serverPort());
        p.tls.caFile = m_certPath;
        Session session(p);
        EntryRecorder rec(&session);
        session.open();
        QVERIFY2(waitForState(&session, Session::State::Open), qPrintable(session.stateReason()));
        QTRY_VERIFY(serverSide);
        const HandshakeInfo& hs = session.handshake();
        QVERIFY(hs.tls.protocol.startsWith(u"TLS 1."_s));
        QVERIFY(!hs.tls.cipher.isEmpty());
        QCOMPARE(hs.tls.peerChainPem.size(), 1);
        QCOMPARE(hs.tls.peerChainPem.first(), config.localCertificate().toPem());
        QVERIFY(hs.tls.verified);
        QVERIFY(hs.timings.tlsHandshakeUs >= 0);
        // The Host header is the one a direct wss connection sends (host and explicit port).
        QCOMPARE(hs.request.header("Host"), "127.0.0.1:" + QByteArray::number(server.serverPort()));
        QCOMPARE(serverSide->request().rawHeader("Host"), hs.request.header("Host"));
        QCOMPARE(hs.response.status, 101);
        QVERIFY(session.sendText(u"over tls"_s).ok());
        QTRY_COMPARE(rec.ofKind(LogEntry::Kind::Text, Direction::Send).size(), 1);
    }

    void clientKeysOfEveryAlgorithmLoadAndABadOneIsExplained()
    {
        QFile certFile(m_certPath);
        QFile keyFile(m_keyPath);
        QVERIFY(certFile.open(QIODevice::ReadOnly) && keyFile.open(QIODevice::ReadOnly));
        QSslConfiguration config;
        config.setLocalCertificate(QSslCertificate(&certFile, QSsl::Pem));
        config.setPrivateKey(QSslKey(&keyFile, QSsl::Rsa, QSsl::Pem));
        QWebSocketServer server(u"tls-test"_s, QWebSocketServer::SecureMode);
        server.setSslConfiguration(config);
        QVERIFY(server.listen(QHostAddress::LocalHost));
        connect(&server, &QWebSocketServer::newConnection, this,
            [&] { server.nextPendingConnection()->setParent(&server); });

        // An EC client certificate and key (not RSA) load and the connection opens.
        const QString ecKey = m_dir.filePath(u"ec-key.pem"_s), ecCert = m_dir.filePath(u"ec-cert.pem"_s);
        const QString made = wsi::test::makeSelfSignedCertificate(
            ecCert, ecKey, u"/CN=client"_s, {}, { u"ec"_s, u"-pkeyopt"_s, u"ec_paramgen_curve:prime256v1"_s });
        QVERIFY2(made.isEmpty(), qPrintable(made));
        Profile p;
        p.url = u"wss://127.0.0.1:%1/"_s.arg(server.serverPort());
        p.tls.caFile = m_certPath;
        p.tls.certFile = ecCert;
        p.tls.keyFile = ecKey;
        {
            Session session(p);
            session.open();
            QVERIFY2(waitForState(&session, Session::State::Open), qPrintable(session.stateReason()));
        }

        // A key file that holds no key fails the session with a message naming the file.
        const QString bad = m_dir.filePath(u"not-a-key.pem"_s);
        QFile junk(bad);
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write("-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");
        junk.close();
        p.tls.keyFile = bad;
        Session session(p);
        session.open();
        QVERIFY(waitForState(&session, Session::State::Failed));
        QVERIFY2(
            session.stateReason().contains(u"could not be read as a private key"_s), qPrintable(session.stateReason()));
        QVERIFY(session.stateReason().contains(bad));
    }

    void wssWithoutTheCaFailsBeforeAnyRequest()
    {
        TlsRecorder server;
        QFile certFile(m_certPath);
        QFile keyFile(m_keyPath);
        QVERIFY(certFile.open(QIODevice::ReadOnly) && keyFile.open(QIODevice::ReadOnly));
        server.cert = QSslCertificate(&certFile, QSsl::Pem);
        server.key = QSslKey(&keyFile, QSsl::Rsa, QSsl::Pem);
        QVERIFY(server.listen(QHostAddress::LocalHost));

        Profile p;
        p.url = u"wss://127.0.0.1:%1/"_s.arg(server.serverPort());
        Session session(p);
        session.open();
        QVERIFY(waitForState(&session, Session::State::Failed));
        // Plain words from ConnectErrors, not OpenSSL's text.
        QVERIFY2(session.stateReason().startsWith(
                     u"The certificate of 127.0.0.1:%1 is self-signed"_s.arg(server.serverPort())),
            qPrintable(session.stateReason()));
        const TlsInfo& tls = session.handshake().tls;
        QVERIFY(!tls.verified);
        QVERIFY(!tls.verificationErrors.isEmpty());
        QCOMPARE(tls.peerChainPem.value(0), server.cert.toPem());
        QTRY_VERIFY(server.closed > 0);
        QCOMPARE(server.received, QByteArray()); // no HTTP request reached the server
        QVERIFY(session.handshake().request.isEmpty());
    }

    void noVerifyConnectsAndSaysSo()
    {
        QFile certFile(m_certPath);
        QFile keyFile(m_keyPath);
        QVERIFY(certFile.open(QIODevice::ReadOnly) && keyFile.open(QIODevice::ReadOnly));
        QSslConfiguration config;
        config.setLocalCertificate(QSslCertificate(&certFile, QSsl::Pem));
        config.setPrivateKey(QSslKey(&keyFile, QSsl::Rsa, QSsl::Pem));
        QWebSocketServer server(u"tls-test"_s, QWebSocketServer::SecureMode);
        server.setSslConfiguration(config);
        QVERIFY(server.listen(QHostAddress::LocalHost));

        Profile p;
        p.url = u"wss://127.0.0.1:%1/"_s.arg(server.serverPort());
        p.tls.verify = false;
        Session session(p);
        EntryRecorder rec(&session);
        session.open();
        QVERIFY2(waitForState(&session, Session::State::Open), qPrintable(session.stateReason()));
        QVERIFY(!session.handshake().tls.verified);
        QVERIFY(!session.handshake().tls.verificationErrors.isEmpty());
        bool said = false;
        for (const LogEntry& e : rec.ofKind(LogEntry::Kind::Info, Direction::None))
            said = said || e.payload.contains("verification is off");
        QVERIFY(said);
    }

    void entriesArePublishedBeforeTheirBytesAreForwarded()
    {
        // No batching timer: by the time the client has a frame's bytes, its entry is out. Pings:
        // of the server's frames, QWebSocket only gets the control frames it acts on.
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        QTcpSocket* serverSide = nullptr;
        connect(&server, &QTcpServer::newConnection, this, [&] {
            serverSide = server.nextPendingConnection();
            serverSide->setParent(&server);
        });
        const QUrl url(u"ws://127.0.0.1:%1/"_s.arg(server.serverPort()));
        WireRelay relay(Profile {});
        QVERIFY(relay.start(url, url));
        QList<LogEntry> pings;
        connect(&relay, &WireRelay::entriesReady, this, [&](const LogBatch& b) {
            for (const LogEntry& e : b) {
                if (e.kind == LogEntry::Kind::Ping)
                    pings.append(e);
            }
        });
        QTcpSocket client;
        QVERIFY(tunnel(relay, client, server.serverPort()));
        client.write(kRequest);
        QTRY_VERIFY(serverSide && serverSide->bytesAvailable() == kRequest.size());
        QByteArray received;
        QList<int> loggedWhenReceived; // ping entries published when each frame reached the client
        connect(&client, &QTcpSocket::readyRead, this, [&] {
            received += client.readAll();
            while (loggedWhenReceived.size() < 5
                && received.contains(QByteArray("message " + QByteArray::number(loggedWhenReceived.size()))))
                loggedWhenReceived.append(int(pings.size()));
        });
        serverSide->write(k101);
        for (int i = 0; i < 5; ++i) {
            const QByteArray text = "message " + QByteArray::number(i);
            serverSide->write(QByteArray(1, char(0x89)) + char(text.size()) + text);
            QTRY_COMPARE(loggedWhenReceived.size(), i + 1);
            QCOMPARE(loggedWhenReceived.at(i), i + 1);
            QCOMPARE(pings.at(i).payload, text);
        }
    }

    void pausedUpstreamHoldsTheServerBack()
    {
        // A hand-made server: it writes whatever the test says, as fast as TCP lets it.
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        QTcpSocket* serverSide = nullptr;
        connect(&server, &QTcpServer::newConnection, this, [&] {
            serverSide = server.nextPendingConnection();
            serverSide->setParent(&server);
        });
        const QUrl url(u"ws://127.0.0.1:%1/"_s.arg(server.serverPort()));
        WireRelay relay(Profile {});
        QVERIFY(relay.start(url, url));
        QList<LogEntry> entries;
        connect(&relay, &WireRelay::entriesReady, this, [&](const LogBatch& b) { entries.append(b); });

        // The client does what QWebSocket does through the relay: CONNECT, then its request.
        QTcpSocket client;
        QVERIFY(tunnel(relay, client, server.serverPort()));
        const QByteArray request = kRequest;
        client.write(request);
        QTRY_VERIFY(serverSide && serverSide->bytesAvailable() == request.size());
        QByteArray received;
        connect(&client, &QTcpSocket::readyRead, this, [&] { received += client.readAll(); });

        // Binary frames of 1 MiB, each with its own content, 64-bit length, unmasked.
        auto frame = [](int index) {
            QByteArray f = QByteArray::fromHex("827f0000000000100000");
            f += QByteArray(1024 * 1024, char('a' + index % 26));
            return f;
        };
        auto binaries = [&entries] {
            QList<LogEntry> messages;
            for (const LogEntry& e : std::as_const(entries)) {
                if (e.kind == LogEntry::Kind::Binary)
                    messages.append(e);
            }
            return messages;
        };
        const QByteArray first = k101 + frame(0);
        serverSide->write(first);
        QTRY_COMPARE(binaries().size(), 1);
        // QWebSocket gets the head; the data frames only go to the log (QtFrameShield).
        QTRY_VERIFY(received.endsWith("\r\n\r\n"));
        const QByteArray head = received;
        QVERIFY(head.startsWith("HTTP/1.1 101"));

        relay.setUpstreamPaused(true);
        QVERIFY(relay.isUpstreamPaused());
        const qsizetype entriesBefore = entries.size();
        // Far more than the relay's read buffer and both kernels' socket buffers hold.
        QByteArray stream;
        for (int i = 1; i <= 32; ++i)
            stream += frame(i);
        const QByteArray ping = QByteArray::fromHex("8904") + "last";
        stream += ping;
        serverSide->write(stream);
        // Until the server's writes stall: TCP's window is closed because the relay reads nothing.
        QSignalSpy written(serverSide, &QTcpSocket::bytesWritten);
        while (written.wait(300)) { }
        QVERIFY2(serverSide->bytesToWrite() > 0, "the server could write everything: nothing held it back");
        QCOMPARE(received, head); // nothing new reached the client
        QCOMPARE(entries.size(), entriesBefore); // nor the log

        relay.setUpstreamPaused(false);
        // The ping after the 32 MiB goes to the client once everything before it was read.
        QTRY_COMPARE_WITH_TIMEOUT(received, head + ping, 30000);
        const QList<LogEntry> messages = binaries(); // in order, byte for byte
        QCOMPARE(messages.size(), 33);
        for (int i = 0; i <= 32; ++i)
            QCOMPARE(messages.at(i).payload, frame(i).mid(10));
    }

    void pinnedFingerprintIsAccepted()
    {
        QFile certFile(m_certPath);
        QFile keyFile(m_keyPath);
        QVERIFY(certFile.open(QIODevice::ReadOnly) && keyFile.open(QIODevice::ReadOnly));
        QSslConfiguration config;
        config.setLocalCertificate(QSslCertificate(&certFile, QSsl::Pem));
        config.setPrivateKey(QSslKey(&keyFile, QSsl::Rsa, QSsl::Pem));
        QWebSocketServer server(u"tls-test"_s, QWebSocketServer::SecureMode);
        server.setSslConfiguration(config);
        QVERIFY(server.listen(QHostAddress::LocalHost));

        Profile p;
        p.url = u"wss://127.0.0.1:%1/"_s.arg(server.serverPort());
        p.tls.pinnedFingerprints = QStringList { QString::fromLatin1(
            config.localCertificate().digest(QCryptographicHash::Sha256).toHex(':')) };
        Session session(p);
        session.open();
        QVERIFY2(waitForState(&session, Session::State::Open), qPrintable(session.stateReason()));
        QVERIFY(!session.handshake().tls.verified);
    }
};

QTEST_GUILESS_MAIN(tst_WireRelay)
#include "tst_wirerelay.moc"
