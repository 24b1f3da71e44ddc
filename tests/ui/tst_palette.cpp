#include "check/miniprogrampanel.h"
#include "check/miniprogramreportmodel.h"
#include "palettes.h"
#include "profiles/profileeditor.h"
#include "style/style.h"

#include <QApplication>
#include <QLabel>
#include <QRegularExpression>
#include <QTreeView>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;
using test::contrast;
using test::darkPalette;
using test::lightPalette;

namespace {
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
