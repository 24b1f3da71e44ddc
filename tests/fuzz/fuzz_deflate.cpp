// The deflate layer: a client's Sec-WebSocket-Extensions offer answered by the built-in server,
// and a compressed stream through the inflater with its size limit (as raw messages, or as a
// client's frames through IncomingInflater). Input: a flags byte, the header text up to the first
// NUL (lines separated by '\n'), then the compressed bytes.
// Properties: no crash; nothing inflated above the limit; an accepted answer parses back (as the
// client's checkResponse reads it, against the offer it accepted) to the same parameters.
#include "deflate/deflatenegotiation.h"
#include "deflate/incominginflater.h"
#include "deflate/messagecodec.h"
#include "fuzz_common.h"
#include "wire/frameparser.h"

#include <QStringDecoder>

using namespace wsi;

namespace {

constexpr qint64 kLimit = 64 * 1024;

// The offer element as parseOffer reads offers (the client's side of the same rules).
QString offerText(const ExtensionElement& e)
{
    QByteArray text = e.name;
    for (const ExtensionParam& p : e.params)
        text += "; " + p.name + (p.hasValue ? "=" + p.value : QByteArray());
    return QString::fromLatin1(text);
}

void negotiate(const QList<QByteArray>& values, quint8 flags)
{
    DeflateServerConfig config;
    config.serverMaxWindowBits = (flags & 8) ? 8 + (flags >> 5) : 0;
    config.clientMaxWindowBits = (flags & 16) ? 9 + (flags >> 6) : 0;
    config.serverNoContextTakeover = flags & 32;
    config.clientNoContextTakeover = flags & 64;
    const DeflateServerAnswer answer = DeflateNegotiation::answerOffers(values, config);
    if (!answer.accepted) {
        WSI_FUZZ_ASSERT(answer.responseValue.isEmpty());
        return;
    }
    // The offer that was accepted: the first permessage-deflate element the client's own rules
    // take as an offer.
    const auto elements = parseExtensionHeader(values);
    WSI_FUZZ_ASSERT(elements.ok());
    for (const ExtensionElement& e : *elements) {
        if (e.name.toLower() != "permessage-deflate")
            continue;
        const Result<DeflateParams> offer = DeflateNegotiation::parseOffer(offerText(e));
        if (!offer)
            continue;
        const Result<NegotiatedDeflate> client = DeflateNegotiation::checkResponse(*offer, { answer.responseValue });
        if (!client) {
            std::fprintf(stderr, "answer \"%s\" refused: %s\n", answer.responseValue.constData(),
                qPrintable(client.errorMessage()));
            std::abort();
        }
        const NegotiatedDeflate& server = answer.negotiated;
        WSI_FUZZ_ASSERT(client->serverMaxWindowBits == server.serverMaxWindowBits);
        WSI_FUZZ_ASSERT(client->serverNoContextTakeover == server.serverNoContextTakeover);
        WSI_FUZZ_ASSERT(client->clientNoContextTakeover == server.clientNoContextTakeover);
        WSI_FUZZ_ASSERT(server.clientMaxWindowBits >= client->clientMaxWindowBits);
        WSI_FUZZ_ASSERT(server.serverMaxWindowBits >= 8 && server.serverMaxWindowBits <= 15);
        return;
    }
    WSI_FUZZ_ASSERT(!"an offer was accepted that the client's rules do not read as one");
}

void inflateMessages(QByteArrayView stream, quint8 flags)
{
    MessageInflater inflater(8 + (flags & 7), flags & 8, kLimit);
    qsizetype split = 0;
    QByteArrayView rest = fuzz::takeSplit(stream, &split);
    // One message in two fragments, then the same bytes as a second message (context kept or not).
    QByteArray out;
    if (inflater.inflateAppend(rest.first(split), false, out))
        (void)inflater.inflateAppend(rest.sliced(split), true, out);
    WSI_FUZZ_ASSERT(out.size() <= kLimit);
    if (auto second = inflater.inflateMessage(rest))
        WSI_FUZZ_ASSERT(second->size() <= kLimit);
    else if (inflater.lastFailureWasLimit())
        WSI_FUZZ_ASSERT(inflater.messageInflatedBytes() == 0); // reset after the error
}

void inflateFrames(QByteArrayView stream, quint8 flags)
{
    // flags & 16: no extension negotiated (every upgrade of the built-in server has the bridge).
    const bool deflate = !(flags & 16);
    IncomingInflater inflater(8 + (flags & 7), flags & 8, kLimit, deflate);
    FrameParser forQt(Direction::Send, quint64(kLimit) * 2);
    QList<ParsedFrame> frames;
    // Fed in small reads, as a socket delivers them.
    for (qsizetype at = 0; at < stream.size(); at += 5) {
        const Result<QByteArray> out = inflater.feed(stream.sliced(at, std::min<qsizetype>(5, stream.size() - at)));
        if (!out) {
            WSI_FUZZ_ASSERT(
                inflater.closeCode() == 1002 || inflater.closeCode() == 1007 || inflater.closeCode() == 1009);
            WSI_FUZZ_ASSERT(inflater.closeReason().toUtf8().size() <= 123);
            WSI_FUZZ_ASSERT(!inflater.feed("x")); // stays failed
            break;
        }
        forQt.feed(*out, frames);
    }
    // What Qt gets: frames it can read, no RSV bits, no message above the limit, and when a text
    // message is valid UTF-8 as a whole, every frame of it is too on its own (Qt 6.4 decodes each
    // frame alone and would close with 1007).
    const auto valid = [](QByteArrayView bytes) {
        QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        const QString decoded = utf8.decode(bytes); // decodes when converted
        return !utf8.hasError();
    };
    quint8 messageOpcode = 0;
    QList<QByteArray> pieces;
    for (const ParsedFrame& f : frames) {
        WSI_FUZZ_ASSERT(f.info.rsv == 0 || !(f.info.rsv & 4));
        WSI_FUZZ_ASSERT(f.payload.size() <= kLimit);
        if (f.info.opcode > OpBinary)
            continue; // control frames (and what Qt refuses anyway) between the fragments
        if (f.info.opcode != OpContinuation) {
            messageOpcode = f.info.opcode;
            pieces.clear();
        }
        if (messageOpcode != OpText)
            continue; // binary, or a continuation with nothing to continue (Qt closes with 1002)
        pieces << f.payload;
        if (!f.info.fin)
            continue;
        messageOpcode = 0;
        if (valid(pieces.join())) {
            for (const QByteArray& piece : std::as_const(pieces))
                WSI_FUZZ_ASSERT(valid(piece));
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size)
{
    QByteArrayView data(reinterpret_cast<const char*>(bytes), qsizetype(size));
    if (data.isEmpty())
        return 0;
    const quint8 flags = quint8(data.front());
    data = data.sliced(1);
    const qsizetype nul = data.indexOf('\0');
    const QByteArrayView header = nul < 0 ? data : data.first(nul);
    const QByteArrayView stream = nul < 0 ? QByteArrayView() : data.sliced(nul + 1);

    QList<QByteArray> values;
    for (const QByteArray& line : header.toByteArray().split('\n'))
        values.append(line);
    negotiate(values, flags);

    if (flags & 128)
        inflateFrames(stream, flags);
    else
        inflateMessages(stream, flags);
    return 0;
}
