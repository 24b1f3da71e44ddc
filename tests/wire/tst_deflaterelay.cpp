// permessage-deflate and the QWebSocket shield through the terminal front end, as a user runs
// it, against hand-made servers on 127.0.0.1: the exact reason, exit status and close code for
// a bad extension answer, a decompression bomb, corrupt data and RSV1 misuse; -v with RSV1 and
// both sizes; and what Qt 6.4 alone would reject (a UTF-8 character split across fragments,
// close code 1012) arriving intact.
#include "cli/clifrontend.h"
#include "cli/clioptions.h"
#include "deflate/messagecodec.h"
#include "wire/frameparser.h"
#include "wire/framewriter.h"
#include "wire/handshakecheck.h"
#include "wire/httpheadparser.h"

#include <QBuffer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>

#include <functional>

using namespace Qt::StringLiterals;
using namespace wsi;

namespace {

// Reads the request head, runs the script (which answers), then collects the client's frames and
// answers its close frame with a close frame.
class ScriptedServer : public QObject
{
public:
    using Script = std::function<void(QTcpSocket* socket, const HttpHead& request)>;

    explicit ScriptedServer(Script script)
        : m_script(std::move(script))
    {
        m_server.listen(QHostAddress::LocalHost);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            QTcpSocket* s = m_server.nextPendingConnection();
            s->setParent(this);
            connect(s, &QTcpSocket::readyRead, this, [this, s] { onData(s); });
        });
    }
    QString url() const { return u"ws://127.0.0.1:%1/"_s.arg(m_server.serverPort()); }
    HttpHead request;

    QList<ParsedFrame> clientFrames() const
    {
        FrameParser parser(Direction::Send);
        QList<ParsedFrame> out;
        parser.feed(m_afterHead, out);
        return out;
    }
    quint16 clientCloseCode() const
    {
        for (const ParsedFrame& f : clientFrames()) {
            if (f.info.opcode == OpClose)
                return f.payload.size() >= 2 ? quint16((quint8(f.payload[0]) << 8) | quint8(f.payload[1])) : 1005;
        }
        return 0;
    }

    static QByteArray ok101(const HttpHead& request, const QByteArray& extra = {})
    {
        return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Accept: "
            + HandshakeCheck::expectedAccept(request.header("Sec-WebSocket-Key").trimmed()) + "\r\n" + extra + "\r\n";
    }
    static QByteArray frame(quint8 opcode, bool fin, QByteArrayView payload, quint8 rsv = 0)
    {
        QByteArray out;
        FrameWriter::append(out, opcode, fin, rsv, payload, false);
        return out;
    }
    static QByteArray close(quint16 code)
    {
        return frame(OpClose, true, QByteArray(QByteArray(1, char(code >> 8)) + char(code & 0xff)));
    }

