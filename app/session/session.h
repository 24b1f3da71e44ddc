#pragma once

#include "log/logentry.h"
#include "profiles/profile.h"
#include "session/sessionstate.h"
#include "util/result.h"
#include "wire/wiretypes.h"

#include <QList>

#include <QObject>
#include <QUrl>

#include <memory>
#include <optional>

namespace wsi {

class ConnectionThread;
struct SessionEvents;

// One connection as a front end sees it. The connection itself (QWebSocket, wire relay, capture,
// state machine) lives whole in a wire thread; Session is its thin proxy on the caller's thread: it
// forwards commands as queued calls and keeps the last values the connection told it. Batches of
// events are applied in order (values first, then the signal), and acknowledged once emitted, which
// is what lets the connection stop reading from a server that outruns the consumers.
class Session : public QObject
{
    Q_OBJECT
public:
    using State = SessionState;

    explicit Session(const Profile& profile, QObject* parent = nullptr);
    ~Session() override;

    const Profile& profile() const { return m_profile; }
    // Takes effect at the next open() (pinned certificates, saved messages, history...).
    void setProfile(const Profile& profile);
    State state() const { return m_values.state; }
    QString stateReason() const { return m_values.reason; }
    QUrl connectedUrl() const { return m_values.url; }
    qint64 connectedAtUs() const { return m_values.connectedAtUs; }
    quint16 closeCode() const { return m_values.closeCode; }
    QString closeReason() const { return m_values.closeReason; }
    bool closeFrameReceived() const { return m_values.closeFrameReceived; }
    QString negotiatedSubprotocol() const { return m_values.subprotocol; }
    int lastPingRttMs() const { return m_values.rttMs; }
    // Auto-reconnect has scheduled the next attempt; abort() cancels it.
    bool isReconnectPending() const { return m_values.reconnectPending; }
    // The opening handshake as seen on the wire (filled by the wire relay; empty without it).
    const HandshakeInfo& handshake() const { return m_handshake; }

    // Starts connecting. Validation problems fail the session (with the reason in the log); nothing
    // is sent.
    void open();
    // An error (and nothing sent) when the input is invalid, the session is not open, or too much is
    // already on its way to the wire (see queuedSendBytes() and SendQueueLimits).
    // compress: permessage-deflate for this message when negotiated; none = the profile's choice.
    Result<void> sendText(const QString& text, std::optional<bool> compress = std::nullopt);
    Result<void> sendBinary(const QByteArray& data, std::optional<bool> compress = std::nullopt);
    Result<void> ping(const QByteArray& payload = {});
    Result<void> close(int code = 1000, const QString& reason = {});
    void abort(const QString& reason);
    // Bytes of earlier sends still on their way to the wire (thread-safe; see SendQueueLimits).
    qint64 queuedSendBytes() const;
    // A repeat should wait: the backlog is above SendQueueLimits::kLowWaterBytes.
    bool isSendQueueBusy() const { return queuedSendBytes() > SendQueueLimits::kLowWaterBytes; }
    // sendQueueDrained() follows once the backlog is at most kLowWaterBytes (at once if it is).
    void notifyWhenSendQueueDrained();
    // Outgoing frame size for the next messages (fragmentation for teaching); 0 = Qt's default.
    void setOutgoingFrameSize(quint64 size);

    // Records every event of this session's connections to path (JSON Lines, see
    // docs/capture-format.md); an empty path stops recording. An error names the file when it
    // cannot be opened. A later write error stops recording with captureStopped() and an Error entry.
    Result<void> setCaptureFile(const QString& path);

    // Flow control, for tests and statistics (thread-safe counters of the connection).
    FlowControlStats flowControlStats() const;

    static QString stateName(State state);

Q_SIGNALS:
    void stateChanged(wsi::SessionState state, const QString& reason);
    void entriesAdded(const wsi::LogBatch& batch);
    // The handshake panel's data changed (request sent, response received, TLS established).
    void handshakeUpdated();
    // Recording stopped on its own (the disk is full, the file went away); message says why.
    void captureStopped(const QString& message);
    // The send backlog drained after notifyWhenSendQueueDrained().
    void sendQueueDrained();

private:
    void takeEvents();
    void apply(const wsi::SessionEvents& batch);
    template <typename F> void command(F&& f);
    // An error when the backlog is too large for bytes more; otherwise counts them as queued.
    Result<void> queueSend(qint64 bytes);

    Profile m_profile;
    std::unique_ptr<ConnectionThread> m_wire;
    QList<SessionEvents> m_pending; // taken from the connection, applied one per event-loop turn
    bool m_takePosted = false;
    SessionSnapshot m_values; // the last values the connection published
    HandshakeInfo m_handshake;
};

} // namespace wsi
