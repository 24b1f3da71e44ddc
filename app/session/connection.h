#pragma once

#include "log/logentry.h"
#include "profiles/profile.h"
#include "session/batcher.h"
#include "session/sessionevents.h"
#include "wire/wiretypes.h"

#include <QAbstractSocket>
#include <QObject>
#include <QTimer>
#include <QUrl>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

class QWebSocket;

namespace wsi {

class CaptureWriter;
class WireRelay;

// One session's connection, whole in its wire thread: the QWebSocket, the wire relay, the capture
// writer and the state machine (connect, handshake timeout, close handshake, reconnect, keep-alive).
// Commands come in through postCommand(); everything that happens goes out in order through
// takeEvents(), and upstream reading pauses while too much of it is unacknowledged (acknowledge()).
// The two mailboxes are the only seam between the threads: a std::mutex guards each and a queued
// signal without arguments says that one has mail (visible to ThreadSanitizer, unlike the lock
// inside Qt's event queue when Qt itself is not instrumented).
class Connection : public QObject
{
    Q_OBJECT
public:
    using State = SessionState;

    // Flow control: reading from the server pauses above the high-water marks of unacknowledged
    // payload bytes or entries, and resumes once both are at or below the low-water marks.
    static constexpr qint64 kHighWaterBytes = 4 * 1024 * 1024;
    static constexpr qint64 kLowWaterBytes = 1024 * 1024;
    static constexpr qint64 kHighWaterEntries = 32768;
    static constexpr qint64 kLowWaterEntries = 8192;

    explicit Connection(const Profile& profile, QObject* parent = nullptr);
    ~Connection() override;

    // Thread-safe. Runs command in the connection's thread, after the commands posted before it.
    void postCommand(std::function<void(Connection*)> command);
    // Thread-safe. The batches published since the last call, oldest first.
    QList<SessionEvents> takeEvents();

    // Commands; called in the connection's thread.
    void setProfile(const Profile& profile);
    // Ends the thread's event loop, once a close under way has ended or after timeoutMs.
    void quitWhenSettled(int timeoutMs);
    void open();
    // compress: permessage-deflate for this message when negotiated; none = the profile's choice.
    // queued: what the sender counted in addQueuedSend() for this message.
    void sendText(const QString& text, std::optional<bool> compress = std::nullopt, qint64 queued = 0);
    void sendBinary(const QByteArray& data, std::optional<bool> compress = std::nullopt, qint64 queued = 0);
    void ping(const QByteArray& payload);
    void close(int code, const QString& reason);
    void abort(const QString& reason);
    void setOutgoingFrameSize(quint64 size);
    // Takes over an open writer (null stops recording).
    void setCapture(std::shared_ptr<CaptureWriter> writer);
    // The consumer has taken (emitted to all its listeners) a batch of this many bytes and entries.
    void acknowledge(qint64 bytes, qint64 entries);
    // Publishes a SendDrained marker once the send backlog is at most SendQueueLimits::kLowWaterBytes
    // (at once if it already is).
    void notifyWhenSendDrained();

    // Thread-safe. A sender counts a message here before posting it; the count moves to the socket's
    // backlog when the command runs.
    void addQueuedSend(qint64 bytes) { m_sendCommandBytes += bytes; }
    // Thread-safe. Bytes of sends not yet handed to the kernel: posted commands plus QWebSocket's
    // write buffer (which grows when the relay stops reading because the server does not).
    qint64 queuedSendBytes() const { return m_sendCommandBytes.load() + m_socketBacklog.load(); }

