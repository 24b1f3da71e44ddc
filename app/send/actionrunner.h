#pragma once

#include "send/action.h"
#include "send/messagecomposer.h"
#include "session/session.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <optional>

namespace wsi {

// Carries out actions on a Session in order: the terminal front end's and the window's command
// line, and the send panel's sends and repeats. Every failure is reported, never dropped.
class ActionRunner : public QObject
{
    Q_OBJECT
public:
    explicit ActionRunner(Session* session, QObject* parent = nullptr);
    ~ActionRunner() override;

    Session* session() const { return m_session; }
    // The placeholder state ({{counter}}) and file limits every send goes through; by default the
    // runner's own, or a composer shared with others (it must outlive the runner).
    MessageComposer* composer() const { return m_composer; }
    void setComposer(MessageComposer* composer);

    // Does one action at once (the session must be open) and returns what went out or why nothing
    // did; no signal. Send ignores repeat, Wait and CloseAfter are not allowed here.
    Result<ComposedMessage> runOne(const Action& action);

    // Runs actions in order, now if the session is open, else as soon as it opens; with
    // everyOpen, again after each reconnect. Replaces what was running.
    void start(const QList<Action>& actions, bool everyOpen = false);
    // Stops what is running; nothing more is sent.
    void stop();
    bool isRunning() const { return m_running; }
    // Sends of the current Send step so far, and its target (0 = until stopped).
    int repeatSent() const { return m_repeatSent; }
    int repeatTarget() const { return m_repeatTarget; }
    // A repeat is held back until the session's send backlog drains (Session::isSendQueueBusy()),
    // so that a repeat with interval 0 never outruns the wire.
    bool isWaitingForSendQueue() const { return m_waiting == Waiting::Repeat && m_queueWait; }

Q_SIGNALS:
    void messageSent(const wsi::ComposedMessage& message);
    // A step failed; message names it and says why. A failed Send stops its repeats; the list
    // goes on with the next step.
    void failed(const QString& message);
    void repeatProgress(int sent, int target);
    void runningChanged(bool running);
    // The list ran to its end or was stopped.
    void finished();

private:
    enum class Waiting { Nothing, Repeat, Wait, CloseAfter };
    void onStateChanged(Session::State state);
    void begin();
    void finishRun();
    // Runs steps until one has to wait or the list ends.
    void advance();
    // One send of the current repeating step; false when the repeat is over.
    bool repeatOnce();
    void onTimer();
    // The next send of the current repeat: after its interval, or once the send backlog drained.
    void scheduleRepeat();
    void report(const Result<ComposedMessage>& result);
    Result<void> transmit(const ComposedMessage& message);

    QPointer<Session> m_session;
    MessageComposer m_ownComposer;
    MessageComposer* m_composer = &m_ownComposer;
    QList<Action> m_actions;
    qsizetype m_step = 0;
    bool m_armed = false; // runs at the next open
    bool m_everyOpen = false;
    bool m_running = false;
    bool m_closing = false; // inside our own Session::close()
    // Changes whenever a run starts or ends, so a handler that stops or restarts the runner from
    // inside a signal is noticed by the loop that emitted it.
    quint64 m_runId = 0;
    Waiting m_waiting = Waiting::Nothing;
    bool m_queueWait = false; // waiting for Session::sendQueueDrained
    int m_repeatSent = 0;
    int m_repeatTarget = 0;
    std::optional<ComposedMessage> m_repeatCache;
    QTimer m_timer;
};

} // namespace wsi

Q_DECLARE_METATYPE(wsi::ComposedMessage)
