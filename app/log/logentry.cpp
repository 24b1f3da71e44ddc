#include "logentry.h"

#include <QCoreApplication>

#include <chrono>

using namespace Qt::StringLiterals;

namespace wsi {

qint64 LogEntry::nowUs()
{
    // QDateTime has millisecond resolution only; the capture format promises microseconds.
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    return std::chrono::duration_cast<std::chrono::microseconds>(now).count();
}

qint64 LogEntry::wireLength() const
{
    if (!wirePayload.isEmpty())
        return wirePayload.size();
    if (!isCompressed())
        return payload.size();
    qint64 sum = 0;
    for (const FrameInfo& f : frames)
        sum += qint64(f.length);
    return sum;
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
        return QCoreApplication::translate("wsi::LogEntry", "text");
    case LogEntry::Kind::Binary:
        return QCoreApplication::translate("wsi::LogEntry", "binary");
    case LogEntry::Kind::Ping:
        return QCoreApplication::translate("wsi::LogEntry", "ping");
    case LogEntry::Kind::Pong:
        return QCoreApplication::translate("wsi::LogEntry", "pong");
    case LogEntry::Kind::Close:
        return QCoreApplication::translate("wsi::LogEntry", "close");
    case LogEntry::Kind::Handshake:
        return QCoreApplication::translate("wsi::LogEntry", "handshake");
    case LogEntry::Kind::State:
        return QCoreApplication::translate("wsi::LogEntry", "state");
    case LogEntry::Kind::Error:
        return QCoreApplication::translate("wsi::LogEntry", "error");
    case LogEntry::Kind::Info:
        return QCoreApplication::translate("wsi::LogEntry", "info");
    }
    return {};
}

} // namespace wsi
