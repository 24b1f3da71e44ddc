#include "deflatenegotiation.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {

constexpr QByteArrayView kExtensionName = "permessage-deflate";
constexpr QByteArrayView kClientBits = "client_max_window_bits";
constexpr QByteArrayView kServerBits = "server_max_window_bits";
constexpr QByteArrayView kClientReset = "client_no_context_takeover";
constexpr QByteArrayView kServerReset = "server_no_context_takeover";

bool isTchar(char c)
{
    static constexpr QByteArrayView kSpecial = "!#$%&'*+-.^_`|~";
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || kSpecial.contains(c);
}

bool isToken(QByteArrayView s)
{
    if (s.isEmpty())
        return false;
    for (char c : s) {
        if (!isTchar(c))
            return false;
    }
    return true;
}

// Enough to recognise a name or value; a hostile server must not fill a message with megabytes.
QString shortText(QByteArrayView text, qsizetype shown = 40)
{
    QString s = QString::fromLatin1(text.first(std::min(text.size(), shown)));
    if (text.size() > shown)
        s += u"…"_s;
    return s;
}

QString quoted(QByteArrayView text, qsizetype shown = 40)
{
    return u"\""_s + shortText(text, shown) + u"\""_s;
}

// A small cursor over one header value.
class ListReader
{
public:
    explicit ListReader(QByteArrayView text)
        : m_text(text)
    { }
    bool atEnd() const { return m_pos >= m_text.size(); }
    char peek() const { return atEnd() ? '\0' : m_text.at(m_pos); }
    qsizetype pos() const { return m_pos; }
    void skip() { ++m_pos; }
    void skipSpace()
    {
        while (!atEnd() && (peek() == ' ' || peek() == '\t'))
            ++m_pos;
    }
    QByteArray token()
    {
        const qsizetype start = m_pos;
        while (!atEnd() && isTchar(peek()))
            ++m_pos;
        return m_text.sliced(start, m_pos - start).toByteArray();
    }
    // After the opening quote; false when the closing quote is missing.
    bool quotedString(QByteArray* out)
    {
        while (!atEnd()) {
            const char c = m_text.at(m_pos++);
            if (c == '"')
                return true;
            if (c == '\\') {
                if (atEnd())
                    return false;
                out->append(m_text.at(m_pos++));
            } else {
                out->append(c);
            }
        }
        return false;
    }

private:
    QByteArrayView m_text;
    qsizetype m_pos = 0;
};

QString describeChar(char c)
{
    if (c >= 0x21 && c <= 0x7e)
        return u"\""_s + QChar::fromLatin1(c) + u"\""_s;
    return u"0x%1"_s.arg(uint(uchar(c)), 2, 16, QChar(u'0'));
}

Error malformed(QByteArrayView value, const QString& what)
{
    return { DeflateNegotiation::tr("Sec-WebSocket-Extensions %1 is malformed: %2.").arg(quoted(value, 120), what),
        {} };
}

} // namespace

Result<QList<ExtensionElement>> parseExtensionHeader(const QList<QByteArray>& values)
{
    QList<ExtensionElement> out;
    for (const QByteArray& value : values) {
        ListReader r(value);
        while (true) {
            r.skipSpace();
            if (r.atEnd())
                break;
            if (r.peek() == ',') { // empty list elements are allowed (RFC 7230 §7)
                r.skip();
                continue;
            }
            ExtensionElement element;
            element.name = r.token();
            if (element.name.isEmpty())
                return malformed(value,
                    DeflateNegotiation::tr("expected an extension name at offset %1, found %2")
                        .arg(r.pos())
                        .arg(describeChar(r.peek())));
            r.skipSpace();
            while (r.peek() == ';') {
                r.skip();
                r.skipSpace();
                ExtensionParam param;
                param.name = r.token();
                if (param.name.isEmpty())
                    return malformed(value,
                        r.atEnd() ? DeflateNegotiation::tr("a parameter name is missing after the last \";\"")
                                  : DeflateNegotiation::tr("expected a parameter name at offset %1, found %2")
                                        .arg(r.pos())
                                        .arg(describeChar(r.peek())));
                r.skipSpace();
                if (r.peek() == '=') {
                    r.skip();
                    r.skipSpace();
                    param.hasValue = true;
                    if (r.peek() == '"') {
                        r.skip();
                        if (!r.quotedString(&param.value))
                            return malformed(value,
                                DeflateNegotiation::tr("the quoted value of %1 has no closing quote")
                                    .arg(shortText(param.name)));
                        // RFC 6455 §9.1: a quoted value must still be a token once unquoted.
                        if (!isToken(param.value))
                            return malformed(value,
                                DeflateNegotiation::tr("the quoted value %1 of %2 is not a token")
                                    .arg(quoted(param.value), shortText(param.name)));
                    } else {
                        param.value = r.token();
                        if (param.value.isEmpty())
                            return malformed(
                                value, DeflateNegotiation::tr("%1= has no value").arg(shortText(param.name)));
                    }
                    r.skipSpace();
                }
                element.params.append(param);
            }
            if (!r.atEnd() && r.peek() != ',')
                return malformed(value,
                    DeflateNegotiation::tr("unexpected %1 at offset %2").arg(describeChar(r.peek())).arg(r.pos()));
            out.append(element);
        }
    }
    return out;
}

