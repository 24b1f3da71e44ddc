#pragma once

#include "send/messagecomposer.h"
#include "session/session.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <optional>

namespace wsi {

// One step of what a front end asked to do on an open connection.
struct Action
{
    enum class Kind {
        Send, // message (composed at send time: placeholders change per send), repeat times, intervalMs apart
        Ping, // payload
        Close, // closeCode, payload = reason (UTF-8); the steps after it are dropped
        FrameSize, // frameSize for the messages that follow (0 = Qt's default)
        Wait, // waitMs, then the next step
        CloseAfter, // waitMs, then close with 1000 if still open (-w)
    };
    Kind kind = Kind::Send;
    MessageRequest message;
    QByteArray payload;
    int closeCode = 1000;
    qint64 frameSize = 0;
    int waitMs = 0;
    int repeat = 1; // Send: how many times; 0 = until stopped
    int intervalMs = 0; // Send: between repeats

    static Action send(const MessageRequest& message, int repeat = 1, int intervalMs = 0);
    static Action text(const QString& text, bool placeholders = true);
    static Action binary(const QByteArray& bytes);
    static Action ping(const QByteArray& payload = {});
    static Action close(int code = 1000, const QString& reason = {});
    static Action frameSizeChange(qint64 bytes);
    static Action wait(int ms);
    static Action closeAfter(int ms);
};

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
    int m_repeatSent = 0;
    int m_repeatTarget = 0;
    std::optional<ComposedMessage> m_repeatCache;
    QTimer m_timer;
};

} // namespace wsi

Q_DECLARE_METATYPE(wsi::ComposedMessage)
