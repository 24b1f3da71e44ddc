// One direction of a connection from its bytes alone (head, then frames or a body): the same log
// entries whether the bytes arrive at once or in two reads, no payload over the cap, and the tap
// always makes progress.
#include "fuzz_common.h"
#include "wire/wiretap.h"

using namespace wsi;

namespace {
LogBatch run(Direction dir, QByteArrayView data, qsizetype split, quint64 cap)
{
    WireTap tap(dir, cap);
    LogBatch out;
    for (QByteArrayView part : { data.first(split), data.sliced(split) }) {
        while (!part.isEmpty()) {
            const qsizetype used = tap.feed(part, 1, out);
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
    const LogBatch whole = run(dir, data, data.size(), kCap);
    const LogBatch parts = run(dir, data, split, kCap);
    WSI_FUZZ_ASSERT(whole.size() == parts.size());
    for (qsizetype i = 0; i < whole.size(); ++i) {
        WSI_FUZZ_ASSERT(whole[i].kind == parts[i].kind);
        WSI_FUZZ_ASSERT(whole[i].payload == parts[i].payload);
        if (whole[i].isMessage())
            WSI_FUZZ_ASSERT(quint64(whole[i].payload.size()) <= kCap);
    }
    return 0;
}
