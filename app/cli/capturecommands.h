#pragma once

#include "capture/replayer.h"

#include <QCoreApplication>
#include <QFile>
#include <QObject>
#include <QPointer>
#include <QTextStream>

namespace wsi {

// The terminal's capture commands: --convert IN OUT (capture ↔ HAR ↔ text by extension) and
// --replay FILE [URL] [--speed X] [--ignore POINTER]… [--ignore-regex RE]… [--connection N],
// which exits 0 when the server's answers match the recording and 4 when they differ.
class CaptureCommands : public QObject
{
    Q_OBJECT
public:
    enum ExitCode { ExitMatch = 0, ExitFailure = 1, ExitUsage = 2, ExitDiffer = 4 };
    static constexpr int kMaxPrintedDifferences = 10;

    static bool isCaptureCommand(const QStringList& arguments);

    // Prints to out and err (stdout and stderr when null).
    explicit CaptureCommands(
        const QStringList& arguments, QIODevice* out = nullptr, QIODevice* err = nullptr, QObject* parent = nullptr);
    ~CaptureCommands() override;

    // Runs the command. Returns false when it is already over (exitCode() tells how); otherwise
    // finished(exitCode) follows.
    bool start();
    int exitCode() const { return m_exitCode; }

    // The replay's report: the first differences, then one summary line.
    static QString report(const ReplayResult& result, int maxDifferences = kMaxPrintedDifferences);

Q_SIGNALS:
    void finished(int exitCode);

private:
    bool convert(const QString& in, const QString& out);
    bool replay();
    void printError(const QString& line);

    QStringList m_args;
    QFile m_stdout;
    QFile m_stderr;
    QTextStream m_out;
    QTextStream m_err;
    QPointer<Replayer> m_replayer;
    int m_exitCode = ExitFailure;
};

} // namespace wsi
