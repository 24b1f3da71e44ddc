#include "classroomserver.h"

#include "deflate/deflatenegotiation.h"
#include "server/deflatebridge.h"
#include "server/studentpage.h"
#include "wire/httpheadparser.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketServer>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {

constexpr int kPublishMs = 250;
constexpr int kChannelIdleMs = 120000;
const char* const kHeld = "wsiHeldPoll";

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 204:
        return "No Content";
    case 400:
        return "Bad Request";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 426:
        return "Upgrade Required";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    default:
        return "Status";
    }
}

qint64 now()
{
    return QDateTime::currentMSecsSinceEpoch();
}

int intItem(const QUrlQuery& query, const QString& key, int fallback, int low, int high)
{
    bool ok = false;
    const qint64 v = query.queryItemValue(key).toLongLong(&ok);
    if (!ok)
        return fallback;
    return int(std::clamp<qint64>(v, low, high));
}

} // namespace

ClassroomServer::ClassroomServer(QObject* parent)
    : QObject(parent)
    , m_tcp(new QTcpServer(this))
    , m_ws(new QWebSocketServer(u"wsinspector built-in server"_s, QWebSocketServer::NonSecureMode, this))
    , m_publishTimer(new QTimer(this))
    , m_idleTimer(new QTimer(this))
{
    qRegisterMetaType<wsi::ServerClient>();
    qRegisterMetaType<wsi::ServerEvent>();
    qRegisterMetaType<QList<wsi::ServerClient>>();
    qRegisterMetaType<wsi::PushEvent>();
    connect(m_tcp, &QTcpServer::newConnection, this, &ClassroomServer::onNewTcpConnection);
    connect(m_ws, &QWebSocketServer::newConnection, this, &ClassroomServer::onWebSocket);
    m_publishTimer->setSingleShot(true);
    m_publishTimer->setInterval(kPublishMs);
    connect(m_publishTimer, &QTimer::timeout, this, &ClassroomServer::publishClients);
    m_idleTimer->setInterval(10000);
    connect(m_idleTimer, &QTimer::timeout, this, &ClassroomServer::dropIdleChannels);
}

ClassroomServer::~ClassroomServer()
{
    close();
}

Result<void> ClassroomServer::listen(const ListenOptions& options)
{
    if (!options.address.isLoopback() && !options.allowNetwork) {
        return Error { tr("Listening on %1 lets every machine on the network reach the server: choose it "
                          "explicitly (All interfaces, or one interface).")
                           .arg(options.address.toString()),
            {} };
    }
    m_limits = options.limits;
    m_ws->setMaxPendingConnections(std::max(30, m_limits.maxClients + 10));
    if (!m_tcp->listen(options.address, options.port)) {
        const QString where = options.address.toString();
        if (m_tcp->serverError() == QAbstractSocket::AddressInUseError) {
            return Error { tr("Port %1 on %2 is already in use (another program, or another server of this "
                              "window): choose another port.")
                               .arg(options.port)
                               .arg(where),
                m_tcp->errorString() };
        }
        return Error {
            tr("The server could not listen on %1 port %2: %3").arg(where).arg(options.port).arg(m_tcp->errorString()),
            m_tcp->errorString()
        };
    }
    m_idleTimer->start();
    return {};
}

void ClassroomServer::close()
{
    m_tcp->close();
    const QList<quint64> ids = m_clients.keys();
    for (const quint64 id : ids) {
        if (QWebSocket* s = m_clients.value(id).socket) {
            s->disconnect(this);
            s->abort();
            s->deleteLater();
        }
    }
    m_clients.clear();
    const QList<QTcpSocket*> sockets = m_tcp->findChildren<QTcpSocket*>();
    for (QTcpSocket* s : sockets)
        s->abort();
    const QList<DeflateBridge*> bridges = findChildren<DeflateBridge*>(Qt::FindDirectChildrenOnly);
    for (DeflateBridge* b : bridges)
        b->abort();
    m_bridged.clear();
    m_bridges.clear();
    for (auto& c : m_channels)
        delete c.source;
    m_channels.clear();
    m_idleTimer->stop();
}

bool ClassroomServer::isListening() const
{
    return m_tcp->isListening();
}

QHostAddress ClassroomServer::address() const
{
    return m_tcp->serverAddress();
}

quint16 ClassroomServer::port() const
{
    return m_tcp->serverPort();
}

