#pragma once

#include "session/sessionevents.h"

#include <QObject>
#include <QTimer>

namespace wsi {

// The one place where events are gathered into batches: a batch goes out when it reaches its entry
// or byte cap, or a short time after its first event, whichever comes first. Lives in the thread of
// its owner; ready() is emitted synchronously.
class EventBatcher : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMaxEntries = 4096;
    static constexpr qint64 kMaxBytes = 1024 * 1024;
    static constexpr int kIntervalMs = 20;

    // What flow control counts for an entry: its payload and, for a compressed message, its wire
    // bytes too. Counting only the inflated payload would let a server send messages that inflate
    // to almost nothing (empty deflate blocks) and have tens of thousands of them held, each up to
    // the message size limit.
    static qint64 bytesOf(const LogEntry& entry) { return entry.payload.size() + entry.wirePayload.size(); }

    explicit EventBatcher(QObject* parent = nullptr);
    ~EventBatcher() override;

    void add(LogEntry entry);
    void add(const LogBatch& entries);
    // A non-entry event, placed after everything added so far.
    void addMarker(SessionEvents::Marker marker);
    // Emits what is pending now.
    void flush();
    bool isEmpty() const { return m_pending.isEmpty(); }

Q_SIGNALS:
    void ready(const wsi::SessionEvents& batch);

private:
    void added();

    SessionEvents m_pending;
    QTimer m_timer { this };
};

} // namespace wsi
