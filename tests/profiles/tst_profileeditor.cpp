// The profile list and editor as a user drives them: inline errors as they type, Save/Connect
// disabled on errors, valid edits saved to the store, built-ins read-only, delete with undo.
#include "log/messagelogmodel.h"
#include "mainwindow.h"
#include "profiles/profileeditor.h"
#include "profiles/profilelistmodel.h"
#include "profiles/profilepanel.h"
#include "profiles/profilerepository.h"
#include "profiles/profilestore.h"
#include "profiles/secretvault.h"
#include "scriptedserver.h"
#include "send/sendpanel.h"
#include "session/sessionview.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStyleOptionButton>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>
#include <QToolButton>

using namespace Qt::StringLiterals;
using namespace wsi;

class tst_ProfileEditor : public QObject
{
    Q_OBJECT
private:
    QString m_path;

    template <typename T> static T* child(QWidget* w, const char* name)
    {
        T* c = w->findChild<T*>(QLatin1StringView(name));
        if (!c)
            qWarning("no child %s", name);
        return c;
    }
    QJsonArray savedProfilesJson() const
    {
        QFile f(m_path);
        if (!f.open(QIODevice::ReadOnly))
            return {};
        return QJsonDocument::fromJson(f.readAll()).object().value(u"profiles"_s).toArray();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qunsetenv("DBUS_SESSION_BUS_ADDRESS");
        m_path = ProfileStore::defaultFilePath();
    }

    void init()
    {
        QDir(QFileInfo(m_path).absolutePath()).removeRecursively();
        QDir().mkpath(QFileInfo(m_path).absolutePath());
    }

    void headerWithNewlineBlocksSaveAndConnect()
    {
        ProfileStore store;
        QVERIFY(store.load());
        ProfileRepository repository(&store);
        ProfilePanel panel(&repository);
        panel.show();
        const int row = panel.addProfile();
        ProfileEditor* editor = panel.editor();
        auto* table = child<QTableWidget>(editor, "headersTable");
        auto* headersError = child<QLabel>(editor, "headersError");
        auto* save = child<QPushButton>(editor, "saveButton");
        auto* connectButton = child<QPushButton>(editor, "connectButton");
        QVERIFY(table && headersError && save && connectButton);
        QVERIFY(connectButton->isEnabled());

        QTest::mouseClick(child<QToolButton>(editor, "addHeaderButton"), Qt::LeftButton);
        QCOMPARE(table->rowCount(), 1);
        table->item(0, 1)->setText(u"X-Token"_s);
        table->item(0, 2)->setText(u"abc\nInjected: yes"_s);

        QVERIFY(headersError->isVisible());
        QCOMPARE(headersError->text(),
            u"Header \"X-Token\" value contains a line break (CR or LF): it would inject extra header lines."_s);
        QVERIFY(!save->isEnabled());
        QVERIFY(!connectButton->isEnabled());
        QVERIFY(!table->item(0, 2)->toolTip().isEmpty()); // the cell itself is marked
        QVERIFY(!panel.currentProfile());

        table->item(0, 2)->setText(u"abc"_s);
        QVERIFY(!headersError->isVisible());
        QVERIFY(save->isEnabled());
        QVERIFY(connectButton->isEnabled());
        QTest::mouseClick(save, Qt::LeftButton);

        QCOMPARE(panel.model()->profileAt(row).headers.size(), 1);
        QTRY_COMPARE(savedProfilesJson().size(), 1); // saved a moment later (debounced)
        const QJsonArray saved = savedProfilesJson();
        const QJsonObject header = saved.first().toObject().value(u"headers"_s).toArray().first().toObject();
        QCOMPARE(header.value(u"name"_s).toString(), u"X-Token"_s);
        QCOMPARE(header.value(u"value"_s).toString(), u"abc"_s);
        QVERIFY(!save->isEnabled()); // nothing left to save
    }

