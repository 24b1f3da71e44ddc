// The window's fit, zoom, docks, menus and remembered layout, in English and in Chinese.
#include "log/logpanel.h"
#include "mainwindow.h"
#include "palettes.h"
#include "payload/payloadview.h"
#include "profiles/profileeditor.h"
#include "profiles/profilepanel.h"
#include "profiles/profilerepository.h"
#include "send/sendpanel.h"
#include "server/builtinserver.h"
#include "session/sessionview.h"
#include "settings/appsettings.h"
#include "style/style.h"
#include "testhelpers.h"
#include "tlstestserver.h"
#include "wire/handshakepanel.h"
#include "wire/tlspanel.h"

#include <QAbstractButton>
#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QSslKey>
#include <QStandardPaths>
#include <QTabBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTranslator>
#include <QWebSocket>
#include <QWebSocketServer>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;

namespace {
// The widgets a user reads or clicks: each must be as wide as its text needs and must not lie over
// a sibling.
bool isControl(const QWidget* w)
{
    return qobject_cast<const QAbstractButton*>(w) || qobject_cast<const QComboBox*>(w)
        || qobject_cast<const QAbstractSpinBox*>(w) || qobject_cast<const QLineEdit*>(w)
        || (qobject_cast<const QLabel*>(w) && !static_cast<const QLabel*>(w)->wordWrap());
}

QString describe(const QWidget* w)
{
    QString text;
    if (auto* b = qobject_cast<const QAbstractButton*>(w))
        text = b->text();
    else if (auto* l = qobject_cast<const QLabel*>(w))
        text = l->text();
    else if (auto* c = qobject_cast<const QComboBox*>(w))
        text = c->currentText();
    return u"%1 \"%2\" (%3) at %4,%5 %6×%7"_s
        .arg(QString::fromLatin1(w->metaObject()->className()), text, w->objectName())
        .arg(w->mapTo(w->window(), QPoint()).x())
        .arg(w->mapTo(w->window(), QPoint()).y())
        .arg(w->width())
        .arg(w->height());
}

// Problems a user would see in the window as laid out now: cut texts and overlapping controls.
QStringList layoutProblems(QWidget* root)
{
    QStringList problems;
    const QList<QWidget*> all = root->findChildren<QWidget*>();
    for (QWidget* w : all) {
        if (!w->isVisible() || !isControl(w) || w->window() != root || w->objectName().startsWith(u"qt_"_s))
            continue; // Qt's own parts (a dock's title buttons) draw icons, not text
        if (auto* b = qobject_cast<QAbstractButton*>(w); b && b->text().isEmpty())
            continue; // an icon button (a line edit's action) has no text to cut
        if (qobject_cast<QLineEdit*>(w) && qobject_cast<QAbstractSpinBox*>(w->parentWidget()))
            continue; // a spin box's own editor
        if (qobject_cast<QLineEdit*>(w) && qobject_cast<QComboBox*>(w->parentWidget()))
            continue;
        // A field shows what is typed: at least the minimum width it asks for, and 12 characters.
        if (qobject_cast<const QLineEdit*>(w)) {
            const int field = std::max(w->minimumSize().width(), w->fontMetrics().averageCharWidth() * 12);
            if (w->width() + 1 < field)
                problems.append(u"field too narrow (needs %1 px): "_s.arg(field) + describe(w));
        }
        // Texts that fit: a button, check box or label at least as wide as its size hint (labels that
        // elide on purpose set a smaller minimum size hint, and the size hint is what they want).
        // A control that wraps its text (height for width) is cut only when it is lower than its
        // text needs at the width it has.
        if (w->sizePolicy().hasHeightForWidth() && !qobject_cast<QLabel*>(w)) {
            const int needHeight = w->heightForWidth(w->width());
            if (w->height() + 1 < needHeight || w->width() + 1 < w->minimumSizeHint().width())
                problems.append(u"cut (needs %1 px high): "_s.arg(needHeight) + describe(w));
        } else {
            const int need = qobject_cast<const QLineEdit*>(w) ? w->minimumSizeHint().width() : w->sizeHint().width();
            if (w->width() + 1 < need && !qobject_cast<QLineEdit*>(w))
                problems.append(u"cut (needs %1 px): "_s.arg(need) + describe(w));
        }
        for (QWidget* sibling : all) {
            if (sibling == w || sibling->parentWidget() != w->parentWidget() || !sibling->isVisible()
                || !isControl(sibling) || sibling < w)
                continue;
            if (w->geometry().intersects(sibling->geometry()))
                problems.append(u"overlap: "_s + describe(w) + u" and "_s + describe(sibling));
        }
    }
    return problems;
}

// Tab bars that need their scroll arrows hide tabs.
QStringList hiddenTabs(QWidget* root)
{
    QStringList problems;
    for (QTabBar* bar : root->findChildren<QTabBar*>()) {
        if (bar->isVisible() && bar->count() > 0 && bar->window() == root
            && bar->tabRect(bar->count() - 1).right() > bar->width())
            problems.append(
                u"tabs hidden behind scroll arrows: %1 (%2 px for %3 px of tabs)"_s.arg(bar->tabText(bar->count() - 1))
                    .arg(bar->width())
                    .arg(bar->tabRect(bar->count() - 1).right()));
    }
    return problems;
}

// Widgets in a scroll area that the user cannot see whole without scrolling sideways: each visible
// widget must lie horizontally inside its parent and, in the end, inside the area's viewport.
// (Rows scrolled out vertically are fine; contents of nested item views are theirs to scroll.)
QStringList clippedSideways(QAbstractScrollArea* area)
{
    QStringList problems;
    QWidget* viewport = area->viewport();
    for (QWidget* w : viewport->findChildren<QWidget*>()) {
        if (!w->isVisible() || w->objectName().startsWith(u"qt_"_s))
            continue;
        bool nested = false;
        for (QWidget* p = w->parentWidget(); p && p != viewport; p = p->parentWidget()) {
            if (auto* inner = qobject_cast<QAbstractScrollArea*>(p->parentWidget()); inner && inner->viewport() == p)
                nested = true;
        }
        if (nested)
            continue;
        for (QWidget* p = w->parentWidget(); p; p = p->parentWidget()) {
            const int left = w->mapTo(p, QPoint()).x();
            const int right = left + w->width();
            if (left < 0 || right > p->width()) {
                problems.append(u"outside %1 (%2 px wide) from x=%3 to %4: "_s
                                    .arg(p == viewport ? u"the viewport"_s : p->objectName())
                                    .arg(p->width())
                                    .arg(left)
                                    .arg(right)
                    + describe(w));
                break;
            }
            if (p == viewport)
                break;
        }
    }
    return problems;
}

// The widgets that ask for the most width, for a failure message that says where to look.
QString widest(QWidget* root)
{
    QList<std::pair<int, QWidget*>> sizes;
    for (QWidget* w : root->findChildren<QWidget*>()) {
        if (w->isVisible() && w->window() == root->window())
            sizes.append({ w->minimumSizeHint().expandedTo(w->minimumSize()).width(), w });
    }
    std::sort(sizes.begin(), sizes.end(), [](auto a, auto b) { return a.first > b.first; });
    QStringList out;
    for (int i = 0; i < std::min<qsizetype>(25, sizes.size()); ++i)
        out.append(u"%1 %2 %3"_s.arg(sizes.at(i).first)
                       .arg(QString::fromLatin1(sizes.at(i).second->metaObject()->className()),
                           sizes.at(i).second->objectName()));
    return out.join(u'\n');
}

QString tallest(QWidget* root)
{
    QList<std::pair<int, QWidget*>> sizes;
    for (QWidget* w : root->findChildren<QWidget*>()) {
        if (w->isVisible() && w->window() == root->window())
            sizes.append({ w->minimumSizeHint().expandedTo(w->minimumSize()).height(), w });
    }
    std::sort(sizes.begin(), sizes.end(), [](auto a, auto b) { return a.first > b.first; });
    QStringList out;
    for (int i = 0; i < std::min<qsizetype>(25, sizes.size()); ++i)
        out.append(u"%1 %2 %3"_s.arg(sizes.at(i).first)
                       .arg(QString::fromLatin1(sizes.at(i).second->metaObject()->className()),
                           sizes.at(i).second->objectName()));
    return out.join(u'\n');
}

using TlsServer = test::TlsTestServer;

// Shown scroll bars of the scroll areas and text views a user reads, which hide part of them.
QStringList horizontalScrollBars(QWidget* root, const QStringList& names)
{
    QStringList problems;
    for (const QString& name : names) {
        auto* area = root->findChild<QAbstractScrollArea*>(name);
        if (!area)
            problems.append(u"no scroll area %1"_s.arg(name));
        else if (area->horizontalScrollBar()->isVisible())
            problems.append(
                u"%1 scrolls sideways (%2 px hidden)"_s.arg(name).arg(area->horizontalScrollBar()->maximum()));
    }
    return problems;
}

// The tab's scroll area: what the session tabs do not fit scrolls inside the window.
QScrollArea* sessionScroll(MainWindow& window)
{
    return window.findChild<QScrollArea*>(u"sessionScroll"_s);
}
} // namespace

