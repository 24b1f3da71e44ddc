#include "serverhost.h"

#include <QNetworkInterface>
#include <QThread>

using namespace Qt::StringLiterals;

namespace wsi {

ServerHost::ServerHost(QObject* parent)
    : QObject(parent)
{ }

ServerHost::~ServerHost()
{
    stop();
}

Result<void> ServerHost::start(const ListenOptions& options)
{
    stop();
    auto* server = new ClassroomServer;
    if (Result<void> listening = server->listen(options); !listening) {
        delete server;
        return listening;
    }
    m_options = options;
    m_port = server->port();
    m_base = server->localUrl(u"/"_s);
    connect(server, &ClassroomServer::event, this, &ServerHost::event);
    connect(server, &ClassroomServer::clientsChanged, this, &ServerHost::clientsChanged);
    m_thread = new QThread;
    m_thread->setObjectName(u"wsi-classroom-%1"_s.arg(m_port));
    server->moveToThread(m_thread);
    // Deleted (and so closed) in its own thread as the thread ends.
    connect(m_thread, &QThread::finished, server, &QObject::deleteLater);
    m_thread->start();
    m_server = server;
    Q_EMIT runningChanged(true);
    return {};
}

void ServerHost::stop()
{
    if (!m_thread)
        return;
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
    m_server = nullptr;
    m_port = 0;
    Q_EMIT clientsChanged({});
    Q_EMIT runningChanged(false);
}

QUrl ServerHost::localUrl(const QString& path, const QString& scheme) const
{
    QUrl u = m_base;
    u.setScheme(scheme);
    u.setPath(path);
    return u;
}

void ServerHost::disconnectClient(quint64 id)
{
    if (m_server)
        QMetaObject::invokeMethod(m_server, [server = m_server, id] { server->disconnectClient(id); });
}

QList<QUrl> studentUrls(const QHostAddress& listenAddress, quint16 port)
{
    QList<QHostAddress> addresses;
    const bool any = listenAddress == QHostAddress::Any || listenAddress == QHostAddress::AnyIPv4
        || listenAddress == QHostAddress::AnyIPv6;
    if (any) {
        for (const QHostAddress& a : QNetworkInterface::allAddresses()) {
            if (a.isLoopback() || a.isLinkLocal())
                continue;
            if (listenAddress == QHostAddress::AnyIPv4 && a.protocol() != QAbstractSocket::IPv4Protocol)
                continue;
            addresses.append(a);
        }
    } else if (!listenAddress.isLoopback()) {
        addresses.append(listenAddress);
    }
    std::stable_sort(addresses.begin(), addresses.end(), [](const QHostAddress& a, const QHostAddress& b) {
        return a.protocol() == QAbstractSocket::IPv4Protocol && b.protocol() != QAbstractSocket::IPv4Protocol;
    });
    QList<QUrl> urls;
    for (QHostAddress a : std::as_const(addresses)) {
        a.setScopeId(QString());
        QUrl u;
        u.setScheme(u"http"_s);
        u.setHost(a.toString());
        u.setPort(port);
        u.setPath(u"/"_s);
        urls.append(u);
    }
    return urls;
}

} // namespace wsi
