#include "send/actionrunner.h"
#include "server/builtinserver.h"
#include "session/session.h"
#include "testhelpers.h"

#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;
using wsi::test::EntryRecorder;
using wsi::test::waitForState;

class tst_ActionRunner : public QObject
{
    Q_OBJECT

    struct Fixture
    {
        Session session { Profile::builtinEcho() };
        EntryRecorder rec { &session };
        ActionRunner runner { &session };
        QSignalSpy failed { &runner, &ActionRunner::failed };
        QSignalSpy finished { &runner, &ActionRunner::finished };

        QList<LogEntry> sent() const
        {
            QList<LogEntry> out;
            for (const LogEntry& e : rec.entries) {
                if (e.dir == Direction::Send && (e.isMessage() || e.isControl()))
                    out.append(e);
            }
            return out;
        }
        QList<LogEntry> echoed(LogEntry::Kind kind) const { return rec.ofKind(kind, Direction::Receive); }
        // Once this text is echoed, everything sent before it was too.
        bool flush()
        {
            auto flushes = [this] {
                const auto texts = echoed(LogEntry::Kind::Text);
                return std::count_if(
                    texts.begin(), texts.end(), [](const LogEntry& e) { return e.payload == "flush"; });
            };
            const auto before = flushes();
            if (!session.sendText(u"flush"_s).ok())
                return false;
            return QTest::qWaitFor([&] { return flushes() > before; }, 10000);
        }
        QStringList errors() const
        {
            QStringList out;
            for (const auto& args : failed)
                out.append(args.at(0).toString());
            return out;
        }
    };

    static MessageRequest hex(const QString& input)
    {
        MessageRequest r;
        r.kind = MessageRequest::Kind::Hex;
        r.input = input;
        return r;
    }

private Q_SLOTS:
    void cleanupTestCase() { BuiltinServers::shutdown(); }

    // Started before the connection exists, the list goes out in order once it is open.
    void runsInOrderOnceOpen()
    {
        Fixture f;
        f.runner.start({ Action::text(u"a{{counter}}"_s), Action::binary(QByteArray("\xff\x00", 2)), Action::ping("p"),
            Action::send(hex(u"01 02"_s)), Action::text(u"b{{counter}}"_s) });
        QVERIFY(!f.runner.isRunning());
        f.session.open();
        QTRY_COMPARE(f.finished.size(), 1);
        QVERIFY(f.flush());
        const QList<LogEntry> sent = f.sent();
        QCOMPARE(sent.size(), 6);
        QCOMPARE(sent.at(0).kind, LogEntry::Kind::Text);
        QCOMPARE(sent.at(0).payload, QByteArray("a1"));
        QCOMPARE(sent.at(1).kind, LogEntry::Kind::Binary);
        QCOMPARE(sent.at(1).payload, QByteArray("\xff\x00", 2));
        QCOMPARE(sent.at(2).kind, LogEntry::Kind::Ping);
        QCOMPARE(sent.at(2).payload, QByteArray("p"));
        QCOMPARE(sent.at(3).payload, QByteArray("\x01\x02"));
        QCOMPARE(sent.at(4).payload, QByteArray("b2"));
        QVERIFY(f.errors().isEmpty());
    }

    void repeatExpandsPlaceholdersPerSend()
    {
        Fixture f;
        f.session.open();
        QVERIFY(waitForState(&f.session, Session::State::Open));
        QSignalSpy progress(&f.runner, &ActionRunner::repeatProgress);
        MessageRequest r;
        r.input = u"#{{counter}} {{uuid}}"_s;
        f.runner.start({ Action::send(r, 3, 0) });
        QTRY_COMPARE(f.finished.size(), 1);
        QCOMPARE(f.runner.repeatSent(), 3);
        QCOMPARE(progress.last().at(0).toInt(), 3);
        QCOMPARE(progress.last().at(1).toInt(), 3);
        QTRY_COMPARE(f.echoed(LogEntry::Kind::Text).size(), 3);
        const auto texts = f.echoed(LogEntry::Kind::Text);
        for (int i = 0; i < 3; ++i)
            QVERIFY(texts.at(i).payload.startsWith(QByteArray("#" + QByteArray::number(i + 1) + " ")));
        QVERIFY(texts.at(0).payload.mid(3) != texts.at(1).payload.mid(3)); // a new uuid every time
        QVERIFY(f.flush());
        QCOMPARE(f.sent().size(), 4); // three and the flush: no more
    }

