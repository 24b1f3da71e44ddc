#include "snippetgenerator.h"

#include "check/miniprogramrules.h"
#include "profiles/profilevalidator.h"

using namespace Qt::StringLiterals;

namespace wsi {

namespace {

struct Header
{
    QString name;
    QString value;
    bool secret = false;
};

// What every language needs, taken from the profile once.
struct Settings
{
    QUrl url;
    QString urlText;
    QList<Header> headers;
    QStringList subprotocols;
    QString origin;
    int timeoutMs = Profile::kDefaultTimeoutMs;
    bool tcpNoDelay = true;
    bool deflate = false;
    bool verifyTls = true;
    QString message;
    Profile profile; // for the rules that judge the profile as a whole
    bool anySecret = false;
    bool tls() const { return url.scheme() == u"wss"; }
};

QString secretPlaceholder(const QString& name)
{
    return u"<"_s + name + u">"_s;
}

QString indent(int n)
{
    return QString(n, u' ');
}

// "a", "b" -> the inside of a list literal, each element quoted by quote().
template <typename Quote> QString joinQuoted(const QStringList& items, Quote quote, const QString& separator = u", "_s)
{
    QStringList out;
    for (const QString& s : items)
        out.append(quote(s));
    return out.join(separator);
}

QString secretComment(const Settings& s, const QString& prefix)
{
    return s.anySecret ? prefix
            + SnippetGenerator::tr("Secret header values were left out: replace each <Name> with the "
                                   "real value.")
            + u'\n'
                       : QString();
}

QString wechat(const Settings& s)
{
    QString out;
    out += u"// "_s + SnippetGenerator::tr("WeChat mini program: wx.connectSocket and its SocketTask.") + u'\n';
    // The platform's rules come from MiniProgramRules, as the mini-program check's do.
    out += u"// "_s
        + SnippetGenerator::tr(
            "Platform rules: the URL must be wss:// and its domain must be on the mini program's socket "
            "allow-list (no IP address or localhost outside development), at most %1 sockets may "
            "be open at once (%2 before base library %3).")
              .arg(MiniProgramRules::kMaxSockets)
              .arg(MiniProgramRules::kMaxSocketsOld)
              .arg(QString::fromLatin1(MiniProgramRules::kMaxSocketsVersion))
        + u'\n';
    QStringList versions;
    for (const MiniProgramRules::OptionVersion& o : MiniProgramRules::optionVersions())
        versions.append(o.option + u' ' + o.version);
    out += u"// "_s + SnippetGenerator::tr("Base library needed: %1.").arg(versions.join(u", "_s)) + u'\n';
    QStringList used;
    for (const MiniProgramRules::OptionVersion& o : MiniProgramRules::optionsThatMatter(s.profile))
        used.append(o.option);
    if (!used.isEmpty())
        out += u"// "_s
            + SnippetGenerator::tr("These settings need base library %1 or newer (%2); older ones ignore them.")
                  .arg(MiniProgramRules::lowestBaseLibrary(s.profile), used.join(u", "_s))
            + u'\n';
    if (s.timeoutMs == MiniProgramRules::kDefaultTimeoutMs)
        out += u"// "_s
            + SnippetGenerator::tr("timeout: %1 ms is also the platform's default (or networkTimeout.connectSocket "
                                   "in app.json).")
                  .arg(MiniProgramRules::kDefaultTimeoutMs)
            + u'\n';
    if (!s.tls())
        out += u"// "_s + SnippetGenerator::tr("Warning: this URL is ws://; a mini program only connects to wss://.")
            + u'\n';
    out += secretComment(s, u"// "_s);
    out += u"const socketTask = wx.connectSocket({\n"_s;
    out += u"  url: "_s + SnippetGenerator::jsString(s.urlText) + u",\n"_s;
    QStringList headers;
    for (const Header& h : s.headers) {
        if (MiniProgramRules::isForbiddenHeader(h.name))
            continue; // the platform does not let a mini program set it
        headers.append(u"    "_s + SnippetGenerator::jsString(h.name) + u": "_s + SnippetGenerator::jsString(h.value));
    }
    if (!headers.isEmpty())
        out += u"  header: {\n"_s + headers.join(u",\n"_s) + u"\n  },\n"_s;
    if (!s.subprotocols.isEmpty())
        out += u"  protocols: ["_s + joinQuoted(s.subprotocols, SnippetGenerator::jsString) + u"],\n"_s;
    out += u"  tcpNoDelay: "_s + (s.tcpNoDelay ? u"true"_s : u"false"_s) + u",\n"_s;
    out += u"  perMessageDeflate: "_s + (s.deflate ? u"true"_s : u"false"_s) + u",\n"_s;
    out += u"  timeout: "_s + QString::number(s.timeoutMs) + u",\n"_s;
    out += uR"(  success() {
    console.log('connectSocket: request started')
  },
  fail(err) {
    console.error('connectSocket failed:', err.errMsg)
  },
})

