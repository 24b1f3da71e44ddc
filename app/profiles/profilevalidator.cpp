#include "profilevalidator.h"

#include "server/builtinserver.h"
#include "wire/connecterrors.h"
#include "wire/hostoverride.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {

// A PEM file is text with "-----BEGIN <label>-----" lines; reading 1 MiB is plenty for any
// certificate chain or key and keeps a wrongly chosen huge file from stalling the editor.
constexpr qint64 kPemReadLimit = 1024 * 1024;

struct PemCheck
{
    QString error; // empty when the file is readable
    QByteArray head;
};

PemCheck readPem(const QString& label, const QString& path)
{
    PemCheck r;
    QFileInfo info(path);
    if (!info.exists()) {
        r.error = ProfileValidator::tr("%1 \"%2\" does not exist.").arg(label, path);
        return r;
    }
    if (info.isDir()) {
        r.error = ProfileValidator::tr("%1 \"%2\" is a folder, not a file.").arg(label, path);
        return r;
    }
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        r.error = ProfileValidator::tr("%1 \"%2\" cannot be read: %3").arg(label, path, f.errorString());
        return r;
    }
    r.head = f.read(kPemReadLimit);
    return r;
}

bool hasPemBlock(const QByteArray& data, QByteArrayView labelSuffix)
{
    qsizetype pos = 0;
    while ((pos = data.indexOf("-----BEGIN ", pos)) >= 0) {
        const qsizetype end = data.indexOf("-----", pos + 11);
        if (end < 0)
            return false;
        if (data.sliced(pos + 11, end - pos - 11).endsWith(labelSuffix))
            return true;
        pos = end + 5;
    }
    return false;
}

// Looks at the authority as typed ("scheme://[userinfo@]host[:port]"): QUrl only says "invalid
// port", accepts an empty port and 0, and reads the rest of an unclosed "[::1" as a port.
// Returns the sentence naming what is wrong, or an empty string.
QString authorityProblem(const QString& url)
{
    static const QRegularExpression re(u"^[A-Za-z][A-Za-z0-9+.-]*://(?:[^@/?#]*@)?([^/?#]*)"_s);
    const auto m = re.match(url);
    if (!m.hasMatch())
        return {};
    const QString hostPort = m.captured(1);
    QString afterHost;
    if (hostPort.startsWith(u'[')) {
        const qsizetype close = hostPort.indexOf(u']');
        if (close < 0) {
            return ProfileValidator::tr("URL \"%1\" has an unclosed \"[\": an IPv6 address goes between [ and ], "
                                        "as in ws://[::1]:8080/.")
                .arg(url);
        }
        afterHost = hostPort.mid(close + 1);
        if (!afterHost.isEmpty() && !afterHost.startsWith(u':')) {
            return ProfileValidator::tr("URL \"%1\" has \"%2\" after the IPv6 address: only a colon and a port "
                                        "may follow \"]\", as in ws://[::1]:8080/.")
                .arg(url, afterHost);
        }
    } else {
        const qsizetype colon = hostPort.indexOf(u':');
        if (colon >= 0)
            afterHost = hostPort.mid(colon);
    }
    if (afterHost.isEmpty())
        return {};
    const QString port = afterHost.mid(1);
    if (port.isEmpty()) {
        return ProfileValidator::tr("URL \"%1\" has a colon but no port after it: add the port (as in :8080) or "
                                    "remove the colon.")
            .arg(url);
    }
    for (QChar c : port) {
        if (c < u'0' || c > u'9') {
            return ProfileValidator::tr("URL port \"%1\" is not a number: use digits only, a port from 1 to 65535.")
                .arg(port);
        }
    }
    bool ok = false;
    const int number = port.toInt(&ok);
    if (!ok || number < 1 || number > 65535)
        return ProfileValidator::tr("URL port \"%1\" is out of range: use a port from 1 to 65535.").arg(port);
    return {};
}

// "localhost:" typed without a scheme is host:port with the port missing, not the scheme
// "localhost" that QUrl reads.
QString colonWithoutPort(const QString& typed)
{
    static const QRegularExpression hostColon(
        u"^(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?):(?:[/?#].*)?$"_s);
    const auto m = hostColon.match(typed);
    if (typed.contains(u"://"_s) || !m.hasMatch())
        return {};
    // "ws:/host" is a scheme with one slash too few, not a host called ws.
    static const QStringList schemes { u"ws"_s, u"wss"_s, u"http"_s, u"https"_s };
    if (schemes.contains(m.captured(1), Qt::CaseInsensitive))
        return {};
    return ProfileValidator::tr("\"%1\" has a colon but no port after it: type the port, as in %2:8080, or remove "
                                "the colon.")
        .arg(typed, m.captured(1));
}

