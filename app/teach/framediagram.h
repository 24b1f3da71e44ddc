#pragma once

#include "wire/wiretypes.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

namespace wsi {

// A frame's header drawn as RFC 6455 §5.2 draws it: the exact header bytes (rebuilt from the
// recorded fields, including which length encoding the sender chose), each field with its bit
// range, value and meaning, and the first payload bytes both as they crossed the wire (masked) and
// unmasked. For Explain mode's Frames view and for tests.
struct FrameDiagram
{
    struct Field
    {
        QString name; // "FIN", "RSV1", "opcode", "MASK", "payload length", ...
        int bitOffset = 0; // from the first bit of the frame
        int bitCount = 0;
        quint64 value = 0;
        QString meaning;
    };

    QByteArray header; // 2 to 14 bytes, exactly as on the wire
    QList<Field> fields;
    QByteArray payloadOnWire; // the first payload bytes as sent (masked when MASK is 1)
    QByteArray payloadUnmasked; // the same bytes after unmasking
    quint64 payloadLength = 0;

    // payload: the frame's unmasked payload (or its first bytes); at most previewBytes are shown.
    static FrameDiagram build(const FrameInfo& frame, QByteArrayView payload, int previewBytes = 16);
    // A plain-text rendering: the bytes in hex and binary, then one line per field.
    QStringList textLines() const;
    // The field a bit belongs to (index into fields), -1 past the header.
    int fieldAt(int bit) const;

    Q_DECLARE_TR_FUNCTIONS(wsi::FrameDiagram) // last: the macro ends in "private:"
};

} // namespace wsi
