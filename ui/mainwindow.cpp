#include "mainwindow.h"

#include "capture/capturedocuments.h"
#include "cli/clioptions.h"
#include "log/logstore.h"
#include "log/messagelogmodel.h"
#include "profiles/profileeditor.h"
#include "profiles/profilepanel.h"
#include "profiles/profilerepository.h"
#include "profiles/profilestore.h"
#include "server/classroomdocks.h"
#include "session/sessionview.h"
#include "settings/appsettings.h"
#include "teach/lesson.h"
#include "teach/lessoncontroller.h"
#include "teach/lessonpanel.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QHeaderView>
#include <QIcon>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPointer>
#include <QRegularExpression>
#include <QScreen>
#include <QScrollArea>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include <functional>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {
// The session tabs' splitters whose sizes are remembered (object names set by SessionView).
const QStringList kRememberedSplitters { u"logSplitter"_s, u"detailSplitter"_s };
// Presentation mode's text size, in percent of the normal one.
constexpr int kPresentationScale = 175;

// The session tabs' scroll area. It asks for the room the tabs need at 100 % at most: above that the
// tabs scroll inside it, so zoom never makes the window larger than the screen, while at 100 % the
// window still keeps the tabs whole (the profile list gives way first).
class SessionScrollArea : public QScrollArea
{
public:
    SessionScrollArea(std::function<int()> zoomPercent, QWidget* parent)
        : QScrollArea(parent)
        , m_zoomPercent(std::move(zoomPercent))
    { }
    QSize minimumSizeHint() const override
    {
        if (!widget())
            return QScrollArea::minimumSizeHint();
        const QSize tabs = frontMinimum();
        const int percent = m_zoomPercent();
        return percent > 100 ? tabs * 100.0 / percent : tabs;
    }
    // Sizes the tabs to the viewport, or to what the tab in front needs when that is more (then it
    // scrolls). Not widgetResizable: that would hold the tabs to the largest page of all.
    void fitWidget()
    {
        if (QWidget* w = widget())
            w->resize(viewport()->size().expandedTo(frontMinimum()));
    }

protected:
    bool viewportEvent(QEvent* event) override
    {
        if (event->type() == QEvent::Resize)
            fitWidget();
        return QScrollArea::viewportEvent(event);
    }
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (watched == widget() && event->type() == QEvent::LayoutRequest) {
            updateGeometry(); // the tab in front may need more or less now: the window's minimum follows
            QMetaObject::invokeMethod(this, &SessionScrollArea::fitWidget, Qt::QueuedConnection);
        }
        return QScrollArea::eventFilter(watched, event);
    }

