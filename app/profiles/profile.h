#pragma once

#include "deflate/deflateparams.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace wsi {

struct ProfileHeader
{
    QString name;
    QString value;
    bool enabled = true;
    bool secret = false; // stored in the keychain, masked in the UI, left out of exports
    bool operator==(const ProfileHeader&) const = default;
};

struct SavedMessage
{
    QString name;
    QString mode; // "text", "json", "hex", "base64"
    QString body;
    bool operator==(const SavedMessage&) const = default;
};

struct ProxySettings
{
    enum class Type { None, System, Http, Socks5 };
    Type type = Type::None;
    QString host;
    quint16 port = 0;
    QString user;
    QString password; // secret
    bool operator==(const ProxySettings&) const = default;
};

struct TlsSettings
{
    bool verify = true;
    QString caFile;
    QString certFile;
    QString keyFile;
    QString keyPassphrase; // secret
    QStringList pinnedFingerprints; // SHA-256 hex of certificates the user accepted for this profile
    QMap<QString, QString> pinnedSubjects; // fingerprint -> the certificate's subject, for the editor's list
    bool operator==(const TlsSettings&) const = default;
    // The one form pinned fingerprints are stored and compared in: upper-case hex pairs joined by
    // ':' ("AB:0C:..."), whatever case and separators the input used ("ab0c", "AB 0C").
    static QString canonicalFingerprint(QStringView fingerprint);
};

// Everything needed to open one connection: the options of wx.connectSocket
// (url, header, protocols, tcpNoDelay, perMessageDeflate, timeout) and what a desktop debugger adds.
struct Profile
{
    QString id; // stable identifier (UUID) across renames
    QString name;
    QString url; // as typed; see ProfileValidator for the normalised QUrl
    QList<ProfileHeader> headers;
    QStringList subprotocols;
    int handshakeTimeoutMs = 10000;
    QString origin;
    bool tcpNoDelay = true;
    bool perMessageDeflate = false; // the relay offers permessage-deflate and speaks it for QWebSocket
    DeflateParams deflateOffer; // what is offered when perMessageDeflate is on (browsers' offer by default)
    bool deflateOutgoing = true; // compress what this client sends once deflate is negotiated
    bool autoReconnect = false;
    int keepAlivePingMs = 0; // 0 = off
    TlsSettings tls;
    ProxySettings proxy;
    QStringList resolve; // curl's --resolve entries "HOST:PORT:ADDRESS" (see HostOverride)
    bool forMiniProgram = false; // checked against the WeChat mini-program rules (MiniProgramCheck)
    qint64 maxIncomingMessageSize = 64 * 1024 * 1024;
    // Strict (false, the default): whatever RFC 6455 says a client MUST fail on fails the connection
    // (1002/1007) with the rule named. Lenient: the connection stays open and violations are only flagged,
    // for debugging a broken server on purpose.
    bool lenient = false;
    QList<SavedMessage> savedMessages;
    QStringList sendHistory;
    QJsonObject unknownFields; // fields a newer version wrote; kept through load/save

    bool operator==(const Profile&) const = default;

    static constexpr int kDefaultTimeoutMs = 10000;
    static constexpr qint64 kMaxMessageSizeLimit = 2147483646; // QWebSocket's own ceiling
    static Profile builtinEcho();
    // The built-in servers' profiles (echo first); always listed, never saved.
    static QList<Profile> builtins();
    bool isBuiltin() const { return id.startsWith(QLatin1StringView("builtin-")); }

    enum class Secrets { Include, Omit };
    // JSON as stored in profiles.json and in exports. With Secrets::Omit the secret header values,
    // the proxy password and the key passphrase are left out (the keys stay, with empty values).
    QJsonObject toJson(Secrets secrets = Secrets::Include) const;
    // Reads what toJson() wrote; fields this version does not know go to unknownFields.
    static Profile fromJson(const QJsonObject& object);
    // True when the profile holds any secret value (non-empty).
    bool hasSecrets() const;
    // The same profile with every secret value cleared.
    Profile withoutSecrets() const;
};

} // namespace wsi

Q_DECLARE_METATYPE(wsi::Profile)
