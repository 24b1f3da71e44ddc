// Benchmark scenario "deflate" (issue 12): ~1 KiB JSON messages from a compressing sender.
//  - inflate: the time the relay's inflater (MessageInflater, as the receive tap runs it) spends
//    on the compressed messages against a bare zlib inflate loop over the same messages, in the
//    same run, alternating rounds (target: at most 1.5x);
//  - end to end: the same messages pushed compressed (RFC 7692, context takeover, 15-bit
//    windows) and uncompressed through a Session (relay + QWebSocket + the log's entries), rate
//    of each in the same run.
// The sender is an in-process QTcpServer on its own thread that answers the handshake itself
// and writes pre-built frames, so that the sender's own compression is not measured.
#include "deflate/inflatebench.h"
#include "session/session.h"
#include "wire/framewriter.h"
#include "wire/handshakecheck.h"
#include "wire/wiretap.h"
#include "wire/wiretypes.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonObject>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;

namespace wsi::bench {

namespace {

// Serves one connection: the 101 (with permessage-deflate when frames are compressed), then the
// frames, written as the socket drains, then a close frame.
class Pusher : public QObject
{
public:
    Pusher(QList<QByteArray> payloads, bool compressed)
        : m_payloads(std::move(payloads))
        , m_compressed(compressed)
    { }

    quint16 listen()
    {
        m_server = new QTcpServer(this);
        QObject::connect(m_server, &QTcpServer::newConnection, this, [this] {
            m_socket = m_server->nextPendingConnection();
            QObject::connect(m_socket, &QTcpSocket::readyRead, this, [this] { onRead(); });
            QObject::connect(m_socket, &QTcpSocket::bytesWritten, this, [this] { pump(); });
        });
        m_server->listen(QHostAddress::LocalHost, 0);
        return m_server->serverPort();
    }

private:
    void onRead()
    {
        m_request += m_socket->readAll();
        if (m_upgraded || !m_request.contains("\r\n\r\n"))
            return;
        m_upgraded = true;
        QByteArray key;
        for (const QByteArray& line : m_request.split('\n')) {
            if (line.toLower().startsWith("sec-websocket-key:"))
                key = line.mid(18).trimmed();
        }
        QByteArray head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Accept: "
            + HandshakeCheck::expectedAccept(key) + "\r\n";
        if (m_compressed)
            head += "Sec-WebSocket-Extensions: permessage-deflate\r\n";
        m_socket->write(head + "\r\n");
        pump();
    }

    void pump()
    {
        while (m_next < m_payloads.size() && m_socket->bytesToWrite() < 1024 * 1024) {
            QByteArray batch;
            for (int i = 0; i < 256 && m_next < m_payloads.size(); ++i, ++m_next)
                FrameWriter::append(batch, OpText, true, m_compressed ? 4 : 0, m_payloads.at(m_next), false);
            m_socket->write(batch);
        }
        if (m_next == m_payloads.size() && !m_closed) {
            m_closed = true;
            QByteArray close;
            FrameWriter::append(close, OpClose, true, 0, QByteArray("\x03\xe8", 2), false);
            m_socket->write(close);
        }
    }

