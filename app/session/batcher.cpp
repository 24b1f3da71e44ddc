#include "batcher.h"

namespace wsi {

EventBatcher::EventBatcher(QObject* parent)
    : QObject(parent)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &EventBatcher::flush);
}

EventBatcher::~EventBatcher() = default;

void EventBatcher::add(LogEntry entry)
{
    m_pending.bytes += bytesOf(entry);
    m_pending.entries.append(std::move(entry));
    added();
}

void EventBatcher::add(const LogBatch& entries)
{
    if (entries.isEmpty())
        return;
    for (const LogEntry& e : entries)
        m_pending.bytes += bytesOf(e);
    if (m_pending.entries.isEmpty())
        m_pending.entries = entries; // shares the relay's list: no copy on the hot path
    else
        m_pending.entries.append(entries);
    added();
}

void EventBatcher::addMarker(SessionEvents::Marker marker)
{
    marker.at = m_pending.entries.size();
    m_pending.markers.append(std::move(marker));
    added();
}

void EventBatcher::added()
{
    if (m_pending.entries.size() >= kMaxEntries || m_pending.bytes >= kMaxBytes)
        flush();
    else if (!m_timer.isActive())
        m_timer.start(kIntervalMs);
}

void EventBatcher::flush()
{
    m_timer.stop();
    if (m_pending.isEmpty())
        return;
    SessionEvents batch = std::exchange(m_pending, SessionEvents());
    Q_EMIT ready(batch);
}

} // namespace wsi
