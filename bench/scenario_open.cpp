// Scenario "open" (issue 15): a capture of N messages opened in a CaptureView to the last row,
// against a baseline in the same run that only splits the same file into lines and parses each
// with QJsonDocument. Reports events per second of both, their ratio, and resident memory per
// message next to the log store's own bytes per message.
#include "capture/captureview.h"
#include "log/logpanel.h"
#include "log/messagelogmodel.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>

#include <malloc.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

qint64 residentNow()
{
    QFile f(u"/proc/self/statm"_s);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> parts = f.readAll().split(' ');
    return parts.size() > 1 ? parts.at(1).toLongLong() * sysconf(_SC_PAGESIZE) : -1;
}

// A capture as the recorder writes it: a connection, then messages both ways (JSON text of about
// 60 bytes, as a typical API sends), each a frame event and a message event.
bool writeCapture(const QString& path, qint64 count)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    QByteArray out;
    out += "{\"time\":1764131276.000000,\"event\":\"connecting\",\"conn\":1,\"url\":\"ws://127.0.0.1:9/feed\"}\n";
    const qint64 t0 = 1764131276000000;
    for (qint64 i = 0; i < count; ++i) {
        const qint64 t = t0 + i * 10;
        const bool send = i % 2 == 0;
        const QByteArray text = "{\\\"seq\\\":" + QByteArray::number(i) + ",\\\"price\\\":"
            + QByteArray::number(100 + i % 997) + ".25,\\\"symbol\\\":\\\"ACME\\\",\\\"side\\\":\\\"buy\\\"}";
        const QByteArray time
            = QByteArray::number(t / 1000000) + '.' + QByteArray::number(t % 1000000).rightJustified(6, '0');
        const QByteArray dir = send ? "send" : "receive";
        const QByteArray length = QByteArray::number(text.size() - 12); // the escaped quotes count once
        // As CaptureWriter writes them: the frame, then the message event.
        out += "{\"time\":" + time + ",\"event\":\"frame\",\"conn\":1,\"dir\":\"" + dir + "\",\"fin\":true,\"length\":"
            + length + ",\"length_bits\":7," + (send ? "\"mask_key\":\"271481c8\",\"masked\":true" : "\"masked\":false")
            + ",\"opcode\":1,\"rsv\":0,\"text\":\"" + text + "\"}\n";
        out += "{\"time\":" + time + ",\"event\":\"message\",\"conn\":1,\"compressed\":false,\"dir\":\"" + dir
            + "\",\"length\":" + length + ",\"opcode\":1,\"text\":\"" + text + "\",\"wire_length\":" + length + "}\n";
        if (out.size() > (4 << 20)) {
            f.write(out);
            out.clear();
        }
    }
    f.write(out);
    return true;
}

qint64 baseline(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    qint64 events = 0;
    QByteArray rest;
    while (true) {
        QByteArray block = f.read(1 << 20);
        if (block.isEmpty())
            break;
        rest += block;
        qsizetype start = 0;
        qsizetype nl;
        while ((nl = rest.indexOf('\n', start)) >= 0) {
            const QJsonDocument doc
                = QJsonDocument::fromJson(QByteArrayView(rest).sliced(start, nl - start).toByteArray());
            events += doc.isObject() ? 1 : 0;
            start = nl + 1;
        }
        rest.remove(0, start);
    }
    return events;
}

} // namespace

// Needs a QApplication (offscreen is fine).
QJsonObject runOpenScenario(qint64 count)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"open-bench.jsonl"_s);
    if (!writeCapture(path, count))
        return { { u"scenario"_s, u"open"_s }, { u"error"_s, u"cannot write the capture"_s } };
    const qint64 fileBytes = QFileInfo(path).size();
    baseline(path); // warms the page cache for both

    QElapsedTimer clock;
    clock.start();
    const qint64 baseEvents = baseline(path);
    const double baseSeconds = double(clock.nsecsElapsed()) / 1e9;

    malloc_trim(0);
    const qint64 rssBefore = residentNow();
    auto* view = new wsi::CaptureView;
    view->resize(1200, 800);
    view->show();
    bool ok = false;
    QEventLoop loop;
    QObject::connect(view, &wsi::CaptureView::loaded, &loop, [&] {
        ok = true;
        loop.quit();
    });
    QTimer::singleShot(600000, &loop, &QEventLoop::quit);
    qint64 firstRowsMs = -1;
    clock.restart();
    view->open(path);
    // The first rows: when the connection's model first gets rows.
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (firstRowsMs < 0 && view->model(1) && view->model(1)->rowCount() > 0)
            firstRowsMs = clock.elapsed();
    });
    poll.start(5);
    loop.exec();
    poll.stop();
    wsi::MessageLogModel* model = view->model(1);
    if (ok && model) {
        // "To the last row": the view shows it.
        view->logPanel(1)->view()->scrollToBottom();
        QCoreApplication::processEvents();
    }
    const double openSeconds = double(clock.nsecsElapsed()) / 1e9;
    const qint64 rows = model ? model->rowCount() : 0;
    const qint64 rssAfter = residentNow();
    const qint64 storeBytes = model ? model->memoryUsed() : 0;
    const bool allRows = ok && rows == count + 1;
    delete view;

    const double openRate = double(2 * count + 1) / openSeconds; // events: lines of the file
    const double baseRate = double(baseEvents) / baseSeconds;
    return QJsonObject { { u"scenario"_s, u"open"_s }, { u"messages"_s, double(count) },
        { u"events"_s, double(2 * count + 1) }, { u"file_mib"_s, double(fileBytes) / (1 << 20) },
        { u"open_seconds"_s, openSeconds }, { u"first_rows_ms"_s, double(firstRowsMs) },
        { u"open_events_per_s"_s, std::round(openRate) }, { u"baseline_seconds"_s, baseSeconds },
        { u"baseline_events_per_s"_s, std::round(baseRate) }, { u"ratio_open_vs_baseline"_s, openRate / baseRate },
        { u"target_events_per_s"_s, 300000 },
        { u"rss_bytes_per_message"_s, double(rssAfter - rssBefore) / double(count) },
        { u"log_store_bytes_per_message"_s, double(storeBytes) / double(count) }, { u"all_rows"_s, allRows } };
}

#ifdef WSI_OPENBENCH_MAIN
#include <cstdio>
int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    const qint64 count = argc > 1 ? QByteArray(argv[1]).toLongLong() : 1000000;
    const QJsonObject o = runOpenScenario(count > 0 ? count : 1000000);
    std::puts(QJsonDocument(o).toJson(QJsonDocument::Compact).constData());
    return o.value(u"all_rows"_s).toBool() ? 0 : 1;
}
#endif
