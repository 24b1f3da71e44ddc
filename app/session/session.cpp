#include "session.h"

#include "capture/capturewriter.h"
#include "profiles/profilevalidator.h"
#include "server/builtinserver.h"
#include "wire/wirerelay.h"

#include <QCoreApplication>
#include <QNetworkProxy>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QThread>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {
constexpr int kFlushIntervalMs = 30;
constexpr int kMaxBatch = 4096;
constexpr int kReconnectBaseMs = 500;
constexpr int kReconnectCapMs = 30000;
constexpr int kRelayWaitMs = 1500;
} // namespace

Session::Session(const Profile& profile, QObject* parent)
    : QObject(parent)
    , m_profile(profile)
    , m_socketEvents(new QObject(this))
{
    m_handshakeTimer.setSingleShot(true);
    m_handshakeTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_handshakeTimer, &QTimer::timeout, this, &Session::onHandshakeTimeout);
    m_flushTimer.setSingleShot(true);
    connect(&m_flushTimer, &QTimer::timeout, this, &Session::flush);
    connect(&m_keepAliveTimer, &QTimer::timeout, this, [this] { ping(); });
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &Session::open);
    m_relayWaitTimer.setSingleShot(true);
    connect(&m_relayWaitTimer, &QTimer::timeout, this, &Session::finishDisconnect);
}

Session::~Session()
{
    dropSocket();
    dropRelay();
    if (m_wireThread) {
        m_wireThread->quit();
        m_wireThread->wait();
        delete m_wireContext;
    }
}

QString Session::stateName(State state)
{
    switch (state) {
    case State::Idle:
        return tr("Idle");
    case State::Connecting:
        return tr("Connecting");
    case State::Open:
        return tr("Open");
    case State::Closing:
        return tr("Closing");
    case State::Closed:
        return tr("Closed");
    case State::Failed:
        return tr("Failed");
    }
    return {};
}

void Session::open()
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
    m_lastErrorPosted.clear();
    m_clientProtocolClose = 0;
    m_subprotocol.clear();

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

    dropSocket();

    // Every connection goes through the wire relay so the inspector sees the real bytes. QWebSocket
    // speaks plain ws to it with the same host and explicit port, so the Host header is the one a
    // direct connection would send; the relay owns TLS, TCP options and the user's proxy upstream.
    dropRelay();
    m_handshake = HandshakeInfo();
    ++m_connectionId;
    if (m_capture)
        m_capture->connecting(m_connectionId, url);
    QUrl clientUrl = url;
    clientUrl.setScheme(u"ws"_s);
    if (!m_wireThread) {
        m_wireThread = new QThread(this);
        m_wireThread->setObjectName(u"wsi-wire"_s);
        m_wireContext = new QObject;
        m_wireContext->moveToThread(m_wireThread);
        m_wireThread->start();
    }
    bool started = false;
    QString relayError;
    QNetworkProxy relayProxy;
    onWireThread([&] {
        m_relay = new WireRelay(m_profile);
        started = m_relay->start(clientUrl, url, &relayError);
        relayProxy = m_relay->clientProxy();
        if (started) {
            m_socket = new QWebSocket(m_profile.origin, QWebSocketProtocol::VersionLatest);
            m_socket->setMaxAllowedIncomingMessageSize(quint64(m_profile.maxIncomingMessageSize));
            m_socket->setMaxAllowedIncomingFrameSize(quint64(m_profile.maxIncomingMessageSize));
            m_socket->setProxy(relayProxy);
            if (m_outgoingFrameSize > 0)
                m_socket->setOutgoingFrameSize(m_outgoingFrameSize);
        }
    });
    // Signals arrive queued; the connection id keeps a dropped relay's late signals out.
    const int conn = m_connectionId;
    connect(m_relay, &WireRelay::entriesReady, this, [this, conn](const LogBatch& batch) {
        if (conn == m_connectionId)
            onWireEntries(batch);
    });
    connect(m_relay, &WireRelay::finished, m_socketEvents, [this, conn] {
        if (conn == m_connectionId && m_disconnectPending)
            finishDisconnect();
    });
    connect(m_relay, &WireRelay::progress, this, [this, conn](WireRelay::Stage stage, const HandshakeInfo& info) {
        if (conn == m_connectionId)
            onWireProgress(int(stage), info);
    });
    connect(m_relay, &WireRelay::upstreamFailed, this,
        [this, conn](QAbstractSocket::SocketError error, const QString& message, const QString& qtText) {
            if (conn == m_connectionId)
                m_pendingFailure = message.isEmpty() ? describeSocketError(error, qtText) : message;
        });
    if (!started) {
        post(LogEntry::note(LogEntry::Kind::Error, relayError));
        setState(State::Failed, relayError);
        return;
    }

    // These lambdas run in the wire thread. Each first flushes the relay, so what the wire saw
    // before the event is queued to us before the event itself; then it hands over plain values.
    const int gen = ++m_socketGen;
    QWebSocket* socket = m_socket;
    WireRelay* relay = m_relay;
    connect(socket, &QWebSocket::connected, socket, [this, gen, socket, relay] {
        relay->flush();
        QMetaObject::invokeMethod(m_socketEvents, [this, gen, sub = socket->subprotocol()] {
            if (gen == m_socketGen)
                onConnected(sub);
        });
    });
    connect(socket, &QWebSocket::disconnected, socket, [this, gen, socket, relay] {
        relay->flush();
        QMetaObject::invokeMethod(m_socketEvents,
            [this, gen, code = quint16(socket->closeCode()), reason = socket->closeReason(), error = socket->error(),
                text = socket->errorString()] {
                if (gen == m_socketGen)
                    onDisconnected(code, reason, error, text);
            });
    });
    connect(socket, QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error), socket,
        [this, gen, socket, relay](QAbstractSocket::SocketError error) {
            relay->flush();
            QMetaObject::invokeMethod(m_socketEvents, [this, gen, error, text = socket->errorString()] {
                if (gen == m_socketGen)
                    onSocketError(error, text);
            });
        });
    // Messages, pings, pongs and closes are logged from the wire; Qt's pong signal adds the RTT.
    connect(socket, &QWebSocket::pong, socket, [this, gen, relay](quint64 elapsedMs, const QByteArray&) {
        relay->flush(); // the pong itself first
        QMetaObject::invokeMethod(m_socketEvents, [this, gen, elapsedMs] {
            if (gen != m_socketGen)
                return;
            m_lastRttMs = int(elapsedMs);
            post(LogEntry::note(LogEntry::Kind::Info, tr("Ping round trip: %1 ms").arg(elapsedMs)));
        });
    });

    QNetworkRequest request(clientUrl);
    for (const auto& [name, value] : plan.headers)
        request.setRawHeader(name, value);
    QWebSocketHandshakeOptions options;
    options.setSubprotocols(plan.subprotocols);

    setState(State::Connecting, tr("Connecting to %1").arg(url.toDisplayString()));
    m_handshakeTimer.start(m_profile.handshakeTimeoutMs);
    onSocket([request, options](QWebSocket* s) { s->open(request, options); });
}

