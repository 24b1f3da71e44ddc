#include "deflatebridge.h"

#include "deflate/incominginflater.h"
#include "deflate/outgoingdeflater.h"
#include "wire/framewriter.h"
#include "wire/wiretypes.h"

#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>
#include <QtEndian>

#include <utility>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <cstring>
#include <sys/socket.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace wsi {

namespace {

// Above this many bytes waiting for one side, the other side is not read (its socket's read buffer
// then fills, the kernel's too, and the sender slows down): memory stays bounded both ways.
constexpr qint64 kHighWater = 1024 * 1024;
constexpr qint64 kReadBuffer = 256 * 1024;
constexpr qsizetype kMaxHead = 64 * 1024;
constexpr int kLingerMs = 5000; // a closing client has this long to close its side

// Qt's end of the pair: reports the real client's address, so the client list shows who it is.
class BridgedSocket : public QTcpSocket
{
public:
    using QTcpSocket::QTcpSocket;
    void setPeer(const QHostAddress& address, quint16 port, const QHostAddress& local, quint16 localPort)
    {
        setPeerAddress(address);
        setPeerPort(port);
        setLocalAddress(local);
        setLocalPort(localPort);
    }
};

QByteArray closePayload(quint16 code, const QString& reason)
{
    QByteArray payload(2, '\0');
    qToBigEndian<quint16>(code, payload.data());
    payload += reason.toUtf8();
    return payload;
}

bool isExtensionsLine(QByteArrayView line)
{
    const qsizetype colon = line.indexOf(':');
    return colon > 0 && line.first(colon).trimmed().compare("Sec-WebSocket-Extensions", Qt::CaseInsensitive) == 0;
}

} // namespace

void DeflateBridge::FrameTracker::feed(QByteArrayView data)
{
    qsizetype at = 0;
    while (at < data.size()) {
        if (m_remaining > 0) {
            const qsizetype n = qsizetype(std::min<quint64>(m_remaining, quint64(data.size() - at)));
            m_remaining -= quint64(n);
            at += n;
            continue;
        }
        m_header += data.at(at++);
        if (m_header.size() < 2)
            continue;
        const uchar b1 = uchar(m_header.at(1));
        const int len7 = b1 & 0x7f;
        const int need = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + ((b1 & 0x80) ? 4 : 0);
        if (m_header.size() < need)
            continue;
        m_remaining = len7 == 126 ? qFromBigEndian<quint16>(m_header.constData() + 2)
            : len7 == 127         ? qFromBigEndian<quint64>(m_header.constData() + 2)
                                  : quint64(len7);
        if ((uchar(m_header.at(0)) & 0x0f) == OpClose)
            m_sawClose = true;
        m_header.clear();
    }
}

qsizetype DeflateBridge::FrameTracker::feedToBoundary(QByteArrayView data)
{
    qsizetype at = 0;
    while (at < data.size() && !atBoundary()) {
        const qsizetype n = m_remaining > 0 ? qsizetype(std::min<quint64>(m_remaining, quint64(data.size() - at))) : 1;
        feed(data.sliced(at, n));
        at += n;
    }
    return at;
}

void DeflateBridge::watch(QWebSocket* socket)
{
    // Qt's server-side QWebSocket sometimes closes its end of the pair with its close frame still
    // unwritten (seen with a flooding client); the client then gets the code from here instead.
    connect(socket, &QWebSocket::aboutToClose, this, [this, socket] {
        m_qtCloseCode = quint16(socket->closeCode());
        m_qtCloseReason = socket->closeReason();
    });
}

void DeflateBridge::writeToClient(const QByteArray& frames)
{
    if (m_clientClosed)
        return; // the client is gone: what Qt still writes has no reader
    m_toClient.feed(frames);
    m_client->write(frames);
}

DeflateBridge::DeflateBridge(
    QTcpSocket* client, const DeflateServerAnswer& answer, qint64 maxMessageBytes, QObject* parent)
    : QObject(parent)
    , m_client(client)
    , m_answer(answer)
    , m_maxMessageBytes(maxMessageBytes)
    , m_deflate(answer.accepted)
{
    m_client->setParent(this);
    const NegotiatedDeflate& n = m_answer.negotiated;
    m_inflater = std::make_unique<IncomingInflater>(
        m_deflate ? n.clientMaxWindowBits : 15, n.clientNoContextTakeover, maxMessageBytes, m_deflate);
    if (!m_deflate)
        return; // Qt's frames go to the client as Qt wrote them
    // What Qt sends is bounded by the server's own limits (an echo, a chat line with its name, a
    // push of at most maxPushSize); four times the message limit leaves room for all of them.
    m_deflater = std::make_unique<OutgoingDeflater>(n.serverMaxWindowBits, n.serverNoContextTakeover, true,
        quint64(std::max<qint64>(maxMessageBytes, 1024 * 1024)) * 4, Direction::Receive);
}

