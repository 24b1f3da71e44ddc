#include "payload/hexview.h"

#include <QApplication>
#include <QClipboard>
#include <QMimeData>
#include <QRandomGenerator>
#include <QScrollBar>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;

class tst_HexView : public QObject
{
    Q_OBJECT

    static QByteArray randomBytes(qsizetype size, quint32 seed)
    {
        QByteArray b(size, Qt::Uninitialized);
        QRandomGenerator gen(seed);
        gen.fillRange(reinterpret_cast<quint32*>(b.data()), size / 4);
        return b;
    }
    static void paintNow(HexView& view)
    {
        view.viewport()->repaint();
        QCoreApplication::processEvents();
    }

private Q_SLOTS:
    void bigPayloadPaintsOnlyVisibleRows()
    {
        const QByteArray data = randomBytes(64 * 1024 * 1024, 1);
        HexView view;
        view.resize(900, 500);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setData(data);
        QCOMPARE(view.data().constData(), data.constData()); // shared, not copied
        QCOMPARE(view.rowCount(), qint64(4 * 1024 * 1024));
        paintNow(view);
        const int visible = view.visibleRowCount();
        QVERIFY(visible > 5);
        QVERIFY(view.rowsPaintedLastPaint() > 0);
        QVERIFY2(view.rowsPaintedLastPaint() <= visible + 1,
            qPrintable(u"painted %1 rows, %2 visible"_s.arg(view.rowsPaintedLastPaint()).arg(visible)));

        view.verticalScrollBar()->setValue(view.verticalScrollBar()->maximum());
        const qint64 paints = view.paintCount();
        paintNow(view);
        QVERIFY(view.paintCount() > paints);
        QVERIFY(view.rowsPaintedLastPaint() > 0 && view.rowsPaintedLastPaint() <= visible + 1);
        // the last row is on screen
        QVERIFY(view.firstVisibleRow() + visible >= view.rowCount());
        QVERIFY(!view.byteRect(data.size() - 1, false).isEmpty());
    }

    void goToOffsetLandsOnItsRow()
    {
        const QByteArray data = randomBytes(64 * 1024 * 1024, 2);
        HexView view;
        view.resize(900, 500);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setData(data);
        for (const qint64 offset : { qint64(0x123457), qint64(17), qint64(data.size() - 1), qint64(40'000'000) }) {
            QVERIFY(view.goToOffset(offset));
            const qint64 row = offset / view.bytesPerRow();
            QVERIFY(row >= view.firstVisibleRow());
            QVERIFY(row < view.firstVisibleRow() + view.visibleRowCount());
            QCOMPARE(view.cursorOffset(), offset);
            QVERIFY(!view.byteRect(offset, true).isEmpty());
        }
        QVERIFY(!view.goToOffset(data.size()));
        QVERIFY(!view.goToOffset(-1));
    }

    // Beside the send panel on a 1024 px screen the view is narrow: rows get shorter so that the
    // ASCII column stays in sight instead of behind the horizontal scroll bar.
    void asciiColumnStaysInSightWhenNarrow()
    {
        const QByteArray data = randomBytes(1000, 3);
        HexView view;
        view.resize(900, 300);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setData(data);
        QCOMPARE(view.bytesPerRow(), 16);
        view.resize(420, 300);
        QTRY_COMPARE(view.bytesPerRow(), 8);
        for (const qint64 offset : { qint64(0), qint64(7), qint64(999) }) {
            QVERIFY(view.goToOffset(offset));
            const QRect ascii = view.byteRect(offset, true);
            QVERIFY2(ascii.right() <= view.viewport()->width(), qPrintable(QString::number(ascii.right())));
            QCOMPARE(view.cursorOffset(), offset);
        }
        view.resize(900, 300);
        QTRY_COMPARE(view.bytesPerRow(), 16);
    }

