// `wsinspector --cli --profile NAME`: a saved profile under the command-line options, as a user runs it.
#include "cli/clioptions.h"
#include "profiles/profilestore.h"
#include "profiles/secretvault.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsi;

class tst_ProfileCli : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_config;
    QTcpServer m_server; // must never see a connection from a rejected profile

    struct Run
    {
        int exitCode = -1;
        QString out;
        QString err;
    };
    Run run(const QStringList& args, const QString& locale = {})
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"XDG_CONFIG_HOME"_s, m_config.path());
        env.remove(u"DBUS_SESSION_BUS_ADDRESS"_s);
        if (!locale.isEmpty()) {
            env.insert(u"LC_ALL"_s, locale);
            env.insert(u"LANG"_s, locale);
            env.remove(u"LANGUAGE"_s);
        }
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(WSI_EXECUTABLE), QStringList { u"--cli"_s } + args);
        if (!p.waitForFinished(20000))
            p.kill();
        return { p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError()) };
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_server.listen(QHostAddress::LocalHost, 0));
        const QString dir = m_config.path() + u"/wsinspector/wsinspector"_s;
        QVERIFY(QDir().mkpath(dir));
        const QString url = u"ws://127.0.0.1:%1/"_s.arg(m_server.serverPort());
        Profile echo;
        echo.name = u"Echo via profile"_s;
        echo.url = u"builtin:echo"_s;
        Profile dev;
        dev.name = u"Local dev"_s;
        dev.url = url;
        dev.headers = { { u"X-Ok"_s, u"1"_s } };
        Profile injected;
        injected.name = u"Injected"_s;
        injected.url = url;
        injected.headers = { { u"X-A"_s, u"a\r\nInjected: yes"_s } };
        ProfileStore store(dir + u"/profiles.json"_s, new SecretVault(SecretVault::Backend::File, this));
        QVERIFY(store.save({ echo, dev, injected }));
    }

    void savedProfileIsUsed()
    {
        const Run r = run({ u"--profile"_s, u"echo VIA profile"_s, u"-x"_s, u"hello"_s, u"-w"_s, u"0.2"_s });
        QVERIFY2(r.out.contains(QRegularExpression(u"< text +5 B +hello"_s)), qPrintable(r.out + r.err));
        QCOMPARE(r.exitCode, 0);
    }

    void commandLineOverridesProfile()
    {
        // "Local dev" points at a server that never answers; the URL given on the command line wins.
        const Run r = run({ u"--profile"_s, u"Local dev"_s, u"builtin:echo"_s, u"-x"_s, u"hi"_s, u"-w"_s, u"0.2"_s });
        QVERIFY2(r.out.contains(QRegularExpression(u"< text +2 B +hi"_s)), qPrintable(r.out + r.err));
        QCOMPARE(r.exitCode, 0);
        QVERIFY(!m_server.hasPendingConnections());
    }

    void unknownProfileListsNames()
    {
        const Run r = run({ u"--profile"_s, u"nope"_s, u"-x"_s, u"hi"_s });
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(r.err.trimmed().count(u'\n'), 0); // one line
        QVERIFY2(
            r.err.startsWith(u"wsinspector: Unknown profile \"nope\": available profiles are "_s), qPrintable(r.err));
        QVERIFY2(r.err.contains(u"\"Built-in echo server\""_s), qPrintable(r.err));
        QVERIFY2(r.err.contains(u"\"Echo via profile\", \"Local dev\", \"Injected\""_s), qPrintable(r.err));
    }

    void invalidProfileSendsNothing()
    {
        const Run r = run({ u"--profile"_s, u"Injected"_s });
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(r.err.trimmed(),
            u"wsinspector: Header \"X-A\" value contains a line break (CR or LF): it would inject extra header lines."_s);
        QTest::qWait(100);
        QVERIFY(!m_server.hasPendingConnections());
    }

    // host:port as a server prints it: the address bar takes it as ws:// with a notice, and so does
    // the terminal front end (it used to stop with "has no scheme").
    void hostAndPortIsTakenAsWs()
    {
        CliOptions o;
        QString error;
        QVERIFY(CliParser::parse({ u"127.0.0.1:8080"_s }, &o, &error));
        QCOMPARE(o.profile.url, u"ws://127.0.0.1:8080/"_s);
        QCOMPARE(o.notices.size(), 1);
        QVERIFY2(o.notices.first().contains(u"taken as ws://127.0.0.1:8080"_s), qPrintable(o.notices.first()));
        CliOptions plain; // a URL with a scheme is left to the validator, without a notice
        QVERIFY(CliParser::parse({ u"ws://127.0.0.1:8080/x"_s }, &plain, &error));
        QCOMPARE(plain.profile.url, u"ws://127.0.0.1:8080/x"_s);
        QVERIFY(plain.notices.isEmpty());

        // As a user runs it: the notice on stderr, and a connection to that port.
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        const QString hostPort = u"127.0.0.1:%1"_s.arg(server.serverPort());
        const Run r = run({ hostPort, u"--timeout"_s, u"300"_s });
        QVERIFY2(
            r.err.contains(u"wsinspector: \"%1\" has no scheme: taken as ws://%1 "_s.arg(hostPort)), qPrintable(r.err));
        QVERIFY2(!r.err.contains(u"add ws://"_s), qPrintable(r.err));
        QCOMPARE(r.exitCode, 1); // the connection was tried (no handshake answer), not refused as usage
        QVERIFY(server.hasPendingConnections() || server.waitForNewConnection(5000));
    }

    // --help keeps its English text and layout, and is translated under LANG=zh_CN.UTF-8.
    void helpIsTranslated()
    {
        QFile golden(QStringLiteral(WSI_HELP_EN));
        QVERIFY(golden.open(QIODevice::ReadOnly));
        const Run en = run({ u"--help"_s }, u"C.UTF-8"_s);
        QCOMPARE(en.exitCode, 0);
        QCOMPARE(en.out, QString::fromUtf8(golden.readAll()));

        const Run zh = run({ u"--help"_s }, u"zh_CN.UTF-8"_s);
        QCOMPARE(zh.exitCode, 0);
        QVERIFY2(zh.out.contains(u"用法"_s), qPrintable(zh.out));
        QVERIFY2(zh.out.contains(u"握手标头"_s), qPrintable(zh.out));
        // Every line of the option table is translated; the option names stay as they are.
        QVERIFY2(!zh.out.contains(u"add a handshake header"_s), qPrintable(zh.out));
        QVERIFY2(!zh.out.contains(u"Exit status"_s), qPrintable(zh.out));
        QVERIFY(zh.out.contains(u"  -H, --header \"Name: value\"   "_s));
        QCOMPARE(zh.out.count(u'\n'), en.out.count(u'\n')); // same layout, line for line
    }

    void applyProfileUnit()
    {
        Profile saved;
        saved.name = u"Team"_s;
        saved.url = u"ws://example.com/"_s;
        saved.headers = { { u"X-Team"_s, u"1"_s } };
        saved.handshakeTimeoutMs = 3000;
        const QStringList args { u"--profile"_s, u"team"_s, u"-H"_s, u"X-Extra: 2"_s, u"--timeout"_s, u"500"_s };
        CliOptions o;
        QString error;
        QVERIFY(CliParser::parse(args, &o, &error));
        QVERIFY(CliParser::applyProfile(args, { saved }, &o, &error));
        QCOMPARE(o.profile.name, u"Team"_s);
        QCOMPARE(o.profile.url, u"ws://example.com/"_s);
        QCOMPARE(o.profile.headers.size(), 2);
        QCOMPARE(o.profile.headers.at(1).name, u"X-Extra"_s);
        QCOMPARE(o.profile.handshakeTimeoutMs, 500);
    }
};

QTEST_GUILESS_MAIN(tst_ProfileCli)
#include "tst_profilecli.moc"