QUrl ClassroomServer::localUrl(const QString& path, const QString& scheme) const
{
    QUrl u;
    u.setScheme(scheme);
    const QHostAddress a = address();
    const bool any = a == QHostAddress::Any || a == QHostAddress::AnyIPv4 || a == QHostAddress::AnyIPv6;
    u.setHost(any || a.isNull() ? u"127.0.0.1"_s : a.toString());
    u.setPort(port());
    u.setPath(path.startsWith(u'/') ? path : u'/' + path);
    return u;
}

// ---- HTTP side ----

void ClassroomServer::onNewTcpConnection()
{
    while (QTcpSocket* socket = m_tcp->nextPendingConnection()) {
        // Connections that have not become WebSocket clients yet are bounded too.
        if (m_tcp->findChildren<QTcpSocket*>(Qt::FindDirectChildrenOnly).size()
            > m_limits.maxClients + m_limits.maxHeldPolls + 50) {
            socket->abort();
            socket->deleteLater();
            continue;
        }
        // Only a head's worth is buffered while it is HTTP (a client pipelining while its long poll
        // is held waits); the WebSocket side gets an unlimited buffer back (handOverUpgrade).
        socket->setReadBufferSize(m_limits.maxHeadBytes + 1024);
        // A connection that never sends a complete head is dropped (restarted for each request).
        auto* headTimer = new QTimer(socket);
        headTimer->setObjectName(u"wsiHeadTimer"_s);
        headTimer->setSingleShot(true);
        headTimer->setInterval(m_limits.headTimeoutMs);
        connect(headTimer, &QTimer::timeout, socket, [socket] {
            if (!socket->property(kHeld).toBool())
                socket->abort();
        });
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onHeadData(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [socket] { socket->deleteLater(); });
        headTimer->start();
        if (socket->bytesAvailable())
            onHeadData(socket);
    }
}

void ClassroomServer::onHeadData(QTcpSocket* socket)
{
    if (socket->property(kHeld).toBool() || socket->state() != QAbstractSocket::ConnectedState)
        return; // a long poll is open: the next request waits for its answer
    const QByteArray peek = socket->peek(m_limits.maxHeadBytes + 4);
    const qsizetype end = peek.indexOf("\r\n\r\n");
    if (end < 0) {
        if (peek.size() > m_limits.maxHeadBytes) {
            respond(socket, 431, "text/plain; charset=utf-8",
                tr("The request head is larger than %1 bytes.").arg(m_limits.maxHeadBytes).toUtf8());
        }
        return;
    }
    const HttpHead head = HttpHeadParser::parse(peek.left(end + 4), true);
    if (head.header("Upgrade").toLower().contains("websocket")) {
        handOverUpgrade(socket, head);
        return;
    }
    socket->read(end + 4);
    if (auto* t = socket->findChild<QTimer*>(u"wsiHeadTimer"_s))
        t->start();
    serveHttp(socket, head);
}

bool ClassroomServer::deflateWanted(const HttpHead& head)
{
    // ?deflate=off (or 0, false, no) in the URL: the class sees the same messages uncompressed.
    const QUrlQuery query(QUrl::fromEncoded("http://host" + head.target));
    const QString v = query.queryItemValue(u"deflate"_s).toLower();
    return !(v == u"off" || v == u"0" || v == u"false" || v == u"no");
}