    void typingShowsInlineMessages()
    {
        ProfileStore store;
        QVERIFY(store.load());
        ProfileRepository repository(&store);
        ProfilePanel panel(&repository);
        panel.show();
        panel.addProfile();
        ProfileEditor* editor = panel.editor();
        auto* url = child<QLineEdit>(editor, "urlEdit");
        auto* urlError = child<QLabel>(editor, "urlError");
        url->clear();
        QTest::keyClicks(url, u"ftp://x"_s);
        QVERIFY(urlError->isVisible());
        QCOMPARE(urlError->text(), u"URL scheme \"ftp\" is not supported: use ws:// or wss://."_s);
        QVERIFY(!child<QPushButton>(editor, "saveButton")->isEnabled());
        url->clear();
        QTest::keyClicks(url, u"http://example.com?a=1"_s);
        QVERIFY(urlError->text().contains(u"URL scheme http:// was changed to ws://."_s));
        QVERIFY(child<QPushButton>(editor, "saveButton")->isEnabled());
        QVERIFY(editor->save());
        QCOMPARE(url->text(), u"ws://example.com/?a=1"_s); // saved normalised

        auto* name = child<QLineEdit>(editor, "nameEdit");
        name->setText(u"built-in ECHO server"_s);
        QCOMPARE(child<QLabel>(editor, "nameError")->text(),
            u"Profile name \"built-in ECHO server\" is already used by another profile."_s);
        QVERIFY(!child<QPushButton>(editor, "connectButton")->isEnabled());
    }

    void deflateNoLongerSaysNotSupported()
    {
        ProfileStore store;
        store.load();
        ProfileRepository repository(&store);
        ProfilePanel panel(&repository);
        panel.show();
        panel.addProfile();
        auto* deflate = child<QCheckBox>(panel.editor(), "deflateCheck");
        // Supported now: the box no longer says otherwise, and no notice pretends it is not.
        QVERIFY(!deflate->text().contains(u"not yet supported"_s));
        deflate->setChecked(true);
        auto* notice = child<QLabel>(panel.editor(), "deflateNotice");
        QVERIFY(notice->isHidden());
    }

    void deflateParametersInTheForm()
    {
        ProfileStore store;
        store.load();
        ProfileRepository repository(&store);
        ProfilePanel panel(&repository);
        panel.show();
        panel.addProfile();
        ProfileEditor* editor = panel.editor();
        child<QLineEdit>(editor, "nameEdit")->setText(u"Compressed"_s);
        child<QLineEdit>(editor, "urlEdit")->setText(u"ws://127.0.0.1:9/"_s);
        auto* options = child<QWidget>(editor, "deflateOptions");
        auto* offer = child<QLabel>(editor, "deflateOfferLabel");
        QVERIFY(!options->isEnabled()); // deflate is off: nothing to choose
        QCOMPARE(offer->text(), u"Offer: Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits"_s);

        child<QCheckBox>(editor, "deflateCheck")->setChecked(true);
        QVERIFY(options->isEnabled());
        auto* server = child<QComboBox>(editor, "serverBitsCombo");
        server->setCurrentIndex(server->findData(10));
        auto* client = child<QComboBox>(editor, "clientBitsCombo");
        QCOMPARE(client->currentData().toInt(), DeflateParams::kOfferedWithoutValue);
        child<QCheckBox>(editor, "clientResetCheck")->setChecked(true);
        auto* outgoing = child<QCheckBox>(editor, "compressOutgoingCheck");
        QVERIFY(outgoing->isChecked()); // on by default
        outgoing->setChecked(false);
        QCOMPARE(offer->text(),
            u"Offer: Sec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover; "
            u"server_max_window_bits=10; client_max_window_bits"_s);
        QVERIFY(editor->save());
        QVERIFY(repository.flush());

        ProfileStore reread;
        QVERIFY(reread.load());
        const Profile* saved = reread.find(u"Compressed"_s);
        QVERIFY(saved);
        QVERIFY(saved->perMessageDeflate);
        QCOMPARE(saved->deflateOffer.toParamString(),
            u"client_no_context_takeover; server_max_window_bits=10; client_max_window_bits"_s);
        QVERIFY(!saved->deflateOutgoing);
    }