    void repeatKeepsItsInterval()
    {
        Fixture f;
        f.session.open();
        QVERIFY(waitForState(&f.session, Session::State::Open));
        constexpr int kIntervalMs = 100;
        QElapsedTimer clock;
        clock.start();
        QList<qint64> sentAtMs;
        connect(&f.runner, &ActionRunner::messageSent, this, [&] { sentAtMs.append(clock.elapsed()); });
        f.runner.start({ Action::send(hex(u"aa"_s), 4, kIntervalMs), Action::text(u"after"_s) });
        QVERIFY(f.runner.isRunning());
        QCOMPARE(f.runner.repeatSent(), 1); // the first goes at once
        QTRY_COMPARE(f.finished.size(), 1);
        QVERIFY(f.flush());
        const QList<LogEntry> sent = f.sent();
        QCOMPARE(sent.size(), 6);
        QCOMPARE(sentAtMs.size(), 5);
        for (int i = 1; i < 4; ++i) { // a timer may fire up to 5 % early
            const qint64 gapMs = sentAtMs.at(i) - sentAtMs.at(i - 1);
            QVERIFY2(gapMs >= kIntervalMs * 95 / 100, qPrintable(u"gap %1 ms"_s.arg(gapMs)));
        }
        QCOMPARE(sent.at(4).payload, QByteArray("after")); // the list goes on after the repeat
    }

    void repeatUntilStoppedStopsAtOnce()
    {
        Fixture f;
        f.session.open();
        QVERIFY(waitForState(&f.session, Session::State::Open));
        f.runner.start({ Action::send(hex(u"bb"_s), 0, 5), Action::text(u"never"_s) });
        QTRY_VERIFY(f.runner.repeatSent() >= 3);
        f.runner.stop();
        QVERIFY(!f.runner.isRunning());
        const int count = f.runner.repeatSent();
        QVERIFY(f.flush());
        QCOMPARE(int(f.sent().size()), count + 1);
        QVERIFY(f.errors().isEmpty());
    }

    void closeStopsTheRest()
    {
        Fixture f;
        f.session.open();
        QVERIFY(waitForState(&f.session, Session::State::Open));
        f.runner.start(
            { Action::text(u"one"_s), Action::close(4001, u"bye"_s), Action::text(u"never"_s), Action::ping() });
        QCOMPARE(f.finished.size(), 1);
        QVERIFY(waitForState(&f.session, Session::State::Closed));
        const QList<LogEntry> sent = f.sent();
        QCOMPARE(sent.size(), 2);
        QCOMPARE(sent.at(1).kind, LogEntry::Kind::Close);
        QCOMPARE(sent.at(1).closeCode, quint16(4001));
        QCOMPARE(sent.at(1).closeReason(), QByteArray("bye"));
        QVERIFY2(f.errors().isEmpty(), qPrintable(f.errors().join(u'\n')));
    }

    void connectionLossStopsTheRestAndSaysSo()
    {
        Fixture f;
        f.session.open();
        QVERIFY(waitForState(&f.session, Session::State::Open));
        f.runner.start({ Action::send(hex(u"cc"_s), 0, 5) });
        QTRY_VERIFY(f.runner.repeatSent() >= 2);
        QVERIFY(f.session.close(1000, {}).ok()); // someone else closes
        QVERIFY(!f.runner.isRunning());
        QCOMPARE(f.errors().size(), 1);
        QVERIFY2(f.errors().first().contains(u"connection closed"_s), qPrintable(f.errors().first()));
        const int count = f.runner.repeatSent();
        QVERIFY(waitForState(&f.session, Session::State::Closed));
        QCOMPARE(int(f.sent().size()), count + 1); // the sends and the close
    }

