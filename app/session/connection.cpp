#include "connection.h"

#include "capture/capturewriter.h"
#include "profiles/profilevalidator.h"
#include "server/builtinserver.h"
#include "session/session.h"
#include "wire/connecterrors.h"
#include "wire/handshakecheck.h"
#include "wire/wirerelay.h"

#include <QDebug>
#include <QNetworkProxy>
#include <QNetworkRequest>
#include <QScopeGuard>
#include <QThread>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {
constexpr int kReconnectBaseMs = 500;
constexpr int kReconnectCapMs = 30000;
constexpr int kRelayWaitMs = 1500;

bool isTerminal(Session::State s)
{
    return s == Session::State::Closed || s == Session::State::Failed || s == Session::State::Idle;
}
} // namespace

Connection::Connection(const Profile& profile, QObject* parent)
    : QObject(parent)
    , m_profile(profile)
{
    qRegisterMetaType<wsi::SessionEvents>();
    m_handshakeTimer.setSingleShot(true);
    m_handshakeTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_handshakeTimer, &QTimer::timeout, this, &Connection::onHandshakeTimeout);
    connect(&m_keepAliveTimer, &QTimer::timeout, this, [this] {
        if (m_state == State::Open && m_socket)
            m_socket->ping();
    });
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &Connection::open);
    m_relayWaitTimer.setSingleShot(true);
    connect(&m_relayWaitTimer, &QTimer::timeout, this, [this] {
        // A paused relay cannot finish: what it holds waits for the consumer, and the wait starts
        // again when reading resumes (updatePause), so that nothing follows the Closed state.
        if (m_paused.load() && m_relay && !m_relay->isFinished())
            return;
        finishDisconnect();
    });
    m_captureTimer.setSingleShot(true);
    connect(&m_captureTimer, &QTimer::timeout, this, &Connection::flushCapture);
    connect(&m_batcher, &EventBatcher::ready, this, &Connection::onBatchReady);
    // Made here, before the thread starts; emitted from other threads.
    connect(this, &Connection::commandsPosted, this, &Connection::runCommands, Qt::QueuedConnection);
}

void Connection::postCommand(std::function<void(Connection*)> command)
{
    bool wasEmpty = false;
    {
        const std::lock_guard lock(m_mailboxMutex);
        wasEmpty = m_inbox.empty();
        m_inbox.push_back(std::move(command));
    }
    if (wasEmpty) // otherwise a runCommands() is already on its way
        Q_EMIT commandsPosted();
}

void Connection::runCommands()
{
    std::vector<std::function<void(Connection*)>> commands;
    {
        const std::lock_guard lock(m_mailboxMutex);
        commands.swap(m_inbox);
    }
    for (const auto& command : commands)
        command(this);
}

QList<SessionEvents> Connection::takeEvents()
{
    const std::lock_guard lock(m_mailboxMutex);
    return std::exchange(m_outbox, {});
}

Connection::~Connection()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        delete m_socket;
        m_socket = nullptr;
    }
    dropRelay();
    if (m_capture && !m_capture->flush())
        qWarning().noquote() << m_capture->errorString(); // nobody is left to show it
}

void Connection::quitWhenSettled(int timeoutMs)
{
    if (m_state != State::Closing) {
        thread()->quit();
        return;
    }
    // A close() sent just before: give its close frame time to get through the relay.
    m_quitWhenSettled = true;
    QTimer::singleShot(timeoutMs, this, [this] { thread()->quit(); });
}

void Connection::setProfile(const Profile& profile)
{
    m_profile = profile;
}

