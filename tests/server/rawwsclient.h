#pragma once

// A WebSocket client written by hand for the built-in server's tests, so that a test sees the 101
// and every frame's bits and can send what Qt's client never would (split characters, RSV1).
#include "server/classroomserver.h"
#include "wire/frameparser.h"
#include "wire/framewriter.h"

#include <QDeadlineTimer>
#include <QHostAddress>
#include <QSignalSpy>
#include <QTcpSocket>

#include <optional>

namespace {

// The built-in server on an ephemeral loopback port with a 256 KiB message limit and no practical
// rate limit, as the raw-client tests use it; nullptr when it cannot listen.
inline wsi::ClassroomServer* startRawTestServer()
{
    auto* server = new wsi::ClassroomServer;
    wsi::ListenOptions options;
    options.port = 0;
    options.limits.maxMessageBytes = 256 * 1024;
    options.limits.messagesPerSecond = 100000;
    options.limits.messageBurst = 100000;
    if (!server->listen(options)) {
        delete server;
        return nullptr;
    }
    return server;
}

using wsi::Direction;
using wsi::FrameParser;
using wsi::FrameWriter;
using wsi::ParsedFrame;

// A WebSocket client written by hand, so that the test sees the 101 and every frame's bits.
class RawClient final
{
public:
    RawClient(quint16 port, const QByteArray& target, const QByteArray& extensions)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        QByteArray head = "GET " + target
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";
        if (!extensions.isNull())
            head += "Sec-WebSocket-Extensions: " + extensions + "\r\n";
        m_socket.write(head + "\r\n");
    }
    // The response head, once complete (empty on timeout).
    QByteArray response()
    {
        QSignalSpy spy(&m_socket, &QTcpSocket::readyRead);
        QDeadlineTimer deadline(10000);
        while (m_head.isEmpty() && !deadline.hasExpired()) {
            m_buffer += m_socket.readAll();
            const qsizetype end = m_buffer.indexOf("\r\n\r\n");
            if (end >= 0) {
                m_head = m_buffer.left(end + 4);
                m_buffer.remove(0, end + 4);
                break;
            }
            spy.wait(100);
        }
        return m_head;
    }
    QByteArray extensionsHeader()
    {
        for (const QByteArray& line : response().split('\n')) {
            if (line.toLower().startsWith("sec-websocket-extensions:"))
                return line.mid(25).trimmed();
        }
        return {};
    }
    void send(quint8 opcode, const QByteArray& payload, quint8 rsv, bool fin = true)
    {
        QByteArray out;
        FrameWriter::append(out, opcode, fin, rsv, payload, true, FrameWriter::randomMaskKey());
        m_socket.write(out);
    }
    // The next frame from the server (nullopt on timeout).
    std::optional<ParsedFrame> frame()
    {
        response();
        QSignalSpy spy(&m_socket, &QTcpSocket::readyRead);
        QDeadlineTimer deadline(10000);
        while (m_frames.isEmpty() && !deadline.hasExpired()) {
            m_buffer += m_socket.readAll();
            m_parser.feed(m_buffer, m_frames);
            m_buffer.clear();
            if (m_frames.isEmpty())
                spy.wait(100);
        }
        if (m_frames.isEmpty())
            return std::nullopt;
        return m_frames.takeFirst();
    }
    QTcpSocket& socket() { return m_socket; }

private:
    QTcpSocket m_socket;
    QByteArray m_buffer;
    QByteArray m_head;
    FrameParser m_parser { Direction::Receive, 64 * 1024 * 1024 };
    QList<ParsedFrame> m_frames;
};

} // namespace
