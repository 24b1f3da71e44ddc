#include "singleinstance.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QLocalServer>
#include <QLocalSocket>
#include <QLockFile>
#include <QStandardPaths>
#include <QTimer>
#include <QtEndian>

#include <memory>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {

constexpr char RequestMagic[] = "WSI-LAUNCH-1";
constexpr char Accepted = 'A';
constexpr char Refused = 'R';

QByteArray frame(const QByteArray& payload)
{
    QByteArray out(4, Qt::Uninitialized);
    qToBigEndian(quint32(payload.size()), out.data());
    return out + payload;
}

// Takes one complete frame off the front of buffer; false while it is still incomplete.
bool takeFrame(QByteArray* buffer, QByteArray* payload)
{
    if (buffer->size() < 4)
        return false;
    const quint32 size = qFromBigEndian<quint32>(buffer->constData());
    if (buffer->size() - 4 < qsizetype(size))
        return false;
    *payload = buffer->mid(4, size);
    buffer->remove(0, 4 + size);
    return true;
}

quint32 frameSize(const QByteArray& buffer)
{
    return buffer.size() < 4 ? 0 : qFromBigEndian<quint32>(buffer.constData());
}

void appendField(QByteArray* out, const QString& text)
{
    const QByteArray utf8 = text.toUtf8();
    QByteArray size(4, Qt::Uninitialized);
    qToBigEndian(quint32(utf8.size()), size.data());
    *out += size + utf8;
}

// Reads frames off a blocking socket until one is complete.
bool readFrameBlocking(QLocalSocket* socket, QByteArray* payload, const QDeadlineTimer& deadline)
{
    QByteArray buffer;
    while (!takeFrame(&buffer, payload)) {
        if (frameSize(buffer) > SingleInstance::MaxRequestBytes)
            return false;
        if (!socket->bytesAvailable() && !socket->waitForReadyRead(int(std::max<qint64>(1, deadline.remainingTime()))))
            return false;
        buffer += socket->readAll();
    }
    return true;
}

} // namespace

SingleInstance::SingleInstance(const QString& socketPath, QObject* parent)
    : QObject(parent)
    , m_socketPath(socketPath)
{ }

SingleInstance::~SingleInstance() = default;

QString SingleInstance::defaultSocketPath()
{
    // The runtime folder is the user's own (0700); without XDG_RUNTIME_DIR the user id keeps
    // two users of one machine apart.
    if (!qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR"))
        return QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation) + u"/wsinspector.socket"_s;
    return QDir::tempPath() + u"/wsinspector-%1.socket"_s.arg(::getuid());
}

void SingleInstance::setHandler(Handler handler)
{
    m_handler = std::move(handler);
    const auto waiting = std::exchange(m_waiting, {});
    for (const auto& [client, request] : waiting) {
        if (client && client->state() == QLocalSocket::ConnectedState) // else it gave up and opened a window
            answer(client, request);
    }
}

QByteArray SingleInstance::encodeRequest(const LaunchRequest& request)
{
    QByteArray payload(RequestMagic);
    appendField(&payload, request.workingDirectory);
    for (const QString& arg : request.arguments)
        appendField(&payload, arg);
    return payload;
}

Result<LaunchRequest> SingleInstance::decodeRequest(const QByteArray& payload)
{
    const QByteArray magic(RequestMagic);
    if (!payload.startsWith(magic))
        return Error { tr("The request does not start with \"%1\".").arg(QString::fromLatin1(magic)), {} };
    QStringList fields;
    qsizetype pos = magic.size();
    while (pos < payload.size()) {
        if (payload.size() - pos < 4)
            return Error { tr("The request ends inside a field's length (byte %1).").arg(pos), {} };
        const quint32 size = qFromBigEndian<quint32>(payload.constData() + pos);
        pos += 4;
        if (qsizetype(size) > payload.size() - pos)
            return Error { tr("A field of the request claims a length of %1, but the request ends %n byte(s) later.",
                               nullptr, int(payload.size() - pos))
                               .arg(size),
                {} };
        fields.append(QString::fromUtf8(payload.constData() + pos, size));
        pos += size;
    }
    if (fields.isEmpty())
        return Error { tr("The request names no working folder."), {} };
    LaunchRequest request;
    request.workingDirectory = fields.takeFirst();
    request.arguments = fields;
    return request;
}

