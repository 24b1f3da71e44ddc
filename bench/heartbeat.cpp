#include "heartbeat.h"

namespace wsi::bench {

Heartbeat::Heartbeat(QObject* parent)
    : QObject(parent)
{
    m_timer.setInterval(10);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        const qint64 now = m_clock.nsecsElapsed();
        m_maxNs = std::max(m_maxNs, now - m_lastNs);
        m_lastNs = now;
    });
}

Heartbeat::~Heartbeat() = default;

void Heartbeat::start()
{
    m_maxNs = 0;
    m_clock.start();
    m_lastNs = 0;
    m_timer.start();
}

void Heartbeat::stop()
{
    const qint64 now = m_clock.nsecsElapsed();
    m_maxNs = std::max(m_maxNs, now - m_lastNs);
    m_timer.stop();
}

double Heartbeat::maxGapMs() const
{
    return double(m_maxNs) / 1e6;
}

} // namespace wsi::bench
