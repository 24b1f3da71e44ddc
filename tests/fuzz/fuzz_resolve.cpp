// A --resolve entry or a profile's resolve list item, as a user or a profiles.json file gives it.
// An entry that parses must print back to an entry that parses to the same override.
#include "fuzz_common.h"
#include "wire/hostoverride.h"

using namespace wsi;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char*>(bytes), qsizetype(size));
    const Result<HostOverride> o = HostOverride::parse(text);
    if (!o) {
        WSI_FUZZ_ASSERT(!o.errorMessage().isEmpty());
        return 0;
    }
    const Result<HostOverride> again = HostOverride::parse(o->toString());
    WSI_FUZZ_ASSERT(again.ok());
    WSI_FUZZ_ASSERT(again->toString() == o->toString());
    WSI_FUZZ_ASSERT(again->appliesTo(o->host, o->port));
    return 0;
}