SingleInstance::Role SingleInstance::start(const LaunchRequest& request, bool handOver, int timeoutMs)
{
    m_notice.clear();
    // The lock makes "is a window listening? if not, listen" one step, so two launches at the
    // same moment end with one window, not two (or one that removed the other's socket).
    QLockFile lock(m_socketPath + u".lock"_s);
    lock.setStaleLockTime(0); // a lock whose process is gone is stale; a slow one is not
    if (!lock.tryLock(timeoutMs)) {
        m_notice = tr("Could not lock %1 within %2 ms: opening a window of its own.")
                       .arg(m_socketPath + u".lock"_s)
                       .arg(timeoutMs);
        return Role::Alone;
    }

    QLocalSocket socket;
    socket.connectToServer(m_socketPath);
    if (socket.waitForConnected(timeoutMs)) {
        if (handOver)
            return this->handOver(request, &socket, timeoutMs);
        socket.abort(); // --new-window: another window listens already and keeps doing so
        return Role::Alone;
    }
    if (socket.error() == QLocalSocket::SocketTimeoutError) {
        m_notice = tr("The running window (%1) did not answer within %2 ms: opening a window of its own.")
                       .arg(m_socketPath)
                       .arg(timeoutMs);
        return Role::Alone;
    }
    if (socket.error() == QLocalSocket::ConnectionRefusedError) {
        // The file is there but nobody listens: the window that made it is gone.
        m_notice = tr("Removed %1: the window that made it is no longer running.").arg(m_socketPath);
        QLocalServer::removeServer(m_socketPath);
    }
    return listen() ? Role::Primary : Role::Alone;
}

SingleInstance::Role SingleInstance::handOver(const LaunchRequest& request, QLocalSocket* socket, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    socket->write(frame(encodeRequest(request)));
    QByteArray reply;
    if (!socket->waitForBytesWritten(timeoutMs) || !readFrameBlocking(socket, &reply, deadline) || reply.isEmpty()) {
        // Better two windows than a lost address.
        m_notice = tr("The running window (%1) did not answer within %2 ms: opening a window of its own.")
                       .arg(m_socketPath)
                       .arg(timeoutMs);
        return Role::Alone;
    }
    if (reply.at(0) == Accepted)
        return Role::HandedOver;
    m_notice = QString::fromUtf8(reply.mid(1));
    return Role::Refused;
}

bool SingleInstance::listen()
{
    m_server = new QLocalServer(this);
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    m_server->setMaxPendingConnections(MaxPendingClients);
    if (!m_server->listen(m_socketPath)) {
        const QString why = tr("Cannot listen on %1 (%2): later launches open windows of their own.")
                                .arg(m_socketPath, m_server->errorString());
        m_notice = m_notice.isEmpty() ? why : m_notice + u' ' + why;
        delete m_server;
        m_server = nullptr;
        return false;
    }
    connect(m_server, &QLocalServer::newConnection, this, &SingleInstance::acceptClients);
    return true;
}

void SingleInstance::acceptClients()
{
    while (QLocalSocket* client = m_server->nextPendingConnection()) {
        client->setParent(this);
        if (findChildren<QLocalSocket*>(Qt::FindDirectChildrenOnly).size() > MaxPendingClients) {
            client->abort();
            client->deleteLater();
            continue;
        }
        // A client that never finishes its request is dropped rather than kept forever.
        auto* timer = new QTimer(client);
        timer->setSingleShot(true);
        connect(timer, &QTimer::timeout, client, [client] {
            client->abort();
            client->deleteLater();
        });
        timer->start(30000);
        auto pending = std::make_shared<QByteArray>();
        connect(
            client, &QLocalSocket::readyRead, this, [this, client, pending] { readRequest(client, pending.get()); });
        connect(client, &QLocalSocket::disconnected, client, &QObject::deleteLater);
        if (client->bytesAvailable())
            readRequest(client, pending.get());
    }
}

void SingleInstance::readRequest(QLocalSocket* client, QByteArray* pending)
{
    if (client->state() != QLocalSocket::ConnectedState)
        return;
    *pending += client->readAll();
    if (frameSize(*pending) > MaxRequestBytes) {
        client->abort();
        client->deleteLater();
        return;
    }
    QByteArray payload;
    if (!takeFrame(pending, &payload))
        return;
    client->disconnect(this); // one request per connection; the reply below ends it

    const Result<LaunchRequest> request = decodeRequest(payload);
    if (request && !m_handler) {
        m_waiting.append({ client, *request });
        return;
    }
    answer(client, request);
}

void SingleInstance::answer(QLocalSocket* client, const Result<LaunchRequest>& request)
{
    Result<void> result;
    if (!request) {
        result = request.error();
    } else {
        // Relative paths in the options are relative to the folder of the launch that sent them.
        const QString previous = QDir::currentPath();
        QDir::setCurrent(request->workingDirectory);
        result = m_handler(*request);
        QDir::setCurrent(previous);
    }
    const QByteArray reply = result ? QByteArray(1, Accepted) : QByteArray(1, Refused) + result.errorMessage().toUtf8();
    client->write(frame(reply));
    client->disconnectFromServer();
}

} // namespace wsi
