#include "connecterrors.h"

#include <QHostAddress>
#include <QRegularExpression>

#ifndef QT_NO_SSL
#include <QSslCertificate>
#endif

using namespace Qt::StringLiterals;

namespace wsi {

namespace {

bool containsAny(const QString& text, std::initializer_list<QStringView> needles)
{
    for (QStringView n : needles) {
        if (text.contains(n, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

} // namespace

QString ConnectErrors::Target::hostAndPort() const
{
    const QString h = host.contains(u':') ? QString(u'[' + host + u']') : host;
    return h + u':' + QString::number(port);
}

ConnectErrors::Target ConnectErrors::targetOf(const QUrl& url)
{
    Target to;
    to.host = url.host();
    to.secure = url.scheme() == u"wss";
    to.port = quint16(url.port(to.secure ? 443 : 80));
    return to;
}

QString ConnectErrors::describeConnectTimeout(
    const ConnectionTimings& steps, bool viaProxy, const Target& to, int timeoutMs)
{
    if (viaProxy)
        return {};
    if (steps.tcpConnectUs < 0) {
        // Before a name was looked up either step may be the one that hung (--resolve skips the lookup).
        if (steps.dnsUs < 0 && QHostAddress(to.host).isNull()) {
            return tr("The connection to %1 was not made within %2 ms (the handshake timeout): the name lookup or "
                      "the TCP connection attempt got no answer.")
                .arg(to.hostAndPort())
                .arg(timeoutMs);
        }
        return tr("%1 did not accept the TCP connection within %2 ms (the handshake timeout): nothing answered the "
                  "connection attempt (a firewall that drops it, or a host that is down or overloaded).")
            .arg(to.hostAndPort())
            .arg(timeoutMs);
    }
    if (to.secure && steps.tlsHandshakeUs < 0) {
        return tr("%1 accepted the TCP connection, but the TLS handshake did not finish within %2 ms (the handshake "
                  "timeout): the port may not speak TLS, or the server stalls.")
            .arg(to.hostAndPort())
            .arg(timeoutMs);
    }
    return {};
}

ConnectErrors::Cause ConnectErrors::classify(QAbstractSocket::SocketError error, const QString& text)
{
    // OpenSSL's reason strings (OpenSSL 3 as in Debian 12; older spellings too) say more than the
    // socket error, which is SslHandshakeFailedError for all of them.
    if (containsAny(text, { u"wrong version number", u"packet length too long", u"http request", u"unknown protocol" }))
        return Cause::PlainServerOnTlsPort;
    if (containsAny(text, { u"certificate required", u"peer did not return a certificate", u"alert bad certificate" }))
        return Cause::ClientCertificateRequired;
    if (containsAny(text,
            { u"handshake failure", u"no shared cipher", u"no protocols available", u"unsupported protocol",
                u"protocol version", u"no suitable signature", u"no cipher" }))
        return Cause::HandshakeFailure;
    if (containsAny(text, { u"certificate has expired" }))
        return Cause::CertificateExpired;
    if (containsAny(text, { u"certificate is not yet valid" }))
        return Cause::CertificateNotYetValid;
    if (containsAny(text, { u"self-signed", u"self signed" }))
        return Cause::SelfSigned;
    if (containsAny(text, { u"hostname mismatch", u"host name", u"does not match" }))
        return Cause::HostNameMismatch;
    if (containsAny(text, { u"unable to get local issuer", u"certificate verify failed", u"unable to get issuer" }))
        return Cause::UnknownAuthority;

    switch (error) {
    case QAbstractSocket::ConnectionRefusedError:
        return Cause::ConnectionRefused;
    case QAbstractSocket::HostNotFoundError:
        return Cause::HostNotFound;
    case QAbstractSocket::SocketTimeoutError:
        return Cause::Timeout;
    case QAbstractSocket::RemoteHostClosedError:
        return Cause::ClosedByServer;
    case QAbstractSocket::NetworkError:
        return Cause::Network;
    case QAbstractSocket::ProxyConnectionRefusedError:
    case QAbstractSocket::ProxyConnectionClosedError:
    case QAbstractSocket::ProxyConnectionTimeoutError:
    case QAbstractSocket::ProxyNotFoundError:
    case QAbstractSocket::ProxyProtocolError:
    case QAbstractSocket::ProxyAuthenticationRequiredError:
        return Cause::Proxy;
    case QAbstractSocket::SslHandshakeFailedError:
        return Cause::HandshakeFailure;
    default:
        return Cause::Other;
    }
}

Error ConnectErrors::describeSocketError(QAbstractSocket::SocketError error, const QString& text, const Target& to)
{
    const QString where = to.hostAndPort();
    QString message;
    switch (classify(error, text)) {
    case Cause::ConnectionRefused:
        message = tr("Connection refused by %1: nothing accepts connections on that port. Check the port number and "
                     "that the server is running.")
                      .arg(where);
        break;
    case Cause::HostNotFound:
        message = tr("Host not found: \"%1\" does not resolve to an address. Check the spelling of the host name, or "
                     "your DNS.")
                      .arg(to.host);
        break;
    case Cause::Timeout:
        message = tr("Timed out reaching %1: no answer. Check the address and port, a firewall, or whether a proxy "
                     "is needed.")
                      .arg(where);
        break;
    case Cause::ClosedByServer:
        message = to.secure
            ? tr("%1 closed the connection during the TLS handshake. The port may not speak TLS (try ws://), or the "
                 "server refused this client's TLS settings.")
                  .arg(where)
            : tr("%1 closed the connection without answering the WebSocket request. If this port expects TLS, use "
                 "wss:// instead of ws://.")
                  .arg(where);
        break;
    case Cause::Network:
        message = tr("The network cannot reach %1. Check your connection, VPN or proxy settings.").arg(where);
        break;
    case Cause::Proxy:
        message = error == QAbstractSocket::ProxyAuthenticationRequiredError
            ? tr("The proxy asks for a user name and password: set them in the profile's proxy settings.")
            : tr("The proxy could not connect to %1. Check the proxy's host and port, and that it allows "
                 "connections to that port.")
                  .arg(where);
        break;
    case Cause::PlainServerOnTlsPort:
        message = tr("%1 answered in plain text, not TLS: this port does not speak wss://. Use ws:// for it, or "
                     "the server's TLS port.")
                      .arg(where);
        break;
    case Cause::TlsServerOnPlainPort:
        message = tr("%1 expects TLS: use wss:// instead of ws://.").arg(where);
        break;
    case Cause::ClientCertificateRequired:
        message = tr("%1 requires a client certificate: set a certificate and key file in the profile's TLS "
                     "settings.")
                      .arg(where);
        break;
    case Cause::HandshakeFailure:
        message = tr("TLS handshake with %1 failed: the server and this client have no TLS version or cipher in "
                     "common (the server may only offer TLS 1.0/1.1 or old ciphers), or it refused the client "
                     "certificate.")
                      .arg(where);
        break;
    case Cause::CertificateExpired:
        message = tr("The certificate of %1 has expired: the server must renew it. To look anyway, turn off "
                     "certificate verification for this profile.")
                      .arg(where);
        break;
    case Cause::CertificateNotYetValid:
        message = tr("The certificate of %1 is not valid yet: check this computer's date and time.").arg(where);
        break;
    case Cause::SelfSigned:
        message = tr("The certificate of %1 is self-signed, so nobody vouches for it: add it as the profile's CA "
                     "file, or pin its fingerprint.")
                      .arg(where);
        break;
    case Cause::HostNameMismatch:
        message = tr("The certificate of %1 is for another host name: connect with a name the certificate lists.")
                      .arg(where);
        break;
    case Cause::UnknownAuthority:
        message = tr("The certificate of %1 was issued by an authority this computer does not trust, or the server "
                     "does not send its intermediate certificates: add the issuing CA as the profile's CA file, or "
                     "fix the chain on the server.")
                      .arg(where);
        break;
    case Cause::Other:
        message = tr("Could not connect to %1.").arg(where);
        break;
    }
    return Error { message, text };
}

#ifndef QT_NO_SSL
ConnectErrors::Cause ConnectErrors::classify(const QSslError& error)
{
    switch (error.error()) {
    case QSslError::CertificateExpired:
        return Cause::CertificateExpired;
    case QSslError::CertificateNotYetValid:
        return Cause::CertificateNotYetValid;
    case QSslError::HostNameMismatch:
        return Cause::HostNameMismatch;
    case QSslError::SelfSignedCertificate:
        return Cause::SelfSigned;
    case QSslError::SelfSignedCertificateInChain:
    case QSslError::UnableToGetIssuerCertificate:
    case QSslError::UnableToGetLocalIssuerCertificate:
    case QSslError::UnableToVerifyFirstCertificate:
    case QSslError::CertificateUntrusted:
    case QSslError::InvalidCaCertificate:
        return Cause::UnknownAuthority;
    default:
        return Cause::Other;
    }
}

Error ConnectErrors::describeSslErrors(const QList<QSslError>& errors, const Target& to)
{
    const QString where = to.hostAndPort();
    // Most telling first: a date problem or a self-signed certificate explains the rest.
    static constexpr Cause order[] = { Cause::CertificateExpired, Cause::CertificateNotYetValid, Cause::SelfSigned,
        Cause::UnknownAuthority, Cause::HostNameMismatch, Cause::Other };
    QStringList sentences;
    QStringList details;
    for (const QSslError& e : errors)
        details.append(e.errorString());
    details.removeDuplicates();
    for (Cause cause : order) {
        const auto it
            = std::find_if(errors.begin(), errors.end(), [cause](const QSslError& e) { return classify(e) == cause; });
        if (it == errors.end())
            continue;
        const QSslCertificate cert = it->certificate();
        switch (cause) {
        case Cause::CertificateExpired:
            sentences.append(
                tr("The certificate of %1 expired on %2: the server must renew it. To look anyway, turn off "
                   "certificate verification for this profile.")
                    .arg(where,
                        cert.isNull() ? tr("an earlier date") : cert.expiryDate().toUTC().toString(Qt::ISODate)));
            break;
        case Cause::CertificateNotYetValid:
            sentences.append(
                tr("The certificate of %1 is valid only from %2: check this computer's date and time.")
                    .arg(where,
                        cert.isNull() ? tr("a later date") : cert.effectiveDate().toUTC().toString(Qt::ISODate)));
            break;
        case Cause::SelfSigned:
            sentences.append(tr("The certificate of %1 is self-signed, so nobody vouches for it: add it as the "
                                "profile's CA file, or pin its fingerprint.")
                                 .arg(where));
            break;
        case Cause::UnknownAuthority: {
            const QString issuer = cert.isNull() ? QString() : cert.issuerDisplayName();
            sentences.append(issuer.isEmpty()
                    ? tr("The certificate of %1 was issued by an authority this computer does not trust, or the "
                         "server does not send its intermediate certificates: add the issuing CA as the profile's "
                         "CA file, or fix the chain on the server.")
                          .arg(where)
                    : tr("The certificate of %1 was issued by \"%2\", which this computer does not trust, or the "
                         "server does not send its intermediate certificates: add the issuing CA as the profile's "
                         "CA file, or fix the chain on the server.")
                          .arg(where, issuer));
            break;
        }
        case Cause::HostNameMismatch: {
            QStringList names = cert.isNull() ? QStringList() : cert.subjectAlternativeNames().values();
            if (names.isEmpty() && !cert.isNull())
                names = cert.subjectInfo(QSslCertificate::CommonName);
            names.removeDuplicates();
            sentences.append(names.isEmpty()
                    ? tr("The certificate of %1 is for another host name: connect with a name the certificate "
                         "lists.")
                          .arg(where)
                    : tr("The certificate of %1 is for %2, not %3: connect with a name the certificate lists.")
                          .arg(where, names.join(u", "_s), to.host));
            break;
        }
        default:
            sentences.append(tr("The certificate of %1 was refused: %2").arg(where, it->errorString()));
            break;
        }
    }
    if (sentences.isEmpty())
        sentences.append(tr("The certificate of %1 was refused.").arg(where));
    return Error { sentences.join(u' '), details.join(u"; "_s) };
}
#endif

Result<QUrl> ConnectErrors::parseUrl(const QString& input)
{
    const QString typed = input.trimmed();
    if (typed.isEmpty())
        return Error { tr("URL is empty: enter a ws:// or wss:// address."), {} };
    // host:port[/path] without a scheme: QUrl reads "localhost:8080" as the scheme "localhost"
    // and refuses "127.0.0.1:8080" with a sentence about relative paths.
    static const QRegularExpression hostPort(
        u"^(?:\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?):[0-9]+(?:[/?#].*)?$"_s);
    const QUrl url(typed, QUrl::StrictMode);
    if (!typed.contains(u"://"_s) && hostPort.match(typed).hasMatch()) {
        return Error { tr("URL \"%1\" has no scheme: add ws:// in front (ws://%1), or wss:// for TLS.").arg(typed),
            url.errorString() };
    }
    if (!url.isValid()) {
        if (!typed.contains(u"://"_s)) {
            return Error { tr("URL \"%1\" has no scheme: start it with ws:// or wss://.").arg(typed),
                url.errorString() };
        }
        return Error { tr("URL \"%1\" is not a valid address: check it for spaces, a stray character or a malformed "
                          "host or port.")
                           .arg(typed),
            url.errorString() };
    }
    QUrl out = url;
    const QString scheme = url.scheme().toLower();
    if (scheme.isEmpty())
        return Error { tr("URL \"%1\" has no scheme: start it with ws:// or wss://.").arg(typed), {} };
    if (scheme == u"http")
        out.setScheme(u"ws"_s);
    else if (scheme == u"https")
        out.setScheme(u"wss"_s);
    else if (scheme != u"ws" && scheme != u"wss")
        return Error { tr("URL scheme \"%1\" is not supported: use ws:// or wss://.").arg(scheme), {} };
    if (out.host().isEmpty())
        return Error {
            tr("URL \"%1\" has no host: write it after two slashes, as in %2://127.0.0.1:8080/.").arg(typed, scheme), {}
        };
    return out;
}

} // namespace wsi
