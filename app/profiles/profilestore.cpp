#include "profilestore.h"

#include <QCoreApplication>

#include "secretvault.h"

#include <QDateTime>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTimer>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {

const QString kKeychainFlag = u"secretsInKeychain"_s;

QString keychainKey(const QString& profileId)
{
    return u"profile/"_s + profileId;
}

constexpr QFileDevice::Permissions kOwnerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;

// Writes bytes atomically: the old file stays whole until the new one is complete.
bool writeAtomically(const QString& path, const QByteArray& data, QString* error)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error
            = QCoreApplication::translate("wsi::ProfileStore", "Cannot write \"%1\": %2").arg(path, file.errorString());
        return false;
    }
    // The temporary file gets owner-only permissions before any secret is in it.
    file.setPermissions(kOwnerOnly);
    if (file.write(data) != data.size()) {
        *error
            = QCoreApplication::translate("wsi::ProfileStore", "Cannot write \"%1\": %2").arg(path, file.errorString());
        file.cancelWriting();
        return false;
    }
    if (!file.commit()) {
        *error
            = QCoreApplication::translate("wsi::ProfileStore", "Cannot write \"%1\": %2").arg(path, file.errorString());
        return false;
    }
    QFile::setPermissions(path, kOwnerOnly);
    return true;
}

} // namespace

ProfileStore::ProfileStore(QObject* parent)
    : ProfileStore(defaultFilePath(), nullptr, parent)
{ }

ProfileStore::ProfileStore(const QString& filePath, SecretVault* vault, QObject* parent)
    : QObject(parent)
    , m_path(filePath)
    , m_vault(vault ? vault : new SecretVault(this))
{
    connect(m_vault, &SecretVault::readFinished, this, &ProfileStore::onSecretRead);
    connect(m_vault, &SecretVault::keychainFailed, this, &ProfileStore::onKeychainFailed);
}

ProfileStore::~ProfileStore() = default;

QString ProfileStore::defaultFilePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) + u"/profiles.json"_s;
}

QStringList ProfileStore::names() const
{
    QStringList out;
    for (const Profile& p : m_profiles)
        out.append(p.name);
    return out;
}

const Profile* ProfileStore::find(const QString& name) const
{
    for (const Profile& p : m_profiles) {
        if (p.name.compare(name, Qt::CaseInsensitive) == 0)
            return &p;
    }
    return nullptr;
}

bool ProfileStore::secretsInFile() const
{
    return m_vault->backend() == SecretVault::Backend::File;
}

QString ProfileStore::secretsNotice() const
{
    if (!secretsInFile())
        return {};
    const QString why = m_keychainFailure.isEmpty() ? tr("No system keychain is available") : m_keychainFailure;
    return tr("%1: secrets (secret header values, proxy password, key passphrase) are stored in %2, "
              "readable only by you (file mode 0600).")
        .arg(why, QDir::toNativeSeparators(m_path));
}

bool ProfileStore::moveAside(const QString& why)
{
    const QString stamp = QDateTime::currentDateTime().toString(u"yyyyMMdd-HHmmss"_s);
    QString target = m_path + u'.' + why + u'-' + stamp;
    for (int n = 1; QFileInfo::exists(target); ++n)
        target = m_path + u'.' + why + u'-' + stamp + u'-' + QString::number(n);
    if (!QFile::rename(m_path, target)) {
        // Never overwrite it: keep working in memory and refuse to save.
        m_writable = false;
        m_error = tr("The profile file \"%1\" is %2 and could not be moved aside; it is left untouched and "
                     "profiles will not be saved this session.")
                      .arg(QDir::toNativeSeparators(m_path),
                          why == u"corrupt" ? tr("damaged") : tr("from a newer version"));
        return false;
    }
    m_movedAside = target;
    m_error = why == u"corrupt"
        ? tr("The profile file was damaged and has been moved to \"%1\"; starting with no saved profiles.")
              .arg(QDir::toNativeSeparators(target))
        : tr("The profile file was written by a newer version of WebSocket Inspector and has been moved to "
             "\"%1\"; starting with no saved profiles.")
              .arg(QDir::toNativeSeparators(target));
    Q_EMIT fileMovedAside(target, m_error);
    return true;
}

