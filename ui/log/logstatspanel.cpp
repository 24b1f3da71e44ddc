#include "logstatspanel.h"

#include "log/messagelogmodel.h"
#include "session/session.h"
#include "throughputchart.h"

#include <QEvent>
#include <QLabel>
#include <QLocale>
#include <QScrollArea>
#include <QVBoxLayout>

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

    // A narrow column beside the log (LogPanel puts it there), so the log keeps its rows on a small
    // screen: the numbers wrap in it, and scroll when they need more height than the log has.
    auto* numbersBox = new QWidget;
    auto* numbers = new QVBoxLayout(numbersBox);
    numbers->setContentsMargins(0, 0, 0, 0);
    for (QLabel* label : { m_totals, m_rates, m_rtt, m_latency, m_compression }) {
        label->setWordWrap(true);
        numbers->addWidget(label);
    }
    numbers->addStretch();
    auto* scroll = new QScrollArea(this);
    scroll->setObjectName(u"statsNumbers"_s);
    scroll->setWidget(numbersBox);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setBackgroundRole(QPalette::Window);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(scroll, 3);
    layout->addWidget(m_chart, 2);
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Preferred);

    m_clock.start();
    m_timer.setInterval(1000);
    connect(&m_timer, &QTimer::timeout, this, &LogStatsPanel::sample);
    m_timer.start();
    m_totalsTimer.setSingleShot(true);
    m_totalsTimer.setInterval(100);
    connect(&m_totalsTimer, &QTimer::timeout, this, &LogStatsPanel::updateTotals);
    if (m_model) {
        connect(m_model, &QAbstractItemModel::rowsInserted, this, [this] {
            if (!m_totalsTimer.isActive())
                m_totalsTimer.start();
        });
    }
    sample();
}

LogStatsPanel::~LogStatsPanel() = default;

QSize LogStatsPanel::sizeHint() const
{
    // Wide enough for the chart and a few words a line, in the current (zoomed) font.
    return { fontMetrics().averageCharWidth() * kColumnChars, QWidget::sizeHint().height() };
}

QSize LogStatsPanel::minimumSizeHint() const
{
    return { sizeHint().width(), m_chart->minimumHeight() };
}

void LogStatsPanel::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        updateGeometry(); // the column's width follows the zoom
}

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
    updateTotals();
    m_rates->setText(tr("Rate in: %1 msg/s, %2/s · out: %3 msg/s, %4/s")
                         .arg(locale.toString(m_inRate, 'f', 0), bytesText(inBytesRate),
                             locale.toString(m_outRate, 'f', 0), bytesText(outBytesRate)));
    if (c.compressedIn + c.compressedOut > 0) {
        // permessage-deflate: what compression saved, each way (wire bytes / inflated bytes).
        const auto ratio = [&locale](qint64 wire, qint64 inflated) {
            return inflated > 0 ? locale.toString(100.0 * double(wire) / double(inflated), 'f', 0) + u'%' : u"–"_s;
        };
        // Two %n counts: one sentence each way, so each gets its own plural ("1 message", "2 messages").
        const QString in
            = tr("Compressed in: %Ln message(s), %1 on the wire for %2 (%3)", nullptr,
                int(qMin<qint64>(c.compressedIn, INT_MAX)))
                  .arg(bytesText(double(c.compressedWireBytesIn)), bytesText(double(c.compressedInflatedBytesIn)),
                      ratio(c.compressedWireBytesIn, c.compressedInflatedBytesIn));
        const QString out
            = tr("out: %Ln message(s), %1 for %2 (%3)", nullptr, int(qMin<qint64>(c.compressedOut, INT_MAX)))
                  .arg(bytesText(double(c.compressedWireBytesOut)), bytesText(double(c.compressedInflatedBytesOut)),
                      ratio(c.compressedWireBytesOut, c.compressedInflatedBytesOut));
        m_compression->setText(in + u" · "_s + out);
    }
    m_compression->setVisible(c.compressedIn + c.compressedOut > 0);
    const int rtt = m_session ? m_session->lastPingRttMs() : -1;
    m_rtt->setText(rtt >= 0 ? tr("Ping round trip: %1 ms").arg(rtt) : tr("Ping round trip: –"));
    const LatencyStats& latency = m_pushLatency.stats();
    m_latency->setVisible(latency.count() > 0);
    if (latency.count() > 0) {
        m_latency->setText(tr("Push latency (server time → here, %Ln message(s)): median %1 ms, p95 %2 ms, max %3 ms",
            nullptr, int(qMin<qint64>(latency.count(), INT_MAX)))
                               .arg(latency.median())
                               .arg(latency.p95())
                               .arg(latency.max()));
    }

    ++m_tick;
    m_chart->addSample(m_inRate, m_outRate);
}

void LogStatsPanel::updateTotals()
{
    m_totalsTimer.stop();
    if (!m_model)
        return;
    const LogStore::Counters& c = m_model->counters();
    // %Ln takes an int; beyond two billion messages the count stops there.
    const auto clamp = [](qint64 n) { return int(std::min<qint64>(n, std::numeric_limits<int>::max())); };
    m_totals->setText(tr("In: %Ln message(s), %1", nullptr, clamp(c.messagesIn)).arg(bytesText(double(c.bytesIn)))
        + u" · "_s + tr("Out: %Ln message(s), %1", nullptr, clamp(c.messagesOut)).arg(bytesText(double(c.bytesOut))));
}

} // namespace wsi
