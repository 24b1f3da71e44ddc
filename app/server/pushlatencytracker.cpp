#include "pushlatencytracker.h"

namespace wsi {

namespace {
// Reads digits at pos; false if there are none (or too many for a qint64).
bool readNumber(QByteArrayView s, qsizetype& pos, qint64* out)
{
    const qsizetype start = pos;
    qint64 v = 0;
    while (pos < s.size() && s.at(pos) >= '0' && s.at(pos) <= '9' && pos - start < 18)
        v = v * 10 + (s.at(pos++) - '0');
    *out = v;
    return pos > start;
}
bool expect(QByteArrayView s, qsizetype& pos, QByteArrayView what)
{
    if (s.size() - pos < what.size() || s.sliced(pos, what.size()) != what)
        return false;
    pos += what.size();
    return true;
}
} // namespace

bool PushLatencyTracker::parse(QByteArrayView payload, qint64* seq, qint64* timeMs)
{
    qsizetype pos = 0;
    if (expect(payload, pos, "{\"seq\":"))
        return readNumber(payload, pos, seq) && expect(payload, pos, ",\"time\":") && readNumber(payload, pos, timeMs);
    pos = 0;
    return expect(payload, pos, "#") && readNumber(payload, pos, seq) && expect(payload, pos, " ")
        && readNumber(payload, pos, timeMs) && payload.size() - pos >= 0;
}

void PushLatencyTracker::add(const LogBatch& batch)
{
    for (const LogEntry& e : batch) {
        if (e.kind != LogEntry::Kind::Text || e.dir != Direction::Receive)
            continue;
        qint64 seq = 0, time = 0;
        if (parse(e.payload, &seq, &time) && time > 1000000000000) // a Unix time in ms, not a count
            m_stats.add(std::max<qint64>(0, e.timeUs / 1000 - time));
    }
}

} // namespace wsi
