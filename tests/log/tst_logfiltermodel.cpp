#include "log/logfiltermodel.h"
#include "log/messagelogmodel.h"

#include <QAbstractItemModelTester>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsi;
using namespace wsi::MessageLogModelDefs;

namespace {
LogEntry entry(qint64 n, Direction dir, LogEntry::Kind kind = LogEntry::Kind::Text, int size = 100)
{
    LogEntry e;
    e.timeUs = 1'700'000'000'000'000 + n;
    e.kind = kind;
    e.dir = dir;
    e.payload = "push #" + QByteArray::number(n);
    if (e.payload.size() < size)
        e.payload.append(size - e.payload.size(), '.');
    return e;
}

// n = 1..count, every third sent, every tenth a 10-byte binary.
LogBatch mixed(qint64 from, int count)
{
    LogBatch b;
    for (qint64 n = from; n < from + count; ++n) {
        if (n % 10 == 0)
            b.append(entry(n, Direction::Receive, LogEntry::Kind::Binary, 10));
        else
            b.append(entry(n, n % 3 == 0 ? Direction::Send : Direction::Receive));
    }
    return b;
}

bool waitFinished(LogFilterModel& m)
{
    if (!m.isScanning())
        return true;
    QSignalSpy spy(&m, &LogFilterModel::filterFinished);
    return spy.wait(30000);
}

QList<qint64> shownNumbers(const LogFilterModel& m)
{
    QList<qint64> out;
    for (int r = 0; r < m.rowCount(); ++r)
        out.append(m.index(r, NumberColumn).data().toLongLong());
    return out;
}
} // namespace

