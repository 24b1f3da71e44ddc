#include "logdelegate.h"

#include "log/logfiltermodel.h"
#include "log/messagelogmodeldefs.h"
#include "style/style.h"

#include <QApplication>
#include <QPainter>

namespace wsi {

using namespace MessageLogModelDefs;

LogDelegate::LogDelegate(LogFilterModel* filterModel, QObject* parent)
    : QStyledItemDelegate(parent)
    , m_filterModel(filterModel)
{ }

LogDelegate::~LogDelegate() = default;

QColor LogDelegate::directionColor(int direction, const QPalette& palette)
{
    switch (Direction(direction)) {
    case Direction::Send:
        return Style::color(Style::Tone::Sent, palette);
    case Direction::Receive:
        return Style::color(Style::Tone::Received, palette);
    case Direction::None:
        break;
    }
    return Style::color(Style::Tone::Local, palette);
}

void LogDelegate::initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    // The engine model does not link Qt GUI, so colours are decided here from its roles.
    if (index.column() == DirectionColumn) {
        const QColor c = directionColor(index.data(DirectionRole).toInt(), option->palette);
        option->palette.setColor(QPalette::Text, c);
        option->font.setBold(true);
    } else if (index.column() == TypeColumn && index.data(KindRole).toInt() == int(LogEntry::Kind::Error)) {
        option->palette.setColor(QPalette::Text, Style::color(Style::Tone::Bad, option->palette));
    } else if (m_highContrast) {
        const bool error = index.data(KindRole).toInt() == int(LogEntry::Kind::Error);
        QColor c = error ? Style::color(Style::Tone::Bad, option->palette)
                         : directionColor(index.data(DirectionRole).toInt(), option->palette);
        // Darker on a light base, lighter on a dark one: the most contrast the palette allows.
        c = Style::isDark(option->palette) ? c.lighter(120) : c.darker(130);
        option->palette.setColor(QPalette::Text, c);
        option->font.setBold(true);
    }
}

void LogDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    const LogMatcher* matcher = m_filterModel ? m_filterModel->matcher() : nullptr;
    if (index.column() != PreviewColumn || !matcher || !matcher->hasText()) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    QStyleOptionViewItem opt(option);
    initStyleOption(&opt, index);
    const QList<std::pair<int, int>> ranges = matcher->highlights(opt.text);
    if (ranges.isEmpty()) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    const QWidget* widget = opt.widget;
    QStyle* style = widget ? widget->style() : QApplication::style();
    const QString text = opt.text;
    const QRect textRect = style->subElementRect(QStyle::SE_ItemViewItemText, &opt, widget).adjusted(2, 0, -2, 0);
    opt.text.clear();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    painter->save();
    painter->setClipRect(textRect);
    painter->setFont(opt.font);
    const QFontMetrics fm(opt.font);
    const int y = textRect.top() + (textRect.height() - fm.height()) / 2;
    for (const auto& [start, length] : ranges) {
        const int x0 = textRect.left() + fm.horizontalAdvance(text.left(start));
        if (x0 > textRect.right())
            break;
        const int w = fm.horizontalAdvance(text.mid(start, length));
        painter->fillRect(QRect(x0, y, w, fm.height()), Style::highlightBackground(opt.palette));
    }
    const bool selected = opt.state & QStyle::State_Selected;
    painter->setPen(opt.palette.color(QPalette::Normal, selected ? QPalette::HighlightedText : QPalette::Text));
    painter->drawText(textRect, Qt::AlignLeft | Qt::AlignVCenter | Qt::TextSingleLine,
        fm.elidedText(text, Qt::ElideRight, textRect.width()));
    painter->restore();
}

} // namespace wsi
