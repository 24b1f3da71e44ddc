// wsi-screenshots: renders the window in the states the docs show (first screen, hex view,
// handshake with the details maximized, handshake in explain mode, a frame diagram, the Code tab, a lesson step,
// presentation mode, the mini-program check of a TLS server on 127.0.0.1 with an openssl-made test PKI, an opened
// HAR and a replay diff) into PNG files, in the language given. Run under Xvfb; not a test.
//   wsi-screenshots OUTDIR [LOCALE [QM_FILE]] [WIDTHxHEIGHT]
#include "../check/testpki.h"
#include "capture/capturefilereader.h"
#include "capture/captureview.h"
#include "capture/replaydialog.h"
#include "check/miniprogrampanel.h"
#include "check/miniprogramreportmodel.h"
#include "log/logpanel.h"
#include "log/messagelogmodel.h"
#include "mainwindow.h"
#include "payload/payloadview.h"
#include "server/builtinserver.h"
#include "session/sessionview.h"
#include "teach/codepanel.h"
#include "teach/lessoncontroller.h"
#include "teach/lessonpanel.h"
#include "wire/handshakepanel.h"

#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QLibraryInfo>
#include <QLineEdit>
#include <QScreen>
#include <QSplitter>
#include <QSslConfiguration>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QTranslator>
#include <QTreeView>
#include <QWebSocket>
#include <QWebSocketServer>

using namespace Qt::StringLiterals;
using namespace wsi;

namespace {
void settle(int ms)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
}