private:
    // A tab widget asks for the largest of all its pages; only the page in front counts (a tall tab
    // behind it must not make the window taller than the screen, nor the tab in front scroll).
    QSize frontMinimum() const
    {
        auto* tabWidget = qobject_cast<QTabWidget*>(widget());
        if (!tabWidget)
            return widget() ? widget()->minimumSizeHint() : QSize();
        QSize tabs = tabWidget->minimumSizeHint();
        auto* stack = tabWidget->findChild<QStackedWidget*>(QString(), Qt::FindDirectChildrenOnly);
        if (stack && tabWidget->currentWidget()) {
            const QSize all = stack->minimumSizeHint();
            const QSize front
                = tabWidget->currentWidget()->minimumSizeHint().expandedTo(tabWidget->currentWidget()->minimumSize());
            tabs -= (all - front).expandedTo(QSize(0, 0));
        }
        return tabs;
    }

    std::function<int()> m_zoomPercent;
};
} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_store(new ProfileStore(this))
    , m_tabs(new QTabWidget(this))
    , m_statusLabel(new QLabel(this))
    , m_zoom(AppSettings::zoomPercent())
    , m_baseFont(QApplication::font())
{
    setObjectName(u"mainWindow"_s);
    setWindowTitle(tr("WebSocket Inspector"));
    setWindowIcon(QIcon(u":/icons/wsinspector.svg"_s));

    // A damaged profile file was moved aside by load(); the panel and the status bar say where.
    m_store->load();
    m_repository = new ProfileRepository(m_store, this);
    m_profilePanel = new ProfilePanel(m_repository, this);
    m_profilePanel->setObjectName(u"profilePanel"_s);
    connect(m_profilePanel, &ProfilePanel::openRequested, this, [this](const Profile& p) { openSession(p, true); });
    connect(m_profilePanel, &ProfilePanel::message, this,
        [this](const QString& text) { statusBar()->showMessage(text, 8000); });

    auto* dock = m_profilesDock = new QDockWidget(tr("Profiles"), this);
    dock->setObjectName(u"profilesDock"_s);
    dock->setWidget(m_profilePanel);
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetClosable);
    addDockWidget(Qt::LeftDockWidgetArea, dock);

    m_tabs->setObjectName(u"sessionTabs"_s);
    m_tabs->setTabsClosable(true);
    m_tabs->setDocumentMode(true);
    m_tabs->setUsesScrollButtons(true);
    m_tabs->setElideMode(Qt::ElideRight);
    connect(m_tabs, &QTabWidget::tabCloseRequested, this, &MainWindow::closeTab);
    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::updateStatus);
    // Zoom enlarges the tabs' minimum size (at 300 % about twice a 1024 px screen). Inside a scroll
    // area that scrolls instead of growing the window past the screen; at 100 % nothing scrolls.
    // Presentation mode's larger text counts as zoom too: a projector of 1024×768 shows the whole window.
    auto* scroll
        = new SessionScrollArea([this] { return m_presentation ? m_zoom * kPresentationScale / 100 : m_zoom; }, this);
    scroll->setObjectName(u"sessionScroll"_s);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(m_tabs);
    m_tabs->installEventFilter(scroll);
    connect(m_tabs, &QTabWidget::currentChanged, scroll, [scroll] {
        scroll->updateGeometry();
        scroll->fitWidget();
    });
    setCentralWidget(scroll);

    m_logMemoryCap = AppSettings::logMemoryCap();
    createMenus();

    statusBar()->addPermanentWidget(m_statusLabel);
    if (!m_store->errorString().isEmpty())
        statusBar()->showMessage(m_store->errorString());
    m_statusTimer.setInterval(1000);
    connect(&m_statusTimer, &QTimer::timeout, this, &MainWindow::updateStatus);
    m_statusTimer.start();

    // Where the user left the window; the first time a size that suits the screen, with the profile
    // list a quarter of it at most.
    if (!restoreGeometry(AppSettings::windowGeometry())) {
        const QSize wanted(1360, 860);
        resize(screen() ? wanted.boundedTo(screen()->availableSize()) : wanted);
    } else if (screen() && !isMaximized() && !isFullScreen()) {
        // A size saved on a larger screen (or by an older version that let zoom grow the window)
        // is bounded by this screen, and the window is moved back onto it.
        const QRect available = screen()->availableGeometry();
        const QSize size = this->size().boundedTo(available.size());
        if (size != this->size())
            resize(size);
        // (The frame is not known before the window is shown: the window manager places the last pixels.)
        const QPoint at(std::clamp(x(), available.left(),
                            std::max(available.left(), available.x() + available.width() - size.width())),
            std::clamp(
                y(), available.top(), std::max(available.top(), available.y() + available.height() - size.height())));
        if (at != pos())
            move(at);
    }
    m_layoutRestored = restoreState(AppSettings::windowState());
    applyFonts();
    updateActions();
}

MainWindow::~MainWindow()
{
    // QObject deletes children in the order they were made, which would take the store (made
    // first) down before the repository that writes through it (its destructor flushes a failed
    // save again) and before the tabs and the profile panel that observe the repository. So the
    // order is explicit: observers, then the repository (writing what is pending), then the store.
    m_statusTimer.stop();
    disconnect(m_tabs, nullptr, this, nullptr);
    delete m_tabs;
    m_tabs = nullptr;
    delete m_profilesDock; // holds the profile panel
    m_profilesDock = nullptr;
    m_profilePanel = nullptr;
    delete m_repository;
    m_repository = nullptr;
    delete m_store;
    m_store = nullptr;
}

