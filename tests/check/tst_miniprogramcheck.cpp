#include "check/certificatechain.h"
#include "check/miniprogramcheck.h"
#include "check/miniprogramcheckrun.h"
#include "check/miniprogramreportmodel.h"
#include "check/miniprogramrules.h"
#include "cli/clioptions.h"
#include "scriptedserver.h"
#include "teach/snippetgenerator.h"
#include "testpki.h"

#include <QAbstractItemModelTester>
#include <QSslCipher>
#include <QSslConfiguration>
#include <QWebSocket>
#include <QWebSocketServer>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;

namespace {

enum class ServerKind { Plain, FullChain, RsaKeyExchange, OtherName, Expired, NoIntermediate };

// "scheme=PASS host=FAIL ...", in the report's order (English: tests run without a translator).
QString verdicts(const MiniProgramReport& report)
{
    QStringList out;
    for (const MiniProgramFinding& f : report.findings)
        out.append(f.id + u'=' + MiniProgramReport::verdictName(f.verdict));
    return out.join(u' ');
}

} // namespace

class TestMiniProgramCheck : public QObject
{
    Q_OBJECT

    test::TestPki m_pki;
    QString m_pkiError;

    // A WebSocket server on 127.0.0.1 that accepts every upgrade.
    QWebSocketServer* startServer(ServerKind kind, QObject* parent)
    {
        const bool tls = kind != ServerKind::Plain;
        auto* server = new QWebSocketServer(
            u"mp-test"_s, tls ? QWebSocketServer::SecureMode : QWebSocketServer::NonSecureMode, parent);
        if (tls) {
            QSslConfiguration config = QSslConfiguration::defaultConfiguration();
            const QString leaf = kind == ServerKind::OtherName ? u"other"_s
                : kind == ServerKind::Expired                  ? u"expired"_s
                                                               : u"leaf"_s;
            config.setPrivateKey(m_pki.key(leaf));
            if (kind == ServerKind::NoIntermediate)
                config.setLocalCertificate(m_pki.certificate(leaf)); // the intermediate is left out
            else
                config.setLocalCertificateChain({ m_pki.certificate(leaf), m_pki.certificate(u"int"_s) });
            if (kind == ServerKind::RsaKeyExchange) {
                // TLS 1.2 with RSA key exchange only: no forward secrecy (what iOS refuses).
                config.setProtocol(QSsl::TlsV1_2);
                config.setCiphers({ QSslCipher(u"AES128-GCM-SHA256"_s) });
            }
            server->setSslConfiguration(config);
        }
        connect(server, &QWebSocketServer::newConnection, server, [server] {
            while (QWebSocket* s = server->nextPendingConnection())
                s->setParent(server);
        });
        if (!server->listen(QHostAddress::LocalHost, 0))
            return nullptr;
        return server;
    }

    MiniProgramReport runCheck(const Profile& profile)
    {
        MiniProgramCheckRun run(profile);
        QSignalSpy done(&run, &MiniProgramCheckRun::finished);
        run.start();
        if (!done.wait(30000))
            return {};
        return run.report();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_pkiError = m_pki.create();
        if (m_pkiError.isEmpty())
            m_pkiError = m_pki.issue(u"leaf"_s, u"mp.example.com"_s);
        if (m_pkiError.isEmpty())
            m_pkiError = m_pki.issue(u"other"_s, u"other.example.com"_s);
        if (m_pkiError.isEmpty())
            m_pkiError = m_pki.issue(u"expired"_s, u"mp.example.com"_s, true);
        QVERIFY2(m_pkiError.isEmpty(), qPrintable(m_pkiError));
        QVERIFY(!m_pki.certificate(u"leaf"_s).isNull());
        QVERIFY(!m_pki.key(u"leaf"_s).isNull());
    }

    // Each server against the check, through the terminal front end's own parser: the verdicts
    // and the exit status a user would see.
    void serversOnLoopback_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("url"); // %1 = port
        QTest::addColumn<QStringList>("options"); // %1 = port, %2 = root CA file
        QTest::addColumn<QStringList>("expected"); // id=VERDICT, each must be in the report
        QTest::addColumn<int>("exitCode");
        const QStringList resolve { u"--resolve"_s, u"mp.example.com:%1:127.0.0.1"_s, u"--ca"_s, u"%2"_s };