bool ProfileStore::load()
{
    m_profiles.clear();
    m_unknownTopLevel = {};
    m_keychainIds.clear();
    m_pendingSecretIds.clear();
    m_error.clear();
    m_movedAside.clear();
    m_writable = true;

    QFile file(m_path);
    if (!file.exists())
        return true;
    if (!file.open(QIODevice::ReadOnly)) {
        m_writable = false;
        m_error
            = tr("Cannot read the profile file \"%1\": %2").arg(QDir::toNativeSeparators(m_path), file.errorString());
        return false;
    }
    const QByteArray bytes = file.readAll();
    file.close();

    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        moveAside(u"corrupt"_s);
        return false;
    }
    const QJsonObject root = doc.object();
    const QJsonValue version = root.value(u"schemaVersion"_s);
    if (!version.isDouble() || !root.value(u"profiles"_s).isArray()) {
        moveAside(u"corrupt"_s);
        return false;
    }
    if (version.toInt() > kSchemaVersion) {
        moveAside(u"newer"_s);
        return false;
    }

    for (auto it = root.begin(); it != root.end(); ++it) {
        if (it.key() != u"schemaVersion" && it.key() != u"profiles")
            m_unknownTopLevel.insert(it.key(), it.value());
    }
    const QJsonArray array = root.value(u"profiles"_s).toArray();
    for (const QJsonValue& v : array) {
        Profile p = Profile::fromJson(v.toObject());
        const bool inKeychain = p.unknownFields.value(kKeychainFlag).toBool();
        p.unknownFields.remove(kKeychainFlag);
        if (p.id.isEmpty())
            p.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        if (inKeychain) {
            m_keychainIds.insert(p.id);
            m_pendingSecretIds.insert(p.id);
            m_vault->read(keychainKey(p.id));
        }
        m_profiles.append(p);
    }
    return true;
}

bool ProfileStore::save(const QList<Profile>& profiles)
{
    if (!m_writable) {
        if (m_error.isEmpty())
            m_error = tr("Profiles are not saved: the profile file \"%1\" is kept untouched.")
                          .arg(QDir::toNativeSeparators(m_path));
        return false;
    }
    const bool keychain = !secretsInFile();
    QList<Profile> kept;
    QJsonArray array;
    QSet<QString> keychainIds;
    for (Profile p : profiles) {
        if (p.isBuiltin())
            continue;
        if (p.id.isEmpty())
            p.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        QJsonObject o;
        if (keychain && m_pendingSecretIds.contains(p.id)) {
            // Its secrets have not arrived from the keychain yet: keep the entry as it is rather
            // than overwrite it with the empty values this copy holds.
            o = p.toJson(Profile::Secrets::Omit);
            o[kKeychainFlag] = true;
            array.append(o);
            kept.append(p);
            continue;
        } else if (keychain && p.hasSecrets()) {
            o = p.toJson(Profile::Secrets::Omit);
            o[kKeychainFlag] = true;
            keychainIds.insert(p.id);
        } else {
            o = p.toJson(Profile::Secrets::Include);
        }
        array.append(o);
        kept.append(p);
    }
    QJsonObject root = m_unknownTopLevel;
    root[u"schemaVersion"_s] = kSchemaVersion;
    root[u"profiles"_s] = array;
    QString error;
    if (!writeAtomically(m_path, QJsonDocument(root).toJson(QJsonDocument::Indented), &error)) {
        m_error = error;
        return false;
    }
    m_error.clear();
    // The file is safe; now the keychain (asynchronous; a failure falls back to the file).
    for (const Profile& p : std::as_const(kept)) {
        if (keychainIds.contains(p.id))
            m_vault->write(keychainKey(p.id), secretsJson(p));
    }
    for (const QString& id : std::as_const(m_keychainIds)) {
        if (!keychainIds.contains(id) && !m_pendingSecretIds.contains(id))
            m_vault->remove(keychainKey(id));
    }
    m_keychainIds = keychainIds;
    m_keychainIds.unite(m_pendingSecretIds);
    m_profiles = kept;
    return true;
}

