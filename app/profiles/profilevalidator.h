#pragma once

#include "profile.h"
#include "util/result.h"

#include <QCoreApplication>
#include <QList>
#include <QPair>
#include <QUrl>

namespace wsi {

struct ValidationIssue
{
    QString field; // "url", "headers[2].name", "subprotocols[0]", "timeout", ...
    QString message; // complete sentence for the user, naming the field and the problem
};

// A profile checked and normalised for QWebSocket: what will really be sent.
struct ConnectionPlan
{
    QUrl url; // ws:// or wss:// (or the builtin: URL, still unresolved)
    bool builtin = false;
    QList<QPair<QByteArray, QByteArray>> headers; // enabled headers, wire order
    QStringList subprotocols;
    QStringList notices; // changes made for the user ("http:// became ws://")
    QList<ValidationIssue> fieldNotices; // the same notices, each with the field it concerns
    QList<ValidationIssue> errors;

    bool ok() const { return errors.isEmpty(); }
    QString firstError() const { return errors.isEmpty() ? QString() : errors.first().message; }
    // Messages (errors first, then notices) for one field, for inline display in the editor.
    QStringList errorsFor(const QString& field) const;
    QStringList noticesFor(const QString& field) const;
};

// What the address bar made of the user's input.
struct TypedAddress
{
    QString url; // what the profile's url becomes: ws://, wss:// or builtin:...
    QStringList notices; // what was changed ("taken as ws://127.0.0.1:8080/")
};

// Checks a profile before anything is sent or saved. Every problem gets its own message.
class ProfileValidator
{
    Q_DECLARE_TR_FUNCTIONS(wsi::ProfileValidator)
public:
    static ConnectionPlan validate(const Profile& profile);
    // The profile as it should be saved: http(s) URLs turned into ws(s), a query without a path
    // given "/", Sec-WebSocket-Protocol headers moved into the subprotocol list.
    static Profile normalized(const Profile& profile);
    // An address as typed in a tab's address bar: ws://, wss://, http(s):// (converted),
    // host:port or a bare host name (taken as ws:// with a notice) and builtin:echo|chat|push.
    // The error names the problem and the fix in plain words, never Qt's parser text.
    static Result<TypedAddress> interpretAddress(const QString& typed);
    static bool isToken(QStringView s);
    // Close code a user may send: 1000-1003, 1007-1014, 3000-4999. Empty string when fine.
    static QString checkCloseCode(int code);
    static QString checkCloseReason(const QString& reason);
    static QString checkPingPayload(const QByteArray& payload);
    // A profile name must be non-empty and unique among the other names (case-insensitive).
    static QString checkName(const QString& name, const QStringList& otherNames);
    // Why the handshake owns this header (empty when the user may set it).
    static QString handshakeOwnedReason(const QString& headerName);
};

} // namespace wsi
