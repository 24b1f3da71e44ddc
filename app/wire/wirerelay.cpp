#include "wirerelay.h"

#include "deflate/outgoingdeflater.h"
#include "wire/framewriter.h"
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
    , m_shield(quint64(std::max<qint64>(profile.maxIncomingMessageSize, 125)))
{
    m_deflateOffered = profile.perMessageDeflate && profile.deflateOffer.problems().isEmpty();
    m_receive.setCollectReassembled(true);
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

bool WireRelay::start(const QUrl& clientUrl, const QUrl& upstreamUrl, QString* error)
{
    m_clock.start();
    m_upstreamUrl = upstreamUrl;
#ifdef QT_NO_SSL
    if (upstreamUrl.scheme() == u"wss") {
        if (error)
            *error = tr("This build has no TLS support, so wss:// is not available.");
        return false;
    }
#endif
    m_proxy = new LoopbackProxy(this);
    connect(m_proxy, &LoopbackProxy::clientAccepted, this, &WireRelay::onClientAccepted);
    const Result<void> listening = m_proxy->listen(clientUrl.host(), quint16(clientUrl.port(80)));
    if (!listening && error)
        *error = listening.error().message;
    return listening.ok();
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
        const QByteArray backlog = rewriteFromClient(std::exchange(m_clientBacklog, {}));
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
        const QByteArray data = rewriteFromClient(m_client->read(std::min(m_client->bytesAvailable(), kChunk)));
        if (data.isEmpty())
            continue;
        observe(m_send, data);
        if (m_upstream && m_upstream->state() == QAbstractSocket::ConnectedState)
            m_upstream->write(data);
        checkFaults();
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
        checkFaults();
        if (clientOpen)
            forwardToClient(data, m_receiveFramesFrom);
        if (!m_handshakeFailure.isEmpty()) {
            onUpstreamFailed(QAbstractSocket::UnknownSocketError, Error { m_handshakeFailure, {} });
            m_handshakeFailure.clear();
            if (m_upstream)
                m_upstream->disconnectFromHost();
        }
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
    const qsizetype total = data.size();
    if (receive)
        m_receiveFramesFrom = tap.headComplete() && tap.upgraded() ? 0 : -1;
    while (!data.isEmpty()) {
        const bool hadHead = tap.headComplete();
        const bool hadBody = tap.bodyComplete();
        data = data.sliced(tap.feed(data, now, batch));
        if (receive && !hadHead && tap.headComplete() && tap.upgraded())
            m_receiveFramesFrom = total - data.size();
        if (!hadHead && tap.headComplete() && !receive && !tap.stopped()) {
            m_handshake.request = tap.head();
            const QByteArray key = m_handshake.request.header("Sec-WebSocket-Key").trimmed();
            m_handshake.expectedAccept = key.isEmpty() ? QByteArray() : acceptFor(key);
            m_requestSentUs = elapsedUs();
            stages.append(Stage::Request);
        } else if (!hadHead && tap.headComplete() && receive) {
            m_handshake.timings.upgradeUs = m_requestSentUs > 0 ? elapsedUs() - m_requestSentUs : -1;
            m_handshake.response = tap.head();
            if (tap.upgraded())
                negotiateExtensions(); // before any frame is parsed: compressed frames carry RSV1
            stages.append(Stage::Response);
        }
        if (receive && !hadBody && tap.bodyComplete())
            m_endUpstreamAfterForward = true;
    }
    if (receive)
        m_reassembled.append(tap.takeReassembled());
    if (tap.stopped())
        m_shield.passThroughFromNowOn();
    if (!batch.isEmpty())
        Q_EMIT entriesReady(batch);
    for (const Stage stage : stages)
        Q_EMIT progress(stage, m_handshake);
    if (receive && m_endUpstreamAfterForward)
        publishBody();
}

QByteArray WireRelay::rewriteFromClient(const QByteArray& data)
{
    if (m_connectionFailed)
        return {}; // QWebSocket's answer to the inspector's close frame stays here
    if (m_requestForwarded) {
        if (!m_outgoing)
            return data;
        Result<QByteArray> wire = m_outgoing->feed(data);
        if (!wire) {
            failConnection(1011, tr("Compressing a message for the server failed: %1").arg(wire.error().message));
            return {};
        }
        return *wire;
    }
    m_requestHold.append(data);
    const qsizetype end = m_requestHold.indexOf("\r\n\r\n");
    if (end < 0 && m_requestHold.size() <= HttpHeadParser::kMaxHeadSize)
        return {};
    m_requestForwarded = true;
    QByteArray out = std::exchange(m_requestHold, {});
    if (end >= 0 && m_deflateOffered) {
        // QWebSocket 6.4 has no extensions: the relay offers permessage-deflate in its place,
        // unless the user set the header by hand. The send tap logs the request as sent.
        const QByteArray head = out.left(end + 2);
        if (!head.toLower().contains("\r\nsec-websocket-extensions:"))
            out.insert(end + 2, "Sec-WebSocket-Extensions: " + m_profile.deflateOffer.offerHeaderValue() + "\r\n");
    }
    return out;
}

void WireRelay::negotiateExtensions()
{
    const QList<QByteArray> values = m_handshake.response.headerValues("Sec-WebSocket-Extensions");
    if (!m_deflateOffered)
        return; // an extension nobody offered is HandshakeCheck's to report
    Result<NegotiatedDeflate> r = DeflateNegotiation::checkResponse(m_profile.deflateOffer, values);
    if (!r) {
        m_handshakeFailure = r.error().message;
        return;
    }
    m_deflate = *r;
    m_handshake.extensions = m_deflate.describe();
    if (!m_deflate.accepted)
        return;
    m_receive.enableDeflate(m_deflate.serverMaxWindowBits, m_deflate.serverNoContextTakeover);
    m_send.enableDeflate(m_deflate.clientMaxWindowBits, m_deflate.clientNoContextTakeover);
    m_shield.setDeflate(true);
    m_outgoing = std::make_unique<OutgoingDeflater>(
        m_deflate.clientMaxWindowBits, m_deflate.clientNoContextTakeover, m_profile.deflateOutgoing, kMaxSendMessage);
    m_outgoing->setFrameSize(m_outgoingFrameSize);
    for (const bool compress : m_compressionQueue)
        m_outgoing->queueCompression(compress);
    m_compressionQueue.clear();
}

QByteArray WireRelay::responseHeadForQt() const
{
    const HttpHead& head = m_handshake.response;
    if (!m_deflateOffered || head.headerValues("Sec-WebSocket-Extensions").isEmpty())
        return head.raw;
    // Drop every Sec-WebSocket-Extensions line (the relay speaks the extension for QWebSocket).
    QByteArray out;
    out.reserve(head.raw.size());
    qsizetype pos = 0;
    while (pos < head.raw.size()) {
        qsizetype eol = head.raw.indexOf('\n', pos);
        eol = eol < 0 ? head.raw.size() : eol + 1;
        const QByteArrayView line = QByteArrayView(head.raw).sliced(pos, eol - pos);
        if (!line.toByteArray().trimmed().toLower().startsWith("sec-websocket-extensions:"))
            out.append(line);
        pos = eol;
    }
    return out;
}

void WireRelay::forwardToClient(const QByteArray& data, qsizetype framesFrom)
{
    switch (m_forward) {
    case Forward::Nothing:
        return;
    case Forward::Raw:
        m_client->write(data);
        return;
    case Forward::Head:
        if (!m_receive.headComplete()) {
            m_responseHold.append(data); // QWebSocket reads the head only once it is whole anyway
            return;
        }
        if (!m_handshakeFailure.isEmpty()) {
            m_forward = Forward::Nothing;
            return;
        }
        if (framesFrom < 0 || m_receive.stopped()) {
            // Not a 101 (or a head given up on): QWebSocket gets what the server sent.
            m_forward = Forward::Raw;
            m_client->write(std::exchange(m_responseHold, {}));
            m_client->write(data);
            return;
        }
        m_responseHold.clear();
        m_client->write(responseHeadForQt());
        m_forward = Forward::Frames;
        break;
    case Forward::Frames:
        break;
    }
    m_pieces.clear();
    m_shield.feed(QByteArrayView(data).sliced(std::max<qsizetype>(framesFrom, 0)), m_reassembled, m_pieces);
    for (const QByteArrayView piece : std::as_const(m_pieces))
        m_client->write(piece.data(), piece.size());
    m_pieces.clear();
}

void WireRelay::checkFaults()
{
    for (WireTap* tap : { &m_receive, &m_send }) {
        if (std::optional<WireFault> fault = tap->takeFault())
            failConnection(fault->closeCode, fault->reason);
    }
}

void WireRelay::failConnection(quint16 closeCode, const QString& reason)
{
    if (m_connectionFailed)
        return;
    m_connectionFailed = true;
    LogEntry error = LogEntry::note(LogEntry::Kind::Error, reason);
    Q_EMIT entriesReady({ error });
    Q_EMIT upstreamFailed(QAbstractSocket::UnknownSocketError, reason, {});
    // A close reason holds 123 bytes; cut at a character boundary.
    QByteArray reasonUtf8 = reason.toUtf8();
    if (reasonUtf8.size() > 123) {
        qsizetype cut = 123;
        while (cut > 0 && (quint8(reasonUtf8[cut]) & 0xc0) == 0x80)
            --cut;
        reasonUtf8.truncate(cut);
    }
    QByteArray payload;
    payload.append(char(closeCode >> 8));
    payload.append(char(closeCode & 0xff));
    payload.append(reasonUtf8);
    if (m_upstream && m_upstream->state() == QAbstractSocket::ConnectedState) {
        QByteArray frame;
        FrameWriter::append(frame, OpClose, true, 0, payload, true, FrameWriter::randomMaskKey());
        observe(m_send, frame);
        m_upstream->write(frame);
        m_upstream->disconnectFromHost();
    }
    m_forward = Forward::Nothing;
    if (m_client && m_client->state() == QAbstractSocket::ConnectedState) {
        QByteArray frame;
        FrameWriter::append(frame, OpClose, true, 0, payload, false);
        m_client->write(frame);
        m_client->disconnectFromHost();
    }
}

void WireRelay::setOutgoingFrameSize(quint64 bytes)
{
    m_outgoingFrameSize = bytes;
    if (m_outgoing)
        m_outgoing->setFrameSize(bytes);
}

void WireRelay::queueOutgoingCompression(bool compress)
{
    if (m_outgoing)
        m_outgoing->queueCompression(compress);
    else if (!m_requestForwarded || !m_receive.headComplete())
        m_compressionQueue.push_back(compress);
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
