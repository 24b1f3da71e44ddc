#include "hexview.h"

#include "style/style.h"

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QFontDatabase>
#include <QKeyEvent>
#include <QMenu>
#include <QMimeData>
#include <QPainter>
#include <QScrollBar>
#include <QtMath>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {
constexpr char kHexDigits[] = "0123456789abcdef";
// x position (in characters from the hex column start) of byte column c: "xx " each, extra gap after 8.
int hexColumnChars(int c)
{
    return c * 3 + (c >= 8 ? 1 : 0);
}
} // namespace

HexView::HexView(QWidget* parent)
    : QAbstractScrollArea(parent)
{
    setFont(Style::monospace());
    setFocusPolicy(Qt::StrongFocus);
    viewport()->setCursor(Qt::IBeamCursor);
    updateMetrics();
}

HexView::~HexView() = default;

void HexView::setData(const QByteArray& data)
{
    m_data = data; // implicit sharing: no copy of the bytes
    m_anchor = m_cursor = 0;
    m_hasSelection = false;
    updateMetrics();
    verticalScrollBar()->setValue(0);
    viewport()->update();
    Q_EMIT selectionChanged();
}

qint64 HexView::rowCount() const
{
    return (m_data.size() + m_bytesPerRow - 1) / m_bytesPerRow;
}

int HexView::visibleRowCount() const
{
    return std::max(1, viewport()->height() / m_lineHeight);
}

qint64 HexView::firstVisibleRow() const
{
    return verticalScrollBar()->value();
}

int HexView::offsetDigits() const
{
    return m_data.size() > 0xffffffffLL ? 12 : 8;
}

void HexView::updateMetrics()
{
    const QFontMetrics fm(font());
    m_charWidth = qCeil(QFontMetricsF(font()).horizontalAdvance(QLatin1Char('0')));
    m_lineHeight = fm.height() + 2;
    m_ascent = fm.ascent() + 1;
    m_hexX = m_charWidth * (offsetDigits() + 2);
    updateColumns();
}

void HexView::updateColumns()
{
    // 16 bytes a row when the ASCII column fits beside them, else 8 (or 4): the ASCII column stays
    // in sight instead of behind a horizontal scroll bar.
    const auto widthFor = [this](int n) { return m_hexX + m_charWidth * (hexColumnChars(n) + 1 + n + 1); };
    int bytes = kBytesPerRow;
    while (bytes > 4 && widthFor(bytes) > viewport()->width())
        bytes /= 2;
    const qint64 topOffset = firstVisibleRow() * m_bytesPerRow;
    const bool changed = bytes != m_bytesPerRow;
    m_bytesPerRow = bytes;
    m_asciiX = m_hexX + m_charWidth * (hexColumnChars(m_bytesPerRow) + 1);
    updateScrollBar();
    if (changed) {
        verticalScrollBar()->setValue(int(topOffset / m_bytesPerRow));
        viewport()->update();
    }
}

void HexView::updateScrollBar()
{
    // One scroll step per row; 2^31 rows would be 32 GiB, far beyond any payload we hold.
    const qint64 rows = rowCount();
    const int page = visibleRowCount();
    verticalScrollBar()->setRange(0, int(std::max<qint64>(0, rows - page)));
    verticalScrollBar()->setPageStep(page);
    verticalScrollBar()->setSingleStep(1);
    const int width = m_asciiX + m_charWidth * (m_bytesPerRow + 1);
    horizontalScrollBar()->setRange(0, std::max(0, width - viewport()->width()));
    horizontalScrollBar()->setPageStep(viewport()->width());
}

void HexView::resizeEvent(QResizeEvent* event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateColumns();
}

void HexView::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::FontChange)
        updateMetrics();
    QAbstractScrollArea::changeEvent(event);
}

qint64 HexView::selectionEnd() const
{
    if (!m_hasSelection)
        return selectionStart();
    return std::max(m_anchor, m_cursor) + 1;
}

void HexView::setSelection(qint64 start, qint64 length)
{
    if (m_data.isEmpty())
        return;
    start = std::clamp<qint64>(start, 0, m_data.size() - 1);
    length = std::clamp<qint64>(length, 0, m_data.size() - start);
    m_anchor = start;
    m_cursor = length > 0 ? start + length - 1 : start;
    m_hasSelection = length > 0;
    ensureVisible(m_cursor);
    viewport()->update();
    Q_EMIT selectionChanged();
}

QByteArray HexView::selectedBytes() const
{
    if (!m_hasSelection)
        return {};
    return m_data.sliced(selectionStart(), selectionEnd() - selectionStart());
}

