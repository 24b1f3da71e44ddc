#include "logstatspanel.h"

#include "log/messagelogmodel.h"
#include "session/session.h"
#include "throughputchart.h"

#include <QGridLayout>
#include <QLabel>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {
QString bytesText(double bytes)
{
    return QLocale().formattedDataSize(qint64(bytes), 1, QLocale::DataSizeTraditionalFormat);
}
} // namespace

LogStatsPanel::LogStatsPanel(MessageLogModel* model, QWidget* parent)
    : QWidget(parent)
    , m_model(model)
    , m_totals(new QLabel(this))
    , m_rates(new QLabel(this))
    , m_rtt(new QLabel(this))
    , m_latency(new QLabel(this))
    , m_compression(new QLabel(this))
    , m_chart(new ThroughputChart(this))
{
    m_totals->setObjectName(u"statsTotals"_s);
    m_rates->setObjectName(u"statsRates"_s);
    m_rtt->setObjectName(u"statsRtt"_s);
    m_latency->setObjectName(u"statsPushLatency"_s);
    m_latency->hide(); // until push messages with a server time arrive
    m_compression->setObjectName(u"statsCompression"_s);
    m_compression->setVisible(false);

    m_chart->setObjectName(u"throughputChart"_s);

    auto* layout = new QGridLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* numbers = new QVBoxLayout;
    numbers->addWidget(m_totals);
    numbers->addWidget(m_rates);
    numbers->addWidget(m_rtt);
    numbers->addWidget(m_latency);
    numbers->addWidget(m_compression);
    numbers->addStretch();
    layout->addLayout(numbers, 0, 0);
    layout->addWidget(m_chart, 0, 1);
    layout->setColumnStretch(1, 1);

    m_clock.start();
    m_timer.setInterval(1000);
    connect(&m_timer, &QTimer::timeout, this, &LogStatsPanel::sample);
    m_timer.start();
    sample();
}

LogStatsPanel::~LogStatsPanel() = default;

void LogStatsPanel::setSession(Session* session)
{
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    m_session = session;
    m_pushLatency.clear();
    if (session) {
        connect(session, &Session::entriesAdded, this, [this](const LogBatch& batch) { m_pushLatency.add(batch); });
    }
    sample();
}

void LogStatsPanel::sample()
{
    if (!m_model)
        return;
    const LogStore::Counters& c = m_model->counters();
    const qint64 now = m_clock.elapsed();
    const double seconds = std::max<qint64>(now - m_lastMs, 1) / 1000.0;
    if (m_tick > 0) {
        m_inRate = double(c.messagesIn - m_lastIn) / seconds;
        m_outRate = double(c.messagesOut - m_lastOut) / seconds;
    }
    const double inBytesRate = m_tick > 0 ? double(c.bytesIn - m_lastBytesIn) / seconds : 0;
    const double outBytesRate = m_tick > 0 ? double(c.bytesOut - m_lastBytesOut) / seconds : 0;
    m_lastMs = now;
    m_lastIn = c.messagesIn;
    m_lastOut = c.messagesOut;
    m_lastBytesIn = c.bytesIn;
    m_lastBytesOut = c.bytesOut;

    const QLocale locale;
    m_totals->setText(tr("In: %1 messages, %2 · Out: %3 messages, %4")
                          .arg(locale.toString(c.messagesIn), bytesText(double(c.bytesIn)),
                              locale.toString(c.messagesOut), bytesText(double(c.bytesOut))));
    m_rates->setText(tr("Rate in: %1 msg/s, %2/s · out: %3 msg/s, %4/s")
                         .arg(locale.toString(m_inRate, 'f', 0), bytesText(inBytesRate),
                             locale.toString(m_outRate, 'f', 0), bytesText(outBytesRate)));
    if (c.compressedIn + c.compressedOut > 0) {
        // permessage-deflate: what compression saved, each way (wire bytes / inflated bytes).
        const auto ratio = [&locale](qint64 wire, qint64 inflated) {
            return inflated > 0 ? locale.toString(100.0 * double(wire) / double(inflated), 'f', 0) + u'%' : u"–"_s;
        };
        m_compression->setText(
            tr("Compressed in: %1 messages, %2 on the wire for %3 (%4) · out: %5 messages, %6 for %7 (%8)")
                .arg(locale.toString(c.compressedIn), bytesText(double(c.compressedWireBytesIn)),
                    bytesText(double(c.compressedInflatedBytesIn)),
                    ratio(c.compressedWireBytesIn, c.compressedInflatedBytesIn), locale.toString(c.compressedOut),
                    bytesText(double(c.compressedWireBytesOut)), bytesText(double(c.compressedInflatedBytesOut)),
                    ratio(c.compressedWireBytesOut, c.compressedInflatedBytesOut)));
    }
    m_compression->setVisible(c.compressedIn + c.compressedOut > 0);
    const int rtt = m_session ? m_session->lastPingRttMs() : -1;
    m_rtt->setText(rtt >= 0 ? tr("Ping round trip: %1 ms").arg(rtt) : tr("Ping round trip: –"));
    const LatencyStats& latency = m_pushLatency.stats();
    m_latency->setVisible(latency.count() > 0);
    if (latency.count() > 0) {
        m_latency->setText(tr("Push latency (server time → here, %1 messages): median %2 ms, p95 %3 ms, max %4 ms")
                               .arg(locale.toString(latency.count()))
                               .arg(latency.median())
                               .arg(latency.p95())
                               .arg(latency.max()));
    }

    ++m_tick;
    m_chart->addSample(m_inRate, m_outRate);
}

} // namespace wsi
