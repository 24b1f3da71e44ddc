#pragma once

#include "log/logentry.h"
#include "server/latencystats.h"

namespace wsi {

// Recognises the built-in server's push messages among received text messages ({"seq":N,"time":T…}
// or "#N T") and keeps their latency: the time the inspector received each one minus the server's
// send time. Cheap on other traffic: a prefix check, no JSON parsing.
class PushLatencyTracker
{
public:
    void add(const LogBatch& batch);
    void clear() { m_stats.clear(); }
    const LatencyStats& stats() const { return m_stats; }
    // Seq and time of a push message, or false for anything else.
    static bool parse(QByteArrayView payload, qint64* seq, qint64* timeMs);

private:
    LatencyStats m_stats;
};

} // namespace wsi
