#include "profilevalidator.h"

#include "server/builtinserver.h"

using namespace Qt::StringLiterals;

namespace wsi {

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

ConnectionPlan ProfileValidator::validate(const Profile& profile)
{
    ConnectionPlan plan;
    const QString typed = profile.url.trimmed();
    if (BuiltinServers::isBuiltinUrl(typed)) {
        plan.builtin = true;
        plan.url = QUrl(typed);
    } else {
        QUrl url(typed, QUrl::StrictMode);
        if (typed.isEmpty()) {
            plan.errors.append({ u"url"_s, tr("URL is empty: enter a ws:// or wss:// address.") });
        } else if (!url.isValid()) {
            plan.errors.append({ u"url"_s, tr("URL \"%1\" is not valid: %2").arg(typed, url.errorString()) });
        } else {
            const QString scheme = url.scheme().toLower();
            if (scheme == u"http" || scheme == u"https") {
                const QString ws = scheme == u"http" ? u"ws"_s : u"wss"_s;
                plan.notices.append(tr("URL scheme %1:// was changed to %2://.").arg(scheme, ws));
                url.setScheme(ws);
            } else if (scheme != u"ws" && scheme != u"wss") {
                plan.errors.append({ u"url"_s,
                    scheme.isEmpty() ? tr("URL \"%1\" has no scheme: start it with ws:// or wss://.").arg(typed)
                                     : tr("URL scheme \"%1\" is not supported: use ws:// or wss://.").arg(scheme) });
            }
            if (url.host().isEmpty())
                plan.errors.append({ u"url"_s, tr("URL \"%1\" has no host.").arg(typed) });
            if (url.path().isEmpty()) {
                if (url.hasQuery())
                    plan.notices.append(tr("URL has a query but no path: the path \"/\" was added."));
                url.setPath(u"/"_s);
            }
            plan.url = url;
        }
    }

    for (qsizetype i = 0; i < profile.headers.size(); ++i) {
        const ProfileHeader& h = profile.headers.at(i);
        if (!h.enabled)
            continue;
        plan.headers.append({ h.name.toUtf8(), h.value.toUtf8() });
    }
    plan.subprotocols = profile.subprotocols;

    if (profile.handshakeTimeoutMs < 100 || profile.handshakeTimeoutMs > 600000)
        plan.errors.append({ u"timeout"_s,
            tr("Handshake timeout %1 ms is out of range: use 100 ms to 600000 ms (10 minutes).")
                .arg(profile.handshakeTimeoutMs) });
    return plan;
}

} // namespace wsi
