#pragma once

#include "log/logentry.h"
#include "profiles/profile.h"
#include "wire/wiretypes.h"

#include <QList>

#include <QObject>
#include <QUrl>

#include <memory>
#include <optional>

namespace wsi {

class ConnectionThread;
struct SessionEvents;

// How the flow control between a connection and its consumers behaved so far.
struct FlowControlStats
{
    qint64 peakUnacknowledgedBytes = 0; // payload bytes published and not yet taken
    qint64 peakUnacknowledgedEntries = 0;
    qint64 pauses = 0; // times reading from the server was paused
};

// One connection as a front end sees it. The connection itself (QWebSocket, wire relay, capture,
// state machine) lives whole in a wire thread; Session is its thin proxy on the caller's thread: it
// forwards commands as queued calls and keeps the last values the connection told it. Batches of
// events are applied in order (values first, then the signal), and acknowledged once emitted, which
// is what lets the connection stop reading from a server that outruns the consumers.
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
    void setProfile(const Profile& profile);
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
    bool isReconnectPending() const { return m_reconnectPending; }
    // The opening handshake as seen on the wire (filled by the wire relay; empty without it).
    const HandshakeInfo& handshake() const { return m_handshake; }

    // Starts connecting. Validation problems fail the session (with the reason in the log); nothing
    // is sent.
    void open();
    // Returns an error message (and sends nothing) when the input is invalid or not open.
    // compress: permessage-deflate for this message when negotiated; none = the profile's choice.
    QString sendText(const QString& text, std::optional<bool> compress = std::nullopt);
    QString sendBinary(const QByteArray& data, std::optional<bool> compress = std::nullopt);
    QString ping(const QByteArray& payload = {});
    QString close(int code = 1000, const QString& reason = {});
    void abort(const QString& reason);
    // Outgoing frame size for the next messages (fragmentation for teaching); 0 = Qt's default.
    void setOutgoingFrameSize(quint64 size);

    // Records every event of this session's connections to path (JSON Lines, see
    // docs/capture-format.md); an empty path stops recording. Returns an error message or empty.
    // A later write error stops recording with captureStopped() and an Error entry.
    QString setCaptureFile(const QString& path);

    // Flow control, for tests and statistics (thread-safe counters of the connection).
    FlowControlStats flowControlStats() const;

    static QString stateName(State state);

Q_SIGNALS:
    void stateChanged(wsi::Session::State state, const QString& reason);
    void entriesAdded(const wsi::LogBatch& batch);
    // The handshake panel's data changed (request sent, response received, TLS established).
    void handshakeUpdated();
    // Recording stopped on its own (the disk is full, the file went away); message says why.
    void captureStopped(const QString& message);

private:
    void takeEvents();
    void apply(const wsi::SessionEvents& batch);
    template <typename F> void command(F&& f);

    Profile m_profile;
    std::unique_ptr<ConnectionThread> m_wire;
    QList<SessionEvents> m_pending; // taken from the connection, applied one per event-loop turn
    bool m_takePosted = false;
    // The last values the connection published.
    State m_state = State::Idle;
    QString m_stateReason;
    QUrl m_url;
    qint64 m_connectedAtUs = 0;
    quint16 m_closeCode = 0;
    QString m_closeReason;
    bool m_closeFrameReceived = false;
    QString m_subprotocol;
    int m_lastRttMs = -1;
    bool m_reconnectPending = false;
    HandshakeInfo m_handshake;
};

} // namespace wsi
