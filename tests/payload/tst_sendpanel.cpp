#include "payload/placeholderexpander.h"
#include "send/savedmessageswidget.h"
#include "send/sendpanel.h"
#include "server/builtinserver.h"
#include "session/session.h"
#include "testhelpers.h"

#include <QLabel>
#include <QPlainTextEdit>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QToolButton>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;
using wsi::test::EntryRecorder;
using wsi::test::waitForState;

class tst_SendPanel : public QObject
{
    Q_OBJECT

    struct Fixture
    {
        Session session { Profile::builtinEcho() };
        EntryRecorder rec { &session };
        SendPanel panel;
        Fixture() { panel.setSession(&session); }
        QList<LogEntry> echoed(LogEntry::Kind kind) const { return rec.ofKind(kind, Direction::Receive); }
        QList<LogEntry> sent(LogEntry::Kind kind) const { return rec.ofKind(kind, Direction::Send); }
        // A text message after the others; once it is echoed, everything sent before it was too.
        bool flush()
        {
            const int before = int(echoed(LogEntry::Kind::Text).size());
            if (!session.sendText(u"flush"_s).ok())
                return false;
            return QTest::qWaitFor([&] { return echoed(LogEntry::Kind::Text).size() > before; }, 10000);
        }
    };

    static QByteArray randomBytes(qsizetype size, quint32 seed)
    {
        QByteArray b(size, Qt::Uninitialized);
        QRandomGenerator(seed).fillRange(reinterpret_cast<quint32*>(b.data()), size / 4);
        return b;
    }

private Q_SLOTS:
    void cleanupTestCase() { BuiltinServers::shutdown(); }

    void invalidHexSendsNothing()
    {
        Fixture f;
        f.session.open();
        QVERIFY(waitForState(&f.session, Session::State::Open));
        f.panel.setMode(SendPanel::Mode::Hex);
        f.panel.setText(u"01 0g"_s);
        QVERIFY(!f.panel.send());
        QVERIFY2(f.panel.statusText().contains(u"position 5"_s), qPrintable(f.panel.statusText()));
        f.panel.setText(u"01 02 0"_s);
        QVERIFY(!f.panel.send());
        QVERIFY2(f.panel.statusText().contains(u"position 7"_s), qPrintable(f.panel.statusText()));
        f.panel.setMode(SendPanel::Mode::Base64);
        f.panel.setText(u"AAE*"_s);
        QVERIFY(!f.panel.send());
        QVERIFY2(f.panel.statusText().contains(u"position 4"_s), qPrintable(f.panel.statusText()));
        QVERIFY(f.flush());
        QVERIFY(f.sent(LogEntry::Kind::Binary).isEmpty());
        QVERIFY(f.echoed(LogEntry::Kind::Binary).isEmpty());
    }

    void allByteValuesFromHexRoundTrip()
    {
        Fixture f;
        f.session.open();
        QVERIFY(waitForState(&f.session, Session::State::Open));
        QByteArray all;
        QString hex;
        for (int i = 0; i < 256; ++i) {
            all.append(char(i));
            hex += (i % 16 == 0 ? u"\n0x"_s : u" 0x"_s) + QString::number(i, 16).rightJustified(2, u'0');
        }
        f.panel.setMode(SendPanel::Mode::Hex);
        f.panel.setText(hex);
        QVERIFY(f.panel.send());
        QTRY_COMPARE(f.echoed(LogEntry::Kind::Binary).size(), 1);
        QCOMPARE(f.echoed(LogEntry::Kind::Binary).first().payload, all);

        f.panel.setMode(SendPanel::Mode::Base64);
        f.panel.setText(QString::fromLatin1(all.toBase64()));
        QVERIFY(f.panel.send());
        QTRY_COMPARE(f.echoed(LogEntry::Kind::Binary).size(), 2);
        QCOMPARE(f.echoed(LogEntry::Kind::Binary).at(1).payload, all);
    }

