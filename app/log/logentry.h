#pragma once

#include "wire/wiretypes.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>

namespace wsi {

// One event a session publishes: a message, a control frame, a handshake head, a state change or
// an error. Value type; the log store, the capture writer and the terminal front end consume it.
struct LogEntry
{
    enum class Kind : quint8 {
        Text,
        Binary,
        Ping,
        Pong,
        Close,
        Handshake, // payload = the raw HTTP head (request when Send, response when Receive)
        State, // payload = UTF-8 description ("Connecting to ...", "Open", ...)
        Error, // payload = UTF-8 message for the user
        Info, // payload = UTF-8 note (reconnect scheduled, notice, ...)
    };

    qint64 timeUs = 0; // Unix epoch, microseconds
    Kind kind = Kind::Info;
    Direction dir = Direction::None;
    quint16 closeCode = 0; // Close only (0 = no code in the frame)
    QByteArray payload; // message bytes, control payload, head bytes, or UTF-8 text
    QList<FrameInfo> frames; // the frames that carried it, when the wire relay saw them
    // permessage-deflate messages only: the payload as it was on the wire (compressed; the frames'
    // payloadOffset index into it), while payload holds the inflated message. Empty otherwise.
    // Carried to the capture writer; the log store keeps the inflated payload and the frames.
    QByteArray wirePayload;

    bool isMessage() const { return kind == Kind::Text || kind == Kind::Binary; }
    bool isControl() const { return kind == Kind::Ping || kind == Kind::Pong || kind == Kind::Close; }
    // A message that crossed the wire compressed (RSV1 on its first frame).
    bool isCompressed() const { return isMessage() && !frames.isEmpty() && (frames.first().rsv & 4); }
    // Payload bytes on the wire: the sum of the frames' lengths when known, else the payload's size.
    qint64 wireLength() const;
    // Close frames: the reason after the 2-byte code.
    QByteArray closeReason() const { return kind == Kind::Close && payload.size() > 2 ? payload.mid(2) : QByteArray(); }

    static qint64 nowUs();
    static LogEntry note(Kind kind, const QString& text, Direction dir = Direction::None);
};

using LogBatch = QList<LogEntry>;

QString kindName(LogEntry::Kind kind);

} // namespace wsi

Q_DECLARE_METATYPE(wsi::LogEntry)
Q_DECLARE_METATYPE(wsi::LogBatch)