QString HexView::format(QByteArrayView bytes, CopyFormat format)
{
    switch (format) {
    case CopyFormat::Hex:
        return QString::fromLatin1(bytes.toByteArray().toHex(' '));
    case CopyFormat::Base64:
        return QString::fromLatin1(bytes.toByteArray().toBase64());
    case CopyFormat::CArray: {
        QString out = u"const unsigned char data[%1] = {"_s.arg(bytes.size());
        for (qsizetype i = 0; i < bytes.size(); ++i) {
            if (i % 12 == 0)
                out += u"\n    "_s;
            out += u"0x"_s;
            out += QLatin1Char(kHexDigits[uchar(bytes[i]) >> 4]);
            out += QLatin1Char(kHexDigits[uchar(bytes[i]) & 0xf]);
            if (i + 1 < bytes.size())
                out += i % 12 == 11 ? u","_s : u", "_s;
        }
        out += u"\n};\n"_s;
        return out;
    }
    case CopyFormat::Raw:
        return QString::fromLatin1(bytes.data(), bytes.size());
    }
    return {};
}

QString HexView::formatSelection(CopyFormat fmt) const
{
    return format(selectedBytes(), fmt);
}

void HexView::copy(CopyFormat fmt)
{
    QByteArray bytes = selectedBytes();
    if (bytes.isEmpty() && !m_data.isEmpty() && m_cursor < m_data.size())
        bytes = m_data.sliced(m_cursor, 1);
    auto* mime = new QMimeData;
    if (fmt == CopyFormat::Raw) {
        // Raw bytes go as application/octet-stream; the text flavour is Latin-1 so nothing is lost.
        mime->setData(u"application/octet-stream"_s, bytes);
        mime->setText(format(bytes, CopyFormat::Raw));
    } else {
        mime->setText(format(bytes, fmt));
    }
    QApplication::clipboard()->setMimeData(mime);
}

qint64 HexView::parseOffset(QString text)
{
    text = text.trimmed().remove(u'_').remove(u' ');
    bool ok = false;
    qint64 v = -1;
    if (text.startsWith(u"0x"_s, Qt::CaseInsensitive))
        v = text.mid(2).toLongLong(&ok, 16);
    else if (text.endsWith(u'h', Qt::CaseInsensitive))
        v = text.chopped(1).toLongLong(&ok, 16);
    else
        v = text.toLongLong(&ok, 10);
    return ok && v >= 0 ? v : -1;
}

bool HexView::goToOffset(qint64 offset)
{
    if (offset < 0 || offset >= m_data.size())
        return false;
    m_anchor = m_cursor = offset;
    m_hasSelection = false;
    const qint64 row = offset / m_bytesPerRow;
    if (row < firstVisibleRow() || row >= firstVisibleRow() + visibleRowCount())
        verticalScrollBar()->setValue(int(row)); // put the row at the top, where the eye looks
    viewport()->update();
    Q_EMIT selectionChanged();
    return true;
}

qint64 HexView::find(const QByteArray& needle, qint64 from)
{
    if (needle.isEmpty() || m_data.isEmpty())
        return -1;
    from = std::clamp<qint64>(from, 0, m_data.size());
    qint64 at = m_data.indexOf(needle, from);
    if (at < 0 && from > 0)
        at = m_data.indexOf(needle, 0); // wrap around once
    if (at >= 0)
        setSelection(at, needle.size());
    return at;
}

qint64 HexView::findNext(const QByteArray& needle)
{
    const qint64 from = m_hasSelection ? selectionStart() + 1 : m_cursor;
    return find(needle, from);
}

QRect HexView::byteRect(qint64 offset, bool ascii) const
{
    const qint64 row = offset / m_bytesPerRow - firstVisibleRow();
    if (offset < 0 || offset >= m_data.size() || row < 0 || row > visibleRowCount())
        return {};
    const int c = int(offset % m_bytesPerRow);
    const int x = (ascii ? m_asciiX + c * m_charWidth : m_hexX + hexColumnChars(c) * m_charWidth)
        - horizontalScrollBar()->value();
    return QRect(x, int(row) * m_lineHeight, ascii ? m_charWidth : 2 * m_charWidth, m_lineHeight);
}

void HexView::ensureVisible(qint64 offset)
{
    const qint64 row = offset / m_bytesPerRow;
    const qint64 first = firstVisibleRow();
    const int visible = visibleRowCount();
    if (row < first)
        verticalScrollBar()->setValue(int(row));
    else if (row >= first + visible)
        verticalScrollBar()->setValue(int(row - visible + 1));
}