bool validOrigin(const QString& origin)
{
    if (origin == u"null")
        return true;
    const QUrl u(origin, QUrl::StrictMode);
    if (!u.isValid() || u.scheme().isEmpty() || u.host().isEmpty())
        return false;
    if (!u.userInfo().isEmpty() || u.hasQuery() || u.hasFragment())
        return false;
    // An origin is scheme://host[:port] with no path (a lone "/" is what browsers never send either).
    if (!u.path().isEmpty())
        return false;
    for (QChar c : origin) {
        if (c.unicode() < 0x21 || c.unicode() == 0x7f)
            return false;
    }
    return true;
}

} // namespace

QStringList ConnectionPlan::errorsFor(const QString& field) const
{
    QStringList out;
    for (const ValidationIssue& i : errors) {
        if (i.field == field)
            out.append(i.message);
    }
    return out;
}

QStringList ConnectionPlan::noticesFor(const QString& field) const
{
    QStringList out;
    for (const ValidationIssue& i : fieldNotices) {
        if (i.field == field)
            out.append(i.message);
    }
    return out;
}

bool ProfileValidator::isToken(QStringView s)
{
    // RFC 7230 token: 1*tchar
    static constexpr QLatin1StringView kTchar("!#$%&'*+-.^_`|~");
    if (s.isEmpty())
        return false;
    for (QChar c : s) {
        const char16_t u = c.unicode();
        const bool alnum = (u >= u'0' && u <= u'9') || (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z');
        if (!alnum && !kTchar.contains(c))
            return false;
    }
    return true;
}

QString ProfileValidator::checkCloseCode(int code)
{
    if ((code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999))
        return {};
    if (code >= 1004 && code <= 1006)
        return tr("Close code %1 is reserved and must not be sent in a close frame.").arg(code);
    if (code == 1015)
        return tr("Close code 1015 is reserved for TLS failures and must not be sent in a close frame.");
    return tr("Close code %1 is not allowed: use 1000-1003, 1007-1014 or 3000-4999.").arg(code);
}

QString ProfileValidator::checkCloseReason(const QString& reason)
{
    const qsizetype bytes = reason.toUtf8().size();
    if (bytes > 123)
        return tr("Close reason is %1 bytes in UTF-8; a close frame holds at most 123.").arg(bytes);
    return {};
}

QString ProfileValidator::checkPingPayload(const QByteArray& payload)
{
    if (payload.size() > 125)
        return tr("Ping payload is %1 bytes; a control frame holds at most 125.").arg(payload.size());
    return {};
}

QString ProfileValidator::checkName(const QString& name, const QStringList& otherNames)
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty())
        return tr("Profile name is empty: give the profile a name.");
    if (otherNames.contains(trimmed, Qt::CaseInsensitive))
        return tr("Profile name \"%1\" is already used by another profile.").arg(trimmed);
    return {};
}

QString ProfileValidator::handshakeOwnedReason(const QString& headerName)
{
    const QString n = headerName.trimmed().toLower();
    if (n == u"host")
        return tr("Header \"%1\" is refused: the handshake sets Host from the URL, and Qt would send a second copy.")
            .arg(headerName);
    if (n == u"upgrade" || n == u"connection" || n == u"sec-websocket-key" || n == u"sec-websocket-version")
        return tr("Header \"%1\" is refused: the WebSocket handshake sets it itself, and Qt would send a second copy.")
            .arg(headerName);
    if (n == u"sec-websocket-accept")
        return tr("Header \"%1\" is refused: it belongs to the server's response, not to a client request.")
            .arg(headerName);
    if (n == u"sec-websocket-extensions")
        return tr("Header \"%1\" is refused: the server would compress frames this client cannot read, and the "
                  "connection would fail with close code 1002.")
            .arg(headerName);
    return {};
}

Profile ProfileValidator::normalized(const Profile& profile)
{
    Profile p = profile;
    const ConnectionPlan plan = validate(profile);
    if (!plan.builtin && plan.url.isValid() && !plan.url.isEmpty() && plan.errorsFor(u"url"_s).isEmpty())
        p.url = plan.url.toString();
    p.headers.clear();
    for (const ProfileHeader& h : profile.headers) {
        if (h.enabled && h.name.trimmed().compare(u"Sec-WebSocket-Protocol"_s, Qt::CaseInsensitive) == 0) {
            const QStringList parts = h.value.split(u',', Qt::SkipEmptyParts);
            for (const QString& part : parts) {
                const QString s = part.trimmed();
                if (!s.isEmpty() && !p.subprotocols.contains(s))
                    p.subprotocols.append(s);
            }
            continue;
        }
        p.headers.append(h);
    }
    return p;
}