int DeflateNegotiation::parseWindowBits(QByteArrayView value)
{
    // RFC 7692 §7.1.2: a decimal integer without leading zeroes, 8 to 15.
    if (value.isEmpty() || value.size() > 2 || value.front() == '0')
        return -1;
    int n = 0;
    for (char c : value) {
        if (c < '0' || c > '9')
            return -1;
        n = n * 10 + (c - '0');
    }
    return n >= DeflateParams::kMinWindowBits && n <= DeflateParams::kMaxWindowBits ? n : -1;
}

Result<DeflateParams> DeflateNegotiation::parseOffer(QStringView text)
{
    const QStringView trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return DeflateParams();
    for (QChar c : trimmed) {
        if (c.unicode() < 0x20 || c.unicode() > 0x7e)
            return Error { tr("Deflate parameters \"%1\" contain the character U+%2: use only "
                              "the ASCII parameter names and numbers.")
                               .arg(trimmed.toString())
                               .arg(uint(c.unicode()), 4, 16, QChar(u'0')),
                {} };
    }
    QByteArray header = trimmed.toLatin1();
    if (!header.toLower().startsWith(kExtensionName.toByteArray()))
        header.prepend(kExtensionName.toByteArray() + "; ");
    auto elements = parseExtensionHeader({ header });
    if (!elements)
        return Error {
            tr("Deflate parameters \"%1\" are malformed: %2").arg(trimmed.toString(), elements.error().message), {}
        };
    if (elements->size() != 1 || elements->first().name.toLower() != kExtensionName)
        return Error { tr("Deflate parameters \"%1\" describe more than one extension: separate "
                          "parameters with \";\", not \",\".")
                           .arg(trimmed.toString()),
            {} };

    DeflateParams p;
    p.clientMaxWindowBits = DeflateParams::kNotOffered;
    QList<QByteArray> seen;
    for (const ExtensionParam& param : elements->first().params) {
        const QByteArray name = param.name.toLower();
        const QString shown = shortText(param.name);
        if (seen.contains(name))
            return Error { tr("Deflate parameter %1 is given twice.").arg(shown), {} };
        seen.append(name);
        if (name == kClientReset || name == kServerReset) {
            if (param.hasValue)
                return Error {
                    tr("Deflate parameter %1 takes no value (found \"%2\").").arg(shown, shortText(param.value)), {}
                };
            (name == kClientReset ? p.clientNoContextTakeover : p.serverNoContextTakeover) = true;
        } else if (name == kClientBits || name == kServerBits) {
            if (!param.hasValue) {
                if (name == kServerBits)
                    return Error { tr("Deflate parameter server_max_window_bits needs a value from 8 to 15."), {} };
                p.clientMaxWindowBits = DeflateParams::kOfferedWithoutValue;
                continue;
            }
            const int bits = DeflateNegotiation::parseWindowBits(param.value);
            if (bits < 0)
                return Error {
                    tr("Deflate parameter %1=%2 is out of range: use 8 to 15.").arg(shown, shortText(param.value)), {}
                };
            (name == kClientBits ? p.clientMaxWindowBits : p.serverMaxWindowBits) = bits;
        } else {
            return Error { tr("Deflate parameter \"%1\" is unknown: use client_max_window_bits, "
                              "server_max_window_bits, client_no_context_takeover or "
                              "server_no_context_takeover.")
                               .arg(shown),
                {} };
        }
    }
    return p;
}

QString NegotiatedDeflate::describe() const
{
    if (!accepted)
        return DeflateNegotiation::tr("permessage-deflate declined by the server: messages are not compressed");
    QString s = DeflateNegotiation::tr("permessage-deflate: server window %1 bits, client window %2 bits")
                    .arg(serverMaxWindowBits)
                    .arg(clientMaxWindowBits);
    if (serverNoContextTakeover)
        s += DeflateNegotiation::tr(", server resets its context per message");
    if (clientNoContextTakeover)
        s += DeflateNegotiation::tr(", client resets its context per message");
    return s;
}

