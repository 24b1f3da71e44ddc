#include "replayer.h"

#include <QUrl>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {
// Headers QWebSocket writes itself (a second copy would go out if the profile had them too).
bool writtenByQt(const QByteArray& name)
{
    static const QList<QByteArray> own { "host", "upgrade", "connection", "sec-websocket-key", "sec-websocket-version",
        "sec-websocket-protocol", "sec-websocket-extensions", "origin", "content-length" };
    return own.contains(name.toLower());
}
} // namespace

int ReplayResult::differing() const
{
    int n = 0;
    for (const ReplayMatch& m : matches)
        n += m.matches() ? 0 : 1;
    return n;
}

ReplayPlan ReplayPlan::fromSession(const CapturedSession& session, const QString& url)
{
    ReplayPlan plan;
    const HttpHead& request = session.connection.handshake.request;
    plan.profile.name = QCoreApplication::translate("wsi::Replayer", "Replay");
    plan.profile.url = url.isEmpty() ? session.connection.url.toString() : url;
    for (const auto& [name, value] : request.headers) {
        if (!writtenByQt(name))
            plan.profile.headers.append({ QString::fromLatin1(name), QString::fromLatin1(value) });
    }
    for (const QByteArray& value : request.headerValues("Sec-WebSocket-Protocol")) {
        for (const QByteArray& p : value.split(','))
            if (!p.trimmed().isEmpty())
                plan.profile.subprotocols.append(QString::fromLatin1(p.trimmed()));
    }
    plan.profile.origin = QString::fromLatin1(request.header("Origin"));
    for (const LogEntry& e : session.entries) {
        if (!e.isMessage())
            continue;
        if (e.dir == Direction::Send)
            plan.toSend.append(e);
        else if (e.dir == Direction::Receive)
            plan.expected.append(e);
    }
    return plan;
}

Replayer::Replayer(const ReplayPlan& plan, QObject* parent)
    : QObject(parent)
    , m_plan(plan)
{
    qRegisterMetaType<wsi::ReplayResult>();
    m_timer.setSingleShot(true);
}

Replayer::~Replayer() = default;

void Replayer::start()
{
    m_session = new Session(m_plan.profile, this);
    connect(m_session, &Session::stateChanged, this, &Replayer::onState);
    connect(m_session, &Session::entriesAdded, this, &Replayer::onEntries);
    m_session->open();
}

void Replayer::cancel()
{
    finish(tr("Replay cancelled."));
}

void Replayer::onState(Session::State state, const QString& reason)
{
    if (m_done)
        return;
    if (state == Session::State::Open && m_next == 0 && !m_sendingDone) {
        m_sinceLast.start();
        sendNext();
    } else if (state == Session::State::Failed) {
        finish(reason.isEmpty() ? tr("The connection failed.") : reason);
    } else if (state == Session::State::Closed) {
        // The server closed: what came so far is the answer.
        m_timer.stop();
        finish();
    }
}

void Replayer::onEntries(const LogBatch& batch)
{
    bool any = false;
    for (const LogEntry& e : batch) {
        if (e.isMessage() && e.dir == Direction::Receive) {
            // A server that keeps pushing must not grow the answer list without bound: past the
            // recording plus a margin, extra answers are not kept (the diff already differs).
            if (m_received.size() < m_plan.expected.size() + kMaxExtraAnswers)
                m_received.append(e);
            any = true;
        }
    }
    if (!any || m_done)
        return;
    m_sinceLast.start();
    Q_EMIT progress(m_next, int(m_received.size()));
    if (m_waitingAnswer && m_received.size() > m_receivedAtLastSend) {
        m_waitingAnswer = false;
        m_timer.stop();
        sendNext();
    } else if (m_sendingDone && m_received.size() >= m_plan.expected.size()) {
        // Every recorded answer has its counterpart: wait a little for unexpected extra ones, once.
        // Extra answers do not restart the wait, or a server that keeps sending would never let
        // the replay finish.
        if (!m_quietStarted) {
            m_quietStarted = true;
            m_timer.start(std::min(m_plan.quietMs, m_plan.answerTimeoutMs));
        }
    }
}

