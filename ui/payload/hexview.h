#pragma once

#include <QAbstractScrollArea>
#include <QByteArray>

namespace wsi {

// Hex dump of a payload (offset | 16 bytes in hex | ASCII) that paints only the visible rows, so a
// payload of any size opens at once. Holds the QByteArray by implicit sharing and never copies it.
class HexView : public QAbstractScrollArea
{
    Q_OBJECT
public:
    enum class CopyFormat { Hex, Base64, CArray, Raw };
    static constexpr int kBytesPerRow = 16; // at most; fewer when the view is narrow
    int bytesPerRow() const { return m_bytesPerRow; }

    explicit HexView(QWidget* parent = nullptr);
    ~HexView() override;

    void setData(const QByteArray& data);
    const QByteArray& data() const { return m_data; }

    // Rows painted by the last paint event; the work done per paint (for tests and the benchmark).
    int rowsPaintedLastPaint() const { return m_rowsPainted; }
    qint64 paintCount() const { return m_paintCount; }
    int visibleRowCount() const;
    qint64 firstVisibleRow() const;
    qint64 rowCount() const;

    // Selection as a half-open byte range [start, end); empty when start == end.
    qint64 selectionStart() const { return std::min(m_anchor, m_cursor); }
    qint64 selectionEnd() const;
    qint64 cursorOffset() const { return m_cursor; }
    void setSelection(qint64 start, qint64 length);
    QByteArray selectedBytes() const;
    QString formatSelection(CopyFormat format) const;
    static QString format(QByteArrayView bytes, CopyFormat format);

    // Where a byte is painted in the viewport (its hex pair or its ASCII character); empty when scrolled out.
    QRect byteRect(qint64 offset, bool ascii) const;

    // Moves the cursor to the byte and scrolls its row into view; false when out of range.
    bool goToOffset(qint64 offset);
    // "4096", "0x1000", "1000h"; -1 when it is not a number.
    static qint64 parseOffset(QString text);
    // Finds needle from `from` (wrapping once), selects and shows it; returns its offset or -1.
    qint64 find(const QByteArray& needle, qint64 from);
    qint64 findNext(const QByteArray& needle);

public Q_SLOTS:
    void copy(wsi::HexView::CopyFormat format = CopyFormat::Hex);

Q_SIGNALS:
    void selectionChanged();

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void updateMetrics();
    void updateColumns();
    void updateScrollBar();
    void ensureVisible(qint64 offset);
    void moveCursorTo(qint64 offset, bool extend);
    qint64 offsetAt(const QPoint& pos, bool* inAscii) const;
    int offsetDigits() const;

    QByteArray m_data;
    qint64 m_anchor = 0;
    qint64 m_cursor = 0;
    bool m_hasSelection = false;
    bool m_asciiActive = false;
    int m_charWidth = 8;
    int m_lineHeight = 16;
    int m_ascent = 12;
    int m_bytesPerRow = kBytesPerRow;
    int m_hexX = 0; // x of the first hex digit
    int m_asciiX = 0; // x of the first ASCII character
    int m_rowsPainted = 0;
    qint64 m_paintCount = 0;
};

} // namespace wsi
