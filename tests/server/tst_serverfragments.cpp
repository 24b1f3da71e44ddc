// The built-in server takes every fragmentation RFC 6455 allows: Qt 6.4's QWebSocketServer refuses
// (1007) a text message whose fragments split a UTF-8 character, so the bridge in front of it cuts
// the fragments at characters again. A raw client on 127.0.0.1 sends the fragments; invalid UTF-8
// still gets 1007, a message over the limit 1009, and ?deflate=off still works.
#include "deflate/incominginflater.h"
#include "deflate/messagecodec.h"
#include "rawwsclient.h"
#include "server/classroomserver.h"
#include "server/deflatebridge.h"
#include "warningcatcher.h"

#include <QtEndian>
#include <QtTest>

#include <optional>

using namespace Qt::StringLiterals;
using namespace wsi;

namespace {

quint16 closeCode(const ParsedFrame& f)
{
    return f.payload.size() >= 2 ? qFromBigEndian<quint16>(f.payload.constData()) : 0;
}

// h é l l o … 😀 w ö r l d: 2-, 3- and 4-byte characters.
const QByteArray kMessage = QByteArray("h\xc3\xa9llo\xe2\x80\xa6\xf0\x9f\x98\x80 w\xc3\xb6rld");

// The message cut at the given byte offsets, one fragment per piece.
QList<QByteArray> cut(const QByteArray& message, const QList<int>& at)
{
    QList<QByteArray> pieces;
    int from = 0;
    for (int pos : at) {
        pieces << message.mid(from, pos - from);
        from = pos;
    }
    pieces << message.mid(from);
    return pieces;
}

void sendFragments(RawClient& client, quint8 opcode, const QList<QByteArray>& pieces)
{
    for (qsizetype i = 0; i < pieces.size(); ++i)
        client.send(i == 0 ? opcode : quint8(OpContinuation), pieces.at(i), 0, i == pieces.size() - 1);
}

} // namespace

