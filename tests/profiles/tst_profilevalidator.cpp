// Every bad profile input gets its own exact message, and a session with it sends nothing.
#include "profiles/profilevalidator.h"
#include "session/session.h"
#include "testhelpers.h"

#include <QJsonObject>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <functional>

using namespace Qt::StringLiterals;
using namespace wsi;

using Mutation = std::function<void(Profile&, const QString& dir)>;
Q_DECLARE_METATYPE(Mutation)

class tst_ProfileValidator : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QTcpServer m_server;

    Profile baseProfile() const
    {
        Profile p;
        p.name = u"test"_s;
        p.url = u"ws://127.0.0.1:%1/socket"_s.arg(m_server.serverPort());
        return p;
    }
    void writeFile(const QString& name, const QByteArray& data)
    {
        QFile f(m_dir.filePath(name));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(data);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(m_server.listen(QHostAddress::LocalHost, 0));
        writeFile(u"cert.pem"_s, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        writeFile(u"key.pem"_s, "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n");
        writeFile(u"notes.txt"_s, "just some text\n");
    }

    void init()
    {
        while (m_server.hasPendingConnections())
            delete m_server.nextPendingConnection();
    }

    void badInput_data()
    {
        QTest::addColumn<Mutation>("mutate");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("message");

        auto row = [](const char* name, Mutation m, const QString& field, const QString& message) {
            QTest::newRow(name) << m << field << message;
        };
        row(
            "url empty", [](Profile& p, const QString&) { p.url = u"  "_s; }, u"url"_s,
            u"URL is empty: enter a ws:// or wss:// address."_s);
        row(
            "url scheme ftp", [](Profile& p, const QString&) { p.url = u"ftp://127.0.0.1/"_s; }, u"url"_s,
            u"URL scheme \"ftp\" is not supported: use ws:// or wss://."_s);
        row(
            "url no scheme", [](Profile& p, const QString&) { p.url = u"127.0.0.1/x"_s; }, u"url"_s,
            u"URL \"127.0.0.1/x\" has no scheme: start it with ws:// or wss://."_s);
        row(
            "url host:port without scheme", [](Profile& p, const QString&) { p.url = u"127.0.0.1:8080"_s; }, u"url"_s,
            u"URL \"127.0.0.1:8080\" has no scheme: add ws:// in front (ws://127.0.0.1:8080), or wss:// for TLS."_s);
        row(
            "url name:port without scheme", [](Profile& p, const QString&) { p.url = u"localhost:8080/chat"_s; },
            u"url"_s,
            u"URL \"localhost:8080/chat\" has no scheme: add ws:// in front (ws://localhost:8080/chat), or wss:// for "
            "TLS."_s);
        row(
            "url with a space in the host", [](Profile& p, const QString&) { p.url = u"ws://exa mple.com/"_s; },
            u"url"_s,
            u"URL \"ws://exa mple.com/\" is not a valid address: check it for spaces, a stray character or a "
            "malformed host or port."_s);
        row(
            "url no host", [](Profile& p, const QString&) { p.url = u"ws:///path"_s; }, u"url"_s,
            u"URL \"ws:///path\" has no host: write it after two slashes, as in ws://127.0.0.1:8080/."_s);
        row(
            "url one slash", [](Profile& p, const QString&) { p.url = u"ws:/127.0.0.1:1"_s; }, u"url"_s,
            u"URL \"ws:/127.0.0.1:1\" has no host: write it after two slashes, as in ws://127.0.0.1:8080/."_s);
        row(
            "url unclosed bracket", [](Profile& p, const QString&) { p.url = u"wss://[::1"_s; }, u"url"_s,
            u"URL \"wss://[::1\" has an unclosed \"[\": an IPv6 address goes between [ and ], as in "
            "ws://[::1]:8080/."_s);
        row(
            "url junk after bracket", [](Profile& p, const QString&) { p.url = u"ws://[::1]x/"_s; }, u"url"_s,
            u"URL \"ws://[::1]x/\" has \"x\" after the IPv6 address: only a colon and a port may follow \"]\", as "
            "in ws://[::1]:8080/."_s);
        row(
            "url colon without port", [](Profile& p, const QString&) { p.url = u"ws://127.0.0.1:/"_s; }, u"url"_s,
            u"URL \"ws://127.0.0.1:/\" has a colon but no port after it: add the port (as in :8080) or remove the "
            "colon."_s);
        row(
            "url ipv6 colon without port", [](Profile& p, const QString&) { p.url = u"ws://[::1]:/"_s; }, u"url"_s,
            u"URL \"ws://[::1]:/\" has a colon but no port after it: add the port (as in :8080) or remove the "
            "colon."_s);
        row(
            "url host colon without scheme", [](Profile& p, const QString&) { p.url = u"localhost:"_s; }, u"url"_s,
            u"\"localhost:\" has a colon but no port after it: type the port, as in localhost:8080, or remove the "
            "colon."_s);
        row(
            "url port 0", [](Profile& p, const QString&) { p.url = u"ws://127.0.0.1:0/"_s; }, u"url"_s,
            u"URL port \"0\" is out of range: use a port from 1 to 65535."_s);
        row(
            "url port 65536", [](Profile& p, const QString&) { p.url = u"ws://127.0.0.1:65536/"_s; }, u"url"_s,
            u"URL port \"65536\" is out of range: use a port from 1 to 65535."_s);
        row(
            "url port letters", [](Profile& p, const QString&) { p.url = u"ws://127.0.0.1:8o/"_s; }, u"url"_s,
            u"URL port \"8o\" is not a number: use digits only, a port from 1 to 65535."_s);
        row(
            "url port word", [](Profile& p, const QString&) { p.url = u"ws://h:abc/"_s; }, u"url"_s,
            u"URL port \"abc\" is not a number: use digits only, a port from 1 to 65535."_s);
        row(
            "url ipv6 port 99999", [](Profile& p, const QString&) { p.url = u"ws://[::1]:99999/"_s; }, u"url"_s,
            u"URL port \"99999\" is out of range: use a port from 1 to 65535."_s);
        row(
            "header name empty",
            [](Profile& p, const QString&) {
                p.headers = { { u""_s, u"v"_s } };
            },
            u"headers[0].name"_s, u"Header 1 has no name."_s);
        row(
            "header name space",
            [](Profile& p, const QString&) {
                p.headers = { { u"X-A"_s, u"1"_s }, { u"X B"_s, u"v"_s } };
            },
            u"headers[1].name"_s,
            u"Header 2 name \"X B\" is not a valid HTTP token: use letters, digits and !#$%&'*+-.^_`|~ (no spaces, "
            "colons or other separators)."_s);
        row(
            "header name colon",
            [](Profile& p, const QString&) {
                p.headers = { { u"X:A"_s, u"v"_s } };
            },
            u"headers[0].name"_s,
            u"Header 1 name \"X:A\" is not a valid HTTP token: use letters, digits and !#$%&'*+-.^_`|~ (no spaces, "
            "colons or other separators)."_s);
        row(
            "header value LF",
            [](Profile& p, const QString&) {
                p.headers = { { u"X-A"_s, u"a\nInjected: yes"_s } };
            },
            u"headers[0].value"_s,
            u"Header \"X-A\" value contains a line break (CR or LF): it would inject extra header lines."_s);
        row(
            "header value CR",
            [](Profile& p, const QString&) {
                p.headers = { { u"X-A"_s, u"a\rb"_s } };
            },
            u"headers[0].value"_s,
            u"Header \"X-A\" value contains a line break (CR or LF): it would inject extra header lines."_s);
        row(
            "header value NUL",
            [](Profile& p, const QString&) {
                p.headers = { { u"X-A"_s, QString(u"a"_s + QChar(0) + u"b"_s) } };
            },
            u"headers[0].value"_s, u"Header \"X-A\" value contains a NUL character, which HTTP does not allow."_s);
        row(
            "header Host",
            [](Profile& p, const QString&) {
                p.headers = { { u"host"_s, u"evil"_s } };
            },
            u"headers[0].name"_s,
            u"Header \"host\" is refused: the handshake sets Host from the URL, and Qt would send a second copy."_s);
        const char* owned[] = { "Upgrade", "Connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version" };
        for (const char* name : owned) {
            const QString n = QString::fromLatin1(name);
            QTest::newRow(qPrintable(u"header "_s + n))
                << Mutation([n](Profile& p, const QString&) {
                       p.headers = { { n, u"x"_s } };
                   })
                << u"headers[0].name"_s
                << u"Header \"%1\" is refused: the WebSocket handshake sets it itself, and Qt would send a second copy."_s
                       .arg(n);
        }
        row(
            "header Sec-WebSocket-Accept",
            [](Profile& p, const QString&) {
                p.headers = { { u"Sec-WebSocket-Accept"_s, u"x"_s } };
            },
            u"headers[0].name"_s,
            u"Header \"Sec-WebSocket-Accept\" is refused: it belongs to the server's response, not to a client request."_s);
        row(
            "header Sec-WebSocket-Extensions",
            [](Profile& p, const QString&) {
                p.headers = { { u"Sec-WebSocket-Extensions"_s, u"permessage-deflate"_s } };
            },
            u"headers[0].name"_s,
            u"Header \"Sec-WebSocket-Extensions\" is refused: the server would compress frames this client cannot "
            u"read, "
            "and the connection would fail with close code 1002."_s);
        row(
            "subprotocol empty",
            [](Profile& p, const QString&) {
                p.subprotocols = { u"a"_s, u""_s };
            },
            u"subprotocols[1]"_s, u"Subprotocol 2 is empty."_s);
        row(
            "subprotocol not token", [](Profile& p, const QString&) { p.subprotocols = { u"chat v1"_s }; },
            u"subprotocols[0]"_s,
            u"Subprotocol \"chat v1\" is not a valid token: no spaces, commas or other separators."_s);
        row(
            "subprotocol comma", [](Profile& p, const QString&) { p.subprotocols = { u"a,b"_s }; },
            u"subprotocols[0]"_s,
            u"Subprotocol \"a,b\" is not a valid token: no spaces, commas or other separators."_s);
        row(
            "subprotocol duplicate",
            [](Profile& p, const QString&) {
                p.subprotocols = { u"chat"_s, u"chat"_s };
            },
            u"subprotocols[1]"_s, u"Subprotocol \"chat\" is listed twice."_s);
        row(
            "subprotocol duplicate via header",
            [](Profile& p, const QString&) {
                p.subprotocols = { u"chat"_s };
                p.headers = { { u"Sec-WebSocket-Protocol"_s, u"x y"_s } };
            },
            u"subprotocols"_s, u"Subprotocol \"x y\" is not a valid token: no spaces, commas or other separators."_s);
        row(
            "timeout 99", [](Profile& p, const QString&) { p.handshakeTimeoutMs = 99; }, u"timeout"_s,
            u"Handshake timeout 99 ms is out of range: use 100 ms to 600000 ms (10 minutes)."_s);
        row(
            "timeout 600001", [](Profile& p, const QString&) { p.handshakeTimeoutMs = 600001; }, u"timeout"_s,
            u"Handshake timeout 600001 ms is out of range: use 100 ms to 600000 ms (10 minutes)."_s);
        row(
            "keep-alive 50", [](Profile& p, const QString&) { p.keepAlivePingMs = 50; }, u"keepAlive"_s,
            u"Keep-alive interval 50 ms is out of range: use 0 (off) or 100 ms to 3600000 ms (1 hour)."_s);
        row(
            "max size 0", [](Profile& p, const QString&) { p.maxIncomingMessageSize = 0; }, u"maxMessageSize"_s,
            u"Maximum message size 0 bytes is out of range: use 1 to 2147483646 bytes."_s);
        row(
            "max size too big", [](Profile& p, const QString&) { p.maxIncomingMessageSize = 2147483647; },
            u"maxMessageSize"_s,
            u"Maximum message size 2147483647 bytes is out of range: use 1 to 2147483646 bytes."_s);
        row(
            "origin with path", [](Profile& p, const QString&) { p.origin = u"https://example.com/app"_s; },
            u"origin"_s,
            u"Origin \"https://example.com/app\" is not a valid origin: use scheme://host[:port] without a path, e.g. "
            "https://example.com."_s);
        row(
            "origin no scheme", [](Profile& p, const QString&) { p.origin = u"example.com"_s; }, u"origin"_s,
            u"Origin \"example.com\" is not a valid origin: use scheme://host[:port] without a path, e.g. "
            "https://example.com."_s);
        row(
            "proxy http no host",
            [](Profile& p, const QString&) {
                p.proxy.type = ProxySettings::Type::Http;
                p.proxy.port = 3128;
            },
            u"proxy.host"_s, u"Proxy host is empty: a HTTP proxy needs a host name or address."_s);
        row(
            "proxy socks5 no port",
            [](Profile& p, const QString&) {
                p.proxy.type = ProxySettings::Type::Socks5;
                p.proxy.host = u"127.0.0.1"_s;
            },
            u"proxy.port"_s, u"Proxy port is 0: a SOCKS5 proxy needs a port from 1 to 65535."_s);
        row(
            "proxy bad host",
            [](Profile& p, const QString&) {
                p.proxy.type = ProxySettings::Type::Http;
                p.proxy.host = u"proxy host"_s;
                p.proxy.port = 3128;
            },
            u"proxy.host"_s, u"Proxy host \"proxy host\" is not a host name or address."_s);
        row(
            "ca missing", [](Profile& p, const QString& d) { p.tls.caFile = d + u"/missing.pem"_s; }, u"tls.caFile"_s,
            u"CA file \"%DIR%/missing.pem\" does not exist."_s);
        row(
            "ca folder", [](Profile& p, const QString& d) { p.tls.caFile = d; }, u"tls.caFile"_s,
            u"CA file \"%DIR%\" is a folder, not a file."_s);
        row(
            "ca not pem", [](Profile& p, const QString& d) { p.tls.caFile = d + u"/notes.txt"_s; }, u"tls.caFile"_s,
            u"CA file \"%DIR%/notes.txt\" holds no PEM certificate (-----BEGIN CERTIFICATE-----)."_s);
        row(
            "cert without key", [](Profile& p, const QString& d) { p.tls.certFile = d + u"/cert.pem"_s; },
            u"tls.keyFile"_s,
            u"A client certificate is set but no key file: choose the certificate's private key (PEM)."_s);
        row(
            "key without cert", [](Profile& p, const QString& d) { p.tls.keyFile = d + u"/key.pem"_s; },
            u"tls.certFile"_s, u"A key file is set but no client certificate: choose the certificate (PEM)."_s);
        row(
            "key not pem",
            [](Profile& p, const QString& d) {
                p.tls.certFile = d + u"/cert.pem"_s;
                p.tls.keyFile = d + u"/cert.pem"_s;
            },
            u"tls.keyFile"_s, u"Key file \"%DIR%/cert.pem\" holds no PEM private key (-----BEGIN PRIVATE KEY-----)."_s);
        row(
            "cert not pem",
            [](Profile& p, const QString& d) {
                p.tls.certFile = d + u"/notes.txt"_s;
                p.tls.keyFile = d + u"/key.pem"_s;
            },
            u"tls.certFile"_s,
            u"Client certificate file \"%DIR%/notes.txt\" holds no PEM certificate (-----BEGIN CERTIFICATE-----)."_s);
        row(
            "deflate server window 20",
            [](Profile& p, const QString&) {
                p.perMessageDeflate = true;
                p.deflateOffer.serverMaxWindowBits = 20;
            },
            u"deflate.serverMaxWindowBits"_s,
            u"Deflate parameter server_max_window_bits=20 is out of range: use 8 to 15, or leave it out."_s);
        row(
            "deflate client window 7",
            [](Profile& p, const QString&) {
                p.perMessageDeflate = true;
                p.deflateOffer.clientMaxWindowBits = 7;
            },
            u"deflate.clientMaxWindowBits"_s,
            u"Deflate parameter client_max_window_bits=7 is out of range: use 8 to 15, no value (the server chooses), "
            u"or leave it out."_s);
    }

    void badInput()
    {
        QFETCH(Mutation, mutate);
        QFETCH(QString, field);
        QFETCH(QString, message);
        message.replace(u"%DIR%"_s, m_dir.path());
        Profile p = baseProfile();
        mutate(p, m_dir.path());

        const ConnectionPlan plan = ProfileValidator::validate(p);
        QCOMPARE(plan.errors.size(), 1);
        QCOMPARE(plan.errors.first().field, field);
        QCOMPARE(plan.errors.first().message, message);

        // Through the engine: the session fails with that message and nothing reaches the server.
        Session session(p);
        session.open();
        QVERIFY(wsi::test::waitForState(&session, Session::State::Failed));
        QCOMPARE(session.stateReason(), message);
        QTest::qWait(150);
        QVERIFY(!m_server.hasPendingConnections());
    }

    // The control for badInput(): the same server does see a connection from a valid profile,
    // so "no pending connection" above really means nothing was sent.
    void validProfileReachesServer()
    {
        Profile p = baseProfile();
        p.headers = { { u"X-Fine"_s, u"value with spaces, commas; and \"quotes\""_s } };
        p.subprotocols = { u"chat.v1"_s };
        p.origin = u"https://example.com:8443"_s;
        p.tls.certFile = m_dir.filePath(u"cert.pem"_s);
        p.tls.keyFile = m_dir.filePath(u"key.pem"_s);
        QVERIFY2(ProfileValidator::validate(p).ok(), qPrintable(ProfileValidator::validate(p).firstError()));
        Session session(p);
        session.open();
        QTRY_VERIFY(m_server.hasPendingConnections());
    }

    void notices_data()
    {
        QTest::addColumn<Mutation>("mutate");
        QTest::addColumn<QString>("notice");
        QTest::addColumn<QString>("url");
        QTest::addColumn<QStringList>("subprotocols");

        QTest::newRow("http to ws") << Mutation([](Profile& p, const QString&) { p.url = u"http://example.com/a"_s; })
                                    << u"URL scheme http:// was changed to ws://."_s << u"ws://example.com/a"_s
                                    << QStringList();
        QTest::newRow("https to wss") << Mutation([](Profile& p, const QString&) { p.url = u"HTTPS://example.com"_s; })
                                      << u"URL scheme https:// was changed to wss://."_s << u"wss://example.com/"_s
                                      << QStringList();
        QTest::newRow("query without path")
            << Mutation([](Profile& p, const QString&) { p.url = u"ws://example.com?x=1"_s; })
            << u"URL has a query but no path: the path \"/\" was added."_s << u"ws://example.com/?x=1"_s
            << QStringList();
        QTest::newRow("protocol header moved") << Mutation([](Profile& p, const QString&) {
            p.url = u"ws://example.com/"_s;
            p.subprotocols = { u"a"_s };
            p.headers = { { u"sec-websocket-protocol"_s, u"b, c ,a"_s } };
        }) << u"Header Sec-WebSocket-Protocol was moved into the subprotocol list: b, c, a."_s
                                               << u"ws://example.com/"_s << QStringList { u"a"_s, u"b"_s, u"c"_s };
    }

    void notices()
    {
        QFETCH(Mutation, mutate);
        QFETCH(QString, notice);
        QFETCH(QString, url);
        QFETCH(QStringList, subprotocols);
        Profile p = baseProfile();
        mutate(p, m_dir.path());
        const ConnectionPlan plan = ProfileValidator::validate(p);
        QVERIFY2(plan.ok(), qPrintable(plan.firstError()));
        QCOMPARE(plan.notices, QStringList { notice });
        QCOMPARE(plan.url.toString(), url);
        QCOMPARE(plan.subprotocols, subprotocols);
        QVERIFY(plan.headers.isEmpty()); // the protocol header is not sent a second time
    }

    void validUrls_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("planned");
        QTest::newRow("ipv6 with port") << u"ws://[::1]:8080/x"_s << u"ws://[::1]:8080/x"_s;
        QTest::newRow("port 1") << u"ws://127.0.0.1:1"_s << u"ws://127.0.0.1:1/"_s;
        QTest::newRow("port 65535") << u"wss://example.com:65535/a?b=c"_s << u"wss://example.com:65535/a?b=c"_s;
        QTest::newRow("user info") << u"wss://me@example.com/"_s << u"wss://me@example.com/"_s;
        QTest::newRow("builtin") << u"builtin:push?interval=10"_s << u"builtin:push?interval=10"_s;
    }

    void validUrls()
    {
        QFETCH(QString, url);
        QFETCH(QString, planned);
        Profile p;
        p.url = url;
        const ConnectionPlan plan = ProfileValidator::validate(p);
        QVERIFY2(plan.ok(), qPrintable(plan.firstError()));
        QCOMPARE(plan.url.toString(), planned);
    }

    void normalizedMovesProtocolHeader()
    {
        Profile p = baseProfile();
        p.url = u"http://example.com?q=1"_s;
        p.headers = { { u"X-A"_s, u"1"_s }, { u"Sec-WebSocket-Protocol"_s, u"mqtt, wamp"_s } };
        const Profile n = ProfileValidator::normalized(p);
        QCOMPARE(n.url, u"ws://example.com/?q=1"_s);
        QCOMPARE(n.headers.size(), 1);
        QCOMPARE(n.headers.first().name, u"X-A"_s);
        QCOMPARE(n.subprotocols, (QStringList { u"mqtt"_s, u"wamp"_s }));
        QVERIFY(ProfileValidator::validate(n).notices.isEmpty());
    }

    void deflateOfferCheckedOnlyWhenOn()
    {
        Profile p = baseProfile();
        p.deflateOffer.serverMaxWindowBits = 20;
        QVERIFY2(ProfileValidator::validate(p).ok(), "an offer that is not sent is not an error");
        p.perMessageDeflate = true;
        QCOMPARE(ProfileValidator::validate(p).errorsFor(u"deflate.serverMaxWindowBits"_s).size(), 1);
        p.deflateOffer.serverMaxWindowBits = 15;
        p.deflateOffer.clientMaxWindowBits = 8;
        QVERIFY2(ProfileValidator::validate(p).ok(), qPrintable(ProfileValidator::validate(p).firstError()));
    }

    void disabledHeaderIsNotChecked()
    {
        Profile p = baseProfile();
        p.headers = { { u"Host"_s, u"a\nb"_s, false } };
        QVERIFY(ProfileValidator::validate(p).ok());
        QVERIFY(ProfileValidator::validate(p).headers.isEmpty());
    }

    // Regression (fuzz_profile): numbers far outside qint64 in profiles.json were converted with
    // undefined behaviour; now they load as out of range and the validator says so.
    void hugeMessageSizeInTheFileIsNamed_data()
    {
        QTest::addColumn<double>("stored");
        QTest::addColumn<QString>("message");
        QTest::newRow("1e300")
            << 1e300 << u"Maximum message size 2147483647 bytes is out of range: use 1 to 2147483646 bytes."_s;
        QTest::newRow("-1e300") << -1e300
                                << u"Maximum message size -1 bytes is out of range: use 1 to 2147483646 bytes."_s;
    }

    void hugeMessageSizeInTheFileIsNamed()
    {
        QFETCH(double, stored);
        QFETCH(QString, message);
        QJsonObject o = baseProfile().toJson();
        o[u"maxIncomingMessageSize"_s] = stored;
        const ConnectionPlan plan = ProfileValidator::validate(Profile::fromJson(o));
        QCOMPARE(plan.errorsFor(u"maxMessageSize"_s), QStringList { message });
    }

    // Regression (fuzz_profile): a window size far outside int was converted before its range check.
    void hugeDeflateWindowBitsFallBackToTheDefault()
    {
        QJsonObject o = baseProfile().toJson();
        o[u"deflate"_s] = QJsonObject { { u"clientMaxWindowBits"_s, 1e300 }, { u"serverMaxWindowBits"_s, -1e300 } };
        const Profile p = Profile::fromJson(o);
        const DeflateParams defaults;
        QCOMPARE(p.deflateOffer.clientMaxWindowBits, defaults.clientMaxWindowBits);
        QCOMPARE(p.deflateOffer.serverMaxWindowBits,
            Profile::fromJson(baseProfile().toJson()).deflateOffer.serverMaxWindowBits);
    }

    void names()
    {
        QCOMPARE(ProfileValidator::checkName(u"  "_s, {}), u"Profile name is empty: give the profile a name."_s);
        QCOMPARE(ProfileValidator::checkName(u"Prod"_s, { u"prod"_s }),
            u"Profile name \"Prod\" is already used by another profile."_s);
        QVERIFY(ProfileValidator::checkName(u"Prod"_s, { u"Staging"_s }).isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_ProfileValidator)
#include "tst_profilevalidator.moc"
