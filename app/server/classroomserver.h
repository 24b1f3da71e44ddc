#pragma once

#include "server/chatroom.h"
#include "server/eventsource.h"
#include "server/serverlimits.h"
#include "util/result.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QMetaType>
#include <QObject>
#include <QPointer>
#include <QUrl>

class QTcpServer;
class QTcpSocket;
class QTimer;
class QUrlQuery;
class QWebSocket;
class QWebSocketServer;

namespace wsi {
class DeflateBridge;
}

namespace wsi {

struct HttpHead;

// One row of the server's client list, as a value that crosses threads.
struct ServerClient
{
    quint64 id = 0;
    QString address; // peer address and port
    QString path; // /echo, /chat, /push
    QString name; // the chat name ("" outside /chat)
    QString userAgent;
    QString compression; // the negotiated Sec-WebSocket-Extensions ("" = uncompressed)
    QDateTime since;
    qint64 messagesIn = 0;
    qint64 messagesOut = 0;
};

// Something that happened to a client, for the terminal's one line per event.
struct ServerEvent
{
    enum class Kind { Connected, Renamed, Disconnected, Refused, Request };
    Kind kind = Kind::Connected;
    ServerClient client;
    QString detail; // close code and reason, refusal reason, "GET /poll 200"
};

// Where to listen. A non-loopback address is only used when allowNetwork says the user chose it.
struct ListenOptions
{
    QHostAddress address = QHostAddress(QHostAddress::LocalHost);
    quint16 port = 8080; // 0 = any free port
    bool allowNetwork = false;
    ServerLimits limits;
};

// The classroom server: every demonstration on one port. It listens with its own QTcpServer,
// reads each request head, serves the plain HTTP routes itself and hands WebSocket upgrades to a
// QWebSocketServer (handOverUpgrade, the single place where that happens).
//   GET /                        the students' page (English or Chinese by Accept-Language)
//   ws  /echo                    every message back unchanged
//   ws  /chat?name=N&format=text the chat room (see ChatRoom)
//   ws  /push?interval=MS&count=N&size=BYTES&format=json|text[&channel=C]
//   GET /poll?channel=C&interval=MS&after=SEQ[&wait=MS]   the same events over HTTP (long poll with wait)
class ClassroomServer : public QObject
{
    Q_OBJECT
public:
    explicit ClassroomServer(QObject* parent = nullptr);
    ~ClassroomServer() override;

    // Starts listening; a clear message when the address is not allowed or the port is taken.
    Result<void> listen(const ListenOptions& options);
    void close();
    bool isListening() const;
    QHostAddress address() const;
    quint16 port() const;
    const ServerLimits& limits() const { return m_limits; }
    int clientCount() const { return int(m_clients.size()); }
    // Compressed connections closed for a decompression bomb, corrupt data or an RSV rule.
    qint64 deflateFailures() const { return m_deflateFailures; }

    // ws://127.0.0.1:PORT/PATH (or the listen address when that is not "any").
    QUrl localUrl(const QString& path, const QString& scheme = QStringLiteral("ws")) const;

    // Ends one client's connection with 1008 and a reason naming the teacher.
    void disconnectClient(quint64 id);

Q_SIGNALS:
    void event(const wsi::ServerEvent& event);
    // The whole client list, at most every 250 ms while something changes (message counters
    // change too often for one signal per message).
    void clientsChanged(const QList<wsi::ServerClient>& clients);

private:
    struct Client
    {
        ServerClient info;
        QWebSocket* socket = nullptr;
        bool closing = false;
        bool textFormat = false;
        double tokens = 0;
        QElapsedTimer refill;
    };
    void onNewTcpConnection();
    void onHeadData(QTcpSocket* socket);
    // The one place a request that asks for a WebSocket leaves the HTTP side: the socket, its head
    // still unread, goes to QWebSocketServer through a DeflateBridge (UTF-8-safe fragments; with
    // permessage-deflate when the client offers it and the URL does not say deflate=off).
    void handOverUpgrade(QTcpSocket* socket, const HttpHead& head);
    static bool deflateWanted(const HttpHead& head);
    void onWebSocket();
    void setUpClient(Client& client, const QUrl& url);
    void onClientMessage(quint64 id, const QString& text);
    void onClientBinary(quint64 id, const QByteArray& data);
    void onClientGone(quint64 id);
    bool takeToken(Client& client);
    Client* admitMessage(quint64 id);
    bool canSend(Client& client);
    void sendTo(Client& client, const QString& text);
    void sendTo(Client& client, const QByteArray& data);
    void refuse(QWebSocket* socket, int code, const QString& reason, const QString& address);
    void startPush(Client& client, const QUrl& url);
    void sendChat(const QList<ChatRoom::Delivery>& deliveries);

    void serveHttp(QTcpSocket* socket, const HttpHead& head);
    void servePoll(QTcpSocket* socket, const QUrl& url);
    void answerPoll(QTcpSocket* socket, EventSource* source, qint64 after);
    void respond(QTcpSocket* socket, int status, const QByteArray& contentType, const QByteArray& body,
        const QByteArray& extraHeaders = {});
    EventSource* channel(const QString& name, int intervalMs, QString* error);
    static int intervalItem(const QUrlQuery& query);
    void dropIdleChannels();
    void markDirty();
    void publishClients();

    QTcpServer* m_tcp = nullptr;
    QWebSocketServer* m_ws = nullptr;
    ServerLimits m_limits;
    QHash<quint64, Client> m_clients;
    quint64 m_nextId = 0;
    ChatRoom m_chat;
    struct Channel
    {
        EventSource* source = nullptr;
        int users = 0; // push clients subscribed
        QElapsedTimer lastPoll;
    };
    QHash<QString, Channel> m_channels;
    int m_heldPolls = 0;
    QTimer* m_publishTimer = nullptr;
    QTimer* m_idleTimer = nullptr;
    bool m_dirty = false;
    qint64 m_deflateFailures = 0;
    QHash<QString, QByteArray> m_bridged; // "address:port" of a bridged client -> its extension answer
    QHash<QString, QPointer<DeflateBridge>> m_bridges; // "address:port" -> the client's bridge
};

} // namespace wsi

Q_DECLARE_METATYPE(wsi::ServerClient)
Q_DECLARE_METATYPE(wsi::ServerEvent)
