#pragma once

#include "capture/capturedocument.h"
#include "util/result.h"

#include <QCoreApplication>

class QIODevice;

namespace wsi {

// Writes connections (a whole tab or the selected rows) as a HAR 1.2 file, a JSON Lines
// sub-capture (docs/capture-format.md) or plain text. --convert and File → Export use it.
class CaptureExport
{
    Q_DECLARE_TR_FUNCTIONS(wsi::CaptureExport)
public:
    enum class Format { Har, Jsonl, Text };

    // By extension: .har, .jsonl, .txt; anything else is an error naming the three.
    static Result<Format> formatForPath(const QString& path);
    static Result<void> writeFile(const QString& path, const QList<CapturedSession>& sessions);
    static Result<void> write(QIODevice* out, Format format, const QList<CapturedSession>& sessions);

    // A capture that --convert or File → Open reads back to the same messages: frames when the
    // entry has them (plus a `message` event when the frames carry another payload, as compressed
    // ones do), a `message` event when it has none (HAR imports).
    static Result<void> writeJsonl(QIODevice* out, const QList<CapturedSession>& sessions);
    static Result<void> writeText(QIODevice* out, const QList<CapturedSession>& sessions);
};

} // namespace wsi
