#include "framewriter.h"

#include <QRandomGenerator>

namespace wsi {

QByteArray FrameWriter::header(quint8 opcode, bool fin, quint8 rsv, quint64 length, bool masked, quint32 maskKey)
{
    QByteArray h;
    h.reserve(14);
    h.append(char((fin ? 0x80 : 0) | ((rsv & 0x7) << 4) | (opcode & 0x0f)));
    const char maskBit = masked ? char(0x80) : char(0);
    if (length < 126) {
        h.append(char(maskBit | char(length)));
    } else if (length <= 0xffff) {
        h.append(char(maskBit | 126));
        h.append(char(length >> 8));
        h.append(char(length & 0xff));
    } else {
        h.append(char(maskBit | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            h.append(char((length >> shift) & 0xff));
    }
    if (masked) {
        for (int shift = 24; shift >= 0; shift -= 8)
            h.append(char((maskKey >> shift) & 0xff));
    }
    return h;
}

void FrameWriter::append(
    QByteArray& out, quint8 opcode, bool fin, quint8 rsv, QByteArrayView payload, bool masked, quint32 maskKey)
{
    out.append(header(opcode, fin, rsv, quint64(payload.size()), masked, maskKey));
    const qsizetype start = out.size();
    out.append(payload);
    if (!masked)
        return;
    const unsigned char key[4] = { uchar(maskKey >> 24), uchar(maskKey >> 16), uchar(maskKey >> 8), uchar(maskKey) };
    char* p = out.data() + start;
    for (qsizetype i = 0; i < payload.size(); ++i)
        p[i] = char(p[i] ^ key[i & 3]);
}

quint32 FrameWriter::randomMaskKey()
{
    return QRandomGenerator::global()->generate();
}

} // namespace wsi
