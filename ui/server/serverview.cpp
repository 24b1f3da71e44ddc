#include "serverview.h"

#include "server/qrcode.h"
#include "server/serverclientmodel.h"
#include "server/serverhost.h"

#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QImage>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QScrollArea>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace wsi {

QImage qrImage(const QString& text, int scale)
{
    const Result<QrCode> code = QrCode::encode(text.toUtf8());
    if (!code)
        return {};
    constexpr int kQuiet = 4;
    const int side = (code->size() + 2 * kQuiet) * scale;
    QImage image(side, side, QImage::Format_RGB32);
    image.fill(Qt::white); // QR codes are read as dark on light, whatever the theme
    QPainter p(&image);
    for (int y = 0; y < code->size(); ++y) {
        for (int x = 0; x < code->size(); ++x) {
            if (code->dark(x, y))
                p.fillRect((x + kQuiet) * scale, (y + kQuiet) * scale, scale, scale, Qt::black);
        }
    }
    return image;
}

ServerView::ServerView(ServerHost* host, QWidget* parent)
    : QWidget(parent)
    , m_host(host)
    , m_clients(new ServerClientModel(this))
    , m_table(new QTableView(this))
    , m_disconnect(new QPushButton(tr("&Disconnect"), this))
{
    host->setParent(this);
    auto* layout = new QVBoxLayout(this);

    const QList<QUrl> urls = studentUrls(host->options().address, host->port());
    auto* addresses = new QWidget;
    auto* row = new QHBoxLayout(addresses);
    row->setContentsMargins(0, 0, 0, 0);
    if (urls.isEmpty()) {
        auto* only = new QLabel(tr("Only this computer can connect: %1\nTo let students in, start a server on all "
                                   "interfaces or on one interface.")
                                    .arg(host->localUrl(u"/"_s, u"http"_s).toString()));
        only->setTextInteractionFlags(Qt::TextSelectableByMouse);
        only->setWordWrap(true);
        row->addWidget(only);
    }
    for (const QUrl& url : urls) {
        auto* box = new QVBoxLayout;
        auto* qr = new QLabel;
        qr->setPixmap(QPixmap::fromImage(qrImage(url.toString(), 4)));
        qr->setToolTip(tr("Students scan this to open %1").arg(url.toString()));
        auto* text = new QLabel(u"<b>%1</b>"_s.arg(url.toString().toHtmlEscaped()));
        text->setTextInteractionFlags(Qt::TextSelectableByMouse);
        text->setAlignment(Qt::AlignHCenter);
        box->addWidget(qr, 0, Qt::AlignHCenter);
        box->addWidget(text);
        row->addLayout(box);
    }
    row->addStretch();
    auto* scroll = new QScrollArea;
    scroll->setWidget(addresses);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setMinimumHeight(urls.isEmpty() ? 60 : 230);
    layout->addWidget(scroll);

    auto* endpoints = new QLabel(tr("WebSocket: %1 — also /chat?name=NAME, /push?interval=MS, GET /poll")
                                     .arg(host->localUrl(u"/echo"_s).toString()));
    endpoints->setTextInteractionFlags(Qt::TextSelectableByMouse);
    endpoints->setWordWrap(true);
    layout->addWidget(endpoints);

    m_table->setObjectName(u"serverClients"_s);
    m_table->setModel(m_clients);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setAlternatingRowColors(true);
    layout->addWidget(m_table, 1);

    auto* buttons = new QHBoxLayout;
    m_disconnect->setEnabled(false);
    m_disconnect->setToolTip(tr("Close the selected client's connection (code 1008)"));
    auto* copy = new QPushButton(tr("&Copy address"), this);
    auto* stop = new QPushButton(tr("&Stop server"), this);
    buttons->addWidget(m_disconnect);
    buttons->addStretch();
    buttons->addWidget(copy);
    buttons->addWidget(stop);
    layout->addLayout(buttons);

    connect(host, &ServerHost::clientsChanged, m_clients, &ServerClientModel::setClients);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        [this] { m_disconnect->setEnabled(m_table->selectionModel()->hasSelection()); });
    connect(m_clients, &QAbstractItemModel::rowsRemoved, this,
        [this] { m_disconnect->setEnabled(m_table->selectionModel()->hasSelection()); });
    connect(m_disconnect, &QPushButton::clicked, this, [this] {
        const QModelIndexList rows = m_table->selectionModel()->selectedRows();
        if (!rows.isEmpty())
            m_host->disconnectClient(rows.first().data(ServerClientModel::IdRole).toULongLong());
    });
    connect(copy, &QPushButton::clicked, this, [this, urls] {
        QApplication::clipboard()->setText(
            (urls.isEmpty() ? m_host->localUrl(u"/"_s, u"http"_s) : urls.first()).toString());
    });
    connect(stop, &QPushButton::clicked, this, &ServerView::stopRequested);
}

ServerView::~ServerView() = default;

} // namespace wsi