socketTask.onOpen((res) => {
  console.log('open', res.header)
  socketTask.send({ data: )"_s
        + SnippetGenerator::jsString(s.message) + uR"( })
})
socketTask.onMessage((res) => {
  console.log('message:', res.data)
  socketTask.close({ code: 1000, reason: 'done' })
})
socketTask.onError((err) => {
  console.error('error:', err.errMsg)
})
socketTask.onClose((res) => {
  console.log('closed', res.code, res.reason)
})
)"_s;
    for (const Header& h : s.headers) {
        if (MiniProgramRules::isForbiddenHeader(h.name))
            out += u"// "_s
                + SnippetGenerator::tr("The %1 header was left out: a mini program cannot set it.").arg(h.name) + u'\n';
    }
    return out;
}

QString browser(const Settings& s)
{
    QString out;
    out += u"// "_s + SnippetGenerator::tr("Browser JavaScript: the WebSocket API.") + u'\n';
    QStringList notes;
    if (!s.headers.isEmpty()) {
        QStringList names;
        for (const Header& h : s.headers)
            names.append(h.name);
        notes.append(SnippetGenerator::tr("A browser cannot set handshake headers, so these were left out: %1. Send "
                                          "such values in the URL's query or in the first message instead.")
                         .arg(names.join(u", "_s)));
    }
    if (!s.origin.isEmpty())
        notes.append(SnippetGenerator::tr("The browser sends the page's own Origin; it cannot be set."));
    notes.append(SnippetGenerator::tr("A browser has no handshake timeout option, and it negotiates compression "
                                      "(permessage-deflate) on its own."));
    for (const QString& n : std::as_const(notes))
        out += u"// "_s + n + u'\n';
    out += u"const ws = new WebSocket("_s + SnippetGenerator::jsString(s.urlText);
    if (!s.subprotocols.isEmpty())
        out += u", ["_s + joinQuoted(s.subprotocols, SnippetGenerator::jsString) + u']';
    out += u");\n"_s;
    out += uR"(ws.binaryType = 'arraybuffer';

ws.addEventListener('open', () => {
  console.log('open, subprotocol:', ws.protocol);
  ws.send()"_s
        + SnippetGenerator::jsString(s.message) + uR"();
});
ws.addEventListener('message', (event) => {
  console.log('message:', event.data);
  ws.close(1000, 'done');
});
ws.addEventListener('error', () => {
  console.error('error (the browser gives no details; see the close code)');
});
ws.addEventListener('close', (event) => {
  console.log('closed', event.code, event.reason, event.wasClean);
});
)"_s;
    return out;
}

QString jsHeaderObject(const Settings& s, int spaces)
{
    QStringList lines;
    for (const Header& h : s.headers)
        lines.append(
            indent(spaces + 2) + SnippetGenerator::jsString(h.name) + u": "_s + SnippetGenerator::jsString(h.value));
    return u"{\n"_s + lines.join(u",\n"_s) + u'\n' + indent(spaces) + u'}';
}

