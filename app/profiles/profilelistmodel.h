#pragma once

#include "profile.h"

#include <QAbstractListModel>

namespace wsi {

// The profile list: the built-in servers' profiles (read-only, always first) and the saved ones.
// Every change emits profilesChanged() so the owner can save.
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

    explicit ProfileListModel(QObject* parent = nullptr);
    ~ProfileListModel() override;

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Replaces the saved profiles (built-ins stay).
    void setSavedProfiles(const QList<Profile>& profiles);
    QList<Profile> savedProfiles() const;

    Profile profileAt(int row) const;
    bool isBuiltin(int row) const;
    int rowOfName(const QString& name) const;
    int rowOfId(const QString& id) const;
    QStringList names() const;
    // "base", or "base (2)", "base (3)"... whichever no profile uses yet.
    QString uniqueName(const QString& base) const;

    // Appends a profile (a fresh id, and a unique name if taken); returns its row.
    int addProfile(Profile profile);
    // Appends a copy of row named "<name> (copy)"; returns the new row or -1.
    int duplicateProfile(int row);
    // Replaces a saved profile (keeps its id); false for built-ins and bad rows.
    bool updateProfile(int row, const Profile& profile);
    // False with a message in *error when the name is empty or taken, or the row is built in.
    bool renameProfile(int row, const QString& name, QString* error = nullptr);
    // Removes a saved profile and returns it (for undo); built-ins are never removed.
    std::optional<Profile> removeProfile(int row);
    // Puts a removed profile back at its row (undo).
    int insertProfile(int row, const Profile& profile);

Q_SIGNALS:
    void profilesChanged();
    void renameRejected(const QString& message);

private:
    QList<Profile> m_profiles; // built-ins first
    int m_builtinCount = 0;
};

} // namespace wsi