void Session::onSocket(std::function<void(QWebSocket*)> f)
{
    if (!m_socket)
        return;
    QMetaObject::invokeMethod(m_socket, [socket = m_socket, f = std::move(f)] { f(socket); });
}

void Session::stopSocket()
{
    if (!m_socket)
        return;
    ++m_socketGen; // queued signals of this socket are stale from now on
    onWireThread([socket = m_socket] {
        QObject::disconnect(socket, nullptr, nullptr, nullptr);
        socket->abort();
    });
}

void Session::dropSocket()
{
    if (!m_socket)
        return;
    stopSocket();
    onWireThread([socket = m_socket] { delete socket; });
    m_socket = nullptr;
}

void Session::onConnected(const QString& subprotocol)
{
    m_handshakeTimer.stop();
    m_reconnectAttempt = 0;
    m_connectedAtUs = LogEntry::nowUs();
    m_subprotocol = subprotocol;
    QString reason = tr("Open: %1").arg(m_url.toDisplayString());
    if (!m_subprotocol.isEmpty())
        reason += tr(" (subprotocol %1)").arg(m_subprotocol);
    setState(State::Open, reason);
    if (m_profile.keepAlivePingMs > 0)
        m_keepAliveTimer.start(m_profile.keepAlivePingMs);
}

void Session::onDisconnected(
    quint16 qtCloseCode, const QString& qtCloseReason, QAbstractSocket::SocketError error, const QString& errorText)
{
    m_qtCloseCode = qtCloseCode;
    m_qtCloseReason = qtCloseReason;
    m_qtError = error;
    m_qtErrorText = errorText;
    m_handshakeTimer.stop();
    m_keepAliveTimer.stop();
    if (m_state == State::Closed || m_state == State::Failed || m_state == State::Idle)
        return;
    if (m_relay && !m_relay->isFinished()) {
        // The server's close frame may still be on its way through the relay.
        m_disconnectPending = true;
        m_relayWaitTimer.start(kRelayWaitMs);
        return;
    }
    finishDisconnect();
}

