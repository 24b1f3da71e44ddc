#include "server/classroomserver.h"
#include "server/eventsource.h"
#include "server/serverhost.h"
#include "warningcatcher.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QWebSocket>
#include <QtTest>

#include <optional>

using namespace Qt::StringLiterals;
using namespace wsi;

namespace {

struct HttpReply
{
    int status = 0;
    QByteArray head;
    QByteArray body;
    QByteArray header(const QByteArray& name) const
    {
        for (const QByteArray& line : head.split('\n')) {
            if (line.toLower().startsWith(QByteArray(name.toLower() + ':')))
                return line.mid(name.size() + 1).trimmed();
        }
        return {};
    }
};

// A keep-alive HTTP/1.1 client on one socket, reading exact Content-Length replies.
class RawHttp
{
public:
    explicit RawHttp(quint16 port) { m_socket.connectToHost(QHostAddress::LocalHost, port); }
    QTcpSocket& socket() { return m_socket; }
    void send(const QByteArray& target, const QByteArray& extra = {})
    {
        m_socket.write("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra + "\r\n");
    }
    // Waits up to timeoutMs for one complete reply.
    std::optional<HttpReply> reply(int timeoutMs = 10000)
    {
        QDeadlineTimer deadline(timeoutMs);
        QSignalSpy spy(&m_socket, &QTcpSocket::readyRead);
        while (true) {
            m_buffer += m_socket.readAll();
            const qsizetype end = m_buffer.indexOf("\r\n\r\n");
            if (end >= 0) {
                HttpReply r;
                r.head = m_buffer.left(end + 2);
                r.status = r.head.mid(9, 3).toInt();
                const qsizetype length = r.header("Content-Length").toLongLong();
                if (m_buffer.size() >= end + 4 + length) {
                    r.body = m_buffer.mid(end + 4, length);
                    m_buffer.remove(0, end + 4 + length);
                    return r;
                }
            }
            if (deadline.hasExpired() || m_socket.state() == QAbstractSocket::UnconnectedState)
                return std::nullopt;
            spy.wait(int(std::max<qint64>(1, deadline.remainingTime())));
        }
    }
    std::optional<HttpReply> get(const QByteArray& target, const QByteArray& extra = {}, int timeoutMs = 10000)
    {
        send(target, extra);
        return reply(timeoutMs);
    }

private:
    QTcpSocket m_socket;
    QByteArray m_buffer;
};

QJsonObject json(const QVariant& message)
{
    return QJsonDocument::fromJson(message.toString().toUtf8()).object();
}

} // namespace

class tst_ClassroomServer : public QObject
{
    Q_OBJECT

    ClassroomServer* m_server = nullptr;
    std::optional<WarningCatcher> m_warnings;