void ClassroomServer::handOverUpgrade(QTcpSocket* socket, const HttpHead& head)
{
    socket->disconnect(this);
    delete socket->findChild<QTimer*>(u"wsiHeadTimer"_s);
    socket->setReadBufferSize(0); // QWebSocket stalls on a buffer smaller than a frame
    // Every upgrade goes through a DeflateBridge: Qt 6.4 refuses a text message whose fragments
    // split a UTF-8 character (RFC 6455 allows it), and the bridge cuts fragments at characters. When
    // the client offers permessage-deflate (RFC 7692), our own extension code sits there too and
    // QWebSocketServer still sees an uncompressed connection.
    const QList<QByteArray> offers = head.headerValues("Sec-WebSocket-Extensions");
    DeflateServerAnswer answer;
    if (!offers.isEmpty() && deflateWanted(head))
        answer = DeflateNegotiation::answerOffers(offers, DeflateServerConfig {});
    auto* bridge = new DeflateBridge(socket, answer, m_limits.maxMessageBytes, this);
    connect(bridge, &DeflateBridge::failed, this, [this, deflate = answer.accepted](int, const QString&) {
        if (deflate)
            ++m_deflateFailures;
    });
    if (QTcpSocket* qtSide = bridge->start()) {
        // onWebSocket finds the bridge and the answer by the address Qt's socket reports (the client's).
        const QString key = socket->peerAddress().toString() + u':' + QString::number(socket->peerPort());
        m_bridges.insert(key, bridge);
        if (answer.accepted)
            m_bridged.insert(key, answer.responseValue);
        else
            m_bridged.remove(key); // a lingering earlier connection's label is not this one's
        // A bridge may linger (closeClient) after a new connection from the same address and port
        // registered: only its own entries go. QPointer is already null here, so compare raw.
        const QObject* self = bridge;
        connect(bridge, &QObject::destroyed, this, [this, key, self] {
            const auto it = m_bridges.constFind(key);
            if (it == m_bridges.cend() || (!it->isNull() && it->data() != self))
                return;
            m_bridged.remove(key);
            m_bridges.remove(key);
        });
        m_ws->handleConnection(qtSide);
        return;
    }
    qWarning("%s", qPrintable(bridge->error()));
    socket->setParent(m_tcp); // served directly (uncompressed, Qt's own fragment rules) below
    socket->disconnect(bridge);
    delete bridge;
    // The head is still unread: QWebSocketServer reads it, answers 101 (or 400) and, once the
    // handshake is done, emits newConnection (onWebSocket).
    m_ws->handleConnection(socket);
}

void ClassroomServer::respond(QTcpSocket* socket, int status, const QByteArray& contentType, const QByteArray& body,
    const QByteArray& extraHeaders)
{
    const bool keepAlive = status < 400;
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    if (!contentType.isEmpty())
        out += "Content-Type: " + contentType + "\r\n";
    out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    out += "Cache-Control: no-store\r\n";
    out += extraHeaders;
    out += keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
    if (!socket->property("wsiHead").toBool())
        out += body;
    socket->write(out);
    if (!keepAlive) {
        socket->disconnectFromHost();
        return;
    }
    if (auto* t = socket->findChild<QTimer*>(u"wsiHeadTimer"_s))
        t->start(); // an idle keep-alive connection is closed after headTimeoutMs
    if (socket->bytesAvailable()) // a pipelined next request
        QMetaObject::invokeMethod(
            this,
            [this, s = QPointer<QTcpSocket>(socket)] {
                if (s)
                    onHeadData(s);
            },
            Qt::QueuedConnection);
}

void ClassroomServer::serveHttp(QTcpSocket* socket, const HttpHead& head)
{
    socket->setProperty("wsiHead", head.method == "HEAD");
    if (head.method != "GET" && head.method != "HEAD") {
        respond(socket, 405, "text/plain; charset=utf-8",
            tr("This server only answers GET requests (got %1).").arg(QString::fromLatin1(head.method)).toUtf8(),
            "Allow: GET, HEAD\r\n");
        return;
    }
    if (head.header("Content-Length").toLongLong() > 0 || !head.header("Transfer-Encoding").isNull()) {
        respond(socket, 400, "text/plain; charset=utf-8", tr("A GET request must not have a body.").toUtf8());
        return;
    }
    const QUrl url = QUrl::fromEncoded("http://host" + head.target, QUrl::StrictMode);
    if (!head.target.startsWith('/') || !url.isValid()) {
        respond(socket, 400, "text/plain; charset=utf-8",
            tr("\"%1\" is not a path on this server.").arg(QString::fromLatin1(head.target.left(200))).toUtf8());
        return;
    }
    const QString path = url.path();
    if (path == u"/" || path == u"/index.html") {
        const QString language = StudentPage::pickLanguage(head.header("Accept-Language"));
        const QByteArray page = StudentPage::render(language);
        if (page.isEmpty()) {
            respond(socket, 500, "text/plain; charset=utf-8", "The students' page is missing from this build.");
            return;
        }
        respond(socket, 200, "text/html; charset=utf-8", page, "Vary: Accept-Language\r\n");
        ServerEvent e;
        e.kind = ServerEvent::Kind::Request;
        e.client.address = socket->peerAddress().toString();
        e.client.userAgent = QString::fromUtf8(head.header("User-Agent"));
        e.client.since = QDateTime::currentDateTime();
        e.client.path = path;
        e.detail = u"GET / (%1)"_s.arg(language);
        Q_EMIT event(e);
        return;
    }
    if (path == u"/poll") {
        servePoll(socket, url);
        return;
    }
    if (path == u"/favicon.ico") {
        respond(socket, 204, {}, {});
        return;
    }
    if (path == u"/echo" || path == u"/chat" || path == u"/push") {
        respond(socket, 426, "text/plain; charset=utf-8",
            tr("%1 is a WebSocket endpoint: connect to it with ws://HOST:PORT%1 (the page at / does).")
                .arg(path)
                .toUtf8(),
            "Upgrade: websocket\r\n");
        return;
    }
    respond(socket, 404, "text/plain; charset=utf-8",
        tr("Nothing at %1. This server has: / (the page), ws /echo, ws /chat, ws /push, GET /poll.")
            .arg(path.left(200))
            .toUtf8());
}