void Connection::open()
{
    if (m_state == State::Connecting || m_state == State::Open || m_state == State::Closing)
        return;
    m_reconnectTimer.stop();
    m_relayWaitTimer.stop();
    m_disconnectPending = false;
    m_userClosed = false;
    m_closeCode = 0;
    m_closeReason.clear();
    m_closeFrameReceived = false;
    m_pendingFailure.clear();
    m_relayFailCode = 0;
    m_lastErrorPosted.clear();
    m_clientProtocolClose = 0;
    m_subprotocol.clear();
    releaseHeld();

    const ConnectionPlan plan = ProfileValidator::validate(m_profile);
    for (const QString& notice : plan.notices)
        post(LogEntry::note(LogEntry::Kind::Info, notice));
    if (!plan.ok()) {
        for (const ValidationIssue& issue : plan.errors)
            post(LogEntry::note(LogEntry::Kind::Error, issue.message));
        setState(State::Failed, plan.firstError());
        return;
    }
    QUrl url = plan.url;
    if (plan.builtin) {
        QString error;
        url = BuiltinServers::resolve(m_profile.url.trimmed(), &error);
        if (url.isEmpty()) {
            post(LogEntry::note(LogEntry::Kind::Error, error));
            setState(State::Failed, error);
            return;
        }
    }
    m_url = url;

    stopSocket();
    // Every connection goes through the wire relay so the inspector sees the real bytes. QWebSocket
    // speaks plain ws to it with the same host and explicit port, so the Host header is the one a
    // direct connection would send; the relay owns TLS, TCP options and the user's proxy upstream.
    dropRelay();
    SessionEvents::Marker reset;
    reset.type = SessionEvents::Marker::Type::Handshake;
    m_batcher.addMarker(std::move(reset));
    ++m_connectionId;
    if (m_capture) {
        m_capture->connecting(m_connectionId, url);
        onCaptureUsed();
    }
    QUrl clientUrl = url;
    clientUrl.setScheme(u"ws"_s);

    // The relay, QWebSocket and this object share the thread: direct connections, and the relay
    // publishes a chunk's entries before it forwards the chunk, so whatever QWebSocket reacts to
    // has already been posted here. That is the whole ordering guarantee.
    m_relay = new WireRelay(m_profile, this);
    // Unpaused until the server's response head has been read, whatever the consumer's backlog
    // (a slow consumer must not make the handshake time out); see onWireProgress.
    m_relayHeadSeen = false;
    m_responseAtUs = -1;
    connect(m_relay, &WireRelay::entriesReady, this, &Connection::onWireEntries);
    connect(m_relay, &WireRelay::progress, this,
        [this](WireRelay::Stage stage, const HandshakeInfo& info) { onWireProgress(int(stage), info); });
    connect(m_relay, &WireRelay::upstreamFailed, this,
        [this](QAbstractSocket::SocketError error, const QString& message, const QString& qtText) {
            m_pendingFailure = message.isEmpty() ? describeSocketError(error, qtText) : message;
            if (!qtText.isEmpty() && qtText != m_pendingFailure) // the library's words, for whoever needs them
                post(LogEntry::note(LogEntry::Kind::Info, tr("Details: %1").arg(qtText)));
        });
    connect(m_relay, &WireRelay::connectionFailed, this, [this](quint16 code, const QString& reason) {
        // The inspector's own verdict on the server: it is the reason, whatever Qt says next.
        m_pendingFailure = reason;
        m_relayFailCode = code;
    });
    connect(m_relay, &WireRelay::finished, this, [this] {
        if (m_disconnectPending)
            finishDisconnect();
    });
    if (const Result<void> started = m_relay->start(clientUrl, url); !started) {
        post(LogEntry::note(LogEntry::Kind::Error, started.error().message));
        setState(State::Failed, started.error().message);
        return;
    }

    m_socket = new QWebSocket(m_profile.origin, QWebSocketProtocol::VersionLatest, this);
    m_socket->setMaxAllowedIncomingMessageSize(quint64(m_profile.maxIncomingMessageSize));
    m_socket->setMaxAllowedIncomingFrameSize(quint64(m_profile.maxIncomingMessageSize));
    m_socket->setProxy(m_relay->clientProxy());
    if (m_outgoingFrameSize > 0)
        m_socket->setOutgoingFrameSize(m_outgoingFrameSize);
    m_relay->setOutgoingFrameSize(m_outgoingFrameSize);
    connect(m_socket, &QWebSocket::connected, this, &Connection::onConnected);
    connect(m_socket, &QWebSocket::disconnected, this, &Connection::onDisconnected);
    connect(m_socket, &QWebSocket::bytesWritten, this, &Connection::updateSendBacklog);
    connect(
        m_socket, QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error), this, &Connection::onSocketError);
    // Messages, pings, pongs and closes are logged from the wire; Qt's pong signal adds the RTT.
    connect(m_socket, &QWebSocket::pong, this, [this](quint64 elapsedMs, const QByteArray&) {
        m_lastRttMs = int(elapsedMs);
        releaseHeld(); // what the wire carried before comes first, with the old values
        publishValues(SessionEvents::Marker::Type::Values); // before the entry: its listeners read the RTT
        post(LogEntry::note(LogEntry::Kind::Info, tr("Ping round trip: %1 ms").arg(elapsedMs)));
    });

    QNetworkRequest request(clientUrl);
    for (const auto& [name, value] : plan.headers)
        request.setRawHeader(name, value);
    QWebSocketHandshakeOptions options;
    options.setSubprotocols(plan.subprotocols);

    setState(State::Connecting, tr("Connecting to %1").arg(url.toDisplayString()));
    m_handshakeTimer.start(m_profile.handshakeTimeoutMs);
    m_socket->open(request, options);
}

