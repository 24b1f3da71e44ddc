// wsinspector-sender: an outside WebSocket server for the benchmarks. A separate process with plain
// POSIX sockets that answers the opening handshake and then writes numbered, unmasked text frames
// as fast as loopback takes them, so that the client under test is always the limit.
//
//   wsinspector-sender [--count N] [--size BYTES] [--port P] [--connections K]
//
// Prints "PORT <n>" once listening on 127.0.0.1, then serves one connection after another (K of
// them, 0 = until killed). A request target may override the defaults: /?count=N&size=BYTES.
// Each connection: handshake, N messages "push #000000001 ...." (bench/pushmessage.h), a close
// frame 1000, then it waits for the client's close frame (or EOF) and prints one line
//   DONE {"count":N,"size":B,"bytes":...,"open_ns":...,"written_ns":...,"close_ns":...,
//         "cpu_ms":...,"client_close":1000,"error":""}
// with CLOCK_MONOTONIC times (open = 101 response written), so a parent can time a child client
// from the moment the stream started, without its process start-up.
#include "pushmessage.h"

#include <QByteArray>
#include <QCryptographicHash>
#include <QList>
#include <QStringBuilder>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

using namespace wsi::bench;

namespace {

constexpr qint64 kChunkBytes = 2 * 1024 * 1024; // one write() call
constexpr int kMaxHeadBytes = 16 * 1024;
constexpr int kHeadTimeoutMs = 10000;

qint64 monotonicNs()
{
    timespec t {};
    clock_gettime(CLOCK_MONOTONIC, &t);
    return qint64(t.tv_sec) * 1000000000 + t.tv_nsec;
}

double cpuMs()
{
    timespec t {};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

struct Settings
{
    qint64 count = 1000000;
    int size = 100;
    int port = 0;
    int connections = 0;
    int closeTimeoutMs = 600000;
};

struct Outcome
{
    qint64 count = 0;
    int size = 0;
    qint64 bytes = 0; // frame bytes written, close frame included
    qint64 openNs = 0;
    qint64 writtenNs = 0;
    qint64 closeNs = 0;
    double cpuMs = 0;
    int clientClose = -1; // the client's close code; -1: no close frame (EOF, error, timeout)
    std::string error;
};

bool writeAll(int fd, const char* data, qint64 size, std::string* error)
{
    while (size > 0) {
        const ssize_t n = ::send(fd, data, size_t(size), MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            *error = std::string("write: ") + std::strerror(errno);
            return false;
        }
        data += n;
        size -= n;
    }
    return true;
}

// Reads until the end of the request head; false on EOF, timeout, error or an oversized head.
bool readHead(int fd, QByteArray* head, std::string* error)
{
    char buf[4096];
    while (!head->contains("\r\n\r\n")) {
        if (head->size() > kMaxHeadBytes) {
            *error = "request head larger than 16 KiB";
            return false;
        }
        pollfd p { fd, POLLIN, 0 };
        const int r = ::poll(&p, 1, kHeadTimeoutMs);
        if (r == 0) {
            *error = "no request head within 10 s";
            return false;
        }
        if (r < 0 && errno == EINTR)
            continue;
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) {
            *error = n == 0 ? "client closed before its request head ended" : std::strerror(errno);
            return false;
        }
        head->append(buf, n);
    }
    return true;
}

QByteArray headerValue(const QByteArray& head, const QByteArray& name)
{
    const QList<QByteArray> lines = head.left(head.indexOf("\r\n\r\n")).split('\n');
    for (QByteArray line : lines) {
        line = line.trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
            return line.mid(colon + 1).trimmed();
    }
    return {};
}

// "?count=N&size=B" in the request target overrides the defaults.
void applyQuery(const QByteArray& head, qint64* count, int* size)
{
    const QByteArray requestLine = head.left(head.indexOf("\r\n"));
    const QList<QByteArray> parts = requestLine.split(' ');
    if (parts.size() < 2)
        return;
    const qsizetype q = parts.at(1).indexOf('?');
    if (q < 0)
        return;
    for (const QByteArray& kv : parts.at(1).mid(q + 1).split('&')) {
        bool ok = false;
        if (kv.startsWith("count=")) {
            const qint64 v = kv.mid(6).toLongLong(&ok);
            if (ok && v >= 0)
                *count = v;
        } else if (kv.startsWith("size=")) {
            const int v = kv.mid(5).toInt(&ok);
            if (ok)
                *size = v;
        }
    }
}

QByteArray frameHeader(qint64 length)
{
    QByteArray h;
    h.append(char(0x81)); // FIN, text
    if (length < 126) {
        h.append(char(length));
    } else if (length <= 0xFFFF) {
        h.append(char(126));
        h.append(char(length >> 8));
        h.append(char(length & 0xFF));
    } else {
        h.append(char(127));
        for (int i = 7; i >= 0; --i)
            h.append(char((length >> (8 * i)) & 0xFF));
    }
    return h;
}

// Waits for the client's close frame (masked, as every client frame) and returns its code, or
// -1 on EOF, error or timeout. Other client frames are skipped.
int awaitClientClose(int fd, int timeoutMs, std::string* error)
{
    QByteArray buf;
    const qint64 deadline = monotonicNs() + qint64(timeoutMs) * 1000000;
    char tmp[65536];
    for (;;) {
        // Parse what we have.
        while (buf.size() >= 2) {
            const auto b0 = uchar(buf.at(0));
            const auto b1 = uchar(buf.at(1));
            qint64 len = b1 & 0x7F;
            qsizetype pos = 2;
            if (len == 126) {
                if (buf.size() < 4)
                    break;
                len = (qint64(uchar(buf.at(2))) << 8) | uchar(buf.at(3));
                pos = 4;
            } else if (len == 127) {
                if (buf.size() < 10)
                    break;
                len = 0;
                for (int i = 0; i < 8; ++i)
                    len = (len << 8) | uchar(buf.at(2 + i));
                pos = 10;
            }
            const bool masked = b1 & 0x80;
            const qsizetype total = pos + (masked ? 4 : 0) + len;
            if (len > 1 << 20) {
                *error = "client frame larger than 1 MiB";
                return -1;
            }
            if (buf.size() < total)
                break;
            if ((b0 & 0x0F) == 0x8) {
                if (len < 2)
                    return 1005; // no status code
                uchar code[2] = { uchar(buf.at(pos + (masked ? 4 : 0))), uchar(buf.at(pos + (masked ? 5 : 1))) };
                if (masked) {
                    code[0] ^= uchar(buf.at(pos));
                    code[1] ^= uchar(buf.at(pos + 1));
                }
                return (code[0] << 8) | code[1];
            }
            buf.remove(0, total);
        }
        const qint64 left = (deadline - monotonicNs()) / 1000000;
        if (left <= 0) {
            *error = "no close frame from the client in time";
            return -1;
        }
        pollfd p { fd, POLLIN, 0 };
        const int r = ::poll(&p, 1, int(std::min<qint64>(left, 1000)));
        if (r < 0 && errno != EINTR) {
            *error = std::string("poll: ") + std::strerror(errno);
            return -1;
        }
        if (r <= 0)
            continue;
        const ssize_t n = ::recv(fd, tmp, sizeof tmp, 0);
        if (n == 0)
            return -1; // EOF without a close frame (a client that aborted)
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno != ECONNRESET)
                *error = std::string("read: ") + std::strerror(errno);
            return -1;
        }
        buf.append(tmp, n);
    }
}

