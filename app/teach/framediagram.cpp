#include "framediagram.h"

#include "payload/closecodes.h"

using namespace Qt::StringLiterals;

namespace wsi {

namespace {
QString opcodeMeaning(quint8 opcode)
{
    switch (opcode) {
    case OpContinuation:
        return FrameDiagram::tr("0x0 continuation: the next piece of a fragmented message");
    case OpText:
        return FrameDiagram::tr("0x1 text: a message in UTF-8");
    case OpBinary:
        return FrameDiagram::tr("0x2 binary: a message of raw bytes");
    case OpClose:
        return FrameDiagram::tr("0x8 close: starts or answers the closing handshake");
    case OpPing:
        return FrameDiagram::tr("0x9 ping: the peer must answer with a pong");
    case OpPong:
        return FrameDiagram::tr("0xA pong: the answer to a ping (or a one-way heartbeat)");
    default:
        return FrameDiagram::tr("0x%1 reserved: no meaning is defined, a receiver must fail the connection")
            .arg(opcode, 0, 16);
    }
}

QString bits(quint8 byte)
{
    return u"%1"_s.arg(byte, 8, 2, QLatin1Char('0'));
}
} // namespace

FrameDiagram FrameDiagram::build(const FrameInfo& f, QByteArrayView payload, int previewBytes)
{
    FrameDiagram d;
    d.payloadLength = f.length;
    const quint8 first = quint8((f.fin ? 0x80 : 0) | ((f.rsv & 7) << 4) | (f.opcode & 0x0f));
    d.header.append(char(first));
    quint8 len7 = 0;
    if (f.lengthBytes == 2)
        len7 = 126;
    else if (f.lengthBytes == 8)
        len7 = 127;
    else
        len7 = quint8(f.length & 0x7f);
    d.header.append(char((f.masked ? 0x80 : 0) | len7));
    for (int i = f.lengthBytes - 1; i >= 0; --i)
        d.header.append(char((f.length >> (8 * i)) & 0xff));
    if (f.masked) {
        for (int i = 3; i >= 0; --i)
            d.header.append(char((f.maskKey >> (8 * i)) & 0xff));
    }

    d.fields.append({ u"FIN"_s, 0, 1, f.fin ? 1u : 0u,
        f.fin ? tr("1: this frame ends the message") : tr("0: more frames of this message follow") });
    for (int i = 0; i < 3; ++i) {
        const bool set = (f.rsv >> (2 - i)) & 1;
        d.fields.append({ u"RSV%1"_s.arg(i + 1), 1 + i, 1, set ? 1u : 0u,
            set ? (i == 0 ? tr("1: reserved for an extension (permessage-deflate marks a compressed message)")
                          : tr("1: reserved for an extension; without one the receiver must fail"))
                : tr("0: no extension uses it") });
    }
    d.fields.append({ tr("opcode"), 4, 4, f.opcode, opcodeMeaning(f.opcode) });
    d.fields.append({ u"MASK"_s, 8, 1, f.masked ? 1u : 0u,
        f.masked ? tr("1: the payload is masked (every client-to-server frame must be)")
                 : tr("0: not masked (every server-to-client frame must be so)") });
    QString lenMeaning;
    if (f.lengthBytes == 0)
        lenMeaning = tr("%1: the payload length itself (0–125 fit in these 7 bits)").arg(len7);
    else if (f.lengthBytes == 2)
        lenMeaning = tr("126: the length follows in the next 16 bits");
    else
        lenMeaning = tr("127: the length follows in the next 64 bits");
    d.fields.append({ tr("payload length"), 9, 7, len7, lenMeaning });
    int bit = 16;
    if (f.lengthBytes > 0) {
        d.fields.append({ tr("extended payload length"), bit, f.lengthBytes * 8, f.length,
            tr("%n byte(s) of payload", nullptr, int(qMin<quint64>(f.length, 0x7fffffff))) });
        bit += f.lengthBytes * 8;
    }
    if (f.masked) {
        d.fields.append({ tr("masking key"), bit, 32, f.maskKey,
            tr("4 random bytes; payload byte i is XORed with key byte i mod 4") });
    }

    const QByteArrayView shown = payload.first(qMin<qsizetype>(payload.size(), qMax(0, previewBytes)));
    d.payloadUnmasked = shown.toByteArray();
    d.payloadOnWire = d.payloadUnmasked;
    if (f.masked) {
        const quint8 key[4]
            = { quint8(f.maskKey >> 24), quint8(f.maskKey >> 16), quint8(f.maskKey >> 8), quint8(f.maskKey) };
        for (qsizetype i = 0; i < d.payloadOnWire.size(); ++i)
            d.payloadOnWire[i] = char(quint8(d.payloadOnWire.at(i)) ^ key[i % 4]);
    }
    if (f.opcode == OpClose && payload.size() >= 2) {
        const int code = (quint8(payload.at(0)) << 8) | quint8(payload.at(1));
        const QString name = closeCodeName(code);
        d.fields.append({ tr("close code"), -1, 16, quint64(code),
            name.isEmpty() ? tr("%1 (first 2 payload bytes)").arg(code)
                           : tr("%1 %2 (first 2 payload bytes)").arg(code).arg(name) });
    }
    return d;
}

int FrameDiagram::fieldAt(int bit) const
{
    for (int i = 0; i < fields.size(); ++i) {
        const Field& f = fields.at(i);
        if (f.bitOffset >= 0 && bit >= f.bitOffset && bit < f.bitOffset + f.bitCount)
            return i;
    }
    return -1;
}

QStringList FrameDiagram::textLines() const
{
    QStringList lines;
    lines.append(tr("Header bytes: %1").arg(QString::fromLatin1(header.toHex(' '))));
    QStringList binary;
    for (char c : header)
        binary.append(bits(quint8(c)));
    lines.append(tr("In binary:    %1").arg(binary.join(u' ')));
    for (const Field& f : fields) {
        const QString where
            = f.bitOffset < 0 ? tr("payload") : tr("bits %1–%2").arg(f.bitOffset).arg(f.bitOffset + f.bitCount - 1);
        lines.append(u"  %1 (%2) = %3: %4"_s.arg(f.name, where).arg(f.value).arg(f.meaning));
    }
    if (!payloadUnmasked.isEmpty()) {
        lines.append(tr("Payload on the wire: %1").arg(QString::fromLatin1(payloadOnWire.toHex(' '))));
        if (payloadOnWire != payloadUnmasked)
            lines.append(tr("Payload unmasked:    %1").arg(QString::fromLatin1(payloadUnmasked.toHex(' '))));
    }
    return lines;
}

} // namespace wsi