void Session::finishDisconnect()
{
    if (m_finishing)
        return;
    m_finishing = true;
    const auto done = qScopeGuard([this] { m_finishing = false; });
    m_disconnectPending = false;
    m_relayWaitTimer.stop();
    if (m_state == State::Closed || m_state == State::Failed || m_state == State::Idle)
        return;
    const bool wasOpen = m_state == State::Open || m_state == State::Closing;
    pullWire();
    if (!m_closeFrameReceived) {
        // No close frame on the wire: Qt's view (1006 and friends).
        m_closeCode = m_qtCloseCode;
        m_closeReason = m_qtCloseReason;
    }
    if (!m_pendingFailure.isEmpty()) {
        setState(State::Failed, m_pendingFailure);
    } else if (const quint16 own = protocolCloseCode(); own != 0 && wasOpen) {
        const QString message = describeProtocolClose(own);
        post(LogEntry::note(LogEntry::Kind::Error, message));
        setState(State::Failed, message);
    } else if (!wasOpen) {
        // Qt may report disconnected() before error(): explain with the socket's last error.
        const QString message = m_qtError == QAbstractSocket::UnknownSocketError
            ? tr("The connection closed before the handshake finished.")
            : describeSocketError(m_qtError, m_qtErrorText);
        post(LogEntry::note(LogEntry::Kind::Error, message));
        setState(State::Failed, message);
    } else if (m_userClosed) {
        setState(State::Closed,
            tr("Closed by you with code %1%2")
                .arg(m_closeCode)
                .arg(m_closeReason.isEmpty() ? QString() : u" ("_s + m_closeReason + u')'));
    } else if (!m_closeFrameReceived) {
        setState(State::Closed, tr("The server dropped the connection without a close frame."));
    } else {
        setState(State::Closed,
            tr("Closed by the server with code %1%2")
                .arg(m_closeCode)
                .arg(m_closeReason.isEmpty() ? QString() : u" ("_s + m_closeReason + u')'));
    }
    scheduleReconnect();
}

quint16 Session::protocolCloseCode() const
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

QString Session::describeProtocolClose(quint16 code) const
{
    switch (code) {
    case 1009:
        return tr("The inspector closed the connection (code 1009, message too big): the server sent a message "
                  "larger than this profile's limit of %1 bytes.")
            .arg(m_profile.maxIncomingMessageSize);
    case 1002:
        return tr("The inspector closed the connection (code 1002, protocol error): the server sent a frame that "
                  "breaks RFC 6455 or needs an extension Qt does not have (for example a compressed frame).");
    case 1007:
        return tr("The inspector closed the connection (code 1007): the server sent a text message that is not valid "
                  "UTF-8.");
    default:
        return tr("The inspector closed the connection with code %1.").arg(code);
    }
}

QString Session::describeSocketError(QAbstractSocket::SocketError error, const QString& qtText) const
{
    const QString where = m_url.host() + u':' + QString::number(m_url.port(m_url.scheme() == u"wss" ? 443 : 80));
    static const QRegularExpression httpStatus(
        u"http status code: (\\d+)(.*)"_s, QRegularExpression::CaseInsensitiveOption);
    if (const auto m = httpStatus.match(qtText); m.hasMatch())
        return tr("The server answered HTTP %1%2 instead of switching to WebSocket.")
            .arg(m.captured(1), m.captured(2).trimmed().isEmpty() ? QString() : u' ' + m.captured(2).trimmed());
    switch (error) {
    case QAbstractSocket::HostNotFoundError:
        return tr("Host not found: %1").arg(m_url.host());
    case QAbstractSocket::ConnectionRefusedError:
        return tr("Connection refused by %1 (nothing accepts connections on that port).").arg(where);
    case QAbstractSocket::RemoteHostClosedError:
        return tr("Connection reset: %1 closed the connection.").arg(where);
    case QAbstractSocket::SocketTimeoutError:
        return tr("Timed out talking to %1.").arg(where);
    case QAbstractSocket::NetworkError:
        return tr("Network error reaching %1: %2").arg(where, qtText);
    case QAbstractSocket::SslHandshakeFailedError:
        return tr("TLS failure with %1: %2").arg(where, qtText);
    case QAbstractSocket::ProxyConnectionRefusedError:
    case QAbstractSocket::ProxyConnectionClosedError:
    case QAbstractSocket::ProxyConnectionTimeoutError:
    case QAbstractSocket::ProxyNotFoundError:
    case QAbstractSocket::ProxyProtocolError:
    case QAbstractSocket::ProxyAuthenticationRequiredError:
        return tr("Proxy error: %1").arg(qtText);
    default:
        return qtText.isEmpty() ? tr("Connection error %1").arg(int(error)) : qtText;
    }
}

