#include "wirerelay.h"

#include <QCryptographicHash>
#include <QFile>
#include <QHostAddress>
#include <QHostInfo>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QTcpServer>
#include <QTcpSocket>
#ifndef QT_NO_SSL
#include <QSslCipher>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>
#include <QTimer>
#endif

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcRelay, "wsi.wire.relay", QtWarningMsg)

namespace wsi {

namespace {
constexpr qsizetype kMaxBody = 64 * 1024;
constexpr int kBodyGraceMs = 1000;
// Bytes queued towards one side before the relay stops reading from the other (TCP backpressure
// instead of unbounded memory when QWebSocket's thread is busy).
constexpr qint64 kHighWater = 4 * 1024 * 1024;
// Upstream bytes are processed in chunks of at most this size, so a pause takes effect quickly.
constexpr qint64 kChunk = 64 * 1024;

QByteArray randomToken()
{
    quint32 words[4];
    QRandomGenerator::system()->fillRange(words);
    return QByteArray(reinterpret_cast<const char*>(words), sizeof(words)).toHex();
}

// "host:port" without IPv6 brackets, lowercase, for comparing CONNECT targets.
QByteArray normalTarget(QByteArray target)
{
    target = target.trimmed().toLower();
    const qsizetype colon = target.lastIndexOf(':');
    if (colon < 0)
        return target;
    QByteArray host = target.left(colon);
    if (host.startsWith('[') && host.endsWith(']'))
        host = host.mid(1, host.size() - 2);
    return host + target.mid(colon);
}

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

WireRelay::WireRelay(const Profile& profile, QObject* parent)
    : QObject(parent)
    , m_profile(profile)
    // The incoming limit is the user's choice for what the server may send; what the user sends
    // (a file of up to hundreds of MiB) is only bounded by kMaxSendMessage.
    , m_sendFrames(Direction::Send, kMaxSendMessage)
    , m_receiveFrames(Direction::Receive, quint64(std::max<qint64>(profile.maxIncomingMessageSize, 125)))
    , m_sendMessages(Direction::Send, kMaxSendMessage)
    , m_receiveMessages(Direction::Receive, quint64(std::max<qint64>(profile.maxIncomingMessageSize, 125)))
{
    qRegisterMetaType<wsi::LogBatch>();
    qRegisterMetaType<wsi::HandshakeInfo>();
    qRegisterMetaType<wsi::WireRelay::Stage>();
    qRegisterMetaType<QAbstractSocket::SocketError>();
}

WireRelay::~WireRelay()
{
    shutdown();
}

QByteArray WireRelay::acceptFor(const QByteArray& key)
{
    return QCryptographicHash::hash(QByteArray(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"), QCryptographicHash::Sha1)
        .toBase64();
}

bool WireRelay::start(const QUrl& clientUrl, const QUrl& upstreamUrl, QString* error)
{
    m_clock.start();
    m_upstreamUrl = upstreamUrl;
    m_tls = upstreamUrl.scheme() == u"wss";
#ifdef QT_NO_SSL
    if (m_tls) {
        if (error)
            *error = tr("This build has no TLS support, so wss:// is not available.");
        return false;
    }
#endif
    m_user = QString::fromLatin1(randomToken());
    m_password = QString::fromLatin1(randomToken());
    m_expectedAuth = "Basic " + (m_user + u':' + m_password).toLatin1().toBase64();
    m_expectedTarget = normalTarget(clientUrl.host().toUtf8() + ':' + QByteArray::number(clientUrl.port(80)));

    m_server = new QTcpServer(this);
    if (!m_server->listen(QHostAddress::LocalHost, 0)) {
        if (error)
            *error = tr("The wire relay could not listen on 127.0.0.1: %1").arg(m_server->errorString());
        return false;
    }
    connect(m_server, &QTcpServer::newConnection, this, &WireRelay::onNewConnection);
    return true;
}

QNetworkProxy WireRelay::clientProxy() const
{
    return QNetworkProxy(QNetworkProxy::HttpProxy, u"127.0.0.1"_s, port(), m_user, m_password);
}

quint16 WireRelay::port() const
{
    return m_server ? m_server->serverPort() : 0;
}

bool WireRelay::isListening() const
{
    return m_server && m_server->isListening();
}

void WireRelay::onNewConnection()
{
    while (QTcpSocket* socket = m_server->nextPendingConnection()) {
        if (m_client) {
            socket->abort();
            socket->deleteLater();
            continue;
        }
        auto* c = new Candidate;
        c->socket = socket;
        m_candidates.append(c);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onCandidateData(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            for (qsizetype i = 0; i < m_candidates.size(); ++i) {
                if (m_candidates.at(i)->socket == socket) {
                    delete m_candidates.takeAt(i);
                    socket->deleteLater();
                    return;
                }
            }
        });
    }
}

void WireRelay::refuse(QTcpSocket* socket, const QByteArray& status, bool close)
{
    QByteArray reply = "HTTP/1.1 " + status + "\r\n";
    if (status.startsWith("407"))
        reply += "Proxy-Authenticate: Basic realm=\"wsinspector\"\r\n";
    reply += "Content-Length: 0\r\n";
    if (close)
        reply += "Connection: close\r\nProxy-Connection: close\r\n";
    reply += "\r\n";
    socket->write(reply);
    if (close)
        socket->disconnectFromHost();
}

void WireRelay::onCandidateData(QTcpSocket* socket)
{
    Candidate* c = nullptr;
    for (Candidate* each : std::as_const(m_candidates)) {
        if (each->socket == socket)
            c = each;
    }
    if (!c || m_client)
        return;
    QByteArray data = socket->readAll();
    QByteArrayView rest(data);
    while (!rest.isEmpty()) {
        rest = rest.sliced(c->parser.feed(rest));
        if (c->parser.status() == HttpHeadParser::Status::NeedMore)
            return;
        if (c->parser.status() == HttpHeadParser::Status::Error) {
            refuse(socket, "400 Bad Request", true);
            return;
        }
        const HttpHead head = c->parser.takeHead();
        ++c->heads;
        qCDebug(lcRelay) << "proxy client" << socket->peerPort() << "head" << c->heads << head.method << head.target
                         << "with credential:" << !head.header("Proxy-Authorization").isEmpty();
        const QByteArray auth = head.header("Proxy-Authorization");
        if (head.method != "CONNECT") {
            refuse(socket, "405 Method Not Allowed", true);
            return;
        }
        if (auth.isEmpty()) {
            // Qt's proxy client asks without credentials first and retries after a 407.
            refuse(socket, "407 Proxy Authentication Required", c->heads >= 3);
            if (c->heads >= 3)
                return;
            continue;
        }
        if (auth.trimmed() != m_expectedAuth) {
            refuse(socket, "407 Proxy Authentication Required", true);
            return;
        }
        if (normalTarget(head.target) != m_expectedTarget) {
            refuse(socket, "403 Forbidden", true);
            return;
        }
        accept(socket, rest.toByteArray());
        return;
    }
}

void WireRelay::accept(QTcpSocket* socket, QByteArray leftover)
{
    m_client = socket;
    socket->disconnect(this);
    for (Candidate* c : std::as_const(m_candidates)) {
        if (c->socket != socket) {
            c->socket->disconnect(this);
            c->socket->abort();
            c->socket->deleteLater();
        }
        delete c;
    }
    m_candidates.clear();
    // One client only: nobody else may use this relay from now on.
    m_server->close();
    socket->setParent(this);
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    socket->setReadBufferSize(kHighWater);
    m_clientBacklog = std::move(leftover);
    connect(socket, &QTcpSocket::readyRead, this, &WireRelay::onClientData);
    connect(socket, &QTcpSocket::bytesWritten, this, [this] {
        if (m_upstream && m_client && m_client->bytesToWrite() < kHighWater && m_upstream->bytesAvailable() > 0)
            onUpstreamData();
    });
    connect(socket, &QTcpSocket::disconnected, this, [this] {
        qCDebug(lcRelay) << "client disconnected; upstream state" << (m_upstream ? m_upstream->state() : -1)
                         << "receive close seen" << m_receiveCloseSeen;
        // Whatever was held back by backpressure still goes out.
        if (m_upstreamReady && m_upstream && m_client->bytesAvailable() > 0) {
            const QByteArray rest = m_client->readAll();
            parseSend(rest.constData(), rest.size());
            m_upstream->write(rest);
        }
        // QWebSocket drops its socket right after sending its close frame, and gives up at once on a
        // non-101: keep reading the server for a moment so its close frame or body is seen too.
        const bool bodyPending = m_responseDone && !m_upgraded && m_bodyExpected != 0;
        if (m_upstream && m_upstream->state() == QAbstractSocket::ConnectedState && (bodyPending || m_upgraded)) {
            QTimer::singleShot(kBodyGraceMs, this, [this] {
                if (m_upstream)
                    m_upstream->disconnectFromHost();
            });
        } else if (m_upstream) {
            m_upstream->disconnectFromHost();
        }
        maybeFinish();
    });
    startUpstream();
}

void WireRelay::startUpstream()
{
    const QString host = m_upstreamUrl.host();
    const bool viaProxy
        = m_profile.proxy.type == ProxySettings::Type::Http || m_profile.proxy.type == ProxySettings::Type::Socks5;
    if (viaProxy || !QHostAddress(host).isNull()) {
        // A literal address needs no lookup; through a proxy, the proxy resolves.
        connectUpstream(host);
        return;
    }
    m_dnsStartUs = elapsedUs();
    QHostInfo::lookupHost(host, this, [this, host](const QHostInfo& info) {
        m_handshake.timings.dnsUs = elapsedUs() - m_dnsStartUs;
        if (info.error() != QHostInfo::NoError || info.addresses().isEmpty()) {
            failUpstream(QAbstractSocket::HostNotFoundError, {}, info.errorString());
            return;
        }
        Q_EMIT progress(Stage::Dns, m_handshake);
        // QAbstractSocket's own lookup hits QHostInfo's cache and keeps trying every address.
        connectUpstream(host);
    });
}

void WireRelay::connectUpstream(const QString& host)
{
    if (m_failed || !m_client)
        return;
    const quint16 port = quint16(m_upstreamUrl.port(m_tls ? 443 : 80));
    QTcpSocket* socket = nullptr;
#ifndef QT_NO_SSL
    QSslSocket* ssl = nullptr;
    if (m_tls) {
        ssl = new QSslSocket(this);
        socket = ssl;
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        if (!m_profile.tls.caFile.isEmpty())
            config.setCaCertificates(
                config.caCertificates() + QSslCertificate::fromPath(m_profile.tls.caFile, QSsl::Pem));
        if (!m_profile.tls.certFile.isEmpty()) {
            const auto certs = QSslCertificate::fromPath(m_profile.tls.certFile, QSsl::Pem);
            if (certs.isEmpty()) {
                delete ssl;
                failUpstream(QAbstractSocket::SslInvalidUserDataError,
                    tr("TLS failure: the client certificate file \"%1\" holds no PEM certificate.")
                        .arg(m_profile.tls.certFile),
                    {});
                return;
            }
            config.setLocalCertificate(certs.first());
            const QString keyPath = m_profile.tls.keyFile.isEmpty() ? m_profile.tls.certFile : m_profile.tls.keyFile;
            QFile keyFile(keyPath);
            const QByteArray keyPem = keyFile.open(QIODevice::ReadOnly) ? keyFile.readAll() : QByteArray();
            QSslKey key;
            // The PEM does not say its algorithm in a way QSslKey reads by itself: try each.
            for (const QSsl::KeyAlgorithm algorithm : { QSsl::Rsa, QSsl::Ec, QSsl::Dsa }) {
                key = QSslKey(keyPem, algorithm, QSsl::Pem, QSsl::PrivateKey, m_profile.tls.keyPassphrase.toUtf8());
                if (!key.isNull())
                    break;
            }
            if (key.isNull()) {
                delete ssl;
                failUpstream(QAbstractSocket::SslInvalidUserDataError,
                    tr("TLS failure: the key file \"%1\" could not be read as a private key (wrong passphrase?).")
                        .arg(keyPath),
                    {});
                return;
            }
            config.setPrivateKey(key);
        }
        ssl->setSslConfiguration(config);
        connect(ssl, &QSslSocket::sslErrors, this, &WireRelay::onSslErrors);
        connect(ssl, &QSslSocket::encrypted, this, &WireRelay::onUpstreamReady);
    } else
#endif
    {
        socket = new QTcpSocket(this);
    }
    m_upstream = socket;
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
    connect(socket, &QTcpSocket::connected, this, &WireRelay::onUpstreamConnected);
    connect(socket, &QTcpSocket::errorOccurred, this, &WireRelay::onUpstreamError);
    connect(socket, &QTcpSocket::readyRead, this, &WireRelay::onUpstreamData);
    connect(socket, &QTcpSocket::bytesWritten, this, [this] {
        if (m_upstream && m_client && m_upstream->bytesToWrite() < kHighWater && m_client->bytesAvailable() > 0)
            onClientData();
    });
    socket->setReadBufferSize(kHighWater);
    connect(socket, &QTcpSocket::disconnected, this, [this] {
        m_upstreamEnded = true;
        onUpstreamData(); // what is still buffered first (later, while paused); then endUpstream()
    });
    m_tcpStartUs = elapsedUs();
#ifndef QT_NO_SSL
    if (ssl) {
        ssl->connectToHostEncrypted(host, port);
        return;
    }
#endif
    socket->connectToHost(host, port);
}

void WireRelay::onUpstreamConnected()
{
    m_handshake.timings.tcpConnectUs = elapsedUs() - m_tcpStartUs;
    m_upstream->setSocketOption(QAbstractSocket::LowDelayOption, m_profile.tcpNoDelay ? 1 : 0);
    Q_EMIT progress(Stage::TcpConnected, m_handshake);
    m_tlsStartUs = elapsedUs();
    if (!m_tls)
        onUpstreamReady();
}

void WireRelay::onUpstreamReady()
{
    if (m_failed || !m_client)
        return;
#ifndef QT_NO_SSL
    if (m_tls) {
        m_handshake.timings.tlsHandshakeUs = elapsedUs() - m_tlsStartUs;
        fillTlsInfo({}); // errors ignored on purpose (verification off or pinned) are already listed
        Q_EMIT progress(Stage::TlsEstablished, m_handshake);
    }
#endif
    m_upstreamReady = true;
    m_client->write("HTTP/1.1 200 Connection established\r\n\r\n");
    if (!m_clientBacklog.isEmpty()) {
        const QByteArray backlog = std::exchange(m_clientBacklog, {});
        parseSend(backlog.constData(), backlog.size());
        m_upstream->write(backlog);
    }
}

#ifndef QT_NO_SSL
void WireRelay::fillTlsInfo(const QList<QSslError>& errors)
{
    auto* ssl = qobject_cast<QSslSocket*>(m_upstream.data());
    if (!ssl)
        return;
    TlsInfo& tls = m_handshake.tls;
    tls.protocol = protocolName(ssl->sessionProtocol());
    tls.cipher = ssl->sessionCipher().name();
    tls.peerChainPem.clear();
    for (const QSslCertificate& cert : ssl->peerCertificateChain())
        tls.peerChainPem.append(cert.toPem());
    if (tls.peerChainPem.isEmpty() && !ssl->peerCertificate().isNull())
        tls.peerChainPem.append(ssl->peerCertificate().toPem());
    for (const QSslError& e : errors)
        tls.verificationErrors.append(e.errorString());
    tls.verified = tls.verificationErrors.isEmpty();
}

void WireRelay::onSslErrors(const QList<QSslError>& errors)
{
    auto* ssl = qobject_cast<QSslSocket*>(m_upstream.data());
    if (!ssl)
        return;
    if (!m_profile.tls.verify) {
        for (const QSslError& e : errors) {
            m_handshake.tls.verificationErrors.append(e.errorString());
            post(LogEntry::note(LogEntry::Kind::Info,
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
                m_handshake.tls.verificationErrors.append(e.errorString());
            post(LogEntry::note(LogEntry::Kind::Info,
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
    Q_EMIT progress(Stage::TlsEstablished, m_handshake);
    failUpstream(QAbstractSocket::SslHandshakeFailedError, tr("TLS failure: %1").arg(problems.join(u"; "_s)), {});
}
#endif

void WireRelay::onUpstreamError(QAbstractSocket::SocketError error)
{
    if (m_upstreamReady || m_failed)
        return; // after the tunnel is up, closing is forwarded as a close
    const QString qtText = m_upstream ? m_upstream->errorString() : QString();
    QString message;
    if (error == QAbstractSocket::SslHandshakeFailedError || error == QAbstractSocket::SslInternalError
        || error == QAbstractSocket::SslInvalidUserDataError)
        message = tr("TLS failure: %1").arg(qtText);
    failUpstream(error, message, qtText);
}

void WireRelay::failUpstream(QAbstractSocket::SocketError error, const QString& message, const QString& qtText)
{
    if (m_failed)
        return;
    m_failed = true;
    flush();
    Q_EMIT upstreamFailed(error, message, qtText);
    if (m_upstream) {
        m_upstream->disconnect(this);
        m_upstream->abort();
    }
    if (m_client) {
        // 502 makes Qt's proxy client give up; the session explains with the message above.
        m_client->write("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        m_client->disconnectFromHost();
    }
}

void WireRelay::onClientData()
{
    if (m_upstreamReady && m_upstream && m_upstream->bytesToWrite() >= kHighWater)
        return; // resumed by the upstream's bytesWritten
    const QByteArray data = m_client->readAll();
    if (data.isEmpty())
        return;
    if (!m_upstreamReady) {
        m_clientBacklog += data;
        return;
    }
    parseSend(data.constData(), data.size());
    m_upstream->write(data);
}

void WireRelay::setUpstreamPaused(bool paused)
{
    if (m_upstreamPaused == paused)
        return;
    m_upstreamPaused = paused;
    // Resumed from the event loop, not inside the caller (which is usually handling our entries).
    if (!paused)
        QMetaObject::invokeMethod(this, &WireRelay::onUpstreamData, Qt::QueuedConnection);
}

void WireRelay::onUpstreamData()
{
    if (!m_upstream)
        return;
    while (!m_upstreamPaused) {
        if (m_upstream->bytesAvailable() <= 0)
            break;
        if (!m_upstreamEnded && m_client && m_client->bytesToWrite() >= kHighWater)
            return; // resumed by the client's bytesWritten
        const QByteArray data = m_upstream->read(kChunk);
        if (data.isEmpty())
            break;
        // Parse (and publish) first so that the session knows what the server said before
        // QWebSocket reacts.
        parseReceive(data.constData(), data.size());
        if (m_client)
            m_client->write(data);
    }
    if (m_upstreamEnded && !m_upstreamPaused && m_upstream->bytesAvailable() <= 0)
        endUpstream();
}

void WireRelay::endUpstream()
{
    if (m_upstreamEndHandled)
        return;
    m_upstreamEndHandled = true;
    if (m_responseDone && !m_upgraded)
        publishResponse(Stage::ResponseBody);
    flush();
    if (m_client)
        m_client->disconnectFromHost();
    maybeFinish();
}

void WireRelay::parseSend(const char* data, qsizetype size)
{
    m_parsing = true;
    const auto publish = qScopeGuard([this] {
        m_parsing = false;
        flush(); // the chunk's entries, before the caller forwards it
    });
    if (!m_requestDone) {
        const qsizetype used = m_requestParser.feed(QByteArrayView(data, size));
        data += used;
        size -= used;
        if (m_requestParser.status() == HttpHeadParser::Status::NeedMore)
            return;
        m_requestDone = true;
        if (m_requestParser.status() == HttpHeadParser::Status::Error) {
            post(LogEntry::note(LogEntry::Kind::Info, m_requestParser.error(), Direction::Send));
            return;
        }
        m_handshake.request = m_requestParser.takeHead();
        const QByteArray key = m_handshake.request.header("Sec-WebSocket-Key").trimmed();
        m_handshake.expectedAccept = key.isEmpty() ? QByteArray() : acceptFor(key);
        m_requestSentUs = elapsedUs();
        LogEntry e;
        e.timeUs = LogEntry::nowUs();
        e.kind = LogEntry::Kind::Handshake;
        e.dir = Direction::Send;
        e.payload = m_handshake.request.raw;
        post(std::move(e));
        Q_EMIT progress(Stage::Request, m_handshake);
    }
    if (size <= 0 || m_sendFrames.stopped())
        return;
    m_frameScratch.clear();
    m_sendFrames.feed(data, size, m_frameScratch);
    if (!m_frameScratch.isEmpty()) {
        const qint64 now = LogEntry::nowUs();
        for (ParsedFrame& f : m_frameScratch) {
            trackPingPong(f.info.opcode, Direction::Send);
            m_sendMessages.add(std::move(f), now, m_pending);
        }
        m_frameScratch.clear();
        post({}); // schedules the flush
    }
    if (m_sendFrames.stopped() && !m_sendStopReported) {
        m_sendStopReported = true;
        post(LogEntry::note(LogEntry::Kind::Info, m_sendFrames.error(), Direction::Send));
    }
}

void WireRelay::parseReceive(const char* data, qsizetype size)
{
    m_parsing = true;
    const auto publish = qScopeGuard([this] {
        m_parsing = false;
        flush(); // the chunk's entries, before the caller forwards it
    });
    if (!m_responseDone) {
        const qsizetype used = m_responseParser.feed(QByteArrayView(data, size));
        data += used;
        size -= used;
        if (m_responseParser.status() == HttpHeadParser::Status::NeedMore)
            return;
        m_responseDone = true;
        m_handshake.timings.upgradeUs = m_requestSentUs > 0 ? elapsedUs() - m_requestSentUs : -1;
        if (m_responseParser.status() == HttpHeadParser::Status::Error) {
            m_handshake.response = m_responseParser.head();
            m_handshake.response.problems.append(m_responseParser.error());
            post(LogEntry::note(LogEntry::Kind::Info, m_responseParser.error(), Direction::Receive));
            Q_EMIT progress(Stage::Response, m_handshake);
            return;
        }
        m_handshake.response = m_responseParser.takeHead();
        m_upgraded = m_handshake.response.status == 101;
        if (m_upgraded) {
            const QByteArray extensions = m_handshake.response.header("Sec-WebSocket-Extensions").toLower();
            if (extensions.contains("permessage-deflate")) {
                m_sendFrames.setAllowedRsv(4);
                m_receiveFrames.setAllowedRsv(4);
            }
            m_bodyExpected = 0;
        } else {
            bool ok = false;
            const qint64 length = m_handshake.response.header("Content-Length").trimmed().toLongLong(&ok);
            m_bodyExpected = ok ? std::min<qint64>(length, kMaxBody) : kMaxBody;
        }
        LogEntry e;
        e.timeUs = LogEntry::nowUs();
        e.kind = LogEntry::Kind::Handshake;
        e.dir = Direction::Receive;
        e.payload = m_handshake.response.raw;
        post(std::move(e));
        flush();
        Q_EMIT progress(Stage::Response, m_handshake);
    }
    if (size <= 0)
        return;
    if (!m_upgraded) {
        if (m_bodyExpected > 0) {
            const qsizetype take = std::min<qsizetype>(size, m_bodyExpected - m_handshake.response.body.size());
            m_handshake.response.body.append(data, take);
            if (m_handshake.response.body.size() >= m_bodyExpected) {
                m_bodyExpected = 0;
                publishResponse(Stage::ResponseBody);
                // The response is complete; QWebSocket gives up on a non-101 anyway. Disconnect
                // once these bytes are forwarded: a synchronous disconnect would close the client
                // side before the caller writes them, and Qt would never see the status.
                if (m_upstream)
                    QTimer::singleShot(0, m_upstream, [upstream = m_upstream] { upstream->disconnectFromHost(); });
            }
        }
        return;
    }
    if (m_receiveFrames.stopped())
        return;
    m_frameScratch.clear();
    m_receiveFrames.feed(data, size, m_frameScratch);
    if (!m_frameScratch.isEmpty()) {
        const qint64 now = LogEntry::nowUs();
        for (ParsedFrame& f : m_frameScratch) {
            trackPingPong(f.info.opcode, Direction::Receive);
            m_receiveCloseSeen = m_receiveCloseSeen || f.info.opcode == OpClose;
            m_receiveMessages.add(std::move(f), now, m_pending);
        }
        m_frameScratch.clear();
        post({});
    }
    if (m_receiveFrames.stopped() && !m_receiveStopReported) {
        m_receiveStopReported = true;
        post(LogEntry::note(LogEntry::Kind::Info, m_receiveFrames.error(), Direction::Receive));
    }
}

void WireRelay::trackPingPong(quint8 opcode, Direction dir)
{
    const int self = dir == Direction::Send ? 0 : 1;
    if (opcode == OpPing) {
        ++m_pingsOutstanding[self];
    } else if (opcode == OpPong) {
        if (m_pingsOutstanding[1 - self] > 0) {
            --m_pingsOutstanding[1 - self];
        } else if (!m_unsolicitedNoted[self]) {
            // Allowed by RFC 6455 (a unidirectional heartbeat), so a note rather than a violation;
            // said once per connection and side.
            m_unsolicitedNoted[self] = true;
            m_pending.append(LogEntry::note(LogEntry::Kind::Info,
                dir == Direction::Receive ? tr("The server sent a pong nobody asked for (unsolicited pongs are "
                                               "allowed as a heartbeat; noted once).")
                                          : tr("The client sent a pong nobody asked for (noted once)."),
                dir));
        }
    }
}

void WireRelay::publishResponse(Stage stage)
{
    if (stage == Stage::ResponseBody) {
        if (m_bodyPublished)
            return;
        m_bodyPublished = true; // publish once
    }
    Q_EMIT progress(stage, m_handshake);
}

void WireRelay::post(LogEntry&& entry)
{
    // An entry with timeUs 0 is only a nudge: the caller appended to m_pending itself.
    if (entry.timeUs != 0)
        m_pending.append(std::move(entry));
    // Inside a chunk the entries go out together at its end; anything else goes out at once.
    if (!m_parsing)
        flush();
}

void WireRelay::flush()
{
    if (m_pending.isEmpty())
        return;
    LogBatch batch;
    batch.swap(m_pending);
    Q_EMIT entriesReady(batch);
}

void WireRelay::maybeFinish()
{
    const bool clientGone = !m_client || m_client->state() == QAbstractSocket::UnconnectedState;
    // An upstream that ended while reading was paused is not gone until its last bytes are read.
    const bool upstreamGone = !m_upstream
        || (m_upstream->state() == QAbstractSocket::UnconnectedState && (!m_upstreamEnded || m_upstreamEndHandled));
    if (clientGone && upstreamGone && !m_finished) {
        m_finished = true;
        flush();
        Q_EMIT finished();
    }
}

void WireRelay::shutdown()
{
    if (m_server)
        m_server->close();
    for (Candidate* c : std::as_const(m_candidates)) {
        c->socket->disconnect(this);
        c->socket->abort();
        c->socket->deleteLater();
        delete c;
    }
    m_candidates.clear();
    if (m_upstream) {
        m_upstream->disconnect(this);
        m_upstream->abort();
    }
    if (m_client) {
        m_client->disconnect(this);
        m_client->abort();
    }
}

} // namespace wsi
