#pragma once

#include "profiles/profile.h"
#include "session/session.h"
#include "util/result.h"

#include <QElapsedTimer>
#include <QWidget>

class QCompleter;
class QLabel;
class QLineEdit;
class QStringListModel;
class QPlainTextEdit;
class QPushButton;
class QTableView;
class QTabWidget;
class QToolButton;

namespace wsi {

struct Action;
class ActionRunner;
class CodePanel;
class HandshakePanel;
class LogPanel;
class MiniProgramPanel;
class MessageLogModel;
class PayloadView;
class ProfileEditor;
class ProfileRepository;
class SendPanel;
class TlsPanel;

// One tab: a session's address bar, its live log, the selected row's details and the send panel.
// A tab opened from a saved profile follows that profile in the ProfileRepository and sends back
// field-level changes (a pinned certificate, history, saved messages); any other tab is an unsaved
// connection whose settings are edited in place (the Settings page) until it is saved as a profile.
class SessionView : public QWidget
{
    Q_OBJECT
public:
    explicit SessionView(const Profile& profile, QWidget* parent = nullptr);
    ~SessionView() override;

    // Ties the tab to the saved profile of the same id in the repository (if there is one) and
    // follows its changes. Without a repository every tab is an unsaved connection.
    void setProfileRepository(ProfileRepository* repository);
    // True when the tab follows a saved profile.
    bool isSavedProfile() const;
    QString savedProfileId() const { return m_profileId; }

    // The address bar: Enter (or goToAddress) connects, or reconnects when the address changed.
    QLineEdit* addressBar() const { return m_url; }
    void focusAddressBar();
    // Takes what the address bar holds. False, with the reason shown under the bar, when it is not
    // an address; nothing is sent then.
    bool goToAddress();
    // What is shown under the address bar (a problem with the address, or what was changed in it).
    QString addressMessage() const;
    // Says under the address bar what was changed in an address given elsewhere (the command line).
    void showAddressNotice(const QString& text) { showAddressMessage(text, false); }
    // The unsaved connection's settings editor (nullptr once the tab follows a saved profile).
    ProfileEditor* settingsEditor() const { return m_settingsEditor; }
    // Saves this tab's connection as a profile named name (made unique) and ties the tab to it;
    // for a saved profile's tab, writes the address typed in the bar into that profile.
    // Returns the profile id, or the reason it could not be saved.
    Result<QString> saveAsProfile(const QString& name);
    // Asks for a name (for an unsaved tab) and saves; the File menu's "Save as profile…". False when
    // nothing was saved: the name prompt was cancelled, or the reason is shown under the address bar
    // (a problem on the Settings page, which is brought to the front).
    bool saveAsProfileInteractive();
    // What closing this tab would lose, as the settings editor's field labels ("Headers", "Pinned
    // certificates", "Saved messages"): for an unsaved connection, what it holds beyond the settings
    // it was opened with, and Settings-page input that is not valid yet. Empty for a saved profile's
    // tab and for a tab with nothing worth keeping; the address and the send history alone do not
    // count (every tab has an address and every send adds to the history).
    QStringList unsavedSettings() const;
    bool hasUnsavedSettings() const { return !unsavedSettings().isEmpty(); }
    // The settings the tab was opened with, which unsavedSettings() compares with: a fresh
    // connection's, or what the command line, a built-in server or the lesson gave. A redirect's tab
    // takes the baseline of the tab it came from.
    const Profile& settingsBaseline() const { return m_settingsBaseline; }
    void setSettingsBaseline(const Profile& profile) { m_settingsBaseline = profile; }
    // Brings an unsaved connection's Settings page to the front with the keyboard focus in it.
    void showSettings();
    QWidget* settingsPage() const;
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
    // Connecting, open, closing or waiting to reconnect: the tab's button says Disconnect.
    bool isBusy() const;
    // What the tab's Connect/Disconnect button does (also Session → Connect, F5).
    void toggleConnection();
    // What the tab's Record button does: asks for a file and starts, or stops.
    void toggleRecording();
    // The detail pages (payload, handshake, TLS, code) over the whole tab, log and send panel hidden.
    void setDetailsMaximized(bool on);
    bool detailsMaximized() const { return m_detailsMaximized; }
    // The statistics under the log (View → Statistics).
    void setStatisticsVisible(bool on);

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
    // The tab's connection was saved as the profile with this id.
    void savedAsProfile(const QString& id);
    // The server redirected and the user asked to connect to the new location.
    void retryRequested(const QUrl& url);
    void titleChanged(const QString& title);
    void statusChanged();
    void detailsMaximizedChanged(bool on);
    // Something the status bar should say (recording stopped because the disk is full).
    void message(const QString& text);

private:
    void onStateChanged(Session::State state, const QString& reason);
    void onEntries(const LogBatch& batch);
    void showRow(int row);
    // The session's profile changed (from the repository, the address bar or the settings editor).
    void applyProfile(const Profile& profile);
    void onRepositoryChanged(const QString& id);
    void pinCertificate(const QString& fingerprint);
    void showAddressMessage(const QString& text, bool error);
    void updateCertificateOffer();
    void createSettingsEditor();
    // The connection as Save as profile would keep it (the Settings page's valid input over the
    // session's profile), normalised; not checked.
    Profile connectionToSave() const;
    // The reason this unsaved connection cannot be saved yet (the Settings page's or the profile's
    // first problem); empty when it can.
    QString saveProblem(const Profile& connection) const;
    void dropSettingsEditor();
    void updateSettingsConnectOffer();
    bool isTlsCertificateFailure() const;

    Session* m_session = nullptr;
    MessageLogModel* m_model = nullptr;
    QLineEdit* m_url = nullptr;
    QPushButton* m_connectButton = nullptr;
    QPushButton* m_recordButton = nullptr;
    QLabel* m_stateLabel = nullptr;
    LogPanel* m_logPanel = nullptr;
    QTableView* m_logView = nullptr;
    QTabWidget* m_details = nullptr;
    QWidget* m_sendBox = nullptr;
    QToolButton* m_maximizeButton = nullptr;
    bool m_detailsMaximized = false;
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
    ProfileRepository* m_repository = nullptr;
    QString m_profileId; // the saved profile this tab follows; empty for an unsaved connection
    QString m_addressOverride; // a saved profile's tab connects to this address instead (typed in the bar)
    QLabel* m_addressMessage = nullptr;
    QPushButton* m_saveOfferButton = nullptr;
    QPushButton* m_showCertificateButton = nullptr;
    QCompleter* m_completer = nullptr;
    QStringListModel* m_recent = nullptr;
    ProfileEditor* m_settingsEditor = nullptr;
    Profile m_settingsBase; // what the settings editor last announced (edited()), the base of its next change
    Profile m_settingsBaseline; // what the tab was opened with: unsavedSettings() is what differs from it
    bool m_reopenWhenClosed = false;
    Profile m_settingsInUse; // what the running connection was opened with (Settings page: reconnect offer)
};

} // namespace wsi
