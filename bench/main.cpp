// wsinspector-bench: measures the inspector against its targets; one JSON object per scenario on
// stdout, each with the figure and its same-run baseline side by side. The ingest and terminal
// scenarios receive from wsinspector-sender, a separate process (bench/sender.cpp). Exit code 1
// when a correctness check failed (a message lost, out of order or changed; a run that failed).
#include "heartbeat.h"
#include "log/logfiltermodel.h"
#include "log/logpanel.h"
#include "log/messagelogmodel.h"
#include "mainwindow.h"
#include "process.h"
#include "pushmessage.h"
#include "scenario_terminal.h"
#include "session/session.h"
#include "session/sessionview.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTableView>
#include <QTimer>
#include <QWebSocket>

#include <malloc.h>
#include <unistd.h>

#include <cstdio>

using namespace Qt::StringLiterals;
using namespace wsi;
using wsi::bench::pushMessage;
using wsi::bench::SenderProcess;

#ifdef WSI_BENCH_HAVE_HEX
QJsonObject runHexScenario(); // bench/scenario_hex.cpp (payload-views issue)
#endif
namespace wsi::bench {
QJsonObject runDeflateScenario(int count, int rounds); // bench/scenario_deflate.cpp (issue 12)
}
QJsonObject runOpenScenario(qint64 count); // bench/scenario_open.cpp (captures issue)

