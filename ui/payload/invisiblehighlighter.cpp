#include "invisiblehighlighter.h"

#include "style/style.h"

#include <QApplication>

using namespace Qt::StringLiterals;

namespace wsi {

InvisibleHighlighter::InvisibleHighlighter(QTextDocument* document)
    : QSyntaxHighlighter(document)
    , m_pattern(u"«[A-Z0-9]{1,4}»|[→↵⍽\uFFFD]"_s)
{
    const bool dark = Style::isDark(QApplication::palette());
    m_standIn.setForeground(dark ? QColor(0xc0, 0xc0, 0xf0) : QColor(0x5a, 0x5a, 0x8c));
    m_standIn.setBackground(dark ? QColor(0x3a, 0x3a, 0x55) : QColor(0xe8, 0xe8, 0xf4));
    m_invalid.setForeground(QColor(0xff, 0xff, 0xff));
    m_invalid.setBackground(QColor(0xb0, 0x00, 0x20));
}

InvisibleHighlighter::~InvisibleHighlighter() = default;

void InvisibleHighlighter::highlightBlock(const QString& text)
{
    if (text.isEmpty())
        return;
    for (auto it = m_pattern.globalMatch(text); it.hasNext();) {
        const auto m = it.next();
        setFormat(
            int(m.capturedStart()), int(m.capturedLength()), m.capturedView() == u"\uFFFD" ? m_invalid : m_standIn);
    }
}

} // namespace wsi
