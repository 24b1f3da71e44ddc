#include "clifrontend.h"

#include "check/miniprogramcheckrun.h"
#include "profiles/profilevalidator.h"
#include "send/actionrunner.h"
#include "wire/httpbody.h"

#include <QDateTime>
#include <QSslCertificate>

#include <cerrno>
#include <cstdio>
#include <poll.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace wsi {

CliFrontend::CliFrontend(const CliOptions& options, QIODevice* out, QIODevice* err, QObject* parent)
    : QObject(parent)
    , m_options(options)
{
    m_outDevice = out;
    m_outIsTerminal = !out && ::isatty(STDOUT_FILENO) == 1;
    if (!err) {
        m_stderr.open(stderr, QIODevice::WriteOnly);
        err = &m_stderr;
    }
    m_err.setDevice(err);
    m_flushTimer.setSingleShot(true);
    connect(&m_flushTimer, &QTimer::timeout, this, &CliFrontend::flushOut);
}

CliFrontend::~CliFrontend()
{
    flushOut();
}

void CliFrontend::write(const QByteArray& bytes)
{
    m_outBuffer.append(bytes);
    scheduleFlush();
}

void CliFrontend::scheduleFlush()
{
    if (m_outIsTerminal || m_outBuffer.size() >= kFlushBytes)
        flushOut();
    else if (!m_outBuffer.isEmpty() && !m_flushTimer.isActive())
        m_flushTimer.start(kFlushDelayMs);
}

void CliFrontend::flushOut()
{
    m_flushTimer.stop();
    if (m_outBuffer.isEmpty())
        return;
    if (m_outDevice) {
        m_outDevice->write(m_outBuffer);
    } else {
        const char* p = m_outBuffer.constData();
        qsizetype left = m_outBuffer.size();
        while (left > 0) {
            const ssize_t n = ::write(STDOUT_FILENO, p, size_t(left));
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) { // someone made stdout non-blocking
                pollfd pfd { STDOUT_FILENO, POLLOUT, 0 };
                ::poll(&pfd, 1, -1);
                continue;
            }
            if (n <= 0)
                break; // stdout is gone (closed pipe): nothing more can be shown
            p += n;
            left -= n;
        }
    }
    m_outBuffer.clear(); // keeps its capacity for the next lines
}

void CliFrontend::printError(const QString& line)
{
    flushOut();
    m_err << line << Qt::endl;
}

QString CliFrontend::formatTime(qint64 epochUs)
{
    return QDateTime::fromMSecsSinceEpoch(epochUs / 1000).toString(u"hh:mm:ss.zzz"_s);
}

