#include "cli/clioptions.h"

#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;

class tst_CliOptions : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fullCommandLine()
    {
        CliOptions o;
        QString error;
        QVERIFY2(
            CliParser::parse({ u"--cli"_s, u"ws://example.test/feed"_s, u"-H"_s, u"X-B: 2"_s, u"--header"_s, u"X-A:1"_s,
                                 u"-s"_s, u"chat"_s, u"-s"_s, u"superchat"_s, u"--timeout"_s, u"2500"_s, u"-x"_s,
                                 u"one"_s, u"--execute-binary"_s, u"0x00 ff"_s, u"--execute"_s, u"two"_s, u"-w"_s,
                                 u"1.5"_s, u"-n"_s, u"--ping=hi"_s, u"--close"_s, u"4000:done"_s },
                &o, &error),
            qPrintable(error));
        QCOMPARE(o.profile.url, u"ws://example.test/feed"_s);
        QCOMPARE(o.profile.headers.size(), 2);
        QCOMPARE(o.profile.headers.at(0).name, u"X-B"_s); // order kept
        QCOMPARE(o.profile.headers.at(0).value, u"2"_s);
        QCOMPARE(o.profile.headers.at(1).name, u"X-A"_s);
        QCOMPARE(o.profile.subprotocols, QStringList({ u"chat"_s, u"superchat"_s }));
        QCOMPARE(o.profile.handshakeTimeoutMs, 2500);
        QCOMPARE(o.profile.tls.verify, false);
        QCOMPARE(o.waitSeconds, 1.5);
        QCOMPARE(o.actions.size(), 5);
        QCOMPARE(o.actions.at(0).kind, CliAction::Kind::Text);
        QCOMPARE(o.actions.at(0).data, QByteArray("one"));
        QCOMPARE(o.actions.at(1).kind, CliAction::Kind::Binary);
        QCOMPARE(o.actions.at(1).data, QByteArray("\x00\xff", 2));
        QCOMPARE(o.actions.at(2).data, QByteArray("two"));
        QCOMPARE(o.actions.at(3).kind, CliAction::Kind::Ping);
        QCOMPARE(o.actions.at(3).data, QByteArray("hi"));
        QCOMPARE(o.actions.at(4).kind, CliAction::Kind::Close);
        QCOMPARE(o.actions.at(4).closeCode, 4000);
        QCOMPARE(o.actions.at(4).data, QByteArray("done"));
        QCOMPARE(o.profile.lenient, false); // strict unless asked
    }

    void lenient()
    {
        CliOptions o;
        QString error;
        QVERIFY2(
            CliParser::parse({ u"--cli"_s, u"ws://127.0.0.1:1/"_s, u"--lenient"_s }, &o, &error), qPrintable(error));
        QCOMPARE(o.profile.lenient, true);
        QVERIFY(o.explicitProfileFields);
        QVERIFY(CliOptions::helpText().contains(u"--lenient"_s));
    }

    void invalid_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("error");
        QTest::newRow("no url") << QStringList { u"--cli"_s } << u"No URL given"_s;
        QTest::newRow("unknown option") << QStringList { u"ws://a/"_s, u"--frobnicate"_s }
                                        << u"Unknown option --frobnicate"_s;
        QTest::newRow("header without colon")
            << QStringList { u"ws://a/"_s, u"-H"_s, u"NoColon"_s } << u"Header \"NoColon\" is not of the form"_s;
        QTest::newRow("missing value") << QStringList { u"ws://a/"_s, u"-x"_s } << u"Option -x needs a value"_s;
        QTest::newRow("timeout not a number")
            << QStringList { u"ws://a/"_s, u"--timeout"_s, u"soon"_s } << u"Option --timeout expects a whole number"_s;
        QTest::newRow("bad hex") << QStringList { u"ws://a/"_s, u"--execute-binary"_s, u"0g"_s }
                                 << u"\"g\" at position 2 is not a hex digit"_s;
        QTest::newRow("odd hex") << QStringList { u"ws://a/"_s, u"--execute-binary"_s, u"abc"_s }
                                 << u"Odd number of hex digits"_s;
        QTest::newRow("reserved close") << QStringList { u"ws://a/"_s, u"--close"_s, u"1006"_s } << u"reserved"_s;
        QTest::newRow("long ping") << QStringList { u"ws://a/"_s, u"--ping="_s + QString(126, u'p') }
                                   << u"at most 125"_s;
        QTest::newRow("two urls") << QStringList { u"ws://a/"_s, u"ws://b/"_s } << u"only one URL"_s;
        QTest::newRow("negative wait") << QStringList { u"ws://a/"_s, u"-w"_s, u"-1"_s }
                                       << u"expects a number of seconds"_s;
        QTest::newRow("missing ca") << QStringList { u"wss://a/"_s, u"--ca"_s, u"/nonexistent/ca.pem"_s }
                                    << u"does not exist"_s;
        QTest::newRow("bad proxy") << QStringList { u"ws://a/"_s, u"--proxy"_s, u"ftp://x:1"_s } << u"not supported"_s;
    }
    void invalid()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, error);
        CliOptions o;
        QString actual;
        QVERIFY(!CliParser::parse(args, &o, &actual));
        QVERIFY2(actual.contains(error), qPrintable(actual));
    }

    void helpAndVersionNeedNoUrl()
    {
        CliOptions o;
        QString error;
        QVERIFY(CliParser::parse({ u"--help"_s }, &o, &error));
        QVERIFY(o.showHelp);
        QVERIFY(CliOptions::helpText().contains(u"--execute-binary"_s));
    }
};

QTEST_GUILESS_MAIN(tst_CliOptions)
#include "tst_clioptions.moc"
