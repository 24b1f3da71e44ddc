#include "qrcode.h"

#include <QCoreApplication>

#include <qrencode.h>

namespace wsi {

Result<QrCode> QrCode::encode(const QByteArray& text)
{
    QRcode* code = QRcode_encodeString8bit(text.constData(), 0, QR_ECLEVEL_M);
    if (!code) {
        return Error { QCoreApplication::translate("wsi::QrCode", "No QR code for \"%1\": the text is too long.")
                           .arg(QString::fromUtf8(text.left(80))),
            {} };
    }
    QrCode out;
    out.m_size = code->width;
    out.m_modules.resize(qsizetype(code->width) * code->width);
    for (qsizetype i = 0; i < out.m_modules.size(); ++i)
        out.m_modules[i] = char(code->data[i] & 1);
    QRcode_free(code);
    return out;
}

QString QrCode::toTerminal() const
{
    constexpr int kQuiet = 2;
    auto light = [this](int x, int y) {
        if (x < 0 || y < 0 || x >= m_size || y >= m_size)
            return true;
        return !dark(x, y);
    };
    QString out;
    for (int y = -kQuiet; y < m_size + kQuiet; y += 2) {
        for (int x = -kQuiet; x < m_size + kQuiet; ++x) {
            const bool top = light(x, y);
            const bool bottom = y + 1 < m_size + kQuiet ? light(x, y + 1) : false;
            out += top && bottom ? QChar(0x2588) : top ? QChar(0x2580) : bottom ? QChar(0x2584) : QChar(u' ');
        }
        out += u'\n';
    }
    return out;
}

} // namespace wsi
