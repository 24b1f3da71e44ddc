#pragma once

#include "util/result.h"
#include "wire/httpheadparser.h"

#include <QNetworkProxy>
#include <QObject>

class QTcpServer;
class QTcpSocket;

namespace wsi {

// An HTTP CONNECT proxy on 127.0.0.1 for exactly one client: it asks for a random per-proxy
// credential (a 407 first, as Qt's proxy client expects), accepts only the expected target,
// refuses anything else (400, 403, 405) and stops listening once its client is in.
class LoopbackProxy : public QObject
{
    Q_OBJECT
public:
    explicit LoopbackProxy(QObject* parent = nullptr);
    ~LoopbackProxy() override;

    // Listens on 127.0.0.1 (a free port) for a client that will CONNECT to targetHost:targetPort.
    Result<void> listen(const QString& targetHost, quint16 targetPort);
    // The proxy the client must use (carries the credential).
    QNetworkProxy clientProxy() const;
    quint16 port() const;
    bool isListening() const;
    // Stops listening and drops every connection not accepted yet.
    void close();

Q_SIGNALS:
    // The client authenticated and asked for the expected target; the proxy has answered nothing
    // yet (the receiver says "200" once its upstream is up). The receiver owns socket from now on;
    // leftover holds the bytes the client sent after its CONNECT head.
    void clientAccepted(QTcpSocket* socket, const QByteArray& leftover);

private:
    struct Candidate
    {
        QTcpSocket* socket = nullptr;
        HttpHeadParser parser { true };
        int heads = 0;
    };
    void onNewConnection();
    void onCandidateData(QTcpSocket* socket);
    void refuse(QTcpSocket* socket, const QByteArray& status, bool close);
    void accept(QTcpSocket* socket, QByteArray leftover);
    void dropCandidates(const QTcpSocket* except);

    QTcpServer* m_server = nullptr;
    QList<Candidate*> m_candidates;
    QByteArray m_expectedTarget;
    QByteArray m_expectedAuth;
    QString m_user;
    QString m_password;
    bool m_accepted = false;
};

} // namespace wsi