void MainWindow::createMenus()
{
    QMenu* fileMenu = menuBar()->addMenu(tr("&File"));
    QAction* newConnectionAction = fileMenu->addAction(tr("&New connection"), this, &MainWindow::newConnection);
    newConnectionAction->setObjectName(u"newConnectionAction"_s);
    newConnectionAction->setShortcut(QKeySequence::AddTab);
    QAction* openAction = fileMenu->addAction(tr("Open selected &profile"), this, &MainWindow::openSelectedProfile);
    openAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    openAction->setObjectName(u"openProfileAction"_s);
    m_saveAsProfileAction = fileMenu->addAction(tr("Save &as profile…"), this, &MainWindow::saveCurrentAsProfile);
    m_saveAsProfileAction->setObjectName(u"saveAsProfileAction"_s);
    m_saveAsProfileAction->setShortcut(QKeySequence::Save);
    fileMenu->addSeparator();
    // Capture and HAR files: File → Open…/Export… and drag and drop (ui/capture/capturedocuments.h).
    m_captures = new CaptureDocuments(this, m_tabs);
    m_captures->addMenuActions(fileMenu);
    connect(m_captures, &CaptureDocuments::message, this,
        [this](const QString& text) { statusBar()->showMessage(text, 8000); });
    fileMenu->addSeparator();
    m_recordAction = fileMenu->addAction(tr("&Record to capture file…"), this, [this] {
        if (auto* v = currentSessionView())
            v->toggleRecording();
    });
    m_recordAction->setObjectName(u"recordAction"_s);
    m_recordAction->setCheckable(true);
    m_recordAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    fileMenu->addSeparator();
    m_closeTabAction = fileMenu->addAction(tr("&Close tab"), this, [this] {
        if (m_tabs->currentIndex() >= 0)
            closeTab(m_tabs->currentIndex());
    });
    m_closeTabAction->setObjectName(u"closeTabAction"_s);
    m_closeTabAction->setShortcut(QKeySequence::Close);
    QAction* quitAction = fileMenu->addAction(tr("&Quit"), qApp, &QApplication::closeAllWindows);
    quitAction->setShortcut(QKeySequence::Quit);

    QMenu* sessionMenu = menuBar()->addMenu(tr("&Session"));
    // One command that follows the current tab's state, like the tab's own button.
    m_connectAction = sessionMenu->addAction(tr("&Connect"), this, [this] {
        if (auto* v = currentSessionView())
            v->toggleConnection();
    });
    m_connectAction->setObjectName(u"connectAction"_s);
    m_connectAction->setShortcut(QKeySequence(Qt::Key_F5));
    sessionMenu->addSeparator();
    QAction* nextTab = sessionMenu->addAction(tr("&Next tab"), this, [this] {
        if (m_tabs->count() > 1)
            m_tabs->setCurrentIndex((m_tabs->currentIndex() + 1) % m_tabs->count());
    });
    nextTab->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_PageDown));
    QAction* previousTab = sessionMenu->addAction(tr("&Previous tab"), this, [this] {
        if (m_tabs->count() > 1)
            m_tabs->setCurrentIndex((m_tabs->currentIndex() + m_tabs->count() - 1) % m_tabs->count());
    });
    previousTab->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_PageUp));

    QMenu* viewMenu = menuBar()->addMenu(tr("&View"));
    QAction* profilesAction = m_profilesDock->toggleViewAction();
    profilesAction->setText(tr("&Profile list"));
    profilesAction->setObjectName(u"profilesAction"_s);
    profilesAction->setShortcut(QKeySequence(Qt::Key_F9));
    viewMenu->addAction(profilesAction);
    m_maximizeDetailsAction = viewMenu->addAction(tr("&Maximize details"), this, [this](bool on) {
        if (auto* v = currentSessionView())
            v->setDetailsMaximized(on);
    });
    m_maximizeDetailsAction->setObjectName(u"maximizeDetailsAction"_s);
    m_maximizeDetailsAction->setCheckable(true);
    m_maximizeDetailsAction->setShortcut(QKeySequence(Qt::Key_F10));
    m_maximizeDetailsAction->setToolTip(tr("Payload, handshake and TLS details over the whole tab"));
    m_statisticsAction = viewMenu->addAction(tr("&Statistics"), this, [this](bool on) {
        AppSettings::setShowLogStatistics(on);
        for (int i = 0; i < m_tabs->count(); ++i) {
            if (auto* v = qobject_cast<SessionView*>(m_tabs->widget(i)))
                v->setStatisticsVisible(on);
        }
    });
    m_statisticsAction->setObjectName(u"statisticsAction"_s);
    m_statisticsAction->setCheckable(true);
    m_statisticsAction->setChecked(AppSettings::showLogStatistics());
    installClassroomDocks(this, viewMenu); // the Server panel and push versus polling
    viewMenu->addSeparator();
    m_zoomInAction = viewMenu->addAction(tr("Zoom &in"), this, &MainWindow::zoomIn);
    m_zoomInAction->setObjectName(u"zoomInAction"_s);
    // Ctrl++ needs Shift on most keyboards; Ctrl+= is the same key without it.
    m_zoomInAction->setShortcuts({ QKeySequence::ZoomIn, QKeySequence(Qt::CTRL | Qt::Key_Equal) });
    m_zoomOutAction = viewMenu->addAction(tr("Zoom &out"), this, &MainWindow::zoomOut);
    m_zoomOutAction->setObjectName(u"zoomOutAction"_s);
    m_zoomOutAction->setShortcut(QKeySequence::ZoomOut);
    m_zoomResetAction
        = viewMenu->addAction(tr("&Actual size"), this, [this] { setZoomPercent(AppSettings::kZoomDefault); });
    m_zoomResetAction->setObjectName(u"zoomResetAction"_s);
    m_zoomResetAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    viewMenu->addSeparator();
    m_explainAction = viewMenu->addAction(tr("&Explain mode"), this, &MainWindow::setExplainMode);
    m_explainAction->setCheckable(true);
    m_explainAction->setToolTip(tr("Explain every header, the Accept check and the connection state"));
    m_presentationAction = viewMenu->addAction(tr("P&resentation"), this, &MainWindow::setPresentationMode);
    m_presentationAction->setCheckable(true);
    m_presentationAction->setShortcut(QKeySequence(Qt::Key_F11));
    viewMenu->addSeparator();
    viewMenu->addAction(tr("Log memory &limit…"), this, [this] {
        bool ok = false;
        const int mib = QInputDialog::getInt(this, tr("Log memory limit"),
            tr("Memory each session's log may use (MiB). Beyond it the oldest rows leave the view;\n"
               "a running capture file still has them."),
            int(m_logMemoryCap >> 20), int(AppSettings::kMinLogMemoryCap >> 20), 1024 * 1024, 64, &ok);
        if (ok)
            setLogMemoryCap(qint64(mib) << 20);
    });

    QMenu* helpMenu = menuBar()->addMenu(tr("&Help"));
    QAction* lessonAction = helpMenu->addAction(tr("WebSocket &lesson"), this, &MainWindow::showLesson);
    lessonAction->setShortcut(QKeySequence::HelpContents);
    QAction* keysAction = helpMenu->addAction(tr("&Keyboard shortcuts"), this, &MainWindow::showShortcuts);
    keysAction->setObjectName(u"shortcutsAction"_s);
    keysAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Slash));
    helpMenu->addSeparator();
    helpMenu->addAction(tr("&About WebSocket Inspector"), this, [this] {
        QMessageBox::about(this, tr("About WebSocket Inspector"),
            tr("<h3>WebSocket Inspector %1</h3><p>See the handshake, every frame and every message of a "
               "WebSocket connection.</p>")
                .arg(QCoreApplication::applicationVersion()));
    });
    // Shortcuts work while the menu bar is hidden (presentation mode) because the actions belong to
    // the window too.
    for (QAction* menu : menuBar()->actions()) {
        if (menu->menu())
            addActions(menu->menu()->actions());
    }
}

