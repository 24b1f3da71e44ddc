#include "mainwindow.h"

#include "capture/capturedocuments.h"
#include "cli/clioptions.h"
#include "log/logstore.h"
#include "log/messagelogmodel.h"
#include "profiles/profilepanel.h"
#include "profiles/profilestore.h"
#include "server/classroomdocks.h"
#include "session/sessionview.h"
#include "teach/lesson.h"
#include "teach/lessoncontroller.h"
#include "teach/lessonpanel.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>

using namespace Qt::StringLiterals;

namespace wsi {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_store(new ProfileStore(this))
    , m_tabs(new QTabWidget(this))
    , m_statusLabel(new QLabel(this))
{
    setWindowTitle(tr("WebSocket Inspector"));
    // Room for the log, the details and the send panel side by side, within the screen.
    const QSize wanted(1360, 860);
    resize(screen() ? wanted.boundedTo(screen()->availableSize()) : wanted);

    // A damaged profile file was moved aside by load(); the panel and the status bar say where.
    m_store->load();
    m_profilePanel = new ProfilePanel(m_store, this);
    m_profilePanel->setObjectName(u"profilePanel"_s);
    connect(m_profilePanel, &ProfilePanel::openRequested, this, [this](const Profile& p) { openSession(p, true); });
    connect(m_profilePanel, &ProfilePanel::message, this,
        [this](const QString& text) { statusBar()->showMessage(text, 8000); });

    auto* dock = m_profilesDock = new QDockWidget(tr("Profiles"), this);
    dock->setObjectName(u"profilesDock"_s);
    dock->setWidget(m_profilePanel);
    dock->setFeatures(QDockWidget::DockWidgetMovable);
    addDockWidget(Qt::LeftDockWidgetArea, dock);
    resizeDocks({ dock }, { 440 }, Qt::Horizontal);

    m_tabs->setObjectName(u"sessionTabs"_s);
    m_tabs->setTabsClosable(true);
    m_tabs->setDocumentMode(true);
    connect(m_tabs, &QTabWidget::tabCloseRequested, this, &MainWindow::closeTab);
    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::updateStatus);
    setCentralWidget(m_tabs);

    QMenu* fileMenu = menuBar()->addMenu(tr("&File"));
    QAction* openAction = fileMenu->addAction(tr("&Open selected profile"), this, &MainWindow::openSelectedProfile);
    openAction->setShortcut(QKeySequence::New);
    fileMenu->addSeparator();
    // Capture and HAR files: File → Open…/Export… and drag and drop (ui/capture/capturedocuments.h).
    m_captures = new CaptureDocuments(this, m_tabs);
    m_captures->addMenuActions(fileMenu);
    connect(m_captures, &CaptureDocuments::message, this,
        [this](const QString& text) { statusBar()->showMessage(text, 8000); });
    fileMenu->addSeparator();
    QAction* quitAction = fileMenu->addAction(tr("&Quit"), qApp, &QApplication::closeAllWindows);
    quitAction->setShortcut(QKeySequence::Quit);

    QMenu* sessionMenu = menuBar()->addMenu(tr("&Session"));
    QAction* connectAction = sessionMenu->addAction(tr("&Connect"), this, [this] {
        if (auto* v = currentSessionView())
            v->connectSession();
    });
    QAction* disconnectAction = sessionMenu->addAction(tr("&Disconnect"), this, [this] {
        if (auto* v = currentSessionView())
            v->disconnectSession();
    });

    QMenu* viewMenu = menuBar()->addMenu(tr("&View"));
    viewMenu->addAction(tr("Log &memory limit…"), this, [this] {
        bool ok = false;
        const int mib = QInputDialog::getInt(this, tr("Log memory limit"),
            tr("Memory each session's log may use (MiB). Beyond it the oldest rows leave the view;\n"
               "a running capture file still has them."),
            int(m_logMemoryCap >> 20), 16, 1024 * 1024, 64, &ok);
        if (ok)
            setLogMemoryCap(qint64(mib) << 20);
    });
    viewMenu->addSeparator();
    m_explainAction = viewMenu->addAction(tr("&Explain mode"), this, &MainWindow::setExplainMode);
    m_explainAction->setCheckable(true);
    m_explainAction->setToolTip(tr("Explain every header, the Accept check and the connection state"));
    m_presentationAction = viewMenu->addAction(tr("&Presentation"), this, &MainWindow::setPresentationMode);
    m_presentationAction->setCheckable(true);
    m_presentationAction->setShortcut(QKeySequence(Qt::Key_F11));
    m_logMemoryCap = QSettings().value(u"log/memoryCapMiB"_s, int(LogStore::kDefaultMemoryCap >> 20)).toLongLong()
        << 20;

