#pragma once

#include "log/messagelogmodel.h"

#include <QPointer>
#include <QTimer>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableView;
class QToolButton;

namespace wsi {

class LogDelegate;
class LogFilterModel;
class LogStatsPanel;
class Session;

// The live log of a session: filter bar, the virtualized table (follows the tail unless the user
// scrolled away, then offers "N new — jump to latest"), pause/resume of the display, time format,
// the evicted-rows counter and the statistics.
class LogPanel : public QWidget
{
    Q_OBJECT
public:
    LogDelegate* delegate() const { return m_delegate; }
    explicit LogPanel(MessageLogModel* model, QWidget* parent = nullptr);
    ~LogPanel() override;

    QTableView* view() const { return m_view; }
    MessageLogModel* model() const { return m_model; }
    LogFilterModel* filterModel() const { return m_filterModel; }
    LogStatsPanel* statsPanel() const { return m_stats; }
    void setSession(Session* session);

    // Row in the MessageLogModel of a row of the view (-1 if none).
    int sourceRow(int viewRow) const;
    bool isFollowingTail() const { return m_follow; }
    qint64 newRowsSinceScrolledAway() const { return m_newRows; }
    void jumpToLatest();
    void setPaused(bool paused);
    bool isPaused() const;
    // Moves the current row to the next/previous match of the filter.
    void findNext(bool forward);

protected:
    // Rows follow the font (presentation mode and zoom change the application font).
    void changeEvent(QEvent* event) override;

private:
    void applyFilter();
    void onRowsAboutToBeInserted();
    void onRowsInserted(int first, int last);
    void onScrolled(int value);
    void updateJumpButton();
    void updateStatus();
    void updateEvicted(qint64 count);

    QPointer<MessageLogModel> m_model; // the session view may delete it first
    LogFilterModel* m_filterModel = nullptr;
    QTableView* m_view = nullptr;
    LogDelegate* m_delegate = nullptr;
    LogStatsPanel* m_stats = nullptr;

    QLineEdit* m_filterText = nullptr;
    QCheckBox* m_regex = nullptr;
    QCheckBox* m_caseSensitive = nullptr;
    QComboBox* m_direction = nullptr;
    QToolButton* m_kinds = nullptr;
    QSpinBox* m_minSize = nullptr;
    QSpinBox* m_maxSize = nullptr;
    QToolButton* m_sizes = nullptr; // the size range's menu
    QCheckBox* m_onlyMatching = nullptr;
    QToolButton* m_prevMatch = nullptr;
    QToolButton* m_nextMatch = nullptr;
    QLabel* m_filterStatus = nullptr;
    QComboBox* m_timeFormat = nullptr;
    QPushButton* m_pause = nullptr;
    QPushButton* m_jump = nullptr;
    QLabel* m_evicted = nullptr;
    QTimer m_filterDebounce;

    bool m_follow = true;
    bool m_scrolling = false; // our own scrolling, not the user's
    qint64 m_newRows = 0;
};

} // namespace wsi