EventSource* ClassroomServer::channel(const QString& name, int intervalMs, QString* error)
{
    auto it = m_channels.find(name);
    if (it != m_channels.end())
        return it->source;
    if (m_channels.size() >= m_limits.maxChannels) {
        *error = tr("Too many event channels are open (%1 at most): reuse one or wait two minutes.")
                     .arg(m_limits.maxChannels);
        return nullptr;
    }
    Channel c;
    c.source = new EventSource(intervalMs, this);
    c.lastPoll.start();
    m_channels.insert(name, c);
    return c.source;
}

void ClassroomServer::dropIdleChannels()
{
    for (auto it = m_channels.begin(); it != m_channels.end();) {
        if (it->users == 0 && it->lastPoll.hasExpired(kChannelIdleMs)) {
            it->source->deleteLater();
            it = m_channels.erase(it);
        } else {
            ++it;
        }
    }
}

void ClassroomServer::servePoll(QTcpSocket* socket, const QUrl& url)
{
    const QUrlQuery query(url);
    const QString name = query.hasQueryItem(u"channel"_s) ? query.queryItemValue(u"channel"_s) : u"default"_s;
    static const QRegularExpression kName(u"^[A-Za-z0-9_.-]{1,40}$"_s);
    if (!kName.match(name).hasMatch()) {
        respond(socket, 400, "text/plain; charset=utf-8",
            tr("channel must be 1 to 40 letters, digits, '.', '_' or '-'.").toUtf8());
        return;
    }
    QString error;
    EventSource* source = channel(name, intervalItem(query), &error);
    if (!source) {
        respond(socket, 503, "text/plain; charset=utf-8", error.toUtf8());
        return;
    }
    m_channels[name].lastPoll.start();
    bool ok = false;
    qint64 after = query.queryItemValue(u"after"_s).toLongLong(&ok);
    if (!ok || after < 0)
        after = source->lastSeq(); // the first poll starts at "now"
    const int waitMs = intItem(query, u"wait"_s, 0, 0, m_limits.maxLongPollMs);
    if (waitMs == 0 || source->lastSeq() > after) {
        answerPoll(socket, source, after);
        return;
    }
    if (m_heldPolls >= m_limits.maxHeldPolls) {
        respond(socket, 503, "text/plain; charset=utf-8",
            tr("Too many long polls are waiting (%1 at most): poll without wait, or later.")
                .arg(m_limits.maxHeldPolls)
                .toUtf8());
        return;
    }
    // Long poll: hold the request until the next event or the wait runs out (then empty).
    auto* waiter = new QObject(socket);
    auto* timer = new QTimer(waiter);
    timer->setSingleShot(true);
    timer->setTimerType(Qt::PreciseTimer); // not 5 % early: "wait=MS" is a promise
    ++m_heldPolls;
    socket->setProperty(kHeld, true);
    connect(waiter, &QObject::destroyed, this, [this] { --m_heldPolls; });
    auto finish = [this, socket, waiter, src = QPointer<EventSource>(source), after] {
        if (waiter->property("done").toBool())
            return;
        waiter->setProperty("done", true);
        socket->setProperty(kHeld, false);
        waiter->deleteLater();
        if (!src) {
            respond(socket, 503, "text/plain; charset=utf-8", "The event channel was closed.");
            return;
        }
        answerPoll(socket, src, after);
    };
    connect(source, &EventSource::produced, waiter, finish);
    connect(timer, &QTimer::timeout, waiter, finish);
    timer->start(waitMs);
}

