#pragma once

#include "deflate/deflatenegotiation.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>

#include <memory>

class QTcpSocket;
class QWebSocket;

namespace wsi {

class IncomingInflater;
class OutgoingDeflater;

// Sits in front of QWebSocketServer for one connection of the built-in server, so that Qt 6.4
// accepts what RFC 6455 and RFC 7692 allow: QWebSocketServer gets one end of a local socket pair
// (reporting the client's address) and sees an uncompressed connection whose text frames hold whole
// UTF-8 characters (IncomingInflater). With permessage-deflate accepted, the client's socket gets
// the 101 with the negotiated Sec-WebSocket-Extensions, its compressed messages inflated for Qt and
// Qt's messages deflated; without it, Qt's bytes reach the client unchanged.
class DeflateBridge : public QObject
{
    Q_OBJECT
public:
    // client: the accepted connection, its request head still unread. answer: what
    // DeflateNegotiation::answerOffers accepted (not accepted: no extension, plain frames).
    // maxMessageBytes bounds a message (inflated, or held while its fragments arrive).
    DeflateBridge(QTcpSocket* client, const DeflateServerAnswer& answer, qint64 maxMessageBytes, QObject* parent);
    ~DeflateBridge() override;

    // Creates the socket pair; the socket to hand to QWebSocketServer::handleConnection, or null
    // (with the reason in error()) when the system refused a socket pair.
    QTcpSocket* start();
    // Qt's QWebSocket for this connection, once the handshake is done: its close code is sent to
    // the client if Qt's own close frame never arrives.
    void watch(QWebSocket* socket);
    QString error() const { return m_error; }
    void abort();

    // The request head with Sec-WebSocket-Extensions removed (what Qt is given).
    static QByteArray stripExtensions(const QByteArray& head);
    // Qt's response head with Sec-WebSocket-Extensions: value added when it is a 101.
    static QByteArray addExtension(const QByteArray& head, const QByteArray& value);

Q_SIGNALS:
    // The client broke the extension's rules, sent a bomb or a message over the limit: it got a
    // close frame with code and reason, and Qt's side the same close (so the client list shows it).
    void failed(int code, const QString& message);

private:
    void onClientData();
    void onQtData();
    void fail(quint16 code, const QString& reason, const QString& message);
    void maybeFinish();
    // Ends the client's connection gracefully after what is queued for it (see the .cpp).
    void closeClient();
    void writeToClient(const QByteArray& frames);
    QByteArray readFromQt(qint64 max);
    void salvageFromQt();
    void finishClientClose();
    void sendPendingClose();
    void finishClientGone();

    QTcpSocket* m_client = nullptr; // child
    QTcpSocket* m_inner = nullptr; // our end of the pair, child
    QPointer<QTcpSocket> m_qt; // Qt's end (owned by QWebSocketServer / QWebSocket once handed over)
    DeflateServerAnswer m_answer;
    qint64 m_maxMessageBytes;
    std::unique_ptr<IncomingInflater> m_inflater;
    std::unique_ptr<OutgoingDeflater> m_deflater;
    bool m_requestSent = false;
    bool m_responseDone = false;
    bool m_upgraded = false; // Qt answered 101: frames follow
    bool m_failed = false;
    bool m_deflate = false; // permessage-deflate was accepted
    bool m_closingClient = false;
    bool m_clientShutDown = false;
    bool m_qtClosed = false; // Qt's end closed: what it wrote is passed on regardless of the high water
    bool m_clientClosed = false; // the client closed: what it sent is passed on regardless of the high water
    QByteArray m_pendingClose; // fail()'s close frame, sent once Qt's frame under way reached the client
    // Frame boundaries of what went to the client, and whether a close frame was among it.
    class FrameTracker
    {
    public:
        void feed(QByteArrayView data);
        bool atBoundary() const { return m_header.isEmpty() && m_remaining == 0; }
        // Takes data up to the end of the frame under way; how many bytes that is (0 at a boundary).
        qsizetype feedToBoundary(QByteArrayView data);
        bool sawClose() const { return m_sawClose; }

    private:
        QByteArray m_header;
        quint64 m_remaining = 0;
        bool m_sawClose = false;
    };
    FrameTracker m_toClient;
    quint16 m_qtCloseCode = 0;
    QString m_qtCloseReason;
    QByteArray m_responseHead;
    QByteArray m_qtTail; // what Qt wrote before its end broke (salvageFromQt), read before the socket
    QString m_error;
};

} // namespace wsi
