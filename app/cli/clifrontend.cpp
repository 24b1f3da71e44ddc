#include "clifrontend.h"

#include "profiles/profilevalidator.h"

#include <QDateTime>
#include <QSslCertificate>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace wsi {

CliFrontend::CliFrontend(const CliOptions& options, QIODevice* out, QIODevice* err, QObject* parent)
    : QObject(parent)
    , m_options(options)
{
    if (!out) {
        m_stdout.open(stdout, QIODevice::WriteOnly);
        out = &m_stdout;
    }
    if (!err) {
        m_stderr.open(stderr, QIODevice::WriteOnly);
        err = &m_stderr;
    }
    m_out.setDevice(out);
    m_err.setDevice(err);
    m_waitTimer.setSingleShot(true);
    connect(&m_waitTimer, &QTimer::timeout, this, [this] {
        if (m_session && m_session->state() == Session::State::Open)
            m_session->close(1000, {});
    });
}

CliFrontend::~CliFrontend() = default;

QString CliFrontend::formatTime(qint64 epochUs)
{
    return QDateTime::fromMSecsSinceEpoch(epochUs / 1000).toString(u"hh:mm:ss.zzz"_s);
}

QString CliFrontend::describe(const LogEntry& e)
{
    const QString arrow = e.dir == Direction::Send ? u">"_s : e.dir == Direction::Receive ? u"<"_s : u"*"_s;
    QString line = arrow + u' ';
    switch (e.kind) {
    case LogEntry::Kind::Text:
        line += u"text   %1 B  %2"_s.arg(e.payload.size()).arg(QString::fromUtf8(e.payload));
        break;
    case LogEntry::Kind::Binary:
        line += u"binary %1 B  %2"_s.arg(e.payload.size())
                    .arg(QString::fromLatin1(e.payload.left(64).toHex(' '))
                        + (e.payload.size() > 64 ? u" …"_s : QString()));
        break;
    case LogEntry::Kind::Ping:
    case LogEntry::Kind::Pong:
        line += u"%1   %2 B  %3"_s.arg(kindName(e.kind)).arg(e.payload.size()).arg(QString::fromUtf8(e.payload));
        break;
    case LogEntry::Kind::Close:
        line += u"close  %1 %2"_s.arg(e.closeCode).arg(QString::fromUtf8(e.closeReason()));
        break;
    case LogEntry::Kind::Handshake:
        line += QString::fromUtf8(e.payload).trimmed().replace(u"\r\n"_s, u"\n               "_s + arrow + u' ');
        break;
    case LogEntry::Kind::Error:
        line += tr("error: %1").arg(QString::fromUtf8(e.payload));
        break;
    case LogEntry::Kind::State:
    case LogEntry::Kind::Info:
        line += QString::fromUtf8(e.payload);
        break;
    }
    return line.trimmed();
}

QString CliFrontend::describeFrame(const FrameInfo& f)
{
    QString line = u"frame fin=%1 rsv=%2 opcode=%3 (%4) mask=%5"_s.arg(int(f.fin))
                       .arg(f.rsv)
                       .arg(f.opcode)
                       .arg(opcodeName(f.opcode))
                       .arg(int(f.masked));
    if (f.masked)
        line += u" key=%1"_s.arg(f.maskKey, 8, 16, QLatin1Char('0'));
    line += u" length=%1 (%2-bit)"_s.arg(f.length).arg(f.lengthBytes == 0 ? 7 : f.lengthBytes * 8);
    if (!f.violations.isEmpty())
        line += u" VIOLATION: "_s + f.violations.join(u"; "_s);
    return line;
}

