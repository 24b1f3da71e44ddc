#pragma once

#include "cli/clioptions.h"
#include "payload/placeholderexpander.h"
#include "session/session.h"

#include <QFile>
#include <QObject>
#include <QTextStream>
#include <QTimer>

namespace wsi {

// The terminal front end: runs one Session and prints what happens, one line per event.
class CliFrontend : public QObject
{
    Q_OBJECT
public:
    enum ExitCode { ExitClean = 0, ExitFailure = 1, ExitUsage = 2, ExitUncleanClose = 3 };

    // Prints to out and err (stdout and stderr when null).
    explicit CliFrontend(
        const CliOptions& options, QIODevice* out = nullptr, QIODevice* err = nullptr, QObject* parent = nullptr);
    ~CliFrontend() override;

    // Validates and starts. Returns false (and prints the one-line reason) if nothing could start;
    // otherwise finished(exitCode) follows.
    bool start();
    // Ctrl+C: close with 1000, or abort when not open.
    void interrupt();
    int exitCode() const { return m_exitCode; }

    static QString formatTime(qint64 epochUs);
    static QString describe(const LogEntry& entry);
    // One line with a frame header's bits (-v).
    static QString describeFrame(const FrameInfo& frame);

Q_SIGNALS:
    void finished(int exitCode);

private:
    void onEntries(const LogBatch& batch);
    void onState(Session::State state, const QString& reason);
    void runActions();
    void finish(int code);

    CliOptions m_options;
    Session* m_session = nullptr;
    QFile m_stdout;
    QFile m_stderr;
    QTextStream m_out;
    QTextStream m_err;
    QTimer m_waitTimer;
    PlaceholderExpander m_placeholders; // -x TEXT: {{counter}} counts the -x messages
    int m_exitCode = ExitFailure;
    bool m_finished = false;
    bool m_bodyPrinted = false;
    bool m_tlsPrinted = false;
};

} // namespace wsi
