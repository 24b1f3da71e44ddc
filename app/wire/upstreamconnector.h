#pragma once

#include "log/logentry.h"
#include "profiles/profile.h"
#include "util/result.h"
#include "wire/wiretypes.h"

#include <QAbstractSocket>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QSslError>
#include <QTcpSocket>
#include <QUrl>

namespace wsi {

// Opens the real connection to the server for the wire relay: DNS and TCP (both timed), through
// the profile's proxy (none, system, HTTP or SOCKS5), TLS for wss:// (SNI, verification, the
// profile's pinned SHA-256 fingerprints, verification off with a note per ignored problem), and
// TCP_NODELAY as the profile says; the profile's resolve entries replace the DNS lookup of their
// host (the URL's host stays the TLS peer name). Ends in ready() or failed(), once.
class UpstreamConnector : public QObject
{
    Q_OBJECT
public:
    enum class Step { Resolved, TcpConnected, TlsEstablished };
    Q_ENUM(Step)

    explicit UpstreamConnector(const Profile& profile, QObject* parent = nullptr);
    ~UpstreamConnector() override;

    // Starts connecting to url's host and port (TLS for wss://), or to the address of a resolve entry.
    void connectTo(const QUrl& url);
    // Gives up: no signal follows, the socket is dropped.
    void abort();
    // Between connectTo() and ready(), failed() or abort().
    bool isConnecting() const { return m_connecting; }
    // The connected socket once ready() was emitted (owned by the connector), else null.
    QTcpSocket* socket() const { return m_ready ? m_socket.data() : nullptr; }
    // DNS, TCP and TLS durations so far (upgradeUs is not the connector's).
    const ConnectionTimings& timings() const { return m_timings; }
    const TlsInfo& tls() const { return m_tls; }

Q_SIGNALS:
    void stepDone(wsi::UpstreamConnector::Step step);
    // Something the user should know (a certificate problem ignored, a pinned certificate used).
    void note(const wsi::LogEntry& entry);
    // Bytes may flow: TCP is up, and for wss the TLS handshake is done.
    void ready();
    // error.message is for the user when it is not empty (TLS, files); otherwise describe code.
    // error.details is the library's own text.
    void failed(QAbstractSocket::SocketError code, const wsi::Error& error);

private:
    void connectToResolved(const QString& host);
    void onConnected();
    void onReady();
    void onError(QAbstractSocket::SocketError error);
#ifndef QT_NO_SSL
    void onSslErrors(const QList<QSslError>& errors);
    void fillTlsInfo(const QList<QSslError>& errors);
#endif
    void fail(QAbstractSocket::SocketError code, const Error& error);
    qint64 elapsedUs() const
    {
        return m_clock.nsecsElapsed() / 1000;
    }

    Profile m_profile;
    QUrl m_url;
    bool m_useTls = false;
    bool m_connecting = false;
    bool m_ready = false;
    QPointer<QTcpSocket> m_socket;
    QElapsedTimer m_clock;
    qint64 m_stepStartUs = 0;
    ConnectionTimings m_timings;
    TlsInfo m_tls;
};

} // namespace wsi
