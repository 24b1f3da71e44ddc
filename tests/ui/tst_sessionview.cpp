#include "mainwindow.h"
#include "profiles/profilelistmodel.h"
#include "profiles/profilepanel.h"
#include "profiles/profilerepository.h"
#include "profiles/profilestore.h"
#include "server/builtinserver.h"
#include "session/sessionview.h"
#include "testhelpers.h"
#include "wire/handshakepanel.h"
#include "wire/tlspanel.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslKey>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QWebSocket>
#include <QWebSocketServer>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;

// A session tab as a user drives it: the real handshake in its panel, recording, trusting a certificate.
class tst_SessionView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void cleanupTestCase() { BuiltinServers::shutdown(); }

    void handshakePanelShowsTheRealHandshake()
    {
        SessionView view(Profile::builtinEcho());
        view.connectSession();
        QTRY_COMPARE(view.session()->state(), Session::State::Open);
        const QString summary = view.handshakePanel()->findChild<QLabel*>(u"handshakeSummary"_s)->text();
        QVERIFY2(summary.contains(u"101 Switching Protocols"_s), qPrintable(summary));
        QVERIFY(summary.contains(u"✓ matches"_s));
        // The built-in server's own 101 headers are there, as received.
        QVERIFY(view.session()->handshake().response.raw.contains("Server: wsinspector built-in server"));
    }

    void aPendingReconnectCanBeCancelled()
    {
        QTcpServer probe; // a port nobody listens on
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        Profile p;
        p.url = u"ws://127.0.0.1:%1/"_s.arg(probe.serverPort());
        probe.close();
        p.autoReconnect = true;
        SessionView view(p);
        auto* button = view.findChild<QPushButton*>(u"connectButton"_s);
        view.connectSession();
        QTRY_VERIFY(view.session()->isReconnectPending());
        QCOMPARE(button->text(), u"Disconnect"_s); // a reconnect is coming: offer to stop it
        button->click(); // the connection confirms through its event stream
        QTRY_VERIFY(!view.session()->isReconnectPending());
        QTRY_COMPARE(button->text(), u"Connect"_s);
    }

    void recordingWritesTheCaptureFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"session.jsonl"_s);
        SessionView view(Profile::builtinEcho());
        QCOMPARE(view.setRecording(path), QString());
        auto* record = view.findChild<QPushButton*>(u"recordButton"_s);
        QVERIFY(record->isChecked());
        view.connectSession();
        QTRY_COMPARE(view.session()->state(), Session::State::Open);
        QVERIFY(view.session()->sendText(u"recorded"_s).ok());
        QVERIFY(view.session()->close(1000, u"bye"_s).ok());
        QTRY_COMPARE(view.session()->state(), Session::State::Closed);
        QCOMPARE(view.setRecording(QString()), QString());
        QVERIFY(!record->isChecked());

        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QStringList events;
        bool sawText = false;
        for (const QByteArray& line : f.readAll().split('\n')) {
            if (line.isEmpty())
                continue;
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            QVERIFY2(!o.isEmpty(), line.constData());
            events << o.value(u"event"_s).toString();
            sawText |= o.value(u"event"_s) == u"frame"_s && o.value(u"text"_s) == u"recorded"_s;
        }
        QVERIFY(sawText);
        QVERIFY(events.contains(u"request"_s) && events.contains(u"response"_s) && events.contains(u"closed"_s));
    }

    void trustingACertificatePinsItSavesItAndConnects()
    {
        QTemporaryDir dir;
        const QString certPath = dir.filePath(u"cert.pem"_s), keyPath = dir.filePath(u"key.pem"_s);
        const QString made = wsi::test::makeSelfSignedCertificate(
            certPath, keyPath, u"/CN=untrusted.test"_s, { u"-addext"_s, u"subjectAltName=IP:127.0.0.1"_s });
        QVERIFY2(made.isEmpty(), qPrintable(made));
        QFile certFile(certPath), keyFile(keyPath);
        QVERIFY(certFile.open(QIODevice::ReadOnly) && keyFile.open(QIODevice::ReadOnly));
        QSslConfiguration config;
        config.setLocalCertificate(QSslCertificate(&certFile, QSsl::Pem));
        config.setPrivateKey(QSslKey(&keyFile, QSsl::Rsa, QSsl::Pem));
        QWebSocketServer server(u"tls"_s, QWebSocketServer::SecureMode);
        server.setSslConfiguration(config);
        QVERIFY(server.listen(QHostAddress::LocalHost));
        connect(&server, &QWebSocketServer::newConnection, this,
            [&] { server.nextPendingConnection()->setParent(&server); });

        MainWindow window;
        Profile profile;
        profile.name = u"TLS"_s;
        profile.url = u"wss://127.0.0.1:%1/"_s.arg(server.serverPort());
        profile = *window.profileRepository()->find(window.profileRepository()->add(profile));

        SessionView* view = window.openSession(profile, true);
        QTRY_COMPARE(view->session()->state(), Session::State::Failed);
        auto* trust = view->tlsPanel()->findChild<QPushButton*>(u"trustButton"_s);
        QVERIFY(!view->session()->handshake().tls.verified);
        QVERIFY(!trust->isHidden());
        const QString fingerprint = TlsPanel::fingerprint(view->session()->handshake().tls.peerChainPem.value(0));
        QVERIFY(!fingerprint.isEmpty());

        trust->click();
        QTRY_COMPARE_WITH_TIMEOUT(view->session()->state(), Session::State::Open, 10000);
        QVERIFY(view->session()->profile().tls.pinnedFingerprints.contains(fingerprint));
        // The pin is saved with the profile, so the next session trusts that certificate too.
        QVERIFY(window.profileRepository()->flush());
        ProfileStore reread;
        reread.load();
        bool saved = false;
        for (const Profile& p : reread.profiles())
            saved |= p.id == profile.id && p.tls.pinnedFingerprints.contains(fingerprint);
        QVERIFY(saved);
    }
};

QTEST_MAIN(tst_SessionView)
#include "tst_sessionview.moc"
