#pragma once

#include "log/logentry.h"
#include "log/logstore.h"
#include "log/messagelogmodeldefs.h"

#include <QAbstractTableModel>

namespace wsi {

// The log of one session: every message, control frame, handshake head, state change and error,
// held in a compact LogStore. Display text is computed on demand, so only visible rows cost time.
// When the store reaches its memory cap the oldest rows leave (paired beginRemoveRows/endRemoveRows)
// and evictedRowCount() tells how many are no longer in view.
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

    // One beginInsertRows per batch, then eviction down to the memory cap if needed.
    void appendBatch(const wsi::LogBatch& batch);
    void clear();
    LogEntry entryAt(int row) const;

    void setTimeFormat(MessageLogModelDefs::TimeFormat format);
    MessageLogModelDefs::TimeFormat timeFormat() const { return m_timeFormat; }
    void setConnectTimeUs(qint64 us);

    // Bytes the log may keep in memory (default 1 GiB); lowering it evicts at once.
    void setMemoryCap(qint64 bytes);
    qint64 memoryCap() const { return m_store.memoryCap(); }
    qint64 memoryUsed() const { return m_store.memoryUsed(); }
    // For tests: smaller payload blocks make eviction observable with little data.
    void setMaxBlockSize(qint64 bytes) { m_store.setMaxBlockSize(bytes); }
    // Rows that left because of the cap since the last clear().
    qint64 evictedRowCount() const { return m_store.evictedRows(); }

    const LogStore& store() const { return m_store; }
    qint64 firstSerial() const { return m_store.firstSerial(); }
    qint64 endSerial() const { return m_store.endSerial(); }
    const LogStore::Counters& counters() const { return m_store.counters(); }

    static QString preview(const LogEntry& entry, int maxChars = 200);
    static QString preview(LogEntry::Kind kind, quint16 closeCode, QByteArrayView payload, int maxChars = 200);
    QString timeText(qint64 row) const;

Q_SIGNALS:
    void evictedRowCountChanged(qint64 count);

private:
    void evictToCap();

    LogStore m_store;
    MessageLogModelDefs::TimeFormat m_timeFormat = MessageLogModelDefs::TimeFormat::Absolute;
    qint64 m_connectTimeUs = 0;
    qint64 m_lastEvictedTimeUs = 0; // for the delta of the first row kept
};

} // namespace wsi
