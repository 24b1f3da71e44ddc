#include "wirerelay.h"

#include "deflate/outgoingdeflater.h"
#include "wire/handshakecheck.h"
#include "wire/loopbackproxy.h"
#include "wire/upstreamconnector.h"

#include <QRandomGenerator>
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
// RFC 6455 §5.5: a control frame's payload is at most 125 bytes, 2 of them the close code.
constexpr qsizetype kMaxCloseReason = 123;

// The first max bytes of utf8, cut at a character boundary.
QByteArray cutUtf8(QByteArray utf8, qsizetype max)
{
    if (utf8.size() <= max)
        return utf8;
    qsizetype n = max;
    while (n > 0 && (quint8(utf8.at(n)) & 0xc0) == 0x80)
        --n; // utf8[n] continues a character: cut before that character starts
    utf8.truncate(n);
    return utf8;
}

// A client's close frame: FIN, opcode 8, masked with a fresh key (RFC 6455 §5.3).
QByteArray maskedCloseFrame(quint16 code, const QByteArray& reason)
{
    QByteArray payload;
    if (code != 0) {
        payload.append(char(code >> 8));
        payload.append(char(code & 0xff));
        payload.append(reason);
    }
    const quint32 key = QRandomGenerator::system()->generate();
    const char mask[4] = { char(key >> 24), char(key >> 16), char(key >> 8), char(key) };
    QByteArray frame;
    frame.append(char(0x88));
    frame.append(char(0x80 | payload.size()));
    frame.append(mask, 4);
    for (qsizetype i = 0; i < payload.size(); ++i)
        frame.append(char(payload.at(i) ^ mask[i & 3]));
    return frame;
}
} // namespace

WireRelay::WireRelay(const Profile& profile, QObject* parent)
    : QObject(parent)
    , m_profile(profile)
    // The incoming limit is the user's choice for what the server may send; what the user sends
    // (a file of up to hundreds of MiB) is only bounded by kMaxSendMessage.
    , m_send(Direction::Send, kMaxSendMessage)
    , m_receive(Direction::Receive, quint64(std::max<qint64>(profile.maxIncomingMessageSize, 125)))
    , m_shield(quint64(std::max<qint64>(profile.maxIncomingMessageSize, 125)), profile.lenient)
{
    m_deflateOffered = profile.perMessageDeflate && profile.deflateOffer.problems().isEmpty();
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
    if (m_failing) {
        finishFailing();
        return;
    }
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
        if (m_failing)
            return;
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
        const bool hadHead = m_receive.headComplete();
        // Publish first so that the session knows what the server said before QWebSocket reacts.
        const qsizetype headEnd = observe(m_receive, data);
        checkFaults();
        if (m_failing) {
            // Only read for the log now; the server's close frame answers ours.
            if (m_closeSent && m_receive.closeSeen() && m_upstream)
                m_upstream->disconnectFromHost();
            continue;
        }
        if (!clientOpen)
            continue;
        if (hadHead) {
            if (m_upgradeAccepted)
                forwardFrames(data);
            else
                m_client->write(data); // a refused upgrade's body
        } else if (headEnd >= 0) {
            // The head goes to Qt whole, once complete, as Qt understands it; then the control
            // frames Qt acts on (QtFrameShield), or a refused upgrade's body.
            m_client->write(headForQt(m_receive.head()));
            if (m_upgradeAccepted)
                forwardFrames(QByteArrayView(data).sliced(headEnd));
            else
                m_client->write(data.sliced(headEnd));
        } // else the head is not complete yet: the tap holds its bytes
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
    if (!m_receive.headComplete() && !m_failing && !m_finished) {
        // The server closed before its response head ended: named, not left to a timeout.
        LogBatch batch;
        const QString refusal = checkResponse(true, LogEntry::nowUs(), batch);
        if (!batch.isEmpty())
            Q_EMIT entriesReady(batch);
        failConnection(0, refusal);
    }
    if (m_receive.upgraded()) {
        // A frame or message cut short by the end of the connection is said, with what arrived.
        LogBatch batch;
        m_receive.finish(LogEntry::nowUs(), batch);
        if (!batch.isEmpty())
            Q_EMIT entriesReady(batch);
    }
    m_upstreamEnded = true;
    if (m_receive.headComplete() && !m_receive.upgraded())
        publishBody();
    if (m_client)
        m_client->disconnectFromHost();
    maybeFinish();
}

