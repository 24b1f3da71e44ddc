#include "cli/clioptions.h"
#include "profiles/profilevalidator.h"
#include "session/session.h"
#include "testhelpers.h"
#include "wire/hostoverride.h"

#include <QWebSocket>
#include <QWebSocketServer>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;

class TestHostOverride : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("normal"); // empty: refused
        QTest::addColumn<QString>("error"); // part of the message
        QTest::newRow("ipv4") << u"Example.COM:443:127.0.0.1"_s << u"example.com:443:127.0.0.1"_s << QString();
        QTest::newRow("ipv6 brackets") << u"example.com:8443:[::1]"_s << u"example.com:8443:[::1]"_s << QString();
        QTest::newRow("ipv6 bare") << u"example.com:8443:::1"_s << u"example.com:8443:[::1]"_s << QString();
        QTest::newRow("two parts") << u"example.com:443"_s << QString() << u"HOST:PORT:ADDRESS"_s;
        QTest::newRow("port 0") << u"example.com:0:127.0.0.1"_s << QString() << u"port \"0\""_s;
        QTest::newRow("port word") << u"example.com:https:127.0.0.1"_s << QString() << u"port \"https\""_s;
        QTest::newRow("name as address") << u"example.com:443:localhost"_s << QString()
                                         << u"\"localhost\" is not an IPv4 or IPv6 address"_s;
        QTest::newRow("no host") << u":443:127.0.0.1"_s << QString() << u"HOST:PORT:ADDRESS"_s;
    }

    void parse()
    {
        QFETCH(QString, text);
        QFETCH(QString, normal);
        QFETCH(QString, error);
        const Result<HostOverride> o = HostOverride::parse(text);
        if (normal.isEmpty()) {
            QVERIFY(!o);
            QVERIFY2(o.errorMessage().contains(error), qPrintable(o.errorMessage()));
            QVERIFY(o.errorMessage().contains(text));
        } else {
            QVERIFY2(o.ok(), qPrintable(o.errorMessage()));
            QCOMPARE(o->toString(), normal);
        }
    }

    void findMatchesHostAndPort()
    {
        const QStringList entries { u"bad"_s, u"a.example.com:443:10.0.0.1"_s, u"a.example.com:8443:10.0.0.2"_s };
        QCOMPARE(HostOverride::find(entries, u"a.example.com"_s, 8443)->address.toString(), u"10.0.0.2"_s);
        QVERIFY(!HostOverride::find(entries, u"b.example.com"_s, 443));
        QVERIFY(!HostOverride::find(entries, u"a.example.com"_s, 80));
    }

    void validatorAndCommandLine()
    {
        Profile p;
        p.url = u"wss://a.example.com/"_s;
        p.resolve = { u"a.example.com:443:nowhere"_s, u"b.example.com:443:127.0.0.1"_s };
        const ConnectionPlan plan = ProfileValidator::validate(p);
        QCOMPARE(plan.errorsFor(u"resolve[0]"_s).size(), 1);
        QVERIFY(plan.errorsFor(u"resolve[1]"_s).isEmpty());
        QCOMPARE(plan.noticesFor(u"resolve[1]"_s).size(), 1); // does not match the URL: said, not an error
        QVERIFY(plan.noticesFor(u"resolve[1]"_s).first().contains(u"not used"_s));

        CliOptions o;
        QString error;
        QVERIFY(!CliParser::parse({ u"wss://a.example.com/"_s, u"--resolve"_s, u"a.example.com:443"_s }, &o, &error));
        QVERIFY2(error.startsWith(u"--resolve: Resolve entry \"a.example.com:443\""_s), qPrintable(error));
        QVERIFY(CliParser::parse(
            { u"wss://a.example.com/"_s, u"--resolve"_s, u"a.example.com:443:127.0.0.1"_s }, &o, &error));
        QCOMPARE(o.profile.resolve, QStringList { u"a.example.com:443:127.0.0.1"_s });
        // Kept through a save and load.
        QCOMPARE(Profile::fromJson(o.profile.toJson()).resolve, o.profile.resolve);
    }

    // The server on 127.0.0.1 is reached under a name that does not exist in DNS, and sees that name
    // in the Host header: only the address changed.
    void connectsToTheAddressWithTheName()
    {
        QWebSocketServer server(u"resolve-test"_s, QWebSocketServer::NonSecureMode);
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        QByteArray hostHeader;
        connect(&server, &QWebSocketServer::newConnection, this, [&] {
            QWebSocket* s = server.nextPendingConnection();
            hostHeader = s->request().rawHeader("Host");
            s->setParent(&server);
        });
        Profile p;
        p.url = u"ws://no-such-host.invalid:%1/path"_s.arg(server.serverPort());
        p.resolve = { u"no-such-host.invalid:%1:127.0.0.1"_s.arg(server.serverPort()) };
        Session session(p);
        test::EntryRecorder recorder(&session);
        session.open();
        QVERIFY(test::waitForState(&session, Session::State::Open));
        QTRY_COMPARE(hostHeader, u"no-such-host.invalid:%1"_s.arg(server.serverPort()).toUtf8());
        QVERIFY(std::any_of(recorder.entries.begin(), recorder.entries.end(), [](const LogEntry& e) {
            return e.kind == LogEntry::Kind::Info
                && e.payload.contains("Connecting to 127.0.0.1 instead of looking up");
        }));
        QVERIFY(session.close().ok());
        QVERIFY(test::waitForState(&session, Session::State::Closed));
    }
};

QTEST_GUILESS_MAIN(TestHostOverride)
#include "tst_hostoverride.moc"
