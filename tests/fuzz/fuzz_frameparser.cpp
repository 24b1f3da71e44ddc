// Frames from either side, in one read or split in two: the same frames, the same verdicts.
#include "fuzz_common.h"
#include "wire/frameparser.h"

using namespace wsi;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size)
{
    QByteArrayView data(reinterpret_cast<const char*>(bytes), qsizetype(size));
    if (data.isEmpty())
        return 0;
    const Direction dir = (data.front() & 1) ? Direction::Receive : Direction::Send;
    const quint8 rsv = (data.front() & 2) ? 4 : 0;
    data = data.sliced(1);
    qsizetype split = 0;
    data = fuzz::takeSplit(data, &split);

    // A small cap so that the oversized-frame path is reached too.
    FrameParser whole(dir, 4096);
    whole.setAllowedRsv(rsv);
    QList<ParsedFrame> a;
    whole.feed(data, a);

    FrameParser parts(dir, 4096);
    parts.setAllowedRsv(rsv);
    QList<ParsedFrame> b;
    parts.feed(data.first(split), b);
    parts.feed(data.sliced(split), b);

    WSI_FUZZ_ASSERT(a.size() == b.size());
    for (qsizetype i = 0; i < a.size(); ++i) {
        WSI_FUZZ_ASSERT(a[i].payload == b[i].payload);
        WSI_FUZZ_ASSERT(a[i].info.opcode == b[i].info.opcode && a[i].info.length == b[i].info.length);
        WSI_FUZZ_ASSERT(a[i].info.violations == b[i].info.violations);
        WSI_FUZZ_ASSERT(quint64(a[i].payload.size()) <= a[i].info.length);
    }
    WSI_FUZZ_ASSERT(whole.stopped() == parts.stopped());
    return 0;
}
