#pragma once

#include <QWidget>

class QCheckBox;
class QGridLayout;
class QLabel;
class QPushButton;
class QSpinBox;

namespace wsi {

class PushPollChart;
class PushPollComparison;
class ServerHost;

// Push versus polling, live and side by side: requests, bytes each way, events delivered and
// latency for a WebSocket push and an HTTP poller on the same events, with a chart of the bytes.
// Runs against a classroom server of its own on 127.0.0.1.
class PushPollView : public QWidget
{
    Q_OBJECT
public:
    explicit PushPollView(QWidget* parent = nullptr);
    ~PushPollView() override;

    void start();
    void stop();
    PushPollComparison* comparison() const { return m_comparison; }
    QString valueText(int row, int column) const; // column 0 = push, 1 = polling

Q_SIGNALS:
    void message(const QString& text);

private:
    void refresh();

    ServerHost* m_host = nullptr;
    PushPollComparison* m_comparison = nullptr;
    QSpinBox* m_eventInterval = nullptr;
    QSpinBox* m_pollInterval = nullptr;
    QCheckBox* m_long = nullptr;
    QPushButton* m_start = nullptr;
    QLabel* m_summary = nullptr;
    QList<QList<QLabel*>> m_values; // [row][push, poll]
    PushPollChart* m_chart = nullptr;
};

// Bytes on the wire over time, push against polling (colours from the palette).
class PushPollChart : public QWidget
{
    Q_OBJECT
public:
    explicit PushPollChart(PushPollComparison* comparison, QWidget* parent = nullptr);
    ~PushPollChart() override;
    QSize sizeHint() const override { return { 420, 180 }; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    PushPollComparison* m_comparison;
};

} // namespace wsi
