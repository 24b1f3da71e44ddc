#include "payload/payloadtext.h"

#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;

class tst_PayloadText : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void invalidUtf8Offset_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("offset");
        QTest::newRow("ascii") << QByteArray("hello") << -1;
        QTest::newRow("valid multibyte") << QByteArray("h\xc3\xa9llo \xf0\x9f\x9a\x80") << -1;
        QTest::newRow("lone continuation") << QByteArray("abc\x80zz") << 3;
        QTest::newRow("truncated at end") << QByteArray("ab\xe2\x9c") << 2;
        QTest::newRow("overlong") << QByteArray("\xc0\xaf") << 0;
        QTest::newRow("surrogate") << QByteArray("ok \xed\xa0\x80") << 3;
        QTest::newRow("ff byte after valid") << QByteArray("\xc3\xa9\xc3\xa9\xff") << 4;
    }
    void invalidUtf8Offset()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, offset);
        QCOMPARE(PayloadText::firstInvalidUtf8(bytes), qsizetype(offset));
    }

    void invisiblesBecomeVisible()
    {
        const QByteArray in("a\tb\x01"
                            "c\xc2\xa0"
                            "d\xe2\x80\x8b"
                            "e\xef\xbb\xbf"
                            "f\n"
                            "g\x80");
        const QString out = PayloadText::visible(in);
        QCOMPARE(out, u"a→b«SOH»c⍽d«ZWSP»e«BOM»f↵\ng\uFFFD"_s);
        QCOMPARE(PayloadText::invisibleCount(in), qsizetype(5));
    }

    void reformatKeepsKeyOrderAndNumbers()
    {
        const QByteArray in("{\"z\":1,\"a\":[1,2,{}],\"big\":12345678901234567890,\"s\":\"x, {y}: \\\"q\\\"\"}");
        const QByteArray pretty = PayloadText::reformatJson(in);
        QCOMPARE(pretty,
            QByteArray("{\n  \"z\": 1,\n  \"a\": [\n    1,\n    2,\n    {}\n  ],\n  \"big\": "
                       "12345678901234567890,\n  \"s\": \"x, {y}: \\\"q\\\"\"\n}"));
        QCOMPARE(PayloadText::reformatJson(pretty, -1), in);
    }

    void jsonErrorPosition()
    {
        const QByteArray in("{\n  \"a\": 1,\n  \"\xc3\xa9\": x\n}");
        const auto r = PayloadText::checkJson(in);
        QVERIFY(!r.ok());
        QCOMPARE(r.byteOffset, in.indexOf('x'));
        QCOMPARE(r.line, 3);
        QCOMPARE(r.column, 8); // "é" is one column although it is two bytes
        QVERIFY2(r.error.contains(u"line 3, column 8 (byte %1)"_s.arg(in.indexOf('x'))), qPrintable(r.error));
        QVERIFY(PayloadText::checkJson("[1, 2]").ok());
    }

    void bestView()
    {
        QCOMPARE(PayloadText::bestView(" {\"a\":1}", false), PayloadText::BestView::Json);
        QCOMPARE(PayloadText::bestView("[1,2", false), PayloadText::BestView::Text);
        QCOMPARE(PayloadText::bestView("hello", false), PayloadText::BestView::Text);
        QCOMPARE(PayloadText::bestView("42", false), PayloadText::BestView::Text);
        // a huge JSON text is not parsed just to choose a view
        QByteArray huge = "[" + QByteArray(PayloadText::kMaxJsonDetectBytes, '1') + "]";
        QCOMPARE(PayloadText::bestView(huge, false), PayloadText::BestView::Text);
        QCOMPARE(PayloadText::bestView("abc\xff", false), PayloadText::BestView::Hex);
        QCOMPARE(PayloadText::bestView("{\"a\":1}", true), PayloadText::BestView::Hex);
    }
};

QTEST_GUILESS_MAIN(tst_PayloadText)
#include "tst_payloadtext.moc"