Result<NegotiatedDeflate> DeflateNegotiation::checkResponse(
    const DeflateParams& offer, const QList<QByteArray>& responseValues)
{
    auto elements = parseExtensionHeader(responseValues);
    if (!elements)
        return elements.error();
    NegotiatedDeflate n;
    n.responseValue = responseValues.join(", ");
    if (elements->isEmpty())
        return n; // declined
    // RFC 6455 §9.1: only offered extensions may be accepted; RFC 7692 §5: one offer, one answer.
    int deflateCount = 0;
    for (const ExtensionElement& e : std::as_const(*elements)) {
        if (e.name.toLower() != kExtensionName)
            return Error { tr("The server accepted the extension %1, which was not offered (only permessage-deflate "
                              "was).")
                               .arg(quoted(e.name)),
                {} };
        ++deflateCount;
    }
    if (deflateCount > 1)
        return Error {
            tr("The server's Sec-WebSocket-Extensions names permessage-deflate %1 times; it was offered once.")
                .arg(deflateCount),
            {}
        };

    const ExtensionElement& e = elements->first();
    QList<QByteArray> seen;
    int clientBits = -1;
    int serverBits = -1;
    bool clientReset = false;
    bool serverReset = false;
    for (const ExtensionParam& param : e.params) {
        const QByteArray name = param.name.toLower();
        const QString shown = shortText(param.name);
        if (seen.contains(name))
            return Error { tr("The server's permessage-deflate response has the parameter %1 twice.").arg(shown), {} };
        seen.append(name);
        if (name == kClientReset || name == kServerReset) {
            if (param.hasValue)
                return Error { tr("The server's permessage-deflate response gives %1 the value %2; it takes none.")
                                   .arg(shown, quoted(param.value)),
                    {} };
            (name == kClientReset ? clientReset : serverReset) = true;
        } else if (name == kClientBits || name == kServerBits) {
            if (!param.hasValue)
                return Error { tr("The server's permessage-deflate response has %1 without a value; a response must "
                                  "give one from 8 to 15.")
                                   .arg(shown),
                    {} };
            const int bits = parseWindowBits(param.value);
            if (bits < 0)
                return Error { tr("The server's permessage-deflate response has %1=%2, which is not a window size "
                                  "from 8 to 15.")
                                   .arg(shown, shortText(param.value)),
                    {} };
            (name == kClientBits ? clientBits : serverBits) = bits;
        } else {
            return Error {
                tr("The server's permessage-deflate response has the unknown parameter %1.").arg(quoted(name)), {}
            };
        }
    }

    // RFC 7692 §7.1.2.2: client_max_window_bits only if offered, never above the offered value.
    if (clientBits >= 0) {
        if (offer.clientMaxWindowBits == DeflateParams::kNotOffered)
            return Error { tr("The server's permessage-deflate response has client_max_window_bits=%1, which was not "
                              "offered.")
                               .arg(clientBits),
                {} };
        if (offer.clientMaxWindowBits > 0 && clientBits > offer.clientMaxWindowBits)
            return Error { tr("The server's permessage-deflate response has client_max_window_bits=%1, larger than "
                              "the %2 offered.")
                               .arg(clientBits)
                               .arg(offer.clientMaxWindowBits),
                {} };
    }
    // RFC 7692 §7.1.2.1: a server accepts an offered server_max_window_bits by answering it with
    // the same or a smaller value; it may also limit itself unasked.
    if (offer.serverMaxWindowBits != DeflateParams::kNotOffered) {
        if (serverBits < 0)
            return Error { tr("The server's permessage-deflate response leaves out server_max_window_bits, which was "
                              "offered as %1: the server did not accept the offer it answered.")
                               .arg(offer.serverMaxWindowBits),
                {} };
        if (serverBits > offer.serverMaxWindowBits)
            return Error { tr("The server's permessage-deflate response has server_max_window_bits=%1, larger than "
                              "the %2 offered.")
                               .arg(serverBits)
                               .arg(offer.serverMaxWindowBits),
                {} };
    }
    // RFC 7692 §7.1.1.1: an offered server_no_context_takeover is accepted by answering it; the
    // server may also add it unasked. §7.1.1.2: client_no_context_takeover may always be answered.
    if (offer.serverNoContextTakeover && !serverReset)
        return Error { tr("The server's permessage-deflate response leaves out server_no_context_takeover, which was "
                          "offered: the server did not accept the offer it answered."),
            {} };

    n.accepted = true;
    n.serverNoContextTakeover = serverReset;
    n.clientNoContextTakeover = clientReset || offer.clientNoContextTakeover;
    n.serverMaxWindowBits = serverBits >= 0 ? serverBits : DeflateParams::kMaxWindowBits;
    if (clientBits >= 0)
        n.clientMaxWindowBits = clientBits;
    else if (offer.clientMaxWindowBits > 0) // a smaller window than announced is always allowed
        n.clientMaxWindowBits = offer.clientMaxWindowBits;
    else
        n.clientMaxWindowBits = DeflateParams::kMaxWindowBits;
    return n;
}

