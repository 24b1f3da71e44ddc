#include "profile.h"

#include <QCoreApplication>

#include <QJsonArray>

#include <tuple>

using namespace Qt::StringLiterals;

namespace wsi {

QString TlsSettings::canonicalFingerprint(QStringView fingerprint)
{
    QString hex;
    hex.reserve(fingerprint.size());
    for (QChar c : fingerprint) {
        const char16_t u = c.toLower().unicode();
        if ((u >= u'0' && u <= u'9') || (u >= u'a' && u <= u'f'))
            hex.append(c.toUpper());
    }
    QString out;
    out.reserve(hex.size() * 3 / 2);
    for (qsizetype i = 0; i < hex.size(); i += 2) {
        if (i > 0)
            out.append(u':');
        out.append(QStringView(hex).mid(i, 2));
    }
    return out;
}

namespace {

Profile builtinProfile(const QString& id, const QString& name, const QString& url)
{
    Profile p;
    p.id = id;
    p.name = name;
    p.url = url;
    return p;
}

// Every key this version writes for a profile; anything else is kept in unknownFields.
const QStringList& knownKeys()
{
    static const QStringList keys = { u"id"_s, u"name"_s, u"url"_s, u"headers"_s, u"subprotocols"_s,
        u"handshakeTimeoutMs"_s, u"origin"_s, u"tcpNoDelay"_s, u"perMessageDeflate"_s, u"autoReconnect"_s,
        u"keepAlivePingMs"_s, u"tls"_s, u"proxy"_s, u"maxIncomingMessageSize"_s, u"savedMessages"_s, u"sendHistory"_s,
        u"deflate"_s, u"lenient"_s, u"resolve"_s, u"forMiniProgram"_s };
    return keys;
}

QString proxyTypeName(ProxySettings::Type type)
{
    switch (type) {
    case ProxySettings::Type::None:
        return u"none"_s;
    case ProxySettings::Type::System:
        return u"system"_s;
    case ProxySettings::Type::Http:
        return u"http"_s;
    case ProxySettings::Type::Socks5:
        return u"socks5"_s;
    }
    return u"none"_s;
}

ProxySettings::Type proxyTypeFromName(const QString& name)
{
    if (name == u"system")
        return ProxySettings::Type::System;
    if (name == u"http")
        return ProxySettings::Type::Http;
    if (name == u"socks5")
        return ProxySettings::Type::Socks5;
    return ProxySettings::Type::None;
}

// Window bits as npm ws spells them: true = offered without a value, false = not offered, or
// the number (kept as written, even out of range, so that the validator can name it).
QJsonValue windowBitsToJson(int bits)
{
    if (bits == DeflateParams::kOfferedWithoutValue)
        return true;
    if (bits == DeflateParams::kNotOffered)
        return false;
    return bits;
}

int windowBitsFromJson(const QJsonValue& value, int fallback)
{
    if (value.isBool())
        return value.toBool() ? DeflateParams::kOfferedWithoutValue : DeflateParams::kNotOffered;
    if (value.isDouble()) {
        const double d = value.toDouble();
        // Range first: int(d) of 1e300 is undefined behaviour (fuzz_profile).
        if (d >= -1000 && d <= 1000 && d == double(int(d)))
            return int(d);
    }
    return fallback;
}

QStringList toStringList(const QJsonValue& value)
{
    QStringList out;
    const QJsonArray array = value.toArray();
    for (const QJsonValue& v : array)
        out.append(v.toString());
    return out;
}

} // namespace

Profile Profile::builtinEcho()
{
    return builtinProfile(
        u"builtin-echo"_s, QCoreApplication::translate("wsi::Profile", "Built-in echo server"), u"builtin:echo"_s);
}

QList<Profile> Profile::builtins()
{
    return {
        builtinEcho(),
        builtinProfile(
            u"builtin-chat"_s, QCoreApplication::translate("wsi::Profile", "Built-in chat room"), u"builtin:chat"_s),
        builtinProfile(u"builtin-push"_s,
            QCoreApplication::translate("wsi::Profile", "Built-in server push (1 message/s)"),
            u"builtin:push?interval=1000"_s),
    };
}

QJsonObject Profile::toJson(Secrets secrets) const
{
    const bool omit = secrets == Secrets::Omit;
    QJsonObject o = unknownFields;
    o[u"id"_s] = id;
    o[u"name"_s] = name;
    o[u"url"_s] = url;
    QJsonArray hs;
    for (const ProfileHeader& h : headers) {
        hs.append(QJsonObject { { u"name"_s, h.name }, { u"value"_s, (omit && h.secret) ? QString() : h.value },
            { u"enabled"_s, h.enabled }, { u"secret"_s, h.secret } });
    }
    o[u"headers"_s] = hs;
    o[u"subprotocols"_s] = QJsonArray::fromStringList(subprotocols);
    o[u"handshakeTimeoutMs"_s] = handshakeTimeoutMs;
    o[u"origin"_s] = origin;
    o[u"tcpNoDelay"_s] = tcpNoDelay;
    o[u"perMessageDeflate"_s] = perMessageDeflate;
    o[u"autoReconnect"_s] = autoReconnect;
    o[u"keepAlivePingMs"_s] = keepAlivePingMs;
    // Nested objects start from the fields a newer version wrote there (kept in unknownFields).
    QJsonObject t = unknownFields.value(u"tls"_s).toObject();
    t[u"verify"_s] = tls.verify;
    t[u"caFile"_s] = tls.caFile;
    t[u"certFile"_s] = tls.certFile;
    t[u"keyFile"_s] = tls.keyFile;
    t[u"keyPassphrase"_s] = omit ? QString() : tls.keyPassphrase;
    t[u"pinnedFingerprints"_s] = QJsonArray::fromStringList(tls.pinnedFingerprints);
    QJsonObject subjects;
    for (auto it = tls.pinnedSubjects.cbegin(); it != tls.pinnedSubjects.cend(); ++it) {
        if (tls.pinnedFingerprints.contains(it.key()))
            subjects.insert(it.key(), it.value());
    }
    t[u"pinnedSubjects"_s] = subjects;
    o[u"tls"_s] = t;
    QJsonObject x = unknownFields.value(u"proxy"_s).toObject();
    x[u"type"_s] = proxyTypeName(proxy.type);
    x[u"host"_s] = proxy.host;
    x[u"port"_s] = int(proxy.port);
    x[u"user"_s] = proxy.user;
    x[u"password"_s] = omit ? QString() : proxy.password;
    o[u"proxy"_s] = x;
    QJsonObject d = unknownFields.value(u"deflate"_s).toObject();
    d[u"clientMaxWindowBits"_s] = windowBitsToJson(deflateOffer.clientMaxWindowBits);
    // The server's window can only be offered with a value.
    d[u"serverMaxWindowBits"_s] = deflateOffer.serverMaxWindowBits == DeflateParams::kNotOffered
        ? QJsonValue(false)
        : QJsonValue(deflateOffer.serverMaxWindowBits);
    d[u"clientNoContextTakeover"_s] = deflateOffer.clientNoContextTakeover;
    d[u"serverNoContextTakeover"_s] = deflateOffer.serverNoContextTakeover;
    d[u"compressOutgoing"_s] = deflateOutgoing;
    o[u"deflate"_s] = d;
    o[u"resolve"_s] = QJsonArray::fromStringList(resolve);
    o[u"forMiniProgram"_s] = forMiniProgram;
    o[u"maxIncomingMessageSize"_s] = double(maxIncomingMessageSize);
    o[u"lenient"_s] = lenient;
    QJsonArray saved;
    for (const SavedMessage& m : savedMessages)
        saved.append(QJsonObject { { u"name"_s, m.name }, { u"mode"_s, m.mode }, { u"body"_s, m.body } });
    o[u"savedMessages"_s] = saved;
    o[u"sendHistory"_s] = QJsonArray::fromStringList(sendHistory);
    return o;
}

Profile Profile::fromJson(const QJsonObject& o)
{
    Profile p;
    p.id = o.value(u"id"_s).toString();
    p.name = o.value(u"name"_s).toString();
    p.url = o.value(u"url"_s).toString();
    const QJsonArray hs = o.value(u"headers"_s).toArray();
    for (const QJsonValue& v : hs) {
        const QJsonObject h = v.toObject();
        p.headers.append({ h.value(u"name"_s).toString(), h.value(u"value"_s).toString(),
            h.value(u"enabled"_s).toBool(true), h.value(u"secret"_s).toBool(false) });
    }
    p.subprotocols = toStringList(o.value(u"subprotocols"_s));
    p.handshakeTimeoutMs = o.value(u"handshakeTimeoutMs"_s).toInt(kDefaultTimeoutMs);
    p.origin = o.value(u"origin"_s).toString();
    p.tcpNoDelay = o.value(u"tcpNoDelay"_s).toBool(true);
    p.perMessageDeflate = o.value(u"perMessageDeflate"_s).toBool(false);
    p.autoReconnect = o.value(u"autoReconnect"_s).toBool(false);
    p.keepAlivePingMs = o.value(u"keepAlivePingMs"_s).toInt(0);
    const QJsonObject t = o.value(u"tls"_s).toObject();
    p.tls.verify = t.value(u"verify"_s).toBool(true);
    p.tls.caFile = t.value(u"caFile"_s).toString();
    p.tls.certFile = t.value(u"certFile"_s).toString();
    p.tls.keyFile = t.value(u"keyFile"_s).toString();
    p.tls.keyPassphrase = t.value(u"keyPassphrase"_s).toString();
    p.tls.pinnedFingerprints = toStringList(t.value(u"pinnedFingerprints"_s));
    const QJsonObject subjects = t.value(u"pinnedSubjects"_s).toObject();
    for (auto it = subjects.begin(); it != subjects.end(); ++it) {
        if (it.value().isString() && p.tls.pinnedFingerprints.contains(it.key()))
            p.tls.pinnedSubjects.insert(it.key(), it.value().toString());
    }
    const QJsonObject x = o.value(u"proxy"_s).toObject();
    p.proxy.type = proxyTypeFromName(x.value(u"type"_s).toString());
    p.proxy.host = x.value(u"host"_s).toString();
    const int port = x.value(u"port"_s).toInt(0);
    p.proxy.port = quint16(port >= 0 && port <= 65535 ? port : 0);
    p.proxy.user = x.value(u"user"_s).toString();
    p.proxy.password = x.value(u"password"_s).toString();
    const QJsonObject d = o.value(u"deflate"_s).toObject();
    const DeflateParams defaults;
    p.deflateOffer.clientMaxWindowBits
        = windowBitsFromJson(d.value(u"clientMaxWindowBits"_s), defaults.clientMaxWindowBits);
    p.deflateOffer.serverMaxWindowBits
        = windowBitsFromJson(d.value(u"serverMaxWindowBits"_s), defaults.serverMaxWindowBits);
    if (p.deflateOffer.serverMaxWindowBits == DeflateParams::kOfferedWithoutValue) // true: no value to offer
        p.deflateOffer.serverMaxWindowBits = DeflateParams::kNotOffered;
    p.deflateOffer.clientNoContextTakeover = d.value(u"clientNoContextTakeover"_s).toBool(false);
    p.deflateOffer.serverNoContextTakeover = d.value(u"serverNoContextTakeover"_s).toBool(false);
    p.deflateOutgoing = d.value(u"compressOutgoing"_s).toBool(true);
    // A JSON number may be anything (1e300, -1e300): converting it unchecked is undefined behaviour
    // (found by fuzz_profile). Out-of-range values stay out of range so the validator names them.
    const double size = o.value(u"maxIncomingMessageSize"_s).toDouble(64.0 * 1024 * 1024);
    p.maxIncomingMessageSize = !(size >= 0)   ? -1
        : size > double(kMaxMessageSizeLimit) ? kMaxMessageSizeLimit + 1
                                              : qint64(size);
    p.lenient = o.value(u"lenient"_s).toBool(false); // strict unless a profile asks otherwise
    const QJsonArray saved = o.value(u"savedMessages"_s).toArray();
    for (const QJsonValue& v : saved) {
        const QJsonObject m = v.toObject();
        p.savedMessages.append(
            { m.value(u"name"_s).toString(), m.value(u"mode"_s).toString(u"text"_s), m.value(u"body"_s).toString() });
    }
    p.sendHistory = toStringList(o.value(u"sendHistory"_s));
    p.resolve = toStringList(o.value(u"resolve"_s));
    p.forMiniProgram = o.value(u"forMiniProgram"_s).toBool(false);
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!knownKeys().contains(it.key()))
            p.unknownFields.insert(it.key(), it.value());
    }
    // Unknown fields inside "tls", "proxy" and "deflate" survive too, under the same key.
    static const QStringList knownTls { u"verify"_s, u"caFile"_s, u"certFile"_s, u"keyFile"_s, u"keyPassphrase"_s,
        u"pinnedFingerprints"_s, u"pinnedSubjects"_s };
    static const QStringList knownProxy { u"type"_s, u"host"_s, u"port"_s, u"user"_s, u"password"_s };
    static const QStringList knownDeflate { u"clientMaxWindowBits"_s, u"serverMaxWindowBits"_s,
        u"clientNoContextTakeover"_s, u"serverNoContextTakeover"_s, u"compressOutgoing"_s };
    for (const auto& [key, known, object] : { std::tuple { u"tls"_s, &knownTls, t },
             std::tuple { u"proxy"_s, &knownProxy, x }, std::tuple { u"deflate"_s, &knownDeflate, d } }) {
        QJsonObject extra;
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (!known->contains(it.key()))
                extra.insert(it.key(), it.value());
        }
        if (!extra.isEmpty())
            p.unknownFields.insert(key, extra);
    }
    return p;
}

bool Profile::hasSecrets() const
{
    for (const ProfileHeader& h : headers) {
        if (h.secret && !h.value.isEmpty())
            return true;
    }
    return !proxy.password.isEmpty() || !tls.keyPassphrase.isEmpty();
}

Profile Profile::withoutSecrets() const
{
    Profile p = *this;
    for (ProfileHeader& h : p.headers) {
        if (h.secret)
            h.value.clear();
    }
    p.proxy.password.clear();
    p.tls.keyPassphrase.clear();
    return p;
}

} // namespace wsi
