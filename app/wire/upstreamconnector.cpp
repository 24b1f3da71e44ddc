#include "upstreamconnector.h"

#include "wire/hostoverride.h"
#include "wire/tlsconfiguration.h"

#include <QHostAddress>
#include <QHostInfo>
#include <QNetworkProxy>
#include <QTcpSocket>
#ifndef QT_NO_SSL
#include <QCryptographicHash>
#include <QSslCipher>
#include <QSslSocket>
#endif

using namespace Qt::StringLiterals;

namespace wsi {

namespace {
#ifndef QT_NO_SSL
QString protocolName(QSsl::SslProtocol p)
{
    switch (p) {
    case QSsl::TlsV1_2:
        return u"TLS 1.2"_s;
    case QSsl::TlsV1_3:
        return u"TLS 1.3"_s;
    case QSsl::DtlsV1_2:
        return u"DTLS 1.2"_s;
    default:
        QT_WARNING_PUSH
        QT_WARNING_DISABLE_DEPRECATED
        if (p == QSsl::TlsV1_0)
            return u"TLS 1.0"_s;
        if (p == QSsl::TlsV1_1)
            return u"TLS 1.1"_s;
        QT_WARNING_POP
        return p == QSsl::UnknownProtocol ? QString() : u"protocol %1"_s.arg(int(p));
    }
}

QByteArray normalFingerprint(const QString& text)
{
    QByteArray out;
    for (QChar c : text) {
        if (c.isLetterOrNumber())
            out.append(char(c.toLower().toLatin1()));
    }
    return out;
}
#endif
} // namespace

UpstreamConnector::UpstreamConnector(const Profile& profile, QObject* parent)
    : QObject(parent)
    , m_profile(profile)
{ }

UpstreamConnector::~UpstreamConnector()
{
    abort();
}

void UpstreamConnector::connectTo(const QUrl& url)
{
    m_clock.start();
    m_url = url;
    m_useTls = url.scheme() == u"wss";
    m_connecting = true;
    QString host = url.host();
    // --resolve: the socket goes to the given address; SNI and the certificate check keep the name.
    if (const auto override = HostOverride::find(m_profile.resolve, host, quint16(url.port(m_useTls ? 443 : 80)))) {
        host = override->address.toString();
        Q_EMIT note(LogEntry::note(LogEntry::Kind::Info,
            tr("Connecting to %1 instead of looking up %2 (resolve entry %3); Host, SNI and the certificate check "
               "still use %2.")
                .arg(host, url.host(), override->toString())));
    }
    const bool viaProxy
        = m_profile.proxy.type == ProxySettings::Type::Http || m_profile.proxy.type == ProxySettings::Type::Socks5;
    if (viaProxy || !QHostAddress(host).isNull()) {
        // A literal address needs no lookup; through a proxy, the proxy resolves.
        connectToResolved(host);
        return;
    }
    m_stepStartUs = elapsedUs();
    QHostInfo::lookupHost(host, this, [this, host](const QHostInfo& info) {
        if (!m_connecting)
            return; // aborted meanwhile
        m_timings.dnsUs = elapsedUs() - m_stepStartUs;
        if (info.error() != QHostInfo::NoError || info.addresses().isEmpty()) {
            fail(QAbstractSocket::HostNotFoundError, Error { {}, info.errorString() });
            return;
        }
        Q_EMIT stepDone(Step::Resolved);
        // QAbstractSocket's own lookup hits QHostInfo's cache and keeps trying every address.
        if (m_connecting)
            connectToResolved(host);
    });
}

void UpstreamConnector::connectToResolved(const QString& host)
{
    const quint16 port = quint16(m_url.port(m_useTls ? 443 : 80));
    QTcpSocket* socket = nullptr;
#ifndef QT_NO_SSL
    QSslSocket* ssl = nullptr;
    if (m_useTls) {
        Result<QSslConfiguration> config = buildTlsConfiguration(m_profile.tls);
        if (!config) {
            fail(QAbstractSocket::SslInvalidUserDataError,
                Error { tr("TLS failure: %1").arg(config.error().message), config.error().details });
            return;
        }
        ssl = new QSslSocket(this);
        socket = ssl;
        ssl->setSslConfiguration(*config);
        connect(ssl, &QSslSocket::sslErrors, this, &UpstreamConnector::onSslErrors);
        connect(ssl, &QSslSocket::encrypted, this, &UpstreamConnector::onReady);
    } else
#endif
    {
        socket = new QTcpSocket(this);
    }
    m_socket = socket;
    switch (m_profile.proxy.type) {
    case ProxySettings::Type::None:
        socket->setProxy(QNetworkProxy::NoProxy);
        break;
    case ProxySettings::Type::System:
        socket->setProxy(QNetworkProxy::DefaultProxy);
        break;
    case ProxySettings::Type::Http:
    case ProxySettings::Type::Socks5:
        socket->setProxy(QNetworkProxy(
            m_profile.proxy.type == ProxySettings::Type::Http ? QNetworkProxy::HttpProxy : QNetworkProxy::Socks5Proxy,
            m_profile.proxy.host, m_profile.proxy.port, m_profile.proxy.user, m_profile.proxy.password));
        break;
    }
    connect(socket, &QTcpSocket::connected, this, &UpstreamConnector::onConnected);
    connect(socket, &QTcpSocket::errorOccurred, this, &UpstreamConnector::onError);
    m_stepStartUs = elapsedUs();
#ifndef QT_NO_SSL
    if (ssl) {
        ssl->connectToHostEncrypted(host, port, m_url.host()); // the URL's host is the SNI and verify name
        return;
    }
#endif
    socket->connectToHost(host, port);
}

void UpstreamConnector::onConnected()
{
    m_timings.tcpConnectUs = elapsedUs() - m_stepStartUs;
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, m_profile.tcpNoDelay ? 1 : 0);
    Q_EMIT stepDone(Step::TcpConnected);
    m_stepStartUs = elapsedUs();
    if (!m_useTls)
        onReady();
}

