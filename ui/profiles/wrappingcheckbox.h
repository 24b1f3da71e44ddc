#pragma once

#include <QCheckBox>

namespace wsi {

// A check box whose text wraps onto more lines when it is narrower than the text, so that a long
// option fits a narrow dock (QCheckBox keeps one line and is cut). It asks for one line when there
// is room.
class WrappingCheckBox : public QCheckBox
{
    Q_OBJECT
public:
    explicit WrappingCheckBox(QWidget* parent = nullptr);
    ~WrappingCheckBox() override;

    QSize sizeHint() const override;
    // The indicator and the widest piece of text that cannot be broken (a word; one character of
    // Chinese); one line high (the height comes from heightForWidth).
    QSize minimumSizeHint() const override;
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    bool hitButton(const QPoint& pos) const override;
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    int textLeft() const;
    int oneLineHeight() const;
};

} // namespace wsi