QString nodeWs(const Settings& s)
{
    QString out;
    out += u"// "_s + SnippetGenerator::tr("Node.js with the ws package (npm install ws).") + u'\n';
    if (!s.tcpNoDelay)
        out += u"// "_s
            + SnippetGenerator::tr("ws always turns Nagle's algorithm off (TCP no-delay); it has no option for it.")
            + u'\n';
    out += secretComment(s, u"// "_s);
    out += u"const WebSocket = require('ws');\n\n"_s;
    out += u"const ws = new WebSocket("_s + SnippetGenerator::jsString(s.urlText) + u", ["_s
        + joinQuoted(s.subprotocols, SnippetGenerator::jsString) + u"], {\n"_s;
    if (!s.headers.isEmpty())
        out += u"  headers: "_s + jsHeaderObject(s, 2) + u",\n"_s;
    if (!s.origin.isEmpty())
        out += u"  origin: "_s + SnippetGenerator::jsString(s.origin) + u",\n"_s;
    out += u"  handshakeTimeout: "_s + QString::number(s.timeoutMs) + u",\n"_s;
    out += u"  perMessageDeflate: "_s + (s.deflate ? u"true"_s : u"false"_s) + u",\n"_s;
    if (s.tls() && !s.verifyTls)
        out += u"  rejectUnauthorized: false, // "_s + SnippetGenerator::tr("certificate verification is off") + u'\n';
    out += uR"(});

ws.on('open', () => {
  console.log('open, subprotocol:', ws.protocol);
  ws.send()"_s
        + SnippetGenerator::jsString(s.message) + uR"();
});
ws.on('message', (data, isBinary) => {
  console.log('message:', isBinary ? data : data.toString());
  ws.close(1000, 'done');
});
ws.on('close', (code, reason) => {
  console.log('closed', code, reason.toString());
});
ws.on('error', (err) => {
  console.error('error:', err.message);
  process.exitCode = 1;
});
)"_s;
    return out;
}

QString nodeWebsocket(const Settings& s)
{
    QString out;
    out += u"// "_s
        + SnippetGenerator::tr("Node.js with the websocket package (WebSocket-Node: npm install websocket).") + u'\n';
    out += u"// "_s
        + SnippetGenerator::tr("It has no handshake timeout option and does not negotiate permessage-deflate.") + u'\n';
    out += secretComment(s, u"// "_s);
    out += u"const WebSocketClient = require('websocket').client;\n\n"_s;
    out += u"const client = new WebSocketClient({\n"_s;
    out += u"  disableNagleAlgorithm: "_s + (s.tcpNoDelay ? u"true"_s : u"false"_s) + u",\n"_s;
    if (s.tls() && !s.verifyTls)
        out += u"  tlsOptions: { rejectUnauthorized: false }, // "_s
            + SnippetGenerator::tr("certificate verification is off") + u'\n';
    out += uR"(});

client.on('connectFailed', (error) => {
  console.error('connect failed:', error.toString());
  process.exitCode = 1;
});
client.on('connect', (connection) => {
  console.log('open, subprotocol:', connection.protocol);
  connection.on('message', (message) => {
    console.log('message:', message.type === 'utf8' ? message.utf8Data : message.binaryData);
    connection.close(1000, 'done');
  });
  connection.on('close', (code, description) => {
    console.log('closed', code, description);
  });
  connection.on('error', (error) => {
    console.error('error:', error.toString());
  });
  connection.sendUTF()"_s
        + SnippetGenerator::jsString(s.message) + uR"();
});

)"_s;
    out += u"client.connect("_s + SnippetGenerator::jsString(s.urlText) + u", "_s
        + (s.subprotocols.isEmpty() ? u"null"_s
                                    : u"["_s + joinQuoted(s.subprotocols, SnippetGenerator::jsString) + u']')
        + u", "_s + (s.origin.isEmpty() ? u"null"_s : SnippetGenerator::jsString(s.origin)) + u", "_s
        + (s.headers.isEmpty() ? u"{}"_s : jsHeaderObject(s, 0)) + u");\n"_s;
    return out;
}

