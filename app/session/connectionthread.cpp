#include "connectionthread.h"

#include "session/connection.h"

#include <QDeadlineTimer>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {
constexpr int kSettleMs = 300;
}

ConnectionThread::ConnectionThread(const Profile& profile)
    : m_connection(new Connection(profile))
{
    m_thread.setObjectName(u"wsi-wire"_s);
    m_connection->moveToThread(&m_thread); // its timers and batcher are children and move with it
    // Deleted in its own thread once the event loop has stopped (QThread runs deferred deletes
    // after finished()), so no queued call can reach it after that.
    QObject::connect(&m_thread, &QThread::finished, m_connection, &QObject::deleteLater);
    m_thread.start();
}

ConnectionThread::~ConnectionThread()
{
    // After the commands already posted (a close() just before closing a tab still sends its close
    // frame), with a bound in case the thread does not get there.
    m_connection->postCommand([](Connection* c) { c->quitWhenSettled(kSettleMs); });
    if (!m_thread.wait(QDeadlineTimer(kSettleMs * 4))) {
        m_thread.quit();
        m_thread.wait();
    }
}

} // namespace wsi
