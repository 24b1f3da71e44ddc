#pragma once

#include "util/result.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QString>
#include <QStringList>

#include <optional>

namespace wsi {

// One curl-style --resolve entry "HOST:PORT:ADDRESS": a connection to HOST:PORT goes to ADDRESS,
// while the URL, the Host header, SNI and the certificate check keep HOST. Lets a server be tested
// before its DNS record exists (and gives a loopback test server a real domain name).
struct HostOverride
{
    Q_DECLARE_TR_FUNCTIONS(wsi::HostOverride)
public:
    QString host; // lower case, as QUrl::host() gives it
    quint16 port = 0;
    QHostAddress address;

    bool appliesTo(const QString& urlHost, quint16 urlPort) const;
    QString toString() const; // "example.com:443:127.0.0.1", "example.com:443:[::1]"

    // Parses "HOST:PORT:ADDRESS" (ADDRESS an IPv4 or IPv6 address, IPv6 optionally in brackets).
    // The Error names the entry and what is wrong with it.
    static Result<HostOverride> parse(const QString& text);
    // The first entry that parses and applies to host:port (entries that do not parse are skipped:
    // the profile validator reports them before anything connects).
    static std::optional<HostOverride> find(const QStringList& entries, const QString& host, quint16 port);
};

} // namespace wsi