void Connection::stopSocket()
{
    if (!m_socket)
        return;
    m_socket->disconnect(this); // its late signals are of no interest
    m_socket->abort();
    m_socket->deleteLater();
    m_socket = nullptr;
    updateSendBacklog(); // what it held is gone: a waiting sender hears it may go on (and fail)
}

void Connection::dropRelay()
{
    if (!m_relay)
        return;
    m_relay->disconnect(this);
    m_relay->shutdown();
    m_relay->deleteLater();
    m_relay = nullptr;
}

void Connection::onConnected()
{
    m_handshakeTimer.stop();
    m_reconnectAttempt = 0;
    // The time the 101 arrived (the relay's read), not now: messages that came in the same read
    // carry that time, and Open comes before them.
    const qint64 now = LogEntry::nowUs();
    m_connectedAtUs = m_responseAtUs >= 0 && m_responseAtUs <= now ? m_responseAtUs : now;
    m_subprotocol = m_socket ? m_socket->subprotocol() : QString();
    QString reason = tr("Open: %1").arg(m_url.toDisplayString());
    if (!m_subprotocol.isEmpty())
        reason += tr(" (subprotocol %1)").arg(m_subprotocol);
    setState(State::Open, reason, m_connectedAtUs);
    if (m_profile.keepAlivePingMs > 0)
        m_keepAliveTimer.start(m_profile.keepAlivePingMs);
}

void Connection::onDisconnected()
{
    if (m_socket) {
        m_qtCloseCode = quint16(m_socket->closeCode());
        m_qtCloseReason = m_socket->closeReason();
        m_qtError = m_socket->error();
        m_qtErrorText = m_socket->errorString();
    }
    m_handshakeTimer.stop();
    m_keepAliveTimer.stop();
    if (isTerminal(m_state))
        return;
    if (m_relay && !m_relay->isFinished()) {
        // The server's close frame may still be on its way through the relay.
        m_disconnectPending = true;
        m_relayWaitTimer.start(kRelayWaitMs);
        return;
    }
    finishDisconnect();
}

