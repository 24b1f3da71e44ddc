#include "wirerelay.h"

#include "wire/handshakecheck.h"
#include "wire/loopbackproxy.h"
#include "wire/upstreamconnector.h"

#include <QTcpSocket>
#include <QTimer>
#include <QVarLengthArray>

namespace wsi {

namespace {
// How long the server is still read after the client left, for its close frame or a body.
constexpr int kBodyGraceMs = 1000;
// Bytes queued towards one side before the relay stops reading from the other (TCP backpressure
// instead of unbounded memory when QWebSocket's thread is busy); also each socket's read buffer.
constexpr qint64 kHighWater = 4 * 1024 * 1024;
// Bytes processed and forwarded at a time: one entriesReady per chunk.
constexpr qint64 kChunk = 256 * 1024;
} // namespace

WireRelay::WireRelay(const Profile& profile, QObject* parent)
    : QObject(parent)
    , m_profile(profile)
    // The incoming limit is the user's choice for what the server may send; what the user sends
    // (a file of up to hundreds of MiB) is only bounded by kMaxSendMessage.
    , m_send(Direction::Send, kMaxSendMessage)
    , m_receive(Direction::Receive, quint64(std::max<qint64>(profile.maxIncomingMessageSize, 125)))
{
    qRegisterMetaType<wsi::LogBatch>();
    qRegisterMetaType<wsi::HandshakeInfo>();
    qRegisterMetaType<wsi::WireRelay::Stage>();
    qRegisterMetaType<QAbstractSocket::SocketError>();
    m_send.setPeer(&m_receive);
    m_receive.setPeer(&m_send);
}

WireRelay::~WireRelay()
{
    shutdown();
}

QByteArray WireRelay::acceptFor(const QByteArray& key)
{
    return HandshakeCheck::expectedAccept(key); // one implementation of RFC 6455 §4.2.2
}

Result<void> WireRelay::start(const QUrl& clientUrl, const QUrl& upstreamUrl)
{
    m_clock.start();
    m_upstreamUrl = upstreamUrl;
#ifdef QT_NO_SSL
    if (upstreamUrl.scheme() == u"wss")
        return Error { tr("This build has no TLS support, so wss:// is not available."), {} };
#endif
    m_proxy = new LoopbackProxy(this);
    connect(m_proxy, &LoopbackProxy::clientAccepted, this, &WireRelay::onClientAccepted);
    return m_proxy->listen(clientUrl.host(), quint16(clientUrl.port(80)));
}

QNetworkProxy WireRelay::clientProxy() const
{
    return m_proxy ? m_proxy->clientProxy() : QNetworkProxy();
}

quint16 WireRelay::port() const
{
    return m_proxy ? m_proxy->port() : 0;
}

bool WireRelay::isListening() const
{
    return m_proxy && m_proxy->isListening();
}

void WireRelay::onClientAccepted(QTcpSocket* socket, const QByteArray& leftover)
{
    m_client = socket;
    socket->setParent(this);
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    socket->setReadBufferSize(kHighWater);
    m_clientBacklog = leftover;
    connect(socket, &QTcpSocket::readyRead, this, &WireRelay::pumpClient);
    connect(socket, &QTcpSocket::bytesWritten, this, &WireRelay::pumpUpstream); // resumes after backpressure
    connect(socket, &QTcpSocket::disconnected, this, &WireRelay::onClientGone);

    m_connector = new UpstreamConnector(m_profile, this);
    connect(m_connector, &UpstreamConnector::stepDone, this, [this](UpstreamConnector::Step step) {
        const ConnectionTimings& t = m_connector->timings();
        m_handshake.timings.dnsUs = t.dnsUs;
        m_handshake.timings.tcpConnectUs = t.tcpConnectUs;
        m_handshake.timings.tlsHandshakeUs = t.tlsHandshakeUs;
        m_handshake.tls = m_connector->tls();
        Q_EMIT progress(step == UpstreamConnector::Step::Resolved ? Stage::Dns
                : step == UpstreamConnector::Step::TcpConnected   ? Stage::TcpConnected
                                                                  : Stage::TlsEstablished,
            m_handshake);
    });
    connect(m_connector, &UpstreamConnector::note, this, [this](const LogEntry& e) { Q_EMIT entriesReady({ e }); });
    connect(m_connector, &UpstreamConnector::ready, this, &WireRelay::onUpstreamReady);
    connect(m_connector, &UpstreamConnector::failed, this, &WireRelay::onUpstreamFailed);
    m_connector->connectTo(m_upstreamUrl);
}

void WireRelay::onUpstreamReady()
{
    if (m_failed || !m_client)
        return;
    m_upstream = m_connector->socket();
    m_upstream->setReadBufferSize(kHighWater);
    connect(m_upstream, &QTcpSocket::readyRead, this, &WireRelay::pumpUpstream);
    connect(m_upstream, &QTcpSocket::bytesWritten, this, &WireRelay::pumpClient); // resumes after backpressure
    connect(m_upstream, &QTcpSocket::disconnected, this, [this] {
        m_upstreamClosed = true;
        pumpUpstream(); // what it sent before closing still counts
    });
    m_client->write("HTTP/1.1 200 Connection established\r\n\r\n");
    if (!m_clientBacklog.isEmpty()) {
        const QByteArray backlog = std::exchange(m_clientBacklog, {});
        observe(m_send, backlog);
        m_upstream->write(backlog);
    }
    pumpClient();
}

void WireRelay::onUpstreamFailed(QAbstractSocket::SocketError code, const Error& error)
{
    if (m_failed)
        return;
    m_failed = true;
    Q_EMIT upstreamFailed(code, error.message, error.details);
    if (m_client) {
        // 502 makes Qt's proxy client give up; the session explains with the message above.
        m_client->write("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        m_client->disconnectFromHost();
    }
}

void WireRelay::pumpClient()
{
    if (!m_client || !m_upstream)
        return; // the client's bytes wait in its socket until the upstream is ready
    // Once the client is gone, what it sent last still goes out, whatever is queued.
    const bool clientOpen = m_client->state() == QAbstractSocket::ConnectedState;
    while (m_client->bytesAvailable() > 0) {
        if (clientOpen && m_upstream->bytesToWrite() >= kHighWater)
            return; // resumed by the upstream's bytesWritten
        const QByteArray data = m_client->read(std::min(m_client->bytesAvailable(), kChunk));
        observe(m_send, data);
        if (m_upstream && m_upstream->state() == QAbstractSocket::ConnectedState)
            m_upstream->write(data);
    }
}

void WireRelay::pumpUpstream()
{
    if (!m_upstream || m_pumpingUpstream)
        return; // a pump below us on the stack goes on by itself
    m_pumpingUpstream = true;
    while (!m_paused && m_upstream && m_upstream->bytesAvailable() > 0) {
        const bool clientOpen = m_client && m_client->state() == QAbstractSocket::ConnectedState;
        if (clientOpen && m_client->bytesToWrite() >= kHighWater)
            break; // resumed by the client's bytesWritten
        const QByteArray data = m_upstream->read(std::min(m_upstream->bytesAvailable(), kChunk));
        // Publish first so that the session knows what the server said before QWebSocket reacts.
        observe(m_receive, data);
        if (clientOpen)
            m_client->write(data);
    }
    m_pumpingUpstream = false;
    if (m_endUpstreamAfterForward && m_upstream) {
        // A complete non-101 response: QWebSocket gives up on it anyway. Only now, after its
        // bytes went to the client, or the client would be closed before Qt saw the status.
        m_endUpstreamAfterForward = false;
        m_upstream->disconnectFromHost();
    }
    endUpstreamIfDrained();
}

void WireRelay::endUpstreamIfDrained()
{
    if (!m_upstreamClosed || m_upstreamEnded || m_paused || m_pumpingUpstream)
        return;
    if (m_upstream && m_upstream->bytesAvailable() > 0)
        return; // held back by the client's backpressure
    m_upstreamEnded = true;
    if (m_receive.headComplete() && !m_receive.upgraded())
        publishBody();
    if (m_client)
        m_client->disconnectFromHost();
    maybeFinish();
}

void WireRelay::onClientGone()
{
    pumpClient(); // whatever backpressure held back still goes out
    if (!m_upstream) {
        if (m_connector)
            m_connector->abort();
    } else if (m_upstream->state() == QAbstractSocket::ConnectedState) {
        // QWebSocket drops its socket right after sending its close frame, and gives up at once on
        // a non-101: keep reading the server for a moment so that its close frame or body is seen.
        const bool bodyPending = m_receive.headComplete() && !m_receive.upgraded() && !m_receive.bodyComplete();
        if (bodyPending || m_receive.upgraded()) {
            QTimer::singleShot(kBodyGraceMs, this, [this] {
                if (m_upstream)
                    m_upstream->disconnectFromHost();
            });
        } else {
            m_upstream->disconnectFromHost();
        }
    }
    pumpUpstream();
    maybeFinish();
}

void WireRelay::observe(WireTap& tap, QByteArrayView data)
{
    const bool receive = &tap == &m_receive;
    LogBatch batch;
    QVarLengthArray<Stage, 2> stages;
    const qint64 now = LogEntry::nowUs();
    while (!data.isEmpty()) {
        const bool hadHead = tap.headComplete();
        const bool hadBody = tap.bodyComplete();
        data = data.sliced(tap.feed(data, now, batch));
        if (!hadHead && tap.headComplete() && !receive && !tap.stopped()) {
            m_handshake.request = tap.head();
            const QByteArray key = m_handshake.request.header("Sec-WebSocket-Key").trimmed();
            m_handshake.expectedAccept = key.isEmpty() ? QByteArray() : acceptFor(key);
            m_requestSentUs = elapsedUs();
            stages.append(Stage::Request);
        } else if (!hadHead && tap.headComplete() && receive) {
            m_handshake.timings.upgradeUs = m_requestSentUs > 0 ? elapsedUs() - m_requestSentUs : -1;
            m_handshake.response = tap.head();
            if (tap.upgraded()
                && m_handshake.response.header("Sec-WebSocket-Extensions").toLower().contains("permessage-deflate")) {
                // Before any frame is parsed: compressed frames carry RSV1.
                m_send.setAllowedRsv(4);
                m_receive.setAllowedRsv(4);
            }
            stages.append(Stage::Response);
        }
        if (receive && !hadBody && tap.bodyComplete())
            m_endUpstreamAfterForward = true;
    }
    if (!batch.isEmpty())
        Q_EMIT entriesReady(batch);
    for (const Stage stage : stages)
        Q_EMIT progress(stage, m_handshake);
    if (receive && m_endUpstreamAfterForward)
        publishBody();
}

void WireRelay::publishBody()
{
    if (m_bodyPublished)
        return;
    m_bodyPublished = true;
    m_handshake.response.body = m_receive.head().body;
    Q_EMIT progress(Stage::ResponseBody, m_handshake);
}

void WireRelay::setUpstreamPaused(bool paused)
{
    if (m_paused == paused)
        return;
    m_paused = paused;
    if (!paused)
        pumpUpstream(); // inside a pump (called from an entriesReady slot), the pump goes on by itself
}

void WireRelay::maybeFinish()
{
    const bool clientGone = !m_client || m_client->state() == QAbstractSocket::UnconnectedState;
    const bool upstreamGone = m_upstream ? m_upstream->state() == QAbstractSocket::UnconnectedState && m_upstreamEnded
                                         : !(m_connector && m_connector->isConnecting());
    if (clientGone && upstreamGone && !m_finished) {
        m_finished = true;
        Q_EMIT finished();
    }
}

void WireRelay::shutdown()
{
    if (m_proxy)
        m_proxy->close();
    if (m_upstream) {
        m_upstream->disconnect(this);
        m_upstream->abort();
    }
    if (m_connector) {
        m_connector->disconnect(this);
        m_connector->abort();
    }
    if (m_client) {
        m_client->disconnect(this);
        m_client->abort();
    }
}

} // namespace wsi
