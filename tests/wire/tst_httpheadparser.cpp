#include "wire/httpheadparser.h"

#include <QRandomGenerator>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;

class tst_HttpHeadParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void responseHeadInWireOrderAtEveryBoundary()
    {
        const QByteArray head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nSet-Cookie: a=1\r\n"
                                "Connection: Upgrade\r\nSet-Cookie: b=2\r\nX-Empty:\r\n\r\n";
        const QByteArray frames = "\x81\x02hi";
        const QByteArray all = head + frames;
        for (qsizetype cut = 0; cut <= all.size(); ++cut) {
            HttpHeadParser p(false);
            qsizetype used = p.feed(QByteArrayView(all).first(cut));
            if (p.status() == HttpHeadParser::Status::NeedMore)
                used += p.feed(QByteArrayView(all).sliced(cut));
            QCOMPARE(p.status(), HttpHeadParser::Status::Done);
            QCOMPARE(p.head().raw, head);
            QCOMPARE(p.head().status, 101);
            QCOMPARE(p.head().reason, QByteArray("Switching Protocols"));
            QCOMPARE(p.head().headers.size(), 5);
            QCOMPARE(p.head().headers.at(1).first, QByteArray("Set-Cookie"));
            QCOMPARE(p.head().headerValues("set-cookie"), (QList<QByteArray> { "a=1", "b=2" }));
            QCOMPARE(p.head().headers.at(4).second, QByteArray());
        }
        HttpHeadParser p(false);
        QCOMPARE(p.feed(all), head.size()); // the frames after the head are not consumed
    }

    void requestLine()
    {
        HttpHeadParser p(true);
        p.feed("GET /chat?x=1 HTTP/1.1\r\nHost: example.com\r\nSec-WebSocket-Key: abc\r\n\r\n");
        QCOMPARE(p.status(), HttpHeadParser::Status::Done);
        QCOMPARE(p.head().method, QByteArray("GET"));
        QCOMPARE(p.head().target, QByteArray("/chat?x=1"));
        QCOMPARE(p.head().version, QByteArray("HTTP/1.1"));
        QCOMPARE(p.head().header("host"), QByteArray("example.com"));
        QVERIFY(p.head().problems.isEmpty());
    }

    void problemsAreReportedNotFatal()
    {
        HttpHeadParser p(false);
        p.feed("HTTP/1.1 abc\r\nno colon here\r\n folded\r\nGood: yes\r\n\r\n");
        QCOMPARE(p.status(), HttpHeadParser::Status::Done);
        QVERIFY(p.head().problems.size() >= 2);
        QCOMPARE(p.head().header("Good"), QByteArray("yes"));
    }

    void endlessHeadIsAnError()
    {
        HttpHeadParser p(false);
        p.feed("HTTP/1.1 200 OK\r\nX-Endless: ");
        QByteArray chunk(4096, 'x');
        for (int i = 0; i < 20 && p.status() == HttpHeadParser::Status::NeedMore; ++i)
            p.feed(chunk);
        QCOMPARE(p.status(), HttpHeadParser::Status::Error);
        QVERIFY(p.error().contains(u"65536"_s));
        QCOMPARE(p.fault(), HttpHeadParser::Fault::TooLong);
    }

    // A reply that is not HTTP is named after its first bytes, not after 64 KiB or a timeout.
    void notHttpIsNamedAtOnce()
    {
        const QByteArray tlsAlert("\x15\x03\x03\x00\x02\x02\x46", 7);
        HttpHeadParser p(false);
        p.feed(tlsAlert.first(1));
        QCOMPARE(p.status(), HttpHeadParser::Status::Error);
        QCOMPARE(p.fault(), HttpHeadParser::Fault::NotHttp);
        QCOMPARE(p.error(), u"The server's reply is not HTTP: it starts with 15 instead of \"HTTP/\"."_s);

        // The same words however the reply is split (regression: fuzz_wiretap).
        for (const QByteArray& reply : { QByteArray("HTTX/1.1 200 OK\r\n"), QByteArray("SSH-2.0-x\r\n") }) {
            HttpHeadParser whole(false);
            whole.feed(reply);
            HttpHeadParser bytes(false);
            for (char c : reply)
                bytes.feed(QByteArrayView(&c, 1));
            QCOMPARE(bytes.fault(), HttpHeadParser::Fault::NotHttp);
            QCOMPARE(bytes.error(), whole.error());
        }
        HttpHeadParser x(false);
        x.feed("HTTX/1.1 200 OK\r\n\r\n");
        QCOMPARE(x.error(), u"The server's reply is not HTTP: it starts with 48 54 54 58 instead of \"HTTP/\"."_s);

        HttpHeadParser q(false); // "HTTP/" split at every byte is still HTTP
        for (char c : QByteArray("HTTP/1.1 101 Switching Protocols\r\n\r\n"))
            q.feed(QByteArrayView(&c, 1));
        QCOMPARE(q.status(), HttpHeadParser::Status::Done);
        QCOMPARE(q.fault(), HttpHeadParser::Fault::None);

        HttpHeadParser request(true); // requests are not held to it
        request.feed("xyz");
        QCOMPARE(request.status(), HttpHeadParser::Status::NeedMore);
    }

    // Regression (fuzz_handshakecheck): an empty folded line left a trailing space in the value.
    void emptyFoldedLineAddsNothing()
    {
        const HttpHead head
            = HttpHeadParser::parse("HTTP/1.1 101 OK\r\nUpgrade: websocket\r\n\t\r\nX: a\r\n b\r\n\r\n", false);
        QCOMPARE(head.header("Upgrade"), QByteArray("websocket"));
        QCOMPARE(head.header("X"), QByteArray("a b"));
        QCOMPARE(HttpHeadParser::parse("HTTP/1.1 101 OK\r\nUpgrade:\r\n websocket\r\n\r\n", false).header("Upgrade"),
            QByteArray("websocket"));
    }

    void bareLineFeedIsAProblem()
    {
        HttpHeadParser p(false);
        p.feed("HTTP/1.1 101 Switching Protocols\nUpgrade: websocket\n\n");
        QCOMPARE(p.status(), HttpHeadParser::Status::Done);
        QCOMPARE(p.head().header("Upgrade"), QByteArray("websocket"));
        QCOMPARE(p.head().problems, QStringList { u"Line 1 ends with a bare LF instead of CR LF."_s });
    }

    void garbageNeverCrashes()
    {
        QRandomGenerator gen(3);
        for (int round = 0; round < 500; ++round) {
            QByteArray junk(int(gen.bounded(1, 300)), Qt::Uninitialized);
            for (char& c : junk)
                c = "\r\n: aZ\x00\xff"[gen.bounded(8)];
            HttpHeadParser p(round % 2);
            p.feed(junk);
            (void)p.head().header("x");
        }
    }
};

QTEST_GUILESS_MAIN(tst_HttpHeadParser)
#include "tst_httpheadparser.moc"
