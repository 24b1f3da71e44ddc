#include "payload/hexview.h"
#include "payload/payloadview.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QRandomGenerator>
#include <QTabBar>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTextBlock>
#include <QTextLayout>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;

namespace {
LogEntry message(LogEntry::Kind kind, const QByteArray& payload)
{
    LogEntry e;
    e.kind = kind;
    e.dir = Direction::Receive;
    e.payload = payload;
    return e;
}
} // namespace

class tst_PayloadView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void jsonIsPrettyPrintedAndHighlighted()
    {
        PayloadView view;
        view.setEntry(message(LogEntry::Kind::Text, R"({"b":1,"a":[true,null],"s":"x"})"));
        QCOMPARE(view.mode(), PayloadView::Mode::Json);
        QCOMPARE(view.jsonEdit()->toPlainText(),
            u"{\n  \"b\": 1,\n  \"a\": [\n    true,\n    null\n  ],\n  \"s\": \"x\"\n}"_s);
        QVERIFY(view.jsonNote().isEmpty());
        // the highlighter coloured the key on the second line
        const QTextBlock line = view.jsonEdit()->document()->findBlockByNumber(1);
        QVERIFY(!line.layout()->formats().isEmpty());
    }

    void invalidJsonFallsBackToTextWithPosition()
    {
        PayloadView view;
        view.setMode(PayloadView::Mode::Json);
        view.setEntry(message(LogEntry::Kind::Text, "{\n  \"a\": x\n}"));
        QCOMPARE(view.mode(), PayloadView::Mode::Json);
        QCOMPARE(view.jsonEdit()->toPlainText(), u"{↵\n  \"a\": x↵\n}"_s);
        QVERIFY2(view.jsonNote().contains(u"line 2, column 8 (byte 9)"_s), qPrintable(view.jsonNote()));
        QCOMPARE(view.jsonEdit()->textCursor().blockNumber(), 1);
        QCOMPARE(view.jsonEdit()->textCursor().positionInBlock(), 7);
    }

    void textFlagsInvalidUtf8AtItsByte()
    {
        PayloadView view;
        view.setEntry(message(LogEntry::Kind::Text, "h\xc3\xa9llo\xff world"));
        QCOMPARE(view.mode(), PayloadView::Mode::Hex); // invalid UTF-8 opens as hex
        view.setMode(PayloadView::Mode::Text);
        QVERIFY2(view.textNote().contains(u"Invalid UTF-8 at byte 6"_s), qPrintable(view.textNote()));
        QCOMPARE(view.textEdit()->toPlainText(), u"héllo\uFFFD world"_s);
    }

    void invisiblesAreShown()
    {
        PayloadView view;
        view.setEntry(message(LogEntry::Kind::Text,
            "a\xe2\x80\x8b"
            "b\x00"
            "c"_ba));
        QCOMPARE(view.mode(), PayloadView::Mode::Text);
        QCOMPARE(view.textEdit()->toPlainText(), u"a«ZWSP»b«NUL»c"_s);
        QVERIFY(view.textNote().contains(u"2 invisible"_s));
    }

    void automaticChoiceAndStickiness()
    {
        PayloadView view;
        const LogEntry json = message(LogEntry::Kind::Text, "[1,2,3]");
        const LogEntry text = message(LogEntry::Kind::Text, "hello");
        const LogEntry binary = message(LogEntry::Kind::Binary, QByteArray("\x00\x01\x02", 3));
        view.setEntry(json);
        QCOMPARE(view.mode(), PayloadView::Mode::Json);
        view.setEntry(text);
        QCOMPARE(view.mode(), PayloadView::Mode::Text);
        view.setEntry(binary);
        QCOMPARE(view.mode(), PayloadView::Mode::Hex);
        QVERIFY(!view.hasStickyMode());

        // The user clicks the Base64 tab: it sticks while browsing.
        view.resize(700, 400);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        auto* tabs = view.findChild<QTabBar*>(u"payloadModes"_s);
        QTest::mouseClick(tabs, Qt::LeftButton, {}, tabs->tabRect(int(PayloadView::Mode::Base64)).center());
        QCOMPARE(view.mode(), PayloadView::Mode::Base64);
        QCOMPARE(view.base64Edit()->toPlainText(), u"AAEC"_s);
        view.setEntry(json);
        QCOMPARE(view.mode(), PayloadView::Mode::Base64);
        QCOMPARE(view.base64Edit()->toPlainText(), u"WzEsMiwzXQ=="_s);
        view.setEntry(text);
        QCOMPARE(view.mode(), PayloadView::Mode::Base64);
        // ... until another choice
        QTest::mouseClick(tabs, Qt::LeftButton, {}, tabs->tabRect(int(PayloadView::Mode::Text)).center());
        view.setEntry(binary);
        QCOMPARE(view.mode(), PayloadView::Mode::Text);
    }

    void framesTableOrNote()
    {
        PayloadView view;
        view.setMode(PayloadView::Mode::Frames);
        view.setEntry(message(LogEntry::Kind::Binary, "0123456789"));
        QVERIFY2(view.framesNote().contains(u"not seen on the wire"_s), qPrintable(view.framesNote()));
        QCOMPARE(view.framesTable()->rowCount(), 0);

        LogEntry e = message(LogEntry::Kind::Binary, "0123456789");
        for (int i = 0; i < 3; ++i) {
            FrameInfo f;
            f.opcode = i == 0 ? OpBinary : OpContinuation;
            f.fin = i == 2;
            f.masked = true;
            f.maskKey = 0x0a0b0c0d;
            f.length = i == 2 ? 2 : 4;
            f.payloadOffset = quint64(i) * 4;
            if (i == 1)
                f.violations << u"RSV1 set without an extension"_s;
            e.frames.append(f);
        }
        view.setEntry(e);
        QCOMPARE(view.framesTable()->rowCount(), 3);
        QCOMPARE(view.framesTable()->item(0, 1)->text(), u"0"_s); // FIN
        QVERIFY(view.framesTable()->item(0, 3)->text().startsWith(u"0x2"_s));
        QCOMPARE(view.framesTable()->item(2, 5)->text(), u"0a0b0c0d"_s);
        QVERIFY(view.framesTable()->item(2, 6)->text().startsWith(u"2 "_s));
        QCOMPARE(view.framesTable()->item(2, 7)->text(), u"8"_s);
        QVERIFY(view.framesTable()->item(1, 8)->text().contains(u"RSV1"_s));
    }

    void closeShowsCodeName()
    {
        PayloadView view;
        LogEntry e = message(LogEntry::Kind::Close, QByteArray("\x03\xe9", 2) + "bye");
        e.closeCode = 1001;
        view.setEntry(e);
        QCOMPARE(view.mode(), PayloadView::Mode::Text);
        QVERIFY(view.textEdit()->toPlainText().contains(u"1001 (Going Away)"_s));
        QVERIFY(view.textEdit()->toPlainText().contains(u"bye"_s));
    }

    void bigBinaryIsSharedNotCopiedAndSaves()
    {
        QByteArray big(64 * 1024 * 1024, Qt::Uninitialized);
        QRandomGenerator(5).fillRange(reinterpret_cast<quint32*>(big.data()), big.size() / 4);
        PayloadView view;
        view.setEntry(message(LogEntry::Kind::Binary, big));
        QCOMPARE(view.mode(), PayloadView::Mode::Hex);
        QCOMPARE(view.hexView()->data().constData(), big.constData());
        QVERIFY(view.textEdit()->toPlainText().isEmpty()); // other views render only when opened
        view.setMode(PayloadView::Mode::Text);
        QVERIFY(view.textEdit()->document()->characterCount() < 8 * PayloadView::kMaxRenderedBytes); // far from 64 Mi
        QVERIFY(view.textNote().contains(u"Showing the first"_s));

        QTemporaryDir dir;
        const QString path = dir.filePath(u"payload.bin"_s);
        QCOMPARE(view.saveToFile(path), QString());
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.size(), big.size());
        QVERIFY(f.readAll() == big);
        QVERIFY(!view.saveToFile(dir.filePath(u"missing/dir/x.bin"_s)).isEmpty());
    }

    void hexGoToAndFindFields()
    {
        QByteArray data(4096, '\0');
        data.replace(1000, 5, "Hello");
        data.replace(3000, 4, "\xca\xfe\xba\xbe");
        PayloadView view;
        view.resize(800, 400);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setEntry(message(LogEntry::Kind::Binary, data));
        auto* goTo = view.findChild<QLineEdit*>(u"hexGoTo"_s);
        auto* find = view.findChild<QLineEdit*>(u"hexFind"_s);
        auto* status = view.findChild<QLabel*>(u"hexStatus"_s);
        QTest::keyClicks(goTo, u"0x800"_s);
        QTest::keyClick(goTo, Qt::Key_Return);
        QCOMPARE(view.hexView()->cursorOffset(), qint64(0x800));
        goTo->setText(u"5000"_s);
        QTest::keyClick(goTo, Qt::Key_Return);
        QVERIFY2(status->text().contains(u"past the end"_s), qPrintable(status->text()));
        goTo->setText(u"zz"_s);
        QTest::keyClick(goTo, Qt::Key_Return);
        QVERIFY2(status->text().contains(u"not an offset"_s), qPrintable(status->text()));

        QTest::keyClicks(find, u"ca fe 0xba be"_s);
        QTest::keyClick(find, Qt::Key_Return);
        QCOMPARE(view.hexView()->selectionStart(), qint64(3000));
        QCOMPARE(view.hexView()->selectedBytes(), QByteArray("\xca\xfe\xba\xbe"));
        view.findChild<QComboBox*>()->setCurrentIndex(1); // text
        find->setText(u"Hello"_s);
        QTest::keyClick(find, Qt::Key_Return);
        QCOMPARE(view.hexView()->selectionStart(), qint64(1000));
        find->setText(u"Goodbye"_s);
        QTest::keyClick(find, Qt::Key_Return);
        QCOMPARE(status->text(), u"Not found."_s);
        view.findChild<QComboBox*>()->setCurrentIndex(0);
        find->setText(u"c"_s);
        QTest::keyClick(find, Qt::Key_Return);
        QVERIFY2(status->text().contains(u"position 1"_s), qPrintable(status->text()));
    }

    // F3 finds the next match in the hex view while its find box is in use, even with the log
    // filter's window-wide F3 in the same window (audit 12: the two were ambiguous, neither fired);
    // elsewhere F3 stays the log's.
    void f3FindsNextHexMatchBesideTheLogsF3()
    {
        QWidget window;
        auto* layout = new QVBoxLayout(&window);
        auto* logNext = new QToolButton(&window); // the log panel's "Next match (F3)"
        logNext->setShortcut(QKeySequence(Qt::Key_F3));
        auto* elsewhere = new QLineEdit(&window);
        auto* view = new PayloadView(&window);
        layout->addWidget(logNext);
        layout->addWidget(elsewhere);
        layout->addWidget(view);
        window.resize(800, 500);
        window.show();
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QSignalSpy logClicks(logNext, &QToolButton::clicked);
        view->setEntry(message(LogEntry::Kind::Binary, QByteArray("xxABxxxABxxxxAB")));
        view->setMode(PayloadView::Mode::Hex);
        auto* find = view->findChild<QLineEdit*>(u"hexFind"_s);
        view->findChild<QComboBox*>()->setCurrentIndex(1); // text
        find->setFocus();
        QTest::keyClicks(find, u"AB"_s);
        QTest::keyClick(find, Qt::Key_Return);
        QCOMPARE(view->hexView()->selectionStart(), qint64(2));
        QTest::keyClick(find, Qt::Key_F3);
        QCOMPARE(view->hexView()->selectionStart(), qint64(7));
        // With the focus on the hex view itself, after the find box was used.
        view->hexView()->setFocus();
        QTest::keyClick(view->hexView(), Qt::Key_F3);
        QCOMPARE(view->hexView()->selectionStart(), qint64(13));
        QCOMPARE(logClicks.count(), 0);
        // Outside the hex page, F3 is the log's next match.
        elsewhere->setFocus();
        QTest::keyClick(elsewhere, Qt::Key_F3);
        QTRY_COMPARE(logClicks.count(), 1); // a shortcut clicks a button after its short animation
        QCOMPARE(view->hexView()->selectionStart(), qint64(13));
    }

    void copyMessage()
    {
        PayloadView view;
        view.setEntry(message(LogEntry::Kind::Binary, QByteArray("\x01\xff", 2)));
        QCOMPARE(view.messageText(), u"01 ff"_s);
        view.setEntry(message(LogEntry::Kind::Text, "héllo"));
        QCOMPARE(view.messageText(), u"héllo"_s);
    }
};

QTEST_MAIN(tst_PayloadView)
#include "tst_payloadview.moc"
