#include "jsonhighlighter.h"

#include "style/style.h"

#include <QApplication>

namespace wsi {

JsonHighlighter::JsonHighlighter(QTextDocument* document)
    : QSyntaxHighlighter(document)
{
    // Readable on the application's palette, light or dark.
    const bool dark = Style::isDark(QApplication::palette());
    m_key.setForeground(dark ? QColor(0xe0, 0x8c, 0xda) : QColor(0x88, 0x1c, 0x80));
    m_key.setFontWeight(QFont::DemiBold);
    m_string.setForeground(Style::color(Style::Tone::Good));
    m_number.setForeground(Style::color(Style::Tone::Sent));
    m_literal.setForeground(dark ? QColor(0xf0, 0xa0, 0x60) : QColor(0xb3, 0x54, 0x00));
    m_literal.setFontWeight(QFont::Bold);
    m_punct.setForeground(Style::color(Style::Tone::Muted));
}

JsonHighlighter::~JsonHighlighter() = default;

void JsonHighlighter::highlightBlock(const QString& text)
{
    // JSON strings cannot contain raw newlines, so every token starts and ends in this block.
    const qsizetype n = text.size();
    qsizetype i = 0;
    while (i < n) {
        const QChar c = text.at(i);
        if (c == u'"') {
            qsizetype j = i + 1;
            while (j < n && text.at(j) != u'"')
                j += text.at(j) == u'\\' ? 2 : 1;
            j = std::min(j + 1, n);
            qsizetype k = j;
            while (k < n && text.at(k).isSpace())
                ++k;
            setFormat(int(i), int(j - i), k < n && text.at(k) == u':' ? m_key : m_string);
            i = j;
        } else if (c == u'-' || c.isDigit()) {
            qsizetype j = i + 1;
            while (j < n
                && (text.at(j).isDigit() || text.at(j) == u'.' || text.at(j) == u'e' || text.at(j) == u'E'
                    || text.at(j) == u'+' || text.at(j) == u'-'))
                ++j;
            setFormat(int(i), int(j - i), m_number);
            i = j;
        } else if (c.isLetter()) {
            qsizetype j = i + 1;
            while (j < n && text.at(j).isLetter())
                ++j;
            setFormat(int(i), int(j - i), m_literal);
            i = j;
        } else {
            if (c == u'{' || c == u'}' || c == u'[' || c == u']' || c == u',' || c == u':')
                setFormat(int(i), 1, m_punct);
            ++i;
        }
    }
}

} // namespace wsi
