#pragma once

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QPair>
#include <QStringList>

namespace wsi {

// Which way bytes travel, seen from the client we drive.
enum class Direction : quint8 {
    None, // local events: state changes, errors
    Send, // client -> server
    Receive, // server -> client
};

using HttpHeaders = QList<QPair<QByteArray, QByteArray>>;

// One HTTP head (request or response) exactly as it crossed the wire.
struct HttpHead
{
    bool isRequest = true;
    QByteArray method; // request only
    QByteArray target; // request only
    QByteArray version;
    int status = 0; // response only
    QByteArray reason; // response only
    HttpHeaders headers; // wire order, names as sent
    QByteArray raw; // the whole head including the final CRLF CRLF
    QByteArray body; // first part of a non-101 response body
    QStringList problems; // what is malformed in the head (usually empty)

    bool isEmpty() const { return raw.isEmpty(); }
    // First value of a header, case-insensitive name; null if absent.
    QByteArray header(QByteArrayView name) const;
    QList<QByteArray> headerValues(QByteArrayView name) const;
};

// RFC 6455 opcodes.
enum Opcode : quint8 {
    OpContinuation = 0x0,
    OpText = 0x1,
    OpBinary = 0x2,
    OpClose = 0x8,
    OpPing = 0x9,
    OpPong = 0xA,
};

// The header of one frame as it was on the wire. The payload is not kept here: data frames point
// into their message's payload (payloadOffset), control frames are log entries of their own.
struct FrameInfo
{
    qint64 timeUs = 0; // epoch microseconds when the frame was complete
    quint64 length = 0; // payload length as declared
    quint64 payloadOffset = 0; // offset of this frame's payload inside its message's payload
    quint32 maskKey = 0; // network order as on the wire (first key byte in the top bits)
    quint8 opcode = 0;
    quint8 rsv = 0; // RSV1..3 as a 3-bit number (RSV1 = 4)
    quint8 lengthBytes = 0; // extended length bytes used: 0 (7-bit), 2 (16-bit), 8 (64-bit)
    bool fin = true;
    bool masked = false;
    QStringList violations; // RFC 6455 rules the peer broke (usually empty)

    bool isControl() const { return opcode >= 0x8; }
};

QString opcodeName(quint8 opcode);

// TLS facts of the upstream connection (wss), as the relay's QSslSocket saw them.
struct TlsInfo
{
    QString protocol; // "TLS 1.3"
    QString cipher; // "TLS_AES_256_GCM_SHA384"
    QList<QByteArray> peerChainPem; // leaf first
    bool verified = false;
    QStringList verificationErrors; // empty when verified
    bool isEmpty() const { return protocol.isEmpty() && peerChainPem.isEmpty(); }
};

// Where the time of a connection went, in microseconds; -1 = did not happen (or not measured).
struct ConnectionTimings
{
    qint64 dnsUs = -1;
    qint64 tcpConnectUs = -1;
    qint64 tlsHandshakeUs = -1;
    qint64 upgradeUs = -1; // request head sent -> response head received
};

// Everything about one connection's opening handshake, for the handshake and TLS panels.
struct HandshakeInfo
{
    HttpHead request;
    HttpHead response;
    TlsInfo tls;
    ConnectionTimings timings;
    QByteArray expectedAccept; // base64(SHA-1(key + GUID)) computed from the request's key
    // LogEntry::nowUs() of the read that completed the response head (the time of the entries it
    // carried, the first messages' included); -1 = not yet.
    qint64 responseAtUs = -1;
    // The extensions in use as the relay negotiated them, one line for the handshake tab
    // ("permessage-deflate: server window 2^15, ..."); empty when none was offered.
    QString extensions;
    // What the inspector's own check of the response found (HandshakeCheck), one sentence each, and
    // why it refused the response (empty when the response was accepted or is not complete yet).
    QStringList responseFaults;
    QString failure;
    bool acceptMatches() const
    {
        return !expectedAccept.isEmpty() && response.header("Sec-WebSocket-Accept") == expectedAccept;
    }
};

} // namespace wsi

Q_DECLARE_METATYPE(wsi::HttpHead)
Q_DECLARE_METATYPE(wsi::FrameInfo)
Q_DECLARE_METATYPE(wsi::TlsInfo)
Q_DECLARE_METATYPE(wsi::HandshakeInfo)
