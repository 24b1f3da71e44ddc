#pragma once

#include "profiles/profile.h"

#include <QFont>
#include <QMainWindow>
#include <QTimer>

class QTabWidget;
class QDockWidget;
class QLabel;
class QMenu;

namespace wsi {

struct CliOptions;
class CaptureDocuments;
class CaptureView;
class LessonController;
class LessonPanel;
class ProfilePanel;
class ProfileRepository;
class ProfileStore;
class SessionView;

// The inspector's window: the profile list in a dock on the left, one tab per connection in the
// middle, and the menus that hold every command.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens a tab for the profile; connects at once when asked.
    SessionView* openSession(const Profile& profile, bool connectNow);
    // Opens a tab for `wsinspector URL [options]` and connects: --capture records from the start,
    // and -x, --execute-binary, --ping, --close, --frame-size and -w are carried out once it is open.
    SessionView* openCommandLine(const CliOptions& options);
    SessionView* currentSessionView() const;
    // A read-only tab for a capture (.jsonl) or HAR file (File → Open…, drag and drop, `wsinspector FILE`).
    CaptureView* openCaptureFile(const QString& path);
    CaptureDocuments* captureDocuments() const { return m_captures; }
    // How much each session's log keeps in memory before its oldest rows leave the view
    // (a running capture file still has them). Saved in the settings; applies to open tabs too.
    qint64 logMemoryCap() const { return m_logMemoryCap; }
    void setLogMemoryCap(qint64 bytes);
    QTabWidget* tabs() const { return m_tabs; }
    ProfilePanel* profilePanel() const { return m_profilePanel; }
    QDockWidget* profilesDock() const { return m_profilesDock; }
    // The one owner of the saved profiles; tabs and the profile panel follow it.
    ProfileRepository* profileRepository() const { return m_repository; }
    // File → New connection (Ctrl+T): an empty unsaved tab with the address bar focused.
    SessionView* newConnection();
    // File → Save as profile… (Ctrl+S) for the current tab.
    void saveCurrentAsProfile();
    // View → Explain mode: every tab explains headers and states (see SessionView::setExplainMode).
    void setExplainMode(bool on);
    bool explainMode() const { return m_explain; }
    // View → Presentation (F11): full screen, larger text, profile list hidden, explain mode on;
    // turning it off restores what was there before. Composes with the zoom.
    void setPresentationMode(bool on);
    bool presentationMode() const { return m_presentation; }
    // View → Zoom: the text of the session tabs (log rows, payload, handshake, TLS, send panel) in
    // percent of the normal size, AppSettings::kZoomMin to kZoomMax; remembered.
    void setZoomPercent(int percent);
    int zoomPercent() const { return m_zoom; }
    void zoomIn();
    void zoomOut();
    // Help → WebSocket lesson: the guided lesson in a dock beside the sessions.
    void showLesson();
    LessonPanel* lessonPanel() const { return m_lessonPanel; }
    LessonController* lessonController() const { return m_lessonController; }
    // Every menu command with its shortcut, plus the keys the panels handle themselves, as
    // (command, keys) rows for Help → Keyboard shortcuts.
    QList<std::pair<QString, QString>> shortcutList() const;
    void showShortcuts();
    // SIGTERM/SIGINT (a logout, `kill`, Ctrl+C in the terminal that started the window): keeps what
    // can be kept without asking — the Profiles editor's valid edits, pending profile writes, the
    // layout — because nobody may be there to answer a dialog. Unsaved tabs cannot be named, so
    // their settings are lost (a question would block the shutdown).
    void saveBeforeTermination();
    // The signal handler's whole answer: saveBeforeTermination(), then the event loops end (a dialog
    // that is open included) without a close event, so no question is asked; later signals repeat it.
    void endOnSignal();

protected:
    void closeEvent(QCloseEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void createMenus();
    void openSelectedProfile();
    void closeTab(int index);
    // Before tabs close (one tab, or every tab when the window quits): unsaved connections that hold
    // something worth keeping are offered for saving as profiles, once: Save as profile… / Discard /
    // Cancel, or for several one list with Save all… / Discard all / Cancel. True when the tabs may
    // close; on Cancel (or a save that did not happen) the first such tab shows its Settings page.
    bool confirmClosingUnsaved(const QList<SessionView*>& views, bool quitting);
    void updateStatus();
    void updateActions();
    void applyFonts();
    void saveLayout();

    ProfileStore* m_store = nullptr;
    ProfileRepository* m_repository = nullptr;
    CaptureDocuments* m_captures = nullptr;
    ProfilePanel* m_profilePanel = nullptr;
    QTabWidget* m_tabs = nullptr;
    QLabel* m_statusLabel = nullptr;
    LessonPanel* m_lessonPanel = nullptr;
    LessonController* m_lessonController = nullptr;
    QDockWidget* m_lessonDock = nullptr;
    QDockWidget* m_profilesDock = nullptr;
    QAction* m_connectAction = nullptr;
    QAction* m_recordAction = nullptr;
    QAction* m_saveAsProfileAction = nullptr;
    QAction* m_closeTabAction = nullptr;
    QAction* m_maximizeDetailsAction = nullptr;
    QAction* m_statisticsAction = nullptr;
    QAction* m_explainAction = nullptr;
    QAction* m_presentationAction = nullptr;
    QAction* m_zoomInAction = nullptr;
    QAction* m_zoomOutAction = nullptr;
    QAction* m_zoomResetAction = nullptr;
    bool m_explain = false;
    bool m_presentation = false;
    bool m_terminating = false; // endOnSignal(): nothing may ask a question any more
    bool m_applyingFonts = false;
    bool m_layoutRestored = false; // dock sizes came from the settings
    int m_zoom = 100;
    QFont m_baseFont; // the application font before presentation mode
    struct BeforePresentation
    {
        bool explain = false;
        bool profilesVisible = true;
        Qt::WindowStates windowState;
    } m_beforePresentation;
    QTimer m_statusTimer;
    qint64 m_logMemoryCap = 0;
};

} // namespace wsi