class tst_ServerFragments : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_warnings.emplace(); // any warning until the end of cleanup() fails the test
        m_server = startRawTestServer();
        QVERIFY(m_server);
    }
    void cleanup()
    {
        delete m_server; // the teardown too: the bridge once wrote to a client socket it had closed
        m_server = nullptr;
        const QString warnings = m_warnings ? m_warnings->take() : QString();
        m_warnings.reset();
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings));
    }

    void incompleteCharacterTail_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("tail");
        QTest::newRow("empty") << QByteArray() << 0;
        QTest::newRow("ascii") << QByteArray("abc") << 0;
        QTest::newRow("whole 2-byte") << QByteArray("a\xc3\xa9") << 0;
        QTest::newRow("lead of 2-byte") << QByteArray("a\xc3") << 1;
        QTest::newRow("1 of 3-byte") << QByteArray("a\xe2") << 1;
        QTest::newRow("2 of 3-byte") << QByteArray("a\xe2\x80") << 2;
        QTest::newRow("whole 3-byte") << QByteArray("\xe2\x80\xa6") << 0;
        QTest::newRow("1 of 4-byte") << QByteArray("\xf0") << 1;
        QTest::newRow("2 of 4-byte") << QByteArray("\xf0\x9f") << 2;
        QTest::newRow("3 of 4-byte") << QByteArray("x\xf0\x9f\x98") << 3;
        QTest::newRow("whole 4-byte") << QByteArray("\xf0\x9f\x98\x80") << 0;
        QTest::newRow("stray continuation") << QByteArray("a\x80") << 0;
        QTest::newRow("four continuations") << QByteArray("\x80\x80\x80\x80") << 0;
        QTest::newRow("invalid lead") << QByteArray("a\xff") << 0;
    }
    void incompleteCharacterTail()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, tail);
        QCOMPARE(IncomingInflater::incompleteCharacterTail(bytes), tail);
    }

    // "héllo…😀 wörld" fragmented inside its characters comes back byte-exact, with or without
    // permessage-deflate (then the message is sent uncompressed and the echo inflates to it).
    void splitCharactersAreEchoed_data()
    {
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<QByteArray>("offer");
        QTest::addColumn<QList<int>>("at");
        const QList<int> inTwoByte { 2 }; // h \xc3 | \xa9 llo…
        const QList<int> inFourByte { 10, 12 }; // …\xf0\x9f | \x98 | \x80 w…
        const QList<int> inBoth { 2, 11 };
        QList<int> everyByte;
        for (int i = 1; i < kMessage.size(); ++i)
            everyByte << i;
        const struct
        {
            const char* name;
            QByteArray target;
            QByteArray offer;
        } modes[] = {
            { "no offer", "/echo", QByteArray() },
            { "deflate=off", "/echo?deflate=off", "permessage-deflate; client_max_window_bits" },
            { "deflate on", "/echo", "permessage-deflate; client_max_window_bits" },
        };
        for (const auto& m : modes) {
            QTest::addRow("%s, in a 2-byte character", m.name) << m.target << m.offer << inTwoByte;
            QTest::addRow("%s, in a 4-byte character", m.name) << m.target << m.offer << inFourByte;
            QTest::addRow("%s, in both", m.name) << m.target << m.offer << inBoth;
            QTest::addRow("%s, every byte", m.name) << m.target << m.offer << everyByte;
        }
    }
    void splitCharactersAreEchoed()
    {
        QFETCH(QByteArray, target);
        QFETCH(QByteArray, offer);
        QFETCH(QList<int>, at);
        RawClient client(m_server->port(), target, offer);
        QVERIFY2(client.response().startsWith("HTTP/1.1 101"), client.response().constData());
        const bool deflate = !client.extensionsHeader().isEmpty();
        QCOMPARE(deflate, !offer.isNull() && !target.contains("deflate=off"));
        MessageInflater inflater(15, false, 1024 * 1024);
        for (int round = 0; round < 2; ++round) {
            QList<QByteArray> pieces = cut(kMessage, at);
            // A ping between the fragments is answered at once, and the message still arrives whole.
            client.send(OpText, pieces.takeFirst(), 0, false);
            client.send(OpPing, "between", 0);
            for (qsizetype i = 0; i < pieces.size(); ++i)
                client.send(OpContinuation, pieces.at(i), 0, i == pieces.size() - 1);
            const std::optional<ParsedFrame> pong = client.frame();
            QVERIFY(pong);
            QCOMPARE(pong->info.opcode, quint8(OpPong));
            QCOMPARE(pong->payload, QByteArray("between"));
            const std::optional<ParsedFrame> echo = client.frame();
            QVERIFY(echo);
            QVERIFY2(echo->info.opcode == OpText,
                qPrintable(u"opcode %1, close code %2"_s.arg(echo->info.opcode).arg(closeCode(*echo))));
            QVERIFY(echo->info.fin);
            QCOMPARE(echo->info.rsv, quint8(deflate ? 4 : 0));
            QCOMPARE(deflate ? *inflater.inflateMessage(echo->payload) : echo->payload, kMessage);
        }
        QCOMPARE(m_server->clientCount(), 1);
        QCOMPARE(m_server->findChildren<DeflateBridge*>().size(), 1); // every upgrade is bridged
        client.socket().disconnectFromHost();
        QTRY_COMPARE(m_server->clientCount(), 0);
        QTRY_COMPARE(m_server->findChildren<DeflateBridge*>().size(), 0);
    }

    // What is not valid UTF-8 as a whole message is still refused with 1007 (by Qt), fragmented or
    // not, and the server goes on serving.
    void invalidUtf8Gets1007_data()
    {
        QTest::addColumn<QByteArray>("offer");
        QTest::addColumn<QList<QByteArray>>("pieces");
        const QList<QByteArray> offers { QByteArray(), QByteArray("permessage-deflate") };
        for (const QByteArray& offer : offers) {
            const char* mode = offer.isNull() ? "plain" : "deflate connection";
            QTest::addRow("%s, whole, bad continuation", mode) << offer << QList<QByteArray> { "ab\xc3(cd" };
            QTest::addRow("%s, split, 0xff", mode) << offer << QList<QByteArray> { "ab", "\xff", "cd" };
            QTest::addRow("%s, split, bad continuation after a cut lead", mode)
                << offer << QList<QByteArray> { "ab\xe2", "\x80(" };
            QTest::addRow("%s, ends inside a character", mode) << offer << QList<QByteArray> { "ab\xf0", "\x9f\x98" };
            QTest::addRow("%s, surrogate (CESU)", mode) << offer << QList<QByteArray> { "\xed\xa0", "\x80" };
        }
    }
    void invalidUtf8Gets1007()
    {
        QFETCH(QByteArray, offer);
        QFETCH(QList<QByteArray>, pieces);
        RawClient client(m_server->port(), "/echo", offer);
        QVERIFY(client.response().startsWith("HTTP/1.1 101"));
        sendFragments(client, OpText, pieces);
        const std::optional<ParsedFrame> close = client.frame();
        QVERIFY(close);
        QCOMPARE(close->info.opcode, quint8(OpClose));
        QCOMPARE(int(closeCode(*close)), 1007);
        QTRY_COMPARE(m_server->clientCount(), 0);
        QCOMPARE(m_server->deflateFailures(), 0); // Qt's refusal, not the extension's
        RawClient next(m_server->port(), "/echo", QByteArray());
        next.send(OpText, "still here", 0);
        const std::optional<ParsedFrame> echo = next.frame();
        QVERIFY(echo);
        QCOMPARE(echo->payload, QByteArray("still here"));
    }

    // A fragmented message over the server's limit (256 KiB here) closes with 1009 before it is held
    // whole; binary as well as text, with or without deflate.
    void fragmentedOverLimitGets1009_data()
    {
        QTest::addColumn<QByteArray>("offer");
        QTest::addColumn<quint8>("opcode");
        QTest::newRow("text") << QByteArray() << quint8(OpText);
        QTest::newRow("binary") << QByteArray() << quint8(OpBinary);
        QTest::newRow("text, deflate connection") << QByteArray("permessage-deflate") << quint8(OpText);
    }
    void fragmentedOverLimitGets1009()
    {
        QFETCH(QByteArray, offer);
        QFETCH(quint8, opcode);
        RawClient client(m_server->port(), "/echo", offer);
        QVERIFY(client.response().startsWith("HTTP/1.1 101"));
        // 100 KiB fragments, each ending inside a 2-byte character ("é" = c3 a9).
        QByteArray piece = QByteArray(100 * 1024 - 1, 'a') + "\xc3";
        client.send(opcode, piece, 0, false);
        for (int i = 0; i < 4; ++i) {
            piece = "\xa9" + QByteArray(100 * 1024 - 2, 'b') + "\xc3";
            client.send(OpContinuation, piece, 0, i == 3);
        }
        const std::optional<ParsedFrame> close = client.frame();
        QVERIFY(close);
        QCOMPARE(close->info.opcode, quint8(OpClose));
        QCOMPARE(int(closeCode(*close)), 1009);
        QTRY_COMPARE(client.socket().state(), QAbstractSocket::UnconnectedState);
        QTRY_COMPARE(m_server->clientCount(), 0);
        // Just under the limit, in the same fragments, is echoed.
        RawClient next(m_server->port(), "/echo", QByteArray());
        QVERIFY(next.response().startsWith("HTTP/1.1 101"));
        const QByteArray message = QByteArray(128 * 1024 - 1, 'a') + "\xc3\xa9" + QByteArray(100 * 1024, 'c');
        sendFragments(next, OpText, cut(message, { 128 * 1024 }));
        const std::optional<ParsedFrame> echo = next.frame();
        QVERIFY(echo);
        QCOMPARE(echo->info.opcode, quint8(OpText));
        QCOMPARE(echo->payload, message);
    }

    // Binary fragments are not touched (any byte may end one) and come back whole.
    void binaryFragmentsAreEchoed()
    {
        RawClient client(m_server->port(), "/echo", QByteArray());
        QVERIFY(client.response().startsWith("HTTP/1.1 101"));
        sendFragments(client, OpBinary, cut(kMessage, { 2, 11 }));
        const std::optional<ParsedFrame> echo = client.frame();
        QVERIFY(echo);
        QCOMPARE(echo->info.opcode, quint8(OpBinary));
        QCOMPARE(echo->payload, kMessage);
    }

    // Without the extension, RSV1 is a protocol error (1002) as it was with Qt alone; it is not
    // counted as a compression failure.
    void rsv1WithoutExtensionGets1002()
    {
        RawClient client(m_server->port(), "/echo?deflate=off", "permessage-deflate");
        QVERIFY(client.response().startsWith("HTTP/1.1 101"));
        QVERIFY(client.extensionsHeader().isNull());
        client.send(OpText, "looks compressed", 4);
        const std::optional<ParsedFrame> close = client.frame();
        QVERIFY(close);
        QCOMPARE(close->info.opcode, quint8(OpClose));
        QCOMPARE(int(closeCode(*close)), 1002);
        QTRY_COMPARE(m_server->clientCount(), 0);
        QCOMPARE(m_server->deflateFailures(), 0);
    }

    // One read holding a valid message and then a frame that breaks a rule: the message is handed
    // on before the close (its fate no longer depends on how TCP cut the client's bytes).
    void framesBeforeAFaultAreKept()
    {
        IncomingInflater inflater(15, false, 1024 * 1024, false);
        QByteArray in;
        FrameWriter::append(in, OpText, true, 0, "last words", true, 0x01020304);
        QByteArray good = in;
        FrameWriter::append(in, OpText, true, 4, "looks compressed", true, 0x01020304);
        const Result<QByteArray> out = inflater.feed(in);
        QVERIFY(!out);
        QCOMPARE(int(inflater.closeCode()), 1002);
        QCOMPARE(inflater.takeBeforeFault(), good);
        QVERIFY(inflater.takeBeforeFault().isEmpty()); // once
    }

    // A client sends its request, a message and its close frame and closes TCP before Qt answered
    // 101: Qt still gets them (the client list shows the client's close code, not 1006).
    void lastBytesOfAClosingClientReachQt()
    {
        QSignalSpy events(m_server, &ClassroomServer::event);
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_server->port());
        QByteArray out = "GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                         "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        FrameWriter::append(out, OpText, true, 0, "bye", true, 0x01020304);
        QByteArray close(2, '\0');
        qToBigEndian<quint16>(4000, close.data());
        close += "gone";
        FrameWriter::append(out, OpClose, true, 0, close, true, 0x01020304);
        socket.write(out);
        socket.disconnectFromHost();
        auto disconnected = [&events] {
            for (const QList<QVariant>& e : std::as_const(events)) {
                const auto ev = e.at(0).value<ServerEvent>();
                if (ev.kind == ServerEvent::Kind::Disconnected)
                    return ev.detail;
            }
            return QString();
        };
        QTRY_VERIFY_WITH_TIMEOUT(!disconnected().isEmpty(), 10000);
        QCOMPARE(disconnected(), u"4000 gone"_s);
    }

    // A client without deflate breaks a rule (RSV1) while Qt's echoes of large messages are on their
    // way to it: the close frame comes after the echo frame under way, never inside it, so the client
    // reads whole echoes and then the 1002.
    void closeFrameWaitsForTheFrameUnderWay()
    {
        RawClient client(m_server->port(), "/echo", QByteArray());
        QVERIFY(client.response().startsWith("HTTP/1.1 101"));
        // The client reads slowly: the echoes pile up in the bridge, which passes them on in reads
        // that end anywhere in a frame.
        client.socket().setReadBufferSize(16 * 1024);
        QByteArray message(250 * 1000, '\0');
        for (qsizetype i = 0; i < message.size(); ++i)
            message[i] = char(i * 7);
        for (int i = 0; i < 16; ++i)
            client.send(OpBinary, message, 0);
        QTRY_COMPARE(client.socket().bytesToWrite(), qint64(0));
        client.send(OpText, "looks compressed", 4);
        QTRY_COMPARE(client.socket().bytesToWrite(), qint64(0));
        client.socket().setReadBufferSize(0);
        int echoes = 0;
        for (;;) {
            const std::optional<ParsedFrame> f = client.frame();
            QVERIFY2(f, qPrintable(u"no close frame after %1 echoes"_s.arg(echoes)));
            if (f->info.opcode == OpClose) {
                QCOMPARE(int(closeCode(*f)), 1002);
                break;
            }
            QCOMPARE(f->info.opcode, quint8(OpBinary));
            QCOMPARE(f->payload.size(), message.size());
            QVERIFY(f->payload == message);
            ++echoes;
        }
        QTRY_COMPARE(m_server->clientCount(), 0);
    }

private:
    ClassroomServer* m_server = nullptr;
    std::optional<WarningCatcher> m_warnings;
};

QTEST_GUILESS_MAIN(tst_ServerFragments)
#include "tst_serverfragments.moc"
