#include "profilemerge.h"

#include <functional>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {

// One editable part of a profile: how to compare it and how to copy it across.
struct Field
{
    QString label;
    std::function<bool(const Profile&, const Profile&)> same;
    std::function<void(Profile&, const Profile&)> copy;
};

template <typename T> Field field(const QString& label, T Profile::*member)
{
    return { label, [member](const Profile& a, const Profile& b) { return a.*member == b.*member; },
        [member](Profile& to, const Profile& from) { to.*member = from.*member; } };
}

template <typename T> Field tlsField(const QString& label, T TlsSettings::*member)
{
    return { label, [member](const Profile& a, const Profile& b) { return a.tls.*member == b.tls.*member; },
        [member](Profile& to, const Profile& from) { to.tls.*member = from.tls.*member; } };
}

QList<Field> fields()
{
    return {
        field(ProfileMerge::tr("Name"), &Profile::name),
        field(ProfileMerge::tr("URL"), &Profile::url),
        field(ProfileMerge::tr("Headers"), &Profile::headers),
        field(ProfileMerge::tr("Subprotocols"), &Profile::subprotocols),
        field(ProfileMerge::tr("Handshake timeout"), &Profile::handshakeTimeoutMs),
        field(ProfileMerge::tr("Origin"), &Profile::origin),
        field(ProfileMerge::tr("TCP_NODELAY"), &Profile::tcpNoDelay),
        field(ProfileMerge::tr("permessage-deflate"), &Profile::perMessageDeflate),
        field(ProfileMerge::tr("Deflate offer"), &Profile::deflateOffer),
        field(ProfileMerge::tr("Compress outgoing"), &Profile::deflateOutgoing),
        field(ProfileMerge::tr("Auto-reconnect"), &Profile::autoReconnect),
        field(ProfileMerge::tr("Keep-alive ping"), &Profile::keepAlivePingMs),
        tlsField(ProfileMerge::tr("Verify certificates"), &TlsSettings::verify),
        tlsField(ProfileMerge::tr("CA file"), &TlsSettings::caFile),
        tlsField(ProfileMerge::tr("Client certificate"), &TlsSettings::certFile),
        tlsField(ProfileMerge::tr("Private key"), &TlsSettings::keyFile),
        tlsField(ProfileMerge::tr("Key passphrase"), &TlsSettings::keyPassphrase),
        tlsField(ProfileMerge::tr("Pinned certificates"), &TlsSettings::pinnedFingerprints),
        tlsField(ProfileMerge::tr("Pinned certificates"), &TlsSettings::pinnedSubjects),
        field(ProfileMerge::tr("Proxy"), &Profile::proxy),
        field(ProfileMerge::tr("Maximum message size"), &Profile::maxIncomingMessageSize),
        field(ProfileMerge::tr("Resolve"), &Profile::resolve),
        field(ProfileMerge::tr("Mini-program check"), &Profile::forMiniProgram),
        field(ProfileMerge::tr("Lenient protocol checks"), &Profile::lenient),
        field(ProfileMerge::tr("Saved messages"), &Profile::savedMessages),
        field(ProfileMerge::tr("Send history"), &Profile::sendHistory),
        field(ProfileMerge::tr("Other settings"), &Profile::unknownFields),
    };
}

} // namespace

ProfileMerge::Outcome ProfileMerge::merge(const Profile& base, const Profile& ours, const Profile& theirs)
{
    Outcome out { theirs, {} };
    out.merged.id = theirs.id.isEmpty() ? ours.id : theirs.id;
    for (const Field& f : fields()) {
        if (f.same(ours, base))
            continue; // ours did not touch it: theirs stands
        if (!f.same(theirs, base) && !f.same(theirs, ours))
            out.conflicts.append(f.label);
        f.copy(out.merged, ours);
    }
    out.conflicts.removeDuplicates(); // the pins are two fields under one label
    return out;
}

QStringList ProfileMerge::differences(const Profile& a, const Profile& b)
{
    QStringList out;
    for (const Field& f : fields()) {
        if (!f.same(a, b) && !out.contains(f.label))
            out.append(f.label);
    }
    return out;
}

} // namespace wsi
