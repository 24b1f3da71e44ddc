// One HTTP head in one read or split in two: the same head, the same bytes consumed.
#include "fuzz_common.h"
#include "wire/httpheadparser.h"

using namespace wsi;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size)
{
    QByteArrayView data(reinterpret_cast<const char*>(bytes), qsizetype(size));
    if (data.isEmpty())
        return 0;
    const bool isRequest = data.front() & 1;
    data = data.sliced(1);
    qsizetype split = 0;
    data = fuzz::takeSplit(data, &split);

    HttpHeadParser whole(isRequest);
    const qsizetype usedWhole = whole.feed(data);

    HttpHeadParser parts(isRequest);
    qsizetype usedParts = parts.feed(data.first(split));
    if (parts.status() == HttpHeadParser::Status::NeedMore)
        usedParts += parts.feed(data.sliced(split));

    WSI_FUZZ_ASSERT(whole.status() == parts.status());
    WSI_FUZZ_ASSERT(whole.fault() == parts.fault());
    WSI_FUZZ_ASSERT(whole.error() == parts.error());
    WSI_FUZZ_ASSERT(usedWhole <= data.size() && usedWhole <= HttpHeadParser::kMaxHeadSize);
    if (whole.status() == HttpHeadParser::Status::Done) {
        WSI_FUZZ_ASSERT(usedWhole == usedParts);
        WSI_FUZZ_ASSERT(whole.head().raw == parts.head().raw);
        WSI_FUZZ_ASSERT(whole.head().headers == parts.head().headers);
        WSI_FUZZ_ASSERT(whole.head().raw == data.first(usedWhole));
        (void)whole.head().header("Sec-WebSocket-Accept");
    }
    (void)HttpHeadParser::parse(data.toByteArray(), isRequest);
    return 0;
}
