#include "scriptedserver.h"

#include "cli/clifrontend.h"
#include "cli/clioptions.h"
#include "wire/framewriter.h"
#include "wire/handshakecheck.h"
#include "wire/httpheadparser.h"

#include <QBuffer>
#include <QSignalSpy>

using namespace Qt::StringLiterals;

namespace wsi::test {

ScriptedServer::ScriptedServer(Script script)
    : m_script(std::move(script))
{
    m_server.listen(QHostAddress::LocalHost);
    connect(&m_server, &QTcpServer::newConnection, this, [this] {
        QTcpSocket* s = m_server.nextPendingConnection();
        s->setParent(this);
        if (!greeting.isEmpty())
            s->write(greeting);
        connect(s, &QTcpSocket::readyRead, this, [this, s] { onData(s); });
    });
}

ScriptedServer::~ScriptedServer() = default;

QString ScriptedServer::url() const
{
    return u"ws://127.0.0.1:%1/"_s.arg(port());
}

QByteArray ScriptedServer::expectedAccept() const
{
    return request.raw.isEmpty() ? QByteArray() : accept(request);
}

QList<ParsedFrame> ScriptedServer::clientFrames() const
{
    FrameParser parser(Direction::Send);
    QList<ParsedFrame> out;
    parser.feed(m_afterHead, out);
    return out;
}

quint16 ScriptedServer::clientCloseCode() const
{
    for (const ParsedFrame& f : clientFrames()) {
        if (f.info.opcode == OpClose)
            return f.payload.size() >= 2 ? quint16((quint8(f.payload[0]) << 8) | quint8(f.payload[1])) : 1005;
    }
    return 0;
}

QByteArray ScriptedServer::accept(const HttpHead& request)
{
    return HandshakeCheck::expectedAccept(request.header("Sec-WebSocket-Key").trimmed());
}

QByteArray ScriptedServer::ok101(const HttpHead& request, const QByteArray& extra)
{
    return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
        + accept(request) + "\r\n" + extra + "\r\n";
}

QByteArray ScriptedServer::frame(quint8 opcode, bool fin, QByteArrayView payload, quint8 rsv)
{
    QByteArray out;
    FrameWriter::append(out, opcode, fin, rsv, payload, false);
    return out;
}

QByteArray ScriptedServer::close(quint16 code, const QByteArray& reason)
{
    return frame(OpClose, true, QByteArray(QByteArray(1, char(code >> 8)) + char(code & 0xff) + reason));
}

void ScriptedServer::onData(QTcpSocket* s)
{
    if (m_headDone) {
        m_afterHead += s->readAll();
        if (answerClose && !m_closeAnswered && clientCloseCode() != 0) {
            m_closeAnswered = true;
            s->write(close(1000));
            s->disconnectFromHost();
        }
        return;
    }
    m_request += s->readAll();
    const qsizetype end = m_request.indexOf("\r\n\r\n");
    if (end < 0)
        return;
    m_headDone = true;
    m_afterHead = m_request.mid(end + 4);
    request = HttpHeadParser::parse(m_request.left(end + 4), true);
    m_script(s, request);
}

QString CliRun::reason() const
{
    const QStringList lines = err.split(u'\n', Qt::SkipEmptyParts);
    for (qsizetype i = lines.size() - 1; i >= 0; --i) {
        if (lines.at(i).startsWith(u"wsinspector: "_s) && !lines.at(i).contains(u"warning:"_s))
            return lines.at(i).mid(13);
    }
    return {};
}

CliRun runCli(const QStringList& args, int timeoutMs)
{
    CliRun run;
    CliOptions options;
    QString error;
    if (!CliParser::parse(args, &options, &error)) {
        run.err = error;
        return run;
    }
    QBuffer out;
    QBuffer err;
    out.open(QIODevice::WriteOnly);
    err.open(QIODevice::WriteOnly);
    {
        CliFrontend frontend(options, &out, &err);
        QSignalSpy finished(&frontend, &CliFrontend::finished);
        if (!frontend.start())
            run.exitCode = frontend.exitCode();
        else if (!finished.isEmpty() || finished.wait(timeoutMs))
            run.exitCode = finished.first().at(0).toInt();
        else
            run.exitCode = -1; // still running: a hang is never mistaken for an exit status
    }
    run.out = QString::fromUtf8(out.data());
    run.err = QString::fromUtf8(err.data());
    return run;
}

} // namespace wsi::test