void WireRelay::onClientGone()
{
    if (m_failing) {
        finishFailing();
        if (!m_closeSent) {
            m_closeSent = true; // the rest of the client's frame will never come: no close frame fits
            dropUpstreamAfterGrace();
        }
        maybeFinish();
        return;
    }
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

qsizetype WireRelay::observe(WireTap& tap, const QByteArray& chunk)
{
    QByteArrayView data = chunk;
    const bool receive = &tap == &m_receive;
    LogBatch batch;
    QVarLengthArray<Stage, 2> stages;
    const qint64 now = LogEntry::nowUs();
    qsizetype offset = 0;
    qsizetype headEnd = -1;
    QString refusal;
    while (!data.isEmpty()) {
        const bool hadHead = tap.headComplete();
        const bool hadBody = tap.bodyComplete();
        const qsizetype used = tap.feedShared(chunk, data, now, batch);
        data = data.sliced(used);
        offset += used;
        if (!hadHead && tap.headComplete() && !receive && !tap.stopped()) {
            m_handshake.request = tap.head();
            const QByteArray key = m_handshake.request.header("Sec-WebSocket-Key").trimmed();
            m_handshake.expectedAccept = key.isEmpty() ? QByteArray() : acceptFor(key);
            m_requestSentUs = elapsedUs();
            stages.append(Stage::Request);
        } else if (!hadHead && tap.headComplete() && receive) {
            headEnd = offset;
            m_handshake.timings.upgradeUs = m_requestSentUs > 0 ? elapsedUs() - m_requestSentUs : -1;
            m_handshake.response = tap.head();
            m_handshake.responseAtUs = now;
            refusal = checkResponse(false, now, batch);
            if (refusal.isEmpty() && tap.upgraded())
                refusal = negotiateExtensions(); // before any frame is parsed: compressed frames carry RSV1
            m_upgradeAccepted = tap.upgraded() && refusal.isEmpty();
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
    if (receive && tap.stopped())
        m_shield.stop(); // the connection fails (judgeServerFrames): Qt gets nothing more
    // A refused 101 or a reply that is not HTTP at all ends here; a non-101 status still goes to
    // QWebSocket (which gives up on it) so that its body is read for the user.
    if (!refusal.isEmpty() && (tap.upgraded() || tap.stopped()))
        failConnection(0, refusal);
    else if (receive && m_upgradeAccepted)
        judgeServerFrames();
    return headEnd;
}

void WireRelay::judgeServerFrames()
{
    if (m_failing)
        return;
    FrameFault fault = m_receive.fault();
    if (fault.isEmpty() && !m_profile.lenient) {
        // Strict: a control frame whose header already broke a rule fails the connection now, not
        // after a hostile server has trickled up to the size limit of payload into the tap.
        fault = m_receive.pendingControlFault();
    }
    if (!fault.isEmpty() && !m_faultHandled) {
        m_faultHandled = true;
        const QString rule = tr("The server broke RFC 6455 %1 (%2)").arg(fault.section, fault.rule);
        if (!m_profile.lenient || m_receive.stopped()) {
            failConnection(
                fault.closeCode, tr("%1; the inspector closed the connection with %2.").arg(rule).arg(fault.closeCode));
        } else {
            // A broken close frame (§5.5.1, §7.4.1) ends the connection all the same: QtFrameShield
            // gives Qt a form it answers normally, instead of with this close code.
            const QString text = m_receive.faultOnCloseFrame()
                ? tr("Lenient: %1; a client must close the connection with %2, this one answers the server's close "
                     "normally and only flags it.")
                : tr("Lenient: %1; a client must close the connection with %2, this one stays open and only flags "
                     "it.");
            LogEntry e = LogEntry::note(LogEntry::Kind::Info, text.arg(rule).arg(fault.closeCode), Direction::Receive);
            Q_EMIT entriesReady({ e });
        }
        return;
    }
    if (m_receive.stopped() && !m_stopHandled) {
        // The inspector's own limit (not a server fault): refuse the message now, before Qt buffers
        // the rest of it too. Also in lenient mode after a flagged fault: a stopped tap cannot go on.
        m_stopHandled = true;
        failConnection(1009,
            tr("%1 The inspector closed the connection with 1009 (message too big).").arg(m_receive.stopReason()));
    }
}

QString WireRelay::checkResponse(bool closedEarly, qint64 timeUs, LogBatch& batch)
{
    HandshakeExchange exchange;
    exchange.request = m_handshake.request;
    exchange.response = closedEarly ? m_receive.partialHead() : m_receive.head();
    exchange.responseFault = m_receive.headFault();
    exchange.closedBeforeHeadEnd = closedEarly;
    QList<HandshakeFault> faults = HandshakeCheck::check(exchange);
    m_handshake.responseFaults.clear();
    for (HandshakeFault& f : faults) {
        const bool unoffered = f.rule == HandshakeFault::Rule::SubprotocolNotOffered
            || f.rule == HandshakeFault::Rule::SubprotocolNoneOffered
            || f.rule == HandshakeFault::Rule::SubprotocolSeveral
            || f.rule == HandshakeFault::Rule::ExtensionNotOffered;
        if (unoffered && m_profile.lenient) {
            // Lenient: flagged, and Qt (which would refuse a subprotocol) never hears of it.
            f.fatal = false;
            if (f.rule != HandshakeFault::Rule::ExtensionNotOffered)
                m_hideSubprotocolFromQt = true;
        }
        m_handshake.responseFaults.append(f.message);
        if (!f.fatal) {
            LogEntry e = LogEntry::note(LogEntry::Kind::Info,
                m_profile.lenient && unoffered
                    ? tr("Lenient: %1 (%2: a client must fail the connection)").arg(f.message, f.section)
                    : tr("%1 (%2)").arg(f.message, f.section),
                Direction::Receive);
            e.timeUs = timeUs;
            batch.append(std::move(e));
        }
    }
    m_handshake.failure = HandshakeCheck::summary(faults);
    return m_handshake.failure;
}

QByteArray WireRelay::headForQt(const HttpHead& response) const
{
    // permessage-deflate is the relay's to speak: QWebSocket gets no Sec-WebSocket-Extensions.
    const bool hideExtensions = m_deflateOffered && !response.headerValues("Sec-WebSocket-Extensions").isEmpty();
    if (!m_hideSubprotocolFromQt && !hideExtensions)
        return HandshakeCheck::normalizedForQt(response);
    HttpHead head = response;
    head.headers.removeIf([this, hideExtensions](const auto& h) {
        return (m_hideSubprotocolFromQt && h.first.compare("Sec-WebSocket-Protocol", Qt::CaseInsensitive) == 0)
            || (hideExtensions && h.first.compare("Sec-WebSocket-Extensions", Qt::CaseInsensitive) == 0);
    });
    QByteArray statusLine = head.raw.left(head.raw.indexOf('\n'));
    if (statusLine.endsWith('\r'))
        statusLine.chop(1);
    head.raw = statusLine + "\r\n";
    for (const auto& [name, value] : std::as_const(head.headers))
        head.raw += name + ": " + value + "\r\n";
    head.raw += "\r\n";
    return HandshakeCheck::normalizedForQt(head);
}

QByteArray WireRelay::rewriteFromClient(const QByteArray& data)
{
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

QString WireRelay::negotiateExtensions()
{
    if (!m_deflateOffered)
        return {}; // an extension nobody offered is HandshakeCheck's to report
    const QList<QByteArray> values = m_handshake.response.headerValues("Sec-WebSocket-Extensions");
    Result<NegotiatedDeflate> r = DeflateNegotiation::checkResponse(m_profile.deflateOffer, values);
    if (!r) {
        m_handshake.failure = r.error().message;
        return m_handshake.failure;
    }
    m_deflate = *r;
    m_handshake.extensions = m_deflate.describe();
    if (!m_deflate.accepted)
        return {};
    m_receive.enableDeflate(m_deflate.serverMaxWindowBits, m_deflate.serverNoContextTakeover);
    m_send.enableDeflate(m_deflate.clientMaxWindowBits, m_deflate.clientNoContextTakeover);
    m_outgoing = std::make_unique<OutgoingDeflater>(
        m_deflate.clientMaxWindowBits, m_deflate.clientNoContextTakeover, m_profile.deflateOutgoing, kMaxSendMessage);
    m_outgoing->setFrameSize(m_outgoingFrameSize);
    for (const bool compress : m_compressionQueue)
        m_outgoing->queueCompression(compress);
    m_compressionQueue.clear();
    return {};
}

void WireRelay::forwardFrames(QByteArrayView frames)
{
    m_pieces.clear();
    m_shield.feed(frames, m_pieces);
    for (const QByteArrayView piece : std::as_const(m_pieces))
        m_client->write(piece.data(), piece.size());
    m_pieces.clear();
}

void WireRelay::checkFaults()
{
    // Every queued fault of a read, not just the first: a flagged RSV fault must not hold back a
    // corrupt or oversized compressed message found in the same read.
    for (WireTap* tap : { &m_receive, &m_send }) {
        while (!m_failing) {
            std::optional<WireFault> fault = tap->takeFault();
            if (!fault)
                break;
            if (fault->lenientMayContinue && m_profile.lenient) {
                // Lenient: flagged on the frame; Qt gets no data frames, and control frames without the bits.
                Q_EMIT entriesReady(
                    { LogEntry::note(LogEntry::Kind::Info, tr("Lenient: %1").arg(fault->reason), tap->direction()) });
                continue;
            }
            failConnection(fault->closeCode, fault->reason);
        }
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
    else if (!m_receive.headComplete())
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

void WireRelay::failConnection(quint16 closeCode, const QString& reason)
{
    if (m_failing || m_finished)
        return;
    m_failing = true;
    m_failCode = closeCode;
    m_failReason = cutUtf8(reason.toUtf8(), kMaxCloseReason);
    m_endUpstreamAfterForward = false;
    Q_EMIT connectionFailed(closeCode, reason); // before QWebSocket can notice anything
    if (m_proxy)
        m_proxy->close();
    const bool upstreamOpen = m_upstream && m_upstream->state() == QAbstractSocket::ConnectedState;
    if (!m_upgradeAccepted || !upstreamOpen) {
        // No WebSocket connection yet (RFC 6455 §4.1: the client closes the TCP connection).
        m_closeSent = true;
        if (m_client) {
            m_client->disconnect(this);
            m_client->abort();
        }
        if (m_upstream)
            m_upstream->disconnectFromHost();
        else if (m_connector)
            m_connector->abort();
        maybeFinish();
        return;
    }
    if (!finishFailing()) {
        // The client is in the middle of a frame: its rest is awaited a moment, then given up on.
        QTimer::singleShot(kBodyGraceMs, this, [this] {
            if (m_closeSent)
                return;
            m_closeSent = true;
            if (m_client) {
                m_client->disconnect(this);
                m_client->abort();
            }
            dropUpstreamAfterGrace();
            maybeFinish();
        });
    }
}

bool WireRelay::finishFailing()
{
    if (m_closeSent)
        return true;
    if (!m_upstream || m_upstream->state() != QAbstractSocket::ConnectedState) {
        m_closeSent = true;
        return true;
    }
    // Complete the client's frame under way (never more), so the close frame starts a frame.
    while (m_client && !m_send.stopped() && !m_send.atFrameBoundary() && m_client->bytesAvailable() > 0) {
        const qint64 want = qint64(std::min<quint64>(m_send.bytesToFrameEnd(), quint64(kChunk)));
        const QByteArray data = m_client->read(std::min(m_client->bytesAvailable(), std::max<qint64>(1, want)));
        observe(m_send, data);
        m_upstream->write(data);
    }
    if (m_send.stopped() || m_send.closeSeen())
        m_closeSent = true; // no boundary to put a frame at, or the client already closed: no second close
    if (!m_closeSent && !m_send.atFrameBoundary())
        return false;
    if (!m_closeSent) {
        const QByteArray frame = maskedCloseFrame(m_failCode, m_failReason);
        observe(m_send, frame); // logged as the client's close frame, like any other
        m_upstream->write(frame);
        m_closeSent = true;
    }
    if (m_client) {
        m_client->disconnect(this);
        m_client->abort();
    }
    dropUpstreamAfterGrace();
    maybeFinish();
    return true;
}

void WireRelay::dropUpstreamAfterGrace()
{
    if (!m_upstream)
        return;
    if (m_receive.closeSeen()) {
        m_upstream->disconnectFromHost(); // the server already closed its side of the handshake
        return;
    }
    // The server's close frame is read (and logged) while it comes within the grace period.
    QTimer::singleShot(kBodyGraceMs, this, [this] {
        if (m_upstream)
            m_upstream->disconnectFromHost();
    });
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