namespace {

void print(const QJsonObject& o)
{
    std::fputs(QJsonDocument(o).toJson(QJsonDocument::Compact).constData(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

double round2(double v)
{
    return std::round(v * 100) / 100;
}

qint64 residentBytes()
{
    QFile f(u"/proc/self/statm"_s);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> parts = f.readAll().split(' ');
    return parts.size() > 1 ? parts.at(1).toLongLong() * sysconf(_SC_PAGESIZE) : -1;
}

// Runs the event loop until done() or the timeout; returns false on timeout.
template <typename Done> bool spin(Done done, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (!done()) {
        if (clock.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 50);
    }
    return true;
}

// Payloads of the memory and filter scenarios ("push #1....", the format their figures were
// measured with; the filter pattern depends on it).
QByteArray rowPayload(qint64 n, int size)
{
    QByteArray p = "push #" + QByteArray::number(n);
    if (p.size() < size)
        p.append(size - p.size(), '.');
    return p;
}

struct IngestResult
{
    qint64 received = 0;
    double insertMsTotal = 0; // model + proxy + view work inside appendBatch (rowsInserted handlers)
    double insertMsMax = 0;
    double seconds = 0;
    double maxGapMs = 0;
    bool ok = false;
    bool inOrder = true;
    QJsonObject sender; // the sender's DONE line for this connection
};

// The sender's view of the connection a run just used; a failed or short stream fails the run.
void collectSender(SenderProcess& sender, qint64 count, IngestResult* r)
{
    r->sender = sender.nextDone(30000);
    if (r->sender.isEmpty() || !r->sender.value(u"error"_s).toString().isEmpty()
        || r->sender.value(u"count"_s).toInteger() != count)
        r->ok = false;
}

IngestResult runBareSocket(SenderProcess& sender, qint64 count, int size)
{
    const QUrl url = sender.url(count, size);
    IngestResult r;
    bench::Heartbeat heartbeat;
    QWebSocket socket;
    QElapsedTimer clock;
    QObject::connect(&socket, &QWebSocket::textMessageReceived, &socket, [&r](const QString&) { ++r.received; });
    heartbeat.start();
    clock.start();
    socket.open(url);
    r.ok = spin([&] { return r.received >= count; }, 300000);
    r.seconds = double(clock.nsecsElapsed()) / 1e9;
    heartbeat.stop();
    r.maxGapMs = heartbeat.maxGapMs();
    socket.abort();
    collectSender(sender, count, &r);
    return r;
}

// The session alone (no model, no window): what the engine costs before the log sees a row.
IngestResult runSessionOnly(SenderProcess& sender, qint64 count, int size)
{
    IngestResult r;
    bench::Heartbeat heartbeat;
    Profile profile;
    profile.url = sender.url(count, size).toString();
    Session session(profile);
    QObject::connect(&session, &Session::entriesAdded, &session, [&r](const LogBatch& b) {
        for (const LogEntry& e : b)
            r.received += e.kind == LogEntry::Kind::Text && e.dir == Direction::Receive;
    });
    QElapsedTimer clock;
    heartbeat.start();
    clock.start();
    session.open();
    r.ok = spin([&] { return r.received >= count; }, 300000);
    r.seconds = double(clock.nsecsElapsed()) / 1e9;
    heartbeat.stop();
    r.maxGapMs = heartbeat.maxGapMs();
    session.abort(u"benchmark done"_s);
    collectSender(sender, count, &r);
    return r;
}

IngestResult runInspector(SenderProcess& sender, qint64 count, int size, const QString& screenshot)
{
    IngestResult r;
    bench::Heartbeat heartbeat;
    MainWindow window;
    window.show();
    Profile profile;
    profile.id = u"bench"_s;
    profile.name = u"bench"_s;
    profile.url = sender.url(count, size).toString();
    SessionView* view = window.openSession(profile, false);
    // Paint once before the clock starts: the first paint loads fonts (fontconfig), a one-off
    // cost of starting the app, not of keeping up with a flood.
    QCoreApplication::processEvents();
    (void)window.grab();
    QCoreApplication::processEvents();
    MessageLogModel* model = view->logModel();
    QElapsedTimer insertClock;
    QObject::connect(model, &QAbstractItemModel::rowsAboutToBeInserted, model, [&] { insertClock.start(); });
    // Queued behind every other rowsInserted handler (proxy, view, panel): connected last.
    QObject::connect(model, &QAbstractItemModel::rowsInserted, model, [&] {
        const double ms = double(insertClock.nsecsElapsed()) / 1e6;
        r.insertMsTotal += ms;
        r.insertMsMax = std::max(r.insertMsMax, ms);
    });
    QElapsedTimer clock;
    heartbeat.start();
    clock.start();
    view->connectSession();
    bool shot = screenshot.isEmpty();
    r.ok = spin(
        [&] {
            if (!shot && model->counters().messagesIn >= count / 2) {
                shot = true; // mid-flood, as a user would see it (costs one paint, inside the timing)
                window.grab().save(screenshot);
            }
            return model->counters().messagesIn >= count;
        },
        300000);
    r.seconds = double(clock.nsecsElapsed()) / 1e9;
    heartbeat.stop();
    r.maxGapMs = heartbeat.maxGapMs();
    r.received = model->counters().messagesIn;
    // Completeness and order, after the clock stopped: "push #1", "push #2", ... as sent.
    const LogStore& store = model->store();
    qint64 expected = 1;
    for (qint64 row = 0; row < store.size(); ++row) {
        const LogStore::Record& rec = store.record(row);
        if (rec.kind != LogEntry::Kind::Text || rec.dir != Direction::Receive)
            continue;
        if (store.payload(rec) != pushMessage(expected, size)) {
            r.inOrder = false;
            break;
        }
        ++expected;
    }
    r.inOrder = r.inOrder && expected - 1 == count;
    view->session()->abort(u"benchmark done"_s);
    QCoreApplication::processEvents();
    collectSender(sender, count, &r);
    return r;
}

void fillModel(MessageLogModel& model, qint64 rows)
{
    constexpr int kBatch = 3000; // what the session publishes in ~30 ms at 100k messages/s
    qint64 n = 0;
    const qint64 t0 = LogEntry::nowUs();
    while (n < rows) {
        LogBatch batch;
        batch.reserve(kBatch);
        for (int i = 0; i < kBatch && n < rows; ++i) {
            LogEntry e;
            ++n;
            e.timeUs = t0 + n * 10;
            e.kind = LogEntry::Kind::Text;
            e.dir = Direction::Receive;
            e.payload = rowPayload(n, 100);
            batch.append(std::move(e));
        }
        model.appendBatch(batch);
    }
}

} // namespace

int main(int argc, char** argv)
{
    // The benchmark runs anywhere (CI, ssh): no display needed.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Benchmark of WebSocket Inspector: ingest, stall, terminal, memory, filter, hex"_s);
    parser.addHelpOption();
    QCommandLineOption roundsOption(
        u"rounds"_s, u"Alternating rounds of the ingest scenario; medians are compared (5)."_s, u"n"_s, u"5"_s);
    QCommandLineOption countOption(
        u"count"_s, u"Messages for the ingest and terminal scenarios (1000000)."_s, u"n"_s, u"1000000"_s);
    QCommandLineOption longCountOption(u"long-count"_s,
        u"Messages of the terminal scenario's long run, for peak memory; 0 skips it (3000000)."_s, u"n"_s,
        u"3000000"_s);
    QCommandLineOption terminalRoundsOption(u"terminal-rounds"_s,
        u"Alternating rounds of the terminal scenario; medians are compared (3)."_s, u"n"_s, u"3"_s);
    QCommandLineOption senderOption(
        u"sender"_s, u"The wsinspector-sender executable."_s, u"path"_s, QStringLiteral(WSI_BENCH_SENDER));
    QCommandLineOption cliOption(
        u"cli"_s, u"The wsinspector executable (terminal scenario)."_s, u"path"_s, QStringLiteral(WSI_BENCH_CLI));
    QCommandLineOption rusageOption(
        u"rusage"_s, u"The wsinspector-rusage executable."_s, u"path"_s, QStringLiteral(WSI_BENCH_RUSAGE));
    QCommandLineOption bareClientOption(
        u"bareclient"_s, u"The wsinspector-bareclient executable."_s, u"path"_s, QStringLiteral(WSI_BENCH_BARECLIENT));
    QCommandLineOption rowsOption(
        u"rows"_s, u"Rows for the memory and filter scenarios (1000000)."_s, u"n"_s, u"1000000"_s);
    QCommandLineOption onlyOption(u"only"_s,
        u"Comma-separated scenarios: ingest (prints stall too),terminal,memory,filter,hex,deflate,open."_s, u"list"_s,
        u"ingest,terminal,memory,filter,hex,deflate,open"_s);
    QCommandLineOption deflateCountOption(
        u"deflate-count"_s, u"Messages of about 1 KiB for the deflate scenario (200000)."_s, u"n"_s, u"200000"_s);
    QCommandLineOption sliceOption(
        u"slice-ms"_s, u"Time budget of one filter slice on the UI thread (10)."_s, u"ms"_s, u"10"_s);
    QCommandLineOption screenshotOption(
        u"screenshot"_s, u"Save a PNG of the window in the middle of the ingest flood."_s, u"file"_s);
    parser.addOption(deflateCountOption);
    parser.addOptions({ roundsOption, countOption, longCountOption, terminalRoundsOption, rowsOption, onlyOption,
        sliceOption, screenshotOption, senderOption, cliOption, bareClientOption, rusageOption });
    parser.process(app);
    const qint64 count = std::max<qint64>(1, parser.value(countOption).toLongLong());
    constexpr int kSize = 100;
    bool allClean = true;
    const qint64 rows = parser.value(rowsOption).toLongLong();
    const QStringList only = parser.value(onlyOption).split(u',');

    // One outside sender for the ingest and terminal scenarios; it serves one connection after
    // another and reports each one.
    SenderProcess sender(parser.value(senderOption));
    if (only.contains(u"ingest"_s) || only.contains(u"terminal"_s)) {
        QString error;
        if (!sender.start(&error)) {
            std::fprintf(stderr, "wsinspector-bench: %s\n", qPrintable(error));
            return 1;
        }
    }

    if (only.contains(u"ingest"_s)) {
        runBareSocket(sender, std::min<qint64>(count, 20000), kSize); // warm-up: caches, first connection
        // A single pair is mostly noise on a shared 2-core machine: alternate the three runs for
        // several rounds and compare medians. The stall is the worst round, not the median.
        const int rounds = std::max(1, parser.value(roundsOption).toInt());
        QList<double> bareRates, sessionRates, fullRates, roundRatios;
        IngestResult bare, sessionOnly, full;
        bool allReceived = true, allInOrder = true, allRunsOk = true;
        double senderShare = 0; // the sender's CPU time per second of receiving: it must not be the limit
        double worstGap = 0, worstBareGap = 0, worstSessionGap = 0, worstInsert = 0, insertTotal = 0;
        auto rate = [](const IngestResult& r) { return r.seconds > 0 ? double(r.received) / r.seconds : 0.0; };
        for (int round = 0; round < rounds; ++round) {
            bare = runBareSocket(sender, count, kSize);
            sessionOnly = runSessionOnly(sender, count, kSize);
            full = runInspector(sender, count, kSize, round == 0 ? parser.value(screenshotOption) : QString());
            allRunsOk = allRunsOk && bare.ok && sessionOnly.ok && full.ok;
            for (const IngestResult* run : { &bare, &sessionOnly, &full }) {
                if (run->seconds > 0)
                    senderShare = std::max(senderShare, run->sender.value(u"cpu_ms"_s).toDouble() / 1e3 / run->seconds);
            }
            bareRates << rate(bare);
            sessionRates << rate(sessionOnly);
            fullRates << rate(full);
            roundRatios << round2(rate(bare) > 0 ? rate(full) / rate(bare) : 0);
            allReceived = allReceived && full.received == count;
            allInOrder = allInOrder && full.inOrder;
            worstGap = std::max(worstGap, full.maxGapMs);
            worstBareGap = std::max(worstBareGap, bare.maxGapMs);
            worstSessionGap = std::max(worstSessionGap, sessionOnly.maxGapMs);
            worstInsert = std::max(worstInsert, full.insertMsMax);
            insertTotal = std::max(insertTotal, full.insertMsTotal);
        }
        auto median = [](QList<double> v) {
            std::sort(v.begin(), v.end());
            return v.isEmpty()
                ? 0.0
                : (v.size() % 2 ? v.at(v.size() / 2) : (v.at(v.size() / 2 - 1) + v.at(v.size() / 2)) / 2);
        };
        const double bareRate = median(bareRates);
        const double sessionRate = median(sessionRates);
        const double fullRate = median(fullRates);
        const double ingestRatio = round2(bareRate > 0 ? fullRate / bareRate : 0);
        const bool ingestClean = allReceived && allInOrder && allRunsOk;
        QJsonArray ratioArray;
        for (double r : std::as_const(roundRatios))
            ratioArray.append(r);
        print(QJsonObject {
            { u"scenario"_s, u"ingest"_s },
            { u"sent"_s, count },
            { u"rounds"_s, rounds },
            { u"received"_s, full.received },
            { u"received_equals_sent"_s, allReceived },
            { u"in_order_byte_exact"_s, allInOrder },
            { u"all_runs_clean"_s, allRunsOk },
            { u"message_bytes"_s, kSize },
            { u"sender"_s, u"wsinspector-sender (separate process)"_s },
            { u"sender_cpu_share_max"_s, round2(senderShare) },
            { u"inspector_msg_per_s"_s, std::round(fullRate) },
            { u"baseline_bare_qwebsocket_msg_per_s"_s, std::round(bareRate) },
            { u"ratio"_s, ingestRatio },
            { u"round_ratios"_s, ratioArray },
            { u"target_ratio"_s, 0.8 },
            { u"target_met"_s, ingestClean && ingestRatio >= 0.8 },
            { u"session_only_msg_per_s"_s, std::round(sessionRate) },
            { u"session_only_ratio"_s, round2(bareRate > 0 ? sessionRate / bareRate : 0) },
            { u"model_view_insert_ms_total"_s, round2(insertTotal) },
            { u"inspector_median_seconds"_s, round2(fullRate > 0 ? double(count) / fullRate : 0) },
            { u"baseline_median_seconds"_s, round2(bareRate > 0 ? double(count) / bareRate : 0) },
        });
        print(QJsonObject {
            { u"scenario"_s, u"stall"_s },
            { u"max_ui_gap_ms"_s, round2(worstGap) },
            { u"baseline_bare_qwebsocket_max_gap_ms"_s, round2(worstBareGap) },
            { u"session_only_max_gap_ms"_s, round2(worstSessionGap) },
            { u"longest_model_view_insert_ms"_s, round2(worstInsert) },
            { u"heartbeat_interval_ms"_s, 10 },
            { u"target_ms"_s, 50 },
            { u"target_met"_s, round2(worstGap) <= 50 },
        });
        allClean = allClean && ingestClean;
    }

    if (only.contains(u"terminal"_s)) {
        bench::TerminalOptions options;
        options.cliProgram = parser.value(cliOption);
        options.bareClientProgram = parser.value(bareClientOption);
        options.rusageProgram = parser.value(rusageOption);
        options.count = count;
        options.longCount = std::max<qint64>(0, parser.value(longCountOption).toLongLong());
        options.size = kSize;
        options.rounds = std::max(1, parser.value(terminalRoundsOption).toInt());
        bool ok = false;
        print(bench::runTerminalScenario(sender, options, &ok));
        allClean = allClean && ok;
    }

    MessageLogModel model;
    if (only.contains(u"memory"_s) || only.contains(u"filter"_s)) {
        malloc_trim(0);
        const qint64 before = residentBytes();
        fillModel(model, rows);
        malloc_trim(0); // give back the transient batches, keep what the model holds
        const qint64 after = residentBytes();
        const double perMessage = double(after - before) / double(rows);
        if (only.contains(u"memory"_s)) {
            print(QJsonObject {
                { u"scenario"_s, u"memory"_s },
                { u"messages"_s, rows },
                { u"rss_added_bytes"_s, after - before },
                { u"bytes_per_message"_s, round2(perMessage) },
                { u"baseline_payload_bytes_per_message"_s, 100 },
                { u"ratio"_s, round2(perMessage / 100) },
                { u"model_accounted_bytes"_s, model.memoryUsed() },
                { u"target_bytes_per_message"_s, 200 },
            });
        }
    }

    if (only.contains(u"filter"_s)) {
        const QString pattern = u"#\\d*(?:123|777)\\."_s;
        // Baseline: the same expression over the same payloads in a plain blocking loop.
        QElapsedTimer clock;
        qint64 baselineMatches = 0;
        {
            const QRegularExpression re(pattern, QRegularExpression::CaseInsensitiveOption);
            clock.start();
            const LogStore& store = model.store();
            for (qint64 row = 0; row < store.size(); ++row) {
                if (re.match(QString::fromUtf8(store.payload(row))).hasMatch())
                    ++baselineMatches;
            }
        }
        const double baselineMs = double(clock.nsecsElapsed()) / 1e6;

        QTableView view;
        LogFilterModel filterModel;
        filterModel.setSourceModel(&model);
        filterModel.setSliceBudgetMs(parser.value(sliceOption).toInt());
        view.setModel(&filterModel);
        view.resize(900, 600);
        if (!qEnvironmentVariableIsSet("WSI_BENCH_NO_VIEW"))
            view.show();
        view.scrollToBottom();
        QCoreApplication::processEvents();

        bench::Heartbeat heartbeat;
        bool finished = false;
        qint64 elapsedMs = 0;
        QObject::connect(&filterModel, &LogFilterModel::filterFinished, &filterModel, [&](qint64 ms) {
            finished = true;
            elapsedMs = ms;
        });
        LogFilter filter;
        filter.text = pattern;
        filter.regularExpression = true;
        heartbeat.start();
        clock.start();
        filterModel.setFilter(filter);
        spin([&] { return finished; }, 120000);
        const double wallMs = double(clock.nsecsElapsed()) / 1e6;
        QCoreApplication::processEvents(); // let the view paint the result under the heartbeat too
        heartbeat.stop();
        print(QJsonObject {
            { u"scenario"_s, u"filter"_s },
            { u"rows"_s, model.rowCount() },
            { u"pattern"_s, pattern },
            { u"matches"_s, filterModel.matchCount() },
            { u"matches_equal_baseline"_s, filterModel.matchCount() == baselineMatches },
            { u"filter_ms"_s, round2(wallMs) },
            { u"filter_model_reported_ms"_s, elapsedMs },
            { u"baseline_blocking_regex_loop_ms"_s, round2(baselineMs) },
            { u"ratio"_s, round2(baselineMs > 0 ? wallMs / baselineMs : 0) },
            { u"max_ui_gap_ms"_s, round2(heartbeat.maxGapMs()) },
            { u"target_ms"_s, 300 },
            { u"target_gap_ms"_s, 50 },
        });
    }

    if (only.contains(u"hex"_s)) {
#ifdef WSI_BENCH_HAVE_HEX
        print(runHexScenario());
#else
        print(QJsonObject { { u"scenario"_s, u"hex"_s }, { u"status"_s, u"pending"_s } });
#endif
    }
    if (only.contains(u"deflate"_s)) {
        const QJsonObject deflate = wsi::bench::runDeflateScenario(
            int(std::max<qint64>(1, parser.value(deflateCountOption).toLongLong())), 3);
        allClean = allClean && deflate.value(u"all_runs_clean"_s).toBool();
        print(deflate);
    }
    if (only.contains(u"open"_s)) { // a capture of --rows messages opened to the last row
        const QJsonObject open = runOpenScenario(parser.value(rowsOption).toLongLong());
        allClean = allClean && open.value(u"all_rows"_s).toBool();
        print(open);
    }
    return allClean ? 0 : 1;
}