QString python(const Settings& s)
{
    QString out;
    out += u"# "_s
        + SnippetGenerator::tr(
            "Python with the websockets package (pip install websockets; Debian: python3-websockets).")
        + u'\n';
    if (!s.tcpNoDelay)
        out += u"# "_s + SnippetGenerator::tr("websockets always turns Nagle's algorithm off; it has no option for it.")
            + u'\n';
    out += secretComment(s, u"# "_s);
    const bool noVerify = s.tls() && !s.verifyTls;
    out += u"import asyncio\n"_s + (noVerify ? u"import ssl\n"_s : QString()) + uR"(
try:  # websockets 13 and later
    from websockets.asyncio.client import connect

    HEADERS = "additional_headers"
except ImportError:  # earlier versions
    from websockets import connect

    HEADERS = "extra_headers"
)"_s;
    if (noVerify)
        out += u"\nno_verify = ssl.create_default_context()\nno_verify.check_hostname = False\n"
               u"no_verify.verify_mode = ssl.CERT_NONE  # "_s
            + SnippetGenerator::tr("certificate verification is off") + u'\n';
    out += u"\n\nasync def main():\n"_s;
    out += u"    options = {\n"_s;
    if (!s.subprotocols.isEmpty())
        out += u"        \"subprotocols\": ["_s + joinQuoted(s.subprotocols, SnippetGenerator::pyString) + u"],\n"_s;
    if (!s.headers.isEmpty()) {
        QStringList pairs;
        for (const Header& h : s.headers)
            pairs.append(u"(%1, %2)"_s.arg(SnippetGenerator::pyString(h.name), SnippetGenerator::pyString(h.value)));
        out += u"        HEADERS: ["_s + pairs.join(u", "_s) + u"],\n"_s;
    }
    if (!s.origin.isEmpty())
        out += u"        \"origin\": "_s + SnippetGenerator::pyString(s.origin) + u",\n"_s;
    out += u"        \"open_timeout\": "_s + QString::number(s.timeoutMs / 1000.0) + u",\n"_s;
    out += u"        \"compression\": "_s + (s.deflate ? u"\"deflate\""_s : u"None"_s) + u",\n"_s;
    if (s.tls() && !s.verifyTls)
        out += u"        \"ssl\": no_verify,\n"_s;
    out += u"    }\n"_s;
    out += u"    async with connect("_s + SnippetGenerator::pyString(s.urlText) + uR"(, **options) as ws:
        print("open, subprotocol:", ws.subprotocol)
        await ws.send()"_s
        + SnippetGenerator::pyString(s.message) + uR"()
        reply = await ws.recv()
        print("message:", reply)
        await ws.close(1000, "done")
        print("closed", ws.close_code, ws.close_reason)


asyncio.run(main())
)"_s;
    return out;
}