QString ProfileStore::secretsJson(const Profile& profile)
{
    QJsonArray headers;
    for (qsizetype i = 0; i < profile.headers.size(); ++i) {
        const ProfileHeader& h = profile.headers.at(i);
        if (h.secret)
            headers.append(QJsonObject { { u"index"_s, int(i) }, { u"name"_s, h.name }, { u"value"_s, h.value } });
    }
    const QJsonObject o { { u"headers"_s, headers }, { u"proxyPassword"_s, profile.proxy.password },
        { u"keyPassphrase"_s, profile.tls.keyPassphrase } };
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

void ProfileStore::applySecretsJson(Profile* profile, const QString& json)
{
    const QJsonObject o = QJsonDocument::fromJson(json.toUtf8()).object();
    const QJsonArray headers = o.value(u"headers"_s).toArray();
    for (const QJsonValue& v : headers) {
        const QJsonObject h = v.toObject();
        const int index = h.value(u"index"_s).toInt(-1);
        // The index and name must still match: a header edited elsewhere does not get a stale value.
        if (index >= 0 && index < profile->headers.size()
            && profile->headers.at(index).name == h.value(u"name"_s).toString() && profile->headers.at(index).secret)
            profile->headers[index].value = h.value(u"value"_s).toString();
    }
    profile->proxy.password = o.value(u"proxyPassword"_s).toString();
    profile->tls.keyPassphrase = o.value(u"keyPassphrase"_s).toString();
}

bool ProfileStore::waitForSecrets(int timeoutMs)
{
    if (m_pendingSecretIds.isEmpty())
        return true;
    QEventLoop loop;
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    auto check = [this, &loop] {
        if (m_pendingSecretIds.isEmpty())
            loop.quit();
    };
    connect(this, &ProfileStore::secretsLoaded, &loop, check);
    connect(this, &ProfileStore::secretsNoticeChanged, &loop, check);
    connect(m_vault, &SecretVault::readFinished, &loop, check, Qt::QueuedConnection);
    loop.exec();
    return m_pendingSecretIds.isEmpty();
}

void ProfileStore::onSecretRead(const QString& key, const QString& value, bool found)
{
    for (Profile& p : m_profiles) {
        if (keychainKey(p.id) == key) {
            m_pendingSecretIds.remove(p.id);
            if (!found)
                return;
            applySecretsJson(&p, value);
            Q_EMIT secretsLoaded();
            return;
        }
    }
}

void ProfileStore::onKeychainFailed(const QString& message)
{
    m_pendingSecretIds.clear();
    if (secretsInFile())
        return;
    m_keychainFailure = message;
    m_vault->setBackend(SecretVault::Backend::File);
    // Whatever was written without secrets is written again with them, now in the 0600 file.
    if (!m_profiles.isEmpty())
        save(m_profiles);
    Q_EMIT secretsNoticeChanged(secretsNotice());
}

bool ProfileStore::exportProfiles(
    const QString& path, const QList<Profile>& profiles, Profile::Secrets secrets, QString* error)
{
    QJsonArray array;
    for (const Profile& p : profiles)
        array.append(p.toJson(secrets));
    const QJsonObject root { { u"schemaVersion"_s, kSchemaVersion }, { u"profiles"_s, array } };
    QString e;
    if (!writeAtomically(path, QJsonDocument(root).toJson(QJsonDocument::Indented), &e)) {
        if (error)
            *error = e;
        return false;
    }
    return true;
}

QList<Profile> ProfileStore::importProfiles(const QString& path, QString* error)
{
    auto fail = [error](const QString& message) {
        if (error)
            *error = message;
        return QList<Profile>();
    };
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(tr("Cannot read \"%1\": %2").arg(QDir::toNativeSeparators(path), file.errorString()));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(tr("\"%1\" is not valid JSON: %2 at byte %3.")
                        .arg(QDir::toNativeSeparators(path), parseError.errorString())
                        .arg(parseError.offset));
    const QJsonObject root = doc.object();
    if (!root.value(u"profiles"_s).isArray())
        return fail(tr("\"%1\" holds no profiles (no \"profiles\" list).").arg(QDir::toNativeSeparators(path)));
    if (root.value(u"schemaVersion"_s).toInt() > kSchemaVersion)
        return fail(tr("\"%1\" was written by a newer version of WebSocket Inspector (schema %2; this one reads %3).")
                        .arg(QDir::toNativeSeparators(path))
                        .arg(root.value(u"schemaVersion"_s).toInt())
                        .arg(kSchemaVersion));
    QList<Profile> out;
    const QJsonArray array = root.value(u"profiles"_s).toArray();
    for (const QJsonValue& v : array) {
        if (!v.isObject())
            continue;
        Profile p = Profile::fromJson(v.toObject());
        p.unknownFields.remove(kKeychainFlag);
        out.append(p);
    }
    if (error)
        error->clear();
    return out;
}

} // namespace wsi
