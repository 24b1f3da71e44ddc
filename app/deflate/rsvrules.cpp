#include "rsvrules.h"

#include "wire/wiretypes.h"

namespace wsi {

RsvRule RsvRules::check(quint8 opcode, quint8 rsv, bool deflateNegotiated)
{
    if (rsv & 0x3)
        return RsvRule::Rsv2OrRsv3;
    if (!(rsv & kRsv1))
        return RsvRule::Ok;
    if (!deflateNegotiated)
        return RsvRule::Rsv1WithoutExtension;
    if (opcode >= 0x8)
        return RsvRule::Rsv1OnControlFrame;
    if (opcode == OpContinuation)
        return RsvRule::Rsv1OnContinuation;
    return RsvRule::Ok;
}

QString RsvRules::message(RsvRule rule, quint8 opcode)
{
    const QString frame = opcodeName(opcode);
    switch (rule) {
    case RsvRule::Ok:
        return {};
    case RsvRule::Rsv1WithoutExtension:
        return tr("RSV1 set on a %1 frame although permessage-deflate was not negotiated (RFC 6455 §5.2)").arg(frame);
    case RsvRule::Rsv1OnControlFrame:
        return tr("RSV1 set on a %1 frame: control frames are never compressed (RFC 7692 §6.1)").arg(frame);
    case RsvRule::Rsv1OnContinuation:
        return tr("RSV1 set on a continuation frame: only the first frame of a compressed message carries it "
                  "(RFC 7692 §6.1)");
    case RsvRule::Rsv2OrRsv3:
        return tr("RSV2 or RSV3 set on a %1 frame: no negotiated extension defines them (RFC 6455 §5.2)").arg(frame);
    }
    return {};
}

bool RsvRules::startsCompressedMessage(quint8 opcode, quint8 rsv, bool deflateNegotiated)
{
    return (rsv & kRsv1) && check(opcode, rsv, deflateNegotiated) == RsvRule::Ok;
}

} // namespace wsi
