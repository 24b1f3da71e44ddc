#include "style.h"

#include <QApplication>
#include <QFontDatabase>
#include <QProxyStyle>
#include <QStyleFactory>
#include <QTabBar>

using namespace Qt::StringLiterals;

namespace wsi::Style {

QFont monospace()
{
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    QFont font; // nothing resolved yet: the size still comes from the parent widget
    font.setFamilies(fixed.families().isEmpty() ? QStringList { fixed.family() } : fixed.families());
    font.setStyleHint(QFont::Monospace);
    font.setFixedPitch(true);
    return font;
}

bool isDark(const QPalette& palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

namespace {
struct TonePair
{
    Tone tone;
    QRgb light;
    QRgb dark;
};
// Light-theme colours as the panels had them (two a little darker), dark-theme ones of similar hue:
// each at least 4.5:1 against both the base and the window colour of its theme.
constexpr TonePair kTones[] = {
    { Tone::Good, 0x177236, 0x6fd08a },
    { Tone::Bad, 0xb00020, 0xff7b7b },
    { Tone::Warning, 0x945800, 0xe8b45a },
    { Tone::Muted, 0x555555, 0xb0b0b0 },
    { Tone::Sent, 0x1e5ac8, 0x82aaff },
    { Tone::Received, 0x177236, 0x6fd08a },
    { Tone::Local, 0x6b6b6b, 0xa8a8a8 },
};
} // namespace

QColor color(Tone tone, const QPalette& palette)
{
    const bool dark = isDark(palette);
    for (const TonePair& t : kTones) {
        if (t.tone == tone)
            return QColor::fromRgb(dark ? t.dark : t.light);
    }
    return palette.color(QPalette::Text);
}

QColor color(Tone tone)
{
    return color(tone, QApplication::palette());
}

QColor highlightBackground(const QPalette& palette)
{
    return isDark(palette) ? QColor(0x7a, 0x5c, 0x00) : QColor(0xff, 0xd5, 0x4f);
}

QColor errorBackground(const QPalette& palette)
{
    return isDark(palette) ? QColor(0x5c, 0x22, 0x22) : QColor(0xfd, 0xe2, 0xe1);
}

QString themedHtml(QString html, const QPalette& palette)
{
    // The older light-only spellings too (#7f6000 notices, #c0392b editor errors).
    const std::pair<QLatin1StringView, Tone> known[] = {
        { "#1b7f3a"_L1, Tone::Good },
        { "#b00020"_L1, Tone::Bad },
        { "#a06000"_L1, Tone::Warning },
        { "#7f6000"_L1, Tone::Warning },
        { "#c0392b"_L1, Tone::Bad },
        { "#555555"_L1, Tone::Muted },
    };
    for (const auto& [light, tone] : known)
        html.replace(light, color(tone, palette).name(), Qt::CaseInsensitive);
    return html;
}

QString labelStyleSheet(Tone tone, const QPalette& palette, bool bold)
{
    return u"QLabel { color: %1;%2 }"_s.arg(color(tone, palette).name(), bold ? u" font-weight: bold;"_s : QString());
}

namespace {
// The application's style with narrower tab padding.
class CompactTabStyle : public QProxyStyle
{
public:
    using QProxyStyle::QProxyStyle;
    int pixelMetric(PixelMetric metric, const QStyleOption* option, const QWidget* widget) const override
    {
        const int value = QProxyStyle::pixelMetric(metric, option, widget);
        return metric == PM_TabBarTabHSpace ? value / 2 : value;
    }
};
} // namespace

void makeTabsCompact(QTabBar* bar, QObject* owner)
{
    // A style of the application's kind (QProxyStyle takes ownership of its base).
    auto* style = new CompactTabStyle(QStyleFactory::create(QApplication::style()->name()));
    style->setParent(owner);
    bar->setStyle(style);
}

} // namespace wsi::Style
