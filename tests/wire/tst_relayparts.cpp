// The relay's socket-facing parts on their own: the loopback CONNECT proxy and the upstream connector.
#include "testhelpers.h"
#include "wire/loopbackproxy.h"
#include "wire/upstreamconnector.h"

#include <QSslKey>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;

namespace {
QByteArray credential(const QNetworkProxy& proxy)
{
    return "Basic " + (proxy.user() + u':' + proxy.password()).toLatin1().toBase64();
}

// Everything the socket receives until it closes or timeoutMs pass.
QByteArray readUntilClosed(QTcpSocket& s, int timeoutMs = 5000)
{
    QByteArray data;
    const bool closed = QTest::qWaitFor(
        [&] {
            data += s.readAll();
            return s.state() == QAbstractSocket::UnconnectedState;
        },
        timeoutMs);
    Q_UNUSED(closed); // an answer cut short fails the caller's comparison
    return data + s.readAll();
}
} // namespace

class tst_RelayParts : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    void proxyHandsOverTheSocketAndWhatFollowedTheConnect()
    {
        LoopbackProxy proxy;
        QVERIFY(proxy.listen(u"Example.COM"_s, 8080).ok());
        QTcpSocket* accepted = nullptr;
        QByteArray leftover;
        connect(&proxy, &LoopbackProxy::clientAccepted, this, [&](QTcpSocket* s, const QByteArray& rest) {
            accepted = s;
            leftover = rest;
            s->setParent(this);
        });
        QTcpSocket client;
        client.connectToHost(QHostAddress::LocalHost, proxy.port());
        // The target compares case-insensitively; the request head rides in the same packet.
        client.write("CONNECT example.com:8080 HTTP/1.1\r\nProxy-Authorization: " + credential(proxy.clientProxy())
            + "\r\n\r\nGET / HTTP/1.1\r\n");
        QTRY_VERIFY(accepted);
        QCOMPARE(leftover, QByteArray("GET / HTTP/1.1\r\n"));
        QVERIFY(!proxy.isListening());
        // The proxy answers nothing itself: "200" is for whoever opens the upstream.
        QSignalSpy answered(&client, &QTcpSocket::readyRead);
        QVERIFY(!answered.wait(200));
        delete accepted;
    }

    void proxyRefusesGarbageAndEndlessGuessing()
    {
        LoopbackProxy proxy;
        QVERIFY(proxy.listen(u"127.0.0.1"_s, 80).ok());
        int accepted = 0;
        connect(&proxy, &LoopbackProxy::clientAccepted, this, [&](QTcpSocket* s) {
            ++accepted;
            s->setParent(this);
        });
        {
            QTcpSocket s;
            s.connectToHost(QHostAddress::LocalHost, proxy.port());
            s.write(QByteArray(70 * 1024, 'x')); // a head that never ends
            QVERIFY(readUntilClosed(s).startsWith("HTTP/1.1 400 Bad Request"));
        }
        {
            // Without a credential: 407 twice with the connection kept, then closed.
            QTcpSocket s;
            s.connectToHost(QHostAddress::LocalHost, proxy.port());
            const QByteArray ask = "CONNECT 127.0.0.1:80 HTTP/1.1\r\n\r\n";
            s.write(ask + ask + ask + ask);
            const QByteArray answers = readUntilClosed(s);
            QCOMPARE(answers.count("HTTP/1.1 407"), 3);
            QCOMPARE(answers.count("\r\nConnection: close"), 1);
        }
        QVERIFY(proxy.isListening());
        QCOMPARE(accepted, 0);
    }

    void connectorReportsARefusedPortAsAValue()
    {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const quint16 port = closed.serverPort();
        closed.close();
        UpstreamConnector connector(Profile {});
        QSignalSpy failed(&connector, &UpstreamConnector::failed);
        QSignalSpy ready(&connector, &UpstreamConnector::ready);
        connector.connectTo(QUrl(u"ws://127.0.0.1:%1/"_s.arg(port)));
        QVERIFY(connector.isConnecting());
        QVERIFY(failed.wait(5000));
        QCOMPARE(failed.first().at(0).value<QAbstractSocket::SocketError>(), QAbstractSocket::ConnectionRefusedError);
        const Error error = failed.first().at(1).value<Error>();
        // Plain words from ConnectErrors; Qt's text only in the details.
        QCOMPARE(error.message.left(error.message.indexOf(u':')), u"Connection refused by 127.0.0.1"_s);
        QVERIFY(error.message.contains(u"nothing accepts connections on that port"_s));
        QVERIFY(!error.details.isEmpty());
        QVERIFY(!connector.isConnecting());
        QCOMPARE(ready.size(), 0);
        QVERIFY(!connector.socket());
    }

    void connectorHonoursTcpNoDelayAndTimesTheSteps()
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        for (const bool noDelay : { true, false }) {
            Profile p;
            p.tcpNoDelay = noDelay;
            UpstreamConnector connector(p);
            QSignalSpy steps(&connector, &UpstreamConnector::stepDone);
            QSignalSpy ready(&connector, &UpstreamConnector::ready);
            // "localhost" is looked up (and timed) before TCP.
            connector.connectTo(QUrl(u"ws://localhost:%1/"_s.arg(server.serverPort())));
            QVERIFY(ready.wait(5000));
            QCOMPARE(steps.size(), 2);
            QCOMPARE(steps.at(0).at(0).value<UpstreamConnector::Step>(), UpstreamConnector::Step::Resolved);
            QCOMPARE(steps.at(1).at(0).value<UpstreamConnector::Step>(), UpstreamConnector::Step::TcpConnected);
            QVERIFY(connector.timings().dnsUs >= 0);
            QVERIFY(connector.timings().tcpConnectUs >= 0);
            QCOMPARE(connector.timings().tlsHandshakeUs, -1);
            QVERIFY(connector.socket());
            QCOMPARE(connector.socket()->socketOption(QAbstractSocket::LowDelayOption).toInt() != 0, noDelay);
        }
    }

    void connectorFailsOnAnUnreadableKeyBeforeConnecting()
    {
        QVERIFY(m_dir.isValid());
        const QString cert = m_dir.filePath(u"cert.pem"_s), key = m_dir.filePath(u"key.pem"_s);
        const QString made = test::makeSelfSignedCertificate(cert, key, u"/CN=t"_s);
        QVERIFY2(made.isEmpty(), qPrintable(made));
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        Profile p;
        p.tls.certFile = cert;
        p.tls.keyFile = m_dir.filePath(u"missing-key.pem"_s);
        UpstreamConnector connector(p);
        QSignalSpy failed(&connector, &UpstreamConnector::failed);
        connector.connectTo(QUrl(u"wss://127.0.0.1:%1/"_s.arg(server.serverPort())));
        QTRY_COMPARE(failed.size(), 1);
        QCOMPARE(failed.first().at(0).value<QAbstractSocket::SocketError>(), QAbstractSocket::SslInvalidUserDataError);
        QCOMPARE(failed.first().at(1).value<Error>().message,
            u"TLS failure: Key file \"%1\" could not be read: No such file or directory"_s.arg(p.tls.keyFile));
        QVERIFY(!server.hasPendingConnections()); // nothing reached the server
    }

    void abortedConnectorStaysQuiet()
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        UpstreamConnector connector(Profile {});
        QSignalSpy ready(&connector, &UpstreamConnector::ready);
        QSignalSpy failed(&connector, &UpstreamConnector::failed);
        connector.connectTo(QUrl(u"ws://localhost:%1/"_s.arg(server.serverPort()))); // DNS first
        connector.abort();
        QVERIFY(!connector.isConnecting());
        QVERIFY(!ready.wait(300));
        QCOMPARE(failed.size(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_RelayParts)
#include "tst_relayparts.moc"
