#include "pushpollview.h"

#include "server/eventsource.h"
#include "server/pushpollcomparison.h"
#include "server/serverhost.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {
enum Row { Requests, BytesSent, BytesReceived, Events, Median, P95, Max, RowCount };

QColor pushColor(const QPalette& p)
{
    return p.color(QPalette::Highlight);
}
QColor pollColor(const QPalette& p)
{
    return p.color(QPalette::LinkVisited);
}
} // namespace

PushPollView::PushPollView(QWidget* parent)
    : QWidget(parent)
    , m_host(new ServerHost(this))
    , m_comparison(new PushPollComparison(this))
    , m_eventInterval(new QSpinBox(this))
    , m_pollInterval(new QSpinBox(this))
    , m_long(new QCheckBox(tr("&Long polling (the server holds each request until an event)"), this))
    , m_start(new QPushButton(tr("&Start"), this))
    , m_summary(new QLabel(this))
{
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    const PushPollComparison::Settings defaults;
    m_eventInterval->setObjectName(u"eventInterval"_s);
    m_eventInterval->setRange(EventSource::kMinIntervalMs, 60000);
    m_eventInterval->setSuffix(tr(" ms"));
    m_eventInterval->setValue(defaults.eventIntervalMs);
    form->addRow(tr("An event every:"), m_eventInterval);
    m_pollInterval->setObjectName(u"pollInterval"_s);
    m_pollInterval->setRange(50, 60000);
    m_pollInterval->setSuffix(tr(" ms"));
    m_pollInterval->setValue(defaults.pollIntervalMs);
    form->addRow(tr("Poll every:"), m_pollInterval);
    form->addRow(QString(), m_long);
    layout->addLayout(form);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addStretch();
    layout->addLayout(buttons);

    auto* grid = new QGridLayout;
    auto* pushTitle = new QLabel(u"<b>%1</b>"_s.arg(tr("WebSocket push")));
    auto* pollTitle = new QLabel(u"<b>%1</b>"_s.arg(tr("HTTP polling")));
    QPalette pushPalette = pushTitle->palette();
    pushPalette.setColor(QPalette::WindowText, pushColor(palette()));
    pushTitle->setPalette(pushPalette);
    QPalette pollPalette = pollTitle->palette();
    pollPalette.setColor(QPalette::WindowText, pollColor(palette()));
    pollTitle->setPalette(pollPalette);
    grid->addWidget(pushTitle, 0, 1, Qt::AlignRight);
    grid->addWidget(pollTitle, 0, 2, Qt::AlignRight);
    const QStringList names { tr("Requests made"), tr("Bytes sent (headers included)"),
        tr("Bytes received (headers included)"), tr("Events delivered"), tr("Latency, median"),
        tr("Latency, 95th percentile"), tr("Latency, max") };
    for (int row = 0; row < RowCount; ++row) {
        grid->addWidget(new QLabel(names.at(row)), row + 1, 0);
        QList<QLabel*> pair;
        for (int column = 0; column < 2; ++column) {
            auto* value = new QLabel(u"—"_s);
            value->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
            grid->addWidget(value, row + 1, column + 1);
            pair.append(value);
        }
        m_values.append(pair);
    }
    grid->setColumnStretch(0, 1);
    layout->addLayout(grid);
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);
    m_chart = new PushPollChart(m_comparison, this);
    layout->addWidget(m_chart, 1);

    connect(m_start, &QPushButton::clicked, this, [this] {
        if (m_comparison->isRunning())
            stop();
        else
            start();
    });
    connect(m_comparison, &PushPollComparison::updated, this, &PushPollView::refresh);
    connect(m_comparison, &PushPollComparison::failed, this, [this](const QString& text) {
        m_summary->setText(text);
        Q_EMIT message(text);
    });
    // Changing a setting while it runs starts over with it.
    auto restart = [this] {
        if (m_comparison->isRunning())
            start();
    };
    connect(m_eventInterval, &QSpinBox::editingFinished, this, restart);
    connect(m_pollInterval, &QSpinBox::editingFinished, this, restart);
    connect(m_long, &QCheckBox::toggled, this, restart);
    m_pollInterval->setEnabled(!m_long->isChecked());
    connect(m_long, &QCheckBox::toggled, m_pollInterval, [this](bool on) { m_pollInterval->setEnabled(!on); });
    refresh();
}

PushPollView::~PushPollView() = default;

