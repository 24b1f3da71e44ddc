#include "profilelistmodel.h"

#include "profilevalidator.h"

#include <QUuid>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {
QString newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}
} // namespace

ProfileListModel::ProfileListModel(QObject* parent)
    : QAbstractListModel(parent)
{
    m_profiles = Profile::builtins();
    // The built-ins' names are shown translated; their ids and URLs stay fixed.
    if (m_profiles.size() == 3) {
        m_profiles[0].name = tr("Built-in echo server");
        m_profiles[1].name = tr("Built-in chat room");
        m_profiles[2].name = tr("Built-in server push (1 message/s)");
    }
    m_builtinCount = int(m_profiles.size());
}

ProfileListModel::~ProfileListModel() = default;

int ProfileListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_profiles.size());
}

QVariant ProfileListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Profile& p = m_profiles.at(index.row());
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

void ProfileListModel::setSavedProfiles(const QList<Profile>& profiles)
{
    beginResetModel();
    m_profiles.resize(m_builtinCount);
    for (Profile p : profiles) {
        if (p.isBuiltin())
            continue;
        if (p.id.isEmpty())
            p.id = newId();
        m_profiles.append(p);
    }
    endResetModel();
}

QList<Profile> ProfileListModel::savedProfiles() const
{
    return m_profiles.mid(m_builtinCount);
}

Profile ProfileListModel::profileAt(int row) const
{
    return row >= 0 && row < m_profiles.size() ? m_profiles.at(row) : Profile();
}

bool ProfileListModel::isBuiltin(int row) const
{
    return row >= 0 && row < m_builtinCount;
}

int ProfileListModel::rowOfName(const QString& name) const
{
    for (int i = 0; i < m_profiles.size(); ++i) {
        if (m_profiles.at(i).name.compare(name, Qt::CaseInsensitive) == 0)
            return i;
    }
    return -1;
}

int ProfileListModel::rowOfId(const QString& id) const
{
    for (int i = 0; i < m_profiles.size(); ++i) {
        if (m_profiles.at(i).id == id)
            return i;
    }
    return -1;
}

QStringList ProfileListModel::names() const
{
    QStringList out;
    for (const Profile& p : m_profiles)
        out.append(p.name);
    return out;
}

QString ProfileListModel::uniqueName(const QString& base) const
{
    const QString b = base.trimmed().isEmpty() ? tr("New profile") : base.trimmed();
    if (rowOfName(b) < 0)
        return b;
    for (int n = 2;; ++n) {
        const QString candidate = u"%1 (%2)"_s.arg(b).arg(n);
        if (rowOfName(candidate) < 0)
            return candidate;
    }
}

int ProfileListModel::addProfile(Profile profile)
{
    profile.id = newId();
    profile.name = uniqueName(profile.name);
    const int row = int(m_profiles.size());
    beginInsertRows({}, row, row);
    m_profiles.append(profile);
    endInsertRows();
    Q_EMIT profilesChanged();
    return row;
}

int ProfileListModel::duplicateProfile(int row)
{
    if (row < 0 || row >= m_profiles.size())
        return -1;
    Profile copy = m_profiles.at(row);
    copy.name = tr("%1 (copy)").arg(copy.name);
    return addProfile(copy);
}

bool ProfileListModel::updateProfile(int row, const Profile& profile)
{
    if (row < m_builtinCount || row >= m_profiles.size())
        return false;
    Profile p = profile;
    p.id = m_profiles.at(row).id;
    if (p == m_profiles.at(row))
        return true;
    m_profiles[row] = p;
    Q_EMIT dataChanged(index(row), index(row));
    Q_EMIT profilesChanged();
    return true;
}

bool ProfileListModel::renameProfile(int row, const QString& name, QString* error)
{
    if (row < 0 || row >= m_profiles.size())
        return false;
    if (isBuiltin(row)) {
        if (error)
            *error = tr("Built-in profiles cannot be renamed; duplicate one to make your own.");
        return false;
    }
    QStringList others = names();
    others.removeAt(row);
    if (const QString e = ProfileValidator::checkName(name, others); !e.isEmpty()) {
        if (error)
            *error = e;
        return false;
    }
    if (m_profiles.at(row).name == name.trimmed())
        return true;
    m_profiles[row].name = name.trimmed();
    Q_EMIT dataChanged(index(row), index(row), { Qt::DisplayRole, Qt::EditRole });
    Q_EMIT profilesChanged();
    return true;
}

std::optional<Profile> ProfileListModel::removeProfile(int row)
{
    if (row < m_builtinCount || row >= m_profiles.size())
        return std::nullopt;
    beginRemoveRows({}, row, row);
    Profile removed = m_profiles.takeAt(row);
    endRemoveRows();
    Q_EMIT profilesChanged();
    return removed;
}

int ProfileListModel::insertProfile(int row, const Profile& profile)
{
    Profile p = profile;
    if (p.id.isEmpty() || rowOfId(p.id) >= 0)
        p.id = newId();
    p.name = uniqueName(p.name);
    row = std::clamp(row, m_builtinCount, int(m_profiles.size()));
    beginInsertRows({}, row, row);
    m_profiles.insert(row, p);
    endInsertRows();
    Q_EMIT profilesChanged();
    return row;
}

} // namespace wsi