void Connection::finishDisconnect()
{
    if (m_finishing)
        return;
    m_finishing = true;
    const auto done = qScopeGuard([this] { m_finishing = false; });
    m_disconnectPending = false;
    m_relayWaitTimer.stop();
    if (isTerminal(m_state))
        return;
    const bool wasOpen = m_state == State::Open || m_state == State::Closing;
    if (m_relay && !m_relay->isFinished()) {
        // The relay did not finish in time: nothing it still holds may appear after the end.
        const qint64 unread = m_relay->unreadUpstreamBytes();
        dropRelay();
        if (unread > 0)
            post(LogEntry::note(LogEntry::Kind::Info,
                tr("Discarded %n unread byte(s) from the server after the connection ended.", nullptr, int(unread))));
    }
    if (!m_closeFrameReceived) {
        // No close frame from the server on the wire: the code the inspector
        // failed the connection with; Qt reads 1000 even then. RFC 6455 §7.1.5: 1006.
        m_closeCode = m_relayFailCode != 0 ? m_relayFailCode : quint16(1006);
        m_closeReason.clear();
    }
    State state = State::Closed;
    QString reason;
    if (!m_pendingFailure.isEmpty()) {
        state = State::Failed;
        reason = m_pendingFailure;
    } else if (const quint16 own = protocolCloseCode(); own != 0 && wasOpen) {
        state = State::Failed;
        reason = describeProtocolClose(own);
        post(LogEntry::note(LogEntry::Kind::Error, reason));
    } else if (!wasOpen) {
        // Qt may report disconnected() before error(): explain with the socket's last error.
        state = State::Failed;
        reason = m_qtError == QAbstractSocket::UnknownSocketError
            ? tr("The connection closed before the handshake finished.")
            : describeSocketError(m_qtError, m_qtErrorText);
        post(LogEntry::note(LogEntry::Kind::Error, reason));
    } else if (m_userClosed && !m_closeFrameReceived) {
        reason = tr("You closed with code %1, but the server never answered with its close frame (RFC 6455 "
                    "§5.5.1); the connection ended without one (1006).")
                     .arg(m_userCloseCode);
    } else if (m_userClosed) {
        reason = tr("Closed by you with code %1%2")
                     .arg(m_closeCode)
                     .arg(m_closeReason.isEmpty() ? QString() : tr(" (%1)").arg(m_closeReason));
    } else if (!m_closeFrameReceived) {
        reason = tr("The server dropped the connection without a close frame (1006).");
    } else if (m_closeCode == 1005) {
        reason = tr("Closed by the server without a status code (1005).");
    } else {
        reason = tr("Closed by the server with code %1%2")
                     .arg(m_closeCode)
                     .arg(m_closeReason.isEmpty() ? QString() : tr(" (%1)").arg(m_closeReason));
    }
    const bool reconnect = armReconnect();
    setState(state, reason);
    if (reconnect)
        post(LogEntry::note(LogEntry::Kind::Info,
            tr("Reconnecting in %1 ms (attempt %2).").arg(m_reconnectTimer.interval()).arg(m_reconnectAttempt)));
}

quint16 Connection::protocolCloseCode() const
{
    if (m_userClosed)
        return 0;
    if (m_clientProtocolClose != 0)
        return m_clientProtocolClose; // seen on the wire
    // The wire parser may have stopped (a frame over the limit) before the close frames: Qt's own
    // code then tells that it closed, as it only uses these for its own protocol closes.
    if (!m_closeFrameReceived && (m_qtCloseCode == 1002 || m_qtCloseCode == 1007 || m_qtCloseCode == 1009))
        return m_qtCloseCode;
    return 0;
}

QString Connection::describeProtocolClose(quint16 code) const
{
    switch (code) {
    case 1009:
        return tr("The inspector closed the connection (code 1009, message too big): the server sent a message "
                  "larger than this profile's limit of %1 bytes.")
            .arg(m_profile.maxIncomingMessageSize);
    case 1002:
        // Qt only gets the server's ping, pong and close frames (QtFrameShield).
        return tr("The inspector closed the connection (code 1002, protocol error): the server sent a ping, pong or "
                  "close frame that breaks RFC 6455.");
    case 1007:
        return tr("The inspector closed the connection (code 1007): the server sent a close frame whose reason is not "
                  "valid UTF-8.");
    default:
        return tr("The inspector closed the connection with code %1.").arg(code);
    }
}

