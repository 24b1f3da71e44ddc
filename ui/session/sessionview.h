#pragma once

#include "profiles/profile.h"
#include "session/session.h"

#include <QElapsedTimer>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableView;
class QTabWidget;

namespace wsi {

struct Action;
class ActionRunner;
class CodePanel;
class HandshakePanel;
class LogPanel;
class MiniProgramPanel;
class MessageLogModel;
class PayloadView;
class SendPanel;
class TlsPanel;

// One tab: a session's connection bar, its live log, the selected row's details and the send panel.
class SessionView : public QWidget
{
    Q_OBJECT
public:
    explicit SessionView(const Profile& profile, QWidget* parent = nullptr);
    ~SessionView() override;

    Session* session() const { return m_session; }
    MessageLogModel* logModel() const { return m_model; }
    SendPanel* sendPanel() const { return m_sendPanel; }
    PayloadView* payloadView() const { return m_payloadView; }
    QTableView* logView() const { return m_logView; }
    LogPanel* logPanel() const { return m_logPanel; }
    QString title() const;
    // "Open · 00:01:23 · ws://…" for the status bar.
    QString statusText() const;
    // How long the connection has been open ("00:01:23"); empty when not open.
    QString elapsedText() const;

    void connectSession();
    void disconnectSession();

    HandshakePanel* handshakePanel() const { return m_handshakePanel; }
    TlsPanel* tlsPanel() const { return m_tlsPanel; }
    CodePanel* codePanel() const { return m_codePanel; }
    MiniProgramPanel* miniProgramPanel() const { return m_miniProgramPanel; }
    // The "Mini-program check" button: shows the Mini program page and checks this tab's profile.
    void runMiniProgramCheck();
    // Explain mode: header meanings in the handshake, the browser's readyState beside the state.
    void setExplainMode(bool on);
    bool explainMode() const { return m_explain; }
    // Presentation mode's high-contrast log rows.
    void setHighContrast(bool on);
    // "1 OPEN": the browser's WebSocket.readyState for a session state, and what it means there and
    // in a mini program's SocketTask.
    static QString readyStateName(Session::State state);
    static QString readyStateExplanation(Session::State state);
    // Brings one of the detail pages (payload, handshake, TLS, code) to the front.
    void showDetail(QWidget* page);

    // Starts recording to path (JSON Lines); empty stops. Returns an error message or empty.
    QString setRecording(const QString& path);
    bool isRecording() const;

    // Carries out actions (the window's command line) once the session is open, through the send
    // panel's composer so {{counter}} continues there; each failure appears in the log as an error.
    void runActions(const QList<Action>& actions);
    ActionRunner* actionRunner() const { return m_actionRunner; }
    // Adds an error line to this tab's log (something the user asked for did not happen).
    void logError(const QString& message);

Q_SIGNALS:
    // The session's profile changed (a pinned certificate, history, saved messages): persist it.
    void profileChanged(const wsi::Profile& profile);
    // The server redirected and the user asked to connect to the new location.
    void retryRequested(const QUrl& url);
    void titleChanged(const QString& title);
    void statusChanged();
    // Something the status bar should say (recording stopped because the disk is full).
    void message(const QString& text);

private:
    void onStateChanged(Session::State state, const QString& reason);
    void onEntries(const LogBatch& batch);
    void showRow(int row);

    Session* m_session = nullptr;
    MessageLogModel* m_model = nullptr;
    QLineEdit* m_url = nullptr;
    QPushButton* m_connectButton = nullptr;
    QPushButton* m_recordButton = nullptr;
    QLabel* m_stateLabel = nullptr;
    LogPanel* m_logPanel = nullptr;
    QTableView* m_logView = nullptr;
    QTabWidget* m_details = nullptr;
    PayloadView* m_payloadView = nullptr;
    SendPanel* m_sendPanel = nullptr;
    HandshakePanel* m_handshakePanel = nullptr;
    TlsPanel* m_tlsPanel = nullptr;
    ActionRunner* m_actionRunner = nullptr;
    CodePanel* m_codePanel = nullptr;
    MiniProgramPanel* m_miniProgramPanel = nullptr;
    QPushButton* m_checkButton = nullptr;
    QElapsedTimer m_openSince;
    bool m_explain = false;
};

} // namespace wsi