QString qtCpp(const Settings& s)
{
    QString out;
    out += u"// "_s
        + SnippetGenerator::tr(
            "C++ with Qt 6 WebSockets (CMake: find_package(Qt6 REQUIRED COMPONENTS WebSockets), link "
            "Qt6::WebSockets).")
        + u'\n';
    out += u"// "_s
        + SnippetGenerator::tr(
            "QWebSocket always turns Nagle's algorithm off, has no handshake timeout (a QTimer stands "
            "in) and no permessage-deflate.")
        + u'\n';
    out += secretComment(s, u"// "_s);
    out += uR"(#include <QCoreApplication>
#include <QNetworkRequest>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QWebSocket socket()"_s
        + (s.origin.isEmpty() ? QString() : u"QStringLiteral("_s + SnippetGenerator::cppString(s.origin) + u')')
        + uR"();
    QNetworkRequest request(QUrl(QStringLiteral()"_s
        + SnippetGenerator::cppString(s.urlText) + u")));\n"_s;
    for (const Header& h : s.headers)
        out += u"    request.setRawHeader(QStringLiteral("_s + SnippetGenerator::cppString(h.name)
            + u").toUtf8(), QStringLiteral("_s + SnippetGenerator::cppString(h.value) + u").toUtf8());\n"_s;
    out += u"    QWebSocketHandshakeOptions options;\n"_s;
    if (!s.subprotocols.isEmpty()) {
        QStringList items;
        for (const QString& p : s.subprotocols)
            items.append(u"QStringLiteral("_s + SnippetGenerator::cppString(p) + u')');
        out += u"    options.setSubprotocols({ "_s + items.join(u", "_s) + u" });\n"_s;
    }
    if (s.tls() && !s.verifyTls)
        out += u"    QObject::connect(&socket, &QWebSocket::sslErrors, &socket, [&socket] { socket.ignoreSslErrors(); }); // "_s
            + SnippetGenerator::tr("certificate verification is off") + u'\n';
    out += uR"(
    QTimer timeout;
    timeout.setSingleShot(true);
    QObject::connect(&timeout, &QTimer::timeout, &socket, [&socket] { socket.abort(); });
    QObject::connect(&socket, &QWebSocket::connected, &socket, [&] {
        timeout.stop();
        qInfo() << "open, subprotocol:" << socket.subprotocol();
        socket.sendTextMessage(QStringLiteral()"_s
        + SnippetGenerator::cppString(s.message) + uR"());
    });
    QObject::connect(&socket, &QWebSocket::textMessageReceived, &socket, [&socket](const QString& message) {
        qInfo().noquote() << "message:" << message;
        socket.close(QWebSocketProtocol::CloseCodeNormal, QStringLiteral("done"));
    });
    QObject::connect(&socket, &QWebSocket::disconnected, &app, [&socket] {
        qInfo() << "closed" << socket.closeCode() << socket.closeReason() << socket.errorString();
        QCoreApplication::quit();
    });
    timeout.start()"_s
        + QString::number(s.timeoutMs) + uR"();
    socket.open(request, options);
    return app.exec();
}
)"_s;
    return out;
}

// The options every command-line client shares: headers, subprotocols, origin, no verification.
QStringList connectionWords(
    const Settings& s, const QString& protocolFlag, const QString& originFlag, const QString& insecureFlag)
{
    QStringList words;
    for (const Header& h : s.headers)
        words << u"-H"_s << SnippetGenerator::shellWord(h.name + u": "_s + h.value);
    for (const QString& p : s.subprotocols)
        words << protocolFlag << SnippetGenerator::shellWord(p);
    if (!s.origin.isEmpty())
        words << originFlag << SnippetGenerator::shellWord(s.origin);
    if (s.tls() && !s.verifyTls)
        words << insecureFlag;
    return words;
}

QString commandLine(SnippetGenerator::Language language, const Settings& s)
{
    QStringList words;
    QString comment;
    switch (language) {
    case SnippetGenerator::Language::Wscat:
        comment = SnippetGenerator::tr("wscat (npm install -g wscat): sends one message, waits a second, closes.");
        words << u"wscat"_s << u"-c"_s << SnippetGenerator::shellWord(s.urlText)
              << connectionWords(s, u"-s"_s, u"-o"_s, u"-n"_s);
        words << u"-x"_s << SnippetGenerator::shellWord(s.message) << u"-w"_s << u"1"_s;
        break;
    case SnippetGenerator::Language::Websocat:
        comment = SnippetGenerator::tr("websocat: sends one line as a text message and prints the answer.");
        words << u"echo"_s << SnippetGenerator::shellWord(s.message) << u"|"_s << u"websocat"_s << u"-1"_s
              << connectionWords(s, u"--protocol"_s, u"--origin"_s, u"-k"_s) << SnippetGenerator::shellWord(s.urlText);
        break;
    default:
        comment = SnippetGenerator::tr("WebSocket Inspector's terminal front end: every frame, then a clean close.");
        words << u"wsinspector"_s << u"--cli"_s << SnippetGenerator::shellWord(s.urlText)
              << connectionWords(s, u"-s"_s, u"-o"_s, u"-n"_s);
        if (s.timeoutMs != Profile::kDefaultTimeoutMs)
            words << u"--timeout"_s << QString::number(s.timeoutMs);
        if (!s.tcpNoDelay)
            words << u"--no-tcp-nodelay"_s;
        words << u"-v"_s << u"-x"_s << SnippetGenerator::shellWord(s.message) << u"-w"_s << u"1"_s;
        break;
    }
    return u"# "_s + comment + u'\n' + secretComment(s, u"# "_s) + words.join(u' ') + u'\n';
}

QString serverWs(const Settings& s, int port, const QString& path)
{
    QString out;
    out += u"// "_s + SnippetGenerator::tr("A minimal echo server in Node.js with the ws package (npm install ws).")
        + u'\n';
    out += u"const { WebSocketServer } = require('ws');\n\n"_s;
    out += u"const port = Number(process.env.PORT || "_s + QString::number(port) + u");\n"_s;
    out += u"const wss = new WebSocketServer({\n  port,\n  path: "_s + SnippetGenerator::jsString(path) + u",\n"_s;
    out += u"  perMessageDeflate: "_s + (s.deflate ? u"true"_s : u"false"_s) + u",\n"_s;
    if (!s.subprotocols.isEmpty())
        out += u"  handleProtocols: (protocols) => {\n    for (const p of ["_s
            + joinQuoted(s.subprotocols, SnippetGenerator::jsString)
            + u"]) if (protocols.has(p)) return p;\n    return false;\n  },\n"_s;
    out += uR"(});

wss.on('listening', () => console.log(`listening on ws://localhost:${wss.address().port})"_s
        + path + uR"(`));
wss.on('connection', (ws, request) => {
  console.log('client', request.socket.remoteAddress, request.headers['user-agent'] || '');
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  ws.on('close', (code, reason) => console.log('closed', code, reason.toString()));
});
)"_s;
    return out;
}

