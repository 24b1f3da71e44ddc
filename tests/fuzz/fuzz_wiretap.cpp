// One direction of a connection from its bytes alone (head, then frames or a body): the same log
// entries whether the bytes arrive at once or in two reads (payloads copied, or shared with the
// reads as in the relay), no payload over the cap, and the tap always makes progress.
#include "fuzz_common.h"
#include "wire/wiretap.h"

using namespace wsi;

namespace {
// shared: each read is a QByteArray of its own, fed as the relay does (payloads share it and
// must outlive it: the read is gone when the entries are compared).
LogBatch run(Direction dir, QByteArrayView data, qsizetype split, quint64 cap, bool shared)
{
    WireTap tap(dir, cap);
    LogBatch out;
    for (QByteArrayView view : { data.first(split), data.sliced(split) }) {
        const QByteArray read = shared ? view.toByteArray() : QByteArray();
        QByteArrayView part = shared ? QByteArrayView(read) : view;
        while (!part.isEmpty()) {
            const qsizetype used = shared ? tap.feedShared(read, part, 1, out) : tap.feed(part, 1, out);
            WSI_FUZZ_ASSERT(used > 0 && used <= part.size());
            part = part.sliced(used);
        }
    }
    return out;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size)
{
    QByteArrayView data(reinterpret_cast<const char*>(bytes), qsizetype(size));
    if (data.isEmpty())
        return 0;
    const Direction dir = (data.front() & 1) ? Direction::Receive : Direction::Send;
    data = data.sliced(1);
    qsizetype split = 0;
    data = fuzz::takeSplit(data, &split);

    constexpr quint64 kCap = 8192;
    const LogBatch whole = run(dir, data, data.size(), kCap, false);
    const LogBatch parts = run(dir, data, split, kCap, true);
    WSI_FUZZ_ASSERT(whole.size() == parts.size());
    for (qsizetype i = 0; i < whole.size(); ++i) {
        WSI_FUZZ_ASSERT(whole[i].kind == parts[i].kind);
        WSI_FUZZ_ASSERT(whole[i].payload == parts[i].payload);
        if (whole[i].isMessage())
            WSI_FUZZ_ASSERT(quint64(whole[i].payload.size()) <= kCap);
    }
    return 0;
}
