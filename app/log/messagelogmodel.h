#pragma once

#include "log/logentry.h"
#include "log/messagelogmodeldefs.h"

#include <QAbstractTableModel>

namespace wsi {

// The log of one session: every message, control frame, handshake head, state change and error.
class MessageLogModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    explicit MessageLogModel(QObject* parent = nullptr);
    ~MessageLogModel() override;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // One beginInsertRows per batch.
    void appendBatch(const wsi::LogBatch& batch);
    void clear();
    LogEntry entryAt(int row) const;

    void setTimeFormat(MessageLogModelDefs::TimeFormat format);
    MessageLogModelDefs::TimeFormat timeFormat() const { return m_timeFormat; }
    void setConnectTimeUs(qint64 us) { m_connectTimeUs = us; }

    static QString preview(const LogEntry& entry, int maxChars = 200);

private:
    QList<LogEntry> m_entries;
    MessageLogModelDefs::TimeFormat m_timeFormat = MessageLogModelDefs::TimeFormat::Absolute;
    qint64 m_connectTimeUs = 0;
};

} // namespace wsi
