#include "messagelogmodel.h"

#include <QLocale>

#include <QDateTime>
#include <QStringDecoder>

using namespace Qt::StringLiterals;

namespace wsi {

using namespace MessageLogModelDefs;

MessageLogModel::MessageLogModel(QObject* parent)
    : QAbstractTableModel(parent)
{ }

MessageLogModel::~MessageLogModel() = default;

int MessageLogModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_store.size());
}

int MessageLogModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

namespace {
// "312 B" below 1 KiB, then "1.2 KiB", "3.4 MiB".
QString sizeText(qint64 bytes)
{
    if (bytes < 1024)
        return MessageLogModel::tr("%1 B").arg(bytes);
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeIecFormat);
}

// Whether a ping or pong payload reads as text: valid UTF-8 with nothing unprintable. Random
// keep-alive bytes (4 of them from Python's websockets) would otherwise show as mojibake.
bool readableText(QByteArrayView payload)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder(payload);
    if (decoder.hasError())
        return false;
    for (QChar c : text) {
        switch (c.category()) {
        case QChar::Other_Control:
        case QChar::Other_Format:
        case QChar::Other_Surrogate:
        case QChar::Other_PrivateUse:
        case QChar::Other_NotAssigned:
            return false;
        default:
            break;
        }
    }
    return true;
}
} // namespace

QString MessageLogModel::preview(const LogEntry& entry, int maxChars)
{
    return preview(entry.kind, entry.closeCode, entry.payload, maxChars);
}

QString MessageLogModel::preview(LogEntry::Kind kind, quint16 closeCode, QByteArrayView payload, int maxChars)
{
    const bool control = kind == LogEntry::Kind::Ping || kind == LogEntry::Kind::Pong;
    if (kind == LogEntry::Kind::Binary || (control && !readableText(payload))) {
        const qsizetype shown = std::min<qsizetype>(payload.size(), maxChars / 3);
        QString hex = QString::fromLatin1(payload.first(shown).toByteArray().toHex(' '));
        if (payload.size() > shown)
            hex += u" …"_s;
        return hex;
    }
    if (kind == LogEntry::Kind::Close) {
        QString text = closeCode ? QString::number(closeCode) : tr("(no code)");
        if (payload.size() > 2)
            text += u' '
                + QString::fromUtf8(payload.sliced(2).first(std::min<qsizetype>(payload.size() - 2, maxChars * 4)));
        return text;
    }
    const QString text = QString::fromUtf8(payload.first(std::min<qsizetype>(payload.size(), qsizetype(maxChars) * 4)));
    if (kind == LogEntry::Kind::Handshake) {
        const qsizetype eol = text.indexOf(u'\r');
        return eol < 0 ? text : text.left(eol);
    }
    QString out;
    out.reserve(std::min<qsizetype>(text.size(), maxChars) + 8);
    for (QChar c : text) {
        if (out.size() >= maxChars) {
            out += u'…';
            break;
        }
        const char16_t u = c.unicode();
        if (u == u'\n')
            out += u"\\n"_s;
        else if (u == u'\r')
            out += u"\\r"_s;
        else if (u == u'\t')
            out += u"\\t"_s;
        else if (u < 0x20 || u == 0x7f)
            out += u"\\x%1"_s.arg(int(u), 2, 16, QLatin1Char('0'));
        else
            out += c;
    }
    return out;
}

QString MessageLogModel::timeText(qint64 row) const
{
    const LogStore::Record& r = m_store.record(row);
    switch (m_timeFormat) {
    case TimeFormat::Absolute:
        return QDateTime::fromMSecsSinceEpoch(r.timeUs / 1000).time().toString(u"hh:mm:ss.zzz"_s);
    case TimeFormat::RelativeToConnect: {
        const qint64 base
            = m_connectTimeUs ? m_connectTimeUs : (m_store.isEmpty() ? r.timeUs : m_store.record(0).timeUs);
        return u"+%1 s"_s.arg(double(r.timeUs - base) / 1e6, 0, 'f', 3);
    }
    case TimeFormat::DeltaToPrevious: {
        const qint64 prev
            = row > 0 ? m_store.record(row - 1).timeUs : (m_lastEvictedTimeUs ? m_lastEvictedTimeUs : r.timeUs);
        return u"+%1 ms"_s.arg(double(r.timeUs - prev) / 1e3, 0, 'f', 3);
    }
    }
    return {};
}

