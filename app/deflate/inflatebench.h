#pragma once

#include "util/result.h"

#include <QByteArray>
#include <QList>

namespace wsi {

// The benchmark scenario "deflate", engine half: the same compressed messages inflated
// through MessageInflater and through a bare zlib loop in one run, so the bench reports the
// inflater's cost against a same-run baseline. The relay integration adds the end-to-end rate.
struct InflateBenchResult
{
    qint64 messages = 0;
    qint64 compressedBytes = 0;
    qint64 inflatedBytes = 0; // equal for both loops, or the run is an Error
    qint64 inflaterNs = 0;
    qint64 bareZlibNs = 0;
    double ratio() const { return bareZlibNs > 0 ? double(inflaterNs) / double(bareZlibNs) : 0.0; }
};

// count JSON messages of about approxSize bytes each (varying fields, so they compress like real
// traffic), compressed as one sender with context takeover would send them (tail stripped).
QList<QByteArray> makeDeflateBenchMessages(int count, int approxSize = 1024, int windowBits = 15);
// The JSON text of message i, as makeDeflateBenchMessages compresses it.
QByteArray deflateBenchMessageText(int i, int approxSize = 1024);

// Inflates every message once through each loop (context takeover unless noContextTakeover),
// alternating rounds so that neither loop always runs on a warm cache; rounds >= 1.
Result<InflateBenchResult> runInflateBench(
    const QList<QByteArray>& compressed, int windowBits, bool noContextTakeover, qint64 maxMessageSize, int rounds = 1);

} // namespace wsi
