#pragma once

#include "capture/capturedocument.h"

#include <QHash>
#include <QWidget>

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QStackedWidget;
class QTabWidget;

namespace wsi {

class CaptureLoader;
class HandshakePanel;
class LogPanel;
class MessageLogModel;
class PayloadView;
class TlsPanel;

// A read-only tab for an opened capture or HAR file: the same log, filter, statistics, payload,
// frames, handshake and TLS views as a live session, on the same models, fed by a CaptureLoader
// instead of a Session. A file with several connections offers each in a list.
class CaptureView : public QWidget
{
    Q_OBJECT
public:
    explicit CaptureView(QWidget* parent = nullptr);
    ~CaptureView() override;

    // Starts reading the file; rows appear as it is read.
    void open(const QString& path);
    void cancel();
    bool isLoading() const;
    QString path() const { return m_path; }
    QString title() const;
    QStringList notices() const { return m_notices; }
    QString errorText() const { return m_error; }

    int connectionCount() const { return int(m_pages.size()); }
    // Shows connection id (as the file numbers them).
    void showConnection(int id);
    int currentConnection() const;
    MessageLogModel* model(int connectionId) const;
    LogPanel* logPanel(int connectionId) const;
    PayloadView* payloadView() const { return m_payloadView; }
    HandshakePanel* handshakePanel() const { return m_handshakePanel; }
    QComboBox* connectionList() const { return m_connectionList; }

    // The whole file (every connection), or the current connection's selected rows.
    QList<CapturedSession> sessions() const;
    QList<CapturedSession> selectedRows() const;
    CapturedSession currentSession() const;
    void setMemoryCap(qint64 bytes);

Q_SIGNALS:
    void titleChanged(const QString& title);
    void loaded(); // the file was read to its end (or cancelled, or failed)
    void replayRequested();
    void exportRequested(bool selectedOnly);

private:
    struct Page
    {
        CapturedConnection connection;
        MessageLogModel* model = nullptr;
        LogPanel* panel = nullptr;
    };
    void onChunk(const CaptureChunk& chunk);
    void onFinished(bool cancelled, const QString& error);
    void updateNotice();
    void updateDetails();
    void showRow(int row);
    CapturedSession sessionOf(const Page& page, const QList<int>& rows) const;

    QString m_path;
    CaptureLoader* m_loader = nullptr;
    QLabel* m_fileLabel = nullptr;
    QComboBox* m_connectionList = nullptr;
    QProgressBar* m_progress = nullptr;
    QPushButton* m_cancelButton = nullptr;
    QPushButton* m_exportButton = nullptr;
    QPushButton* m_replayButton = nullptr;
    QLabel* m_notice = nullptr;
    QStackedWidget* m_stack = nullptr;
    QTabWidget* m_details = nullptr;
    PayloadView* m_payloadView = nullptr;
    HandshakePanel* m_handshakePanel = nullptr;
    TlsPanel* m_tlsPanel = nullptr;
    QHash<int, Page> m_pages;
    QStringList m_notices;
    QString m_error;
    qint64 m_memoryCap = 0;
    bool m_cancelled = false;
};

} // namespace wsi
