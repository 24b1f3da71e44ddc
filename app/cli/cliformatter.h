#pragma once

#include "log/logentry.h"

#include <QByteArray>

namespace wsi {

// Formats the terminal front end's lines straight into UTF-8, byte for byte what
// CliFrontend::formatTime() + describe() + describeFrame() give, without a QString per line.
class CliFormatter
{
public:
    // Appends the entry's line and, when verbose, one line per frame that carried it. Handshake
    // heads are left out unless verbose.
    void appendEntry(QByteArray& out, const LogEntry& entry, bool verbose);
    // Appends "hh:mm:ss.zzz" in local time.
    void appendTime(QByteArray& out, qint64 epochUs);

    // True when bytes are well-formed UTF-8 (what QString::fromUtf8 keeps unchanged).
    static bool isValidUtf8(QByteArrayView bytes);

private:
    qint64 m_cachedSecond = -1; // epoch seconds whose local "hh:mm:ss" is in m_cachedTime
    QByteArray m_cachedTime;
};

} // namespace wsi
