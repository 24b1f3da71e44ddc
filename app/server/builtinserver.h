#pragma once

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QUrl>

class QWebSocket;
class QWebSocketServer;
class QThread;

namespace wsi {

// The teaching server: one QWebSocketServer on 127.0.0.1 whose request path picks the behaviour.
//   /echo             sends every text and binary message back unchanged
//   /chat             broadcasts every message to every client connected to /chat
//   /push?interval=MS&count=N&size=BYTES
//                     sends numbered text messages (interval 0 = as fast as possible)
class BuiltinServer : public QObject
{
    Q_OBJECT
public:
    explicit BuiltinServer(QObject* parent = nullptr);
    ~BuiltinServer() override;

    // Listens on 127.0.0.1, port 0 picks a free one. Returns false with errorString() on failure.
    bool listen(quint16 port = 0);
    void close();
    quint16 port() const;
    QString errorString() const;
    QUrl url(const QString& path) const;
    int clientCount() const { return int(m_clients.size()); }

Q_SIGNALS:
    void clientConnected(const QString& path);

private:
    void onNewConnection();
    void startPush(QWebSocket* socket, const QUrl& requestUrl);

    QWebSocketServer* m_server = nullptr;
    QList<QPointer<QWebSocket>> m_clients;
    QList<QPointer<QWebSocket>> m_chatClients;
};

// The process-wide built-in server, started on first use in a thread of its own so that a flood it
// sends never competes with the inspector's UI thread. Resolves "builtin:MODE[?query]" URLs.
class BuiltinServers
{
public:
    static bool isBuiltinUrl(const QString& url);
    // "builtin:echo" -> "ws://127.0.0.1:PORT/echo". Starts the server if needed. Empty URL plus
    // errorMessage on failure (unknown mode, could not listen).
    static QUrl resolve(const QString& url, QString* errorMessage);
    static QStringList modes();
    static void shutdown();
};

} // namespace wsi
