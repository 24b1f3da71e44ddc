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
    setMinimumHeight(70);
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

void ThroughputChart::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    const QRect area = rect().adjusted(4, 16, -4, -4);
    double peak = 10;
    for (int i = 0; i < m_in.size(); ++i)
        peak = std::max({ peak, m_in.at(i), m_out.at(i) });
    p.setPen(palette().color(QPalette::Mid));
    p.drawRect(area.adjusted(0, 0, -1, -1));
    p.setPen(palette().color(QPalette::Text));
    p.drawText(rect().adjusted(6, 0, -6, 0), Qt::AlignTop | Qt::AlignLeft,
        tr("msg/s, last %1 s · peak %2").arg(kSeconds).arg(QLocale().toString(peak, 'f', 0)));
    auto draw = [&](const QList<double>& values, Direction dir) {
        if (values.size() < 2)
            return;
        QPainterPath path;
        for (int i = 0; i < values.size(); ++i) {
            // Newest sample at the right edge.
            const double x = area.right() - double(values.size() - 1 - i) * area.width() / kSeconds;
            const double y = area.bottom() - values.at(i) / peak * (area.height() - 2);
            if (i == 0)
                path.moveTo(x, y);
            else
                path.lineTo(x, y);
        }
        p.setPen(QPen(LogDelegate::directionColor(int(dir)), 1.5));
        p.drawPath(path);
    };
    p.setRenderHint(QPainter::Antialiasing);
    draw(m_in, Direction::Receive);
    draw(m_out, Direction::Send);
}

} // namespace wsi