    void parseOffset_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("offset");
        QTest::newRow("decimal") << u"4096"_s << qint64(4096);
        QTest::newRow("hex") << u"0x1000"_s << qint64(4096);
        QTest::newRow("HEX") << u" 0X1a "_s << qint64(26);
        QTest::newRow("suffix h") << u"ffh"_s << qint64(255);
        QTest::newRow("separators") << u"1_000 000"_s << qint64(1000000);
        QTest::newRow("garbage") << u"12z"_s << qint64(-1);
        QTest::newRow("negative") << u"-5"_s << qint64(-1);
        QTest::newRow("empty") << QString() << qint64(-1);
    }
    void parseOffset()
    {
        QFETCH(QString, text);
        QFETCH(qint64, offset);
        QCOMPARE(HexView::parseOffset(text), offset);
    }

    void copyFormatsGiveExactlyTheSelection()
    {
        QByteArray data;
        for (int i = 0; i < 256; ++i)
            data.append(char(i));
        HexView view;
        view.setData(data);
        view.setSelection(0xfd, 3);
        QCOMPARE(view.selectedBytes(), QByteArray("\xfd\xfe\xff", 3));
        QCOMPARE(view.formatSelection(HexView::CopyFormat::Hex), u"fd fe ff"_s);
        QCOMPARE(view.formatSelection(HexView::CopyFormat::Base64), u"/f7/"_s);
        QCOMPARE(view.formatSelection(HexView::CopyFormat::CArray),
            u"const unsigned char data[3] = {\n    0xfd, 0xfe, 0xff\n};\n"_s);

        view.setSelection(0, 2);
        view.copy(HexView::CopyFormat::Raw);
        QCOMPARE(QApplication::clipboard()->mimeData()->data(u"application/octet-stream"_s), QByteArray("\x00\x01", 2));
        view.copy(HexView::CopyFormat::Base64);
        QCOMPARE(QByteArray::fromBase64(QApplication::clipboard()->text().toLatin1()), QByteArray("\x00\x01", 2));
        view.copy(HexView::CopyFormat::CArray);
        QVERIFY(QApplication::clipboard()->text().contains(u"0x00, 0x01"_s));
    }

    void keyboardSelectionAndCtrlC()
    {
        QByteArray data;
        for (int i = 0; i < 100; ++i)
            data.append(char(i));
        HexView view;
        view.resize(800, 300);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setData(data);
        QVERIFY(view.goToOffset(16));
        QTest::keyClick(&view, Qt::Key_Right, Qt::ShiftModifier);
        QTest::keyClick(&view, Qt::Key_Right, Qt::ShiftModifier);
        QTest::keyClick(&view, Qt::Key_Down, Qt::ShiftModifier); // 16..34
        QCOMPARE(view.selectionStart(), qint64(16));
        QCOMPARE(view.selectionEnd(), qint64(35));
        QTest::keyClick(&view, Qt::Key_C, Qt::ControlModifier);
        QCOMPARE(QApplication::clipboard()->text(), QString::fromLatin1(data.mid(16, 19).toHex(' ')));
        QTest::keyClick(&view, Qt::Key_Left); // no shift: selection gone
        QCOMPARE(view.selectionEnd(), view.selectionStart());
    }

    void mouseSelectionIsSyncedBetweenHalves()
    {
        QByteArray data;
        for (int i = 0; i < 100; ++i)
            data.append(char('A' + i % 26));
        HexView view;
        view.resize(800, 300);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setData(data);
        // press on a hex pair, shift-click on a character in the ASCII half
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, view.byteRect(18, false).center());
        QCOMPARE(view.cursorOffset(), qint64(18));
        QTest::mouseClick(view.viewport(), Qt::LeftButton, Qt::ShiftModifier, view.byteRect(37, true).center());
        QCOMPARE(view.selectedBytes(), data.mid(18, 20));
        // and the other way round, by dragging
        QTest::mousePress(view.viewport(), Qt::LeftButton, {}, view.byteRect(50, true).center());
        QMouseEvent move(QEvent::MouseMove, view.byteRect(53, false).center(),
            view.viewport()->mapToGlobal(view.byteRect(53, false).center()), Qt::NoButton, Qt::LeftButton,
            Qt::NoModifier);
        QApplication::sendEvent(view.viewport(), &move);
        QTest::mouseRelease(view.viewport(), Qt::LeftButton, {}, view.byteRect(53, false).center());
        QCOMPARE(view.selectedBytes(), data.mid(50, 4));
    }

    void findBytesAndText()
    {
        QByteArray data = randomBytes(8 * 1024 * 1024, 3);
        data.replace(0, 4, QByteArray(4, '\0')); // no accidental match at the start
        const QByteArray needle("\xde\xad\xbe\xef\x01\x02\x03\x04\x05", 9);
        data.replace(5'000'000, needle.size(), needle);
        data.replace(7'000'000, needle.size(), needle);
        HexView view;
        view.resize(800, 300);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setData(data);
        QCOMPARE(view.findNext(needle), qint64(5'000'000));
        QCOMPARE(view.selectedBytes(), needle);
        QVERIFY(5'000'000 / 16 >= view.firstVisibleRow());
        QVERIFY(5'000'000 / 16 < view.firstVisibleRow() + view.visibleRowCount());
        QCOMPARE(view.findNext(needle), qint64(7'000'000));
        QCOMPARE(view.findNext(needle), qint64(5'000'000)); // wraps
        QCOMPARE(view.find("not in random data at all, surely", 0), qint64(-1));
    }

    void emptyPayloadIsHarmless()
    {
        HexView view;
        view.resize(400, 200);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setData({});
        paintNow(view);
        QCOMPARE(view.rowsPaintedLastPaint(), 0);
        QTest::keyClick(&view, Qt::Key_Down, Qt::ShiftModifier);
        QTest::keyClick(&view, Qt::Key_C, Qt::ControlModifier);
        QVERIFY(view.selectedBytes().isEmpty());
        QVERIFY(!view.goToOffset(0));
    }
};

QTEST_MAIN(tst_HexView)
#include "tst_hexview.moc"
