// The everyday loop as a user drives it: type an address and press Enter, save the connection as
// a profile, keep every change on disk while tabs and the editor work on the same profile, trust
// a certificate and find it trusted after a restart.
#include "mainwindow.h"
#include "profiles/profileeditor.h"
#include "profiles/profilelistmodel.h"
#include "profiles/profilepanel.h"
#include "profiles/profilerepository.h"
#include "profiles/profilestore.h"
#include "scriptedserver.h"
#include "send/sendpanel.h"
#include "server/builtinserver.h"
#include "session/sessionview.h"
#include "settings/appsettings.h"
#include "testhelpers.h"
#include "tlstestserver.h"
#include "wire/handshakepanel.h"
#include "wire/tlspanel.h"

#include <QCompleter>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSslCertificate>
#include <QSslKey>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QWebSocket>
#include <QWebSocketServer>
#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace wsi;

namespace {

using TlsServer = test::TlsTestServer;

// A plain ws:// server on 127.0.0.1 that counts its connections.
struct PlainServer
{
    QWebSocketServer server { u"plain"_s, QWebSocketServer::NonSecureMode };
    int accepted = 0;
    PlainServer()
    {
        server.listen(QHostAddress::LocalHost);
        QObject::connect(&server, &QWebSocketServer::newConnection, &server, [this] {
            ++accepted;
            server.nextPendingConnection()->setParent(&server);
        });
    }
    QString hostPort() const { return u"127.0.0.1:%1"_s.arg(server.serverPort()); }
};

} // namespace

class tst_Workbench : public QObject
{
    Q_OBJECT

    QString m_path;

    // The profile as profiles.json holds it now.
    Profile onDisk(const QString& id) const
    {
        ProfileStore store;
        store.load();
        for (const Profile& p : store.profiles()) {
            if (p.id == id)
                return p;
        }
        return {};
    }
    static Profile savedProfile(MainWindow& window, const QString& name, const QString& url)
    {
        Profile p;
        p.name = name;
        p.url = url;
        const QString id = window.profileRepository()->add(p);
        return *window.profileRepository()->find(id);
    }
    static bool sendText(SessionView* view, const QString& text)
    {
        view->sendPanel()->setText(text);
        return view->sendPanel()->send();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qunsetenv("DBUS_SESSION_BUS_ADDRESS"); // secrets in the file: no keychain round trips
        m_path = ProfileStore::defaultFilePath();
    }
    void init() { QFile::remove(m_path); }
    void cleanupTestCase() { BuiltinServers::shutdown(); }

    void typingAnAddressAndEnterConnects()
    {
        PlainServer first, second;
        QVERIFY(first.server.isListening() && second.server.isListening());
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        SessionView* view = window.newConnection();
        QLineEdit* address = view->addressBar();
        QVERIFY(!address->isReadOnly());
        QTRY_VERIFY(address->hasFocus()); // Ctrl+T: ready to type
        QVERIFY(!view->isSavedProfile());

        // Something that is not an address: said in plain words, nothing is sent.
        QTest::keyClicks(address, u"ftp://example.com"_s);
        QTest::keyClick(address, Qt::Key_Return);
        QCOMPARE(view->addressMessage(), u"URL scheme \"ftp\" is not supported: use ws:// or wss://."_s);
        QCOMPARE(view->session()->state(), Session::State::Idle);

        // host:port as a server prints it: taken as ws:// with a notice, and connected.
        address->clear();
        QTest::keyClicks(address, first.hostPort());
        QTest::keyClick(address, Qt::Key_Return);
        QTRY_COMPARE(view->session()->state(), Session::State::Open);
        QCOMPARE(first.accepted, 1);
        QCOMPARE(address->text(), u"ws://%1/"_s.arg(first.hostPort()));
        QVERIFY2(view->addressMessage().contains(u"has no scheme: taken as ws://%1"_s.arg(first.hostPort())),
            qPrintable(view->addressMessage()));
        QVERIFY(!view->addressMessage().contains(u"Relative URL"_s));

        // Another address while connected: Enter reconnects there.
        address->setFocus();
        address->selectAll();
        QTest::keyClicks(address, u"ws://%1/other"_s.arg(second.hostPort()));
        QTest::keyClick(address, Qt::Key_Return);
        QTRY_COMPARE(second.accepted, 1);
        QTRY_COMPARE(view->session()->state(), Session::State::Open);
        QCOMPARE(view->session()->connectedUrl().port(), second.server.serverPort());
        QCOMPARE(first.accepted, 1);
        QCOMPARE(view->title(), u"ws://%1/other"_s.arg(second.hostPort())); // an unsaved tab is named by its address

        // The address is remembered for completion in the next tab.
        SessionView* next = window.newConnection();
        auto* completionModel = next->addressBar()->completer()->model();
        QStringList offered;
        for (int r = 0; r < completionModel->rowCount(); ++r)
            offered << completionModel->index(r, 0).data().toString();
        QVERIFY(offered.contains(u"ws://%1/other"_s.arg(second.hostPort())));
    }

