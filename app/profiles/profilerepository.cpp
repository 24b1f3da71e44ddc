#include "profilerepository.h"

#include "profilemerge.h"
#include "profilestore.h"
#include "profilevalidator.h"

#include <QUuid>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {
QString newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}
} // namespace

ProfileRepository::ProfileRepository(ProfileStore* store, QObject* parent)
    : QObject(parent)
    , m_store(store)
    , m_profiles(store->profiles())
{
    m_saveTimer.setSingleShot(true);
    m_saveTimer.setInterval(kSaveDelayMs);
    connect(&m_saveTimer, &QTimer::timeout, this, &ProfileRepository::flush);
    connect(m_store, &ProfileStore::secretsLoaded, this, &ProfileRepository::onSecretsLoaded);
    m_error = m_store->errorString();
}

ProfileRepository::~ProfileRepository()
{
    if (m_dirty)
        flush();
}

const Profile* ProfileRepository::find(const QString& id) const
{
    if (id.isEmpty())
        return nullptr;
    for (const Profile& p : m_profiles) {
        if (p.id == id)
            return &p;
    }
    return nullptr;
}

Profile* ProfileRepository::findMutable(const QString& id)
{
    return const_cast<Profile*>(find(id));
}

int ProfileRepository::indexOf(const QString& id) const
{
    for (int i = 0; i < m_profiles.size(); ++i) {
        if (m_profiles.at(i).id == id)
            return i;
    }
    return -1;
}

QStringList ProfileRepository::names() const
{
    QStringList out;
    const QList<Profile> builtins = Profile::builtins();
    for (const Profile& p : builtins)
        out.append(p.name);
    for (const Profile& p : m_profiles)
        out.append(p.name);
    return out;
}

QString ProfileRepository::uniqueName(const QString& base) const
{
    const QString b = base.trimmed().isEmpty() ? tr("New profile") : base.trimmed();
    const QStringList taken = names();
    auto used = [&taken](const QString& name) { return taken.contains(name, Qt::CaseInsensitive); };
    if (!used(b))
        return b;
    for (int n = 2;; ++n) {
        const QString candidate = u"%1 (%2)"_s.arg(b).arg(n);
        if (!used(candidate))
            return candidate;
    }
}

QString ProfileRepository::add(Profile profile, int index)
{
    if (profile.id.isEmpty() || profile.isBuiltin() || contains(profile.id))
        profile.id = newId();
    profile.name = uniqueName(profile.name);
    index = (index < 0 || index > m_profiles.size()) ? int(m_profiles.size()) : index;
    m_profiles.insert(index, profile);
    m_dirty = true;
    m_saveTimer.start();
    Q_EMIT profileAdded(profile.id, index);
    return profile.id;
}

std::optional<Profile> ProfileRepository::remove(const QString& id)
{
    const int index = indexOf(id);
    if (index < 0)
        return std::nullopt;
    Profile removed = m_profiles.takeAt(index);
    m_dirty = true;
    m_saveTimer.start();
    Q_EMIT profileRemoved(id);
    return removed;
}

Result<void> ProfileRepository::rename(const QString& id, const QString& name)
{
    Profile* p = findMutable(id);
    if (!p)
        return Error { tr("Built-in profiles cannot be renamed; duplicate one to make your own."), {} };
    QStringList others = names();
    others.removeOne(p->name);
    if (const QString e = ProfileValidator::checkName(name, others); !e.isEmpty())
        return Error { e, {} };
    if (p->name != name.trimmed()) {
        p->name = name.trimmed();
        changed(id);
    }
    return {};
}

bool ProfileRepository::applyEdit(const QString& id, const Profile& base, const Profile& edited)
{
    Profile* p = findMutable(id);
    if (!p)
        return false;
    Profile merged = ProfileMerge::merge(base, edited, *p).merged;
    merged.id = id;
    if (merged == *p)
        return true;
    *p = merged;
    changed(id);
    return true;
}