QString CliFrontend::describe(const LogEntry& e, bool verbose)
{
    const QString wireSize = verbose && e.isCompressed() ? u"(deflated %1 B)  "_s.arg(e.wireLength()) : QString();
    const QString arrow = e.dir == Direction::Send ? u">"_s : e.dir == Direction::Receive ? u"<"_s : u"*"_s;
    QString line = arrow + u' ';
    switch (e.kind) {
    case LogEntry::Kind::Text:
        line += u"text   %1 B  %2%3"_s.arg(e.payload.size()).arg(wireSize, QString::fromUtf8(e.payload));
        break;
    case LogEntry::Kind::Binary:
        line += u"binary %1 B  %2%3"_s.arg(e.payload.size())
                    .arg(wireSize,
                        QString::fromLatin1(e.payload.left(64).toHex(' '))
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
                       .arg(f.rsv & 4 ? u"%1 (RSV1)"_s.arg(f.rsv) : QString::number(f.rsv))
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
        printError(tr("wsinspector: %1").arg(plan.firstError()));
        m_exitCode = ExitUsage;
        return false;
    }
    if (!m_options.check.isEmpty())
        return startCheck();
    if (!m_options.profile.tls.verify)
        printError(tr("wsinspector: warning: TLS certificate verification is off (-n); anyone in the middle can read "
                      "and change this connection."));
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
                QByteArray line;
                m_formatter.appendTime(line, LogEntry::nowUs());
                line += "  * ";
                line += tr("%1 %2, certificate %3%4")
                            .arg(tls.protocol, tls.cipher,
                                tls.verified ? tr("verified")
                                             : tr("NOT verified (%1)").arg(tls.verificationErrors.join(u"; "_s)),
                                leaf.isEmpty()
                                    ? QString()
                                    : tr(": %1, SHA-256 %2")
                                          .arg(leaf.first().subjectDisplayName(),
                                              QString::fromLatin1(
                                                  leaf.first().digest(QCryptographicHash::Sha256).toHex(':'))))
                            .toUtf8();
                line += '\n';
                write(line);
            }
            if (!m_extensionsPrinted && !m_session->handshake().extensions.isEmpty()) {
                m_extensionsPrinted = true; // what the relay negotiated for QWebSocket
                QByteArray line;
                // Negotiated by the 101: its time, so the line never reads later than the Open after it.
                const qint64 at = m_session->handshake().responseAtUs;
                m_formatter.appendTime(line, at > 0 ? at : LogEntry::nowUs());
                line += "  * " + m_session->handshake().extensions.toUtf8() + '\n';
                write(line);
            }
            const HttpHead& r = m_session->handshake().response;
            if (m_bodyPrinted || r.status == 0 || r.status == 101 || r.body.isEmpty())
                return;
            m_bodyPrinted = true;
            // Decoded as the window's handshake page shows it: a chunked 404 page without its chunk sizes.
            const HttpBodyText body = HttpBody::decode(r, r.body);
            QString text = QString::fromUtf8(body.data.left(4096));
            text.replace(u"\r\n"_s, u"\n"_s);
            while (text.endsWith(u'\n'))
                text.chop(1);
            if (!body.note.isEmpty())
                text.prepend(u"["_s + body.note + u"]\n"_s);
            const QString indent = u"               < "_s; // under the response head's lines
            write((indent + text.replace(u'\n', u'\n' + indent) + u'\n').toUtf8());
        });
    }
    if (!m_options.capturePath.isEmpty()) {
        if (const Result<void> recording = m_session->setCaptureFile(m_options.capturePath); !recording) {
            printError(tr("wsinspector: %1").arg(recording.errorMessage()));
            m_exitCode = ExitFailure;
            return false;
        }
    }
    // -x, --ping, --close, -w...: carried out once the connection is open (again after a reconnect);
    // a failure is printed and the next action still runs.
    m_runner = new ActionRunner(m_session, this);
    connect(m_runner, &ActionRunner::failed, this,
        [this](const QString& message) { printError(tr("wsinspector: %1").arg(message)); });
    m_runner->start(m_options.runnerActions(), true);
    m_session->open();
    return true;
}

bool CliFrontend::startCheck()
{
    m_check = new MiniProgramCheckRun(m_options.profile, this);
    connect(m_check, &MiniProgramCheckRun::finished, this, [this](const MiniProgramReport& report) {
        write(report.toText().toUtf8());
        finish(report.hasFailures() ? ExitFailure : ExitClean);
    });
    m_check->start();
    return true;
}

void CliFrontend::interrupt()
{
    if (m_check)
        return finish(ExitFailure);
    if (!m_session)
        return finish(ExitFailure);
    if (m_session->state() == Session::State::Open) {
        (void)m_session->close(1000, {}); // valid code and reason, and open: nothing to refuse
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
        m_formatter.appendEntry(m_outBuffer, e, m_options.verbose);
        if (m_outBuffer.size() >= kFlushBytes) // a big batch does not make the buffer big
            flushOut();
    }
    scheduleFlush();
}

void CliFrontend::onState(Session::State state, const QString& reason)
{
    switch (state) {
    case Session::State::Closed:
    case Session::State::Failed:
        // With --auto-reconnect keep running while a reconnect is scheduled; the session arms it
        // right after this state change, so decide once the event loop is back.
        QTimer::singleShot(0, this, [this, state, reason] {
            if (m_finished || m_session->state() != state || m_session->isReconnectPending())
                return;
            if (state == Session::State::Failed) {
                printError(tr("wsinspector: %1").arg(reason));
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

void CliFrontend::finish(int code)
{
    if (m_finished)
        return;
    m_finished = true;
    m_exitCode = code;
    flushOut();
    Q_EMIT finished(code);
}

} // namespace wsi
