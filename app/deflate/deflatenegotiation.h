#pragma once

#include "deflate/deflateparams.h"
#include "util/result.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

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

// What a server (the built-in one) is willing to use; 0 / false = no preference.
struct DeflateServerConfig
{
    int serverMaxWindowBits = 0; // the window we compress with, at most; 0 = 15 unless the client asks less
    int clientMaxWindowBits = 0; // asked of a client that offered client_max_window_bits
    bool serverNoContextTakeover = false;
    bool clientNoContextTakeover = false;
};

// A server's answer to a client's offers (RFC 7692 §5, §7.1).
struct DeflateServerAnswer
{
    bool accepted = false;
    QByteArray responseValue; // Sec-WebSocket-Extensions for the 101; empty when declined
    NegotiatedDeflate negotiated; // from the server's side: serverMaxWindowBits is our deflater's
    QStringList declined; // why each permessage-deflate offer was declined, for the log
};

// Checks the server's Sec-WebSocket-Extensions response against the offer (RFC 7692 §5, §7.1;
// RFC 6455 §9.1). No header or an empty one: the server declined, which is not an error. Anything
// else the server may not answer fails with an Error naming the parameter and its value.
class DeflateNegotiation
{
    Q_DECLARE_TR_FUNCTIONS(wsi::DeflateNegotiation)
public:
    // Reads --deflate=PARAMS or a profile string: parameters separated by ";", optionally starting
    // with "permessage-deflate". An empty string is the default offer. Each parameter may appear
    // once; windows bits must be 8-15 (client_max_window_bits may have no value).
    static Result<DeflateParams> parseOffer(QStringView text);
    static Result<NegotiatedDeflate> checkResponse(const DeflateParams& offer, const QList<QByteArray>& responseValues);
    // When nothing was offered: any extension in the response is an Error naming it (QWebSocket
    // accepts it silently).
    static Result<void> checkNotExtended(const QList<QByteArray>& responseValues);
    // The server's side: the first acceptable permessage-deflate offer among the request's
    // Sec-WebSocket-Extensions values (other extensions are ignored). An offer with an unknown,
    // duplicated or invalid parameter is declined (RFC 7692 §5) and the next one tried; none
    // acceptable, or a malformed header, means no compression, never a failed handshake.
    static DeflateServerAnswer answerOffers(const QList<QByteArray>& requestValues, const DeflateServerConfig& config);
    // Parses a window-bits value: 1-2 digits without leading zero, 8-15. -1 when invalid.
    static int parseWindowBits(QByteArrayView value);
};

} // namespace wsi
