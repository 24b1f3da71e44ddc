// Hand-made servers on 127.0.0.1 that break one rule each, run through the terminal front end as
// a user runs it: the exact one-line reason, the exit status and the close code on the wire.
#include "cli/clifrontend.h"
#include "cli/clioptions.h"
#include "wire/frameparser.h"
#include "wire/handshakecheck.h"
#include "wire/httpheadparser.h"

#include <QBuffer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTranslator>
#include <QtTest>

#include <functional>

using namespace Qt::StringLiterals;
using namespace wsi;

namespace {

// One connection's worth of a scripted server: reads the request head, answers with what the
// script writes, then collects the client's frames (and answers a close frame with close when
// asked to).
class HostileServer : public QObject
{
public:
    using Script = std::function<void(QTcpSocket* socket, const HttpHead& request)>;

    explicit HostileServer(Script script)
        : m_script(std::move(script))
    {
        m_server.listen(QHostAddress::LocalHost);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            QTcpSocket* s = m_server.nextPendingConnection();
            s->setParent(this);
            if (!greeting.isEmpty())
                s->write(greeting);
            connect(s, &QTcpSocket::readyRead, this, [this, s] { onData(s); });
        });
    }
    quint16 port() const { return m_server.serverPort(); }
    QString url() const { return u"ws://127.0.0.1:%1/"_s.arg(port()); }

    // The client's frames after its head, as the server received them.
    QList<ParsedFrame> clientFrames() const
    {
        FrameParser parser(Direction::Send);
        QList<ParsedFrame> out;
        parser.feed(m_afterHead, out);
        return out;
    }
    // The code of the first close frame the client sent; 0 = none, 1005 = one without a code.
    quint16 clientCloseCode() const
    {
        for (const ParsedFrame& f : clientFrames()) {
            if (f.info.opcode != OpClose)
                continue;
            return f.payload.size() >= 2 ? quint16((quint8(f.payload[0]) << 8) | quint8(f.payload[1])) : 1005;
        }
        return 0;
    }
    bool answerClose = true; // answer the client's close frame with one and close the connection
    QByteArray greeting; // written as soon as a client connects, before it says anything
    QByteArray requestAccept; // the Accept the client's key calls for

    static QByteArray accept(const HttpHead& request)
    {
        return HandshakeCheck::expectedAccept(request.header("Sec-WebSocket-Key").trimmed());
    }
    static QByteArray valid101(const HttpHead& request, const QByteArray& extra = {})
    {
        return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Accept: "
            + accept(request) + "\r\n" + extra + "\r\n";
    }
    // An unmasked server frame.
    static QByteArray frame(quint8 firstByte, const QByteArray& payload)
    {
        QByteArray f(1, char(firstByte));
        if (payload.size() < 126) {
            f.append(char(payload.size()));
        } else {
            f.append(char(126));
            f.append(char(payload.size() >> 8));
            f.append(char(payload.size() & 0xff));
        }
        return f + payload;
    }
    static QByteArray close(quint16 code, const QByteArray& reason = {})
    {
        return frame(0x88, QByteArray(1, char(code >> 8)) + char(code & 0xff) + reason);
    }

private:
    void onData(QTcpSocket* s)
    {
        if (m_headDone) {
            m_afterHead += s->readAll();
            if (answerClose && !m_closeAnswered && clientCloseCode() != 0) {
                m_closeAnswered = true;
                s->write(close(1000));
                s->disconnectFromHost();
            }
            return;
        }
        m_request += s->readAll();
        const qsizetype end = m_request.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        m_headDone = true;
        m_afterHead = m_request.mid(end + 4);
        const HttpHead request = HttpHeadParser::parse(m_request.left(end + 4), true);
        requestAccept = accept(request);
        m_script(s, request);
    }

    QTcpServer m_server;
    Script m_script;
    QByteArray m_request;
    QByteArray m_afterHead;
    bool m_headDone = false;
    bool m_closeAnswered = false;
};

struct CliRun
{
    int exitCode = -1;
    QString out;
    QString err;
    // The reason the terminal printed last ("wsinspector: ..." without the prefix).
    QString reason() const
    {
        const QStringList lines = err.split(u'\n', Qt::SkipEmptyParts);
        for (qsizetype i = lines.size() - 1; i >= 0; --i) {
            if (lines.at(i).startsWith(u"wsinspector: "_s) && !lines.at(i).contains(u"warning:"_s))
                return lines.at(i).mid(13);
        }
        return {};
    }
};