DeflateBridge::~DeflateBridge() = default;

QTcpSocket* DeflateBridge::start()
{
#ifdef Q_OS_UNIX
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
        m_error = tr("The server could not create a socket pair for compression: %1")
                      .arg(QString::fromLocal8Bit(std::strerror(errno)));
        return nullptr;
    }
    m_inner = new QTcpSocket(this);
    auto* qtSide = new BridgedSocket;
    const bool innerAdopted = m_inner->setSocketDescriptor(fds[0]);
    if (!innerAdopted || !qtSide->setSocketDescriptor(fds[1])) {
        m_error = tr("The server could not use a socket pair for compression: %1")
                      .arg(innerAdopted ? qtSide->errorString() : m_inner->errorString());
        delete qtSide;
        delete m_inner; // closes fds[0] if it adopted it: closing that number again could hit another thread's
        m_inner = nullptr;
        if (!innerAdopted)
            ::close(fds[0]);
        ::close(fds[1]); // qtSide never adopted it (the second call failed, or was not made)
        return nullptr;
    }
    qtSide->setPeer(m_client->peerAddress(), m_client->peerPort(), m_client->localAddress(), m_client->localPort());
    m_qt = qtSide;
#else
    m_error = tr("Compression in the built-in server needs a Unix socket pair.");
    return nullptr;
#endif
    m_client->setReadBufferSize(kReadBuffer);
    m_inner->setReadBufferSize(kReadBuffer);
    connect(m_client, &QTcpSocket::readyRead, this, &DeflateBridge::onClientData);
    connect(m_inner, &QTcpSocket::bytesWritten, this, &DeflateBridge::onClientData);
    connect(m_inner, &QTcpSocket::readyRead, this, &DeflateBridge::onQtData);
    connect(m_client, &QTcpSocket::bytesWritten, this, &DeflateBridge::onQtData);
    connect(m_client, &QTcpSocket::disconnected, this, [this] {
        // The client is gone: what it sent last (up to a read buffer's worth, its close frame among
        // it) still goes to Qt, then Qt's side sees the end of its connection too. Before Qt's
        // answer those bytes must wait for it (onQtData finishes then).
        m_clientClosed = true;
        if (m_requestSent && !m_responseDone && !m_failed)
            return;
        finishClientGone();
    });
    connect(m_inner, &QAbstractSocket::errorOccurred, this, [this] {
        if (m_inner->socketDescriptor() >= 0)
            salvageFromQt();
    });
    connect(m_inner, &QTcpSocket::disconnected, this, [this] {
        m_qtClosed = true;
        onQtData(); // what Qt wrote last (its close frame)
        if (m_upgraded && !m_failed && !m_clientClosed && m_qtCloseCode != 0 && !m_toClient.sawClose()
            && m_toClient.atBoundary()) {
            QByteArray close;
            FrameWriter::append(close, OpClose, true, 0, closePayload(m_qtCloseCode, m_qtCloseReason), false);
            writeToClient(close);
        }
        closeClient();
        maybeFinish();
    });
    onClientData(); // the request head is already here
    return qtSide;
}

void DeflateBridge::finishClientGone()
{
    onClientData();
    m_inner->disconnectFromHost(); // after what is queued for Qt
    maybeFinish();
}

void DeflateBridge::abort()
{
    // Teardown (the server stops, or Qt's answer is no HTTP head): nothing is passed on any more.
    // abort() emits disconnected() at once, and the handlers would forward and close gracefully:
    // the client's would disconnect Qt's end, whose handler then wrote Qt's close frame to the client
    // socket just closed here ("QIODevice::write (QTcpSocket): device not open").
    m_client->disconnect(this);
    if (m_inner)
        m_inner->disconnect(this);
    m_client->abort();
    if (m_inner)
        m_inner->abort();
    maybeFinish();
}

void DeflateBridge::maybeFinish()
{
    if (m_client->state() == QAbstractSocket::UnconnectedState
        && (!m_inner || m_inner->state() == QAbstractSocket::UnconnectedState))
        deleteLater();
}

