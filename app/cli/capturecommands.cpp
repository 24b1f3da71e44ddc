#include "capturecommands.h"

#include "capture/captureexport.h"
#include "capture/capturefilereader.h"

#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace wsi {

bool CaptureCommands::isCaptureCommand(const QStringList& arguments)
{
    return arguments.contains(u"--convert"_s) || arguments.contains(u"--replay"_s);
}

CaptureCommands::CaptureCommands(const QStringList& arguments, QIODevice* out, QIODevice* err, QObject* parent)
    : QObject(parent)
    , m_args(arguments)
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
}

CaptureCommands::~CaptureCommands() = default;

void CaptureCommands::printError(const QString& line)
{
    m_out.flush();
    m_err << "wsinspector: " << line << Qt::endl;
}

bool CaptureCommands::start()
{
    QStringList args = m_args;
    args.removeAll(u"--cli"_s);
    if (const qsizetype i = args.indexOf(u"--convert"_s); i >= 0) {
        if (args.size() != 3 || i != 0) {
            printError(tr("--convert takes exactly two files: wsinspector --convert IN OUT (for example "
                          "capture.jsonl capture.har)."));
            m_exitCode = ExitUsage;
            return false;
        }
        m_exitCode = convert(args.at(1), args.at(2)) ? ExitMatch : ExitFailure;
        m_out.flush();
        return false;
    }
    return replay();
}

bool CaptureCommands::convert(const QString& in, const QString& out)
{
    if (const Result<CaptureExport::Format> f = CaptureExport::formatForPath(out); !f) {
        printError(f.errorMessage());
        m_exitCode = ExitUsage;
        return false;
    }
    QStringList notices;
    const Result<QList<CapturedSession>> sessions = CaptureFileReader::readAll(in, &notices);
    for (const QString& n : std::as_const(notices))
        printError(n);
    if (!sessions) {
        printError(sessions.errorMessage());
        return false;
    }
    if (const Result<void> written = CaptureExport::writeFile(out, *sessions); !written) {
        printError(written.errorMessage());
        return false;
    }
    qint64 messages = 0;
    for (const CapturedSession& s : *sessions) {
        for (const LogEntry& e : s.entries)
            messages += e.isMessage() ? 1 : 0;
    }
    m_out << tr("%1 → %2: %n connection(s)", nullptr, int(sessions->size())).arg(in, out) << u", "_s
          << tr("%n message(s)", nullptr, int(messages)) << Qt::endl;
    return true;
}

