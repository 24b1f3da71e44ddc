#pragma once

#include "server/latencystats.h"
#include "wire/frameparser.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTcpSocket>
#include <QTimer>
#include <QUrl>

namespace wsi {

// What one side of the push-versus-polling comparison cost and delivered, counted at its socket
// (HTTP heads and WebSocket frame headers included).
struct ProbeStats
{
    qint64 requests = 0; // HTTP requests sent (the WebSocket handshake is one)
    qint64 bytesSent = 0;
    qint64 bytesReceived = 0;
    qint64 events = 0;
    LatencyStats latency; // event time on the server -> arrival here, ms
};

// The push side: one WebSocket to /push?channel=C, spoken over a plain QTcpSocket so that every
// byte on the wire is counted (QWebSocket hides its handshake and frame headers).
class PushProbe : public QObject
{
    Q_OBJECT
public:
    explicit PushProbe(QObject* parent = nullptr);
    ~PushProbe() override;

    void start(const QUrl& server, const QString& channel, int eventIntervalMs);
    void stop();
    const ProbeStats& stats() const { return m_stats; }

Q_SIGNALS:
    void failed(const QString& message);

private:
    void onReadyRead();

    QTcpSocket m_socket;
    FrameParser m_parser { Direction::Receive, 1024 * 1024 };
    QByteArray m_head;
    bool m_open = false;
    ProbeStats m_stats;
};

// The polling side: GET /poll?channel=C&after=N on one keep-alive connection, either every
// pollIntervalMs (short polling) or again as soon as each answer arrives (long polling).
class PollProbe : public QObject
{
    Q_OBJECT
public:
    explicit PollProbe(QObject* parent = nullptr);
    ~PollProbe() override;

    void start(const QUrl& server, const QString& channel, int eventIntervalMs, int pollIntervalMs, bool longPolling);
    void stop();
    const ProbeStats& stats() const { return m_stats; }

Q_SIGNALS:
    void failed(const QString& message);

private:
    void sendRequest();
    void onReadyRead();

    QTcpSocket m_socket;
    QTimer m_next;
    QUrl m_server;
    QString m_channel;
    int m_eventIntervalMs = 0;
    int m_pollIntervalMs = 0;
    bool m_long = false;
    qint64 m_after = -1;
    bool m_waiting = false;
    QByteArray m_buffer;
    QElapsedTimer m_sentAt;
    ProbeStats m_stats;
};

} // namespace wsi
