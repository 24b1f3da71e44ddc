#pragma once

#include "server/pushlatencytracker.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QTimer>
#include <QWidget>

class QLabel;

namespace wsi {

class MessageLogModel;
class Session;
class ThroughputChart;

// Live statistics of a log, as a narrow column: messages and bytes in and out, current rates, ping
// round trip, and a small chart of the last minute's throughput. Rates are sampled once a second; the
// totals follow the log within a tenth of a second (at most ten updates a second, whatever the rate).
class LogStatsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit LogStatsPanel(MessageLogModel* model, QWidget* parent = nullptr);
    ~LogStatsPanel() override;

    void setSession(Session* session);
    // Takes a sample now (tests, and the timer).
    void sample();
    // Shows the model's totals now.
    void updateTotals();

    double inRate() const { return m_inRate; }
    double outRate() const { return m_outRate; }
    ThroughputChart* chart() const { return m_chart; }
    // Latency of the built-in server's push messages ({"seq","time"}) received so far.
    const LatencyStats& pushLatency() const { return m_pushLatency.stats(); }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void changeEvent(QEvent* event) override;

private:
    static constexpr int kColumnChars = 30; // the column's width in average characters
    QPointer<MessageLogModel> m_model;
    QPointer<Session> m_session;
    QLabel* m_totals = nullptr;
    QLabel* m_rates = nullptr;
    QLabel* m_rtt = nullptr;
    QLabel* m_latency = nullptr;
    PushLatencyTracker m_pushLatency;
    QLabel* m_compression = nullptr; // permessage-deflate totals, shown once a message was compressed
    ThroughputChart* m_chart = nullptr;
    QTimer m_timer;
    QTimer m_totalsTimer; // coalesces the model's row insertions
    QElapsedTimer m_clock;
    qint64 m_lastMs = 0;
    qint64 m_lastIn = 0;
    qint64 m_lastOut = 0;
    qint64 m_lastBytesIn = 0;
    qint64 m_lastBytesOut = 0;
    double m_inRate = 0;
    double m_outRate = 0;
    int m_tick = 0;
};

} // namespace wsi
