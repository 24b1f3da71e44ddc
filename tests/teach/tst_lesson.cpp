#include "log/logdelegate.h"
#include "log/logpanel.h"
#include "log/messagelogmodel.h"
#include "mainwindow.h"
#include "payload/payloadview.h"
#include "server/builtinserver.h"
#include "session/sessionview.h"
#include "teach/codepanel.h"
#include "teach/lesson.h"
#include "teach/lessoncontroller.h"
#include "teach/lessonpanel.h"
#include "wire/handshakepanel.h"

#include <QApplication>
#include <QDockWidget>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTextBrowser>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;

namespace {
QList<LogEntry> entries(SessionView* v)
{
    QList<LogEntry> out;
    for (int r = 0; r < v->logModel()->rowCount(); ++r)
        out.append(v->logModel()->entryAt(r));
    return out;
}
bool hasEntry(SessionView* v, LogEntry::Kind kind, Direction dir, const QByteArray& payload = {})
{
    for (const LogEntry& e : entries(v)) {
        if (e.kind == kind && e.dir == dir && (payload.isNull() || e.payload == payload))
            return true;
    }
    return false;
}
} // namespace

class tst_Lesson : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void cleanupTestCase() { BuiltinServers::shutdown(); }

    void bothLanguagesHaveTheSameStepsAndOnlyKnownActions_data()
    {
        QTest::addColumn<QString>("locale");
        QTest::newRow("en") << u"en_US"_s;
        QTest::newRow("zh_CN") << u"zh_CN"_s;
    }
    void bothLanguagesHaveTheSameStepsAndOnlyKnownActions()
    {
        QFETCH(QString, locale);
        QString source;
        const QList<LessonStep> steps = Lesson::load(QLocale(locale), &source);
        QCOMPARE(source, locale == u"zh_CN" ? u":/lesson/lesson_zh_CN.md"_s : u":/lesson/lesson_en.md"_s);
        const QList<LessonStep> english = Lesson::load(QLocale(u"en"_s));
        QCOMPARE(steps.size(), 6);
        for (int i = 0; i < steps.size(); ++i) {
            QCOMPARE(steps.at(i).actions, english.at(i).actions); // the same "Do it" links, in order
            for (const QString& a : steps.at(i).actions)
                QVERIFY2(Lesson::knownActions().contains(a), qPrintable(a));
        }
    }

    void aTeachersOwnFileWins()
    {
        QDir().mkpath(Lesson::overrideDir());
        QFile f(Lesson::overrideDir() + u"/lesson_en.md"_s);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("Notes for the teacher.\n## Our own step\nConnect: [Do it](do:connect-echo)\n");
        f.close();
        QString source;
        const QList<LessonStep> steps = Lesson::load(QLocale(u"en_GB"_s), &source);
        QFile::remove(f.fileName());
        QCOMPARE(source, f.fileName());
        QCOMPARE(steps.size(), 1);
        QCOMPARE(steps.first().title, u"Our own step"_s);
        QCOMPARE(steps.first().actions, QStringList { u"do:connect-echo"_s });
    }

    void presentationModeAndExplainMode()
    {
        MainWindow window;
        window.show();
        SessionView* v = window.openSession(Profile::builtinEcho(), false);
        auto* dock = window.findChild<QDockWidget*>(u"profilesDock"_s);
        auto* state = v->findChild<QLabel*>(u"stateLabel"_s);
        auto* table = v->handshakePanel()->findChild<QTableWidget*>(u"requestTable"_s);
        const qreal before = QApplication::font().pointSizeF();
        QVERIFY(dock->isVisible());
        QVERIFY(!state->text().contains(u"readyState"_s));
        QVERIFY(table->isColumnHidden(2));

        window.setPresentationMode(true);
        QVERIFY(QApplication::font().pointSizeF() >= before * 1.5);
        QVERIFY(!dock->isVisible());
        QVERIFY(window.explainMode());
        QCOMPARE(state->text(), u"Idle · readyState 3 CLOSED"_s);
        QVERIFY(!table->isColumnHidden(2));
        QVERIFY(v->logPanel()->delegate()->highContrast());
        // Log rows grow with the text, so nothing is clipped on a projector.
        QVERIFY(v->logView()->verticalHeader()->defaultSectionSize() >= QFontMetrics(v->logView()->font()).height());
        // A tab opened while presenting explains too.
        SessionView* later = window.openSession(Profile::builtinEcho(), true);
        QTRY_COMPARE_WITH_TIMEOUT(
            later->findChild<QLabel*>(u"stateLabel"_s)->text(), u"Open · readyState 1 OPEN"_s, 10000);
        QVERIFY(later->findChild<QLabel*>(u"stateLabel"_s)->toolTip().contains(u"onOpen"_s));

        window.setPresentationMode(false);
        QCOMPARE(QApplication::font().pointSizeF(), before);
        QVERIFY(dock->isVisible());
        QVERIFY(!window.explainMode());
        QVERIFY(table->isColumnHidden(2));
        QVERIFY(!v->logPanel()->delegate()->highContrast());
    }

    // The lesson's links, clicked in order as a teacher would, against the built-in echo server.
    void doItActionsDriveTheWindow()
    {
        MainWindow window;
        window.resize(1280, 800);
        window.show();
        window.showLesson();
        LessonPanel* panel = window.lessonPanel();
        QVERIFY(panel && panel->isVisible());
        QCOMPARE(panel->stepCount(), 6);
        QTest::mouseClick(panel->findChild<QPushButton*>(u"lessonNext"_s), Qt::LeftButton);
        QCOMPARE(panel->currentStep(), 1);
        QVERIFY(panel->browser()->toPlainText().contains(u"Push versus polling"_s));

        auto* lesson = window.lessonController();
        QVERIFY(lesson->run(u"do:connect-echo"_s));
        SessionView* v = window.currentSessionView();
        QVERIFY(v);
        QTRY_COMPARE_WITH_TIMEOUT(v->session()->state(), Session::State::Open, 10000);

        QVERIFY(lesson->run(u"look:handshake"_s));
        QVERIFY(v->handshakePanel()->isVisible());

        QVERIFY(lesson->run(u"do:send-text"_s));
        QTRY_VERIFY(hasEntry(v, LogEntry::Kind::Text, Direction::Receive, "Hello, class!"));
        QVERIFY(lesson->run(u"do:send-binary"_s));
        QTRY_VERIFY(hasEntry(v, LogEntry::Kind::Binary, Direction::Receive, QByteArray::fromHex("0001027f80ff")));
        QVERIFY(lesson->run(u"do:send-fragmented"_s));
        QTRY_VERIFY(hasEntry(v, LogEntry::Kind::Text, Direction::Send, "split into frames of four bytes"));
        for (const LogEntry& e : entries(v)) {
            if (e.dir == Direction::Send && e.payload == "split into frames of four bytes")
                QCOMPARE(e.frames.size(), 8); // 31 bytes in frames of 4
        }
        QVERIFY(lesson->run(u"do:ping"_s));
        QTRY_VERIFY(hasEntry(v, LogEntry::Kind::Pong, Direction::Receive));

        QVERIFY(lesson->run(u"look:frames"_s));
        QVERIFY(v->payloadView()->isVisible());
        QVERIFY(v->payloadView()->findChild<QWidget*>(u"lessonOutline"_s));

        // The options of wx.connectSocket, one at a time, each in its own tab.
        QVERIFY(lesson->run(u"do:try-header"_s));
        SessionView* withHeader = window.currentSessionView();
        QTRY_COMPARE_WITH_TIMEOUT(withHeader->session()->state(), Session::State::Open, 10000);
        QCOMPARE(withHeader->session()->handshake().request.header("X-Lesson"), QByteArray("options"));
        QVERIFY(lesson->run(u"do:try-protocols"_s));
        SessionView* withProtocols = window.currentSessionView();
        QTRY_COMPARE_WITH_TIMEOUT(withProtocols->session()->state(), Session::State::Open, 10000);
        QCOMPARE(
            withProtocols->session()->handshake().request.header("Sec-WebSocket-Protocol"), QByteArray("chat, v2"));
        QVERIFY(withProtocols->session()->handshake().response.header("Sec-WebSocket-Protocol").isNull());
        window.tabs()->setCurrentWidget(v);

        QVERIFY(lesson->run(u"do:show-code-wx"_s));
        QVERIFY(v->codePanel()->isVisible());
        QVERIFY(v->codePanel()->code().contains(u"wx.connectSocket"_s));

        QVERIFY(lesson->run(u"do:close-normal"_s));
        QTRY_COMPARE_WITH_TIMEOUT(v->session()->state(), Session::State::Closed, 10000);
        QCOMPARE(v->session()->closeCode(), quint16(1000));

        // Closing with an application code first connects again.
        QVERIFY(lesson->run(u"do:close-4000"_s));
        QTRY_VERIFY_WITH_TIMEOUT(hasEntry(v, LogEntry::Kind::Close, Direction::Send)
                && v->session()->state() == Session::State::Closed && v->session()->closeCode() == 4000,
            10000);

        const int tabs = window.tabs()->count();
        QVERIFY(lesson->run(u"do:push"_s));
        QCOMPARE(window.tabs()->count(), tabs + 1);
        SessionView* push = window.currentSessionView();
        auto pushed = [push] {
            int n = 0;
            for (const LogEntry& e : entries(push))
                n += e.kind == LogEntry::Kind::Text && e.dir == Direction::Receive;
            return n;
        };
        QTRY_COMPARE_WITH_TIMEOUT(pushed(), 20, 15000);

        QVERIFY(!lesson->run(u"do:nothing"_s));
    }
};

QTEST_MAIN(tst_Lesson)
#include "tst_lesson.moc"