    QList<QByteArray> m_payloads;
    bool m_compressed;
    QTcpServer* m_server = nullptr;
    QTcpSocket* m_socket = nullptr;
    QByteArray m_request;
    bool m_upgraded = false;
    bool m_closed = false;
    qsizetype m_next = 0;
};

// The receive tap as the relay runs it (frames parsed, messages inflated or not, entries made),
// over the whole framed stream in 256 KiB chunks; nanoseconds.
qint64 tapNs(const QList<QByteArray>& payloads, bool compressed)
{
    QByteArray stream;
    for (const QByteArray& p : payloads)
        FrameWriter::append(stream, OpText, true, compressed ? 4 : 0, p, false);
    WireTap tap(Direction::Receive, 64 * 1024 * 1024);
    LogBatch batch;
    tap.feed("HTTP/1.1 101 Switching Protocols\r\n\r\n", 0, batch);
    if (compressed)
        tap.enableDeflate(15, false);
    QElapsedTimer clock;
    clock.start();
    for (qsizetype pos = 0; pos < stream.size(); pos += 256 * 1024) {
        batch.clear();
        tap.feed(QByteArrayView(stream).sliced(pos, std::min<qsizetype>(256 * 1024, stream.size() - pos)), 0, batch);
    }
    return clock.nsecsElapsed();
}

struct EndToEnd
{
    qint64 received = 0;
    qint64 ns = 0; // from Open to the last message
    bool exact = true;
};

EndToEnd runEndToEnd(const QList<QByteArray>& payloads, bool compressed, int count, int size)
{
    QThread thread;
    thread.start();
    auto pusher = std::make_unique<Pusher>(payloads, compressed);
    pusher->moveToThread(&thread);
    quint16 port = 0;
    QMetaObject::invokeMethod(
        pusher.get(), [&] { port = pusher->listen(); }, Qt::BlockingQueuedConnection);

    Profile p;
    p.name = u"deflate bench"_s;
    p.url = u"ws://127.0.0.1:%1/"_s.arg(port);
    p.perMessageDeflate = compressed;
    EndToEnd r;
    {
        Session session(p);
        QEventLoop loop;
        QElapsedTimer clock;
        QObject::connect(&session, &Session::stateChanged, &loop, [&](Session::State s) {
            if (s == Session::State::Open)
                clock.start();
            if (s == Session::State::Closed || s == Session::State::Failed)
                loop.quit();
        });
        QObject::connect(&session, &Session::entriesAdded, &loop, [&](const LogBatch& batch) {
            for (const LogEntry& e : batch) {
                if (e.kind != LogEntry::Kind::Text || e.dir != Direction::Receive)
                    continue;
                if (r.exact && e.payload != deflateBenchMessageText(int(r.received), size))
                    r.exact = false;
                if (++r.received == count)
                    r.ns = clock.nsecsElapsed();
            }
        });
        QTimer::singleShot(300000, &loop, &QEventLoop::quit);
        session.open();
        loop.exec();
    }
    QMetaObject::invokeMethod(
        pusher.get(), [&] { pusher.reset(); }, Qt::BlockingQueuedConnection);
    thread.quit();
    thread.wait();
    return r;
}

} // namespace

QJsonObject runDeflateScenario(int count, int rounds)
{
    constexpr int kSize = 1024;
    const QList<QByteArray> compressed = makeDeflateBenchMessages(count, kSize, 15);
    QJsonObject o { { u"scenario"_s, u"deflate"_s }, { u"messages"_s, count } };
    const Result<InflateBenchResult> inflate
        = runInflateBench(compressed, 15, false, 64 * 1024 * 1024, std::max(1, rounds));
    if (!inflate) {
        o[u"error"_s] = inflate.error().message;
        o[u"clean"_s] = false;
        return o;
    }
    const double ratio = inflate->ratio();
    o[u"compressed_bytes"_s] = double(inflate->compressedBytes);
    o[u"inflated_bytes"_s] = double(inflate->inflatedBytes);
    o[u"relay_inflate_ms"_s] = double(inflate->inflaterNs) / 1e6;
    o[u"bare_zlib_ms"_s] = double(inflate->bareZlibNs) / 1e6;
    o[u"inflate_ratio"_s] = std::round(ratio * 100) / 100;
    o[u"target_inflate_ratio"_s] = 1.5;
    o[u"meets_inflate_target"_s] = ratio <= 1.5;

    QList<QByteArray> plain;
    plain.reserve(count);
    for (int i = 0; i < count; ++i)
        plain.append(deflateBenchMessageText(i, kSize));
    // The whole receive tap (parsing, entries, and inflating when compressed), same run.
    const qint64 tapCompressed = tapNs(compressed, true);
    const qint64 tapPlain = tapNs(plain, false);
    o[u"tap_compressed_ms"_s] = double(tapCompressed) / 1e6;
    o[u"tap_uncompressed_ms"_s] = double(tapPlain) / 1e6;
    // Alternate, so that neither run always has the warmer machine.
    QList<double> compressedRates;
    QList<double> plainRates;
    bool clean = true;
    for (int round = 0; round < std::max(1, rounds); ++round) {
        for (const bool deflate : { true, false }) {
            const EndToEnd e = runEndToEnd(deflate ? compressed : plain, deflate, count, kSize);
            clean = clean && e.exact && e.received == count;
            (deflate ? compressedRates : plainRates).append(e.ns > 0 ? double(count) * 1e9 / double(e.ns) : 0.0);
        }
    }
    const auto median = [](QList<double> v) {
        std::sort(v.begin(), v.end());
        return v.isEmpty() ? 0.0 : v.at(v.size() / 2);
    };
    o[u"compressed_msgs_per_s"_s] = std::round(median(compressedRates));
    o[u"uncompressed_msgs_per_s"_s] = std::round(median(plainRates));
    o[u"all_runs_clean"_s] = clean;
    return o;
}

} // namespace wsi::bench
