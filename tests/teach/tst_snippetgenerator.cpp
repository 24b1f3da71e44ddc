#include "server/builtinserver.h"
#include "snippettestprofile.h"
#include "teach/snippetgenerator.h"

#include <QNetworkRequest>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
};

// Runs a program without blocking the event loop (the built-in server lives in this process).
Run run(const QString& program, const QStringList& args, int timeoutMs = 30000)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"NODE_PATH"_s, qEnvironmentVariable("WSI_NODE_MODULES"));
    p.setProcessEnvironment(env);
    p.setProcessChannelMode(QProcess::MergedChannels);
    QSignalSpy finished(&p, &QProcess::finished);
    p.start(program, args);
    if (!finished.wait(timeoutMs)) {
        p.kill();
        p.waitForFinished();
    }
    return { p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAll() };
}

QString checker(const QString& languageId, QStringList* args, const QString& file)
{
    if (languageId == u"python") {
        *args = { u"-m"_s, u"py_compile"_s, file };
        return u"/usr/bin/python3"_s;
    }
    if (languageId == u"wscat" || languageId == u"websocat" || languageId == u"cli") {
        *args = { u"-n"_s, file };
        return u"bash"_s;
    }
    *args = { u"--check"_s, file };
    return u"node"_s;
}

} // namespace