QList<std::pair<QString, QString>> MainWindow::shortcutList() const
{
    QList<std::pair<QString, QString>> rows;
    for (QAction* menuAction : menuBar()->actions()) {
        QMenu* menu = menuAction->menu();
        if (!menu)
            continue;
        const QString menuName = QString(menuAction->text()).remove(u'&');
        for (QAction* a : menu->actions()) {
            if (a->isSeparator() || a->shortcuts().isEmpty())
                continue;
            QStringList keys;
            for (const QKeySequence& k : a->shortcuts())
                keys.append(k.toString(QKeySequence::NativeText));
            // "&Zoom in" → "View › Zoom in"; a translated "缩放(&I)" loses its mnemonic suffix too.
            QString name = a->text();
            name.remove(QRegularExpression(u"\\(&\\w\\)"_s)).remove(u'&');
            rows.append({ menuName + u" › "_s + name, keys.join(tr(" or ")) });
        }
    }
    // Keys the panels handle themselves.
    const auto key = [](QKeySequence k) { return k.toString(QKeySequence::NativeText); };
    rows.append({ tr("Send the message"), key(QKeySequence(Qt::CTRL | Qt::Key_Return)) });
    rows.append({ tr("Earlier / later sent messages (in the send box)"),
        key(QKeySequence(Qt::Key_Up)) + u" / "_s + key(QKeySequence(Qt::Key_Down)) });
    rows.append({ tr("Next / previous filter match in the log"),
        key(QKeySequence(Qt::Key_F3)) + u" / "_s + key(QKeySequence(Qt::SHIFT | Qt::Key_F3)) });
    rows.append({ tr("Find in the hex view / next match there"),
        key(QKeySequence::Find) + u" / "_s + key(QKeySequence(Qt::Key_F3)) });
    rows.append({ tr("Go to an offset in the hex view"), key(QKeySequence(Qt::CTRL | Qt::Key_G)) });
    return rows;
}

