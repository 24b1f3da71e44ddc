#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <sys/types.h>

namespace wsi::bench {

// CLOCK_MONOTONIC in nanoseconds: the clock wsinspector-sender stamps its DONE lines with.
qint64 monotonicNs();

// How a child process ended, with its own peak resident memory (wait4's ru_maxrss).
struct ChildExit
{
    bool started = false;
    bool timedOut = false;
    int exitCode = -1;
    int signal = 0;
    qint64 maxRssKiB = 0;
    qint64 endNs = 0; // monotonicNs() when the helper's wait4 returned
    QString error;
    bool ok() const { return started && !timedOut && signal == 0 && exitCode == 0; }
};

// Runs argv (an absolute program path first) to completion under wsinspector-rusage (bench/rusage.cpp),
// with stdout and stderr sent to files (e.g. /dev/null); kills it after timeoutMs.
ChildExit runChild(const QString& rusageHelper, const QStringList& argv, const QString& stdoutPath,
    const QString& stderrPath, int timeoutMs);

// A running wsinspector-sender (bench/sender.cpp): started once, serves one connection after
// another; each connection's result is read from its stdout ("DONE {json}").
class SenderProcess
{
public:
    explicit SenderProcess(const QString& program);
    ~SenderProcess();
    SenderProcess(const SenderProcess&) = delete;
    SenderProcess& operator=(const SenderProcess&) = delete;

    bool start(QString* error);
    // ws://127.0.0.1:PORT/push?count=N&size=B
    QUrl url(qint64 count, int size) const;
    // The next connection's DONE object; empty after timeoutMs or when the sender is gone.
    QJsonObject nextDone(int timeoutMs);

private:
    QByteArray readLine(int timeoutMs);

    QString m_program;
    pid_t m_pid = -1;
    int m_out = -1;
    int m_port = 0;
    QByteArray m_buffer;
};

} // namespace wsi::bench