QString serverWebsocket(const Settings& s, int port, const QString& path)
{
    QString out;
    out += u"// "_s
        + SnippetGenerator::tr("A minimal echo server in Node.js with the websocket package (npm install websocket).")
        + u'\n';
    out += uR"(const http = require('http');
const WebSocketServer = require('websocket').server;

const port = Number(process.env.PORT || )"_s
        + QString::number(port) + uR"();
const server = http.createServer((request, response) => {
  response.writeHead(426, { 'Content-Type': 'text/plain' });
  response.end('This address speaks WebSocket.\n');
});
server.listen(port, () => console.log(`listening on ws://localhost:${server.address().port})"_s
        + path + uR"(`));

const wsServer = new WebSocketServer({ httpServer: server, autoAcceptConnections: false });
wsServer.on('request', (request) => {
  if (request.resourceURL.pathname !== )"_s
        + SnippetGenerator::jsString(path) + uR"() {
    request.reject(404, 'Not found');
    return;
  }
  const offered = request.requestedProtocols;
  const protocol = [)"_s
        + joinQuoted(s.subprotocols, SnippetGenerator::jsString) + uR"(].find((p) => offered.includes(p)) || null;
  const connection = request.accept(protocol, request.origin);
  connection.on('message', (message) => {
    if (message.type === 'utf8') connection.sendUTF(message.utf8Data);
    else connection.sendBytes(message.binaryData);
  });
  connection.on('close', (code, description) => console.log('closed', code, description));
});
)"_s;
    return out;
}

} // namespace

QList<SnippetGenerator::LanguageInfo> SnippetGenerator::languages()
{
    return {
        { Language::WeChat, u"wx"_s, tr("WeChat mini program (wx.connectSocket)"), u"socket.js"_s },
        { Language::Browser, u"browser"_s, tr("Browser JavaScript"), u"client.js"_s },
        { Language::NodeWs, u"node-ws"_s, tr("Node.js: ws"), u"client.js"_s },
        { Language::NodeWebsocket, u"node-websocket"_s, tr("Node.js: websocket (WebSocket-Node)"), u"client.js"_s },
        { Language::Python, u"python"_s, tr("Python: websockets"), u"client.py"_s },
        { Language::Qt, u"qt"_s, tr("C++: Qt QWebSocket"), u"main.cpp"_s },
        { Language::Wscat, u"wscat"_s, tr("wscat"), QString() },
        { Language::Websocat, u"websocat"_s, tr("websocat"), QString() },
        { Language::Cli, u"cli"_s, tr("wsinspector --cli"), QString() },
        { Language::ServerWs, u"server-ws"_s, tr("Echo server: Node.js ws"), u"server.js"_s },
        { Language::ServerWebsocket, u"server-websocket"_s, tr("Echo server: Node.js websocket"), u"server.js"_s },
    };
}

Result<SnippetGenerator::Language> SnippetGenerator::languageForId(const QString& id)
{
    QStringList ids;
    for (const LanguageInfo& info : languages()) {
        if (info.id.compare(id.trimmed(), Qt::CaseInsensitive) == 0)
            return info.language;
        ids.append(info.id);
    }
    return Error { tr("Unknown snippet language \"%1\": use one of %2.").arg(id, ids.join(u", "_s)), {} };
}