bool ProfileRepository::pinCertificate(const QString& id, const QString& sha256Fingerprint, const QString& subject)
{
    Profile* p = findMutable(id);
    const QString fingerprint = TlsSettings::canonicalFingerprint(sha256Fingerprint);
    if (!p || fingerprint.isEmpty())
        return false;
    const Profile before = *p;
    // An entry kept in another spelling (a hand-edited file) counts as the same certificate.
    const auto same = [&fingerprint](const QString& f) { return TlsSettings::canonicalFingerprint(f) == fingerprint; };
    if (std::none_of(p->tls.pinnedFingerprints.cbegin(), p->tls.pinnedFingerprints.cend(), same))
        p->tls.pinnedFingerprints.append(fingerprint);
    if (!subject.isEmpty()) {
        for (const QString& f : std::as_const(p->tls.pinnedFingerprints)) {
            if (same(f))
                p->tls.pinnedSubjects.insert(f, subject);
        }
    }
    if (*p != before)
        changed(id);
    return true;
}

bool ProfileRepository::unpinCertificate(const QString& id, const QString& sha256Fingerprint)
{
    Profile* p = findMutable(id);
    if (!p)
        return false;
    const QString fingerprint = TlsSettings::canonicalFingerprint(sha256Fingerprint);
    const auto same = [&fingerprint](const QString& f) { return TlsSettings::canonicalFingerprint(f) == fingerprint; };
    const Profile before = *p;
    p->tls.pinnedFingerprints.removeIf(same);
    p->tls.pinnedSubjects.removeIf([&same](QMap<QString, QString>::iterator it) { return same(it.key()); });
    if (*p != before)
        changed(id);
    return true;
}

bool ProfileRepository::setSavedMessages(const QString& id, const QList<SavedMessage>& messages)
{
    Profile* p = findMutable(id);
    if (!p)
        return false;
    if (p->savedMessages != messages) {
        p->savedMessages = messages;
        changed(id);
    }
    return true;
}

bool ProfileRepository::appendSendHistory(const QString& id, const QString& input, int maxEntries)
{
    Profile* p = findMutable(id);
    if (!p)
        return false;
    if (input.isEmpty() || (!p->sendHistory.isEmpty() && p->sendHistory.last() == input))
        return true;
    p->sendHistory.append(input);
    while (p->sendHistory.size() > std::max(1, maxEntries))
        p->sendHistory.removeFirst();
    changed(id);
    return true;
}

void ProfileRepository::changed(const QString& id)
{
    m_dirty = true;
    m_saveTimer.start();
    Q_EMIT profileChanged(id);
}

bool ProfileRepository::flush()
{
    m_saveTimer.stop();
    const bool ok = m_store->save(m_profiles);
    m_dirty = !ok; // a failed save is tried again on the next flush (at the latest when the window closes)
    m_error = ok ? QString() : m_store->errorString();
    Q_EMIT saveFinished(m_error);
    return ok;
}

void ProfileRepository::onSecretsLoaded()
{
    // Keychain values arrive after start-up: fill in the secret fields only, so that nothing the
    // user changed meanwhile is replaced.
    const QList<Profile> stored = m_store->profiles();
    for (const Profile& s : stored) {
        Profile* p = findMutable(s.id);
        if (!p)
            continue;
        const Profile before = *p;
        if (p->proxy.password.isEmpty())
            p->proxy.password = s.proxy.password;
        if (p->tls.keyPassphrase.isEmpty())
            p->tls.keyPassphrase = s.tls.keyPassphrase;
        for (qsizetype i = 0; i < p->headers.size() && i < s.headers.size(); ++i) {
            ProfileHeader& h = p->headers[i];
            if (h.secret && h.value.isEmpty() && h.name == s.headers.at(i).name)
                h.value = s.headers.at(i).value;
        }
        if (*p != before)
            Q_EMIT profileChanged(p->id);
    }
}

} // namespace wsi
