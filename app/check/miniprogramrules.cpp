#include "miniprogramrules.h"

#include "profiles/profilevalidator.h"

using namespace Qt::StringLiterals;

namespace wsi::MiniProgramRules {

QStringList forbiddenHeaders()
{
    return { u"Referer"_s };
}

bool isForbiddenHeader(const QString& name)
{
    return forbiddenHeaders().contains(name.trimmed(), Qt::CaseInsensitive);
}

QList<OptionVersion> optionVersions()
{
    return { { u"protocols"_s, u"1.4.0"_s }, { u"tcpNoDelay"_s, u"2.4.0"_s }, { u"perMessageDeflate"_s, u"2.8.0"_s },
        { u"timeout"_s, u"2.10.0"_s } };
}

QList<OptionVersion> optionsThatMatter(const Profile& profile)
{
    // The platform's defaults: no protocols, tcpNoDelay false, perMessageDeflate false, 60 s.
    const bool protocols = !ProfileValidator::validate(profile).subprotocols.isEmpty();
    QList<OptionVersion> out;
    for (const OptionVersion& o : optionVersions()) {
        const bool matters = (o.option == u"protocols" && protocols)
            || (o.option == u"tcpNoDelay" && profile.tcpNoDelay)
            || (o.option == u"perMessageDeflate" && profile.perMessageDeflate)
            || (o.option == u"timeout" && profile.handshakeTimeoutMs != kDefaultTimeoutMs);
        if (matters)
            out.append(o);
    }
    return out;
}

QString lowestBaseLibrary(const Profile& profile)
{
    QString lowest = u"1.0.0"_s;
    for (const OptionVersion& o : optionsThatMatter(profile)) {
        if (compareVersions(o.version, lowest) > 0)
            lowest = o.version;
    }
    return lowest;
}

int compareVersions(const QString& a, const QString& b)
{
    const QStringList pa = a.split(u'.');
    const QStringList pb = b.split(u'.');
    for (qsizetype i = 0; i < std::max(pa.size(), pb.size()); ++i) {
        const int x = i < pa.size() ? pa.at(i).toInt() : 0;
        const int y = i < pb.size() ? pb.at(i).toInt() : 0;
        if (x != y)
            return x < y ? -1 : 1;
    }
    return 0;
}

} // namespace wsi::MiniProgramRules
