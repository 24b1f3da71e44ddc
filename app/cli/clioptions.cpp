#include "clioptions.h"

#include "deflate/deflatenegotiation.h"

#include "payload/payloadcodec.h"
#include "payload/placeholderexpander.h"
#include "profiles/profilevalidator.h"
#include "send/actionrunner.h"
#include "send/messagecomposer.h"
#include "teach/snippetgenerator.h"
#include "wire/hostoverride.h"

#include <QFile>
#include <QFileInfo>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace wsi {

QList<Action> CliOptions::runnerActions() const
{
    QList<Action> out;
    if (frameSize > 0)
        out.append(Action::frameSizeChange(qint64(frameSize)));
    for (const CliAction& a : actions) {
        switch (a.kind) {
        case CliAction::Kind::Text:
            out.append(Action::text(QString::fromUtf8(a.data)));
            break;
        case CliAction::Kind::Binary:
            out.append(Action::binary(a.data));
            break;
        case CliAction::Kind::Ping:
            out.append(Action::ping(a.data));
            break;
        case CliAction::Kind::Close:
            out.append(Action::close(a.closeCode, QString::fromUtf8(a.data)));
            break;
        }
    }
    if (waitSeconds >= 0)
        out.append(Action::closeAfter(int(std::min(waitSeconds * 1000.0, double(INT_MAX)))));
    return out;
}

