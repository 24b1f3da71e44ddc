#include "wiretypes.h"

using namespace Qt::StringLiterals;

namespace wsi {

QByteArray HttpHead::header(QByteArrayView name) const
{
    for (const auto& h : headers) {
        if (name.compare(h.first, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

QList<QByteArray> HttpHead::headerValues(QByteArrayView name) const
{
    QList<QByteArray> values;
    for (const auto& h : headers) {
        if (name.compare(h.first, Qt::CaseInsensitive) == 0)
            values.append(h.second);
    }
    return values;
}

QString opcodeName(quint8 opcode)
{
    switch (opcode) {
    case OpContinuation:
        return u"continuation"_s;
    case OpText:
        return u"text"_s;
    case OpBinary:
        return u"binary"_s;
    case OpClose:
        return u"close"_s;
    case OpPing:
        return u"ping"_s;
    case OpPong:
        return u"pong"_s;
    default:
        return u"reserved-0x%1"_s.arg(opcode, 0, 16);
    }
}

} // namespace wsi
