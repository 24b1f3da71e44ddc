// HAR files as File → Open and --convert read them: any JSON, any shape. Never a crash; a HAR
// that was read, written and read again keeps its connections and messages.
#include "capture/har.h"
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
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size)
{
    const QByteArray data(reinterpret_cast<const char*>(bytes), qsizetype(size));
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
