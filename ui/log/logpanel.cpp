#include "logpanel.h"

#include <QEvent>

#include "log/logfiltermodel.h"
#include "log/messagelogmodel.h"
#include "logdelegate.h"
#include "logstatspanel.h"
#include "style/style.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QPushButton>
#include <QScopedValueRollback>
#include <QScrollBar>
#include <QSpinBox>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>
#include <QWidgetAction>

using namespace Qt::StringLiterals;

namespace wsi {

using namespace MessageLogModelDefs;

LogPanel::LogPanel(MessageLogModel* model, QWidget* parent)
    : QWidget(parent)
    , m_model(model)
    , m_filterModel(new LogFilterModel(this))
    , m_view(new QTableView(this))
    , m_stats(new LogStatsPanel(model, this))
    , m_filterText(new QLineEdit(this))
    , m_regex(new QCheckBox(tr("Regex"), this))
    , m_caseSensitive(new QCheckBox(tr("Aa"), this))
    , m_direction(new QComboBox(this))
    , m_kinds(new QToolButton(this))
    , m_minSize(new QSpinBox(this))
    , m_maxSize(new QSpinBox(this))
    , m_sizes(new QToolButton(this))
    , m_onlyMatching(new QCheckBox(tr("Only matching"), this))
    , m_prevMatch(new QToolButton(this))
    , m_nextMatch(new QToolButton(this))
    , m_filterStatus(new QLabel(this))
    , m_timeFormat(new QComboBox(this))
    , m_pause(new QPushButton(tr("Pause display"), this))
    , m_jump(new QPushButton(this))
    , m_evicted(new QLabel(this))
{
    m_filterModel->setSourceModel(model);
    m_filterModel->setDisplayIntervalMs(100);
    m_delegate = new LogDelegate(m_filterModel, this);

    m_view->setObjectName(u"logView"_s);
    m_view->setModel(m_filterModel);
    m_view->setItemDelegate(m_delegate);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->verticalHeader()->hide();
    // Uniform, fixed row heights: the view never measures rows, so millions cost nothing to lay out.
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_view->setColumnWidth(NumberColumn, 64);
    m_view->setColumnWidth(TimeColumn, 100);
    m_view->setColumnWidth(DirectionColumn, 36);
    m_view->setColumnWidth(TypeColumn, m_view->fontMetrics().horizontalAdvance(u"handshake"_s) + 16);
    m_view->setColumnWidth(SizeColumn, 70);

    m_filterText->setObjectName(u"filterText"_s);
    m_filterText->setPlaceholderText(tr("Filter"));
    m_filterText->setToolTip(tr("Filter: text or regular expression"));
    m_filterText->setClearButtonEnabled(true);
    m_filterText->setMinimumWidth(m_filterText->fontMetrics().averageCharWidth() * 12);
    m_regex->setObjectName(u"filterRegex"_s);
    m_caseSensitive->setObjectName(u"filterCase"_s);
    m_caseSensitive->setToolTip(tr("Match case"));
    m_direction->setObjectName(u"filterDirection"_s);
    m_direction->addItem(tr("Both ways"), LogFilter::kAllDirections);
    m_direction->addItem(tr("↓ Received"), 1u << quint32(Direction::Receive));
    m_direction->addItem(tr("↑ Sent"), 1u << quint32(Direction::Send));
    m_direction->addItem(tr("• Local"), 1u << quint32(Direction::None));
    m_kinds->setObjectName(u"filterKinds"_s);
    m_kinds->setText(tr("Types"));
    m_kinds->setPopupMode(QToolButton::InstantPopup);
    auto* kindMenu = new QMenu(m_kinds);
    for (int k = 0; k <= int(LogEntry::Kind::Info); ++k) {
        QAction* a = kindMenu->addAction(kindName(LogEntry::Kind(k)));
        a->setCheckable(true);
        a->setChecked(true);
        a->setData(k);
        connect(a, &QAction::toggled, this, &LogPanel::applyFilter);
    }
    m_kinds->setMenu(kindMenu);
    m_minSize->setObjectName(u"filterMinSize"_s);
    m_minSize->setRange(0, std::numeric_limits<int>::max());
    m_minSize->setPrefix(tr("≥ "));
    m_minSize->setSuffix(tr(" B"));
    m_minSize->setToolTip(tr("Smallest payload shown"));

    m_maxSize->setObjectName(u"filterMaxSize"_s);
    m_maxSize->setRange(-1, std::numeric_limits<int>::max());
    m_maxSize->setValue(-1);
    m_maxSize->setSpecialValueText(tr("no max"));
    m_maxSize->setPrefix(tr("≤ "));
    m_maxSize->setSuffix(tr(" B"));
    m_maxSize->setToolTip(tr("Largest payload shown"));
    // The size range waits in a menu: the filter row must fit a small screen.
    m_sizes->setObjectName(u"filterSizes"_s);
    m_sizes->setText(tr("Size"));
    m_sizes->setPopupMode(QToolButton::InstantPopup);
    m_sizes->setToolTip(tr("Show only payloads within a size range"));
    auto* sizeMenu = new QMenu(m_sizes);
    auto* sizeBox = new QWidget(sizeMenu);
    auto* sizeLayout = new QHBoxLayout(sizeBox);
    sizeLayout->addWidget(m_minSize);
    sizeLayout->addWidget(m_maxSize);
    auto* sizeAction = new QWidgetAction(sizeMenu);
    sizeAction->setDefaultWidget(sizeBox);
    sizeMenu->addAction(sizeAction);
    m_sizes->setMenu(sizeMenu);
    m_onlyMatching->setObjectName(u"filterOnlyMatching"_s);
    m_onlyMatching->setChecked(true);
    m_onlyMatching->setToolTip(tr("Hide rows that do not match; otherwise matches are highlighted among all rows."));
    m_prevMatch->setObjectName(u"previousMatch"_s);
    m_prevMatch->setArrowType(Qt::UpArrow);
    m_prevMatch->setToolTip(tr("Previous match (Shift+F3)"));
    m_prevMatch->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F3));
    m_nextMatch->setObjectName(u"nextMatch"_s);
    m_nextMatch->setArrowType(Qt::DownArrow);
    m_nextMatch->setToolTip(tr("Next match (F3)"));
    m_nextMatch->setShortcut(QKeySequence(Qt::Key_F3));
    m_filterStatus->setObjectName(u"filterStatus"_s);

    m_timeFormat->setObjectName(u"timeFormat"_s);
    m_timeFormat->addItem(tr("Clock time"), int(TimeFormat::Absolute));
    m_timeFormat->addItem(tr("Since connect"), int(TimeFormat::RelativeToConnect));
    m_timeFormat->addItem(tr("Since previous"), int(TimeFormat::DeltaToPrevious));
    m_pause->setObjectName(u"pauseButton"_s);
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Freeze the table; messages are still captured and appear on resume."));
    m_jump->setObjectName(u"jumpToLatest"_s);
    m_jump->hide();
    m_evicted->setObjectName(u"evictedLabel"_s);
    m_evicted->hide();

    auto* filterBar = new QHBoxLayout;
    filterBar->addWidget(m_filterText, 1);
    filterBar->addWidget(m_regex);
    filterBar->addWidget(m_caseSensitive);
    filterBar->addWidget(m_direction);
    filterBar->addWidget(m_kinds);
    filterBar->addWidget(m_sizes);
    filterBar->addWidget(m_onlyMatching);
    filterBar->addWidget(m_prevMatch);
    filterBar->addWidget(m_nextMatch);

    auto* bottomBar = new QHBoxLayout;
    bottomBar->addWidget(m_filterStatus);
    bottomBar->addWidget(m_evicted);
    bottomBar->addStretch();
    bottomBar->addWidget(m_jump);
    bottomBar->addWidget(new QLabel(tr("Time"), this));
    bottomBar->addWidget(m_timeFormat);
    bottomBar->addWidget(m_pause);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(filterBar);
    auto* middle = new QHBoxLayout; // the statistics beside the log, which keeps its height for rows
    middle->addWidget(m_view, 1);
    middle->addWidget(m_stats);
    layout->addLayout(middle, 1);
    layout->addLayout(bottomBar);

    m_filterDebounce.setSingleShot(true);
    m_filterDebounce.setInterval(150);
    connect(&m_filterDebounce, &QTimer::timeout, this, &LogPanel::applyFilter);
    connect(m_filterText, &QLineEdit::textChanged, &m_filterDebounce, qOverload<>(&QTimer::start));
    connect(m_filterText, &QLineEdit::returnPressed, this, &LogPanel::applyFilter);
    for (QCheckBox* box : { m_regex, m_caseSensitive })
        connect(box, &QCheckBox::toggled, this, &LogPanel::applyFilter);
    connect(m_onlyMatching, &QCheckBox::toggled, this, [this](bool on) {
        m_filterModel->setHideNonMatching(on);
        if (m_follow)
            jumpToLatest();
    });
    connect(m_direction, &QComboBox::currentIndexChanged, this, &LogPanel::applyFilter);
    connect(m_minSize, &QSpinBox::valueChanged, &m_filterDebounce, qOverload<>(&QTimer::start));
    connect(m_maxSize, &QSpinBox::valueChanged, &m_filterDebounce, qOverload<>(&QTimer::start));
    connect(m_prevMatch, &QToolButton::clicked, this, [this] { findNext(false); });
    connect(m_nextMatch, &QToolButton::clicked, this, [this] { findNext(true); });
    connect(m_timeFormat, &QComboBox::currentIndexChanged, this,
        [this] { m_model->setTimeFormat(TimeFormat(m_timeFormat->currentData().toInt())); });
    connect(m_pause, &QPushButton::toggled, this, &LogPanel::setPaused);
    connect(m_jump, &QPushButton::clicked, this, &LogPanel::jumpToLatest);

    connect(m_filterModel, &QAbstractItemModel::rowsInserted, this,
        [this](const QModelIndex&, int first, int last) { onRowsInserted(first, last); });
    connect(m_filterModel, &QAbstractItemModel::rowsRemoved, this, [this](const QModelIndex&, int first, int last) {
        // Eviction removes rows above what the user reads: keep the same rows in sight.
        if (!m_follow && first == 0) {
            QScopedValueRollback guard(m_scrolling, true);
            QScrollBar* bar = m_view->verticalScrollBar();
            bar->setValue(std::max(0, bar->value() - (last + 1)));
        }
    });
    connect(m_filterModel, &QAbstractItemModel::modelReset, this, [this] {
        if (m_follow)
            jumpToLatest();
    });
    connect(m_filterModel, &LogFilterModel::matchCountChanged, this, &LogPanel::updateStatus);
    connect(m_filterModel, &LogFilterModel::filterFinished, this, &LogPanel::updateStatus);
    connect(m_filterModel, &LogFilterModel::pendingRowCountChanged, this, [this](qint64 pending) {
        m_pause->setText(m_filterModel->isPaused() ? tr("Resume display (%1 new)").arg(QLocale().toString(pending))
                                                   : tr("Pause display"));
    });
    connect(m_model, &MessageLogModel::evictedRowCountChanged, this, &LogPanel::updateEvicted);
    connect(m_view->verticalScrollBar(), &QScrollBar::valueChanged, this, &LogPanel::onScrolled);
}

