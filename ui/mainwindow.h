#pragma once

#include "profiles/profile.h"

#include <QMainWindow>
#include <QTimer>

class QTabWidget;
class QDockWidget;
class QLabel;

namespace wsi {

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
    SessionView* currentSessionView() const;
    // How much each session's log keeps in memory before its oldest rows leave the view
    // (a running capture file still has them). Saved in the settings; applies to open tabs too.
    qint64 logMemoryCap() const { return m_logMemoryCap; }
    void setLogMemoryCap(qint64 bytes);
    QTabWidget* tabs() const { return m_tabs; }
    ProfilePanel* profilePanel() const { return m_profilePanel; }
    // Help → WebSocket lesson: the guided lesson in a dock beside the sessions.
    void showLesson();
    LessonPanel* lessonPanel() const { return m_lessonPanel; }
    LessonController* lessonController() const { return m_lessonController; }

private:
    void openSelectedProfile();
    void closeTab(int index);
    void updateStatus();

    ProfileStore* m_store = nullptr;
    ProfilePanel* m_profilePanel = nullptr;
    QTabWidget* m_tabs = nullptr;
    QLabel* m_statusLabel = nullptr;
    LessonPanel* m_lessonPanel = nullptr;
    LessonController* m_lessonController = nullptr;
    QDockWidget* m_lessonDock = nullptr;
    QTimer m_statusTimer;
    qint64 m_logMemoryCap = 0;
};

} // namespace wsi
