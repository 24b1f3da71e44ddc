#include "serverpanel.h"

#include "server/serverhost.h"
#include "serverview.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QNetworkInterface>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace wsi {

ServerPanel::ServerPanel(QWidget* parent)
    : QWidget(parent)
    , m_address(new QComboBox(this))
    , m_port(new QSpinBox(this))
    , m_start(new QPushButton(tr("&Start server"), this))
    , m_warning(new QLabel(this))
    , m_error(new QLabel(this))
    , m_servers(new QTabWidget(this))
{
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    m_address->setObjectName(u"serverAddress"_s);
    fillAddresses();
    form->addRow(tr("Listen on:"), m_address);
    m_port->setObjectName(u"serverPort"_s);
    m_port->setRange(0, 65535);
    m_port->setSpecialValueText(tr("any free port"));
    m_port->setValue(8080);
    auto* portRow = new QHBoxLayout;
    portRow->addWidget(m_port);
    portRow->addWidget(m_start);
    portRow->addStretch();
    form->addRow(tr("Port:"), portRow);
    layout->addLayout(form);

    m_warning->setObjectName(u"serverWarning"_s);
    m_warning->setWordWrap(true);
    m_warning->setText(tr("⚠ Everyone on this network can reach this server and its chat."));
    layout->addWidget(m_warning);
    m_error->setObjectName(u"serverError"_s);
    m_error->setWordWrap(true);
    m_error->hide();
    layout->addWidget(m_error);

    m_servers->setObjectName(u"servers"_s);
    m_servers->setDocumentMode(true);
    layout->addWidget(m_servers, 1);

    connect(m_address, &QComboBox::currentIndexChanged, this, &ServerPanel::updateWarning);
    connect(m_start, &QPushButton::clicked, this, &ServerPanel::startServer);
    updateWarning();
}

ServerPanel::~ServerPanel() = default;

void ServerPanel::fillAddresses()
{
    m_address->addItem(tr("This computer only (127.0.0.1)"), u"127.0.0.1"_s);
    m_address->addItem(tr("All interfaces (students can connect)"), u"0.0.0.0"_s);
    for (const QNetworkInterface& i : QNetworkInterface::allInterfaces()) {
        if (!(i.flags() & QNetworkInterface::IsUp) || (i.flags() & QNetworkInterface::IsLoopBack))
            continue;
        for (const QNetworkAddressEntry& e : i.addressEntries()) {
            const QHostAddress a = e.ip();
            if (a.protocol() != QAbstractSocket::IPv4Protocol || a.isLinkLocal())
                continue;
            m_address->addItem(tr("Only %1 (%2)").arg(a.toString(), i.humanReadableName()), a.toString());
        }
    }
}

void ServerPanel::updateWarning()
{
    m_warning->setVisible(m_address->currentIndex() > 0);
}

void ServerPanel::setPort(int port)
{
    m_port->setValue(port);
}

void ServerPanel::setListenChoice(int index)
{
    m_address->setCurrentIndex(index);
}

int ServerPanel::serverCount() const
{
    return m_servers->count();
}

ServerHost* ServerPanel::serverAt(int index) const
{
    auto* view = qobject_cast<ServerView*>(m_servers->widget(index));
    return view ? view->host() : nullptr;
}

QString ServerPanel::errorText() const
{
    return m_error->isVisible() ? m_error->text() : QString();
}

bool ServerPanel::startServer()
{
    ListenOptions options;
    options.address = QHostAddress(m_address->currentData().toString());
    options.port = quint16(m_port->value());
    options.allowNetwork = m_address->currentIndex() > 0; // chosen in the combo: explicit
    auto* host = new ServerHost;
    if (const Result<void> started = host->start(options); !started) {
        delete host;
        m_error->setText(started.errorMessage());
        m_error->show();
        Q_EMIT message(started.errorMessage());
        return false;
    }
    m_error->hide();
    addServerTab(host);
    if (m_port->value() > 0)
        m_port->setValue(std::min(65535, m_port->value() + 1)); // the next server needs another port
    Q_EMIT message(tr("Server started on port %1.").arg(host->port()));
    return true;
}

void ServerPanel::addServerTab(ServerHost* host)
{
    auto* view = new ServerView(host);
    const QString address = host->options().address.toString();
    const int index = m_servers->addTab(view, u"%1:%2"_s.arg(address).arg(host->port()));
    m_servers->setCurrentIndex(index);
    connect(view, &ServerView::stopRequested, this, [this, view] {
        const int port = view->host()->port();
        m_servers->removeTab(m_servers->indexOf(view));
        view->deleteLater(); // stops the server (its host is a child)
        Q_EMIT message(tr("Server on port %1 stopped.").arg(port));
    });
}

} // namespace wsi