namespace {
// One line of --help's option table: names (left column, never translated) and what the option
// does (translated; a "\n" continues it in the description column). No names: a section heading.
struct HelpLine
{
    const char* names;
    const char* text;
};
constexpr int kHelpColumn = 31; // where the descriptions start

// clang-format off
constexpr HelpLine kHelpLines[] = {
    { nullptr, QT_TRANSLATE_NOOP("wsi::CliOptions", "Connection:") },
    { "  -H, --header \"Name: value\"", QT_TRANSLATE_NOOP("wsi::CliOptions", "add a handshake header (repeatable, order kept)") },
    { "  -s, --subprotocol NAME", QT_TRANSLATE_NOOP("wsi::CliOptions", "offer a subprotocol (repeatable)") },
    { "  -o, --origin ORIGIN", QT_TRANSLATE_NOOP("wsi::CliOptions", "set the Origin header") },
    { "      --timeout MS", QT_TRANSLATE_NOOP("wsi::CliOptions", "handshake timeout (100-600000, default 10000)") },
    { "      --no-tcp-nodelay", QT_TRANSLATE_NOOP("wsi::CliOptions", "let the kernel batch small writes (Nagle)") },
    { "      --max-message-size BYTES", QT_TRANSLATE_NOOP("wsi::CliOptions", "largest incoming message accepted (default 64 MiB)") },
    { "      --deflate[=PARAMS]", QT_TRANSLATE_NOOP("wsi::CliOptions", "offer permessage-deflate (default: client_max_window_bits), e.g.\n"
            "--deflate=\"server_max_window_bits=10; client_no_context_takeover\"") },
    { "      --auto-reconnect", QT_TRANSLATE_NOOP("wsi::CliOptions", "reconnect with backoff after the connection drops") },
    { "      --keepalive MS", QT_TRANSLATE_NOOP("wsi::CliOptions", "send a ping every MS milliseconds") },
    { "      --lenient", QT_TRANSLATE_NOOP("wsi::CliOptions", "keep a connection that breaks RFC 6455 open and only flag\n"
            "the violations (default: fail it with 1002/1007)") },
    { "      --proxy URL", QT_TRANSLATE_NOOP("wsi::CliOptions", "http://[user:pass@]host:port or socks5://host:port") },
    { "      --resolve HOST:PORT:ADDR", QT_TRANSLATE_NOOP("wsi::CliOptions", "connect to ADDR for HOST:PORT; URL, Host, SNI and the\n"
            "certificate check keep HOST (repeatable, as in curl)") },
    { "      --profile NAME", QT_TRANSLATE_NOOP("wsi::CliOptions", "start from a saved profile (other options override it)") },
    { nullptr, QT_TRANSLATE_NOOP("wsi::CliOptions", "TLS:") },
    { "  -n, --no-check", QT_TRANSLATE_NOOP("wsi::CliOptions", "accept an invalid certificate (a warning is printed)") },
    { "      --ca FILE", QT_TRANSLATE_NOOP("wsi::CliOptions", "trust the CA certificates in FILE (PEM)") },
    { "      --cert FILE", QT_TRANSLATE_NOOP("wsi::CliOptions", "client certificate (PEM)") },
    { "      --key FILE", QT_TRANSLATE_NOOP("wsi::CliOptions", "client private key (PEM)") },
    { nullptr, QT_TRANSLATE_NOOP("wsi::CliOptions", "Messages, sent in the order given once the connection is open:") },
    { "  -x, --execute TEXT", QT_TRANSLATE_NOOP("wsi::CliOptions", "send a text message; {{timestamp}} {{iso8601}} {{uuid}}\n"
            "{{counter}} {{random:N}} are expanded when it is sent") },
    { "      --execute-binary HEX", QT_TRANSLATE_NOOP("wsi::CliOptions", "send a binary message given in hex") },
    { "      --execute-base64 B64", QT_TRANSLATE_NOOP("wsi::CliOptions", "send a binary message given in base64") },
    { "      --execute-file PATH", QT_TRANSLATE_NOOP("wsi::CliOptions", "send a file as one binary message") },
    { "      --ping[=PAYLOAD]", QT_TRANSLATE_NOOP("wsi::CliOptions", "send a ping (payload at most 125 bytes)") },
    { "      --close CODE[:REASON]", QT_TRANSLATE_NOOP("wsi::CliOptions", "close with that code and reason") },
    { "      --frame-size N", QT_TRANSLATE_NOOP("wsi::CliOptions", "split outgoing messages into frames of N bytes") },
    { "  -w, --wait SECONDS", QT_TRANSLATE_NOOP("wsi::CliOptions", "after the last message, wait this long and close with 1000\n"
            "(without -w: stay until the server closes or Ctrl+C)") },
    { nullptr, QT_TRANSLATE_NOOP("wsi::CliOptions", "Checks (connect once, print a report, send nothing):") },
    { "      --check miniprogram", QT_TRANSLATE_NOOP("wsi::CliOptions", "judge the URL and options by the WeChat mini-program rules\n"
            "for wx.connectSocket (wss://, domain name, certificate and\n"
            "whole chain, TLS 1.2+, forbidden headers, base library...)") },
    { nullptr, QT_TRANSLATE_NOOP("wsi::CliOptions", "Window (ignored by --cli):") },
    { "      --new-window", QT_TRANSLATE_NOOP("wsi::CliOptions", "open a separate window instead of a tab in the open one") },
    { nullptr, QT_TRANSLATE_NOOP("wsi::CliOptions", "Output:") },
    { "  -v, --verbose", QT_TRANSLATE_NOOP("wsi::CliOptions", "print both handshake heads and every frame header") },
    { "      --capture FILE", QT_TRANSLATE_NOOP("wsi::CliOptions", "record every event to FILE (JSON Lines)") },
    { "  -h, --help", QT_TRANSLATE_NOOP("wsi::CliOptions", "show this help") },
    { "      --version", QT_TRANSLATE_NOOP("wsi::CliOptions", "show the version") },
    { nullptr, QT_TRANSLATE_NOOP("wsi::CliOptions", "Teaching (print and exit, nothing is sent):") },
    { "      --snippet LANG URL", QT_TRANSLATE_NOOP("wsi::CliOptions", "client code for URL and the connection options above; LANG:\n"
            "wx, browser, node-ws, node-websocket, python, qt, wscat,\n"
            "websocat, cli, server-ws, server-websocket") },
    { "      --explain-accept KEY", QT_TRANSLATE_NOOP("wsi::CliOptions", "derive Sec-WebSocket-Accept from a Sec-WebSocket-Key, step by step") },
    { "      --generate-key", QT_TRANSLATE_NOOP("wsi::CliOptions", "print a fresh Sec-WebSocket-Key (base64 of 16 random bytes)") },
    { nullptr, QT_TRANSLATE_NOOP("wsi::CliOptions", "Classroom server (no window; Ctrl+C stops it):") },
    { "      --serve", QT_TRANSLATE_NOOP("wsi::CliOptions", "serve the page, /echo, /chat, /push and /poll on one port") },
    { "      --listen ADDR:PORT", QT_TRANSLATE_NOOP("wsi::CliOptions", "where (default 127.0.0.1:8080); 0.0.0.0:PORT = every interface") },
    { "      --max-clients N", QT_TRANSLATE_NOOP("wsi::CliOptions", "WebSocket clients at once (default 200)") },
    { nullptr, QT_TRANSLATE_NOOP("wsi::CliOptions", "Captures and HAR files:") },
    { "      --convert IN OUT", QT_TRANSLATE_NOOP("wsi::CliOptions", "convert by extension: .jsonl capture, .har (Chrome's shape), .txt") },
    { "      --replay FILE [URL]", QT_TRANSLATE_NOOP("wsi::CliOptions", "send the client's recorded messages again (to URL, else the\n"
            "recorded one) and compare the server's answers with the recording") },
    { "        --speed X|max", QT_TRANSLATE_NOOP("wsi::CliOptions", "recorded timing X times faster, or as fast as possible\n"
            "(default: each message after the previous answer)") },
    { "        --ignore POINTER", QT_TRANSLATE_NOOP("wsi::CliOptions", "leave out a JSON field (/id, /items/*/time); repeatable") },
    { "        --ignore-regex RE", QT_TRANSLATE_NOOP("wsi::CliOptions", "blank what RE matches in strings before comparing; repeatable") },
    { "        --connection N", QT_TRANSLATE_NOOP("wsi::CliOptions", "which connection of the file (default: the first)") },
    { "        --timeout MS", QT_TRANSLATE_NOOP("wsi::CliOptions", "longest wait for an answer (default 3000)") },
};
// clang-format on
} // namespace

