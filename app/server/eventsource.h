#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QTimer>

namespace wsi {

// One event of a push/poll demonstration: its number and the server's clock when it happened.
struct PushEvent
{
    qint64 seq = 0;
    qint64 timeMs = 0; // Unix milliseconds
};

// How a pushed event is written on the wire.
enum class PushFormat {
    Json, // {"seq":1,"time":1764590000123} (padded with a "pad" field up to the requested size)
    Text, // "#1 1764590000123" (padded with dots), for wscat and mini-program demos
    Counter, // "push #1" (padded with dots): what builtin:push always sent, kept for saved profiles
};

// A clock that produces numbered events at a fixed interval and keeps the most recent ones, so
// that a WebSocket client (push) and an HTTP client (/poll) can be served the very same events.
class EventSource : public QObject
{
    Q_OBJECT
public:
    static constexpr int kKept = 1000; // events kept for pollers that come back late
    static constexpr int kMinIntervalMs = 10;

    explicit EventSource(int intervalMs, QObject* parent = nullptr);
    ~EventSource() override;

    int intervalMs() const { return m_intervalMs; }
    qint64 lastSeq() const { return m_last; }
    // The kept events with seq > after, oldest first, at most max of them; *missed = how many
    // events after `after` are no longer kept.
    QList<PushEvent> eventsAfter(qint64 after, int max, qint64* missed = nullptr) const;

    // One message for the wire: the event in the format, padded to size bytes when size is larger.
    static QByteArray encode(const PushEvent& event, PushFormat format, int size);
    // Reads seq and time back from a message in any of the formats (the inspector's latency).
    static bool decode(QByteArrayView message, PushEvent* event);

Q_SIGNALS:
    void produced(const wsi::PushEvent& event);

private:
    void tick();

    int m_intervalMs;
    QTimer m_timer;
    qint64 m_last = 0;
    QList<PushEvent> m_kept; // ring of kKept events, m_last at (m_last - 1) % kKept
};

} // namespace wsi

Q_DECLARE_METATYPE(wsi::PushEvent)
