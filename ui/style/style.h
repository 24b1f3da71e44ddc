#pragma once

#include <QColor>
#include <QFont>
#include <QPalette>
#include <QString>

class QObject;
class QTabBar;
class QWidget;

// Fonts and colours the panels share, chosen so zoom, presentation mode and dark palettes work.
namespace wsi::Style {

// A monospaced font that resolves only its family: set on a widget, it keeps the size the widget
// inherits, so View → Zoom and presentation mode scale monospaced views like every other text.
QFont monospace();

// What a colour says, not which colour it is.
enum class Tone {
    Good, // verified, open, matches
    Bad, // errors, failures
    Warning, // notices, connecting
    Muted, // secondary text
    Sent, // our messages
    Received, // the server's messages
    Local, // rows the inspector adds itself
};

// The tone's colour for a palette: the light-theme colours on a light base, brighter ones on a
// dark base so the text stays readable.
QColor color(Tone tone, const QPalette& palette);
QColor color(Tone tone); // for the application palette
bool isDark(const QPalette& palette);
// Background for matches of the log filter.
QColor highlightBackground(const QPalette& palette);
// Background for a row or cell with an error (the profile editor's header table).
QColor errorBackground(const QPalette& palette);

// Rich text written with the light-theme colours (#1b7f3a, #b00020, …, also inside translations)
// with each replaced by its tone for the palette.
QString themedHtml(QString html, const QPalette& palette);
// "QLabel { color: … }" for a tone (and bold when asked).
QString labelStyleSheet(Tone tone, const QPalette& palette, bool bold = false);

// Half the usual space beside each tab's title, so that a row of tabs fits a narrow pane (a
// session's six detail tabs beside the send panel at 1024 px) without scroll arrows. The style
// object belongs to owner, which must outlive the tab bar.
void makeTabsCompact(QTabBar* bar, QObject* owner);

} // namespace wsi::Style