    void deflateWindowOutOfRangeIsNamed()
    {
        // A hand-edited file with server_max_window_bits 20: shown as it is, named, not sendable.
        Profile p;
        p.name = u"Hand edited"_s;
        p.url = u"ws://127.0.0.1:9/"_s;
        p.perMessageDeflate = true;
        p.deflateOffer.serverMaxWindowBits = 20;
        ProfileEditor editor;
        editor.show();
        editor.setProfile(p, false, {});
        auto* server = child<QComboBox>(&editor, "serverBitsCombo");
        QCOMPARE(server->currentText(), u"20 (not a window size)"_s);
        auto* error = child<QLabel>(&editor, "deflateError");
        QVERIFY(!error->isHidden());
        QCOMPARE(error->text(),
            u"Deflate parameter server_max_window_bits=20 is out of range: use 8 to 15, or leave it out."_s);
        QVERIFY(!child<QPushButton>(&editor, "connectButton")->isEnabled());
        QVERIFY(child<QTabWidget>(&editor, "tabs")->tabText(1).startsWith(u"⚠ "_s));
        server->setCurrentIndex(server->findData(12));
        QVERIFY(error->isHidden());
        QVERIFY(child<QPushButton>(&editor, "connectButton")->isEnabled());
        QCOMPARE(editor.profile().deflateOffer.serverMaxWindowBits, 12);
    }

    void secretsMaskedWithRevealToggle()
    {
        ProfileStore store;
        store.load();
        ProfileRepository repository(&store);
        ProfilePanel panel(&repository);
        panel.show();
        panel.addProfile();
        auto* password = child<QLineEdit>(panel.editor(), "proxyPasswordEdit");
        auto* passphrase = child<QLineEdit>(panel.editor(), "passphraseEdit");
        auto* reveal = child<QCheckBox>(panel.editor(), "revealSecretsCheck");
        QCOMPARE(password->echoMode(), QLineEdit::Password);
        QCOMPARE(passphrase->echoMode(), QLineEdit::Password);
        reveal->setChecked(true);
        QCOMPARE(password->echoMode(), QLineEdit::Normal);
        QCOMPARE(passphrase->echoMode(), QLineEdit::Normal);
    }

    void secretsInFileNoticeShown()
    {
        ProfileStore store;
        store.load();
        QVERIFY(store.secretsInFile());
        ProfileRepository repository(&store);
        ProfilePanel panel(&repository);
        panel.show();
        panel.addProfile();
        QVERIFY(panel.noticeText().isEmpty()); // no secret yet, nothing to warn about
        auto* password = child<QLineEdit>(panel.editor(), "proxyPasswordEdit");
        password->setText(u"hunter2"_s);
        QVERIFY(panel.editor()->save());
        QTRY_VERIFY2(panel.noticeText().contains(u"file mode 0600"_s), qPrintable(panel.noticeText()));
        QVERIFY(child<QLabel>(&panel, "profileNotice")->isVisible());
    }

    void builtinsReadOnlyAndEchoSelected()
    {
        MainWindow window;
        window.show();
        ProfilePanel* panel = window.profilePanel();
        QCOMPARE(panel->currentRow(), 0);
        QCOMPARE(panel->model()->profileAt(0).url, u"builtin:echo"_s);
        QCOMPARE(panel->model()->rowCount(), 3);
        auto* name = child<QLineEdit>(panel->editor(), "nameEdit");
        QVERIFY(!name->isEnabled());
        QVERIFY(!child<QPushButton>(panel->editor(), "saveButton")->isVisible());
        QVERIFY(child<QLabel>(panel->editor(), "readOnlyNotice")->isVisible());
        QVERIFY(!panel->deleteCurrent());
        QCOMPARE(panel->model()->rowCount(), 3);

        // Double-click opens a tab with a session for that profile.
        QListView* list = panel->listView();
        const QRect rect = list->visualRect(panel->model()->index(0));
        // The press comes first, as from a real mouse (mouseDClick alone sends only the double click).
        QTest::mousePress(list->viewport(), Qt::LeftButton, {}, rect.center());
        QTest::mouseRelease(list->viewport(), Qt::LeftButton, {}, rect.center());
        QTest::mouseDClick(list->viewport(), Qt::LeftButton, {}, rect.center());
        QTRY_COMPARE(window.tabs()->count(), 1);
        auto* view = qobject_cast<SessionView*>(window.tabs()->widget(0));
        QVERIFY(view);
        QCOMPARE(view->session()->profile().url, u"builtin:echo"_s);

        // Connect from the editor opens another one.
        QTest::mouseClick(child<QPushButton>(panel->editor(), "connectButton"), Qt::LeftButton);
        QCOMPARE(window.tabs()->count(), 2);
    }

