// permessage-deflate negotiation by table: the offer a profile or --deflate=PARAMS makes, every
// rule of RFC 7692 §5-7 the server's Sec-WebSocket-Extensions must follow, and the RSV rules.
#include "deflate/deflatenegotiation.h"
#include "deflate/rsvrules.h"
#include "wire/wiretypes.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsi;

Q_DECLARE_METATYPE(wsi::DeflateServerConfig)

namespace {

// What a user would read off the handshake tab, compactly.
QString compact(const NegotiatedDeflate& n)
{
    if (!n.accepted)
        return u"declined"_s;
    QString s = u"server=%1 client=%2"_s.arg(n.serverMaxWindowBits).arg(n.clientMaxWindowBits);
    if (n.serverNoContextTakeover)
        s += u" server_reset"_s;
    if (n.clientNoContextTakeover)
        s += u" client_reset"_s;
    return s;
}

DeflateParams offer(const QString& text)
{
    auto p = DeflateNegotiation::parseOffer(text);
    if (!p)
        qFatal("bad offer in the table: %s", qPrintable(p.error().message));
    return p.value();
}

} // namespace

class tst_DeflateNegotiation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void offerText_data()
    {
        QTest::addColumn<QString>("params");
        QTest::addColumn<QByteArray>("header");
        QTest::newRow("default offer, as browsers send it")
            << QString() << QByteArray("permessage-deflate; client_max_window_bits");
        QTest::newRow("blank is the default") << u"   "_s << QByteArray("permessage-deflate; client_max_window_bits");
        QTest::newRow("issue example") << u"server_max_window_bits=10; client_no_context_takeover"_s
                                       << QByteArray("permessage-deflate; client_no_context_takeover; "
                                                     "server_max_window_bits=10");
        QTest::newRow("with the extension name") << u"permessage-deflate; server_no_context_takeover"_s
                                                 << QByteArray("permessage-deflate; server_no_context_takeover");
        QTest::newRow("name alone offers no parameters") << u"permessage-deflate"_s << QByteArray("permessage-deflate");
        QTest::newRow("all four") << u"client_max_window_bits=9;server_max_window_bits=8;server_no_context_takeover;"
                                     u" client_no_context_takeover"_s
                                  << QByteArray("permessage-deflate; server_no_context_takeover; "
                                                "client_no_context_takeover; server_max_window_bits=8; "
                                                "client_max_window_bits=9");
        QTest::newRow("quoted value") << u"server_max_window_bits=\"12\""_s
                                      << QByteArray("permessage-deflate; server_max_window_bits=12");
        QTest::newRow("client bits without value")
            << u"client_max_window_bits; server_max_window_bits=15"_s
            << QByteArray("permessage-deflate; server_max_window_bits=15; client_max_window_bits");
    }
    void offerText()
    {
        QFETCH(QString, params);
        QFETCH(QByteArray, header);
        auto p = DeflateNegotiation::parseOffer(params);
        QVERIFY2(p.ok(), qPrintable(p.errorMessage()));
        QCOMPARE(p->offerHeaderValue(), header);
        QVERIFY(p->problems().isEmpty());
        // What toParamString() writes reads back as the same offer (profiles store it this way).
        auto again = DeflateNegotiation::parseOffer(p->toParamString());
        QVERIFY2(again.ok(), qPrintable(again.errorMessage()));
        if (!p->toParamString().isEmpty())
            QCOMPARE(again.value(), p.value());
    }

    void offerErrors_data()
    {
        QTest::addColumn<QString>("params");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown") << u"server_max_window=10"_s
                                 << u"Deflate parameter \"server_max_window\" is unknown: use client_max_window_bits, "
                                    u"server_max_window_bits, client_no_context_takeover or "
                                    u"server_no_context_takeover."_s;
        QTest::newRow("server bits need a value")
            << u"server_max_window_bits"_s << u"Deflate parameter server_max_window_bits needs a value from 8 to 15."_s;
        QTest::newRow("too big") << u"server_max_window_bits=16"_s
                                 << u"Deflate parameter server_max_window_bits=16 is out of range: use 8 to 15."_s;
        QTest::newRow("too small") << u"client_max_window_bits=7"_s
                                   << u"Deflate parameter client_max_window_bits=7 is out of range: use 8 to 15."_s;
        QTest::newRow("leading zero") << u"client_max_window_bits=09"_s
                                      << u"Deflate parameter client_max_window_bits=09 is out of range: use 8 to 15."_s;
        QTest::newRow("value on a flag")
            << u"server_no_context_takeover=yes"_s
            << u"Deflate parameter server_no_context_takeover takes no value (found \"yes\")."_s;
        QTest::newRow("twice") << u"client_no_context_takeover; client_no_context_takeover"_s
                               << u"Deflate parameter client_no_context_takeover is given twice."_s;
        QTest::newRow("comma") << u"server_no_context_takeover, client_no_context_takeover"_s
                               << u"Deflate parameters \"server_no_context_takeover, client_no_context_takeover\" "
                                  u"describe more than one extension: separate parameters with \";\", not \",\"."_s;
        QTest::newRow("non-ASCII") << u"server_max_window_bits=１０"_s
                                   << u"Deflate parameters \"server_max_window_bits=１０\" contain the character "
                                      u"U+ff11: use only the ASCII parameter names and numbers."_s;
        QTest::newRow("trailing semicolon")
            << u"server_no_context_takeover;"_s
            << u"Deflate parameters \"server_no_context_takeover;\" are malformed: Sec-WebSocket-Extensions "
               u"\"permessage-deflate; server_no_context_takeover;\" is malformed: a parameter name is missing after "
               u"the last \";\"."_s;
    }
    void offerErrors()
    {
        QFETCH(QString, params);
        QFETCH(QString, message);
        auto p = DeflateNegotiation::parseOffer(params);
        QVERIFY(!p.ok());
        QCOMPARE(p.errorMessage(), message);
    }

    void offerProblems()
    {
        DeflateParams p;
        QVERIFY(p.problems().isEmpty());
        p.serverMaxWindowBits = 20;
        p.clientMaxWindowBits = 3;
        const QList<DeflateParamProblem> problems = p.problems();
        QCOMPARE(problems.size(), 2);
        QCOMPARE(problems.at(0).parameter, u"client_max_window_bits"_s);
        QCOMPARE(problems.at(0).message,
            u"Deflate parameter client_max_window_bits=3 is out of range: use 8 to 15, no value (the server chooses), "
            u"or leave it out."_s);
        QCOMPARE(problems.at(1).parameter, u"server_max_window_bits"_s);
        QCOMPARE(problems.at(1).message,
            u"Deflate parameter server_max_window_bits=20 is out of range: use 8 to 15, or leave it out."_s);
    }

    void acceptedResponses_data()
    {
        QTest::addColumn<QString>("offered");
        QTest::addColumn<QList<QByteArray>>("response");
        QTest::addColumn<QString>("result");
        using L = QList<QByteArray>;
        QTest::newRow("no header: declined") << QString() << L {} << u"declined"_s;
        QTest::newRow("empty header: declined") << QString() << L { "" } << u"declined"_s;
        QTest::newRow("only commas: declined") << QString() << L { " , ," } << u"declined"_s;
        QTest::newRow("plain accept") << QString() << L { "permessage-deflate" } << u"server=15 client=15"_s;
        QTest::newRow("server limits the client window")
            << QString() << L { "permessage-deflate; client_max_window_bits=10" } << u"server=15 client=10"_s;
        QTest::newRow("quoted value") << QString() << L { "permessage-deflate; client_max_window_bits=\"8\"" }
                                      << u"server=15 client=8"_s;
        QTest::newRow("server limits itself unasked")
            << QString() << L { "permessage-deflate; server_max_window_bits=9" } << u"server=9 client=15"_s;
        QTest::newRow("server resets unasked") << QString() << L { "permessage-deflate; server_no_context_takeover" }
                                               << u"server=15 client=15 server_reset"_s;
        QTest::newRow("server asks the client to reset")
            << QString() << L { "permessage-deflate; client_no_context_takeover" }
            << u"server=15 client=15 client_reset"_s;
        QTest::newRow("client reset offered, not echoed: still reset")
            << u"client_no_context_takeover"_s << L { "permessage-deflate" } << u"server=15 client=15 client_reset"_s;
        QTest::newRow("server window offered, accepted smaller")
            << u"server_max_window_bits=10"_s << L { "permessage-deflate; server_max_window_bits=9" }
            << u"server=9 client=15"_s;
        QTest::newRow("server window offered, accepted equal")
            << u"server_max_window_bits=10"_s << L { "permessage-deflate; server_max_window_bits=10" }
            << u"server=10 client=15"_s;
        QTest::newRow("client window offered with value, not answered")
            << u"client_max_window_bits=12"_s << L { "permessage-deflate" } << u"server=15 client=12"_s;
        QTest::newRow("client window offered with value, answered smaller")
            << u"client_max_window_bits=12"_s << L { "permessage-deflate; client_max_window_bits=11" }
            << u"server=15 client=11"_s;
        QTest::newRow("server reset offered and accepted")
            << u"server_no_context_takeover"_s << L { "permessage-deflate; server_no_context_takeover" }
            << u"server=15 client=15 server_reset"_s;
        QTest::newRow("everything") << u"server_no_context_takeover; client_no_context_takeover; "
                                       u"server_max_window_bits=8; client_max_window_bits"_s
                                    << L { "permessage-deflate;server_no_context_takeover;client_no_context_takeover;"
                                           "server_max_window_bits=8;client_max_window_bits=8" }
                                    << u"server=8 client=8 server_reset client_reset"_s;
        QTest::newRow("names in any case") << QString() << L { "PerMessage-Deflate; Server_No_Context_Takeover" }
                                           << u"server=15 client=15 server_reset"_s;
        QTest::newRow("spaces and tabs") << QString()
                                         << L { "  permessage-deflate ;\tserver_max_window_bits = 11 ; "
                                                "client_max_window_bits=\t12" }
                                         << u"server=11 client=12"_s;
        QTest::newRow("second header line")
            << QString() << L { "", "permessage-deflate; server_max_window_bits=11" } << u"server=11 client=15"_s;
        QTest::newRow("empty list elements") << QString() << L { ", permessage-deflate ," } << u"server=15 client=15"_s;
    }
    void acceptedResponses()
    {
        QFETCH(QString, offered);
        QFETCH(QList<QByteArray>, response);
        QFETCH(QString, result);
        auto n = DeflateNegotiation::checkResponse(offer(offered), response);
        QVERIFY2(n.ok(), qPrintable(n.errorMessage()));
        QCOMPARE(compact(n.value()), result);
        QCOMPARE(n->responseValue, response.join(", "));
        QVERIFY(!n->describe().isEmpty());
    }

    void refusedResponses_data()
    {
        QTest::addColumn<QString>("offered");
        QTest::addColumn<QList<QByteArray>>("response");
        QTest::addColumn<QString>("message");
        using L = QList<QByteArray>;
        // Extensions
        QTest::newRow("unknown extension")
            << QString() << L { "x-webkit-deflate-frame" }
            << u"The server accepted the extension \"x-webkit-deflate-frame\", which was "
               u"not offered (only permessage-deflate was)."_s;
        QTest::newRow("deflate plus another") << QString() << L { "permessage-deflate, foo; a=1" }
                                              << u"The server accepted the extension \"foo\", which was not offered "
                                                 u"(only permessage-deflate was)."_s;
        QTest::newRow("deflate twice") << QString()
                                       << L { "permessage-deflate, permessage-deflate; client_max_window_bits=10" }
                                       << u"The server's Sec-WebSocket-Extensions names permessage-deflate 2 times; "
                                          u"it was offered once."_s;
        QTest::newRow("deflate twice on two lines")
            << QString() << L { "permessage-deflate", "permessage-deflate" }
            << u"The server's Sec-WebSocket-Extensions names permessage-deflate 2 times; it was offered once."_s;
        // Parameters
        QTest::newRow("unknown parameter")
            << QString() << L { "permessage-deflate; max_window_bits=10" }
            << u"The server's permessage-deflate response has the unknown parameter \"max_window_bits\"."_s;
        QTest::newRow("duplicated flag")
            << QString() << L { "permessage-deflate; server_no_context_takeover; server_no_context_takeover" }
            << u"The server's permessage-deflate response has the parameter server_no_context_takeover twice."_s;
        QTest::newRow("duplicated bits")
            << QString() << L { "permessage-deflate; server_max_window_bits=10; server_max_window_bits=10" }
            << u"The server's permessage-deflate response has the parameter server_max_window_bits twice."_s;
        QTest::newRow("value on server_no_context_takeover")
            << QString() << L { "permessage-deflate; server_no_context_takeover=1" }
            << u"The server's permessage-deflate response gives server_no_context_takeover the value \"1\"; it takes "
               u"none."_s;
        QTest::newRow("value on client_no_context_takeover")
            << QString() << L { "permessage-deflate; client_no_context_takeover=\"true\"" }
            << u"The server's permessage-deflate response gives client_no_context_takeover the value \"true\"; it "
               u"takes none."_s;
        QTest::newRow("client bits without value")
            << QString() << L { "permessage-deflate; client_max_window_bits" }
            << u"The server's permessage-deflate response has client_max_window_bits without a value; a response "
               u"must give one from 8 to 15."_s;
        QTest::newRow("server bits without value")
            << QString() << L { "permessage-deflate; server_max_window_bits" }
            << u"The server's permessage-deflate response has server_max_window_bits without a value; a response "
               u"must give one from 8 to 15."_s;
        for (const char* bad : { "7", "16", "0", "08", "10a", "-9", "999" }) {
            QTest::addRow("server bits %s", bad)
                << QString() << L { "permessage-deflate; server_max_window_bits=" + QByteArray(bad) }
                << u"The server's permessage-deflate response has server_max_window_bits=%1, which is not a window "
                   u"size from 8 to 15."_s.arg(QLatin1StringView(bad));
        }
        QTest::newRow("client bits 16") << QString() << L { "permessage-deflate; client_max_window_bits=16" }
                                        << u"The server's permessage-deflate response has client_max_window_bits=16, "
                                           u"which is not a window size from 8 to 15."_s;
        // Against the offer
        QTest::newRow("client bits not offered")
            << u"server_max_window_bits=10"_s
            << L { "permessage-deflate; server_max_window_bits=10; client_max_window_bits=10" }
            << u"The server's permessage-deflate response has client_max_window_bits=10, which was not offered."_s;
        QTest::newRow("client bits above the offer")
            << u"client_max_window_bits=10"_s << L { "permessage-deflate; client_max_window_bits=12" }
            << u"The server's permessage-deflate response has client_max_window_bits=12, larger than the 10 offered."_s;
        QTest::newRow("server bits above the offer")
            << u"server_max_window_bits=10"_s << L { "permessage-deflate; server_max_window_bits=11" }
            << u"The server's permessage-deflate response has server_max_window_bits=11, larger than the 10 offered."_s;
        QTest::newRow("server bits offered, left out")
            << u"server_max_window_bits=10"_s << L { "permessage-deflate" }
            << u"The server's permessage-deflate response leaves out server_max_window_bits, which was offered as "
               u"10: the server did not accept the offer it answered."_s;
        QTest::newRow("server reset offered, left out")
            << u"server_no_context_takeover"_s << L { "permessage-deflate; client_no_context_takeover" }
            << u"The server's permessage-deflate response leaves out server_no_context_takeover, which was offered: "
               u"the server did not accept the offer it answered."_s;
        // Syntax
        QTest::newRow("dangling semicolon")
            << QString() << L { "permessage-deflate;" }
            << u"Sec-WebSocket-Extensions \"permessage-deflate;\" is malformed: a parameter name is missing after the "
               u"last \";\"."_s;
        QTest::newRow("missing semicolon")
            << QString() << L { "permessage-deflate server_no_context_takeover" }
            << u"Sec-WebSocket-Extensions \"permessage-deflate server_no_context_takeover\" is malformed: unexpected "
               u"\"s\" at offset 19."_s;
        QTest::newRow("unclosed quote")
            << QString() << L { "permessage-deflate; server_max_window_bits=\"10" }
            << u"Sec-WebSocket-Extensions \"permessage-deflate; server_max_window_bits=\"10\" is malformed: the quoted "
               u"value of server_max_window_bits has no closing quote."_s;
        QTest::newRow("quoted non-token")
            << QString() << L { "permessage-deflate; server_max_window_bits=\"1 0\"" }
            << u"Sec-WebSocket-Extensions \"permessage-deflate; server_max_window_bits=\"1 0\"\" is malformed: the "
               u"quoted value \"1 0\" of server_max_window_bits is not a token."_s;
        QTest::newRow("equals without value")
            << QString() << L { "permessage-deflate; server_max_window_bits=" }
            << u"Sec-WebSocket-Extensions \"permessage-deflate; server_max_window_bits=\" is malformed: "
               u"server_max_window_bits= has no value."_s;
        QTest::newRow("no name") << QString() << L { "; server_no_context_takeover" }
                                 << u"Sec-WebSocket-Extensions \"; server_no_context_takeover\" is malformed: expected "
                                    u"an extension name at offset 0, found \";\"."_s;
        QTest::newRow("control character")
            << QString() << L { QByteArray("permessage-deflate\x01") }
            << u"Sec-WebSocket-Extensions \"permessage-deflate\x01\" is malformed: unexpected 0x01 at offset 18."_s;
    }
    void refusedResponses()
    {
        QFETCH(QString, offered);
        QFETCH(QList<QByteArray>, response);
        QFETCH(QString, message);
        auto n = DeflateNegotiation::checkResponse(offer(offered), response);
        QVERIFY2(!n.ok(), qPrintable(compact(n.ok() ? n.value() : NegotiatedDeflate())));
        QCOMPARE(n.errorMessage(), message);
    }

    void hostileHeaderIsQuotedShort()
    {
        // A server must not be able to fill the log with one message.
        const QByteArray huge = "permessage-deflate; " + QByteArray(100000, 'x') + "=\"";
        auto n = DeflateNegotiation::checkResponse(DeflateParams(), { huge });
        QVERIFY(!n.ok());
        QVERIFY2(n.errorMessage().size() < 400, qPrintable(n.errorMessage()));
        QVERIFY(n.errorMessage().contains(u"no closing quote"_s));
    }

    void nothingOffered()
    {
        QVERIFY(DeflateNegotiation::checkNotExtended({}).ok());
        QVERIFY(DeflateNegotiation::checkNotExtended({ "" }).ok());
        auto r = DeflateNegotiation::checkNotExtended({ "permessage-deflate" });
        QVERIFY(!r.ok());
        QCOMPARE(
            r.errorMessage(), u"The server accepted the extension \"permessage-deflate\", which was not offered."_s);
    }

    // The built-in server's side, cross-checked against the client side: whatever the server
    // answers, a client that made the accepted offer must accept it and agree on the parameters.
    void serverAnswers_data()
    {
        QTest::addColumn<QList<QByteArray>>("request");
        QTest::addColumn<DeflateServerConfig>("config");
        QTest::addColumn<QString>("acceptedOffer"); // the parameters of the offer taken, for the cross-check
        QTest::addColumn<QByteArray>("response"); // empty = declined
        QTest::addColumn<QStringList>("declined");
        using L = QList<QByteArray>;
        const DeflateServerConfig plain;
        auto config = [](int server, int client, bool serverReset, bool clientReset) {
            return DeflateServerConfig { server, client, serverReset, clientReset };
        };
        QTest::newRow("no offer") << L {} << plain << QString() << QByteArray() << QStringList();
        QTest::newRow("bare offer") << L { "permessage-deflate" } << plain << u"permessage-deflate"_s
                                    << QByteArray("permessage-deflate") << QStringList();
        QTest::newRow("browsers' offer") << L { "permessage-deflate; client_max_window_bits" } << plain << QString()
                                         << QByteArray("permessage-deflate") << QStringList();
        QTest::newRow("client window asked")
            << L { "permessage-deflate; client_max_window_bits" } << config(0, 10, false, false) << QString()
            << QByteArray("permessage-deflate; client_max_window_bits=10") << QStringList();
        QTest::newRow("client window not askable")
            << L { "permessage-deflate" } << config(0, 10, false, false) << u"permessage-deflate"_s
            << QByteArray("permessage-deflate") << QStringList();
        QTest::newRow("client offers less than asked")
            << L { "permessage-deflate; client_max_window_bits=9" } << config(0, 12, false, false)
            << u"client_max_window_bits=9"_s << QByteArray("permessage-deflate; client_max_window_bits=9")
            << QStringList();
        QTest::newRow("server window offered")
            << L { "permessage-deflate; server_max_window_bits=10" } << plain << u"server_max_window_bits=10"_s
            << QByteArray("permessage-deflate; server_max_window_bits=10") << QStringList();
        QTest::newRow("server window, own limit smaller")
            << L { "permessage-deflate; server_max_window_bits=12" } << config(10, 0, false, false)
            << u"server_max_window_bits=12"_s << QByteArray("permessage-deflate; server_max_window_bits=10")
            << QStringList();
        QTest::newRow("server limits itself unasked")
            << L { "permessage-deflate" } << config(11, 0, false, false) << u"permessage-deflate"_s
            << QByteArray("permessage-deflate; server_max_window_bits=11") << QStringList();
        QTest::newRow("server reset offered")
            << L { "permessage-deflate; server_no_context_takeover" } << plain << u"server_no_context_takeover"_s
            << QByteArray("permessage-deflate; server_no_context_takeover") << QStringList();
        QTest::newRow("server resets by choice")
            << L { "permessage-deflate" } << config(0, 0, true, false) << u"permessage-deflate"_s
            << QByteArray("permessage-deflate; server_no_context_takeover") << QStringList();
        QTest::newRow("client asked to reset")
            << L { "permessage-deflate; client_max_window_bits" } << config(0, 0, false, true) << QString()
            << QByteArray("permessage-deflate; client_no_context_takeover") << QStringList();
        // Repeated in the answer: npm ws keeps its context unless the response names the parameter.
        QTest::newRow("client reset offered")
            << L { "permessage-deflate; client_no_context_takeover" } << plain << u"client_no_context_takeover"_s
            << QByteArray("permessage-deflate; client_no_context_takeover") << QStringList();
        QTest::newRow("first offer bad, second taken")
            << L { "permessage-deflate; foo, permessage-deflate; client_max_window_bits" } << plain << QString()
            << QByteArray("permessage-deflate")
            << QStringList { u"permessage-deflate offer declined: unknown parameter \"foo\"."_s };
        QTest::newRow("other extensions ignored")
            << L { "x-webkit-deflate-frame", "permessage-deflate" } << plain << u"permessage-deflate"_s
            << QByteArray("permessage-deflate") << QStringList();
        QTest::newRow("window out of range")
            << L { "permessage-deflate; server_max_window_bits=16" } << plain << QString() << QByteArray()
            << QStringList { u"permessage-deflate offer declined: "
                             u"server_max_window_bits=16 is not a window size from 8 "
                             u"to 15."_s };
        QTest::newRow("server window without value")
            << L { "permessage-deflate; server_max_window_bits" } << plain << QString() << QByteArray()
            << QStringList { u"permessage-deflate offer declined: server_max_window_bits has no value."_s };
        QTest::newRow("flag with value")
            << L { "permessage-deflate; client_no_context_takeover=1" } << plain << QString() << QByteArray()
            << QStringList { u"permessage-deflate offer declined: client_no_context_takeover has a value."_s };
        QTest::newRow("duplicate") << L { "permessage-deflate; client_max_window_bits; client_max_window_bits=9" }
                                   << plain << QString() << QByteArray()
                                   << QStringList { u"permessage-deflate offer declined: parameter "
                                                    u"client_max_window_bits given twice."_s };
        QTest::newRow("malformed header") << L { "permessage-deflate;" } << plain << QString() << QByteArray()
                                          << QStringList { u"Sec-WebSocket-Extensions \"permessage-deflate;\" is "
                                                           u"malformed: a parameter name is missing after the last "
                                                           u"\";\"."_s };
    }
    void serverAnswers()
    {
        QFETCH(QList<QByteArray>, request);
        QFETCH(DeflateServerConfig, config);
        QFETCH(QString, acceptedOffer);
        QFETCH(QByteArray, response);
        QFETCH(QStringList, declined);
        const DeflateServerAnswer answer = DeflateNegotiation::answerOffers(request, config);
        QCOMPARE(answer.responseValue, response);
        QCOMPARE(answer.accepted, !response.isEmpty());
        QCOMPARE(answer.declined, declined);
        if (!answer.accepted)
            return;
        auto client = DeflateNegotiation::checkResponse(offer(acceptedOffer), { answer.responseValue });
        QVERIFY2(client.ok(), qPrintable(client.errorMessage()));
        const NegotiatedDeflate& server = answer.negotiated;
        QCOMPARE(client->serverMaxWindowBits, server.serverMaxWindowBits);
        QCOMPARE(client->serverNoContextTakeover, server.serverNoContextTakeover);
        QCOMPARE(client->clientNoContextTakeover, server.clientNoContextTakeover);
        // The server inflates with a window at least as large as the one the client uses.
        QVERIFY(server.clientMaxWindowBits >= client->clientMaxWindowBits);
    }

    void rsvRules_data()
    {
        QTest::addColumn<int>("opcode");
        QTest::addColumn<int>("rsv");
        QTest::addColumn<bool>("negotiated");
        QTest::addColumn<int>("rule");
        QTest::addColumn<QString>("message");
        const int ok = int(RsvRule::Ok);
        QTest::newRow("plain text") << int(OpText) << 0 << false << ok << QString();
        QTest::newRow("compressed text") << int(OpText) << 4 << true << ok << QString();
        QTest::newRow("compressed binary") << int(OpBinary) << 4 << true << ok << QString();
        QTest::newRow("uncompressed message under deflate") << int(OpBinary) << 0 << true << ok << QString();
        QTest::newRow("plain continuation") << int(OpContinuation) << 0 << true << ok << QString();
        QTest::newRow("RSV1 without the extension")
            << int(OpText) << 4 << false << int(RsvRule::Rsv1WithoutExtension)
            << u"RSV1 set on a text frame although permessage-deflate was not negotiated (RFC 6455 §5.2)"_s;
        QTest::newRow("RSV1 on a ping") << int(OpPing) << 4 << true << int(RsvRule::Rsv1OnControlFrame)
                                        << u"RSV1 set on a ping frame: control frames are never compressed (RFC 7692 "
                                           u"§6.1)"_s;
        QTest::newRow("RSV1 on a close") << int(OpClose) << 4 << true << int(RsvRule::Rsv1OnControlFrame)
                                         << u"RSV1 set on a close frame: control frames are never compressed (RFC "
                                            u"7692 §6.1)"_s;
        QTest::newRow("RSV1 on a continuation")
            << int(OpContinuation) << 4 << true << int(RsvRule::Rsv1OnContinuation)
            << u"RSV1 set on a continuation frame: only the first frame of a compressed message carries it (RFC 7692 "
               u"§6.1)"_s;
        QTest::newRow("RSV2") << int(OpText) << 2 << true << int(RsvRule::Rsv2OrRsv3)
                              << u"RSV2 or RSV3 set on a text frame: no negotiated extension defines them (RFC 6455 "
                                 u"§5.2)"_s;
        QTest::newRow("RSV1 and RSV3") << int(OpBinary) << 5 << true << int(RsvRule::Rsv2OrRsv3)
                                       << u"RSV2 or RSV3 set on a binary frame: no negotiated extension defines them "
                                          u"(RFC 6455 §5.2)"_s;
    }
    void rsvRules()
    {
        QFETCH(int, opcode);
        QFETCH(int, rsv);
        QFETCH(bool, negotiated);
        QFETCH(int, rule);
        QFETCH(QString, message);
        const RsvRule got = RsvRules::check(quint8(opcode), quint8(rsv), negotiated);
        QCOMPARE(int(got), rule);
        QCOMPARE(RsvRules::message(got, quint8(opcode)), message);
        QCOMPARE(RsvRules::startsCompressedMessage(quint8(opcode), quint8(rsv), negotiated),
            got == RsvRule::Ok && rsv == 4 && (opcode == OpText || opcode == OpBinary));
    }
};

QTEST_GUILESS_MAIN(tst_DeflateNegotiation)
#include "tst_deflatenegotiation.moc"
