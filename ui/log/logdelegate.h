#pragma once

#include <QStyledItemDelegate>

namespace wsi {

class LogFilterModel;

// Paints log rows: direction arrows in their colour, errors in red, and the filter's matches
// highlighted inside the preview text.
class LogDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit LogDelegate(LogFilterModel* filterModel, QObject* parent = nullptr);
    ~LogDelegate() override;

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;

    static QColor directionColor(int direction);

protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override;

private:
    LogFilterModel* m_filterModel = nullptr;
};

} // namespace wsi