void Replayer::sendNext()
{
    if (m_done)
        return;
    if (m_next >= m_plan.toSend.size()) {
        allSent();
        return;
    }
    const LogEntry& e = m_plan.toSend.at(m_next);
    const Result<void> sent = e.kind == LogEntry::Kind::Text ? m_session->sendText(QString::fromUtf8(e.payload))
                                                             : m_session->sendBinary(e.payload);
    if (!sent) {
        finish(sent.errorMessage());
        return;
    }
    ++m_next;
    m_result.sent = m_next;
    m_receivedAtLastSend = m_received.size();
    Q_EMIT progress(m_next, int(m_received.size()));
    scheduleNext();
}

void Replayer::scheduleNext()
{
    disconnect(&m_timer, nullptr, this, nullptr);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        m_waitingAnswer = false;
        sendNext();
    });
    switch (m_plan.pacing) {
    case ReplayPlan::Pacing::AsFastAsPossible:
        m_timer.start(0);
        break;
    case ReplayPlan::Pacing::Recorded: {
        qint64 gapUs = 0;
        if (m_next < m_plan.toSend.size())
            gapUs = m_plan.toSend.at(m_next).timeUs - m_plan.toSend.at(m_next - 1).timeUs;
        const double speed = m_plan.speed > 0 ? m_plan.speed : 1.0;
        m_timer.start(int(std::clamp<double>(double(gapUs) / 1000.0 / speed, 0, 3600 * 1000)));
        break;
    }
    case ReplayPlan::Pacing::AfterAnswer:
        if (m_next >= m_plan.toSend.size()) {
            m_timer.start(0);
        } else {
            m_waitingAnswer = true;
            m_timer.start(m_plan.answerTimeoutMs);
        }
        break;
    }
}

void Replayer::allSent()
{
    m_sendingDone = true;
    disconnect(&m_timer, nullptr, this, nullptr);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        // Nothing new for a while: done, or the last answers did not come.
        if (m_received.size() >= m_plan.expected.size() || m_sinceLast.elapsed() >= m_plan.answerTimeoutMs) {
            finish();
            return;
        }
        m_timer.start(int(std::max<qint64>(10, m_plan.answerTimeoutMs - m_sinceLast.elapsed())));
    });
    m_timer.start(m_received.size() >= m_plan.expected.size() ? m_plan.quietMs : m_plan.answerTimeoutMs);
}

QList<ReplayMatch> Replayer::compare(const LogBatch& expected, const LogBatch& actual, const JsonDiff::Options& options)
{
    QList<ReplayMatch> out;
    const qsizetype n = std::max(expected.size(), actual.size());
    for (qsizetype i = 0; i < n; ++i) {
        ReplayMatch m;
        m.index = int(i);
        m.hasRecorded = i < expected.size();
        m.hasActual = i < actual.size();
        if (m.hasRecorded)
            m.recorded = expected.at(i);
        if (m.hasActual)
            m.actual = actual.at(i);
        if (m.hasRecorded && m.hasActual) {
            if (m.recorded.kind != m.actual.kind) {
                m.differences.append({ {}, kindName(m.recorded.kind), kindName(m.actual.kind) });
            } else {
                m.differences = JsonDiff::compare(
                    m.recorded.payload, m.actual.payload, m.recorded.kind == LogEntry::Kind::Text, options);
            }
        } else {
            JsonDiff::Difference d;
            d.missingActual = !m.hasActual;
            d.missingRecorded = !m.hasRecorded;
            const LogEntry& present = m.hasRecorded ? m.recorded : m.actual;
            const QString text = present.kind == LogEntry::Kind::Text ? QString::fromUtf8(present.payload)
                                                                      : QString::fromLatin1(present.payload.toHex(' '));
            (m.hasRecorded ? d.recorded : d.actual) = text;
            m.differences.append(d);
        }
        out.append(m);
    }
    return out;
}

void Replayer::finish(const QString& error)
{
    if (m_done)
        return;
    m_done = true;
    m_timer.stop();
    m_result.error = error;
    if (error.isEmpty())
        m_result.matches = compare(m_plan.expected, m_received, m_plan.diff);
    if (m_session) {
        disconnect(m_session, nullptr, this, nullptr);
        if (m_session->state() == Session::State::Open)
            (void)m_session->close(1000, {}); // valid code and reason, and open: nothing to refuse
        else
            m_session->abort(tr("Replay finished."));
    }
    Q_EMIT finished(m_result);
}

} // namespace wsi
