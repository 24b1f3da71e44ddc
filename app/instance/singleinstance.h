#pragma once

#include "util/result.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QStringList>

#include <functional>
#include <utility>

class QLocalServer;
class QLocalSocket;

namespace wsi {

// What a later launch asks the running window to do: its arguments (after the program name) and
// the folder it was started in, so that relative paths in the options mean what the user meant.
struct LaunchRequest
{
    QStringList arguments;
    QString workingDirectory;
};

// One window per user: the first window listens on a per-user local socket and a later launch
// hands its arguments to it instead of opening a second window. Only the window front end uses
// it; the terminal front end never does.
class SingleInstance : public QObject
{
    Q_OBJECT
public:
    enum class Role {
        Primary, // this process listens; requests go to the handler
        HandedOver, // the running window took the request: exit with 0
        Refused, // the running window refused the request: notice() says why, exit with 2
        Alone, // no hand-over and no listening (see notice()): run a window of our own
    };
    // Runs in the receiving process with the request's folder as the current one; an error goes
    // back to the launch that sent the request, which prints it.
    using Handler = std::function<Result<void>(const LaunchRequest&)>;

    // Largest request accepted (arguments are typed or passed by a desktop, never megabytes).
    static constexpr qint64 MaxRequestBytes = 1024 * 1024;
    static constexpr int MaxPendingClients = 16;

    explicit SingleInstance(const QString& socketPath = defaultSocketPath(), QObject* parent = nullptr);
    ~SingleInstance() override;

    // $XDG_RUNTIME_DIR/wsinspector.socket (per user, 0700), or a per-user name in the temp folder.
    static QString defaultSocketPath();

    // handOver false (--new-window): never hands over, listens only when no window does yet.
    // A socket left behind by a window that crashed is detected and removed (see notice()).
    // timeoutMs bounds each wait (the lock, connecting, the answer): a window that opens a tab for a
    // saved profile may first wait for the keychain.
    Role start(const LaunchRequest& request, bool handOver, int timeoutMs = 10000);
    // Requests that arrive before there is a handler wait for it (the window may still be loading).
    void setHandler(Handler handler);
    int waitingRequests() const { return int(m_waiting.size()); }
    QString socketPath() const { return m_socketPath; }
    // A sentence for stderr about what start() found (a stale socket, no answer, the refusal);
    // empty when there is nothing to say.
    QString notice() const { return m_notice; }

    // The wire format, one frame each way: a 32-bit big-endian length, then the payload.
    static QByteArray encodeRequest(const LaunchRequest& request);
    static Result<LaunchRequest> decodeRequest(const QByteArray& payload);

private:
    Role handOver(const LaunchRequest& request, QLocalSocket* socket, int timeoutMs);
    bool listen();
    void acceptClients();
    void readRequest(QLocalSocket* client, QByteArray* pending);
    void answer(QLocalSocket* client, const Result<LaunchRequest>& request);

    QString m_socketPath;
    QString m_notice;
    QLocalServer* m_server = nullptr;
    Handler m_handler;
    QList<std::pair<QPointer<QLocalSocket>, LaunchRequest>> m_waiting;
};

} // namespace wsi