    installClassroomDocks(this, viewMenu); // the Server panel and push versus polling

    QMenu* helpMenu = menuBar()->addMenu(tr("&Help"));
    QAction* lessonAction = helpMenu->addAction(tr("WebSocket &lesson"), this, &MainWindow::showLesson);
    lessonAction->setShortcut(QKeySequence::HelpContents);
    helpMenu->addAction(tr("&About WebSocket Inspector"), this, [this] {
        QMessageBox::about(this, tr("About WebSocket Inspector"),
            tr("<h3>WebSocket Inspector %1</h3><p>See the handshake, every frame and every message of a "
               "WebSocket connection.</p>")
                .arg(QCoreApplication::applicationVersion()));
    });

    QToolBar* toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName(u"mainToolbar"_s);
    // Toolbar buttons have no mnemonics: without these, Chinese buttons read "连接(C)".
    openAction->setIconText(tr("Open selected profile"));
    connectAction->setIconText(tr("Connect"));
    disconnectAction->setIconText(tr("Disconnect"));
    toolbar->addAction(openAction);
    toolbar->addAction(connectAction);
    toolbar->addAction(disconnectAction);

    statusBar()->addPermanentWidget(m_statusLabel);
    if (!m_store->errorString().isEmpty())
        statusBar()->showMessage(m_store->errorString());
    m_statusTimer.setInterval(1000);
    connect(&m_statusTimer, &QTimer::timeout, this, &MainWindow::updateStatus);
    m_statusTimer.start();
}

MainWindow::~MainWindow() = default;

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
        m_beforePresentation = { QApplication::font(), m_explain, m_profilesDock->isVisible(), windowState() };
        QFont big = m_beforePresentation.font;
        big.setPointSizeF(big.pointSizeF() * 1.75); // text a back row can read
        QApplication::setFont(big);
        m_profilesDock->hide();
        setExplainMode(true);
        for (int i = 0; i < m_tabs->count(); ++i) {
            if (auto* v = qobject_cast<SessionView*>(m_tabs->widget(i)))
                v->setHighContrast(true);
        }
        showFullScreen();
    } else {
        QApplication::setFont(m_beforePresentation.font);
        m_profilesDock->setVisible(m_beforePresentation.profilesVisible);
        setExplainMode(m_beforePresentation.explain);
        for (int i = 0; i < m_tabs->count(); ++i) {
            if (auto* v = qobject_cast<SessionView*>(m_tabs->widget(i)))
                v->setHighContrast(false);
        }
        setWindowState(m_beforePresentation.windowState);
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
    m_logMemoryCap = std::max<qint64>(bytes, qint64(16) << 20);
    QSettings().setValue(u"log/memoryCapMiB"_s, m_logMemoryCap >> 20);
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
    view->logModel()->setMemoryCap(m_logMemoryCap);
    view->setExplainMode(m_explain);
    view->setHighContrast(m_presentation);
    const int index = m_tabs->addTab(view, view->title());
    m_tabs->setCurrentIndex(index);
    connect(view, &SessionView::statusChanged, this, &MainWindow::updateStatus);
    connect(view, &SessionView::message, this, [this](const QString& text) { statusBar()->showMessage(text); });
    connect(view, &SessionView::profileChanged, this,
        [this](const Profile& changed) { m_profilePanel->updateProfile(changed); });
    connect(view, &SessionView::retryRequested, this, [this, profile](const QUrl& url) {
        Profile redirected = profile;
        redirected.url = url.toString();
        openSession(redirected, true);
    });
    if (connectNow)
        view->connectSession();
    return view;
}

SessionView* MainWindow::openCommandLine(const CliOptions& options)
{
    SessionView* view = openSession(options.profile, false);
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

void MainWindow::openSelectedProfile()
{
    if (const auto p = m_profilePanel->currentProfile())
        openSession(*p, true);
    else
        statusBar()->showMessage(tr("Fix the profile's problems shown in the editor before connecting."), 8000);
}

void MainWindow::closeTab(int index)
{
    QWidget* w = m_tabs->widget(index);
    m_tabs->removeTab(index);
    delete w;
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
}

} // namespace wsi