    // A tab already open completes an address typed in another one (audit 15: each tab loaded
    // the list once, when it opened).
    void anAddressCompletesInTabsAlreadyOpen()
    {
        PlainServer server;
        MainWindow window;
        SessionView* typedIn = window.newConnection();
        SessionView* other = window.newConnection();
        const QString url = u"ws://%1/shared"_s.arg(server.hostPort());
        typedIn->addressBar()->setText(url);
        QVERIFY(typedIn->goToAddress());
        const QAbstractItemModel* completionModel = other->addressBar()->completer()->model();
        QStringList offered;
        for (int r = 0; r < completionModel->rowCount(); ++r)
            offered << completionModel->index(r, 0).data().toString();
        QVERIFY2(offered.contains(url), qPrintable(offered.join(u", "_s)));
        // ... and through the typed settings, for the next start.
        QCOMPARE(AppSettings::recentAddresses().value(0), url);
    }

    // One Connect/Disconnect per tab (the address bar's): the Settings page offers only "Reconnect
    // with these settings", and only while a connection runs on settings that were changed since.
    void theSettingsPageOffersAReconnectOnlyForChangedSettings()
    {
        PlainServer server;
        MainWindow window;
        SessionView* view = window.newConnection();
        view->addressBar()->setText(u"ws://"_s + server.hostPort() + u"/"_s);
        QVERIFY(view->goToAddress());
        QTRY_COMPARE(view->session()->state(), Session::State::Open);
        ProfileEditor* settings = view->settingsEditor();
        QVERIFY(settings);
        auto* offer = settings->findChild<QPushButton*>(u"connectButton"_s);
        QVERIFY(offer);
        QVERIFY(offer->isHidden()); // nothing changed: the address bar's Disconnect is the one button

        settings->findChild<QSpinBox*>(u"timeoutSpin"_s)->setValue(4321);
        QTRY_COMPARE(view->session()->profile().handshakeTimeoutMs, 4321);
        QVERIFY(!offer->isHidden());
        QCOMPARE(offer->text(), u"Reconnect with these settings"_s);
        offer->click();
        QTRY_COMPARE(server.accepted, 2);
        QTRY_COMPARE(view->session()->state(), Session::State::Open);
        QVERIFY(offer->isHidden()); // running on these settings now

        QVERIFY(view->session()->close(1000, {}).ok());
        QTRY_COMPARE(view->session()->state(), Session::State::Closed);
        settings->findChild<QSpinBox*>(u"timeoutSpin"_s)->setValue(5432);
        QTRY_COMPARE(view->session()->profile().handshakeTimeoutMs, 5432);
        QVERIFY(offer->isHidden()); // closed: the next Connect uses them anyway
    }