void Session::onSocketError(QAbstractSocket::SocketError error, const QString& errorText)
{
    pullWire();
    QString message = m_pendingFailure.isEmpty() ? describeSocketError(error, errorText) : m_pendingFailure;
    if (m_state == State::Connecting) {
        // Qt 6.4.2 stays in ConnectingState after a failed handshake and never emits
        // disconnected(): end the session here. The relay stays a moment to collect a non-101 body.
        m_handshakeTimer.stop();
        post(LogEntry::note(LogEntry::Kind::Error, message));
        stopSocket();
        setState(State::Failed, message);
        scheduleReconnect();
    } else if (m_state == State::Open || m_state == State::Closing) {
        if (error == QAbstractSocket::RemoteHostClosedError && (m_state == State::Closing || m_closeFrameReceived))
            return; // the normal end of a close handshake, whoever started it
        post(LogEntry::note(LogEntry::Kind::Error, message));
        m_pendingFailure = message;
    }
}

void Session::onHandshakeTimeout()
{
    if (m_state != State::Connecting)
        return;
    const QString message = tr("No handshake response within %1 ms.").arg(m_profile.handshakeTimeoutMs);
    post(LogEntry::note(LogEntry::Kind::Error, message));
    stopSocket();
    if (m_relay)
        onWireThread([relay = m_relay] { relay->shutdown(); });
    setState(State::Failed, message);
    scheduleReconnect();
}

void Session::scheduleReconnect()
{
    if (!m_profile.autoReconnect || m_userClosed)
        return;
    const int delay = std::min(kReconnectCapMs, kReconnectBaseMs << std::min(m_reconnectAttempt, 10));
    ++m_reconnectAttempt;
    post(LogEntry::note(
        LogEntry::Kind::Info, tr("Reconnecting in %1 ms (attempt %2).").arg(delay).arg(m_reconnectAttempt)));
    flush();
    m_reconnectTimer.start(delay);
    Q_EMIT stateChanged(m_state, m_stateReason); // now isReconnectPending(): views offer to cancel
}

QString Session::sendText(const QString& text)
{
    if (m_state != State::Open)
        return tr("Not connected: the message was not sent.");
    onSocket([text](QWebSocket* s) { s->sendTextMessage(text); }); // logged from the wire
    return {};
}

QString Session::sendBinary(const QByteArray& data)
{
    if (m_state != State::Open)
        return tr("Not connected: the message was not sent.");
    onSocket([data](QWebSocket* s) { s->sendBinaryMessage(data); }); // logged from the wire
    return {};
}

QString Session::ping(const QByteArray& payload)
{
    if (m_state != State::Open)
        return tr("Not connected: the ping was not sent.");
    if (QString error = ProfileValidator::checkPingPayload(payload); !error.isEmpty())
        return error;
    onSocket([payload](QWebSocket* s) { s->ping(payload); }); // logged from the wire
    return {};
}

QString Session::close(int code, const QString& reason)
{
    if (QString error = ProfileValidator::checkCloseCode(code); !error.isEmpty())
        return error;
    if (QString error = ProfileValidator::checkCloseReason(reason); !error.isEmpty())
        return error;
    m_userClosed = true;
    m_reconnectTimer.stop();
    if (m_state == State::Connecting) {
        abort(tr("Cancelled by you."));
        return {};
    }
    if (m_state != State::Open)
        return {};
    setState(State::Closing, tr("Closing with code %1").arg(code));
    onSocket([code, reason](QWebSocket* s) { s->close(QWebSocketProtocol::CloseCode(code), reason); });
    return {};
}

void Session::abort(const QString& reason)
{
    m_userClosed = true;
    if (m_reconnectTimer.isActive()) {
        m_reconnectTimer.stop();
        post(LogEntry::note(LogEntry::Kind::Info, tr("Reconnecting cancelled.")));
        flush();
        Q_EMIT stateChanged(m_state, m_stateReason);
    }
    m_handshakeTimer.stop();
    m_keepAliveTimer.stop();
    stopSocket();
    if (m_relay)
        onWireThread([relay = m_relay] { relay->shutdown(); });
    if (m_state == State::Connecting || m_state == State::Open || m_state == State::Closing)
        setState(State::Failed, reason);
}

