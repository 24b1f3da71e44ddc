#include "latencystats.h"

#include <algorithm>
#include <cmath>

namespace wsi {

void LatencyStats::add(qint64 ms)
{
    if (m_samples.size() < kKept)
        m_samples.append(ms);
    else
        m_samples[m_count % kKept] = ms;
    m_max = m_count == 0 ? ms : std::max(m_max, ms);
    ++m_count;
}

void LatencyStats::clear()
{
    m_samples.clear();
    m_count = 0;
    m_max = 0;
}

qint64 LatencyStats::percentile(int p) const
{
    if (m_samples.isEmpty())
        return 0;
    QList<qint64> sorted = m_samples;
    const qsizetype rank
        = std::clamp<qsizetype>(qsizetype(std::ceil(p / 100.0 * double(sorted.size()))) - 1, 0, sorted.size() - 1);
    std::nth_element(sorted.begin(), sorted.begin() + rank, sorted.end());
    return sorted.at(rank);
}

} // namespace wsi
