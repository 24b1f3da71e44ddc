#pragma once

#include "server/pushpollprobes.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QTimer>

namespace wsi {

// Push versus polling, side by side: a PushProbe and a PollProbe on one channel of a classroom
// server, so both see the same events at the same rate. Publishes their counters four times a
// second and keeps a bounded history for a chart.
class PushPollComparison : public QObject
{
    Q_OBJECT
public:
    struct Settings
    {
        int eventIntervalMs = 500; // two events a second
        int pollIntervalMs = 1000; // short polling once a second
        bool longPolling = false;
    };
    struct Sample
    {
        qint64 elapsedMs = 0;
        qint64 pushBytes = 0; // both directions
        qint64 pollBytes = 0;
        qint64 pushEvents = 0;
        qint64 pollEvents = 0;
    };
    static constexpr int kKeptSamples = 2400; // ten minutes at four a second

    explicit PushPollComparison(QObject* parent = nullptr);
    ~PushPollComparison() override;

    // server: http://HOST:PORT/ of a running classroom server.
    void start(const QUrl& server, const Settings& settings);
    void stop();
    bool isRunning() const { return m_running; }
    const Settings& settings() const { return m_settings; }
    const ProbeStats& push() const { return m_push.stats(); }
    const ProbeStats& poll() const { return m_poll.stats(); }
    const QList<Sample>& samples() const { return m_samples; }
    qint64 elapsedMs() const { return m_running ? m_clock.elapsed() : m_lastElapsed; }

Q_SIGNALS:
    void updated();
    void failed(const QString& message);

private:
    void sample();

    Settings m_settings;
    PushProbe m_push;
    PollProbe m_poll;
    QTimer m_tick;
    QElapsedTimer m_clock;
    qint64 m_lastElapsed = 0;
    QList<Sample> m_samples;
    bool m_running = false;
};

} // namespace wsi