bool CliFrontend::start()
{
    const ConnectionPlan plan = ProfileValidator::validate(m_options.profile);
    if (!plan.ok()) {
        m_err << tr("wsinspector: %1").arg(plan.firstError()) << Qt::endl;
        m_exitCode = ExitUsage;
        return false;
    }
    if (!m_options.profile.tls.verify)
        m_err << tr("wsinspector: warning: TLS certificate verification is off (-n); anyone in the middle can read "
                    "and change this connection.")
              << Qt::endl;
    m_session = new Session(m_options.profile, this);
    connect(m_session, &Session::entriesAdded, this, &CliFrontend::onEntries);
    connect(m_session, &Session::stateChanged, this, &CliFrontend::onState);
    if (m_options.verbose) {
        // A refused upgrade's body (a 401's explanation, a 302's page) says why.
        connect(m_session, &Session::handshakeUpdated, this, [this] {
            const TlsInfo& tls = m_session->handshake().tls;
            if (!m_tlsPrinted && !tls.isEmpty()) {
                m_tlsPrinted = true;
                const QList<QSslCertificate> leaf = tls.peerChainPem.isEmpty()
                    ? QList<QSslCertificate>()
                    : QSslCertificate::fromData(tls.peerChainPem.first(), QSsl::Pem);
                m_out << formatTime(LogEntry::nowUs()) << u"  * "_s
                      << tr("%1 %2, certificate %3%4")
                             .arg(tls.protocol, tls.cipher,
                                 tls.verified ? tr("verified")
                                              : tr("NOT verified (%1)").arg(tls.verificationErrors.join(u"; "_s)),
                                 leaf.isEmpty()
                                     ? QString()
                                     : tr(": %1, SHA-256 %2")
                                           .arg(leaf.first().subjectDisplayName(),
                                               QString::fromLatin1(
                                                   leaf.first().digest(QCryptographicHash::Sha256).toHex(':'))))
                      << u'\n';
                m_out.flush();
            }
            const HttpHead& r = m_session->handshake().response;
            if (m_bodyPrinted || r.status == 0 || r.status == 101 || r.body.isEmpty())
                return;
            m_bodyPrinted = true;
            m_out << u"               < "_s
                  << QString::fromUtf8(r.body.left(4096)).replace(u'\n', u"\n                < "_s) << u'\n';
            m_out.flush();
        });
    }
    if (!m_options.capturePath.isEmpty()) {
        if (const QString error = m_session->setCaptureFile(m_options.capturePath); !error.isEmpty()) {
            m_err << tr("wsinspector: %1").arg(error) << Qt::endl;
            m_exitCode = ExitFailure;
            return false;
        }
    }
    m_session->open();
    return true;
}

void CliFrontend::interrupt()
{
    if (!m_session)
        return finish(ExitFailure);
    if (m_session->state() == Session::State::Open) {
        m_session->close(1000, {});
    } else if (m_session->state() == Session::State::Connecting || m_session->state() == Session::State::Closing
        || m_session->isReconnectPending()) {
        m_session->abort(tr("Interrupted.")); // a pending reconnect says it was cancelled, then we finish
    } else {
        finish(m_exitCode);
    }
}

void CliFrontend::onEntries(const LogBatch& batch)
{
    for (const LogEntry& e : batch) {
        if (e.kind == LogEntry::Kind::Handshake && !m_options.verbose)
            continue;
        m_out << formatTime(e.timeUs) << u"  "_s << describe(e) << u'\n';
        if (m_options.verbose) {
            for (const FrameInfo& f : e.frames)
                m_out << u"                "_s << describeFrame(f) << u'\n';
        }
    }
    m_out.flush();
}

void CliFrontend::onState(Session::State state, const QString& reason)
{
    switch (state) {
    case Session::State::Open:
        runActions();
        break;
    case Session::State::Closed:
    case Session::State::Failed:
        // With --auto-reconnect keep running while a reconnect is scheduled; the session arms it
        // right after this state change, so decide once the event loop is back.
        QTimer::singleShot(0, this, [this, state, reason] {
            if (m_finished || m_session->state() != state || m_session->isReconnectPending())
                return;
            if (state == Session::State::Failed) {
                m_err << tr("wsinspector: %1").arg(reason) << Qt::endl;
                finish(ExitFailure);
            } else {
                finish(m_session->closeCode() == 1000 ? ExitClean : ExitUncleanClose);
            }
        });
        break;
    default:
        break;
    }
}

void CliFrontend::runActions()
{
    if (m_options.frameSize > 0)
        m_session->setOutgoingFrameSize(m_options.frameSize);
    for (const CliAction& a : std::as_const(m_options.actions)) {
        QString error;
        switch (a.kind) {
        case CliAction::Kind::Text: {
            const auto r = m_placeholders.expand(QString::fromUtf8(a.data));
            error = r.ok() ? m_session->sendText(r.text) : r.error;
            break;
        }
        case CliAction::Kind::Binary:
            error = m_session->sendBinary(a.data);
            break;
        case CliAction::Kind::Ping:
            error = m_session->ping(a.data);
            break;
        case CliAction::Kind::Close:
            error = m_session->close(a.closeCode, QString::fromUtf8(a.data));
            return;
        }
        if (!error.isEmpty())
            m_err << tr("wsinspector: %1").arg(error) << Qt::endl;
    }
    if (m_options.waitSeconds >= 0)
        m_waitTimer.start(int(m_options.waitSeconds * 1000));
}

void CliFrontend::finish(int code)
{
    if (m_finished)
        return;
    m_finished = true;
    m_exitCode = code;
    m_out.flush();
    Q_EMIT finished(code);
}

} // namespace wsi