    // The profile option "lenient", as a user sets it: the checkbox on the Options tab writes the
    // profile field and the saved file; a tab connected with it keeps the connection open on a
    // masked server frame (RFC 6455 §5.1, flagged) that the same profile without it fails.
    void lenientCheckboxKeepsATabOpenOnAFlaggedViolation()
    {
        // Each server: a valid 101, a masked text frame (a client must fail the connection), "hello".
        auto violating = [](QTcpSocket* s, const HttpHead& request) {
            s->write(test::ScriptedServer::ok101(request) + QByteArray::fromHex("818201020304696b")
                + test::ScriptedServer::frame(OpText, true, "hello"));
        };
        test::ScriptedServer strictServer(violating);
        test::ScriptedServer lenientServer(violating);
        auto rowWith = [](MessageLogModel* model, LogEntry::Kind kind, QByteArrayView text) {
            for (int row = 0; row < model->rowCount(); ++row) {
                const LogEntry e = model->entryAt(row);
                if (e.kind == kind && e.payload.contains(text))
                    return row;
            }
            return -1;
        };

        MainWindow window;
        window.show();
        ProfilePanel* panel = window.profilePanel();
        const int row = panel->addProfile();
        ProfileEditor* editor = panel->editor();
        auto* lenient = child<QCheckBox>(editor, "lenientCheck");
        auto* url = child<QLineEdit>(editor, "urlEdit");
        auto* save = child<QPushButton>(editor, "saveButton");
        auto* connectButton = child<QPushButton>(editor, "connectButton");
        QVERIFY(lenient && url && save && connectButton);
        child<QTabWidget>(editor, "tabs")->setCurrentWidget(child<QWidget>(editor, "optionsTab"));
        QVERIFY(lenient->isVisible());
        QVERIFY(!lenient->isChecked()); // strict by default

        // Strict: the tab's connection fails at the masked frame, naming the rule, with 1002.
        url->setText(strictServer.url());
        QTest::mouseClick(connectButton, Qt::LeftButton);
        QCOMPARE(window.tabs()->count(), 1);
        auto* strictView = qobject_cast<SessionView*>(window.tabs()->widget(0));
        QVERIFY(strictView);
        QTRY_COMPARE_WITH_TIMEOUT(strictView->session()->state(), Session::State::Failed, 10000);
        QVERIFY2(strictView->session()->stateReason().contains(u"RFC 6455 §5.1 (masked frame from the server)"_s),
            qPrintable(strictView->session()->stateReason()));
        QTRY_COMPARE(strictServer.clientCloseCode(), quint16(1002));

        // The checkbox, clicked where a user clicks it, sets the field; Save writes it to the file.
        QStyleOptionButton option;
        option.initFrom(lenient);
        const QRect clickRect = lenient->style()->subElementRect(QStyle::SE_CheckBoxClickRect, &option, lenient);
        QTest::mouseClick(lenient, Qt::LeftButton, {}, clickRect.center());
        QVERIFY(lenient->isChecked());
        url->setText(lenientServer.url());
        QVERIFY(save->isEnabled());
        QTest::mouseClick(save, Qt::LeftButton);
        QCOMPARE(panel->model()->profileAt(row).lenient, true);
        QTRY_COMPARE(savedProfilesJson().size(), 1); // saved a moment later (debounced)
        QTRY_COMPARE(savedProfilesJson().first().toObject().value(u"lenient"_s).toBool(), true);

        // Lenient: the same violation is only flagged; the tab stays open and can still send.
        QTest::mouseClick(connectButton, Qt::LeftButton);
        QCOMPARE(window.tabs()->count(), 2);
        auto* lenientView = qobject_cast<SessionView*>(window.tabs()->widget(1));
        QVERIFY(lenientView);
        QCOMPARE(lenientView->session()->profile().lenient, true);
        MessageLogModel* log = lenientView->logModel();
        QTRY_VERIFY_WITH_TIMEOUT(
            rowWith(log, LogEntry::Kind::Info, "Lenient: The server broke RFC 6455 §5.1 (masked frame") >= 0, 10000);
        QTRY_VERIFY(rowWith(log, LogEntry::Kind::Text, "hello") >= 0);
        lenientView->sendPanel()->setText(u"still here"_s);
        QVERIFY(lenientView->sendPanel()->send());
        QTRY_VERIFY(!lenientServer.clientFrames().isEmpty());
        QCOMPARE(lenientServer.clientFrames().first().info.opcode, quint8(OpText));
        QCOMPARE(lenientServer.clientFrames().first().payload, QByteArray("still here"));
        QCOMPARE(lenientView->session()->state(), Session::State::Open);
        QVERIFY2(lenientView->statusText().startsWith(u"Open"_s), qPrintable(lenientView->statusText()));
        QCOMPARE(lenientServer.clientCloseCode(), quint16(0)); // the inspector did not close it
    }