LogPanel::~LogPanel()
{
    // ~QWidget closes children and models change after this body; nothing may call back in here.
    m_view->verticalScrollBar()->disconnect(this);
    m_filterModel->disconnect(this);
    if (m_model)
        m_model->disconnect(this);
}

void LogPanel::setSession(Session* session)
{
    m_stats->setSession(session);
}

int LogPanel::sourceRow(int viewRow) const
{
    return m_filterModel->mapToSource(viewRow);
}

void LogPanel::applyFilter()
{
    m_filterDebounce.stop();
    LogFilter f;
    f.text = m_filterText->text();
    f.regularExpression = m_regex->isChecked();
    f.caseSensitivity = m_caseSensitive->isChecked() ? Qt::CaseSensitive : Qt::CaseInsensitive;
    f.directions = m_direction->currentData().toUInt();
    f.kinds = 0;
    for (const QAction* a : m_kinds->menu()->actions()) {
        if (a->isChecked())
            f.kinds |= 1u << a->data().toUInt();
    }
    f.minSize = m_minSize->value();
    f.maxSize = m_maxSize->value();
    if (f.minSize > 0 && f.maxSize >= 0)
        m_sizes->setText(tr("%1–%2 B").arg(f.minSize).arg(f.maxSize));
    else if (f.minSize > 0)
        m_sizes->setText(m_minSize->prefix() + QString::number(f.minSize) + m_minSize->suffix());
    else if (f.maxSize >= 0)
        m_sizes->setText(m_maxSize->prefix() + QString::number(f.maxSize) + m_maxSize->suffix());
    else
        m_sizes->setText(tr("Size"));
    m_filterModel->setFilter(f);
    updateStatus();
}