void PushPollView::start()
{
    if (!m_host->isRunning()) {
        ListenOptions options;
        options.port = 0;
        if (const Result<void> started = m_host->start(options); !started) {
            m_summary->setText(started.errorMessage());
            Q_EMIT message(started.errorMessage());
            return;
        }
    }
    m_comparison->start(m_host->localUrl(u"/"_s, u"http"_s),
        { m_eventInterval->value(), m_pollInterval->value(), m_long->isChecked() });
    m_start->setText(tr("S&top"));
}

void PushPollView::stop()
{
    m_comparison->stop();
    m_start->setText(tr("&Start"));
}

QString PushPollView::valueText(int row, int column) const
{
    return m_values.at(row).at(column)->text();
}

void PushPollView::refresh()
{
    const QLocale locale;
    const ProbeStats* sides[2] = { &m_comparison->push(), &m_comparison->poll() };
    for (int column = 0; column < 2; ++column) {
        const ProbeStats& s = *sides[column];
        const bool latency = s.latency.count() > 0;
        const QString ms = tr("%1 ms");
        m_values[Requests][column]->setText(locale.toString(s.requests));
        m_values[BytesSent][column]->setText(locale.toString(s.bytesSent));
        m_values[BytesReceived][column]->setText(locale.toString(s.bytesReceived));
        m_values[Events][column]->setText(locale.toString(s.events));
        m_values[Median][column]->setText(latency ? ms.arg(s.latency.median()) : u"—"_s);
        m_values[P95][column]->setText(latency ? ms.arg(s.latency.p95()) : u"—"_s);
        m_values[Max][column]->setText(latency ? ms.arg(s.latency.max()) : u"—"_s);
    }
    const qint64 seconds = m_comparison->elapsedMs() / 1000;
    if (m_comparison->elapsedMs() > 0) {
        const qint64 pushBytes = sides[0]->bytesSent + sides[0]->bytesReceived;
        const qint64 pollBytes = sides[1]->bytesSent + sides[1]->bytesReceived;
        m_summary->setText(
            tr("After %n second(s): polling used %1 requests and %2× the bytes of push for the same "
               "events.",
                nullptr, int(seconds))
                .arg(sides[1]->requests)
                .arg(pushBytes > 0 ? locale.toString(double(pollBytes) / double(pushBytes), 'f', 1) : u"—"_s));
    } else {
        m_summary->setText(tr("Start runs a WebSocket push and an HTTP poller against the same events on a server "
                              "of their own (127.0.0.1)."));
    }
    m_chart->update();
}

PushPollChart::PushPollChart(PushPollComparison* comparison, QWidget* parent)
    : QWidget(parent)
    , m_comparison(comparison)
{
    setMinimumHeight(120);
}

PushPollChart::~PushPollChart() = default;

void PushPollChart::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QRectF area = QRectF(rect()).adjusted(8, 22, -8, -8);
    p.setPen(palette().color(QPalette::Mid));
    p.drawRect(area);
    p.setPen(palette().color(QPalette::WindowText));
    p.drawText(QRectF(8, 0, width() - 16, 20), Qt::AlignLeft | Qt::AlignVCenter,
        tr("Bytes on the wire over time (both directions)"));
    const QList<PushPollComparison::Sample>& samples = m_comparison->samples();
    if (samples.size() < 2)
        return;
    const qint64 maxX = std::max<qint64>(1000, samples.last().elapsedMs);
    qint64 maxY = 1;
    for (const auto& s : samples)
        maxY = std::max({ maxY, s.pushBytes, s.pollBytes });
    auto point = [&](qint64 x, qint64 y) {
        return QPointF(area.left() + area.width() * double(x) / double(maxX),
            area.bottom() - area.height() * double(y) / double(maxY));
    };
    QPainterPath push, poll;
    push.moveTo(point(samples.first().elapsedMs, samples.first().pushBytes));
    poll.moveTo(point(samples.first().elapsedMs, samples.first().pollBytes));
    for (const auto& s : samples) {
        push.lineTo(point(s.elapsedMs, s.pushBytes));
        poll.lineTo(point(s.elapsedMs, s.pollBytes));
    }
    p.setPen(QPen(pollColor(palette()), 2));
    p.drawPath(poll);
    p.setPen(QPen(pushColor(palette()), 2));
    p.drawPath(push);
    p.setPen(palette().color(QPalette::WindowText));
    const QLocale locale;
    p.drawText(area.adjusted(4, 2, -4, -2), Qt::AlignTop | Qt::AlignLeft, locale.toString(maxY) + tr(" B"));
    p.drawText(area.adjusted(4, 2, -4, -2), Qt::AlignBottom | Qt::AlignRight,
        tr("%1 s").arg(locale.toString(double(maxX) / 1000.0, 'f', 0)));
}

} // namespace wsi