void Session::setOutgoingFrameSize(quint64 size)
{
    m_outgoingFrameSize = size;
    onSocket([size](QWebSocket* s) { s->setOutgoingFrameSize(size == 0 ? 512 * 1024 : size); });
}

void Session::setState(State state, const QString& reason)
{
    pullWire(); // what the wire saw so far comes before the state change
    m_state = state;
    m_stateReason = reason;
    LogEntry e = LogEntry::note(state == State::Failed ? LogEntry::Kind::Error : LogEntry::Kind::State,
        reason.isEmpty() ? stateName(state) : reason);
    // A failure whose error entry was just posted is not a second message.
    if (state != State::Failed || e.payload != m_lastErrorPosted)
        post(std::move(e));
    flush();
    if (m_capture && state == State::Closed)
        m_capture->closed(m_connectionId, m_closeCode, m_closeReason, reason);
    Q_EMIT stateChanged(state, reason);
}

void Session::post(LogEntry entry)
{
    if (entry.kind == LogEntry::Kind::Error) {
        m_lastErrorPosted = entry.payload;
        if (m_capture)
            m_capture->error(m_connectionId, QString::fromUtf8(entry.payload));
    }
    m_pending.append(std::move(entry));
    if (m_pending.size() >= kMaxBatch)
        flush();
    else if (!m_flushTimer.isActive())
        m_flushTimer.start(kFlushIntervalMs);
}

void Session::flush()
{
    m_flushTimer.stop();
    if (m_pending.isEmpty())
        return;
    LogBatch batch;
    batch.swap(m_pending);
    Q_EMIT entriesAdded(batch);
}

void Session::onWireThread(const std::function<void()>& f)
{
    if (!m_wireThread || QThread::currentThread() == m_wireThread)
        f();
    else
        QMetaObject::invokeMethod(m_wireContext, f, Qt::BlockingQueuedConnection);
}

void Session::pullWire()
{
    if (!m_relay)
        return;
    // The relay publishes before it forwards, so by the time QWebSocket reacts to some bytes their
    // entries and handshake facts are at least queued for us: flush and deliver them now.
    onWireThread([relay = m_relay] { relay->flush(); });
    QCoreApplication::sendPostedEvents(this, QEvent::MetaCall);
}

void Session::dropRelay()
{
    if (!m_relay)
        return;
    m_relay->disconnect(this);
    onWireThread([relay = m_relay] {
        relay->shutdown();
        delete relay;
    });
    m_relay = nullptr;
}

void Session::onWireEntries(const LogBatch& batch)
{
    for (const LogEntry& e : batch) {
        // Qt closes by itself (1002, 1007, 1009) when the server breaks a rule or a limit: a close
        // frame from our side that the user did not ask for.
        if (e.kind == LogEntry::Kind::Close && e.dir == Direction::Send && !m_userClosed && !m_closeFrameReceived)
            m_clientProtocolClose = e.closeCode ? e.closeCode : 1000;
        if (e.kind == LogEntry::Kind::Close && e.dir == Direction::Receive && !m_closeFrameReceived) {
            m_closeFrameReceived = true;
            m_closeCode = e.closeCode;
            m_closeReason = QString::fromUtf8(e.closeReason());
        }
    }
    if (m_capture)
        m_capture->entries(m_connectionId, batch);
    // The relay batches already: publish at once, after anything the session queued before.
    if (m_pending.isEmpty())
        m_pending = batch;
    else
        m_pending.append(batch);
    flush();
}

void Session::onWireProgress(int stage, const HandshakeInfo& info)
{
    m_handshake = info;
    const auto s = WireRelay::Stage(stage);
    if (s == WireRelay::Stage::Response && info.response.status != 101) {
        const HttpHead& r = info.response;
        m_pendingFailure = r.status > 0 ? tr("The server answered HTTP %1%2 instead of switching to WebSocket.")
                                              .arg(r.status)
                                              .arg(r.reason.isEmpty() ? QString() : u' ' + QString::fromUtf8(r.reason))
                                        : tr("The server did not answer with HTTP: %1").arg(r.problems.join(u"; "_s));
    }
    if (m_capture)
        m_capture->stage(m_connectionId, stage, info);
    Q_EMIT handshakeUpdated();
}

QString Session::setCaptureFile(const QString& path)
{
    m_capture.reset();
    if (path.isEmpty())
        return {};
    auto writer = std::make_unique<CaptureWriter>();
    if (QString error = writer->open(path); !error.isEmpty())
        return error;
    m_capture = std::move(writer);
    return {};
}

} // namespace wsi
