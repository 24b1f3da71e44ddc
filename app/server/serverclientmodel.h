#pragma once

#include "server/classroomserver.h"

#include <QAbstractTableModel>

namespace wsi {

// The Server panel's client list: one row per connected WebSocket client, updated in place from
// the server's snapshots (rows keep their place; a client that left is removed).
class ServerClientModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Address, Name, Path, UserAgent, Since, MessagesIn, MessagesOut, ColumnCount };
    enum Role { IdRole = Qt::UserRole + 1 };

    explicit ServerClientModel(QObject* parent = nullptr);
    ~ServerClientModel() override;

    void setClients(const QList<ServerClient>& clients);
    ServerClient clientAt(int row) const { return m_clients.at(row); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<ServerClient> m_clients;
};

} // namespace wsi