    void anUnsavedTabIsSavedAsAProfile()
    {
        PlainServer server;
        MainWindow window;
        SessionView* view = window.newConnection();
        ProfileEditor* settings = view->settingsEditor();
        QVERIFY(settings); // an unsaved connection is edited in place
        view->addressBar()->setText(server.hostPort());
        QVERIFY(view->goToAddress());
        QTRY_COMPARE(view->session()->state(), Session::State::Open);
        // The settings page shows the address, and what is typed there is this tab's setting.
        auto* origin = settings->findChild<QLineEdit*>(u"originEdit"_s);
        QCOMPARE(settings->findChild<QLineEdit*>(u"urlEdit"_s)->text(), u"ws://%1/"_s.arg(server.hostPort()));
        origin->setText(u"https://app.example"_s);
        QCOMPARE(view->session()->profile().origin, u"https://app.example"_s);

        const Result<QString> id = view->saveAsProfile(u"My server"_s);
        QVERIFY2(id.ok(), qPrintable(id.errorMessage()));
        QVERIFY(view->isSavedProfile());
        QVERIFY(!view->settingsEditor()); // edited in the profile editor from now on
        QCOMPARE(view->title(), u"My server"_s);
        QCOMPARE(window.profilePanel()->model()->profileAt(window.profilePanel()->currentRow()).id, *id);
        QTRY_COMPARE(onDisk(*id).name, u"My server"_s);
        const Profile saved = onDisk(*id);
        QCOMPARE(saved.url, u"ws://%1/"_s.arg(server.hostPort()));
        QCOMPARE(saved.origin, u"https://app.example"_s);
    }

    // Review finding: the settings page merged every change against the profile it was opened with,
    // so a field changed and then changed back to its first value kept the changed value.
    void anUnsavedTabTakesAFieldChangedBack()
    {
        MainWindow window;
        SessionView* view = window.newConnection();
        ProfileEditor* settings = view->settingsEditor();
        QVERIFY(settings);
        settings->findChild<QLineEdit*>(u"urlEdit"_s)->setText(u"ws://127.0.0.1:9/"_s); // valid: applied as typed
        QCOMPARE(view->session()->profile().url, u"ws://127.0.0.1:9/"_s);
        auto* origin = settings->findChild<QLineEdit*>(u"originEdit"_s);
        auto* timeout = settings->findChild<QSpinBox*>(u"timeoutSpin"_s);
        QVERIFY(origin && timeout);
        const int firstTimeout = view->session()->profile().handshakeTimeoutMs;

        origin->setText(u"https://a.example"_s);
        timeout->setValue(firstTimeout + 500);
        QCOMPARE(view->session()->profile().origin, u"https://a.example"_s);
        QCOMPARE(view->session()->profile().handshakeTimeoutMs, firstTimeout + 500);

        // Back to the values the page started with: the next connection uses them.
        origin->setText(QString());
        timeout->setValue(firstTimeout);
        QCOMPARE(view->session()->profile().origin, QString());
        QCOMPARE(view->session()->profile().handshakeTimeoutMs, firstTimeout);

        // And once more away and back after an outside change (a typed address).
        origin->setText(u"https://b.example"_s);
        view->addressBar()->setText(u"ws://127.0.0.1:10/"_s);
        QVERIFY(view->goToAddress());
        origin->setText(QString());
        QCOMPARE(view->session()->profile().origin, QString());
        QCOMPARE(view->session()->profile().url, u"ws://127.0.0.1:10/"_s);
    }

    void savingInTheEditorThenSendingInTheTabKeepsTheEdit()
    {
        // Data loss (a): a tab pushed its stale profile back after each send.
        MainWindow window;
        const Profile profile = savedProfile(window, u"Echo"_s, u"builtin:echo"_s);
        SessionView* view = window.openSession(profile, true);
        QTRY_COMPARE(view->session()->state(), Session::State::Open);

        ProfilePanel* panel = window.profilePanel();
        QVERIFY(panel->selectProfile(profile.id));
        panel->editor()->findChild<QLineEdit*>(u"originEdit"_s)->setText(u"https://edited.example"_s);
        QVERIFY(panel->editor()->save());

        QVERIFY(sendText(view, u"after the edit"_s));
        QTRY_VERIFY(onDisk(profile.id).sendHistory.contains(u"after the edit"_s));
        const Profile saved = onDisk(profile.id);
        QCOMPARE(saved.origin, u"https://edited.example"_s);
        // The tab follows the saved profile too: its next connection uses the edit.
        QCOMPARE(view->session()->profile().origin, u"https://edited.example"_s);
    }

