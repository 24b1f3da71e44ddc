#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

namespace wsi {

// Renders payload bytes for reading: UTF-8 with invisible characters made visible, and the first
// invalid UTF-8 sequence located by byte offset; also picks the view that suits a payload best.
class PayloadText
{
    Q_DECLARE_TR_FUNCTIONS(wsi::PayloadText)
public:
    // Byte offset of the first invalid UTF-8 sequence, or -1 when the bytes are valid UTF-8.
    static qsizetype firstInvalidUtf8(QByteArrayView bytes);
    // Control characters, zero-width characters, BOM, NBSP, soft hyphen etc. become visible: → tab,
    // ↵ newline (the line break stays), ⍽ no-break space, «NUL» «CR» «ZWSP» «BOM»... mnemonics for the
    // rest. Invalid bytes show as U+FFFD.
    static QString visible(QByteArrayView bytes);
    // Number of characters made visible by visible() (for a summary line).
    static qsizetype invisibleCount(QByteArrayView bytes);

    struct JsonCheck
    {
        QString error; // empty when the JSON is valid
        qsizetype byteOffset = -1; // where the parser stopped
        int line = 0; // 1-based
        int column = 0; // 1-based, in characters
        bool ok() const { return error.isEmpty(); }
    };
    static JsonCheck checkJson(QByteArrayView bytes);
    // Re-indents JSON keeping key order and number spelling exactly as sent (QJsonDocument would
    // sort keys and round big integers). indent < 0 gives the compact form.
    static QByteArray reformatJson(QByteArrayView json, int indent = 2);

    enum class BestView { Text, Json, Hex };
    // Larger texts are not parsed just to pick a view (the JSON view does not pretty-print them either).
    static constexpr qsizetype kMaxJsonDetectBytes = 1024 * 1024;
    // JSON if it parses as an object or array, hex for binary messages or invalid UTF-8, else text.
    static BestView bestView(QByteArrayView bytes, bool binaryMessage);
};

} // namespace wsi