int ClassroomServer::intervalItem(const QUrlQuery& query)
{
    return intItem(query, u"interval"_s, 1000, EventSource::kMinIntervalMs, 60000);
}

void ClassroomServer::answerPoll(QTcpSocket* socket, EventSource* source, qint64 after)
{
    qint64 missed = 0;
    const QList<PushEvent> events = source->eventsAfter(after, 500, &missed);
    QJsonArray list;
    for (const PushEvent& e : events)
        list.append(QJsonObject { { u"seq"_s, double(e.seq) }, { u"time"_s, double(e.timeMs) } });
    const qint64 next = events.isEmpty() ? std::max(after, qint64(0)) : events.last().seq;
    QJsonObject body { { u"events"_s, list }, { u"next"_s, double(next) }, { u"time"_s, double(now()) } };
    if (missed > 0)
        body.insert(u"missed"_s, double(missed));
    respond(socket, 200, "application/json", QJsonDocument(body).toJson(QJsonDocument::Compact),
        "Access-Control-Allow-Origin: *\r\n");
}

// ---- WebSocket side ----

void ClassroomServer::refuse(QWebSocket* socket, int code, const QString& reason, const QString& address)
{
    socket->setParent(this);
    connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
    QTimer::singleShot(5000, socket, &QWebSocket::abort); // a peer that never answers the close
    socket->close(QWebSocketProtocol::CloseCode(code), reason);
    ServerEvent e;
    e.kind = ServerEvent::Kind::Refused;
    e.client.address = address;
    e.client.path = socket->requestUrl().path();
    e.client.since = QDateTime::currentDateTime();
    e.detail = u"%1 %2"_s.arg(code).arg(reason);
    Q_EMIT event(e);
}

void ClassroomServer::onWebSocket()
{
    while (QWebSocket* socket = m_ws->nextPendingConnection()) {
        const QString address = socket->peerAddress().toString() + u':' + QString::number(socket->peerPort());
        if (DeflateBridge* bridge = m_bridges.value(address))
            bridge->watch(socket);
        QString path = socket->requestUrl().path();
        if (path.isEmpty() || path == u"/")
            path = u"/echo"_s;
        if (m_clients.size() >= m_limits.maxClients) {
            // 1008, not 1013 (Try Again Later): Qt 6.4 clients, the inspector among them, take 1012-1014
            // for a protocol error and lose the reason.
            refuse(socket, QWebSocketProtocol::CloseCodePolicyViolated,
                tr("The server is full (%n clients at most): try again later.", nullptr, m_limits.maxClients), address);
            continue;
        }
        if (path != u"/echo" && path != u"/chat" && path != u"/push") {
            refuse(socket, QWebSocketProtocol::CloseCodePolicyViolated,
                tr("Nothing at %1: use /echo, /chat or /push.").arg(path.left(60)), address);
            continue;
        }
        socket->setParent(this);
        socket->setMaxAllowedIncomingMessageSize(quint64(m_limits.maxMessageBytes));
        socket->setMaxAllowedIncomingFrameSize(quint64(m_limits.maxMessageBytes));
        const quint64 id = ++m_nextId;
        Client& c = m_clients[id];
        c.socket = socket;
        c.info.id = id;
        c.info.address = address;
        c.info.path = path;
        c.info.userAgent = QString::fromUtf8(socket->request().rawHeader("User-Agent"));
        c.info.compression = QString::fromLatin1(m_bridged.value(address));
        c.info.since = QDateTime::currentDateTime();
        c.tokens = m_limits.messageBurst;
        c.refill.start();
        connect(
            socket, &QWebSocket::textMessageReceived, this, [this, id](const QString& t) { onClientMessage(id, t); });
        connect(socket, &QWebSocket::binaryMessageReceived, this,
            [this, id](const QByteArray& d) { onClientBinary(id, d); });
        connect(socket, &QWebSocket::disconnected, this, [this, id] { onClientGone(id); });
        setUpClient(c, socket->requestUrl());
        markDirty();
    }
}

void ClassroomServer::setUpClient(Client& client, const QUrl& url)
{
    const QUrlQuery query(url);
    client.textFormat = query.queryItemValue(u"format"_s) == u"text";
    ServerEvent e;
    e.kind = ServerEvent::Kind::Connected;
    if (client.info.path == u"/chat") {
        const QList<ChatRoom::Delivery> joined = m_chat.join(
            client.info.id, query.queryItemValue(u"name"_s, QUrl::FullyDecoded), client.textFormat, now());
        client.info.name = m_chat.nameOf(client.info.id);
        e.client = client.info;
        Q_EMIT event(e);
        sendChat(joined);
        return;
    }
    e.client = client.info;
    Q_EMIT event(e);
    if (client.info.path == u"/push")
        startPush(client, url);
}

