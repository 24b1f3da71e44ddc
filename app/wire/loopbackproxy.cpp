#include "loopbackproxy.h"

#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTcpSocket>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcProxy, "wsi.wire.proxy", QtWarningMsg)

namespace wsi {

namespace {
// Heads without a credential a client may send before it is turned away.
constexpr int kMaxHeads = 3;

QByteArray randomToken()
{
    quint32 words[4];
    QRandomGenerator::system()->fillRange(words);
    return QByteArray(reinterpret_cast<const char*>(words), sizeof(words)).toHex();
}

// "host:port" without IPv6 brackets, lowercase, for comparing CONNECT targets.
QByteArray normalTarget(QByteArray target)
{
    target = target.trimmed().toLower();
    const qsizetype colon = target.lastIndexOf(':');
    if (colon < 0)
        return target;
    QByteArray host = target.left(colon);
    if (host.startsWith('[') && host.endsWith(']'))
        host = host.mid(1, host.size() - 2);
    return host + target.mid(colon);
}
} // namespace

LoopbackProxy::LoopbackProxy(QObject* parent)
    : QObject(parent)
{ }

LoopbackProxy::~LoopbackProxy()
{
    close();
}

Result<void> LoopbackProxy::listen(const QString& targetHost, quint16 targetPort)
{
    m_user = QString::fromLatin1(randomToken());
    m_password = QString::fromLatin1(randomToken());
    m_expectedAuth = "Basic " + (m_user + u':' + m_password).toLatin1().toBase64();
    m_expectedTarget = normalTarget(targetHost.toUtf8() + ':' + QByteArray::number(targetPort));
    m_server = new QTcpServer(this);
    if (!m_server->listen(QHostAddress::LocalHost, 0))
        return Error { tr("The wire relay could not listen on 127.0.0.1: %1").arg(m_server->errorString()), {} };
    connect(m_server, &QTcpServer::newConnection, this, &LoopbackProxy::onNewConnection);
    return {};
}

QNetworkProxy LoopbackProxy::clientProxy() const
{
    return QNetworkProxy(QNetworkProxy::HttpProxy, u"127.0.0.1"_s, port(), m_user, m_password);
}

quint16 LoopbackProxy::port() const
{
    return m_server ? m_server->serverPort() : 0;
}

bool LoopbackProxy::isListening() const
{
    return m_server && m_server->isListening();
}

void LoopbackProxy::close()
{
    if (m_server)
        m_server->close();
    dropCandidates(nullptr);
}

void LoopbackProxy::onNewConnection()
{
    while (QTcpSocket* socket = m_server->nextPendingConnection()) {
        if (m_accepted) {
            socket->abort();
            socket->deleteLater();
            continue;
        }
        auto* c = new Candidate;
        c->socket = socket;
        m_candidates.append(c);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onCandidateData(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            for (qsizetype i = 0; i < m_candidates.size(); ++i) {
                if (m_candidates.at(i)->socket == socket) {
                    delete m_candidates.takeAt(i);
                    socket->deleteLater();
                    return;
                }
            }
        });
    }
}

void LoopbackProxy::refuse(QTcpSocket* socket, const QByteArray& status, bool close)
{
    QByteArray reply = "HTTP/1.1 " + status + "\r\n";
    if (status.startsWith("407"))
        reply += "Proxy-Authenticate: Basic realm=\"wsinspector\"\r\n";
    reply += "Content-Length: 0\r\n";
    if (close)
        reply += "Connection: close\r\nProxy-Connection: close\r\n";
    reply += "\r\n";
    socket->write(reply);
    if (close)
        socket->disconnectFromHost();
}

void LoopbackProxy::onCandidateData(QTcpSocket* socket)
{
    Candidate* c = nullptr;
    for (Candidate* each : std::as_const(m_candidates)) {
        if (each->socket == socket)
            c = each;
    }
    if (!c || m_accepted)
        return;
    const QByteArray data = socket->readAll();
    QByteArrayView rest(data);
    while (!rest.isEmpty()) {
        rest = rest.sliced(c->parser.feed(rest));
        if (c->parser.status() == HttpHeadParser::Status::NeedMore)
            return;
        if (c->parser.status() == HttpHeadParser::Status::Error) {
            refuse(socket, "400 Bad Request", true);
            return;
        }
        const HttpHead head = c->parser.takeHead();
        ++c->heads;
        const QByteArray auth = head.header("Proxy-Authorization");
        qCDebug(lcProxy) << "proxy client" << socket->peerPort() << "head" << c->heads << head.method << head.target
                         << "with credential:" << !auth.isEmpty();
        if (head.method != "CONNECT") {
            refuse(socket, "405 Method Not Allowed", true);
            return;
        }
        if (auth.isEmpty()) {
            // Qt's proxy client asks without credentials first and retries after a 407.
            const bool last = c->heads >= kMaxHeads;
            refuse(socket, "407 Proxy Authentication Required", last);
            if (last)
                return;
            continue;
        }
        if (auth.trimmed() != m_expectedAuth) {
            refuse(socket, "407 Proxy Authentication Required", true);
            return;
        }
        if (normalTarget(head.target) != m_expectedTarget) {
            refuse(socket, "403 Forbidden", true);
            return;
        }
        accept(socket, rest.toByteArray());
        return;
    }
}

void LoopbackProxy::accept(QTcpSocket* socket, QByteArray leftover)
{
    m_accepted = true;
    socket->disconnect(this);
    dropCandidates(socket);
    // One client only: nobody else may use this proxy from now on.
    m_server->close();
    Q_EMIT clientAccepted(socket, leftover);
}

void LoopbackProxy::dropCandidates(const QTcpSocket* except)
{
    for (Candidate* c : std::as_const(m_candidates)) {
        if (c->socket != except) {
            c->socket->disconnect(this);
            c->socket->abort();
            c->socket->deleteLater();
        }
        delete c;
    }
    m_candidates.clear();
}

} // namespace wsi