private:
    void onData(QTcpSocket* s)
    {
        if (m_headDone) {
            m_afterHead += s->readAll();
            if (!m_closeAnswered && clientCloseCode() != 0) {
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
        request = HttpHeadParser::parse(m_request.left(end + 4), true);
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

QByteArray deflated(const QByteArray& message)
{
    return *MessageDeflater(15, false).deflateMessage(message);
}

} // namespace

class tst_DeflateRelay : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void offerGoesUpstreamAndCompressedMessagesArrive()
    {
        const QByteArray message = QByteArray("{\"hello\":\"") + QByteArray(2000, 'w') + "\"}";
        ScriptedServer server([&](QTcpSocket* s, const HttpHead& request) {
            s->write(ScriptedServer::ok101(request, "Sec-WebSocket-Extensions: permessage-deflate\r\n"));
            s->write(ScriptedServer::frame(OpText, true, deflated(message), 4));
        });
        const CliRun run = runCli({ server.url(), u"--deflate"_s, u"-v"_s, u"-x"_s, u"ping me"_s, u"-w"_s, u"0.5"_s });
        QCOMPARE(server.request.header("Sec-WebSocket-Extensions"),
            QByteArray("permessage-deflate; client_max_window_bits"));
        QVERIFY2(run.exitCode == 0, qPrintable(run.err + run.out));
        const qsizetype compressed = deflated(message).size();
        QVERIFY2(run.out.contains(u"< text   %1 B  (deflated %2 B)  {\"hello\""_s.arg(message.size()).arg(compressed)),
            qPrintable(run.out));
        QVERIFY2(run.out.contains(u"rsv=4 (RSV1)"_s), qPrintable(run.out));
        QVERIFY2(run.out.contains(u"permessage-deflate: server window 15 bits, client window 15 bits"_s),
            qPrintable(run.out));
        // Our message went out compressed (RSV1) and inflates to what was sent.
        const QList<ParsedFrame> frames = server.clientFrames();
        QVERIFY(!frames.isEmpty());
        QCOMPARE(frames.first().info.rsv, quint8(4));
        QCOMPARE(*MessageInflater(15, false, 1000).inflateMessage(frames.first().payload), QByteArray("ping me"));
    }

    void faultsFailTheConnectionNamingTheRule_data()
    {
        QTest::addColumn<QByteArray>("extensions"); // the 101's Sec-WebSocket-Extensions line
        QTest::addColumn<QByteArray>("frames"); // what the server sends after the 101
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<int>("closeCode"); // the client's close frame; 0 = none (before the upgrade)

        const QByteArray ext = "Sec-WebSocket-Extensions: permessage-deflate\r\n";
        QTest::newRow("window bits out of range")
            << QByteArray("Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=7\r\n") << QByteArray()
            << QStringList { u"--deflate"_s } << u"server_max_window_bits"_s << 0;
        QTest::newRow("bomb") << ext << ScriptedServer::frame(OpBinary, true, deflated(QByteArray(2000000, 0)), 4)
                              << QStringList { u"--deflate"_s, u"--max-message-size"_s, u"100000"_s }
                              << u"Stopped as a decompression bomb"_s << 1009;
        QTest::newRow("corrupt") << ext << ScriptedServer::frame(OpText, true, "\xff\xfe\xfd\xfc", 4)
                                 << QStringList { u"--deflate"_s } << u"Corrupt compressed message"_s << 1007;
        QTest::newRow("rsv1 on ping") << ext << ScriptedServer::frame(OpPing, true, "x", 4)
                                      << QStringList { u"--deflate"_s }
                                      << u"RSV1 set on a ping frame: control frames are never compressed"_s << 1002;
        QTest::newRow("rsv1 without extension") << QByteArray() << ScriptedServer::frame(OpText, true, "x", 4)
                                                << QStringList() << u"RFC 6455 §5.2"_s << 1002;
    }

    void faultsFailTheConnectionNamingTheRule()
    {
        QFETCH(QByteArray, extensions);
        QFETCH(QByteArray, frames);
        QFETCH(QStringList, args);
        QFETCH(QString, reason);
        QFETCH(int, closeCode);
        ScriptedServer server([&](QTcpSocket* s, const HttpHead& request) {
            s->write(ScriptedServer::ok101(request, extensions));
            s->write(frames);
        });
        const CliRun run = runCli(QStringList { server.url() } + args);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(reason), qPrintable(run.err));
        if (closeCode != 0)
            QTRY_COMPARE_WITH_TIMEOUT(server.clientCloseCode(), quint16(closeCode), 5000);
    }

    void declinedOfferIsNoError()
    {
        ScriptedServer server([](QTcpSocket* s, const HttpHead& request) {
            s->write(ScriptedServer::ok101(request));
            s->write(ScriptedServer::frame(OpText, true, "plain"));
        });
        const CliRun run
            = runCli({ server.url(), u"--deflate=server_max_window_bits=10"_s, u"-v"_s, u"-w"_s, u"0.3"_s });
        QCOMPARE(server.request.header("Sec-WebSocket-Extensions"),
            QByteArray("permessage-deflate; server_max_window_bits=10"));
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.out.contains(u"< text   5 B  plain"_s), qPrintable(run.out));
        QVERIFY2(run.out.contains(u"permessage-deflate declined by the server"_s), qPrintable(run.out));
    }

    // Issue 10, point 2: what Qt 6.4 alone closes with 1007 / 1002 although RFC 6455 allows it.
    void qtIsShieldedFromItsFalseRejections()
    {
        const QByteArray text = QString(u"Grüße 世界"_s).toUtf8();
        ScriptedServer server([&](QTcpSocket* s, const HttpHead& request) {
            s->write(ScriptedServer::ok101(request));
            // "ü" split between two fragments, then close code 1012 (service restart, IANA).
            s->write(ScriptedServer::frame(OpText, false, text.left(3))
                + ScriptedServer::frame(OpContinuation, true, text.mid(3))
                + ScriptedServer::frame(OpClose, true, QByteArray("\x03\xf4restart", 9)));
        });
        const CliRun run = runCli({ server.url() });
        QVERIFY2(run.out.contains(u"< text   %1 B  Grüße 世界"_s.arg(text.size())), qPrintable(run.out + run.err));
        QVERIFY2(run.out.contains(u"Closed by the server with code 1012 (restart)"_s), qPrintable(run.out + run.err));
        QCOMPARE(run.exitCode, 3); // closed with a code other than 1000
        QVERIFY(!run.err.contains(u"1007"_s) && !run.out.contains(u"1002"_s));
    }
};

QTEST_GUILESS_MAIN(tst_DeflateRelay)
#include "tst_deflaterelay.moc"
