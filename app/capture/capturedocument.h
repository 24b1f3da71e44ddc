#pragma once

#include "log/logentry.h"
#include "wire/wiretypes.h"

#include <QList>
#include <QMetaType>
#include <QStringList>
#include <QUrl>

#include <utility>

namespace wsi {

// What a capture or HAR file says about one connection besides its log entries.
struct CapturedConnection
{
    int id = 0; // "conn" of a capture, or the position of a HAR entry (1-based)
    QUrl url;
    qint64 startUs = 0; // first event of the connection
    HandshakeInfo handshake;
    QString serverIp; // HAR serverIPAddress, when known
};

// A piece of a file being read: new or updated connections, their entries in file order, and
// notices about lines that could not be used. Value type; the loader hands these to the window.
struct CaptureChunk
{
    QList<CapturedConnection> connections; // first seen, or their handshake changed
    QList<std::pair<int, LogBatch>> entries; // (connection id, entries), in file order
    QStringList notices; // "line 12 is not valid JSON: … (skipped)"
    qint64 entryCount = 0;
    qint64 payloadBytes = 0;

    bool isEmpty() const { return connections.isEmpty() && entries.isEmpty() && notices.isEmpty(); }
    void add(int conn, LogEntry&& entry)
    {
        ++entryCount;
        payloadBytes += entry.payload.size();
        if (entries.isEmpty() || entries.last().first != conn)
            entries.append({ conn, LogBatch() });
        entries.last().second.append(std::move(entry));
    }
};

// A whole connection in memory (exports, replay, tests).
struct CapturedSession
{
    CapturedConnection connection;
    LogBatch entries;
};

} // namespace wsi

Q_DECLARE_METATYPE(wsi::CaptureChunk)