void UpstreamConnector::onReady()
{
    if (!m_connecting)
        return;
#ifndef QT_NO_SSL
    if (m_useTls) {
        m_timings.tlsHandshakeUs = elapsedUs() - m_stepStartUs;
        fillTlsInfo({}); // errors ignored on purpose (verification off or pinned) are already listed
        Q_EMIT stepDone(Step::TlsEstablished);
    }
#endif
    m_connecting = false;
    m_ready = true;
    Q_EMIT ready();
}

#ifndef QT_NO_SSL
void UpstreamConnector::fillTlsInfo(const QList<QSslError>& errors)
{
    auto* ssl = qobject_cast<QSslSocket*>(m_socket.data());
    if (!ssl)
        return;
    m_tls.protocol = protocolName(ssl->sessionProtocol());
    m_tls.cipher = ssl->sessionCipher().name();
    m_tls.peerChainPem.clear();
    for (const QSslCertificate& cert : ssl->peerCertificateChain())
        m_tls.peerChainPem.append(cert.toPem());
    if (m_tls.peerChainPem.isEmpty() && !ssl->peerCertificate().isNull())
        m_tls.peerChainPem.append(ssl->peerCertificate().toPem());
    for (const QSslError& e : errors)
        m_tls.verificationErrors.append(e.errorString());
    m_tls.verified = m_tls.verificationErrors.isEmpty();
}

void UpstreamConnector::onSslErrors(const QList<QSslError>& errors)
{
    auto* ssl = qobject_cast<QSslSocket*>(m_socket.data());
    if (!ssl)
        return;
    if (!m_profile.tls.verify) {
        for (const QSslError& e : errors) {
            m_tls.verificationErrors.append(e.errorString());
            Q_EMIT note(LogEntry::note(LogEntry::Kind::Info,
                tr("TLS certificate problem ignored (verification is off): %1").arg(e.errorString())));
        }
        ssl->ignoreSslErrors();
        return;
    }
    const QSslCertificate leaf = ssl->peerCertificate();
    const QByteArray fingerprint = leaf.digest(QCryptographicHash::Sha256).toHex();
    for (const QString& pinned : std::as_const(m_profile.tls.pinnedFingerprints)) {
        if (!leaf.isNull() && normalFingerprint(pinned) == fingerprint) {
            for (const QSslError& e : errors)
                m_tls.verificationErrors.append(e.errorString());
            Q_EMIT note(LogEntry::note(LogEntry::Kind::Info,
                tr("Certificate accepted because you pinned its SHA-256 fingerprint for this profile (%1).")
                    .arg(QString::fromLatin1(fingerprint))));
            ssl->ignoreSslErrors();
            return;
        }
    }
    fillTlsInfo(errors);
    QStringList problems;
    for (const QSslError& e : errors)
        problems.append(e.errorString());
    problems.removeDuplicates();
    Q_EMIT stepDone(Step::TlsEstablished); // what the server showed, for the TLS panel
    fail(QAbstractSocket::SslHandshakeFailedError, Error { tr("TLS failure: %1").arg(problems.join(u"; "_s)), {} });
}
#endif

void UpstreamConnector::onError(QAbstractSocket::SocketError error)
{
    if (!m_connecting)
        return; // once connected, the relay forwards a close as a close
    const QString qtText = m_socket ? m_socket->errorString() : QString();
    QString message;
    if (error == QAbstractSocket::SslHandshakeFailedError || error == QAbstractSocket::SslInternalError
        || error == QAbstractSocket::SslInvalidUserDataError)
        message = tr("TLS failure: %1").arg(qtText);
    fail(error, Error { message, qtText });
}

void UpstreamConnector::fail(QAbstractSocket::SocketError code, const Error& error)
{
    if (!m_connecting)
        return;
    m_connecting = false;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
    Q_EMIT failed(code, error);
}

void UpstreamConnector::abort()
{
    m_connecting = false;
    m_ready = false;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

} // namespace wsi
