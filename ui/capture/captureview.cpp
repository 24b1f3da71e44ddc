#include "captureview.h"

#include "capture/captureloader.h"
#include "log/logpanel.h"
#include "log/messagelogmodel.h"
#include "payload/payloadview.h"
#include "wire/handshakepanel.h"
#include "wire/tlspanel.h"

#include <QComboBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace wsi {

CaptureView::CaptureView(QWidget* parent)
    : QWidget(parent)
    , m_fileLabel(new QLabel(this))
    , m_connectionList(new QComboBox(this))
    , m_progress(new QProgressBar(this))
    , m_cancelButton(new QPushButton(tr("Cancel"), this))
    , m_exportButton(new QPushButton(tr("Export…"), this))
    , m_replayButton(new QPushButton(tr("Replay…"), this))
    , m_notice(new QLabel(this))
    , m_stack(new QStackedWidget(this))
    , m_details(new QTabWidget(this))
    , m_payloadView(new PayloadView(this))
    , m_handshakePanel(new HandshakePanel(this))
    , m_tlsPanel(new TlsPanel(this))
{
    m_connectionList->setObjectName(u"connectionList"_s);
    m_connectionList->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_progress->setObjectName(u"loadProgress"_s);
    m_progress->setRange(0, 1000);
    m_progress->setMaximumWidth(220);
    m_cancelButton->setObjectName(u"cancelLoadButton"_s);
    m_cancelButton->setToolTip(tr("Stop reading the file; what was read stays open"));
    m_exportButton->setObjectName(u"exportButton"_s);
    m_replayButton->setObjectName(u"replayButton"_s);
    m_replayButton->setToolTip(tr("Send the client's messages again and compare the server's answers"));
    m_notice->setObjectName(u"captureNotice"_s);
    m_notice->setWordWrap(true);
    m_notice->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_notice->hide();

    auto* exportMenu = new QMenu(m_exportButton);
    exportMenu->addAction(tr("Whole file…"), this, [this] { Q_EMIT exportRequested(false); });
    exportMenu->addAction(tr("Selected rows…"), this, [this] { Q_EMIT exportRequested(true); });
    m_exportButton->setMenu(exportMenu);
    connect(m_replayButton, &QPushButton::clicked, this, &CaptureView::replayRequested);
    connect(m_cancelButton, &QPushButton::clicked, this, &CaptureView::cancel);

    auto* bar = new QHBoxLayout;
    bar->addWidget(m_fileLabel);
    bar->addWidget(new QLabel(tr("Connection"), this));
    bar->addWidget(m_connectionList);
    bar->addStretch(1);
    bar->addWidget(m_progress);
    bar->addWidget(m_cancelButton);
    bar->addWidget(m_exportButton);
    bar->addWidget(m_replayButton);

    m_details->addTab(m_payloadView, tr("Payload"));
    m_details->addTab(m_handshakePanel, tr("Handshake"));
    m_details->addTab(m_tlsPanel, tr("TLS"));

    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_stack);
    split->addWidget(m_details);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({ 600, 400 });

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_notice);
    layout->addWidget(split, 1);

    connect(m_connectionList, &QComboBox::currentIndexChanged, this, [this](int index) {
        const int id = m_connectionList->itemData(index).toInt();
        if (const auto it = m_pages.constFind(id); it != m_pages.cend())
            m_stack->setCurrentWidget(it->panel);
        updateDetails();
    });
}

CaptureView::~CaptureView() = default;

QString CaptureView::title() const
{
    return QFileInfo(m_path).fileName();
}

bool CaptureView::isLoading() const
{
    return m_loader && m_loader->isRunning();
}

void CaptureView::setMemoryCap(qint64 bytes)
{
    m_memoryCap = bytes;
    for (const Page& p : std::as_const(m_pages))
        p.model->setMemoryCap(bytes);
}

void CaptureView::open(const QString& path)
{
    m_path = path;
    m_fileLabel->setText(u"<b>%1</b>"_s.arg(title().toHtmlEscaped()));
    m_fileLabel->setToolTip(path);
    m_loader = new CaptureLoader(this);
    connect(m_loader, &CaptureLoader::chunkReady, this, &CaptureView::onChunk);
    connect(m_loader, &CaptureLoader::progress, this,
        [this](qint64 done, qint64 total) { m_progress->setValue(total > 0 ? int(done * 1000 / total) : 1000); });
    connect(m_loader, &CaptureLoader::finished, this, &CaptureView::onFinished);
    m_progress->show();
    m_cancelButton->show();
    m_replayButton->setEnabled(false);
    m_exportButton->setEnabled(false);
    m_loader->start(path);
}

void CaptureView::cancel()
{
    if (m_loader)
        m_loader->cancel();
}

