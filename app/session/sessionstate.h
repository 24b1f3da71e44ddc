#pragma once

#include <QMetaType>
#include <QString>
#include <QUrl>

namespace wsi {

// Where a session's connection is in its life. Session::State names it for front ends.
enum class SessionState { Idle, Connecting, Open, Closing, Closed, Failed };

// The values a Session shows about its connection, as the connection last told them. The
// connection publishes them in its event stream; the Session keeps exactly one copy.
struct SessionSnapshot
{
    SessionState state = SessionState::Idle;
    QString reason;
    QUrl url;
    qint64 connectedAtUs = 0;
    quint16 closeCode = 0;
    QString closeReason;
    bool closeFrameReceived = false;
    QString subprotocol;
    int rttMs = -1;
    bool reconnectPending = false;
};

// How the flow control between a connection and its consumers behaved so far.
struct FlowControlStats
{
    qint64 peakUnacknowledgedBytes = 0; // payload bytes published and not yet taken
    qint64 peakUnacknowledgedEntries = 0;
    qint64 pauses = 0; // times reading from the server was paused
};

// How much of what the user sends may wait on its way to the wire (posted to the wire thread, or
// in QWebSocket's socket buffer because the relay or the server is not taking it). Above
// kHighWaterBytes a send is refused, unless the backlog is at most kLowWaterBytes: then any one
// message goes, so one huge message can always be sent. Repeats wait for the backlog to drain.
struct SendQueueLimits
{
    static constexpr qint64 kHighWaterBytes = 16 * 1024 * 1024;
    static constexpr qint64 kLowWaterBytes = 1024 * 1024;
};

} // namespace wsi

Q_DECLARE_METATYPE(wsi::SessionState)
