// What a user types as a URL: a ws/wss URL with a host, or a message in plain words (never Qt's
// parser text).
#include "fuzz_common.h"
#include "wire/connecterrors.h"

using namespace wsi;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size)
{
    const QString typed = QString::fromUtf8(reinterpret_cast<const char*>(bytes), qsizetype(size));
    const Result<QUrl> r = ConnectErrors::parseUrl(typed);
    if (r) {
        WSI_FUZZ_ASSERT(r->isValid());
        WSI_FUZZ_ASSERT(r->scheme() == QStringLiteral("ws") || r->scheme() == QStringLiteral("wss"));
        WSI_FUZZ_ASSERT(!r->host().isEmpty());
    } else {
        WSI_FUZZ_ASSERT(!r.error().message.isEmpty());
        WSI_FUZZ_ASSERT(!r.error().message.contains(QStringLiteral("Relative URL")));
    }
    return 0;
}
