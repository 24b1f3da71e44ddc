#include "payload/payloadcodec.h"

#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;

class tst_PayloadCodec : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void hex_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<qsizetype>("errorPosition");
        QTest::newRow("empty") << QString() << QByteArray() << qsizetype(-1);
        QTest::newRow("plain") << u"00ff10"_s << QByteArray("\x00\xff\x10", 3) << qsizetype(-1);
        QTest::newRow("spaces and newlines") << u"de ad\nbe\tef"_s << QByteArray("\xde\xad\xbe\xef") << qsizetype(-1);
        QTest::newRow("0x prefixes") << u"0x01, 0X02 0xA0"_s << QByteArray("\x01\x02\xa0") << qsizetype(-1);
        QTest::newRow("upper case") << u"ABCDEF"_s << QByteArray("\xab\xcd\xef") << qsizetype(-1);
        QTest::newRow("bad digit") << u"12 3z"_s << QByteArray() << qsizetype(4);
        QTest::newRow("odd count") << u"123"_s << QByteArray() << qsizetype(2);
        QTest::newRow("split byte") << u"1 23"_s << QByteArray() << qsizetype(0);
        QTest::newRow("unicode") << u"12é4"_s << QByteArray() << qsizetype(2);
    }
    void hex()
    {
        QFETCH(QString, input);
        QFETCH(QByteArray, bytes);
        QFETCH(qsizetype, errorPosition);
        const auto r = PayloadCodec::parseHex(input);
        QCOMPARE(r.errorPosition, errorPosition);
        QCOMPARE(r.ok(), errorPosition < 0);
        QCOMPARE(r.bytes, bytes);
    }

    void base64_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<qsizetype>("errorPosition");
        QTest::newRow("padded") << u"aGVsbG8="_s << QByteArray("hello") << qsizetype(-1);
        QTest::newRow("unpadded") << u"aGVsbG8"_s << QByteArray("hello") << qsizetype(-1);
        QTest::newRow("wrapped") << u"aGVs\nbG8="_s << QByteArray("hello") << qsizetype(-1);
        QTest::newRow("url safe") << u"-_8"_s << QByteArray("\xfb\xff") << qsizetype(-1);
        QTest::newRow("bad char") << u"aGV*bG8="_s << QByteArray() << qsizetype(3);
        QTest::newRow("after padding") << u"aGk=aGk="_s << QByteArray() << qsizetype(4);
        QTest::newRow("mixed alphabets") << u"ab+-"_s << QByteArray() << qsizetype(3);
        QTest::newRow("4n+1") << u"aGVsb"_s << QByteArray() << qsizetype(5);
    }
    void base64()
    {
        QFETCH(QString, input);
        QFETCH(QByteArray, bytes);
        QFETCH(qsizetype, errorPosition);
        const auto r = PayloadCodec::parseBase64(input);
        QCOMPARE(r.errorPosition, errorPosition);
        QCOMPARE(r.bytes, bytes);
    }
};

QTEST_GUILESS_MAIN(tst_PayloadCodec)
#include "tst_payloadcodec.moc"
