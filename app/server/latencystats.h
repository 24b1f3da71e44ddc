#pragma once

#include <QList>
#include <QtGlobal>

namespace wsi {

// Latencies in milliseconds and their distribution (median, 95th percentile, max), over the most
// recent kKept samples so that a long run stays bounded.
class LatencyStats
{
public:
    static constexpr int kKept = 20000;

    void add(qint64 ms);
    void clear();
    qint64 count() const { return m_count; } // every sample ever added
    qint64 median() const { return percentile(50); }
    qint64 p95() const { return percentile(95); }
    qint64 max() const { return m_max; }
    // Nearest-rank percentile of the kept samples; 0 when there are none.
    qint64 percentile(int p) const;

private:
    QList<qint64> m_samples; // ring once full
    qint64 m_count = 0;
    qint64 m_max = 0;
};

} // namespace wsi