void HexView::moveCursorTo(qint64 offset, bool extend)
{
    if (m_data.isEmpty())
        return;
    offset = std::clamp<qint64>(offset, 0, m_data.size() - 1);
    if (!extend) {
        m_anchor = offset;
        m_hasSelection = false;
    } else {
        m_hasSelection = true;
    }
    m_cursor = offset;
    ensureVisible(offset);
    viewport()->update();
    Q_EMIT selectionChanged();
}

qint64 HexView::offsetAt(const QPoint& pos, bool* inAscii) const
{
    const int x = pos.x() + horizontalScrollBar()->value();
    const qint64 row = firstVisibleRow() + pos.y() / m_lineHeight;
    int col = 0;
    *inAscii = x >= m_asciiX - m_charWidth / 2;
    if (*inAscii) {
        col = (x - m_asciiX) / m_charWidth;
    } else {
        const int chars = (x - m_hexX) / m_charWidth;
        col = chars >= hexColumnChars(8) ? (chars - 1) / 3 : chars / 3;
    }
    col = std::clamp(col, 0, m_bytesPerRow - 1);
    return std::clamp<qint64>(row * m_bytesPerRow + col, 0, std::max<qint64>(0, m_data.size() - 1));
}

void HexView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() == Qt::RightButton && m_hasSelection)
        return; // keep the selection for the context menu
    bool ascii = false;
    const qint64 offset = offsetAt(event->position().toPoint(), &ascii);
    m_asciiActive = ascii;
    moveCursorTo(offset, event->modifiers() & Qt::ShiftModifier);
}

void HexView::mouseMoveEvent(QMouseEvent* event)
{
    if (!(event->buttons() & Qt::LeftButton))
        return;
    bool ascii = false;
    moveCursorTo(offsetAt(event->position().toPoint(), &ascii), true);
}

void HexView::keyPressEvent(QKeyEvent* event)
{
    if (event->matches(QKeySequence::Copy)) {
        copy(CopyFormat::Hex);
        return;
    }
    if (event->matches(QKeySequence::SelectAll)) {
        setSelection(0, m_data.size());
        return;
    }
    const bool extend = event->modifiers() & Qt::ShiftModifier;
    const bool ctrl = event->modifiers() & Qt::ControlModifier;
    const qint64 page = qint64(visibleRowCount()) * m_bytesPerRow;
    switch (event->key()) {
    case Qt::Key_Left:
        moveCursorTo(m_cursor - 1, extend);
        break;
    case Qt::Key_Right:
        moveCursorTo(m_cursor + 1, extend);
        break;
    case Qt::Key_Up:
        moveCursorTo(m_cursor - m_bytesPerRow, extend);
        break;
    case Qt::Key_Down:
        moveCursorTo(m_cursor + m_bytesPerRow, extend);
        break;
    case Qt::Key_PageUp:
        moveCursorTo(m_cursor - page, extend);
        break;
    case Qt::Key_PageDown:
        moveCursorTo(m_cursor + page, extend);
        break;
    case Qt::Key_Home:
        moveCursorTo(ctrl ? 0 : m_cursor - m_cursor % m_bytesPerRow, extend);
        break;
    case Qt::Key_End:
        moveCursorTo(ctrl ? m_data.size() - 1 : m_cursor - m_cursor % m_bytesPerRow + m_bytesPerRow - 1, extend);
        break;
    case Qt::Key_Tab:
        m_asciiActive = !m_asciiActive;
        viewport()->update();
        break;
    default:
        QAbstractScrollArea::keyPressEvent(event);
    }
}

void HexView::contextMenuEvent(QContextMenuEvent* event)
{
    QMenu menu(this);
    const bool any = !m_data.isEmpty();
    QAction* hex = menu.addAction(tr("Copy as hex"), this, [this] { copy(CopyFormat::Hex); });
    hex->setShortcut(QKeySequence::Copy);
    menu.addAction(tr("Copy as base64"), this, [this] { copy(CopyFormat::Base64); });
    menu.addAction(tr("Copy as C array"), this, [this] { copy(CopyFormat::CArray); });
    menu.addAction(tr("Copy raw bytes"), this, [this] { copy(CopyFormat::Raw); });
    menu.addSeparator();
    menu.addAction(tr("Select all"), this, [this] { setSelection(0, m_data.size()); });
    for (QAction* a : menu.actions())
        a->setEnabled(any);
    menu.exec(event->globalPos());
}

