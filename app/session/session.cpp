#include "session.h"

#include "profiles/profilevalidator.h"
#include "server/builtinserver.h"

#include <QFile>
#include <QNetworkProxy>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QSslConfiguration>
#include <QSslKey>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {
constexpr int kFlushIntervalMs = 30;
constexpr int kMaxBatch = 4096;
constexpr int kReconnectBaseMs = 500;
constexpr int kReconnectCapMs = 30000;
} // namespace

Session::Session(const Profile& profile, QObject* parent)
    : QObject(parent)
    , m_profile(profile)
{
    m_handshakeTimer.setSingleShot(true);
    m_handshakeTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_handshakeTimer, &QTimer::timeout, this, &Session::onHandshakeTimeout);
    m_flushTimer.setSingleShot(true);
    connect(&m_flushTimer, &QTimer::timeout, this, &Session::flush);
    connect(&m_keepAliveTimer, &QTimer::timeout, this, [this] { ping(); });
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &Session::open);
}

Session::~Session()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
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
    m_userClosed = false;
    m_closeCode = 0;
    m_closeReason.clear();
    m_closeFrameReceived = false;
    m_pendingFailure.clear();
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

    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
    }
    m_socket = new QWebSocket(m_profile.origin, QWebSocketProtocol::VersionLatest, this);
    m_socket->setMaxAllowedIncomingMessageSize(quint64(m_profile.maxIncomingMessageSize));
    m_socket->setMaxAllowedIncomingFrameSize(quint64(m_profile.maxIncomingMessageSize));

    switch (m_profile.proxy.type) {
    case ProxySettings::Type::None:
        m_socket->setProxy(QNetworkProxy::NoProxy);
        break;
    case ProxySettings::Type::System:
        m_socket->setProxy(QNetworkProxy::DefaultProxy);
        break;
    case ProxySettings::Type::Http:
    case ProxySettings::Type::Socks5:
        m_socket->setProxy(QNetworkProxy(m_profile.proxy.type == ProxySettings::Type::Http
                                             ? QNetworkProxy::HttpProxy
                                             : QNetworkProxy::Socks5Proxy,
            m_profile.proxy.host, m_profile.proxy.port, m_profile.proxy.user, m_profile.proxy.password));
        break;
    }

#ifndef QT_NO_SSL
    if (url.scheme() == u"wss") {
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        if (!m_profile.tls.caFile.isEmpty()) {
            const auto cas = QSslCertificate::fromPath(m_profile.tls.caFile, QSsl::Pem);
            ssl.setCaCertificates(ssl.caCertificates() + cas);
        }
        if (!m_profile.tls.certFile.isEmpty()) {
            const auto certs = QSslCertificate::fromPath(m_profile.tls.certFile, QSsl::Pem);
            if (!certs.isEmpty())
                ssl.setLocalCertificate(certs.first());
            QFile keyFile(m_profile.tls.keyFile.isEmpty() ? m_profile.tls.certFile : m_profile.tls.keyFile);
            if (keyFile.open(QIODevice::ReadOnly))
                ssl.setPrivateKey(QSslKey(&keyFile, QSsl::Rsa, QSsl::Pem, QSsl::PrivateKey,
                    m_profile.tls.keyPassphrase.toUtf8()));
        }
        m_socket->setSslConfiguration(ssl);
        connect(m_socket, &QWebSocket::sslErrors, this, [this](const QList<QSslError>& errors) {
            if (!m_profile.tls.verify) {
                for (const QSslError& e : errors)
                    post(LogEntry::note(LogEntry::Kind::Info,
                        tr("TLS certificate problem ignored (verification is off): %1").arg(e.errorString())));
                m_socket->ignoreSslErrors();
                return;
            }
            QStringList problems;
            for (const QSslError& e : errors)
                problems.append(e.errorString());
            m_pendingFailure = tr("TLS failure: %1").arg(problems.join(u"; "_s));
        });
    }
