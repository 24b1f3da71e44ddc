// wsi::Session against two servers nobody here wrote: the npm "ws" package and the npm
// "websocket" package (WebSocket-Node). Headers byte-exact and in order, subprotocols, text and
// binary round trips, close code and reason both ways.
#include "session/session.h"
#include "testhelpers.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace wsi;
using namespace wsi::test;

namespace {

// One node peer process; prints "PORT <n>" and later "CLOSED <code> <reason>".
class NodePeer
{
public:
    ~NodePeer()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    // Empty string when started; otherwise why not (the test fails with it).
    QString start(const QString& script)
    {
        const QString node = QStandardPaths::findExecutable(u"node"_s);
        if (node.isEmpty())
            return u"node is not installed (apt-get install nodejs npm); the interop tests need it."_s;
        const QString modules = qEnvironmentVariable("WSI_NODE_MODULES");
        if (modules.isEmpty())
            return u"WSI_NODE_MODULES is not set; run the test through ctest (scripts/test.sh)."_s;
        for (const char* package : { "ws", "websocket" }) {
            if (!QFileInfo::exists(modules + u'/' + QLatin1StringView(package) + u"/package.json"_s))
                return u"npm package \"%1\" is missing under %2: run `cd tests/interop && npm ci` "
                       "(scripts/test.sh does this)."_s.arg(QLatin1StringView(package), modules);
        }
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"NODE_PATH"_s, modules);
        m_process.setProcessEnvironment(env);
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        m_process.start(node, { QStringLiteral(WSI_INTEROP_DIR) + u'/' + script });
        if (!m_process.waitForStarted(10000))
            return u"node did not start: %1"_s.arg(m_process.errorString());
        QDeadlineTimer deadline(15000);
        while (!deadline.hasExpired()) {
            readLines();
            for (const QString& line : std::as_const(m_lines)) {
                if (line.startsWith(u"PORT "_s)) {
                    m_port = line.mid(5).toUShort();
                    return {};
                }
            }
            if (m_process.state() == QProcess::NotRunning)
                break;
            m_process.waitForReadyRead(int(std::max<qint64>(1, deadline.remainingTime())));
        }
        return u"%1 printed no port: %2"_s.arg(script, QString::fromUtf8(m_process.readAllStandardError()));
    }

    quint16 port() const { return m_port; }

    QStringList lines()
    {
        readLines();
        return m_lines;
    }

private:
    void readLines()
    {
        m_buffer += m_process.readAllStandardOutput();
        qsizetype nl;
        while ((nl = m_buffer.indexOf('\n')) >= 0) {
            m_lines.append(QString::fromUtf8(m_buffer.left(nl)));
            m_buffer.remove(0, nl + 1);
        }
    }

    QProcess m_process;
    QByteArray m_buffer;
    QStringList m_lines;
    quint16 m_port = 0;
};

} // namespace

class tst_Interop : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<NodePeer> m_peer;

    // Opens a session to the peer and returns the server's hello (raw headers, chosen protocol).
    QJsonObject openAndHello(Session& session, EntryRecorder& recorder)
    {
        session.open();
        if (!waitForState(&session, Session::State::Open))
            return { { u"error"_s, session.stateReason() } };
        QDeadlineTimer deadline(10000);
        while (recorder.ofKind(LogEntry::Kind::Text, Direction::Receive).isEmpty() && !deadline.hasExpired())
            QTest::qWait(10);
        if (recorder.ofKind(LogEntry::Kind::Text, Direction::Receive).isEmpty())
            return { { u"error"_s, u"the server's first message (its view of the request) never arrived"_s } };
        return QJsonDocument::fromJson(recorder.ofKind(LogEntry::Kind::Text, Direction::Receive).first().payload)
            .object();
    }

    Profile profile() const
    {
        Profile p;
        p.name = u"interop"_s;
        p.url = u"ws://127.0.0.1:%1/interop?x=1"_s.arg(m_peer->port());
        return p;
    }

