#include "builtinserver.h"

#include "server/classroomserver.h"

#include <QMutex>
#include <QThread>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {
struct Registry
{
    QMutex mutex;
    QThread* thread = nullptr;
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
    QString query = q < 0 ? QString() : rest.mid(q + 1);
    if (!modes().contains(mode)) {
        if (errorMessage)
            *errorMessage
                = QObject::tr("Unknown built-in server \"%1\": use builtin:echo, builtin:chat or builtin:push.")
                      .arg(mode);
        return {};
    }

    Registry& r = registry();
    QMutexLocker lock(&r.mutex);
    if (!r.thread) {
        // Listens here, then moves (with its listening socket) into its own thread: no waiting on
        // another thread. The built-in server has no client limit a test or a flood could reach.
        auto* server = new ClassroomServer;
        ListenOptions options;
        options.port = 0;
        options.limits.maxClients = 10000;
        options.limits.messagesPerSecond = 1000000;
        options.limits.messageBurst = 1000000;
        options.limits.maxMessageBytes = 64 * 1024 * 1024;
        options.limits.maxPushSize = 16 * 1024 * 1024;
        options.limits.maxQueuedBytes = 256 * 1024 * 1024;
        if (const Result<void> listening = server->listen(options); !listening) {
            delete server;
            if (errorMessage)
                *errorMessage = QObject::tr("The built-in server could not listen on 127.0.0.1: %1")
                                    .arg(listening.error().details);
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
    }
    if (mode == u"push" && !QUrlQuery(query).hasQueryItem(u"format"_s))
        query += (query.isEmpty() ? u""_s : u"&"_s) + u"format=counter"_s;
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
    r.port = 0;
}

} // namespace wsi
