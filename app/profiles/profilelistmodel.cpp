#include "profilelistmodel.h"

#include "profilerepository.h"

using namespace Qt::StringLiterals;

namespace wsi {

ProfileListModel::ProfileListModel(ProfileRepository* repository, QObject* parent)
    : QAbstractListModel(parent)
    , m_repository(repository)
    , m_builtins(Profile::builtins())
{
    // The built-ins' names are shown translated; their ids and URLs stay fixed.
    if (m_builtins.size() == 3) {
        m_builtins[0].name = tr("Built-in echo server");
        m_builtins[1].name = tr("Built-in chat room");
        m_builtins[2].name = tr("Built-in server push (1 message/s)");
    }
    for (const Profile& p : m_repository->profiles())
        m_ids.append(p.id);
    connect(m_repository, &ProfileRepository::profileAdded, this, &ProfileListModel::onAdded);
    connect(m_repository, &ProfileRepository::profileRemoved, this, &ProfileListModel::onRemoved);
    connect(m_repository, &ProfileRepository::profileChanged, this, &ProfileListModel::onChanged);
}

ProfileListModel::~ProfileListModel() = default;

int ProfileListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_builtins.size() + m_ids.size());
}

QVariant ProfileListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Profile p = profileAt(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        return p.name;
    case Qt::ToolTipRole:
        return isBuiltin(index.row()) ? tr("%1 (built in, read-only)").arg(p.url) : p.url;
    case ProfileRole:
        return QVariant::fromValue(p);
    case UrlRole:
        return p.url;
    case BuiltinRole:
        return isBuiltin(index.row());
    case IdRole:
        return p.id;
    default:
        return {};
    }
}

bool ProfileListModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (role != Qt::EditRole || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    QString error;
    if (!renameProfile(index.row(), value.toString(), &error)) {
        Q_EMIT renameRejected(error);
        return false;
    }
    return true;
}

Qt::ItemFlags ProfileListModel::flags(const QModelIndex& index) const
{
    Qt::ItemFlags f = QAbstractListModel::flags(index);
    if (index.isValid() && !isBuiltin(index.row()))
        f |= Qt::ItemIsEditable;
    return f;
}

QHash<int, QByteArray> ProfileListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(ProfileRole, "profile");
    names.insert(UrlRole, "url");
    names.insert(BuiltinRole, "builtin");
    names.insert(IdRole, "id");
    return names;
}

QList<Profile> ProfileListModel::savedProfiles() const
{
    return m_repository->profiles();
}

Profile ProfileListModel::profileAt(int row) const
{
    if (row >= 0 && row < m_builtins.size())
        return m_builtins.at(row);
    const int saved = row - int(m_builtins.size());
    if (saved >= 0 && saved < m_ids.size()) {
        if (const Profile* p = m_repository->find(m_ids.at(saved)))
            return *p;
    }
    return Profile();
}

bool ProfileListModel::isBuiltin(int row) const
{
    return row >= 0 && row < m_builtins.size();
}

int ProfileListModel::rowOfName(const QString& name) const
{
    for (int row = 0; row < rowCount(); ++row) {
        if (profileAt(row).name.compare(name, Qt::CaseInsensitive) == 0)
            return row;
    }
    return -1;
}

int ProfileListModel::rowOfId(const QString& id) const
{
    for (int i = 0; i < m_builtins.size(); ++i) {
        if (m_builtins.at(i).id == id)
            return i;
    }
    const int saved = int(m_ids.indexOf(id));
    return saved < 0 ? -1 : int(m_builtins.size()) + saved;
}

QStringList ProfileListModel::names() const
{
    QStringList out;
    for (int row = 0; row < rowCount(); ++row)
        out.append(profileAt(row).name);
    return out;
}

int ProfileListModel::addProfile(Profile profile)
{
    profile.id.clear();
    return rowOfId(m_repository->add(profile));
}

int ProfileListModel::duplicateProfile(int row)
{
    if (row < 0 || row >= rowCount())
        return -1;
    Profile copy = profileAt(row);
    copy.name = tr("%1 (copy)").arg(copy.name);
    return addProfile(copy);
}

bool ProfileListModel::renameProfile(int row, const QString& name, QString* error)
{
    if (row < 0 || row >= rowCount())
        return false;
    if (isBuiltin(row)) {
        if (error)
            *error = tr("Built-in profiles cannot be renamed; duplicate one to make your own.");
        return false;
    }
    const Result<void> renamed = m_repository->rename(profileAt(row).id, name);
    if (!renamed && error)
        *error = renamed.error().message;
    return renamed.ok();
}

std::optional<Profile> ProfileListModel::removeProfile(int row)
{
    if (isBuiltin(row) || row < 0 || row >= rowCount())
        return std::nullopt;
    return m_repository->remove(profileAt(row).id);
}

int ProfileListModel::insertProfile(int row, const Profile& profile)
{
    const int index = std::clamp(row - int(m_builtins.size()), 0, int(m_ids.size()));
    return rowOfId(m_repository->add(profile, index));
}

void ProfileListModel::onAdded(const QString& id, int index)
{
    index = std::clamp(index, 0, int(m_ids.size()));
    const int row = int(m_builtins.size()) + index;
    beginInsertRows({}, row, row);
    m_ids.insert(index, id);
    endInsertRows();
}

void ProfileListModel::onRemoved(const QString& id)
{
    const int index = int(m_ids.indexOf(id));
    if (index < 0)
        return;
    const int row = int(m_builtins.size()) + index;
    beginRemoveRows({}, row, row);
    m_ids.removeAt(index);
    endRemoveRows();
}

void ProfileListModel::onChanged(const QString& id)
{
    const int row = rowOfId(id);
    if (row >= 0)
        Q_EMIT dataChanged(index(row), index(row));
}

} // namespace wsi
