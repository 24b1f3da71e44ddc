#include "eventsource.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

namespace wsi {

EventSource::EventSource(int intervalMs, QObject* parent)
    : QObject(parent)
    , m_intervalMs(std::max(intervalMs, kMinIntervalMs))
    , m_timer(this)
{
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(m_intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &EventSource::tick);
    m_timer.start();
}

EventSource::~EventSource() = default;

void EventSource::tick()
{
    const PushEvent event { ++m_last, QDateTime::currentMSecsSinceEpoch() };
    if (m_kept.size() < kKept)
        m_kept.append(event);
    else
        m_kept[(event.seq - 1) % kKept] = event;
    Q_EMIT produced(event);
}

QList<PushEvent> EventSource::eventsAfter(qint64 after, int max, qint64* missed) const
{
    QList<PushEvent> out;
    const qint64 oldest = std::max<qint64>(1, m_last - m_kept.size() + 1);
    const qint64 first = std::max(after + 1, oldest);
    if (missed)
        *missed = std::max<qint64>(0, first - std::max<qint64>(after + 1, 1));
    for (qint64 seq = first; seq <= m_last && out.size() < max; ++seq)
        out.append(m_kept.at((seq - 1) % kKept));
    return out;
}

QByteArray EventSource::encode(const PushEvent& event, PushFormat format, int size)
{
    QByteArray out;
    switch (format) {
    case PushFormat::Json: {
        out = "{\"seq\":" + QByteArray::number(event.seq) + ",\"time\":" + QByteArray::number(event.timeMs);
        constexpr int kPadField = int(sizeof(",\"pad\":\"\"") - 1);
        if (size > out.size() + kPadField + 1)
            out += ",\"pad\":\"" + QByteArray(size - out.size() - kPadField - 1, '.') + '"';
        out += '}';
        return out;
    }
    case PushFormat::Text:
        out = '#' + QByteArray::number(event.seq) + ' ' + QByteArray::number(event.timeMs);
        break;
    case PushFormat::Counter:
        out = "push #" + QByteArray::number(event.seq);
        break;
    }
    if (size > out.size())
        out.append(size - out.size(), '.');
    return out;
}

bool EventSource::decode(QByteArrayView view, PushEvent* event)
{
    if (view.startsWith('{')) {
        const QByteArray message = view.toByteArray();
        const QJsonObject o = QJsonDocument::fromJson(message).object();
        const QJsonValue seq = o.value(QLatin1StringView("seq"));
        const QJsonValue time = o.value(QLatin1StringView("time"));
        if (!seq.isDouble() || !time.isDouble())
            return false;
        *event = { qint64(seq.toDouble()), qint64(time.toDouble()) };
        return true;
    }
    if (view.startsWith('#')) {
        const QByteArray message = view.first(std::min<qsizetype>(view.size(), 64)).toByteArray();
        const qsizetype space = message.indexOf(' ');
        if (space < 2)
            return false;
        qsizetype end = space + 1;
        while (end < message.size() && message.at(end) >= '0' && message.at(end) <= '9')
            ++end;
        bool okSeq = false, okTime = false;
        const qint64 seq = message.mid(1, space - 1).toLongLong(&okSeq);
        const qint64 time = message.mid(space + 1, end - space - 1).toLongLong(&okTime);
        if (!okSeq || !okTime)
            return false;
        *event = { seq, time };
        return true;
    }
    return false;
}

} // namespace wsi
