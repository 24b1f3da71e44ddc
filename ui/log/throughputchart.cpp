#include "throughputchart.h"

#include "log/logentry.h"
#include "logdelegate.h"

#include <QLocale>
#include <QPainter>
#include <QPainterPath>

namespace wsi {

ThroughputChart::ThroughputChart(QWidget* parent)
    : QWidget(parent)
{
    setMinimumHeight(48);
    setAttribute(Qt::WA_OpaquePaintEvent);
}

ThroughputChart::~ThroughputChart() = default;

void ThroughputChart::addSample(double in, double out)
{
    m_in.append(in);
    m_out.append(out);
    while (m_in.size() > kSeconds + 1) {
        m_in.removeFirst();
        m_out.removeFirst();
    }
    update();
}

QString ThroughputChart::caption() const
{
    double peak = 0;
    for (int i = 0; i < m_in.size(); ++i)
        peak = std::max({ peak, m_in.at(i), m_out.at(i) });
    if (peak <= 0)
        return tr("msg/s, last %1 s · no traffic").arg(kSeconds);
    return tr("msg/s, last %1 s · peak %2").arg(kSeconds).arg(QLocale().toString(peak, 'f', peak < 10 ? 1 : 0));
}

void ThroughputChart::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    const QRect area = rect().adjusted(4, 16, -4, -4);
    double peak = 0;
    for (int i = 0; i < m_in.size(); ++i)
        peak = std::max({ peak, m_in.at(i), m_out.at(i) });
    // The axis goes to 10 msg/s at least (a trickle stays a trickle); the caption says the real peak.
    const double scale = std::max(peak, 10.0);
    p.setPen(palette().color(QPalette::Mid));
    p.drawRect(area.adjusted(0, 0, -1, -1));
    p.setPen(palette().color(QPalette::Text));
    p.drawText(rect().adjusted(6, 0, -6, 0), Qt::AlignTop | Qt::AlignLeft, caption());
    auto draw = [&](const QList<double>& values, Direction dir) {
        if (values.size() < 2)
            return;
        QPainterPath path;
        for (int i = 0; i < values.size(); ++i) {
            // Newest sample at the right edge.
            const double x = area.right() - double(values.size() - 1 - i) * area.width() / kSeconds;
            const double y = area.bottom() - values.at(i) / scale * (area.height() - 2);
            if (i == 0)
                path.moveTo(x, y);
            else
                path.lineTo(x, y);
        }
        p.setPen(QPen(LogDelegate::directionColor(int(dir), palette()), 1.5));
        p.drawPath(path);
    };
    p.setRenderHint(QPainter::Antialiasing);
    draw(m_in, Direction::Receive);
    draw(m_out, Direction::Send);
}

} // namespace wsi
