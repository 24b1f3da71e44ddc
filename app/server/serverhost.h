#pragma once

#include "server/classroomserver.h"

#include <QObject>

class QThread;

namespace wsi {

// Runs one ClassroomServer in a thread of its own, so that a flooding client never competes with
// the window for its thread. Listening happens here (a clear error right away); everything after
// that reaches the server as queued calls and comes back as queued signals.
class ServerHost : public QObject
{
    Q_OBJECT
public:
    explicit ServerHost(QObject* parent = nullptr);
    ~ServerHost() override;

    Result<void> start(const ListenOptions& options);
    void stop();
    bool isRunning() const { return m_thread != nullptr; }
    const ListenOptions& options() const { return m_options; }
    quint16 port() const { return m_port; }
    QUrl localUrl(const QString& path, const QString& scheme = QStringLiteral("ws")) const;
    void disconnectClient(quint64 id);

Q_SIGNALS:
    void event(const wsi::ServerEvent& event);
    void clientsChanged(const QList<wsi::ServerClient>& clients);
    void runningChanged(bool running);

private:
    ListenOptions m_options;
    QThread* m_thread = nullptr;
    ClassroomServer* m_server = nullptr; // lives in m_thread
    quint16 m_port = 0;
    QUrl m_base;
};

// The addresses students can type: every non-loopback address of this machine that the listen
// address covers (http://IP:PORT/), IPv4 first. Empty for a loopback-only server.
QList<QUrl> studentUrls(const QHostAddress& listenAddress, quint16 port);

} // namespace wsi
