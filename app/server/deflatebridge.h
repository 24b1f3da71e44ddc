#pragma once

#include "deflate/deflatenegotiation.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>

#include <memory>

class QTcpSocket;

namespace wsi {

class IncomingInflater;
class OutgoingDeflater;

// Puts permessage-deflate in front of QWebSocketServer for one connection of the built-in server:
// QWebSocketServer gets one end of a local socket pair (reporting the client's address) and sees an
// uncompressed connection; the client's socket gets the 101 with the negotiated
// Sec-WebSocket-Extensions, its compressed messages inflated for Qt and Qt's messages deflated.
class DeflateBridge : public QObject
{
    Q_OBJECT
public:
    // client: the accepted connection, its request head still unread. answer: what
    // DeflateNegotiation::answerOffers accepted. maxMessageBytes bounds an inflated message.
    DeflateBridge(QTcpSocket* client, const DeflateServerAnswer& answer, qint64 maxMessageBytes, QObject* parent);
    ~DeflateBridge() override;

    // Creates the socket pair; the socket to hand to QWebSocketServer::handleConnection, or null
    // (with the reason in error()) when the system refused a socket pair.
    QTcpSocket* start();
    QString error() const { return m_error; }
    void abort();

    // The request head with Sec-WebSocket-Extensions removed (what Qt is given).
    static QByteArray stripExtensions(const QByteArray& head);
    // Qt's response head with Sec-WebSocket-Extensions: value added when it is a 101.
    static QByteArray addExtension(const QByteArray& head, const QByteArray& value);

Q_SIGNALS:
    // The client broke the extension's rules or sent a bomb: it got a close frame with code and
    // reason, and Qt's side the same close (so the client list shows it).
    void failed(int code, const QString& message);

private:
    void onClientData();
    void onQtData();
    void fail(quint16 code, const QString& reason, const QString& message);
    void maybeFinish();

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
    bool m_qtClosed = false; // Qt's end closed: what it wrote is passed on regardless of the high water
    QByteArray m_responseHead;
    QString m_error;
};

} // namespace wsi
