#pragma once

#include <QThread>

namespace wsi {

class Connection;
struct Profile;

// The one place that starts and ends a session's wire thread: makes the Connection, moves it into
// a new thread and starts it; on destruction stops the thread, which deletes the connection in it.
class ConnectionThread
{
public:
    explicit ConnectionThread(const Profile& profile);
    ~ConnectionThread();
    ConnectionThread(const ConnectionThread&) = delete;
    ConnectionThread& operator=(const ConnectionThread&) = delete;

    // Lives in the wire thread: call it only through queued calls (its counters are thread-safe).
    Connection* connection() const { return m_connection; }

private:
    QThread m_thread;
    Connection* m_connection = nullptr;
};

} // namespace wsi