class tst_SnippetGenerator : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanupTestCase() { BuiltinServers::shutdown(); }

    void languageIds()
    {
        const QStringList ids = { u"wx"_s, u"browser"_s, u"node-ws"_s, u"node-websocket"_s, u"python"_s, u"qt"_s,
            u"wscat"_s, u"websocat"_s, u"cli"_s, u"server-ws"_s, u"server-websocket"_s };
        QStringList listed;
        for (const auto& info : SnippetGenerator::languages())
            listed.append(info.id);
        QCOMPARE(listed, ids);
        QVERIFY(SnippetGenerator::languageForId(u"NODE-WS"_s).ok());
        const auto bad = SnippetGenerator::languageForId(u"cobol"_s);
        QVERIFY(!bad.ok());
        QVERIFY(bad.errorMessage().contains(u"\"cobol\""_s));
        QVERIFY(bad.errorMessage().contains(u"node-websocket"_s));
    }

    void invalidProfileIsRefused()
    {
        Profile p;
        p.url = u"ftp://example.com/"_s;
        const auto r = SnippetGenerator::generate(SnippetGenerator::Language::NodeWs, p);
        QVERIFY(!r.ok());
        QVERIFY(!r.errorMessage().isEmpty());
    }

    void everySnippetPassesItsLanguagesCheck_data()
    {
        QTest::addColumn<QString>("id");
        for (const auto& info : SnippetGenerator::languages()) {
            if (info.id != u"qt") // compiled by the build (tests/teach/CMakeLists.txt)
                QTest::newRow(qPrintable(info.id)) << info.id;
        }
    }
    void everySnippetPassesItsLanguagesCheck()
    {
        QFETCH(QString, id);
        const auto language = SnippetGenerator::languageForId(id);
        QVERIFY(language.ok());
        const auto text = SnippetGenerator::generate(*language, test::snippetTestProfile());
        QVERIFY2(text.ok(), qPrintable(text.errorMessage()));
        QVERIFY2(!text->contains(u"SECRET-TOKEN-123"_s), "a secret header value was written out");
        QVERIFY(!text->contains(u"X-Disabled"_s));
        if (!id.startsWith(u"server"_s))
            QVERIFY2(text->contains(u"example.com:8443/chat"_s), qPrintable(*text));
        QTemporaryDir dir;
        const QString file = dir.filePath(id == u"python" ? u"client.py"_s : u"snippet.js"_s);
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(text->toUtf8());
        f.close();
        QStringList args;
        const QString program = checker(id, &args, file);
        const Run r = run(program, args);
        QVERIFY2(r.exitCode == 0, qPrintable(QString::fromUtf8(r.out) + u"\n---\n"_s + *text));
    }

    void wechatSnippetFollowsThePlatform()
    {
        const auto text = SnippetGenerator::generate(SnippetGenerator::Language::WeChat, test::snippetTestProfile());
        QVERIFY(text.ok());
        QVERIFY(text->contains(u"wx.connectSocket({"_s));
        QVERIFY(text->contains(u"protocols: ['chat', 'superchat']"_s));
        QVERIFY(text->contains(u"tcpNoDelay: false"_s));
        QVERIFY(text->contains(u"perMessageDeflate: true"_s));
        QVERIFY(text->contains(u"timeout: 5000"_s));
        QVERIFY(text->contains(u"socketTask.onMessage"_s));
        // The platform forbids Referer: left out of the header object, with a comment saying so.
        QVERIFY(!text->contains(u"'Referer':"_s));
        QVERIFY(text->contains(u"Referer header was left out"_s));
    }

    void browserSaysWhatItCannotSet()
    {
        const auto text = SnippetGenerator::generate(SnippetGenerator::Language::Browser, test::snippetTestProfile());
        QVERIFY(text.ok());
        QVERIFY(text->contains(u"cannot set handshake headers"_s));
        QVERIFY(text->contains(u"new WebSocket('wss://example.com:8443/chat?room=1&name=O%27Brien', ['chat', "
                               "'superchat'])"_s)
            || text->contains(u"new WebSocket('wss://example.com:8443/chat?room=1&name=O\\'Brien', ['chat', "
                              "'superchat'])"_s));
    }

    void escaping()
    {
        QCOMPARE(SnippetGenerator::jsString(u"it's \\ \n"_s), u"'it\\'s \\\\ \\n'"_s);
        QCOMPARE(SnippetGenerator::pyString(u"say \"hi\"\t"_s), u"\"say \\\"hi\\\"\\t\""_s);
        QCOMPARE(SnippetGenerator::cppString(u"?\?=\""_s), u"\"\\?\\?=\\\"\""_s);
        QCOMPARE(SnippetGenerator::jsString(u"a\x01\u2028"_s), u"'a\\u0001\\u2028'"_s);
        QCOMPARE(SnippetGenerator::pyString(u"a\x01"_s), u"\"a\\x01\""_s);
        QCOMPARE(SnippetGenerator::cppString(u"a\x01"_s), u"\"a\\001\""_s);
        QCOMPARE(SnippetGenerator::shellWord(u"ws://h:1/p"_s), u"ws://h:1/p"_s);
        QCOMPARE(SnippetGenerator::shellWord(u"it's"_s), u"'it'\\''s'"_s);
        QCOMPARE(SnippetGenerator::shellWord(QString()), u"''"_s);
    }

    // The clients really talk: each runs against the built-in echo server and prints the echo.
    void clientsGetTheEcho_data()
    {
        QTest::addColumn<QString>("id");
        QTest::newRow("node-ws") << u"node-ws"_s;
        QTest::newRow("node-websocket") << u"node-websocket"_s;
        QTest::newRow("python") << u"python"_s;
    }
    void clientsGetTheEcho()
    {
        QFETCH(QString, id);
        QString error;
        const QUrl url = BuiltinServers::resolve(u"builtin:echo"_s, &error);
        QVERIFY2(url.isValid(), qPrintable(error));
        Profile p;
        p.url = url.toString();
        p.headers = { { u"X-Lesson"_s, u"one"_s, true, false } };
        p.origin = u"http://localhost"_s;
        const auto text = SnippetGenerator::generate(*SnippetGenerator::languageForId(id), p, url, u"ping 你好"_s);
        QVERIFY(text.ok());
        QTemporaryDir dir;
        const QString file = dir.filePath(id == u"python" ? u"client.py"_s : u"client.js"_s);
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(text->toUtf8());
        f.close();
        const Run r = id == u"python" ? run(u"/usr/bin/python3"_s, { file }) : run(u"node"_s, { file });
        QVERIFY2(r.exitCode == 0, r.out.constData());
        QVERIFY2(r.out.contains("message: ping 你好"), r.out.constData());
        QVERIFY2(r.out.contains("closed 1000"), r.out.constData());
    }

    // The echo servers really echo: started on a free port, a QWebSocket talks to them.
    void serversEcho_data()
    {
        QTest::addColumn<QString>("id");
        QTest::newRow("server-ws") << u"server-ws"_s;
        QTest::newRow("server-websocket") << u"server-websocket"_s;
    }
    void serversEcho()
    {
        QFETCH(QString, id);
        Profile p;
        p.url = u"ws://localhost:8080/echo"_s;
        p.subprotocols = { u"chat"_s };
        const auto text = SnippetGenerator::generate(*SnippetGenerator::languageForId(id), p);
        QVERIFY(text.ok());
        QTemporaryDir dir;
        QFile f(dir.filePath(u"server.js"_s));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(text->toUtf8());
        f.close();
        QProcess server;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"NODE_PATH"_s, qEnvironmentVariable("WSI_NODE_MODULES"));
        env.insert(u"PORT"_s, u"0"_s);
        server.setProcessEnvironment(env);
        server.start(u"node"_s, { f.fileName() });
        QByteArray out;
        static const QRegularExpression listening(u"listening on ws://localhost:(\\d+)/echo"_s);
        QRegularExpressionMatch m;
        QTRY_VERIFY_WITH_TIMEOUT(
            (m = listening.match(QString::fromUtf8(out += server.readAllStandardOutput()))).hasMatch(), 15000);
        QWebSocket client;
        QNetworkRequest request(QUrl(u"ws://127.0.0.1:%1/echo"_s.arg(m.captured(1))));
        QWebSocketHandshakeOptions options;
        options.setSubprotocols({ u"chat"_s });
        QSignalSpy connected(&client, &QWebSocket::connected);
        QSignalSpy got(&client, &QWebSocket::textMessageReceived);
        QSignalSpy gotBinary(&client, &QWebSocket::binaryMessageReceived);
        client.open(request, options);
        QVERIFY(connected.wait(10000));
        QCOMPARE(client.subprotocol(), u"chat"_s);
        client.sendTextMessage(u"echo me ✓"_s);
        client.sendBinaryMessage(QByteArray("\x00\x01\xff", 3));
        QTRY_COMPARE_WITH_TIMEOUT(got.count(), 1, 10000);
        QCOMPARE(got.first().first().toString(), u"echo me ✓"_s);
        QTRY_COMPARE_WITH_TIMEOUT(gotBinary.count(), 1, 10000);
        QCOMPARE(gotBinary.first().first().toByteArray(), QByteArray("\x00\x01\xff", 3));
        client.close();
        server.kill();
        server.waitForFinished();
    }
};

QTEST_GUILESS_MAIN(tst_SnippetGenerator)
#include "tst_snippetgenerator.moc"