void LogPanel::updateStatus()
{
    const QString error = m_filterModel->filterError();
    if (!error.isEmpty()) {
        m_filterStatus->setStyleSheet(Style::labelStyleSheet(Style::Tone::Bad, palette()));
        m_filterStatus->setText(error);
        return;
    }
    m_filterStatus->setStyleSheet({});
    if (!m_filterModel->filter().isActive()) {
        m_filterStatus->clear();
        return;
    }
    const QString count = QLocale().toString(m_filterModel->matchCount());
    m_filterStatus->setText(
        m_filterModel->isScanning() ? tr("Filtering… %1 matches so far").arg(count) : tr("%1 matches").arg(count));
}

void LogPanel::updateEvicted(qint64 count)
{
    m_evicted->setVisible(count > 0);
    m_evicted->setText(tr("%1 older rows not in view (memory cap)").arg(QLocale().toString(count)));
}

void LogPanel::onRowsInserted(int first, int last)
{
    if (m_follow) {
        QScopedValueRollback guard(m_scrolling, true);
        m_view->scrollToBottom();
        return;
    }
    m_newRows += last - first + 1;
    updateJumpButton();
}

void LogPanel::onScrolled(int value)
{
    if (m_scrolling)
        return;
    m_follow = value >= m_view->verticalScrollBar()->maximum();
    if (m_follow)
        m_newRows = 0;
    updateJumpButton();
}

