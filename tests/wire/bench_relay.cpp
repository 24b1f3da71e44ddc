// Measures what the wire relay costs: the receive rate of 100-byte text messages through a
// Session (relay, parsers, log entries) against a bare QWebSocket, same server, same run.
// Not a unit test (timings vary by machine); run by hand, preferably from a release build:
//   cmake --preset release && cmake --build build/release --target bench_relay
//   build/release/tests/wire/bench_relay [messages=200000] [rounds=3]
#include "server/builtinserver.h"
#include "session/session.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>
#include <QWebSocket>

#include <algorithm>
#include <cstdio>
#include <ctime>

using namespace Qt::StringLiterals;
using namespace wsi;

namespace {
// CPU seconds of the whole process (all threads: server, relay, QWebSocket).
double cpuSeconds()
{
    timespec t {};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) / 1e9;
}

struct Rate
{
    double rate = 0; // messages per second (wall clock)
    double cpuUsPerMessage = 0; // process CPU microseconds per message
};

QString pushUrl(int count)
{
    return u"builtin:push?interval=0&count=%1&size=100"_s.arg(count);
}

// Messages received per second by a bare QWebSocket.
Rate direct(int count)
{
    QString error;
    const QUrl url = BuiltinServers::resolve(pushUrl(count), &error);
    QWebSocket socket;
    QEventLoop loop;
    int received = 0;
    QElapsedTimer timer;
    double cpuStart = 0;
    QObject::connect(&socket, &QWebSocket::connected, &loop, [&] {
        timer.start();
        cpuStart = cpuSeconds();
    });
    QObject::connect(&socket, &QWebSocket::textMessageReceived, &loop, [&](const QString&) {
        if (++received == count)
            loop.quit();
    });
    QTimer::singleShot(120000, &loop, &QEventLoop::quit);
    socket.open(url);
    loop.exec();
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    const double cpu = cpuSeconds() - cpuStart;
    socket.abort();
    return received == count ? Rate { count / seconds, cpu * 1e6 / count } : Rate {};
}

// Messages per second a Session publishes as log entries (through the relay).
Rate throughSession(int count)
{
    Profile p;
    p.url = pushUrl(count);
    Session session(p);
    QEventLoop loop;
    int received = 0;
    QElapsedTimer timer;
    double cpuStart = 0;
    QObject::connect(&session, &Session::stateChanged, &loop, [&](Session::State s) {
        if (s == Session::State::Open) {
            timer.start();
            cpuStart = cpuSeconds();
        }
    });
    QObject::connect(&session, &Session::entriesAdded, &loop, [&](const LogBatch& batch) {
        for (const LogEntry& e : batch) {
            if (e.kind == LogEntry::Kind::Text && e.dir == Direction::Receive)
                ++received;
        }
        if (received >= count)
            loop.quit();
    });
    QTimer::singleShot(120000, &loop, &QEventLoop::quit);
    session.open();
    loop.exec();
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    const double cpu = cpuSeconds() - cpuStart;
    session.abort(u"done"_s);
    return received == count ? Rate { count / seconds, cpu * 1e6 / count } : Rate {};
}
} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const int count = argc > 1 ? QByteArray(argv[1]).toInt() : 200000;
    const int rounds = argc > 2 ? QByteArray(argv[2]).toInt() : 3;
    QList<double> ratios;
    for (int i = 0; i < rounds; ++i) {
        const Rate d = direct(count);
        const Rate r = throughSession(count);
        const double ratio = d.rate > 0 ? r.rate / d.rate : 0;
        ratios.append(ratio);
        std::printf("round %d: direct %.0f msg/s (%.2f us CPU/msg), session+relay %.0f msg/s (%.2f us CPU/msg), "
                    "ratio %.2f\n",
            i + 1, d.rate, d.cpuUsPerMessage, r.rate, r.cpuUsPerMessage, ratio);
        std::fflush(stdout);
    }
    std::sort(ratios.begin(), ratios.end());
    std::printf("median ratio %.2f over %d rounds (%d messages of 100 bytes)\n", ratios.value(ratios.size() / 2),
        rounds, count);
    BuiltinServers::shutdown();
    return 0;
}