    void sendingInATabKeepsUnsavedEditsInTheEditor()
    {
        // Data loss (b): a send reset the editor and wiped what the user was typing.
        MainWindow window;
        const Profile profile = savedProfile(window, u"Echo"_s, u"builtin:echo"_s);
        SessionView* view = window.openSession(profile, true);
        QTRY_COMPARE(view->session()->state(), Session::State::Open);
        ProfilePanel* panel = window.profilePanel();
        QVERIFY(panel->selectProfile(profile.id));
        auto* origin = panel->editor()->findChild<QLineEdit*>(u"originEdit"_s);
        origin->setText(u"https://typing.example"_s);
        QVERIFY(panel->editor()->isModified());

        QVERIFY(sendText(view, u"while typing"_s));
        QTRY_VERIFY(onDisk(profile.id).sendHistory.contains(u"while typing"_s));
        QCOMPARE(origin->text(), u"https://typing.example"_s); // still there, still unsaved
        QVERIFY(panel->editor()->isModified());
        QVERIFY(panel->editor()->conflicts().isEmpty());

        QVERIFY(panel->editor()->save());
        QTRY_COMPARE(onDisk(profile.id).origin, u"https://typing.example"_s);
        QVERIFY(onDisk(profile.id).sendHistory.contains(u"while typing"_s)); // the save kept the history
    }

    void twoTabsOfOneProfileKeepEachOthersSavedMessages()
    {
        MainWindow window;
        const Profile profile = savedProfile(window, u"Shared"_s, u"builtin:echo"_s);
        SessionView* first = window.openSession(profile, false);
        SessionView* second = window.openSession(profile, false);
        first->sendPanel()->setText(u"from the first tab"_s);
        first->sendPanel()->saveCurrentMessage(u"first"_s);
        second->sendPanel()->setText(u"from the second tab"_s);
        second->sendPanel()->saveCurrentMessage(u"second"_s);
        QCOMPARE(first->sendPanel()->savedMessages().size(), 2); // each tab shows the other's too
        QTRY_COMPARE(onDisk(profile.id).savedMessages.size(), 2);
        QCOMPARE(onDisk(profile.id).savedMessages.at(0).body, u"from the first tab"_s);
        QCOMPARE(onDisk(profile.id).savedMessages.at(1).body, u"from the second tab"_s);
    }

    void aConflictingOutsideChangeIsOffered()
    {
        MainWindow window;
        const Profile profile = savedProfile(window, u"Mine"_s, u"ws://127.0.0.1:9/"_s);
        ProfilePanel* panel = window.profilePanel();
        QVERIFY(panel->selectProfile(profile.id));
        auto* origin = panel->editor()->findChild<QLineEdit*>(u"originEdit"_s);
        origin->setText(u"https://mine.example"_s);
        // Another editor (here: the repository directly) saves a different origin.
        Profile theirs = profile;
        theirs.origin = u"https://theirs.example"_s;
        QVERIFY(window.profileRepository()->applyEdit(profile.id, profile, theirs));
        QCOMPARE(origin->text(), u"https://mine.example"_s); // the user's input stays
        auto* bar = panel->editor()->findChild<QWidget*>(u"conflictBar"_s);
        QVERIFY(!bar->isHidden());
        QVERIFY(panel->editor()->findChild<QLabel*>(u"conflictLabel"_s)->text().contains(u"Origin"_s));
        // Loading the saved version takes the other change.
        panel->editor()->findChild<QPushButton*>(u"loadSavedButton"_s)->click();
        QCOMPARE(origin->text(), u"https://theirs.example"_s);
        QVERIFY(bar->isHidden());
        QVERIFY(!panel->editor()->isModified());
    }

