// Connection errors in plain words: real TLS on 127.0.0.1 where it is cheap (self-signed, wrong
// host, wss:// to a plain server, ws:// to a TLS server), string tables for the rest.
#include "testhelpers.h"
#include "wire/connecterrors.h"
#include "wire/handshakecheck.h"

#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;

using Cause = ConnectErrors::Cause;
Q_DECLARE_METATYPE(ConnectErrors::Cause)

namespace {

// Library text must stay in the details: no OpenSSL codes or Qt parser sentences in the message.
bool leaksLibraryText(const QString& message)
{
    return message.contains(u"error:"_s) || message.contains(u"SSL routines"_s) || message.contains(u"Relative URL"_s)
        || message.contains(u"Error during SSL handshake"_s);
}

QSslCertificate loadCert(const QString& path)
{
    const auto certs = QSslCertificate::fromPath(path);
    return certs.isEmpty() ? QSslCertificate() : certs.first();
}

} // namespace

class tst_ConnectErrors : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QSslCertificate m_ipCert; // CN and SAN 127.0.0.1, self-signed
    QSslKey m_ipKey;
    QSslCertificate m_otherCert; // CN and SAN wrong.example
    QSslKey m_otherKey;

    QSslKey loadKey(const QString& path)
    {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return {};
        return QSslKey(&f, QSsl::Rsa);
    }

    // A TLS server on 127.0.0.1 with that certificate; the caller owns it.
    std::unique_ptr<QSslServer> tlsServer(const QSslCertificate& cert, const QSslKey& key)
    {
        auto server = std::make_unique<QSslServer>();
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        config.setLocalCertificate(cert);
        config.setPrivateKey(key);
        config.setPeerVerifyMode(QSslSocket::VerifyNone);
        server->setSslConfiguration(config);
        if (!server->listen(QHostAddress::LocalHost))
            return nullptr;
        return server;
    }

    // Connects with TLS to 127.0.0.1:port (trusting ca when given) and returns the certificate errors.
    QList<QSslError> sslErrorsFrom(quint16 port, const QList<QSslCertificate>& ca)
    {
        QSslSocket socket;
        if (!ca.isEmpty()) {
            QSslConfiguration config = socket.sslConfiguration();
            config.setCaCertificates(ca);
            socket.setSslConfiguration(config);
        }
        QList<QSslError> errors;
        connect(&socket, &QSslSocket::sslErrors, &socket, [&](const QList<QSslError>& e) { errors = e; });
        QSignalSpy failed(&socket, &QAbstractSocket::errorOccurred);
        socket.connectToHostEncrypted(u"127.0.0.1"_s, port);
        if (!failed.wait(10000))
            return {};
        return errors;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!QSslSocket::supportsSsl())
            QSKIP("no TLS backend");
        QVERIFY(m_dir.isValid());
        const QString ipCert = m_dir.filePath(u"ip.pem"_s), ipKey = m_dir.filePath(u"ip.key"_s);
        QCOMPARE(test::makeSelfSignedCertificate(
                     ipCert, ipKey, u"/CN=127.0.0.1"_s, { u"-addext"_s, u"subjectAltName=IP:127.0.0.1"_s }),
            QString());
        const QString otherCert = m_dir.filePath(u"other.pem"_s), otherKey = m_dir.filePath(u"other.key"_s);
        QCOMPARE(test::makeSelfSignedCertificate(otherCert, otherKey, u"/CN=wrong.example"_s,
                     { u"-addext"_s, u"subjectAltName=DNS:wrong.example"_s }),
            QString());
        m_ipCert = loadCert(ipCert);
        m_ipKey = loadKey(ipKey);
        m_otherCert = loadCert(otherCert);
        m_otherKey = loadKey(otherKey);
        QVERIFY(!m_ipCert.isNull() && !m_ipKey.isNull() && !m_otherCert.isNull() && !m_otherKey.isNull());
    }

    void selfSignedCertificate()
    {
        auto server = tlsServer(m_ipCert, m_ipKey);
        QVERIFY(server);
        const QList<QSslError> errors = sslErrorsFrom(server->serverPort(), {});
        QVERIFY(!errors.isEmpty());
        const Error e = ConnectErrors::describeSslErrors(errors, { u"127.0.0.1"_s, server->serverPort(), true });
        QCOMPARE(e.message,
            u"The certificate of 127.0.0.1:%1 is self-signed, so nobody vouches for it: add it as the profile's CA "
            "file, or pin its fingerprint."_s.arg(server->serverPort()));
        QVERIFY2(e.details.contains(u"self-signed"_s, Qt::CaseInsensitive), qPrintable(e.details));
    }

    void wrongHostName()
    {
        auto server = tlsServer(m_otherCert, m_otherKey);
        QVERIFY(server);
        // Trusted as a CA, so the host name is the only problem left.
        const QList<QSslError> errors = sslErrorsFrom(server->serverPort(), { m_otherCert });
        QCOMPARE(errors.size(), 1);
        QCOMPARE(errors.first().error(), QSslError::HostNameMismatch);
        const Error e = ConnectErrors::describeSslErrors(errors, { u"127.0.0.1"_s, server->serverPort(), true });
        QCOMPARE(e.message,
            u"The certificate of 127.0.0.1:%1 is for wrong.example, not 127.0.0.1: connect with a name the "
            "certificate lists."_s.arg(server->serverPort()));
    }

    // wss:// to a port that speaks plain HTTP: OpenSSL says "wrong version number".
    void tlsToAPlainServer()
    {
        QTcpServer plain;
        QVERIFY(plain.listen(QHostAddress::LocalHost));
        connect(&plain, &QTcpServer::newConnection, &plain, [&plain] {
            QTcpSocket* peer = plain.nextPendingConnection();
            connect(peer, &QTcpSocket::readyRead, peer, [peer] {
                peer->readAll();
                peer->write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                peer->disconnectFromHost();
            });
        });
        QSslSocket socket;
        QSignalSpy failed(&socket, &QAbstractSocket::errorOccurred);
        socket.connectToHostEncrypted(u"127.0.0.1"_s, plain.serverPort());
        QVERIFY(failed.wait(10000));
        const auto error = failed.first().first().value<QAbstractSocket::SocketError>();
        const Error e = ConnectErrors::describeSocketError(
            error, socket.errorString(), { u"127.0.0.1"_s, plain.serverPort(), true });
        QCOMPARE(ConnectErrors::classify(error, socket.errorString()), Cause::PlainServerOnTlsPort);
        QCOMPARE(e.message,
            u"127.0.0.1:%1 answered in plain text, not TLS: this port does not speak wss://. Use ws:// for it, or "
            "the server's TLS port."_s.arg(plain.serverPort()));
        QCOMPARE(e.details, socket.errorString());
        QVERIFY(!leaksLibraryText(e.message));
    }

    // ws:// to a TLS port: the server's answer (a TLS alert, or nothing before it closes) is named
    // either way, never as a timeout or a refused connection.
    void plainToATlsServer()
    {
        auto server = tlsServer(m_ipCert, m_ipKey);
        QVERIFY(server);
        QTcpSocket socket;
        QByteArray reply;
        connect(&socket, &QTcpSocket::readyRead, &socket, [&] { reply += socket.readAll(); });
        QSignalSpy closed(&socket, &QTcpSocket::disconnected);
        socket.connectToHost(QHostAddress::LocalHost, server->serverPort());
        QVERIFY(socket.waitForConnected(10000));
        socket.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        QVERIFY(closed.wait(10000));

        HandshakeExchange x;
        HttpHeadParser parser(false);
        parser.feed(reply);
        x.response = parser.head();
        x.responseFault = parser.fault();
        x.closedBeforeHeadEnd = parser.status() == HttpHeadParser::Status::NeedMore;
        const QString message = reply.isEmpty()
            ? ConnectErrors::describeSocketError(QAbstractSocket::RemoteHostClosedError, socket.errorString(),
                { u"127.0.0.1"_s, server->serverPort(), false })
                  .message
            : HandshakeCheck::summary(HandshakeCheck::check(x));
        // OpenSSL 3 (Debian 12) closes without a word; others send an alert record first.
        if (reply.isEmpty()) {
            QCOMPARE(message,
                u"127.0.0.1:%1 closed the connection without answering the WebSocket request. If this port expects "
                "TLS, use wss:// instead of ws://."_s.arg(server->serverPort()));
        } else {
            QCOMPARE(message,
                u"The server answered with TLS bytes (%1), not HTTP: the port expects wss://, not ws://."_s.arg(
                    QString::fromLatin1(reply.left(3).toHex(' '))));
        }
    }

    // A handshake timeout before the request could be answered names the step that never finished.
    void connectTimeouts_data()
    {
        QTest::addColumn<QString>("host");
        QTest::addColumn<bool>("secure");
        QTest::addColumn<bool>("viaProxy");
        QTest::addColumn<QList<qint64>>("steps"); // dns, tcp, tls (-1 = not done)
        QTest::addColumn<QString>("message"); // "" = not a connection step: the response timed out

        const QString tcp = u"%1 did not accept the TCP connection within 1500 ms (the handshake timeout): nothing "
                            "answered the connection attempt (a firewall that drops it, or a host that is down or "
                            "overloaded)."_s;
        QTest::newRow("name not looked up yet")
            << u"example.com"_s << false << false << QList<qint64> { -1, -1, -1 }
            << u"The connection to example.com:80 was not made within 1500 ms (the handshake timeout): the name "
               "lookup or the TCP connection attempt got no answer."_s;
        QTest::newRow("looked up, not connected")
            << u"example.com"_s << false << false << QList<qint64> { 10, -1, -1 } << tcp.arg(u"example.com:80"_s);
        QTest::newRow("address, not connected")
            << u"192.0.2.1"_s << false << false << QList<qint64> { -1, -1, -1 } << tcp.arg(u"192.0.2.1:80"_s);
        QTest::newRow("IPv6 address, not connected")
            << u"::1"_s << false << false << QList<qint64> { -1, -1, -1 } << tcp.arg(u"[::1]:80"_s);
        QTest::newRow("TLS not finished")
            << u"example.com"_s << true << false << QList<qint64> { 10, 20, -1 }
            << u"example.com:443 accepted the TCP connection, but the TLS handshake did not finish within 1500 ms "
               "(the handshake timeout): the port may not speak TLS, or the server stalls."_s;
        QTest::newRow("ws connected") << u"example.com"_s << false << false << QList<qint64> { 10, 20, -1 }
                                      << QString();
        QTest::newRow("wss connected") << u"example.com"_s << true << false << QList<qint64> { 10, 20, 30 }
                                       << QString();
        QTest::newRow("through a proxy") << u"example.com"_s << false << true << QList<qint64> { -1, -1, -1 }
                                         << QString();
    }

    void connectTimeouts()
    {
        QFETCH(QString, host);
        QFETCH(bool, secure);
        QFETCH(bool, viaProxy);
        QFETCH(QList<qint64>, steps);
        QFETCH(QString, message);
        ConnectionTimings timings;
        timings.dnsUs = steps.at(0);
        timings.tcpConnectUs = steps.at(1);
        timings.tlsHandshakeUs = steps.at(2);
        QUrl url;
        url.setScheme(secure ? u"wss"_s : u"ws"_s);
        url.setHost(host);
        QCOMPARE(ConnectErrors::describeConnectTimeout(timings, viaProxy, ConnectErrors::targetOf(url), 1500), message);
    }

    void socketErrors_data()
    {
        QTest::addColumn<QAbstractSocket::SocketError>("error");
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("secure");
        QTest::addColumn<ConnectErrors::Cause>("cause");
        QTest::addColumn<QString>("message");
        using S = QAbstractSocket;
        QTest::newRow("refused") << S::ConnectionRefusedError << u"Connection refused"_s << false
                                 << Cause::ConnectionRefused
                                 << u"Connection refused by example.com:8080: nothing accepts connections on that "
                                    "port. Check the port number and that the server is running."_s;
        QTest::newRow("host not found") << S::HostNotFoundError << u"Host not found"_s << false << Cause::HostNotFound
                                        << u"Host not found: \"example.com\" does not resolve to an address. Check the "
                                           "spelling of the host name, or your DNS."_s;
        QTest::newRow("timeout") << S::SocketTimeoutError << u"Socket operation timed out"_s << false << Cause::Timeout
                                 << u"Timed out reaching example.com:8080: no answer. Check the address and port, a "
                                    "firewall, or whether a proxy is needed."_s;
        QTest::newRow("closed, ws") << S::RemoteHostClosedError << u"The remote host closed the connection"_s << false
                                    << Cause::ClosedByServer
                                    << u"example.com:8080 closed the connection without answering the WebSocket "
                                       "request. If this port expects TLS, use wss:// instead of ws://."_s;
        QTest::newRow("closed, wss") << S::RemoteHostClosedError << u"The remote host closed the connection"_s << true
                                     << Cause::ClosedByServer
                                     << u"example.com:8080 closed the connection during the TLS handshake. The port "
                                        "may not speak TLS (try ws://), or the server refused this client's TLS "
                                        "settings."_s;
        QTest::newRow("wrong version number")
            << S::SslHandshakeFailedError
            << u"Error during SSL handshake: error:0A00010B:SSL routines::wrong version number"_s << true
            << Cause::PlainServerOnTlsPort
            << u"example.com:8080 answered in plain text, not TLS: this port does not speak wss://. Use ws:// for it, "
               "or the server's TLS port."_s;
        QTest::newRow("packet length too long")
            << S::SslHandshakeFailedError
            << u"Error during SSL handshake: error:0A0000C6:SSL routines::packet length too long"_s << true
            << Cause::PlainServerOnTlsPort
            << u"example.com:8080 answered in plain text, not TLS: this port does not speak wss://. Use ws:// for it, "
               "or the server's TLS port."_s;
        const QString noCommon = u"TLS handshake with example.com:8080 failed: the server and this client have no TLS "
                                 "version or cipher in common (the server may only offer TLS 1.0/1.1 or old "
                                 "ciphers), or it refused the client certificate."_s;
        QTest::newRow("handshake failure")
            << S::SslHandshakeFailedError
            << u"Error during SSL handshake: error:0A000410:SSL routines::sslv3 alert handshake failure"_s << true
            << Cause::HandshakeFailure << noCommon;
        QTest::newRow("no shared cipher")
            << S::SslHandshakeFailedError
            << u"Error during SSL handshake: error:0A0000C1:SSL routines::no shared cipher"_s << true
            << Cause::HandshakeFailure << noCommon;
        QTest::newRow("protocol version")
            << S::SslHandshakeFailedError
            << u"Error during SSL handshake: error:0A00042E:SSL routines::tlsv1 alert protocol version"_s << true
            << Cause::HandshakeFailure << noCommon;
        QTest::newRow("client certificate required")
            << S::SslHandshakeFailedError
            << u"Error during SSL handshake: error:0A00045C:SSL routines::tlsv13 alert certificate required"_s << true
            << Cause::ClientCertificateRequired
            << u"example.com:8080 requires a client certificate: set a certificate and key file in the profile's TLS "
               "settings."_s;
        QTest::newRow("expired (as text)")
            << S::SslHandshakeFailedError << u"The certificate has expired"_s << true << Cause::CertificateExpired
            << u"The certificate of example.com:8080 has expired: the server must renew it. To look anyway, turn off "
               "certificate verification for this profile."_s;
        QTest::newRow("not yet valid (as text)")
            << S::SslHandshakeFailedError << u"The certificate is not yet valid"_s << true
            << Cause::CertificateNotYetValid
            << u"The certificate of example.com:8080 is not valid yet: check this computer's date and time."_s;
        QTest::newRow("unknown CA (as text)")
            << S::SslHandshakeFailedError
            << u"Error during SSL handshake: error:0A000086:SSL routines::certificate verify failed"_s << true
            << Cause::UnknownAuthority
            << u"The certificate of example.com:8080 was issued by an authority this computer does not trust, or the "
               "server does not send its intermediate certificates: add the issuing CA as the profile's CA file, or "
               "fix the chain on the server."_s;
        QTest::newRow("proxy auth") << S::ProxyAuthenticationRequiredError << u"Proxy requires authentication"_s
                                    << false << Cause::Proxy
                                    << u"The proxy asks for a user name and password: set them in the profile's proxy "
                                       "settings."_s;
    }

    void socketErrors()
    {
        QFETCH(QAbstractSocket::SocketError, error);
        QFETCH(QString, text);
        QFETCH(bool, secure);
        QFETCH(ConnectErrors::Cause, cause);
        QFETCH(QString, message);
        QCOMPARE(ConnectErrors::classify(error, text), cause);
        const Error e = ConnectErrors::describeSocketError(error, text, { u"example.com"_s, 8080, secure });
        QCOMPARE(e.message, message);
        QCOMPARE(e.details, text);
        QVERIFY(!leaksLibraryText(e.message));
    }

    void sslErrorList_data()
    {
        QTest::addColumn<QList<QSslError::SslError>>("errors");
        QTest::addColumn<QString>("message");
        const QString selfSigned = u"The certificate of example.com:443 is self-signed, so nobody vouches for it: add "
                                   "it as the profile's CA file, or pin its fingerprint."_s;
        QTest::newRow("expired") << QList { QSslError::CertificateExpired }
                                 << u"The certificate of example.com:443 expired on %EXPIRY%: the server must renew "
                                    "it. To look anyway, turn off certificate verification for this profile."_s;
        QTest::newRow("not yet valid") << QList { QSslError::CertificateNotYetValid }
                                       << u"The certificate of example.com:443 is valid only from %START%: check this "
                                          "computer's date and time."_s;
        QTest::newRow("unknown CA") << QList { QSslError::UnableToGetLocalIssuerCertificate,
            QSslError::UnableToVerifyFirstCertificate }
                                    << u"The certificate of example.com:443 was issued by \"127.0.0.1\", which this "
                                       "computer does not trust, or the server does not send its intermediate "
                                       "certificates: add the issuing CA as the profile's CA file, or fix the chain on "
                                       "the server."_s;
        QTest::newRow("self-signed and wrong host")
            << QList { QSslError::HostNameMismatch, QSslError::SelfSignedCertificate }
            << selfSigned
                + u" The certificate of example.com:443 is for 127.0.0.1, not example.com: connect with a name the "
                  "certificate lists."_s;
        QTest::newRow("other") << QList { QSslError::InvalidPurpose }
                               << u"The certificate of example.com:443 was refused: The supplied certificate is "
                                  "unsuitable for this purpose"_s;
    }

    void sslErrorList()
    {
        QFETCH(QList<QSslError::SslError>, errors);
        QFETCH(QString, message);
        QList<QSslError> list;
        for (auto e : errors)
            list.append(QSslError(e, m_ipCert));
        message.replace(u"%EXPIRY%"_s, m_ipCert.expiryDate().toUTC().toString(Qt::ISODate));
        message.replace(u"%START%"_s, m_ipCert.effectiveDate().toUTC().toString(Qt::ISODate));
        const Error e = ConnectErrors::describeSslErrors(list, { u"example.com"_s, 443, true });
        QCOMPARE(e.message, message);
        QCOMPARE(
            e.details, list.first().errorString() + (list.size() > 1 ? u"; "_s + list.at(1).errorString() : QString()));
    }

    void urls_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QString>("result"); // the URL, or the message
        QTest::newRow("ip:port") << u"127.0.0.1:8080"_s
                                 << u"URL \"127.0.0.1:8080\" has no scheme: add ws:// in front (ws://127.0.0.1:8080), "
                                    "or wss:// for TLS."_s;
        QTest::newRow("name:port/path") << u" localhost:9000/chat?x=1 "_s
                                        << u"URL \"localhost:9000/chat?x=1\" has no scheme: add ws:// in front "
                                           "(ws://localhost:9000/chat?x=1), or wss:// for TLS."_s;
        QTest::newRow("[v6]:port") << u"[::1]:9000"_s
                                   << u"URL \"[::1]:9000\" has no scheme: add ws:// in front (ws://[::1]:9000), or "
                                      "wss:// for TLS."_s;
        QTest::newRow("no scheme") << u"example.com/x"_s
                                   << u"URL \"example.com/x\" has no scheme: start it with ws:// or wss://."_s;
        QTest::newRow("ftp") << u"ftp://example.com/"_s
                             << u"URL scheme \"ftp\" is not supported: use ws:// or wss://."_s;
        QTest::newRow("no host")
            << u"ws:///x"_s
            << u"URL \"ws:///x\" has no host: write it after two slashes, as in ws://127.0.0.1:8080/."_s;
        QTest::newRow("space") << u"ws://exa mple.com/"_s
                               << u"URL \"ws://exa mple.com/\" is not a valid address: check it for spaces, a stray "
                                  "character or a malformed host or port."_s;
        QTest::newRow("empty") << u"   "_s << u"URL is empty: enter a ws:// or wss:// address."_s;
        QTest::newRow("https") << u"https://example.com/x"_s << u"wss://example.com/x"_s;
        QTest::newRow("ws") << u"ws://127.0.0.1:8080/"_s << u"ws://127.0.0.1:8080/"_s;
    }

    void urls()
    {
        QFETCH(QString, typed);
        QFETCH(QString, result);
        const Result<QUrl> r = ConnectErrors::parseUrl(typed);
        QCOMPARE(r ? r->toString() : r.error().message, result);
        if (!r)
            QVERIFY(!leaksLibraryText(r.error().message));
    }
};

QTEST_GUILESS_MAIN(tst_ConnectErrors)
#include "tst_connecterrors.moc"
