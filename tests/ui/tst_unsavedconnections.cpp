// Unsaved connections are never lost without a word: quitting with, or closing, a tab whose settings
// were changed (headers, saved messages, …) offers Save as profile… / Discard / Cancel, driven here
// as a user answers the dialogs; a tab with nothing worth keeping closes without a question.
#include "cli/clioptions.h"
#include "englishcatalogue.h"
#include "mainwindow.h"
#include "profiles/profileeditor.h"
#include "profiles/profilerepository.h"
#include "profiles/profilestore.h"
#include "send/sendpanel.h"
#include "server/builtinserver.h"
#include "session/sessionview.h"

#include <QAction>
#include <QFile>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
#include <QToolButton>
#include <QTranslator>
#include <QWebSocket>
#include <QWebSocketServer>
#include <QtTest>

#include <functional>

using namespace Qt::StringLiterals;
using namespace wsi;

namespace {

// Answers the window's modal dialogs in order, as a user would. A dialog no step expects is
// recorded and rejected (Escape), so that a wrong question fails the test instead of hanging it.
class DialogScript : public QObject
{
public:
    using Step = std::function<bool(QWidget*)>;

    explicit DialogScript(QList<Step> steps = {})
        : m_steps(std::move(steps))
    {
        connect(&m_timer, &QTimer::timeout, this, &DialogScript::poll);
        m_timer.start(10);
    }

    // Clicks a message box's button; its text and informative text go to boxes.
    Step answer(QMessageBox::StandardButton button)
    {
        return [this, button](QWidget* modal) {
            auto* box = qobject_cast<QMessageBox*>(modal);
            if (!box || !box->button(button))
                return false;
            boxes.append(box->text() + u'\n' + box->informativeText());
            buttonTexts.append(box->button(button)->text());
            box->button(button)->click();
            return true;
        };
    }
    // Types a profile name into the name prompt and presses OK.
    static Step name(const QString& text)
    {
        return [text](QWidget* modal) {
            auto* prompt = qobject_cast<QInputDialog*>(modal);
            if (!prompt)
                return false;
            prompt->setTextValue(text);
            prompt->accept();
            return true;
        };
    }
    void add(const Step& step) { m_steps.append(step); }
    bool finished() const { return m_steps.isEmpty(); }

    QStringList boxes; // every message box answered, text and informative text
    QStringList buttonTexts; // the buttons clicked, as labelled
    QStringList unexpected; // class names of dialogs nobody expected

private:
    void poll()
    {
        QWidget* modal = QApplication::activeModalWidget();
        if (!modal || !modal->isVisible())
            return;
        if (!m_steps.isEmpty() && m_steps.first()(modal)) {
            m_steps.removeFirst();
            return;
        }
        QString what = QString::fromLatin1(modal->metaObject()->className());
        if (auto* box = qobject_cast<QMessageBox*>(modal))
            what += u": "_s + box->text();
        unexpected.append(what);
        if (auto* dialog = qobject_cast<QDialog*>(modal))
            dialog->reject();
    }

    QList<Step> m_steps;
    QTimer m_timer;
};

// A plain ws:// server on 127.0.0.1 for the tabs to connect to.
struct PlainServer
{
    QWebSocketServer server { u"plain"_s, QWebSocketServer::NonSecureMode };
    PlainServer()
    {
        server.listen(QHostAddress::LocalHost);
        QObject::connect(&server, &QWebSocketServer::newConnection, &server,
            [this] { server.nextPendingConnection()->setParent(&server); });
    }
    QString url() const { return u"ws://127.0.0.1:%1/"_s.arg(server.serverPort()); }
};

} // namespace

class tst_UnsavedConnections : public QObject
{
    Q_OBJECT

    QString m_path;
    QTranslator m_english;

