#include "actionrunner.h"

using namespace Qt::StringLiterals;

namespace wsi {

Action Action::send(const MessageRequest& message, int repeat, int intervalMs)
{
    Action a;
    a.kind = Kind::Send;
    a.message = message;
    a.repeat = std::max(0, repeat);
    a.intervalMs = std::max(0, intervalMs);
    return a;
}

Action Action::text(const QString& text, bool placeholders)
{
    MessageRequest m;
    m.kind = MessageRequest::Kind::Text;
    m.input = text;
    m.placeholders = placeholders;
    return send(m);
}

Action Action::binary(const QByteArray& bytes)
{
    MessageRequest m;
    m.kind = MessageRequest::Kind::Bytes;
    m.bytes = bytes;
    return send(m);
}

Action Action::ping(const QByteArray& payload)
{
    Action a;
    a.kind = Kind::Ping;
    a.payload = payload;
    return a;
}

Action Action::close(int code, const QString& reason)
{
    Action a;
    a.kind = Kind::Close;
    a.closeCode = code;
    a.payload = reason.toUtf8();
    return a;
}

Action Action::frameSizeChange(qint64 bytes)
{
    Action a;
    a.kind = Kind::FrameSize;
    a.frameSize = bytes;
    return a;
}

Action Action::wait(int ms)
{
    Action a;
    a.kind = Kind::Wait;
    a.waitMs = std::max(0, ms);
    return a;
}

Action Action::closeAfter(int ms)
{
    Action a;
    a.kind = Kind::CloseAfter;
    a.waitMs = std::max(0, ms);
    return a;
}

ActionRunner::ActionRunner(Session* session, QObject* parent)
    : QObject(parent)
    , m_session(session)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &ActionRunner::onTimer);
    if (session) {
        connect(session, &Session::stateChanged, this, &ActionRunner::onStateChanged);
        connect(session, &Session::sendQueueDrained, this, [this] {
            if (!std::exchange(m_queueWait, false) || m_waiting != Waiting::Repeat)
                return;
            m_timer.start(m_actions.at(m_step).intervalMs);
        });
    }
}

ActionRunner::~ActionRunner() = default;

void ActionRunner::setComposer(MessageComposer* composer)
{
    m_composer = composer ? composer : &m_ownComposer;
}

Result<void> ActionRunner::transmit(const ComposedMessage& message)
{
    if (message.frameSize >= 0)
        m_session->setOutgoingFrameSize(quint64(message.frameSize));
    return message.binary ? m_session->sendBinary(message.bytes, message.compress)
                          : m_session->sendText(message.text, message.compress);
}

Result<ComposedMessage> ActionRunner::runOne(const Action& a)
{
    if (!m_session)
        return Error { tr("No session: nothing was sent."), {} };
    if (a.kind == Action::Kind::Wait || a.kind == Action::Kind::CloseAfter)
        return Error { tr("Waiting is only possible in a list of actions."), {} };
    if (a.kind == Action::Kind::FrameSize) {
        if (a.frameSize < 0 || a.frameSize > MessageComposer::kMaxFrameSize)
            return Error { tr("A frame size must be from 0 to %1 bytes, not %2.")
                               .arg(MessageComposer::kMaxFrameSize)
                               .arg(a.frameSize),
                {} };
        m_session->setOutgoingFrameSize(quint64(a.frameSize));
        ComposedMessage m;
        m.frameSize = a.frameSize;
        return m;
    }
    if (m_session->state() != Session::State::Open)
        return Error { tr("Not connected: the message was not sent."), {} };
    switch (a.kind) {
    case Action::Kind::Send: {
        Result<ComposedMessage> m = m_composer->compose(a.message);
        if (!m)
            return m;
        if (Result<void> sent = transmit(*m); !sent)
            return sent.error();
        return m;
    }
    case Action::Kind::Ping:
    case Action::Kind::Close: {
        // Our own close changes the state at once; that is no reason to complain about the rest.
        const bool wasClosing = std::exchange(m_closing, a.kind == Action::Kind::Close);
        const Result<void> done = a.kind == Action::Kind::Ping
            ? m_session->ping(a.payload)
            : m_session->close(a.closeCode, QString::fromUtf8(a.payload));
        m_closing = wasClosing;
        if (!done)
            return done.error();
        ComposedMessage m;
        m.binary = true;
        m.bytes = a.payload;
        return m;
    }
    default:
        break;
    }
    return Error { tr("Unknown action."), {} };
}

void ActionRunner::start(const QList<Action>& actions, bool everyOpen)
{
    stop();
    m_actions = actions;
    m_everyOpen = everyOpen;
    m_armed = true;
    if (m_session && m_session->state() == Session::State::Open)
        begin();
}

void ActionRunner::stop()
{
    m_armed = false;
    if (m_running)
        finishRun();
}

