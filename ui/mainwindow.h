#pragma once

#include "profiles/profile.h"

#include <QFont>
#include <QMainWindow>
#include <QTimer>

class QTabWidget;
class QDockWidget;
class QLabel;

namespace wsi {

struct CliOptions;
class CaptureDocuments;
class CaptureView;
class LessonController;
class LessonPanel;
class ProfilePanel;
class ProfileStore;
class SessionView;

// The inspector's window: profiles (list and editor) on the left, one tab per connection in the middle.
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
    // View → Explain mode: every tab explains headers and states (see SessionView::setExplainMode).
    void setExplainMode(bool on);
    bool explainMode() const { return m_explain; }
    // View → Presentation (F11): full screen, larger text, profile list hidden, explain mode on;
    // turning it off restores what was there before.
    void setPresentationMode(bool on);
    bool presentationMode() const { return m_presentation; }
    // Help → WebSocket lesson: the guided lesson in a dock beside the sessions.
    void showLesson();
    LessonPanel* lessonPanel() const { return m_lessonPanel; }
    LessonController* lessonController() const { return m_lessonController; }

private:
    void openSelectedProfile();
    void closeTab(int index);
    void updateStatus();

    ProfileStore* m_store = nullptr;
    CaptureDocuments* m_captures = nullptr;
    ProfilePanel* m_profilePanel = nullptr;
    QTabWidget* m_tabs = nullptr;
    QLabel* m_statusLabel = nullptr;
    LessonPanel* m_lessonPanel = nullptr;
    LessonController* m_lessonController = nullptr;
    QDockWidget* m_lessonDock = nullptr;
    QDockWidget* m_profilesDock = nullptr;
    QAction* m_explainAction = nullptr;
    QAction* m_presentationAction = nullptr;
    bool m_explain = false;
    bool m_presentation = false;
    struct BeforePresentation
    {
        QFont font;
        bool explain = false;
        bool profilesVisible = true;
        Qt::WindowStates windowState;
    } m_beforePresentation;
    QTimer m_statusTimer;
    qint64 m_logMemoryCap = 0;
};

} // namespace wsi
