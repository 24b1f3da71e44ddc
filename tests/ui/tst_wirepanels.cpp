#include "testhelpers.h"
#include "wire/handshakepanel.h"
#include "wire/tlspanel.h"

#include <QLabel>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;

namespace {
HttpHead head(bool request, const QByteArray& raw)
{
    HttpHead h;
    h.isRequest = request;
    h.raw = raw;
    const QList<QByteArray> lines = raw.split('\n');
    const QList<QByteArray> first = lines.first().trimmed().split(' ');
    if (request) {
        h.method = first.value(0);
        h.target = first.value(1);
        h.version = first.value(2);
    } else {
        h.version = first.value(0);
        h.status = first.value(1).toInt();
        h.reason = lines.first().trimmed().mid(h.version.size() + 5);
    }
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            h.headers.append({ line.left(colon), line.mid(colon + 1).trimmed() });
    }
    return h;
}
} // namespace

class tst_WirePanels : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void acceptedHandshakeShowsBothHeadsAndTheCheck()
    {
        HandshakeInfo info;
        info.request = head(true,
            "GET /chat HTTP/1.1\r\nHost: example.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nX-Custom: a\r\n\r\n");
        info.response = head(false,
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSet-Cookie: id=1\r\n"
            "Sec-WebSocket-Protocol: chat\r\n\r\n");
        info.expectedAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";
        info.timings.dnsUs = 120;
        info.timings.tcpConnectUs = 2500;
        info.timings.upgradeUs = 15300;

        HandshakePanel panel;
        panel.setHandshake(info, QUrl(u"ws://example.test/chat"_s));
        const QString summary = panel.findChild<QLabel*>(u"handshakeSummary"_s)->text();
        QVERIFY2(summary.contains(u"101 Switching Protocols"_s), qPrintable(summary));
        QVERIFY(summary.contains(u"✓ matches"_s));
        QVERIFY(summary.contains(u"Subprotocol: chat"_s));
        QVERIFY(summary.contains(u"TCP connect 2.50 ms"_s));
        auto* requestTable = panel.findChild<QTableWidget*>(u"requestTable"_s);
        QCOMPARE(requestTable->rowCount(), 6);
        QCOMPARE(requestTable->item(5, 0)->text(), u"X-Custom"_s); // wire order
        auto* responseRaw = panel.findChild<QPlainTextEdit*>(u"responseRaw"_s);
        QVERIFY(responseRaw->toPlainText().contains(u"Set-Cookie: id=1 ↵"_s));

        info.expectedAccept = "AAAAAAAAAAAAAAAAAAAAAAAAAAA=";
        panel.setHandshake(info, QUrl(u"ws://example.test/chat"_s));
        QVERIFY(panel.findChild<QLabel*>(u"handshakeSummary"_s)
                    ->text()
                    .contains(u"expected AAAAAAAAAAAAAAAAAAAAAAAAAAA="_s));
    }

    void refusedUpgradeShowsStatusAuthAndBody()
    {
        HandshakeInfo info;
        info.response = head(false,
            "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer realm=\"api\"\r\n"
            "Content-Length: 12\r\n\r\n");
        info.response.body = "no token :-(";
        HandshakePanel panel;
        panel.setHandshake(info, QUrl(u"ws://example.test/"_s));
        const QString summary = panel.findChild<QLabel*>(u"handshakeSummary"_s)->text();
        QVERIFY(summary.contains(u"HTTP 401 Unauthorized"_s));
        QVERIFY(summary.contains(u"Bearer realm=&quot;api&quot;"_s));
        QVERIFY(panel.findChild<QPlainTextEdit*>(u"responseRaw"_s)->toPlainText().endsWith(u"no token :-("_s));
    }

    void redirectOffersARetryAtTheLocation()
    {
        HandshakeInfo info;
        info.response = head(false, "HTTP/1.1 301 Moved Permanently\r\nLocation: https://new.example.test/ws\r\n\r\n");
        HandshakePanel panel;
        panel.show();
        panel.setHandshake(info, QUrl(u"ws://example.test/old"_s));
        auto* retry = panel.findChild<QPushButton*>();
        QVERIFY(retry && retry->isVisible());
        QSignalSpy spy(&panel, &HandshakePanel::retryRequested);
        retry->click();
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.first().first().toUrl(), QUrl(u"wss://new.example.test/ws"_s));
    }

    void tlsChainAndFailedVerification()
    {
        QTemporaryDir dir;
        const QString cert = dir.filePath(u"cert.pem"_s);
        const QString made = wsi::test::makeSelfSignedCertificate(cert, dir.filePath(u"key.pem"_s),
            u"/CN=selfsigned.test"_s, { u"-addext"_s, u"subjectAltName=DNS:selfsigned.test,IP:127.0.0.1"_s });
        QVERIFY2(made.isEmpty(), qPrintable(made));
        QFile f(cert);
        QVERIFY(f.open(QIODevice::ReadOnly));

        TlsInfo info;
        info.protocol = u"TLS 1.3"_s;
        info.cipher = u"TLS_AES_256_GCM_SHA384"_s;
        info.peerChainPem = { f.readAll() };
        info.verified = false;
        info.verificationErrors = { u"The certificate is self-signed, and untrusted"_s };

        TlsPanel panel;
        panel.show();
        panel.setTlsInfo(info);
        const QString summary = panel.findChild<QLabel*>(u"tlsSummary"_s)->text();
        QVERIFY(summary.contains(u"TLS 1.3"_s));
        QVERIFY(summary.contains(u"self-signed"_s));
        auto* chain = panel.findChild<QTreeWidget*>(u"tlsChain"_s);
        QCOMPARE(chain->topLevelItemCount(), 1);
        QTreeWidgetItem* leaf = chain->topLevelItem(0);
        QCOMPARE(leaf->text(1), u"selfsigned.test"_s);
        bool sawSans = false;
        for (int i = 0; i < leaf->childCount(); ++i)
            sawSans |= leaf->child(i)->text(1).contains(u"DNS:selfsigned.test"_s);
        QVERIFY(sawSans);

        auto* trust = panel.findChild<QPushButton*>(u"trustButton"_s);
        QVERIFY(trust->isVisible());
        QSignalSpy spy(&panel, &TlsPanel::trustRequested);
        trust->click();
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.first().first().toString(), TlsPanel::fingerprint(info.peerChainPem.first()));
        QCOMPARE(spy.first().first().toString().count(u':'), 31); // 32 bytes of SHA-256

        info.verified = true;
        info.verificationErrors.clear();
        panel.setTlsInfo(info);
        QVERIFY(!trust->isVisible());
    }
};

QTEST_MAIN(tst_WirePanels)
#include "tst_wirepanels.moc"
