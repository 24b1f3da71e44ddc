#pragma once

#include "util/result.h"

#include <QByteArray>
#include <QCoreApplication>

#include <memory>

namespace wsi {

// Inflates the messages of one direction of a permessage-deflate connection (RFC 7692 §7.2.2):
// raw DEFLATE, the peer's window bits, the 00 00 ff ff tail appended after the last fragment, the
// context kept across messages or reset after each. Output per message is bounded: past
// maxMessageSize it stops with an Error that gives the compression ratio (a decompression bomb),
// never holding more than maxMessageSize + one chunk. After any Error the connection must fail;
// the inflater resets itself so that further calls are safe.
class MessageInflater
{
    Q_DECLARE_TR_FUNCTIONS(wsi::MessageInflater)
public:
    // windowBits: the peer's negotiated *_max_window_bits (8-15); noContextTakeover: the peer
    // resets its compressor after each message, so a back-reference into an earlier message is
    // reported as corrupt data.
    MessageInflater(int windowBits, bool noContextTakeover, qint64 maxMessageSize);
    ~MessageInflater();
    MessageInflater(const MessageInflater&) = delete;
    MessageInflater& operator=(const MessageInflater&) = delete;

    // Inflates the next fragment of the current message (fin: its last one) and appends the
    // output to out. A compressed message may be split anywhere. out may be left with spare
    // capacity (it grows in chunks of 16 KiB and more).
    Result<void> inflateAppend(QByteArrayView compressed, bool fin, QByteArray& out);
    // A whole message's payload as it was on the wire (tail stripped).
    Result<QByteArray> inflateMessage(QByteArrayView compressed);

    int windowBits() const { return m_windowBits; }
    // The last Error was the size limit (a decompression bomb: close code 1009), not corrupt data.
    bool lastFailureWasLimit() const { return m_lastFailureWasLimit; }
    qint64 maxMessageSize() const { return m_maxMessageSize; }
    // Compressed and inflated bytes of the message in progress.
    qint64 messageCompressedBytes() const { return m_messageIn; }
    qint64 messageInflatedBytes() const { return m_messageOut; }

private:
    Result<void> run(const char* data, qsizetype size, bool tail, QByteArray& out);
    Error fail(const QString& message, const char* zlibMessage = nullptr);
    void endMessage();

    struct Stream;
    std::unique_ptr<Stream> m_stream;
    int m_windowBits;
    bool m_noContextTakeover;
    qint64 m_maxMessageSize;
    qint64 m_messageIn = 0;
    qint64 m_messageOut = 0;
    quint64 m_totalInAtStart = 0;
    bool m_streamEnded = false; // the message held a final (BFINAL) block
    bool m_lastFailureWasLimit = false;
    QByteArray m_scratch; // inflateMessage's output buffer, reused
};

// Deflates whole messages for one direction (RFC 7692 §7.2.1): raw DEFLATE flushed with
// Z_SYNC_FLUSH and the trailing 00 00 ff ff removed; the caller sets RSV1 on the first frame and
// fragments the result. Window bits 8 are compressed with zlib's 9 (see the .cpp): the output
// still never refers further back than 256 bytes.
class MessageDeflater
{
    Q_DECLARE_TR_FUNCTIONS(wsi::MessageDeflater)
public:
    // windowBits: our negotiated *_max_window_bits (8-15); noContextTakeover: reset after each
    // message. level: zlib's 0-9 or -1 for its default (6).
    MessageDeflater(int windowBits, bool noContextTakeover, int level = -1);
    ~MessageDeflater();
    MessageDeflater(const MessageDeflater&) = delete;
    MessageDeflater& operator=(const MessageDeflater&) = delete;

    Result<QByteArray> deflateMessage(QByteArrayView message);
    // The window zlib really compresses with (9 when 8 was negotiated).
    int zlibWindowBits() const { return m_zlibWindowBits; }

private:
    struct Stream;
    std::unique_ptr<Stream> m_stream;
    int m_zlibWindowBits;
    bool m_noContextTakeover;
};

} // namespace wsi
