#pragma once

#include "log/logfilter.h"
#include "log/messagelogmodel.h"

#include <QAbstractTableModel>
#include <QElapsedTimer>
#include <QPointer>
#include <QTimer>

#include <deque>
#include <memory>

namespace wsi {

// What the log view shows of a MessageLogModel: all rows, or only the rows a LogFilter accepts,
// and nothing newer than the pause point while the display is paused (capture goes on in the
// source). Filtering runs incrementally on the UI thread in time slices of a few milliseconds, so
// a new filter over millions of rows never freezes the window; matching rows appear as they are
// found. Rows are tracked by serial number, so eviction in the source only trims the front.
class LogFilterModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    explicit LogFilterModel(QObject* parent = nullptr);
    ~LogFilterModel() override;

    void setSourceModel(MessageLogModel* source);
    MessageLogModel* sourceModel() const { return m_source; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setFilter(const LogFilter& filter);
    const LogFilter& filter() const { return m_filter; }
    // Empty when the filter can be used; otherwise the message to show next to the field.
    QString filterError() const;
    // true (default): non-matching rows are hidden. false: all rows stay, matches are highlighted
    // and reachable with next/previous.
    void setHideNonMatching(bool hide);
    bool hideNonMatching() const { return m_hide; }

    // Pausing freezes what the view shows; the source keeps receiving.
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    // Rows received while paused that are not yet shown.
    qint64 pendingRowCount() const;

    // true while a filter is still being applied to older rows.
    bool isScanning() const { return m_scanSerial < scanLimit(); }
    qint64 matchCount() const { return qint64(m_matches.size()); }
    // Serial numbers of the rows the filter accepts so far, ascending.
    const std::deque<qint64>& matches() const { return m_matches; }
    const LogMatcher* matcher() const { return m_matcher.get(); }

    int mapToSource(int row) const;
    int mapFromSource(int sourceRow) const;
    qint64 serialAt(int row) const;
    int rowForSerial(qint64 serial) const; // -1 if not shown
    // The row of the next (or previous) match after (before) `row`; -1 if none. Wraps around.
    int nextMatchRow(int row, bool forward) const;
    // New rows reach the view at most this often (0 = at once, the default). While a flood
    // arrives every ~30 ms, each insertion costs the view a layout and a full repaint; the log
    // panel uses 100 ms, which a reader cannot tell from live.
    void setDisplayIntervalMs(int ms) { m_displayIntervalMs = ms; }
    // Time budget of one filter slice on the UI thread.
    void setSliceBudgetMs(int ms) { m_sliceBudgetMs = ms; }

Q_SIGNALS:
    // The filter has been applied to every row received so far (elapsedMs since setFilter()).
    void filterFinished(qint64 elapsedMs);
    void matchCountChanged(qint64 count);
    void pendingRowCountChanged(qint64 count);

private:
    bool mapped() const { return m_hide && m_filter.isActive(); }
    qint64 scanLimit() const;
    void scanSlice();
    void restartScan();
    void publish();
    bool displayDue() const;
    void scheduleDisplay();
    void showNewRows();
    void onDisplayTimer();
    void onSourceInserted();
    void onSourceAboutToRemove(int first, int last);
    void onSourceRemoved();
    void onSourceAboutToReset();
    void onSourceReset();
    void onSourceDataChanged(const QModelIndex& topLeft, const QModelIndex& bottomRight, const QList<int>& roles);

    QPointer<MessageLogModel> m_source;
    QList<QMetaObject::Connection> m_connections;
    LogFilter m_filter;
    std::unique_ptr<LogMatcher> m_matcher;
    bool m_hide = true;
    bool m_paused = false;
    qint64 m_pauseEnd = 0; // source end serial when the display was paused
    qint64 m_shownEnd = 0; // unfiltered display: rows [source first, m_shownEnd) are shown
    qint64 m_scanSerial = 0; // the filter has looked at every serial below this
    std::deque<qint64> m_matches;
    // Matches found but not yet shown: a long rescan publishes at most every kPublishMs, because
    // every insertion makes the view repaint and that, not the matching, dominated the time.
    std::vector<qint64> m_unpublished;
    QElapsedTimer m_publishClock;
    int m_displayIntervalMs = 0;
    QTimer m_displayTimer;
    QElapsedTimer m_displayClock;
    qint64 m_pendingRemove = 0;
    bool m_scanReported = true;
    int m_sliceBudgetMs = 10; // leaves room for a repaint and a loaded machine under the 50 ms target
    QTimer m_sliceTimer;
    QElapsedTimer m_scanClock;
};

} // namespace wsi
