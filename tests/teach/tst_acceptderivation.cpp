#include "server/builtinserver.h"
#include "teach/acceptderivation.h"

#include <QSignalSpy>
#include <QTcpSocket>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;

class tst_AcceptDerivation : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rfcExample()
    {
        // RFC 6455 §1.3.
        const AcceptDerivation d = AcceptDerivation::derive("dGhlIHNhbXBsZSBub25jZQ==");
        QCOMPARE(d.accept, QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
        QCOMPARE(d.concatenated, QByteArray("dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11"));
        QCOMPARE(d.sha1.toHex(), QByteArray("b37a4f2cc0624f1690f64606cf385945b2bec4ea"));
        QCOMPARE(d.keyBytes, QByteArray("the sample nonce"));
        QVERIFY(d.keyProblems.isEmpty());
        const QStringList lines = d.explain("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        QVERIFY(lines.join(u'\n').contains(u"b3 7a 4f 2c"_s));
        QVERIFY(lines.last().startsWith(u"✓"_s));
        QVERIFY(d.explain("AAAAAAAAAAAAAAAAAAAAAAAAAAA=").last().startsWith(u"✗"_s));
        QVERIFY(d.explain(QByteArray()).last().contains(u"no Sec-WebSocket-Accept"_s));
        QVERIFY(!d.explain().last().startsWith(u"✓"_s)); // no response yet: no verdict
    }

    void badKeysAreNamed()
    {
        QVERIFY(AcceptDerivation::derive("").keyProblems.first().contains(u"empty"_s));
        QVERIFY(AcceptDerivation::derive("not base64!").keyProblems.first().contains(u"base64"_s));
        QVERIFY(AcceptDerivation::derive("c2hvcnQ=").keyProblems.first().contains(u"decodes to 5 byte"_s));
        // A malformed key still gets its value computed: a server hashes whatever it was given.
        QCOMPARE(AcceptDerivation::derive("c2hvcnQ=").accept.size(), 28);
    }

    // Random keys against a server nobody here wrote the accept code of: QWebSocketServer.
    void randomKeysMatchQtServer()
    {
        QString error;
        const QUrl url = BuiltinServers::resolve(u"builtin:echo"_s, &error);
        QVERIFY2(url.isValid(), qPrintable(error));
        for (int i = 0; i < 5; ++i) {
            const QByteArray key = AcceptDerivation::generateKey();
            QCOMPARE(key.size(), 24);
            QCOMPARE(QByteArray::fromBase64(key).size(), 16);
            QTcpSocket socket;
            socket.connectToHost(url.host(), quint16(url.port()));
            QVERIFY(socket.waitForConnected(5000));
            socket.write("GET /echo HTTP/1.1\r\nHost: " + url.authority().toLatin1()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                + "\r\nSec-WebSocket-Version: 13\r\n\r\n");
            QByteArray response;
            QTRY_VERIFY_WITH_TIMEOUT((response += socket.readAll()).contains("\r\n\r\n"), 5000);
            QByteArray accept;
            for (const QByteArray& line : response.split('\n')) {
                if (line.toLower().startsWith("sec-websocket-accept:"))
                    accept = line.mid(line.indexOf(':') + 1).trimmed();
            }
            QCOMPARE(AcceptDerivation::derive(key).accept, accept);
        }
        BuiltinServers::shutdown();
    }
};

QTEST_GUILESS_MAIN(tst_AcceptDerivation)
#include "tst_acceptderivation.moc"