Result<TypedAddress> ProfileValidator::interpretAddress(const QString& input)
{
    const QString typed = input.trimmed();
    if (typed.isEmpty())
        return Error { tr("URL is empty: enter a ws:// or wss:// address."), {} };
    TypedAddress out;
    QString candidate = typed;
    if (BuiltinServers::isBuiltinUrl(typed)) {
        const QString rest = typed.mid(int(qstrlen("builtin:")));
        const QString mode = rest.section(u'?', 0, 0).toLower();
        if (!BuiltinServers::modes().contains(mode))
            return Error {
                tr("\"%1\" is not a built-in server: use builtin:echo, builtin:chat or builtin:push.").arg(typed), {}
            };
        out.url = typed;
        return out;
    }
    // host:port, [::1]:port or a host name, with or without a path, and no scheme: what people
    // paste from a server's log. QUrl would read "localhost:8080" as the scheme "localhost".
    static const QRegularExpression hostLike(
        u"^(?:\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)(?::[0-9]+)?(?:[/?#].*)?$"_s);
    if (const QString problem = colonWithoutPort(typed); !problem.isEmpty())
        return Error { problem, {} };
    if (!typed.contains(u"://"_s) && hostLike.match(typed).hasMatch()) {
        candidate = u"ws://"_s + typed;
        out.notices.append(
            tr("\"%1\" has no scheme: taken as %2 (type wss:// in front for TLS).").arg(typed, candidate));
    }
    Profile p;
    p.url = candidate;
    const ConnectionPlan plan = validate(p);
    if (const QStringList errors = plan.errorsFor(u"url"_s); !errors.isEmpty())
        return Error { errors.first(), {} };
    out.notices.append(plan.noticesFor(u"url"_s));
    out.url = normalized(p).url;
    return out;
}

