#pragma once

#include "util/result.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace wsi {

// A QR code as a square of modules (libqrencode, error correction M), for the Server panel's
// images and the terminal's drawing.
class QrCode
{
public:
    static Result<QrCode> encode(const QByteArray& text);

    int size() const { return m_size; }
    bool dark(int x, int y) const { return m_modules.at(y * m_size + x) != 0; }
    // Drawn with half blocks, two rows per line, light modules as blocks (for a dark terminal, the
    // way `qrencode -t UTF8` draws), with a quiet zone of two modules.
    QString toTerminal() const;

private:
    int m_size = 0;
    QByteArray m_modules;
};

} // namespace wsi
