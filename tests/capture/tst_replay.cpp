// Replay with a diff: JSON compared as data (key order, exact numbers, ignored fields), and a
// recorded conversation sent again to the built-in echo server and to npm ws (recorded live).
#include "capture/capturefilereader.h"
#include "capture/jsondiff.h"
#include "capture/replayer.h"
#include "server/builtinserver.h"
#include "testhelpers.h"

#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsi;

namespace {

QString dataFile(const QString& name)
{
    return QStringLiteral(WSI_CAPTURE_TEST_DATA) + u'/' + name;
}

JsonDiff::Options options(const QStringList& pointers = {}, const QStringList& patterns = {})
{
    auto o = JsonDiff::makeOptions(pointers, patterns);
    return o ? *o : JsonDiff::Options();
}

ReplayResult runReplay(ReplayPlan plan)
{
    Replayer replayer(plan);
    QSignalSpy done(&replayer, &Replayer::finished);
    replayer.start();
    if (!done.wait(20000))
        return ReplayResult { u"the replay did not finish"_s, 0, {} };
    return done.first().first().value<ReplayResult>();
}

// The npm "ws" peer of the interop tests (tests/interop/ws_server.js): greets with the request's
// raw headers as JSON, then echoes.
class WsPeer
{
public:
    ~WsPeer()
    {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
    QString start()
    {
        const QString node = QStandardPaths::findExecutable(u"node"_s);
        if (node.isEmpty())
            return u"node is not installed (scripts/lib.sh installs nodejs)"_s;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"NODE_PATH"_s, qEnvironmentVariable("WSI_NODE_MODULES"));
        m_process.setProcessEnvironment(env);
        m_process.start(node, { QStringLiteral(WSI_INTEROP_DIR "/ws_server.js") });
        QByteArray out;
        QDeadlineTimer deadline(15000);
        while (!deadline.hasExpired() && !out.contains('\n')) {
            if (!m_process.waitForReadyRead(int(std::max<qint64>(1, deadline.remainingTime()))))
                break;
            out += m_process.readAllStandardOutput();
        }
        if (!out.startsWith("PORT "))
            return u"ws_server.js printed no port: %1"_s.arg(QString::fromUtf8(m_process.readAllStandardError()));
        m_port = out.mid(5, out.indexOf('\n') - 5).toUShort();
        return {};
    }
    QString url() const { return u"ws://127.0.0.1:%1/replay"_s.arg(m_port); }

private:
    QProcess m_process;
    quint16 m_port = 0;
};

} // namespace