class tst_LogFilterModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void filtersByDirectionTypeTextAndSize()
    {
        MessageLogModel source;
        LogFilterModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setSourceModel(&source);
        source.appendBatch(mixed(1, 30));
        QCOMPARE(model.rowCount(), 30);

        LogFilter f;
        f.directions = 1u << quint32(Direction::Send);
        model.setFilter(f);
        QVERIFY(waitFinished(model));
        QCOMPARE(shownNumbers(model), (QList<qint64> { 3, 6, 9, 12, 15, 18, 21, 24, 27 }));

        f = {};
        f.kinds = 1u << quint32(LogEntry::Kind::Binary);
        model.setFilter(f);
        QVERIFY(waitFinished(model));
        QCOMPARE(shownNumbers(model), (QList<qint64> { 10, 20, 30 }));

        f = {};
        f.maxSize = 50;
        model.setFilter(f);
        QVERIFY(waitFinished(model));
        QCOMPARE(shownNumbers(model), (QList<qint64> { 10, 20, 30 }));
        f.maxSize = -1;
        f.minSize = 11;
        model.setFilter(f);
        QVERIFY(waitFinished(model));
        QCOMPARE(model.rowCount(), 27);

        f = {};
        f.text = u"PUSH #2"_s; // case-insensitive by default
        model.setFilter(f);
        QVERIFY(waitFinished(model));
        QCOMPARE(shownNumbers(model), (QList<qint64> { 2, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29 }));
        f.caseSensitivity = Qt::CaseSensitive;
        model.setFilter(f);
        QVERIFY(waitFinished(model));
        QCOMPARE(model.rowCount(), 0);

        f = {};
        f.text = u"#1\\d\\."_s;
        f.regularExpression = true;
        model.setFilter(f);
        QVERIFY(waitFinished(model));
        QCOMPARE(shownNumbers(model), (QList<qint64> { 10, 11, 12, 13, 14, 15, 16, 17, 18, 19 }));

        f.text = u"(unclosed"_s;
        model.setFilter(f);
        QVERIFY(model.filterError().contains(u"position"_s));
        QCOMPARE(model.rowCount(), 0);

        model.setFilter({});
        QCOMPARE(model.rowCount(), 30);
        QVERIFY(model.filterError().isEmpty());
    }

    void newRowsAreFilteredAsTheyArrive()
    {
        MessageLogModel source;
        LogFilterModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setSourceModel(&source);
        LogFilter f;
        f.directions = 1u << quint32(Direction::Send);
        model.setFilter(f);
        source.appendBatch(mixed(1, 10));
        source.appendBatch(mixed(11, 10));
        QVERIFY(waitFinished(model));
        QCOMPARE(shownNumbers(model), (QList<qint64> { 3, 6, 9, 12, 15, 18 }));
        QCOMPARE(model.mapToSource(1), 5);
        QCOMPARE(model.mapFromSource(8), 2);
        QCOMPARE(model.mapFromSource(0), -1);
    }

    void highlightModeKeepsAllRowsAndNavigatesMatches()
    {
        MessageLogModel source;
        LogFilterModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setSourceModel(&source);
        source.appendBatch(mixed(1, 30));
        model.setHideNonMatching(false);
        LogFilter f;
        f.text = u"#2"_s;
        model.setFilter(f);
        QVERIFY(waitFinished(model));
        QCOMPARE(model.rowCount(), 30);
        QCOMPARE(model.matchCount(), 11);
        QCOMPARE(model.nextMatchRow(-1, true), 1); // "push #2"
        QCOMPARE(model.nextMatchRow(1, true), 19); // "push #20"
        QCOMPARE(model.nextMatchRow(19, false), 1);
        QCOMPARE(model.nextMatchRow(28, true), 1); // wraps around
        QCOMPARE(model.nextMatchRow(1, false), 28);
        const auto ranges = model.matcher()->highlights(u"push #20...."_s);
        QCOMPARE(ranges.size(), 1);
        QCOMPARE(ranges.first(), (std::pair<int, int> { 5, 2 }));
        model.setHideNonMatching(true);
        QCOMPARE(model.rowCount(), 11);
        QCOMPARE(model.nextMatchRow(10, true), 0);
    }

    void pauseFreezesTheDisplayNotTheCapture()
    {
        MessageLogModel source;
        LogFilterModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setSourceModel(&source);
        source.appendBatch(mixed(1, 10));
        model.setPaused(true);
        QSignalSpy pending(&model, &LogFilterModel::pendingRowCountChanged);
        source.appendBatch(mixed(11, 10));
        source.appendBatch(mixed(21, 5));
        QCOMPARE(source.rowCount(), 25);
        QCOMPARE(model.rowCount(), 10);
        QCOMPARE(model.pendingRowCount(), 15);
        QCOMPARE(pending.last().at(0).toLongLong(), 15);
        // A filter applied while paused only looks at what was shown.
        LogFilter f;
        f.text = u"#1"_s;
        model.setFilter(f);
        QVERIFY(waitFinished(model));
        QCOMPARE(shownNumbers(model), (QList<qint64> { 1, 10 }));
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.setPaused(false);
        QVERIFY(waitFinished(model));
        QCOMPARE(shownNumbers(model), (QList<qint64> { 1, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19 }));
        QCOMPARE(model.pendingRowCount(), 0);
    }

    void evictionWithAFilterRemovesTheOldestMatches()
    {
        MessageLogModel source;
        source.setMaxBlockSize(4096);
        source.setMemoryCap(48 * 1024);
        LogFilterModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setSourceModel(&source);
        LogFilter f;
        f.directions = 1u << quint32(Direction::Send);
        model.setFilter(f);
        QSignalSpy aboutToRemove(&model, &QAbstractItemModel::rowsAboutToBeRemoved);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        for (int i = 0; i < 20; ++i)
            source.appendBatch(mixed(i * 100 + 1, 100));
        QVERIFY(waitFinished(model));
        QVERIFY(source.evictedRowCount() > 0);
        QVERIFY(!removed.isEmpty());
        QCOMPARE(aboutToRemove.size(), removed.size());
        const QList<qint64> shown = shownNumbers(model);
        QVERIFY(shown.first() > source.evictedRowCount());
        QCOMPARE(shown.last(), 1998);
        for (qint64 n : shown)
            QCOMPARE(n % 3, 0);
        // Unfiltered as well.
        model.setFilter({});
        QCOMPARE(model.rowCount(), source.rowCount());
        source.appendBatch(mixed(2001, 300));
        QCOMPARE(model.rowCount(), source.rowCount());
        QCOMPARE(model.index(0, NumberColumn).data().toLongLong(), source.evictedRowCount() + 1);
    }

    void filterOverHundredsOfThousandsOfRows()
    {
        MessageLogModel source;
        constexpr int kRows = 300'000;
        for (int n = 1; n <= kRows; n += 3000)
            source.appendBatch(mixed(n, 3000));
        LogFilterModel model;
        model.setSourceModel(&source);
        model.setSliceBudgetMs(4);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        LogFilter f;
        f.text = u"#\\d*(?:42|99)\\."_s;
        f.regularExpression = true;
        model.setFilter(f);
        QVERIFY(model.isScanning()); // incremental: not all done in one go
        QVERIFY(waitFinished(model));
        QVERIFY(inserted.size() > 1); // results appeared in several steps
        QList<qint64> expected;
        const QRegularExpression re(f.text, QRegularExpression::CaseInsensitiveOption);
        for (qint64 n = 1; n <= kRows; ++n) {
            if (n % 10 != 0 && re.match(QString::fromLatin1(entry(n, Direction::Receive).payload)).hasMatch())
                expected.append(n);
        }
        QCOMPARE(expected.size(), 6000);
        QCOMPARE(shownNumbers(model), expected);
    }
};

QTEST_GUILESS_MAIN(tst_LogFilterModel)
#include "tst_logfiltermodel.moc"