ConnectionPlan ProfileValidator::validate(const Profile& profile)
{
    ConnectionPlan plan;
    auto notice = [&plan](const QString& field, const QString& message) {
        plan.notices.append(message);
        plan.fieldNotices.append({ field, message });
    };
    auto error = [&plan](const QString& field, const QString& message) { plan.errors.append({ field, message }); };

    // URL
    const QString typed = profile.url.trimmed();
    if (BuiltinServers::isBuiltinUrl(typed)) {
        plan.builtin = true;
        plan.url = QUrl(typed);
    } else if (typed.isEmpty()) {
        error(u"url"_s, tr("URL is empty: enter a ws:// or wss:// address."));
    } else {
        QUrl url(typed, QUrl::StrictMode);
        if (QString problem = colonWithoutPort(typed); !problem.isEmpty()) {
            error(u"url"_s, problem);
        } else if (problem = authorityProblem(typed); !problem.isEmpty()) {
            error(u"url"_s, problem);
        } else if (const Result<QUrl> parsed = ConnectErrors::parseUrl(typed); !parsed) {
            // Plain words ("add ws:// in front"); Qt's parser text never reaches the user.
            error(u"url"_s, parsed.error().message);
        } else {
            const QString scheme = url.scheme().toLower();
            if (scheme == u"http" || scheme == u"https") {
                const QString ws = scheme == u"http" ? u"ws"_s : u"wss"_s;
                notice(u"url"_s, tr("URL scheme %1:// was changed to %2://.").arg(scheme, ws));
                url.setScheme(ws);
            }
            const bool schemeOk = scheme == u"ws" || scheme == u"wss" || scheme == u"http" || scheme == u"https";
            if (!schemeOk) {
                error(u"url"_s,
                    scheme.isEmpty() ? tr("URL \"%1\" has no scheme: start it with ws:// or wss://.").arg(typed)
                                     : tr("URL scheme \"%1\" is not supported: use ws:// or wss://.").arg(scheme));
            }
            if (schemeOk && url.host().isEmpty()) {
                error(u"url"_s,
                    tr("URL \"%1\" has no host: write it after two slashes, as in %2://127.0.0.1:8080/.")
                        .arg(typed, scheme));
            }
            if (url.path().isEmpty()) {
                // Qt 6.4 would send "GET ?x=1" (QTBUG-120492).
                if (url.hasQuery())
                    notice(u"url"_s, tr("URL has a query but no path: the path \"/\" was added."));
                url.setPath(u"/"_s);
            }
            if (url.hasFragment()) {
                notice(u"url"_s,
                    tr("URL fragment \"#%1\" is never sent to the server and was removed.").arg(url.fragment()));
                url.setFragment(QString());
            }
            plan.url = url;
        }
    }

    // Headers, in wire order
    plan.subprotocols = profile.subprotocols;
    for (qsizetype i = 0; i < profile.headers.size(); ++i) {
        const ProfileHeader& h = profile.headers.at(i);
        if (!h.enabled)
            continue;
        const QString nameField = u"headers[%1].name"_s.arg(i);
        const QString valueField = u"headers[%1].value"_s.arg(i);
        const QString name = h.name.trimmed();
        const int number = int(i) + 1;
        bool bad = false;
        if (name.isEmpty()) {
            error(nameField, tr("Header %1 has no name.").arg(number));
            bad = true;
        } else if (!isToken(name)) {
            error(nameField,
                tr("Header %1 name \"%2\" is not a valid HTTP token: use letters, digits and !#$%&'*+-.^_`|~ "
                   "(no spaces, colons or other separators).")
                    .arg(number)
                    .arg(name));
            bad = true;
        } else if (const QString reason = handshakeOwnedReason(name); !reason.isEmpty()) {
            error(nameField, reason);
            bad = true;
        }
        if (h.value.contains(u'\r') || h.value.contains(u'\n')) {
            error(valueField,
                tr("Header \"%1\" value contains a line break (CR or LF): it would inject extra header lines.")
                    .arg(name.isEmpty() ? tr("(no name)") : name));
            bad = true;
        }
        if (h.value.contains(QChar(0))) {
            error(valueField,
                tr("Header \"%1\" value contains a NUL character, which HTTP does not allow.")
                    .arg(name.isEmpty() ? tr("(no name)") : name));
            bad = true;
        }
        if (bad)
            continue;
        if (name.compare(u"Sec-WebSocket-Protocol"_s, Qt::CaseInsensitive) == 0) {
            QStringList moved;
            const QStringList parts = h.value.split(u',', Qt::SkipEmptyParts);
            for (const QString& part : parts) {
                const QString s = part.trimmed();
                if (s.isEmpty())
                    continue;
                moved.append(s);
                if (!plan.subprotocols.contains(s))
                    plan.subprotocols.append(s);
            }
            notice(nameField,
                tr("Header Sec-WebSocket-Protocol was moved into the subprotocol list: %1.")
                    .arg(moved.isEmpty() ? tr("(no names)") : moved.join(u", "_s)));
            continue;
        }
        plan.headers.append({ name.toUtf8(), h.value.toUtf8() });
    }

    // Subprotocols (typed ones first, then those moved from a header)
    QStringList seen;
    for (qsizetype i = 0; i < plan.subprotocols.size(); ++i) {
        const QString& s = plan.subprotocols.at(i);
        const QString field = i < profile.subprotocols.size() ? u"subprotocols[%1]"_s.arg(i) : u"subprotocols"_s;
        if (s.isEmpty())
            error(field, tr("Subprotocol %1 is empty.").arg(i + 1));
        else if (!isToken(s))
            error(field, tr("Subprotocol \"%1\" is not a valid token: no spaces, commas or other separators.").arg(s));
        else if (seen.contains(s))
            error(field, tr("Subprotocol \"%1\" is listed twice.").arg(s));
        seen.append(s);
    }

    if (profile.handshakeTimeoutMs < 100 || profile.handshakeTimeoutMs > 600000)
        error(u"timeout"_s,
            tr("Handshake timeout %1 ms is out of range: use 100 ms to 600000 ms (10 minutes).")
                .arg(profile.handshakeTimeoutMs));

    if (profile.keepAlivePingMs != 0 && (profile.keepAlivePingMs < 100 || profile.keepAlivePingMs > 3600000))
        error(u"keepAlive"_s,
            tr("Keep-alive interval %1 ms is out of range: use 0 (off) or 100 ms to 3600000 ms (1 hour).")
                .arg(profile.keepAlivePingMs));

    if (profile.maxIncomingMessageSize < 1 || profile.maxIncomingMessageSize > Profile::kMaxMessageSizeLimit)
        error(u"maxMessageSize"_s,
            tr("Maximum message size %1 bytes is out of range: use 1 to %2 bytes.")
                .arg(profile.maxIncomingMessageSize)
                .arg(Profile::kMaxMessageSizeLimit));

    if (!profile.origin.isEmpty() && !validOrigin(profile.origin))
        error(u"origin"_s,
            tr("Origin \"%1\" is not a valid origin: use scheme://host[:port] without a path, e.g. "
               "https://example.com.")
                .arg(profile.origin));

    // Proxy
    if (profile.proxy.type == ProxySettings::Type::Http || profile.proxy.type == ProxySettings::Type::Socks5) {
        const QString kind = profile.proxy.type == ProxySettings::Type::Http ? u"HTTP"_s : u"SOCKS5"_s;
        const QString host = profile.proxy.host.trimmed();
        if (host.isEmpty())
            error(u"proxy.host"_s, tr("Proxy host is empty: a %1 proxy needs a host name or address.").arg(kind));
        else if (QUrl(u"http://"_s + host, QUrl::StrictMode).host().isEmpty() || host.contains(u'/')
            || host.contains(u'@'))
            error(u"proxy.host"_s, tr("Proxy host \"%1\" is not a host name or address.").arg(host));
        if (profile.proxy.port == 0)
            error(u"proxy.port"_s, tr("Proxy port is 0: a %1 proxy needs a port from 1 to 65535.").arg(kind));
    }

    // Resolve entries (curl's --resolve)
    for (qsizetype i = 0; i < profile.resolve.size(); ++i) {
        const QString field = u"resolve[%1]"_s.arg(i);
        const Result<HostOverride> entry = HostOverride::parse(profile.resolve.at(i));
        if (!entry) {
            error(field, entry.error().message);
        } else if (!plan.builtin && plan.url.isValid() && !plan.url.host().isEmpty()
            && !entry->appliesTo(plan.url.host(), quint16(plan.url.port(plan.url.scheme() == u"wss" ? 443 : 80)))) {
            notice(field,
                tr("Resolve entry \"%1\" does not match the URL's host and port (%2:%3), so it is not used.")
                    .arg(profile.resolve.at(i), plan.url.host())
                    .arg(plan.url.port(plan.url.scheme() == u"wss" ? 443 : 80)));
        }
    }

    // TLS files
    const TlsSettings& tls = profile.tls;
    if (!tls.caFile.isEmpty()) {
        const PemCheck r = readPem(tr("CA file"), tls.caFile);
        if (!r.error.isEmpty())
            error(u"tls.caFile"_s, r.error);
        else if (!hasPemBlock(r.head, "CERTIFICATE"))
            error(u"tls.caFile"_s,
                tr("CA file \"%1\" holds no PEM certificate (-----BEGIN CERTIFICATE-----).").arg(tls.caFile));
    }
    bool certHasKey = false;
    if (!tls.certFile.isEmpty()) {
        const PemCheck r = readPem(tr("Client certificate file"), tls.certFile);
        if (!r.error.isEmpty())
            error(u"tls.certFile"_s, r.error);
        else if (!hasPemBlock(r.head, "CERTIFICATE"))
            error(u"tls.certFile"_s,
                tr("Client certificate file \"%1\" holds no PEM certificate (-----BEGIN CERTIFICATE-----).")
                    .arg(tls.certFile));
        certHasKey = r.error.isEmpty() && hasPemBlock(r.head, "PRIVATE KEY");
        if (r.error.isEmpty() && tls.keyFile.isEmpty() && !certHasKey)
            error(u"tls.keyFile"_s,
                tr("A client certificate is set but no key file: choose the certificate's private key (PEM)."));
    }
    if (!tls.keyFile.isEmpty()) {
        const PemCheck r = readPem(tr("Key file"), tls.keyFile);
        if (!r.error.isEmpty())
            error(u"tls.keyFile"_s, r.error);
        else if (!hasPemBlock(r.head, "PRIVATE KEY"))
            error(u"tls.keyFile"_s,
                tr("Key file \"%1\" holds no PEM private key (-----BEGIN PRIVATE KEY-----).").arg(tls.keyFile));
        if (tls.certFile.isEmpty())
            error(u"tls.certFile"_s, tr("A key file is set but no client certificate: choose the certificate (PEM)."));
    }

    // The offer is only checked when it would be sent.
    if (profile.perMessageDeflate) {
        for (const DeflateParamProblem& problem : profile.deflateOffer.problems()) {
            error(problem.parameter == u"client_max_window_bits" ? u"deflate.clientMaxWindowBits"_s
                                                                 : u"deflate.serverMaxWindowBits"_s,
                problem.message);
        }
    }
    return plan;
}

} // namespace wsi
