#include "wrappingcheckbox.h"

#include <QEvent>
#include <QResizeEvent>
#include <QStyleOptionButton>
#include <QStylePainter>
#include <QTextBoundaryFinder>

namespace wsi {

namespace {
constexpr int kTextFlags = Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap | Qt::TextShowMnemonic;

// The text as drawn: the mnemonic's '&' is not shown.
QString shownText(const QString& text)
{
    QString out = text;
    for (qsizetype i = 0; i < out.size(); ++i) {
        if (out.at(i) == u'&')
            out.remove(i, 1); // "&&" keeps one '&', which the loop then steps over
    }
    return out;
}
} // namespace

WrappingCheckBox::WrappingCheckBox(QWidget* parent)
    : QCheckBox(parent)
{
    QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred, QSizePolicy::CheckBox);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
}

WrappingCheckBox::~WrappingCheckBox() = default;

int WrappingCheckBox::textLeft() const
{
    QStyleOptionButton option;
    initStyleOption(&option);
    option.rect = QRect(0, 0, QCheckBox::sizeHint().width(), oneLineHeight());
    return style()->subElementRect(QStyle::SE_CheckBoxContents, &option, this).left();
}

int WrappingCheckBox::oneLineHeight() const
{
    return QCheckBox::sizeHint().height();
}

QSize WrappingCheckBox::sizeHint() const
{
    // One line where there is room; at a narrower width, the height of the wrapped lines (a form
    // layout caps a field at its size hint's height, whatever its height for width says).
    QSize hint = QCheckBox::sizeHint();
    if (width() > 0 && width() < hint.width())
        hint.setHeight(heightForWidth(width()));
    return hint;
}

QSize WrappingCheckBox::minimumSizeHint() const
{
    const QString text = shownText(this->text());
    const QFontMetrics metrics = fontMetrics();
    int widest = 0;
    QTextBoundaryFinder finder(QTextBoundaryFinder::Line, text);
    qsizetype start = 0;
    for (qsizetype end = finder.toNextBoundary(); end >= 0; end = finder.toNextBoundary()) {
        if (end > start)
            widest = std::max(widest, metrics.horizontalAdvance(text.mid(start, end - start).trimmed()));
        start = end;
    }
    // A few pixels to spare: the text is measured again, with the mnemonic, when laid out.
    // One line high, as a word-wrapped QLabel: layouts take the height from heightForWidth, and a
    // minimum of the narrowest height would hold the box that tall at every width.
    return { std::min(QCheckBox::sizeHint().width(), textLeft() + widest + 2), oneLineHeight() };
}

int WrappingCheckBox::heightForWidth(int width) const
{
    if (width >= QCheckBox::sizeHint().width())
        return oneLineHeight();
    // One line's height and what the further lines add (measured the same way: a fallback font for
    // Chinese can be taller than the font's own line).
    const QFontMetrics metrics = fontMetrics();
    const int oneLine
        = metrics.boundingRect(QRect(0, 0, QWIDGETSIZE_MAX, QWIDGETSIZE_MAX), kTextFlags, text()).height();
    const int textWidth = std::max(1, width - textLeft());
    const int wrapped = metrics.boundingRect(QRect(0, 0, textWidth, QWIDGETSIZE_MAX), kTextFlags, text()).height();
    return oneLineHeight() + std::max(0, wrapped - oneLine);
}

void WrappingCheckBox::paintEvent(QPaintEvent*)
{
    QStylePainter painter(this);
    QStyleOptionButton option;
    initStyleOption(&option);
    // The indicator (and its focus frame) beside the first line; then the text, wrapped.
    QStyleOptionButton indicator = option;
    indicator.text.clear();
    indicator.rect.setHeight(oneLineHeight());
    indicator.rect.setWidth(textLeft());
    painter.drawControl(QStyle::CE_CheckBox, indicator);
    const int top = (oneLineHeight() - fontMetrics().height()) / 2;
    const QRect textRect(textLeft(), top, width() - textLeft(), height() - top);
    style()->drawItemText(&painter, textRect, kTextFlags, option.palette, isEnabled(), text(), foregroundRole());
}

bool WrappingCheckBox::hitButton(const QPoint& pos) const
{
    return rect().contains(pos); // the whole text, every line of it
}

void WrappingCheckBox::resizeEvent(QResizeEvent* event)
{
    QCheckBox::resizeEvent(event);
    if (heightForWidth(event->size().width()) != heightForWidth(event->oldSize().width()))
        updateGeometry(); // the size hint's height follows the width
}

void WrappingCheckBox::changeEvent(QEvent* event)
{
    QCheckBox::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange)
        updateGeometry();
}

} // namespace wsi
