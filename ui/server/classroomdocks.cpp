#include "classroomdocks.h"

#include "pushpollview.h"
#include "serverpanel.h"

#include <QCoreApplication>
#include <QDockWidget>
#include <QMainWindow>
#include <QMenu>
#include <QStatusBar>

using namespace Qt::StringLiterals;

namespace wsi {

void installClassroomDocks(QMainWindow* window, QMenu* menu)
{
    auto* panel = new ServerPanel;
    panel->setObjectName(u"serverPanel"_s);
    auto* serverDock = new QDockWidget(QCoreApplication::translate("wsi::ClassroomDocks", "Classroom server"), window);
    serverDock->setObjectName(u"serverDock"_s);
    serverDock->setWidget(panel);
    window->addDockWidget(Qt::RightDockWidgetArea, serverDock);
    serverDock->hide();

    auto* comparison = new PushPollView;
    comparison->setObjectName(u"pushPollView"_s);
    auto* comparisonDock
        = new QDockWidget(QCoreApplication::translate("wsi::ClassroomDocks", "Push versus polling"), window);
    comparisonDock->setObjectName(u"pushPollDock"_s);
    comparisonDock->setWidget(comparison);
    window->addDockWidget(Qt::RightDockWidgetArea, comparisonDock);
    comparisonDock->hide();

    auto showStatus = [window](const QString& text) { window->statusBar()->showMessage(text, 8000); };
    QObject::connect(panel, &ServerPanel::message, window, showStatus);
    QObject::connect(comparison, &PushPollView::message, window, showStatus);

    QAction* server = serverDock->toggleViewAction();
    server->setText(QCoreApplication::translate("wsi::ClassroomDocks", "&Classroom server"));
    menu->addAction(server);
    QAction* pushPoll = comparisonDock->toggleViewAction();
    pushPoll->setText(QCoreApplication::translate("wsi::ClassroomDocks", "Push &versus polling"));
    menu->addAction(pushPoll);
}

} // namespace wsi
