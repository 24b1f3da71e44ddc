#pragma once

#include "profile.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QSet>

namespace wsi {

class SecretVault;

// The saved profiles: one JSON file (profiles.json under AppConfigLocation) with a schema
// version, written atomically; secrets in the OS keychain or, without one, in the file (0600).
class ProfileStore : public QObject
{
    Q_OBJECT
public:
    static constexpr int kSchemaVersion = 1;

    // Uses defaultFilePath() and picks the secret backend with SecretVault::keychainUsable().
    explicit ProfileStore(QObject* parent = nullptr);
    ProfileStore(const QString& filePath, SecretVault* vault, QObject* parent = nullptr);
    ~ProfileStore() override;

    static QString defaultFilePath();
    QString filePath() const { return m_path; }

    // Reads the file. A missing file is an empty set. A corrupt file or one from a newer schema
    // version is moved aside (movedAsidePath(), fileMovedAside()) and an empty set is used; the
    // return value is false then, with errorString() telling the user where the file went.
    bool load();
    // Writes every non-built-in profile atomically (QSaveFile). False with errorString() on failure;
    // the previous file is then untouched.
    bool save(const QList<Profile>& profiles);

    QList<Profile> profiles() const { return m_profiles; }
    // For the terminal front end: runs a local event loop until the keychain has answered every
    // read started by load() (or timeoutMs passed). Returns true when nothing is pending.
    bool waitForSecrets(int timeoutMs = 5000);
    // The names of the saved profiles, in file order.
    QStringList names() const;
    // The saved profile of that name (case-insensitive), or nullptr.
    const Profile* find(const QString& name) const;

    QString errorString() const { return m_error; }
    QString movedAsidePath() const { return m_movedAside; }

    // True when secret values are written into the profile file (no keychain available).
    bool secretsInFile() const;
    // The notice the UI shows while secrets are kept in the file; empty with a keychain.
    QString secretsNotice() const;

    // Import/export of a set of profiles (for a class or a team). Secrets are left out of an
    // export unless the caller asks for them.
    static bool exportProfiles(
        const QString& path, const QList<Profile>& profiles, Profile::Secrets secrets, QString* error);
    static QList<Profile> importProfiles(const QString& path, QString* error);

Q_SIGNALS:
    void fileMovedAside(const QString& newPath, const QString& message);
    // Secret values arrived from the keychain; profiles() now holds them.
    void secretsLoaded();
    // Secrets are now kept in the file (the keychain failed); secretsNotice() says so.
    void secretsNoticeChanged(const QString& notice);

private:
    bool moveAside(const QString& why);
    void onSecretRead(const QString& key, const QString& value, bool found);
    void onKeychainFailed(const QString& message);
    static QString secretsJson(const Profile& profile);
    static void applySecretsJson(Profile* profile, const QString& json);

    QString m_path;
    SecretVault* m_vault = nullptr;
    QList<Profile> m_profiles;
    QJsonObject m_unknownTopLevel; // fields of a newer minor writer, kept through save
    QSet<QString> m_keychainIds; // profiles whose secrets were last written to the keychain
    QString m_error;
    QString m_movedAside;
    QString m_keychainFailure;
    QSet<QString> m_pendingSecretIds; // keychain reads started by load() not answered yet
    bool m_writable = true; // false when a bad file could not be moved aside: never overwrite it
};

} // namespace wsi
