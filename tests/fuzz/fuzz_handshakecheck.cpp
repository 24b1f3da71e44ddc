// A request head and a response head (split at the first empty line): the checks never crash, and
// what normalizedForQt() hands Qt is a clean CR LF head that the checks judge exactly as before.
#include "fuzz_common.h"
#include "wire/handshakecheck.h"

using namespace wsi;

namespace {
QStringList fatalRules(const QList<HandshakeFault>& faults)
{
    QStringList ids;
    for (const HandshakeFault& f : faults) {
        WSI_FUZZ_ASSERT(!f.message.isEmpty() && !f.section.isEmpty());
        if (f.fatal)
            ids.append(f.ruleId());
    }
    return ids;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size)
{
    const QByteArray data(reinterpret_cast<const char*>(bytes), qsizetype(size));
    const qsizetype cut = data.indexOf("\r\n\r\n");
    HandshakeExchange x;
    const QByteArray requestRaw = cut < 0 ? QByteArray() : data.left(cut + 4);
    x.request = HttpHeadParser::parse(requestRaw, true);
    HttpHeadParser response(false);
    response.feed(cut < 0 ? QByteArrayView(data) : QByteArrayView(data).sliced(cut + 4));
    x.response = response.head();
    x.responseFault = response.fault();
    x.closedBeforeHeadEnd = response.status() == HttpHeadParser::Status::NeedMore;
    const QList<HandshakeFault> faults = HandshakeCheck::check(x);
    (void)HandshakeCheck::summary(faults);

    if (response.status() != HttpHeadParser::Status::Done)
        return 0;
    const QByteArray normalized = HandshakeCheck::normalizedForQt(x.response);
    if (normalized == x.response.raw)
        return 0;
    WSI_FUZZ_ASSERT(normalized.endsWith("\r\n\r\n"));
    HttpHeadParser again(false);
    WSI_FUZZ_ASSERT(again.feed(normalized) == normalized.size());
    WSI_FUZZ_ASSERT(again.status() == HttpHeadParser::Status::Done);
    HandshakeExchange y = x;
    y.response = again.head();
    const QList<HandshakeFault> after = HandshakeCheck::check(y);
    for (const HandshakeFault& f : after)
        WSI_FUZZ_ASSERT(f.rule != HandshakeFault::Rule::HttpBareLineFeed);
    WSI_FUZZ_ASSERT(fatalRules(after) == fatalRules(faults));
    return 0;
}
