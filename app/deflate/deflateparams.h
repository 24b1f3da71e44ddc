#pragma once

#include "util/result.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QString>

namespace wsi {

// One element of a Sec-WebSocket-Extensions list: a name and its parameters, as written.
struct ExtensionParam
{
    QByteArray name;
    QByteArray value; // unquoted; empty when hasValue is false
    bool hasValue = false;
    bool operator==(const ExtensionParam&) const = default;
};

struct ExtensionElement
{
    QByteArray name;
    QList<ExtensionParam> params;
    bool operator==(const ExtensionElement&) const = default;
};

// Parses Sec-WebSocket-Extensions values (RFC 6455 §9.1 with the RFC 7230 list rules: elements
// separated by commas, parameters by semicolons, values as tokens or quoted strings). Several header
// lines are one list. The Error names the header and what is malformed.
Result<QList<ExtensionElement>> parseExtensionHeader(const QList<QByteArray>& values);

// A value of DeflateParams that cannot be offered, with the RFC 7692 parameter it concerns.
struct DeflateParamProblem
{
    QString parameter; // "client_max_window_bits" or "server_max_window_bits"
    QString message;
};

// What the client offers for permessage-deflate (RFC 7692 §7.1), also what a profile stores.
// Window bits hold 8-15, or one of the markers below; anything else is kept as typed so that the
// validator can name it.
struct DeflateParams
{
    static constexpr int kNotOffered = 0;
    static constexpr int kOfferedWithoutValue = -1; // client_max_window_bits only
    static constexpr int kMinWindowBits = 8;
    static constexpr int kMaxWindowBits = 15;

    // Browsers' offer: "permessage-deflate; client_max_window_bits".
    int clientMaxWindowBits = kOfferedWithoutValue;
    int serverMaxWindowBits = kNotOffered;
    bool clientNoContextTakeover = false;
    bool serverNoContextTakeover = false;

    bool operator==(const DeflateParams&) const = default;

    // The Sec-WebSocket-Extensions value of the offer, e.g.
    // "permessage-deflate; server_max_window_bits=10; client_max_window_bits".
    QByteArray offerHeaderValue() const;
    // The parameters alone, as --deflate=PARAMS takes them (empty for an offer without any).
    QString toParamString() const;
    // Problems of the values (window bits out of range), each naming the RFC 7692 parameter;
    // empty when the offer can be sent.
    QList<DeflateParamProblem> problems() const;
    // Reads --deflate=PARAMS or a profile string: parameters separated by ";", optionally starting
    // with "permessage-deflate". An empty string is the default offer. Each parameter may appear
    // once; windows bits must be 8-15 (client_max_window_bits may have no value).
    static Result<DeflateParams> parse(QStringView text);
};

// What the server accepted, i.e. what both sides use (RFC 7692 §7.1).
struct NegotiatedDeflate
{
    bool accepted = false; // false: the server declined (no permessage-deflate in its response)
    int clientMaxWindowBits = 15; // window this client deflates with
    int serverMaxWindowBits = 15; // window the server deflates with (the inflater's window)
    bool clientNoContextTakeover = false; // this client resets its compressor after each message
    bool serverNoContextTakeover = false; // the server resets its compressor after each message
    QByteArray responseValue; // the server's Sec-WebSocket-Extensions, as received

    bool operator==(const NegotiatedDeflate&) const = default;
    // One line for the handshake tab and the terminal, e.g. "permessage-deflate: server window
    // 2^10, client window 2^15, server context reset per message".
    QString describe() const;
};

// Checks the server's Sec-WebSocket-Extensions response against the offer (RFC 7692 §5, §7.1;
// RFC 6455 §9.1). No header or an empty one: the server declined, which is not an error. Anything
// else the server may not answer fails with an Error naming the parameter and its value.
class DeflateNegotiation
{
    Q_DECLARE_TR_FUNCTIONS(wsi::DeflateNegotiation)
public:
    static Result<NegotiatedDeflate> checkResponse(const DeflateParams& offer, const QList<QByteArray>& responseValues);
    // When nothing was offered: any extension in the response is an Error naming it (QWebSocket
    // accepts it silently).
    static Result<void> checkNotExtended(const QList<QByteArray>& responseValues);
    // Parses a window-bits value: 1-2 digits without leading zero, 8-15. -1 when invalid.
    static int parseWindowBits(QByteArrayView value);
};

} // namespace wsi
