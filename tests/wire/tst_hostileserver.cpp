// Hand-made servers on 127.0.0.1 that break one rule each, run through the terminal front end as
// a user runs it: the exact one-line reason, the exit status and the close code on the wire.
#include "cli/clifrontend.h"
#include "englishcatalogue.h"
#include "scriptedserver.h"
#include "session/session.h"
#include "testhelpers.h"

#include <QFile>
#include <QTranslator>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;
using namespace wsi::test;

namespace {
// A "Vm...:" line of /proc/self/status, in KiB; -1 when absent.
qint64 statusKiB(const char* field)
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(qsizetype(qstrlen(field))).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}
} // namespace

class tst_HostileServer : public QObject
{
    Q_OBJECT
    QTranslator m_english;

private Q_SLOTS:
    // The plural forms, as the application installs them: "54 bytes", never "54 byte(s)".
    void initTestCase() { QVERIFY(wsi::test::installEnglishCatalogue(m_english, QStringLiteral(WSI_QM_DIR))); }

    // Issue 10, point 5: a fragmented message over the size limit is refused at the frame that
    // passes the limit, and while it comes the process holds no more than the limit plus 16 MiB
    // (QWebSocket gets no data frames, so it buffers no second copy). Peak resident memory is
    // measured with the kernel's high-water mark, reset before the run (/proc/self/clear_refs),
    // after one small connection. First of the tests after initTestCase, so that no earlier test's freed heap hides
    // a new peak.
    void refusedOversizedMessageKeepsMemoryBounded()
    {
        constexpr qint64 kMiB = 1024 * 1024;
        constexpr qint64 kLimit = 48 * kMiB;
        constexpr int kFragments = 64; // 64 MiB: refused at the 49th
        const QByteArray payload(kMiB, 'm');
        const QByteArray first = ScriptedServer::frame(OpBinary, false, payload);
        const QByteArray middle = ScriptedServer::frame(OpContinuation, false, payload);
        const QByteArray last = ScriptedServer::frame(OpContinuation, true, payload);
        int sent = 0;
        ScriptedServer server([&](QTcpSocket* s, const HttpHead& request) {
            s->write(ScriptedServer::ok101(request) + first);
            sent = 1;
            // Fragment by fragment, so that the server's own buffer stays small.
            connect(s, &QTcpSocket::bytesWritten, s, [s, &sent, &middle, &last] {
                while (s->bytesToWrite() < 2 * kMiB && sent < kFragments) {
                    s->write(++sent == kFragments ? last : middle);
                }
            });
        });
        {
            // A connection first, so that what one costs once (libraries, plugins, the wire thread)
            // is resident before the measured run.
            ScriptedServer warmUp([&](QTcpSocket* s, const HttpHead& request) {
                s->write(ScriptedServer::ok101(request) + ScriptedServer::frame(OpBinary, true, "warm")
                    + ScriptedServer::close(1000));
            });
            QCOMPARE(runCli({ u"--cli"_s, warmUp.url() }).exitCode, int(CliFrontend::ExitClean));
        }
        QFile clear(u"/proc/self/clear_refs"_s);
        if (!clear.open(QIODevice::WriteOnly) || clear.write("5") != 1)
            QSKIP("this kernel cannot reset the peak resident memory (/proc/self/clear_refs)");
        clear.close();
        const qint64 before = statusKiB("VmRSS:");
        const CliRun run = runCli({ u"--cli"_s, server.url(), u"--max-message-size"_s, QString::number(kLimit) });
        const qint64 peak = statusKiB("VmHWM:");
        QVERIFY2(before > 0 && peak > 0, "no VmRSS/VmHWM in /proc/self/status");
        QVERIFY2(run.reason().startsWith(u"Inspector limit: a fragmented binary message passed this profile's "
                                         "maximum message size (%1 bytes) at a frame of %2 bytes"_s.arg(kLimit)
                                             .arg(kMiB)),
            qPrintable(run.reason()));
        QCOMPARE(run.exitCode, int(CliFrontend::ExitFailure));
        QTRY_COMPARE(server.clientCloseCode(), quint16(1009));
        qInfo("peak resident memory %lld MiB above the %lld MiB before the run (limit %lld MiB)",
            (peak - before) / 1024, before / 1024, kLimit / kMiB);
        QVERIFY2((peak - before) * 1024 < kLimit + 16 * kMiB,
            qPrintable(
                u"peak %1 MiB above the %2 MiB before the run"_s.arg((peak - before) / 1024).arg(before / 1024)));
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
        QTest::newRow("subprotocol several")
            << head + "Sec-WebSocket-Accept: {accept}\r\nSec-WebSocket-Protocol: chat, superchat\r\n\r\n"
            << QStringList { u"-s"_s, u"chat"_s, u"-s"_s, u"superchat"_s }
            << u"The server's Sec-WebSocket-Protocol names 2 subprotocols (\"chat, superchat\"); it must choose "
               "exactly one."_s;
        QTest::newRow("malformed status line")
            << QByteArray("HTTP/1.1 1O1 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Accept: {accept}\r\n\r\n")
            << QStringList()
            << u"The server's status line \"HTTP/1.1 1O1 Switching Protocols\" is not \"HTTP/1.1 <code> <reason>\"."_s;
        QTest::newRow("status 401") << QByteArray("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n")
                                    << QStringList()
                                    << u"The server answered HTTP 401 Unauthorized instead of 101 Switching Protocols: "
                                       "it wants credentials. Add them to the profile (an Authorization header, or "
                                       "the proxy's user and password)."_s;
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
        ScriptedServer server([&](QTcpSocket* s, const HttpHead& request) {
            s->write(QByteArray(response).replace("{accept}", ScriptedServer::accept(request)));
            if (closeAfter || response.isEmpty())
                s->disconnectFromHost();
        });
        const CliRun run = runCli(QStringList { u"--cli"_s, server.url() } + extraArgs);
        QString expected = reason;
        expected.replace(u"{port}"_s, QString::number(server.port()));
        expected.replace(u"{accept}"_s, QString::fromLatin1(server.expectedAccept()));
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
        QTest::newRow("lenient unoffered extension")
            << QByteArray("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Accept: {accept}\r\nSec-WebSocket-Extensions: x-evil\r\n\r\n")
            << QStringList { u"--lenient"_s }
            << u"Lenient: The server's Sec-WebSocket-Extensions uses \"x-evil\" although the client offered no "
               "extension. (RFC 6455 §4.1: a client must fail the connection)"_s;
    }

