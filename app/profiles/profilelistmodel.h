#pragma once

#include "profile.h"

#include <QAbstractListModel>

#include <optional>

namespace wsi {

class ProfileRepository;

// The profile list: the built-in servers' profiles (read-only, always first) and the saved ones,
// which it reads from the ProfileRepository (their one owner) and follows by id. It keeps only
// the saved profiles' ids in list order; edits go to the repository, which saves them.
class ProfileListModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role {
        ProfileRole = Qt::UserRole + 1, // QVariant holding the whole Profile
        UrlRole,
        BuiltinRole,
        IdRole,
    };
    Q_ENUM(Role)

    // The repository must outlive the model.
    explicit ProfileListModel(ProfileRepository* repository, QObject* parent = nullptr);
    ~ProfileListModel() override;

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QHash<int, QByteArray> roleNames() const override;

    ProfileRepository* repository() const { return m_repository; }
    QList<Profile> savedProfiles() const;
    Profile profileAt(int row) const;
    bool isBuiltin(int row) const;
    int rowOfName(const QString& name) const;
    int rowOfId(const QString& id) const;
    QStringList names() const;

    // Adds a profile (a fresh id, and a unique name if taken); returns its row.
    int addProfile(Profile profile);
    // Adds a copy of row named "<name> (copy)"; returns the new row or -1.
    int duplicateProfile(int row);
    // False with a message in *error when the name is empty or taken, or the row is built in.
    bool renameProfile(int row, const QString& name, QString* error = nullptr);
    // Removes a saved profile and returns it (for undo); built-ins are never removed.
    std::optional<Profile> removeProfile(int row);
    // Puts a removed profile back at its row (undo).
    int insertProfile(int row, const Profile& profile);

Q_SIGNALS:
    void renameRejected(const QString& message);

private:
    void onAdded(const QString& id, int index);
    void onRemoved(const QString& id);
    void onChanged(const QString& id);

    ProfileRepository* m_repository;
    QList<Profile> m_builtins;
    QStringList m_ids; // the saved profiles' ids, in the repository's order
};

} // namespace wsi
