#pragma once

#include <QCoreApplication>
#include <QString>

namespace wsi {

// The RSV bit rules of RFC 6455 §5.2 with permessage-deflate (RFC 7692 §6.1), as pure functions
// the relay calls per frame. A broken rule fails the connection (close code 1002).
enum class RsvRule : quint8 {
    Ok,
    Rsv1WithoutExtension, // RSV1 set although permessage-deflate was not negotiated
    Rsv1OnControlFrame, // control frames are never compressed
    Rsv1OnContinuation, // RSV1 belongs on the first frame of a message only
    Rsv2OrRsv3, // no extension we negotiate defines them
};

class RsvRules
{
    Q_DECLARE_TR_FUNCTIONS(wsi::RsvRules)
public:
    static constexpr quint8 kRsv1 = 4; // FrameInfo::rsv holds RSV1..3 as a 3-bit number
    // rsv as in FrameInfo (RSV1 = 4, RSV2 = 2, RSV3 = 1); the first broken rule, or Ok.
    static RsvRule check(quint8 opcode, quint8 rsv, bool deflateNegotiated);
    // The rule named for the log and the close reason, e.g. "RSV1 set on a ping frame: control
    // frames are never compressed (RFC 7692 §6.1)". Empty for Ok.
    static QString message(RsvRule rule, quint8 opcode);
    // True for the first frame of a compressed message (text or binary with RSV1 under deflate).
    static bool startsCompressedMessage(quint8 opcode, quint8 rsv, bool deflateNegotiated);
};

} // namespace wsi
