#pragma once

#include <QRegularExpression>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace wsi {

// Marks the stand-ins PayloadText::visible() puts for invisible characters, and invalid bytes (U+FFFD).
class InvisibleHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT
public:
    explicit InvisibleHighlighter(QTextDocument* document);
    ~InvisibleHighlighter() override;

protected:
    void highlightBlock(const QString& text) override;

private:
    QRegularExpression m_pattern;
    QTextCharFormat m_standIn;
    QTextCharFormat m_invalid;
};

} // namespace wsi
