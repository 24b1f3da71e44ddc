// The mini-program check as a user meets it in the window: the tab's button and report, and the
// rules shown inline in the profile editor.
#include "check/miniprogrampanel.h"
#include "check/miniprogramreportmodel.h"
#include "profiles/profileeditor.h"
#include "session/sessionview.h"

#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTreeView>
#include <QWebSocket>
#include <QWebSocketServer>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;

class TestMiniProgramUi : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void buttonRunsTheCheckAndShowsTheReport()
    {
        QWebSocketServer server(u"ui-test"_s, QWebSocketServer::NonSecureMode);
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        connect(&server, &QWebSocketServer::newConnection, &server, [&server] {
            while (QWebSocket* s = server.nextPendingConnection())
                s->setParent(&server);
        });
        Profile p;
        p.url = u"ws://127.0.0.1:%1/"_s.arg(server.serverPort());
        SessionView view(p);
        view.resize(1000, 700);
        view.show();
        auto* button = view.findChild<QPushButton*>(u"miniProgramCheckButton"_s);
        QVERIFY(button);
        QSignalSpy done(view.miniProgramPanel(), &MiniProgramPanel::finished);
        QTest::mouseClick(button, Qt::LeftButton);
        QVERIFY(view.miniProgramPanel()->isVisible()); // the page came to the front
        QVERIFY(done.wait(20000));
        QCOMPARE(view.session()->state(), Session::State::Idle); // the tab's own connection was left alone

        const QAbstractItemModel* model = view.miniProgramPanel()->view()->model();
        QVERIFY(model->rowCount() >= 10);
        QCOMPARE(model->index(0, MiniProgramReportModel::VerdictColumn).data().toString(), u"FAIL"_s);
        QCOMPARE(model->index(0, MiniProgramReportModel::RuleColumn).data().toString(),
            u"The URL must start with wss:// (TLS)."_s);
        QVERIFY(!model->index(0, MiniProgramReportModel::AdviceColumn).data().toString().isEmpty());
        QVERIFY(model->index(0, MiniProgramReportModel::VerdictColumn).data(Qt::ForegroundRole).isValid());
        QVERIFY2(view.miniProgramPanel()->summaryLabel()->text().contains(u"would not connect"_s),
            qPrintable(view.miniProgramPanel()->summaryLabel()->text()));
        // The first failure is selected and shown in full, advice included.
        const QString details = view.miniProgramPanel()->detailsLabel()->text();
        QVERIFY2(details.contains(u"FAIL"_s) && details.contains(u"wss://"_s) && details.contains(u"Change: "_s),
            qPrintable(details));
    }

    // A long finding in a narrow panel scrolls in its four lines instead of making the panel (and so
    // the window, over a 1024×700 screen in Chinese) taller.
    void aLongFindingDoesNotMakeThePanelTaller()
    {
        MiniProgramPanel panel;
        panel.resize(420, 400);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        // What the layouts above ask of it at this width (a word-wrapped label asks for all its lines).
        const auto needed = [&panel] { return std::max(panel.heightForWidth(420), panel.minimumSizeHint().height()); };
        const int before = needed();
        QString longText;
        for (int i = 0; i < 12; ++i)
            longText += u"The server sent a Referer header the phone will never send, so it cannot rely on it. "_s;
        panel.detailsLabel()->setText(longText);
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
        QCOMPARE(needed(), before);
    }

    void editorShowsTheRulesForAMiniProgramProfile()
    {
        ProfileEditor editor;
        Profile p;
        p.name = u"mp"_s;
        p.url = u"wss://api.example.com/socket"_s;
        p.headers = { { u"Referer"_s, u"https://example.com/"_s, true, false } };
        editor.setProfile(p, false, {});
        editor.show();
        auto* rules = editor.findChild<QLabel*>(u"miniProgramRules"_s);
        auto* check = editor.findChild<QCheckBox*>(u"miniProgramCheck"_s);
        QVERIFY(rules && check);
        QVERIFY(!rules->isVisible());
        check->setChecked(true);
        QVERIFY(rules->isVisible());
        QVERIFY2(rules->text().contains(u"FAIL"_s) && rules->text().contains(u"Referer"_s), qPrintable(rules->text()));
        QVERIFY(editor.profile().forMiniProgram);
        // Fixing the URL's host changes the verdict as the user types.
        auto* url = editor.findChild<QLineEdit*>(u"urlEdit"_s);
        url->setText(u"ws://192.168.1.2/"_s);
        QVERIFY(rules->text().contains(u"local IP address"_s));

        auto* resolve = editor.findChild<QLineEdit*>(u"resolveEdit"_s);
        auto* resolveError = editor.findChild<QLabel*>(u"resolveError"_s);
        resolve->setText(u"api.example.com:443"_s);
        QVERIFY(resolveError->isVisible());
        QVERIFY(resolveError->text().contains(u"HOST:PORT:ADDRESS"_s));
        QVERIFY(!editor.isValid());
        url->setText(u"wss://api.example.com/"_s);
        resolve->setText(u"api.example.com:443:127.0.0.1, other.example.com:443:::1"_s);
        QVERIFY(editor.isValid());
        QCOMPARE(editor.profile().resolve,
            (QStringList { u"api.example.com:443:127.0.0.1"_s, u"other.example.com:443:::1"_s }));
    }
};

QTEST_MAIN(TestMiniProgramUi)
#include "tst_miniprogramui.moc"
