#include "payload/closecodes.h"

#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;

// 1005 and 1006 never reach a frame; where a close is named they must say what happened.
class tst_CloseCodes : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void labels_data()
    {
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("label");
        QTest::newRow("no code in the frame") << 0 << u"1005 no status code (the close frame had none)"_s;
        QTest::newRow("1005") << 1005 << u"1005 no status code (the close frame had none)"_s;
        QTest::newRow("1006") << 1006 << u"1006 connection dropped without a close frame"_s;
        QTest::newRow("1000") << 1000 << u"1000 Normal Closure"_s;
        QTest::newRow("4001") << 4001 << u"4001 Private use"_s;
        QTest::newRow("999") << 999 << u"999"_s;
    }

    void labels()
    {
        QFETCH(int, code);
        QFETCH(QString, label);
        QCOMPARE(closeCodeLabel(code), label);
    }

    void reservedCodesAreNamedAndNotSendable()
    {
        QCOMPARE(closeCodeName(1005), u"No status code (the close frame had none)"_s);
        QCOMPARE(closeCodeName(1006), u"Connection dropped without a close frame"_s);
        for (const auto& c : standardCloseCodes())
            QCOMPARE(c.sendable, c.code != 1005 && c.code != 1006 && c.code != 1015);
    }
};

QTEST_GUILESS_MAIN(tst_CloseCodes)
#include "tst_closecodes.moc"
