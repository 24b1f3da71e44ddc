#pragma once

#include "log/logentry.h"
#include "session/session.h"

#include <QSignalSpy>
#include <QTest>

namespace wsi::test {

// Collects everything a session publishes, in order.
class EntryRecorder : public QObject
{
public:
    explicit EntryRecorder(Session* session)
    {
        QObject::connect(session, &Session::entriesAdded, this, [this](const LogBatch& b) { entries.append(b); });
    }
    QList<LogEntry> entries;

    QList<LogEntry> ofKind(LogEntry::Kind kind, Direction dir) const
    {
        QList<LogEntry> out;
        for (const auto& e : entries) {
            if (e.kind == kind && e.dir == dir)
                out.append(e);
        }
        return out;
    }
};

inline bool waitForState(Session* session, Session::State state, int timeoutMs = 10000)
{
    if (session->state() == state)
        return true;
    QSignalSpy spy(session, &Session::stateChanged);
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (session->state() == state)
            return true;
        spy.wait(int(std::max<qint64>(1, deadline.remainingTime())));
    }
    return session->state() == state;
}

} // namespace wsi::test