    void errorsAreReportedAndTheListGoesOn()
    {
        Fixture f;
        f.session.open();
        QVERIFY(waitForState(&f.session, Session::State::Open));
        f.runner.start({ Action::text(u"{{nope}}"_s), Action::send(hex(u"0g"_s)), Action::frameSizeChange(-5),
            Action::ping(QByteArray(126, 'p')), Action::text(u"still sent"_s) });
        QCOMPARE(f.finished.size(), 1);
        const QStringList errors = f.errors();
        QCOMPARE(errors.size(), 4);
        QVERIFY2(errors.at(0).contains(u"{{nope}}"_s), qPrintable(errors.at(0)));
        QVERIFY2(errors.at(1).contains(u"position 2"_s), qPrintable(errors.at(1)));
        QVERIFY2(errors.at(2).contains(u"-5"_s), qPrintable(errors.at(2)));
        QVERIFY2(errors.at(3).contains(u"125"_s), qPrintable(errors.at(3)));
        QVERIFY(f.flush());
        const QList<LogEntry> sent = f.sent();
        QCOMPARE(sent.size(), 2);
        QCOMPARE(sent.at(0).payload, QByteArray("still sent"));
    }

    void runOneSaysWhyNothingWentOut()
    {
        Fixture f;
        const Result<ComposedMessage> r = f.runner.runOne(Action::text(u"hi"_s));
        QVERIFY(!r);
        QVERIFY2(r.error().message.contains(u"Not connected"_s), qPrintable(r.error().message));
        QVERIFY(f.failed.isEmpty()); // returned, not signalled
    }

    void frameSizeAndCloseAfter()
    {
        Fixture f;
        f.session.open();
        QVERIFY(waitForState(&f.session, Session::State::Open));
        const qint64 startUs = LogEntry::nowUs();
        f.runner.start({ Action::frameSizeChange(4), Action::send(hex(u"00 01 02 03 04 05 06 07 08 09"_s)),
            Action::closeAfter(300) });
        QVERIFY(f.runner.isRunning());
        QVERIFY(waitForState(&f.session, Session::State::Closed));
        const QList<LogEntry> sent = f.sent();
        QCOMPARE(sent.size(), 2);
        QCOMPARE(sent.at(0).frames.size(), 3); // 4 + 4 + 2 bytes
        QCOMPARE(sent.at(1).kind, LogEntry::Kind::Close);
        QCOMPARE(sent.at(1).closeCode, quint16(1000));
        QVERIFY2(sent.at(1).timeUs - startUs >= 270000, "closed before the wait was over");
        QVERIFY(f.errors().isEmpty());
    }

    void everyOpenRunsAgainAfterReconnect()
    {
        Fixture f;
        f.runner.start({ Action::text(u"#{{counter}}"_s) }, true);
        f.session.open();
        QTRY_COMPARE(f.finished.size(), 1);
        QVERIFY(f.session.close(1000, {}).ok());
        QVERIFY(waitForState(&f.session, Session::State::Closed));
        f.session.open();
        QTRY_COMPARE(f.finished.size(), 2);
        QVERIFY(f.flush());
        const auto texts = f.echoed(LogEntry::Kind::Text);
        QCOMPARE(texts.size(), 3);
        QCOMPARE(texts.at(0).payload, QByteArray("#1"));
        QCOMPARE(texts.at(1).payload, QByteArray("#2"));
    }
};

QTEST_GUILESS_MAIN(tst_ActionRunner)
#include "tst_actionrunner.moc"
