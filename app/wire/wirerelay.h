#pragma once

#include "deflate/deflatenegotiation.h"
#include "log/logentry.h"
#include "profiles/profile.h"
#include "util/result.h"
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

class LoopbackProxy;
class OutgoingDeflater;
class UpstreamConnector;

// The in-process loopback relay that lets the inspector see the real wire while QWebSocket drives
// the connection. It coordinates a LoopbackProxy (the client's side), an UpstreamConnector (the
// server's side) and one WireTap per direction, and pumps the bytes between the two sockets with
// backpressure. Client to server: unchanged, except for the permessage-deflate offer and compressed
// messages. Server to client: the response head as Qt understands it, then only the control frames
// QWebSocket acts on (QtFrameShield): the taps, not Qt, turn the real wire into entries, so data
// frames are parsed once. Its API is signals with value types, so it can live in a thread of its own.
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
    // connect upstream to upstreamUrl (ws:// or wss://). The error says why it cannot listen.
    Result<void> start(const QUrl& clientUrl, const QUrl& upstreamUrl);
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
    // Fails the WebSocket connection on the inspector's own verdict (RFC 6455 §7.1.7): when the
    // server's 101 was accepted, a masked close frame with closeCode and reason (cut to 123 bytes
    // of UTF-8) goes upstream at the next boundary of the client's frames; then both sides are
    // dropped and QWebSocket sees nothing more of the server. connectionFailed() is emitted first,
    // so the session reports reason as THE reason (Failed, non-zero exit status of the terminal).
    // The first verdict stands: later calls are ignored. Safe inside slots of this relay's signals.
    void failConnection(quint16 closeCode, const QString& reason);
    // failConnection() was called.
    bool isFailing() const { return m_failing; }
    const HandshakeInfo& handshake() const { return m_handshake; }
    // The bytes of the server's response head read so far while it has not ended (a timeout names them).
    QByteArray partialResponseHead() const
    {
        return m_receive.headComplete() ? QByteArray() : m_receive.partialHead().raw;
    }
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
    // The relay failed the connection (failConnection); reason is for the user as it stands.
    void connectionFailed(quint16 closeCode, const QString& reason);
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
    // Feeds data to tap, then publishes its entries and the handshake stages it reached. Returns
    // the offset in data just past the head when the head ended in data, else -1.
    // Payloads that lie inside chunk share its memory (WireTap::feedShared).
    qsizetype observe(WireTap& tap, const QByteArray& chunk);
    // Runs HandshakeCheck on the response head just completed (or cut short: closedEarly); notes
    // what is tolerated into batch and returns why the response is refused (empty: accepted).
    QString checkResponse(bool closedEarly, qint64 timeUs, LogBatch& batch);
    // The response head as QWebSocket gets it: the one place that decides what Qt sees of it (the
    // log and the capture keep the real bytes). HandshakeCheck::normalizedForQt sidesteps Qt 6.4's
    // false rejections; an extension Qt does not implement is to be removed here as well.
    QByteArray headForQt(const HttpHead& response) const;
    // After the server's frames were parsed: strict fails the connection at the first rule a
    // client must fail on (lenient only flags it); a stopped parser (the size limit) always fails.
    void judgeServerFrames();
    void publishBody();
    void maybeFinish();
    // The client's bytes as they go to the server: the request head with the deflate offer, then
    // frames (deflated when negotiated). Empty while the head is incomplete.
    QByteArray rewriteFromClient(const QByteArray& data);
    // Writes what QWebSocket gets for the server's frames (QtFrameShield).
    void forwardFrames(QByteArrayView frames);
    // The 101 is in: checks the server's extension answer and sets up deflate; why it is refused.
    QString negotiateExtensions();
    // Fails the connection for the first rule a tap found broken (RSV bits, corrupt compressed
    // data, a decompression bomb).
    void checkFaults();
    // Failing: forwards the client's bytes up to the end of the frame under way, then sends the
    // close frame and drops the client. True once the close frame went (or cannot go).
    bool finishFailing();
    void dropUpstreamAfterGrace();
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
    bool m_failing = false; // failConnection() was called
    bool m_closeSent = false; // ... and its close frame went upstream (or the client was dropped without)
    bool m_upgradeAccepted = false; // the response was a 101 the inspector accepted: frames may flow
    bool m_faultHandled = false; // the server's first must-fail violation was acted on (or flagged)
    bool m_stopHandled = false; // the receive tap's stop (an inspector limit) was acted on
    bool m_hideSubprotocolFromQt = false; // lenient: an unoffered subprotocol is flagged, not given to Qt
    quint16 m_failCode = 0;
    QByteArray m_failReason; // UTF-8, at most 123 bytes
    std::atomic<bool> m_finished = false;

    WireTap m_send;
    WireTap m_receive;
    // permessage-deflate and the re-encoding both ways.
    bool m_deflateOffered = false;
    NegotiatedDeflate m_deflate;
    bool m_requestForwarded = false;
    QByteArray m_requestHold;
    QtFrameShield m_shield;
    QList<QByteArrayView> m_pieces;
    std::unique_ptr<OutgoingDeflater> m_outgoing;
    quint64 m_outgoingFrameSize = 0;
    std::deque<bool> m_compressionQueue; // before the outgoing deflater exists
    HandshakeInfo m_handshake;
    QElapsedTimer m_clock;
    qint64 m_requestSentUs = 0;
};

} // namespace wsi

Q_DECLARE_METATYPE(wsi::WireRelay::Stage)
