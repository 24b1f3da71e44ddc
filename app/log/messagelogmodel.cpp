#include "messagelogmodel.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace wsi {

using namespace MessageLogModelDefs;

MessageLogModel::MessageLogModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

MessageLogModel::~MessageLogModel() = default;

int MessageLogModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int MessageLogModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString MessageLogModel::preview(const LogEntry& entry, int maxChars)
{
    if (entry.kind == LogEntry::Kind::Binary) {
        QString hex = QString::fromLatin1(entry.payload.left(maxChars / 3).toHex(' '));
        if (entry.payload.size() > maxChars / 3)
            hex += u" …"_s;
        return hex;
    }
    if (entry.kind == LogEntry::Kind::Close) {
        QString text = entry.closeCode ? QString::number(entry.closeCode) : tr("(no code)");
        const QByteArray reason = entry.closeReason();
        if (!reason.isEmpty())
            text += u' ' + QString::fromUtf8(reason);
        return text;
    }
    QString text = QString::fromUtf8(entry.payload.left(maxChars * 4));
    if (entry.kind == LogEntry::Kind::Handshake) {
        const qsizetype eol = text.indexOf(u'\r');
        return eol < 0 ? text : text.left(eol);
    }
    QString out;
    out.reserve(std::min<qsizetype>(text.size(), maxChars) + 8);
    for (QChar c : std::as_const(text)) {
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

QVariant MessageLogModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const LogEntry& e = m_entries.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NumberColumn:
            return index.row() + 1;
        case TimeColumn: {
            switch (m_timeFormat) {
            case TimeFormat::Absolute:
                return QDateTime::fromMSecsSinceEpoch(e.timeUs / 1000).toString(u"hh:mm:ss.zzz"_s);
            case TimeFormat::RelativeToConnect:
                return u"+%1 s"_s.arg(double(e.timeUs - m_connectTimeUs) / 1e6, 0, 'f', 3);
            case TimeFormat::DeltaToPrevious: {
                const qint64 prev = index.row() > 0 ? m_entries.at(index.row() - 1).timeUs : e.timeUs;
                return u"+%1 ms"_s.arg(double(e.timeUs - prev) / 1e3, 0, 'f', 3);
            }
            }
            return {};
        }
        case DirectionColumn:
            return e.dir == Direction::Send ? u"↑"_s : e.dir == Direction::Receive ? u"↓"_s : u"•"_s;
        case TypeColumn:
            return kindName(e.kind);
        case SizeColumn:
            return e.isMessage() || e.isControl() ? QVariant(e.payload.size()) : QVariant();
        case PreviewColumn:
            return preview(e);
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == NumberColumn || index.column() == SizeColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case KindRole:
        return int(e.kind);
    case DirectionRole:
        return int(e.dir);
    case TimeUsRole:
        return e.timeUs;
    case PayloadRole:
        return e.payload;
    case CloseCodeRole:
        return int(e.closeCode);
    case FrameCountRole:
        return int(e.frames.size());
    case EntryRole:
        return QVariant::fromValue(e);
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
    const int first = int(m_entries.size());
    beginInsertRows({}, first, first + int(batch.size()) - 1);
    m_entries.append(batch);
    endInsertRows();
}

void MessageLogModel::clear()
{
    beginResetModel();
    m_entries.clear();
    endResetModel();
}

LogEntry MessageLogModel::entryAt(int row) const
{
    return m_entries.value(row);
}

void MessageLogModel::setTimeFormat(TimeFormat format)
{
    if (m_timeFormat == format)
        return;
    m_timeFormat = format;
    if (!m_entries.isEmpty())
        Q_EMIT dataChanged(index(0, TimeColumn), index(rowCount() - 1, TimeColumn));
}

} // namespace wsi