private Q_SLOTS:
    void init()
    {
        QFETCH_GLOBAL(QString, script);
        m_peer = std::make_unique<NodePeer>();
        const QString error = m_peer->start(script);
        if (!error.isEmpty())
            QFAIL(qPrintable(error));
    }
    void cleanup() { m_peer.reset(); }

    void initTestCase_data()
    {
        QTest::addColumn<QString>("script");
        QTest::newRow("npm ws") << u"ws_server.js"_s;
        QTest::newRow("npm websocket") << u"websocket_server.js"_s;
    }

    void customHeadersArriveByteExactInOrder()
    {
        Profile p = profile();
        p.origin = u"https://example.com"_s;
        p.headers = {
            { u"X-Zeta"_s, u"first"_s },
            { u"x-lower-case"_s, u"MiXeD Value"_s },
            { u"X-Disabled"_s, u"must not arrive"_s, false },
            { u"X-Spaces"_s, u"a  b\tc, d;e=\"f\""_s },
            { u"X-Utf8"_s, u"Grüße 世界"_s },
            { u"Authorization"_s, u"Bearer abc.def"_s, true, true },
            { u"X-Alpha"_s, u"last"_s },
        };
        Session session(p);
        EntryRecorder recorder(&session);
        const QJsonObject hello = openAndHello(session, recorder);
        QVERIFY2(!hello.contains(u"error"_s), qPrintable(hello.value(u"error"_s).toString()));

        const QJsonArray raw = hello.value(u"rawHeaders"_s).toArray();
        QList<QPair<QByteArray, QByteArray>> custom;
        QByteArray origin;
        for (qsizetype i = 0; i + 1 < raw.size(); i += 2) {
            // Node hands raw header bytes over as latin1 characters: back to bytes.
            const QByteArray name = raw.at(i).toString().toLatin1();
            const QByteArray value = raw.at(i + 1).toString().toLatin1();
            if (name.toLower().startsWith("x-") || name == "Authorization")
                custom.append({ name, value });
            if (name.toLower() == "origin")
                origin = value;
        }
        const QList<QPair<QByteArray, QByteArray>> expected {
            { "X-Zeta", "first" },
            { "x-lower-case", "MiXeD Value" },
            { "X-Spaces", "a  b\tc, d;e=\"f\"" },
            { "X-Utf8", QString(u"Grüße 世界"_s).toUtf8() },
            { "Authorization", "Bearer abc.def" },
            { "X-Alpha", "last" },
        };
        QCOMPARE(custom, expected);
        QCOMPARE(origin, QByteArray("https://example.com"));
    }

    void subprotocolChosen()
    {
        Profile p = profile();
        p.subprotocols = { u"chat.v1"_s, u"chat.v2"_s };
        Session session(p);
        EntryRecorder recorder(&session);
        const QJsonObject hello = openAndHello(session, recorder);
        QCOMPARE(hello.value(u"protocol"_s).toString(), u"chat.v2"_s);
        QCOMPARE(session.negotiatedSubprotocol(), u"chat.v2"_s);
    }

    void subprotocolNone()
    {
        Profile p = profile();
        p.subprotocols = { u"chat.v1"_s };
        Session session(p);
        EntryRecorder recorder(&session);
        const QJsonObject hello = openAndHello(session, recorder);
        QVERIFY2(session.state() == Session::State::Open, qPrintable(session.stateReason()));
        QCOMPARE(hello.value(u"protocol"_s).toString(), QString());
        QCOMPARE(session.negotiatedSubprotocol(), QString());
    }

    void textAndBinaryRoundTrip()
    {
        Session session(profile());
        EntryRecorder recorder(&session);
        openAndHello(session, recorder);
        QCOMPARE(session.state(), Session::State::Open);

        const QString text = u"Grüße, 世界 🌍 \"quoted\" \\ end"_s;
        QByteArray all;
        for (int i = 0; i < 256; ++i)
            all.append(char(i));
        QCOMPARE(session.sendText(text).errorMessage(), QString());
        QCOMPARE(session.sendBinary(all).errorMessage(), QString());
        QCOMPARE(session.sendBinary(QByteArray()).errorMessage(), QString());

        QTRY_COMPARE_WITH_TIMEOUT(recorder.ofKind(LogEntry::Kind::Text, Direction::Receive).size(), 2, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(recorder.ofKind(LogEntry::Kind::Binary, Direction::Receive).size(), 2, 10000);
        QCOMPARE(QString::fromUtf8(recorder.ofKind(LogEntry::Kind::Text, Direction::Receive).at(1).payload), text);
        QCOMPARE(recorder.ofKind(LogEntry::Kind::Binary, Direction::Receive).at(0).payload, all);
        QCOMPARE(recorder.ofKind(LogEntry::Kind::Binary, Direction::Receive).at(1).payload, QByteArray());
    }

    void clientCloseCodeAndReasonReachServer()
    {
        Session session(profile());
        EntryRecorder recorder(&session);
        openAndHello(session, recorder);
        QCOMPARE(session.state(), Session::State::Open);
        QCOMPARE(session.close(4001, u"bye"_s).errorMessage(), QString());
        QTRY_VERIFY_WITH_TIMEOUT(m_peer->lines().contains(u"CLOSED 4001 bye"_s), 10000);
        QVERIFY(waitForState(&session, Session::State::Closed));
    }

    void serverCloseCodeAndReasonReachSession()
    {
        Session session(profile());
        EntryRecorder recorder(&session);
        openAndHello(session, recorder);
        QCOMPARE(session.state(), Session::State::Open);
        QCOMPARE(session.sendText(u"close-me"_s).errorMessage(), QString());
        QVERIFY(waitForState(&session, Session::State::Closed));
        QCOMPARE(session.closeCode(), quint16(4002));
        QCOMPARE(session.closeReason(), u"server bye"_s);
        QVERIFY(session.closeFrameReceived());
        QTRY_VERIFY_WITH_TIMEOUT(m_peer->lines().contains(u"CLOSED 4002 server bye"_s), 10000);
    }
};

QTEST_GUILESS_MAIN(tst_Interop)
#include "tst_interop.moc"
