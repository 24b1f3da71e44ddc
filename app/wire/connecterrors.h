#pragma once

#include "util/result.h"
#include "wire/wiretypes.h"

#include <QAbstractSocket>
#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QUrl>

#ifndef QT_NO_SSL
#include <QSslError>
#endif

namespace wsi {

// Plain words for why a connection could not be made: one sentence saying what happened and what
// to try. The library's own text (Qt, OpenSSL) goes to Error::details, never alone to the user.
class ConnectErrors
{
    Q_DECLARE_TR_FUNCTIONS(wsi::ConnectErrors)
public:
    // What went wrong, as far as the socket error and the library text tell.
    enum class Cause {
        ConnectionRefused,
        HostNotFound,
        Timeout,
        ClosedByServer,
        Network,
        Proxy,
        PlainServerOnTlsPort, // wss:// reached a server answering plain HTTP ("wrong version number")
        TlsServerOnPlainPort, // ws:// reached a server that expects TLS
        CertificateExpired,
        CertificateNotYetValid,
        HostNameMismatch,
        SelfSigned,
        UnknownAuthority, // unknown CA or an incomplete chain
        HandshakeFailure, // no common TLS version or cipher
        ClientCertificateRequired,
        Other,
    };

    // Where the connection was going: host and port for the messages, secure for wss.
    struct Target
    {
        QString host;
        quint16 port = 0;
        bool secure = false;
        QString hostAndPort() const;
    };

    // The target a ws:// or wss:// URL names (port 80 or 443 unless given).
    static Target targetOf(const QUrl& url);

    // Why the handshake timeout ran out before the request could even be answered, from the steps
    // the relay's upstream connection had done (timings, -1 = not done): the name lookup or the TCP
    // connection, or the TLS handshake. Empty when all were done (then the response is what timed
    // out: HandshakeCheck::timeoutMessage) or when a proxy made them (not ours to time).
    static QString describeConnectTimeout(
        const ConnectionTimings& steps, bool viaProxy, const Target& to, int timeoutMs);

    static Cause classify(QAbstractSocket::SocketError error, const QString& libraryText);
    // A socket error with the library's errorString(); ProxyAuthenticationRequiredError etc. too.
    static Error describeSocketError(QAbstractSocket::SocketError error, const QString& libraryText, const Target& to);

#ifndef QT_NO_SSL
    static Cause classify(const QSslError& error);
    // The certificate problems of one TLS handshake: one sentence per distinct cause, most
    // telling first; the Qt texts go to details.
    static Error describeSslErrors(const QList<QSslError>& errors, const Target& to);
#endif

    // What a user typed as a WebSocket URL, in plain words when it is not one ("127.0.0.1:8080" ->
    // add ws:// in front). Qt's own parser messages are kept in details only. Returns the URL to
    // use (http/https become ws/wss) or the error.
    static Result<QUrl> parseUrl(const QString& typed);
};

} // namespace wsi
