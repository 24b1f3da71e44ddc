#include "logentry.h"

#include <chrono>

using namespace Qt::StringLiterals;

namespace wsi {

qint64 LogEntry::nowUs()
{
    // QDateTime has millisecond resolution only; the capture format promises microseconds.
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    return std::chrono::duration_cast<std::chrono::microseconds>(now).count();
}

LogEntry LogEntry::note(Kind kind, const QString& text, Direction dir)
{
    LogEntry e;
    e.timeUs = nowUs();
    e.kind = kind;
    e.dir = dir;
    e.payload = text.toUtf8();
    return e;
}

QString kindName(LogEntry::Kind kind)
{
    switch (kind) {
    case LogEntry::Kind::Text:
        return u"text"_s;
    case LogEntry::Kind::Binary:
        return u"binary"_s;
    case LogEntry::Kind::Ping:
        return u"ping"_s;
    case LogEntry::Kind::Pong:
        return u"pong"_s;
    case LogEntry::Kind::Close:
        return u"close"_s;
    case LogEntry::Kind::Handshake:
        return u"handshake"_s;
    case LogEntry::Kind::State:
        return u"state"_s;
    case LogEntry::Kind::Error:
        return u"error"_s;
    case LogEntry::Kind::Info:
        return u"info"_s;
    }
    return {};
}

} // namespace wsi
