// What a user types as hex or base64: any text either parses or names a position inside it, and
// bytes written out as hex or base64 parse back to themselves.
#include "fuzz_common.h"
#include "payload/payloadcodec.h"

using namespace wsi;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size)
{
    const QByteArray data(reinterpret_cast<const char*>(bytes), qsizetype(size));
    const QString text = QString::fromUtf8(data);
    for (const auto& r : { PayloadCodec::parseHex(text), PayloadCodec::parseBase64(text) }) {
        if (!r.ok())
            WSI_FUZZ_ASSERT(r.errorPosition >= -1 && r.errorPosition <= text.size());
    }
    const auto hex = PayloadCodec::parseHex(QString::fromLatin1(data.toHex(' ')));
    WSI_FUZZ_ASSERT(hex.ok() && hex.bytes == data);
    const auto b64 = PayloadCodec::parseBase64(QString::fromLatin1(data.toBase64()));
    WSI_FUZZ_ASSERT(b64.ok() && b64.bytes == data);
    const auto url = PayloadCodec::parseBase64(
        QString::fromLatin1(data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals)));
    WSI_FUZZ_ASSERT(url.ok() && url.bytes == data);
    return 0;
}