void CaptureView::onChunk(const CaptureChunk& chunk)
{
    for (const CapturedConnection& c : chunk.connections) {
        auto it = m_pages.find(c.id);
        if (it == m_pages.end()) {
            Page page;
            page.model = new MessageLogModel(this);
            if (m_memoryCap > 0)
                page.model->setMemoryCap(m_memoryCap);
            page.panel = new LogPanel(page.model, m_stack);
            page.panel->setObjectName(u"logPanel%1"_s.arg(c.id));
            m_stack->addWidget(page.panel);
            LogPanel* panel = page.panel;
            connect(panel->view()->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
                [this, panel](const QModelIndex& current) {
                    if (m_stack->currentWidget() == panel)
                        showRow(panel->sourceRow(current.row()));
                });
            it = m_pages.insert(c.id, page);
            m_connectionList->addItem(QString(), c.id);
        }
        it->connection = c;
        if (c.startUs > 0)
            it->model->setConnectTimeUs(c.startUs);
        const int index = m_connectionList->findData(c.id);
        m_connectionList->setItemText(
            index, tr("%1 · %2").arg(c.id).arg(c.url.isEmpty() ? tr("(no URL)") : c.url.toDisplayString()));
        if (m_connectionList->currentIndex() == index)
            updateDetails();
    }
    for (const auto& [id, batch] : chunk.entries) {
        if (const auto it = m_pages.constFind(id); it != m_pages.cend())
            it->model->appendBatch(batch);
    }
    if (!chunk.notices.isEmpty()) {
        m_notices.append(chunk.notices);
        updateNotice();
    }
    m_connectionList->setEnabled(m_connectionList->count() > 1);
}

void CaptureView::onFinished(bool cancelled, const QString& error)
{
    m_cancelled = cancelled;
    m_error = error;
    m_progress->hide();
    m_cancelButton->hide();
    m_replayButton->setEnabled(!m_pages.isEmpty());
    m_exportButton->setEnabled(!m_pages.isEmpty());
    updateNotice();
    Q_EMIT loaded();
}

void CaptureView::updateNotice()
{
    QStringList lines;
    if (!m_error.isEmpty())
        lines.append(m_error);
    if (m_cancelled)
        lines.append(tr("Reading was cancelled: the rows read so far are shown."));
    const int shown = 3;
    for (qsizetype i = 0; i < std::min<qsizetype>(shown, m_notices.size()); ++i)
        lines.append(m_notices.at(i));
    if (m_notices.size() > shown)
        lines.append(tr("… and %n more (see the tooltip).", nullptr, int(m_notices.size() - shown)));
    m_notice->setText(lines.join(u'\n'));
    m_notice->setToolTip(m_notices.mid(0, 200).join(u'\n'));
    m_notice->setVisible(!lines.isEmpty());
}

void CaptureView::showConnection(int id)
{
    const int index = m_connectionList->findData(id);
    if (index >= 0)
        m_connectionList->setCurrentIndex(index);
}

int CaptureView::currentConnection() const
{
    return m_connectionList->currentData().toInt();
}

MessageLogModel* CaptureView::model(int connectionId) const
{
    const auto it = m_pages.constFind(connectionId);
    return it == m_pages.cend() ? nullptr : it->model;
}

LogPanel* CaptureView::logPanel(int connectionId) const
{
    const auto it = m_pages.constFind(connectionId);
    return it == m_pages.cend() ? nullptr : it->panel;
}

void CaptureView::updateDetails()
{
    const auto it = m_pages.constFind(currentConnection());
    if (it == m_pages.cend())
        return;
    m_handshakePanel->setHandshake(it->connection.handshake, it->connection.url);
    m_tlsPanel->setTlsInfo(it->connection.handshake.tls);
    m_payloadView->clear();
}

void CaptureView::showRow(int row)
{
    MessageLogModel* m = model(currentConnection());
    if (!m || row < 0) {
        m_payloadView->clear();
        return;
    }
    m_payloadView->setEntry(m->entryAt(row));
}

CapturedSession CaptureView::sessionOf(const Page& page, const QList<int>& rows) const
{
    CapturedSession s;
    s.connection = page.connection;
    if (rows.isEmpty()) {
        const int n = page.model->rowCount();
        s.entries.reserve(n);
        for (int row = 0; row < n; ++row)
            s.entries.append(page.model->entryAt(row));
    } else {
        for (int row : rows)
            s.entries.append(page.model->entryAt(row));
    }
    return s;
}

QList<CapturedSession> CaptureView::sessions() const
{
    QList<int> ids = m_pages.keys();
    std::sort(ids.begin(), ids.end());
    QList<CapturedSession> out;
    for (int id : ids)
        out.append(sessionOf(m_pages.value(id), {}));
    return out;
}

CapturedSession CaptureView::currentSession() const
{
    const auto it = m_pages.constFind(currentConnection());
    return it == m_pages.cend() ? CapturedSession() : sessionOf(*it, {});
}

QList<CapturedSession> CaptureView::selectedRows() const
{
    const auto it = m_pages.constFind(currentConnection());
    if (it == m_pages.cend())
        return {};
    QList<int> rows;
    for (const QModelIndex& index : it->panel->view()->selectionModel()->selectedRows())
        rows.append(it->panel->sourceRow(index.row()));
    rows.removeAll(-1);
    std::sort(rows.begin(), rows.end());
    if (rows.isEmpty())
        return {};
    return { sessionOf(*it, rows) };
}

} // namespace wsi
