#include "servecommand.h"

#include "server/qrcode.h"

#include <QTime>

using namespace Qt::StringLiterals;

namespace wsi {

ServeCommand::ServeCommand(QTextStream& out, QTextStream& err, QObject* parent)
    : QObject(parent)
    , m_out(out)
    , m_err(err)
{
    connect(&m_host, &ServerHost::event, this, &ServeCommand::print);
}

ServeCommand::~ServeCommand() = default;

bool ServeCommand::isServeCommand(const QStringList& arguments)
{
    return arguments.contains(u"--serve"_s);
}

Result<ListenOptions> ServeCommand::parseListen(const QString& text)
{
    ListenOptions options;
    QString host = text.trimmed();
    QString port;
    if (host.startsWith(u'[')) { // [::1]:8080
        const qsizetype close = host.indexOf(u']');
        if (close < 0)
            return Error { tr("--listen \"%1\": the IPv6 address has no closing ].").arg(text), {} };
        port = host.mid(close + 1).startsWith(u':') ? host.mid(close + 2) : QString();
        host = host.mid(1, close - 1);
    } else if (host.count(u':') == 1) {
        port = host.section(u':', 1);
        host = host.section(u':', 0, 0);
    } else if (!host.contains(u':') && !host.contains(u'.') && !host.isEmpty()) {
        port = host; // just a port
        host.clear();
    }
    if (!port.isEmpty()) {
        bool ok = false;
        const int p = port.toInt(&ok);
        if (!ok || p < 0 || p > 65535)
            return Error { tr("--listen \"%1\": \"%2\" is not a port (0-65535).").arg(text, port), {} };
        options.port = quint16(p);
    }
    if (!host.isEmpty()) {
        if (host == u"localhost")
            host = u"127.0.0.1"_s;
        QHostAddress address;
        if (host == u"*" || host == u"all")
            address = QHostAddress::Any;
        else if (!address.setAddress(host))
            return Error { tr("--listen \"%1\": \"%2\" is not an IP address of this machine (use 0.0.0.0 for all "
                              "interfaces).")
                               .arg(text, host),
                {} };
        options.address = address;
        options.allowNetwork = true; // typed on the command line: the user's explicit choice
    }
    return options;
}

Result<ListenOptions> ServeCommand::parse(const QStringList& arguments)
{
    ListenOptions options;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString& a = arguments.at(i);
        auto value = [&](const QString& name) -> std::optional<QString> {
            if (a.startsWith(name + u'='))
                return a.mid(name.size() + 1);
            if (a == name && i + 1 < arguments.size())
                return arguments.at(++i);
            return std::nullopt;
        };
        if (a == u"--serve" || a == u"--cli")
            continue;
        if (a == u"--listen" || a.startsWith(u"--listen=")) {
            const std::optional<QString> v = value(u"--listen"_s);
            if (!v)
                return Error { tr("--listen needs ADDR:PORT, e.g. --listen 0.0.0.0:8080."), {} };
            Result<ListenOptions> parsed = parseListen(*v);
            if (!parsed)
                return parsed.error();
            const ServerLimits limits = options.limits;
            options = *parsed;
            options.limits = limits;
        } else if (a == u"--max-clients" || a.startsWith(u"--max-clients=")) {
            const std::optional<QString> v = value(u"--max-clients"_s);
            bool ok = false;
            const int n = v ? v->toInt(&ok) : 0;
            if (!ok || n < 1 || n > 100000)
                return Error { tr("--max-clients needs a number from 1 to 100000."), {} };
            options.limits.maxClients = n;
        } else {
            return Error { tr("--serve does not take \"%1\" (only --listen ADDR:PORT and --max-clients N).").arg(a),
                {} };
        }
    }
    return options;
}

bool ServeCommand::start(const QStringList& arguments)
{
    const Result<ListenOptions> options = parse(arguments);
    if (!options) {
        m_err << "wsinspector: " << options.errorMessage() << Qt::endl;
        m_exitCode = ExitUsage;
        return false;
    }
    if (const Result<void> started = m_host.start(*options); !started) {
        m_err << "wsinspector: " << started.errorMessage() << Qt::endl;
        m_exitCode = ExitFailed;
        return false;
    }
    const QUrl local = m_host.localUrl(u"/"_s, u"http"_s);
    m_out
        << tr("WebSocket Inspector classroom server on %1 port %2").arg(options->address.toString()).arg(m_host.port())
        << Qt::endl;
    const QList<QUrl> urls = studentUrls(options->address, m_host.port());
    if (urls.isEmpty()) {
        m_out << tr("Only this machine can connect (loopback). For a class: --listen 0.0.0.0:%1").arg(m_host.port())
              << Qt::endl;
        m_out << "  " << local.toString() << Qt::endl;
    } else {
        m_out << tr("Warning: every machine on the network can reach this server.") << Qt::endl;
        m_out << tr("Students open:") << Qt::endl;
        for (const QUrl& u : urls)
            m_out << "  " << u.toString() << Qt::endl;
        if (const Result<QrCode> qr = QrCode::encode(urls.first().toString().toUtf8()))
            m_out << qr->toTerminal();
    }
    QUrl ws = local;
    ws.setScheme(u"ws"_s);
    ws.setPath(u"/echo"_s);
    m_out << tr("WebSocket: %1 (also /chat?name=NAME, /push?interval=MS&count=N&size=BYTES, ?format=text)")
                 .arg(ws.toString())
          << Qt::endl;
    QUrl poll = local;
    poll.setPath(u"/poll"_s);
    poll.setQuery(u"interval=1000&after=0&wait=25000"_s);
    m_out << tr("Polling: %1").arg(poll.toString()) << Qt::endl;
    m_out << tr("Ctrl+C stops the server.") << Qt::endl;
    return true;
}

void ServeCommand::stop()
{
    m_host.stop();
    m_out << tr("Server stopped.") << Qt::endl;
    Q_EMIT finished(m_exitCode);
}

void ServeCommand::print(const ServerEvent& e)
{
    const QString time = QTime::currentTime().toString(u"HH:mm:ss"_s);
    const ServerClient& c = e.client;
    const QString who = c.name.isEmpty() ? c.address : u"%1 \"%2\""_s.arg(c.address, c.name);
    QString line;
    switch (e.kind) {
    case ServerEvent::Kind::Connected:
        line = u"+ %1 %2"_s.arg(c.path, who);
        if (!c.userAgent.isEmpty())
            line += u" (%1)"_s.arg(c.userAgent.left(60));
        break;
    case ServerEvent::Kind::Renamed:
        line = u"~ %1 %2 (was \"%3\")"_s.arg(c.path, who, e.detail);
        break;
    case ServerEvent::Kind::Disconnected:
        line = u"- %1 %2 %3 in %4 out, close %5"_s.arg(c.path, who)
                   .arg(c.messagesIn)
                   .arg(c.messagesOut)
                   .arg(e.detail.trimmed());
        break;
    case ServerEvent::Kind::Refused:
        line = u"! %1 %2 refused: %3"_s.arg(c.path, c.address, e.detail);
        break;
    case ServerEvent::Kind::Request:
        line = u"  %1 %2"_s.arg(c.address, e.detail);
        break;
    }
    m_out << time << "  " << line << Qt::endl;
}

} // namespace wsi
