#include "check/miniprogrampanel.h"
#include "check/miniprogramreportmodel.h"
#include "profiles/profileeditor.h"
#include "style/style.h"

#include <QApplication>
#include <QLabel>
#include <QRegularExpression>
#include <QTreeView>
#include <QtTest>

#include <cmath>

using namespace Qt::StringLiterals;
using namespace wsi;

namespace {
// WCAG 2 contrast ratio; 4.5:1 is the minimum for body text.
double contrast(QColor a, QColor b)
{
    const auto luminance = [](QColor c) {
        auto channel = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
    };
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QPalette darkPalette()
{
    QPalette dark;
    for (auto role : { QPalette::Window, QPalette::Button, QPalette::AlternateBase })
        dark.setColor(role, QColor(0x2b, 0x2b, 0x2b));
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    for (auto role : { QPalette::WindowText, QPalette::Text, QPalette::ButtonText })
        dark.setColor(role, QColor(0xe6, 0xe6, 0xe6));
    return dark;
}

QPalette lightPalette()
{
    QPalette light;
    light.setColor(QPalette::Base, Qt::white);
    light.setColor(QPalette::Window, QColor(0xef, 0xef, 0xef));
    return light;
}

// ws:// on an IP address, no Origin: the mini-program rules fail, pass and warn.
Profile miniProgramProfile()
{
    Profile p;
    p.name = u"mini"_s;
    p.url = u"ws://127.0.0.1:9/"_s;
    p.forMiniProgram = true;
    return p;
}

MiniProgramReport mixedReport()
{
    MiniProgramReport r;
    r.findings.append({ u"scheme"_s, u"wss://"_s, MiniProgramFinding::Verdict::Fail, u"ws://"_s, u"use wss://"_s });
    r.findings.append({ u"host"_s, u"domain"_s, MiniProgramFinding::Verdict::Pass, u"example.com"_s, {} });
    r.findings.append({ u"tls"_s, u"TLS 1.2"_s, MiniProgramFinding::Verdict::Warning, u"?"_s, {} });
    return r;
}
} // namespace

// Colours the mini-program views give their verdicts, against the palette they are drawn on
// (audit 8: fixed #c01030/#1b7f3a/#b35400 gave 2.3–3.3:1 on a dark theme).
class tst_Palette : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanup() { QApplication::setPalette(QPalette()); }

    void verdictColours_data()
    {
        QTest::addColumn<bool>("dark");
        QTest::newRow("dark") << true;
        QTest::newRow("light") << false;
    }

    // The General tab's mini-program rules (rich text with one colour per verdict).
    void verdictColours()
    {
        QFETCH(bool, dark);
        const QPalette palette = dark ? darkPalette() : lightPalette();
        QApplication::setPalette(palette);
        ProfileEditor editor;
        editor.setProfile(miniProgramProfile(), false, {});
        auto* rules = editor.findChild<QLabel*>(u"miniProgramRules"_s);
        QVERIFY(rules);
        static const QRegularExpression colour(u"color: *(#[0-9a-fA-F]{6})"_s);
        int seen = 0;
        for (auto it = colour.globalMatch(rules->text()); it.hasNext();) {
            const QColor c(it.next().captured(1));
            for (auto role : { QPalette::Window, QPalette::Base }) {
                QVERIFY2(contrast(c, palette.color(role)) >= 4.5,
                    qPrintable(u"%1 on %2: %3:1"_s.arg(c.name(), palette.color(role).name())
                                   .arg(contrast(c, palette.color(role)), 0, 'f', 1)));
            }
            ++seen;
        }
        QVERIFY2(seen >= 2, qPrintable(rules->text()));
    }

    // The Mini program page's verdict column.
    void verdictColumnColours_data() { verdictColours_data(); }
    void verdictColumnColours()
    {
        QFETCH(bool, dark);
        const QPalette palette = dark ? darkPalette() : lightPalette();
        QApplication::setPalette(palette);
        MiniProgramPanel panel;
        panel.showReport(mixedReport());
        const QAbstractItemModel* shown = panel.view()->model();
        QCOMPARE(shown->rowCount(), 3);
        for (int row = 0; row < 3; ++row) {
            const QVariant fg = shown->index(row, MiniProgramReportModel::VerdictColumn).data(Qt::ForegroundRole);
            QVERIFY(fg.isValid());
            const QColor c = fg.value<QColor>().isValid() ? fg.value<QColor>() : fg.value<QBrush>().color();
            for (auto role : { QPalette::Window, QPalette::Base }) {
                QVERIFY2(contrast(c, palette.color(role)) >= 4.5,
                    qPrintable(u"row %1: %2 on %3"_s.arg(row).arg(c.name(), palette.color(role).name())));
            }
        }
    }
};

QTEST_MAIN(tst_Palette)
#include "tst_palette.moc"