QString Connection::describeSocketError(QAbstractSocket::SocketError error, const QString& qtText) const
{
    // Plain words (ConnectErrors); Qt's own text is never the whole message.
    ConnectErrors::Target to;
    to.host = m_url.host();
    to.secure = m_url.scheme() == u"wss";
    to.port = quint16(m_url.port(to.secure ? 443 : 80));
    return ConnectErrors::describeSocketError(error, qtText, to).message;
}

void Connection::onSocketError(QAbstractSocket::SocketError error)
{
    const QString errorText = m_socket ? m_socket->errorString() : QString();
    const QString message = m_pendingFailure.isEmpty() ? describeSocketError(error, errorText) : m_pendingFailure;
    if (m_state == State::Connecting) {
        // Qt 6.4.2 stays in ConnectingState after a failed handshake and never emits
        // disconnected(): end the connection here. The relay stays a moment to collect a non-101 body.
        m_handshakeTimer.stop();
        post(LogEntry::note(LogEntry::Kind::Error, message));
        stopSocket();
        const bool reconnect = armReconnect();
        setState(State::Failed, message);
        if (reconnect)
            post(LogEntry::note(LogEntry::Kind::Info,
                tr("Reconnecting in %1 ms (attempt %2).").arg(m_reconnectTimer.interval()).arg(m_reconnectAttempt)));
    } else if (m_state == State::Open || m_state == State::Closing) {
        if (error == QAbstractSocket::RemoteHostClosedError && (m_state == State::Closing || m_closeFrameReceived))
            return; // the normal end of a close handshake, whoever started it
        if (error == QAbstractSocket::RemoteHostClosedError && m_pendingFailure.isEmpty())
            return; // dropped without a close frame: finishDisconnect names it (1006)
        post(LogEntry::note(LogEntry::Kind::Error, message));
        m_pendingFailure = message;
    }
}

void Connection::onHandshakeTimeout()
{
    if (m_state != State::Connecting)
        return;
    // Named by the step that never finished: the connection (ConnectErrors) or the response head.
    QString message = m_relay ? ConnectErrors::describeConnectTimeout(m_relay->handshake().timings,
                          m_profile.proxy.type != ProxySettings::Type::None, ConnectErrors::targetOf(m_url),
                          m_profile.handshakeTimeoutMs)
                              : QString();
    if (message.isEmpty())
        message = HandshakeCheck::timeoutMessage(
            m_relay ? m_relay->partialResponseHead() : QByteArray(), m_profile.handshakeTimeoutMs);
    post(LogEntry::note(LogEntry::Kind::Error, message));
    stopSocket();
    if (m_relay)
        m_relay->shutdown();
    const bool reconnect = armReconnect();
    setState(State::Failed, message);
    if (reconnect)
        post(LogEntry::note(LogEntry::Kind::Info,
            tr("Reconnecting in %1 ms (attempt %2).").arg(m_reconnectTimer.interval()).arg(m_reconnectAttempt)));
}

bool Connection::armReconnect()
{
    if (!m_profile.autoReconnect || m_userClosed)
        return false;
    const int delay = std::min(kReconnectCapMs, kReconnectBaseMs << std::min(m_reconnectAttempt, 10));
    ++m_reconnectAttempt;
    // Armed before the state is published, so the state change already says a reconnect is pending.
    m_reconnectTimer.start(delay);
    return true;
}

void Connection::sendText(const QString& text, std::optional<bool> compress, qint64 queued)
{
    m_sendCommandBytes -= queued;
    if (m_state != State::Open || !m_socket) {
        post(LogEntry::note(LogEntry::Kind::Error, tr("Not connected: the message was not sent.")));
        return updateSendBacklog();
    }
    // One choice per message, in the order QWebSocket writes them (same thread, so the relay reads
    // them in this order).
    if (m_relay)
        m_relay->queueOutgoingCompression(compress.value_or(m_profile.deflateOutgoing));
    m_socket->sendTextMessage(text); // logged from the wire
    updateSendBacklog();
}

