#pragma once

#include "profiles/profile.h"

#include <QMainWindow>
#include <QTimer>

class QTabWidget;
class QLabel;

namespace wsi {

struct CliOptions;
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
    // How much each session's log keeps in memory before its oldest rows leave the view
    // (a running capture file still has them). Saved in the settings; applies to open tabs too.
    qint64 logMemoryCap() const { return m_logMemoryCap; }
    void setLogMemoryCap(qint64 bytes);
    QTabWidget* tabs() const { return m_tabs; }
    ProfilePanel* profilePanel() const { return m_profilePanel; }

private:
    void openSelectedProfile();
    void closeTab(int index);
    void updateStatus();

    ProfileStore* m_store = nullptr;
    ProfilePanel* m_profilePanel = nullptr;
    QTabWidget* m_tabs = nullptr;
    QLabel* m_statusLabel = nullptr;
    QTimer m_statusTimer;
    qint64 m_logMemoryCap = 0;
};

} // namespace wsi