    QUrl url(const QString& pathAndQuery) const
    {
        return QUrl(u"ws://127.0.0.1:%1%2"_s.arg(m_server->port()).arg(pathAndQuery));
    }
    static bool open(QWebSocket& socket, const QUrl& url)
    {
        QSignalSpy connected(&socket, &QWebSocket::connected);
        socket.open(url);
        return connected.wait(10000);
    }
    void startServer(const ServerLimits& limits = {})
    {
        delete m_server;
        m_server = new ClassroomServer(this);
        ListenOptions options;
        options.port = 0;
        options.limits = limits;
        const Result<void> started = m_server->listen(options);
        QVERIFY2(started.ok(), qPrintable(started.errorMessage()));
    }

private Q_SLOTS:
    void init()
    {
        m_warnings.emplace(); // any warning until the end of cleanup() fails the test
        startServer();
    }
    void cleanup()
    {
        delete m_server; // the teardown too: the bridge once wrote to a client socket it had closed
        m_server = nullptr;
        const QString warnings = m_warnings ? m_warnings->take() : QString();
        m_warnings.reset();
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings));
    }

    // A Qt client and an npm `ws` client in one chat room: names from ?name= and /name, JSON for
    // the one, "NAME: TEXT" lines for the other, joins and leaves announced.
    void chatWithNamesJsonAndText()
    {
        const QString node = QStandardPaths::findExecutable(u"node"_s);
        QVERIFY2(!node.isEmpty(), "node is missing (scripts/lib.sh installs nodejs)");
        QVERIFY2(QFile::exists(qEnvironmentVariable("WSI_NODE_MODULES") + u"/ws/package.json"_s),
            "npm ws is missing: scripts/test.sh runs npm ci in tests/interop");

        QWebSocket ann;
        QSignalSpy annGot(&ann, &QWebSocket::textMessageReceived);
        QVERIFY(open(ann, url(u"/chat?name=Ann"_s)));
        QTRY_COMPARE(annGot.count(), 1);
        QJsonObject joined = json(annGot.at(0).at(0));
        QCOMPARE(joined.value(u"type"_s).toString(), u"join"_s);
        QCOMPARE(joined.value(u"from"_s).toString(), u"Ann"_s);

        QProcess bob;
        bob.setProcessChannelMode(QProcess::MergedChannels);
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        bob.start(node,
            { QStringLiteral(WSI_SERVER_TEST_DIR) + u"/chat_peer.js"_s,
                url(u"/chat?name=Bob&format=text"_s).toString() });
        // Bob joins and says hello: Ann sees both as JSON with name, text, time and seq.
        QTRY_VERIFY_WITH_TIMEOUT(annGot.count() >= 3, 10000);
        QCOMPARE(json(annGot.at(1).at(0)).value(u"type"_s).toString(), u"join"_s);
        const QJsonObject hello = json(annGot.at(2).at(0));
        QCOMPARE(hello.value(u"type"_s).toString(), u"chat"_s);
        QCOMPARE(hello.value(u"from"_s).toString(), u"Bob"_s);
        QCOMPARE(hello.value(u"text"_s).toString(), u"hello from ws"_s);
        const qint64 time = qint64(hello.value(u"time"_s).toDouble());
        QVERIFY(time >= before && time <= QDateTime::currentMSecsSinceEpoch());
        QVERIFY(hello.value(u"seq"_s).toInt() > joined.value(u"seq"_s).toInt());

        // Ann speaks; Bob (text format) answers with /name; everyone hears the rename.
        ann.sendTextMessage(u"hi Bob"_s);
        QTRY_VERIFY_WITH_TIMEOUT(annGot.count() >= 5, 10000);
        QCOMPARE(json(annGot.at(3).at(0)).value(u"text"_s).toString(), u"hi Bob"_s);
        const QJsonObject rename = json(annGot.at(4).at(0));
        QCOMPARE(rename.value(u"type"_s).toString(), u"rename"_s);
        QCOMPARE(rename.value(u"from"_s).toString(), u"Bob"_s);
        QCOMPARE(rename.value(u"name"_s).toString(), u"Robert"_s);
        // Bob closes after hearing his rename; Ann is told that Robert left.
        QTRY_COMPARE_WITH_TIMEOUT(annGot.count(), 6, 10000);
        const QJsonObject left = json(annGot.at(5).at(0));
        QCOMPARE(left.value(u"type"_s).toString(), u"leave"_s);
        QCOMPARE(left.value(u"from"_s).toString(), u"Robert"_s);
        QTRY_COMPARE_WITH_TIMEOUT(bob.state(), QProcess::NotRunning, 10000);
        const QString out = QString::fromUtf8(bob.readAll());
        QVERIFY2(out.contains(u"< * Bob joined\n"_s), qPrintable(out));
        QVERIFY2(out.contains(u"< Bob: hello from ws\n"_s), qPrintable(out));
        QVERIFY2(out.contains(u"< Ann: hi Bob\n"_s), qPrintable(out));
        QVERIFY2(out.contains(u"< * Bob is now Robert\n"_s), qPrintable(out));
        QVERIFY2(out.contains(u"close 1000 done"_s), qPrintable(out));
        QVERIFY2(!out.contains(u"{"_s), qPrintable(out)); // ?format=text: no JSON at all
    }

    void nameCommandWithoutNameExplainsItself()
    {
        QWebSocket a;
        QSignalSpy got(&a, &QWebSocket::textMessageReceived);
        QVERIFY(open(a, url(u"/chat"_s)));
        QTRY_COMPARE(got.count(), 1);
        QVERIFY(json(got.at(0).at(0)).value(u"from"_s).toString().startsWith(u"guest-"_s));
        a.sendTextMessage(u"/name   "_s);
        QTRY_COMPARE(got.count(), 2);
        QCOMPARE(json(got.at(1).at(0)).value(u"type"_s).toString(), u"error"_s);
        QVERIFY(json(got.at(1).at(0)).value(u"text"_s).toString().contains(u"/name"_s));
    }

    void echoReturnsTextAndBinary()
    {
        QWebSocket a;
        QSignalSpy text(&a, &QWebSocket::textMessageReceived), binary(&a, &QWebSocket::binaryMessageReceived);
        QVERIFY(open(a, url(u"/echo"_s)));
        a.sendTextMessage(u"ping é"_s);
        a.sendBinaryMessage(QByteArray("\x00\x01\x02", 3));
        QTRY_COMPARE(text.count(), 1);
        QTRY_COMPARE(binary.count(), 1);
        QCOMPARE(text.at(0).at(0).toString(), u"ping é"_s);
        QCOMPARE(binary.at(0).at(0).toByteArray(), QByteArray("\x00\x01\x02", 3));
    }

    // Each pushed message carries its number and the server's send time; the latency the client
    // computes from it is small and never negative on one machine.
    void pushCarriesSeqAndServerTime()
    {
        QWebSocket a, t;
        QSignalSpy gotJson(&a, &QWebSocket::textMessageReceived), gotText(&t, &QWebSocket::textMessageReceived);
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        QVERIFY(open(a, url(u"/push?interval=20&count=5&size=100"_s)));
        QVERIFY(open(t, url(u"/push?interval=20&count=3&format=text"_s)));
        QTRY_COMPARE_WITH_TIMEOUT(gotJson.count(), 5, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(gotText.count(), 3, 10000);
        for (int i = 0; i < 5; ++i) {
            const QString message = gotJson.at(i).at(0).toString();
            QCOMPARE(message.size(), 100); // padded to size
            const QJsonObject o = json(message);
            QCOMPARE(o.value(u"seq"_s).toInt(), i + 1);
            const qint64 time = qint64(o.value(u"time"_s).toDouble());
            QVERIFY(time >= before && time <= QDateTime::currentMSecsSinceEpoch());
            PushEvent e;
            QVERIFY(EventSource::decode(message.toUtf8(), &e));
            QCOMPARE(e.seq, i + 1);
            QCOMPARE(e.timeMs, time);
        }
        const QRegularExpression textLine(u"^#(\\d+) (\\d{13})$"_s);
        for (int i = 0; i < 3; ++i) {
            const QRegularExpressionMatch m = textLine.match(gotText.at(i).at(0).toString());
            QVERIFY2(m.hasMatch(), qPrintable(gotText.at(i).at(0).toString()));
            QCOMPARE(m.captured(1).toInt(), i + 1);
        }
        QTest::qWait(100); // count=N: nothing after the Nth
        QCOMPARE(gotJson.count(), 5);
    }

    // /poll answers at once; with wait it holds the request until the next event. A push client
    // on the same channel sees the very same numbers.
    void pollAndLongPollShareThePushEvents()
    {
        QWebSocket push;
        QSignalSpy pushed(&push, &QWebSocket::textMessageReceived);
        QVERIFY(open(push, url(u"/push?channel=lesson&interval=50"_s)));

        RawHttp http(m_server->port());
        std::optional<HttpReply> first = http.get("/poll?channel=lesson&interval=50");
        QVERIFY(first);
        QCOMPARE(first->status, 200);
        QCOMPARE(first->header("Content-Type"), QByteArray("application/json"));
        QCOMPARE(first->header("Access-Control-Allow-Origin"), QByteArray("*"));
        const qint64 next = qint64(QJsonDocument::fromJson(first->body).object().value(u"next"_s).toDouble());

        // Short poll later: every event since `next`, numbered like the pushed ones.
        QTRY_VERIFY_WITH_TIMEOUT(pushed.count() >= 4, 10000);
        std::optional<HttpReply> batch = http.get("/poll?channel=lesson&after=" + QByteArray::number(next));
        QVERIFY(batch);
        const QJsonArray events = QJsonDocument::fromJson(batch->body).object().value(u"events"_s).toArray();
        QVERIFY2(events.size() >= 3, batch->body.constData());
        QCOMPARE(qint64(events.first().toObject().value(u"seq"_s).toDouble()), next + 1);
        QSet<qint64> pushedSeqs;
        for (const QList<QVariant>& m : std::as_const(pushed))
            pushedSeqs.insert(qint64(json(m.at(0)).value(u"seq"_s).toDouble()));
        for (const QJsonValue& e : events) {
            const qint64 seq = qint64(e.toObject().value(u"seq"_s).toDouble());
            if (seq <= *std::max_element(pushedSeqs.begin(), pushedSeqs.end()))
                QVERIFY2(pushedSeqs.contains(seq), "poll and push number the same events");
        }

        // Long poll on the same keep-alive connection: held until the next event, which it carries.
        std::optional<HttpReply> now = http.get("/poll?channel=slow&interval=300");
        QVERIFY(now);
        const qint64 slowNext = qint64(QJsonDocument::fromJson(now->body).object().value(u"next"_s).toDouble());
        std::optional<HttpReply> held = http.get("/poll?channel=slow&wait=5000&after=" + QByteArray::number(slowNext));
        QVERIFY(held);
        const QJsonArray heldEvents = QJsonDocument::fromJson(held->body).object().value(u"events"_s).toArray();
        QVERIFY2(!heldEvents.isEmpty(), held->body.constData());
        QCOMPARE(qint64(heldEvents.first().toObject().value(u"seq"_s).toDouble()), slowNext + 1);

        // A long poll that sees no event in time answers with an empty list once the wait is over.
        QElapsedTimer waited;
        waited.start();
        std::optional<HttpReply> quiet = http.get("/poll?channel=other&interval=60000&wait=300");
        QVERIFY(quiet);
        QVERIFY2(waited.elapsed() >= 295, qPrintable(QString::number(waited.elapsed())));
        QCOMPARE(quiet->status, 200);
        QVERIFY(QJsonDocument::fromJson(quiet->body).object().value(u"events"_s).toArray().isEmpty());
    }

    // The page, over HTTP: English or Chinese by Accept-Language, nothing loaded from elsewhere,
    // and its script is valid JavaScript (node --check).
    void studentsPageOverHttp()
    {
        RawHttp http(m_server->port());
        std::optional<HttpReply> en = http.get("/", "Accept-Language: en-GB,en;q=0.9\r\n");
        QVERIFY(en);
        QCOMPARE(en->status, 200);
        QCOMPARE(en->header("Content-Type"), QByteArray("text/html; charset=utf-8"));
        QVERIFY(en->body.contains("<html lang=\"en\">"));
        QVERIFY(en->body.contains("\"connect\":\"Connect\""));
        std::optional<HttpReply> zh = http.get("/", "Accept-Language: zh-CN,zh;q=0.9,en;q=0.8\r\n");
        QVERIFY(zh);
        QVERIFY(zh->body.contains("<html lang=\"zh-CN\">"));
        QVERIFY(zh->body.contains(u"断开"_s.toUtf8()));
        std::optional<HttpReply> prefersEnglish = http.get("/", "Accept-Language: zh;q=0.3, en\r\n");
        QVERIFY(prefersEnglish && prefersEnglish->body.contains("<html lang=\"en\">"));

        // No external scripts, fonts, styles or images.
        static const QRegularExpression external(u"(src|href)\\s*=|@import|url\\(|https?://"_s);
        QVERIFY2(!external.match(QString::fromUtf8(zh->body)).hasMatch(),
            qPrintable(external.match(QString::fromUtf8(zh->body)).captured(0)));

        for (const std::optional<HttpReply>& page : { en, zh }) {
            const QByteArray body = page->body;
            const qsizetype start = body.indexOf("<script>");
            const qsizetype end = body.indexOf("</script>");
            QVERIFY(start > 0 && end > start);
            QTemporaryDir dir;
            QFile script(dir.filePath(u"page.js"_s));
            QVERIFY(script.open(QIODevice::WriteOnly));
            script.write(body.mid(start + 8, end - start - 8));
            script.close();
            QProcess node;
            node.setProcessChannelMode(QProcess::MergedChannels);
            node.start(u"node"_s, { u"--check"_s, script.fileName() });
            QVERIFY(node.waitForFinished(30000));
            QVERIFY2(node.exitCode() == 0, node.readAll().constData());
        }
    }

    void httpErrorsNameTheProblem()
    {
        RawHttp http(m_server->port());
        std::optional<HttpReply> missing = http.get("/nope");
        QVERIFY(missing);
        QCOMPARE(missing->status, 404);
        QVERIFY(missing->body.contains("/chat"));
        RawHttp http2(m_server->port());
        std::optional<HttpReply> upgrade = http2.get("/chat");
        QVERIFY(upgrade);
        QCOMPARE(upgrade->status, 426);
        QVERIFY(upgrade->body.contains("ws://"));
        RawHttp http3(m_server->port());
        std::optional<HttpReply> badChannel = http3.get("/poll?channel=%3Cx%3E");
        QVERIFY(badChannel);
        QCOMPARE(badChannel->status, 400);
        QVERIFY(badChannel->body.contains("channel"));
        RawHttp big(m_server->port());
        big.send("/", "X-Big: " + QByteArray(m_server->limits().maxHeadBytes + 100, 'a') + "\r\n");
        std::optional<HttpReply> tooBig = big.reply();
        QVERIFY(tooBig);
        QCOMPARE(tooBig->status, 431);
    }

    // A connection that never finishes its head, or idles after a reply, is closed.
    void silentConnectionsAreClosed()
    {
        ServerLimits limits;
        limits.headTimeoutMs = 300;
        startServer(limits);
        RawHttp silent(m_server->port());
        QSignalSpy silentGone(&silent.socket(), &QTcpSocket::disconnected);
        silent.socket().write("GET / HTTP/1.1\r\nHost: x\r\n"); // no blank line, ever
        QVERIFY(silentGone.wait(5000));
        RawHttp idle(m_server->port());
        QSignalSpy idleGone(&idle.socket(), &QTcpSocket::disconnected);
        QVERIFY(idle.get("/poll?channel=idle"));
        QVERIFY(idleGone.wait(5000));
    }

    void listenRefusesTheNetworkWithoutAnExplicitChoice()
    {
        ClassroomServer server;
        ListenOptions options;
        options.address = QHostAddress::Any;
        options.port = 0;
        const Result<void> refused = server.listen(options);
        QVERIFY(!refused);
        QVERIFY2(refused.errorMessage().contains(u"explicitly"_s), qPrintable(refused.errorMessage()));
        QVERIFY(!server.isListening());
    }

    void takenPortIsNamed()
    {
        ClassroomServer second;
        ListenOptions options;
        options.port = m_server->port();
        const Result<void> taken = second.listen(options);
        QVERIFY(!taken);
        QVERIFY2(taken.errorMessage().contains(u"Port %1"_s.arg(m_server->port())), qPrintable(taken.errorMessage()));
        QVERIFY2(taken.errorMessage().contains(u"already in use"_s), qPrintable(taken.errorMessage()));
    }

    // Every limit is refused with a close code and a reason the client can read.
    void limitsCloseWithCodeAndReason()
    {
        ServerLimits limits;
        limits.maxClients = 2;
        limits.maxMessageBytes = 1000;
        limits.messagesPerSecond = 5;
        limits.messageBurst = 5;
        startServer(limits);

        QWebSocket a, b, c;
        QVERIFY(open(a, url(u"/echo"_s)));
        QVERIFY(open(b, url(u"/echo"_s)));
        QSignalSpy cClosed(&c, &QWebSocket::disconnected);
        c.open(url(u"/echo"_s));
        QVERIFY(cClosed.wait(10000));
        QVERIFY2(int(c.closeCode()) == 1008,
            qPrintable(u"%1 %2 / %3"_s.arg(int(c.closeCode())).arg(c.closeReason(), c.errorString())));
        QVERIFY2(c.closeReason().contains(u"full"_s), qPrintable(c.closeReason()));

        // Too big: 1009.
        QSignalSpy aClosed(&a, &QWebSocket::disconnected);
        a.sendTextMessage(QString(2000, u'x'));
        QVERIFY(aClosed.wait(10000));
        QCOMPARE(int(a.closeCode()), 1009);

        // Too fast: 1008 with the rate in the reason; what came before the limit was echoed.
        QSignalSpy bEcho(&b, &QWebSocket::textMessageReceived), bClosed(&b, &QWebSocket::disconnected);
        for (int i = 0; i < 50; ++i)
            b.sendTextMessage(u"m%1"_s.arg(i));
        QVERIFY(bClosed.wait(10000));
        QCOMPARE(int(b.closeCode()), 1008);
        QVERIFY2(b.closeReason().contains(u"5 per second"_s), qPrintable(b.closeReason()));
        QVERIFY(bEcho.count() >= 5 && bEcho.count() < 50);

        // Unknown path: 1008 naming the paths.
        QWebSocket d;
        QSignalSpy dClosed(&d, &QWebSocket::disconnected);
        d.open(url(u"/nothing"_s));
        QVERIFY(dClosed.wait(10000));
        QCOMPARE(int(d.closeCode()), 1008);
        QVERIFY(d.closeReason().contains(u"/chat"_s));
    }

    void teacherDisconnectsOneClient()
    {
        QWebSocket a, b;
        QSignalSpy clients(m_server, &ClassroomServer::clientsChanged);
        QVERIFY(open(a, url(u"/echo"_s)));
        QVERIFY(open(b, url(u"/chat?name=Zed"_s)));
        QTRY_VERIFY(!clients.isEmpty() && clients.last().at(0).value<QList<ServerClient>>().size() == 2);
        const QList<ServerClient> list = clients.last().at(0).value<QList<ServerClient>>();
        QCOMPARE(list.at(1).name, u"Zed"_s);
        QCOMPARE(list.at(1).path, u"/chat"_s);
        QVERIFY(list.at(1).address.startsWith(u"127.0.0.1:"_s));
        QSignalSpy bClosed(&b, &QWebSocket::disconnected);
        m_server->disconnectClient(list.at(1).id);
        QVERIFY(bClosed.wait(10000));
        QCOMPARE(int(b.closeCode()), 1008);
        QVERIFY(b.closeReason().contains(u"teacher"_s));
        QCOMPARE(a.state(), QAbstractSocket::ConnectedState);
        QTRY_COMPARE(m_server->clientCount(), 1);
    }

    // One student floods the chat: the server (in its own thread, as in the window) closes that
    // client, the others keep talking, and the window hears about clients a few times a second,
    // not once per message.
    void floodingClientIsCutOffOthersKeepTalking()
    {
        cleanup();
        ServerHost host;
        ListenOptions options;
        options.port = 0;
        QVERIFY(host.start(options).ok());
        QSignalSpy snapshots(&host, &ServerHost::clientsChanged);
        QWebSocket calm, flooder;
        QSignalSpy calmGot(&calm, &QWebSocket::textMessageReceived);
        QVERIFY(open(calm, host.localUrl(u"/chat"_s)));
        QUrl floodUrl = host.localUrl(u"/chat"_s);
        floodUrl.setQuery(u"name=flood"_s);
        QVERIFY(open(flooder, floodUrl));
        QSignalSpy floodClosed(&flooder, &QWebSocket::disconnected);
        QElapsedTimer elapsed;
        elapsed.start();
        for (int i = 0; i < 20000; ++i)
            flooder.sendTextMessage(u"spam %1"_s.arg(i));
        QVERIFY(floodClosed.wait(20000));
        QCOMPARE(int(flooder.closeCode()), 1008);
        calmGot.clear();
        calm.sendTextMessage(u"still here"_s);
        QTRY_VERIFY_WITH_TIMEOUT(
            std::any_of(calmGot.cbegin(), calmGot.cend(),
                [](const QList<QVariant>& m) { return json(m.at(0)).value(u"text"_s) == u"still here"_s; }),
            10000);
        // At most one snapshot per 250 ms (plus a few for joins and leaves).
        QVERIFY2(snapshots.count() <= 8 + elapsed.elapsed() / 250,
            qPrintable(u"%1 snapshots in %2 ms"_s.arg(snapshots.count()).arg(elapsed.elapsed())));
    }
};

QTEST_GUILESS_MAIN(tst_ClassroomServer)
#include "tst_classroomserver.moc"
