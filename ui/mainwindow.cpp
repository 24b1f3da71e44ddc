#include "mainwindow.h"

#include "session/sessionview.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {
Profile builtinProfile(const QString& id, const QString& name, const QString& url)
{
    Profile p;
    p.id = id;
    p.name = name;
    p.url = url;
    return p;
}
} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_profileList(new QListWidget(this))
    , m_tabs(new QTabWidget(this))
    , m_statusLabel(new QLabel(this))
{
    setWindowTitle(tr("WebSocket Inspector"));
    resize(1180, 760);

    m_profiles = {
        Profile::builtinEcho(),
        builtinProfile(u"builtin-chat"_s, tr("Built-in chat room"), u"builtin:chat"_s),
        builtinProfile(u"builtin-push"_s, tr("Built-in server push (1 message/s)"), u"builtin:push?interval=1000"_s),
    };
    m_profileList->setObjectName(u"profileList"_s);
    for (const Profile& p : std::as_const(m_profiles)) {
        auto* item = new QListWidgetItem(p.name, m_profileList);
        item->setToolTip(p.url);
    }
    m_profileList->setCurrentRow(0);
    connect(m_profileList, &QListWidget::itemActivated, this, &MainWindow::openSelectedProfile);

    auto* dock = new QDockWidget(tr("Profiles"), this);
    dock->setObjectName(u"profilesDock"_s);
    dock->setWidget(m_profileList);
    dock->setFeatures(QDockWidget::DockWidgetMovable);
    addDockWidget(Qt::LeftDockWidgetArea, dock);

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

    QMenu* helpMenu = menuBar()->addMenu(tr("&Help"));
    helpMenu->addAction(tr("&About WebSocket Inspector"), this, [this] {
        QMessageBox::about(this, tr("About WebSocket Inspector"),
            tr("<h3>WebSocket Inspector %1</h3><p>See the handshake, every frame and every message of a "
               "WebSocket connection.</p>")
                .arg(QCoreApplication::applicationVersion()));
    });

    QToolBar* toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName(u"mainToolbar"_s);
    toolbar->addAction(openAction);
    toolbar->addAction(connectAction);
    toolbar->addAction(disconnectAction);

    statusBar()->addPermanentWidget(m_statusLabel);
    m_statusTimer.setInterval(1000);
    connect(&m_statusTimer, &QTimer::timeout, this, &MainWindow::updateStatus);
    m_statusTimer.start();
}

MainWindow::~MainWindow() = default;

SessionView* MainWindow::openSession(const Profile& profile, bool connectNow)
{
    auto* view = new SessionView(profile, m_tabs);
    const int index = m_tabs->addTab(view, view->title());
    m_tabs->setCurrentIndex(index);
    connect(view, &SessionView::statusChanged, this, &MainWindow::updateStatus);
    connect(view, &SessionView::retryRequested, this, [this, profile](const QUrl& url) {
        Profile redirected = profile;
        redirected.url = url.toString();
        openSession(redirected, true);
    });
    if (connectNow)
        view->connectSession();
    return view;
}

SessionView* MainWindow::currentSessionView() const
{
    return qobject_cast<SessionView*>(m_tabs->currentWidget());
}

void MainWindow::openSelectedProfile()
{
    const int row = m_profileList->currentRow();
    if (row < 0 || row >= m_profiles.size())
        return;
    openSession(m_profiles.at(row), true);
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
                                 : state == Session::State::Connecting ? u"◌ "_s
                                                                      : QString();
            m_tabs->setTabText(i, mark + v->title());
        }
    }
    auto* v = currentSessionView();
    m_statusLabel->setText(v ? v->statusText() : tr("No session"));
}

} // namespace wsi