Result<QString> SnippetGenerator::generate(
    Language language, const Profile& profile, const QUrl& url, const QString& message)
{
    const ConnectionPlan plan = ProfileValidator::validate(profile);
    if (!plan.ok())
        return Error { plan.firstError(), {} };
    Settings s;
    s.url = url.isEmpty() ? plan.url : url;
    if (s.url.scheme() != u"ws" && s.url.scheme() != u"wss")
        return Error {
            tr("Code can only be written for a ws:// or wss:// address, not \"%1\".").arg(s.url.toDisplayString()), {}
        };
    s.urlText = s.url.toString(QUrl::FullyEncoded);
    for (const ProfileHeader& h : profile.headers) {
        if (!h.enabled || h.name.trimmed().isEmpty())
            continue;
        Header out { h.name.trimmed(), h.secret ? secretPlaceholder(h.name.trimmed()) : h.value, h.secret };
        s.anySecret = s.anySecret || h.secret;
        s.headers.append(out);
    }
    s.subprotocols = plan.subprotocols;
    s.origin = profile.origin;
    s.timeoutMs = profile.handshakeTimeoutMs;
    s.tcpNoDelay = profile.tcpNoDelay;
    s.deflate = profile.perMessageDeflate;
    s.verifyTls = profile.tls.verify;
    s.profile = profile;
    s.message = message.isEmpty() ? u"Hello from WebSocket Inspector"_s : message;

    const int port = s.url.port(8080);
    const QString path = s.url.path().isEmpty() ? u"/"_s : s.url.path();
    switch (language) {
    case Language::WeChat:
        return wechat(s);
    case Language::Browser:
        return browser(s);
    case Language::NodeWs:
        return nodeWs(s);
    case Language::NodeWebsocket:
        return nodeWebsocket(s);
    case Language::Python:
        return python(s);
    case Language::Qt:
        return qtCpp(s);
    case Language::Wscat:
    case Language::Websocat:
    case Language::Cli:
        return commandLine(language, s);
    case Language::ServerWs:
        return serverWs(s, port, path);
    case Language::ServerWebsocket:
        return serverWebsocket(s, port, path);
    }
    return Error { tr("Unknown snippet language."), {} };
}

namespace {
// A quoted string literal: backslash, the quote and \n \r \t escaped as every language here
// writes them; other characters as other(c) says (empty: keep the character).
template <typename Other> QString quoted(const QString& s, QChar quote, Other other)
{
    QString out = quote;
    for (QChar c : s) {
        const char16_t u = c.unicode();
        if (u == '\\' || c == quote)
            out += u'\\' + QString(c);
        else if (u == '\n')
            out += u"\\n"_s;
        else if (u == '\r')
            out += u"\\r"_s;
        else if (u == '\t')
            out += u"\\t"_s;
        else if (const QString escaped = other(u); !escaped.isEmpty())
            out += escaped;
        else
            out += c;
    }
    return out + quote;
}

bool isControl(char16_t u)
{
    return u < 0x20 || u == 0x7f;
}
} // namespace

QString SnippetGenerator::jsString(const QString& s)
{
    return quoted(s, u'\'', [](char16_t u) {
        return isControl(u) || u == 0x2028 || u == 0x2029 ? u"\\u%1"_s.arg(uint(u), 4, 16, QLatin1Char('0'))
                                                          : QString();
    });
}

QString SnippetGenerator::pyString(const QString& s)
{
    return quoted(s, u'"',
        [](char16_t u) { return isControl(u) ? u"\\x%1"_s.arg(uint(u), 2, 16, QLatin1Char('0')) : QString(); });
}

QString SnippetGenerator::cppString(const QString& s)
{
    // Inside QStringLiteral("..."): the source file is UTF-8; '?' is escaped so that no trigraph forms.
    return quoted(s, u'"', [](char16_t u) {
        if (u == '?')
            return u"\\?"_s;
        return isControl(u) ? u"\\%1"_s.arg(uint(u), 3, 8, QLatin1Char('0')) : QString();
    });
}

QString SnippetGenerator::shellWord(const QString& s)
{
    static const QString safe = u"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@%+,"_s;
    bool plain = !s.isEmpty();
    for (QChar c : s)
        plain = plain && safe.contains(c);
    if (plain)
        return s;
    QString out = s;
    out.replace(u"'"_s, u"'\\''"_s);
    return u'\'' + out + u'\'';
}

} // namespace wsi
