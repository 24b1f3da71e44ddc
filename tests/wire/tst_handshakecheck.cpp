#include "englishcatalogue.h"
#include "wire/handshakecheck.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTranslator>
#include <QWebSocket>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;

namespace {

// RFC 6455 §1.3's own example key and accept value.
constexpr QByteArrayView kKey = "dGhlIHNhbXBsZSBub25jZQ==";
constexpr QByteArrayView kAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

HttpHead request(const QByteArray& extra)
{
    return HttpHeadParser::parse("GET /chat HTTP/1.1\r\nHost: 127.0.0.1:1\r\nUpgrade: websocket\r\n"
                                 "Connection: Upgrade\r\nSec-WebSocket-Key: "
            + kKey.toByteArray() + "\r\nSec-WebSocket-Version: 13\r\n" + extra + "\r\n",
        true);
}

// The response as the relay gets it: through the incremental parser.
HandshakeExchange exchange(const QByteArray& requestExtra, const QByteArray& response, bool closed = false)
{
    HandshakeExchange x;
    x.request = request(requestExtra);
    HttpHeadParser p(false);
    p.feed(response);
    x.response = p.head();
    x.responseFault = p.fault();
    x.closedBeforeHeadEnd = closed;
    return x;
}

QByteArray ok101(const QByteArray& headers)
{
    return "HTTP/1.1 101 Switching Protocols\r\n" + headers + "\r\n";
}

const QByteArray kGood
    = "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + kAccept.toByteArray() + "\r\n";

QStringList ruleIds(const QList<HandshakeFault>& faults)
{
    QStringList ids;
    for (const auto& f : faults)
        ids.append(f.ruleId());
    return ids;
}

} // namespace

class tst_HandshakeCheck : public QObject
{
    Q_OBJECT
    // The English plural forms, as the application installs them ("1 byte", "22 bytes").
    QTranslator m_english;
private Q_SLOTS:
    void initTestCase() { QVERIFY(wsi::test::installEnglishCatalogue(m_english, QStringLiteral(WSI_QM_DIR))); }
    void acceptValue()
    {
        QCOMPARE(HandshakeCheck::expectedAccept(kKey), kAccept.toByteArray());
        QVERIFY(HandshakeCheck::isWellFormedAccept(kAccept));
        QVERIFY(!HandshakeCheck::isWellFormedAccept("s3pPLMBiTxaQ9kYGzzhZRbK+xOo")); // 27
        QVERIFY(!HandshakeCheck::isWellFormedAccept("s3pPLMBiTxaQ9kYGzzhZRbK+xO=="));
        QVERIFY(!HandshakeCheck::isWellFormedAccept("s3pPLMBiTxaQ9kYGzzhZRbK-xOo="));
    }

