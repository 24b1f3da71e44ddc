#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace wsi {

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
    // (DeflateNegotiation::parseOffer reads --deflate=PARAMS and profile strings.)
};

} // namespace wsi
