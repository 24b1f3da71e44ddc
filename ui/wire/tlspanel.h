#pragma once

#include "wire/wiretypes.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTreeWidget;

namespace wsi {

// TLS of a wss connection: version, cipher, the peer's certificate chain and the verification
// result. A failed verification offers to trust that one certificate for the profile.
class TlsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit TlsPanel(QWidget* parent = nullptr);
    ~TlsPanel() override;

    void setTlsInfo(const TlsInfo& info);
    // The fingerprints pinned in the tab's profile: a pinned leaf reads "Trusted", not "not verified".
    void setPinnedFingerprints(const QStringList& fingerprints);
    // Whether the tab has a saved profile: trust is then pinned "for this profile", else it lasts
    // as long as the tab ("in this tab only"). Off at first.
    void setSavedProfile(bool saved);
    void clear();

    // SHA-256 of the DER certificate, as colon-separated upper-case hex.
    static QString fingerprint(const QByteArray& pem);

Q_SIGNALS:
    // The user chose to trust this certificate (leaf) for this profile.
    void trustRequested(const QString& sha256Fingerprint);

private:
    QLabel* m_summary = nullptr;
    QTreeWidget* m_chain = nullptr;
    QPushButton* m_trustButton = nullptr;
    void refresh();
    void updateTrustButton();

    QString m_leafFingerprint;
    TlsInfo m_info;
    QStringList m_pinned;
    bool m_savedProfile = false;
};

} // namespace wsi
