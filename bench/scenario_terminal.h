#pragma once

#include <QJsonObject>
#include <QString>

namespace wsi::bench {

class SenderProcess;

struct TerminalOptions
{
    QString cliProgram; // wsinspector
    QString bareClientProgram; // wsinspector-bareclient
    QString rusageProgram; // wsinspector-rusage
    qint64 count = 1000000;
    qint64 longCount = 3000000; // 0: skip the long pair
    int size = 100;
    int rounds = 3;
};

// The terminal front end against a bare QWebSocket, both as child processes on the same sender;
// *ok is false when a run failed or the output was not complete and in order.
QJsonObject runTerminalScenario(SenderProcess& sender, const TerminalOptions& options, bool* ok);

} // namespace wsi::bench