    void bigFileRoundTripsByteExact()
    {
        Fixture f;
        f.session.open();
        QVERIFY(waitForState(&f.session, Session::State::Open));
        QTemporaryDir dir;
        const QByteArray data = randomBytes(SendPanel::kConfirmFileSize, 7); // 16 MiB: no question
        QFile file(dir.filePath(u"random.bin"_s));
        QVERIFY(file.open(QIODevice::WriteOnly) && file.write(data) == data.size());
        file.close();
        QStringList questions;
        f.panel.setConfirmHandler([&](const QString& q) {
            questions << q;
            return false;
        });
        f.panel.setMode(SendPanel::Mode::File);
        f.panel.setFilePath(file.fileName());
        QVERIFY(f.panel.send());
        QVERIFY(questions.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(f.echoed(LogEntry::Kind::Binary).size(), 1, 30000);
        QVERIFY(f.echoed(LogEntry::Kind::Binary).first().payload == data);

        // One byte more asks first; declining sends nothing.
        QVERIFY(file.open(QIODevice::Append) && file.write("x", 1) == 1);
        file.close();
        QVERIFY(!f.panel.send());
        QCOMPARE(questions.size(), 1);
        QVERIFY(f.flush());
        QCOMPARE(f.sent(LogEntry::Kind::Binary).size(), 1);

        f.panel.setFilePath(dir.filePath(u"missing.bin"_s));
        QVERIFY(!f.panel.send());
        QVERIFY(f.panel.statusText().contains(u"missing.bin"_s));
    }

    void placeholdersExpandAtSendTime()
    {
        Fixture f;
        f.session.open();
        QVERIFY(waitForState(&f.session, Session::State::Open));
        f.panel.setText(u"n={{counter}} id={{uuid}}"_s);
        auto* preview = f.panel.findChild<QLabel*>(u"sendPreview"_s);
        QVERIFY(preview->text().contains(u"n=1 id="_s));
        QVERIFY(f.panel.send());
        QVERIFY(f.panel.send());
        QTRY_COMPARE(f.echoed(LogEntry::Kind::Text).size(), 2);
        QVERIFY(f.echoed(LogEntry::Kind::Text).at(0).payload.startsWith("n=1 id="));
        QVERIFY(f.echoed(LogEntry::Kind::Text).at(1).payload.startsWith("n=2 id="));
        QVERIFY(f.echoed(LogEntry::Kind::Text).at(0).payload.mid(3)
            != f.echoed(LogEntry::Kind::Text).at(1).payload.mid(3)); // fresh uuid
        QVERIFY(preview->text().contains(u"n=3"_s)); // the preview follows the counter

        f.panel.setText(u"a {{whatever}} b"_s);
        QVERIFY(!f.panel.send());
        QVERIFY(f.panel.statusText().contains(u"{{whatever}}"_s));
        QVERIFY(preview->text().contains(u"{{whatever}}"_s));
        QVERIFY(f.flush());
        QCOMPARE(f.sent(LogEntry::Kind::Text).size(), 3); // two messages and the flush
    }

    void invalidJsonAsksFirst()
    {
        Fixture f;
        f.session.open();
        QVERIFY(waitForState(&f.session, Session::State::Open));
        QStringList questions;
        bool answer = false;
        f.panel.setConfirmHandler([&](const QString& q) {
            questions << q;
            return answer;
        });
        f.panel.setMode(SendPanel::Mode::Json);
        f.panel.setText(u"{\"a\": 1,}"_s);
        QVERIFY(!f.panel.send());
        QCOMPARE(questions.size(), 1);
        QVERIFY2(questions.first().contains(u"line 1, column"_s), qPrintable(questions.first()));
        answer = true;
        QVERIFY(f.panel.send());
        f.panel.setText(u"{\"n\": {{counter}}}"_s); // valid once expanded: no question
        QVERIFY(f.panel.send());
        QCOMPARE(questions.size(), 2);
        QTRY_COMPARE(f.echoed(LogEntry::Kind::Text).size(), 2);
        QCOMPARE(f.echoed(LogEntry::Kind::Text).at(0).payload, QByteArray("{\"a\": 1,}"));
        QCOMPARE(f.echoed(LogEntry::Kind::Text).at(1).payload, QByteArray("{\"n\": 1}"));
    }

    void jsonPrettyCompactToggleKeepsOrder()
    {
        SendPanel panel;
        panel.setMode(SendPanel::Mode::Json);
        panel.setText(u"{\"z\":1,\"a\":[2,3]}"_s);
        auto* toggle = panel.findChild<QToolButton*>(u"sendJsonFormat"_s);
        toggle->click();
        QCOMPARE(panel.text(), u"{\n  \"z\": 1,\n  \"a\": [\n    2,\n    3\n  ]\n}"_s);
        toggle->click();
        QCOMPARE(panel.text(), u"{\"z\":1,\"a\":[2,3]}"_s);
        panel.setText(u"{\"z\":}"_s);
        toggle->click();
        QCOMPARE(panel.text(), u"{\"z\":}"_s); // invalid: left alone, error shown
        QVERIFY2(panel.statusText().contains(u"column 7 (byte 6)"_s), qPrintable(panel.statusText()));
    }

    void fileModeShowsSize()
    {
        QTemporaryDir dir;
        QFile file(dir.filePath(u"f.bin"_s));
        QVERIFY(file.open(QIODevice::WriteOnly) && file.write(QByteArray(3000, 'x')) == 3000);
        file.close();
        SendPanel panel;
        panel.setMode(SendPanel::Mode::File);
        panel.setFilePath(file.fileName());
        auto* info = panel.findChild<QLabel*>(u"sendFileInfo"_s);
        QVERIFY2(info->text().contains(u"3,000 bytes"_s) || info->text().contains(u"3000 bytes"_s),
            qPrintable(info->text()));
        panel.setFilePath(dir.filePath(u"nope"_s));
        QCOMPARE(info->text(), u"not a file"_s);
    }

    void repeatSendsNTimes()
    {
        Fixture f;
        f.session.open();
        QVERIFY(waitForState(&f.session, Session::State::Open));
        f.panel.setText(u"#{{counter}}"_s);
        QVERIFY(f.panel.startRepeat(5, 0));
        QTRY_VERIFY(!f.panel.isRepeating());
        QCOMPARE(f.panel.repeatSent(), 5);
        QTRY_COMPARE(f.echoed(LogEntry::Kind::Text).size(), 5);
        QCOMPARE(f.echoed(LogEntry::Kind::Text).at(4).payload, QByteArray("#5"));
        QCOMPARE(f.panel.findChild<QLabel*>(u"sendRepeatLabel"_s)->text(), u"sent 5 / 5"_s);
        QVERIFY(f.flush());
        QCOMPARE(f.sent(LogEntry::Kind::Text).size(), 6);

        QVERIFY(f.panel.startRepeat(1, 1000)); // once is a repeat too
        QVERIFY(!f.panel.isRepeating());
        QCOMPARE(f.panel.findChild<QLabel*>(u"sendRepeatLabel"_s)->text(), u"sent 1 / 1"_s);
        QVERIFY(f.flush());
        QCOMPARE(f.sent(LogEntry::Kind::Text).size(), 8);
        QCOMPARE(f.echoed(LogEntry::Kind::Text).at(6).payload, QByteArray("#6"));
    }

    void repeatUntilStopped()
    {
        Fixture f;
        f.session.open();
        QVERIFY(waitForState(&f.session, Session::State::Open));
        f.panel.setMode(SendPanel::Mode::Hex);
        f.panel.setText(u"ab cd"_s);
        QVERIFY(f.panel.startRepeat(0, 5));
        QTRY_VERIFY(f.echoed(LogEntry::Kind::Binary).size() >= 3);
        QVERIFY(f.panel.isRepeating());
        f.panel.stopRepeat();
        const int count = f.panel.repeatSent();
        QVERIFY(f.flush());
        QCOMPARE(int(f.sent(LogEntry::Kind::Binary).size()), count);
        QCOMPARE(f.echoed(LogEntry::Kind::Binary).first().payload, QByteArray("\xab\xcd"));
    }

    void fragmentedMessageArrivesWhole()
    {
        Fixture f;
        f.session.open();
        QVERIFY(waitForState(&f.session, Session::State::Open));
        f.panel.setFrameSize(4);
        f.panel.setMode(SendPanel::Mode::Hex);
        f.panel.setText(u"00 01 02 03 04 05 06 07 08 ff"_s);
        QVERIFY(f.panel.send());
        QVERIFY2(f.panel.statusText().contains(u"3 frames"_s), qPrintable(f.panel.statusText()));
        QVERIFY(f.flush());
        QCOMPARE(f.echoed(LogEntry::Kind::Binary).size(), 1);
        QCOMPARE(f.echoed(LogEntry::Kind::Binary).first().payload,
            QByteArray("\x00\x01\x02\x03\x04\x05\x06\x07\x08\xff", 10));

        // The wire view shows the frames that carried it: binary 4 + continuation 4 + final 2,
        // masked as a client must; the echo server answers with one unfragmented frame.
        const LogEntry sent = f.sent(LogEntry::Kind::Binary).first();
        QCOMPARE(sent.frames.size(), 3);
        QCOMPARE(sent.frames.at(0).opcode, quint8(OpBinary));
        QCOMPARE(sent.frames.at(1).opcode, quint8(OpContinuation));
        QCOMPARE(sent.frames.at(2).opcode, quint8(OpContinuation));
        QCOMPARE(sent.frames.at(0).fin, false);
        QCOMPARE(sent.frames.at(2).fin, true);
        QCOMPARE(sent.frames.at(0).length, quint64(4));
        QCOMPARE(sent.frames.at(2).length, quint64(2));
        QCOMPARE(sent.frames.at(2).payloadOffset, quint64(8));
        QVERIFY(sent.frames.at(1).masked);
        QCOMPARE(f.echoed(LogEntry::Kind::Binary).first().frames.size(), 1);
    }

    void pingWithPayload()
    {
        Fixture f;
        f.session.open();
        QVERIFY(waitForState(&f.session, Session::State::Open));
        f.panel.setPingPayload(QString(126, u'x'));
        QVERIFY(!f.panel.ping());
        QVERIFY(f.panel.statusText().contains(u"125"_s));
        f.panel.setPingPayload(u"hé"_s);
        QVERIFY(f.panel.ping());
        QTRY_COMPARE(f.echoed(LogEntry::Kind::Pong).size(), 1);
        QCOMPARE(f.echoed(LogEntry::Kind::Pong).first().payload, QByteArray("h\xc3\xa9"));
        QCOMPARE(f.sent(LogEntry::Kind::Ping).size(), 1);
    }

    void closeWithChosenCode()
    {
        Fixture f;
        f.session.open();
        QVERIFY(waitForState(&f.session, Session::State::Open));
        f.panel.setCloseCode(1005);
        QVERIFY(!f.panel.closeSession());
        QCOMPARE(f.session.state(), Session::State::Open);
        f.panel.setCloseCode(4001);
        f.panel.setCloseReason(QString(124, u'r'));
        QVERIFY(!f.panel.closeSession());
        QCOMPARE(f.session.state(), Session::State::Open);
        f.panel.setCloseReason(u"done here"_s);
        QVERIFY(f.panel.closeSession());
        QVERIFY(waitForState(&f.session, Session::State::Closed));
        QCOMPARE(f.sent(LogEntry::Kind::Close).size(), 1);
        QCOMPARE(f.sent(LogEntry::Kind::Close).first().closeCode, quint16(4001));
        QCOMPARE(f.sent(LogEntry::Kind::Close).first().closeReason(), QByteArray("done here"));
    }

    void historyPerProfileWithUpDown()
    {
        Fixture f;
        f.session.open();
        QVERIFY(waitForState(&f.session, Session::State::Open));
        QSignalSpy changed(&f.panel, &SendPanel::historyChanged);
        QCOMPARE(f.panel.profileId(), u"builtin-echo"_s);
        auto* editor = f.panel.findChild<QPlainTextEdit*>(u"sendEditor"_s);
        f.panel.show();
        f.panel.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&f.panel));
        editor->setFocus();
        f.panel.setText(u"first"_s);
        QTest::keyClick(editor, Qt::Key_Return, Qt::ControlModifier); // Ctrl+Enter sends
        f.panel.setText(u"second\nline"_s);
        QVERIFY(f.panel.send());
        QCOMPARE(f.panel.history(), (QStringList { u"first"_s, u"second\nline"_s }));
        QCOMPARE(changed.size(), 2);
        QCOMPARE(changed.last().at(0).toString(), u"builtin-echo"_s);
        QTRY_COMPARE(f.echoed(LogEntry::Kind::Text).size(), 2);