QByteArray DeflateBridge::stripExtensions(const QByteArray& head)
{
    QByteArray out;
    out.reserve(head.size());
    qsizetype pos = 0;
    while (pos < head.size()) {
        qsizetype end = head.indexOf("\r\n", pos);
        end = end < 0 ? head.size() : end + 2;
        const QByteArrayView line = QByteArrayView(head).sliced(pos, end - pos);
        if (!isExtensionsLine(line))
            out += line;
        pos = end;
    }
    return out;
}

QByteArray DeflateBridge::addExtension(const QByteArray& head, const QByteArray& value)
{
    if (!head.startsWith("HTTP/1.1 101") || !head.endsWith("\r\n\r\n"))
        return head;
    QByteArray out = head;
    out.insert(out.size() - 2, "Sec-WebSocket-Extensions: " + value + "\r\n");
    return out;
}

QByteArray DeflateBridge::readFromQt(qint64 max)
{
    if (m_qtTail.isEmpty())
        return m_inner->read(max);
    const QByteArray data = m_qtTail.left(max);
    m_qtTail.remove(0, data.size());
    return data;
}

void DeflateBridge::salvageFromQt()
{
    // Qt closed its end while we still wrote to it (a flooding client): the socket aborts right
    // after this error and would drop what Qt wrote last, its close frame. Take it now.
    m_qtTail += m_inner->readAll();
#ifdef Q_OS_UNIX
    char buffer[64 * 1024];
    for (;;) {
        const ssize_t n = ::recv(int(m_inner->socketDescriptor()), buffer, sizeof buffer, MSG_DONTWAIT);
        if (n <= 0 || m_qtTail.size() > kHighWater * 4)
            break;
        m_qtTail.append(buffer, qsizetype(n));
    }
#endif
}

void DeflateBridge::closeClient()
{
    // Closing a TCP socket with unread bytes makes the kernel send RST and drop what it has not
    // sent yet, the close frame included; a flooding client would then see no close code. So: the
    // rest goes out, then FIN (shutdown of our sending side), and what the client still sends is
    // read and dropped until it closes too (it does after the close frame) or kLingerMs pass.
    if (m_closingClient)
        return;
    m_closingClient = true;
    connect(m_client, &QTcpSocket::bytesWritten, this, &DeflateBridge::finishClientClose);
    auto* linger = new QTimer(this);
    linger->setSingleShot(true);
    connect(linger, &QTimer::timeout, m_client, &QTcpSocket::abort);
    linger->start(kLingerMs);
    finishClientClose();
}

void DeflateBridge::finishClientClose()
{
    if (m_client->isOpen())
        m_client->readAll();
    if (m_clientShutDown || m_client->bytesToWrite() > 0 || m_client->state() != QAbstractSocket::ConnectedState)
        return;
    m_clientShutDown = true;
#ifdef Q_OS_UNIX
    if (::shutdown(int(m_client->socketDescriptor()), SHUT_WR) == 0)
        return;
#endif
    m_client->disconnectFromHost();
}

void DeflateBridge::onClientData()
{
    if (m_closingClient) {
        if (m_client->isOpen())
            m_client->readAll(); // dropped: the connection is closing
        return;
    }
    if (m_failed || !m_inner)
        return;
    if (!m_requestSent) {
        const QByteArray peek = m_client->peek(kMaxHead);
        const qsizetype end = peek.indexOf("\r\n\r\n");
        if (end < 0)
            return; // the classroom server only hands over complete heads; wait for the rest
        m_client->read(end + 4);
        m_inner->write(m_deflate ? stripExtensions(peek.left(end + 4)) : peek.left(end + 4));
        m_requestSent = true;
    }
    // Frames wait for Qt's answer: Qt's handshake reader takes what follows the head with it, and a
    // refused upgrade must not get them inflated.
    if (!m_responseDone)
        return;
    while (m_client->bytesAvailable() > 0 && (m_clientClosed || m_inner->bytesToWrite() < kHighWater)) {
        const QByteArray data = m_client->read(64 * 1024);
        if (!m_upgraded) {
            m_inner->write(data);
            continue;
        }
        Result<QByteArray> forQt = m_inflater->feed(data);
        if (!forQt) {
            m_inner->write(m_inflater->takeBeforeFault()); // the good frames ahead of the fault
            fail(m_inflater->closeCode(), m_inflater->closeReason(), forQt.error().message);
            return;
        }
        if (!forQt->isEmpty())
            m_inner->write(*forQt);
    }
}

