// A message with placeholders: it expands or names the bad placeholder; text without "{{" comes
// back unchanged.
#include "fuzz_common.h"
#include "payload/placeholderexpander.h"

using namespace wsi;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char*>(bytes), qsizetype(size));
    PlaceholderExpander expander;
    const auto preview = expander.preview(text);
    const auto sent = expander.expand(text);
    WSI_FUZZ_ASSERT(preview.ok() == sent.ok());
    if (!sent.ok())
        WSI_FUZZ_ASSERT(sent.errorPosition >= -1 && sent.errorPosition <= text.size());
    if (!text.contains(QStringLiteral("{{")))
        WSI_FUZZ_ASSERT(sent.ok() && sent.text == text);
    return 0;
}
