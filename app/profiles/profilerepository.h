#pragma once

#include "profile.h"
#include "util/result.h"

#include <QObject>
#include <QTimer>

#include <optional>

namespace wsi {

class ProfileStore;

// The one owner of the saved profiles while the program runs. Everything else (the list model,
// the editor, the session tabs) reads from it and hears about changes by profile id; sessions send
// back field-level changes (a pinned certificate, a sent message, the saved messages), never a
// whole copy. Changes are written to the ProfileStore atomically, debounced by kSaveDelayMs;
// flush() (and the destructor) writes what is pending at once.
class ProfileRepository : public QObject
{
    Q_OBJECT
public:
    static constexpr int kSaveDelayMs = 300;

    // The store must be loaded and outlive the repository.
    explicit ProfileRepository(ProfileStore* store, QObject* parent = nullptr);
    ~ProfileRepository() override;

    ProfileStore* store() const { return m_store; }
    const QList<Profile>& profiles() const { return m_profiles; }
    // The saved profile with that id, or nullptr (built-in profiles are never here).
    const Profile* find(const QString& id) const;
    bool contains(const QString& id) const { return find(id) != nullptr; }
    int indexOf(const QString& id) const;
    // "base", or "base (2)", "base (3)"... whichever neither a saved nor a built-in profile uses.
    QString uniqueName(const QString& base) const;
    // Every name in use (built-in profiles' too), for the editor's unique-name check.
    QStringList names() const;

    // Adds a profile at index (-1: at the end) and returns its id. It keeps its id unless it has
    // none or the id is taken (an import of the same set twice); a taken name gets " (2)".
    QString add(Profile profile, int index = -1);
    // Removes a saved profile and returns it (for undo).
    std::optional<Profile> remove(const QString& id);
    // The error names the problem (empty, taken, not a saved profile).
    Result<void> rename(const QString& id, const QString& name);
    // Writes an editor's changes: the fields that differ between base (what the editor started
    // from) and edited are set on the profile as it is now; other fields keep their current values.
    bool applyEdit(const QString& id, const Profile& base, const Profile& edited);

    // Field-level changes made by a session; false when the id is not a saved profile.
    // subject: the certificate's subject, shown beside the fingerprint in the profile editor.
    bool pinCertificate(const QString& id, const QString& sha256Fingerprint, const QString& subject = {});
    bool unpinCertificate(const QString& id, const QString& sha256Fingerprint);
    bool setSavedMessages(const QString& id, const QList<SavedMessage>& messages);
    // Appends one sent input to the history (unless it repeats the last one), keeping maxEntries.
    bool appendSendHistory(const QString& id, const QString& input, int maxEntries);

    // Writes pending changes now. False with errorString() when the file could not be written.
    bool flush();
    // A change not written yet: waiting for the timer, or its save failed.
    bool isSavePending() const { return m_dirty; }
    QString errorString() const { return m_error; }

Q_SIGNALS:
    void profileAdded(const QString& id, int index);
    void profileRemoved(const QString& id);
    // Any field of the profile changed (its name, its pins, its history...).
    void profileChanged(const QString& id);
    // A write finished: error is empty on success.
    void saveFinished(const QString& error);

private:
    Profile* findMutable(const QString& id);
    void changed(const QString& id);
    void onSecretsLoaded();

    ProfileStore* m_store;
    QList<Profile> m_profiles;
    QTimer m_saveTimer;
    bool m_dirty = false;
    QString m_error;
};

} // namespace wsi