        QTest::newRow("plain ws") << int(ServerKind::Plain) << u"ws://mp.example.com:%1/"_s << resolve
                                  << QStringList { u"scheme=FAIL"_s, u"host=PASS"_s, u"certificate-name=CANNOT TELL"_s,
                                         u"tls-version=CANNOT TELL"_s, u"handshake=PASS"_s }
                                  << 1;
        // Debian 12's OpenSSL refuses TLS 1.1 at its default security level (no signature
        // algorithm is allowed for it), so the TLS case is a cipher set the check rejects.
        QTest::newRow("rsa key exchange")
            << int(ServerKind::RsaKeyExchange) << u"wss://mp.example.com:%1/"_s << resolve
            << QStringList { u"scheme=PASS"_s, u"certificate-name=PASS"_s, u"certificate-chain=PASS"_s,
                   u"tls-version=FAIL"_s, u"handshake=PASS"_s }
            << 1;
        QTest::newRow("other name") << int(ServerKind::OtherName) << u"wss://mp.example.com:%1/"_s << resolve
                                    << QStringList { u"certificate-name=FAIL"_s, u"certificate-dates=PASS"_s,
                                           u"certificate-chain=PASS"_s, u"handshake=FAIL"_s }
                                    << 1;
        QTest::newRow("expired") << int(ServerKind::Expired) << u"wss://mp.example.com:%1/"_s << resolve
                                 << QStringList { u"certificate-name=PASS"_s, u"certificate-dates=FAIL"_s,
                                        u"certificate-chain=PASS"_s, u"handshake=FAIL"_s }
                                 << 1;
        QTest::newRow("no intermediate") << int(ServerKind::NoIntermediate) << u"wss://mp.example.com:%1/"_s << resolve
                                         << QStringList { u"certificate-name=PASS"_s, u"certificate-dates=PASS"_s,
                                                u"certificate-chain=FAIL"_s, u"certificate-trust=CANNOT TELL"_s }
                                         << 1;
        QTest::newRow("referer header") << int(ServerKind::FullChain) << u"wss://mp.example.com:%1/"_s
                                        << resolve + QStringList { u"-H"_s, u"Referer: https://example.com/app"_s }
                                        << QStringList { u"forbidden-headers=FAIL"_s, u"certificate-chain=PASS"_s,
                                               u"handshake=PASS"_s }
                                        << 1;
        QTest::newRow("ip address") << int(ServerKind::FullChain) << u"wss://127.0.0.1:%1/"_s
                                    << QStringList { u"--ca"_s, u"%2"_s }
                                    << QStringList { u"scheme=PASS"_s, u"host=FAIL"_s, u"certificate-name=FAIL"_s }
                                    << 1;
        QTest::newRow("domain through --resolve")
            << int(ServerKind::FullChain) << u"wss://mp.example.com:%1/"_s
            << resolve + QStringList { u"-s"_s, u"chat"_s }
            << QStringList { u"scheme=PASS"_s, u"host=PASS"_s, u"certificate-name=PASS"_s, u"certificate-dates=PASS"_s,
                   u"certificate-chain=PASS"_s, u"certificate-trust=WARN"_s, u"tls-version=PASS"_s,
                   u"forbidden-headers=PASS"_s, u"handshake=PASS"_s, u"subprotocol=WARN"_s, u"deflate=PASS"_s,
                   u"handshake-time=PASS"_s, u"base-library=PASS"_s }
            << 0;
    }

    void serversOnLoopback()
    {
        QFETCH(int, kind);
        QFETCH(QString, url);
        QFETCH(QStringList, options);
        QFETCH(QStringList, expected);
        QFETCH(int, exitCode);
        QObject scope;
        QWebSocketServer* server = startServer(ServerKind(kind), &scope);
        QVERIFY(server);
        const QString port = QString::number(server->serverPort());
        QStringList args { u"--cli"_s, url.arg(port) };
        for (const QString& o : std::as_const(options))
            args.append(QString(o).replace(u"%1"_s, port).replace(u"%2"_s, m_pki.path("root.pem")));
        args << u"--check"_s << u"miniprogram"_s;
        CliOptions cli;
        QString error;
        QVERIFY2(CliParser::parse(args, &cli, &error), qPrintable(error));
        QCOMPARE(cli.check, u"miniprogram"_s);

        const MiniProgramReport report = runCheck(cli.profile);
        QVERIFY(!report.findings.isEmpty());
        const QString seen = verdicts(report);
        for (const QString& e : std::as_const(expected))
            QVERIFY2(seen.contains(e), qPrintable(u"expected %1 in: %2\n%3"_s.arg(e, seen, report.toText())));
        QCOMPARE(report.hasFailures(), exitCode != 0);

        // The terminal prints the same report and exits with the documented status.
        const test::CliRun run = test::runCli(args, 30000);
        QCOMPARE(run.exitCode, exitCode);
        const QString& printed = run.out;
        QVERIFY2(printed.startsWith(u"Mini-program check of "_s + url.arg(port)), qPrintable(printed));
        QVERIFY2(printed.contains(exitCode ? u"FAIL "_s : u"Result: failed: 0,"_s), qPrintable(printed));
    }

    // What each rule says for the failures a user must act on: the evidence names what was seen.
    void evidenceNamesTheProblem()
    {
        QObject scope;
        QWebSocketServer* server = startServer(ServerKind::NoIntermediate, &scope);
        QVERIFY(server);
        Profile p;
        p.url = u"wss://mp.example.com:%1/"_s.arg(server->serverPort());
        p.resolve = { u"mp.example.com:%1:127.0.0.1"_s.arg(server->serverPort()) };
        p.tls.caFile = m_pki.path("root.pem");
        const MiniProgramReport report = runCheck(p);
        const MiniProgramFinding* chain = report.find(u"certificate-chain"_s);
        QVERIFY(chain);
        QVERIFY2(chain->evidence.contains(u"1 certificate"_s), qPrintable(chain->evidence));
        QVERIFY2(chain->evidence.contains(u"CN=WSI Test Intermediate"_s), qPrintable(chain->evidence));
        QVERIFY(chain->advice.contains(u"intermediate"_s));
        QVERIFY(report.find(u"host"_s)->evidence.contains(u"resolve entry mp.example.com:"_s));
    }

    void chainAnalysisWithoutSockets()
    {
        const QSslCertificate leaf = m_pki.certificate(u"leaf"_s);
        const QSslCertificate inter = m_pki.certificate(u"int"_s);
        const QSslCertificate root = m_pki.certificate(u"root"_s);
        // Complete, trusted by the system store or by the profile's CA file.
        ChainAnalysis a = ChainAnalysis::analyze({ leaf, inter }, { root }, {});
        QCOMPARE(a.outcome, ChainAnalysis::Outcome::Complete);
        QCOMPARE(a.anchor, ChainAnalysis::Anchor::System);
        QCOMPARE(a.path.size(), 3);
        a = ChainAnalysis::analyze({ leaf, inter, root }, {}, { root });
        QCOMPARE(a.outcome, ChainAnalysis::Outcome::Complete);
        QCOMPARE(a.anchor, ChainAnalysis::Anchor::ProfileCa);
        // The intermediate known here (in the CA file) does not help a phone.
        a = ChainAnalysis::analyze({ leaf }, {}, { root, inter });
        QCOMPARE(a.outcome, ChainAnalysis::Outcome::MissingIssuer);
        QVERIFY(a.missingIssuer.contains(u"WSI Test Intermediate"_s));
        // A root nobody trusts.
        a = ChainAnalysis::analyze({ leaf, inter, root }, {}, {});
        QCOMPARE(a.outcome, ChainAnalysis::Outcome::UntrustedRoot);
        QCOMPARE(ChainAnalysis::analyze({}, { root }, {}).outcome, ChainAnalysis::Outcome::Empty);
        // Out of order and with a stray certificate: still linked by name.
        a = ChainAnalysis::analyze({ leaf, m_pki.certificate(u"other"_s), inter }, { root }, {});
        QCOMPARE(a.outcome, ChainAnalysis::Outcome::Complete);
    }

    void baseLibraryFollowsTheOptionsThatMatter()
    {
        Profile p;
        p.url = u"wss://mp.example.com/"_s;
        p.tcpNoDelay = false;
        p.handshakeTimeoutMs = MiniProgramRules::kDefaultTimeoutMs;
        QCOMPARE(MiniProgramRules::lowestBaseLibrary(p), u"1.0.0"_s);
        p.subprotocols = { u"chat"_s };
        QCOMPARE(MiniProgramRules::lowestBaseLibrary(p), u"1.4.0"_s);
        p.perMessageDeflate = true;
        QCOMPARE(MiniProgramRules::lowestBaseLibrary(p), u"2.8.0"_s);
        p.handshakeTimeoutMs = 5000;
        QCOMPARE(MiniProgramRules::lowestBaseLibrary(p), u"2.10.0"_s); // 2.10 > 2.8, not as text
        QCOMPARE(MiniProgramRules::compareVersions(u"2.10.0"_s, u"2.9.9"_s), 1);
        QCOMPARE(MiniProgramRules::compareVersions(u"1.4"_s, u"1.4.0"_s), 0);
    }

    // The wx.connectSocket snippet and the check judge the same profile the same way.
    void snippetAndCheckAgree()
    {
        Profile p;
        p.url = u"wss://mp.example.com/socket"_s;
        p.headers
            = { { u"referer"_s, u"https://example.com/"_s, true, false }, { u"X-Token"_s, u"abc"_s, true, false } };
        p.subprotocols = { u"chat"_s };
        p.tcpNoDelay = false;
        p.handshakeTimeoutMs = MiniProgramRules::kDefaultTimeoutMs;
        const auto snippet = SnippetGenerator::generate(SnippetGenerator::Language::WeChat, p);
        QVERIFY(snippet.ok());
        const MiniProgramReport report = MiniProgramCheck::evaluateProfile(p);
        QCOMPARE(report.find(u"forbidden-headers"_s)->verdict, MiniProgramFinding::Verdict::Fail);
        QVERIFY(!snippet->contains(u"'referer':"_s)); // the header the check fails is left out of the code
        QVERIFY(snippet->contains(u"'X-Token': 'abc'"_s));
        QVERIFY(report.find(u"base-library"_s)->evidence.contains(u"base library 1.4.0 or newer"_s));
        QVERIFY2(snippet->contains(u"need base library 1.4.0 or newer (protocols)"_s), qPrintable(*snippet));
        QVERIFY(snippet->contains(u"60000 ms is also the platform's default"_s));
        QVERIFY(snippet->contains(u"at most 5 sockets"_s));
    }

    void profileOnlyRules()
    {
        Profile p;
        p.url = u"ws://localhost:8080/"_s;
        const MiniProgramReport report = MiniProgramCheck::evaluateProfile(p);
        QVERIFY(!report.connected);
        QCOMPARE(verdicts(report), u"scheme=FAIL host=FAIL forbidden-headers=PASS base-library=PASS"_s);
        p.url = u"wss://192.168.1.20/"_s;
        QVERIFY(MiniProgramCheck::evaluateProfile(p).find(u"host"_s)->evidence.contains(u"local IP address"_s));
        p.url = u"wss://api.example.cn/"_s;
        QCOMPARE(MiniProgramCheck::evaluateProfile(p).hasFailures(), false);
    }

    // Rules that no loopback server here can provoke, judged from what a connection would show.
    void rulesFromWhatWasSeen()
    {
        Profile p;
        p.url = u"wss://mp.example.com/"_s;
        const QList<QSslCertificate> roots { m_pki.certificate(u"root"_s) };
        // A server that only speaks TLS 1.1 or older: the handshake ends with a protocol_version alert.
        MiniProgramObservation tls11;
        tls11.failure = u"TLS failure: error:0A00042E:SSL routines::tlsv1 alert protocol version"_s;
        MiniProgramReport r = MiniProgramCheck::evaluate(p, tls11, roots, {});
        QCOMPARE(r.find(u"tls-version"_s)->verdict, MiniProgramFinding::Verdict::Fail);
        QVERIFY(r.find(u"tls-version"_s)->evidence.contains(u"protocol version"_s));
        QCOMPARE(r.find(u"handshake"_s)->verdict, MiniProgramFinding::Verdict::Fail);
        // Any other early failure is not blamed on the TLS version.
        tls11.failure = u"Connection refused"_s;
        QCOMPARE(MiniProgramCheck::evaluate(p, tls11, roots, {}).find(u"tls-version"_s)->verdict,
            MiniProgramFinding::Verdict::CannotTell);

        // An opened connection with a chosen subprotocol nobody offered, an extension nobody
        // offered, a slow handshake, and verification switched off.
        MiniProgramObservation seen;
        seen.opened = true;
        seen.handshake.tls.protocol = u"TLS 1.2"_s;
        seen.handshake.tls.cipher = u"ECDHE-RSA-AES128-GCM-SHA256"_s;
        seen.handshake.tls.peerChainPem = { m_pki.certificate(u"leaf"_s).toPem(), m_pki.certificate(u"int"_s).toPem() };
        seen.handshake.response.status = 101;
        seen.handshake.response.raw = "HTTP/1.1 101 Switching Protocols\r\n\r\n";
        seen.handshake.response.headers
            = { { "Sec-WebSocket-Protocol", "v2" }, { "Sec-WebSocket-Extensions", "permessage-deflate" } };
        seen.handshake.timings.tcpConnectUs = 1000;
        seen.handshake.timings.upgradeUs = 6000 * 1000; // 6 s of a 10 s timeout
        p.tls.verify = false;
        r = MiniProgramCheck::evaluate(p, seen, roots, {});
        QCOMPARE(r.find(u"tls-version"_s)->verdict, MiniProgramFinding::Verdict::Pass);
        QCOMPARE(r.find(u"subprotocol"_s)->verdict, MiniProgramFinding::Verdict::Fail);
        QCOMPARE(r.find(u"deflate"_s)->verdict, MiniProgramFinding::Verdict::Fail);
        QCOMPARE(r.find(u"handshake-time"_s)->verdict, MiniProgramFinding::Verdict::Warning);
        QVERIFY(r.find(u"handshake-time"_s)->evidence.contains(u"6001.0 ms in all"_s));
        QCOMPARE(r.find(u"certificate-trust"_s)->verdict, MiniProgramFinding::Verdict::Warning);
        QVERIFY(r.find(u"certificate-trust"_s)->evidence.contains(u"verification is off"_s));
        p.handshakeTimeoutMs = 5000;
        QCOMPARE(MiniProgramCheck::evaluate(p, seen, roots, {}).find(u"handshake-time"_s)->verdict,
            MiniProgramFinding::Verdict::Fail);
        // A TLS 1.2 cipher without ECDHE.
        seen.handshake.tls.cipher = u"AES256-SHA256"_s;
        QCOMPARE(MiniProgramCheck::evaluate(p, seen, roots, {}).find(u"tls-version"_s)->verdict,
            MiniProgramFinding::Verdict::Fail);
    }

    void reportModel()
    {
        MiniProgramReportModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        Profile p;
        p.url = u"ws://10.0.0.1/"_s;
        model.setReport(MiniProgramCheck::evaluateProfile(p));
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.columnCount(), int(MiniProgramReportModel::ColumnCount));
        QCOMPARE(model.index(0, MiniProgramReportModel::VerdictColumn).data().toString(), u"FAIL"_s);
        QCOMPARE(model.index(0, MiniProgramReportModel::RuleColumn).data(MiniProgramReportModel::RuleIdRole).toString(),
            u"scheme"_s);
        QVERIFY(!model.index(1, MiniProgramReportModel::AdviceColumn).data().toString().isEmpty());
        model.setReport({});
        QCOMPARE(model.rowCount(), 0);
    }

    void unknownCheckIsAUsageError()
    {
        CliOptions cli;
        QString error;
        QVERIFY(!CliParser::parse({ u"--cli"_s, u"wss://a.example.com/"_s, u"--check"_s, u"browser"_s }, &cli, &error));
        QCOMPARE(error, u"Unknown check \"browser\": the only check is miniprogram."_s);
        QVERIFY(!CliParser::parse(
            { u"wss://a.example.com/"_s, u"--check"_s, u"miniprogram"_s, u"-x"_s, u"hi"_s }, &cli, &error));
        QVERIFY2(error.startsWith(u"--check miniprogram only connects and judges"_s), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestMiniProgramCheck)
#include "tst_miniprogramcheck.moc"
