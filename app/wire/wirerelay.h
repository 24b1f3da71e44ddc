#pragma once

#include "log/logentry.h"
#include "profiles/profile.h"
#include "util/result.h"
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

namespace wsi {

class LoopbackProxy;
class UpstreamConnector;

// The in-process loopback relay that lets the inspector see the real wire while QWebSocket drives
// the connection. It coordinates a LoopbackProxy (the client's side), an UpstreamConnector (the
// server's side) and one WireTap per direction, and pumps the bytes between the two sockets
// unchanged, with backpressure. Its API is signals with value types, so it can live in a thread
// of its own.
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
    const HandshakeInfo& handshake() const { return m_handshake; }

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
    HandshakeInfo m_handshake;
    QElapsedTimer m_clock;
    qint64 m_requestSentUs = 0;
};

} // namespace wsi

Q_DECLARE_METATYPE(wsi::WireRelay::Stage)
