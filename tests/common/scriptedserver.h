#pragma once

#include "wire/frameparser.h"
#include "wire/wiretypes.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <QTcpServer>
#include <QTcpSocket>

#include <functional>

namespace wsi::test {

// One connection's worth of a hand-made WebSocket server on 127.0.0.1, for tests that make a
// server break one rule: reads the client's request head, hands it to the script (which writes
// the answer), then collects the client's frames and answers its close frame with a close frame
// (unless answerClose is off).
class ScriptedServer : public QObject
{
public:
    using Script = std::function<void(QTcpSocket* socket, const HttpHead& request)>;

    explicit ScriptedServer(Script script);
    ~ScriptedServer() override;

    quint16 port() const { return m_server.serverPort(); }
    QString url() const; // ws://127.0.0.1:PORT/

    bool answerClose = true; // answer the client's close frame with one and close the connection
    QByteArray greeting; // written as soon as a client connects, before it says anything
    HttpHead request; // the client's request head, once it arrived

    // The Accept the client's key calls for (empty before the request arrived).
    QByteArray expectedAccept() const;
    // The client's frames after its head, as the server received them.
    QList<ParsedFrame> clientFrames() const;
    // The code of the first close frame the client sent; 0 = none, 1005 = one without a code.
    quint16 clientCloseCode() const;

    static QByteArray accept(const HttpHead& request);
    // A valid 101 for request, with extra header lines ("Name: value\r\n") before the empty line.
    static QByteArray ok101(const HttpHead& request, const QByteArray& extra = {});
    // An unmasked server frame, length in the minimal form.
    static QByteArray frame(quint8 opcode, bool fin, QByteArrayView payload, quint8 rsv = 0);
    static QByteArray close(quint16 code, const QByteArray& reason = {});

private:
    void onData(QTcpSocket* socket);

    QTcpServer m_server;
    Script m_script;
    QByteArray m_request;
    QByteArray m_afterHead;
    bool m_headDone = false;
    bool m_closeAnswered = false;
};

// What the terminal front end did in one run.
struct CliRun
{
    int exitCode = -1;
    QString out;
    QString err;
    // The reason the terminal printed last ("wsinspector: ..." without the prefix).
    QString reason() const;
};

// Runs the terminal front end in this process with args (as on the command line, "--cli" optional)
// until it finishes; a parse error comes back in err, and a run still going after timeoutMs, with
// exitCode -1.
CliRun runCli(const QStringList& args, int timeoutMs = 20000);

} // namespace wsi::test
