#include "logfiltermodel.h"

#include "log/messagelogmodel.h"

#include <algorithm>
#include <vector>

namespace wsi {

using namespace MessageLogModelDefs;

namespace {
constexpr qint64 kPublishMs = 100;
}

LogFilterModel::LogFilterModel(QObject* parent)
    : QAbstractTableModel(parent)
    , m_matcher(std::make_unique<LogMatcher>(LogFilter {}))
{
    m_sliceTimer.setSingleShot(true);
    m_sliceTimer.setInterval(0);
    connect(&m_sliceTimer, &QTimer::timeout, this, &LogFilterModel::scanSlice);
    m_displayTimer.setSingleShot(true);
    connect(&m_displayTimer, &QTimer::timeout, this, &LogFilterModel::onDisplayTimer);
}

LogFilterModel::~LogFilterModel() = default;

void LogFilterModel::setSourceModel(MessageLogModel* source)
{
    beginResetModel();
    for (const auto& c : std::as_const(m_connections))
        disconnect(c);
    m_connections.clear();
    m_source = source;
    if (source) {
        m_connections = {
            connect(source, &QAbstractItemModel::rowsInserted, this, &LogFilterModel::onSourceInserted),
            connect(source, &QAbstractItemModel::rowsAboutToBeRemoved, this,
                [this](const QModelIndex&, int first, int last) { onSourceAboutToRemove(first, last); }),
            connect(source, &QAbstractItemModel::rowsRemoved, this, &LogFilterModel::onSourceRemoved),
            connect(source, &QAbstractItemModel::modelAboutToBeReset, this, &LogFilterModel::onSourceAboutToReset),
            connect(source, &QAbstractItemModel::modelReset, this, &LogFilterModel::onSourceReset),
            connect(source, &QAbstractItemModel::dataChanged, this, &LogFilterModel::onSourceDataChanged),
        };
    }
    m_matches.clear();
    m_unpublished.clear();
    m_pauseEnd = source ? source->endSerial() : 0;
    m_shownEnd = scanLimit();
    m_scanSerial = m_filter.isActive() && source ? source->firstSerial() : scanLimit();
    endResetModel();
    if (m_scanSerial < scanLimit())
        scanSlice();
}

qint64 LogFilterModel::scanLimit() const
{
    if (!m_source)
        return 0;
    return m_paused ? std::max(m_pauseEnd, m_source->firstSerial()) : m_source->endSerial();
}

int LogFilterModel::rowCount(const QModelIndex& parent) const
{
    if (parent.isValid() || !m_source)
        return 0;
    if (mapped())
        return int(m_matches.size());
    return int(std::max<qint64>(0, m_shownEnd - m_source->firstSerial()));
}

int LogFilterModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

qint64 LogFilterModel::serialAt(int row) const
{
    if (!m_source || row < 0)
        return -1;
    if (mapped())
        return size_t(row) < m_matches.size() ? m_matches[size_t(row)] : -1;
    return m_source->firstSerial() + row;
}

int LogFilterModel::mapToSource(int row) const
{
    const qint64 serial = serialAt(row);
    if (serial < 0)
        return -1;
    const qint64 sourceRow = serial - m_source->firstSerial();
    return sourceRow >= 0 && sourceRow < m_source->rowCount() ? int(sourceRow) : -1;
}

int LogFilterModel::rowForSerial(qint64 serial) const
{
    if (!m_source || serial < m_source->firstSerial())
        return -1;
    if (mapped()) {
        const auto it = std::lower_bound(m_matches.begin(), m_matches.end(), serial);
        return it != m_matches.end() && *it == serial ? int(it - m_matches.begin()) : -1;
    }
    return serial < m_shownEnd ? int(serial - m_source->firstSerial()) : -1;
}

int LogFilterModel::mapFromSource(int sourceRow) const
{
    return m_source ? rowForSerial(m_source->firstSerial() + sourceRow) : -1;
}

QVariant LogFilterModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int sourceRow = mapToSource(index.row());
    if (sourceRow < 0)
        return {};
    return m_source->data(m_source->index(sourceRow, index.column()), role);
}

QVariant LogFilterModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    return m_source ? m_source->headerData(section, orientation, role) : QVariant();
}

QString LogFilterModel::filterError() const
{
    return m_matcher ? m_matcher->errorString() : QString();
}

