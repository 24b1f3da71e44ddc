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

    // The direction's colour for a palette (light or dark).
    static QColor directionColor(int direction, const QPalette& palette);
    // Presentation mode: every row's text in its direction's colour, bold, so a projector shows
    // which way each message went from the back of a room.
    void setHighContrast(bool on) { m_highContrast = on; }
    bool highContrast() const { return m_highContrast; }

protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override;

private:
    LogFilterModel* m_filterModel = nullptr;
    bool m_highContrast = false;
};

} // namespace wsi