DeflateServerAnswer DeflateNegotiation::answerOffers(
    const QList<QByteArray>& requestValues, const DeflateServerConfig& config)
{
    DeflateServerAnswer answer;
    auto elements = parseExtensionHeader(requestValues);
    if (!elements) {
        answer.declined.append(elements.error().message);
        return answer;
    }
    for (const ExtensionElement& e : std::as_const(*elements)) {
        if (e.name.toLower() != kExtensionName)
            continue;
        // Read the offer; any problem declines this offer only.
        QString problem;
        QList<QByteArray> seen;
        int clientBits = DeflateParams::kNotOffered;
        int serverBits = DeflateParams::kNotOffered;
        bool clientReset = false;
        bool serverReset = false;
        for (const ExtensionParam& param : e.params) {
            const QByteArray name = param.name.toLower();
            if (seen.contains(name)) {
                problem = tr("parameter %1 given twice").arg(shortText(param.name));
                break;
            }
            seen.append(name);
            if (name == kClientReset || name == kServerReset) {
                if (param.hasValue) {
                    problem = tr("%1 has a value").arg(shortText(param.name));
                    break;
                }
                (name == kClientReset ? clientReset : serverReset) = true;
            } else if (name == kClientBits && !param.hasValue) {
                clientBits = DeflateParams::kOfferedWithoutValue;
            } else if (name == kClientBits || name == kServerBits) {
                const int bits = param.hasValue ? parseWindowBits(param.value) : -1;
                if (bits < 0) {
                    problem = param.hasValue ? tr("%1=%2 is not a window size from 8 to 15")
                                                   .arg(shortText(param.name), shortText(param.value))
                                             : tr("%1 has no value").arg(shortText(param.name));
                    break;
                }
                (name == kClientBits ? clientBits : serverBits) = bits;
            } else {
                problem = tr("unknown parameter %1").arg(quoted(param.name));
                break;
            }
        }
        if (!problem.isEmpty()) {
            answer.declined.append(tr("permessage-deflate offer declined: %1.").arg(problem));
            continue;
        }

        NegotiatedDeflate& n = answer.negotiated;
        n.accepted = true;
        n.serverNoContextTakeover = serverReset || config.serverNoContextTakeover;
        n.clientNoContextTakeover = clientReset || config.clientNoContextTakeover;
        const int ownLimit
            = config.serverMaxWindowBits > 0 ? config.serverMaxWindowBits : DeflateParams::kMaxWindowBits;
        n.serverMaxWindowBits = serverBits > 0 ? std::min(serverBits, ownLimit) : ownLimit;
        // A client that did not offer client_max_window_bits cannot be told a window (§7.1.2.2);
        // inflating with 15 reads any smaller window too.
        const bool askClient = clientBits != DeflateParams::kNotOffered && config.clientMaxWindowBits > 0;
        n.clientMaxWindowBits = askClient
            ? (clientBits > 0 ? std::min(clientBits, config.clientMaxWindowBits) : config.clientMaxWindowBits)
            : DeflateParams::kMaxWindowBits;

        QByteArray response = kExtensionName.toByteArray();
        if (n.serverNoContextTakeover)
            response += "; " + kServerReset.toByteArray();
        // Repeated when the client offered it: RFC 7692 §7.1.1.2 calls the offer a hint that the
        // client resets anyway, but npm ws resets only when the response says so; answered, both
        // sides agree.
        if (n.clientNoContextTakeover)
            response += "; " + kClientReset.toByteArray();
        // An offered server_max_window_bits is accepted by answering it (§7.1.2.1).
        if (serverBits > 0 || n.serverMaxWindowBits < DeflateParams::kMaxWindowBits)
            response += "; " + kServerBits.toByteArray() + '=' + QByteArray::number(n.serverMaxWindowBits);
        if (askClient)
            response += "; " + kClientBits.toByteArray() + '=' + QByteArray::number(n.clientMaxWindowBits);
        n.responseValue = response;
        answer.accepted = true;
        answer.responseValue = response;
        return answer;
    }
    return answer;
}

Result<void> DeflateNegotiation::checkNotExtended(const QList<QByteArray>& responseValues)
{
    auto elements = parseExtensionHeader(responseValues);
    if (!elements)
        return elements.error();
    if (!elements->isEmpty())
        return Error {
            tr("The server accepted the extension %1, which was not offered.").arg(quoted(elements->first().name)), {}
        };
    return {};
}

} // namespace wsi