void LogFilterModel::setFilter(const LogFilter& filter)
{
    if (filter == m_filter && m_matcher)
        return;
    const bool wasMapped = mapped();
    m_filter = filter;
    const bool reset = wasMapped || mapped();
    if (reset)
        beginResetModel();
    m_matcher = std::make_unique<LogMatcher>(m_filter);
    m_matches.clear();
    m_unpublished.clear();
    m_shownEnd = scanLimit();
    m_scanSerial = m_filter.isActive() && m_source ? m_source->firstSerial() : scanLimit();
    if (reset)
        endResetModel();
    else if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, PreviewColumn), index(rowCount() - 1, PreviewColumn)); // highlights
    restartScan();
}

void LogFilterModel::restartScan()
{
    m_scanClock.start();
    m_publishClock.invalidate();
    m_scanReported = false;
    Q_EMIT matchCountChanged(0);
    scanSlice();
}

void LogFilterModel::setHideNonMatching(bool hide)
{
    if (hide == m_hide)
        return;
    beginResetModel();
    m_hide = hide;
    m_matches.insert(m_matches.end(), m_unpublished.begin(), m_unpublished.end());
    m_unpublished.clear();
    m_shownEnd = scanLimit();
    endResetModel();
}

void LogFilterModel::setPaused(bool paused)
{
    if (paused == m_paused)
        return;
    m_paused = paused;
    if (paused) {
        m_pauseEnd = m_source ? m_source->endSerial() : 0;
        return;
    }
    showNewRows(); // what arrived meanwhile, in one insertion, at once
    onSourceInserted();
    Q_EMIT pendingRowCountChanged(0);
}

qint64 LogFilterModel::pendingRowCount() const
{
    if (!m_paused || !m_source)
        return 0;
    return m_source->endSerial() - std::max(m_pauseEnd, m_source->firstSerial());
}

void LogFilterModel::scanSlice()
{
    m_sliceTimer.stop();
    if (!m_source)
        return;
    const qint64 limit = scanLimit();
    const qint64 first = m_source->firstSerial();
    m_scanSerial = std::max(m_scanSerial, first);
    if (m_filter.isActive() && m_scanSerial < limit) {
        const LogStore& store = m_source->store();
        std::vector<qint64> found;
        QElapsedTimer clock;
        clock.start();
        // Check the clock every few thousand rows: cheap, and keeps a slice near its budget.
        while (m_scanSerial < limit) {
            const qint64 stop = std::min(limit, m_scanSerial + 2048);
            for (qint64 s = m_scanSerial; s < stop; ++s) {
                const LogStore::Record& r = store.record(s - first);
                if (m_matcher->matches(r, store.payload(r)))
                    found.push_back(s);
            }
            m_scanSerial = stop;
            if (clock.elapsed() >= m_sliceBudgetMs)
                break;
        }
        m_unpublished.insert(m_unpublished.end(), found.begin(), found.end());
    } else if (!m_filter.isActive()) {
        m_scanSerial = limit;
    }
    if (m_scanSerial < limit) {
        if (!m_publishClock.isValid() || m_publishClock.elapsed() >= kPublishMs)
            publish();
    } else if (!m_scanReported || displayDue()) {
        publish();
    } else if (!m_unpublished.empty()) {
        scheduleDisplay();
    }
    if (m_scanSerial < limit) {
        m_sliceTimer.start(); // yield to the event loop, continue right after
    } else if (!m_scanReported) {
        m_scanReported = true;
        Q_EMIT filterFinished(m_scanClock.elapsed());
    }
}

void LogFilterModel::publish()
{
    m_publishClock.start();
    m_displayClock.start();
    if (m_unpublished.empty())
        return;
    const bool insert = mapped();
    const int at = int(m_matches.size());
    if (insert)
        beginInsertRows({}, at, at + int(m_unpublished.size()) - 1);
    m_matches.insert(m_matches.end(), m_unpublished.begin(), m_unpublished.end());
    m_unpublished.clear();
    if (insert)
        endInsertRows();
    Q_EMIT matchCountChanged(qint64(m_matches.size()));
}

bool LogFilterModel::displayDue() const
{
    return m_displayIntervalMs <= 0 || !m_displayClock.isValid() || m_displayClock.elapsed() >= m_displayIntervalMs;
}

