#include "flowlayout.h"

#include <QStyle>
#include <QWidget>

namespace wsi {

namespace {
bool isStretch(QLayoutItem* item)
{
    return item->spacerItem() && (item->spacerItem()->expandingDirections() & Qt::Horizontal);
}
} // namespace

FlowLayout::FlowLayout(QWidget* parent)
    : QLayout(parent)
{ }

FlowLayout::~FlowLayout()
{
    qDeleteAll(m_items);
}

void FlowLayout::setRowAlignment(Qt::Alignment alignment)
{
    m_rowAlignment = alignment;
    invalidate();
}

void FlowLayout::addStretch()
{
    addItem(new QSpacerItem(0, 0, QSizePolicy::Expanding, QSizePolicy::Minimum));
}

void FlowLayout::addItem(QLayoutItem* item)
{
    m_items.append(item);
    invalidate();
}

int FlowLayout::count() const
{
    return int(m_items.size());
}

QLayoutItem* FlowLayout::itemAt(int index) const
{
    return m_items.value(index);
}

QLayoutItem* FlowLayout::takeAt(int index)
{
    if (index < 0 || index >= m_items.size())
        return nullptr;
    QLayoutItem* item = m_items.takeAt(index);
    invalidate();
    return item;
}

Qt::Orientations FlowLayout::expandingDirections() const
{
    return {};
}

int FlowLayout::gap(Qt::Orientation orientation) const
{
    const int set = spacing();
    if (set >= 0)
        return set;
    const QWidget* parent = parentWidget();
    const QStyle* style = parent ? parent->style() : nullptr;
    const int fromStyle = style ? style->pixelMetric(orientation == Qt::Horizontal ? QStyle::PM_LayoutHorizontalSpacing
                                                                                   : QStyle::PM_LayoutVerticalSpacing,
                              nullptr, parent)
                                : -1;
    return fromStyle >= 0 ? fromStyle : 6;
}

int FlowLayout::heightForWidth(int width) const
{
    return arrange(QRect(0, 0, width, 0), false);
}

QSize FlowLayout::minimumSize() const
{
    QSize size;
    for (QLayoutItem* item : m_items) {
        if (!item->isEmpty())
            size = size.expandedTo(item->minimumSize());
    }
    const QMargins m = contentsMargins();
    return size + QSize(m.left() + m.right(), m.top() + m.bottom());
}

QSize FlowLayout::sizeHint() const
{
    // Everything in one row.
    int width = 0;
    int height = 0;
    int shown = 0;
    for (QLayoutItem* item : m_items) {
        if (item->isEmpty() || isStretch(item))
            continue;
        width += item->sizeHint().width();
        height = std::max(height, item->sizeHint().height());
        ++shown;
    }
    width += std::max(0, shown - 1) * gap(Qt::Horizontal);
    const QMargins m = contentsMargins();
    return { width + m.left() + m.right(), height + m.top() + m.bottom() };
}

void FlowLayout::setGeometry(const QRect& rect)
{
    QLayout::setGeometry(rect);
    arrange(rect, true);
}

int FlowLayout::arrange(const QRect& rect, bool apply) const
{
    const QRect area = rect.marginsRemoved(contentsMargins());
    const int hGap = gap(Qt::Horizontal);
    const int vGap = gap(Qt::Vertical);

    struct Row
    {
        QList<QLayoutItem*> items;
        int used = 0;
        int height = 0;
        QLayoutItem* stretch = nullptr;
    };
    QList<Row> rows(1);
    for (QLayoutItem* item : m_items) {
        Row* row = &rows.last();
        if (isStretch(item)) { // (a spacer counts as empty)
            if (!row->items.isEmpty() && !row->stretch)
                row->stretch = item;
            continue;
        }
        if (item->isEmpty())
            continue;
        const int width = std::min(item->sizeHint().width(), area.width());
        const int need = row->items.isEmpty() ? width : row->used + hGap + width;
        if (!row->items.isEmpty() && need > area.width()) {
            rows.append(Row());
            row = &rows.last();
        }
        row->used = row->items.isEmpty() ? width : row->used + hGap + width;
        row->height = std::max(row->height, item->sizeHint().height());
        row->items.append(item);
    }

    int y = area.top();
    int height = 0;
    for (const Row& row : std::as_const(rows)) {
        if (row.items.isEmpty())
            continue;
        if (height > 0) {
            y += vGap;
            height += vGap;
        }
        if (apply) {
            const int room = area.width() - row.used;
            // A stretch keeps what comes before it at the left and pushes the rest to the right.
            int x = area.left();
            if (!row.stretch) {
                if (m_rowAlignment & Qt::AlignRight)
                    x += room;
                else if (m_rowAlignment & Qt::AlignHCenter)
                    x += room / 2;
            }
            bool pushed = false;
            for (QLayoutItem* item : row.items) {
                if (row.stretch && !pushed && m_items.indexOf(item) > m_items.indexOf(row.stretch)) {
                    x += room;
                    pushed = true;
                }
                const int width = std::min(item->sizeHint().width(), area.width());
                item->setGeometry(QRect(x, y, width, row.height));
                x += width + hGap;
            }
        }
        y += row.height;
        height += row.height;
    }
    const QMargins m = contentsMargins();
    return height + m.top() + m.bottom();
}

} // namespace wsi