bool CaptureCommands::replay()
{
    QString file;
    QString url;
    double speed = -1; // < 0: after each answer
    bool fast = false;
    int connection = 0;
    int timeoutMs = 3000;
    QStringList pointers;
    QStringList patterns;
    const auto usage = [this](const QString& message) {
        printError(message);
        m_exitCode = ExitUsage;
        return false;
    };
    for (qsizetype i = 0; i < m_args.size(); ++i) {
        const QString& a = m_args.at(i);
        const auto value = [&](QString* v) {
            if (i + 1 >= m_args.size())
                return false;
            *v = m_args.at(++i);
            return true;
        };
        QString v;
        if (a == u"--cli") {
            continue;
        } else if (a == u"--replay") {
            if (!value(&file))
                return usage(tr("--replay needs a capture or HAR file."));
        } else if (a == u"--speed") {
            if (!value(&v))
                return usage(tr("--speed needs a factor, e.g. 2 (twice as fast as recorded) or max."));
            bool ok = false;
            if (v == u"max") {
                fast = true;
            } else {
                speed = v.toDouble(&ok);
                if (!ok || speed <= 0 || speed > 1000)
                    return usage(tr("--speed \"%1\" is not a factor between 0 and 1000, or max.").arg(v));
            }
        } else if (a == u"--ignore") {
            if (!value(&v))
                return usage(tr("--ignore needs a JSON pointer, e.g. /timestamp or /items/*/id."));
            pointers.append(v);
        } else if (a == u"--ignore-regex") {
            if (!value(&v))
                return usage(tr("--ignore-regex needs a regular expression."));
            patterns.append(v);
        } else if (a == u"--connection") {
            if (!value(&v))
                return usage(tr("--connection needs a number."));
            bool ok = false;
            connection = v.toInt(&ok);
            if (!ok || connection <= 0)
                return usage(tr("--connection \"%1\" is not a connection number (1, 2, …).").arg(v));
        } else if (a == u"--timeout") {
            if (!value(&v))
                return usage(tr("--timeout needs milliseconds."));
            bool ok = false;
            timeoutMs = v.toInt(&ok);
            if (!ok || timeoutMs < 100 || timeoutMs > 600000)
                return usage(tr("--timeout \"%1\" is not between 100 and 600000 ms.").arg(v));
        } else if (!a.startsWith(u'-') && url.isEmpty() && !file.isEmpty()) {
            url = a;
        } else {
            return usage(tr("Unknown argument \"%1\" for --replay. Usage: wsinspector --cli --replay FILE [URL] "
                            "[--speed X|max] [--ignore POINTER]… [--ignore-regex RE]… [--connection N] [--timeout MS]")
                             .arg(a));
        }
    }
    Result<JsonDiff::Options> diff = JsonDiff::makeOptions(pointers, patterns);
    if (!diff)
        return usage(diff.errorMessage());
    QStringList notices;
    const Result<QList<CapturedSession>> sessions = CaptureFileReader::readAll(file, &notices);
    for (const QString& n : std::as_const(notices))
        printError(n);
    if (!sessions) {
        printError(sessions.errorMessage());
        m_exitCode = ExitFailure;
        return false;
    }
    const CapturedSession* chosen = nullptr;
    for (const CapturedSession& s : *sessions) {
        if (connection == 0 || s.connection.id == connection) {
            chosen = &s;
            break;
        }
    }
    if (!chosen)
        return usage(tr("%1 has no connection %2.").arg(QFileInfo(file).fileName()).arg(connection));
    if (connection == 0 && sessions->size() > 1)
        printError(tr("%1 holds %n connection(s); replaying the first (choose with --connection N).", nullptr,
            int(sessions->size()))
                       .arg(QFileInfo(file).fileName()));
    ReplayPlan plan = ReplayPlan::fromSession(*chosen, url);
    plan.diff = *diff;
    plan.answerTimeoutMs = timeoutMs;
    plan.pacing = fast ? ReplayPlan::Pacing::AsFastAsPossible
        : speed > 0    ? ReplayPlan::Pacing::Recorded
                       : ReplayPlan::Pacing::AfterAnswer;
    plan.speed = speed > 0 ? speed : 1.0;
    if (plan.toSend.isEmpty() && plan.expected.isEmpty()) {
        printError(tr("Connection %1 of %2 has no message to replay.").arg(chosen->connection.id).arg(file));
        m_exitCode = ExitFailure;
        return false;
    }
    m_out << tr("Replaying %n message(s)", nullptr, int(plan.toSend.size())) << u" → "_s << plan.profile.url
          << Qt::endl;
    m_replayer = new Replayer(plan, this);
    connect(m_replayer, &Replayer::finished, this, [this](const ReplayResult& result) {
        if (!result.error.isEmpty()) {
            printError(result.error);
            m_exitCode = ExitFailure;
        } else {
            m_out << report(result) << Qt::endl;
            m_exitCode = result.ok() ? ExitMatch : ExitDiffer;
        }
        m_out.flush();
        // Let the session's close frame go out before the caller ends the event loop.
        QMetaObject::invokeMethod(
            this, [this] { Q_EMIT finished(m_exitCode); }, Qt::QueuedConnection);
    });
    m_replayer->start();
    return true;
}

QString CaptureCommands::report(const ReplayResult& result, int maxDifferences)
{
    QString out;
    int printed = 0;
    for (const ReplayMatch& m : result.matches) {
        if (m.matches())
            continue;
        if (printed >= maxDifferences)
            break;
        ++printed;
        out += tr("Answer %1:").arg(m.index + 1) + u'\n';
        for (const JsonDiff::Difference& d : m.differences)
            out += u"  "_s + JsonDiff::describe(d) + u'\n';
    }
    const int differing = result.differing();
    if (differing == 0)
        out += tr("All %n answer(s) match the recording.", nullptr, int(result.matches.size()));
    else
        out += tr("%n answer(s) differ from the recording", nullptr, differing)
            + tr(" (%n compared).", nullptr, int(result.matches.size()));
    return out;
}

} // namespace wsi