CliRun runCli(const QStringList& args)
{
    CliRun run;
    CliOptions options;
    QString error;
    if (!CliParser::parse(args, &options, &error)) {
        run.err = error;
        return run;
    }
    QBuffer out;
    QBuffer err;
    out.open(QIODevice::WriteOnly);
    err.open(QIODevice::WriteOnly);
    {
        CliFrontend frontend(options, &out, &err);
        QSignalSpy finished(&frontend, &CliFrontend::finished);
        if (frontend.start() && (!finished.isEmpty() || finished.wait(20000)))
            run.exitCode = finished.first().at(0).toInt();
        else
            run.exitCode = frontend.exitCode();
    }
    run.out = QString::fromUtf8(out.data());
    run.err = QString::fromUtf8(err.data());
    return run;
}

} // namespace

class tst_HostileServer : public QObject
{
    Q_OBJECT
    // The English plural forms, as the application installs them ("after 54 bytes").
    QTranslator m_english;
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_english.load(u"wsinspector_en"_s, QStringLiteral(WSI_QM_DIR)));
        QCoreApplication::installTranslator(&m_english);
    }
    // Every handshake fault of RFC 6455 §4.1 and HTTP, named in the inspector's own words (never
    // Qt's "Connection refused"), exit status 1, and nothing sent after the refused head.
    void handshakeFaults_data()
    {
        QTest::addColumn<QByteArray>("response"); // {accept} = the right Accept for the request
        QTest::addColumn<QStringList>("extraArgs");
        QTest::addColumn<QString>("reason"); // {accept} as above, {port} = the server's port

        const QByteArray head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n";
        QTest::newRow("accept wrong") << head + "Sec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n"
                                      << QStringList()
                                      << u"The server's Sec-WebSocket-Accept is \"AAAAAAAAAAAAAAAAAAAAAAAAAAA=\", "
                                         "but the key this client sent requires \"{accept}\"."_s;
        QTest::newRow("accept duplicated")
            << head + "Sec-WebSocket-Accept: {accept}\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"
            << QStringList()
            << u"The server sent 2 Sec-WebSocket-Accept headers (\"{accept}, {accept}\"); exactly one is allowed."_s;
        QTest::newRow("accept malformed")
            << head + "Sec-WebSocket-Accept: nope\r\n\r\n"
            << QStringList()
            << u"The server's Sec-WebSocket-Accept \"nope\" is not 28 characters of base64 (expected \"{accept}\")."_s;
        QTest::newRow("accept missing") << head + "\r\n"
                                        << QStringList()
                                        << u"The server's 101 response has no Sec-WebSocket-Accept header "
                                           "(expected \"{accept}\")."_s;
        QTest::newRow("upgrade missing")
            << QByteArray(
                   "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n"
                   "\r\n")
            << QStringList()
            << u"The server's 101 response has no Upgrade header; RFC 6455 requires \"Upgrade: websocket\"."_s;
        QTest::newRow("upgrade wrong") << QByteArray("HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n"
                                                     "Connection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n")
                                       << QStringList()
                                       << u"The server's Upgrade header is \"h2c\", not \"websocket\"."_s;
        QTest::newRow("connection missing")
            << QByteArray("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: {accept}\r\n"
                          "\r\n")
            << QStringList()
            << u"The server's 101 response has no Connection header; RFC 6455 requires one that contains "
               "\"Upgrade\"."_s;
        QTest::newRow("connection without upgrade")
            << QByteArray("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: keep-alive\r\n"
                          "Sec-WebSocket-Accept: {accept}\r\n\r\n")
            << QStringList()
            << u"The server's Connection header \"keep-alive\" does not contain the token \"Upgrade\"."_s;
        QTest::newRow("subprotocol none offered")
            << head + "Sec-WebSocket-Accept: {accept}\r\nSec-WebSocket-Protocol: evil\r\n\r\n"
            << QStringList() << u"The server chose the subprotocol \"evil\" although the client offered none."_s;
        QTest::newRow("subprotocol not offered")
            << head + "Sec-WebSocket-Accept: {accept}\r\nSec-WebSocket-Protocol: evil\r\n\r\n"
            << QStringList { u"-s"_s, u"chat"_s }
            << u"The server chose the subprotocol \"evil\", which the client never offered (offered: \"chat\")."_s;
        QTest::newRow("extension not offered")
            << head + "Sec-WebSocket-Accept: {accept}\r\nSec-WebSocket-Extensions: x-evil; level=9\r\n\r\n"
            << QStringList()
            << u"The server's Sec-WebSocket-Extensions uses \"x-evil\" although the client offered no extension."_s;
        QTest::newRow("status 404") << QByteArray("HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n\r\nnope")
                                    << QStringList()
                                    << u"The server answered HTTP 404 Not Found instead of 101 Switching Protocols: "
                                       "it did not accept the WebSocket upgrade."_s;
        QTest::newRow("redirect") << QByteArray("HTTP/1.1 302 Found\r\nLocation: ws://127.0.0.1:9/other\r\n"
                                                "Content-Length: 0\r\n\r\n")
                                  << QStringList()
                                  << u"The server answered HTTP 302 Found instead of 101 Switching Protocols: it "
                                     "redirects to \"ws://127.0.0.1:9/other\". Redirects are not followed; connect to "
                                     "that address instead."_s;
        QTest::newRow("not http") << QByteArray("SSH-2.0-OpenSSH_9.2\r\n") << QStringList()
                                  << u"The server's reply is not HTTP: it starts with \"SSH-2.0-OpenSSH_9.2\" instead "
                                     "of \"HTTP/\"."_s;
        QTest::newRow("closed mid-head") << QByteArray("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n")
                                         << QStringList()
                                         << u"The server closed the connection in the middle of its response head, "
                                            "after 54 bytes and before the empty line that ends it."_s;
        QTest::newRow("closed without answer") << QByteArray() << QStringList()
                                               << u"The server closed the connection without answering the "
                                                  "handshake request."_s;
        QTest::newRow("head too long") << "HTTP/1.1 101 Switching Protocols\r\n" + QByteArray("X-Filler: ").repeated(1)
                + QByteArray(70 * 1024, 'a') + "\r\n\r\n"
                                       << QStringList()
                                       << u"The server's response head did not end within 65536 bytes (no empty "
                                          "line): it is endless or not a WebSocket handshake."_s;
    }

    void handshakeFaults()
    {
        QFETCH(QByteArray, response);
        QFETCH(QStringList, extraArgs);
        QFETCH(QString, reason);
        const bool closeAfter = !response.endsWith("\r\n\r\n") && !response.endsWith("nope")
            && !response.startsWith("SSH"); // a head cut short ends with the connection
        HostileServer server([&](QTcpSocket* s, const HttpHead& request) {
            s->write(QByteArray(response).replace("{accept}", HostileServer::accept(request)));
            if (closeAfter || response.isEmpty())
                s->disconnectFromHost();
        });
        const CliRun run = runCli(QStringList { u"--cli"_s, server.url() } + extraArgs);
        QString expected = reason;
        expected.replace(u"{port}"_s, QString::number(server.port()));
        expected.replace(u"{accept}"_s, QString::fromLatin1(server.requestAccept));
        QCOMPARE(run.exitCode, int(CliFrontend::ExitFailure));
        QCOMPARE(run.reason(), expected);
        QCOMPARE(server.clientFrames().size(), 0); // nothing was sent after the refused head
    }

    // Responses RFC 6455 allows that Qt 6.4 refuses on its own: the inspector hands Qt a head it
    // understands, the connection opens, the message arrives and the server's close is clean.
    void validServersOpen_data()
    {
        QTest::addColumn<QByteArray>("response");
        QTest::addColumn<QStringList>("extraArgs");
        QTest::addColumn<QString>("note"); // a line the output must also hold ("" = none)

        QTest::newRow("connection token list") << QByteArray(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n"
            "Sec-WebSocket-Accept: {accept}\r\n\r\n")
                                               << QStringList() << QString();
        QTest::newRow("two connection headers")
            << QByteArray("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: keep-alive\r\n"
                          "Connection: upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n")
            << QStringList() << QString();
        QTest::newRow("bare LF line ends")
            << QByteArray("HTTP/1.1 101 Switching Protocols\nUpgrade: websocket\nConnection: Upgrade\n"
                          "Sec-WebSocket-Accept: {accept}\n\n")
            << QStringList()
            << u"The server's response head ends line 1 with a bare LF instead of CR LF (tolerated, but many clients "
               "wait for CR LF forever). (RFC 9112 §2.2)"_s;
        QByteArray many = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Accept: {accept}\r\n";
        for (int i = 0; i < 120; ++i)
            many += "X-Header-" + QByteArray::number(i) + ": " + QByteArray::number(i) + "\r\n";
        QTest::newRow("120 header fields") << many + "\r\n" << QStringList() << QString();
        QTest::newRow("lenient unoffered subprotocol")
            << QByteArray("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Accept: {accept}\r\nSec-WebSocket-Protocol: evil\r\n\r\n")
            << QStringList { u"--lenient"_s }
            << u"Lenient: The server chose the subprotocol \"evil\" although the client offered none. (RFC 6455 §4.1: "
               "a client must fail the connection)"_s;
    }

    void validServersOpen()
    {
        QFETCH(QByteArray, response);
        QFETCH(QStringList, extraArgs);
        QFETCH(QString, note);
        HostileServer server([&](QTcpSocket* s, const HttpHead& request) {
            s->write(QByteArray(response).replace("{accept}", HostileServer::accept(request)));
            s->write(HostileServer::frame(0x81, "hello") + HostileServer::close(1000, "bye"));
        });
        const CliRun run = runCli(QStringList { u"--cli"_s, server.url() } + extraArgs);
        QVERIFY2(run.out.contains(u"< text   5 B  hello"_s), qPrintable(run.out + run.err));
        if (!note.isEmpty())
            QVERIFY2(run.out.contains(note), qPrintable(run.out));
        QCOMPARE(run.reason(), QString());
        QCOMPARE(run.exitCode, int(CliFrontend::ExitClean));
        QTRY_COMPARE(server.clientCloseCode(), quint16(1000)); // Qt answered the close: it was open
    }

    // Every frame-level rule RFC 6455 says a client MUST fail on: strict (the default) fails the
    // connection with the rule and section named, sends the right close code, exits 1; the size
    // limit is named as the inspector's, with 1009. Lenient keeps the connection open and flags it.
    void frameFaults_data()
    {
        QTest::addColumn<QByteArray>("frames"); // what the server sends after a valid 101
        QTest::addColumn<QStringList>("extraArgs");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<int>("closeCode"); // what the inspector sent the server; -1 = not asserted

        auto rule = [](const char* section, const QString& text, int code) {
            return u"The server broke RFC 6455 %1 (%2); the inspector closed the connection with %3."_s.arg(
                QString::fromUtf8(section), text, QString::number(code));
        };
        QTest::newRow("masked frame") << QByteArray::fromHex("818201020304696b") << QStringList()
                                      << rule("§5.1", u"masked frame from the server"_s, 1002) << 1002;
        QTest::newRow("rsv bits") << QByteArray::fromHex("c1026869") << QStringList()
                                  << rule("§5.2", u"RSV bits set (4) without a negotiated extension"_s, 1002) << 1002;
        QTest::newRow("reserved opcode") << QByteArray::fromHex("83026869") << QStringList()
                                         << rule("§5.2", u"reserved opcode 0x3"_s, 1002) << 1002;
        QTest::newRow("non-minimal length")
            << QByteArray::fromHex("817e0005") + "short" << QStringList()
            << rule("§5.2", u"non-minimal length encoding (16-bit length 5)"_s, 1002) << 1002;
        QTest::newRow("long control frame")
            << HostileServer::frame(0x89, QByteArray(126, 'p')) << QStringList()
            << rule("§5.5", u"control frame longer than 125 bytes (126)"_s, 1002) << 1002;
        QTest::newRow("fragmented ping") << QByteArray::fromHex("09026869") << QStringList()
                                         << rule("§5.5", u"fragmented control frame"_s, 1002) << 1002;
        QTest::newRow("continuation without message")
            << QByteArray::fromHex("80026869") << QStringList()
            << rule("§5.4", u"continuation frame without a message to continue"_s, 1002) << 1002;
        QTest::newRow("new message inside fragmented")
            << HostileServer::frame(0x01, "a") + HostileServer::frame(0x81, "b") << QStringList()
            << rule("§5.4", u"new data frame inside a fragmented message"_s, 1002) << 1002;
        QTest::newRow("text not utf-8") << QByteArray::fromHex("8102c328") << QStringList()
                                        << rule("§8.1", u"text message that is not valid UTF-8"_s, 1007) << 1007;
        QTest::newRow("close reason not utf-8") << HostileServer::close(1000, "\xff\xfe") << QStringList()
                                                << rule("§5.5.1", u"close reason is not valid UTF-8"_s, 1007) << 1007;
        QTest::newRow("invalid close code")
            << HostileServer::close(999) << QStringList() << rule("§7.4.1", u"invalid close code 999"_s, 1002) << 1002;
        QTest::newRow("one-byte close payload")
            << QByteArray::fromHex("880103") << QStringList()
            << rule("§5.5.1", u"close payload of 1 byte (a code needs 2)"_s, 1002) << 1002;
        QTest::newRow("data after close")
            << HostileServer::close(1000) + HostileServer::frame(0x81, "late") << QStringList()
            << rule("§5.5.1", u"data frame after the server's close frame"_s, 1002) << -1;
        QTest::newRow("frame over the limit")
            << HostileServer::frame(0x81, QByteArray(200, 'a')) << QStringList { u"--max-message-size"_s, u"150"_s }
            << u"Inspector limit: a text frame declares 200 bytes, more than this profile's maximum message size "
               "(150 bytes); the inspector stopped reading. Not a server fault: raise the limit to receive it. The "
               "inspector closed the connection with 1009 (message too big)."_s
            << 1009;
        QTest::newRow("fragmented message over the limit")
            << HostileServer::frame(0x01, QByteArray(80, 'a')) + HostileServer::frame(0x80, QByteArray(80, 'b'))
            << QStringList { u"--max-message-size"_s, u"150"_s }
            << u"Inspector limit: a fragmented text message passed this profile's maximum message size (150 bytes) "
               "at a frame of 80 bytes; the inspector stopped reading. Not a server fault: raise the limit to "
               "receive it. The inspector closed the connection with 1009 (message too big)."_s
            << 1009;
    }

    void frameFaults()
    {
        QFETCH(QByteArray, frames);
        QFETCH(QStringList, extraArgs);
        QFETCH(QString, reason);
        QFETCH(int, closeCode);
        HostileServer server([&](QTcpSocket* s, const HttpHead& request) {
            s->write(HostileServer::valid101(request) + frames); // one write: one read for the relay
        });
        const CliRun run = runCli(QStringList { u"--cli"_s, server.url() } + extraArgs);
        QCOMPARE(run.reason(), reason);
        QCOMPARE(run.exitCode, int(CliFrontend::ExitFailure));
        if (closeCode > 0)
            QTRY_COMPARE(server.clientCloseCode(), quint16(closeCode));
        QVERIFY2(!run.out.contains(u" 0 B"_s), qPrintable(run.out)); // no phantom message
    }

    // Lenient keeps a connection that breaks a rule open: the violation is flagged once, the next
    // message arrives, and the server's clean close gives exit status 0.
    void lenientFlagsAndStaysOpen_data()
    {
        QTest::addColumn<QByteArray>("frames");
        QTest::addColumn<QString>("note");
        QTest::newRow("masked frame") << QByteArray::fromHex("818201020304696b")
                                      << u"Lenient: The server broke RFC 6455 §5.1 (masked frame from the server); a "
                                         "client must close the connection with 1002, this one stays open and only "
                                         "flags it."_s;
    }

    void lenientFlagsAndStaysOpen()
    {
        QFETCH(QByteArray, frames);
        QFETCH(QString, note);
        HostileServer server([&](QTcpSocket* s, const HttpHead& request) {
            s->write(HostileServer::valid101(request) + frames + HostileServer::frame(0x81, "hello")
                + HostileServer::close(1000));
        });
        const CliRun run = runCli({ u"--cli"_s, server.url(), u"--lenient"_s });
        QVERIFY2(run.out.contains(note), qPrintable(run.out));
        QVERIFY2(run.out.contains(u"< text   5 B  hello"_s), qPrintable(run.out));
        QCOMPARE(run.reason(), QString());
        QCOMPARE(run.exitCode, int(CliFrontend::ExitClean));
        QTRY_COMPARE(server.clientCloseCode(), quint16(1000));
    }

    // How a connection ended, named: 1005 and 1006, an unanswered close, a frame cut short.
    void closeTruth_data()
    {
        QTest::addColumn<QByteArray>("frames");
        QTest::addColumn<bool>("serverCloses"); // the server drops the TCP connection after frames
        QTest::addColumn<QStringList>("extraArgs");
        QTest::addColumn<QString>("line"); // a line the output holds
        QTest::addColumn<int>("exitCode");

        QTest::newRow("close without status code")
            << QByteArray::fromHex("8800") << false << QStringList()
            << u"Closed by the server without a status code (1005)."_s << int(CliFrontend::ExitUncleanClose);
        QTest::newRow("dropped without close frame")
            << HostileServer::frame(0x81, "hello") << true << QStringList()
            << u"The server dropped the connection without a close frame (1006)."_s
            << int(CliFrontend::ExitUncleanClose);
        QTest::newRow("truncated frame")
            << QByteArray::fromHex("810a") + "abc" << true << QStringList()
            << u"The connection ended in the middle of a text frame from the server: 3 of its 10 payload bytes "
               "arrived."_s
            << int(CliFrontend::ExitUncleanClose);
        QTest::newRow("truncated fragmented message")
            << QByteArray::fromHex("0102") + "ab" + QByteArray::fromHex("0001") + "c" << true << QStringList()
            << u"The connection ended inside a fragmented text message from the server: 2 frames with 3 bytes "
               "arrived, its final frame never did."_s
            << int(CliFrontend::ExitUncleanClose);
        QTest::newRow("close unanswered")
            << QByteArray() << false << QStringList { u"--close"_s, u"1000"_s }
            << u"You closed with code 1000, but the server never answered with its close frame (RFC 6455 §5.5.1); "
               "the connection ended without one (1006)."_s
            << int(CliFrontend::ExitUncleanClose);
        QTest::newRow("clean close") << HostileServer::close(1000, "bye") << false << QStringList()
                                     << u"Closed by the server with code 1000 (bye)"_s << int(CliFrontend::ExitClean);
    }

    void closeTruth()
    {
        QFETCH(QByteArray, frames);
        QFETCH(bool, serverCloses);
        QFETCH(QStringList, extraArgs);
        QFETCH(QString, line);
        QFETCH(int, exitCode);
        HostileServer server([&](QTcpSocket* s, const HttpHead& request) {
            s->write(HostileServer::valid101(request) + frames);
            if (serverCloses)
                s->disconnectFromHost();
        });
        server.answerClose = extraArgs.isEmpty(); // "close unanswered": the server stays silent
        const CliRun run = runCli(QStringList { u"--cli"_s, server.url() } + extraArgs);
        QVERIFY2(run.out.contains(line), qPrintable(run.out + run.err));
        QCOMPARE(run.exitCode, exitCode);
        QVERIFY2(!run.out.contains(u" 0 B"_s), qPrintable(run.out)); // no phantom message
    }

    // Connection errors in plain words (ConnectErrors), the library's text only in the details.
    void connectErrors()
    {
        {
            // wss:// to a port that answers plain HTTP: OpenSSL's "wrong version number".
            HostileServer plain([](QTcpSocket*, const HttpHead&) {});
            plain.greeting = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
            const CliRun run = runCli({ u"--cli"_s, u"wss://127.0.0.1:%1/"_s.arg(plain.port()) });
            QCOMPARE(run.exitCode, int(CliFrontend::ExitFailure));
            QVERIFY2(run.reason().startsWith(
                         u"127.0.0.1:%1 answered in plain text, not TLS: this port does not speak wss://."_s.arg(
                             plain.port())),
                qPrintable(run.err));
            QVERIFY2(!run.reason().contains(u"SSL routines"_s), qPrintable(run.err));
        }
        {
            // ws:// to a TLS port: the server answers the plain request with a TLS alert.
            HostileServer tls([](QTcpSocket* s, const HttpHead&) {
                s->write(QByteArray::fromHex("15030300020246"));
                s->disconnectFromHost();
            });
            const CliRun run = runCli({ u"--cli"_s, tls.url() });
            QCOMPARE(run.exitCode, int(CliFrontend::ExitFailure));
            QCOMPARE(run.reason(),
                u"The server answered with TLS bytes (15 03 03), not HTTP: the port expects wss://, not ws://."_s);
        }
        {
            QTcpServer closed; // a port that was free a moment ago: nothing accepts there now
            QVERIFY(closed.listen(QHostAddress::LocalHost));
            const quint16 port = closed.serverPort();
            closed.close();
            const CliRun run = runCli({ u"--cli"_s, u"ws://127.0.0.1:%1/"_s.arg(port) });
            QCOMPARE(run.exitCode, int(CliFrontend::ExitFailure));
            QVERIFY2(run.reason().startsWith(
                         u"Connection refused by 127.0.0.1:%1: nothing accepts connections on that port."_s.arg(port)),
                qPrintable(run.err));
        }
    }
};

QTEST_GUILESS_MAIN(tst_HostileServer)
#include "tst_hostileserver.moc"
