#include "miniprogramcheck.h"

#include "check/certificatechain.h"
#include "check/miniprogramrules.h"
#include "profiles/profilevalidator.h"
#include "wire/hostoverride.h"

#include <QDateTime>
#include <QFile>
#include <QHostAddress>
#include <QSslCipher>
#include <QSslConfiguration>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {

using Verdict = MiniProgramFinding::Verdict;

MiniProgramFinding finding(const QString& id, const QString& rule)
{
    MiniProgramFinding f;
    f.id = id;
    f.rule = rule;
    return f;
}

void judge(MiniProgramFinding& f, Verdict verdict, const QString& evidence, const QString& advice = {})
{
    f.verdict = verdict;
    f.evidence = evidence;
    f.advice = advice;
}

QString milliseconds(qint64 us)
{
    return QString::number(double(us) / 1000.0, 'f', 1);
}

// A certificate name ("*.example.com" included) covers host, as TLS clients match it.
bool nameCovers(const QString& pattern, const QString& host)
{
    const QString p = pattern.toLower();
    const QString h = host.toLower();
    if (p == h)
        return true;
    if (!p.startsWith(u"*."_s))
        return false;
    const qsizetype dot = h.indexOf(u'.');
    return dot > 0 && h.mid(dot) == p.mid(1) && p.count(u'.') >= 2;
}

QStringList certificateNames(const QSslCertificate& cert)
{
    QStringList names;
    const auto sans = cert.subjectAlternativeNames();
    for (auto it = sans.begin(); it != sans.end(); ++it) {
        if (it.key() == QSsl::DnsEntry || it.key() == QSsl::IpAddressEntry)
            names.append(it.value());
    }
    return names;
}

// Loopback, private (RFC 1918, fc00::/7) or link-local: an address only a LAN reaches.
// (QHostAddress::isPrivateUse() is Qt 6.6.)
bool isLocalAddress(const QHostAddress& a)
{
    static const QList<QPair<QHostAddress, int>> subnets { QHostAddress::parseSubnet(u"10.0.0.0/8"_s),
        QHostAddress::parseSubnet(u"172.16.0.0/12"_s), QHostAddress::parseSubnet(u"192.168.0.0/16"_s),
        QHostAddress::parseSubnet(u"fc00::/7"_s) };
    return a.isLoopback() || a.isLinkLocal()
        || std::any_of(
            subnets.begin(), subnets.end(), [&a](const QPair<QHostAddress, int>& s) { return a.isInSubnet(s); });
}

quint16 defaultPort(const QUrl& url)
{
    return quint16(url.port(url.scheme() == u"wss" ? 443 : 80));
}

