#include "cli/servecommand.h"

#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QWebSocket>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;

// `wsinspector --serve`: its options, and the real binary as a teacher runs it.
class tst_ServeCommand : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void listenOptions_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("address");
        QTest::addColumn<int>("port");
        QTest::addColumn<bool>("network");
        QTest::newRow("all") << u"0.0.0.0:8080"_s << u"0.0.0.0"_s << 8080 << true;
        QTest::newRow("port only") << u"9000"_s << u"127.0.0.1"_s << 9000 << false;
        QTest::newRow(":port") << u":9001"_s << u"127.0.0.1"_s << 9001 << false;
        QTest::newRow("one interface") << u"192.168.1.5:80"_s << u"192.168.1.5"_s << 80 << true;
        QTest::newRow("v6") << u"[::1]:8081"_s << u"::1"_s << 8081 << true;
        QTest::newRow("localhost") << u"localhost:8082"_s << u"127.0.0.1"_s << 8082 << true;
    }
    void listenOptions()
    {
        QFETCH(QString, text);
        QFETCH(QString, address);
        QFETCH(int, port);
        QFETCH(bool, network);
        const Result<ListenOptions> o = ServeCommand::parseListen(text);
        QVERIFY2(o.ok(), qPrintable(o.errorMessage()));
        QCOMPARE(o->address.toString(), address);
        QCOMPARE(int(o->port), port);
        QCOMPARE(o->allowNetwork, network);
    }
    void badListenOptionsAreNamed_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("port") << QStringList { u"--serve"_s, u"--listen"_s, u"1.2.3.4:99999"_s } << u"99999"_s;
        QTest::newRow("host") << QStringList { u"--serve"_s, u"--listen"_s, u"myhost:80"_s } << u"myhost"_s;
        QTest::newRow("missing") << QStringList { u"--serve"_s, u"--listen"_s } << u"ADDR:PORT"_s;
        QTest::newRow("unknown") << QStringList { u"--serve"_s, u"-x"_s } << u"\"-x\""_s;
        QTest::newRow("clients") << QStringList { u"--serve"_s, u"--max-clients=0"_s } << u"--max-clients"_s;
    }
    void badListenOptionsAreNamed()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Result<ListenOptions> o = ServeCommand::parse(args);
        QVERIFY(!o.ok());
        QVERIFY2(o.errorMessage().contains(message), qPrintable(o.errorMessage()));
    }

    // The binary prints its address, one line per client event, and stops cleanly on SIGTERM/Ctrl+C.
    void headlessServerAsATeacherRunsIt()
    {
        QProcess serve;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(u"DISPLAY"_s);
        env.remove(u"WAYLAND_DISPLAY"_s);
        serve.setProcessEnvironment(env);
        serve.start(QStringLiteral(WSI_BINARY), { u"--serve"_s, u"--listen"_s, u"127.0.0.1:0"_s });
        QByteArray out;
        const QRegularExpression portLine(u"http://127\\.0\\.0\\.1:(\\d+)/"_s);
        QTRY_VERIFY_WITH_TIMEOUT(
            (out += serve.readAllStandardOutput(), portLine.match(QString::fromUtf8(out)).hasMatch()), 20000);
        const int port = portLine.match(QString::fromUtf8(out)).captured(1).toInt();
        QVERIFY(out.contains("Only this machine can connect"));

        QWebSocket a;
        QSignalSpy connected(&a, &QWebSocket::connected);
        QSignalSpy got(&a, &QWebSocket::textMessageReceived);
        a.open(QUrl(u"ws://127.0.0.1:%1/chat?name=Ann"_s.arg(port)));
        QVERIFY(connected.wait(10000));
        QTRY_COMPARE(got.count(), 1);
        QTRY_VERIFY_WITH_TIMEOUT((out += serve.readAllStandardOutput(), out.contains("+ /chat 127.0.0.1:")), 10000);
        QVERIFY(out.contains("\"Ann\""));
        a.close(QWebSocketProtocol::CloseCodeNormal, u"bye"_s);
        QTRY_VERIFY_WITH_TIMEOUT((out += serve.readAllStandardOutput(),
                                     out.contains("- /chat 127.0.0.1:") && out.contains("close 1000 bye")),
            10000);
        serve.terminate(); // SIGTERM, handled like Ctrl+C
        QVERIFY(serve.waitForFinished(10000));
        out += serve.readAllStandardOutput();
        QCOMPARE(serve.exitStatus(), QProcess::NormalExit);
        QCOMPARE(serve.exitCode(), 0);
        QVERIFY2(out.contains("Server stopped."), out.constData());
    }

    void takenPortFailsWithTheReason()
    {
        QTcpServer blocker;
        QVERIFY(blocker.listen(QHostAddress::LocalHost, 0));
        QProcess serve;
        serve.start(QStringLiteral(WSI_BINARY),
            QStringList { u"--serve"_s, u"--listen"_s, u"127.0.0.1:%1"_s.arg(blocker.serverPort()) });
        QVERIFY(serve.waitForFinished(20000));
        QCOMPARE(serve.exitCode(), 1);
        QVERIFY(serve.readAllStandardError().contains("already in use"));
    }
};

QTEST_GUILESS_MAIN(tst_ServeCommand)
#include "tst_servecommand.moc"
