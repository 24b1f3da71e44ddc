// permessage-deflate and the QWebSocket shield through the terminal front end, as a user runs
// it, against hand-made servers on 127.0.0.1: the exact reason, exit status and close code for
// a bad extension answer, a decompression bomb, corrupt data and RSV1 misuse; -v with RSV1 and
// both sizes; and what Qt 6.4 alone would reject (a UTF-8 character split across fragments,
// close code 1012) arriving intact.
#include "deflate/messagecodec.h"
#include "scriptedserver.h"

#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;
using namespace wsi::test;

namespace {

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
        // The terminal's times never run backwards (the deflate line was stamped when printed, after the
        // Open stamped with the 101's arrival).
        QString previous;
        for (const QString& line : run.out.split(u'\n')) {
            const QString time = line.left(12);
            if (time.size() < 12 || time.at(2) != u':' || time.at(8) != u'.')
                continue;
            QVERIFY2(previous <= time, qPrintable(u"%1 after %2 in:\n"_s.arg(time, previous) + run.out));
            previous = time;
        }
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