void DeflateBridge::onQtData()
{
    if (!m_inner)
        return;
    if (m_failed) {
        // fail() came while one of Qt's frames was partly passed on: its rest goes first, then the
        // close frame, which would otherwise be read as that frame's payload. A client gone
        // meanwhile reads neither.
        if (m_clientClosed)
            m_pendingClose.clear();
        while (!m_pendingClose.isEmpty() && (!m_qtTail.isEmpty() || m_inner->bytesAvailable() > 0)
            && (m_qtClosed || m_client->bytesToWrite() < kHighWater)) {
            const QByteArray data = readFromQt(64 * 1024);
            m_client->write(data.left(m_toClient.feedToBoundary(data)));
            if (m_toClient.atBoundary())
                sendPendingClose();
        }
        if (m_pendingClose.isEmpty()) {
            m_inner->readAll(); // Qt's answer to our close: the client already has one
            m_qtTail.clear();
        }
        return;
    }
    while ((!m_qtTail.isEmpty() || m_inner->bytesAvailable() > 0)
        && (m_qtClosed || m_client->bytesToWrite() < kHighWater)) {
        if (!m_responseDone) {
            m_responseHead += readFromQt(kMaxHead);
            const qsizetype end = m_responseHead.indexOf("\r\n\r\n");
            if (end < 0) {
                if (m_responseHead.size() > kMaxHead)
                    abort();
                return;
            }
            const QByteArray rest = m_responseHead.mid(end + 4);
            const QByteArray head = m_responseHead.left(end + 4);
            m_responseHead.clear();
            m_responseDone = true;
            m_upgraded = head.startsWith("HTTP/1.1 101");
            if (!m_clientClosed)
                m_client->write(m_upgraded && m_deflate ? addExtension(head, m_answer.responseValue) : head);
            if (m_clientClosed) // the client left before the answer: what it sent goes to Qt now
                QMetaObject::invokeMethod(this, &DeflateBridge::finishClientGone, Qt::QueuedConnection);
            else if (m_client->bytesAvailable() > 0) // frames the client sent before the 101
                QMetaObject::invokeMethod(this, &DeflateBridge::onClientData, Qt::QueuedConnection);
            if (!rest.isEmpty()) {
                if (!m_upgraded || !m_deflate) {
                    writeToClient(rest);
                    continue;
                }
                Result<QByteArray> forClient = m_deflater->feed(rest);
                if (!forClient) {
                    fail(1011, tr("Compressing a message failed"), forClient.error().message);
                    return;
                }
                writeToClient(*forClient);
            }
            continue;
        }
        const QByteArray data = readFromQt(64 * 1024);
        if (!m_upgraded || !m_deflate) { // a refusal (400), or no extension: passed on as it is
            if (m_upgraded)
                writeToClient(data);
            else if (!m_clientClosed)
                m_client->write(data);
            continue;
        }
        Result<QByteArray> forClient = m_deflater->feed(data);
        if (!forClient) {
            fail(1011, tr("Compressing a message failed"), forClient.error().message);
            return;
        }
        if (!forClient->isEmpty())
            writeToClient(*forClient);
    }
}

void DeflateBridge::sendPendingClose()
{
    writeToClient(std::exchange(m_pendingClose, QByteArray()));
    closeClient();
}

void DeflateBridge::fail(quint16 code, const QString& reason, const QString& message)
{
    if (m_failed)
        return;
    m_failed = true;
    const QByteArray payload = closePayload(code, IncomingInflater::closeReasonText(reason));
    QByteArray toClient;
    FrameWriter::append(toClient, OpClose, true, 0, payload, false);
    if (m_upgraded && !m_toClient.atBoundary()) {
        // Part of one of Qt's frames is already with the client (plain pass-through reads end
        // anywhere): the close frame waits for its end (onQtData), at most kLingerMs.
        m_pendingClose = toClient;
        QTimer::singleShot(kLingerMs, this, [this] {
            m_pendingClose.clear();
            closeClient();
        });
    } else {
        if (m_upgraded)
            writeToClient(toClient);
        closeClient();
    }
    // Qt hears the same close as if the client had sent it, so the client list and the terminal
    // show code and reason.
    QByteArray toQt;
    FrameWriter::append(toQt, OpClose, true, 0, payload, true, 0);
    m_inner->write(toQt);
    Q_EMIT failed(code, message);
}

} // namespace wsi