void MainWindow::showShortcuts()
{
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Keyboard shortcuts"));
    auto* table = new QTableWidget(0, 2, &dialog);
    table->setObjectName(u"shortcutTable"_s);
    table->setHorizontalHeaderLabels({ tr("Command"), tr("Keys") });
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    for (const auto& [command, keys] : shortcutList()) {
        const int row = table->rowCount();
        table->insertRow(row);
        table->setItem(row, 0, new QTableWidgetItem(command));
        table->setItem(row, 1, new QTableWidgetItem(keys));
    }
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, &dialog);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto* layout = new QVBoxLayout(&dialog);
    layout->addWidget(table);
    layout->addWidget(buttons);
    dialog.resize(560, 480);
    dialog.exec();
}

void MainWindow::setExplainMode(bool on)
{
    m_explain = on;
    m_explainAction->setChecked(on);
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (auto* v = qobject_cast<SessionView*>(m_tabs->widget(i)))
            v->setExplainMode(on);
    }
}

void MainWindow::setPresentationMode(bool on)
{
    if (on == m_presentation)
        return;
    m_presentation = on;
    m_presentationAction->setChecked(on);
    if (on) {
        m_beforePresentation = { m_explain, m_profilesDock->isVisible(), windowState() };
        m_profilesDock->hide();
        setExplainMode(true);
    } else {
        m_profilesDock->setVisible(m_beforePresentation.profilesVisible);
        setExplainMode(m_beforePresentation.explain);
    }
    applyFonts();
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (auto* v = qobject_cast<SessionView*>(m_tabs->widget(i)))
            v->setHighContrast(on);
    }
    if (on)
        showFullScreen();
    else
        setWindowState(m_beforePresentation.windowState);
}

void MainWindow::setZoomPercent(int percent)
{
    percent = std::clamp(percent, AppSettings::kZoomMin, AppSettings::kZoomMax);
    if (percent != m_zoom) {
        m_zoom = percent;
        AppSettings::setZoomPercent(percent);
        applyFonts();
    }
    statusBar()->showMessage(tr("Zoom %1 %").arg(m_zoom), 3000);
    updateActions();
}

void MainWindow::zoomIn()
{
    setZoomPercent(AppSettings::zoomStep(m_zoom, true));
}

void MainWindow::zoomOut()
{
    setZoomPercent(AppSettings::zoomStep(m_zoom, false));
}

// Presentation mode enlarges the whole application (menus, docks) ×1.75; the zoom scales the
// session tabs on top of that. Monospaced views resolve only their family (Style::monospace), so
// the size reaches them through the tabs' font.
void MainWindow::applyFonts()
{
    m_applyingFonts = true;
    QFont app = m_baseFont;
    if (m_presentation)
        app.setPointSizeF(m_baseFont.pointSizeF() * kPresentationScale / 100.0); // text a back row can read
    if (QApplication::font() != app)
        QApplication::setFont(app);
    QFont zoomed = app;
    zoomed.setPointSizeF(app.pointSizeF() * m_zoom / 100.0);
    m_tabs->setFont(zoomed);
    m_applyingFonts = false;
}

void MainWindow::changeEvent(QEvent* event)
{
    QMainWindow::changeEvent(event);
    // Someone else changed the application font (a platform theme): it becomes the new base.
    if (event->type() == QEvent::ApplicationFontChange && !m_applyingFonts && !m_presentation) {
        m_baseFont = QApplication::font();
        applyFonts();
    }
}

