#include "session.h"

#include "capture/capturewriter.h"
#include "profiles/profilevalidator.h"
#include "session/connection.h"
#include "session/connectionthread.h"
#include "session/sessionevents.h"

#include <QPointer>

using namespace Qt::StringLiterals;

namespace wsi {

Session::Session(const Profile& profile, QObject* parent)
    : QObject(parent)
    , m_profile(profile)
    , m_wire(std::make_unique<ConnectionThread>(profile))
{
    qRegisterMetaType<wsi::SessionEvents>();
    connect(m_wire->connection(), &Connection::eventsPosted, this, &Session::takeEvents, Qt::QueuedConnection);
}

Session::~Session() = default; // m_wire ends the thread; batches still queued to us are dropped

template <typename F> void Session::command(F&& f)
{
    m_wire->connection()->postCommand(std::forward<F>(f));
}

QString Session::stateName(State state)
{
    switch (state) {
    case State::Idle:
        return tr("Idle");
    case State::Connecting:
        return tr("Connecting");
    case State::Open:
        return tr("Open");
    case State::Closing:
        return tr("Closing");
    case State::Closed:
        return tr("Closed");
    case State::Failed:
        return tr("Failed");
    }
    return {};
}

void Session::setProfile(const Profile& profile)
{
    m_profile = profile;
    command([profile](Connection* c) { c->setProfile(profile); });
}

void Session::open()
{
    command([](Connection* c) { c->open(); });
}

Result<void> Session::sendText(const QString& text, std::optional<bool> compress)
{
    if (m_values.state != State::Open)
        return Error { tr("Not connected: the message was not sent."), {} };
    const qint64 bytes = text.size(); // UTF-16 units: what waits in memory is about this size or twice it
    if (Result<void> queued = queueSend(bytes); !queued)
        return queued;
    command([text, compress, bytes](Connection* c) { c->sendText(text, compress, bytes); });
    return {};
}

Result<void> Session::sendBinary(const QByteArray& data, std::optional<bool> compress)
{
    if (m_values.state != State::Open)
        return Error { tr("Not connected: the message was not sent."), {} };
    const qint64 bytes = data.size();
    if (Result<void> queued = queueSend(bytes); !queued)
        return queued;
    command([data, compress, bytes](Connection* c) { c->sendBinary(data, compress, bytes); });
    return {};
}

Result<void> Session::queueSend(qint64 bytes)
{
    Connection* c = m_wire->connection();
    const qint64 queued = c->queuedSendBytes();
    if (queued > SendQueueLimits::kLowWaterBytes && queued + bytes > SendQueueLimits::kHighWaterBytes) {
        const auto mib = [](qint64 n) { return QString::number(double(n) / (1024 * 1024), 'f', 1); };
        return Error { tr("Not sent: %1 MiB of earlier messages are still waiting to reach the server (which is "
                          "not reading, or the connection is slow); at most %2 MiB may wait.")
                           .arg(mib(queued), mib(SendQueueLimits::kHighWaterBytes)),
            {} };
    }
    c->addQueuedSend(bytes);
    return {};
}

qint64 Session::queuedSendBytes() const
{
    return m_wire->connection()->queuedSendBytes();
}

void Session::notifyWhenSendQueueDrained()
{
    command([](Connection* c) { c->notifyWhenSendDrained(); });
}

Result<void> Session::ping(const QByteArray& payload)
{
    if (m_values.state != State::Open)
        return Error { tr("Not connected: the ping was not sent."), {} };
    if (QString error = ProfileValidator::checkPingPayload(payload); !error.isEmpty())
        return Error { error, {} };
    command([payload](Connection* c) { c->ping(payload); });
    return {};
}

Result<void> Session::close(int code, const QString& reason)
{
    if (QString error = ProfileValidator::checkCloseCode(code); !error.isEmpty())
        return Error { error, {} };
    if (QString error = ProfileValidator::checkCloseReason(reason); !error.isEmpty())
        return Error { error, {} };
    command([code, reason](Connection* c) { c->close(code, reason); });
    if (m_values.state == State::Open) {
        // Said at once, as the connection will (its own word follows and changes nothing), so that
        // whoever sends next is refused now rather than after a round trip.
        m_values.state = State::Closing;
        m_values.reason = tr("Closing with code %1").arg(code);
        Q_EMIT stateChanged(m_values.state, m_values.reason);
    }
    return {};
}

void Session::abort(const QString& reason)
{
    command([reason](Connection* c) { c->abort(reason); });
}

void Session::setOutgoingFrameSize(quint64 size)
{
    command([size](Connection* c) { c->setOutgoingFrameSize(size); });
}

Result<void> Session::setCaptureFile(const QString& path)
{
    if (path.isEmpty()) {
        command([](Connection* c) { c->setCapture(nullptr); });
        return {};
    }
    // Opened here so that the caller hears at once when the file cannot be opened; written in the
    // wire thread from then on.
    auto writer = std::make_shared<CaptureWriter>();
    if (Result<void> opened = writer->open(path); !opened)
        return opened;
    writer->moveToThread(m_wire->connection()->thread());
    // Moved, not copied: the last reference (and with it the file) is released in the wire thread.
    command([writer = std::move(writer)](Connection* c) mutable { c->setCapture(std::move(writer)); });
    return {};
}

FlowControlStats Session::flowControlStats() const
{
    return m_wire->connection()->flowControlStats();
}

void Session::takeEvents()
{
    // One batch per event-loop turn, so that a backlog of batches (up to the flow-control bound)
    // does not stall the window: input and painting run between them.
    m_pending.append(m_wire->connection()->takeEvents());
    if (m_pending.isEmpty() || m_takePosted)
        return; // the call already posted applies the next one
    const SessionEvents batch = m_pending.takeFirst();
    const QPointer<Session> self(this);
    apply(batch);
    if (!self)
        return; // deleted by a listener
    if (!m_pending.isEmpty() && !m_takePosted) {
        m_takePosted = true;
        QMetaObject::invokeMethod(
            this,
            [this] {
                m_takePosted = false;
                takeEvents();
            },
            Qt::QueuedConnection);
    }
}

void Session::apply(const SessionEvents& batch)
{
    // A listener may delete this session from inside a signal (closing its tab).
    const QPointer<Session> self(this);
    const auto emitEntries = [&](qsizetype from, qsizetype to) {
        if (to <= from)
            return;
        if (from == 0 && to == batch.entries.size())
            Q_EMIT entriesAdded(batch.entries);
        else
            Q_EMIT entriesAdded(batch.entries.mid(from, to - from));
    };
    qsizetype done = 0;
    for (const SessionEvents::Marker& m : batch.markers) {
        emitEntries(done, m.at);
        if (!self)
            return;
        done = std::max(done, m.at);
        switch (m.type) {
        case SessionEvents::Marker::Type::State:
        case SessionEvents::Marker::Type::Values: {
            // Values first, so that every listener of the signal reads the new ones.
            const SessionSnapshot& v = m.values;
            // The connection confirming what close() already said is not news.
            const bool same = v.state == m_values.state && v.reason == m_values.reason
                && v.reconnectPending == m_values.reconnectPending;
            m_values = v;
            if (m.type == SessionEvents::Marker::Type::State && !same)
                Q_EMIT stateChanged(m_values.state, m_values.reason);
            break;
        }
        case SessionEvents::Marker::Type::Handshake:
            m_handshake = m.handshake;
            Q_EMIT handshakeUpdated();
            break;
        case SessionEvents::Marker::Type::CaptureStopped:
            Q_EMIT captureStopped(m.message);
            break;
        case SessionEvents::Marker::Type::SendDrained:
            Q_EMIT sendQueueDrained();
            break;
        }
        if (!self)
            return;
    }
    emitEntries(done, batch.entries.size());
    if (!self)
        return;
    // Every listener has taken the batch (they run inside the emits): the connection may read on.
    const qint64 bytes = batch.bytes;
    const qint64 entries = batch.entries.size();
    command([bytes, entries](Connection* c) { c->acknowledge(bytes, entries); });
}

} // namespace wsi