bool ClassroomServer::takeToken(Client& client)
{
    const double rate = m_limits.messagesPerSecond;
    client.tokens = std::min<double>(m_limits.messageBurst, client.tokens + client.refill.restart() * rate / 1000.0);
    if (client.tokens < 1.0)
        return false;
    client.tokens -= 1.0;
    return true;
}

ClassroomServer::Client* ClassroomServer::admitMessage(quint64 id)
{
    // Counts a client's message and applies the rate limit; null when the message is to be dropped.
    auto it = m_clients.find(id);
    if (it == m_clients.end() || it->closing)
        return nullptr;
    Client& c = *it;
    ++c.info.messagesIn;
    markDirty();
    if (!takeToken(c)) {
        c.closing = true;
        c.socket->close(QWebSocketProtocol::CloseCodePolicyViolated,
            tr("Too many messages: at most %n per second.", nullptr, m_limits.messagesPerSecond));
        return nullptr;
    }
    return &c;
}

void ClassroomServer::onClientMessage(quint64 id, const QString& text)
{
    Client* admitted = admitMessage(id);
    if (!admitted)
        return;
    Client& c = *admitted;
    if (c.info.path == u"/echo") {
        sendTo(c, text);
    } else if (c.info.path == u"/chat") {
        const QString before = c.info.name;
        const QList<ChatRoom::Delivery> out = m_chat.message(id, text, now());
        c.info.name = m_chat.nameOf(id);
        if (c.info.name != before) {
            ServerEvent e;
            e.kind = ServerEvent::Kind::Renamed;
            e.client = c.info;
            e.detail = before;
            Q_EMIT event(e);
        }
        sendChat(out);
    }
}

void ClassroomServer::onClientBinary(quint64 id, const QByteArray& data)
{
    Client* admitted = admitMessage(id);
    if (!admitted)
        return;
    Client& c = *admitted;
    if (c.info.path == u"/echo") {
        sendTo(c, data);
    } else if (c.info.path == u"/chat") { // binary is passed on unchanged, to everyone
        for (auto& other : m_clients) {
            if (other.info.path == u"/chat")
                sendTo(other, data);
        }
    }
}

void ClassroomServer::sendChat(const QList<ChatRoom::Delivery>& deliveries)
{
    for (const ChatRoom::Delivery& d : deliveries) {
        auto it = m_clients.find(d.to);
        if (it != m_clients.end())
            sendTo(*it, d.text);
    }
}

bool ClassroomServer::canSend(Client& client)
{
    if (client.closing)
        return false;
    // A client that stops reading (a phone gone to sleep) is closed instead of growing this
    // process's memory without bound.
    if (client.socket->bytesToWrite() > m_limits.maxQueuedBytes) {
        client.closing = true;
        client.socket->close(QWebSocketProtocol::CloseCodePolicyViolated,
            tr("Reading too slowly: more than %1 KiB are waiting.").arg(m_limits.maxQueuedBytes / 1024));
        return false;
    }
    ++client.info.messagesOut;
    markDirty();
    return true;
}

void ClassroomServer::sendTo(Client& client, const QString& text)
{
    if (canSend(client))
        client.socket->sendTextMessage(text);
}

void ClassroomServer::sendTo(Client& client, const QByteArray& data)
{
    if (canSend(client))
        client.socket->sendBinaryMessage(data);
}

void ClassroomServer::onClientGone(quint64 id)
{
    auto it = m_clients.find(id);
    if (it == m_clients.end())
        return;
    Client c = *it;
    m_clients.erase(it);
    ServerEvent e;
    e.kind = ServerEvent::Kind::Disconnected;
    e.client = c.info;
    e.detail = u"%1 %2"_s.arg(int(c.socket->closeCode())).arg(c.socket->closeReason());
    c.socket->deleteLater();
    Q_EMIT event(e);
    if (c.info.path == u"/chat")
        sendChat(m_chat.leave(id, now()));
    markDirty();
}

