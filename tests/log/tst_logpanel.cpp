#include "log/logfiltermodel.h"
#include "log/logpanel.h"
#include "log/logstatspanel.h"
#include "log/messagelogmodel.h"
#include "log/throughputchart.h"

#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QTableView>
#include <QTranslator>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;
using namespace wsi::MessageLogModelDefs;

namespace {
LogBatch batch(qint64 from, int count, Direction dir = Direction::Receive)
{
    LogBatch b;
    for (qint64 n = from; n < from + count; ++n) {
        LogEntry e;
        e.timeUs = LogEntry::nowUs();
        e.kind = LogEntry::Kind::Text;
        e.dir = dir;
        e.payload = "push #" + QByteArray::number(n);
        b.append(e);
    }
    return b;
}

bool lastRowVisible(QTableView* view)
{
    const int last = view->model()->rowCount() - 1;
    const QRect r = view->visualRect(view->model()->index(last, 0));
    return r.isValid() && view->viewport()->rect().intersects(r);
}
} // namespace

// The live log as a user sees it: follows the tail, stays put when scrolled away, jumps back.
class tst_LogPanel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void followsTheTailUntilScrolledAwayThenOffersJump()
    {
        MessageLogModel model;
        LogPanel panel(&model);
        panel.filterModel()->setDisplayIntervalMs(0); // every batch at once: deterministic steps
        panel.resize(800, 500);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QTableView* view = panel.view();
        QScrollBar* bar = view->verticalScrollBar();
        auto* jump = panel.findChild<QPushButton*>(u"jumpToLatest"_s);
        QVERIFY(jump);

        model.appendBatch(batch(1, 500));
        QCOMPARE(bar->value(), bar->maximum());
        QVERIFY(bar->maximum() > 0);
        QVERIFY(lastRowVisible(view));
        model.appendBatch(batch(501, 300));
        QCOMPARE(bar->value(), bar->maximum()); // at the bottom: follows
        QVERIFY(lastRowVisible(view));
        QVERIFY(!jump->isVisible());

        // The user scrolls up: new rows do not move the view, a "N new" control appears.
        bar->setValue(10);
        QVERIFY(!panel.isFollowingTail());
        const QModelIndex topBefore = view->indexAt(QPoint(5, 5));
        model.appendBatch(batch(801, 120));
        model.appendBatch(batch(921, 30));
        QCOMPARE(bar->value(), 10);
        QCOMPARE(view->indexAt(QPoint(5, 5)).data().toLongLong(), topBefore.data().toLongLong());
        QVERIFY(jump->isVisible());
        QCOMPARE(panel.newRowsSinceScrolledAway(), 150);
        QVERIFY2(jump->text().contains(u"150"_s), qPrintable(jump->text()));

        QTest::mouseClick(jump, Qt::LeftButton);
        QCOMPARE(bar->value(), bar->maximum());
        QVERIFY(lastRowVisible(view));
        QVERIFY(!jump->isVisible());
        QVERIFY(panel.isFollowingTail());
        model.appendBatch(batch(951, 50));
        QVERIFY(lastRowVisible(view));
        QCOMPARE(view->model()->index(view->model()->rowCount() - 1, NumberColumn).data().toLongLong(), 1000);

        // Scrolling back to the bottom by hand also resumes following.
        bar->setValue(0);
        model.appendBatch(batch(1001, 10));
        QVERIFY(jump->isVisible());
        bar->setValue(bar->maximum());
        QVERIFY(panel.isFollowingTail());
        QVERIFY(!jump->isVisible());
    }

    void rapidBatchesReachTheTailWithinTheDisplayInterval()
    {
        // The panel's real setting: a flood's batches are shown together, at most every 100 ms.
        MessageLogModel model;
        LogPanel panel(&model);
        panel.resize(800, 500);
        panel.show();
        for (int i = 0; i < 20; ++i)
            model.appendBatch(batch(i * 100 + 1, 100));
        QTRY_COMPARE(panel.view()->model()->rowCount(), 2000);
        QVERIFY(lastRowVisible(panel.view()));
        QVERIFY(panel.isFollowingTail());
    }

    void pauseHoldsTheTableAndResumeShowsEverything()
    {
        MessageLogModel model;
        LogPanel panel(&model);
        panel.resize(800, 500);
        panel.show();
        model.appendBatch(batch(1, 100));
        QTRY_COMPARE(panel.view()->model()->rowCount(), 100);
        auto* pause = panel.findChild<QPushButton*>(u"pauseButton"_s);
        QTest::mouseClick(pause, Qt::LeftButton);
        QVERIFY(panel.isPaused());
        model.appendBatch(batch(101, 50));
        QCOMPARE(model.rowCount(), 150); // capture continues
        QCOMPARE(panel.view()->model()->rowCount(), 100);
        QVERIFY2(pause->text().contains(u"50"_s), qPrintable(pause->text()));
        QTest::mouseClick(pause, Qt::LeftButton);
        QVERIFY(!panel.isPaused());
        QCOMPARE(panel.view()->model()->rowCount(), 150);
        QVERIFY(lastRowVisible(panel.view()));
    }

    void filterFieldAndNextMatchSelectRows()
    {
        MessageLogModel model;
        LogPanel panel(&model);
        panel.resize(800, 500);
        panel.show();
        model.appendBatch(batch(1, 300));
        QTRY_COMPARE(panel.view()->model()->rowCount(), 300);
        auto* field = panel.findChild<QLineEdit*>(u"filterText"_s);
        field->setText(u"#25"_s);
        QTest::keyClick(field, Qt::Key_Return);
        QTRY_VERIFY(!panel.filterModel()->isScanning());
        QCOMPARE(panel.view()->model()->rowCount(), 11); // 25, 250..259
        auto* status = panel.findChild<QLabel*>(u"filterStatus"_s);
        QVERIFY2(status->text().contains(u"11"_s), qPrintable(status->text()));
        panel.findNext(true);
        QCOMPARE(panel.view()->currentIndex().row(), 0);
        panel.findNext(true);
        QCOMPARE(panel.view()->currentIndex().siblingAtColumn(NumberColumn).data().toLongLong(), 250);
        QCOMPARE(model.entryAt(panel.sourceRow(panel.view()->currentIndex().row())).payload, QByteArray("push #250"));
    }

    void evictedRowsAreCountedVisibly()
    {
        MessageLogModel model;
        model.setMaxBlockSize(4096);
        model.setMemoryCap(32 * 1024);
        LogPanel panel(&model);
        panel.show();
        for (int i = 0; i < 20; ++i)
            model.appendBatch(batch(i * 100 + 1, 100));
        auto* label = panel.findChild<QLabel*>(u"evictedLabel"_s);
        QVERIFY(label->isVisible());
        QVERIFY2(label->text().contains(QLocale().toString(model.evictedRowCount())), qPrintable(label->text()));
    }

    void statisticsCountBothWays()
    {
        MessageLogModel model;
        LogPanel panel(&model);
        panel.show();
        model.appendBatch(batch(1, 40));
        model.appendBatch(batch(41, 2, Direction::Send));
        panel.statsPanel()->sample();
        auto* totals = panel.findChild<QLabel*>(u"statsTotals"_s);
        // Without the English catalogue the source text's plural form shows.
        QVERIFY2(totals->text().contains(u"In: 40 message(s)"_s), qPrintable(totals->text()));
        QVERIFY2(totals->text().contains(u"Out: 2 message(s)"_s), qPrintable(totals->text()));
        QVERIFY(!panel.statsPanel()->chart()->inSamples().isEmpty());
    }

    // The totals follow the log at once, not at the next once-a-second sample.
    void statisticsFollowTheLog()
    {
        QTranslator english; // the plural forms, as the application installs them
        QVERIFY(english.load(u"wsinspector_en"_s, QStringLiteral(WSI_QM_DIR)));
        QCoreApplication::installTranslator(&english);
        MessageLogModel model;
        LogPanel panel(&model);
        panel.show();
        auto* totals = panel.findChild<QLabel*>(u"statsTotals"_s);
        QVERIFY2(totals->text().contains(u"In: 0 messages"_s), qPrintable(totals->text()));
        model.appendBatch(batch(1, 1));
        QTRY_VERIFY2_WITH_TIMEOUT(totals->text().contains(u"In: 1 message,"_s), qPrintable(totals->text()), 500);
        model.appendBatch(batch(2, 2));
        QTRY_VERIFY2_WITH_TIMEOUT(totals->text().contains(u"In: 3 messages,"_s), qPrintable(totals->text()), 500);
        QCoreApplication::removeTranslator(&english);
    }

    // With no traffic the chart says so, instead of the axis's floor ("peak 10").
    void chartCaptionSaysTheRealPeak()
    {
        ThroughputChart chart;
        QVERIFY2(chart.caption().contains(u"no traffic"_s), qPrintable(chart.caption()));
        chart.addSample(0, 0);
        chart.addSample(0, 0);
        QVERIFY2(chart.caption().contains(u"no traffic"_s), qPrintable(chart.caption()));
        chart.addSample(3, 1);
        QVERIFY2(chart.caption().endsWith(u"peak 3.0"_s), qPrintable(chart.caption()));
        chart.addSample(42, 0);
        QVERIFY2(chart.caption().endsWith(u"peak 42"_s), qPrintable(chart.caption()));
    }
};

QTEST_MAIN(tst_LogPanel)
#include "tst_logpanel.moc"
