#pragma once

#include "log/logentry.h"
#include "session/sessionstate.h"
#include "wire/wiretypes.h"

#include <QList>
#include <QMetaType>
#include <QString>
#include <QUrl>

namespace wsi {

// One batch of a connection's ordered event stream: log entries with the other events (state
// changes, handshake snapshots, recording stopped) placed between them. Value type, carried from the
// wire thread to the UI thread by one queued signal.
struct SessionEvents
{
    struct Marker
    {
        enum class Type : quint8 {
            State, // values changed, and the state (or its reconnect flag) with them: stateChanged
            Values, // values changed without a new state (close frame seen, ping round trip)
            Handshake, // handshake is a new snapshot: handshakeUpdated
            CaptureStopped, // message says why recording stopped: captureStopped
            SendDrained, // the send backlog fell to SendQueueLimits::kLowWaterBytes: sendQueueDrained
        };
        Type type = Type::Values;
        qsizetype at = 0; // happens after entries [0, at) and before the rest
        SessionSnapshot values; // State, Values
        HandshakeInfo handshake; // Handshake
        QString message; // CaptureStopped
    };

    LogBatch entries;
    QList<Marker> markers; // ordered by at
    qint64 bytes = 0; // what flow control counts for the entries (EventBatcher::bytesOf)

    bool isEmpty() const { return entries.isEmpty() && markers.isEmpty(); }
};

} // namespace wsi

Q_DECLARE_METATYPE(wsi::SessionEvents)