#endif

    connect(m_socket, &QWebSocket::connected, this, &Session::onConnected);
    connect(m_socket, &QWebSocket::disconnected, this, &Session::onDisconnected);
    connect(m_socket, QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error), this, &Session::onSocketError);
    connect(m_socket, &QWebSocket::textMessageReceived, this, [this](const QString& text) {
        LogEntry e;
        e.timeUs = LogEntry::nowUs();
        e.kind = LogEntry::Kind::Text;
        e.dir = Direction::Receive;
        e.payload = text.toUtf8();
        post(std::move(e));
    });
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray& data) {
        LogEntry e;
        e.timeUs = LogEntry::nowUs();
        e.kind = LogEntry::Kind::Binary;
        e.dir = Direction::Receive;
        e.payload = data;
        post(std::move(e));
    });
    connect(m_socket, &QWebSocket::pong, this, [this](quint64 elapsedMs, const QByteArray& payload) {
        m_lastRttMs = int(elapsedMs);
        LogEntry e;
        e.timeUs = LogEntry::nowUs();
        e.kind = LogEntry::Kind::Pong;
        e.dir = Direction::Receive;
        e.payload = payload;
        post(std::move(e));
        post(LogEntry::note(LogEntry::Kind::Info, tr("Ping round trip: %1 ms").arg(elapsedMs)));
    });

    QNetworkRequest request(url);
    for (const auto& [name, value] : plan.headers)
        request.setRawHeader(name, value);
    QWebSocketHandshakeOptions options;
    options.setSubprotocols(plan.subprotocols);

    setState(State::Connecting, tr("Connecting to %1").arg(url.toDisplayString()));
    m_handshakeTimer.start(m_profile.handshakeTimeoutMs);
    m_socket->open(request, options);
}

void Session::onConnected()
{
    m_handshakeTimer.stop();
    m_reconnectAttempt = 0;
    m_connectedAtUs = LogEntry::nowUs();
    m_subprotocol = m_socket->subprotocol();
    QString reason = tr("Open: %1").arg(m_url.toDisplayString());
    if (!m_subprotocol.isEmpty())
        reason += tr(" (subprotocol %1)").arg(m_subprotocol);
    setState(State::Open, reason);
    if (m_profile.keepAlivePingMs > 0)
        m_keepAliveTimer.start(m_profile.keepAlivePingMs);
}

void Session::onDisconnected()
{
    m_handshakeTimer.stop();
    m_keepAliveTimer.stop();
    if (m_state == State::Closed || m_state == State::Failed || m_state == State::Idle)
        return;
    const bool wasOpen = m_state == State::Open || m_state == State::Closing;
    m_closeCode = quint16(m_socket->closeCode());
    m_closeReason = m_socket->closeReason();
    if (!m_pendingFailure.isEmpty()) {
        setState(State::Failed, m_pendingFailure);
    } else if (!wasOpen) {
        // Qt may report disconnected() before error(): explain with the socket's last error.
        const auto error = m_socket->error();
        const QString message = error == QAbstractSocket::UnknownSocketError
            ? tr("The connection closed before the handshake finished.")
            : describeSocketError(error);
        post(LogEntry::note(LogEntry::Kind::Error, message));
        setState(State::Failed, message);
    } else if (m_userClosed) {
        setState(State::Closed, tr("Closed by you with code %1%2")
                                    .arg(m_closeCode)
                                    .arg(m_closeReason.isEmpty() ? QString() : u" ("_s + m_closeReason + u')'));
    } else {
        m_closeFrameReceived = true;
        LogEntry e;
        e.timeUs = LogEntry::nowUs();
        e.kind = LogEntry::Kind::Close;
        e.dir = Direction::Receive;
        e.closeCode = m_closeCode;
        e.payload = QByteArray(2, '\0');
        e.payload[0] = char(m_closeCode >> 8);
        e.payload[1] = char(m_closeCode & 0xff);
        e.payload += m_closeReason.toUtf8();
        post(std::move(e));
        setState(State::Closed, tr("Closed by the server with code %1%2")
                                    .arg(m_closeCode)
                                    .arg(m_closeReason.isEmpty() ? QString() : u" ("_s + m_closeReason + u')'));
    }
    scheduleReconnect();
}