QString CliOptions::helpText()
{
    QString out = QCoreApplication::translate("wsi::CliOptions",
        "Usage: wsinspector --cli URL [options]\n"
        "       wsinspector [URL [options]]      (opens the window and connects)\n"
        "\n"
        "While a window is open, wsinspector URL [options] opens a new tab in it.\n"
        "\n"
        "URL is ws://, wss://, http(s):// (converted) or builtin:echo, builtin:chat, builtin:push.");
    out += u"\n\n"_s;
    for (const HelpLine& line : kHelpLines) {
        const QString text = QCoreApplication::translate("wsi::CliOptions", line.text);
        if (!line.names) {
            out += text + u'\n';
            continue;
        }
        const QStringList parts = text.split(u'\n');
        out += QString::fromLatin1(line.names).leftJustified(kHelpColumn - 1) + u' ' + parts.first() + u'\n';
        for (qsizetype i = 1; i < parts.size(); ++i)
            out += QString(kHelpColumn, u' ') + parts.at(i) + u'\n';
    }
    out += u'\n';
    out += QCoreApplication::translate("wsi::CliOptions",
        "Exit status: 0 after a clean close (1000), 1 connection or protocol failure,\n"
        "2 invalid arguments, 3 closed with another code, 4 (--replay) the answers differ.\n"
        "With --check: 0 when no rule fails (warnings and \"cannot tell\" allowed), 1 when a rule\n"
        "fails, 2 invalid arguments.");
    out += u'\n';
    return out;
}

namespace {
bool parseProxy(const QString& text, ProxySettings* proxy, QString* error)
{
    const QUrl url(text, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty() || url.port() <= 0) {
        *error
            = CliParser::tr("--proxy \"%1\" is not a proxy URL: use http://host:port or socks5://host:port.").arg(text);
        return false;
    }
    if (scheme == u"http")
        proxy->type = ProxySettings::Type::Http;
    else if (scheme == u"socks5")
        proxy->type = ProxySettings::Type::Socks5;
    else {
        *error = CliParser::tr("--proxy scheme \"%1\" is not supported: use http or socks5.").arg(scheme);
        return false;
    }
    proxy->host = url.host();
    proxy->port = quint16(url.port());
    proxy->user = url.userName();
    proxy->password = url.password();
    return true;
}
} // namespace

