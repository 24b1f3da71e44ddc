#pragma once

#include "util/result.h"

#include <QObject>
#include <QPointer>

#include <functional>

namespace wsi {

class MainWindow;
class SessionView;

// Carries out the lesson's "Do it" and "Look here" links in the main window: connects to the
// built-in servers, sends through the current session, switches to the panel a step talks about
// and outlines it for a moment.
class LessonController : public QObject
{
    Q_OBJECT
public:
    explicit LessonController(MainWindow* window);
    ~LessonController() override;

    // "do:send-text", "look:handshake", ... Returns false for a target it does not know.
    bool run(const QString& target);

Q_SIGNALS:
    // A short sentence for the status bar ("Connecting to the echo server first…").
    void message(const QString& text);

private:
    SessionView* echoView(bool connect);
    // Runs f once the current (or a new echo) session is open.
    void withOpenSession(std::function<Result<void>(SessionView*)> f);
    void outline(QWidget* widget);

    MainWindow* m_window;
};

} // namespace wsi