void Connection::sendBinary(const QByteArray& data, std::optional<bool> compress, qint64 queued)
{
    m_sendCommandBytes -= queued;
    if (m_state != State::Open || !m_socket) {
        post(LogEntry::note(LogEntry::Kind::Error, tr("Not connected: the message was not sent.")));
        return updateSendBacklog();
    }
    if (m_relay)
        m_relay->queueOutgoingCompression(compress.value_or(m_profile.deflateOutgoing));
    m_socket->sendBinaryMessage(data); // logged from the wire
    updateSendBacklog();
}

void Connection::notifyWhenSendDrained()
{
    m_sendDrainWanted = true;
    updateSendBacklog();
}

void Connection::updateSendBacklog()
{
    m_socketBacklog = m_socket ? m_socket->bytesToWrite() : 0;
    if (!m_sendDrainWanted || queuedSendBytes() > SendQueueLimits::kLowWaterBytes)
        return;
    m_sendDrainWanted = false;
    SessionEvents::Marker m;
    m.type = SessionEvents::Marker::Type::SendDrained;
    m_batcher.addMarker(std::move(m));
}

void Connection::ping(const QByteArray& payload)
{
    if (m_state != State::Open || !m_socket)
        return post(LogEntry::note(LogEntry::Kind::Error, tr("Not connected: the ping was not sent.")));
    m_socket->ping(payload); // logged from the wire
}

void Connection::close(int code, const QString& reason)
{
    m_userClosed = true;
    if (m_reconnectTimer.isActive()) {
        m_reconnectTimer.stop();
        publishValues(SessionEvents::Marker::Type::State); // no longer pending
    }
    if (m_state == State::Connecting) {
        abort(tr("Cancelled by you."));
        return;
    }
    if (m_state != State::Open || !m_socket)
        return;
    m_userCloseCode = quint16(code);
    setState(State::Closing, tr("Closing with code %1").arg(code));
    m_socket->close(QWebSocketProtocol::CloseCode(code), reason);
}

void Connection::abort(const QString& reason)
{
    m_userClosed = true;
    const bool cancelled = m_reconnectTimer.isActive();
    if (cancelled) {
        m_reconnectTimer.stop();
        post(LogEntry::note(LogEntry::Kind::Info, tr("Reconnecting cancelled.")));
    }
    m_handshakeTimer.stop();
    m_keepAliveTimer.stop();
    m_relayWaitTimer.stop();
    m_disconnectPending = false;
    stopSocket();
    if (m_relay)
        m_relay->shutdown();
    if (m_state == State::Connecting || m_state == State::Open || m_state == State::Closing)
        setState(State::Failed, reason);
    else if (cancelled)
        publishValues(SessionEvents::Marker::Type::State); // views stop offering to cancel
}

void Connection::setOutgoingFrameSize(quint64 size)
{
    m_outgoingFrameSize = size;
    if (m_socket)
        m_socket->setOutgoingFrameSize(size == 0 ? 512 * 1024 : size);
    if (m_relay)
        m_relay->setOutgoingFrameSize(size);
}

void Connection::setCapture(std::shared_ptr<CaptureWriter> writer)
{
    m_captureTimer.stop();
    if (m_capture) {
        m_capture->flush();
        onCaptureUsed(); // a failed last write is said (Error entry, CaptureStopped), not lost
    }
    m_capture = std::move(writer);
}

SessionSnapshot Connection::snapshot() const
{
    SessionSnapshot s;
    s.state = m_state;
    s.reason = m_stateReason;
    s.url = m_url;
    s.connectedAtUs = m_connectedAtUs;
    s.closeCode = m_closeCode;
    s.closeReason = m_closeReason;
    s.closeFrameReceived = m_closeFrameReceived;
    s.subprotocol = m_subprotocol;
    s.rttMs = m_lastRttMs;
    s.reconnectPending = m_reconnectTimer.isActive();
    return s;
}

