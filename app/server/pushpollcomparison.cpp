#include "pushpollcomparison.h"

#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace wsi {

PushPollComparison::PushPollComparison(QObject* parent)
    : QObject(parent)
{
    m_tick.setInterval(250);
    connect(&m_tick, &QTimer::timeout, this, &PushPollComparison::sample);
    connect(&m_push, &PushProbe::failed, this, &PushPollComparison::failed);
    connect(&m_poll, &PollProbe::failed, this, &PushPollComparison::failed);
}

PushPollComparison::~PushPollComparison() = default;

void PushPollComparison::start(const QUrl& server, const Settings& settings)
{
    stop();
    m_settings = settings;
    m_samples.clear();
    // A channel of its own: a fresh event source, not shared with students' demos.
    const QString channel = u"compare-%1"_s.arg(QRandomGenerator::global()->generate(), 8, 16, QChar(u'0'));
    m_push.start(server, channel, settings.eventIntervalMs);
    m_poll.start(server, channel, settings.eventIntervalMs, settings.pollIntervalMs, settings.longPolling);
    m_clock.start();
    m_running = true;
    m_tick.start();
    sample();
}

void PushPollComparison::stop()
{
    if (!m_running)
        return;
    m_lastElapsed = m_clock.elapsed();
    m_running = false;
    m_tick.stop();
    m_push.stop();
    m_poll.stop();
    Q_EMIT updated();
}

void PushPollComparison::sample()
{
    Sample s;
    s.elapsedMs = m_clock.elapsed();
    s.pushBytes = push().bytesSent + push().bytesReceived;
    s.pollBytes = poll().bytesSent + poll().bytesReceived;
    s.pushEvents = push().events;
    s.pollEvents = poll().events;
    if (m_samples.size() >= kKeptSamples)
        m_samples.removeFirst();
    m_samples.append(s);
    Q_EMIT updated();
}

} // namespace wsi
