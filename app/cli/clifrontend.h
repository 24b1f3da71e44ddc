#pragma once

#include "cli/cliformatter.h"
#include "cli/clioptions.h"
#include "session/session.h"

#include <QFile>
#include <QObject>
#include <QTextStream>
#include <QTimer>

namespace wsi {

class ActionRunner;
class MiniProgramCheckRun;

// The terminal front end: runs one Session and prints what happens, one line per event.
class CliFrontend : public QObject
{
    Q_OBJECT
public:
    enum ExitCode { ExitClean = 0, ExitFailure = 1, ExitUsage = 2, ExitUncleanClose = 3 };

    // Prints to out and err (stdout and stderr when null). Lines to out are collected in one buffer
    // and written in large pieces: at once when stdout is a terminal, else when the buffer is
    // large, after a short delay, and at the end.
    explicit CliFrontend(
        const CliOptions& options, QIODevice* out = nullptr, QIODevice* err = nullptr, QObject* parent = nullptr);
    ~CliFrontend() override;

    // Validates and starts. Returns false (and prints the one-line reason) if nothing could start;
    // otherwise finished(exitCode) follows.
    bool start();
    // Ctrl+C: close with 1000, or abort when not open.
    void interrupt();
    int exitCode() const { return m_exitCode; }

    static constexpr qsizetype kFlushBytes = 256 * 1024;
    static constexpr int kFlushDelayMs = 20;

    static QString formatTime(qint64 epochUs);
    // One line for an entry; verbose adds a compressed message's wire size ("(deflated 312 B)").
    static QString describe(const LogEntry& entry, bool verbose = false);
    // One line with a frame header's bits (-v).
    static QString describeFrame(const FrameInfo& frame);

Q_SIGNALS:
    void finished(int exitCode);

private:
    // --check miniprogram: one connection, the report on out, exit 1 when a rule fails.
    bool startCheck();
    void onEntries(const LogBatch& batch);
    void onState(Session::State state, const QString& reason);
    void finish(int code);
    // Queues UTF-8 for out; writes it when due.
    void write(const QByteArray& bytes);
    void scheduleFlush();
    void flushOut();
    // One line to err, after what is pending for out (so the two keep their order on a terminal).
    void printError(const QString& line);

    CliOptions m_options;
    Session* m_session = nullptr;
    ActionRunner* m_runner = nullptr;
    MiniProgramCheckRun* m_check = nullptr;
    QIODevice* m_outDevice = nullptr; // null: stdout's file descriptor
    bool m_outIsTerminal = false;
    QByteArray m_outBuffer;
    QTimer m_flushTimer;
    CliFormatter m_formatter;
    QFile m_stderr;
    QTextStream m_err;
    int m_exitCode = ExitFailure;
    bool m_finished = false;
    bool m_bodyPrinted = false;
    bool m_tlsPrinted = false;
    bool m_extensionsPrinted = false;
};

} // namespace wsi