// Frames of one message size, built once: between writes only the numbers change.
struct Chunk
{
    int size = 0;
    qint64 headerBytes = 0;
    qint64 frameBytes = 0;
    qint64 frames = 0;
    QByteArray bytes; // frames * frameBytes, plus room for the close frame
};

const char kCloseFrame[] = { char(0x88), 0x02, 0x03, char(0xE8) }; // 1000

Chunk buildChunk(int size)
{
    Chunk c;
    c.size = size;
    const QByteArray header = frameHeader(size);
    const QByteArray sample = pushMessage(1, size);
    c.headerBytes = header.size();
    c.frameBytes = header.size() + sample.size();
    c.frames = std::max<qint64>(1, kChunkBytes / c.frameBytes);
    c.bytes.reserve(c.frames * c.frameBytes + qsizetype(sizeof kCloseFrame));
    for (qint64 i = 0; i < c.frames; ++i)
        c.bytes.append(header).append(sample);
    c.bytes.append(kCloseFrame, sizeof kCloseFrame);
    return c;
}

Outcome serve(int fd, const Settings& settings, Chunk* chunk)
{
    Outcome o;
    o.count = settings.count;
    o.size = settings.size;
    QByteArray head;
    if (!readHead(fd, &head, &o.error))
        return o;
    applyQuery(head, &o.count, &o.size);
    const QByteArray key = headerValue(head, "Sec-WebSocket-Key");
    std::string refusal;
    if (!head.startsWith("GET "))
        refusal = "only GET upgrades are served";
    else if (key.isEmpty())
        refusal = "no Sec-WebSocket-Key header";
    else if (o.size < kPushMinSize || o.size > kPushMaxSize)
        refusal = "size must be between 16 bytes and 16 MiB";
    if (!refusal.empty()) {
        const std::string body = refusal + "\n";
        const std::string response = "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: "
            + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
        std::string ignored;
        writeAll(fd, response.data(), qint64(response.size()), &ignored);
        o.error = refusal;
        return o;
    }
    if (chunk->size != o.size) // a size other than --size (?size=): build its frames before answering
        *chunk = buildChunk(o.size);

    const QByteArray accept
        = QCryptographicHash::hash(QByteArray(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"), QCryptographicHash::Sha1)
              .toBase64();
    const QByteArray response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                "Sec-WebSocket-Accept: "
        + accept + "\r\n\r\n";
    const double cpuStart = cpuMs();
    if (!writeAll(fd, response.constData(), response.size(), &o.error))
        return o;
    o.openNs = monotonicNs();

    // The close frame leaves in the same (blocking) write as the last messages, so a client that
    // stops at the last message never makes this write fail.
    char* data = chunk->bytes.data();
    qint64 sent = 0;
    do {
        const qint64 n = std::min(chunk->frames, o.count - sent);
        for (qint64 i = 0; i < n; ++i)
            writePushNumber(data + i * chunk->frameBytes + chunk->headerBytes, sent + i + 1);
        const bool last = sent + n == o.count;
        const qint64 bytes = n * chunk->frameBytes + (last ? qint64(sizeof kCloseFrame) : 0);
        char saved[sizeof kCloseFrame];
        if (last) { // borrow the bytes after the last frame for the close frame, give them back after
            std::memcpy(saved, data + n * chunk->frameBytes, sizeof saved);
            std::memcpy(data + n * chunk->frameBytes, kCloseFrame, sizeof kCloseFrame);
        }
        const bool written = writeAll(fd, data, bytes, &o.error);
        if (last)
            std::memcpy(data + n * chunk->frameBytes, saved, sizeof saved);
        if (!written)
            return o;
        sent += n;
        o.bytes += bytes;
    } while (sent < o.count);
    o.writtenNs = monotonicNs();
    o.cpuMs = cpuMs() - cpuStart;
    o.clientClose = awaitClientClose(fd, settings.closeTimeoutMs, &o.error);
    o.closeNs = monotonicNs();
    return o;
}

std::string jsonEscape(const std::string& s)
{
    std::string r;
    for (const char c : s) {
        if (c == '"' || c == '\\')
            r += '\\';
        if (uchar(c) >= 0x20)
            r += c;
    }
    return r;
}

int usage(const char* message)
{
    std::fprintf(stderr,
        "wsinspector-sender: %s\n"
        "usage: wsinspector-sender [--count N] [--size BYTES] [--port P] [--connections K] [--close-timeout-ms MS]\n",
        message);
    return 2;
}

} // namespace

int main(int argc, char** argv)
{
    std::signal(SIGPIPE, SIG_IGN);
    Settings settings;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (i + 1 >= argc)
            return usage(("missing value after " + arg).c_str());
        char* end = nullptr;
        const long long v = std::strtoll(argv[++i], &end, 10);
        if (!end || *end || v < 0)
            return usage(("not a number: " + std::string(argv[i])).c_str());
        if (arg == "--count")
            settings.count = v;
        else if (arg == "--size")
            settings.size = int(std::min<long long>(v, kPushMaxSize + 1));
        else if (arg == "--port" && v <= 65535)
            settings.port = int(v);
        else if (arg == "--connections")
            settings.connections = int(std::min<long long>(v, 1 << 30));
        else if (arg == "--close-timeout-ms")
            settings.closeTimeoutMs = int(std::min<long long>(v, 1 << 30));
        else
            return usage(("unknown option or value: " + arg).c_str());
    }
    if (settings.size < kPushMinSize || settings.size > kPushMaxSize)
        return usage("--size must be between 16 and 16777216");

    const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int one = 1;
    ::setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr {};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(quint16(settings.port));
    socklen_t len = sizeof addr;
    if (listener < 0 || ::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0
        || ::listen(listener, 16) != 0 || ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        std::fprintf(
            stderr, "wsinspector-sender: cannot listen on 127.0.0.1:%d: %s\n", settings.port, std::strerror(errno));
        return 1;
    }
    std::printf("PORT %d\n", ntohs(addr.sin_port));
    std::fflush(stdout);

    // Built before the first accept: the frames of --size (another ?size= builds its own).
    Chunk chunk = buildChunk(settings.size);
    for (int served = 0; settings.connections == 0 || served < settings.connections; ++served) {
        const int fd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR)
                continue;
            std::fprintf(stderr, "wsinspector-sender: accept: %s\n", std::strerror(errno));
            return 1;
        }
        const Outcome o = serve(fd, settings, &chunk);
        ::shutdown(fd, SHUT_RDWR);
        ::close(fd);
        std::printf("DONE {\"count\":%lld,\"size\":%d,\"bytes\":%lld,\"open_ns\":%lld,\"written_ns\":%lld,"
                    "\"close_ns\":%lld,\"cpu_ms\":%.3f,\"client_close\":%d,\"error\":\"%s\"}\n",
            o.count, o.size, o.bytes, o.openNs, o.writtenNs, o.closeNs, o.cpuMs, o.clientClose,
            jsonEscape(o.error).c_str());
        std::fflush(stdout);
    }
    ::close(listener);
    return 0;
}