    // Thread-safe counters, for tests and statistics.
    qint64 unacknowledgedBytes() const { return m_unackedBytes.load(); }
    FlowControlStats flowControlStats() const
    {
        return { m_peakUnackedBytes.load(), m_peakUnackedEntries.load(), m_pauses.load() };
    }
    bool isReadingPaused() const { return m_paused.load(); }

Q_SIGNALS:
    // takeEvents() has batches (emitted when the outbox stops being empty; connect it queued).
    void eventsPosted();
    // Internal: the inbox has commands (queued to runCommands() in the connection's thread).
    void commandsPosted();

private:
    // timeUs: the entry's time (LogEntry::nowUs() clock); -1 = now.
    void setState(State state, const QString& reason = {}, qint64 timeUs = -1);
    void publishValues(SessionEvents::Marker::Type type);
    SessionSnapshot snapshot() const;
    // keepHeld: the Open state's own entry, which goes before the entries held for it.
    void post(LogEntry entry, bool keepHeld = false);
    void releaseHeld();
    void onBatchReady(const SessionEvents& batch);
    void runCommands();
    void updatePause();
    void onConnected();
    void onDisconnected();
    void finishDisconnect();
    void onSocketError(QAbstractSocket::SocketError error);
    void stopSocket();
    void dropRelay();
    void onHandshakeTimeout();
    bool armReconnect();
    QString describeProtocolClose(quint16 code) const;
    quint16 protocolCloseCode() const;
    QString describeSocketError(QAbstractSocket::SocketError error, const QString& qtText) const;
    void onWireEntries(const LogBatch& batch);
    // Into the stream, or held while QWebSocket has not said the handshake succeeded.
    void addWireEntries(const LogBatch& batch);
    void onWireProgress(int stage, const HandshakeInfo& info);
    void onCaptureUsed();
    void flushCapture();
    void updateSendBacklog();

    Profile m_profile;
    EventBatcher m_batcher { this };
    QWebSocket* m_socket = nullptr;
    WireRelay* m_relay = nullptr;
    bool m_relayHeadSeen = false; // the relay read the server's response head (it may pause now)
    qint64 m_responseAtUs = -1; // when the relay read the response head (HandshakeInfo::responseAtUs)
    std::shared_ptr<CaptureWriter> m_capture;
    quint64 m_outgoingFrameSize = 0; // 0 = Qt's default

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
    quint16 m_userCloseCode = 0; // the code of the user's close()
    bool m_finishing = false;
    bool m_quitWhenSettled = false;
    bool m_disconnectPending = false; // QWebSocket is gone; waiting for the relay to see the rest
    quint16 m_clientProtocolClose = 0; // close code Qt sent on its own (1002/1007/1009), 0 = none
    quint16 m_qtCloseCode = 0;
    QString m_qtCloseReason;
    QAbstractSocket::SocketError m_qtError = QAbstractSocket::UnknownSocketError;
    QString m_qtErrorText;
    QString m_pendingFailure;
    quint16 m_relayFailCode = 0; // the relay failed the connection with this close code
    QByteArray m_lastErrorPosted; // the last Error entry, so a failure is not logged twice
    int m_lastRttMs = -1;
    // Frames that followed the 101 on the wire wait here until QWebSocket says it is open (or
    // fails), so that the stream never shows a message before the Open state. Counted by flow control.
    bool m_holdWire = false;
    LogBatch m_held;
    int m_reconnectAttempt = 0;

    qint64 m_unackedEntries = 0;
    std::atomic<qint64> m_unackedBytes = 0;
    std::atomic<qint64> m_peakUnackedBytes = 0;
    std::atomic<qint64> m_peakUnackedEntries = 0;
    std::atomic<qint64> m_pauses = 0;
    std::atomic<bool> m_paused = false;

    std::atomic<qint64> m_sendCommandBytes = 0;
    std::atomic<qint64> m_socketBacklog = 0;
    bool m_sendDrainWanted = false;

    std::mutex m_mailboxMutex;
    std::vector<std::function<void(Connection*)>> m_inbox;
    QList<SessionEvents> m_outbox;

    QTimer m_handshakeTimer { this };
    QTimer m_keepAliveTimer { this };
    QTimer m_reconnectTimer { this };
    QTimer m_relayWaitTimer { this };
    QTimer m_captureTimer { this };
};

} // namespace wsi
