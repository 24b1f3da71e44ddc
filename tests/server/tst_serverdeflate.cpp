// The built-in server's permessage-deflate (DeflateBridge in front of QWebSocketServer): npm `ws`
// as a compressing client in several parameter sets, a raw client for the bytes on the wire (the
// 101's answer, RSV1, bombs, corrupt data), ?deflate=off, and the inspector's own client. 127.0.0.1.
#include "cli/clifrontend.h"
#include "cli/clioptions.h"
#include "deflate/messagecodec.h"
#include "rawwsclient.h"
#include "server/builtinserver.h"
#include "server/classroomserver.h"
#include "server/deflatebridge.h"
#include "warningcatcher.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QtEndian>
#include <QtTest>

#include <memory>
#include <optional>
#include <vector>

using namespace Qt::StringLiterals;
using namespace wsi;

namespace {

quint16 closeCode(const ParsedFrame& f)
{
    return f.payload.size() >= 2 ? qFromBigEndian<quint16>(f.payload.constData()) : 0;
}

QByteArray deflated(const QByteArray& message, int bits = 15)
{
    return *MessageDeflater(bits, false).deflateMessage(message);
}

} // namespace

class tst_ServerDeflate : public QObject
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

    // The offer is answered within what the client offered; messages both ways are compressed and
    // the echo inflates to the message (the server's window as answered).
    void offerIsAnsweredAndEchoIsCompressed_data()
    {
        QTest::addColumn<QByteArray>("offer");
        QTest::addColumn<QByteArray>("answer");
        QTest::addColumn<int>("serverBits");
        QTest::addColumn<bool>("serverReset");
        QTest::newRow("browser") << QByteArray("permessage-deflate; client_max_window_bits")
                                 << QByteArray("permessage-deflate") << 15 << false;
        QTest::newRow("bare") << QByteArray("permessage-deflate") << QByteArray("permessage-deflate") << 15 << false;
        QTest::newRow("server window 10, no takeover")
            << QByteArray("permessage-deflate; server_max_window_bits=10; server_no_context_takeover")
            << QByteArray("permessage-deflate; server_no_context_takeover; server_max_window_bits=10") << 10 << true;
        QTest::newRow("server window 8 (zlib compresses with 9)")
            << QByteArray("permessage-deflate; server_max_window_bits=8")
            << QByteArray("permessage-deflate; server_max_window_bits=8") << 8 << false;
        QTest::newRow("first offer unusable, second taken")
            << QByteArray("permessage-deflate; server_max_window_bits=20, permessage-deflate; "
                          "client_no_context_takeover")
            << QByteArray("permessage-deflate; client_no_context_takeover") << 15 << false;
        QTest::newRow("other extension ignored") << QByteArray("x-webkit-deflate-frame, permessage-deflate")
                                                 << QByteArray("permessage-deflate") << 15 << false;
    }
    void offerIsAnsweredAndEchoIsCompressed()
    {
        QFETCH(QByteArray, offer);
        QFETCH(QByteArray, answer);
        QFETCH(int, serverBits);
        QFETCH(bool, serverReset);
        QSignalSpy listed(m_server, &ClassroomServer::clientsChanged);
        RawClient client(m_server->port(), "/echo", offer);
        QVERIFY2(client.response().startsWith("HTTP/1.1 101"), client.response().constData());
        QCOMPARE(client.extensionsHeader(), answer);
        MessageInflater inflater(serverBits, serverReset, 1024 * 1024);
        const QByteArray text = QByteArray("{\"greeting\":\"") + QByteArray(3000, 'h') + "\"}";
        for (int round = 0; round < 3; ++round) {
            client.send(OpText, deflated(text), 4);
            const std::optional<ParsedFrame> echo = client.frame();
            QVERIFY(echo);
            QCOMPARE(echo->info.opcode, quint8(OpText));
            QCOMPARE(echo->info.rsv, quint8(4)); // compressed by the server
            QVERIFY(echo->payload.size() < text.size() / 10);
            QCOMPARE(*inflater.inflateMessage(echo->payload), text);
        }
        // A message the client sends uncompressed (RFC 7692 allows it per message) is echoed too.
        client.send(OpBinary, "plain bytes", 0);
        const std::optional<ParsedFrame> echo = client.frame();
        QVERIFY(echo);
        QCOMPARE(*inflater.inflateMessage(echo->payload), QByteArray("plain bytes"));
        // A compressed message in three fragments, RSV1 on the first only.
        const QByteArray c = deflated("fragmented message, fragmented message");
        client.send(OpText, c.left(5), 4, false);
        client.send(OpContinuation, c.mid(5, 5), 0, false);
        client.send(OpContinuation, c.mid(10), 0, true);
        const std::optional<ParsedFrame> joined = client.frame();
        QVERIFY(joined);
        QCOMPARE(*inflater.inflateMessage(joined->payload), QByteArray("fragmented message, fragmented message"));
        QCOMPARE(m_server->deflateFailures(), 0);
        // The client list says what was negotiated.
        QTRY_VERIFY(!listed.isEmpty() && listed.last().at(0).value<QList<ServerClient>>().size() == 1);
        QCOMPARE(listed.last().at(0).value<QList<ServerClient>>().first().compression, QString::fromLatin1(answer));
        // The client goes: Qt's side hears it, and the bridge is gone with its sockets.
        QCOMPARE(m_server->findChildren<DeflateBridge*>().size(), 1);
        QCOMPARE(m_server->clientCount(), 1);
        client.socket().disconnectFromHost();
        QTRY_COMPARE(m_server->clientCount(), 0);
        QTRY_COMPARE(m_server->findChildren<DeflateBridge*>().size(), 0);
    }

    void deflateOffAnswersWithoutExtension()
    {
        RawClient client(m_server->port(), "/echo?deflate=off", "permessage-deflate; client_max_window_bits");
        QVERIFY(client.response().startsWith("HTTP/1.1 101"));
        QVERIFY2(client.extensionsHeader().isNull(), client.response().constData());
        client.send(OpText, "hello", 0);
        const std::optional<ParsedFrame> echo = client.frame();
        QVERIFY(echo);
        QCOMPARE(echo->info.rsv, quint8(0));
        QCOMPARE(echo->payload, QByteArray("hello"));
        // Without an offer nothing changes either.
        RawClient plain(m_server->port(), "/echo", QByteArray());
        QVERIFY(plain.response().startsWith("HTTP/1.1 101"));
        QVERIFY(plain.extensionsHeader().isNull());
    }

    // Qt refuses a bad upgrade (here: a version it does not speak): the refusal reaches the client
    // as Qt wrote it, without an extension, and the connection ends.
    void refusedUpgradePassesThrough()
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_server->port());
        socket.write("GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 7\r\n"
                     "Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n");
        QByteArray got;
        QTRY_VERIFY((got += socket.readAll(), got.contains("\r\n\r\n")));
        QVERIFY2(got.startsWith("HTTP/1.1 4"), got.constData());
        QVERIFY2(!got.toLower().contains("sec-websocket-extensions"), got.constData());
        QTRY_COMPARE(socket.state(), QAbstractSocket::UnconnectedState);
        QTRY_COMPARE(m_server->findChildren<DeflateBridge*>().size(), 0);
    }

    // A bomb gets 1009 with a reason, is counted, and the server goes on serving.
    void faultsCloseTheConnectionWithTheirCode_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<quint8>("opcode");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("reason");
        QTest::newRow("bomb") << deflated(QByteArray(8 * 1024 * 1024, '\0')) << quint8(OpBinary) << 1009
                              << u"decompression bomb"_s;
        QTest::newRow("corrupt") << QByteArray("\xff\xff\xff\xff garbage", 12) << quint8(OpText) << 1007
                                 << u"Corrupt compressed message"_s;
        QTest::newRow("RSV1 on a ping") << QByteArray("ping") << quint8(OpPing) << 1002 << u"RSV1"_s;
        QTest::newRow("reserved opcode") << QByteArray("x") << quint8(3) << 1002 << u"reserved opcode 3"_s;
    }
    void faultsCloseTheConnectionWithTheirCode()
    {
        QFETCH(QByteArray, payload);
        QFETCH(quint8, opcode);
        QFETCH(int, code);
        QFETCH(QString, reason);
        QSignalSpy events(m_server, &ClassroomServer::event);
        {
            RawClient client(m_server->port(), "/echo", "permessage-deflate");
            QVERIFY(client.response().startsWith("HTTP/1.1 101"));
            client.send(opcode, payload, 4);
            const std::optional<ParsedFrame> close = client.frame();
            QVERIFY(close);
            QCOMPARE(close->info.opcode, quint8(OpClose));
            QCOMPARE(int(closeCode(*close)), code);
            QVERIFY2(QString::fromUtf8(close->payload.mid(2)).contains(reason), close->payload.constData());
            QTRY_COMPARE(client.socket().state(), QAbstractSocket::UnconnectedState);
        }
        QCOMPARE(m_server->deflateFailures(), 1);
        // The client list hears the same code (Disconnected event).
        QTRY_VERIFY([&] {
            for (const QList<QVariant>& e : std::as_const(events)) {
                const auto ev = e.at(0).value<ServerEvent>();
                if (ev.kind == ServerEvent::Kind::Disconnected && ev.detail.startsWith(QString::number(code)))
                    return true;
            }
            return false;
        }());
        RawClient next(m_server->port(), "/echo", "permessage-deflate");
        next.send(OpText, deflated("still here"), 4);
        const std::optional<ParsedFrame> echo = next.frame();
        QVERIFY(echo);
        QCOMPARE(*MessageInflater(15, false, 100).inflateMessage(echo->payload), QByteArray("still here"));
    }

    // npm ws compresses every message (threshold 0): every kind, size and fragmentation comes
    // back byte-exact, in each parameter set, and the server's messages arrived compressed. The six
    // clients run at once (each is a node process; most of their time is starting and deflating).
    void wsClientEchoesByteExact()
    {
        struct Set
        {
            const char* name;
            QString query;
            QString options; // ws's perMessageDeflate option
            QString extensions; // what ws accepted from the 101 ("none": no extension)
        };
        const QList<Set> sets {
            { "default", QString(), u"{\"threshold\":0}"_s, QString() },
            { "no context takeover", QString(),
                u"{\"threshold\":0,\"serverNoContextTakeover\":true,\"clientNoContextTakeover\":true}"_s,
                u"server_no_context_takeover; client_no_context_takeover"_s },
            { "windows 9", QString(), u"{\"threshold\":0,\"serverMaxWindowBits\":9,\"clientMaxWindowBits\":9}"_s,
                u"server_max_window_bits=9; client_max_window_bits=9"_s },
            { "windows 8, no client takeover", QString(),
                u"{\"threshold\":0,\"serverMaxWindowBits\":8,\"clientMaxWindowBits\":8,\"clientNoContextTakeover\":true}"_s,
                u"client_no_context_takeover; server_max_window_bits=8; client_max_window_bits=8"_s },
            { "deflate=off", u"deflate=off"_s, u"{\"threshold\":0}"_s, u"none"_s },
            { "no offer", QString(), u"false"_s, u"none"_s },
        };
        const QString node = QStandardPaths::findExecutable(u"node"_s);
        QVERIFY2(!node.isEmpty(), "node is missing (scripts/lib.sh installs nodejs)");
        QVERIFY2(QFile::exists(qEnvironmentVariable("WSI_NODE_MODULES") + u"/ws/package.json"_s),
            "npm ws is missing: scripts/test.sh runs npm ci in tests/interop");
        std::vector<std::unique_ptr<QProcess>> clients;
        for (const Set& set : sets) {
            clients.push_back(std::make_unique<QProcess>());
            clients.back()->start(node,
                { QStringLiteral(WSI_SERVER_TEST_DIR) + u"/ws_deflate_client.js"_s,
                    url(u"/echo"_s, set.query).toString(QUrl::FullyEncoded), set.options });
        }
        for (const auto& client : clients)
            QTRY_COMPARE_WITH_TIMEOUT(client->state(), QProcess::NotRunning, 60000);
        for (qsizetype i = 0; i < sets.size(); ++i) {
            const Set& set = sets.at(i);
            const QByteArray out = set.name + QByteArray(": ") + clients.at(size_t(i))->readAllStandardOutput();
            const QJsonObject r = QJsonDocument::fromJson(out.mid(out.indexOf(": ") + 2)).object();
            QVERIFY2(!r.isEmpty() && !r.contains(u"error"_s), out.constData());
            QVERIFY2(r.value(u"extensions"_s).toString() == set.extensions, out.constData());
            QVERIFY2(r.value(u"mismatches"_s).toArray().isEmpty(), out.constData());
            QVERIFY2(r.value(u"sent"_s).toInt() == 5 * 4 * 3, out.constData());
            QVERIFY2(r.value(u"matched"_s).toInt() == r.value(u"sent"_s).toInt(), out.constData());
            QVERIFY2(r.value(u"closeCode"_s).toInt() == 1000, out.constData());
            // Four of the five kinds compress well: with deflate the echoes take far fewer bytes than
            // their payloads, without it more.
            const double read = r.value(u"bytesRead"_s).toDouble();
            const double payload = r.value(u"payloadBytes"_s).toDouble();
            if (set.extensions == u"none")
                QVERIFY2(read > payload, out.constData());
            else
                QVERIFY2(read < payload * 0.5, out.constData());
        }
        QCOMPARE(m_server->deflateFailures(), 0);
    }

    // The inspector's own client (the relay's deflate) against builtin:echo: RSV1 frames both ways
    // and both sizes in the terminal's -v output.
    void inspectorClientAgainstBuiltinEcho()
    {
        CliOptions options;
        QString error;
        const QString message = u"{\"compress\":\"%1\"}"_s.arg(QString(500, u'z'));
        QVERIFY2(CliParser::parse({ u"builtin:echo"_s, u"--deflate"_s, u"-v"_s, u"-x"_s, message, u"-w"_s, u"0.5"_s },
                     &options, &error),
            qPrintable(error));
        QBuffer out;
        QBuffer err;
        out.open(QIODevice::WriteOnly);
        err.open(QIODevice::WriteOnly);
        int exitCode = -1;
        {
            CliFrontend frontend(options, &out, &err);
            QSignalSpy finished(&frontend, &CliFrontend::finished);
            QVERIFY(frontend.start());
            QVERIFY(!finished.isEmpty() || finished.wait(20000));
            exitCode = finished.first().at(0).toInt();
        }
        const QString text = QString::fromUtf8(out.data()) + QString::fromUtf8(err.data());
        QVERIFY2(exitCode == 0, qPrintable(text));
        QVERIFY2(
            text.contains(u"permessage-deflate: server window 15 bits, client window 15 bits"_s), qPrintable(text));
        // Sent and received: the message's size and the compressed size, RSV1 on the frame.
        QVERIFY2(text.count(u"rsv=4 (RSV1)"_s) >= 2, qPrintable(text));
        QVERIFY2(text.contains(u"> text   %1 B  (deflated "_s.arg(message.size())), qPrintable(text));
        QVERIFY2(text.contains(u"< text   %1 B  (deflated "_s.arg(message.size())), qPrintable(text));
        BuiltinServers::shutdown();
    }

private:
    QUrl url(const QString& path, const QString& query) const
    {
        QUrl u = m_server->localUrl(path);
        if (!query.isEmpty())
            u.setQuery(query);
        return u;
    }
    ClassroomServer* m_server = nullptr;
    std::optional<WarningCatcher> m_warnings;
};

QTEST_GUILESS_MAIN(tst_ServerDeflate)
#include "tst_serverdeflate.moc"
