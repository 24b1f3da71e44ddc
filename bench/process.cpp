#include "process.h"

#include <QHash>
#include <QJsonDocument>
#include <QTemporaryFile>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <vector>

extern char** environ;

using namespace Qt::StringLiterals;

namespace wsi::bench {

qint64 monotonicNs()
{
    timespec t {};
    clock_gettime(CLOCK_MONOTONIC, &t);
    return qint64(t.tv_sec) * 1000000000 + t.tv_nsec;
}

namespace {

// Owns the argv strings of a posix_spawn call.
struct Argv
{
    explicit Argv(const QStringList& args)
    {
        for (const QString& a : args)
            strings.push_back(a.toLocal8Bit());
        for (QByteArray& s : strings)
            pointers.push_back(s.data());
        pointers.push_back(nullptr);
    }
    std::vector<QByteArray> strings;
    std::vector<char*> pointers;
};

void addRedirect(posix_spawn_file_actions_t* actions, int fd, const QString& path)
{
    if (!path.isEmpty())
        posix_spawn_file_actions_addopen(
            actions, fd, path.toLocal8Bit().constData(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
}

} // namespace

ChildExit runChild(const QString& rusageHelper, const QStringList& argv, const QString& stdoutPath,
    const QString& stderrPath, int timeoutMs)
{
    ChildExit r;
    QTemporaryFile resultFile;
    if (!resultFile.open()) {
        r.error = u"cannot create a temporary file"_s;
        return r;
    }
    Argv args(QStringList { rusageHelper, resultFile.fileName(), QString::number(timeoutMs) } + argv);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    addRedirect(&actions, STDOUT_FILENO, stdoutPath);
    addRedirect(&actions, STDERR_FILENO, stderrPath);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, args.pointers[0], &actions, nullptr, args.pointers.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        r.error = u"cannot start %1: %2"_s.arg(rusageHelper, QString::fromLocal8Bit(std::strerror(rc)));
        return r;
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) { }
    // "maxrss_kib=N end_ns=N exit=N signal=N timed_out=N", written by the helper after wait4.
    QHash<QByteArray, qint64> values;
    for (const QByteArray& field : resultFile.readAll().trimmed().split(' ')) {
        const qsizetype eq = field.indexOf('=');
        if (eq > 0)
            values.insert(field.left(eq), field.mid(eq + 1).toLongLong());
    }
    if (!values.contains("end_ns")) {
        r.error = u"%1 reported nothing about %2"_s.arg(rusageHelper, argv.value(0));
        return r;
    }
    r.started = values.value("exit") != 127;
    r.maxRssKiB = values.value("maxrss_kib");
    r.endNs = values.value("end_ns");
    r.exitCode = int(values.value("exit"));
    r.signal = int(values.value("signal"));
    r.timedOut = values.value("timed_out") != 0;
    if (r.timedOut)
        r.error = u"%1 did not finish within %2 s"_s.arg(argv.value(0)).arg(timeoutMs / 1000);
    else if (!r.started)
        r.error = u"cannot start %1"_s.arg(argv.value(0));
    else if (!r.ok())
        r.error = r.signal ? u"%1 was killed by signal %2"_s.arg(argv.value(0)).arg(r.signal)
                           : u"%1 exited with %2"_s.arg(argv.value(0)).arg(r.exitCode);
    return r;
}

SenderProcess::SenderProcess(const QString& program)
    : m_program(program)
{ }

SenderProcess::~SenderProcess()
{
    if (m_pid > 0) {
        ::kill(m_pid, SIGTERM);
        int status = 0;
        while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) { }
    }
    if (m_out >= 0)
        ::close(m_out);
}

bool SenderProcess::start(QString* error)
{
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        *error = u"pipe: %1"_s.arg(QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    Argv args(QStringList { m_program });
    const int rc = posix_spawn(&m_pid, args.pointers[0], &actions, nullptr, args.pointers.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    m_out = fds[0];
    if (rc != 0) {
        m_pid = -1;
        *error = u"cannot start %1: %2"_s.arg(m_program, QString::fromLocal8Bit(std::strerror(rc)));
        return false;
    }
    const QByteArray line = readLine(10000);
    if (!line.startsWith("PORT ")) {
        *error = u"%1 did not say which port it listens on"_s.arg(m_program);
        return false;
    }
    m_port = line.mid(5).trimmed().toInt();
    return m_port > 0;
}

QUrl SenderProcess::url(qint64 count, int size) const
{
    return QUrl(u"ws://127.0.0.1:%1/push?count=%2&size=%3"_s.arg(m_port).arg(count).arg(size));
}

QByteArray SenderProcess::readLine(int timeoutMs)
{
    const qint64 deadline = monotonicNs() + qint64(timeoutMs) * 1000000;
    while (!m_buffer.contains('\n')) {
        const qint64 left = (deadline - monotonicNs()) / 1000000;
        if (left <= 0 || m_out < 0)
            return {};
        pollfd p { m_out, POLLIN, 0 };
        const int n = ::poll(&p, 1, int(left));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return {};
        char buf[4096];
        const ssize_t got = ::read(m_out, buf, sizeof buf);
        if (got <= 0)
            return {};
        m_buffer.append(buf, got);
    }
    const qsizetype eol = m_buffer.indexOf('\n');
    const QByteArray line = m_buffer.left(eol);
    m_buffer.remove(0, eol + 1);
    return line;
}

QJsonObject SenderProcess::nextDone(int timeoutMs)
{
    const QByteArray line = readLine(timeoutMs);
    if (!line.startsWith("DONE "))
        return {};
    return QJsonDocument::fromJson(line.mid(5)).object();
}

} // namespace wsi::bench
