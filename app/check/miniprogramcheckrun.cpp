#include "miniprogramcheckrun.h"

#include "session/session.h"

namespace wsi {

namespace {
constexpr int kGuardMarginMs = 5000;
}

MiniProgramCheckRun::MiniProgramCheckRun(const Profile& profile, QObject* parent)
    : QObject(parent)
    , m_profile(profile)
{
    qRegisterMetaType<wsi::MiniProgramReport>();
    m_profile.autoReconnect = false;
    m_profile.keepAlivePingMs = 0;
    m_guard.setSingleShot(true);
    connect(&m_guard, &QTimer::timeout, this, [this] {
        finish(tr("The check gave up after %1 ms.").arg(m_guard.interval()));
        if (m_session)
            m_session->abort(tr("The check gave up."));
    });
}

MiniProgramCheckRun::~MiniProgramCheckRun() = default;

bool MiniProgramCheckRun::isRunning() const
{
    return !m_session.isNull() && !m_done;
}

void MiniProgramCheckRun::start()
{
    if (m_session)
        return;
    m_session = new Session(m_profile, this);
    connect(m_session, &Session::stateChanged, this, [this](Session::State state, const QString& reason) {
        switch (state) {
        case Session::State::Open:
            m_seen.opened = true;
            if (const Result<void> closing = m_session->close(1000, {}); !closing)
                finish(closing.errorMessage());
            break;
        case Session::State::Closed:
            finish({});
            break;
        case Session::State::Failed:
            finish(reason);
            break;
        default:
            break;
        }
    });
    m_guard.start(m_profile.handshakeTimeoutMs + kGuardMarginMs);
    m_session->open();
}

void MiniProgramCheckRun::finish(const QString& failure)
{
    if (m_done)
        return;
    m_done = true;
    m_guard.stop();
    m_seen.failure = failure;
    if (m_session)
        m_seen.handshake = m_session->handshake();
    m_report = MiniProgramCheck::evaluate(m_profile, m_seen);
    Q_EMIT finished(m_report);
}

} // namespace wsi
