#pragma once

#include "log/logentry.h"
#include "profiles/profile.h"
#include "wire/frameparser.h"
#include "wire/httpheadparser.h"
#include "wire/messageassembler.h"
#include "wire/wiretypes.h"

#include <QAbstractSocket>
#include <QElapsedTimer>
#include <QNetworkProxy>
#include <QObject>
#include <QPointer>
#include <QSslError>
#include <QTimer>
#include <QUrl>

#include <atomic>

class QTcpServer;
class QTcpSocket;

namespace wsi {

// The in-process loopback relay that lets the inspector see the real wire while QWebSocket drives
// the connection: an HTTP CONNECT proxy on 127.0.0.1 for exactly one client (random credential,
// expected target), which opens the upstream connection itself (DNS, TCP, TLS for wss, the user's
// proxy), forwards every byte unchanged and parses both directions. Its API is signals with value
// types, so it can live in a thread of its own.
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
    // entriesReady is emitted synchronously at the end of each processed chunk, before the chunk is
    // forwarded; flush() only publishes what might be left (normally nothing).
    void flush();
    // While paused no bytes are read from the upstream socket (TCP then pushes back on the server);
    // resuming processes what is buffered.
    void setUpstreamPaused(bool paused);
    // Drops both connections.
    void shutdown();
    const HandshakeInfo& handshake() const { return m_handshake; }

    // Base64(SHA-1(key + GUID)), RFC 6455 section 4.2.2.
    static QByteArray acceptFor(const QByteArray& key);

Q_SIGNALS:
    void entriesReady(const wsi::LogBatch& batch);
    // The handshake facts grew (stage says which); info is a snapshot.
    void progress(wsi::WireRelay::Stage stage, const wsi::HandshakeInfo& info);
    // The upstream connection could not be made (message is for the user when not empty;
    // otherwise describe error).
    void upstreamFailed(QAbstractSocket::SocketError error, const QString& message, const QString& qtText);
    // Both sides are gone.
    void finished();

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
    void startUpstream();
    void connectUpstream(const QString& hostOrAddress);
    void onUpstreamConnected();
    void onUpstreamReady();
    void onUpstreamError(QAbstractSocket::SocketError error);
#ifndef QT_NO_SSL
    void onSslErrors(const QList<QSslError>& errors);
    void fillTlsInfo(const QList<QSslError>& errors);
#endif
    void failUpstream(QAbstractSocket::SocketError error, const QString& message, const QString& qtText);
    void onClientData();
    void onUpstreamData();
    void endUpstream();
    void parseSend(const char* data, qsizetype size);
    void parseReceive(const char* data, qsizetype size);
    void publishResponse(Stage stage);
    void trackPingPong(quint8 opcode, Direction dir);
    void post(LogEntry&& entry);
    void maybeFinish();
    qint64 elapsedUs() const
    {
        return m_clock.nsecsElapsed() / 1000;
    }

    Profile m_profile;
    QUrl m_upstreamUrl;
    QByteArray m_expectedTarget;
    QByteArray m_expectedAuth;
    QString m_user;
    QString m_password;
    QTcpServer* m_server = nullptr;
    QList<Candidate*> m_candidates;
    QPointer<QTcpSocket> m_client;
    QPointer<QTcpSocket> m_upstream;
    bool m_tls = false;
    bool m_upstreamReady = false;
    bool m_failed = false;
    std::atomic<bool> m_finished = false;
    QByteArray m_clientBacklog; // client bytes that arrived before the upstream was ready

    QElapsedTimer m_clock;
    qint64 m_dnsStartUs = 0;
    qint64 m_tcpStartUs = 0;
    qint64 m_tlsStartUs = 0;
    qint64 m_requestSentUs = 0;

    HandshakeInfo m_handshake;
    HttpHeadParser m_requestParser { true };
    HttpHeadParser m_responseParser { false };
    bool m_requestDone = false;
    bool m_responseDone = false;
    bool m_upgraded = false; // 101 seen: frames follow
    qint64 m_bodyExpected = -1;
    bool m_bodyPublished = false;
    FrameParser m_sendFrames;
    FrameParser m_receiveFrames;
    MessageAssembler m_sendMessages;
    MessageAssembler m_receiveMessages;
    QList<ParsedFrame> m_frameScratch;
    bool m_sendStopReported = false;
    // Pings each side sent that the other has not answered yet ([0] client, [1] server).
    int m_pingsOutstanding[2] = { 0, 0 };
    bool m_unsolicitedNoted[2] = { false, false };
    bool m_receiveCloseSeen = false;
    bool m_receiveStopReported = false;

    bool m_upstreamPaused = false;
    bool m_upstreamEnded = false; // the server side disconnected (bytes may still be buffered)
    bool m_upstreamEndHandled = false;
    bool m_parsing = false;

    LogBatch m_pending;
};

} // namespace wsi

Q_DECLARE_METATYPE(wsi::WireRelay::Stage)
