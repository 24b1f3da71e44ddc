#pragma once

#include "wire/wiretypes.h"

#include <QUrl>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSplitter;
class QTableWidget;
class QTabWidget;

namespace wsi {

// The opening handshake both ways, exactly as on the wire: raw heads and header tables, the
// Sec-WebSocket-Accept check, what was negotiated and where the time went.
class HandshakePanel : public QWidget
{
    Q_OBJECT
public:
    explicit HandshakePanel(QWidget* parent = nullptr);
    ~HandshakePanel() override;

    void setHandshake(const HandshakeInfo& info, const QUrl& requestUrl);
    void clear();
    // Explain mode: a column with a one-line explanation of every header.
    void setExplainMode(bool on);
    bool explainMode() const { return m_explain; }

    static QString formatDuration(qint64 us);

Q_SIGNALS:
    // A 301/302/307/308 response: the user asked to try the Location it named.
    void retryRequested(const QUrl& url);

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void fillTable(QTableWidget* table, const HttpHead& head);

    QLabel* m_summary = nullptr;
    QPlainTextEdit* m_requestRaw = nullptr;
    QTableWidget* m_requestTable = nullptr;
    QPlainTextEdit* m_responseRaw = nullptr;
    QTableWidget* m_responseTable = nullptr;
    QPlainTextEdit* m_acceptCheck = nullptr;
    QPushButton* m_retryButton = nullptr;
    QTabWidget* m_responseTabs = nullptr;
    QSplitter* m_split = nullptr;
    bool m_explain = false;
    QUrl m_retryUrl;
};

} // namespace wsi