void LogPanel::updateJumpButton()
{
    const bool show = !m_follow && m_newRows > 0;
    if (show)
        m_jump->setText(tr("%1 new — jump to latest").arg(QLocale().toString(m_newRows)));
    if (m_jump->isVisible() != show)
        m_jump->setVisible(show);
}

void LogPanel::jumpToLatest()
{
    {
        QScopedValueRollback guard(m_scrolling, true);
        m_view->scrollToBottom();
    }
    m_follow = true;
    m_newRows = 0;
    updateJumpButton();
}

void LogPanel::setPaused(bool paused)
{
    if (m_pause->isChecked() != paused)
        m_pause->setChecked(paused); // comes back here through toggled
    m_filterModel->setPaused(paused);
    m_pause->setText(paused ? tr("Resume display") : tr("Pause display"));
}

bool LogPanel::isPaused() const
{
    return m_filterModel->isPaused();
}

void LogPanel::findNext(bool forward)
{
    const int row = m_filterModel->nextMatchRow(m_view->currentIndex().row(), forward);
    if (row < 0)
        return;
    const QModelIndex index = m_filterModel->index(row, PreviewColumn);
    m_view->setCurrentIndex(index);
    m_view->scrollTo(index, QAbstractItemView::PositionAtCenter);
}

void LogPanel::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange) {
        const QFontMetrics metrics(font());
        m_view->verticalHeader()->setDefaultSectionSize(metrics.height() + 6);
        m_view->setColumnWidth(TypeColumn, metrics.horizontalAdvance(u"handshake"_s) + 16);
    }
}

} // namespace wsi
