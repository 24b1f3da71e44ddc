#include "pushpollprobes.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>

#include "server/eventsource.h"

using namespace Qt::StringLiterals;

namespace wsi {

namespace {
qint64 now()
{
    return QDateTime::currentMSecsSinceEpoch();
}
QByteArray hostHeader(const QUrl& server)
{
    return "Host: " + server.host().toUtf8() + ':' + QByteArray::number(server.port()) + "\r\n";
}
} // namespace

PushProbe::PushProbe(QObject* parent)
    : QObject(parent)
{
    connect(&m_socket, &QTcpSocket::readyRead, this, &PushProbe::onReadyRead);
    connect(&m_socket, &QTcpSocket::errorOccurred, this,
        [this] { Q_EMIT failed(tr("Push: %1").arg(m_socket.errorString())); });
}

PushProbe::~PushProbe() = default;

void PushProbe::start(const QUrl& server, const QString& channel, int eventIntervalMs)
{
    stop();
    m_stats = {};
    m_parser = FrameParser(Direction::Receive, 1024 * 1024);
    connect(
        &m_socket, &QTcpSocket::connected, this,
        [this, server, channel, eventIntervalMs] {
            quint32 key[4];
            QRandomGenerator::global()->fillRange(key);
            const QByteArray request = "GET /push?channel=" + channel.toUtf8()
                + "&interval=" + QByteArray::number(eventIntervalMs) + " HTTP/1.1\r\n" + hostHeader(server)
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                + QByteArray(reinterpret_cast<const char*>(key), sizeof key).toBase64()
                + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
            m_socket.write(request);
            m_stats.bytesSent += request.size();
            ++m_stats.requests;
        },
        Qt::SingleShotConnection);
    m_socket.connectToHost(server.host(), quint16(server.port()));
}

void PushProbe::stop()
{
    m_socket.abort();
    m_head.clear();
    m_open = false;
}

void PushProbe::onReadyRead()
{
    QByteArray data = m_socket.readAll();
    m_stats.bytesReceived += data.size();
    if (!m_open) {
        m_head += data;
        const qsizetype end = m_head.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        if (!m_head.startsWith("HTTP/1.1 101")) {
            Q_EMIT failed(
                tr("Push: the server answered \"%1\".").arg(QString::fromUtf8(m_head.left(m_head.indexOf('\r')))));
            m_socket.abort();
            return;
        }
        m_open = true;
        data = m_head.mid(end + 4);
        m_head.clear();
    }
    QList<ParsedFrame> frames;
    m_parser.feed(data, frames);
    const qint64 arrived = now();
    for (const ParsedFrame& f : std::as_const(frames)) {
        PushEvent e;
        if (f.info.opcode == OpText && EventSource::decode(f.payload, &e)) {
            ++m_stats.events;
            m_stats.latency.add(std::max<qint64>(0, arrived - e.timeMs));
        }
    }
}

PollProbe::PollProbe(QObject* parent)
    : QObject(parent)
{
    m_next.setSingleShot(true);
    m_next.setTimerType(Qt::PreciseTimer);
    connect(&m_next, &QTimer::timeout, this, &PollProbe::sendRequest);
    connect(&m_socket, &QTcpSocket::readyRead, this, &PollProbe::onReadyRead);
    connect(&m_socket, &QTcpSocket::connected, this, &PollProbe::sendRequest);
    connect(&m_socket, &QTcpSocket::errorOccurred, this,
        [this] { Q_EMIT failed(tr("Polling: %1").arg(m_socket.errorString())); });
}

PollProbe::~PollProbe() = default;

void PollProbe::start(
    const QUrl& server, const QString& channel, int eventIntervalMs, int pollIntervalMs, bool longPolling)
{
    stop();
    m_stats = {};
    m_server = server;
    m_channel = channel;
    m_eventIntervalMs = eventIntervalMs;
    m_pollIntervalMs = pollIntervalMs;
    m_long = longPolling;
    m_after = -1;
    m_socket.connectToHost(server.host(), quint16(server.port()));
}

void PollProbe::stop()
{
    m_next.stop();
    m_socket.abort();
    m_buffer.clear();
    m_waiting = false;
}

void PollProbe::sendRequest()
{
    if (m_waiting || m_socket.state() != QAbstractSocket::ConnectedState)
        return;
    QByteArray target = "/poll?channel=" + m_channel.toUtf8() + "&interval=" + QByteArray::number(m_eventIntervalMs);
    if (m_after >= 0)
        target += "&after=" + QByteArray::number(m_after);
    if (m_long)
        target += "&wait=25000";
    const QByteArray request = "GET " + target + " HTTP/1.1\r\n" + hostHeader(m_server) + "\r\n";
    m_socket.write(request);
    m_stats.bytesSent += request.size();
    ++m_stats.requests;
    m_waiting = true;
    m_sentAt.start();
}

void PollProbe::onReadyRead()
{
    const QByteArray data = m_socket.readAll();
    m_stats.bytesReceived += data.size();
    m_buffer += data;
    const qsizetype end = m_buffer.indexOf("\r\n\r\n");
    if (end < 0)
        return;
    const qsizetype lengthAt = m_buffer.indexOf("Content-Length: ");
    if (lengthAt < 0 || lengthAt > end) {
        Q_EMIT failed(tr("Polling: an answer without Content-Length."));
        stop();
        return;
    }
    const qint64 length = m_buffer.mid(lengthAt + 16, m_buffer.indexOf('\r', lengthAt) - lengthAt - 16).toLongLong();
    if (m_buffer.size() < end + 4 + length)
        return;
    const QByteArray body = m_buffer.mid(end + 4, length);
    const bool ok = m_buffer.startsWith("HTTP/1.1 200");
    m_buffer.remove(0, end + 4 + length);
    m_waiting = false;
    if (!ok) {
        Q_EMIT failed(tr("Polling: the server answered \"%1\".").arg(QString::fromUtf8(body.left(200))));
        stop();
        return;
    }
    const QJsonObject answer = QJsonDocument::fromJson(body).object();
    const qint64 arrived = now();
    const QJsonArray events = answer.value(u"events"_s).toArray();
    for (const QJsonValue& v : events) {
        ++m_stats.events;
        m_stats.latency.add(std::max<qint64>(0, arrived - qint64(v.toObject().value(u"time"_s).toDouble())));
    }
    m_after = qint64(answer.value(u"next"_s).toDouble());
    if (m_long)
        sendRequest();
    else
        m_next.start(int(std::max<qint64>(0, m_pollIntervalMs - m_sentAt.elapsed())));
}

} // namespace wsi
