#include "scriptedserver.h"
#include "server/builtinserver.h"
#include "session/session.h"
#include "testhelpers.h"

#include <QRandomGenerator>
#include <QTcpServer>
#include <QTcpSocket>
#include <QWebSocket>
#include <QWebSocketServer>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;
using wsi::test::EntryRecorder;
using wsi::test::waitForState;

class tst_Session : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanupTestCase() { BuiltinServers::shutdown(); }

    void textRoundTripThroughBuiltinEcho()
    {
        Session session(Profile::builtinEcho());
        EntryRecorder rec(&session);
        session.open();
        QVERIFY(waitForState(&session, Session::State::Open));
        QCOMPARE(session.connectedUrl().host(), u"127.0.0.1"_s);

        const QString text = u"héllo wörld ✓ 🚀 \u0000 end"_s;
        QVERIFY(session.sendText(text).ok());
        QTRY_COMPARE(rec.ofKind(LogEntry::Kind::Text, Direction::Receive).size(), 1);
        QCOMPARE(rec.ofKind(LogEntry::Kind::Text, Direction::Receive).first().payload, text.toUtf8());
        QCOMPARE(rec.ofKind(LogEntry::Kind::Text, Direction::Send).first().payload, text.toUtf8());
        QVERIFY(session.close(1000, u"done"_s).ok());
        QVERIFY(waitForState(&session, Session::State::Closed));
    }

    void binaryRoundTripIsByteExact()
    {
        Session session(Profile::builtinEcho());
        EntryRecorder rec(&session);
        session.open();
        QVERIFY(waitForState(&session, Session::State::Open));

        QByteArray all;
        for (int i = 0; i < 256; ++i)
            all.append(char(i));
        QByteArray random(1 << 20, Qt::Uninitialized);
        QRandomGenerator gen(42);
        gen.fillRange(reinterpret_cast<quint32*>(random.data()), random.size() / 4);

        QVERIFY(session.sendBinary(all).ok());
        QVERIFY(session.sendBinary(random).ok());
        QTRY_COMPARE(rec.ofKind(LogEntry::Kind::Binary, Direction::Receive).size(), 2);
        QCOMPARE(rec.ofKind(LogEntry::Kind::Binary, Direction::Receive).at(0).payload, all);
        QCOMPARE(rec.ofKind(LogEntry::Kind::Binary, Direction::Receive).at(1).payload, random);
    }

    void connectionRefusedIsExplained()
    {
        QTcpServer probe; // find a port nobody listens on
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close();

        Profile p;
        p.url = u"ws://127.0.0.1:%1/"_s.arg(port);
        Session session(p);
        session.open();
        QVERIFY(waitForState(&session, Session::State::Failed));
        QVERIFY2(session.stateReason().contains(u"Connection refused"_s), qPrintable(session.stateReason()));
    }

    void handshakeTimeoutAbortsSilentServer()
    {
        QTcpServer silent; // accepts TCP and never answers
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        QList<QTcpSocket*> accepted;
        connect(&silent, &QTcpServer::newConnection, this, [&] { accepted.append(silent.nextPendingConnection()); });

        Profile p;
        p.url = u"ws://127.0.0.1:%1/"_s.arg(silent.serverPort());
        p.handshakeTimeoutMs = 300;
        Session session(p);
        QElapsedTimer t;
        t.start();
        session.open();
        QVERIFY(waitForState(&session, Session::State::Failed, 5000));
        QCOMPARE(session.stateReason(), u"No handshake response within 300 ms."_s);
        QVERIFY(t.elapsed() >= 290);
        QTRY_COMPARE(accepted.size(), 1);
        // The engine really let go of the connection.
        QTRY_COMPARE(accepted.first()->state(), QAbstractSocket::UnconnectedState);
    }

    void invalidProfileSendsNothing()
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        Profile p;
        p.url = u"ws://127.0.0.1:%1/"_s.arg(server.serverPort());
        p.handshakeTimeoutMs = 5; // below the 100 ms minimum
        Session session(p);
        EntryRecorder rec(&session);
        session.open();
        QVERIFY(waitForState(&session, Session::State::Failed));
        QVERIFY(session.stateReason().contains(u"timeout"_s, Qt::CaseInsensitive));
        // The log says why, once.
        QCOMPARE(rec.ofKind(LogEntry::Kind::Error, Direction::None).size(), 1);
        QVERIFY(!server.waitForNewConnection(100));
    }

    void serverCloseCodeAndReasonReachTheSession()
    {
        QWebSocketServer server(u"test"_s, QWebSocketServer::NonSecureMode);
        QVERIFY(server.listen(QHostAddress::LocalHost));
        connect(&server, &QWebSocketServer::newConnection, this, [&] {
            QWebSocket* s = server.nextPendingConnection();
            s->setParent(&server); // the server does not own the sockets it hands out
            connect(s, &QWebSocket::textMessageReceived, s,
                [s](const QString&) { s->close(QWebSocketProtocol::CloseCode(4001), u"bye now"_s); });
        });
        Profile p;
        p.url = u"ws://127.0.0.1:%1/"_s.arg(server.serverPort());
        Session session(p);
        EntryRecorder rec(&session);
        session.open();
        QVERIFY(waitForState(&session, Session::State::Open));
        QVERIFY(session.sendText(u"close please"_s).ok());
        QVERIFY(waitForState(&session, Session::State::Closed));
        QCOMPARE(session.closeCode(), quint16(4001));
        QCOMPARE(session.closeReason(), u"bye now"_s);
        const auto closes = rec.ofKind(LogEntry::Kind::Close, Direction::Receive);
        QCOMPARE(closes.size(), 1);
        QCOMPARE(closes.first().closeCode, quint16(4001));
        QCOMPARE(closes.first().closeReason(), QByteArray("bye now"));
    }

    void messageOverTheLimitIsExplainedWithTheLimit()
    {
        Profile p = Profile::builtinEcho();
        p.maxIncomingMessageSize = 1000;
        Session session(p);
        session.open();
        QVERIFY(waitForState(&session, Session::State::Open));
        EntryRecorder rec(&session);
        QVERIFY(session.sendBinary(QByteArray(2000, 'x')).ok()); // the echo comes back too big
        const bool failed = waitForState(&session, Session::State::Failed);
        QVERIFY2(failed, qPrintable(Session::stateName(session.state()) + u": "_s + session.stateReason()));
        // What the user sent is on the wire in full: the incoming limit is not applied to it.
        QCOMPARE(rec.ofKind(LogEntry::Kind::Binary, Direction::Send).value(0).payload.size(), 2000);
        QVERIFY2(session.stateReason().contains(u"1009"_s), qPrintable(session.stateReason()));
        QVERIFY(session.stateReason().contains(u"1000 bytes"_s));
    }

    void serverThatDropsRightAfterTheHandshakeDoesNotLeaveTheSessionOpen()
    {
        // Accepts the upgrade and closes TCP at once: connected and disconnected arrive together.
        wsi::test::ScriptedServer server([](QTcpSocket* s, const HttpHead& request) {
            s->write(wsi::test::ScriptedServer::ok101(request));
            s->disconnectFromHost();
        });
        Profile p;
        p.url = server.url();
        QList<Session::State> states; // before the session: it may still change state while it goes
        Session session(p);
        connect(&session, &Session::stateChanged, this, [&states](Session::State s) { states.append(s); });
        const auto ended = [](Session::State s) { return s == Session::State::Closed || s == Session::State::Failed; };
        session.open();
        QTRY_VERIFY_WITH_TIMEOUT(ended(session.state()), 10000);
        // Nothing late may flip it back to Open: a round trip through the wire thread (its answer is
        // queued after every event the connection produced before it) finds the session still ended.
        QSignalSpy drained(&session, &Session::sendQueueDrained);
        session.notifyWhenSendQueueDrained();
        QVERIFY(drained.wait());
        QVERIFY2(ended(session.state()), qPrintable(Session::stateName(session.state())));
        const qsizetype end = std::find_if(states.cbegin(), states.cend(), ended) - states.cbegin();
        QVERIFY(end < states.size());
        QVERIFY2(!states.mid(end).contains(Session::State::Open), qPrintable(Session::stateName(states.last())));
    }

    void sendingWhileClosedIsRefused()
    {
        Session session(Profile::builtinEcho());
        QVERIFY(!session.sendText(u"x"_s).ok());
        QVERIFY(!session.ping().ok());
    }

    void roundTripIsKnownWhenItsEntryArrives()
    {
        Session session(Profile::builtinEcho());
        session.open();
        QVERIFY(waitForState(&session, Session::State::Open));
        int rttSeenWithEntry = -2;
        connect(&session, &Session::entriesAdded, this, [&](const LogBatch& batch) {
            for (const LogEntry& e : batch) {
                if (e.kind == LogEntry::Kind::Info && e.payload.startsWith("Ping round trip"))
                    rttSeenWithEntry = session.lastPingRttMs();
            }
        });
        QVERIFY(session.ping("rtt").ok());
        QTRY_VERIFY(rttSeenWithEntry != -2);
        QVERIFY2(rttSeenWithEntry >= 0, "a listener of the round-trip entry read the old value");
    }

    void closeCodeAndPingLimitsAreChecked()
    {
        Session session(Profile::builtinEcho());
        session.open();
        QVERIFY(waitForState(&session, Session::State::Open));
        QVERIFY(session.close(1005).errorMessage().contains(u"reserved"_s));
        QVERIFY(session.close(1000, QString(124, u'x')).errorMessage().contains(u"123"_s));
        QVERIFY(session.ping(QByteArray(126, 'p')).errorMessage().contains(u"125"_s));
        QCOMPARE(session.state(), Session::State::Open);
    }
};

QTEST_GUILESS_MAIN(tst_Session)
#include "tst_session.moc"
