// Capture files as File → Open reads them: any bytes, cut at any point. Never a crash, never more
// lines accounted for than were read, and the same result whatever the read boundary.
#include "capture/jsonlreader.h"
#include "fuzz_common.h"

using namespace wsi;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size)
{
    QByteArrayView data(reinterpret_cast<const char*>(bytes), qsizetype(size));
    qsizetype split = 0;
    data = fuzz::takeSplit(data, &split);

    JsonlReader whole(4096); // a small line limit so that long lines are exercised too
    whole.feed(data);
    whole.finish();
    const CaptureChunk a = whole.takeChunk();

    JsonlReader parts(4096);
    parts.feed(data.first(split));
    parts.feed(data.sliced(split));
    parts.finish();
    const CaptureChunk b = parts.takeChunk();

    WSI_FUZZ_ASSERT(whole.validLines() + whole.skippedLines() <= whole.lineCount());
    WSI_FUZZ_ASSERT(a.entryCount == b.entryCount);
    WSI_FUZZ_ASSERT(a.notices == b.notices);
    WSI_FUZZ_ASSERT(a.connections.size() == b.connections.size());
    return 0;
}