    void validServersOpen()
    {
        QFETCH(QByteArray, response);
        QFETCH(QStringList, extraArgs);
        QFETCH(QString, note);
        ScriptedServer server([&](QTcpSocket* s, const HttpHead& request) {
            s->write(QByteArray(response).replace("{accept}", ScriptedServer::accept(request)));
            s->write(ScriptedServer::frame(OpText, true, "hello") + ScriptedServer::close(1000, "bye"));
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
        QTest::newRow("64-bit length with the top bit")
            << QByteArray::fromHex("817f8000000000000005") + "hello" << QStringList()
            << rule("§5.2", u"64-bit length with the most significant bit set"_s, 1002) << 1002;
        QTest::newRow("long control frame")
            << ScriptedServer::frame(OpPing, true, QByteArray(126, 'p')) << QStringList()
            << rule("§5.5", u"control frame longer than 125 bytes (126)"_s, 1002) << 1002;
        QTest::newRow("fragmented ping") << QByteArray::fromHex("09026869") << QStringList()
                                         << rule("§5.5", u"fragmented control frame"_s, 1002) << 1002;
        // Only the header and a little of a 64 KiB ping, then nothing: the connection fails at the
        // header, not once the server has sent (up to the size limit of) a payload nobody reads.
        QTest::newRow("long control frame, payload withheld")
            << ScriptedServer::frame(OpPing, true, QByteArray(65536, 'p')).first(4 + 100) << QStringList()
            << rule("§5.5", u"control frame longer than 125 bytes (65536)"_s, 1002) << 1002;
        QTest::newRow("continuation without message")
            << QByteArray::fromHex("80026869") << QStringList()
            << rule("§5.4", u"continuation frame without a message to continue"_s, 1002) << 1002;
        QTest::newRow("new message inside fragmented")
            << ScriptedServer::frame(OpText, false, "a") + ScriptedServer::frame(OpText, true, "b") << QStringList()
            << rule("§5.4", u"new data frame inside a fragmented message"_s, 1002) << 1002;
        QTest::newRow("text not utf-8") << QByteArray::fromHex("8102c328") << QStringList()
                                        << rule("§8.1", u"text message that is not valid UTF-8"_s, 1007) << 1007;
        QTest::newRow("close reason not utf-8") << ScriptedServer::close(1000, "\xff\xfe") << QStringList()
                                                << rule("§5.5.1", u"close reason is not valid UTF-8"_s, 1007) << 1007;
        QTest::newRow("invalid close code")
            << ScriptedServer::close(999) << QStringList() << rule("§7.4.1", u"invalid close code 999"_s, 1002) << 1002;
        // 1005 and 1006 are only for reporting (§7.4.1: never in a close frame); 5000 is past the range.
        QTest::newRow("close code 1005 on the wire") << ScriptedServer::close(1005) << QStringList()
                                                     << rule("§7.4.1", u"invalid close code 1005"_s, 1002) << 1002;
        QTest::newRow("close code 1006 on the wire") << ScriptedServer::close(1006, "gone") << QStringList()
                                                     << rule("§7.4.1", u"invalid close code 1006"_s, 1002) << 1002;
        QTest::newRow("close code 5000") << ScriptedServer::close(5000) << QStringList()
                                         << rule("§7.4.1", u"invalid close code 5000"_s, 1002) << 1002;
        QTest::newRow("one-byte close payload")
            << QByteArray::fromHex("880103") << QStringList()
            << rule("§5.5.1", u"close payload of 1 byte (a code needs 2)"_s, 1002) << 1002;
        QTest::newRow("data after close")
            << ScriptedServer::close(1000) + ScriptedServer::frame(OpText, true, "late") << QStringList()
            << rule("§5.5.1", u"data frame after the server's close frame"_s, 1002) << -1;
        QTest::newRow("frame over the limit")
            << ScriptedServer::frame(OpText, true, QByteArray(200, 'a'))
            << QStringList { u"--max-message-size"_s, u"150"_s }
            << u"Inspector limit: a text frame declares 200 bytes, more than this profile's maximum message size "
               "(150 bytes); the inspector stopped reading. Not a server fault: raise the limit to receive it. The "
               "inspector closed the connection with 1009 (message too big)."_s
            << 1009;
        QTest::newRow("fragmented message over the limit")
            << ScriptedServer::frame(OpText, false, QByteArray(80, 'a'))
                + ScriptedServer::frame(OpContinuation, true, QByteArray(80, 'b'))
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
        ScriptedServer server([&](QTcpSocket* s, const HttpHead& request) {
            s->write(ScriptedServer::ok101(request) + frames); // one write: one read for the relay
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
        // What Qt 6.4 refuses on its own, handed to it in a form it accepts (QtFrameShield).
        QTest::newRow("rsv bits") << QByteArray::fromHex("c1026869")
                                  << u"Lenient: The server broke RFC 6455 §5.2 (RSV bits set (4) without a negotiated "
                                     "extension); a client must close the connection with 1002, this one stays open "
                                     "and only flags it."_s;
        QTest::newRow("non-minimal length")
            << QByteArray::fromHex("817e0005") + "short"
            << u"Lenient: The server broke RFC 6455 §5.2 (non-minimal length encoding (16-bit length 5)); a client "
               u"must "
               "close the connection with 1002, this one stays open and only flags it."_s;
        QTest::newRow("new message inside fragmented")
            << ScriptedServer::frame(OpText, false, "a") + ScriptedServer::frame(OpText, true, "b")
            << u"Lenient: The server broke RFC 6455 §5.4 (new data frame inside a fragmented message); a client must "
               "close the connection with 1002, this one stays open and only flags it."_s;
        // Qt 6.4 closes with 1002/1007 on these itself; it never sees them in lenient mode
        // (QtFrameShield drops data frames, and control frames §5.5 forbids).
        auto note = [](const char* section, const QString& text, int code) {
            return u"Lenient: The server broke RFC 6455 %1 (%2); a client must close the connection with %3, this "
                   "one stays open and only flags it."_s.arg(QString::fromUtf8(section), text, QString::number(code));
        };
        QTest::newRow("reserved opcode") << QByteArray::fromHex("83026869")
                                         << note("§5.2", u"reserved opcode 0x3"_s, 1002);
        QTest::newRow("long control frame") << ScriptedServer::frame(OpPing, true, QByteArray(126, 'p'))
                                            << note("§5.5", u"control frame longer than 125 bytes (126)"_s, 1002);
        QTest::newRow("fragmented ping") << QByteArray::fromHex("09026869")
                                         << note("§5.5", u"fragmented control frame"_s, 1002);
        QTest::newRow("continuation without message") << QByteArray::fromHex(
            "80026869") << note("§5.4", u"continuation frame without a message to continue"_s, 1002);
        QTest::newRow("text not utf-8") << QByteArray::fromHex("8102c328")
                                        << note("§8.1", u"text message that is not valid UTF-8"_s, 1007);
    }

    void lenientFlagsAndStaysOpen()
    {
        QFETCH(QByteArray, frames);
        QFETCH(QString, note);
        ScriptedServer server([&](QTcpSocket* s, const HttpHead& request) {
            s->write(ScriptedServer::ok101(request) + frames + ScriptedServer::frame(OpText, true, "hello")
                + ScriptedServer::close(1000));
        });
        const CliRun run = runCli({ u"--cli"_s, server.url(), u"--lenient"_s });
        QVERIFY2(run.out.contains(note), qPrintable(run.out));
        QVERIFY2(run.out.contains(u"< text   5 B  hello"_s), qPrintable(run.out));
        QCOMPARE(run.reason(), QString());
        QCOMPARE(run.exitCode, int(CliFrontend::ExitClean));
        QTRY_COMPARE(server.clientCloseCode(), quint16(1000));
    }

    // Lenient and a close frame RFC 6455 forbids (§5.5: fragmented, long; §5.5.1: a 1-byte payload, a
    // reason that is not UTF-8; §7.4.1: a code nobody may send): flagged, and the close completes,
    // answered as a normal close (Qt 6.4 alone answers a fragmented or long one, a bad code or a
    // 1-byte payload with 1002 and a reason that is not UTF-8 with 1007; QtFrameShield hands it a
    // form it accepts). Strict mode fails the connection on each (frameFaults).
    void lenientAnswersABrokenCloseFrame_data()
    {
        QTest::addColumn<QByteArray>("frames");
        QTest::addColumn<QString>("note");
        QTest::addColumn<int>("answer"); // the client's close code
        QTest::addColumn<QString>("echo"); // the reason Qt echoes with it
        QTest::addColumn<int>("exitCode"); // clean only when the server's code was 1000

        auto note = [](const char* section, const QString& text, int code) {
            return u"Lenient: The server broke RFC 6455 %1 (%2); a client must close the connection with %3, this "
                   "one answers the server's close normally and only flags it."_s.arg(
                       QString::fromUtf8(section), text, QString::number(code));
        };
        const int clean = int(CliFrontend::ExitClean);
        const int unclean = int(CliFrontend::ExitUncleanClose);
        const QByteArray closePayload = QByteArray::fromHex("03e8") + "bye";
        QTest::newRow("fragmented close")
            << ScriptedServer::frame(OpClose, false, closePayload) << note("§5.5", u"fragmented control frame"_s, 1002)
            << 1000 << u"bye"_s << clean;
        QTest::newRow("long close frame")
            << ScriptedServer::frame(OpClose, true, QByteArray(QByteArray::fromHex("03e8") + QByteArray(198, 'r')))
            << note("§5.5", u"control frame longer than 125 bytes (200)"_s, 1002) << 1000 << QString() << clean;
        QTest::newRow("invalid close code 999")
            << ScriptedServer::close(999) << note("§7.4.1", u"invalid close code 999"_s, 1002) << 1000 << QString()
            << unclean;
        QTest::newRow("close code 1005 on the wire")
            << ScriptedServer::close(1005) << note("§7.4.1", u"invalid close code 1005"_s, 1002) << 1000 << QString()
            << unclean;
        QTest::newRow("close code 1006 on the wire")
            << ScriptedServer::close(1006, "gone") << note("§7.4.1", u"invalid close code 1006"_s, 1002) << 1000
            << u"gone"_s << unclean;
        QTest::newRow("close code 5000") << ScriptedServer::close(5000)
                                         << note("§7.4.1", u"invalid close code 5000"_s, 1002) << 1000 << QString()
                                         << unclean;
        QTest::newRow("one-byte close payload")
            << QByteArray::fromHex("880103") << note("§5.5.1", u"close payload of 1 byte (a code needs 2)"_s, 1002)
            << 1000 << QString() << unclean;
        QTest::newRow("close reason not utf-8")
            << ScriptedServer::close(1000, "\xff\xfe") << note("§5.5.1", u"close reason is not valid UTF-8"_s, 1007)
            << 1000 << QString() << clean;
        // The server's code is valid: it is echoed, only the reason is left out.
        QTest::newRow("close reason not utf-8, code 1001")
            << ScriptedServer::close(1001, "\xff\xfe") << note("§5.5.1", u"close reason is not valid UTF-8"_s, 1007)
            << 1001 << QString() << unclean;
    }

    void lenientAnswersABrokenCloseFrame()
    {
        QFETCH(QByteArray, frames);
        QFETCH(QString, note);
        QFETCH(int, answer);
        QFETCH(QString, echo);
        QFETCH(int, exitCode);
        ScriptedServer server([&](QTcpSocket* s, const HttpHead& request) {
            s->write(ScriptedServer::ok101(request) + ScriptedServer::frame(OpText, true, "hello") + frames);
        });
        const CliRun run = runCli({ u"--cli"_s, server.url(), u"--lenient"_s });
        QVERIFY2(run.out.contains(note), qPrintable(run.out));
        QVERIFY2(run.out.contains(u"< text   5 B  hello"_s), qPrintable(run.out));
        QTRY_COMPARE(server.clientCloseCode(), quint16(answer));
        QCOMPARE(run.reason(), QString()); // closed, not failed
        // Not Qt's own reason ("Invalid close code 1002 detected.", "Payload of close frame is too small.").
        const QString answerLine = u"> close  %1%2\n"_s.arg(answer).arg(echo.isEmpty() ? QString() : u' ' + echo);
        QVERIFY2(run.out.contains(answerLine), qPrintable(run.out));
        QCOMPARE(run.exitCode, exitCode);
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
            << ScriptedServer::frame(OpText, true, "hello") << true << QStringList()
            << u"The server dropped the connection without a close frame (1006)."_s
            << int(CliFrontend::ExitUncleanClose);
        QTest::newRow("truncated frame")
            << QByteArray::fromHex("810a") + "abc" << true << QStringList()
            << u"The connection ended in the middle of a text frame from the server: 3 bytes of 10 bytes of payload "
               "arrived."_s
            << int(CliFrontend::ExitUncleanClose);
        QTest::newRow("truncated one-byte frame") // the plural forms: "0 bytes of 1 byte", never "1 bytes"
            << QByteArray::fromHex("8101") << true << QStringList()
            << u"The connection ended in the middle of a text frame from the server: 0 bytes of 1 byte of payload "
               "arrived."_s
            << int(CliFrontend::ExitUncleanClose);
        QTest::newRow("truncated fragmented message")
            << QByteArray::fromHex("0102") + "ab" + QByteArray::fromHex("0001") + "c" << true << QStringList()
            << u"The connection ended inside a fragmented text message from the server: 2 frames (3 bytes) "
               "arrived, its final frame never did."_s
            << int(CliFrontend::ExitUncleanClose);
        QTest::newRow("truncated fragmented one-byte message") // "1 frame (1 byte)"
            << QByteArray::fromHex("0101") + "a" << true << QStringList()
            << u"The connection ended inside a fragmented text message from the server: 1 frame (1 byte) "
               "arrived, its final frame never did."_s
            << int(CliFrontend::ExitUncleanClose);
        QTest::newRow("close unanswered")
            << QByteArray() << false << QStringList { u"--close"_s, u"1000"_s }
            << u"You closed with code 1000, but the server never answered with its close frame (RFC 6455 §5.5.1); "
               "the connection ended without one (1006)."_s
            << int(CliFrontend::ExitUncleanClose);
        QTest::newRow("clean close") << ScriptedServer::close(1000, "bye") << false << QStringList()
                                     << u"Closed by the server with code 1000 (bye)"_s << int(CliFrontend::ExitClean);
    }

    void closeTruth()
    {
        QFETCH(QByteArray, frames);
        QFETCH(bool, serverCloses);
        QFETCH(QStringList, extraArgs);
        QFETCH(QString, line);
        QFETCH(int, exitCode);
        ScriptedServer server([&](QTcpSocket* s, const HttpHead& request) {
            s->write(ScriptedServer::ok101(request) + frames);
            if (serverCloses)
                s->disconnectFromHost();
        });
        server.answerClose = extraArgs.isEmpty(); // "close unanswered": the server stays silent
        const CliRun run = runCli(QStringList { u"--cli"_s, server.url() } + extraArgs);
        QVERIFY2(run.out.contains(line), qPrintable(run.out + run.err));
        QCOMPARE(run.exitCode, exitCode);
        QVERIFY2(!run.out.contains(u" 0 B"_s), qPrintable(run.out)); // no phantom message
    }

    // A server that sends part of its response head and then nothing: the timeout says what arrived
    // and what never did (exit status 1, nothing sent). Nothing at all keeps the short message.
    void handshakeTimeoutSaysWhatArrived_data()
    {
        QTest::addColumn<QByteArray>("partial");
        QTest::addColumn<QString>("reason");

        const QString tail = u"but never the empty line that ends it: the handshake timed out after 1500 ms."_s;
        QTest::newRow("status and one header")
            << QByteArray("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n")
            << u"The server sent 54 bytes of a response head (status 101 Switching Protocols, then 1 header line) "_s
                + tail;
        QTest::newRow("status line only")
            << QByteArray("HTTP/1.1 101 Switching Protocols\r\n")
            << u"The server sent 34 bytes of a response head (status 101 Switching Protocols, no header line yet) "_s
                + tail;
        QTest::newRow("a header line cut short")
            << QByteArray("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-Web")
            << u"The server sent 82 bytes of a response head (status 101 Switching Protocols, then 2 header lines) "_s
                + tail;
        QTest::newRow("bare LF lines")
            << QByteArray("HTTP/1.1 200 OK\nContent-Type: text/plain\n")
            << u"The server sent 41 bytes of a response head (status 200 OK, then 1 header line) "_s + tail;
        QTest::newRow("status line cut short")
            << QByteArray("HTTP/1.1 10")
            << u"The server sent 11 bytes of a response head, not even a complete status line (\"HTTP/1.1 10\"), and "
               "never the empty line that ends it: the handshake timed out after 1500 ms."_s;
        QTest::newRow("malformed status line")
            << QByteArray("HTTP/1.1 abc\x01\r\n")
            << u"The server sent 15 bytes of a response head (status line \"HTTP/1.1 abc\\x01\", no header line yet) "_s
                + tail;
        QTest::newRow("nothing") << QByteArray() << u"No handshake response within 1500 ms."_s;
    }

    void handshakeTimeoutSaysWhatArrived()
    {
        QFETCH(QByteArray, partial);
        QFETCH(QString, reason);
        ScriptedServer server([&](QTcpSocket* s, const HttpHead&) { s->write(partial); }); // and then nothing
        const CliRun run = runCli({ u"--cli"_s, server.url(), u"--timeout"_s, u"1500"_s });
        QCOMPARE(run.reason(), reason);
        QCOMPARE(run.exitCode, int(CliFrontend::ExitFailure));
        QCOMPARE(server.clientFrames().size(), 0);
    }

    // A timeout before any response: the step that never finished is named (exit status 1).
    void connectTimeoutNamesTheStep()
    {
        {
            // A listening port whose accept queue is full: the kernel drops the next SYN, so the
            // connection attempt gets no answer (as behind a firewall that drops it).
            QTcpServer full;
            full.setListenBacklogSize(0);
            QVERIFY(full.listen(QHostAddress::LocalHost));
            full.pauseAccepting();
            QTcpSocket filler;
            filler.connectToHost(QHostAddress::LocalHost, full.serverPort());
            QTRY_COMPARE(filler.state(), QAbstractSocket::ConnectedState);
            const CliRun run
                = runCli({ u"--cli"_s, u"ws://127.0.0.1:%1/"_s.arg(full.serverPort()), u"--timeout"_s, u"1500"_s });
            QCOMPARE(run.reason(),
                u"127.0.0.1:%1 did not accept the TCP connection within 1500 ms (the handshake timeout): nothing "
                "answered the connection attempt (a firewall that drops it, or a host that is down or overloaded)."_s
                    .arg(full.serverPort()));
            QCOMPARE(run.exitCode, int(CliFrontend::ExitFailure));
        }
        {
            // wss:// to a port that accepts TCP and never answers the TLS ClientHello.
            QTcpServer silent;
            QVERIFY(silent.listen(QHostAddress::LocalHost));
            QList<QTcpSocket*> accepted;
            connect(
                &silent, &QTcpServer::newConnection, this, [&] { accepted.append(silent.nextPendingConnection()); });
            const CliRun run
                = runCli({ u"--cli"_s, u"wss://127.0.0.1:%1/"_s.arg(silent.serverPort()), u"--timeout"_s, u"1500"_s });
            QCOMPARE(run.reason(),
                u"127.0.0.1:%1 accepted the TCP connection, but the TLS handshake did not finish within 1500 ms (the "
                "handshake timeout): the port may not speak TLS, or the server stalls."_s.arg(silent.serverPort()));
            QCOMPARE(run.exitCode, int(CliFrontend::ExitFailure));
            QCOMPARE(accepted.size(), 1);
        }
    }

    // A message in the same read as the 101: "Open" is stamped with the time the 101 arrived, so it
    // comes first and its time is not later than the message's (the terminal's times never run
    // backwards).
    void openIsStampedWhenThe101Arrived()
    {
        ScriptedServer server([](QTcpSocket* s, const HttpHead& request) {
            s->write(ScriptedServer::ok101(request) + ScriptedServer::frame(OpText, true, "first"));
        });
        Profile p;
        p.url = server.url();
        Session session(p);
        EntryRecorder rec(&session);
        session.open();
        QTRY_COMPARE(rec.ofKind(LogEntry::Kind::Text, Direction::Receive).size(), 1);
        qsizetype openAt = -1;
        qsizetype textAt = -1;
        for (qsizetype i = 0; i < rec.entries.size(); ++i) {
            const LogEntry& e = rec.entries.at(i);
            if (openAt < 0 && e.kind == LogEntry::Kind::State && e.payload.startsWith("Open"))
                openAt = i;
            if (textAt < 0 && e.kind == LogEntry::Kind::Text)
                textAt = i;
        }
        QVERIFY(openAt >= 0);
        QVERIFY2(openAt < textAt, "Open is logged after the message that came with the 101");
        QVERIFY2(rec.entries.at(openAt).timeUs <= rec.entries.at(textAt).timeUs,
            qPrintable(u"Open at %1 us, the message at %2 us"_s.arg(rec.entries.at(openAt).timeUs)
                           .arg(rec.entries.at(textAt).timeUs)));
        for (qsizetype i = 1; i < rec.entries.size(); ++i)
            QVERIFY2(rec.entries.at(i - 1).timeUs <= rec.entries.at(i).timeUs, qPrintable(QString::number(i)));
        QVERIFY(session.close(1000, u"done"_s).ok());
    }

    // Connection errors in plain words (ConnectErrors), the library's text only in the details.
    void connectErrors()
    {
        {
            // wss:// to a port that answers plain HTTP: OpenSSL's "wrong version number".
            ScriptedServer plain([](QTcpSocket*, const HttpHead&) {});
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
            ScriptedServer tls([](QTcpSocket* s, const HttpHead&) {
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
