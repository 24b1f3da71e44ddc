#pragma once

#include "wire/httpheadparser.h"
#include "wire/wiretypes.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

namespace wsi {

// One thing the server's opening handshake response did wrong, in words a user can act on.
struct HandshakeFault
{
    // Stable ids (also used in captures and by tests); the message is translated, the id is not.
    enum class Rule {
        HttpNotHttp, // the reply does not start with "HTTP/"
        HttpHeadTooLong, // no blank line within HttpHeadParser::kMaxHeadSize
        HttpClosedEarly, // the connection ended before the head did
        HttpMalformedStatusLine,
        HttpBareLineFeed, // lines end in LF without CR (tolerated by HTTP, not by Qt 6.4)
        StatusNot101,
        UpgradeMissing,
        UpgradeWrong,
        ConnectionMissing,
        ConnectionWithoutUpgrade,
        AcceptMissing,
        AcceptDuplicated,
        AcceptMalformed,
        AcceptWrong,
        SubprotocolNotOffered, // the client offered others
        SubprotocolNoneOffered, // the client offered none at all
        SubprotocolSeveral,
        ExtensionNotOffered,
    };

    Rule rule;
    QByteArray header; // the header the rule is about ("" for the status line or the head as a whole)
    QByteArray seen; // the value the server sent (empty when missing)
    QByteArray expected; // what RFC 6455 and this connection's request call for, when one value fits
    QString message; // one sentence naming the header and the value seen
    QString section; // "RFC 6455 §4.1", "RFC 9112 §2.2"
    // False for faults HTTP lets a client tolerate (a bare LF): flagged, never a reason to fail.
    bool fatal = true;

    QString ruleId() const;
};

// Everything the client-side checks of RFC 6455 §4.1 look at, as the relay saw it on the wire.
struct HandshakeExchange
{
    HttpHead request; // the head the client sent: its key, offered subprotocols and extensions
    HttpHead response; // the head received (raw holds the partial bytes when it never completed)
    HttpHeadParser::Fault responseFault = HttpHeadParser::Fault::None;
    bool closedBeforeHeadEnd = false; // the server closed the connection before the blank line
};

// The client-side checks RFC 6455 §4.1 requires of the server's opening handshake response,
// done on the real bytes so that each failure names its own cause, never Qt's generic text.
// Pure: no sockets, no state.
class HandshakeCheck
{
    Q_DECLARE_TR_FUNCTIONS(wsi::HandshakeCheck)
public:
    // Every fault of the exchange in the order a reader meets them (HTTP level first, then the
    // headers). Empty means the server did everything RFC 6455 asks.
    static QList<HandshakeFault> check(const HandshakeExchange& exchange);
    // The first fatal fault's message, for a one-line reason; empty when none is fatal.
    static QString summary(const QList<HandshakeFault>& faults);
    // Why the handshake timed out, from what the server had sent of its response head by then
    // (partialHead: raw bytes, the head not ended): nothing, a cut status line, or a status line
    // and some header lines without the empty line that ends the head.
    static QString timeoutMessage(QByteArrayView partialHead, int timeoutMs);

    // base64(SHA-1(key + 258EAFA5-E914-47DA-95CA-C5AB0DC85B11)), RFC 6455 §4.2.2.
    static QByteArray expectedAccept(QByteArrayView key);
    // 28 characters of base64 for 20 bytes: 27 of the alphabet and one '=' of padding.
    static bool isWellFormedAccept(QByteArrayView value);

    // The response head rewritten so that QWebSocket 6.4 accepts what RFC 6455 allows; returns
    // response.raw unchanged when nothing needs rewriting. Sidesteps these checks of
    // QWebSocketPrivate::processHandshake (qwebsocket_p.cpp, 6.4.2):
    //  - it waits for "\r\n\r\n", so a head with bare LF line ends never completes there: every
    //    line end becomes CR LF;
    //  - it compares the combined Connection value (repeated headers joined with ", ") to
    //    "upgrade" as a whole, refusing "keep-alive, Upgrade" or two Connection headers: when the
    //    token is there, all Connection headers become one "Connection: Upgrade";
    //  - it compares the combined Upgrade value to "websocket" as a whole: repeated
    //    "Upgrade: websocket" headers become one;
    //  - its QHttpHeaderParser refuses more than 100 header fields: then only Upgrade,
    //    Connection and Sec-WebSocket-* are kept.
    // Faults RFC 6455 says the client must fail on (a wrong Accept, an unoffered subprotocol) are
    // left as they are: the inspector reports them itself before Qt sees anything.
    static QByteArray normalizedForQt(const HttpHead& response);

    // Comma-separated tokens of all headers of that name, trimmed, empty ones dropped.
    static QList<QByteArray> headerTokens(const HttpHead& head, QByteArrayView name);
};

} // namespace wsi