    static QList<Profile> onDisk()
    {
        ProfileStore store;
        store.load();
        return store.profiles();
    }
    static std::optional<Profile> onDisk(const QString& name)
    {
        const QList<Profile> profiles = onDisk();
        for (const Profile& p : profiles) {
            if (p.name == name)
                return p;
        }
        return std::nullopt;
    }
    // A tab as File → New connection opens it, with an address typed and Enter pressed.
    static SessionView* typedTab(MainWindow& window, const QString& url)
    {
        SessionView* view = window.newConnection();
        view->addressBar()->setText(url);
        if (!view->goToAddress())
            return nullptr;
        return view;
    }
    // Adds a header on the tab's Settings page, as typed into the table.
    static void addHeader(SessionView* view, const QString& name, const QString& value)
    {
        ProfileEditor* settings = view->settingsEditor();
        auto* table = settings->findChild<QTableWidget*>(u"headersTable"_s);
        settings->findChild<QToolButton*>(u"addHeaderButton"_s)->click();
        const int row = table->rowCount() - 1;
        table->item(row, 1)->setText(name);
        table->item(row, 2)->setText(value);
    }
    static QWidget* currentDetail(SessionView* view)
    {
        return view->findChild<QTabWidget*>(u"detailTabs"_s)->currentWidget();
    }
    static QWidget* settingsPage(SessionView* view) { return view->findChild<QWidget*>(u"settingsPage"_s); }
    static bool hasHeader(const Profile& p, const QString& name, const QString& value)
    {
        for (const ProfileHeader& h : p.headers) {
            if (h.name == name && h.value == value)
                return true;
        }
        return false;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qunsetenv("DBUS_SESSION_BUS_ADDRESS"); // secrets in the file: no keychain round trips
        m_path = ProfileStore::defaultFilePath();
        QVERIFY(test::installEnglishCatalogue(m_english, QStringLiteral(WSI_QM_DIR))); // "2 connections"
    }
    void init() { QFile::remove(m_path); }
    void cleanupTestCase() { BuiltinServers::shutdown(); }

    // Review finding: SIGTERM/SIGINT (app/main.cpp calls endOnSignal()) showed the unsaved-tab dialog
    // and waited for an answer, so `kill` or a logout never ended the window.
    void aSignalEndsWithoutAskingEvenWithAnEditedTab()
    {
        PlainServer server;
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        SessionView* edited = typedTab(window, server.url());
        QVERIFY(edited);
        QTRY_COMPARE(edited->session()->state(), Session::State::Open);
        addHeader(edited, u"X-Token"_s, u"abc"_s);
        DialogScript script; // no step: any dialog is unexpected and is rejected
        QTimer::singleShot(0, &window, [&window] { window.endOnSignal(); }); // inside exec(), as in main()
        QTimer::singleShot(10000, [] { QCoreApplication::exit(77); }); // the end was refused
        QCOMPARE(QCoreApplication::exec(), 0);
        QVERIFY2(script.unexpected.isEmpty(), qPrintable(script.unexpected.join(u'|')));
    }

    void quittingOffersToSaveAnEditedTab()
    {
        PlainServer server;
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        SessionView* untouched = typedTab(window, server.url());
        SessionView* edited = typedTab(window, server.url());
        QVERIFY(untouched && edited);
        QTRY_COMPARE(edited->session()->state(), Session::State::Open);
        addHeader(edited, u"X-Token"_s, u"abc"_s);
        QVERIFY(hasHeader(edited->session()->profile(), u"X-Token"_s, u"abc"_s)); // the tab uses it at once

        DialogScript script;
        script.add(script.answer(QMessageBox::Save));
        script.add(DialogScript::name(u"Token server"_s));
        QVERIFY(window.close());
        QVERIFY2(script.unexpected.isEmpty(), qPrintable(script.unexpected.join(u'\n')));
        QVERIFY(script.finished());
        // One question, about the edited tab only, saying what would be lost.
        QCOMPARE(script.boxes.size(), 1);
        QVERIFY2(script.boxes.first().contains(u"before quitting"_s), qPrintable(script.boxes.first()));
        QVERIFY2(script.boxes.first().contains(u"Headers"_s), qPrintable(script.boxes.first()));
        QCOMPARE(script.buttonTexts.first(), u"Save as profile…"_s);

        const std::optional<Profile> saved = onDisk(u"Token server"_s);
        QVERIFY(saved);
        QCOMPARE(saved->url, server.url());
        QVERIFY(hasHeader(*saved, u"X-Token"_s, u"abc"_s));
        QCOMPARE(onDisk().size(), 1); // the untouched tab was not saved
    }

