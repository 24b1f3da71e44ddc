#include "capture/capturewriter.h"
#include "server/builtinserver.h"
#include "session/connection.h"
#include "session/session.h"
#include "session/sessionevents.h"
#include "testhelpers.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;
using wsi::test::EntryRecorder;
using wsi::test::waitForState;

namespace {
QList<QJsonObject> readCapture(const QString& path)
{
    QList<QJsonObject> out;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return out;
    while (!f.atEnd()) {
        const QByteArray line = f.readLine();
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject()) {
            qWarning() << "not a JSON object:" << line << error.errorString();
            return {};
        }
        out.append(doc.object());
    }
    return out;
}

QList<QJsonObject> events(const QList<QJsonObject>& lines, const QString& name)
{
    QList<QJsonObject> out;
    for (const QJsonObject& o : lines) {
        if (o.value(u"event"_s).toString() == name)
            out.append(o);
    }
    return out;
}
} // namespace

class tst_CaptureWriter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanupTestCase() { BuiltinServers::shutdown(); }

    void everyLineIsJsonWithTheRequiredFields()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"cap.jsonl"_s);
        Session session(Profile::builtinEcho());
        QCOMPARE(session.setCaptureFile(path).errorMessage(), QString());
        session.open();
        QVERIFY(waitForState(&session, Session::State::Open));
        session.setOutgoingFrameSize(3);
        QVERIFY(session.sendText(u"héllo"_s).ok());
        QVERIFY(session.sendBinary(QByteArray("\x00\xff\x10", 3)).ok());
        QVERIFY(session.ping("pp").ok());
        QTRY_VERIFY(session.lastPingRttMs() >= 0);
        QVERIFY(session.close(1000, u"done"_s).ok());
        QVERIFY(waitForState(&session, Session::State::Closed));

        const QList<QJsonObject> lines = readCapture(path);
        QVERIFY(lines.size() > 8);
        const qint64 nowS = QDateTime::currentSecsSinceEpoch();
        for (const QJsonObject& o : lines) {
            QVERIFY(o.value(u"time"_s).isDouble());
            QVERIFY(std::abs(o.value(u"time"_s).toDouble() - double(nowS)) < 60);
            QVERIFY(!o.value(u"event"_s).toString().isEmpty());
            QCOMPARE(o.value(u"conn"_s).toInt(), 1);
        }
        QCOMPARE(lines.first().value(u"event"_s).toString(), u"connecting"_s);
        QCOMPARE(events(lines, u"tcp_connected"_s).size(), 1);
        const QJsonObject request = events(lines, u"request"_s).value(0);
        QCOMPARE(request.value(u"method"_s).toString(), u"GET"_s);
        QCOMPARE(request.value(u"version"_s).toString(), u"HTTP/1.1"_s);
        QVERIFY(request.value(u"raw"_s).toString().endsWith(u"\r\n\r\n"_s));
        QCOMPARE(request.value(u"headers"_s).toArray().first().toArray().first().toString(), u"Host"_s);
        const QJsonObject response = events(lines, u"response"_s).value(0);
        QCOMPARE(response.value(u"status"_s).toInt(), 101);
        QCOMPARE(response.value(u"reason"_s).toString(), u"Switching Protocols"_s);
        QVERIFY(response.value(u"headers"_s).isArray());

        const QList<QJsonObject> frames = events(lines, u"frame"_s);
        // "héllo" is 6 bytes: 3 + 3 frames, the first "h\xc3\xa9" is valid UTF-8 on its own.
        const QJsonObject first = frames.value(0);
        QCOMPARE(first.value(u"dir"_s).toString(), u"send"_s);
        QCOMPARE(first.value(u"opcode"_s).toInt(), 1);
        QCOMPARE(first.value(u"fin"_s).toBool(), false);
        QCOMPARE(first.value(u"rsv"_s).toInt(), 0);
        QCOMPARE(first.value(u"masked"_s).toBool(), true);
        QCOMPARE(first.value(u"mask_key"_s).toString().size(), 8);
        QCOMPARE(first.value(u"length"_s).toInt(), 3);
        QCOMPARE(first.value(u"text"_s).toString(), u"hé"_s);
        bool sawBinary = false, sawClose = false, sawReceive = false;
        for (const QJsonObject& f : frames) {
            for (const char* key : { "dir", "fin", "rsv", "opcode", "masked", "length" })
                QVERIFY2(f.contains(QLatin1StringView(key)), key);
            QVERIFY(f.contains(u"text"_s) || f.contains(u"base64"_s));
            QCOMPARE(f.contains(u"mask_key"_s), f.value(u"masked"_s).toBool());
            if (f.value(u"opcode"_s).toInt() == 2) {
                sawBinary = true;
                QCOMPARE(
                    QByteArray::fromBase64(f.value(u"base64"_s).toString().toLatin1()), QByteArray("\x00\xff\x10", 3));
            }
            if (f.value(u"opcode"_s).toInt() == 8 && f.value(u"dir"_s).toString() == u"send") {
                sawClose = true;
                QCOMPARE(f.value(u"close_code"_s).toInt(), 1000);
                QCOMPARE(f.value(u"close_reason"_s).toString(), u"done"_s);
            }
            sawReceive = sawReceive || f.value(u"dir"_s).toString() == u"receive";
        }
        QVERIFY(sawBinary && sawClose && sawReceive);
        QCOMPARE(events(lines, u"closed"_s).value(0).value(u"code"_s).toInt(), 1000);
    }

    void failuresAreRecordedAsErrors()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close();
        QTemporaryDir dir;
        const QString path = dir.filePath(u"cap.jsonl"_s);
        Profile p;
        p.url = u"ws://127.0.0.1:%1/"_s.arg(port);
        Session session(p);
        QCOMPARE(session.setCaptureFile(path).errorMessage(), QString());
        session.open();
        QVERIFY(waitForState(&session, Session::State::Failed));
        const auto errors = events(readCapture(path), u"error"_s);
        QCOMPARE(errors.size(), 1);
        QVERIFY(errors.first().value(u"message"_s).toString().contains(u"Connection refused"_s));
    }

    void captureAfterKill9HoldsEverythingShownBeforeIt()
    {
        // The real program, as a user runs it, killed without a chance to flush anything.
        QTemporaryDir dir;
        const QString path = dir.filePath(u"kill.jsonl"_s);
        QProcess proc;
        QElapsedTimer clock;
        QList<std::pair<qint64, QByteArray>> shown; // stdout lines with their arrival time
        QByteArray partial;
        int texts = 0;
        connect(&proc, &QProcess::readyReadStandardOutput, this, [&] {
            partial += proc.readAllStandardOutput();
            for (qsizetype nl = partial.indexOf('\n'); nl >= 0; nl = partial.indexOf('\n')) {
                const QByteArray line = partial.left(nl);
                partial.remove(0, nl + 1);
                texts += line.contains("< text") ? 1 : 0;
                shown.append({ clock.elapsed(), line });
            }
        });
        clock.start();
        proc.start(QString::fromUtf8(WSI_BINARY),
            { u"--cli"_s, u"builtin:push?interval=2&count=1000000&size=40"_s, u"--capture"_s, path });
        QVERIFY2(proc.waitForStarted(), qPrintable(proc.errorString()));
        QTRY_VERIFY_WITH_TIMEOUT(texts >= 300, 30000);
        const qint64 killedAt = clock.elapsed();
        proc.kill(); // SIGKILL
        QVERIFY(proc.waitForFinished(10000));
        QCOMPARE(proc.exitStatus(), QProcess::CrashExit);

        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().split('\n');
        QSet<QString> captured; // text frames received
        // Every complete line is a JSON object; only the last one may be cut (it has no newline).
        for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson(lines.at(i), &error);
            QVERIFY2(error.error == QJsonParseError::NoError && doc.isObject(),
                qPrintable(u"line %1: %2"_s.arg(i + 1).arg(error.errorString())));
            const QJsonObject o = doc.object();
            if (o.value(u"event"_s).toString() == u"frame" && o.value(u"dir"_s).toString() == u"receive")
                captured.insert(o.value(u"text"_s).toString());
        }
        // Every message the terminal showed more than 200 ms before the kill is in the file.
        int checked = 0;
        for (const auto& [at, line] : std::as_const(shown)) {
            const qsizetype bytes = line.indexOf(" B  ");
            if (at >= killedAt - 200 || !line.contains("< text") || bytes < 0)
                continue;
            const QString text = QString::fromUtf8(line.mid(bytes + 4));
            QVERIFY2(captured.contains(text),
                qPrintable(u"shown at %1 ms, killed at %2 ms, not captured: "_s.arg(at).arg(killedAt) + text));
            ++checked;
        }
        QVERIFY2(checked >= 100, qPrintable(QString::number(checked)));
    }

    void writeErrorStopsRecordingButNotTheSession()
    {
        // /dev/full opens fine and fails every write, as a full disk does.
        if (!QFileInfo::exists(u"/dev/full"_s))
            QSKIP("no /dev/full here");
        Session session(Profile::builtinEcho());
        EntryRecorder rec(&session);
        QSignalSpy stopped(&session, &Session::captureStopped);
        QCOMPARE(session.setCaptureFile(u"/dev/full"_s).errorMessage(), QString());
        session.open();
        QVERIFY(waitForState(&session, Session::State::Open));
        QTRY_COMPARE(stopped.size(), 1);
        const QString message = stopped.first().first().toString();
        QVERIFY2(message.contains(u"/dev/full"_s) && message.contains(u"Recording stopped"_s), qPrintable(message));
        const auto errors = rec.ofKind(LogEntry::Kind::Error, Direction::None);
        QCOMPARE(errors.size(), 1);
        QCOMPARE(QString::fromUtf8(errors.first().payload), message);
        // The session goes on.
        QVERIFY(session.sendText(u"still here"_s).ok());
        QTRY_COMPARE(rec.ofKind(LogEntry::Kind::Text, Direction::Receive).size(), 1);
        QCOMPARE(session.state(), Session::State::Open);
        QCOMPARE(stopped.size(), 1);
    }

    void writeErrorWhenSwitchingCaptureIsReported()
    {
        // The old writer's last flush fails as the capture is switched off: still said, not lost.
        if (!QFileInfo::exists(u"/dev/full"_s))
            QSKIP("no /dev/full here");
        auto writer = std::make_shared<CaptureWriter>();
        QCOMPARE(writer->open(u"/dev/full"_s).errorMessage(), QString());
        Connection connection(Profile::builtinEcho()); // in this thread
        connection.setCapture(writer);
        connection.sendText(u"x"_s); // not connected: an Error entry, buffered for the capture
        QVERIFY(writer->hasPending());
        connection.setCapture(nullptr);
        QVERIFY(writer->failed());
        QString stoppedMessage;
        QStringList errors;
        QTRY_VERIFY([&] {
            for (const SessionEvents& batch : connection.takeEvents()) {
                for (const LogEntry& e : batch.entries) {
                    if (e.kind == LogEntry::Kind::Error)
                        errors.append(QString::fromUtf8(e.payload));
                }
                for (const SessionEvents::Marker& m : batch.markers) {
                    if (m.type == SessionEvents::Marker::Type::CaptureStopped)
                        stoppedMessage = m.message;
                }
            }
            return !stoppedMessage.isEmpty();
        }());
        QVERIFY2(stoppedMessage.contains(u"/dev/full"_s), qPrintable(stoppedMessage));
        QVERIFY(errors.contains(stoppedMessage));
    }

    void unwritablePathIsExplained()
    {
        Session session(Profile::builtinEcho());
        const Result<void> opened = session.setCaptureFile(u"/nonexistent-dir/x/cap.jsonl"_s);
        QVERIFY(!opened);
        QVERIFY2(opened.errorMessage().contains(u"/nonexistent-dir/x/cap.jsonl"_s), qPrintable(opened.errorMessage()));
    }
};

QTEST_GUILESS_MAIN(tst_CaptureWriter)
#include "tst_capturewriter.moc"
