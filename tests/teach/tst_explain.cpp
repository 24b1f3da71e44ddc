#include "payload/payloadview.h"
#include "teach/headerglossary.h"
#include "wire/handshakepanel.h"

#include <QPlainTextEdit>
#include <QTableWidget>
#include <QTextBrowser>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;

namespace {
HttpHead head(bool request, const HttpHeaders& headers, int status = 0)
{
    HttpHead h;
    h.isRequest = request;
    h.status = status;
    h.headers = headers;
    QByteArray raw = request ? "GET /chat HTTP/1.1\r\n" : "HTTP/1.1 101 Switching Protocols\r\n";
    for (const auto& [name, value] : headers)
        raw += name + ": " + value + "\r\n";
    h.raw = raw + "\r\n";
    return h;
}
} // namespace

class tst_Explain : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyHandshakeHeaderIsExplained()
    {
        for (const char* name :
            { "Host", "Upgrade", "Connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version", "Sec-WebSocket-Protocol",
                "Sec-WebSocket-Extensions", "Origin", "User-Agent", "Cookie", "Authorization" })
            QVERIFY2(!HeaderGlossary::explain(name, true).isEmpty(), name);
        for (const char* name : { "upgrade", "CONNECTION", "Sec-WebSocket-Accept", "Sec-WebSocket-Protocol",
                 "Sec-WebSocket-Extensions", "Server", "Date", "Set-Cookie", "WWW-Authenticate", "Location",
                 "Access-Control-Allow-Origin", "X-Request-Id" })
            QVERIFY2(!HeaderGlossary::explain(name, false).isEmpty(), name);
        // The two sides of one header are told apart.
        QVERIFY(HeaderGlossary::explain("Sec-WebSocket-Protocol", true)
            != HeaderGlossary::explain("Sec-WebSocket-Protocol", false));
        QVERIFY(
            HeaderGlossary::explain("Sec-WebSocket-Accept", false).contains(u"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"_s));
        QVERIFY(HeaderGlossary::explain("Frobnicate", false).isEmpty());
    }

    void handshakePanelExplainsHeadersAndDerivesAccept()
    {
        HandshakePanel panel;
        HandshakeInfo info;
        info.request = head(true,
            { { "Host", "server.example.com" }, { "Upgrade", "websocket" }, { "Connection", "Upgrade" },
                { "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==" }, { "Sec-WebSocket-Version", "13" } });
        info.response = head(false,
            { { "Upgrade", "websocket" }, { "Connection", "Upgrade" },
                { "Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" } },
            101);
        info.expectedAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";
        panel.setHandshake(info, QUrl(u"ws://server.example.com/chat"_s));

        const QString derivation = panel.findChild<QPlainTextEdit*>(u"acceptCheck"_s)->toPlainText();
        QVERIFY2(derivation.contains(u"dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11"_s),
            qPrintable(derivation));
        QVERIFY(derivation.contains(u"b3 7a 4f 2c c0 62 4f 16"_s));
        QVERIFY(derivation.contains(u"✓ The server sent s3pPLMBiTxaQ9kYGzzhZRbK+xOo=: it matches."_s));

        auto* request = panel.findChild<QTableWidget*>(u"requestTable"_s);
        QCOMPARE(request->item(3, 0)->text(), u"Sec-WebSocket-Key"_s);
        QVERIFY(request->item(3, 0)->toolTip().contains(u"16 random bytes"_s)); // tooltips always
        QVERIFY(request->isColumnHidden(2));
        panel.setExplainMode(true);
        QVERIFY(!request->isColumnHidden(2));
        QVERIFY(request->item(3, 2)->text().contains(u"16 random bytes"_s));

        // A wrong Accept says so, with the value the server sent.
        info.response = head(false, { { "Upgrade", "websocket" }, { "Sec-WebSocket-Accept", "bm9wZQ==" } }, 101);
        panel.setHandshake(info, QUrl(u"ws://server.example.com/chat"_s));
        QVERIFY(panel.findChild<QPlainTextEdit*>(u"acceptCheck"_s)
                    ->toPlainText()
                    .contains(u"✗ The server sent bm9wZQ==: it does not match"_s));
    }

    // Choosing a frame in the Frames view draws its header bit by bit.
    void framesViewDrawsTheSelectedFrame()
    {
        LogEntry e;
        e.kind = LogEntry::Kind::Text;
        e.dir = Direction::Send;
        e.payload = "Hello";
        FrameInfo f;
        f.opcode = OpText;
        f.masked = true;
        f.maskKey = 0x37fa213d;
        f.length = 5;
        e.frames = { f };
        PayloadView view;
        view.setEntry(e);
        view.setMode(PayloadView::Mode::Frames);
        const QString shown = view.frameDiagramView()->toPlainText();
        QVERIFY2(
            shown.contains(u"0x81"_s) && shown.contains(u"0x85"_s) && shown.contains(u"0x37"_s), qPrintable(shown));
        QVERIFY(shown.contains(u"masking key"_s));
        QVERIFY(shown.contains(u"7f 9f 4d 51 58"_s)); // masked, as on the wire (RFC 6455 §5.7)
        QVERIFY(shown.contains(u"48 65 6c 6c 6f"_s)); // unmasked
        QVERIFY(shown.contains(u"0xA pong"_s)); // the legends
        QVERIFY(shown.contains(u"1000 Normal Closure"_s));
    }
};

QTEST_MAIN(tst_Explain)
#include "tst_explain.moc"
