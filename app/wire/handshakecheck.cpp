#include "handshakecheck.h"

#include <QCryptographicHash>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {

const QString kRfc6455 = u"RFC 6455 §4.1"_s;

QString latin1(QByteArrayView bytes)
{
    return QString::fromLatin1(bytes);
}

// "a", "b" for a message; "none" when empty.
QString quotedList(const QList<QByteArray>& values)
{
    QStringList out;
    for (const QByteArray& v : values)
        out.append(u'"' + latin1(v) + u'"');
    return out.join(u", "_s);
}

bool containsToken(const QList<QByteArray>& tokens, QByteArrayView token)
{
    for (const QByteArray& t : tokens) {
        if (token.compare(t, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

// Splits at commas outside double quotes (extension parameters may be quoted strings).
QList<QByteArray> splitOutsideQuotes(const QByteArray& value)
{
    QList<QByteArray> out;
    bool quoted = false;
    qsizetype start = 0;
    for (qsizetype i = 0; i <= value.size(); ++i) {
        if (i < value.size() && value.at(i) == '"')
            quoted = !quoted;
        if (i == value.size() || (value.at(i) == ',' && !quoted)) {
            const QByteArray part = value.mid(start, i - start).trimmed();
            if (!part.isEmpty())
                out.append(part);
            start = i + 1;
        }
    }
    return out;
}

// Extension names (before any ';' parameters) of all headers of that name, lowercased.
QList<QByteArray> extensionNames(const HttpHead& head)
{
    QList<QByteArray> names;
    for (const QByteArray& value : head.headerValues("Sec-WebSocket-Extensions")) {
        for (const QByteArray& ext : splitOutsideQuotes(value)) {
            const qsizetype semi = ext.indexOf(';');
            const QByteArray name = (semi < 0 ? ext : ext.left(semi)).trimmed().toLower();
            if (!name.isEmpty())
                names.append(name);
        }
    }
    return names;
}

// 1-based number of the first line that ends in LF without CR, or 0.
int firstBareLineFeed(const QByteArray& raw)
{
    int line = 1;
    for (qsizetype i = 0; i < raw.size(); ++i) {
        if (raw.at(i) != '\n')
            continue;
        if (i == 0 || raw.at(i - 1) != '\r')
            return line;
        ++line;
    }
    return 0;
}

} // namespace

QString HandshakeFault::ruleId() const
{
    switch (rule) {
    case Rule::HttpNotHttp:
        return u"http-not-http"_s;
    case Rule::HttpHeadTooLong:
        return u"http-head-too-long"_s;
    case Rule::HttpClosedEarly:
        return u"http-closed-early"_s;
    case Rule::HttpMalformedStatusLine:
        return u"http-malformed-status-line"_s;
    case Rule::HttpBareLineFeed:
        return u"http-bare-lf"_s;
    case Rule::StatusNot101:
        return u"status-not-101"_s;
    case Rule::UpgradeMissing:
        return u"upgrade-missing"_s;
    case Rule::UpgradeWrong:
        return u"upgrade-wrong"_s;
    case Rule::ConnectionMissing:
        return u"connection-missing"_s;
    case Rule::ConnectionWithoutUpgrade:
        return u"connection-without-upgrade"_s;
    case Rule::AcceptMissing:
        return u"accept-missing"_s;
    case Rule::AcceptDuplicated:
        return u"accept-duplicated"_s;
    case Rule::AcceptMalformed:
        return u"accept-malformed"_s;
    case Rule::AcceptWrong:
        return u"accept-wrong"_s;
    case Rule::SubprotocolNotOffered:
        return u"subprotocol-not-offered"_s;
    case Rule::SubprotocolNoneOffered:
        return u"subprotocol-none-offered"_s;
    case Rule::SubprotocolSeveral:
        return u"subprotocol-several"_s;
    case Rule::ExtensionNotOffered:
        return u"extension-not-offered"_s;
    }
    return {};
}

QByteArray HandshakeCheck::expectedAccept(QByteArrayView key)
{
    QCryptographicHash sha1(QCryptographicHash::Sha1);
    sha1.addData(key);
    sha1.addData(QByteArrayView("258EAFA5-E914-47DA-95CA-C5AB0DC85B11"));
    return sha1.result().toBase64();
}

bool HandshakeCheck::isWellFormedAccept(QByteArrayView value)
{
    if (value.size() != 28 || value.at(27) != '=')
        return false;
    for (qsizetype i = 0; i < 27; ++i) {
        const char c = value.at(i);
        const bool ok
            = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
        if (!ok)
            return false;
    }
    // The last character before the padding carries 2 bits of data and 4 zero bits (20 bytes).
    static constexpr QByteArrayView lastChars("AEIMQUYcgkosw048");
    return lastChars.contains(value.at(26));
}

QList<QByteArray> HandshakeCheck::headerTokens(const HttpHead& head, QByteArrayView name)
{
    QList<QByteArray> tokens;
    for (const QByteArray& value : head.headerValues(name)) {
        for (const QByteArray& part : value.split(',')) {
            const QByteArray t = part.trimmed();
            if (!t.isEmpty())
                tokens.append(t);
        }
    }
    return tokens;
}

QList<HandshakeFault> HandshakeCheck::check(const HandshakeExchange& exchange)
{
    QList<HandshakeFault> faults;
    const HttpHead& response = exchange.response;
    auto add = [&faults](HandshakeFault::Rule rule, QByteArrayView header, QByteArrayView seen, QByteArrayView expected,
                   const QString& message, const QString& section = kRfc6455, bool fatal = true) {
        faults.append(
            { rule, header.toByteArray(), seen.toByteArray(), expected.toByteArray(), message, section, fatal });
    };

    // HTTP level: without a complete head there is nothing else to check.
    if (exchange.responseFault == HttpHeadParser::Fault::NotHttp) {
        const QByteArray& raw = response.raw;
        const bool looksLikeTls = !raw.isEmpty() && (raw.at(0) == '\x15' || raw.at(0) == '\x16');
        QByteArray line = raw.left(raw.indexOf('\n')).left(40);
        if (line.endsWith('\r'))
            line.chop(1);
        const bool printable
            = !line.isEmpty() && std::all_of(line.begin(), line.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
        if (looksLikeTls || !printable) {
            line = raw.left(8);
            add(HandshakeFault::Rule::HttpNotHttp, {}, line, "HTTP/1.1 101",
                looksLikeTls
                    ? tr("The server answered with TLS bytes (%1), not HTTP: the port expects wss://, not ws://.")
                          .arg(latin1(line.left(3).toHex(' ')))
                    : tr("The server's reply is not HTTP: it starts with the bytes %1 instead of \"HTTP/\".")
                          .arg(latin1(line.toHex(' '))),
                u"RFC 9112 §4"_s);
        } else {
            add(HandshakeFault::Rule::HttpNotHttp, {}, line, "HTTP/1.1 101",
                tr("The server's reply is not HTTP: it starts with \"%1\" instead of \"HTTP/\".").arg(latin1(line)),
                u"RFC 9112 §4"_s);
        }
        return faults;
    }
    if (exchange.responseFault == HttpHeadParser::Fault::TooLong) {
        add(HandshakeFault::Rule::HttpHeadTooLong, {}, {}, {},
            tr("The server's response head did not end within %1 bytes (no empty line): it is endless or not a "
               "WebSocket handshake.")
                .arg(HttpHeadParser::kMaxHeadSize),
            u"RFC 9112 §2.1"_s);
        return faults;
    }
    if (exchange.closedBeforeHeadEnd) {
        add(HandshakeFault::Rule::HttpClosedEarly, {}, response.raw.left(64), {},
            response.raw.isEmpty()
                ? tr("The server closed the connection without answering the handshake request.")
                : tr("The server closed the connection in the middle of its response head, after %n byte(s) and "
                     "before the empty line that ends it.",
                    nullptr, int(response.raw.size())),
            u"RFC 9112 §2.1"_s);
        return faults;
    }
    if (response.raw.isEmpty())
        return faults; // nothing received yet: a timeout is the caller's to name

    // As the parser reads it: only the CR is dropped, so " HTTP/1.1 101" is malformed here too.
    QByteArray statusLine = response.raw.left(response.raw.indexOf('\n'));
    if (statusLine.endsWith('\r'))
        statusLine.chop(1);
    const QList<QByteArray> statusParts = statusLine.split(' ');
    const QByteArray code = statusParts.value(1);
    const bool statusLineOk = statusParts.size() >= 2 && statusParts.first().startsWith("HTTP/") && code.size() == 3
        && std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!statusLineOk) {
        add(HandshakeFault::Rule::HttpMalformedStatusLine, {}, statusLine, "HTTP/1.1 101 Switching Protocols",
            tr("The server's status line \"%1\" is not \"HTTP/1.1 <code> <reason>\".").arg(latin1(statusLine)),
            u"RFC 9112 §4"_s);
        return faults;
    }
    if (const int line = firstBareLineFeed(response.raw); line > 0) {
        add(HandshakeFault::Rule::HttpBareLineFeed, {}, {}, "\r\n",
            tr("The server's response head ends line %1 with a bare LF instead of CR LF (tolerated, but many clients "
               "wait for CR LF forever).")
                .arg(line),
            u"RFC 9112 §2.2"_s, false);
    }
    if (response.status != 101) {
        const QByteArray seen
            = QByteArray::number(response.status) + (response.reason.isEmpty() ? QByteArray() : ' ' + response.reason);
        const QByteArray location = response.header("Location").trimmed();
        QString message;
        if (response.status >= 300 && response.status < 400 && !location.isEmpty()) {
            message = tr("The server answered HTTP %1 instead of 101 Switching Protocols: it redirects to \"%2\". "
                         "Redirects are not followed; connect to that address instead.")
                          .arg(latin1(seen), latin1(location));
        } else if (response.status == 401 || response.status == 407) {
            message = tr("The server answered HTTP %1 instead of 101 Switching Protocols: it wants credentials. Add "
                         "them to the profile (an Authorization header, or the proxy's user and password).")
                          .arg(latin1(seen));
        } else {
            message = tr("The server answered HTTP %1 instead of 101 Switching Protocols: it did not accept the "
                         "WebSocket upgrade.")
                          .arg(latin1(seen));
        }
        add(HandshakeFault::Rule::StatusNot101, {}, seen, "101 Switching Protocols", message);
        return faults; // the headers of another response are not a handshake
    }

    // Upgrade: exactly "websocket", case-insensitive.
    const QList<QByteArray> upgrades = response.headerValues("Upgrade");
    if (upgrades.isEmpty()) {
        add(HandshakeFault::Rule::UpgradeMissing, "Upgrade", {}, "websocket",
            tr("The server's 101 response has no Upgrade header; RFC 6455 requires \"Upgrade: websocket\"."));
    } else {
        for (const QByteArray& value : upgrades) {
            if (value.compare("websocket", Qt::CaseInsensitive) != 0) {
                add(HandshakeFault::Rule::UpgradeWrong, "Upgrade", value, "websocket",
                    tr("The server's Upgrade header is \"%1\", not \"websocket\".").arg(latin1(value)));
                break;
            }
        }
    }

    // Connection: a token list that contains "Upgrade".
    const QList<QByteArray> connection = response.headerValues("Connection");
    if (connection.isEmpty()) {
        add(HandshakeFault::Rule::ConnectionMissing, "Connection", {}, "Upgrade",
            tr("The server's 101 response has no Connection header; RFC 6455 requires one that contains "
               "\"Upgrade\"."));
    } else if (!containsToken(headerTokens(response, "Connection"), "upgrade")) {
        const QByteArray seen = connection.join(", ");
        add(HandshakeFault::Rule::ConnectionWithoutUpgrade, "Connection", seen, "Upgrade",
            tr("The server's Connection header \"%1\" does not contain the token \"Upgrade\".").arg(latin1(seen)));
    }

    // Sec-WebSocket-Accept: one, well formed, matching the key the client sent.
    const QByteArray key = exchange.request.header("Sec-WebSocket-Key").trimmed();
    const QByteArray expected = key.isEmpty() ? QByteArray() : expectedAccept(key);
    const QList<QByteArray> accepts = response.headerValues("Sec-WebSocket-Accept");
    if (accepts.isEmpty()) {
        add(HandshakeFault::Rule::AcceptMissing, "Sec-WebSocket-Accept", {}, expected,
            expected.isEmpty() ? tr("The server's 101 response has no Sec-WebSocket-Accept header.")
                               : tr("The server's 101 response has no Sec-WebSocket-Accept header (expected \"%1\").")
                                     .arg(latin1(expected)));
    } else if (accepts.size() > 1) {
        const QByteArray seen = accepts.join(", ");
        add(HandshakeFault::Rule::AcceptDuplicated, "Sec-WebSocket-Accept", seen, expected,
            tr("The server sent %1 Sec-WebSocket-Accept headers (\"%2\"); exactly one is allowed.")
                .arg(accepts.size())
                .arg(latin1(seen)));
    } else if (!isWellFormedAccept(accepts.first())) {
        add(HandshakeFault::Rule::AcceptMalformed, "Sec-WebSocket-Accept", accepts.first(), expected,
            expected.isEmpty()
                ? tr("The server's Sec-WebSocket-Accept \"%1\" is not 28 characters of base64.")
                      .arg(latin1(accepts.first()))
                : tr("The server's Sec-WebSocket-Accept \"%1\" is not 28 characters of base64 (expected \"%2\").")
                      .arg(latin1(accepts.first()), latin1(expected)));
    } else if (!expected.isEmpty() && accepts.first() != expected) {
        add(HandshakeFault::Rule::AcceptWrong, "Sec-WebSocket-Accept", accepts.first(), expected,
            tr("The server's Sec-WebSocket-Accept is \"%1\", but the key this client sent requires \"%2\".")
                .arg(latin1(accepts.first()), latin1(expected)));
    }

    // Sec-WebSocket-Protocol: at most one, and one the client offered.
    const QList<QByteArray> offered = headerTokens(exchange.request, "Sec-WebSocket-Protocol");
    const QList<QByteArray> chosen = headerTokens(response, "Sec-WebSocket-Protocol");
    if (chosen.size() > 1) {
        const QByteArray seen = chosen.join(", ");
        add(HandshakeFault::Rule::SubprotocolSeveral, "Sec-WebSocket-Protocol", seen, {},
            tr("The server's Sec-WebSocket-Protocol names %1 subprotocols (\"%2\"); it must choose exactly one.")
                .arg(chosen.size())
                .arg(latin1(seen)));
    } else if (chosen.size() == 1 && !offered.contains(chosen.first())) {
        if (offered.isEmpty()) {
            add(HandshakeFault::Rule::SubprotocolNoneOffered, "Sec-WebSocket-Protocol", chosen.first(), {},
                tr("The server chose the subprotocol \"%1\" although the client offered none.")
                    .arg(latin1(chosen.first())));
        } else {
            add(HandshakeFault::Rule::SubprotocolNotOffered, "Sec-WebSocket-Protocol", chosen.first(),
                offered.join(", "),
                tr("The server chose the subprotocol \"%1\", which the client never offered (offered: %2).")
                    .arg(latin1(chosen.first()), quotedList(offered)));
        }
    }

    // Sec-WebSocket-Extensions: only extensions the client offered.
    const QList<QByteArray> offeredExtensions = extensionNames(exchange.request);
    for (const QByteArray& name : extensionNames(response)) {
        if (offeredExtensions.contains(name))
            continue;
        add(HandshakeFault::Rule::ExtensionNotOffered, "Sec-WebSocket-Extensions", name, offeredExtensions.join(", "),
            offeredExtensions.isEmpty()
                ? tr("The server's Sec-WebSocket-Extensions uses \"%1\" although the client offered no extension.")
                      .arg(latin1(name))
                : tr("The server's Sec-WebSocket-Extensions uses \"%1\", which the client never offered (offered: "
                     "%2).")
                      .arg(latin1(name), quotedList(offeredExtensions)));
        break;
    }
    return faults;
}

QString HandshakeCheck::summary(const QList<HandshakeFault>& faults)
{
    for (const HandshakeFault& f : faults) {
        if (f.fatal)
            return f.message;
    }
    return {};
}

QString HandshakeCheck::timeoutMessage(QByteArrayView partialHead, int timeoutMs)
{
    if (partialHead.isEmpty())
        return tr("No handshake response within %1 ms.").arg(timeoutMs);
    // Printable for one line of text: control and non-ASCII bytes as \xNN, at most 80 characters.
    auto printable = [](QByteArrayView line) {
        QString out;
        for (const char c : line.first(std::min<qsizetype>(line.size(), 80))) {
            if (c >= 0x20 && c < 0x7f)
                out += QLatin1Char(c);
            else
                out += u"\\x"_s + QString::number(quint8(c), 16).rightJustified(2, u'0');
        }
        return line.size() > 80 ? out + u"…"_s : out;
    };
    const qsizetype firstEnd = partialHead.indexOf('\n');
    if (firstEnd < 0) {
        return tr("The server sent %n byte(s) of a response head, not even a complete status line (\"%1\"), and "
                  "never the empty line that ends it: the handshake timed out after %2 ms.",
            nullptr, int(partialHead.size()))
            .arg(printable(partialHead), QString::number(timeoutMs));
    }
    QByteArrayView statusLine = partialHead.first(firstEnd);
    if (statusLine.endsWith('\r'))
        statusLine.chop(1);
    // Complete header lines after the status line (a line still being written is not counted).
    const int headerLines = int(partialHead.sliced(firstEnd + 1).count('\n'));
    const qsizetype space = statusLine.indexOf(' ');
    const QByteArrayView status = space < 0 ? QByteArrayView() : statusLine.sliced(space + 1);
    const bool hasCode = status.size() >= 3
        && std::all_of(status.begin(), status.begin() + 3, [](char c) { return c >= '0' && c <= '9'; })
        && (status.size() == 3 || status.at(3) == ' ');
    const QString statusText
        = hasCode ? tr("status %1").arg(printable(status)) : tr("status line \"%1\"").arg(printable(statusLine));
    const QString lines
        = headerLines == 0 ? tr("no header line yet") : tr("then %n header line(s)", nullptr, headerLines);
    return tr("The server sent %n byte(s) of a response head (%1, %2) but never the empty line that ends it: the "
              "handshake timed out after %3 ms.",
        nullptr, int(partialHead.size()))
        .arg(statusText, lines, QString::number(timeoutMs));
}

QByteArray HandshakeCheck::normalizedForQt(const HttpHead& response)
{
    const QByteArray& raw = response.raw;
    const bool bareLf = firstBareLineFeed(raw) > 0;
    const QList<QByteArray> connection = response.headerValues("Connection");
    const bool connectionHasUpgrade = containsToken(headerTokens(response, "Connection"), "upgrade");
    const bool rewriteConnection = connectionHasUpgrade
        && (connection.size() != 1 || connection.first().compare("upgrade", Qt::CaseInsensitive) != 0);
    const QList<QByteArray> upgrades = response.headerValues("Upgrade");
    bool allWebsocket = upgrades.size() > 1;
    for (const QByteArray& u : upgrades)
        allWebsocket = allWebsocket && u.compare("websocket", Qt::CaseInsensitive) == 0;
    const bool collapseUpgrade = allWebsocket;
    // QHttpHeaderParser (qtbase 6.4) refuses a head of more than 100 fields, which HTTP allows:
    // then only the fields the handshake is about go to Qt.
    constexpr qsizetype kQtMaxHeaderFields = 100;
    const bool prune = response.headers.size() > kQtMaxHeaderFields;
    if (!bareLf && !rewriteConnection && !collapseUpgrade && !prune)
        return raw;

    QByteArray out;
    out.reserve(raw.size() + 64);
    QByteArray statusLine = raw.left(raw.indexOf('\n'));
    if (statusLine.endsWith('\r'))
        statusLine.chop(1);
    out += statusLine + "\r\n";
    bool connectionWritten = false;
    bool upgradeWritten = false;
    for (const auto& [name, value] : response.headers) {
        if (prune && name.compare("Upgrade", Qt::CaseInsensitive) != 0
            && name.compare("Connection", Qt::CaseInsensitive) != 0 && !name.toLower().startsWith("sec-websocket-"))
            continue;
        if (rewriteConnection && name.compare("Connection", Qt::CaseInsensitive) == 0) {
            if (!std::exchange(connectionWritten, true))
                out += "Connection: Upgrade\r\n";
            continue;
        }
        if (collapseUpgrade && name.compare("Upgrade", Qt::CaseInsensitive) == 0) {
            if (!std::exchange(upgradeWritten, true))
                out += name + ": " + value + "\r\n";
            continue;
        }
        out += name + ": " + value + "\r\n";
    }
    out += "\r\n";
    return out;
}

} // namespace wsi
