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

#include <cstdio>

using namespace Qt::StringLiterals;
using namespace wsi;

namespace {
QString pushUrl(int count)
{
    return u"builtin:push?interval=0&count=%1&size=100"_s.arg(count);
}

// Messages per second received by a bare QWebSocket.
double direct(int count)
{
    QString error;
    const QUrl url = BuiltinServers::resolve(pushUrl(count), &error);
    QWebSocket socket;
    QEventLoop loop;
    int received = 0;
    QElapsedTimer timer;
    QObject::connect(&socket, &QWebSocket::connected, &loop, [&] { timer.start(); });
    QObject::connect(&socket, &QWebSocket::textMessageReceived, &loop, [&](const QString&) {
        if (++received == count)
            loop.quit();
    });
    QTimer::singleShot(120000, &loop, &QEventLoop::quit);
    socket.open(url);
    loop.exec();
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    socket.abort();
    return received == count ? count / seconds : 0;
}

// Messages per second a Session publishes as log entries (through the relay).
double throughSession(int count)
{
    Profile p;
    p.url = pushUrl(count);
    Session session(p);
    QEventLoop loop;
    int received = 0;
    QElapsedTimer timer;
    QObject::connect(&session, &Session::stateChanged, &loop, [&](Session::State s) {
        if (s == Session::State::Open)
            timer.start();
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
    session.abort(u"done"_s);
    return received == count ? count / seconds : 0;
}
} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const int count = argc > 1 ? QByteArray(argv[1]).toInt() : 200000;
    const int rounds = argc > 2 ? QByteArray(argv[2]).toInt() : 3;
    double bestDirect = 0, bestRelay = 0;
    for (int i = 0; i < rounds; ++i) {
        const double d = direct(count);
        const double r = throughSession(count);
        std::printf(
            "round %d: direct %.0f msg/s, session+relay %.0f msg/s, ratio %.2f\n", i + 1, d, r, d > 0 ? r / d : 0);
        std::fflush(stdout);
        bestDirect = std::max(bestDirect, d);
        bestRelay = std::max(bestRelay, r);
    }
    std::printf("best: direct %.0f msg/s, session+relay %.0f msg/s, ratio %.2f (%d messages of 100 bytes)\n",
        bestDirect, bestRelay, bestDirect > 0 ? bestRelay / bestDirect : 0, count);
    BuiltinServers::shutdown();
    return 0;
}