        f.panel.setText(u"draft"_s);
        editor->moveCursor(QTextCursor::Start);
        QTest::keyClick(editor, Qt::Key_Up);
        QCOMPARE(f.panel.text(), u"second\nline"_s);
        editor->moveCursor(QTextCursor::Start);
        QTest::keyClick(editor, Qt::Key_Up);
        QCOMPARE(f.panel.text(), u"first"_s);
        QTest::keyClick(editor, Qt::Key_Up); // nothing older
        QCOMPARE(f.panel.text(), u"first"_s);
        QTest::keyClick(editor, Qt::Key_Down);
        QCOMPARE(f.panel.text(), u"second\nline"_s);
        QTest::keyClick(editor, Qt::Key_Down); // cursor at the end: last line
        QCOMPARE(f.panel.text(), u"draft"_s);

        // another profile has its own history
        f.panel.setProfileId(u"other"_s);
        QVERIFY(f.panel.history().isEmpty());
        f.panel.setHistory(u"other"_s, { u"x"_s });
        QVERIFY(f.panel.historyUp());
        QCOMPARE(f.panel.text(), u"x"_s);
        QCOMPARE(f.panel.allHistory().value(u"builtin-echo"_s).size(), 2);
    }

    void savedMessages()
    {
        Profile profile = Profile::builtinEcho();
        profile.savedMessages = { { u"hello"_s, u"text"_s, u"hi"_s } };
        Session session(profile);
        SendPanel panel;
        panel.setSession(&session);
        QCOMPARE(panel.savedMessages().size(), 1);
        QSignalSpy changed(&panel, &SendPanel::savedMessagesChanged);
        panel.setMode(SendPanel::Mode::Hex);
        panel.setText(u"01 02"_s);
        panel.saveCurrentMessage(u"bytes"_s);
        panel.saveCurrentMessage(u"bytes"_s);
        QCOMPARE(changed.size(), 2);
        auto list = changed.last().at(0).value<QList<SavedMessage>>();
        QCOMPARE(list.size(), 3);
        QCOMPARE(list.at(1), (SavedMessage { u"bytes"_s, u"hex"_s, u"01 02"_s }));
        QCOMPARE(list.at(2).name, u"bytes (2)"_s);

        SavedMessagesWidget* w = panel.savedMessagesWidget();
        w->move(2, 0);
        QCOMPARE(panel.savedMessages().first().name, u"bytes (2)"_s);
        w->rename(0, u"renamed"_s);
        w->rename(1, u"  "_s); // not a name: ignored
        QCOMPARE(panel.savedMessages().at(1).name, u"hello"_s);
        w->removeAt(2);
        QCOMPARE(changed.size(), 5);
        QCOMPARE(changed.last().at(0).value<QList<SavedMessage>>(), panel.savedMessages());
        QCOMPARE(panel.savedMessages().size(), 2);
        QCOMPARE(panel.savedMessages().at(0).name, u"renamed"_s);

        panel.setMode(SendPanel::Mode::Text);
        panel.insertSavedMessage(panel.savedMessages().at(0));
        QCOMPARE(panel.mode(), SendPanel::Mode::Hex);
        QCOMPARE(panel.text(), u"01 02"_s);
    }
};

QTEST_MAIN(tst_SendPanel)
#include "tst_sendpanel.moc"
