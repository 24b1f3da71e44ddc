#include "hostoverride.h"

#include <QUrl>

using namespace Qt::StringLiterals;

namespace wsi {

bool HostOverride::appliesTo(const QString& urlHost, quint16 urlPort) const
{
    return port == urlPort && host.compare(urlHost, Qt::CaseInsensitive) == 0;
}

QString HostOverride::toString() const
{
    const QString a = address.protocol() == QAbstractSocket::IPv6Protocol ? u"["_s + address.toString() + u"]"_s
                                                                          : address.toString();
    return u"%1:%2:%3"_s.arg(host).arg(port).arg(a);
}

Result<HostOverride> HostOverride::parse(const QString& text)
{
    const QString t = text.trimmed();
    const qsizetype first = t.indexOf(u':');
    const qsizetype second = first < 0 ? -1 : t.indexOf(u':', first + 1);
    if (first <= 0 || second < 0)
        return Error { tr("Resolve entry \"%1\" is not of the form HOST:PORT:ADDRESS (e.g. "
                          "example.com:443:127.0.0.1).")
                           .arg(text),
            {} };
    HostOverride o;
    const QString host = t.left(first);
    // The same normalisation as the URL's host, so that they compare equal.
    o.host = QUrl(u"ws://"_s + host + u"/"_s, QUrl::StrictMode).host();
    if (o.host.isEmpty() || host.contains(u'/') || host.contains(u'@') || host.contains(u'['))
        return Error { tr("Resolve entry \"%1\": \"%2\" is not a host name.").arg(text, host), {} };
    bool ok = false;
    const int port = t.mid(first + 1, second - first - 1).toInt(&ok);
    if (!ok || port < 1 || port > 65535)
        return Error { tr("Resolve entry \"%1\": the port \"%2\" is not a number from 1 to 65535.")
                           .arg(text, t.mid(first + 1, second - first - 1)),
            {} };
    o.port = quint16(port);
    QString address = t.mid(second + 1);
    if (address.startsWith(u'[') && address.endsWith(u']'))
        address = address.mid(1, address.size() - 2);
    if (!o.address.setAddress(address))
        return Error { tr("Resolve entry \"%1\": \"%2\" is not an IPv4 or IPv6 address.").arg(text, t.mid(second + 1)),
            {} };
    return o;
}

std::optional<HostOverride> HostOverride::find(const QStringList& entries, const QString& host, quint16 port)
{
    for (const QString& e : entries) {
        const Result<HostOverride> o = parse(e);
        if (o && o->appliesTo(host, port))
            return *o;
    }
    return std::nullopt;
}

} // namespace wsi
