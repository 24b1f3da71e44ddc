// The terminal scenario: `wsinspector --cli URL > /dev/null` as a child process against
// wsinspector-sender, next to a bare-QWebSocket child (wsinspector-bareclient) on the same sender,
// alternating. Rates are timed from the moment the sender wrote its 101 response to the moment
// the child exited (process start-up excluded, tear-down included), so both sides pay the same.
#include "scenario_terminal.h"

#include "process.h"
#include "pushmessage.h"

#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace wsi::bench {

namespace {

constexpr int kChildTimeoutMs = 600000;

double median(QList<double> v)
{
    std::sort(v.begin(), v.end());
    if (v.isEmpty())
        return 0;
    return v.size() % 2 ? v.at(v.size() / 2) : (v.at(v.size() / 2 - 1) + v.at(v.size() / 2)) / 2;
}

double round2(double v)
{
    return std::round(v * 100) / 100;
}

struct ChildRun
{
    bool ok = false;
    QString error;
    double seconds = 0;
    double rate = 0;
    double maxRssMiB = 0;
    double senderCpuShare = 0; // sender CPU time / the child's receiving time
};

QString firstLine(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromLocal8Bit(f.readLine(512)).trimmed();
}

ChildRun runOne(const QString& rusage, SenderProcess& sender, QStringList argv, qint64 count, int size,
    const QString& stdoutPath, const QString& stderrPath)
{
    ChildRun r;
    argv.replaceInStrings(u"%URL%"_s, sender.url(count, size).toString());
    const ChildExit exit = runChild(rusage, argv, stdoutPath, stderrPath, kChildTimeoutMs);
    const QJsonObject done = sender.nextDone(30000);
    const qint64 openNs = done.value(u"open_ns"_s).toInteger();
    r.maxRssMiB = round2(double(exit.maxRssKiB) / 1024);
    if (!exit.ok()) {
        const QString detail = firstLine(stderrPath);
        r.error = exit.error + (detail.isEmpty() ? QString() : u": "_s + detail);
    } else if (done.isEmpty()) {
        r.error = u"the sender reported nothing for this connection"_s;
    } else if (!done.value(u"error"_s).toString().isEmpty()) {
        r.error = u"sender: "_s + done.value(u"error"_s).toString();
    } else if (done.value(u"client_close"_s).toInt() != 1000 || done.value(u"count"_s).toInteger() != count) {
        r.error = u"the child did not answer the sender's close with 1000 after %1 messages"_s.arg(count);
    } else if (openNs <= 0 || exit.endNs <= openNs) {
        r.error = u"no usable timestamps"_s;
    } else {
        r.ok = true;
        r.seconds = double(exit.endNs - openNs) / 1e9;
        r.rate = double(count) / r.seconds;
        r.senderCpuShare = round2(done.value(u"cpu_ms"_s).toDouble() / 1e3 / r.seconds);
    }
    return r;
}

// The terminal front end's output for a short stream: every "< text" line carries the sender's
// message, in order, byte-exact.
bool checkCliOutput(const QString& path, qint64 count, int size, QString* error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = u"cannot read the terminal output %1"_s.arg(path);
        return false;
    }
    qint64 expected = 1;
    while (!f.atEnd()) {
        const QByteArray line = f.readLine().chopped(1);
        const qsizetype at = line.indexOf("  < text ");
        if (at < 0)
            continue;
        const qsizetype payloadAt = line.indexOf(" B  ", at);
        if (payloadAt < 0 || line.mid(payloadAt + 4) != pushMessage(expected, size)) {
            *error = u"terminal output line for message %1 differs: %2"_s.arg(expected).arg(
                QString::fromUtf8(line.left(80)));
            return false;
        }
        ++expected;
    }
    if (expected - 1 != count) {
        *error = u"terminal output has %1 of %2 messages"_s.arg(expected - 1).arg(count);
        return false;
    }
    return true;
}

} // namespace

