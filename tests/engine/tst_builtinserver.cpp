#include "server/builtinserver.h"
#include "warningcatcher.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QWebSocket>
#include <QtTest>

#include <optional>

using namespace Qt::StringLiterals;
using namespace wsi;

class tst_BuiltinServer : public QObject
{
    Q_OBJECT
    std::optional<WarningCatcher> m_warnings;

private Q_SLOTS:
    void initTestCase() { m_warnings.emplace(); } // any warning, the shutdown's too, fails the test
    void cleanupTestCase()
    {
        BuiltinServers::shutdown();
        const QString warnings = m_warnings->take();
        m_warnings.reset();
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings));
    }

    void resolvesModes()
    {
        QString error;
        const QUrl echo = BuiltinServers::resolve(u"builtin:echo"_s, &error);
        QCOMPARE(echo.scheme(), u"ws"_s);
        QCOMPARE(echo.host(), u"127.0.0.1"_s);
        QCOMPARE(echo.path(), u"/echo"_s);
        QVERIFY(echo.port() > 0);
        // builtin:push keeps its "push #N" messages (saved profiles, the lesson) unless a format is named.
        QCOMPARE(BuiltinServers::resolve(u"builtin:push?interval=5&count=3"_s, &error).query(),
            u"interval=5&count=3&format=counter"_s);
        QCOMPARE(BuiltinServers::resolve(u"builtin:push?format=json"_s, &error).query(), u"format=json"_s);
        QVERIFY(BuiltinServers::resolve(u"builtin:nope"_s, &error).isEmpty());
        QVERIFY(error.contains(u"Unknown built-in server \"nope\""_s));
    }

    void chatBroadcastsToEveryClient()
    {
        QString error;
        const QUrl url = BuiltinServers::resolve(u"builtin:chat"_s, &error);
        QWebSocket a, b;
        QSignalSpy aOpen(&a, &QWebSocket::connected), bOpen(&b, &QWebSocket::connected);
        QSignalSpy aGot(&a, &QWebSocket::textMessageReceived), bGot(&b, &QWebSocket::textMessageReceived);
        a.open(url);
        QVERIFY(aOpen.wait());
        QTRY_COMPARE(aGot.count(), 1); // a's own join
        b.open(url);
        QVERIFY(bOpen.wait());
        QTRY_COMPARE(aGot.count(), 2); // b joined
        a.sendTextMessage(u"hi all"_s);
        QTRY_COMPARE(bGot.count(), 2);
        QTRY_COMPARE(aGot.count(), 3);
        const QJsonObject said = QJsonDocument::fromJson(bGot.last().first().toString().toUtf8()).object();
        QCOMPARE(said.value(u"type"_s).toString(), u"chat"_s);
        QCOMPARE(said.value(u"text"_s).toString(), u"hi all"_s);
        QVERIFY(said.value(u"from"_s).toString().startsWith(u"guest-"_s));
        QCOMPARE(aGot.last().first().toString(), bGot.last().first().toString()); // everyone, the sender too
    }

    void pushSendsTheRequestedCount()
    {
        QString error;
        const QUrl url = BuiltinServers::resolve(u"builtin:push?interval=0&count=1000&size=50"_s, &error);
        QWebSocket ws;
        QSignalSpy got(&ws, &QWebSocket::textMessageReceived);
        ws.open(url);
        QTRY_COMPARE_WITH_TIMEOUT(got.count(), 1000, 10000);
        QCOMPARE(got.first().first().toString().size(), 50);
        QCOMPARE(got.first().first().toString().left(7), u"push #1"_s);
        QTest::qWait(100);
        QCOMPARE(got.count(), 1000);
    }
};

QTEST_GUILESS_MAIN(tst_BuiltinServer)
#include "tst_builtinserver.moc"
