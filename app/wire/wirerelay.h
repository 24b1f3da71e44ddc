#pragma once

#include "deflate/deflatenegotiation.h"
#include "log/logentry.h"
#include "profiles/profile.h"
#include "wire/qtframeshield.h"
#include "wire/wiretap.h"
#include "wire/wiretypes.h"

#include <QAbstractSocket>
#include <QElapsedTimer>
#include <QNetworkProxy>
#include <QObject>
#include <QPointer>
#include <QTcpSocket>
#include <QUrl>

#include <atomic>
#include <deque>
#include <memory>

namespace wsi {

struct Error;
class LoopbackProxy;
class OutgoingDeflater;
class UpstreamConnector;

// The in-process loopback relay that lets the inspector see the real wire while QWebSocket drives
// the connection. It coordinates a LoopbackProxy (the client's side), an UpstreamConnector (the
// server's side) and one WireTap per direction, and pumps the bytes between the two sockets with
// backpressure: unchanged, except where QWebSocket needs them otherwise (the permessage-deflate
// offer and its answer, compressed messages both ways, and what QtFrameShield covers). The taps
// see the real wire. Its API is signals with value types, so it can live in a thread of its own.
class WireRelay : public QObject
{
    Q_OBJECT
public:
    static constexpr quint64 kMaxSendMessage = quint64(1) << 30; // 1 GiB

    enum class Stage { Dns, TcpConnected, TlsEstablished, Request, Response, ResponseBody };
    Q_ENUM(Stage)

    explicit WireRelay(const Profile& profile, QObject* parent = nullptr);
    ~WireRelay() override;

    // Listens on 127.0.0.1 for a client that will CONNECT to clientUrl's host and port, and will
    // connect upstream to upstreamUrl (ws:// or wss://). Returns false with a reason on failure.
    bool start(const QUrl& clientUrl, const QUrl& upstreamUrl, QString* error = nullptr);
    // The proxy the client must use (carries the per-relay credential).
    QNetworkProxy clientProxy() const;
    quint16 port() const;
    bool isListening() const;
    // Both connections are gone (what the wire carried has been published).
    bool isFinished() const { return m_finished.load(); } // thread-safe
    // Nothing to do: entriesReady is emitted as each chunk is processed. Kept for callers.
    void flush() { }
    // While paused the relay reads nothing from the server: its socket's read buffer fills and
    // TCP's window closes, so the server is held back as by a slow client. Resuming processes
    // what is buffered. The client's bytes keep flowing to the server.
    void setUpstreamPaused(bool paused);
    bool isUpstreamPaused() const { return m_paused; }
    // Bytes the server sent that the relay has received but not processed yet.
    qint64 unreadUpstreamBytes() const { return m_upstream ? m_upstream->bytesAvailable() : 0; }
    // Drops both connections.
    void shutdown();
    const HandshakeInfo& handshake() const { return m_handshake; }
    // permessage-deflate as the server accepted it (accepted = false: not offered or declined).
    const NegotiatedDeflate& deflate() const { return m_deflate; }
    // QWebSocket cuts messages into frames of this size; compressed messages are cut the same way.
    void setOutgoingFrameSize(quint64 bytes);
    // The next message QWebSocket sends is compressed or not (the send panel's "compress" toggle);
    // without a call the profile's deflateOutgoing decides. Ignored unless deflate was negotiated.
    void queueOutgoingCompression(bool compress);

    // Base64(SHA-1(key + GUID)), RFC 6455 section 4.2.2.
    static QByteArray acceptFor(const QByteArray& key);

Q_SIGNALS:
    // What one chunk of bytes carried, emitted before that chunk is forwarded to the other side.
    void entriesReady(const wsi::LogBatch& batch);
    // The handshake facts grew (stage says which); info is a snapshot.
    void progress(wsi::WireRelay::Stage stage, const wsi::HandshakeInfo& info);
    // The upstream connection could not be made (message is for the user when not empty;
    // otherwise describe error).
    void upstreamFailed(QAbstractSocket::SocketError error, const QString& message, const QString& qtText);
    // Both sides are gone.
    void finished();

private:
    void onClientAccepted(QTcpSocket* socket, const QByteArray& leftover);
    void onUpstreamReady();
    void onUpstreamFailed(QAbstractSocket::SocketError code, const Error& error);
    void pumpClient();
    void pumpUpstream();
    void onClientGone();
    void endUpstreamIfDrained();
    // Feeds data to tap, then publishes its entries and the handshake stages it reached.
    void observe(WireTap& tap, QByteArrayView data);
    void publishBody();
    void maybeFinish();
    // The client's bytes as they go to the server: the request head with the deflate offer, then
    // frames (deflated when negotiated). Empty while the head is incomplete.
    QByteArray rewriteFromClient(const QByteArray& data);
    // Writes what QWebSocket gets for the server's bytes data (already observed; framesFrom: where
    // the frames start in data, -1 when none do).
    void forwardToClient(const QByteArray& data, qsizetype framesFrom);
    // The response head as QWebSocket gets it: without the Sec-WebSocket-Extensions the relay
    // answers for.
    QByteArray responseHeadForQt() const;
    // The response head is in: checks the extension answer, sets up deflate.
    void negotiateExtensions();
    // The inspector fails the connection: an Error entry, a close frame with code and reason to
    // the server and to QWebSocket, and nothing more from QWebSocket forwarded.
    void failConnection(quint16 closeCode, const QString& reason);
    void checkFaults();
    qint64 elapsedUs() const { return m_clock.nsecsElapsed() / 1000; }

    Profile m_profile;
    QUrl m_upstreamUrl;
    LoopbackProxy* m_proxy = nullptr;
    UpstreamConnector* m_connector = nullptr;
    QPointer<QTcpSocket> m_client;
    QPointer<QTcpSocket> m_upstream; // set once the connector is ready
    QByteArray m_clientBacklog; // client bytes that arrived before the upstream was ready
    bool m_failed = false;
    bool m_paused = false;
    bool m_pumpingUpstream = false;
    bool m_upstreamClosed = false; // the server's side disconnected (its buffer may still hold bytes)
    bool m_upstreamEnded = false; // ... and everything it sent has been processed
    bool m_endUpstreamAfterForward = false; // a non-101 response is complete
    bool m_bodyPublished = false;
    std::atomic<bool> m_finished = false;

    WireTap m_send;
    WireTap m_receive;
    // permessage-deflate and the rewriting both ways.
    bool m_deflateOffered = false;
    NegotiatedDeflate m_deflate;
    QString m_handshakeFailure;
    bool m_requestForwarded = false;
    QByteArray m_requestHold;
    enum class Forward { Head, Frames, Raw, Nothing };
    Forward m_forward = Forward::Head;
    QByteArray m_responseHold;
    qsizetype m_receiveFramesFrom = -1; // set by observe() for the chunk it just read
    QtFrameShield m_shield;
    QList<ReassembledMessage> m_reassembled;
    QList<QByteArrayView> m_pieces;
    std::unique_ptr<OutgoingDeflater> m_outgoing;
    quint64 m_outgoingFrameSize = 0;
    std::deque<bool> m_compressionQueue; // before the outgoing deflater exists
    bool m_connectionFailed = false;
    HandshakeInfo m_handshake;
    QElapsedTimer m_clock;
    qint64 m_requestSentUs = 0;
};

} // namespace wsi

Q_DECLARE_METATYPE(wsi::WireRelay::Stage)
