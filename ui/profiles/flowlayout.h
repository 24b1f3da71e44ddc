#pragma once

#include <QLayout>

namespace wsi {

// Lays its items out like words in a paragraph: as many side by side as fit, the rest on the next
// rows, so that a row of buttons fits a narrow dock and stays one row where there is room. An
// expanding horizontal spacer (addStretch) takes the room left in its row; rows without one are
// placed by rowAlignment() (left unless set).
class FlowLayout : public QLayout
{
    Q_OBJECT
public:
    explicit FlowLayout(QWidget* parent = nullptr);
    ~FlowLayout() override;

    void addStretch();
    Qt::Alignment rowAlignment() const { return m_rowAlignment; }
    void setRowAlignment(Qt::Alignment alignment);

    void addItem(QLayoutItem* item) override;
    int count() const override;
    QLayoutItem* itemAt(int index) const override;
    QLayoutItem* takeAt(int index) override;
    Qt::Orientations expandingDirections() const override;
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize minimumSize() const override;
    QSize sizeHint() const override;
    void setGeometry(const QRect& rect) override;

private:
    int gap(Qt::Orientation orientation) const;
    // Places the items in rect (when apply) and returns the height they take.
    int arrange(const QRect& rect, bool apply) const;

    QList<QLayoutItem*> m_items;
    Qt::Alignment m_rowAlignment = Qt::AlignLeft;
};

} // namespace wsi
