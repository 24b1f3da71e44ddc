#include "messagecodec.h"

#include <QLocale>

#include <zlib.h>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {

// RFC 7692 §7.2.1: the end of a Z_SYNC_FLUSH (an empty stored block), removed by the sender and
// appended again by the receiver.
constexpr char kTail[4] = { '\x00', '\x00', '\xff', '\xff' };
// zlib counts in uInt; feed big messages in slices well below that.
constexpr qsizetype kMaxSlice = qsizetype(1) << 30;
constexpr qsizetype kFirstChunk = 16 * 1024;
constexpr qsizetype kMaxChunk = 4 * 1024 * 1024;
// inflateMessage's buffer is kept for the next message up to this size.
constexpr qsizetype kKeptScratch = 1024 * 1024;

QString size(qint64 bytes)
{
    return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeIecFormat);
}

int clampBits(int bits)
{
    return std::clamp(bits, 8, 15);
}

} // namespace

struct MessageInflater::Stream
{
    z_stream z {};
    bool ready = false;
};

MessageInflater::MessageInflater(int windowBits, bool noContextTakeover, qint64 maxMessageSize)
    : m_stream(std::make_unique<Stream>())
    , m_windowBits(clampBits(windowBits))
    , m_noContextTakeover(noContextTakeover)
    , m_maxMessageSize(std::max<qint64>(0, maxMessageSize))
{
    // Negative window bits: raw DEFLATE without a zlib header (RFC 7692 §7.2). zlib's inflate
    // takes 8 as it is. It allocates that window but checks distances only against the window
    // plus what the current call already produced, so a peer that refers further back than it
    // agreed to is caught only across calls (e.g. into an earlier message after a reset).
    m_stream->ready = inflateInit2(&m_stream->z, -m_windowBits) == Z_OK;
}

MessageInflater::~MessageInflater()
{
    if (m_stream->ready)
        inflateEnd(&m_stream->z);
}

Result<QByteArray> MessageInflater::inflateMessage(QByteArrayView compressed)
{
    // Inflate into a reused buffer and return an exact copy: the output chunks are larger than
    // most messages, and a log that keeps the message must not keep that spare capacity.
    m_scratch.resize(0);
    auto r = inflateAppend(compressed, true, m_scratch);
    QByteArray out = r ? QByteArray(m_scratch.constData(), m_scratch.size()) : QByteArray();
    if (m_scratch.capacity() > kKeptScratch)
        m_scratch = QByteArray();
    if (!r)
        return r.error();
    return out;
}

Error MessageInflater::fail(const QString& message, const char* zlibMessage)
{
    Error e { message, zlibMessage ? QString::fromLatin1(zlibMessage) : QString() };
    m_lastFailureWasLimit = false;
    if (m_stream->ready)
        inflateReset(&m_stream->z);
    m_streamEnded = true; // endMessage() below must not skip anything
    endMessage();
    return e;
}

void MessageInflater::endMessage()
{
    // A final block ends zlib's stream; the next message starts a new one (its context is gone
    // on the sender's side too).
    if (m_noContextTakeover || m_streamEnded)
        inflateReset(&m_stream->z);
    m_streamEnded = false;
    m_messageIn = 0;
    m_messageOut = 0;
    m_totalInAtStart = m_stream->z.total_in;
}

Result<void> MessageInflater::inflateAppend(QByteArrayView compressed, bool fin, QByteArray& out)
{
    if (!m_stream->ready)
        return Error { tr("The inflater could not be set up (zlib out of memory)."), {} };
    m_messageIn += compressed.size();
    if (!compressed.isEmpty()) {
        if (m_streamEnded)
            return fail(tr("Compressed message continues after its final deflate block (%1 more).")
                            .arg(size(compressed.size())));
        if (auto r = run(compressed.data(), compressed.size(), false, out); !r)
            return r;
    }
    if (!fin)
        return {};

    // A message with RSV1 and no payload at all is empty (some senders skip the deflate step for
    // it); feeding the tail alone would leave the inflater inside a stored block.
    if (m_messageIn > 0 && !m_streamEnded) {
        if (auto r = run(kTail, sizeof kTail, true, out); !r)
            return r;
        // The tail must close the message's last block (it is the rest of an empty stored block);
        // data cut short, or not made by a sync flush, leaves the inflater inside a block.
        if (!m_streamEnded && !(m_stream->z.data_type & 128))
            return fail(tr("Corrupt compressed message: its %1 of deflate data end inside a block (truncated, or "
                           "the sender did not remove 00 00 ff ff).")
                            .arg(size(m_messageIn)));
    }
    endMessage();
    return {};
}