void MainWindow::showLesson()
{
    if (!m_lessonDock) {
        m_lessonPanel = new LessonPanel(this);
        m_lessonPanel->setObjectName(u"lessonPanel"_s);
        m_lessonController = new LessonController(this);
        QString source;
        m_lessonPanel->setSteps(Lesson::load(QLocale(), &source));
        connect(m_lessonPanel, &LessonPanel::actionRequested, m_lessonController, &LessonController::run);
        connect(m_lessonController, &LessonController::message, this,
            [this](const QString& text) { statusBar()->showMessage(text, 6000); });
        m_lessonDock = new QDockWidget(tr("WebSocket lesson"), this);
        m_lessonDock->setObjectName(u"lessonDock"_s);
        m_lessonDock->setWidget(m_lessonPanel);
        m_lessonDock->setToolTip(source);
        // In the profile list's place (a tab beside it), so the window does not grow on a small screen.
        addDockWidget(Qt::LeftDockWidgetArea, m_lessonDock);
        tabifyDockWidget(m_profilesDock, m_lessonDock);
    }
    m_lessonDock->show();
    m_lessonDock->raise();
}

void MainWindow::setLogMemoryCap(qint64 bytes)
{
    m_logMemoryCap = std::max(bytes, AppSettings::kMinLogMemoryCap);
    AppSettings::setLogMemoryCap(m_logMemoryCap);
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (auto* v = qobject_cast<SessionView*>(m_tabs->widget(i)))
            v->logModel()->setMemoryCap(m_logMemoryCap);
    }
    if (m_captures)
        m_captures->setMemoryCap(m_logMemoryCap);
}

SessionView* MainWindow::openSession(const Profile& profile, bool connectNow)
{
    auto* view = new SessionView(profile, m_tabs);
    view->setProfileRepository(m_repository);
    view->logModel()->setMemoryCap(m_logMemoryCap);
    view->setExplainMode(m_explain);
    view->setHighContrast(m_presentation);
    view->setStatisticsVisible(m_statisticsAction->isChecked());
    // Every tab opens with the splitter sizes last chosen in any tab.
    for (const QString& name : kRememberedSplitters) {
        if (auto* splitter = view->findChild<QSplitter*>(name)) {
            splitter->restoreState(AppSettings::splitterState(name));
            connect(splitter, &QSplitter::splitterMoved, this,
                [splitter, name] { AppSettings::setSplitterState(name, splitter->saveState()); });
        }
    }
    const int index = m_tabs->addTab(view, view->title());
    m_tabs->setCurrentIndex(index);
    connect(view, &SessionView::statusChanged, this, &MainWindow::updateStatus);
    connect(view, &SessionView::detailsMaximizedChanged, this, &MainWindow::updateActions);
    connect(view, &SessionView::message, this, [this](const QString& text) { statusBar()->showMessage(text); });
    connect(view, &SessionView::savedAsProfile, m_profilePanel, &ProfilePanel::selectProfile);
    connect(view, &SessionView::titleChanged, this, &MainWindow::updateStatus);
    connect(view, &SessionView::retryRequested, this, [this, view](const QUrl& url) {
        // The profile as it is now (a certificate pinned since the tab opened included).
        Profile redirected = view->session()->profile();
        redirected.url = url.toString();
        // An unsaved tab's edits go along; closing either tab still offers to keep them.
        openSession(redirected, true)->setSettingsBaseline(view->settingsBaseline());
    });
    if (connectNow)
        view->connectSession();
    updateActions();
    return view;
}

SessionView* MainWindow::openCommandLine(const CliOptions& options)
{
    SessionView* view = openSession(options.profile, false);
    // "127.0.0.1:8080" taken as ws://…: said in the tab, as when it is typed in the address bar.
    if (!options.notices.isEmpty())
        view->showAddressNotice(options.notices.join(u' '));
    if (!options.check.isEmpty()) { // --check miniprogram: the tab shows the report instead of connecting
        view->runMiniProgramCheck();
        return view;
    }
    if (!options.capturePath.isEmpty()) {
        if (const QString error = view->setRecording(options.capturePath); !error.isEmpty())
            view->logError(error);
    }
    view->runActions(options.runnerActions());
    view->connectSession();
    return view;
}

