#pragma once

#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace wsi {

// Colours keys, strings, numbers, literals and punctuation of pretty-printed JSON.
class JsonHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT
public:
    explicit JsonHighlighter(QTextDocument* document);
    ~JsonHighlighter() override;

protected:
    void highlightBlock(const QString& text) override;

private:
    QTextCharFormat m_key;
    QTextCharFormat m_string;
    QTextCharFormat m_number;
    QTextCharFormat m_literal;
    QTextCharFormat m_punct;
};

} // namespace wsi
