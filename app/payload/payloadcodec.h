#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

namespace wsi {

// Turns what a user typed into bytes, or says exactly where it is wrong.
class PayloadCodec
{
    Q_DECLARE_TR_FUNCTIONS(wsi::PayloadCodec)
public:
    struct Result {
        QByteArray bytes;
        QString error; // empty when fine
        qsizetype errorPosition = -1; // character offset in the input
        bool ok() const { return error.isEmpty(); }
    };

    // Hex digits with optional spaces, tabs, newlines, commas and "0x"/"0X" prefixes per byte.
    static Result parseHex(QStringView input);
    // Standard or URL-safe base64, white space ignored, padding optional.
    static Result parseBase64(QStringView input);
};

} // namespace wsi
