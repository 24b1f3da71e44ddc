#pragma once

#include "capture/capturedocument.h"
#include "capture/jsondiff.h"
#include "profiles/profile.h"
#include "session/session.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

namespace wsi {

// What a replay does: where to connect, with which handshake, the client's messages to send and
// the server's recorded answers to compare with, and how fast.
struct ReplayPlan
{
    enum class Pacing {
        AfterAnswer, // each message once the server answered the previous one (or answerTimeoutMs passed)
        Recorded, // the recorded gaps, divided by speed
        AsFastAsPossible,
    };
    Profile profile; // url, headers, subprotocols, origin (editable before the replay)
    Pacing pacing = Pacing::AfterAnswer;
    double speed = 1.0;
    LogBatch toSend; // the client's recorded messages
    LogBatch expected; // the server's recorded messages
    JsonDiff::Options diff;
    int answerTimeoutMs = 3000; // longest wait for an answer, and for the last ones after sending
    int quietMs = 500; // after the last message: this long without a new one ends the replay early

    // From a recorded connection: its URL (or url when given), the request's own headers (not
    // those QWebSocket writes itself), its subprotocols and Origin, and its messages.
    static ReplayPlan fromSession(const CapturedSession& session, const QString& url = {});
};

// One recorded answer against the one now, matched in order.
struct ReplayMatch
{
    int index = 0; // 0-based among the server's messages
    bool hasRecorded = false;
    bool hasActual = false;
    LogEntry recorded;
    LogEntry actual;
    QList<JsonDiff::Difference> differences;
    bool matches() const { return hasRecorded && hasActual && differences.isEmpty(); }
};

struct ReplayResult
{
    QString error; // the connection failed: nothing to compare
    int sent = 0;
    QList<ReplayMatch> matches;
    int differing() const;
    bool ok() const { return error.isEmpty() && differing() == 0; }
};

// Sends a recorded conversation again through a Session and compares the answers. One replay per
// object: start(), then finished() once.
class Replayer : public QObject
{
    Q_OBJECT
public:
    explicit Replayer(const ReplayPlan& plan, QObject* parent = nullptr);
    ~Replayer() override;

    void start();
    void cancel();
    Session* session() const { return m_session; }
    const ReplayResult& result() const { return m_result; }

    static QList<ReplayMatch> compare(
        const LogBatch& expected, const LogBatch& actual, const JsonDiff::Options& options);

Q_SIGNALS:
    void progress(int sent, int received);
    void finished(const wsi::ReplayResult& result);

private:
    void onState(Session::State state, const QString& reason);
    void onEntries(const LogBatch& batch);
    void sendNext();
    void scheduleNext();
    void allSent();
    void finish(const QString& error = {});

    ReplayPlan m_plan;
    Session* m_session = nullptr;
    QTimer m_timer; // the next send, or the end
    LogBatch m_received;
    ReplayResult m_result;
    int m_next = 0;
    qsizetype m_receivedAtLastSend = 0;
    bool m_waitingAnswer = false;
    bool m_done = false;
    bool m_sendingDone = false;
    bool m_quietStarted = false; // the wait for extra answers began (it is not restarted)
    static constexpr qsizetype kMaxExtraAnswers = 10000;
    QElapsedTimer m_sinceLast;
};

} // namespace wsi

Q_DECLARE_METATYPE(wsi::ReplayResult)