CaptureView* MainWindow::openCaptureFile(const QString& path)
{
    return m_captures->open(path);
}

SessionView* MainWindow::currentSessionView() const
{
    return qobject_cast<SessionView*>(m_tabs->currentWidget());
}

SessionView* MainWindow::newConnection()
{
    SessionView* view = openSession(Profile(), false);
    view->focusAddressBar();
    return view;
}

void MainWindow::saveCurrentAsProfile()
{
    // Ctrl+S while typing in the profile list's editor saves that profile, not the tab's.
    if (QWidget* focus = QApplication::focusWidget(); focus && m_profilesDock->isAncestorOf(focus)) {
        ProfileEditor* editor = m_profilePanel->editor();
        if (editor->isReadOnly())
            statusBar()->showMessage(tr("Built-in profiles cannot be changed; duplicate one to make your own."), 8000);
        else if (!editor->save())
            statusBar()->showMessage(tr("Fix the profile's problems shown in the editor before saving."), 8000);
        return;
    }
    if (auto* v = currentSessionView())
        v->saveAsProfileInteractive();
    else
        statusBar()->showMessage(tr("Open a connection first (File → New connection)."), 8000);
}

void MainWindow::openSelectedProfile()
{
    if (!m_profilePanel->openCurrent())
        statusBar()->showMessage(tr("Fix the profile's problems shown in the editor before connecting."), 8000);
}

void MainWindow::closeTab(int index)
{
    QPointer<QWidget> w = m_tabs->widget(index);
    if (auto* view = qobject_cast<SessionView*>(w.data()); view && !confirmClosingUnsaved({ view }, false))
        return;
    if (!w || m_tabs->indexOf(w) < 0)
        return; // gone while the question was open
    m_tabs->removeTab(m_tabs->indexOf(w)); // tabs may have moved while the question was open
    delete w.data();
    updateActions();
}

bool MainWindow::confirmClosingUnsaved(const QList<SessionView*>& views, bool quitting)
{
    QList<SessionView*> unsaved;
    for (SessionView* v : views) {
        if (v->hasUnsavedSettings())
            unsaved.append(v);
    }
    if (unsaved.isEmpty())
        return true; // nothing would be lost: no question
    // One dialog for all of them: quitting with five edited tabs asks once, not five times.
    QMessageBox box(QMessageBox::Warning, QString(), QString(),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, this);
    box.setObjectName(u"unsavedConnectionsBox"_s);
    box.setDefaultButton(QMessageBox::Save);
    box.setEscapeButton(QMessageBox::Cancel);
    const QString separator = tr(", ");
    if (unsaved.size() == 1) {
        SessionView* v = unsaved.first();
        box.setWindowTitle(tr("Unsaved connection"));
        box.setText(quitting ? tr("Save the connection \"%1\" as a profile before quitting?").arg(v->title())
                             : tr("Save the connection \"%1\" as a profile before closing its tab?").arg(v->title()));
        box.setInformativeText(
            tr("Not saved anywhere yet: %1. Discarding loses them.").arg(v->unsavedSettings().join(separator)));
        box.button(QMessageBox::Save)->setText(tr("Save as profile…"));
    } else {
        QStringList lines;
        for (SessionView* v : unsaved)
            lines.append(tr("• %1 — %2").arg(v->title(), v->unsavedSettings().join(separator)));
        box.setWindowTitle(tr("Unsaved connections"));
        box.setText(tr("%n connection(s) have settings that are not saved as profiles. Save them before quitting?",
            nullptr, int(unsaved.size())));
        box.setInformativeText(lines.join(u'\n'));
        box.button(QMessageBox::Save)->setText(tr("Save all…"));
        box.button(QMessageBox::Discard)->setText(tr("Discard all"));
    }
    // Titles are addresses the user typed: shown as typed, never taken for markup.
    box.setTextFormat(Qt::PlainText);
    if (auto* informative = box.findChild<QLabel*>(u"qt_msgbox_informativelabel"_s))
        informative->setTextFormat(Qt::PlainText);
    const int answer = box.exec();
    if (answer == QMessageBox::Discard)
        return true;
    if (answer == QMessageBox::Save) {
        // Each through the same path as Ctrl+S: a name prompt, and a Settings page with a problem
        // stops here with its message shown.
        for (SessionView* v : unsaved) {
            m_tabs->setCurrentWidget(v);
            if (!v->saveAsProfileInteractive()) {
                v->showSettings();
                return false;
            }
        }
        return true;
    }
    m_tabs->setCurrentWidget(unsaved.first());
    unsaved.first()->showSettings();
    return false;
}

