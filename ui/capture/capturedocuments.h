#pragma once

#include "capture/capturedocument.h"
#include "util/result.h"

#include <QObject>

class QAction;
class QMainWindow;
class QMenu;
class QTabWidget;

namespace wsi {

class CaptureView;

// The window's capture files in one place: File → Open… and Export…, drag and drop of .jsonl and
// .har files onto the window, a read-only CaptureView tab per opened file, and Replay… from it.
// Export also works on a live session's tab (whole log or selected rows).
class CaptureDocuments : public QObject
{
    Q_OBJECT
public:
    CaptureDocuments(QMainWindow* window, QTabWidget* tabs);
    ~CaptureDocuments() override;

    // Adds Open… and Export… to the menu, before `before` (or at the end).
    void addMenuActions(QMenu* fileMenu, QAction* before = nullptr);
    CaptureView* open(const QString& path);
    // Exports the current tab (a capture or a live session) after asking for the file.
    void exportCurrent(bool selectedOnly);
    // Writes what exportCurrent would write, without asking (for tests and scripts).
    Result<void> exportCurrentTo(const QString& path, bool selectedOnly) const;
    void replayCurrent();
    void setMemoryCap(qint64 bytes);

    // By extension: .jsonl or .har.
    static bool isCaptureFile(const QString& path);

Q_SIGNALS:
    void message(const QString& text);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QList<CapturedSession> currentSessions(bool selectedOnly) const;

    QMainWindow* m_window = nullptr;
    QTabWidget* m_tabs = nullptr;
    qint64 m_memoryCap = 0;
};

} // namespace wsi
