#include "log/messagelogmodel.h"
#include "mainwindow.h"
#include "send/sendpanel.h"
#include "server/builtinserver.h"
#include "session/sessionview.h"

#include <QComboBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QTabWidget>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;

class tst_MainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanupTestCase() { BuiltinServers::shutdown(); }

    void echoExchangeAppearsInTheLog()
    {
        MainWindow window;
        window.show();
        SessionView* view = window.openSession(Profile::builtinEcho(), false);
        auto* connectButton = view->findChild<QPushButton*>(u"connectButton"_s);
        QVERIFY(connectButton);
        QTest::mouseClick(connectButton, Qt::LeftButton);
        QTRY_COMPARE(view->session()->state(), Session::State::Open);

        auto* editor = view->findChild<QPlainTextEdit*>(u"sendEditor"_s);
        QVERIFY(editor);
        editor->setFocus();
        QTest::keyClicks(editor, u"ping from the test"_s);
        QTest::keyClick(editor, Qt::Key_Return, Qt::ControlModifier);

        MessageLogModel* model = view->logModel();
        auto findRow = [model](LogEntry::Kind kind, Direction dir, const QByteArray& payload) {
            for (int r = 0; r < model->rowCount(); ++r) {
                const LogEntry e = model->entryAt(r);
                if (e.kind == kind && e.dir == dir && e.payload == payload)
                    return r;
            }
            return -1;
        };
        QTRY_VERIFY(findRow(LogEntry::Kind::Text, Direction::Receive, "ping from the test") >= 0);
        const int sent = findRow(LogEntry::Kind::Text, Direction::Send, "ping from the test");
        const int echoed = findRow(LogEntry::Kind::Text, Direction::Receive, "ping from the test");
        QVERIFY(sent >= 0 && sent < echoed);
        QCOMPARE(model->index(echoed, MessageLogModelDefs::PreviewColumn).data().toString(), u"ping from the test"_s);
    }

    void logMemoryCapAppliesToEveryTabAndIsKept()
    {
        QCoreApplication::setOrganizationName(u"wsinspector-tests"_s);
        QSettings().remove(u"log/memoryCapMiB"_s);
        {
            MainWindow window;
            QCOMPARE(window.logMemoryCap(), qint64(1) << 30); // the default: 1 GiB
            SessionView* before = window.openSession(Profile::builtinEcho(), false);
            window.setLogMemoryCap(qint64(64) << 20);
            QCOMPARE(before->logModel()->memoryCap(), qint64(64) << 20);
            SessionView* after = window.openSession(Profile::builtinEcho(), false);
            QCOMPARE(after->logModel()->memoryCap(), qint64(64) << 20);
        }
        MainWindow reopened;
        QCOMPARE(reopened.logMemoryCap(), qint64(64) << 20);
        QSettings().remove(u"log/memoryCapMiB"_s);
    }

    void openTabShowsStateAndElapsedTime()
    {
        MainWindow window;
        SessionView* view = window.openSession(Profile::builtinEcho(), true);
        QTRY_COMPARE(view->session()->state(), Session::State::Open);
        QTRY_VERIFY(window.tabs()->tabText(window.tabs()->indexOf(view)).contains(u"● "_s));
        QTRY_VERIFY(window.tabs()->tabText(window.tabs()->indexOf(view)).contains(u"00:00:0"_s));
        QVERIFY(window.tabs()->tabToolTip(window.tabs()->indexOf(view)).startsWith(u"Open · 00:00:0"_s));
    }

    void invalidHexIsNotSent()
    {
        MainWindow window;
        SessionView* view = window.openSession(Profile::builtinEcho(), true);
        QTRY_COMPARE(view->session()->state(), Session::State::Open);
        view->sendPanel()->findChild<QComboBox*>(u"sendMode"_s)->setCurrentIndex(2); // hex
        view->sendPanel()->setText(u"01 0g"_s);
        const int rowsBefore = view->logModel()->rowCount();
        QVERIFY(!view->sendPanel()->send());
        auto* status = view->sendPanel()->findChild<QLabel*>(u"sendStatus"_s);
        QVERIFY2(status->text().contains(u"position 5"_s), qPrintable(status->text()));
        QTest::qWait(100);
        QCOMPARE(view->logModel()->rowCount(), rowsBefore);
    }
};

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
