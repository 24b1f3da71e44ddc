#include "server/builtinserver.h"
#include "session/sessionview.h"
#include "teach/codepanel.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;

class tst_CodePanel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanupTestCase() { BuiltinServers::shutdown(); }

    void writesCodeForTheChosenLanguageAndCopiesIt()
    {
        CodePanel panel;
        Profile p;
        p.url = u"wss://example.com/live"_s;
        p.subprotocols = { u"v1"_s };
        p.headers = { { u"X-Token"_s, u"abc"_s, true, false } };
        panel.setConnection(p);
        panel.setLanguageId(u"wx"_s);
        QVERIFY(panel.code().contains(u"wx.connectSocket({"_s));
        QVERIFY(panel.code().contains(u"url: 'wss://example.com/live'"_s));
        QVERIFY(panel.code().contains(u"'X-Token': 'abc'"_s));

        auto* combo = panel.findChild<QComboBox*>(u"codeLanguage"_s);
        combo->setCurrentIndex(combo->findData(u"python"_s));
        QVERIFY(panel.code().contains(u"async with connect(\"wss://example.com/live\""_s));

        QTest::mouseClick(panel.findChild<QPushButton*>(u"codeCopy"_s), Qt::LeftButton);
        QCOMPARE(QApplication::clipboard()->text(), panel.code());
    }

    void badSettingsSayWhy()
    {
        CodePanel panel;
        Profile p;
        p.url = u"not a url"_s;
        panel.setConnection(p);
        QVERIFY(panel.code().isEmpty());
        QVERIFY(!panel.findChild<QPushButton*>(u"codeCopy"_s)->isEnabled());
    }

    // The first screen's profile is a built-in server: its code names the real address.
    void sessionViewHasACodeTabForBuiltinServers()
    {
        SessionView view(Profile::builtinEcho());
        auto* tabs = view.findChild<QTabWidget*>();
        QStringList names;
        for (int i = 0; i < tabs->count(); ++i)
            names.append(tabs->tabText(i));
        QVERIFY(names.contains(u"Code"_s));
        view.codePanel()->setLanguageId(u"node-ws"_s);
        QVERIFY2(view.codePanel()->code().contains(u"new WebSocket('ws://127.0.0.1:"_s),
            qPrintable(view.codePanel()->code()));
    }
};

QTEST_MAIN(tst_CodePanel)
#include "tst_codepanel.moc"