    void twoTabsPinTwoCertificates()
    {
        TlsServer a(u"a.test"_s), b(u"b.test"_s);
        QVERIFY2(a.error.isEmpty(), qPrintable(a.error));
        QVERIFY2(b.error.isEmpty(), qPrintable(b.error));
        MainWindow window;
        const Profile profile = savedProfile(window, u"Pinned"_s, a.url());
        SessionView* first = window.openSession(profile, true);
        SessionView* second = window.openSession(profile, false);
        second->addressBar()->setText(b.url()); // the second tab tries the other server
        QVERIFY(second->goToAddress());
        QTRY_COMPARE_WITH_TIMEOUT(first->session()->state(), Session::State::Failed, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(second->session()->state(), Session::State::Failed, 10000);

        QStringList fingerprints;
        for (SessionView* view : { first, second }) {
            fingerprints << TlsPanel::fingerprint(view->session()->handshake().tls.peerChainPem.value(0));
            auto* trust = view->tlsPanel()->findChild<QPushButton*>(u"trustButton"_s);
            QVERIFY(!trust->isHidden());
            trust->click();
        }
        QVERIFY(fingerprints.at(0) != fingerprints.at(1));
        QTRY_COMPARE_WITH_TIMEOUT(first->session()->state(), Session::State::Open, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(second->session()->state(), Session::State::Open, 10000);
        QTRY_COMPARE(onDisk(profile.id).tls.pinnedFingerprints.size(), 2);
        const Profile saved = onDisk(profile.id);
        QVERIFY(saved.tls.pinnedFingerprints.contains(fingerprints.at(0)));
        QVERIFY(saved.tls.pinnedFingerprints.contains(fingerprints.at(1)));
        QCOMPARE(saved.url, a.url()); // the second tab's address stayed its own
    }

    // The issue: "a redirect retry uses the profile the tab was opened with and loses a certificate
    // pinned since". The tab of a profile whose server answers 302 stays open while the certificate
    // of the redirect's target is pinned (as the target's own tab does); Retry then connects at once.
    void aRedirectRetryUsesTheProfileAsItIsNow()
    {
        TlsServer target(u"moved.test"_s);
        QVERIFY2(target.error.isEmpty(), qPrintable(target.error));
        test::ScriptedServer redirect([&target](QTcpSocket* socket, const HttpHead&) {
            socket->write("HTTP/1.1 302 Found\r\nLocation: " + target.url().toUtf8()
                + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            socket->disconnectFromHost();
        });
        MainWindow window;
        const Profile profile = savedProfile(window, u"Moved"_s, redirect.url());
        SessionView* view = window.openSession(profile, true);
        QTRY_COMPARE_WITH_TIMEOUT(view->session()->state(), Session::State::Failed, 10000);
        auto* retry = view->handshakePanel()->findChild<QPushButton*>();
        QVERIFY(retry && !retry->isHidden());
        QVERIFY2(retry->text().contains(target.url().chopped(1)), qPrintable(retry->text()));

        // The target's certificate, pinned for the profile after the tab opened.
        const QSslCertificate certificate = target.server->sslConfiguration().localCertificate();
        const QString fingerprint = TlsPanel::fingerprint(certificate.toPem());
        QVERIFY(window.profileRepository()->pinCertificate(profile.id, fingerprint, u"moved.test"_s));

        const int tabsBefore = window.findChildren<SessionView*>().size();
        retry->click();
        QTRY_COMPARE(window.findChildren<SessionView*>().size(), tabsBefore + 1);
        SessionView* retried = window.currentSessionView();
        QVERIFY(retried && retried != view);
        QCOMPARE(retried->session()->profile().url, target.url());
        QTRY_COMPARE_WITH_TIMEOUT(retried->session()->state(), Session::State::Open, 10000);
        QCOMPARE(target.accepted, 1);
        // The retry is a new address for the same settings: the saved profile keeps its own URL.
        QTRY_COMPARE(onDisk(profile.id).tls.pinnedFingerprints, QStringList { fingerprint });
        QCOMPARE(onDisk(profile.id).url, redirect.url());
    }

    void trustInAnUnsavedTabSurvivesARestartOnceSaved()
    {
        TlsServer server(u"restart.test"_s);
        QVERIFY2(server.error.isEmpty(), qPrintable(server.error));
        QString id, fingerprint;
        {
            MainWindow window;
            SessionView* view = window.newConnection();
            view->addressBar()->setText(server.url());
            QVERIFY(view->goToAddress());
            QTRY_COMPARE_WITH_TIMEOUT(view->session()->state(), Session::State::Failed, 10000);
            // The failure leads to the certificate.
            auto* show = view->findChild<QPushButton*>(u"showCertificateButton"_s);
            QVERIFY(!show->isHidden());
            show->click();
            QCOMPARE(view->findChild<QTabWidget*>()->currentWidget(), view->tlsPanel());

            fingerprint = TlsPanel::fingerprint(view->session()->handshake().tls.peerChainPem.value(0));
            // No profile yet: the trust is this tab's, and the words say so (audit 13).
            auto* trust = view->tlsPanel()->findChild<QPushButton*>(u"trustButton"_s);
            QCOMPARE(trust->text(), u"Trust this certificate in this tab"_s);
            trust->click();
            QTRY_COMPARE_WITH_TIMEOUT(view->session()->state(), Session::State::Open, 10000);
            // Trusted now, and it says so instead of offering Trust again.
            auto* summaryLabel = view->tlsPanel()->findChild<QLabel*>(u"tlsSummary"_s);
            const QString summary = summaryLabel->text();
            QVERIFY2(summary.contains(u"Trusted"_s) && summary.contains(fingerprint), qPrintable(summary));
            QVERIFY2(summary.contains(u"pinned in this tab only."_s), qPrintable(summary));
            QVERIFY2(!summary.contains(u"profile"_s), qPrintable(summary));
            QVERIFY(view->tlsPanel()->findChild<QPushButton*>(u"trustButton"_s)->isHidden());
            // Trust in an unsaved tab offers to keep it as a profile, and closing the tab would ask.
            QVERIFY(!view->findChild<QPushButton*>(u"saveOfferButton"_s)->isHidden());
            QCOMPARE(view->unsavedSettings(), QStringList { u"Pinned certificates"_s });
            const Result<QString> saved = view->saveAsProfile(u"Restart"_s);
            QVERIFY(saved.ok());
            id = *saved;
            // Saved: now it is the profile's.
            QVERIFY2(summaryLabel->text().contains(u"pinned for this profile."_s), qPrintable(summaryLabel->text()));
            QCOMPARE(trust->text(), u"Trust this certificate for this profile"_s);
        } // the window closes; what is pending is written

        QVERIFY(onDisk(id).tls.pinnedFingerprints.contains(fingerprint));
        MainWindow window; // "tomorrow"
        const Profile* profile = window.profileRepository()->find(id);
        QVERIFY(profile);
        SessionView* view = window.openSession(*profile, true);
        QTRY_COMPARE_WITH_TIMEOUT(view->session()->state(), Session::State::Open, 10000);
        QVERIFY(view->tlsPanel()->findChild<QPushButton*>(u"trustButton"_s)->isHidden());

        // The profile editor lists the pin with its subject, and Remove takes it out.
        ProfilePanel* panel = window.profilePanel();
        QVERIFY(panel->selectProfile(id));
        auto* pinned = panel->editor()->findChild<QTreeWidget*>(u"pinnedList"_s);
        QCOMPARE(pinned->topLevelItemCount(), 1);
        QVERIFY2(
            pinned->topLevelItem(0)->text(0).contains(u"restart.test"_s), qPrintable(pinned->topLevelItem(0)->text(0)));
        QCOMPARE(pinned->topLevelItem(0)->text(1), fingerprint);
        pinned->setCurrentItem(pinned->topLevelItem(0));
        panel->editor()->findChild<QPushButton*>(u"unpinButton"_s)->click();
        QVERIFY(panel->editor()->save());
        QTRY_VERIFY(onDisk(id).tls.pinnedFingerprints.isEmpty());
    }

    // Review finding: quitting dropped what was typed in the Profiles dock's editor.
    void quittingKeepsTheEditorsUnsavedInput()
    {
        MainWindow window;
        const Profile profile = savedProfile(window, u"Typed"_s, u"ws://127.0.0.1:9/"_s);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        ProfilePanel* panel = window.profilePanel();
        QVERIFY(panel->selectProfile(profile.id));
        panel->editor()->findChild<QLineEdit*>(u"originEdit"_s)->setText(u"https://typed.example"_s);
        QVERIFY(window.close());
        QCOMPARE(onDisk(profile.id).origin, u"https://typed.example"_s); // written at once, not later
    }

    // Input that cannot be saved yet is lost only when the user says so.
    void quittingWithInvalidInputAsksFirst()
    {
        MainWindow window;
        const Profile profile = savedProfile(window, u"Broken"_s, u"ws://127.0.0.1:9/"_s);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        ProfilePanel* panel = window.profilePanel();
        QVERIFY(panel->selectProfile(profile.id));
        panel->editor()->findChild<QLineEdit*>(u"urlEdit"_s)->setText(u"ftp://example.com"_s);
        QVERIFY(!panel->editor()->isValid());

        QString asked;
        auto answer = [&asked](QMessageBox::StandardButton button) {
            QTimer::singleShot(0, qApp, [&asked, button] {
                auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
                if (!box)
                    return;
                asked = box->text();
                box->button(button)->click();
            });
        };
        answer(QMessageBox::Cancel);
        QVERIFY(!window.close()); // Cancel: the window stays with the input
        QVERIFY2(asked.contains(u"ftp"_s), qPrintable(asked));
        QVERIFY(window.isVisible());
        QCOMPARE(panel->editor()->findChild<QLineEdit*>(u"urlEdit"_s)->text(), u"ftp://example.com"_s);

        asked.clear();
        answer(QMessageBox::Discard);
        QVERIFY(window.close());
        QVERIFY(!asked.isEmpty());
        QCOMPARE(onDisk(profile.id).url, u"ws://127.0.0.1:9/"_s); // nothing invalid was written
    }

    // Review finding: Ctrl+S while typing in the Profiles dock saved the tab's profile instead.
    void ctrlSInTheProfileEditorSavesTheEditedProfile()
    {
        MainWindow window;
        const Profile edited = savedProfile(window, u"Edited"_s, u"ws://127.0.0.1:9/"_s);
        const Profile other = savedProfile(window, u"Other"_s, u"builtin:echo"_s);
        SessionView* tab = window.openSession(other, false);
        tab->addressBar()->setText(u"builtin:chat"_s);
        QVERIFY(tab->goToAddress()); // the tab's own unsaved address, which Ctrl+S in the tab would save
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        ProfilePanel* panel = window.profilePanel();
        QVERIFY(panel->selectProfile(edited.id));
        auto* origin = panel->editor()->findChild<QLineEdit*>(u"originEdit"_s);
        panel->editor()->findChild<QTabWidget*>(u"tabs"_s)->setCurrentIndex(0);
        origin->setFocus();
        QTRY_VERIFY(origin->hasFocus());
        QTest::keyClicks(origin, u"https://saved.example"_s);
        QTest::keyClick(origin, Qt::Key_S, Qt::ControlModifier);

        QCOMPARE(window.profileRepository()->find(edited.id)->origin, u"https://saved.example"_s);
        QVERIFY(!panel->editor()->isModified());
        QCOMPARE(window.profileRepository()->find(other.id)->url, u"builtin:echo"_s); // the tab's profile untouched
        QCOMPARE(window.profileRepository()->profiles().size(), 2);
    }

    // Review finding: the store (made first) was deleted before the repository that writes through it.
    void theRepositoryGoesBeforeItsStore()
    {
        auto* window = new MainWindow;
        QPointer<ProfileRepository> repository = window->profileRepository();
        QPointer<ProfilePanel> panel = window->profilePanel();
        const Profile profile = savedProfile(*window, u"Pending"_s, u"ws://127.0.0.1:9/"_s);
        SessionView* view = window->openSession(profile, false);
        QPointer<SessionView> tab = view;
        QVERIFY(repository->isSavePending());
        bool orderKept = false;
        QObject::connect(repository->store(), &QObject::destroyed, qApp,
            [&] { orderKept = repository.isNull() && panel.isNull() && tab.isNull(); });
        delete window;
        QVERIFY(orderKept);
        QCOMPARE(onDisk(profile.id).name, u"Pending"_s); // what was pending was written
    }
};

QTEST_MAIN(tst_Workbench)
#include "tst_workbench.moc"
