// An opened capture as a read-only tab: streamed (first rows before the end, progress, Cancel keeps
// what was read), notices for a cut last line and corrupt lines, several connections offered,
// export of the tab and of selected rows, and the replay dialog's diff against the echo server.
#include "capture/capturedocuments.h"
#include "capture/capturefilereader.h"
#include "capture/captureloader.h"
#include "capture/captureview.h"
#include "capture/replaydialog.h"
#include "log/logpanel.h"
#include "log/messagelogmodel.h"
#include "mainwindow.h"
#include "server/builtinserver.h"
#include "session/sessionview.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsi;

namespace {

QString dataFile(const QString& name)
{
    return QStringLiteral(WSI_CAPTURE_TEST_DATA) + u'/' + name;
}

// n text messages each way on connection conn, as the recorder writes them.
QByteArray captureLines(int conn, int n, qint64 t0 = 1764131276000000)
{
    QByteArray out = "{\"time\":1764131276.000000,\"event\":\"connecting\",\"conn\":" + QByteArray::number(conn)
        + ",\"url\":\"ws:\\/\\/127.0.0.1:9\\/c" + QByteArray::number(conn) + "\"}\n";
    for (int i = 0; i < n; ++i) {
        const qint64 t = t0 + i;
        const QByteArray time
            = QByteArray::number(t / 1000000) + '.' + QByteArray::number(t % 1000000).rightJustified(6, '0');
        out += "{\"time\":" + time + ",\"event\":\"frame\",\"conn\":" + QByteArray::number(conn)
            + ",\"dir\":\"receive\",\"fin\":true,\"opcode\":1,\"length\":10,\"text\":\"message " + QByteArray::number(i)
            + "\"}\n";
    }
    return out;
}

QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    f.open(QIODevice::WriteOnly);
    f.write(bytes);
    return path;
}

} // namespace

