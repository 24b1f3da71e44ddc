#include "logstore.h"

#include <algorithm>
#include <cstring>

namespace wsi {

namespace {
constexpr qint64 kFirstBlockSize = 64 * 1024;
}

LogStore::LogStore() = default;

LogStore::~LogStore() = default;

LogStore::Block& LogStore::blockFor(qsizetype bytes)
{
    if (!m_blocks.empty()) {
        Block& last = m_blocks.back();
        if (qint64(last.capacity) - qint64(last.used) >= bytes)
            return last;
    }
    // Grow geometrically so a quiet session stays small and a flood gets large blocks.
    qint64 capacity = m_blocks.empty() ? kFirstBlockSize : qint64(m_blocks.back().capacity) * 2;
    capacity = std::min(capacity, m_maxBlockSize);
    capacity = std::max<qint64>(capacity, bytes); // a payload larger than a block gets its own
    Block b;
    // new char[] leaves the bytes uninitialised: the kernel only commits pages as they fill.
    b.data.reset(new char[size_t(std::max<qint64>(capacity, 1))]);
    b.capacity = quint32(capacity);
    m_blockBytes += capacity;
    m_blocks.push_back(std::move(b));
    return m_blocks.back();
}

qint64 LogStore::append(const LogEntry& entry)
{
    const qsizetype len = entry.payload.size();
    // A compressed message's wire bytes follow its inflated payload in the block (the frames view
    // shows them); the record's length stays the message's.
    const qsizetype wireLen = entry.isCompressed() ? entry.wirePayload.size() : 0;
    Block& b = blockFor(len + wireLen);
    Record r;
    r.timeUs = entry.timeUs;
    r.block = m_firstBlock + quint32(m_blocks.size() - 1);
    r.offset = b.used;
    r.length = quint32(len);
    if (len)
        std::memcpy(b.data.get() + b.used, entry.payload.constData(), size_t(len));
    if (wireLen)
        std::memcpy(b.data.get() + b.used + len, entry.wirePayload.constData(), size_t(wireLen));
    b.used += quint32(len + wireLen);
    r.kind = entry.kind;
    r.dir = entry.dir;
    r.closeCode = entry.closeCode;
    r.frameFirst = m_firstFrame + m_frames.size();
    r.frameCount = quint32(entry.frames.size());
    for (const FrameInfo& f : entry.frames) {
        StoredFrame s;
        s.timeUs = f.timeUs;
        s.length = f.length;
        s.payloadOffset = f.payloadOffset;
        s.maskKey = f.maskKey;
        s.opcode = f.opcode;
        s.rsv = f.rsv;
        s.lengthBytes = f.lengthBytes;
        s.flags = (f.fin ? 1 : 0) | (f.masked ? 2 : 0);
        if (!f.violations.isEmpty())
            m_violations.insert(m_firstFrame + m_frames.size(), f.violations);
        m_frames.push_back(s);
    }
    m_records.push_back(r);

    ++m_counters.entries;
    if (entry.isMessage()) {
        if (entry.dir == Direction::Send) {
            ++m_counters.messagesOut;
            m_counters.bytesOut += len;
            if (entry.isCompressed()) {
                ++m_counters.compressedOut;
                m_counters.compressedWireBytesOut += entry.wireLength();
                m_counters.compressedInflatedBytesOut += len;
            }
        } else if (entry.dir == Direction::Receive) {
            ++m_counters.messagesIn;
            m_counters.bytesIn += len;
            if (entry.isCompressed()) {
                ++m_counters.compressedIn;
                m_counters.compressedWireBytesIn += entry.wireLength();
                m_counters.compressedInflatedBytesIn += len;
            }
        }
    }
    return endSerial() - 1;
}

qint64 LogStore::memoryUsed() const
{
    return m_blockBytes + qint64(m_records.size() * sizeof(Record)) + qint64(m_frames.size() * sizeof(StoredFrame));
}

qint64 LogStore::rowsToEvictForCap() const
{
    qint64 mem = memoryUsed();
    if (mem <= m_cap)
        return 0;
    size_t rows = 0;
    quint64 frameStart = m_firstFrame;
    for (size_t b = 0; b < m_blocks.size() && mem > m_cap; ++b) {
        const quint32 serial = m_firstBlock + quint32(b);
        // Records are in block order: everything up to the last record of this block goes with it.
        const auto end = std::upper_bound(m_records.begin() + qint64(rows), m_records.end(), serial,
            [](quint32 s, const Record& r) { return s < r.block; });
        const size_t endRow = size_t(end - m_records.begin());
        const quint64 frameEnd
            = endRow < m_records.size() ? m_records[endRow].frameFirst : m_firstFrame + m_frames.size();
        mem -= qint64(m_blocks[b].capacity) + qint64((endRow - rows) * sizeof(Record))
            + qint64((frameEnd - frameStart) * sizeof(StoredFrame));
        rows = endRow;
        frameStart = frameEnd;
    }
    return qint64(rows);
}

void LogStore::evictFront(qint64 rows)
{
    rows = std::min(rows, size());
    if (rows <= 0)
        return;
    const quint64 frameEnd
        = size_t(rows) < m_records.size() ? m_records[size_t(rows)].frameFirst : m_firstFrame + m_frames.size();
    // Blocks no remaining row points into are freed.
    const quint32 keepBlock
        = size_t(rows) < m_records.size() ? m_records[size_t(rows)].block : m_firstBlock + quint32(m_blocks.size());
    m_records.erase(m_records.begin(), m_records.begin() + rows);
    m_firstSerial += rows;
    for (quint64 f = m_firstFrame; f < frameEnd && !m_violations.isEmpty(); ++f)
        m_violations.remove(f);
    m_frames.erase(m_frames.begin(), m_frames.begin() + qint64(frameEnd - m_firstFrame));
    m_firstFrame = frameEnd;
    while (m_firstBlock < keepBlock && !m_blocks.empty()) {
        m_blockBytes -= m_blocks.front().capacity;
        m_blocks.pop_front();
        ++m_firstBlock;
    }
    if (m_blocks.empty())
        m_firstBlock = keepBlock;
    if (m_records.empty()) {
        // Nothing points into a block any more: start afresh (small) for the next entry.
        m_firstBlock += quint32(m_blocks.size());
        m_blocks.clear();
        m_blockBytes = 0;
    }
}

void LogStore::clear()
{
    m_firstSerial = endSerial();
    m_clearedSerial = m_firstSerial;
    m_records.clear();
    m_records.shrink_to_fit();
    m_firstFrame += m_frames.size();
    m_frames.clear();
    m_frames.shrink_to_fit();
    m_violations.clear();
    m_firstBlock += quint32(m_blocks.size());
    m_blocks.clear();
    m_blockBytes = 0;
}

QByteArrayView LogStore::payload(const Record& r) const
{
    if (r.length == 0)
        return {};
    return QByteArrayView(block(r.block).data.get() + r.offset, qsizetype(r.length));
}

QByteArrayView LogStore::payload(qint64 row) const
{
    return payload(record(row));
}

QList<FrameInfo> LogStore::frames(const Record& r) const
{
    QList<FrameInfo> out;
    out.reserve(r.frameCount);
    for (quint64 i = r.frameFirst; i < r.frameFirst + r.frameCount; ++i) {
        if (i < m_firstFrame || i - m_firstFrame >= m_frames.size())
            continue;
        const StoredFrame& s = m_frames[size_t(i - m_firstFrame)];
        FrameInfo f;
        f.timeUs = s.timeUs;
        f.length = s.length;
        f.payloadOffset = s.payloadOffset;
        f.maskKey = s.maskKey;
        f.opcode = s.opcode;
        f.rsv = s.rsv;
        f.lengthBytes = s.lengthBytes;
        f.fin = s.flags & 1;
        f.masked = s.flags & 2;
        f.violations = m_violations.value(i);
        out.append(f);
    }
    return out;
}

qint64 LogStore::compressedWireLength(const Record& r) const
{
    if (r.frameCount == 0 || r.frameFirst < m_firstFrame || r.frameFirst - m_firstFrame >= m_frames.size())
        return -1;
    if (r.kind != LogEntry::Kind::Text && r.kind != LogEntry::Kind::Binary)
        return -1;
    if (!(m_frames[size_t(r.frameFirst - m_firstFrame)].rsv & 4))
        return -1;
    qint64 sum = 0;
    for (quint64 i = r.frameFirst; i < r.frameFirst + r.frameCount && i - m_firstFrame < m_frames.size(); ++i)
        sum += qint64(m_frames[size_t(i - m_firstFrame)].length);
    return sum;
}

LogEntry LogStore::entry(qint64 row) const
{
    LogEntry e;
    if (row < 0 || row >= size())
        return e;
    const Record& r = record(row);
    e.timeUs = r.timeUs;
    e.kind = r.kind;
    e.dir = r.dir;
    e.closeCode = r.closeCode;
    e.payload = payload(r).toByteArray();
    e.frames = frames(r);
    if (const qint64 wire = compressedWireLength(r); wire > 0) {
        const Block& b = block(r.block);
        const qint64 kept = std::min<qint64>(wire, qint64(b.used) - qint64(r.offset) - qint64(r.length));
        if (kept > 0)
            e.wirePayload = QByteArray(b.data.get() + r.offset + r.length, qsizetype(kept));
    }
    return e;
}

} // namespace wsi
