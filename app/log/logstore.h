#pragma once

#include "log/logentry.h"

#include <QByteArrayView>
#include <QHash>

#include <deque>
#include <memory>

namespace wsi {

// Compact in-memory storage of a session's log: payloads packed into large blocks, one fixed-size
// index record per row and a side table of frame headers. Rows are addressed by serial number
// (0 = the first entry ever appended), so evicting the oldest rows never renumbers the others.
class LogStore
{
public:
    // One row of the index. 40 bytes whatever the payload.
    struct Record
    {
        qint64 timeUs = 0;
        quint64 frameFirst = 0; // serial of the first frame in the frame table
        quint32 block = 0; // serial of the payload block
        quint32 offset = 0; // payload offset inside the block
        quint32 length = 0; // payload length
        quint32 frameCount = 0;
        quint16 closeCode = 0;
        LogEntry::Kind kind = LogEntry::Kind::Info;
        Direction dir = Direction::None;
    };

    // Running totals that survive eviction (for the statistics panel).
    struct Counters
    {
        qint64 messagesIn = 0;
        qint64 messagesOut = 0;
        qint64 bytesIn = 0;
        qint64 bytesOut = 0;
        qint64 entries = 0;
        // permessage-deflate: messages that crossed the wire compressed, their payload bytes on
        // the wire and inflated.
        qint64 compressedIn = 0;
        qint64 compressedOut = 0;
        qint64 compressedWireBytesIn = 0;
        qint64 compressedWireBytesOut = 0;
        qint64 compressedInflatedBytesIn = 0;
        qint64 compressedInflatedBytesOut = 0;
    };

    static constexpr qint64 kDefaultMemoryCap = qint64(1) << 30;
    static constexpr qint64 kDefaultMaxBlockSize = 4 << 20;

    LogStore();
    ~LogStore();
    LogStore(const LogStore&) = delete;
    LogStore& operator=(const LogStore&) = delete;

    // Appends one entry; returns its serial. Does not evict (see evictToCap()).
    qint64 append(const LogEntry& entry);
    // Drops the oldest rows, whole payload blocks at a time, until memoryUsed() <= cap.
    // Returns how many rows left.
    qint64 rowsToEvictForCap() const;
    void evictFront(qint64 rows);
    void clear();

    qint64 firstSerial() const { return m_firstSerial; }
    qint64 endSerial() const { return m_firstSerial + qint64(m_records.size()); }
    qint64 size() const { return qint64(m_records.size()); }
    bool isEmpty() const { return m_records.empty(); }

    // row = serial - firstSerial(); the caller checks the range.
    const Record& record(qint64 row) const { return m_records[size_t(row)]; }
    // Valid until the row is evicted; do not keep.
    QByteArrayView payload(qint64 row) const;
    QByteArrayView payload(const Record& r) const;
    QList<FrameInfo> frames(const Record& r) const;
    // permessage-deflate: the payload bytes the row's frames carried when its first frame had
    // RSV1 (the compressed size), else -1. entry() returns them as wirePayload (they are kept
    // right after the inflated payload).
    qint64 compressedWireLength(const Record& r) const;
    LogEntry entry(qint64 row) const;

    // Bytes held: payload blocks (capacity), index records, frame headers.
    qint64 memoryUsed() const;
    qint64 memoryCap() const { return m_cap; }
    void setMemoryCap(qint64 bytes) { m_cap = std::max<qint64>(bytes, 1); }
    // Blocks start small so an idle session costs little, then grow up to this size.
    void setMaxBlockSize(qint64 bytes) { m_maxBlockSize = std::max<qint64>(bytes, 256); }
    const Counters& counters() const { return m_counters; }
    qint64 evictedRows() const { return m_firstSerial - m_clearedSerial; }

private:
    struct Block
    {
        std::unique_ptr<char[]> data;
        quint32 capacity = 0;
        quint32 used = 0;
    };
    // A frame header without its payload (which lives in the message's payload).
    struct StoredFrame
    {
        qint64 timeUs = 0;
        quint64 length = 0;
        quint64 payloadOffset = 0;
        quint32 maskKey = 0;
        quint8 opcode = 0;
        quint8 rsv = 0;
        quint8 lengthBytes = 0;
        quint8 flags = 0; // 1 = fin, 2 = masked
    };

    Block& blockFor(qsizetype bytes);
    const Block& block(quint32 serial) const { return m_blocks[serial - m_firstBlock]; }

    std::deque<Record> m_records;
    std::deque<Block> m_blocks;
    std::deque<StoredFrame> m_frames;
    QHash<quint64, QStringList> m_violations; // frame serial -> RFC breaches (rare)
    qint64 m_firstSerial = 0;
    qint64 m_clearedSerial = 0; // firstSerial right after the last clear()
    quint32 m_firstBlock = 0;
    quint64 m_firstFrame = 0;
    qint64 m_blockBytes = 0;
    qint64 m_cap = kDefaultMemoryCap;
    qint64 m_maxBlockSize = kDefaultMaxBlockSize;
    Counters m_counters;
};

} // namespace wsi