class tst_Replay : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanupTestCase() { BuiltinServers::shutdown(); }

    void jsonKeyOrderIsIgnoredNumbersAreExact()
    {
        QVERIFY(JsonDiff::compare("{\"a\":1,\"b\":[1,2]}", "{\"b\":[1,2],\"a\":1}", true, options()).isEmpty());
        const auto d = JsonDiff::compare("{\"a\":1,\"b\":[1,2]}", "{\"b\":[1,2.0000001],\"a\":1}", true, options());
        QCOMPARE(d.size(), 1);
        QCOMPARE(d.first().pointer, u"/b/1"_s);
        QCOMPARE(JsonDiff::describe(d.first()), u"/b/1: 2 → 2.0000001"_s);
        // 1 and 1.0 are the same number; "1" is not.
        QVERIFY(JsonDiff::compare("[1]", "[1.0]", true, options()).isEmpty());
        QCOMPARE(JsonDiff::compare("[1]", "[\"1\"]", true, options()).size(), 1);
    }

    void missingAndExtraFieldsAreNamed()
    {
        const auto d = JsonDiff::compare("{\"a\":1,\"gone\":true}", "{\"a\":1,\"new\":null}", true, options());
        QCOMPARE(d.size(), 2);
        QCOMPARE(d.at(0).pointer, u"/gone"_s);
        QVERIFY(d.at(0).missingActual);
        QCOMPARE(d.at(1).pointer, u"/new"_s);
        QVERIFY(d.at(1).missingRecorded);
        const auto arrays = JsonDiff::compare("[1,2,3]", "[1,2]", true, options());
        QCOMPARE(arrays.size(), 1);
        QCOMPARE(arrays.first().pointer, u"/2"_s);
    }

    void ignoredByPointerAndPattern()
    {
        const QByteArray a
            = R"({"id":"a-1","items":[{"t":1,"v":"x"},{"t":2,"v":"y"}],"at":"2026-12-01T10:00:00Z","k/ey":1})";
        const QByteArray b
            = R"({"id":"b-2","items":[{"t":8,"v":"x"},{"t":9,"v":"y"}],"at":"2026-12-01T11:30:00Z","k/ey":2})";
        QCOMPARE(JsonDiff::compare(a, b, true, options()).size(), 5);
        const auto some = JsonDiff::compare(a, b, true, options({ u"/id"_s, u"/items/*/t"_s, u"/k~1ey"_s }));
        QCOMPARE(some.size(), 1);
        QCOMPARE(some.first().pointer, u"/at"_s);
        QVERIFY(JsonDiff::compare(
            a, b, true, options({ u"/id"_s, u"/items/*/t"_s, u"/k~1ey"_s }, { u"\\d{4}-\\d\\d-\\d\\dT[0-9:]+Z"_s }))
                    .isEmpty());
        // Text that is not JSON: patterns apply to the whole message.
        QVERIFY(JsonDiff::compare("took 12 ms", "took 15 ms", true, options({}, { u"\\d+ ms"_s })).isEmpty());
        QCOMPARE(JsonDiff::compare("took 12 ms", "took 15 ms", true, options()).size(), 1);
        QCOMPARE(JsonDiff::compare("\x01\x02", "\x01\x03", false, options()).size(), 1);
    }

    void badRulesAreRefusedWithTheReason()
    {
        const auto pointer = JsonDiff::makeOptions({ u"id"_s }, {});
        QVERIFY(!pointer);
        QVERIFY(pointer.errorMessage().contains(u"must start with /"_s));
        const auto pattern = JsonDiff::makeOptions({}, { u"(["_s });
        QVERIFY(!pattern);
        QVERIFY(pattern.errorMessage().contains(u"not a valid regular expression"_s));
    }

    void replayAgainstTheEchoServerMatches()
    {
        const auto sessions = CaptureFileReader::readAll(dataFile(u"replay-match.jsonl"_s));
        QVERIFY2(sessions, qPrintable(sessions.errorMessage()));
        for (const auto pacing :
            { ReplayPlan::Pacing::AfterAnswer, ReplayPlan::Pacing::Recorded, ReplayPlan::Pacing::AsFastAsPossible }) {
            ReplayPlan plan = ReplayPlan::fromSession(sessions->first(), u"builtin:echo"_s);
            plan.pacing = pacing;
            plan.speed = 10;
            QCOMPARE(plan.toSend.size(), 3);
            const ReplayResult r = runReplay(plan);
            QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
            QCOMPARE(r.sent, 3);
            QCOMPARE(r.matches.size(), 3);
            QVERIFY(r.ok());
        }
    }

    void replayAgainstTheEchoServerDiffers()
    {
        const auto sessions = CaptureFileReader::readAll(dataFile(u"replay-differ.jsonl"_s));
        QVERIFY(sessions);
        ReplayPlan plan = ReplayPlan::fromSession(sessions->first(), u"builtin:echo"_s);
        ReplayResult r = runReplay(plan);
        QVERIFY(r.error.isEmpty());
        QCOMPARE(r.differing(), 1);
        QCOMPARE(r.matches.at(1).differences.size(), 1);
        QCOMPARE(r.matches.at(1).differences.first().pointer, u"/t"_s);
        QCOMPARE(r.matches.at(1).differences.first().recorded, u"9"_s);
        QCOMPARE(r.matches.at(1).differences.first().actual, u"5"_s);
        plan.diff = options({ u"/t"_s });
        r = runReplay(plan);
        QVERIFY(r.ok());
    }

    void connectionFailureIsAnError()
    {
        const auto sessions = CaptureFileReader::readAll(dataFile(u"replay-match.jsonl"_s));
        QVERIFY(sessions);
        // The recorded URL (port 9, nothing listens there).
        const ReplayResult r = runReplay(ReplayPlan::fromSession(sessions->first()));
        QVERIFY(!r.error.isEmpty());
        QVERIFY(!r.ok());
    }

    void recordedAgainstNpmWsAndReplayed()
    {
        WsPeer recordPeer;
        const QString error = recordPeer.start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QTemporaryDir dir;
        const QString capture = dir.filePath(u"ws.jsonl"_s);
        {
            Profile p;
            p.url = recordPeer.url();
            p.headers.append({ u"X-Replay"_s, u"yes"_s });
            Session session(p);
            QVERIFY(session.setCaptureFile(capture).ok());
            test::EntryRecorder rec(&session);
            session.open();
            QVERIFY(test::waitForState(&session, Session::State::Open));
            QVERIFY(session.sendText(u"{\"n\":1,\"list\":[true,null]}"_s).ok());
            QVERIFY(session.sendBinary(QByteArray("\x00\xff", 2)).ok());
            QTRY_COMPARE(rec.ofKind(LogEntry::Kind::Binary, Direction::Receive).size(), 1);
            QVERIFY(session.close().ok());
            QVERIFY(test::waitForState(&session, Session::State::Closed));
            QVERIFY(session.setCaptureFile({}).ok());
        }
        QTRY_VERIFY(QFileInfo(capture).size() > 0);
        const auto sessions = CaptureFileReader::readAll(capture);
        QVERIFY2(sessions, qPrintable(sessions.errorMessage()));
        QTRY_VERIFY(CaptureFileReader::readAll(capture)->first().entries.size() > 6);

        WsPeer replayPeer;
        QVERIFY(replayPeer.start().isEmpty());
        ReplayPlan plan = ReplayPlan::fromSession(*CaptureFileReader::readAll(capture)->begin(), replayPeer.url());
        QVERIFY(plan.profile.headers.contains(ProfileHeader { u"X-Replay"_s, u"yes"_s }));
        QCOMPARE(plan.toSend.size(), 2);
        QCOMPARE(plan.expected.size(), 3); // the greeting and two echoes
        // The greeting lists the request's headers: Host (another port) and the key differ.
        ReplayResult r = runReplay(plan);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(r.matches.size(), 3);
        QCOMPARE(r.differing(), 1);
        QVERIFY(r.matches.at(0).differences.first().pointer.startsWith(u"/rawHeaders/"_s));
        QVERIFY(r.matches.at(1).matches());
        QVERIFY(r.matches.at(2).matches());
        plan.diff = options({ u"/rawHeaders"_s });
        r = runReplay(plan);
        QVERIFY(r.ok());
    }
};

QTEST_GUILESS_MAIN(tst_Replay)
#include "tst_replay.moc"
