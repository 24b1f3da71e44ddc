#include "serverclientmodel.h"

#include <QLocale>
#include <QSet>

namespace wsi {

ServerClientModel::ServerClientModel(QObject* parent)
    : QAbstractTableModel(parent)
{ }

ServerClientModel::~ServerClientModel() = default;

void ServerClientModel::setClients(const QList<ServerClient>& clients)
{
    QSet<quint64> ids;
    for (const ServerClient& c : clients)
        ids.insert(c.id);
    // Gone: removed one by one from the end so that the rows before keep their numbers.
    for (int row = int(m_clients.size()) - 1; row >= 0; --row) {
        if (!ids.contains(m_clients.at(row).id)) {
            beginRemoveRows({}, row, row);
            m_clients.removeAt(row);
            endRemoveRows();
        }
    }
    QHash<quint64, int> rowOf;
    for (int row = 0; row < m_clients.size(); ++row)
        rowOf.insert(m_clients.at(row).id, row);
    QList<ServerClient> added;
    for (const ServerClient& c : clients) {
        const auto it = rowOf.constFind(c.id);
        if (it == rowOf.cend()) {
            added.append(c);
            continue;
        }
        m_clients[*it] = c;
        Q_EMIT dataChanged(index(*it, 0), index(*it, ColumnCount - 1));
    }
    if (!added.isEmpty()) {
        beginInsertRows({}, int(m_clients.size()), int(m_clients.size() + added.size() - 1));
        m_clients.append(added);
        endInsertRows();
    }
}

int ServerClientModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_clients.size());
}

int ServerClientModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ServerClientModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ServerClient& c = m_clients.at(index.row());
    if (role == IdRole)
        return QVariant::fromValue(c.id);
    if (role == Qt::TextAlignmentRole && (index.column() == MessagesIn || index.column() == MessagesOut))
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && index.column() == UserAgent)
        return c.userAgent;
    if (role == Qt::ToolTipRole && index.column() == Path)
        return c.compression.isEmpty() ? tr("Not compressed") : tr("Compressed: %1").arg(c.compression);
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case Address:
        return c.address;
    case Name:
        return c.name;
    case Path:
        return c.path;
    case UserAgent:
        return c.userAgent;
    case Since:
        return QLocale().toString(c.since.time(), QLocale::ShortFormat);
    case MessagesIn:
        return c.messagesIn;
    case MessagesOut:
        return c.messagesOut;
    case ColumnCount:
        break;
    }
    return {};
}

QVariant ServerClientModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Address:
        return tr("Address");
    case Name:
        return tr("Name");
    case Path:
        return tr("Path");
    case UserAgent:
        return tr("User agent");
    case Since:
        return tr("Connected since");
    case MessagesIn:
        return tr("In");
    case MessagesOut:
        return tr("Out");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace wsi