void HexView::paintEvent(QPaintEvent*)
{
    QPainter p(viewport());
    const QPalette& pal = palette();
    p.fillRect(viewport()->rect(), pal.base());
    p.setFont(font());
    p.translate(-horizontalScrollBar()->value(), 0);

    const qint64 first = firstVisibleRow();
    const qint64 rows = rowCount();
    // +1: a partly visible row at the bottom.
    const qint64 last = std::min(rows, first + viewport()->height() / m_lineHeight + 1);
    const qint64 selStart = selectionStart();
    const qint64 selEnd = selectionEnd();
    const QColor selColor = pal.color(hasFocus() ? QPalette::Active : QPalette::Inactive, QPalette::Highlight);
    const QColor selText = pal.color(QPalette::HighlightedText);
    const QColor offsetColor = pal.color(QPalette::Disabled, QPalette::Text);
    const int digits = offsetDigits();

    // Separator lines between the three columns.
    p.setPen(pal.color(QPalette::Mid));
    const int sep1 = m_hexX - m_charWidth;
    const int sep2 = m_asciiX - m_charWidth;
    p.drawLine(sep1, 0, sep1, viewport()->height());
    p.drawLine(sep2, 0, sep2, viewport()->height());

    int painted = 0;
    const QColor textColor = pal.color(QPalette::Text);
    const QString dot(QChar(u'·'));
    for (qint64 row = first; row < last; ++row, ++painted) {
        const int y = int(row - first) * m_lineHeight;
        const qint64 rowStart = row * m_bytesPerRow;
        const int n = int(std::min<qint64>(m_bytesPerRow, m_data.size() - rowStart));
        const uchar* bytes = reinterpret_cast<const uchar*>(m_data.constData()) + rowStart;

        // Selection background, drawn in both halves so they stay in sync.
        const qint64 a = std::max(selStart, rowStart);
        const qint64 b = std::min(m_hasSelection ? selEnd : selStart, rowStart + n);
        if (m_hasSelection && a < b) {
            const int c0 = int(a - rowStart);
            const int c1 = int(b - rowStart); // exclusive
            const int hx0 = m_hexX + hexColumnChars(c0) * m_charWidth;
            const int hx1 = m_hexX + (hexColumnChars(c1 - 1) + 2) * m_charWidth;
            p.fillRect(QRect(hx0, y, hx1 - hx0, m_lineHeight), selColor);
            p.fillRect(QRect(m_asciiX + c0 * m_charWidth, y, (c1 - c0) * m_charWidth, m_lineHeight), selColor);
        }
        // Cursor box in the inactive half, solid frame in the active one.
        if (m_cursor >= rowStart && m_cursor < rowStart + n) {
            const int c = int(m_cursor - rowStart);
            const QRect hexBox(m_hexX + hexColumnChars(c) * m_charWidth - 1, y, 2 * m_charWidth + 2, m_lineHeight);
            const QRect asciiBox(m_asciiX + c * m_charWidth, y, m_charWidth, m_lineHeight);
            p.setPen(QPen(pal.color(QPalette::Text), m_asciiActive ? 1 : 2));
            p.drawRect(hexBox.adjusted(0, 0, -1, -1));
            p.setPen(QPen(pal.color(QPalette::Text), m_asciiActive ? 2 : 1));
            p.drawRect(asciiBox.adjusted(0, 0, -1, -1));
        }

        p.setPen(offsetColor);
        p.drawText(0, y + m_ascent, QString::number(rowStart, 16).rightJustified(digits, u'0'));

        // One drawText per cell, at the same integer positions the hit-testing uses: a whole-line
        // string would drift from them when the font's advances are fractional.
        const qint64 hiA = m_hasSelection ? a : -1;
        const qint64 hiB = m_hasSelection ? b : -1;
        for (int c = 0; c < n; ++c) {
            const uchar v = bytes[c];
            const bool selected = rowStart + c >= hiA && rowStart + c < hiB;
            const QChar pair[2] = { QLatin1Char(kHexDigits[v >> 4]), QLatin1Char(kHexDigits[v & 0xf]) };
            p.setPen(selected ? selText : textColor);
            p.drawText(m_hexX + hexColumnChars(c) * m_charWidth, y + m_ascent, QString(pair, 2));
            const bool printable = v >= 0x20 && v < 0x7f;
            p.setPen(selected ? selText : printable ? textColor : offsetColor);
            p.drawText(m_asciiX + c * m_charWidth, y + m_ascent, printable ? QString(QChar(char16_t(v))) : dot);
        }
    }
    if (m_data.isEmpty()) {
        p.setPen(offsetColor);
        p.drawText(viewport()->rect().adjusted(8, 8, 0, 0), Qt::AlignLeft | Qt::AlignTop, tr("(empty payload)"));
    }
    m_rowsPainted = painted;
    ++m_paintCount;
}

} // namespace wsi