void ClassroomServer::disconnectClient(quint64 id)
{
    auto it = m_clients.find(id);
    if (it == m_clients.end() || it->closing)
        return;
    it->closing = true;
    it->socket->close(QWebSocketProtocol::CloseCodePolicyViolated, tr("Disconnected by the teacher."));
}

void ClassroomServer::startPush(Client& client, const QUrl& url)
{
    const QUrlQuery query(url);
    const QString formatName = query.queryItemValue(u"format"_s);
    const PushFormat format = formatName == u"text" ? PushFormat::Text
        : formatName == u"counter"                  ? PushFormat::Counter
                                                    : PushFormat::Json;
    bool ok = false;
    qint64 count = query.queryItemValue(u"count"_s).toLongLong(&ok);
    if (!ok || count <= 0)
        count = -1; // forever
    const int size = intItem(query, u"size"_s, 0, 0, m_limits.maxPushSize);
    const quint64 id = client.info.id;
    QWebSocket* socket = client.socket;
    auto sent = std::make_shared<qint64>(0);

    if (query.hasQueryItem(u"channel"_s)) {
        // A shared clock: every client of the channel (push or /poll) gets the same events.
        const QString name = query.queryItemValue(u"channel"_s);
        static const QRegularExpression kName(u"^[A-Za-z0-9_.-]{1,40}$"_s);
        QString error = tr("channel must be 1 to 40 letters, digits, '.', '_' or '-'.");
        EventSource* source = kName.match(name).hasMatch() ? channel(name, intervalItem(query), &error) : nullptr;
        if (!source) {
            client.closing = true;
            socket->close(QWebSocketProtocol::CloseCodePolicyViolated, error);
            return;
        }
        ++m_channels[name].users;
        connect(socket, &QObject::destroyed, this, [this, name] {
            auto it = m_channels.find(name);
            if (it != m_channels.end()) {
                --it->users;
                it->lastPoll.start(); // idle from now on
            }
        });
        connect(source, &EventSource::produced, socket, [this, id, sent, count, format, size](const PushEvent& e) {
            auto it = m_clients.find(id);
            if (it == m_clients.end() || (count >= 0 && *sent >= count))
                return;
            ++*sent;
            sendTo(*it, QString::fromLatin1(EventSource::encode(e, format, size)));
        });
        return;
    }

    // A clock of this connection's own, numbered from 1 (interval 0 = as fast as the client reads).
    int interval = query.queryItemValue(u"interval"_s).toInt(&ok);
    if (!ok || interval < 0)
        interval = 1000;
    auto* timer = new QTimer(socket);
    timer->setTimerType(Qt::PreciseTimer);
    timer->setInterval(interval);
    // At interval 0 send in bursts so the event loop still gets to read and close.
    const int burst = interval == 0 ? 256 : 1;
    // A client that reads slowly slows the push down instead of filling this process's memory:
    // pause above kPushHighWater queued bytes, resume once half of it is written.
    constexpr qint64 kPushHighWater = 1024 * 1024;
    connect(socket, &QWebSocket::bytesWritten, timer, [socket, timer, sent, count] {
        if (!timer->isActive() && (count < 0 || *sent < count) && socket->bytesToWrite() <= kPushHighWater / 2)
            timer->start();
    });
    connect(timer, &QTimer::timeout, this, [this, id, socket, timer, sent, count, size, burst, format] {
        auto it = m_clients.find(id);
        if (it == m_clients.end() || it->closing) {
            timer->stop();
            return;
        }
        for (int i = 0; i < burst; ++i) {
            if (count >= 0 && *sent >= count) {
                timer->stop();
                return;
            }
            if (socket->bytesToWrite() > kPushHighWater) {
                timer->stop(); // restarted by bytesWritten
                return;
            }
            const PushEvent e { ++*sent, now() };
            sendTo(*it, QString::fromLatin1(EventSource::encode(e, format, size)));
        }
    });
    timer->start();
}

void ClassroomServer::markDirty()
{
    if (!m_publishTimer->isActive())
        m_publishTimer->start();
}

void ClassroomServer::publishClients()
{
    QList<ServerClient> list;
    list.reserve(m_clients.size());
    for (const Client& c : std::as_const(m_clients))
        list.append(c.info);
    std::sort(list.begin(), list.end(), [](const ServerClient& a, const ServerClient& b) { return a.id < b.id; });
    Q_EMIT clientsChanged(list);
}

} // namespace wsi
