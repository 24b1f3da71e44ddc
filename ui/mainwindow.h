#pragma once

#include "profiles/profile.h"

#include <QMainWindow>
#include <QTimer>

class QListWidget;
class QTabWidget;
class QLabel;

namespace wsi {

class SessionView;

// The inspector's window: saved profiles on the left, one tab per connection in the middle.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens a tab for the profile; connects at once when asked.
    SessionView* openSession(const Profile& profile, bool connectNow);
    SessionView* currentSessionView() const;
    QTabWidget* tabs() const { return m_tabs; }

private:
    void openSelectedProfile();
    void closeTab(int index);
    void updateStatus();

    QList<Profile> m_profiles;
    QListWidget* m_profileList = nullptr;
    QTabWidget* m_tabs = nullptr;
    QLabel* m_statusLabel = nullptr;
    QTimer m_statusTimer;
};

} // namespace wsi