// The profile-only rules, shared by evaluate() and evaluateProfile().
void profileRules(const Profile& profile, const ConnectionPlan& plan, MiniProgramReport& report)
{
    const QUrl url = plan.url;
    const QString host = url.host();

    MiniProgramFinding scheme = finding(u"scheme"_s, MiniProgramCheck::tr("The URL must start with wss:// (TLS)."));
    if (url.scheme() == u"wss")
        judge(scheme, Verdict::Pass, MiniProgramCheck::tr("The URL is %1.").arg(url.toDisplayString()));
    else
        judge(scheme, Verdict::Fail,
            MiniProgramCheck::tr("The URL is %1: wx.connectSocket refuses anything but wss://.")
                .arg(url.toDisplayString()),
            MiniProgramCheck::tr("Serve the WebSocket over TLS with a certificate for its domain and use wss://."));
    report.findings.append(scheme);

    MiniProgramFinding hostRule = finding(u"host"_s,
        MiniProgramCheck::tr("The host must be a domain name on the mini program's socket allow-list: no IP address "
                             "or localhost (LAN addresses only work in development, with domain checks off)."));
    const QString lower = host.toLower();
    const QHostAddress address(host);
    const QString allowList
        = MiniProgramCheck::tr("Give the server a domain name with a certificate for it, and add wss://NAME to the "
                               "socket allow-list in the mini program's admin console.");
    if (host.isEmpty()) {
        judge(hostRule, Verdict::CannotTell, MiniProgramCheck::tr("The URL has no host."));
    } else if (!address.isNull()) {
        judge(hostRule, Verdict::Fail,
            isLocalAddress(address)
                ? MiniProgramCheck::tr("The host %1 is a local IP address: only a phone in development mode with "
                                       "domain checks off would connect.")
                      .arg(host)
                : MiniProgramCheck::tr("The host %1 is an IP address: the allow-list only takes domain names.")
                      .arg(host),
            allowList);
    } else if (lower == u"localhost" || lower.endsWith(u".localhost"_s) || lower.endsWith(u".local"_s)
        || !lower.contains(u'.')) {
        judge(hostRule, Verdict::Fail,
            MiniProgramCheck::tr("The host %1 is not a public domain name: a phone cannot look it up.").arg(host),
            allowList);
    } else {
        QString evidence = MiniProgramCheck::tr("The host %1 is a domain name. This check cannot see your "
                                                "allow-list: make sure wss://%1 is on it.")
                               .arg(host);
        if (const auto o = HostOverride::find(profile.resolve, host, defaultPort(url)))
            evidence += u' '
                + MiniProgramCheck::tr("This check connected to %1 (resolve entry %2); phones look %3 up in public "
                                       "DNS.")
                      .arg(o->address.toString(), o->toString(), host);
        judge(hostRule, Verdict::Pass, evidence);
    }
    report.findings.append(hostRule);

    MiniProgramFinding headers = finding(u"forbidden-headers"_s,
        MiniProgramCheck::tr("A mini program cannot set these headers: %1.")
            .arg(MiniProgramRules::forbiddenHeaders().join(u", "_s)));
    QStringList sent;
    QStringList forbidden;
    for (const auto& [name, value] : plan.headers) {
        const QString n = QString::fromUtf8(name);
        sent.append(n);
        if (MiniProgramRules::isForbiddenHeader(n))
            forbidden.append(n);
    }
    if (!forbidden.isEmpty())
        judge(headers, Verdict::Fail,
            MiniProgramCheck::tr("This profile sends %1; a phone would not, so the server must not depend on it.")
                .arg(forbidden.join(u", "_s)),
            MiniProgramCheck::tr("Remove %1 from the profile's headers and let the server work without it.")
                .arg(forbidden.join(u", "_s)));
    else
        judge(headers, Verdict::Pass,
            sent.isEmpty() ? MiniProgramCheck::tr("The profile sets no headers of its own.")
                           : MiniProgramCheck::tr("The profile's own headers: %1.").arg(sent.join(u", "_s)));
    report.findings.append(headers);

    MiniProgramFinding base = finding(u"base-library"_s,
        MiniProgramCheck::tr("Each option needs a base library version: protocols 1.4.0, tcpNoDelay 2.4.0, "
                             "perMessageDeflate 2.8.0, timeout 2.10.0; at most %1 sockets may be open at once (%2 "
                             "before %3).")
            .arg(MiniProgramRules::kMaxSockets)
            .arg(MiniProgramRules::kMaxSocketsOld)
            .arg(QString::fromLatin1(MiniProgramRules::kMaxSocketsVersion)));
    QStringList used;
    for (const MiniProgramRules::OptionVersion& o : MiniProgramRules::optionsThatMatter(profile))
        used.append(u"%1 %2"_s.arg(o.option, o.version));
    judge(base, Verdict::Pass,
        used.isEmpty() ? MiniProgramCheck::tr("These settings need no particular base library.")
                       : MiniProgramCheck::tr("These settings need base library %1 or newer (%2).")
                             .arg(MiniProgramRules::lowestBaseLibrary(profile), used.join(u", "_s)));
    report.findings.append(base);
}

} // namespace

int MiniProgramReport::count(MiniProgramFinding::Verdict verdict) const
{
    return int(std::count_if(
        findings.begin(), findings.end(), [verdict](const MiniProgramFinding& f) { return f.verdict == verdict; }));
}

const MiniProgramFinding* MiniProgramReport::find(const QString& id) const
{
    for (const MiniProgramFinding& f : findings) {
        if (f.id == id)
            return &f;
    }
    return nullptr;
}

