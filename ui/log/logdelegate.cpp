#include "logdelegate.h"

#include "log/logfiltermodel.h"
#include "log/messagelogmodeldefs.h"

#include <QApplication>
#include <QPainter>

namespace wsi {

using namespace MessageLogModelDefs;

LogDelegate::LogDelegate(LogFilterModel* filterModel, QObject* parent)
    : QStyledItemDelegate(parent)
    , m_filterModel(filterModel)
{ }

LogDelegate::~LogDelegate() = default;

QColor LogDelegate::directionColor(int direction)
{
    switch (Direction(direction)) {
    case Direction::Send:
        return QColor(0x1e, 0x5a, 0xc8);
    case Direction::Receive:
        return QColor(0x1b, 0x7f, 0x3a);
    case Direction::None:
        break;
    }
    return QColor(0x70, 0x70, 0x70);
}

void LogDelegate::initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    // The engine model does not link Qt GUI, so colours are decided here from its roles.
    if (index.column() == DirectionColumn) {
        const QColor c = directionColor(index.data(DirectionRole).toInt());
        option->palette.setColor(QPalette::Text, c);
        option->font.setBold(true);
    } else if (index.column() == TypeColumn && index.data(KindRole).toInt() == int(LogEntry::Kind::Error)) {
        option->palette.setColor(QPalette::Text, QColor(0xb0, 0x00, 0x20));
    } else if (m_highContrast) {
        const bool error = index.data(KindRole).toInt() == int(LogEntry::Kind::Error);
        QColor c = error ? QColor(0xb0, 0x00, 0x20) : directionColor(index.data(DirectionRole).toInt());
        // Darker on a light base, lighter on a dark one: the most contrast the palette allows.
        const bool darkBase = option->palette.color(QPalette::Base).lightness() < 128;
        c = darkBase ? c.lighter(170) : c.darker(130);
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
        painter->fillRect(QRect(x0, y, w, fm.height()), QColor(0xff, 0xd5, 0x4f));
    }
    const bool selected = opt.state & QStyle::State_Selected;
    painter->setPen(opt.palette.color(QPalette::Normal, selected ? QPalette::HighlightedText : QPalette::Text));
    painter->drawText(textRect, Qt::AlignLeft | Qt::AlignVCenter | Qt::TextSingleLine,
        fm.elidedText(text, Qt::ElideRight, textRect.width()));
    painter->restore();
}

} // namespace wsi