bool waitOpen(SessionView* v)
{
    QElapsedTimer t;
    t.start();
    while (v->session()->state() != Session::State::Open && t.elapsed() < 10000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    return v->session()->state() == Session::State::Open;
}

void shoot(QWidget* w, const QString& dir, const QString& name)
{
    settle(300);
    const QString path = QDir(dir).filePath(name + u".png"_s);
    w->grab().save(path);
    std::printf("wrote %s\n", qPrintable(path));
}

void selectLastRow(SessionView* v, LogEntry::Kind kind, Direction dir)
{
    for (int r = v->logModel()->rowCount() - 1; r >= 0; --r) {
        const LogEntry e = v->logModel()->entryAt(r);
        if (e.kind == kind && e.dir == dir) {
            v->logView()->selectRow(r);
            return;
        }
    }
}
} // namespace

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"wsinspector-screenshots"_s);
    const QStringList args = app.arguments();
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: wsi-screenshots OUTDIR [LOCALE [QM_FILE]] [WIDTHxHEIGHT]\n");
        return 2;
    }
    const QString out = args.at(1);
    QDir().mkpath(out);
    QString locale = u"en"_s;
    QSize size(1024, 700);
    for (int i = 2; i < args.size(); ++i) {
        const QString a = args.at(i);
        if (a.contains(u'x') && a.split(u'x').size() == 2 && a.split(u'x').first().toInt() > 0)
            size = QSize(a.split(u'x').first().toInt(), a.split(u'x').last().toInt());
        else if (a.endsWith(u".qm"_s)) {
            auto* t = new QTranslator(&app);
            if (t->load(a))
                QCoreApplication::installTranslator(t);
            auto* qt = new QTranslator(&app);
            if (qt->load(QLocale(locale), u"qtbase"_s, u"_"_s, QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
                QCoreApplication::installTranslator(qt);
        } else
            locale = a;
    }
    // English as the application shows it: the plural forms ("27 bytes", never "byte(s)").
    if (!locale.startsWith(u"zh"_s)) {
        auto* en = new QTranslator(&app);
        if (en->load(u"wsinspector_en"_s, QStringLiteral(WSI_QM_DIR)))
            QCoreApplication::installTranslator(en);
    }
    QLocale::setDefault(QLocale(locale));
    const QString suffix = locale.startsWith(u"zh"_s) ? u"-zh_CN"_s : QString();

    MainWindow window;
    window.resize(size);
    window.show();
    SessionView* v = window.openSession(Profile::builtinEcho(), true);
    if (!waitOpen(v))
        return 1;
    // The session is open (waited for above): nothing here can be refused.
    (void)v->session()->sendText(u"Hello from WebSocket Inspector"_s);
    (void)v->session()->sendText(u"{\"hello\": \"world\", \"n\": 42}"_s);
    (void)v->session()->ping("are you there?");
    settle(600);
    selectLastRow(v, LogEntry::Kind::Text, Direction::Receive);
    shoot(&window, out, u"first-screen"_s + suffix);

    // The same message in the hex view (offsets, hex and ASCII columns side by side).
    v->payloadView()->setMode(PayloadView::Mode::Hex);
    shoot(&window, out, u"hex-view"_s + suffix);
    v->payloadView()->setMode(PayloadView::Mode::Json);

    // The handshake with the details maximized (F10) and the profile list hidden (F9): both heads
    // whole, Key and Accept uncut.
    v->showDetail(v->handshakePanel());
    v->setDetailsMaximized(true);
    window.profilesDock()->hide();
    shoot(&window, out, u"handshake"_s + suffix);
    window.profilesDock()->show();
    v->setDetailsMaximized(false);

    window.setExplainMode(true);
    v->showDetail(v->handshakePanel());
    // Request: the header table with its Meaning column; response: the Accept derivation.
    const QList<QTabWidget*> heads = v->handshakePanel()->findChildren<QTabWidget*>();
    for (QTabWidget* t : heads)
        t->setCurrentIndex(t->count() == 3 ? 2 : 1);
    // The detail pages get the room the profile list takes (a teacher hides it with the dock's button).
    if (auto* dock = window.findChild<QDockWidget*>(u"profilesDock"_s))
        dock->hide();
    shoot(&window, out, u"explain-handshake"_s + suffix);

    selectLastRow(v, LogEntry::Kind::Text, Direction::Send);
    v->payloadView()->setMode(PayloadView::Mode::Frames);
    v->showDetail(v->payloadView());
    shoot(&window, out, u"frame-diagram"_s + suffix);

    v->codePanel()->setLanguageId(u"wx"_s);
    v->showDetail(v->codePanel());
    shoot(&window, out, u"code-tab"_s + suffix);

    window.setExplainMode(false);
    if (auto* dock = window.findChild<QDockWidget*>(u"profilesDock"_s))
        dock->show();
    window.showLesson();
    window.lessonPanel()->showStep(2);
    shoot(&window, out, u"lesson"_s + suffix);

    window.setPresentationMode(true);
    settle(500);
    v->showDetail(v->handshakePanel());
    shoot(&window, out, u"presentation"_s + suffix);
    window.setPresentationMode(false);
    window.resize(size); // without a window manager full screen is only a size: back to the documented one

    // The mini-program check of a real TLS server on 127.0.0.1 under a domain name (--resolve),
    // with a certificate from a test CA (a warning), a Referer header (a failure) and a
    // subprotocol the server does not choose (a warning).
    test::TestPki pki;
    if (pki.create().isEmpty() && pki.issue(u"leaf"_s, u"mp.example.com"_s).isEmpty()) {
        QWebSocketServer server(u"mp"_s, QWebSocketServer::SecureMode);
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setLocalCertificateChain({ pki.certificate(u"leaf"_s), pki.certificate(u"int"_s) });
        tls.setPrivateKey(pki.key(u"leaf"_s));
        server.setSslConfiguration(tls);
        QObject::connect(&server, &QWebSocketServer::newConnection, &server, [&server] {
            while (QWebSocket* s = server.nextPendingConnection())
                s->setParent(&server);
        });
        if (server.listen(QHostAddress::LocalHost, 0)) {
            Profile p;
            p.name = u"mp.example.com"_s;
            p.url = u"wss://mp.example.com:%1/socket"_s.arg(server.serverPort());
            p.resolve = { u"mp.example.com:%1:127.0.0.1"_s.arg(server.serverPort()) };
            p.tls.caFile = pki.path("root.pem");
            p.headers = { { u"Referer"_s, u"https://example.com/app"_s, true, false } };
            p.subprotocols = { u"chat"_s };
            p.forMiniProgram = true;
            SessionView* mp = window.openSession(p, false);
            for (const auto& name : { u"profilesDock"_s, u"lessonDock"_s }) {
                if (auto* dock = window.findChild<QDockWidget*>(name))
                    dock->hide();
            }
            // The report gets the room the log and the send panel take.
            settle(200);
            if (auto* split = mp->findChild<QSplitter*>(QString(), Qt::FindDirectChildrenOnly)) {
                split->setSizes({ split->height() / 5, split->height() * 4 / 5 });
                if (auto* lower = qobject_cast<QSplitter*>(split->widget(1)))
                    lower->setSizes({ lower->width() * 4 / 5, lower->width() / 5 });
            }
            mp->runMiniProgramCheck();
            QElapsedTimer t;
            t.start();
            while (mp->miniProgramPanel()->isRunning() && t.elapsed() < 15000)
                QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
            mp->miniProgramPanel()->view()->resizeColumnToContents(MiniProgramReportModel::VerdictColumn);
            shoot(&window, out, u"miniprogram-check"_s + suffix);
        }
    }

    // Captures as documents (issue 15): a Chrome HAR export opened, and a replay's differences.
    for (const auto* name : { "lessonDock", "profilesDock" }) {
        if (auto* dock = window.findChild<QDockWidget*>(QLatin1StringView(name)))
            dock->hide();
    }
    const QString data = QStringLiteral(WSI_CAPTURE_TEST_DATA);
    CaptureView* har = window.openCaptureFile(data + u"/chrome.har"_s);
    settle(1300); // the statistics sample once a second
    har->logPanel(1)->view()->selectRow(3);
    shoot(&window, out, u"capture-har"_s + suffix);
    if (const auto sessions = CaptureFileReader::readAll(data + u"/replay-differ.jsonl"_s)) {
        ReplayDialog dialog(sessions->first(), &window);
        dialog.urlField()->setText(u"builtin:echo"_s);
        dialog.resize(900, 700);
        dialog.show();
        dialog.run();
        QElapsedTimer t;
        t.start();
        while (dialog.isRunning() && t.elapsed() < 10000)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        shoot(&dialog, out, u"capture-replay"_s + suffix);
    }

    BuiltinServers::shutdown();
    return 0;
}
