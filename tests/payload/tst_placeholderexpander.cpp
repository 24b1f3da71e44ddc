#include "payload/placeholderexpander.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QUuid>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;

class tst_PlaceholderExpander : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void plainTextIsUntouched()
    {
        PlaceholderExpander x;
        const auto r = x.expand(u"hello { world } {not}"_s);
        QVERIFY(r.ok());
        QCOMPARE(r.text, u"hello { world } {not}"_s);
        QCOMPARE(x.counter(), 1); // no {{counter}}: it does not move
    }

    void timestampIsEpochMilliseconds()
    {
        PlaceholderExpander x;
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        const auto r = x.expand(u"t={{timestamp}}"_s);
        const qint64 after = QDateTime::currentMSecsSinceEpoch();
        QVERIFY(r.ok());
        QVERIFY(r.text.startsWith(u"t="_s));
        const qint64 t = r.text.mid(2).toLongLong();
        QVERIFY(t >= before && t <= after);
    }

    void iso8601ParsesBack()
    {
        PlaceholderExpander x;
        const auto r = x.expand(u"{{iso8601}}"_s);
        QVERIFY(r.ok());
        const QDateTime dt = QDateTime::fromString(r.text, Qt::ISODateWithMs);
        QVERIFY2(dt.isValid(), qPrintable(r.text));
        QVERIFY(r.text.endsWith(u'Z'));
        QVERIFY(qAbs(dt.toMSecsSinceEpoch() - QDateTime::currentMSecsSinceEpoch()) < 5000);
    }

    void uuidIsFreshEachTime()
    {
        PlaceholderExpander x;
        const auto a = x.expand(u"{{uuid}}"_s);
        const auto b = x.expand(u"{{ uuid }}"_s);
        QVERIFY(a.ok() && b.ok());
        QVERIFY(!QUuid::fromString(a.text).isNull());
        QCOMPARE(a.text.size(), 36);
        QVERIFY(a.text != b.text);
    }

    void counterIncrementsPerSendNotPerPreview()
    {
        PlaceholderExpander x;
        QCOMPARE(x.preview(u"n={{counter}}"_s).text, u"n=1"_s);
        QCOMPARE(x.preview(u"n={{counter}}"_s).text, u"n=1"_s);
        QCOMPARE(x.expand(u"n={{counter}} again {{counter}}"_s).text, u"n=1 again 1"_s);
        QCOMPARE(x.expand(u"n={{counter}}"_s).text, u"n=2"_s);
        QCOMPARE(x.expand(u"n={{counter}}"_s).text, u"n=3"_s);
        QCOMPARE(x.counter(), 4);
    }

    void randomHasTheRequestedLength()
    {
        PlaceholderExpander x;
        const auto r = x.expand(u"[{{random:12}}]"_s);
        QVERIFY(r.ok());
        QVERIFY(QRegularExpression(u"^\\[[A-Za-z0-9]{12}\\]$"_s).match(r.text).hasMatch());
        QCOMPARE(x.expand(u"{{random:1000000}}"_s).text.size(), 1000000);
    }

    void badInputNamesTheProblem_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("mentions");
        QTest::addColumn<int>("position");
        QTest::newRow("unknown") << u"a {{nope}} b"_s << u"{{nope}}"_s << 2;
        QTest::newRow("random zero") << u"{{random:0}}"_s << u"random:0"_s << 0;
        QTest::newRow("random too big") << u"{{random:1000001}}"_s << u"1 to 1000000"_s << 0;
        QTest::newRow("random not a number") << u"x{{random:ab}}"_s << u"random:ab"_s << 1;
        QTest::newRow("not closed") << u"abc {{uuid"_s << u"not closed"_s << 4;
    }
    void badInputNamesTheProblem()
    {
        QFETCH(QString, input);
        QFETCH(QString, mentions);
        QFETCH(int, position);
        PlaceholderExpander x;
        const auto r = x.expand(input);
        QVERIFY(!r.ok());
        QVERIFY(r.text.isEmpty());
        QVERIFY2(r.error.contains(mentions), qPrintable(r.error));
        QCOMPARE(r.errorPosition, position);
    }

    void failedExpansionDoesNotAdvanceCounter()
    {
        PlaceholderExpander x;
        QVERIFY(!x.expand(u"{{counter}} {{bad}}"_s).ok());
        QCOMPARE(x.counter(), 1);
    }
};

QTEST_GUILESS_MAIN(tst_PlaceholderExpander)
#include "tst_placeholderexpander.moc"