class tst_CaptureView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void cleanupTestCase() { BuiltinServers::shutdown(); }

    void streamsWithProgressAndFirstRowsEarly()
    {
        QTemporaryDir dir;
        const QString path = writeFile(dir, u"big.jsonl"_s, captureLines(1, 200000));
        CaptureLoader loader;
        QSignalSpy chunks(&loader, &CaptureLoader::chunkReady);
        QSignalSpy progress(&loader, &CaptureLoader::progress);
        QSignalSpy finished(&loader, &CaptureLoader::finished);
        loader.start(path);
        QVERIFY(chunks.wait(5000));
        // The first rows came while most of the file was still unread.
        QVERIFY(finished.isEmpty());
        QTRY_VERIFY(!progress.isEmpty());
        QVERIFY(progress.first().at(0).toLongLong() < QFileInfo(path).size());
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.first().at(0).toBool(), false);
        qint64 entries = 0;
        for (const QList<QVariant>& c : std::as_const(chunks))
            entries += c.first().value<CaptureChunk>().entryCount;
        QCOMPARE(entries, 200001); // the connecting state and every message
        QCOMPARE(progress.last().at(0).toLongLong(), QFileInfo(path).size());
    }

    void cancelKeepsWhatWasRead()
    {
        QTemporaryDir dir;
        const QString path = writeFile(dir, u"big.jsonl"_s, captureLines(1, 300000));
        CaptureView view;
        QSignalSpy loaded(&view, &CaptureView::loaded);
        view.open(path);
        QTRY_VERIFY(view.model(1) && view.model(1)->rowCount() > 0);
        view.cancel();
        QVERIFY(loaded.wait(30000));
        const int rows = view.model(1)->rowCount();
        QVERIFY2(rows > 0 && rows < 300001, qPrintable(QString::number(rows)));
        QVERIFY(view.findChild<QLabel*>(u"captureNotice"_s)->text().contains(u"cancelled"_s));
        QAbstractItemModelTester tester(view.model(1), QAbstractItemModelTester::FailureReportingMode::QtTest);
        // What was read is usable: the last row is a message.
        QVERIFY(MessageLogModel::preview(view.model(1)->entryAt(rows - 1)).startsWith(u"message "_s));
    }

    void cutAndCorruptFilesOpenWithNotices()
    {
        QTemporaryDir dir;
        QByteArray bytes = captureLines(1, 5);
        bytes.insert(bytes.indexOf('\n') + 1, "{\"time\": garbage\n"); // line 2
        bytes += "{\"time\":1764131277.5,\"event\":\"fra"; // cut by a kill
        const QString path = writeFile(dir, u"cut.jsonl"_s, bytes);
        CaptureView view;
        QSignalSpy loaded(&view, &CaptureView::loaded);
        view.open(path);
        QVERIFY(loaded.wait(10000));
        QCOMPARE(view.model(1)->rowCount(), 6);
        const QString notice = view.findChild<QLabel*>(u"captureNotice"_s)->text();
        QVERIFY2(notice.contains(u"Line 2 is not valid JSON"_s), qPrintable(notice));
        QVERIFY2(notice.contains(u"line 8) is cut off"_s), qPrintable(notice));
        QVERIFY(view.findChild<QLabel*>(u"captureNotice"_s)->isVisibleTo(&view));
    }

    void unknownFormatSaysWhatWasExpected()
    {
        QTemporaryDir dir;
        const QString path = writeFile(dir, u"photo.jsonl"_s, "\x89PNG\r\n\x1a\n....");
        CaptureView view;
        QSignalSpy loaded(&view, &CaptureView::loaded);
        view.open(path);
        QVERIFY(loaded.wait(10000));
        QCOMPARE(view.connectionCount(), 0);
        QVERIFY2(view.errorText().contains(u"neither a WebSocket Inspector capture"_s), qPrintable(view.errorText()));
        QVERIFY(view.findChild<QLabel*>(u"captureNotice"_s)->text().contains(u"nor a HAR file"_s));
    }

    void severalConnectionsAreOffered()
    {
        QTemporaryDir dir;
        const QString path = writeFile(dir, u"two.jsonl"_s, captureLines(1, 3) + captureLines(2, 7));
        CaptureView view;
        QSignalSpy loaded(&view, &CaptureView::loaded);
        view.open(path);
        QVERIFY(loaded.wait(10000));
        QCOMPARE(view.connectionCount(), 2);
        auto* list = view.connectionList();
        QCOMPARE(list->count(), 2);
        QVERIFY(list->itemText(1).contains(u"ws://127.0.0.1:9/c2"_s));
        QVERIFY(list->isEnabled());
        list->setCurrentIndex(1);
        QCOMPARE(view.currentConnection(), 2);
        QCOMPARE(view.currentSession().entries.size(), 8);
        QVERIFY(view.logPanel(2)->isVisibleTo(&view) || !view.isVisible());
    }

    void harOpensInTheWindowAndExports()
    {
        QTemporaryDir dir;
        MainWindow window;
        CaptureView* view = window.openCaptureFile(dataFile(u"chrome.har"_s));
        QSignalSpy loaded(view, &CaptureView::loaded);
        QVERIFY(loaded.wait(10000));
        QCOMPARE(window.tabs()->currentWidget(), view);
        QCOMPARE(view->connectionCount(), 2);
        // handshake rows, two text, one binary, one error
        QCOMPARE(view->model(1)->rowCount(), 6);
        QVERIFY(view->errorText().isEmpty());

        const QString har = dir.filePath(u"all.har"_s);
        QVERIFY(window.captureDocuments()->exportCurrentTo(har, false));
        const auto back = CaptureFileReader::readAll(har);
        QVERIFY(back);
        QCOMPARE(back->size(), 2);

        // Selected rows only: the binary message.
        QTableView* table = view->logPanel(1)->view();
        table->selectRow(4);
        const QString sub = dir.filePath(u"one.jsonl"_s);
        QVERIFY(window.captureDocuments()->exportCurrentTo(sub, true));
        const auto one = CaptureFileReader::readAll(sub);
        QVERIFY2(one, qPrintable(one.errorMessage()));
        QCOMPARE(one->size(), 1);
        QList<LogEntry> messages;
        for (const LogEntry& e : one->first().entries) {
            if (e.isMessage())
                messages.append(e);
        }
        QCOMPARE(messages.size(), 1);
        QCOMPARE(messages.first().payload, QByteArray("\x00\x01\x02\xff", 4));
    }

    void liveSessionExportsItsLog()
    {
        QTemporaryDir dir;
        MainWindow window;
        SessionView* live = window.openSession(Profile::builtinEcho(), true);
        QTRY_COMPARE_WITH_TIMEOUT(live->session()->state(), Session::State::Open, 10000);
        QVERIFY(live->session()->sendText(u"{\"live\":true}"_s).ok());
        QTRY_VERIFY(live->logModel()->rowCount() >= 4); // states, handshake heads, the message and its echo
        QTRY_VERIFY([&] {
            int texts = 0;
            for (int r = 0; r < live->logModel()->rowCount(); ++r)
                texts += live->logModel()->entryAt(r).kind == LogEntry::Kind::Text ? 1 : 0;
            return texts == 2;
        }());
        const QString har = dir.filePath(u"live.har"_s);
        QVERIFY(window.captureDocuments()->exportCurrentTo(har, false));
        const auto back = CaptureFileReader::readAll(har);
        QVERIFY2(back, qPrintable(back.errorMessage()));
        QList<QByteArray> payloads;
        for (const LogEntry& e : back->first().entries) {
            if (e.isMessage())
                payloads.append(e.payload);
        }
        QCOMPARE(payloads, (QList<QByteArray> { "{\"live\":true}", "{\"live\":true}" }));
        QCOMPARE(back->first().connection.handshake.response.status, 101); // the relay's real heads
        // Nothing selected: the selected-rows export says so and writes nothing.
        const auto none = window.captureDocuments()->exportCurrentTo(dir.filePath(u"none.har"_s), true);
        QVERIFY(!none);
        QVERIFY(none.errorMessage().contains(u"Select the rows"_s));
        QVERIFY(!QFileInfo::exists(dir.filePath(u"none.har"_s)));
    }

    void replayDialogShowsTheDifference()
    {
        const auto sessions = CaptureFileReader::readAll(dataFile(u"replay-differ.jsonl"_s));
        QVERIFY(sessions);
        ReplayDialog dialog(sessions->first());
        dialog.urlField()->setText(u"builtin:echo"_s);
        QSignalSpy done(&dialog, &ReplayDialog::replayFinished);
        dialog.run();
        QVERIFY(done.wait(20000));
        QCOMPARE(dialog.table()->rowCount(), 3);
        QVERIFY(dialog.table()->item(1, ReplayDialog::ColumnDifferences)->text().contains(u"/t: 9 → 5"_s));
        QCOMPARE(dialog.table()->item(0, ReplayDialog::ColumnDifferences)->text(), u"same"_s);
        QVERIFY(dialog.table()->item(1, 0)->background() != dialog.table()->item(0, 0)->background());
        QVERIFY(dialog.summary()->text().contains(u"1 answer"_s));
        // Ignoring the field makes them match.
        dialog.ignoreField()->setPlainText(u"/t"_s);
        dialog.run();
        QVERIFY(done.wait(20000));
        QVERIFY(dialog.result().ok());
        QVERIFY(dialog.summary()->text().contains(u"match"_s));
        // A bad pointer is refused by name, nothing runs.
        dialog.ignoreField()->setPlainText(u"t"_s);
        dialog.run();
        QVERIFY(!dialog.isRunning());
        QVERIFY(dialog.summary()->text().contains(u"must start with /"_s));
    }
};

QTEST_MAIN(tst_CaptureView)
#include "tst_captureview.moc"