void Connection::publishValues(SessionEvents::Marker::Type type)
{
    SessionEvents::Marker m;
    m.type = type;
    m.values = snapshot();
    m_batcher.addMarker(std::move(m));
}

void Connection::setState(State state, const QString& reason, qint64 timeUs)
{
    if (state != State::Open)
        releaseHeld(); // what the wire carried came first
    m_state = state;
    m_stateReason = reason;
    LogEntry e = LogEntry::note(state == State::Failed ? LogEntry::Kind::Error : LogEntry::Kind::State,
        reason.isEmpty() ? Session::stateName(state) : reason);
    if (timeUs >= 0)
        e.timeUs = timeUs;
    // A failure whose error entry was just posted is not a second message.
    if (state != State::Failed || e.payload != m_lastErrorPosted)
        post(std::move(e), state == State::Open);
    if (m_capture && state == State::Closed)
        m_capture->closed(m_connectionId, m_closeCode, m_closeReason, reason);
    // Whoever sees the new state finds every event before it in the capture file.
    flushCapture();
    publishValues(SessionEvents::Marker::Type::State);
    if (state == State::Open)
        releaseHeld();
    if (m_quitWhenSettled && isTerminal(state))
        thread()->quit();
}

void Connection::releaseHeld()
{
    m_holdWire = false;
    if (m_held.isEmpty())
        return;
    m_batcher.add(std::exchange(m_held, {}));
}

void Connection::post(LogEntry entry, bool keepHeld)
{
    if (!keepHeld)
        releaseHeld(); // a note about what happened comes after what the wire carried before it
    if (entry.kind == LogEntry::Kind::Error) {
        m_lastErrorPosted = entry.payload;
        if (m_capture) {
            m_capture->error(m_connectionId, QString::fromUtf8(entry.payload));
            onCaptureUsed();
        }
    }
    const qint64 bytes = EventBatcher::bytesOf(entry);
    m_unackedBytes += bytes;
    m_unackedEntries += 1;
    m_batcher.add(std::move(entry));
    updatePause();
}

void Connection::onWireEntries(const LogBatch& batch)
{
    qsizetype closeIndex = -1; // the server's close frame, first seen in this batch
    qint64 bytes = 0;
    for (qsizetype i = 0; i < batch.size(); ++i) {
        const LogEntry& e = batch.at(i);
        bytes += EventBatcher::bytesOf(e);
        // Qt closes by itself (1002, 1007, 1009) when the server breaks a rule or a limit: a close
        // frame from our side that the user did not ask for.
        if (e.kind == LogEntry::Kind::Close && e.dir == Direction::Send && !m_userClosed && !m_closeFrameReceived)
            m_clientProtocolClose = e.closeCode ? e.closeCode : 1000;
        if (e.kind == LogEntry::Kind::Close && e.dir == Direction::Receive && !m_closeFrameReceived) {
            m_closeFrameReceived = true;
            m_closeCode = e.closeCode;
            m_closeReason = QString::fromUtf8(e.closeReason());
            closeIndex = i;
        }
    }
    if (m_capture) {
        m_capture->entries(m_connectionId, batch);
        onCaptureUsed();
    }
    m_unackedBytes += bytes;
    m_unackedEntries += batch.size();
    if (closeIndex < 0) {
        addWireEntries(batch);
    } else {
        // The new values go before the close frame's entry, so that whoever handles it reads them.
        addWireEntries(batch.mid(0, closeIndex));
        publishValues(SessionEvents::Marker::Type::Values);
        addWireEntries(batch.mid(closeIndex));
    }
    updatePause();
}