void MainWindow::showEvent(QShowEvent* event)
{
    QMainWindow::showEvent(event);
    if (!m_layoutRestored) { // first start: the profile list takes a quarter of the width at most
        m_layoutRestored = true;
        resizeDocks({ m_profilesDock }, { std::min(400, width() / 4) }, Qt::Horizontal);
    }
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (m_terminating) { // ending on a signal: saved already, and nobody may be there to answer
        QMainWindow::closeEvent(event);
        return;
    }
    // The editor never loses unsaved input: valid edits are kept, as when moving to another
    // profile; edits that cannot be saved yet are lost only when the user says so.
    if (!m_profilePanel->keepCurrentEdits()) {
        const QString problem = m_profilePanel->editor()->plan().firstError();
        const auto answer = QMessageBox::warning(this, tr("Unsaved profile changes"),
            tr("The profile being edited cannot be saved yet: %1\n\nQuit and lose these changes?")
                .arg(problem.isEmpty() ? tr("it has a problem shown in the editor.") : problem),
            QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Cancel);
        if (answer != QMessageBox::Discard) {
            event->ignore();
            m_profilesDock->show();
            return;
        }
    }
    QList<SessionView*> views;
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (auto* v = qobject_cast<SessionView*>(m_tabs->widget(i)))
            views.append(v);
    }
    if (!confirmClosingUnsaved(views, true)) {
        event->ignore();
        return;
    }
    if (m_repository->isSavePending())
        m_repository->flush();
    saveLayout();
    QMainWindow::closeEvent(event);
}

void MainWindow::saveBeforeTermination()
{
    m_profilePanel->keepCurrentEdits();
    if (m_repository->isSavePending())
        m_repository->flush();
    saveLayout();
}

void MainWindow::endOnSignal()
{
    if (!m_terminating) {
        m_terminating = true;
        saveBeforeTermination();
    }
    // exit(), not quit(): quit() asks the windows to close, and closeEvent() may ask the user.
    QCoreApplication::exit(0);
}

void MainWindow::saveLayout()
{
    if (m_presentation)
        setPresentationMode(false); // remember the everyday layout, not the full-screen one
    AppSettings::setWindowGeometry(saveGeometry());
    AppSettings::setWindowState(saveState());
}

void MainWindow::updateActions()
{
    SessionView* v = currentSessionView();
    const bool busy = v && v->isBusy();
    m_connectAction->setEnabled(v);
    m_connectAction->setText(busy ? tr("&Disconnect") : tr("&Connect"));
    m_recordAction->setEnabled(v);
    m_recordAction->setChecked(v && v->isRecording());
    m_closeTabAction->setEnabled(m_tabs->currentIndex() >= 0); // capture tabs close too
    m_saveAsProfileAction->setEnabled(v);
    m_maximizeDetailsAction->setEnabled(v);
    m_maximizeDetailsAction->setChecked(v && v->detailsMaximized());
    m_zoomInAction->setEnabled(m_zoom < AppSettings::kZoomMax);
    m_zoomOutAction->setEnabled(m_zoom > AppSettings::kZoomMin);
    m_zoomResetAction->setEnabled(m_zoom != AppSettings::kZoomDefault);
}

void MainWindow::updateStatus()
{
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (auto* v = qobject_cast<SessionView*>(m_tabs->widget(i))) {
            const auto state = v->session()->state();
            const QString mark = state == Session::State::Open ? u"● "_s
                : state == Session::State::Connecting          ? u"◌ "_s
                                                               : QString();
            const QString elapsed = v->elapsedText();
            m_tabs->setTabText(i, mark + v->title() + (elapsed.isEmpty() ? QString() : u"  "_s + elapsed));
            m_tabs->setTabToolTip(i, v->statusText());
        }
    }
    auto* v = currentSessionView();
    m_statusLabel->setText(v ? v->statusText() : tr("No session"));
    updateActions();
}

} // namespace wsi
