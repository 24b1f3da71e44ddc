#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace wsi {

// The inspector's remembered preferences, typed: every QSettings key lives here and nowhere else,
// with its default and its range, so widgets ask for a value instead of spelling a key.
class AppSettings
{
public:
    // Memory each session's log may use before its oldest rows leave the view (bytes, ≥ 16 MiB).
    static qint64 logMemoryCap();
    static void setLogMemoryCap(qint64 bytes);
    static constexpr qint64 kMinLogMemoryCap = qint64(16) << 20;

    // View → Zoom, in percent of the normal text size.
    static constexpr int kZoomMin = 50;
    static constexpr int kZoomMax = 300;
    static constexpr int kZoomDefault = 100;
    static int zoomPercent();
    static void setZoomPercent(int percent);
    // The next step up or down from percent (the browser's steps: …, 90, 100, 110, 125, 150, …).
    static int zoomStep(int percent, bool in);

    // The window: QWidget::saveGeometry / QMainWindow::saveState (docks, toolbars).
    static QByteArray windowGeometry();
    static void setWindowGeometry(const QByteArray& geometry);
    static QByteArray windowState();
    static void setWindowState(const QByteArray& state);

    // A splitter of the session tabs (QSplitter::saveState), by the splitter's name.
    static QByteArray splitterState(const QString& name);
    static void setSplitterState(const QString& name, const QByteArray& state);

    // Whether the statistics (totals, rates, chart) are shown under each log.
    static bool showLogStatistics();
    static void setShowLogStatistics(bool on);

    // The addresses typed into the tabs' address bars, newest first (RecentAddresses keeps the order
    // and the limit).
    static QStringList recentAddresses();
    static void setRecentAddresses(const QStringList& addresses);
};

} // namespace wsi
