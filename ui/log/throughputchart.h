#pragma once

#include <QList>
#include <QWidget>

namespace wsi {

// A small painted line chart of the last minute's message rates (in and out), one point a second.
class ThroughputChart : public QWidget
{
    Q_OBJECT
public:
    explicit ThroughputChart(QWidget* parent = nullptr);
    ~ThroughputChart() override;

    void addSample(double in, double out);
    const QList<double>& inSamples() const { return m_in; }
    // "msg/s, last 60 s · peak 42", or "… · no traffic".
    QString caption() const;
    QSize sizeHint() const override { return { 320, 90 }; }

    static constexpr int kSeconds = 60;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QList<double> m_in;
    QList<double> m_out;
};

} // namespace wsi
