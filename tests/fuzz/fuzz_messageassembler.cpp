// Frames to messages: no crash, no message over the cap, every frame accounted for.
#include "fuzz_common.h"
#include "wire/messageassembler.h"

using namespace wsi;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size)
{
    QByteArrayView data(reinterpret_cast<const char*>(bytes), qsizetype(size));
    if (data.isEmpty())
        return 0;
    const Direction dir = (data.front() & 1) ? Direction::Receive : Direction::Send;
    data = data.sliced(1);

    constexpr quint64 kCap = 8192;
    FrameParser parser(dir, kCap);
    MessageAssembler assembler(dir, kCap);
    QList<ParsedFrame> frames;
    // Fed in small reads, as a socket delivers them.
    for (qsizetype at = 0; at < data.size(); at += 7)
        parser.feed(data.sliced(at, std::min<qsizetype>(7, data.size() - at)), frames);
    LogBatch out;
    qint64 t = 1;
    for (ParsedFrame& f : frames)
        assembler.add(std::move(f), t++, out);
    for (const LogEntry& e : out) {
        WSI_FUZZ_ASSERT(quint64(e.payload.size()) <= kCap);
        WSI_FUZZ_ASSERT(e.frames.size() <= MessageAssembler::kMaxFramesPerMessage);
        for (const FrameInfo& fi : e.frames)
            WSI_FUZZ_ASSERT(fi.payloadOffset <= quint64(e.payload.size()));
    }
    return 0;
}
