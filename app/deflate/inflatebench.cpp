#include "inflatebench.h"

#include "deflate/messagecodec.h"

#include <QElapsedTimer>

#include <zlib.h>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {

// The baseline: what any permessage-deflate receiver must do at least, into one reused buffer.
class BareInflateLoop
{
public:
    BareInflateLoop(int windowBits, bool reset)
        : m_reset(reset)
    {
        m_ok = inflateInit2(&m_z, -windowBits) == Z_OK;
        m_buffer.resize(256 * 1024);
    }
    ~BareInflateLoop()
    {
        if (m_ok)
            inflateEnd(&m_z);
    }
    bool ok() const { return m_ok; }
    // Inflated bytes of one message, or -1 on a zlib error.
    qint64 inflateOne(const QByteArray& message)
    {
        static const unsigned char tail[4] = { 0x00, 0x00, 0xff, 0xff };
        qint64 total = 0;
        for (int part = 0; part < 2; ++part) {
            m_z.next_in
                = part == 0 ? reinterpret_cast<Bytef*>(const_cast<char*>(message.data())) : const_cast<Bytef*>(tail);
            m_z.avail_in = part == 0 ? uInt(message.size()) : 4;
            do {
                m_z.next_out = reinterpret_cast<Bytef*>(m_buffer.data());
                m_z.avail_out = uInt(m_buffer.size());
                const int ret = ::inflate(&m_z, Z_SYNC_FLUSH);
                if (ret != Z_OK && ret != Z_BUF_ERROR && ret != Z_STREAM_END)
                    return -1;
                total += m_buffer.size() - qint64(m_z.avail_out);
            } while (m_z.avail_out == 0);
        }
        if (m_reset)
            inflateReset(&m_z);
        return total;
    }

private:
    z_stream m_z {};
    bool m_ok = false;
    bool m_reset;
    QByteArray m_buffer;
};

} // namespace

QByteArray deflateBenchMessageText(int i, int approxSize)
{
    // A chat/ticker-like object: repeated keys, changing numbers and words.
    static const char* const kWords[] = { "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel" };
    QByteArray s = R"({"type":"update","seq":)" + QByteArray::number(i) + R"(,"user":")" + kWords[i % 8] + "-"
        + QByteArray::number(i * 7919 % 1000) + R"(","items":[)";
    int n = 0;
    while (s.size() < approxSize - 40) {
        if (n > 0)
            s += ',';
        s += R"({"id":)" + QByteArray::number((i * 31 + n) % 9973) + R"(,"price":)"
            + QByteArray::number(double((i * 17 + n * 13) % 100000) / 100.0, 'f', 2) + R"(,"tag":")"
            + kWords[(i + n) % 8] + "\"}";
        ++n;
    }
    s += R"(],"ok":true})";
    return s;
}

QList<QByteArray> makeDeflateBenchMessages(int count, int approxSize, int windowBits)
{
    QList<QByteArray> out;
    out.reserve(count);
    MessageDeflater deflater(windowBits, false);
    for (int i = 0; i < count; ++i) {
        auto r = deflater.deflateMessage(deflateBenchMessageText(i, approxSize));
        if (!r)
            break;
        out.append(std::move(r).value());
    }
    return out;
}

Result<InflateBenchResult> runInflateBench(
    const QList<QByteArray>& compressed, int windowBits, bool noContextTakeover, qint64 maxMessageSize, int rounds)
{
    InflateBenchResult result;
    result.messages = compressed.size();
    for (const QByteArray& m : compressed)
        result.compressedBytes += m.size();
    QElapsedTimer timer;
    for (int round = 0; round < std::max(1, rounds); ++round) {
        for (int pass = 0; pass < 2; ++pass) {
            // Alternate which loop goes first.
            const bool inflaterPass = (pass == 0) == (round % 2 == 0);
            qint64 inflated = 0;
            if (inflaterPass) {
                MessageInflater inflater(windowBits, noContextTakeover, maxMessageSize);
                timer.start();
                for (const QByteArray& m : compressed) {
                    auto r = inflater.inflateMessage(m);
                    if (!r)
                        return r.error();
                    inflated += r->size();
                }
                result.inflaterNs += timer.nsecsElapsed();
            } else {
                BareInflateLoop loop(windowBits, noContextTakeover);
                if (!loop.ok())
                    return Error { u"zlib could not be set up for the baseline loop."_s, {} };
                timer.start();
                for (const QByteArray& m : compressed) {
                    const qint64 n = loop.inflateOne(m);
                    if (n < 0)
                        return Error { u"The baseline zlib loop failed on message %1."_s.arg(inflated), {} };
                    inflated += n;
                }
                result.bareZlibNs += timer.nsecsElapsed();
            }
            if (round == 0 && pass == 0)
                result.inflatedBytes = inflated;
            else if (inflated != result.inflatedBytes)
                return Error { u"The two inflate loops disagree: %1 bytes against %2."_s.arg(inflated).arg(
                                   result.inflatedBytes),
                    {} };
        }
    }
    return result;
}

} // namespace wsi