Result<void> MessageInflater::run(const char* data, qsizetype length, bool tail, QByteArray& out)
{
    z_stream& z = m_stream->z;
    // Z_BLOCK stops at every block boundary, so the state after the tail tells whether it
    // closed a block; the data itself goes through in one call per chunk.
    const int flush = tail ? Z_BLOCK : Z_SYNC_FLUSH;
    qsizetype chunk = std::clamp<qsizetype>(length * 4, kFirstChunk, kMaxChunk);
    while (length > 0) {
        const qsizetype slice = std::min(length, kMaxSlice);
        z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data));
        z.avail_in = uInt(slice);
        data += slice;
        length -= slice;
        while (true) {
            // Room for one byte past the limit: producing it proves the message is too big.
            const qint64 room = m_maxMessageSize - m_messageOut + 1;
            const qsizetype give = qsizetype(std::min<qint64>(chunk, room));
            const qsizetype old = out.size();
            const uInt inBefore = z.avail_in;
            out.resize(old + give);
            z.next_out = reinterpret_cast<Bytef*>(out.data() + old);
            z.avail_out = uInt(give);
            const int ret = ::inflate(&z, flush);
            const qsizetype produced = give - qsizetype(z.avail_out);
            out.resize(old + produced);
            m_messageOut += produced;
            if (m_messageOut > m_maxMessageSize) {
                const qint64 consumed = qint64(z.total_in - m_totalInAtStart);
                const qint64 inflated = m_messageOut;
                out.chop(produced); // nothing over the limit stays in memory
                Error e = fail(tr("Inflated message exceeds the limit of %1 (the largest incoming message): %2 of "
                                  "compressed data already gave more than that, a ratio above %3:1. Stopped as a "
                                  "decompression bomb.")
                                   .arg(size(m_maxMessageSize), size(consumed))
                                   .arg(consumed > 0 ? inflated / consumed : inflated));
                m_lastFailureWasLimit = true;
                return e;
            }
            if (ret == Z_STREAM_END) {
                m_streamEnded = true;
                // Only the tail we appended may follow a final block.
                if (!tail && (z.avail_in > 0 || length > 0))
                    return fail(tr("Compressed message continues after its final deflate block (%1 more).")
                                    .arg(size(qint64(z.avail_in) + length)));
                return {};
            }
            if (ret == Z_DATA_ERROR || ret == Z_NEED_DICT)
                return fail(tr("Corrupt compressed message: zlib says \"%1\" after %2 of deflate data.")
                                .arg(QString::fromLatin1(z.msg ? z.msg : "invalid data"))
                                .arg(size(qint64(z.total_in - m_totalInAtStart))),
                    z.msg);
            if (ret == Z_MEM_ERROR)
                return fail(tr("Inflating a message ran out of memory."));
            if (ret != Z_OK && ret != Z_BUF_ERROR)
                return fail(tr("Inflating a message failed (zlib error %1).").arg(ret), z.msg);
            if (z.avail_in == 0 && z.avail_out > 0)
                break; // all input used, all output delivered
            if (produced == 0 && z.avail_in == inBefore)
                break; // no progress possible (cannot happen with input and room; never spin)
            if (z.avail_out == 0)
                chunk = std::min(chunk * 2, kMaxChunk);
        }
    }
    return {};
}

struct MessageDeflater::Stream
{
    z_stream z {};
    bool ready = false;
};

MessageDeflater::MessageDeflater(int windowBits, bool noContextTakeover, int level)
    : m_stream(std::make_unique<Stream>())
    // zlib (since 1.2.9) refuses 8 for raw deflate. 9 is safe for a peer that allocated 256
    // bytes: zlib's deflate never refers further back than its window minus 262 bytes
    // (MIN_LOOKAHEAD), i.e. 250 bytes for a 512-byte window. Node's zlib, and so npm ws, does the
    // same; tst_messagecodec checks the output against an 8-bit inflater.
    , m_zlibWindowBits(std::max(9, clampBits(windowBits)))
    , m_noContextTakeover(noContextTakeover)
{
    m_stream->ready
        = deflateInit2(&m_stream->z, std::clamp(level, -1, 9), Z_DEFLATED, -m_zlibWindowBits, 8, Z_DEFAULT_STRATEGY)
        == Z_OK;
}

MessageDeflater::~MessageDeflater()
{
    if (m_stream->ready)
        deflateEnd(&m_stream->z);
}

Result<QByteArray> MessageDeflater::deflateMessage(QByteArrayView message)
{
    if (!m_stream->ready)
        return Error { tr("The compressor could not be set up (zlib out of memory)."), {} };
    // RFC 7692 §7.2.3.6: an empty message is a single 0x00 (an empty stored block without its
    // tail). zlib would refuse a second flush with no input in between.
    if (message.isEmpty())
        return QByteArray(1, '\0');
    z_stream& z = m_stream->z;
    QByteArray out;
    out.resize(qsizetype(deflateBound(&z, uLong(std::min(message.size(), kMaxSlice)))) + 64);
    qsizetype used = 0;
    const char* data = message.data();
    qsizetype left = message.size();
    do {
        const qsizetype slice = std::min(left, kMaxSlice);
        z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data));
        z.avail_in = uInt(slice);
        data += slice;
        left -= slice;
        // Z_SYNC_FLUSH after the whole message: everything is output, ending on a byte boundary
        // with an empty stored block (00 00 ff ff). Slices before the last need no flush.
        const int flush = left > 0 ? Z_NO_FLUSH : Z_SYNC_FLUSH;
        do {
            if (out.size() - used < 64)
                out.resize(out.size() * 2);
            z.next_out = reinterpret_cast<Bytef*>(out.data() + used);
            z.avail_out = uInt(std::min(out.size() - used, kMaxSlice));
            const qsizetype before = z.avail_out;
            const int ret = ::deflate(&z, flush);
            used += before - qsizetype(z.avail_out);
            if (ret != Z_OK && ret != Z_BUF_ERROR) {
                deflateReset(&z);
                return Error { tr("Compressing a message failed (zlib error %1).").arg(ret),
                    QString::fromLatin1(z.msg ? z.msg : "") };
            }
        } while (z.avail_out == 0 || z.avail_in > 0);
    } while (left > 0);
    out.resize(used);
    if (!out.endsWith(QByteArrayView(kTail, sizeof kTail))) {
        deflateReset(&z);
        return Error { tr("Compressing a message failed: zlib's output does not end with 00 00 ff ff."), {} };
    }
    out.chop(sizeof kTail);
    if (m_noContextTakeover)
        deflateReset(&z);
    return out;
}

} // namespace wsi