void Connection::addWireEntries(const LogBatch& batch)
{
    if (batch.isEmpty())
        return;
    if (m_holdWire) {
        m_held.append(batch);
    } else if (m_state == State::Connecting) {
        // Whatever follows the server's response head waits for QWebSocket's verdict on it.
        qsizetype afterHead = -1;
        for (qsizetype i = 0; i < batch.size() && afterHead < 0; ++i) {
            if (batch.at(i).kind == LogEntry::Kind::Handshake && batch.at(i).dir == Direction::Receive)
                afterHead = i + 1;
        }
        if (afterHead < 0) {
            m_batcher.add(batch);
        } else {
            m_batcher.add(batch.mid(0, afterHead));
            m_held = batch.mid(afterHead);
            m_holdWire = true;
        }
    } else {
        m_batcher.add(batch);
    }
}

void Connection::onWireProgress(int stage, const HandshakeInfo& info)
{
    const auto s = WireRelay::Stage(stage);
    if (s == WireRelay::Stage::Response && !m_relayHeadSeen) {
        m_relayHeadSeen = true;
        m_responseAtUs = info.responseAtUs;
        if (m_relay && m_paused.load())
            m_relay->setUpstreamPaused(true); // what follows the head waits for the consumer again
    }
    if (s == WireRelay::Stage::Response && !info.failure.isEmpty() && m_pendingFailure.isEmpty())
        m_pendingFailure = info.failure; // the inspector's own words on the response, never Qt's
    if (m_capture) {
        m_capture->stage(m_connectionId, stage, info);
        onCaptureUsed();
    }
    SessionEvents::Marker m;
    m.type = SessionEvents::Marker::Type::Handshake;
    m.handshake = info;
    m_batcher.addMarker(std::move(m));
}

void Connection::onCaptureUsed()
{
    if (!m_capture)
        return;
    if (m_capture->failed()) {
        // A full disk stops recording, not the session.
        const QString message = m_capture->errorString();
        m_capture.reset();
        m_captureTimer.stop();
        post(LogEntry::note(LogEntry::Kind::Error, message));
        SessionEvents::Marker m;
        m.type = SessionEvents::Marker::Type::CaptureStopped;
        m.message = message;
        m_batcher.addMarker(std::move(m));
        return;
    }
    if (m_capture->hasPending() && !m_captureTimer.isActive())
        m_captureTimer.start(CaptureWriter::kFlushIntervalMs);
}

void Connection::flushCapture()
{
    m_captureTimer.stop();
    if (!m_capture)
        return;
    m_capture->flush();
    onCaptureUsed();
}

void Connection::onBatchReady(const SessionEvents& batch)
{
    bool wasEmpty = false;
    {
        const std::lock_guard lock(m_mailboxMutex);
        wasEmpty = m_outbox.isEmpty();
        m_outbox.append(batch);
    }
    if (wasEmpty) // otherwise the proxy has not taken the earlier ones yet and will take this too
        Q_EMIT eventsPosted();
}

void Connection::acknowledge(qint64 bytes, qint64 entries)
{
    m_unackedBytes -= bytes;
    m_unackedEntries -= entries;
    updatePause();
}

void Connection::updatePause()
{
    const qint64 bytes = m_unackedBytes.load();
    if (bytes > m_peakUnackedBytes.load())
        m_peakUnackedBytes = bytes;
    if (m_unackedEntries > m_peakUnackedEntries.load())
        m_peakUnackedEntries = m_unackedEntries;
    if (!m_paused.load() && (bytes > kHighWaterBytes || m_unackedEntries > kHighWaterEntries)) {
        m_paused = true;
        ++m_pauses;
        if (m_relay && m_relayHeadSeen)
            m_relay->setUpstreamPaused(true);
    } else if (m_paused.load() && bytes <= kLowWaterBytes && m_unackedEntries <= kLowWaterEntries) {
        m_paused = false;
        if (m_disconnectPending)
            m_relayWaitTimer.start(kRelayWaitMs); // the relay may go on now; it gets its full wait
        if (m_relay)
            m_relay->setUpstreamPaused(false);
    }
}

} // namespace wsi
