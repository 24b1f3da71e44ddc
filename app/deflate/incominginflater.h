#pragma once

#include "deflate/messagecodec.h"
#include "util/result.h"
#include "wire/frameparser.h"

#include <QByteArray>
#include <QCoreApplication>

namespace wsi {

// Re-encodes a permessage-deflate client's frames for a server-side QWebSocket that speaks no
// extension (the built-in server): a message whose first frame has RSV1 is inflated (the client's
// window bits and context mode, bounded by the largest incoming message) and handed on as one
// ordinary masked frame; control frames and uncompressed messages go on exactly as the client
// wrote them. Pure: bytes in, bytes out.
class IncomingInflater
{
    Q_DECLARE_TR_FUNCTIONS(wsi::IncomingInflater)
public:
    // windowBits / noContextTakeover: what was negotiated for the client (client_max_window_bits,
    // client_no_context_takeover). maxMessageSize bounds a message both compressed and inflated.
    IncomingInflater(int windowBits, bool noContextTakeover, qint64 maxMessageSize);

    // The client's next bytes (after its request head) -> the bytes for QWebSocket. An Error
    // fails the connection with closeCode() and closeReason(); later calls return it again.
    Result<QByteArray> feed(QByteArrayView data);

    // 1002 (an RSV rule), 1007 (corrupt compressed data) or 1009 (too big: a decompression bomb);
    // 0 while nothing failed.
    quint16 closeCode() const { return m_closeCode; }
    // At most 123 bytes of UTF-8, for the close frame.
    QString closeReason() const { return m_closeReason; }

    qint64 compressedMessages() const { return m_compressedMessages; }
    qint64 wireBytes() const { return m_wireBytes; } // compressed payload bytes received
    qint64 inflatedBytes() const { return m_inflatedBytes; } // what they inflated to

    // Cuts text to at most 123 bytes of UTF-8 without splitting a character (a close reason).
    static QString closeReasonText(const QString& text);

private:
    Error fail(quint16 code, const QString& shortReason, const QString& message);

    FrameParser m_parser;
    MessageInflater m_inflater;
    qint64 m_maxMessageSize;
    QList<ParsedFrame> m_frames;
    bool m_inMessage = false; // a data message is under way
    bool m_compressed = false; // ... and its first frame had RSV1
    quint8 m_opcode = 0;
    QByteArray m_message;
    quint16 m_closeCode = 0;
    QString m_closeReason;
    QString m_error;
    qint64 m_compressedMessages = 0;
    qint64 m_wireBytes = 0;
    qint64 m_inflatedBytes = 0;
};

} // namespace wsi
