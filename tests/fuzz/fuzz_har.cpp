// HAR files as File → Open and --convert read them: any JSON, any shape, arriving in reads of any
// size. Never a crash; the same result whether the file comes whole or a few bytes per read; a
// small string limit cuts strings without losing the reader's place; a HAR that was read, written
// and read again keeps its connections and messages.
#include "capture/har.h"
#include "capture/harreader.h"
#include "fuzz_common.h"

#include <QBuffer>

using namespace wsi;

namespace {

qint64 messages(const CaptureChunk& chunk)
{
    qint64 n = 0;
    for (const auto& [id, batch] : chunk.entries) {
        for (const LogEntry& e : batch)
            n += e.isMessage() || e.kind == LogEntry::Kind::Error ? 1 : 0;
    }
    return n;
}

// A buffer that hands out at most `step` bytes per read.
class TrickleBuffer : public QBuffer
{
public:
    explicit TrickleBuffer(qint64 step)
        : m_step(step)
    { }

protected:
    qint64 readData(char* data, qint64 maxlen) override { return QBuffer::readData(data, std::min(maxlen, m_step)); }

private:
    qint64 m_step;
};

struct Outcome
{
    qint64 entries = 0;
    QStringList notices;
    QString error;
};

Outcome readThrough(QIODevice* in, qint64 maxString, qint64 stepBytes)
{
    HarReader reader(in, maxString);
    Outcome out;
    const auto take = [&] {
        const CaptureChunk c = reader.takeChunk();
        out.entries += c.entryCount;
        out.notices += c.notices;
    };
    while (reader.step(stepBytes))
        take();
    take();
    out.error = reader.error().message;
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size)
{
    QByteArrayView input(reinterpret_cast<const char*>(bytes), qsizetype(size));
    qsizetype split = 0;
    input = fuzz::takeSplit(input, &split);
    const QByteArray data = input.toByteArray();

    // Whole, then through reads of 1 + split % 64 bytes parsed in steps of split bytes.
    QBuffer whole;
    whole.setData(data);
    whole.open(QIODevice::ReadOnly);
    const Outcome a = readThrough(&whole, HarReader::kMaxStringBytes, qint64(1) << 40);
    TrickleBuffer trickle(1 + split % 64);
    trickle.setData(data);
    trickle.open(QIODevice::ReadOnly | QIODevice::Unbuffered);
    const Outcome b = readThrough(&trickle, HarReader::kMaxStringBytes, 1 + split);
    WSI_FUZZ_ASSERT(a.entries == b.entries);
    WSI_FUZZ_ASSERT(a.notices == b.notices);
    WSI_FUZZ_ASSERT(a.error == b.error);

    // A tiny string limit: strings are cut, nothing else changes shape.
    QBuffer small;
    small.setData(data);
    small.open(QIODevice::ReadOnly);
    readThrough(&small, 8, qint64(1) << 40);

    const Result<Har::Content> first = Har::read(data);
    if (!first)
        return 0;
    WSI_FUZZ_ASSERT(first->chunk.connections.size() == first->websocketEntries);
    QList<CapturedSession> sessions;
    for (const CapturedConnection& c : first->chunk.connections)
        sessions.append(CapturedSession { c, {} });
    for (const auto& [id, batch] : first->chunk.entries) {
        for (CapturedSession& s : sessions) {
            if (s.connection.id == id)
                s.entries.append(batch);
        }
    }
    QBuffer out;
    out.open(QIODevice::WriteOnly);
    WSI_FUZZ_ASSERT(Har::write(&out, sessions).ok());
    const Result<Har::Content> again = Har::read(out.data());
    WSI_FUZZ_ASSERT(again.ok());
    WSI_FUZZ_ASSERT(again->websocketEntries == first->websocketEntries);
    WSI_FUZZ_ASSERT(messages(again->chunk) == messages(first->chunk));
    return 0;
}