    void rules_data()
    {
        QTest::addColumn<QByteArray>("requestExtra");
        QTest::addColumn<QByteArray>("response");
        QTest::addColumn<bool>("closed");
        QTest::addColumn<QStringList>("rules");
        QTest::addColumn<QString>("message"); // of the first fault
        QTest::addColumn<QByteArray>("seen");
        QTest::addColumn<QByteArray>("expected");

        const QByteArray noUpgrade = "Connection: Upgrade\r\nSec-WebSocket-Accept: " + kAccept.toByteArray() + "\r\n";
        const QByteArray noConnection = "Upgrade: websocket\r\nSec-WebSocket-Accept: " + kAccept.toByteArray() + "\r\n";
        const QByteArray noAccept = "Upgrade: websocket\r\nConnection: Upgrade\r\n";

        // Valid responses: no fault at all.
        QTest::newRow("valid") << QByteArray() << ok101(kGood) << false << QStringList() << QString() << QByteArray()
                               << QByteArray();
        QTest::newRow("valid: Connection token list")
            << QByteArray()
            << ok101("Upgrade: WebSocket\r\nConnection: keep-alive, Upgrade\r\nSec-WebSocket-Accept: "
                   + kAccept.toByteArray() + "\r\n")
            << false << QStringList() << QString() << QByteArray() << QByteArray();
        QTest::newRow("valid: Connection in two headers")
            << QByteArray() << ok101(noConnection + "Connection: keep-alive\r\nconnection: upgrade\r\n") << false
            << QStringList() << QString() << QByteArray() << QByteArray();
        QTest::newRow("valid: offered subprotocol and extension")
            << QByteArray("Sec-WebSocket-Protocol: chat, superchat\r\n"
                          "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n")
            << ok101(kGood + "Sec-WebSocket-Protocol: superchat\r\nSec-WebSocket-Extensions: permessage-deflate\r\n")
            << false << QStringList() << QString() << QByteArray() << QByteArray();

        // HTTP level.
        QTest::newRow("not HTTP")
            << QByteArray() << QByteArray("SSH-2.0-OpenSSH_9.2\r\n") << false << QStringList { u"http-not-http"_s }
            << u"The server's reply is not HTTP: it starts with \"SSH-2.0-OpenSSH_9.2\" instead of \"HTTP/\"."_s
            << QByteArray("SSH-2.0-OpenSSH_9.2") << QByteArray("HTTP/1.1 101");
        QTest::newRow("binary reply")
            << QByteArray() << QByteArray("\x00\x01garbage\r\n", 11) << false << QStringList { u"http-not-http"_s }
            << u"The server's reply is not HTTP: it starts with the bytes 00 01 67 61 72 62 61 "
               "67 instead of \"HTTP/\"."_s
            << QByteArray("\x00\x01garbag", 8) << QByteArray("HTTP/1.1 101");
        QTest::newRow("TLS on a plain port")
            << QByteArray() << QByteArray("\x15\x03\x03\x00\x02\x02\x46", 7) << false
            << QStringList { u"http-not-http"_s }
            << u"The server answered with TLS bytes (15 03 03), not HTTP: the port expects wss://, not ws://."_s
            << QByteArray("\x15\x03\x03\x00\x02\x02\x46", 7) << QByteArray("HTTP/1.1 101");
        QTest::newRow("endless head") << QByteArray() << "HTTP/1.1 101 OK\r\nX: " + QByteArray(70000, 'a') << false
                                      << QStringList { u"http-head-too-long"_s }
                                      << u"The server's response head did not end within 65536 bytes (no empty line): "
                                         "it is endless or not a WebSocket handshake."_s
                                      << QByteArray() << QByteArray();
        QTest::newRow("closed early") << QByteArray() << QByteArray("HTTP/1.1 101 Switching") << true
                                      << QStringList { u"http-closed-early"_s }
                                      << u"The server closed the connection in the middle of its response head, after "
                                         "22 bytes and before the empty line that ends it."_s
                                      << QByteArray("HTTP/1.1 101 Switching") << QByteArray();
        QTest::newRow("closed after one byte")
            << QByteArray() << QByteArray("H") << true << QStringList { u"http-closed-early"_s }
            << u"The server closed the connection in the middle of its response head, after 1 byte and before the "
               "empty line that ends it."_s
            << QByteArray("H") << QByteArray();
        QTest::newRow("closed without answer")
            << QByteArray() << QByteArray() << true << QStringList { u"http-closed-early"_s }
            << u"The server closed the connection without answering the handshake request."_s << QByteArray()
            << QByteArray();
        QTest::newRow("malformed status line")
            << QByteArray() << QByteArray("HTTP/1.1 1O1 Switching Protocols\r\n" + kGood + "\r\n") << false
            << QStringList { u"http-malformed-status-line"_s }
            << u"The server's status line \"HTTP/1.1 1O1 Switching Protocols\" is not \"HTTP/1.1 <code> <reason>\"."_s
            << QByteArray("HTTP/1.1 1O1 Switching Protocols") << QByteArray("HTTP/1.1 101 Switching Protocols");
        QTest::newRow("status line with a leading space")
            << QByteArray() << QByteArray(" HTTP/1.1 101 Switching Protocols\r\n" + kGood + "\r\n") << false
            << QStringList { u"http-not-http"_s }
            << u"The server's reply is not HTTP: it starts with \" HTTP/1.1 101 Switching Protocols\" instead of "
               "\"HTTP/\"."_s
            << QByteArray(" HTTP/1.1 101 Switching Protocols") << QByteArray("HTTP/1.1 101");
        QByteArray lf = ok101(kGood);
        lf.replace("\r\n", "\n");
        QTest::newRow("bare LF") << QByteArray() << lf << false << QStringList { u"http-bare-lf"_s }
                                 << u"The server's response head ends line 1 with a bare LF instead of CR LF "
                                    "(tolerated, but many clients wait for CR LF forever)."_s
                                 << QByteArray() << QByteArray("\r\n");
        QTest::newRow("status 404") << QByteArray() << QByteArray("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
                                    << false << QStringList { u"status-not-101"_s }
                                    << u"The server answered HTTP 404 Not Found instead of 101 Switching Protocols: it "
                                       "did not accept the WebSocket upgrade."_s
                                    << QByteArray("404 Not Found") << QByteArray("101 Switching Protocols");
        QTest::newRow("status 200 with body")
            << QByteArray() << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello") << false
            << QStringList { u"status-not-101"_s }
            << u"The server answered HTTP 200 OK instead of 101 Switching Protocols: it did not accept the WebSocket "
               "upgrade."_s
            << QByteArray("200 OK") << QByteArray("101 Switching Protocols");

        QTest::newRow("status 301 with Location")
            << QByteArray() << QByteArray("HTTP/1.1 301 Moved Permanently\r\nLocation: wss://example.com/chat\r\n\r\n")
            << false << QStringList { u"status-not-101"_s }
            << u"The server answered HTTP 301 Moved Permanently instead of 101 Switching Protocols: it redirects to "
               "\"wss://example.com/chat\". Redirects are not followed; connect to that address instead."_s
            << QByteArray("301 Moved Permanently") << QByteArray("101 Switching Protocols");
        QTest::newRow("status 401")
            << QByteArray() << QByteArray("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer\r\n\r\n") << false
            << QStringList { u"status-not-101"_s }
            << u"The server answered HTTP 401 Unauthorized instead of 101 Switching Protocols: it wants credentials. "
               "Add them to the profile (an Authorization header, or the proxy's user and password)."_s
            << QByteArray("401 Unauthorized") << QByteArray("101 Switching Protocols");

        // Upgrade.
        QTest::newRow("Upgrade missing")
            << QByteArray() << ok101(noUpgrade) << false << QStringList { u"upgrade-missing"_s }
            << u"The server's 101 response has no Upgrade header; RFC 6455 requires \"Upgrade: websocket\"."_s
            << QByteArray() << QByteArray("websocket");
        QTest::newRow("Upgrade wrong") << QByteArray() << ok101(noUpgrade + "Upgrade: h2c\r\n") << false
                                       << QStringList { u"upgrade-wrong"_s }
                                       << u"The server's Upgrade header is \"h2c\", not \"websocket\"."_s
                                       << QByteArray("h2c") << QByteArray("websocket");

        // Connection.
        QTest::newRow("Connection missing")
            << QByteArray() << ok101(noConnection) << false << QStringList { u"connection-missing"_s }
            << u"The server's 101 response has no Connection header; RFC 6455 requires one that contains "
               "\"Upgrade\"."_s
            << QByteArray() << QByteArray("Upgrade");
        QTest::newRow("Connection without Upgrade")
            << QByteArray() << ok101(noConnection + "Connection: keep-alive\r\n") << false
            << QStringList { u"connection-without-upgrade"_s }
            << u"The server's Connection header \"keep-alive\" does not contain the token \"Upgrade\"."_s
            << QByteArray("keep-alive") << QByteArray("Upgrade");
        QTest::newRow("Connection: Upgraded is not the token")
            << QByteArray() << ok101(noConnection + "Connection: Upgraded\r\n") << false
            << QStringList { u"connection-without-upgrade"_s }
            << u"The server's Connection header \"Upgraded\" does not contain the token \"Upgrade\"."_s
            << QByteArray("Upgraded") << QByteArray("Upgrade");

        // Sec-WebSocket-Accept.
        QTest::newRow("Accept missing") << QByteArray() << ok101(noAccept) << false
                                        << QStringList { u"accept-missing"_s }
                                        << u"The server's 101 response has no Sec-WebSocket-Accept header (expected "
                                           "\"s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\")."_s
                                        << QByteArray() << kAccept.toByteArray();
        QTest::newRow("Accept duplicated")
            << QByteArray() << ok101(kGood + "Sec-WebSocket-Accept: " + kAccept.toByteArray() + "\r\n") << false
            << QStringList { u"accept-duplicated"_s }
            << u"The server sent 2 Sec-WebSocket-Accept headers (\"s3pPLMBiTxaQ9kYGzzhZRbK+xOo=, "
               "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\"); exactly one is allowed."_s
            << QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=, s3pPLMBiTxaQ9kYGzzhZRbK+xOo=") << kAccept.toByteArray();
        QTest::newRow("Accept malformed")
            << QByteArray() << ok101(noAccept + "Sec-WebSocket-Accept: not-base64!\r\n") << false
            << QStringList { u"accept-malformed"_s }
            << u"The server's Sec-WebSocket-Accept \"not-base64!\" is not 28 characters of base64 (expected "
               "\"s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\")."_s
            << QByteArray("not-base64!") << kAccept.toByteArray();
        QTest::newRow("Accept wrong")
            << QByteArray() << ok101(noAccept + "Sec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n") << false
            << QStringList { u"accept-wrong"_s }
            << u"The server's Sec-WebSocket-Accept is \"AAAAAAAAAAAAAAAAAAAAAAAAAAA=\", but the key this client sent "
               "requires \"s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\"."_s
            << QByteArray("AAAAAAAAAAAAAAAAAAAAAAAAAAA=") << kAccept.toByteArray();

        // Subprotocols.
        QTest::newRow("subprotocol not offered")
            << QByteArray("Sec-WebSocket-Protocol: chat, superchat\r\n")
            << ok101(kGood + "Sec-WebSocket-Protocol: evil\r\n") << false
            << QStringList { u"subprotocol-not-offered"_s }
            << u"The server chose the subprotocol \"evil\", which the client never offered (offered: \"chat\", "
               "\"superchat\")."_s
            << QByteArray("evil") << QByteArray("chat, superchat");
        QTest::newRow("subprotocol when none offered")
            << QByteArray() << ok101(kGood + "Sec-WebSocket-Protocol: evil\r\n") << false
            << QStringList { u"subprotocol-none-offered"_s }
            << u"The server chose the subprotocol \"evil\" although the client offered none."_s << QByteArray("evil")
            << QByteArray();
        QTest::newRow("subprotocol case differs")
            << QByteArray("Sec-WebSocket-Protocol: chat\r\n") << ok101(kGood + "Sec-WebSocket-Protocol: Chat\r\n")
            << false << QStringList { u"subprotocol-not-offered"_s }
            << u"The server chose the subprotocol \"Chat\", which the client never offered (offered: \"chat\")."_s
            << QByteArray("Chat") << QByteArray("chat");
        QTest::newRow("several subprotocols")
            << QByteArray("Sec-WebSocket-Protocol: chat, superchat\r\n")
            << ok101(kGood + "Sec-WebSocket-Protocol: chat, superchat\r\n") << false
            << QStringList { u"subprotocol-several"_s }
            << u"The server's Sec-WebSocket-Protocol names 2 subprotocols (\"chat, superchat\"); it must choose "
               "exactly one."_s
            << QByteArray("chat, superchat") << QByteArray();
        QTest::newRow("several subprotocols in two headers")
            << QByteArray("Sec-WebSocket-Protocol: chat, superchat\r\n")
            << ok101(kGood + "Sec-WebSocket-Protocol: chat\r\nSec-WebSocket-Protocol: superchat\r\n") << false
            << QStringList { u"subprotocol-several"_s }
            << u"The server's Sec-WebSocket-Protocol names 2 subprotocols (\"chat, superchat\"); it must choose "
               "exactly one."_s
            << QByteArray("chat, superchat") << QByteArray();

        // Extensions.
        QTest::newRow("extension when none offered")
            << QByteArray() << ok101(kGood + "Sec-WebSocket-Extensions: permessage-deflate\r\n") << false
            << QStringList { u"extension-not-offered"_s }
            << u"The server's Sec-WebSocket-Extensions uses \"permessage-deflate\" although the client offered no "
               "extension."_s
            << QByteArray("permessage-deflate") << QByteArray();
        QTest::newRow("extension not offered")
            << QByteArray("Sec-WebSocket-Extensions: permessage-deflate\r\n")
            << ok101(kGood + "Sec-WebSocket-Extensions: x-webkit-deflate-frame; max_window_bits=\"10,12\"\r\n") << false
            << QStringList { u"extension-not-offered"_s }
            << u"The server's Sec-WebSocket-Extensions uses \"x-webkit-deflate-frame\", which the client never offered "
               "(offered: \"permessage-deflate\")."_s
            << QByteArray("x-webkit-deflate-frame") << QByteArray("permessage-deflate");

        // Several faults at once are all named, in reading order.
        QTest::newRow("everything wrong")
            << QByteArray() << ok101("Upgrade: h2c\r\nSec-WebSocket-Protocol: evil\r\n") << false
            << QStringList { u"upgrade-wrong"_s, u"connection-missing"_s, u"accept-missing"_s,
                   u"subprotocol-none-offered"_s }
            << u"The server's Upgrade header is \"h2c\", not \"websocket\"."_s << QByteArray("h2c")
            << QByteArray("websocket");
    }

    void rules()
    {
        QFETCH(QByteArray, requestExtra);
        QFETCH(QByteArray, response);
        QFETCH(bool, closed);
        QFETCH(QStringList, rules);
        QFETCH(QString, message);
        QFETCH(QByteArray, seen);
        QFETCH(QByteArray, expected);

        const QList<HandshakeFault> faults = HandshakeCheck::check(exchange(requestExtra, response, closed));
        QCOMPARE(ruleIds(faults), rules);
        if (rules.isEmpty()) {
            QCOMPARE(HandshakeCheck::summary(faults), QString());
            return;
        }
        const HandshakeFault& first = faults.first();
        QCOMPARE(first.message, message);
        QCOMPARE(first.seen, seen);
        QCOMPARE(first.expected, expected);
        QVERIFY(first.section.startsWith(u"RFC "_s));
        // A bare LF is tolerated: named, never the reason a connection fails.
        QCOMPARE(HandshakeCheck::summary(faults), first.fatal ? message : QString());
        QCOMPARE(first.fatal, first.rule != HandshakeFault::Rule::HttpBareLineFeed);
    }

    void headerNamesTheRule()
    {
        const auto faults = HandshakeCheck::check(exchange({}, ok101("Upgrade: websocket\r\nConnection: Upgrade\r\n")));
        QCOMPARE(faults.size(), 1);
        QCOMPARE(faults.first().header, QByteArray("Sec-WebSocket-Accept"));
        QCOMPARE(faults.first().section, u"RFC 6455 §4.1"_s);
    }

    void normalizedForQtLeavesValidHeadsAlone()
    {
        const QByteArray raw = ok101(kGood);
        QCOMPARE(HandshakeCheck::normalizedForQt(HttpHeadParser::parse(raw, false)), raw);
    }

    void normalizedForQtRewrites_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<QByteArray>("normalized");
        const QByteArray accept = "Sec-WebSocket-Accept: " + kAccept.toByteArray() + "\r\n";
        QTest::newRow("token list") << ok101("Upgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n" + accept)
                                    << ok101("Upgrade: websocket\r\nConnection: Upgrade\r\n" + accept);
        QTest::newRow("two Connection headers")
            << ok101("Connection: keep-alive\r\nUpgrade: websocket\r\n" + accept + "Connection: upgrade\r\n")
            << ok101("Connection: Upgrade\r\nUpgrade: websocket\r\n" + accept);
        QTest::newRow("two Upgrade headers") << ok101(kGood + "Upgrade: WebSocket\r\n") << ok101(kGood);
        QByteArray lf = ok101(kGood);
        lf.replace("\r\n", "\n");
        QTest::newRow("bare LF") << lf << ok101(kGood);
        QByteArray many;
        for (int i = 0; i < 101; ++i)
            many += "X-" + QByteArray::number(i) + ": v\r\n";
        QTest::newRow("over 100 fields") << ok101(many + kGood + "Sec-WebSocket-Protocol: chat\r\n")
                                         << ok101(kGood + "Sec-WebSocket-Protocol: chat\r\n");
        // Not the inspector's to repair: the wrong token stays, so Qt refuses as the RFC says.
        QTest::newRow("no Upgrade token is kept") << ok101("Upgrade: websocket\r\nConnection: keep-alive\r\n" + accept)
                                                  << ok101("Upgrade: websocket\r\nConnection: keep-alive\r\n" + accept);
    }