QVariant MessageLogModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const qint64 row = index.row();
    const LogStore::Record& r = m_store.record(row);
    const bool sized = r.kind <= LogEntry::Kind::Close;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NumberColumn:
            return m_store.evictedRows() + row + 1;
        case TimeColumn:
            return timeText(row);
        case DirectionColumn:
            return r.dir == Direction::Send ? u"↑"_s : r.dir == Direction::Receive ? u"↓"_s : u"•"_s;
        case TypeColumn:
            return kindName(r.kind);
        case SizeColumn:
            if (const qint64 wire = sized ? m_store.compressedWireLength(r) : -1; wire >= 0) {
                // permessage-deflate: the wire size, then the inflated one ("312 B → 1.2 KiB").
                return tr("%1 → %2").arg(sizeText(wire), sizeText(r.length));
            }
            return sized ? QVariant(qsizetype(r.length)) : QVariant();
        case PreviewColumn:
            return preview(r.kind, r.closeCode, m_store.payload(r));
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == NumberColumn || index.column() == SizeColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        if (index.column() == DirectionColumn)
            return QVariant(Qt::AlignCenter);
        return {};
    case Qt::ToolTipRole:
        if (index.column() == DirectionColumn)
            return r.dir == Direction::Send   ? tr("Sent")
                : r.dir == Direction::Receive ? tr("Received")
                                              : tr("Local event");
        if (index.column() == SizeColumn && sized) {
            if (const qint64 wire = m_store.compressedWireLength(r); wire >= 0)
                return QString(tr("Compressed (permessage-deflate): %n byte(s) on the wire", nullptr, int(wire)) + u'\n'
                    + tr("%n byte(s) inflated", nullptr, int(r.length)));
        }
        return {};
    case WireSizeRole:
        if (!sized)
            return qint64(0);
        if (const qint64 wire = m_store.compressedWireLength(r); wire >= 0)
            return wire;
        return qint64(r.length);
    case KindRole:
        return int(r.kind);
    case DirectionRole:
        return int(r.dir);
    case TimeUsRole:
        return r.timeUs;
    case PayloadRole:
        return m_store.payload(r).toByteArray();
    case CloseCodeRole:
        return int(r.closeCode);
    case FrameCountRole:
        return int(r.frameCount);
    case EntryRole:
        return QVariant::fromValue(m_store.entry(row));
    case SerialRole:
        return m_store.firstSerial() + row;
    case SizeRole:
        return qint64(r.length);
    }
    return {};
}

QVariant MessageLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NumberColumn:
        return tr("#");
    case TimeColumn:
        return tr("Time");
    case DirectionColumn:
        return tr("Dir");
    case TypeColumn:
        return tr("Type");
    case SizeColumn:
        return tr("Size");
    case PreviewColumn:
        return tr("Preview");
    }
    return {};
}

void MessageLogModel::appendBatch(const LogBatch& batch)
{
    if (batch.isEmpty())
        return;
    const int first = rowCount();
    beginInsertRows({}, first, first + int(batch.size()) - 1);
    for (const LogEntry& e : batch)
        m_store.append(e);
    endInsertRows();
    evictToCap();
}

void MessageLogModel::evictToCap()
{
    const qint64 rows = m_store.rowsToEvictForCap();
    if (rows <= 0)
        return;
    m_lastEvictedTimeUs = m_store.record(rows - 1).timeUs;
    beginRemoveRows({}, 0, int(rows) - 1);
    m_store.evictFront(rows);
    endRemoveRows();
    Q_EMIT evictedRowCountChanged(m_store.evictedRows());
}

void MessageLogModel::setMemoryCap(qint64 bytes)
{
    m_store.setMemoryCap(bytes);
    evictToCap();
}

void MessageLogModel::clear()
{
    beginResetModel();
    m_store.clear();
    m_lastEvictedTimeUs = 0;
    endResetModel();
    Q_EMIT evictedRowCountChanged(0);
}

LogEntry MessageLogModel::entryAt(int row) const
{
    return m_store.entry(row);
}

void MessageLogModel::setConnectTimeUs(qint64 us)
{
    if (m_connectTimeUs == us)
        return;
    m_connectTimeUs = us;
    if (m_timeFormat == TimeFormat::RelativeToConnect && rowCount() > 0)
        Q_EMIT dataChanged(index(0, TimeColumn), index(rowCount() - 1, TimeColumn), { Qt::DisplayRole });
}

void MessageLogModel::setTimeFormat(TimeFormat format)
{
    if (m_timeFormat == format)
        return;
    m_timeFormat = format;
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, TimeColumn), index(rowCount() - 1, TimeColumn), { Qt::DisplayRole });
}

} // namespace wsi