void ActionRunner::onStateChanged(Session::State state)
{
    if (state == Session::State::Open) {
        if (m_armed && !m_running)
            begin();
        return;
    }
    // The connection went away: what is left is not sent (after a reconnect it starts again).
    if (m_running) {
        if (m_closing) {
            finishRun();
            return;
        }
        int left = 0; // waiting for -w's close or a pause is no loss
        for (qsizetype i = m_step; i < m_actions.size(); ++i) {
            const Action::Kind k = m_actions.at(i).kind;
            if (k != Action::Kind::Wait && k != Action::Kind::CloseAfter && k != Action::Kind::FrameSize)
                ++left;
        }
        if (left > 0)
            Q_EMIT failed(tr("The connection closed: %n action(s) were not carried out.", nullptr, left));
        finishRun();
    }
}

void ActionRunner::begin()
{
    m_armed = m_everyOpen;
    m_step = 0;
    m_running = true;
    ++m_runId;
    Q_EMIT runningChanged(true);
    advance();
}

void ActionRunner::finishRun()
{
    m_timer.stop();
    m_waiting = Waiting::Nothing;
    m_queueWait = false;
    m_repeatCache.reset();
    m_running = false;
    ++m_runId;
    Q_EMIT runningChanged(false);
    Q_EMIT finished();
}

void ActionRunner::advance()
{
    const quint64 run = m_runId;
    while (m_running && run == m_runId && m_step < m_actions.size()) {
        const Action& a = m_actions.at(m_step);
        switch (a.kind) {
        case Action::Kind::Send:
            m_repeatSent = 0;
            m_repeatTarget = a.repeat;
            m_repeatCache.reset();
            if (a.message.isBinary()) {
                // Binary input is parsed (and a file read) once for the whole repeat.
                Result<ComposedMessage> m = m_composer->compose(a.message);
                if (!m) {
                    Q_EMIT failed(m.error().message);
                    break;
                }
                m_repeatCache = std::move(m).value();
            }
            Q_EMIT repeatProgress(0, m_repeatTarget);
            if (run != m_runId)
                return;
            if (repeatOnce() && run == m_runId) {
                scheduleRepeat();
                return;
            }
            break;
        case Action::Kind::Wait:
        case Action::Kind::CloseAfter:
            m_waiting = a.kind == Action::Kind::Wait ? Waiting::Wait : Waiting::CloseAfter;
            m_timer.start(a.waitMs);
            return;
        case Action::Kind::Close:
            report(runOne(a));
            if (run == m_runId && m_running) {
                m_step = m_actions.size(); // nothing follows a close
                finishRun();
            }
            return;
        case Action::Kind::Ping:
        case Action::Kind::FrameSize:
            report(runOne(a));
            break;
        }
        if (run != m_runId)
            return;
        ++m_step;
    }
    if (m_running && run == m_runId)
        finishRun();
}

bool ActionRunner::repeatOnce()
{
    const quint64 run = m_runId;
    const Action& a = m_actions.at(m_step);
    Result<ComposedMessage> m
        = m_repeatCache ? Result<ComposedMessage>(*m_repeatCache) : m_composer->compose(a.message);
    if (m) {
        if (!m_session || m_session->state() != Session::State::Open)
            m = Error { tr("Not connected: the message was not sent."), {} };
        else if (Result<void> sent = transmit(*m); !sent)
            m = sent.error();
    }
    if (!m) {
        Q_EMIT failed(m.error().message);
        return false;
    }
    ++m_repeatSent;
    Q_EMIT messageSent(*m);
    if (run != m_runId)
        return false;
    Q_EMIT repeatProgress(m_repeatSent, m_repeatTarget);
    if (run != m_runId)
        return false;
    return m_repeatTarget == 0 || m_repeatSent < m_repeatTarget;
}

void ActionRunner::onTimer()
{
    const Waiting what = std::exchange(m_waiting, Waiting::Nothing);
    const quint64 run = m_runId;
    switch (what) {
    case Waiting::Nothing:
        return;
    case Waiting::Repeat:
        if (repeatOnce() && run == m_runId) {
            scheduleRepeat();
            return;
        }
        m_repeatCache.reset();
        break;
    case Waiting::Wait:
        break;
    case Waiting::CloseAfter:
        if (m_session && m_session->state() == Session::State::Open) {
            report(runOne(Action::close(1000)));
            if (run == m_runId && m_running) {
                m_step = m_actions.size();
                finishRun();
            }
            return;
        }
        break;
    }
    if (run != m_runId || !m_running)
        return;
    ++m_step;
    advance();
}

void ActionRunner::scheduleRepeat()
{
    m_waiting = Waiting::Repeat;
    if (m_session && m_session->isSendQueueBusy()) {
        // No timer: the wire is behind, and sending on would only pile messages up in memory.
        m_queueWait = true;
        m_session->notifyWhenSendQueueDrained();
        return;
    }
    m_timer.start(m_actions.at(m_step).intervalMs);
}

void ActionRunner::report(const Result<ComposedMessage>& result)
{
    if (result)
        Q_EMIT messageSent(*result);
    else
        Q_EMIT failed(result.error().message);
}

} // namespace wsi