QJsonObject runTerminalScenario(SenderProcess& sender, const TerminalOptions& o, bool* ok)
{
    QTemporaryDir dir;
    const QString err = dir.filePath(u"stderr.txt"_s);
    const QStringList cli { o.cliProgram, u"--cli"_s, u"%URL%"_s };
    const QStringList bare { o.bareClientProgram, u"%URL%"_s };
    QStringList errors;

    // Correctness first, on a short stream: the terminal output and the bare client's view.
    const qint64 checkCount = std::min<qint64>(o.count, 20000);
    const QString outFile = dir.filePath(u"cli-output.txt"_s);
    const ChildRun cliCheck = runOne(o.rusageProgram, sender, cli, checkCount, o.size, outFile, err);
    QString checkError;
    const bool cliOutputOk = cliCheck.ok && checkCliOutput(outFile, checkCount, o.size, &checkError);
    if (!cliCheck.ok)
        errors << u"terminal check run: "_s + cliCheck.error;
    else if (!cliOutputOk)
        errors << checkError;
    const ChildRun bareCheck = runOne(o.rusageProgram, sender,
        bare + QStringList { u"--expect"_s, QString::number(checkCount), u"--verify"_s, QString::number(o.size) },
        checkCount, o.size, u"/dev/null"_s, err);
    if (!bareCheck.ok)
        errors << u"bare client check run: "_s + bareCheck.error;

    // Timed: alternating rounds at count, then one pair at the long count (memory must not grow
    // with the stream's length).
    QList<double> bareRates, cliRates;
    QJsonArray roundRatios;
    double cliRss = 0, bareRss = 0, senderShare = 0;
    for (int round = 0; round < o.rounds; ++round) {
        const ChildRun b = runOne(o.rusageProgram, sender,
            bare + QStringList { u"--expect"_s, QString::number(o.count) }, o.count, o.size, u"/dev/null"_s, err);
        const ChildRun c = runOne(o.rusageProgram, sender, cli, o.count, o.size, u"/dev/null"_s, err);
        for (const ChildRun* run : { &b, &c }) {
            if (!run->ok)
                errors << run->error;
            senderShare = std::max(senderShare, run->senderCpuShare);
        }
        bareRates << b.rate;
        cliRates << c.rate;
        roundRatios.append(round2(b.rate > 0 ? c.rate / b.rate : 0));
        cliRss = std::max(cliRss, c.maxRssMiB);
        bareRss = std::max(bareRss, b.maxRssMiB);
    }
    // Memory reference: the same bare client with a 1 MiB read buffer. With Qt's default
    // (unlimited) it reads ahead of its own processing and its peak grows with the stream.
    const QStringList bounded = bare + QStringList { u"--read-buffer"_s, u"1048576"_s };
    const ChildRun boundedRun = runOne(o.rusageProgram, sender,
        bounded + QStringList { u"--expect"_s, QString::number(o.count) }, o.count, o.size, u"/dev/null"_s, err);
    if (!boundedRun.ok)
        errors << boundedRun.error;
    ChildRun bareLong, cliLong, boundedLong;
    if (o.longCount > 0) {
        boundedLong
            = runOne(o.rusageProgram, sender, bounded + QStringList { u"--expect"_s, QString::number(o.longCount) },
                o.longCount, o.size, u"/dev/null"_s, err);
        bareLong = runOne(o.rusageProgram, sender, bare + QStringList { u"--expect"_s, QString::number(o.longCount) },
            o.longCount, o.size, u"/dev/null"_s, err);
        cliLong = runOne(o.rusageProgram, sender, cli, o.longCount, o.size, u"/dev/null"_s, err);
        for (const ChildRun* run : { &bareLong, &cliLong, &boundedLong }) {
            if (!run->ok)
                errors << run->error;
            senderShare = std::max(senderShare, run->senderCpuShare);
        }
    }
    const double bareRate = median(bareRates);
    const double cliRate = median(cliRates);
    *ok = errors.isEmpty();
    const double ratio = round2(bareRate > 0 ? cliRate / bareRate : 0);
    const bool memoryMet = cliRss <= 64 && (o.longCount == 0 || cliLong.maxRssMiB <= 64);
    QJsonObject result {
        { u"scenario"_s, u"terminal"_s },
        { u"messages"_s, o.count },
        { u"message_bytes"_s, o.size },
        { u"rounds"_s, o.rounds },
        { u"cli_msg_per_s"_s, std::round(cliRate) },
        { u"baseline_bareclient_msg_per_s"_s, std::round(bareRate) },
        { u"ratio"_s, ratio },
        { u"round_ratios"_s, roundRatios },
        { u"target_ratio"_s, 0.3 },
        { u"cli_peak_rss_mib"_s, cliRss },
        { u"baseline_bareclient_peak_rss_mib"_s, bareRss },
        { u"long_messages"_s, o.longCount },
        { u"cli_peak_rss_mib_long"_s, cliLong.maxRssMiB },
        { u"baseline_bareclient_peak_rss_mib_long"_s, bareLong.maxRssMiB },
        { u"cli_long_msg_per_s"_s, std::round(cliLong.rate) },
        { u"baseline_bareclient_long_msg_per_s"_s, std::round(bareLong.rate) },
        { u"bareclient_1mib_read_buffer_peak_rss_mib"_s, boundedRun.maxRssMiB },
        { u"bareclient_1mib_read_buffer_peak_rss_mib_long"_s, boundedLong.maxRssMiB },
        { u"target_rss_mib"_s, 64 },
        { u"output_checked_messages"_s, checkCount },
        { u"output_in_order_byte_exact"_s, cliOutputOk },
        { u"sender_cpu_share_max"_s, senderShare },
        { u"all_runs_clean"_s, errors.isEmpty() },
        { u"target_met"_s, errors.isEmpty() && ratio >= 0.3 && memoryMet },
    };
    if (!errors.isEmpty())
        result.insert(u"errors"_s, QJsonArray::fromStringList(errors.mid(0, 5)));
    return result;
}

} // namespace wsi::bench
