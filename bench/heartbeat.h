#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace wsi::bench {

// A 10 ms timer on the UI thread; the longest gap between two ticks is how long the UI stalled.
class Heartbeat : public QObject
{
public:
    explicit Heartbeat(QObject* parent = nullptr);
    ~Heartbeat() override;
    void start();
    void stop();
    // Longest time between two ticks (or since the last tick, while running), in milliseconds.
    double maxGapMs() const;

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_lastNs = 0;
    qint64 m_maxNs = 0;
};

} // namespace wsi::bench