bool CliParser::parse(const QStringList& arguments, CliOptions* options, QString* error)
{
    CliOptions& o = *options;
    Profile& p = o.profile;
    if (p.name.isEmpty())
        p.name = tr("Command line");
    bool haveUrl = false;

    for (qsizetype i = 0; i < arguments.size(); ++i) {
        QString arg = arguments.at(i);
        QString inlineValue;
        bool hasInline = false;
        if (arg.startsWith(u"--"_s)) {
            const qsizetype eq = arg.indexOf(u'=');
            if (eq > 0) {
                inlineValue = arg.mid(eq + 1);
                arg = arg.left(eq);
                hasInline = true;
            }
        }
        auto value = [&](QString* out) -> bool {
            if (hasInline) {
                *out = inlineValue;
                return true;
            }
            if (i + 1 >= arguments.size()) {
                *error = tr("Option %1 needs a value.").arg(arg);
                return false;
            }
            *out = arguments.at(++i);
            return true;
        };
        auto intValue = [&](qint64 min, qint64 max, qint64* out) -> bool {
            QString v;
            if (!value(&v))
                return false;
            bool ok = false;
            *out = v.toLongLong(&ok);
            if (!ok || *out < min || *out > max) {
                *error = tr("Option %1 expects a whole number from %2 to %3, not \"%4\".")
                             .arg(arg)
                             .arg(min)
                             .arg(max)
                             .arg(v);
                return false;
            }
            return true;
        };
        QString v;
        qint64 n = 0;
        if (arg == u"--cli") {
            continue;
        } else if (arg == u"-h" || arg == u"--help") {
            o.showHelp = true;
        } else if (arg == u"--version") {
            o.showVersion = true;
        } else if (arg == u"--new-window") {
            o.newWindow = true;
        } else if (arg == u"--snippet") {
            if (!value(&v))
                return false;
            if (const auto language = SnippetGenerator::languageForId(v); !language) {
                *error = language.errorMessage();
                return false;
            }
            o.snippetLanguage = v.trimmed().toLower();
        } else if (arg == u"--check") {
            if (!value(&v))
                return false;
            if (v.trimmed().toLower() != u"miniprogram") {
                *error = tr("Unknown check \"%1\": the only check is miniprogram.").arg(v);
                return false;
            }
            o.check = u"miniprogram"_s;
        } else if (arg == u"--explain-accept") {
            if (!value(&o.explainAcceptKey))
                return false;
        } else if (arg == u"--generate-key") {
            o.generateKey = true;
        } else if (arg == u"-H" || arg == u"--header") {
            if (!value(&v))
                return false;
            const qsizetype colon = v.indexOf(u':');
            if (colon <= 0) {
                *error = tr("Header \"%1\" is not of the form \"Name: value\".").arg(v);
                return false;
            }
            ProfileHeader h;
            h.name = v.left(colon).trimmed();
            h.value = v.mid(colon + 1).trimmed();
            p.headers.append(h);
            o.explicitProfileFields = true;
        } else if (arg == u"-s" || arg == u"--subprotocol") {
            if (!value(&v))
                return false;
            p.subprotocols.append(v);
            o.explicitProfileFields = true;
        } else if (arg == u"-o" || arg == u"--origin") {
            if (!value(&v))
                return false;
            p.origin = v;
            o.explicitProfileFields = true;
        } else if (arg == u"--timeout") {
            if (!intValue(100, 600000, &n))
                return false;
            p.handshakeTimeoutMs = int(n);
            o.explicitProfileFields = true;
        } else if (arg == u"--no-tcp-nodelay") {
            p.tcpNoDelay = false;
            o.explicitProfileFields = true;
        } else if (arg == u"--max-message-size") {
            if (!intValue(1, qint64(2147483646), &n))
                return false;
            p.maxIncomingMessageSize = n;
            o.explicitProfileFields = true;
        } else if (arg == u"--deflate") {
            // Only --deflate=PARAMS takes a value: a bare --deflate is the browsers' offer.
            const Result<DeflateParams> offer = DeflateNegotiation::parseOffer(hasInline ? inlineValue : QString());
            if (!offer) {
                *error = u"--deflate: "_s + offer.error().message;
                return false;
            }
            p.perMessageDeflate = true;
            p.deflateOffer = *offer;
            o.explicitProfileFields = true;
        } else if (arg == u"--auto-reconnect") {
            p.autoReconnect = true;
            o.explicitProfileFields = true;
        } else if (arg == u"--lenient") {
            p.lenient = true;
            o.explicitProfileFields = true;
        } else if (arg == u"--keepalive") {
            if (!intValue(100, 3600000, &n))
                return false;
            p.keepAlivePingMs = int(n);
            o.explicitProfileFields = true;
        } else if (arg == u"--proxy") {
            if (!value(&v) || !parseProxy(v, &p.proxy, error))
                return false;
            o.explicitProfileFields = true;
        } else if (arg == u"--resolve") {
            if (!value(&v))
                return false;
            if (const Result<HostOverride> entry = HostOverride::parse(v); !entry) {
                *error = u"--resolve: "_s + entry.error().message;
                return false;
            }
            p.resolve.append(v.trimmed());
            o.explicitProfileFields = true;
        } else if (arg == u"--profile") {
            if (!value(&o.profileName))
                return false;
        } else if (arg == u"-n" || arg == u"--no-check") {
            p.tls.verify = false;
            o.explicitProfileFields = true;
        } else if (arg == u"--ca" || arg == u"--cert" || arg == u"--key") {
            if (!value(&v))
                return false;
            if (!QFile::exists(v)) {
                *error = tr("%1 file \"%2\" does not exist.").arg(arg, v);
                return false;
            }
            (arg == u"--ca" ? p.tls.caFile : arg == u"--cert" ? p.tls.certFile : p.tls.keyFile) = v;
            o.explicitProfileFields = true;
        } else if (arg == u"-x" || arg == u"--execute") {
            if (!value(&v))
                return false;
            // Placeholders are expanded at send time; a bad one stops here, before connecting.
            if (const auto r = PlaceholderExpander().preview(v); !r.ok()) {
                *error = u"%1: %2"_s.arg(arg, r.error);
                return false;
            }
            o.actions.append({ CliAction::Kind::Text, v.toUtf8(), 0 });
        } else if (arg == u"--execute-binary" || arg == u"--execute-base64") {
            if (!value(&v))
                return false;
            const bool hex = arg == u"--execute-binary";
            const auto r = hex ? PayloadCodec::parseHex(v) : PayloadCodec::parseBase64(v);
            if (!r.ok()) {
                *error = arg + u": "_s + r.error;
                return false;
            }
            o.actions.append({ CliAction::Kind::Binary, r.bytes, 0 });
        } else if (arg == u"--execute-file") {
            if (!value(&v))
                return false;
            // The composer checks the size before reading and names the file in its errors.
            MessageRequest request;
            request.kind = MessageRequest::Kind::File;
            request.input = v;
            request.confirmed = true; // given on the command line: no one to ask
            const Result<ComposedMessage> r = MessageComposer().compose(request);
            if (!r) {
                *error = u"--execute-file: "_s + r.error().message;
                return false;
            }
            o.actions.append({ CliAction::Kind::Binary, r->bytes, 0 });
        } else if (arg == u"--ping") {
            const QByteArray payload = hasInline ? inlineValue.toUtf8() : QByteArray();
            if (QString e = ProfileValidator::checkPingPayload(payload); !e.isEmpty()) {
                *error = u"--ping: "_s + e;
                return false;
            }
            o.actions.append({ CliAction::Kind::Ping, payload, 0 });
        } else if (arg == u"--close") {
            if (!value(&v))
                return false;
            const qsizetype colon = v.indexOf(u':');
            bool ok = false;
            const int code = (colon < 0 ? v : v.left(colon)).toInt(&ok);
            const QString reason = colon < 0 ? QString() : v.mid(colon + 1);
            QString e = ok ? ProfileValidator::checkCloseCode(code) : tr("\"%1\" is not a close code.").arg(v);
            if (e.isEmpty())
                e = ProfileValidator::checkCloseReason(reason);
            if (!e.isEmpty()) {
                *error = u"--close: "_s + e;
                return false;
            }
            o.actions.append({ CliAction::Kind::Close, reason.toUtf8(), code });
        } else if (arg == u"--frame-size") {
            if (!intValue(1, 1 << 30, &n))
                return false;
            o.frameSize = quint64(n);
        } else if (arg == u"-w" || arg == u"--wait") {
            if (!value(&v))
                return false;
            bool ok = false;
            o.waitSeconds = v.toDouble(&ok);
            if (!ok || o.waitSeconds < 0) {
                *error = tr("Option %1 expects a number of seconds, not \"%2\".").arg(arg, v);
                return false;
            }
        } else if (arg == u"-v" || arg == u"--verbose") {
            o.verbose = true;
        } else if (arg == u"--capture") {
            if (!value(&o.capturePath))
                return false;
        } else if (arg.startsWith(u'-') && arg.size() > 1) {
            *error = tr("Unknown option %1 (see --help).").arg(arg);
            return false;
        } else {
            if (haveUrl) {
                *error = tr("Unexpected argument \"%1\": only one URL is allowed.").arg(arg);
                return false;
            }
            // A capture or HAR given where the URL goes ("wsinspector --cli session.har") is a file the
            // user meant to open or replay, not a host called session.har.
            if (!arg.contains(u"://"_s)
                && (QFileInfo(arg).isFile() || arg.endsWith(u".har"_s, Qt::CaseInsensitive)
                    || arg.endsWith(u".jsonl"_s, Qt::CaseInsensitive))) {
                *error = tr("\"%1\" is a file, not an address: open a capture or HAR in the window with "
                            "wsinspector %1, or replay it with wsinspector --cli --replay %1.")
                             .arg(arg);
                return false;
            }
            p.url = arg;
            haveUrl = true;
            // host:port as a server prints it: taken as ws:// with a notice, as in the address bar.
            if (!arg.contains(u"://"_s)) {
                const Result<TypedAddress> typed = ProfileValidator::interpretAddress(arg);
                if (!typed) {
                    // The address bar's sentence ("localhost:" has no port...), not QUrl's scheme "localhost".
                    *error = typed.errorMessage();
                    return false;
                }
                p.url = typed->url;
                o.notices += typed->notices;
            }
        }
    }
    if (o.showHelp || o.showVersion || o.generateKey || !o.explainAcceptKey.isEmpty())
        return true;
    if (!o.check.isEmpty() && !o.actions.isEmpty()) {
        *error = tr("--check %1 only connects and judges: it sends nothing, so leave out -x, --ping, --close and the "
                    "other messages.")
                     .arg(o.check);
        return false;
    }
    if (!haveUrl && o.profileName.isEmpty()) {
        *error = tr("No URL given: wsinspector --cli URL [options] (try builtin:echo).");
        return false;
    }
    return true;
}

bool CliParser::applyProfile(
    const QStringList& arguments, const QList<Profile>& available, CliOptions* options, QString* error)
{
    if (options->profileName.isEmpty())
        return true;
    const Profile* found = nullptr;
    QStringList names;
    for (const Profile& p : available) {
        names.append(u"\""_s + p.name + u"\""_s);
        if (!found && p.name.compare(options->profileName, Qt::CaseInsensitive) == 0)
            found = &p;
    }
    if (!found) {
        *error
            = tr("Unknown profile \"%1\": available profiles are %2.").arg(options->profileName, names.join(u", "_s));
        return false;
    }
    CliOptions merged;
    merged.profile = *found;
    if (!parse(arguments, &merged, error))
        return false;
    *options = merged;
    return true;
}

} // namespace wsi
