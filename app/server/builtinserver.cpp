#include "builtinserver.h"

#include <QMutex>
#include <QThread>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketServer>

using namespace Qt::StringLiterals;

namespace wsi {

BuiltinServer::BuiltinServer(QObject* parent)
    : QObject(parent)
    , m_server(new QWebSocketServer(u"wsinspector built-in server"_s, QWebSocketServer::NonSecureMode, this))
{
    connect(m_server, &QWebSocketServer::newConnection, this, &BuiltinServer::onNewConnection);
}

BuiltinServer::~BuiltinServer()
{
    close();
}

bool BuiltinServer::listen(quint16 port)
{
    return m_server->listen(QHostAddress::LocalHost, port);
}

void BuiltinServer::close()
{
    for (const auto& c : std::as_const(m_clients)) {
        if (c)
            c->abort();
    }
    m_server->close();
}

quint16 BuiltinServer::port() const
{
    return m_server->serverPort();
}

QString BuiltinServer::errorString() const
{
    return m_server->errorString();
}

QUrl BuiltinServer::url(const QString& path) const
{
    QUrl u;
    u.setScheme(u"ws"_s);
    u.setHost(u"127.0.0.1"_s);
    u.setPort(port());
    u.setPath(path.startsWith(u'/') ? path : u'/' + path);
    return u;
}

void BuiltinServer::onNewConnection()
{
    while (QWebSocket* socket = m_server->nextPendingConnection()) {
        socket->setParent(this);
        m_clients.append(socket);
        const QUrl requestUrl = socket->requestUrl();
        const QString path = requestUrl.path();
        connect(socket, &QWebSocket::disconnected, this, [this, socket] {
            m_clients.removeAll(socket);
            m_chatClients.removeAll(socket);
            socket->deleteLater();
        });
        if (path == u"/chat") {
            m_chatClients.append(socket);
            auto broadcastText = [this](const QString& text) {
                for (const auto& c : std::as_const(m_chatClients)) {
                    if (c)
                        c->sendTextMessage(text);
                }
            };
            auto broadcastBinary = [this](const QByteArray& data) {
                for (const auto& c : std::as_const(m_chatClients)) {
                    if (c)
                        c->sendBinaryMessage(data);
                }
            };
            connect(socket, &QWebSocket::textMessageReceived, this, broadcastText);
            connect(socket, &QWebSocket::binaryMessageReceived, this, broadcastBinary);
        } else if (path == u"/push") {
            startPush(socket, requestUrl);
        } else { // "/echo" and anything else: echo, the friendliest default for a teaching server
            connect(socket, &QWebSocket::textMessageReceived, socket,
                [socket](const QString& text) { socket->sendTextMessage(text); });
            connect(socket, &QWebSocket::binaryMessageReceived, socket,
                [socket](const QByteArray& data) { socket->sendBinaryMessage(data); });
        }
        Q_EMIT clientConnected(path);
    }
}

void BuiltinServer::startPush(QWebSocket* socket, const QUrl& requestUrl)
{
    const QUrlQuery query(requestUrl);
    bool ok = false;
    int interval = query.queryItemValue(u"interval"_s).toInt(&ok);
    if (!ok || interval < 0)
        interval = 1000;
    qint64 count = query.queryItemValue(u"count"_s).toLongLong(&ok);
    if (!ok || count <= 0)
        count = -1; // forever
    int size = query.queryItemValue(u"size"_s).toInt(&ok);
    if (!ok || size <= 0)
        size = 0;
    size = std::min(size, 16 * 1024 * 1024);

    auto* timer = new QTimer(socket);
    auto sent = std::make_shared<qint64>(0);
    // At interval 0 send in bursts so the event loop still gets to read and close.
    const int burst = interval == 0 ? 256 : 1;
    timer->setInterval(interval);
    // A client that reads slowly (an inspector whose window or disk is behind) slows the push down
    // instead of filling this process's memory: pause above kPushHighWater queued bytes, resume
    // once half of it is written.
    constexpr qint64 kPushHighWater = 1024 * 1024;
    connect(socket, &QWebSocket::bytesWritten, timer, [socket, timer, sent, count] {
        if (!timer->isActive() && (count < 0 || *sent < count) && socket->bytesToWrite() <= kPushHighWater / 2)
            timer->start();
    });
    connect(timer, &QTimer::timeout, socket, [socket, timer, sent, count, size, burst] {
        if (socket->bytesToWrite() > kPushHighWater) {
            timer->stop(); // restarted by bytesWritten
            return;
        }
        for (int i = 0; i < burst; ++i) {
            if (count >= 0 && *sent >= count) {
                timer->stop();
                return;
            }
            QString text = u"push #%1"_s.arg(++*sent);
            if (size > text.size())
                text += QString(size - text.size(), u'.');
            socket->sendTextMessage(text);
        }
    });
    timer->start();
}

namespace {
struct Registry
{
    QMutex mutex;
    QThread* thread = nullptr;
    BuiltinServer* server = nullptr;
    quint16 port = 0;
};
Registry& registry()
{
    static Registry r;
    return r;
}
} // namespace

bool BuiltinServers::isBuiltinUrl(const QString& url)
{
    return url.startsWith(u"builtin:"_s, Qt::CaseInsensitive);
}

QStringList BuiltinServers::modes()
{
    return { u"echo"_s, u"chat"_s, u"push"_s };
}

QUrl BuiltinServers::resolve(const QString& url, QString* errorMessage)
{
    const QString rest = url.mid(int(qstrlen("builtin:")));
    const qsizetype q = rest.indexOf(u'?');
    const QString mode = (q < 0 ? rest : rest.left(q)).toLower();
    const QString query = q < 0 ? QString() : rest.mid(q + 1);
    if (!modes().contains(mode)) {
        if (errorMessage)
            *errorMessage
                = QObject::tr("Unknown built-in server \"%1\": use builtin:echo, builtin:chat or builtin:push.")
                      .arg(mode);
        return {};
    }

    Registry& r = registry();
    QMutexLocker lock(&r.mutex);
    if (!r.server) {
        // Listens here, then moves (with its listening socket) into its own thread: no waiting on
        // another thread.
        auto* server = new BuiltinServer;
        if (!server->listen(0)) {
            const QString error = server->errorString();
            delete server;
            if (errorMessage)
                *errorMessage = QObject::tr("The built-in server could not listen on 127.0.0.1: %1").arg(error);
            return {};
        }
        r.port = server->port();
        auto* thread = new QThread;
        thread->setObjectName(u"wsi-builtin-server"_s);
        server->moveToThread(thread);
        // Deleted (and so closed) in its thread when the thread ends.
        QObject::connect(thread, &QThread::finished, server, &QObject::deleteLater);
        thread->start();
        r.thread = thread;
        r.server = server;
    }
    QUrl resolved;
    resolved.setScheme(u"ws"_s);
    resolved.setHost(u"127.0.0.1"_s);
    resolved.setPort(r.port);
    resolved.setPath(u'/' + mode);
    if (!query.isEmpty())
        resolved.setQuery(query);
    return resolved;
}

void BuiltinServers::shutdown()
{
    Registry& r = registry();
    QMutexLocker lock(&r.mutex);
    if (!r.thread)
        return;
    r.thread->quit(); // the server is deleted, and so closed, in its thread as it ends
    r.thread->wait();
    delete r.thread;
    r.thread = nullptr;
    r.server = nullptr;
    r.port = 0;
}

} // namespace wsi