QString Session::describeSocketError(QAbstractSocket::SocketError error) const
{
    const QString where = m_url.host() + u':' + QString::number(m_url.port(m_url.scheme() == u"wss" ? 443 : 80));
    const QString qtText = m_socket ? m_socket->errorString() : QString();
    static const QRegularExpression httpStatus(u"http status code: (\\d+)(.*)"_s, QRegularExpression::CaseInsensitiveOption);
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

void Session::onSocketError(QAbstractSocket::SocketError error)
{
    QString message = m_pendingFailure.isEmpty() ? describeSocketError(error) : m_pendingFailure;
    if (m_state == State::Connecting) {
        // Qt 6.4.2 stays in ConnectingState after a failed handshake and never emits
        // disconnected(): end the session here.
        m_handshakeTimer.stop();
        post(LogEntry::note(LogEntry::Kind::Error, message));
        m_socket->disconnect(this);
        m_socket->abort();
        setState(State::Failed, message);
        scheduleReconnect();
    } else if (m_state == State::Open || m_state == State::Closing) {
        if (error == QAbstractSocket::RemoteHostClosedError && m_state == State::Closing)
            return; // the normal end of a close handshake
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
    m_socket->disconnect(this);
    m_socket->abort();
    setState(State::Failed, message);
    scheduleReconnect();
}

void Session::scheduleReconnect()
{
    if (!m_profile.autoReconnect || m_userClosed)
        return;
    const int delay = std::min(kReconnectCapMs, kReconnectBaseMs << std::min(m_reconnectAttempt, 10));
    ++m_reconnectAttempt;
    post(LogEntry::note(LogEntry::Kind::Info,
        tr("Reconnecting in %1 ms (attempt %2).").arg(delay).arg(m_reconnectAttempt)));
    flush();
    m_reconnectTimer.start(delay);
}

QString Session::sendText(const QString& text)
{
    if (m_state != State::Open)
        return tr("Not connected: the message was not sent.");
    LogEntry e;
    e.timeUs = LogEntry::nowUs();
    e.kind = LogEntry::Kind::Text;
    e.dir = Direction::Send;
    e.payload = text.toUtf8();
    post(std::move(e));
    m_socket->sendTextMessage(text);
    return {};
}

QString Session::sendBinary(const QByteArray& data)
{
    if (m_state != State::Open)
        return tr("Not connected: the message was not sent.");
    LogEntry e;
    e.timeUs = LogEntry::nowUs();
    e.kind = LogEntry::Kind::Binary;
    e.dir = Direction::Send;
    e.payload = data;
    post(std::move(e));
    m_socket->sendBinaryMessage(data);
    return {};
}

QString Session::ping(const QByteArray& payload)
{
    if (m_state != State::Open)
        return tr("Not connected: the ping was not sent.");
    if (QString error = ProfileValidator::checkPingPayload(payload); !error.isEmpty())
        return error;
    LogEntry e;
    e.timeUs = LogEntry::nowUs();
    e.kind = LogEntry::Kind::Ping;
    e.dir = Direction::Send;
    e.payload = payload;
    post(std::move(e));
    m_socket->ping(payload);
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
    LogEntry e;
    e.timeUs = LogEntry::nowUs();
    e.kind = LogEntry::Kind::Close;
    e.dir = Direction::Send;
    e.closeCode = quint16(code);
    e.payload = QByteArray(2, '\0');
    e.payload[0] = char(code >> 8);
    e.payload[1] = char(code & 0xff);
    e.payload += reason.toUtf8();
    post(std::move(e));
    setState(State::Closing, tr("Closing with code %1").arg(code));
    m_socket->close(QWebSocketProtocol::CloseCode(code), reason);
    return {};
}

void Session::abort(const QString& reason)
{
    m_userClosed = true;
    m_reconnectTimer.stop();
    m_handshakeTimer.stop();
    m_keepAliveTimer.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
    if (m_state == State::Connecting || m_state == State::Open || m_state == State::Closing)
        setState(State::Failed, reason);
}

void Session::setOutgoingFrameSize(quint64 size)
{
    if (m_socket)
        m_socket->setOutgoingFrameSize(size == 0 ? 512 * 1024 : size);
}

void Session::setState(State state, const QString& reason)
{
    m_state = state;
    m_stateReason = reason;
    LogEntry e = LogEntry::note(state == State::Failed ? LogEntry::Kind::Error : LogEntry::Kind::State,
        reason.isEmpty() ? stateName(state) : reason);
    if (state == State::Failed && !m_pending.isEmpty() && m_pending.constLast().kind == LogEntry::Kind::Error
        && m_pending.constLast().payload == e.payload) {
        // The error entry is already there; the state change is not a second message.
    } else {
        post(std::move(e));
    }
    flush();
    Q_EMIT stateChanged(state, reason);
}

void Session::post(LogEntry entry)
{
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

} // namespace wsi