    void discardingOnQuitSavesNothing()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        SessionView* view = typedTab(window, u"builtin:echo"_s);
        QVERIFY(view);
        addHeader(view, u"X-Token"_s, u"abc"_s);

        DialogScript script;
        script.add(script.answer(QMessageBox::Discard));
        QVERIFY(window.close());
        QVERIFY2(script.unexpected.isEmpty(), qPrintable(script.unexpected.join(u'\n')));
        QVERIFY(script.finished());
        QVERIFY(!window.isVisible());
        QVERIFY(onDisk().isEmpty());
        QVERIFY(!QFile::exists(m_path) || onDisk().isEmpty());
    }

    void cancellingQuitKeepsTheTabAndShowsItsSettings()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        SessionView* edited = typedTab(window, u"builtin:echo"_s);
        QVERIFY(edited);
        addHeader(edited, u"X-Token"_s, u"abc"_s);
        SessionView* other = typedTab(window, u"builtin:chat"_s); // the current tab when quitting
        QVERIFY(other);
        QCOMPARE(window.currentSessionView(), other);

        DialogScript script;
        script.add(script.answer(QMessageBox::Cancel));
        QVERIFY(!window.close());
        QVERIFY2(script.unexpected.isEmpty(), qPrintable(script.unexpected.join(u'\n')));
        QVERIFY(script.finished());
        QVERIFY(window.isVisible());
        QCOMPARE(window.tabs()->count(), 2);
        QCOMPARE(window.currentSessionView(), edited); // the tab that holds the changes, on its Settings page
        QCOMPARE(currentDetail(edited), settingsPage(edited));
        // The keyboard goes there as soon as the window is active again (offscreen never reactivates it).
        QVERIFY(edited->settingsEditor()->isAncestorOf(window.focusWidget()));
        QVERIFY(hasHeader(edited->settingsEditor()->profile(), u"X-Token"_s, u"abc"_s));
        QVERIFY(onDisk().isEmpty());
    }

    void closingATabAsksOnlyWhenSomethingWouldBeLost()
    {
        PlainServer server;
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto* closeTab = window.findChild<QAction*>(u"closeTabAction"_s);
        QVERIFY(closeTab);
        DialogScript script;

        // Typed, connected, nothing changed: closes without a question.
        SessionView* untouched = typedTab(window, server.url());
        QVERIFY(untouched);
        QTRY_COMPARE(untouched->session()->state(), Session::State::Open);
        QPointer<SessionView> gone = untouched;
        closeTab->trigger();
        QVERIFY(gone.isNull());
        QCOMPARE(window.tabs()->count(), 0);
        QVERIFY(script.unexpected.isEmpty());

        // A saved message is worth keeping: Cancel keeps the tab and shows its Settings page.
        SessionView* view = typedTab(window, server.url());
        QVERIFY(view);
        view->sendPanel()->setText(u"{\"op\":\"subscribe\"}"_s);
        view->sendPanel()->saveCurrentMessage(u"subscribe"_s);
        script.add(script.answer(QMessageBox::Cancel));
        closeTab->trigger();
        QVERIFY2(script.unexpected.isEmpty(), qPrintable(script.unexpected.join(u'\n')));
        QVERIFY(script.finished());
        QCOMPARE(window.tabs()->count(), 1);
        QCOMPARE(currentDetail(view), settingsPage(view));
        QVERIFY2(script.boxes.last().contains(u"before closing its tab"_s), qPrintable(script.boxes.last()));
        QVERIFY2(script.boxes.last().contains(u"Saved messages"_s), qPrintable(script.boxes.last()));

        // Save as profile… → a name → on disk with the saved message, and the tab closes.
        QPointer<SessionView> saved = view;
        script.add(script.answer(QMessageBox::Save));
        script.add(DialogScript::name(u"Subscriptions"_s));
        window.tabs()->tabCloseRequested(0); // the tab's × button
        QVERIFY2(script.unexpected.isEmpty(), qPrintable(script.unexpected.join(u'\n')));
        QVERIFY(script.finished());
        QVERIFY(saved.isNull());
        window.profileRepository()->flush();
        std::optional<Profile> profile = onDisk(u"Subscriptions"_s);
        QVERIFY(profile);
        QCOMPARE(profile->savedMessages.size(), 1);
        QCOMPARE(profile->savedMessages.first().body, u"{\"op\":\"subscribe\"}"_s);

        // Discard closes it and keeps nothing.
        view = typedTab(window, server.url());
        QVERIFY(view);
        addHeader(view, u"X-Discarded"_s, u"1"_s);
        QPointer<SessionView> discarded = view;
        script.add(script.answer(QMessageBox::Discard));
        closeTab->trigger();
        QVERIFY2(script.unexpected.isEmpty(), qPrintable(script.unexpected.join(u'\n')));
        QVERIFY(script.finished());
        QVERIFY(discarded.isNull());
        window.profileRepository()->flush();
        QCOMPARE(onDisk().size(), 1);
        QCOMPARE(script.boxes.size(), 3);
    }

    void anInvalidSettingsPageBlocksSaving()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        SessionView* view = typedTab(window, u"builtin:echo"_s);
        QVERIFY(view);
        addHeader(view, u"X-Token"_s, u"abc\nInjected: yes"_s); // not applied: a line break would inject a header
        QVERIFY(!view->settingsEditor()->isValid());
        QVERIFY(!hasHeader(view->session()->profile(), u"X-Token"_s, u"abc\nInjected: yes"_s));

        // Save: no name is asked for, the problem is said, the window and the input stay.
        DialogScript script;
        script.add(script.answer(QMessageBox::Save));
        QVERIFY(!window.close());
        QVERIFY2(script.unexpected.isEmpty(), qPrintable(script.unexpected.join(u'\n')));
        QVERIFY(script.finished());
        QVERIFY(window.isVisible());
        QVERIFY2(view->addressMessage().contains(u"cannot be saved as a profile yet"_s)
                && view->addressMessage().contains(u"line break"_s),
            qPrintable(view->addressMessage()));
        QCOMPARE(currentDetail(view), settingsPage(view));
        QCOMPARE(view->settingsEditor()->findChild<QTableWidget*>(u"headersTable"_s)->item(0, 2)->text(),
            u"abc\nInjected: yes"_s);
        window.profileRepository()->flush();
        QVERIFY(onDisk().isEmpty());

        // Ctrl+S says the same without asking for a name.
        window.findChild<QAction*>(u"saveAsProfileAction"_s)->trigger();
        QVERIFY2(script.unexpected.isEmpty(), qPrintable(script.unexpected.join(u'\n')));
        QVERIFY(!view->isSavedProfile());

        script.add(script.answer(QMessageBox::Discard));
        QVERIFY(window.close());
        QVERIFY(script.finished());
        QVERIFY(onDisk().isEmpty());
    }

    void quittingWithSeveralAsksOnce()
    {
        PlainServer server;
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        SessionView* headers = typedTab(window, server.url());
        SessionView* untouched = typedTab(window, u"builtin:echo"_s);
        SessionView* messages = typedTab(window, u"builtin:chat"_s);
        QVERIFY(headers && untouched && messages);
        addHeader(headers, u"Authorization"_s, u"Bearer 1"_s);
        messages->sendPanel()->setText(u"hello"_s);
        messages->sendPanel()->saveCurrentMessage(u"greeting"_s);

        DialogScript script;
        script.add(script.answer(QMessageBox::Save));
        script.add(DialogScript::name(u"With headers"_s));
        script.add(DialogScript::name(u"With messages"_s));
        QVERIFY(window.close());
        QVERIFY2(script.unexpected.isEmpty(), qPrintable(script.unexpected.join(u'\n')));
        QVERIFY(script.finished());
        QCOMPARE(script.boxes.size(), 1); // one question for both
        const QString asked = script.boxes.first();
        QVERIFY2(asked.contains(u"2 connections have settings"_s), qPrintable(asked));
        QVERIFY2(asked.contains(server.url()) && asked.contains(u"builtin:chat"_s), qPrintable(asked));
        QVERIFY2(!asked.contains(u"builtin:echo"_s), qPrintable(asked));
        QCOMPARE(script.buttonTexts.first(), u"Save all…"_s);

        QCOMPARE(onDisk().size(), 2);
        QVERIFY(hasHeader(onDisk(u"With headers"_s).value_or(Profile()), u"Authorization"_s, u"Bearer 1"_s));
        QCOMPARE(onDisk(u"With messages"_s).value_or(Profile()).savedMessages.size(), 1);
    }

    // What the command line (or a built-in server, or the lesson) opened a tab with is not the
    // user's unsaved work: quitting does not nag about it, only about what was changed since.
    void aCommandLineTabAsksOnlyAboutLaterChanges()
    {
        PlainServer server;
        CliOptions options;
        QString error;
        QVERIFY2(CliParser::parse({ server.url(), u"-H"_s, u"X-From: shell"_s }, &options, &error), qPrintable(error));
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        SessionView* asGiven = window.openCommandLine(options);
        SessionView* changed = window.openCommandLine(options);
        QVERIFY(hasHeader(asGiven->session()->profile(), u"X-From"_s, u"shell"_s));
        changed->settingsEditor()->findChild<QLineEdit*>(u"originEdit"_s)->setText(u"https://app.example"_s);

        DialogScript script;
        script.add(script.answer(QMessageBox::Discard));
        QVERIFY(window.close());
        QVERIFY2(script.unexpected.isEmpty(), qPrintable(script.unexpected.join(u'\n')));
        QVERIFY(script.finished());
        QCOMPARE(script.boxes.size(), 1);
        const QString asked = script.boxes.first();
        QVERIFY2(asked.contains(u"Save the connection"_s) && asked.contains(u"Origin"_s), qPrintable(asked));
        QVERIFY2(!asked.contains(u"Headers"_s), qPrintable(asked)); // the shell's -H was not typed here
    }

    // Deleting the profile of an open tab was the user's choice: that tab goes on unsaved and asks
    // only about what is changed after the deletion.
    void aTabWhoseProfileWasDeletedAsksOnlyAboutLaterChanges()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        Profile p;
        p.name = u"Doomed"_s;
        p.url = u"builtin:echo"_s;
        p.headers = { { u"X-Kept"_s, u"1"_s, true, false } };
        const QString id = window.profileRepository()->add(p);
        SessionView* deleted = window.openSession(*window.profileRepository()->find(id), false);
        SessionView* changed = window.openSession(*window.profileRepository()->find(id), false);
        QVERIFY(deleted->isSavedProfile());
        QVERIFY(window.profileRepository()->remove(id));
        QVERIFY(!deleted->isSavedProfile() && deleted->settingsEditor());
        changed->settingsEditor()->findChild<QLineEdit*>(u"originEdit"_s)->setText(u"https://later.example"_s);

        DialogScript script;
        script.add(script.answer(QMessageBox::Discard));
        QVERIFY(window.close());
        QVERIFY2(script.unexpected.isEmpty(), qPrintable(script.unexpected.join(u'\n')));
        QVERIFY(script.finished());
        QCOMPARE(script.boxes.size(), 1); // about the changed tab only
        QVERIFY2(script.boxes.first().contains(u"Origin"_s) && !script.boxes.first().contains(u"Headers"_s),
            qPrintable(script.boxes.first()));
    }
};

QTEST_MAIN(tst_UnsavedConnections)
#include "tst_unsavedconnections.moc"
