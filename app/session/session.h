#pragma once

#include "log/logentry.h"
#include "profiles/profile.h"
#include "wire/wiretypes.h"

#include <QAbstractSocket>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include <functional>
#include <memory>

class QThread;
class QWebSocket;

namespace wsi {

class CaptureWriter;
class WireRelay;

// One connection, whatever the front end. Drives a QWebSocket and publishes what happens as
// batches of LogEntry values plus state changes. All calls are asynchronous, so the work can live
// in another thread without changing callers.
class Session : public QObject
{
    Q_OBJECT
public:
    enum class State { Idle, Connecting, Open, Closing, Closed, Failed };
    Q_ENUM(State)

    explicit Session(const Profile& profile, QObject* parent = nullptr);
    ~Session() override;

    const Profile& profile() const { return m_profile; }
    // Takes effect at the next open() (pinned certificates, saved messages, history...).
    void setProfile(const Profile& profile) { m_profile = profile; }
    State state() const { return m_state; }
    QString stateReason() const { return m_stateReason; }
    QUrl connectedUrl() const { return m_url; }
    qint64 connectedAtUs() const { return m_connectedAtUs; }
    quint16 closeCode() const { return m_closeCode; }
    QString closeReason() const { return m_closeReason; }
    bool closeFrameReceived() const { return m_closeFrameReceived; }
    QString negotiatedSubprotocol() const { return m_subprotocol; }
    int lastPingRttMs() const { return m_lastRttMs; }
    // Auto-reconnect has scheduled the next attempt; abort() cancels it.
    bool isReconnectPending() const { return m_reconnectTimer.isActive(); }
    // The opening handshake as seen on the wire (filled by the wire relay; empty without it).
    const HandshakeInfo& handshake() const { return m_handshake; }

    // Starts connecting. Validation problems fail the session at once; nothing is sent.
    void open();
    // Returns an error message (and sends nothing) when the input is invalid or not open.
    QString sendText(const QString& text);
    QString sendBinary(const QByteArray& data);
    QString ping(const QByteArray& payload = {});
    QString close(int code = 1000, const QString& reason = {});
    void abort(const QString& reason);
    // Outgoing frame size for the next messages (fragmentation for teaching); 0 = Qt's default.
    void setOutgoingFrameSize(quint64 size);

    // Records every event of this session's connections to path (JSON Lines, see
    // docs/capture-format.md); an empty path stops recording. Returns an error message or empty.
    QString setCaptureFile(const QString& path);

    static QString stateName(State state);

Q_SIGNALS:
    void stateChanged(wsi::Session::State state, const QString& reason);
    void entriesAdded(const wsi::LogBatch& batch);
    // The handshake panel's data changed (request sent, response received, TLS established).
    void handshakeUpdated();

private:
    void setState(State state, const QString& reason = {});
    void post(LogEntry entry);
    void flush();
    void onConnected(const QString& subprotocol);
    void onDisconnected(quint16 qtCloseCode, const QString& qtCloseReason, QAbstractSocket::SocketError error,
        const QString& errorText);
    void finishDisconnect();
    void onSocketError(QAbstractSocket::SocketError error, const QString& errorText);
    // Runs f with the socket in the wire thread without waiting (commands keep their order).
    void onSocket(std::function<void(QWebSocket*)> f);
    // Disconnects and aborts the QWebSocket in its thread and waits; its late signals are ignored.
    void stopSocket();
    void dropSocket();
    void onHandshakeTimeout();
    void scheduleReconnect();
    QString describeProtocolClose(quint16 code) const;
    // The code Qt closed with on its own (limit or protocol error), 0 when it did not.
    quint16 protocolCloseCode() const;
    QString describeSocketError(QAbstractSocket::SocketError error, const QString& qtText) const;
    void onWireEntries(const LogBatch& batch);
    void onWireProgress(int stage, const HandshakeInfo& info);
    void pullWire();
    // Runs f in the relay's thread and waits for it.
    void onWireThread(const std::function<void()>& f);
    void dropRelay();

    Profile m_profile;
    // Receiver of the socket's relayed events and the relay's end: pullWire() delivers only the
    // relay's entries early, never these, so a state change cannot run inside another.
    QObject* m_socketEvents = nullptr;
    bool m_finishing = false;
    quint16 m_clientProtocolClose = 0; // close code Qt sent on its own (1002/1007/1009), 0 = none
    // QWebSocket lives in the wire thread too, so its parsing never stalls the UI; it is only
    // touched there (onSocket/onWireThread). Its signals reach us queued, tagged with m_socketGen.
    QWebSocket* m_socket = nullptr;
    int m_socketGen = 0;
    quint64 m_outgoingFrameSize = 0; // 0 = Qt's default
    quint16 m_qtCloseCode = 0;
    QString m_qtCloseReason;
    QAbstractSocket::SocketError m_qtError = QAbstractSocket::UnknownSocketError;
    QString m_qtErrorText;
    // The relay lives in a thread of its own so that parsing never slows QWebSocket down; it is
    // created, used and deleted there (m_wireContext is the thread's anchor for calls).
    WireRelay* m_relay = nullptr;
    QThread* m_wireThread = nullptr;
    QObject* m_wireContext = nullptr;
    std::unique_ptr<CaptureWriter> m_capture;
    int m_connectionId = 0;
    QUrl m_url;
    State m_state = State::Idle;
    QString m_stateReason;
    QString m_subprotocol;
    qint64 m_connectedAtUs = 0;
    quint16 m_closeCode = 0;
    QString m_closeReason;
    bool m_closeFrameReceived = false;
    bool m_userClosed = false;
    bool m_disconnectPending = false; // QWebSocket is gone; waiting for the relay to see the rest
    QString m_pendingFailure;
    QByteArray m_lastErrorPosted; // the last Error entry, so a failure is not logged twice
    int m_lastRttMs = -1;
    int m_reconnectAttempt = 0;

    QTimer m_handshakeTimer;
    QTimer m_flushTimer;
    QTimer m_keepAliveTimer;
    QTimer m_reconnectTimer;
    QTimer m_relayWaitTimer;
    LogBatch m_pending;
    HandshakeInfo m_handshake;
};

} // namespace wsi