class tst_WindowLayout : public QObject
{
    Q_OBJECT

    QTemporaryDir m_config;
    std::unique_ptr<QTranslator> m_translator;

    void useLanguage(const QString& language)
    {
        if (m_translator)
            QCoreApplication::removeTranslator(m_translator.get());
        m_translator.reset();
        if (language == u"en")
            return;
        m_translator = std::make_unique<QTranslator>();
        QVERIFY2(m_translator->load(u"wsinspector_"_s + language, QStringLiteral(WSI_QM_DIR)),
            qPrintable(u"no catalogue wsinspector_%1.qm in %2"_s.arg(language, QStringLiteral(WSI_QM_DIR))));
        QCoreApplication::installTranslator(m_translator.get());
    }

private Q_SLOTS:
    void initTestCase()
    {
        // Settings and profiles of this run only.
        QStandardPaths::setTestModeEnabled(true);
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_config.path());
        QCoreApplication::setOrganizationName(u"wsinspector-tests"_s);
        QCoreApplication::setApplicationName(u"tst_windowlayout"_s);
    }
    void init() { QSettings().clear(); }
    void cleanup() { useLanguage(u"en"_s); }
    void cleanupTestCase() { BuiltinServers::shutdown(); }

    void fitsSmallScreen_data()
    {
        QTest::addColumn<QString>("language");
        QTest::newRow("en") << u"en"_s;
        QTest::newRow("zh_CN") << u"zh_CN"_s;
    }

    // The issue: 1285×609 minimum (1074×655 in Chinese); at 1024×700 boxes overlap and labels are cut.
    void fitsSmallScreen()
    {
        QFETCH(QString, language);
        useLanguage(language);
        MainWindow window;
        SessionView* view = window.openSession(Profile::builtinEcho(), false);
        window.resize(1024, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const QSize minimum = window.minimumSizeHint().expandedTo(window.minimumSize());
        QVERIFY2(minimum.width() <= 960,
            qPrintable(u"minimum width %1; widest:\n"_s.arg(minimum.width()) + widest(&window)));
        qInfo("%s: minimum size %d×%d", qPrintable(language), minimum.width(), minimum.height());
        QVERIFY2(minimum.height() <= 600,
            qPrintable(u"minimum height %1; tallest:\n"_s.arg(minimum.height()) + tallest(&window)));
        QTRY_COMPARE(window.size(), QSize(1024, 700));
        const QStringList problems = layoutProblems(&window);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
        // Every detail tab (six in an unsaved tab: Settings too) is visible without scroll arrows.
        QVERIFY2(view->settingsEditor(), "the built-in echo tab is an unsaved connection with a Settings page");
        const QStringList tabs = hiddenTabs(&window);
        QVERIFY2(tabs.isEmpty(), qPrintable(tabs.join(u'\n')));
        // The log shows a useful number of rows.
        QTableView* log = view->logView();
        const int rows = log->viewport()->height() / log->verticalHeader()->defaultSectionSize();
        QVERIFY2(rows >= 8, qPrintable(u"%1 log rows"_s.arg(rows)));
    }

    void profileEditorFitsTheDock_data()
    {
        QTest::addColumn<QString>("language");
        QTest::addColumn<bool>("builtin");
        QTest::newRow("en built-in") << u"en"_s << true;
        QTest::newRow("en user profile") << u"en"_s << false;
        QTest::newRow("zh_CN built-in") << u"zh_CN"_s << true;
        QTest::newRow("zh_CN user profile") << u"zh_CN"_s << false;
    }

    // The issue: at 1024×700 the Profiles dock's editor was wider than the dock, so the read-only
    // notice, the editor's tabs, the header buttons and every field's right edge were cut until the
    // user scrolled sideways. Every page of the editor must fit the dock's width.
    void profileEditorFitsTheDock()
    {
        QFETCH(QString, language);
        QFETCH(bool, builtin);
        useLanguage(language);
        MainWindow window;
        window.openSession(Profile::builtinEcho(), false);
        ProfilePanel* panel = window.profilePanel();
        QString id;
        const auto removeProfile = qScopeGuard([&] {
            if (!id.isEmpty())
                panel->repository()->remove(id); // the next run starts from the built-ins again
        });
        if (builtin) {
            panel->setCurrentRow(0);
        } else {
            // Everything the pages can show: headers, a pinned certificate, a proxy, the mini-program rules.
            Profile p;
            p.name = u"Staging with a fairly long name"_s;
            p.url = u"wss://staging.example.com:8443/api/v2/realtime/socket?token=abc"_s;
            p.headers = { { u"Authorization"_s, u"Bearer eyJhbGciOiJIUzI1NiJ9.long.token"_s, true, true },
                { u"X-Client-Version"_s, u"2.14.7"_s } };
            p.subprotocols = { u"graphql-transport-ws"_s };
            p.origin = u"https://staging.example.com"_s;
            p.perMessageDeflate = true;
            const QString fingerprint = QString(64, u'a');
            p.tls.pinnedFingerprints = { fingerprint };
            p.tls.pinnedSubjects = { { fingerprint, u"CN=staging.example.com,O=Example Corp"_s } };
            p.proxy.type = ProxySettings::Type::Http;
            p.proxy.host = u"proxy.corp.example.com"_s;
            p.proxy.port = 3128;
            p.resolve = { u"staging.example.com:8443:127.0.0.1"_s };
            p.forMiniProgram = true;
            id = panel->repository()->add(p);
            QVERIFY(panel->selectProfile(id));
        }
        window.resize(1024, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_COMPARE(window.size(), QSize(1024, 700));
        QVERIFY(window.profilesDock()->isVisible());
        ProfileEditor* editor = panel->editor();
        QCOMPARE(editor->isReadOnly(), builtin);
        auto* area = qobject_cast<QScrollArea*>(editor->parentWidget()->parentWidget());
        QVERIFY(area && area->widget() == editor);
        auto* tabs = editor->findChild<QTabWidget*>(u"tabs"_s);
        for (int page = 0; page < tabs->count(); ++page) {
            tabs->setCurrentIndex(page);
            const QString where
                = u"%1, %2 page: "_s.arg(builtin ? u"built-in"_s : u"user profile"_s, tabs->tabText(page));
            const auto problems = [&] {
                // What the user sees once the window is idle: the layouts the page switch asked for.
                QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
                QStringList out;
                if (area->horizontalScrollBar()->isVisible())
                    out.append(u"the dock scrolls sideways"_s);
                const int need = editor->minimumSizeHint().width();
                if (need > area->viewport()->width()) {
                    out.append(u"the editor needs %1 px, the dock shows %2 px; widest:\n"_s.arg(need).arg(
                                   area->viewport()->width())
                        + widest(editor));
                    for (int i = 0; i < tabs->count(); ++i) {
                        out.append(u"page %1 needs %2 px"_s.arg(tabs->tabText(i))
                                       .arg(tabs->widget(i)->minimumSizeHint().width()));
                    }
                }
                out += clippedSideways(area);
                // A field squeezed beside its label shows a few characters only.
                for (QLineEdit* edit : editor->findChildren<QLineEdit*>()) {
                    if (edit->isVisible() && !qobject_cast<QAbstractSpinBox*>(edit->parentWidget())
                        && !qobject_cast<QComboBox*>(edit->parentWidget())
                        && edit->width() < edit->fontMetrics().averageCharWidth() * 12)
                        out.append(u"squeezed to %1 px: "_s.arg(edit->width()) + describe(edit));
                }
                out += layoutProblems(&window);
                out += hiddenTabs(&window);
                return out;
            };
            QTRY_VERIFY2(problems().isEmpty(), qPrintable(where + problems().join(u'\n')));
        }
        // The read-only notice of a built-in profile is shown (wrapped, not cut).
        QCOMPARE(editor->findChild<QLabel*>(u"readOnlyNotice"_s)->isVisible(), builtin);

        // Problem marks on every tab: all four tabs stay in sight (titles may be shortened).
        if (!builtin) {
            editor->findChild<QLineEdit*>(u"urlEdit"_s)->setText(u"ftp://example.com"_s);
            editor->findChild<QSpinBox*>(u"maxSizeSpin"_s)->setValue(0);
            editor->findChild<QLineEdit*>(u"caFileEdit"_s)->setText(u"/nonexistent/ca.pem"_s);
            editor->findChild<QLineEdit*>(u"proxyHostEdit"_s)->clear();
            for (int page = 0; page < tabs->count(); ++page)
                QVERIFY2(tabs->tabText(page).startsWith(u"⚠ "_s), qPrintable(tabs->tabText(page)));
            QTRY_VERIFY2(hiddenTabs(&window).isEmpty(), qPrintable(hiddenTabs(&window).join(u'\n')));
            editor->findChild<QAbstractButton*>(u"revertButton"_s)->click();
        }

        // In the narrow dock a label sits above its field; widened, they are side by side again.
        tabs->setCurrentIndex(0);
        auto* urlLabel = editor->findChild<QLabel*>(u"generalGridLabel2"_s);
        auto* url = editor->findChild<QLineEdit*>(u"urlEdit"_s);
        QTRY_VERIFY(urlLabel->geometry().bottom() < url->geometry().top());
        window.resizeDocks({ window.profilesDock() }, { 520 }, Qt::Horizontal);
        QTRY_VERIFY2(urlLabel->geometry().right() < url->geometry().left()
                && urlLabel->geometry().top() < url->geometry().bottom(),
            qPrintable(describe(urlLabel) + u" / "_s + describe(url)));
        QTRY_VERIFY2(clippedSideways(area).isEmpty(), qPrintable(clippedSideways(area).join(u'\n')));
        // Dragged as narrow as it goes, the dock still shows the whole editor.
        window.resizeDocks({ window.profilesDock() }, { 1 }, Qt::Horizontal);
        QTRY_VERIFY(window.profilesDock()->width() < 300);
        QTRY_VERIFY2(clippedSideways(area).isEmpty(), qPrintable(clippedSideways(area).join(u'\n')));
    }

    void zoomScalesTheTabsAndIsRemembered()
    {
        qreal normal = 0;
        int normalRow = 0;
        {
            MainWindow window;
            SessionView* view = window.openSession(Profile::builtinEcho(), false);
            window.show();
            QCOMPARE(window.zoomPercent(), 100);
            normal = view->logView()->font().pointSizeF();
            normalRow = view->logView()->verticalHeader()->defaultSectionSize();
            const qreal payloadNormal = view->payloadView()->findChild<QPlainTextEdit*>()->font().pointSizeF();
            const qreal sendNormal
                = view->sendPanel()->findChild<QPlainTextEdit*>(u"sendEditor"_s)->font().pointSizeF();
            QVERIFY(QTest::qWaitForWindowActive(&window)); // shortcuts reach the active window

            // Ctrl++ as a user types it.
            QTest::keyClick(&window, Qt::Key_Equal, Qt::ControlModifier);
            QCOMPARE(window.zoomPercent(), 110);
            window.findChild<QAction*>(u"zoomInAction"_s)->trigger();
            QCOMPARE(window.zoomPercent(), 125);
            QCOMPARE(view->logView()->font().pointSizeF(), normal * 1.25);
            QVERIFY(view->logView()->verticalHeader()->defaultSectionSize() > normalRow);
            // The monospaced views follow too.
            QCOMPARE(view->payloadView()->findChild<QPlainTextEdit*>()->font().pointSizeF(), payloadNormal * 1.25);
            QVERIFY(view->payloadView()->findChild<QPlainTextEdit*>()->font().fixedPitch());
            QCOMPARE(
                view->sendPanel()->findChild<QPlainTextEdit*>(u"sendEditor"_s)->font().pointSizeF(), sendNormal * 1.25);
            // A tab opened later gets the zoom too.
            SessionView* later = window.openSession(Profile::builtinEcho(), false);
            QCOMPARE(later->logView()->font().pointSizeF(), normal * 1.25);

            // The bounds: 50 % to 300 %.
            for (int i = 0; i < 20; ++i)
                window.zoomIn();
            QCOMPARE(window.zoomPercent(), 300);
            QVERIFY(!window.findChild<QAction*>(u"zoomInAction"_s)->isEnabled());
            for (int i = 0; i < 30; ++i)
                window.zoomOut();
            QCOMPARE(window.zoomPercent(), 50);
            QCOMPARE(view->logView()->font().pointSizeF(), normal * 0.5);
            window.setZoomPercent(150);
        }
        MainWindow reopened;
        QCOMPARE(reopened.zoomPercent(), 150);
        SessionView* view = reopened.openSession(Profile::builtinEcho(), false);
        reopened.show();
        QVERIFY(QTest::qWaitForWindowActive(&reopened));
        QCOMPARE(view->logView()->font().pointSizeF(), normal * 1.5);
        QTest::keyClick(&reopened, Qt::Key_0, Qt::ControlModifier); // Actual size
        QCOMPARE(view->logView()->font().pointSizeF(), normal);
    }

    void presentationComposesWithZoom()
    {
        MainWindow window;
        SessionView* view = window.openSession(Profile::builtinEcho(), false);
        window.show();
        const qreal normal = view->logView()->font().pointSizeF();
        window.setZoomPercent(150);
        window.setPresentationMode(true);
        QCOMPARE(view->logView()->font().pointSizeF(), normal * 1.75 * 1.5);
        window.setZoomPercent(100);
        QCOMPARE(view->logView()->font().pointSizeF(), normal * 1.75);
        window.setPresentationMode(false);
        QCOMPARE(view->logView()->font().pointSizeF(), normal);
        QCOMPARE(QApplication::font().pointSizeF(), normal);
    }

    // A tab widget asks for the largest of its pages: a tall tab behind the one in front made the
    // window taller than a 1024×700 screen (the mini-program report in Chinese). Only the front tab counts.
    void aTallTabBehindDoesNotGrowTheWindow()
    {
        MainWindow window;
        auto* tall = new QWidget;
        tall->setMinimumSize(1600, 1200);
        window.tabs()->addTab(tall, u"tall"_s);
        SessionView* front = window.openSession(Profile::builtinEcho(), false);
        QCOMPARE(window.tabs()->currentWidget(), front);
        window.resize(1024, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
        const QSize minimum = window.minimumSizeHint();
        QVERIFY2(minimum.width() <= 960 && minimum.height() <= 600,
            qPrintable(u"minimum %1×%2"_s.arg(minimum.width()).arg(minimum.height())));
        QTRY_COMPARE(window.size(), QSize(1024, 700));
    }

    void profileListHidesAndLayoutIsRestored()
    {
        QList<int> sizes;
        {
            MainWindow window;
            SessionView* view = window.openSession(Profile::builtinEcho(), false);
            window.resize(1000, 650);
            window.show();
            QVERIFY(QTest::qWaitForWindowActive(&window));
            QVERIFY(window.profilesDock()->isVisible());
            QTest::keyClick(&window, Qt::Key_F9);
            QVERIFY(!window.profilesDock()->isVisible());
            auto* splitter = view->findChild<QSplitter*>(u"logSplitter"_s);
            QVERIFY(splitter);
            struct Drag : QSplitter
            {
                using QSplitter::moveSplitter; // what dragging the handle calls; emits splitterMoved
            };
            static_cast<Drag*>(splitter)->moveSplitter(200, 1);
            sizes = splitter->sizes();
            QVERIFY(std::abs(sizes.first() - 200) < 10);
            window.close();
        }
        MainWindow reopened;
        SessionView* view = reopened.openSession(Profile::builtinEcho(), false);
        reopened.show();
        QVERIFY(QTest::qWaitForWindowExposed(&reopened));
        QCOMPARE(reopened.size(), QSize(1000, 650));
        QVERIFY(!reopened.profilesDock()->isVisible());
        QCOMPARE(view->findChild<QSplitter*>(u"logSplitter"_s)->sizes(), sizes);
        QVERIFY(QTest::qWaitForWindowActive(&reopened));
        QTest::keyClick(&reopened, Qt::Key_F9);
        QVERIFY(reopened.profilesDock()->isVisible());
    }

    void detailsCanBeMaximized()
    {
        MainWindow window;
        SessionView* view = window.openSession(Profile::builtinEcho(), false);
        window.resize(1024, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        const int normalHeight = view->payloadView()->height();
        QTest::keyClick(&window, Qt::Key_F10);
        QVERIFY(view->detailsMaximized());
        QVERIFY(!view->logPanel()->isVisible());
        QVERIFY(!view->sendPanel()->isVisible());
        QTRY_VERIFY(view->payloadView()->height() > normalHeight + 200);
        // The button on the detail tabs brings the log back.
        auto* button = view->findChild<QAbstractButton*>(u"maximizeDetailsButton"_s);
        QVERIFY(button && button->isVisible());
        button->click();
        QVERIFY(!view->detailsMaximized());
        QVERIFY(view->logPanel()->isVisible());
        QVERIFY(!window.findChild<QAction*>(u"maximizeDetailsAction"_s)->isChecked());
    }

    void menusListEveryCommandWithItsShortcut()
    {
        MainWindow window;
        QStringList menus;
        for (QAction* a : window.menuBar()->actions())
            menus.append(a->text());
        QCOMPARE(menus, (QStringList { u"&File"_s, u"&Session"_s, u"&View"_s, u"&Help"_s }));
        const auto list = window.shortcutList();
        auto keysOf = [&list](const QString& command) {
            for (const auto& [c, k] : list) {
                if (c == command)
                    return k;
            }
            return QString();
        };
        const QString zoomIn = keysOf(u"View › Zoom in"_s);
        QVERIFY2(
            zoomIn.contains(QKeySequence(QKeySequence::ZoomIn).toString(QKeySequence::NativeText)), qPrintable(zoomIn));
        QVERIFY2(zoomIn.contains(u"Ctrl+="_s), qPrintable(zoomIn));
        QCOMPARE(keysOf(u"View › Zoom out"_s), u"Ctrl+-"_s);
        QCOMPARE(keysOf(u"View › Actual size"_s), u"Ctrl+0"_s);
        QCOMPARE(keysOf(u"View › Profile list"_s), u"F9"_s);
        QCOMPARE(keysOf(u"Session › Connect"_s), u"F5"_s);
        QCOMPARE(keysOf(u"Send the message"_s), u"Ctrl+Return"_s);
    }

    // One command per tab: the menu's Connect follows the tab's state and does what its button does.
    void menusHaveNoDuplicateMnemonics_data() { fitsSmallScreen_data(); }

    // Review finding: Alt+S meant both Statistics and Classroom server in the View menu. Within one
    // menu (and across the menu bar's titles) every Alt+letter must lead to one command only.
    void menusHaveNoDuplicateMnemonics()
    {
        QFETCH(QString, language);
        useLanguage(language);
        MainWindow window;
        window.openSession(Profile::builtinEcho(), false);
        QStringList problems;
        const auto check = [&problems](const QString& where, const QList<QAction*>& actions) {
            QMap<QKeySequence, QStringList> byKey;
            for (QAction* a : actions) {
                if (a->isSeparator() || !a->isVisible())
                    continue;
                const QKeySequence key = QKeySequence::mnemonic(a->text());
                if (key.isEmpty())
                    problems.append(u"%1: \"%2\" has no mnemonic"_s.arg(where, a->text()));
                else
                    byKey[key].append(a->text());
            }
            for (auto it = byKey.cbegin(); it != byKey.cend(); ++it) {
                if (it.value().size() > 1)
                    problems.append(u"%1: %2 for %3"_s.arg(where, it.key().toString(), it.value().join(u", "_s)));
            }
        };
        check(u"menu bar"_s, window.menuBar()->actions());
        for (QAction* title : window.menuBar()->actions()) {
            if (title->menu())
                check(title->text(), title->menu()->actions());
        }
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    }

    void connectCommandFollowsTheTab()
    {
        MainWindow window;
        SessionView* view = window.openSession(Profile::builtinEcho(), false);
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        auto* action = window.findChild<QAction*>(u"connectAction"_s);
        QCOMPARE(action->text(), u"&Connect"_s);
        action->trigger();
        QTRY_COMPARE(view->session()->state(), Session::State::Open);
        QTRY_COMPARE(action->text(), u"&Disconnect"_s);
        QCOMPARE(view->findChild<QAbstractButton*>(u"connectButton"_s)->text(), u"Disconnect"_s);
        QTest::keyClick(&window, Qt::Key_F5);
        QTRY_COMPARE(view->session()->state(), Session::State::Closed);
        QTRY_COMPARE(action->text(), u"&Connect"_s);
    }

    // Colours come from the palette: on a dark theme every tone keeps WCAG AA contrast (4.5:1), and
    // the tab's state line uses the dark tone.
    void darkPaletteStaysReadable()
    {
        using test::contrast;
        const QPalette before = QApplication::palette();
        const QPalette dark = test::darkPalette();
        const QPalette light = test::lightPalette();
        for (auto tone : { Style::Tone::Good, Style::Tone::Bad, Style::Tone::Warning, Style::Tone::Muted,
                 Style::Tone::Sent, Style::Tone::Received, Style::Tone::Local }) {
            for (auto role : { QPalette::Base, QPalette::Window }) {
                QVERIFY2(contrast(Style::color(tone, dark), dark.color(role)) >= 4.5,
                    qPrintable(Style::color(tone, dark).name()));
                QVERIFY2(contrast(Style::color(tone, light), light.color(role)) >= 4.5,
                    qPrintable(Style::color(tone, light).name()));
            }
        }
        QApplication::setPalette(dark);
        {
            MainWindow window;
            SessionView* view = window.openSession(Profile::builtinEcho(), true);
            QTRY_COMPARE(view->session()->state(), Session::State::Open);
            auto* state = view->findChild<QLabel*>(u"stateLabel"_s);
            QCOMPARE(state->palette().color(QPalette::WindowText), Style::color(Style::Tone::Good, dark));
        }
        QApplication::setPalette(before);
    }

    void windowIconIsCompiledIn()
    {
        QVERIFY(QFile::exists(u":/icons/wsinspector.svg"_s));
        MainWindow window;
        QVERIFY(!window.windowIcon().isNull());
        QVERIFY(!window.windowIcon().pixmap(32, 32).isNull());
    }

    void zoomKeepsTheWindowOnTheScreen_data()
    {
        QTest::addColumn<bool>("profileList");
        QTest::newRow("profile list shown") << true;
        QTest::newRow("profile list hidden") << false;
    }

    // Audit of issue 11, gap 1: from 150 % (dock shown) the tabs' minimum size grew the window past
    // a 1024×700 screen, to 2086×837 at 300 %; Ctrl+0 gave the fonts back but not the size.
    void zoomKeepsTheWindowOnTheScreen()
    {
        QFETCH(bool, profileList);
        QCOMPARE(QGuiApplication::primaryScreen()->availableGeometry().size(), QSize(1024, 700)); // main() below
        MainWindow window;
        SessionView* view = window.openSession(Profile::builtinEcho(), false);
        window.profilesDock()->setVisible(profileList);
        window.resize(1024, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        (void)window.grab(); // painted as a user sees it: every size hint is up to date
        const auto layoutOf = [view] {
            QList<QRect> rects;
            for (QWidget* w : QList<QWidget*> { view->addressBar(), view->logView(), view->payloadView(),
                     view->sendPanel(), view->findChild<QWidget*>(u"connectButton"_s) })
                rects.append(QRect(w->mapTo(view->window(), QPoint()), w->size()));
            return rects;
        };
        const QList<QRect> normalLayout = layoutOf();
        for (int percent : { 150, 200, 250, 300 }) {
            window.setZoomPercent(percent);
            QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
            const QSize minimum = window.minimumSizeHint().expandedTo(window.minimumSize());
            QVERIFY2(minimum.width() <= 1024 && minimum.height() <= 700,
                qPrintable(u"%1 %: minimum size %2×%3"_s.arg(percent).arg(minimum.width()).arg(minimum.height())));
            QCOMPARE(window.size(), QSize(1024, 700));
            (void)window.grab();
        }
        // What does not fit at 300 % scrolls inside the window: Connect can be reached.
        QScrollArea* scroll = sessionScroll(window);
        QVERIFY2(scroll, "the session tabs sit in a scroll area");
        auto* connectButton = view->findChild<QAbstractButton*>(u"connectButton"_s);
        scroll->ensureWidgetVisible(connectButton);
        const QRect shown(connectButton->mapTo(scroll->viewport(), QPoint()), connectButton->size());
        QVERIFY(scroll->viewport()->rect().contains(shown));

        // Ctrl+0 gives back the layout of 100 %: the same places and sizes, nothing scrolls, nothing cut.
        QTest::keyClick(&window, Qt::Key_0, Qt::ControlModifier);
        QCOMPARE(window.zoomPercent(), 100);
        QTRY_COMPARE(layoutOf(), normalLayout);
        QTRY_VERIFY(!scroll->horizontalScrollBar()->isVisible() && !scroll->verticalScrollBar()->isVisible());
        QCOMPARE(window.size(), QSize(1024, 700));
        const QStringList problems = layoutProblems(&window);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    }

    // Audit gap 1 too: the oversized window came back after a restart, right part off the screen.
    void oversizedGeometryIsClampedOnRestore()
    {
        {
            QWidget big; // what main saved after zooming to 300 %
            big.setGeometry(60, 40, 2086, 837);
            AppSettings::setWindowGeometry(big.saveGeometry());
        }
        MainWindow window;
        window.openSession(Profile::builtinEcho(), false);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const QRect available = window.screen()->availableGeometry();
        QVERIFY2(window.width() <= available.width() && window.height() <= available.height(),
            qPrintable(u"%1×%2 on a %3×%4 screen"_s.arg(window.width())
                           .arg(window.height())
                           .arg(available.width())
                           .arg(available.height())));
        QVERIFY(available.contains(window.frameGeometry().topLeft()));
        // A size that fits is kept as it was.
        window.resize(960, 620);
        window.close();
        MainWindow reopened;
        QCOMPARE(reopened.size(), QSize(960, 620));
    }

    void addressStaysReadableOnTlsFailure_data() { fitsSmallScreen_data(); }

    // Audit gap 2: after a TLS failure the row with "Show certificate…" squeezed the address to
    // ~85 px ("0.1:18767/"); line edits were left out of the fit check.
    void addressStaysReadableOnTlsFailure()
    {
        QFETCH(QString, language);
        useLanguage(language);
        TlsServer server(u"fit.test"_s);
        QVERIFY2(server.error.isEmpty(), qPrintable(server.error));
        MainWindow window;
        SessionView* view = window.newConnection();
        window.resize(1024, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        view->addressBar()->setText(server.url());
        QVERIFY(view->goToAddress());
        QTRY_COMPARE_WITH_TIMEOUT(view->session()->state(), Session::State::Failed, 10000);
        auto* show = view->findChild<QAbstractButton*>(u"showCertificateButton"_s);
        QTRY_VERIFY(show->isVisible());
        const QStringList problems = layoutProblems(&window);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
        QLineEdit* field = view->addressBar();
        const int chars = field->width() / field->fontMetrics().averageCharWidth();
        QVERIFY2(
            chars >= 30, qPrintable(u"the address field shows %1 characters (%2 px)"_s.arg(chars).arg(field->width())));
        // The whole address the user typed is in view, beside the clear button.
        QVERIFY2(field->fontMetrics().horizontalAdvance(field->text()) + 40 <= field->width(),
            qPrintable(u"\"%1\" in %2 px"_s.arg(field->text()).arg(field->width())));
    }

    void statisticsLeaveRoomForTheLog_data() { fitsSmallScreen_data(); }

    // Audit gap 3: View → Statistics (remembered) left 3–4 log rows at 1024×680, and a compressed
    // connection's line did not wrap and squeezed the throughput chart to ~50 px.
    void statisticsLeaveRoomForTheLog()
    {
        QFETCH(QString, language);
        useLanguage(language);
        AppSettings::setShowLogStatistics(true);
        MainWindow window;
        Profile profile = Profile::builtinEcho();
        profile.perMessageDeflate = true;
        SessionView* view = window.openSession(profile, true);
        window.resize(1024, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_COMPARE_WITH_TIMEOUT(view->session()->state(), Session::State::Open, 10000);
        QVERIFY(view->session()->sendText(u"hello, compressed hello, compressed hello"_s).ok());
        auto* compression = view->findChild<QLabel*>(u"statsCompression"_s);
        QTRY_VERIFY_WITH_TIMEOUT(compression->isVisible(), 5000);
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
        QTableView* log = view->logView();
        const int rows = log->viewport()->height() / log->verticalHeader()->defaultSectionSize();
        QVERIFY2(rows >= 8, qPrintable(u"%1 log rows"_s.arg(rows)));
        const QStringList problems = layoutProblems(&window);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
        // Nothing squeezed: the chart keeps a readable width and every number line is whole.
        auto* chart = view->findChild<QWidget*>(u"throughputChart"_s);
        QVERIFY2(chart->width() >= 160, qPrintable(u"chart %1 px wide"_s.arg(chart->width())));
        for (QLabel* line : view->logPanel()->findChildren<QLabel*>(QRegularExpression(u"^stats"_s))) {
            if (line->isVisible() && line->hasHeightForWidth())
                QVERIFY2(line->height() >= line->heightForWidth(line->width()), qPrintable(describe(line)));
        }
    }

    void everyDetailPageFits_data() { fitsSmallScreen_data(); }

    // Audit gap 5: at 1024×700 Sec-WebSocket-Key was cut behind a scroll bar and "Accept check" sat
    // behind scroll arrows, also with the profile list hidden; the fit test only looked at Payload.
    void everyDetailPageFits()
    {
        QFETCH(QString, language);
        useLanguage(language);
        MainWindow window;
        SessionView* view = window.openSession(Profile::builtinEcho(), true);
        window.resize(1024, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_COMPARE_WITH_TIMEOUT(view->session()->state(), Session::State::Open, 10000);
        auto* details = view->findChild<QTabWidget*>(u"detailTabs"_s);
        QCOMPARE(details->count(), 6); // Payload, Handshake, TLS, Code, Mini program, Settings
        for (bool profileList : { true, false }) {
            window.profilesDock()->setVisible(profileList);
            for (int i = 0; i < details->count(); ++i) {
                details->setCurrentIndex(i);
                QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
                const QString page = details->tabText(i) + (profileList ? u" (profile list shown)"_s : QString());
                QStringList problems = hiddenTabs(&window) + layoutProblems(details->currentWidget());
                if (details->currentWidget() == view->handshakePanel()) {
                    problems += horizontalScrollBars(view->handshakePanel(), { u"requestRaw"_s, u"responseRaw"_s });
                    const QString raw
                        = view->handshakePanel()->findChild<QPlainTextEdit*>(u"requestRaw"_s)->toPlainText();
                    QVERIFY2(raw.contains(u"Sec-WebSocket-Key"_s), qPrintable(raw));
                }
                QVERIFY2(problems.isEmpty(), qPrintable(page + u":\n"_s + problems.join(u'\n')));
            }
        }
    }

    // Audit gap 10: the state line ("Open") kept its size at 200 % (a style sheet set its weight);
    // the handshake and TLS pages follow the zoom too.
    void zoomReachesStateLineHandshakeAndTls()
    {
        MainWindow window;
        SessionView* view = window.openSession(Profile::builtinEcho(), true);
        window.show();
        QTRY_COMPARE_WITH_TIMEOUT(view->session()->state(), Session::State::Open, 10000);
        auto* state = view->findChild<QLabel*>(u"stateLabel"_s);
        QVERIFY(state->font().bold());
        const QList<QWidget*> zoomed { state, view->handshakePanel()->findChild<QPlainTextEdit*>(u"requestRaw"_s),
            view->handshakePanel()->findChild<QLabel*>(u"handshakeSummary"_s),
            view->tlsPanel()->findChild<QLabel*>(u"tlsSummary"_s) };
        QList<qreal> normal;
        for (QWidget* w : zoomed)
            normal.append(QFontInfo(w->font()).pointSizeF());
        window.setZoomPercent(200);
        for (int i = 0; i < zoomed.size(); ++i) {
            QVERIFY2(qFuzzyCompare(QFontInfo(zoomed.at(i)->font()).pointSizeF(), normal.at(i) * 2),
                qPrintable(u"%1: %2 pt at 200 %, %3 pt at 100 %"_s.arg(zoomed.at(i)->objectName())
                               .arg(QFontInfo(zoomed.at(i)->font()).pointSizeF())
                               .arg(normal.at(i))));
        }
        QVERIFY(state->font().bold()); // and still bold
        QCOMPARE(state->palette().color(QPalette::WindowText), Style::color(Style::Tone::Good, view->palette()));
        window.setZoomPercent(100);
        QCOMPARE(QFontInfo(state->font()).pointSizeF(), normal.first());
    }

    void smallestWindowScrollsNothing_data() { fitsSmallScreen_data(); }

    // The window's minimum size no longer shows whether the tabs fit (their scroll area can be made
    // small): at the issue's 960×600 and at 1024×700, in both languages, nothing in them scrolls.
    void smallestWindowScrollsNothing()
    {
        QFETCH(QString, language);
        useLanguage(language);
        MainWindow window;
        window.openSession(Profile::builtinEcho(), false);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QScrollArea* scroll = sessionScroll(window);
        QVERIFY(scroll);
        for (const QSize size : { QSize(960, 600), QSize(1024, 700) }) {
            window.resize(size);
            QTRY_COMPARE(window.size(), size);
            QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
            const QSize needed = window.tabs()->minimumSizeHint();
            QVERIFY2(!scroll->horizontalScrollBar()->isVisible() && !scroll->verticalScrollBar()->isVisible(),
                qPrintable(u"at %1×%2 the tabs need %3×%4 and get %5×%6; widest:\n"_s.arg(size.width())
                               .arg(size.height())
                               .arg(needed.width())
                               .arg(needed.height())
                               .arg(scroll->viewport()->width())
                               .arg(scroll->viewport()->height())
                    + widest(window.tabs())));
        }
    }
};

// QTEST_MAIN, on a 1024×700 screen (the size the issue asks for) instead of offscreen's 800×600, so
// that the window's size can be checked against the screen it is on.
int main(int argc, char** argv)
{
    QTemporaryDir platformConfig;
    if (qgetenv("QT_QPA_PLATFORM") == "offscreen" && platformConfig.isValid()) {
        QFile config(platformConfig.filePath(u"screen.json"_s));
        if (config.open(QIODevice::WriteOnly)) {
            config.write(R"({"screens": [{"name": "fit", "x": 0, "y": 0, "width": 1024, "height": 700,
                "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]})");
            config.close();
            qputenv("QT_QPA_PLATFORM", "offscreen:configfile=" + QFile::encodeName(config.fileName()));
        }
    }
    QApplication app(argc, argv);
    app.setAttribute(Qt::AA_Use96Dpi, true);
    tst_WindowLayout test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}
#include "tst_windowlayout.moc"
