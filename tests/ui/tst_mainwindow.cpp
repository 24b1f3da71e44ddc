#include "cli/clioptions.h"
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
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;

class tst_MainWindow : public QObject
{
    Q_OBJECT

    static QList<LogEntry> rows(const MessageLogModel* model, LogEntry::Kind kind, Direction dir)
    {
        QList<LogEntry> out;
        for (int r = 0; r < model->rowCount(); ++r) {
            const LogEntry e = model->entryAt(r);
            if (e.kind == kind && e.dir == dir)
                out.append(e);
        }
        return out;
    }

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

    // `wsinspector 127.0.0.1:PORT`: taken as ws:// as in the address bar, and the tab says so.
    void commandLineHostAndPortIsTakenAsWs()
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        const QString hostPort = u"127.0.0.1:%1"_s.arg(server.serverPort());
        CliOptions options;
        QString error;
        QVERIFY2(CliParser::parse({ hostPort }, &options, &error), qPrintable(error));
        MainWindow window;
        SessionView* view = window.openCommandLine(options);
        QCOMPARE(view->session()->profile().url, u"ws://%1/"_s.arg(hostPort));
        QVERIFY2(view->addressMessage().contains(u"has no scheme: taken as ws://%1"_s.arg(hostPort)),
            qPrintable(view->addressMessage()));
        QTRY_VERIFY(server.hasPendingConnections()); // and it connects there
        view->disconnectSession();
    }

    // `wsinspector builtin:echo -x … --execute-binary … --ping=… --frame-size 4 --capture FILE -w 0.5`
    void commandLineHonoursEveryActionOption()
    {
        QTemporaryDir dir;
        const QString capture = dir.filePath(u"run.jsonl"_s);
        CliOptions options;
        QString error;
        QVERIFY2(CliParser::parse({ u"builtin:echo"_s, u"-x"_s, u"n={{counter}}"_s, u"--execute-binary"_s,
                                      u"00 01 02 03 04 05"_s, u"--ping=pp"_s, u"-x"_s, u"n={{counter}}"_s,
                                      u"--frame-size"_s, u"4"_s, u"--capture"_s, capture, u"-w"_s, u"0.5"_s },
                     &options, &error),
            qPrintable(error));
        // A message that fails only when it is sent (the parser refuses a bad placeholder earlier).
        options.actions.append({ CliAction::Kind::Text, "{{random:0}}", 0 });
        MainWindow window;
        SessionView* view = window.openCommandLine(options);
        QVERIFY(view->isRecording());
        QCOMPARE(view->findChild<QPushButton*>(u"recordButton"_s)->text(), u"Recording"_s);

        MessageLogModel* model = view->logModel();
        QTRY_COMPARE(rows(model, LogEntry::Kind::Text, Direction::Receive).size(), 2);
        const QList<LogEntry> texts = rows(model, LogEntry::Kind::Text, Direction::Send);
        QCOMPARE(texts.size(), 2);
        QCOMPARE(texts.at(0).payload, QByteArray("n=1")); // placeholders expanded per message
        QCOMPARE(texts.at(1).payload, QByteArray("n=2"));
        const QList<LogEntry> binary = rows(model, LogEntry::Kind::Binary, Direction::Send);
        QCOMPARE(binary.size(), 1);
        QCOMPARE(binary.first().payload, QByteArray("\x00\x01\x02\x03\x04\x05", 6));
        QCOMPARE(binary.first().frames.size(), 2); // --frame-size 4: 4 + 2 bytes
        QCOMPARE(rows(model, LogEntry::Kind::Ping, Direction::Send).size(), 1);
        QCOMPARE(rows(model, LogEntry::Kind::Ping, Direction::Send).first().payload, QByteArray("pp"));
        QTRY_COMPARE(rows(model, LogEntry::Kind::Pong, Direction::Receive).size(), 1);
        const QList<LogEntry> errors = rows(model, LogEntry::Kind::Error, Direction::None);
        QCOMPARE(errors.size(), 1); // the send error is in the tab's log
        QVERIFY2(errors.first().payload.contains("{{random:0}}"), errors.first().payload.constData());

        // -w 0.5: the tab closes the connection with 1000 after half a second.
        QCOMPARE(view->session()->state(), Session::State::Open);
        QTRY_COMPARE_WITH_TIMEOUT(view->session()->state(), Session::State::Closed, 10000);
        const QList<LogEntry> closes = rows(model, LogEntry::Kind::Close, Direction::Send);
        QCOMPARE(closes.size(), 1);
        QCOMPARE(closes.first().closeCode, quint16(1000));
        QVERIFY(closes.first().timeUs - view->session()->connectedAtUs() >= 475000); // timers may fire 5 % early

        // --capture recorded from the start.
        QFile file(capture);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray recorded = file.readAll();
        QVERIFY(recorded.startsWith("{"));
        QVERIFY(recorded.contains("\"text\":\"n=1\""));
        QVERIFY(recorded.contains("\"close_code\":1000"));
    }

    void commandLineCloseEndsTheList()
    {
        CliOptions options;
        QString error;
        QVERIFY2(CliParser::parse({ u"builtin:echo"_s, u"-x"_s, u"first"_s, u"--close"_s, u"4002:done"_s, u"-x"_s,
                                      u"never"_s, u"-w"_s, u"0"_s },
                     &options, &error),
            qPrintable(error));
        MainWindow window;
        SessionView* view = window.openCommandLine(options);
        QTRY_COMPARE(view->session()->state(), Session::State::Closed);
        MessageLogModel* model = view->logModel();
        QTRY_COMPARE(rows(model, LogEntry::Kind::Close, Direction::Send).size(), 1);
        QCOMPARE(rows(model, LogEntry::Kind::Close, Direction::Send).first().closeCode, quint16(4002));
        QCOMPARE(rows(model, LogEntry::Kind::Close, Direction::Send).first().closeReason(), QByteArray("done"));
        const QList<LogEntry> texts = rows(model, LogEntry::Kind::Text, Direction::Send);
        QCOMPARE(texts.size(), 1);
        QCOMPARE(texts.first().payload, QByteArray("first"));
        QVERIFY(rows(model, LogEntry::Kind::Error, Direction::None).isEmpty());
        QVERIFY(!view->isRecording());
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

    // Help → Keyboard shortcuts names the hex view's keys too (audit 12).
    void shortcutListNamesTheHexViewKeys()
    {
        MainWindow window;
        QStringList rows;
        for (const auto& [command, keys] : window.shortcutList())
            rows.append(command + u" = "_s + keys);
        QVERIFY2(
            rows.contains(u"Find in the hex view / next match there = Ctrl+F / F3"_s), qPrintable(rows.join(u'\n')));
        QVERIFY2(rows.contains(u"Go to an offset in the hex view = Ctrl+G"_s), qPrintable(rows.join(u'\n')));
    }
};

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