QString MiniProgramReport::verdictName(MiniProgramFinding::Verdict verdict)
{
    switch (verdict) {
    case Verdict::Pass:
        return MiniProgramCheck::tr("PASS");
    case Verdict::Warning:
        return MiniProgramCheck::tr("WARN");
    case Verdict::Fail:
        return MiniProgramCheck::tr("FAIL");
    case Verdict::CannotTell:
        return MiniProgramCheck::tr("CANNOT TELL");
    }
    return {};
}

QString MiniProgramReport::summary() const
{
    return MiniProgramCheck::tr("failed: %1, warnings: %2, passed: %3, cannot tell: %4")
        .arg(count(Verdict::Fail))
        .arg(count(Verdict::Warning))
        .arg(count(Verdict::Pass))
        .arg(count(Verdict::CannotTell));
}

QString MiniProgramReport::toText() const
{
    QString out = MiniProgramCheck::tr("Mini-program check of %1").arg(url) + u'\n';
    for (const MiniProgramFinding& f : findings) {
        out += u"\n%1  %2\n"_s.arg(verdictName(f.verdict), -11).arg(f.rule);
        out += u"             "_s + MiniProgramCheck::tr("seen: %1").arg(f.evidence) + u'\n';
        if (!f.advice.isEmpty())
            out += u"             "_s + MiniProgramCheck::tr("change: %1").arg(f.advice) + u'\n';
    }
    out += u'\n' + MiniProgramCheck::tr("Result: %1").arg(summary()) + u'\n';
    return out;
}

QList<QSslCertificate> MiniProgramCheck::profileCaCertificates(const Profile& profile)
{
    if (profile.tls.caFile.isEmpty())
        return {};
    QFile f(profile.tls.caFile);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QSslCertificate::fromData(f.read(4 * 1024 * 1024), QSsl::Pem);
}

MiniProgramReport MiniProgramCheck::evaluate(const Profile& profile, const MiniProgramObservation& seen)
{
    return evaluate(profile, seen, QSslConfiguration::systemCaCertificates(), profileCaCertificates(profile));
}

MiniProgramReport MiniProgramCheck::evaluateProfile(const Profile& profile)
{
    const ConnectionPlan plan = ProfileValidator::validate(profile);
    MiniProgramReport report;
    report.url = plan.url.toDisplayString();
    profileRules(profile, plan, report);
    return report;
}

