#include "capturedocuments.h"

#include "capture/captureexport.h"
#include "capture/captureview.h"
#include "capture/replaydialog.h"
#include "log/logpanel.h"
#include "log/messagelogmodel.h"
#include "session/sessionview.h"

#include <QAction>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMainWindow>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QTabWidget>
#include <QTableView>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {
QList<QString> droppedFiles(const QMimeData* mime)
{
    QList<QString> out;
    if (!mime || !mime->hasUrls())
        return out;
    for (const QUrl& url : mime->urls()) {
        if (url.isLocalFile() && CaptureDocuments::isCaptureFile(url.toLocalFile()))
            out.append(url.toLocalFile());
    }
    return out;
}

// A live session's log as a connection (the handshake the relay saw, every row or the selected ones).
CapturedSession liveSession(const SessionView* view, bool selectedOnly)
{
    CapturedSession s;
    s.connection.id = 1;
    s.connection.url = view->session()->connectedUrl();
    s.connection.handshake = view->session()->handshake();
    s.connection.startUs = view->session()->connectedAtUs();
    const MessageLogModel* model = view->logModel();
    if (selectedOnly) {
        QList<int> rows;
        for (const QModelIndex& index : view->logView()->selectionModel()->selectedRows())
            rows.append(view->logPanel()->sourceRow(index.row()));
        rows.removeAll(-1);
        std::sort(rows.begin(), rows.end());
        for (int row : std::as_const(rows))
            s.entries.append(model->entryAt(row));
    } else {
        for (int row = 0; row < model->rowCount(); ++row)
            s.entries.append(model->entryAt(row));
    }
    return s;
}
} // namespace

CaptureDocuments::CaptureDocuments(QMainWindow* window, QTabWidget* tabs)
    : QObject(window)
    , m_window(window)
    , m_tabs(tabs)
{
    m_window->setAcceptDrops(true);
    m_window->installEventFilter(this);
}

CaptureDocuments::~CaptureDocuments() = default;

bool CaptureDocuments::isCaptureFile(const QString& path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    return suffix == u"jsonl" || suffix == u"har";
}

void CaptureDocuments::addMenuActions(QMenu* fileMenu, QAction* before)
{
    auto* openAction = new QAction(tr("&Open capture or HAR…"), fileMenu);
    openAction->setObjectName(u"openCaptureAction"_s);
    openAction->setShortcut(QKeySequence::Open);
    connect(openAction, &QAction::triggered, this, [this] {
        const QStringList paths = QFileDialog::getOpenFileNames(m_window, tr("Open capture or HAR file"), QString(),
            tr("Captures and HAR files (*.jsonl *.har);;All files (*)"));
        for (const QString& path : paths)
            open(path);
    });
    auto* exportAction = new QAction(tr("&Export…"), fileMenu);
    exportAction->setObjectName(u"exportAction"_s);
    connect(exportAction, &QAction::triggered, this, [this] { exportCurrent(false); });
    auto* exportSelectedAction = new QAction(tr("Export &selected rows…"), fileMenu);
    exportSelectedAction->setObjectName(u"exportSelectedAction"_s);
    connect(exportSelectedAction, &QAction::triggered, this, [this] { exportCurrent(true); });
    fileMenu->insertActions(before, { openAction, exportAction, exportSelectedAction });
    fileMenu->insertSeparator(before);
}

CaptureView* CaptureDocuments::open(const QString& path)
{
    auto* view = new CaptureView(m_tabs);
    if (m_memoryCap > 0)
        view->setMemoryCap(m_memoryCap);
    const int index = m_tabs->addTab(view, QFileInfo(path).fileName());
    m_tabs->setTabToolTip(index, path);
    m_tabs->setCurrentIndex(index);
    connect(view, &CaptureView::replayRequested, this, &CaptureDocuments::replayCurrent);
    connect(view, &CaptureView::exportRequested, this, &CaptureDocuments::exportCurrent);
    connect(view, &CaptureView::loaded, this, [this, view] {
        if (!view->errorText().isEmpty())
            Q_EMIT message(view->errorText());
    });
    view->open(path);
    return view;
}

void CaptureDocuments::setMemoryCap(qint64 bytes)
{
    m_memoryCap = bytes;
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (auto* v = qobject_cast<CaptureView*>(m_tabs->widget(i)))
            v->setMemoryCap(bytes);
    }
}

QList<CapturedSession> CaptureDocuments::currentSessions(bool selectedOnly) const
{
    QWidget* current = m_tabs->currentWidget();
    if (auto* capture = qobject_cast<CaptureView*>(current))
        return selectedOnly ? capture->selectedRows() : capture->sessions();
    if (auto* live = qobject_cast<SessionView*>(current)) {
        CapturedSession s = liveSession(live, selectedOnly);
        if (!s.entries.isEmpty() || !selectedOnly)
            return { s };
    }
    return {};
}

Result<void> CaptureDocuments::exportCurrentTo(const QString& path, bool selectedOnly) const
{
    const QList<CapturedSession> sessions = currentSessions(selectedOnly);
    if (sessions.isEmpty())
        return Error { selectedOnly ? tr("Select the rows to export first.") : tr("Nothing to export in this tab."),
            {} };
    return CaptureExport::writeFile(path, sessions);
}

void CaptureDocuments::exportCurrent(bool selectedOnly)
{
    if (currentSessions(selectedOnly).isEmpty()) {
        QMessageBox::information(m_window, tr("Export"),
            selectedOnly ? tr("Select the rows to export first.") : tr("Nothing to export in this tab."));
        return;
    }
    QString filter;
    const QString harFilter = tr("HAR 1.2 (*.har)");
    const QString jsonlFilter = tr("Capture, JSON Lines (*.jsonl)");
    const QString textFilter = tr("Plain text (*.txt)");
    QString path = QFileDialog::getSaveFileName(m_window, selectedOnly ? tr("Export selected rows") : tr("Export"),
        u"export.har"_s, harFilter + u";;"_s + jsonlFilter + u";;"_s + textFilter, &filter);
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += filter == jsonlFilter ? u".jsonl"_s : filter == textFilter ? u".txt"_s : u".har"_s;
    if (const Result<void> r = exportCurrentTo(path, selectedOnly); !r)
        QMessageBox::warning(m_window, tr("Export"), r.errorMessage());
    else
        Q_EMIT message(tr("Exported to %1").arg(path));
}

void CaptureDocuments::replayCurrent()
{
    auto* capture = qobject_cast<CaptureView*>(m_tabs->currentWidget());
    if (!capture)
        return;
    auto* dialog = new ReplayDialog(capture->currentSession(), m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

bool CaptureDocuments::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_window && event->type() == QEvent::DragEnter) {
        auto* e = static_cast<QDragEnterEvent*>(event);
        if (!droppedFiles(e->mimeData()).isEmpty()) {
            e->acceptProposedAction();
            return true;
        }
    } else if (watched == m_window && event->type() == QEvent::Drop) {
        auto* e = static_cast<QDropEvent*>(event);
        const QList<QString> files = droppedFiles(e->mimeData());
        if (!files.isEmpty()) {
            for (const QString& path : files)
                open(path);
            e->acceptProposedAction();
            return true;
        }
    }
    return QObject::eventFilter(watched, event);
}

} // namespace wsi
