#pragma once

#include <QColor>
#include <QPalette>

#include <algorithm>
#include <cmath>

namespace wsi::test {

// WCAG 2 contrast ratio; 4.5:1 is the minimum for body text.
inline double contrast(QColor a, QColor b)
{
    const auto luminance = [](QColor c) {
        auto channel = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
    };
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

// A dark theme as a user's desktop might set it, and the light one the tests compare with.
inline QPalette darkPalette()
{
    QPalette dark;
    for (auto role : { QPalette::Window, QPalette::Button, QPalette::AlternateBase })
        dark.setColor(role, QColor(0x2b, 0x2b, 0x2b));
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    for (auto role : { QPalette::WindowText, QPalette::Text, QPalette::ButtonText })
        dark.setColor(role, QColor(0xe6, 0xe6, 0xe6));
    return dark;
}

inline QPalette lightPalette()
{
    QPalette light;
    light.setColor(QPalette::Base, Qt::white);
    light.setColor(QPalette::Window, QColor(0xef, 0xef, 0xef));
    return light;
}

} // namespace wsi::test