    void normalizedForQtRewrites()
    {
        QFETCH(QByteArray, raw);
        QFETCH(QByteArray, normalized);
        QCOMPARE(HandshakeCheck::normalizedForQt(HttpHeadParser::parse(raw, false)), normalized);
    }

    // The reason normalizedForQt exists: QWebSocket 6.4 refuses a valid "keep-alive, Upgrade" and
    // waits forever on bare LF heads, and accepts both once normalized.
    void qtAcceptsTheNormalizedHead_data()
    {
        QTest::addColumn<QByteArray>("headers");
        QTest::newRow("token list") << QByteArray("Upgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n");
        QTest::newRow("two Upgrade headers")
            << QByteArray("Upgrade: websocket\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n");
        QByteArray many;
        for (int i = 0; i < 120; ++i)
            many += "X-Field-" + QByteArray::number(i) + ": " + QByteArray::number(i) + "\r\n";
        QTest::newRow("120 header fields") << "Upgrade: websocket\r\n" + many + "Connection: Upgrade\r\n";
    }

    void qtAcceptsTheNormalizedHead()
    {
        QFETCH(QByteArray, headers);
        for (const bool normalize : { false, true }) {
            QTcpServer server;
            QVERIFY(server.listen(QHostAddress::LocalHost));
            QByteArray received;
            connect(&server, &QTcpServer::newConnection, &server, [&] {
                QTcpSocket* peer = server.nextPendingConnection();
                connect(peer, &QTcpSocket::readyRead, peer, [&, peer] {
                    received += peer->readAll();
                    if (!received.contains("\r\n\r\n"))
                        return;
                    const HttpHead req = HttpHeadParser::parse(received, true);
                    const QByteArray raw = ok101(headers + "Sec-WebSocket-Accept: "
                        + HandshakeCheck::expectedAccept(req.header("Sec-WebSocket-Key")) + "\r\n");
                    const HttpHead head = HttpHeadParser::parse(raw, false);
                    QVERIFY(HandshakeCheck::check({ req, head, {}, false }).isEmpty());
                    peer->write(normalize ? HandshakeCheck::normalizedForQt(head) : raw);
                });
            });
            QWebSocket socket;
            QSignalSpy connected(&socket, &QWebSocket::connected);
            QSignalSpy failed(&socket, QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error));
            socket.open(QUrl(u"ws://127.0.0.1:%1/"_s.arg(server.serverPort())));
            QTRY_VERIFY_WITH_TIMEOUT(connected.size() + failed.size() > 0, 10000);
            QCOMPARE(connected.size(), normalize ? 1 : 0);
            socket.abort();
        }
    }
};

QTEST_GUILESS_MAIN(tst_HandshakeCheck)
#include "tst_handshakecheck.moc"