MiniProgramReport MiniProgramCheck::evaluate(const Profile& profile, const MiniProgramObservation& seen,
    const QList<QSslCertificate>& systemRoots, const QList<QSslCertificate>& profileCas)
{
    const ConnectionPlan plan = ProfileValidator::validate(profile);
    MiniProgramReport report;
    report.url = plan.url.toDisplayString();
    report.connected = true;
    profileRules(profile, plan, report);

    const QUrl url = plan.url;
    const QString host = url.host();
    const bool tls = url.scheme() == u"wss";
    const TlsInfo& t = seen.handshake.tls;
    const QString noTls = MiniProgramCheck::tr("ws:// has no TLS: there is nothing here to judge.");
    const QString notReached = seen.failure.isEmpty()
        ? tr("The TLS handshake did not get that far.")
        : tr("The TLS handshake did not get that far: %1").arg(seen.failure);

    QList<QSslCertificate> chain;
    for (const QByteArray& pem : t.peerChainPem)
        chain += QSslCertificate::fromData(pem, QSsl::Pem);
    const QSslCertificate leaf = chain.isEmpty() ? QSslCertificate() : chain.first();

    // Certificate: names
    MiniProgramFinding names = finding(u"certificate-name"_s, tr("The certificate must be valid for the host name."));
    if (!tls) {
        judge(names, Verdict::CannotTell, noTls);
    } else if (leaf.isNull()) {
        judge(names, Verdict::CannotTell, notReached);
    } else {
        const QStringList n = certificateNames(leaf);
        const bool covered = std::any_of(n.begin(), n.end(), [&host](const QString& p) { return nameCovers(p, host); });
        if (covered)
            judge(names, Verdict::Pass, tr("The certificate names %1, which covers %2.").arg(n.join(u", "_s), host));
        else
            judge(names, Verdict::Fail,
                n.isEmpty() ? tr("The certificate (%1) lists no names (subjectAltName); phones need %2 there.")
                                  .arg(ChainAnalysis::subjectName(leaf), host)
                            : tr("The certificate names %1, not %2.").arg(n.join(u", "_s), host),
                tr("Get a certificate whose subjectAltName includes %1.").arg(host));
    }
    report.findings.append(names);

    // Certificate: dates
    MiniProgramFinding dates = finding(u"certificate-dates"_s, tr("The certificate must be valid today."));
    if (!tls) {
        judge(dates, Verdict::CannotTell, noTls);
    } else if (leaf.isNull()) {
        judge(dates, Verdict::CannotTell, notReached);
    } else {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const QString range = tr("valid from %1 to %2")
                                  .arg(leaf.effectiveDate().toUTC().toString(Qt::ISODate),
                                      leaf.expiryDate().toUTC().toString(Qt::ISODate));
        if (now > leaf.expiryDate())
            judge(dates, Verdict::Fail, tr("The certificate expired: %1.").arg(range),
                tr("Renew the certificate and install it on the server."));
        else if (now < leaf.effectiveDate())
            judge(dates, Verdict::Fail, tr("The certificate is not valid yet: %1.").arg(range),
                tr("Check the server's clock and the certificate's start date."));
        else
            judge(dates, Verdict::Pass, tr("The certificate is %1.").arg(range));
    }
    report.findings.append(dates);

    // Certificate: chain and trust
    const ChainAnalysis analysis = ChainAnalysis::analyze(chain, systemRoots, profileCas);
    const QString path = analysis.path.join(u" ← "_s);
    MiniProgramFinding chainRule = finding(u"certificate-chain"_s,
        tr("The server must send the whole chain up to a trusted root: phones do not fetch missing intermediate "
           "certificates."));
    MiniProgramFinding trust
        = finding(u"certificate-trust"_s, tr("The chain must end at a public root CA that phones trust."));
    if (!tls) {
        judge(chainRule, Verdict::CannotTell, noTls);
        judge(trust, Verdict::CannotTell, noTls);
    } else {
        switch (analysis.outcome) {
        case ChainAnalysis::Outcome::Empty:
            judge(chainRule, Verdict::CannotTell, notReached);
            judge(trust, Verdict::CannotTell, notReached);
            break;
        case ChainAnalysis::Outcome::MissingIssuer:
            judge(chainRule, Verdict::Fail,
                tr("The server sent %n certificate(s): %1. The issuer of the last one, %2, was not sent and is not a "
                   "trusted root.",
                    nullptr, analysis.sentCount)
                    .arg(path, analysis.missingIssuer),
                tr("Configure the server to send its intermediate certificates after its own (the full chain "
                   "file, e.g. fullchain.pem)."));
            judge(trust, Verdict::CannotTell, tr("The chain the server sent does not reach a root."));
            break;
        case ChainAnalysis::Outcome::UntrustedRoot:
            judge(chainRule, Verdict::Pass,
                tr("The server sent %n certificate(s), up to its own root: %1.", nullptr, analysis.sentCount)
                    .arg(path));
            judge(trust, Verdict::Fail,
                tr("The root %1 is not trusted here, and phones will not trust it either.").arg(analysis.missingIssuer),
                tr("Use a certificate from a public CA."));
            break;
        case ChainAnalysis::Outcome::Complete:
            judge(chainRule, Verdict::Pass,
                tr("The server sent %n certificate(s): %1.", nullptr, analysis.sentCount).arg(path));
            if (analysis.anchor == ChainAnalysis::Anchor::System)
                judge(trust, Verdict::Pass, tr("The root %1 is in this computer's CA store.").arg(analysis.anchorName));
            else
                judge(trust, Verdict::Warning,
                    tr("The root %1 is trusted only through this profile's CA file (%2); phones trust public CAs "
                       "only.")
                        .arg(analysis.anchorName, profile.tls.caFile),
                    tr("Fine for a test server; in production use a certificate from a public CA."));
            break;
        }
        if (!profile.tls.verify && trust.verdict == Verdict::Pass) {
            judge(trust, Verdict::Warning,
                trust.evidence + u' ' + tr("Certificate verification is off in this profile; phones always verify."),
                tr("Turn certificate verification back on."));
        }
    }
    report.findings.append(chainRule);
    report.findings.append(trust);

    // TLS version and cipher
    MiniProgramFinding version
        = finding(u"tls-version"_s, tr("TLS 1.2 or newer, with a forward-secret (ECDHE) cipher that iPhones accept."));
    if (!tls) {
        judge(version, Verdict::CannotTell, noTls);
    } else if (t.protocol.isEmpty()) {
        const QString f = seen.failure.toLower();
        if (f.contains(u"protocol version"_s) || f.contains(u"unsupported protocol"_s)
            || f.contains(u"wrong version number"_s) || f.contains(u"no protocols available"_s))
            judge(version, Verdict::Fail, tr("The server did not agree on TLS 1.2 or newer: %1").arg(seen.failure),
                tr("Enable TLS 1.2 and TLS 1.3 on the server."));
        else
            judge(version, Verdict::CannotTell, notReached);
    } else {
        const bool oldProtocol = t.protocol != u"TLS 1.2" && t.protocol != u"TLS 1.3";
        const bool tls13Cipher = t.cipher.startsWith(u"TLS_"_s);
        const bool forwardSecret = tls13Cipher || t.cipher.startsWith(u"ECDHE-"_s);
        const QString evidence = tr("The server chose %1 with %2.").arg(t.protocol, t.cipher);
        if (oldProtocol)
            judge(version, Verdict::Fail, evidence, tr("Enable TLS 1.2 and TLS 1.3 on the server."));
        else if (!forwardSecret)
            judge(version, Verdict::Fail,
                evidence + u' ' + tr("%1 has no forward secrecy (no ECDHE key exchange).").arg(t.cipher),
                tr("Offer ECDHE ciphers such as ECDHE-RSA-AES128-GCM-SHA256 or ECDHE-ECDSA-AES128-GCM-SHA256."));
        else
            judge(version, Verdict::Pass, evidence);
    }
    report.findings.append(version);

    // The upgrade itself
    const HttpHead& response = seen.handshake.response;
    MiniProgramFinding upgrade = finding(
        u"handshake"_s, tr("The connection must open: the server accepts the upgrade with 101 Switching Protocols."));
    const QString statusLine = QString::fromUtf8(response.raw.left(response.raw.indexOf('\r')));
    if (response.status == 101 && seen.opened)
        judge(upgrade, Verdict::Pass, tr("The server answered %1.").arg(statusLine));
    else if (response.status != 0)
        judge(upgrade, Verdict::Fail,
            tr("The server answered %1.").arg(statusLine) + (seen.failure.isEmpty() ? QString() : u' ' + seen.failure),
            tr("Make the server answer this URL's upgrade request with 101."));
    else
        judge(upgrade, Verdict::Fail,
            seen.failure.isEmpty() ? tr("The connection did not open.")
                                   : tr("The connection did not open: %1").arg(seen.failure),
            tr("Fix what the other rules found; otherwise make sure the server runs and this computer reaches it."));
    report.findings.append(upgrade);

    // Subprotocol
    const QStringList offered = plan.subprotocols;
    const QString chosen = QString::fromUtf8(response.header("Sec-WebSocket-Protocol")).trimmed();
    MiniProgramFinding sub = finding(u"subprotocol"_s,
        tr("When protocols are offered (base library 1.4.0 or newer), the server should choose one of them."));
    if (response.status != 101) {
        judge(sub, Verdict::CannotTell, tr("The upgrade did not complete."));
    } else if (!chosen.isEmpty() && !offered.contains(chosen)) {
        judge(sub, Verdict::Fail,
            tr("The server chose \"%1\", which was not offered (offered: %2).")
                .arg(chosen, offered.isEmpty() ? tr("none") : offered.join(u", "_s)),
            tr("Make the server choose only a subprotocol the client offers."));
    } else if (offered.isEmpty()) {
        judge(sub, Verdict::Pass, tr("No subprotocol was offered and the server chose none."));
    } else if (chosen.isEmpty()) {
        judge(sub, Verdict::Warning, tr("Offered %1; the server chose none.").arg(offered.join(u", "_s)),
            tr("Make the server choose one of the offered subprotocols, or stop offering them."));
    } else {
        judge(sub, Verdict::Pass, tr("Offered %1; the server chose %2.").arg(offered.join(u", "_s), chosen));
    }
    report.findings.append(sub);

    // Compression
    const QString offeredExtensions
        = QString::fromUtf8(seen.handshake.request.header("Sec-WebSocket-Extensions")).trimmed();
    const QString answeredExtensions = QString::fromUtf8(response.header("Sec-WebSocket-Extensions")).trimmed();
    MiniProgramFinding deflate = finding(u"deflate"_s,
        tr("permessage-deflate (perMessageDeflate, base library 2.8.0 or newer) may only be used when offered."));
    if (response.status != 101) {
        judge(deflate, Verdict::CannotTell, tr("The upgrade did not complete."));
    } else if (!answeredExtensions.isEmpty() && !offeredExtensions.contains(u"permessage-deflate"_s)) {
        judge(deflate, Verdict::Fail,
            tr("Nothing was offered, but the server answered \"%1\".").arg(answeredExtensions),
            tr("Make the server answer extensions only when the client offers them."));
    } else {
        judge(deflate, Verdict::Pass,
            tr("Offered: %1; the server answered: %2.")
                .arg(offeredExtensions.isEmpty() ? tr("nothing") : offeredExtensions,
                    answeredExtensions.isEmpty() ? tr("nothing") : answeredExtensions));
    }
    report.findings.append(deflate);

    // Time
    const ConnectionTimings& tm = seen.handshake.timings;
    const int timeoutMs = profile.handshakeTimeoutMs;
    MiniProgramFinding time = finding(u"handshake-time"_s,
        tr("The connection must open within wx.connectSocket's timeout: %1 ms here (the platform's default is %2 ms, "
           "or networkTimeout.connectSocket in app.json).")
            .arg(timeoutMs)
            .arg(MiniProgramRules::kDefaultTimeoutMs));
    if (response.status != 101 || tm.upgradeUs < 0) {
        judge(time, Verdict::CannotTell, tr("The upgrade did not complete."));
    } else {
        qint64 total = 0;
        for (const qint64 us : { tm.dnsUs, tm.tcpConnectUs, tm.tlsHandshakeUs, tm.upgradeUs })
            total += std::max<qint64>(0, us);
        const QString evidence
            = tr("DNS %1 ms, TCP %2 ms, TLS %3 ms, upgrade %4 ms: %5 ms in all.")
                  .arg(milliseconds(std::max<qint64>(0, tm.dnsUs)), milliseconds(std::max<qint64>(0, tm.tcpConnectUs)),
                      milliseconds(std::max<qint64>(0, tm.tlsHandshakeUs)), milliseconds(tm.upgradeUs),
                      milliseconds(total));
        if (total > qint64(timeoutMs) * 1000)
            judge(time, Verdict::Fail, evidence, tr("Make the server answer faster, or raise the timeout."));
        else if (total > qint64(timeoutMs) * 500)
            judge(time, Verdict::Warning, evidence,
                tr("Over half the timeout already: a phone on a mobile network will be slower."));
        else
            judge(time, Verdict::Pass, evidence);
    }
    report.findings.append(time);

    // The order a developer fixes things in: address, certificate, TLS, request, response.
    static const QStringList order { u"scheme"_s, u"host"_s, u"certificate-name"_s, u"certificate-dates"_s,
        u"certificate-chain"_s, u"certificate-trust"_s, u"tls-version"_s, u"forbidden-headers"_s, u"handshake"_s,
        u"subprotocol"_s, u"deflate"_s, u"handshake-time"_s, u"base-library"_s };
    std::stable_sort(
        report.findings.begin(), report.findings.end(), [](const MiniProgramFinding& a, const MiniProgramFinding& b) {
            return order.indexOf(a.id) < order.indexOf(b.id);
        });
    return report;
}

} // namespace wsi