    void deleteAndUndo()
    {
        ProfileStore store;
        store.load();
        ProfileRepository repository(&store);
        ProfilePanel panel(&repository);
        panel.show();
        const int row = panel.addProfile();
        const QString name = panel.model()->profileAt(row).name;
        QTRY_COMPARE(savedProfilesJson().size(), 1);
        QVERIFY(panel.deleteCurrent());
        QTRY_COMPARE(savedProfilesJson().size(), 0);
        QVERIFY(child<QToolButton>(&panel, "undoDeleteButton")->isEnabled());
        QVERIFY(panel.undoDelete());
        QTRY_COMPARE(savedProfilesJson().size(), 1);
        QCOMPARE(savedProfilesJson().first().toObject().value(u"name"_s).toString(), name);
        QCOMPARE(panel.model()->profileAt(panel.currentRow()).name, name);
    }

    void duplicateBuiltinIsEditable()
    {
        ProfileStore store;
        store.load();
        ProfileRepository repository(&store);
        ProfilePanel panel(&repository);
        panel.setCurrentRow(0);
        const int row = panel.duplicateCurrent();
        QCOMPARE(panel.currentRow(), row);
        QVERIFY(child<QLineEdit>(panel.editor(), "nameEdit")->isEnabled());
        QTRY_COMPARE(savedProfilesJson().size(), 1);
    }

    void exportImportThroughPanel()
    {
        ProfileStore store;
        store.load();
        ProfileRepository repository(&store);
        ProfilePanel panel(&repository);
        panel.addProfile();
        child<QLineEdit>(panel.editor(), "proxyPasswordEdit")->setText(u"hunter2"_s);
        QVERIFY(panel.editor()->save());
        const QString exported = QFileInfo(m_path).absolutePath() + u"/export.json"_s;
        QVERIFY(panel.exportTo(exported, false));
        QFile f(exported);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(!f.readAll().contains("hunter2"));
        QVERIFY(panel.importFrom(exported));
        QCOMPARE(panel.model()->savedProfiles().size(), 2);
        QCOMPARE(panel.model()->savedProfiles().at(1).name, u"New profile (2)"_s);
    }

    void corruptFileReported()
    {
        {
            QFile f(m_path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("{ broken");
        }
        ProfileStore store;
        QVERIFY(!store.load());
        ProfileRepository repository(&store);
        ProfilePanel panel(&repository);
        QVERIFY2(panel.noticeText().contains(store.movedAsidePath()), qPrintable(panel.noticeText()));
        QVERIFY(panel.noticeText().contains(u"moved to"_s));
    }
};

QTEST_MAIN(tst_ProfileEditor)
#include "tst_profileeditor.moc"
