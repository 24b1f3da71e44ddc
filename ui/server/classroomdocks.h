#pragma once

class QMainWindow;
class QMenu;

namespace wsi {

// Adds the Server panel and the push-versus-polling view to a main window as hidden docks, with
// one menu entry each: the window's single hook for the classroom features.
void installClassroomDocks(QMainWindow* window, QMenu* menu);

} // namespace wsi
