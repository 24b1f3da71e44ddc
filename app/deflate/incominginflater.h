#pragma once

#include "deflate/messagecodec.h"
#include "util/result.h"
#include "wire/frameparser.h"

#include <QByteArray>
#include <QCoreApplication>

#include <utility>

namespace wsi {

// Re-encodes a client's frames for a server-side QWebSocket (the built-in server) so that Qt 6.4
// accepts all that RFC 6455 and RFC 7692 allow: a message whose first frame has RSV1 is inflated
// (the client's window bits and context mode, bounded by the largest incoming message) and handed
// on as one ordinary masked frame; the fragments of an uncompressed text message are cut again at
// UTF-8 character boundaries (Qt decodes each frame on its own and refuses a split character with
// 1007; at most 3 bytes are held back); control frames and everything else go on exactly as the
// client wrote them. Pure: bytes in, bytes out.
class IncomingInflater
{
    Q_DECLARE_TR_FUNCTIONS(wsi::IncomingInflater)
public:
    // windowBits / noContextTakeover: what was negotiated for the client (client_max_window_bits,
    // client_no_context_takeover). maxMessageSize bounds a message both compressed and inflated.
    // deflate false: no extension was negotiated (RSV1 is then refused with 1002, as Qt does).
    IncomingInflater(int windowBits, bool noContextTakeover, qint64 maxMessageSize, bool deflate = true);

    // The client's next bytes (after its request head) -> the bytes for QWebSocket. An Error
    // fails the connection with closeCode() and closeReason(); later calls return it again.
    Result<QByteArray> feed(QByteArrayView data);

    // What the failing feed() produced before the frame that broke a rule (whole frames and
    // fragments as they would have gone to Qt): handed on before the close, once.
    QByteArray takeBeforeFault() { return std::exchange(m_beforeFault, QByteArray()); }

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
    // How many bytes at the end of utf8 are the start of a character whose rest has not come yet
    // (0-3); 0 when it ends on a boundary or the tail is not valid UTF-8 anyway (Qt judges that).
    static int incompleteCharacterTail(QByteArrayView utf8);

private:
    Error fail(QByteArray& produced, quint16 code, const QString& shortReason, const QString& message);

    FrameParser m_parser;
    MessageInflater m_inflater;
    qint64 m_maxMessageSize;
    QList<ParsedFrame> m_frames;
    bool m_inMessage = false; // a data message is under way
    bool m_compressed = false; // ... and its first frame had RSV1
    bool m_deflate = true;
    QByteArray m_textCarry; // an uncompressed text message's character cut by the client's last fragment
    quint8 m_opcode = 0;
    QByteArray m_message;
    quint16 m_closeCode = 0;
    QString m_closeReason;
    QString m_error;
    QByteArray m_beforeFault;
    qint64 m_compressedMessages = 0;
    qint64 m_wireBytes = 0;
    qint64 m_inflatedBytes = 0;
};

} // namespace wsi