void LogFilterModel::scheduleDisplay()
{
    if (!m_displayTimer.isActive())
        m_displayTimer.start(int(std::max<qint64>(0, m_displayIntervalMs - m_displayClock.elapsed())));
}

void LogFilterModel::showNewRows()
{
    m_displayClock.start();
    if (!m_source || m_paused || mapped())
        return;
    const qint64 end = m_source->endSerial();
    const qint64 from = std::max(m_shownEnd, m_source->firstSerial());
    if (end > from) {
        const int at = rowCount();
        beginInsertRows({}, at, at + int(end - from) - 1);
        m_shownEnd = end;
        endInsertRows();
    }
}

void LogFilterModel::onDisplayTimer()
{
    showNewRows();
    publish();
}

void LogFilterModel::onSourceInserted()
{
    if (!m_source)
        return;
    if (!m_paused && !mapped()) {
        if (displayDue())
            showNewRows();
        else
            scheduleDisplay();
    }
    if (m_paused)
        Q_EMIT pendingRowCountChanged(pendingRowCount());
    // A scan already in progress continues from its timer; otherwise look at the new rows now.
    if (!m_sliceTimer.isActive())
        scanSlice();
}

void LogFilterModel::onSourceAboutToRemove(int first, int last)
{
    Q_UNUSED(first); // the source only ever removes from the front
    const qint64 newFirst = m_source->firstSerial() + last + 1;
    qint64 rows = 0;
    if (mapped())
        rows = std::lower_bound(m_matches.begin(), m_matches.end(), newFirst) - m_matches.begin();
    else
        rows = std::max<qint64>(0, std::min(m_shownEnd, newFirst) - m_source->firstSerial());
    m_pendingRemove = rows;
    if (rows > 0)
        beginRemoveRows({}, 0, int(rows) - 1);
}

void LogFilterModel::onSourceRemoved()
{
    const qint64 newFirst = m_source->firstSerial();
    const auto keep = std::lower_bound(m_matches.begin(), m_matches.end(), newFirst);
    const bool matchesDropped = keep != m_matches.begin();
    m_matches.erase(m_matches.begin(), keep);
    m_unpublished.erase(m_unpublished.begin(), std::lower_bound(m_unpublished.begin(), m_unpublished.end(), newFirst));
    m_shownEnd = std::max(m_shownEnd, newFirst);
    m_scanSerial = std::max(m_scanSerial, newFirst);
    if (m_pendingRemove > 0)
        endRemoveRows();
    m_pendingRemove = 0;
    if (matchesDropped)
        Q_EMIT matchCountChanged(qint64(m_matches.size()));
}

void LogFilterModel::onSourceAboutToReset()
{
    beginResetModel();
}

void LogFilterModel::onSourceReset()
{
    m_matches.clear();
    m_unpublished.clear();
    m_pauseEnd = m_source->endSerial();
    m_shownEnd = m_source->endSerial();
    m_scanSerial = m_source->endSerial();
    endResetModel();
    Q_EMIT matchCountChanged(0);
    Q_EMIT pendingRowCountChanged(pendingRowCount());
}

void LogFilterModel::onSourceDataChanged(
    const QModelIndex& topLeft, const QModelIndex& bottomRight, const QList<int>& roles)
{
    if (rowCount() == 0)
        return;
    Q_EMIT dataChanged(index(0, topLeft.column()), index(rowCount() - 1, bottomRight.column()), roles);
}

int LogFilterModel::nextMatchRow(int row, bool forward) const
{
    if (!m_source || !m_filter.isActive() || m_matches.empty())
        return -1;
    if (mapped()) {
        const int n = rowCount();
        if (row < 0)
            return forward ? 0 : n - 1;
        return forward ? (row + 1) % n : (row - 1 + n) % n;
    }
    const qint64 serial = row < 0 ? (forward ? m_source->firstSerial() - 1 : m_shownEnd) : serialAt(row);
    auto it = forward ? std::upper_bound(m_matches.begin(), m_matches.end(), serial)
                      : std::lower_bound(m_matches.begin(), m_matches.end(), serial);
    if (forward) {
        if (it == m_matches.end())
            it = m_matches.begin();
    } else {
        it = it == m_matches.begin() ? m_matches.end() - 1 : it - 1;
    }
    return rowForSerial(*it);
}

} // namespace wsi
