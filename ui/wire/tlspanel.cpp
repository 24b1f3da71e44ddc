#include "tlspanel.h"

#include "style/style.h"

#include <QCryptographicHash>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSslCertificate>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace wsi {

TlsPanel::TlsPanel(QWidget* parent)
    : QWidget(parent)
    , m_summary(new QLabel(this))
    , m_chain(new QTreeWidget(this))
    , m_trustButton(new QPushButton(this))
{
    m_summary->setObjectName(u"tlsSummary"_s);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_chain->setObjectName(u"tlsChain"_s);
    m_chain->setColumnCount(2);
    m_chain->setHeaderLabels({ tr("Certificate"), tr("Value") });
    m_chain->header()->setStretchLastSection(true);
    m_trustButton->setObjectName(u"trustButton"_s);
    updateTrustButton();
    m_trustButton->hide();
    connect(m_trustButton, &QPushButton::clicked, this, [this] { Q_EMIT trustRequested(m_leafFingerprint); });

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_chain, 1);
    layout->addWidget(m_trustButton, 0, Qt::AlignLeft);
    clear();
}

TlsPanel::~TlsPanel() = default;

QString TlsPanel::fingerprint(const QByteArray& pem)
{
    const auto certs = QSslCertificate::fromData(pem, QSsl::Pem);
    if (certs.isEmpty())
        return {};
    return QString::fromLatin1(certs.first().digest(QCryptographicHash::Sha256).toHex(':').toUpper());
}

void TlsPanel::clear()
{
    m_info = {};
    m_summary->setText(tr("TLS details appear here for wss:// connections."));
    m_chain->clear();
    m_trustButton->hide();
}

namespace {
QString comparable(QString fingerprint)
{
    return fingerprint.remove(u':').remove(u' ').toLower();
}
} // namespace

void TlsPanel::setPinnedFingerprints(const QStringList& fingerprints)
{
    if (fingerprints == m_pinned)
        return;
    m_pinned = fingerprints;
    refresh();
}

void TlsPanel::setSavedProfile(bool saved)
{
    if (saved == m_savedProfile)
        return;
    m_savedProfile = saved;
    updateTrustButton();
    refresh();
}

void TlsPanel::updateTrustButton()
{
    if (m_savedProfile) {
        m_trustButton->setText(tr("Trust this certificate for this profile"));
        m_trustButton->setToolTip(tr("Pins this certificate's SHA-256 fingerprint in the profile; other certificate "
                                     "problems still stop the connection."));
    } else {
        m_trustButton->setText(tr("Trust this certificate in this tab"));
        m_trustButton->setToolTip(tr("Trusts this certificate's SHA-256 fingerprint until the tab is closed (save the "
                                     "connection as a profile to keep it); other certificate problems still stop the "
                                     "connection."));
    }
}

void TlsPanel::setTlsInfo(const TlsInfo& info)
{
    m_info = info;
    refresh();
}

void TlsPanel::refresh()
{
    const TlsInfo& info = m_info;
    m_chain->clear();
    if (info.isEmpty()) {
        clear();
        return;
    }
    const QString leaf = info.peerChainPem.isEmpty() ? QString() : fingerprint(info.peerChainPem.first());
    bool pinned = false;
    for (const QString& p : std::as_const(m_pinned))
        pinned = pinned || (!leaf.isEmpty() && comparable(p) == comparable(leaf));
    QStringList lines;
    lines << tr("<b>%1</b>, cipher %2").arg(info.protocol.toHtmlEscaped(), info.cipher.toHtmlEscaped());
    if (!info.verified && pinned) {
        lines << (m_savedProfile ? tr("<b>Trusted</b>: SHA-256 %1 pinned for this profile.").arg(leaf.toHtmlEscaped())
                                 : tr("<b>Trusted</b>: SHA-256 %1 pinned in this tab only.").arg(leaf.toHtmlEscaped()));
        if (!info.verificationErrors.isEmpty())
            lines << tr("Not verified by the usual checks: %1")
                         .arg(info.verificationErrors.join(u"; "_s).toHtmlEscaped());
    } else if (info.verified) {
        lines << tr("<span style='color:#1b7f3a'>✓ Certificate verified</span> for this host.");
    } else {
        lines << tr("<span style='color:#b00020'>✗ Certificate not verified</span>: %1")
                     .arg(info.verificationErrors.join(u"; "_s).toHtmlEscaped());
    }
    m_summary->setText(Style::themedHtml(lines.join(u"<br>"_s), palette()));

    for (int i = 0; i < info.peerChainPem.size(); ++i) {
        const auto certs = QSslCertificate::fromData(info.peerChainPem.at(i), QSsl::Pem);
        if (certs.isEmpty())
            continue;
        const QSslCertificate& c = certs.first();
        auto* item = new QTreeWidgetItem(m_chain);
        item->setText(0, i == 0 ? tr("Server certificate") : tr("Issuer %1").arg(i));
        item->setText(1, c.subjectDisplayName());
        auto add = [item](const QString& name, const QString& value) {
            auto* child = new QTreeWidgetItem(item);
            child->setText(0, name);
            child->setText(1, value);
            child->setToolTip(1, value);
        };
        add(tr("Subject"), c.subjectInfo(QSslCertificate::CommonName).join(u", "_s));
        add(tr("Issuer"), c.issuerDisplayName());
        add(tr("Valid from"), c.effectiveDate().toString(Qt::ISODate));
        add(tr("Valid until"), c.expiryDate().toString(Qt::ISODate));
        QStringList sans;
        const auto alt = c.subjectAlternativeNames();
        for (auto it = alt.cbegin(); it != alt.cend(); ++it)
            sans << (it.key() == QSsl::DnsEntry                ? u"DNS:"_s
                            : it.key() == QSsl::IpAddressEntry ? u"IP:"_s
                                                               : u"email:"_s)
                    + it.value();
        add(tr("Alternative names"), sans.isEmpty() ? tr("none") : sans.join(u", "_s));
        add(tr("SHA-256"), QString::fromLatin1(c.digest(QCryptographicHash::Sha256).toHex(':').toUpper()));
        item->setExpanded(i == 0);
    }
    m_chain->resizeColumnToContents(0);
    m_leafFingerprint = leaf;
    m_trustButton->setVisible(!info.verified && !pinned && !m_leafFingerprint.isEmpty());
}

} // namespace wsi
